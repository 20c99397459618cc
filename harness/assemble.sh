#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Assemble base + patches + our files into build/src, writing only the
# paths that differ from the previous assembly, so kbuild rebuilds only
# what changed.  Edits made inside build/src and not yet taken back with
# 'make roundtrip' are never overwritten.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$REPO/harness/tree.sh"

mkdir -p "$BUILD"
ensure_base

want=$(compose_tree "")
have=$(assembled_tree)
[ "$want" = "$have" ] && exit 0

# Write each changed path, unless the working tree holds something that is
# neither the previous assembly (an edit to take back first) nor the new one.
checkout_index=$BUILD/checkout.index
GIT_INDEX_FILE=$checkout_index sgit read-tree "$want"
changed=0
while IFS=$'\t' read -r status path; do
	now=$(file_blob "$SRC/$path")
	old=$(tree_blob "$have" "$path")
	new=$(tree_blob "$want" "$path")
	[ "$now" = "$new" ] && continue
	if [ "$now" != "$old" ] && [ -z "${FORCE:-}" ]; then
		die "build/src/$path has edits not taken back: run 'make roundtrip' first, or 'make FORCE=1' to drop them"
	fi
	if [ "$status" = D ]; then
		rm -f "$SRC/$path"
	else
		GIT_INDEX_FILE=$checkout_index sgit checkout-index -f -- "$path"
	fi
	changed=$((changed + 1))
done < <(sgit diff-tree -r --no-renames --name-status "$have" "$want")
rm -f "$checkout_index"

echo "$want" > "$BUILD/assembled.tree"
note "assembled build/src: $changed path(s) updated"
