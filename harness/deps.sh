#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install the Debian packages the harness needs, if any is missing, then
# check that the programs and files it runs from them are really there:
# a half-installed machine (a package marked installed whose files are
# gone, a program shadowed on PATH) gets one line naming what is missing.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

packages="linux-source-6.12 gcc make flex bison bc libelf-dev libssl-dev
	cpio xz-utils gzip file git perl python3 python3-ply python3-git kmod ccache
	qemu-system-x86 busybox-static linux-perf rsync python3-sphinx graphviz"

# What the harness runs or reads, each with the package it comes from:
# a program on PATH, or an absolute path.
needs="gcc:gcc make:make flex:flex bison:bison bc:bc cpio:cpio xz:xz-utils
	gzip:gzip file:file git:git perl:perl python3:python3 /sbin/depmod:kmod
	ccache:ccache qemu-system-x86_64:qemu-system-x86 perf:linux-perf
	rsync:rsync ldd:libc-bin flock:util-linux timeout:coreutils
	/bin/busybox:busybox-static $TARBALL:linux-source-6.12
	/usr/include/gelf.h:libelf-dev /usr/include/openssl/ssl.h:libssl-dev
	/usr/lib/python3/dist-packages/ply/lex.py:python3-ply
	/usr/lib/python3/dist-packages/git/__init__.py:python3-git
	/usr/lib/python3/dist-packages/sphinx/__init__.py:python3-sphinx
	dot:graphviz"

# The needs that are not there, as "what(package)".
absent() {
	local need what
	for need in $needs; do
		what=${need%:*}
		case $what in
		/*) [ -e "$what" ] ;;
		*) command -v "$what" >/dev/null ;;
		esac || echo "$what(${need##*:})"
	done
}

missing=
for p in $packages; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing="$missing $p"
done
# Installed packages whose programs are gone are installed again.
gone=$(absent | tr '\n' ' ')
broken=
for a in $gone; do
	p=${a#*(}
	p=${p%)}
	case " $missing $broken " in *" $p "*) ;; *) broken="$broken $p" ;; esac
done
[ -z "$missing$broken" ] && exit 0

mkdir -p "$BUILD"
[ "$(id -u)" = 0 ] ||
	die "missing:$missing${gone:+ (and $gone)}; run as root, or 'sudo apt-get install --reinstall$missing$broken'"
export DEBIAN_FRONTEND=noninteractive
if [ -n "$missing" ]; then
	note "installing:$missing"
	{ apt-get update -q && apt-get install -y -q --no-install-recommends $missing; } \
		> "$BUILD/apt.log" 2>&1 ||
		die "apt-get could not install$missing (see $BUILD/apt.log); install them by hand"
fi
if [ -n "$broken" ]; then
	note "installing again, as these are missing: $gone"
	apt-get install -y -q --no-install-recommends --reinstall $broken \
		>> "$BUILD/apt.log" 2>&1 ||
		die "apt-get could not reinstall$broken (see $BUILD/apt.log); install them by hand"
fi
still=$(absent | tr '\n' ' ')
[ -z "$still" ] || die "still missing after apt-get: $still(see $BUILD/apt.log)"
