#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# guest.sh [ours|base]: configure and build the x86_64 guest kernel and its
# modules.  "ours" builds the assembled tree (build/src) into build/guest;
# "base" builds the unmodified base (a worktree of the "base" tag) into
# build/base-guest, with the same configuration, for side-by-side benchmarks.
# FLAVOR (lib.sh) picks the configuration's last fragment; flavors other
# than the default build into build/guest-FLAVOR (build/base-guest-FLAVOR).
# Nothing is rebuilt when neither the tree nor the configuration changed.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$REPO/harness/tree.sh"

kind=${1:-ours}
check_flavor
fragments=$REPO/harness/configs/guest.config
case $kind in
ours)
	tree=$SRC
	out=$(guest_dir ours)
	fragments="$fragments $REPO/harness/configs/guest-ours.config"
	"$REPO/harness/assemble.sh"
	tree_id=$(assembled_tree)
	;;
base)
	ensure_base
	tree=$BUILD/base-src
	out=$(guest_dir base)
	[ -d "$tree" ] || sgit worktree add -q --detach "$tree" base
	tree_id=$(git -C "$tree" rev-parse 'HEAD^{tree}')
	;;
*)
	die "unknown guest kind '$kind': use 'ours' or 'base'"
	;;
esac
fragments="$fragments $REPO/harness/configs/flavor-$FLAVOR.config"

kmake() {
	make -s -C "$tree" O="$out" ARCH=x86_64 CC="ccache gcc" HOSTCC="ccache gcc" \
		-j"$(nproc)" "$@"
}

# Configure: tinyconfig, then our fragments, then check that every option
# the fragments ask for survived olddefconfig (a missing dependency drops
# it silently otherwise).
config_id=$(cat $fragments | sha1sum | cut -c1-40)
if [ "$(cat "$out/.config.id" 2>/dev/null)" != "$config_id" ]; then
	note "configuring $kind guest kernel ($FLAVOR)"
	mkdir -p "$out"
	kmake tinyconfig >/dev/null
	"$tree/scripts/kconfig/merge_config.sh" -m -O "$out" "$out/.config" $fragments >/dev/null
	kmake olddefconfig >/dev/null
	missing=$(grep -h '^CONFIG_' $fragments | while read -r want; do
		grep -qxF "$want" "$out/.config" || echo "$want"
	done)
	[ -z "$missing" ] || die "guest config: these options did not stick (a dependency is missing): $(echo $missing)"
	echo "$config_id" > "$out/.config.id"
	rm -f "$out/.built"
fi

built_id="$tree_id $config_id"
if [ "$(cat "$out/.built" 2>/dev/null)" = "$built_id" ]; then
	exit 0
fi

kbuild_lock
note "building $kind guest kernel ($FLAVOR; ccache: $CCACHE_DIR)"
kmake bzImage modules
rm -rf "$out/modules-root"
kmake INSTALL_MOD_PATH="$out/modules-root" INSTALL_MOD_STRIP=1 modules_install >/dev/null
echo "$built_id" > "$out/.built"
