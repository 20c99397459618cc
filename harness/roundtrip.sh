#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Take edits made inside build/src back into the repository: files we own
# (and new files) are copied back; for upstream files the patch that
# touches them is regenerated from the working tree, keeping its header.
# An upstream file no patch touches yet gets a new patch, appended to
# patches/series.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$REPO/harness/tree.sh"

[ -d "$SRC/.git" ] || die "build/src does not exist yet: run 'make assemble' first"

# Which patch touches which upstream file: "patch<TAB>path" lines.
patch_files() {
	local p
	for p in $(patch_series); do
		sed -n 's|^+++ b/\(.*\)|\1|p' "$REPO/patches/$p" | sed "s|^|$p\t|"
	done
}

# regenerate PATCH: its header (everything before the first diff) followed
# by the diff of all its files between the base and the working tree.
regenerate() {
	local p=$1 file=$REPO/patches/$1 files
	files=$(patch_files | awk -F'\t' -v p="$p" '$1 == p { print $2 }')
	{
		[ -f "$file" ] && sed -n '/^diff --git /q;/^--- a\//q;p' "$file"
		sgit diff --no-color --no-ext-diff base -- $files
	} > "$file.new"
	mv "$file.new" "$file"
	echo "patches/$p regenerated"
}

# Paths whose working-tree content is not what the last assembly wrote:
# candidates are what differs from the base, filtered by blob hash.
edited_paths() {
	local path
	# Debian's top-level .gitignore ignores every new file, so list the
	# untracked ones unfiltered; builds are out of tree, only Python's
	# caches and patch leftovers land in build/src.
	{ sgit diff --name-only base
	  sgit ls-files --others | grep -v -e '__pycache__/' -e '\.orig$' -e '\.rej$'; } |
		sort -u | while read -r path; do
			[ "$(file_blob "$SRC/$path")" = "$(tree_blob "$have" "$path")" ] ||
				echo "$path"
		done
}

have=$(assembled_tree)
copied=0
regen=
while read -r path; do
	if [ -f "$REPO/$path" ] || ! sgit cat-file -e "base:$path" 2>/dev/null; then
		case " $OWNED_DIRS " in
		*" ${path%%/*} "*) ;;
		*) echo "warning: $path is new but outside $OWNED_DIRS; not taken back" >&2
		   continue ;;
		esac
		[ -f "$SRC/$path" ] || { echo "warning: $path was deleted in build/src; delete it here by hand" >&2; continue; }
		ours=$(file_blob "$REPO/$path")
		if [ -n "$ours" ] && [ "$ours" != "$(file_blob "$SRC/$path")" ] &&
		   [ "$ours" != "$(tree_blob "$have" "$path")" ]; then
			die "$path changed both here and in build/src since the last assembly; merge by hand"
		fi
		mkdir -p "$(dirname "$REPO/$path")"
		cmp -s "$SRC/$path" "$REPO/$path" || { cp "$SRC/$path" "$REPO/$path"; copied=$((copied + 1)); }
		continue
	fi
	owners=$(patch_files | awk -F'\t' -v f="$path" '$2 == f { print $1 }')
	case $(echo "$owners" | grep -c .) in
	0)
		p=roundtrip-$(echo "$path" | tr '/.' '--').patch
		echo "$p" >> "$REPO/patches/series"
		printf 'From the round trip: edit of %s. Describe this patch.\n\n' "$path" > "$REPO/patches/$p"
		sgit diff --no-color --no-ext-diff base -- "$path" >> "$REPO/patches/$p"
		echo "patches/$p created for $path and added to patches/series"
		;;
	1)
		regen="$regen $owners"
		;;
	*)
		die "$path is touched by several patches ($(echo $owners)); split the edit by hand"
		;;
	esac
done < <(edited_paths)

for p in $(echo $regen | tr ' ' '\n' | sort -u); do
	regenerate "$p"
done
echo "$copied owned file(s) copied back"
