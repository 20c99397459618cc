# SPDX-License-Identifier: GPL-2.0
# Composing trees of base + patches + our files; sourced after lib.sh.
#
# A tree is composed inside a private git index of the assembled tree's
# repository, never in a working tree: the base commit is read in, each
# patch applied with `git apply --cached`, and each file we own added as a
# blob.  The result is a git tree object, so comparing two assemblies, or
# assembling an old commit of ours for the patch series, costs no I/O on
# the 80,000-file working tree.

# The version in the tarball's Makefile; reading it decompresses the whole
# archive, so it is cached against the tarball's size and mtime.
tarball_version() {
	local id cache=$BUILD/tarball.version

	id=$(stat -c '%s %Y' "$TARBALL")
	if [ -f "$cache" ] && [ "$(head -n1 "$cache")" = "$id" ]; then
		sed -n 2p "$cache"
		return
	fi
	printf '%s\n%s\n' "$id" "$(read_tarball_version)" > "$cache"
	sed -n 2p "$cache"
}

read_tarball_version() {
	tar -xOJf "$TARBALL" --wildcards '*/Makefile' --exclude='*/*/*' 2>/dev/null |
		awk '$1 == "VERSION" { v = $3 } $1 == "PATCHLEVEL" { p = $3 }
		     $1 == "SUBLEVEL" { s = $3 } END { print v "." p "." s }'
}

# Extract the tarball into $SRC and make it a git repository whose first
# commit, tagged "base", is the pristine source.
extract_base() {
	local version=$1 tmp=$BUILD/src.new

	note "extracting $TARBALL ($version) into $SRC"
	rm -rf "$tmp" "$SRC" "$BUILD/assembled.tree"
	mkdir -p "$tmp"
	tar -xJf "$TARBALL" -C "$tmp" --strip-components=1
	git -C "$tmp" init -q
	git -C "$tmp" add -A -f
	git -C "$tmp" -c user.name=base -c user.email=base@localhost \
		commit -q -m "Linux $version (Debian linux-source-6.12)"
	git -C "$tmp" tag base
	echo "$version" > "$tmp/.git/base-version"
	mv "$tmp" "$SRC"
}

# Make sure $SRC holds the base of the installed package.
ensure_base() {
	local version

	[ -f "$TARBALL" ] ||
		die "$TARBALL is missing: run 'apt-get install linux-source-6.12' (make deps)"
	version=$(tarball_version)
	[ -n "$version" ] || die "cannot read the kernel version from $TARBALL"
	if [ "$version" != "$BASE_VERSION" ]; then
		echo "note: the installed base is $version; this series was developed against $BASE_VERSION (going on: it must apply)"
	fi
	if [ ! -f "$SRC/.git/base-version" ] ||
	   [ "$(cat "$SRC/.git/base-version")" != "$version" ]; then
		extract_base "$version"
	fi
	# Our repository's objects, so trees of old commits of ours can be
	# composed here by blob hash (series.sh).
	echo "$(git -C "$REPO" rev-parse --path-format=absolute --git-common-dir)/objects" \
		> "$SRC/.git/objects/info/alternates"
}

# compose_tree REV: print the tree object of base + patches + our files as
# of REV, a commit of our repository, or the working tree when REV is "".
compose_tree() {
	local rev=$1 index p
	index=$(mktemp "$BUILD/compose.XXXXXX")
	rm -f "$index"

	GIT_INDEX_FILE=$index sgit read-tree base
	for p in $(series_at "$rev"); do
		patch_at "$rev" "$p" | GIT_INDEX_FILE=$index sgit apply --cached - 2>"$index.err" || {
			cat "$index.err" >&2
			rm -f "$index" "$index.err"
			die "patches/$p no longer applies to base $(cat "$SRC/.git/base-version")${rev:+ (at commit $rev)}: refresh it (edit in build/src, then 'make roundtrip')"
		}
	done
	owned_entries "$rev" | GIT_INDEX_FILE=$index sgit update-index --add --index-info
	GIT_INDEX_FILE=$index sgit write-tree
	rm -f "$index" "$index.err"
}

series_at() {
	if [ -z "$1" ]; then
		patch_series
	else
		git -C "$REPO" show "$1:patches/series" 2>/dev/null | series_names
	fi
}

# The tree build/src was last assembled to (the base before the first).
assembled_tree() {
	cat "$BUILD/assembled.tree" 2>/dev/null || sgit rev-parse 'base^{tree}'
}

# file_blob FILE: the blob hash of FILE's content; nothing if it is missing.
file_blob() {
	[ ! -f "$1" ] || sgit hash-object --no-filters "$1"
}

# tree_blob TREE PATH: the blob hash of PATH in TREE; nothing if it has none.
tree_blob() {
	sgit rev-parse -q --verify "$1:$2" 2>/dev/null || true
}

patch_at() {
	if [ -z "$1" ]; then
		[ -f "$REPO/patches/$2" ] || die "patches/series names $2, but patches/$2 does not exist"
		cat "$REPO/patches/$2"
	else
		git -C "$REPO" show "$1:patches/$2"
	fi
}

# "mode sha<TAB>path" lines, as git update-index --index-info reads them.
owned_entries() {
	local f
	if [ -n "$1" ]; then
		git -C "$REPO" ls-tree -r --full-tree "$1" -- $OWNED_DIRS |
			awk -F'\t' '{ split($1, a, " "); print a[1], a[3] "\t" $2 }'
		return
	fi
	owned_files | while read -r f; do
		index_entry "$f"
	done
}

# index_entry FILE: the index line (mode, blob, path) of FILE, a file we
# own, as it is in the working tree; the blob is written.
index_entry() {
	local mode=100644
	[ -x "$REPO/$1" ] && mode=100755
	printf '%s %s\t%s\n' "$mode" \
		"$(sgit hash-object -w --no-filters "$REPO/$1")" "$1"
}

# checkout_tree WANT: make build/src hold tree WANT, writing only the paths
# that differ from the last tree written there (the assembly, or a step of
# make series-check), unless the working tree holds something that is
# neither that tree nor WANT: an edit to take back first (FORCE=1 drops
# it).  Prints how many paths it wrote.
checkout_tree() {
	local want=$1 have status path now old new changed=0
	local checkout_index=$BUILD/checkout.index

	have=$(assembled_tree)
	GIT_INDEX_FILE=$checkout_index sgit read-tree "$want"
	while IFS=$'\t' read -r status path; do
		now=$(file_blob "$SRC/$path")
		old=$(tree_blob "$have" "$path")
		new=$(tree_blob "$want" "$path")
		[ "$now" = "$new" ] && continue
		if [ "$now" != "$old" ] && [ -z "${FORCE:-}" ]; then
			rm -f "$checkout_index"
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
	echo "$changed"
}
