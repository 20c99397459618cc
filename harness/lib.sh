# SPDX-License-Identifier: GPL-2.0
# Shared settings for the harness scripts; sourced, never run.

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$REPO/build}
SRC=$BUILD/src
TARBALL=${TARBALL:-/usr/src/linux-source-6.12.tar.xz}
# The base this series was developed and tested against.
BASE_VERSION=$(cat "$REPO/harness/BASE_VERSION")
# Top-level directories of the kernel tree that hold files we own.
OWNED_DIRS="Documentation drivers include kernel lib tools"
export REPO BUILD
export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/ccache}
# Hash paths relative to the checkout, so a fresh clone hits the cache
# that an earlier clone filled.
export CCACHE_BASEDIR=$REPO CCACHE_NOHASHDIR=1

die() {
	echo "error: $*" >&2
	exit 1
}

note() {
	echo "== $*"
}

# git inside the assembled tree, with our repository's objects reachable
# (see assemble.sh), so blobs of ours can be named by hash.
sgit() {
	git -C "$SRC" "$@"
}

# Files we own: tracked or untracked-but-not-ignored files of this
# repository under the kernel directories, one per line.
owned_files() {
	git -C "$REPO" ls-files --cached --others --exclude-standard -- $OWNED_DIRS |
		while read -r f; do [ -f "$REPO/$f" ] && echo "$f"; done
}

# The patch names of a series file read on stdin, without comments or
# blank lines.
series_names() {
	sed -e 's/#.*//' -e '/^[[:space:]]*$/d'
}

# The patch series of the working tree, in order.
patch_series() {
	series_names < "$REPO/patches/series"
}

# The guest configuration: harness/configs/flavor-$FLAVOR.config on top of
# the common fragments.  "lockdep" is the one make check boots everything
# on; the others (kasan, kcsan, rt, nodebug) are built beside it.
FLAVOR=${FLAVOR:-lockdep}
export FLAVOR

# check_flavor: refuse a flavor that has no fragment, naming those that do.
check_flavor() {
	[ -f "$REPO/harness/configs/flavor-$FLAVOR.config" ] && return
	die "FLAVOR=$FLAVOR is not known: pick one of $(cd "$REPO/harness/configs" &&
		ls flavor-*.config | sed 's/^flavor-//; s/\.config$//' | tr '\n' ' ')"
}

# flavor_suffix [SEP]: nothing for the default flavor, SEP (default "-")
# and the flavor's name otherwise; it tells the builds of flavors apart.
flavor_suffix() {
	[ "$FLAVOR" = lockdep ] || echo "${1:--}$FLAVOR"
}

# guest_dir KIND: where the guest kernel of KIND (ours or base) is built.
guest_dir() {
	if [ "$1" = base ]; then
		echo "$BUILD/base-guest$(flavor_suffix)"
	else
		echo "$BUILD/guest$(flavor_suffix)"
	fi
}

# initramfs_path KIND: the initramfs that goes with guest_dir KIND.
initramfs_path() {
	if [ "$1" = base ]; then
		echo "$BUILD/initramfs-base$(flavor_suffix).cpio.gz"
	else
		echo "$BUILD/initramfs$(flavor_suffix).cpio.gz"
	fi
}

# boot_log SCENARIO KIND: the console log of a boot; the base kernel's
# logs carry a .base suffix, so that the two kernels' logs sit side by
# side, and the logs of other flavors a suffix of their own.
boot_log() {
	if [ "$2" = base ]; then
		echo "$BUILD/logs/$1.base$(flavor_suffix .).log"
	else
		echo "$BUILD/logs/$1$(flavor_suffix .).log"
	fi
}

# One kernel build at a time on this machine: every build holds this lock.
kbuild_lock() {
	exec 9>/tmp/kbuild.lock
	flock 9
}
