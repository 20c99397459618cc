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

# boot_log SCENARIO KIND: the console log of a boot; the base kernel's
# logs carry a .base suffix, so that the two kernels' logs sit side by side.
boot_log() {
	if [ "$2" = base ]; then
		echo "$BUILD/logs/$1.base.log"
	else
		echo "$BUILD/logs/$1.log"
	fi
}

# One kernel build at a time on this machine: every build holds this lock.
kbuild_lock() {
	exec 9>/tmp/kbuild.lock
	flock 9
}
