#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install the Debian packages the harness needs, if any is missing.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

packages="linux-source-6.12 gcc make flex bison bc libelf-dev libssl-dev
	cpio xz-utils gzip file git perl python3 python3-ply kmod ccache
	qemu-system-x86 busybox-static linux-perf rsync"

missing=
for p in $packages; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0

mkdir -p "$BUILD"
note "installing:$missing"
[ "$(id -u)" = 0 ] || die "packages missing:$missing; run as root, or 'sudo apt-get install$missing'"
export DEBIAN_FRONTEND=noninteractive
{ apt-get update -q && apt-get install -y -q --no-install-recommends $missing; } \
	> "$BUILD/apt.log" 2>&1 ||
	die "apt-get could not install$missing (see $BUILD/apt.log); install them by hand"
