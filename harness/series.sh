#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Write the series into build/series as git format-patch would, against
# the base, with a cover letter: one patch per file of harness/series/
# (see its README), each adding the files and upstream edits its plan
# names, with the file's text as its message.  The files we own are taken
# from the working tree, so the series is what would be tested now.
#
# series.sh --check: also run scripts/checkpatch.pl --strict on every
# patch; prints one PASS:/FAIL: line per patch.  A patch passes with no
# error, warning or check but those of a type its plan keeps with a reason
# ("%% checkpatch: TYPE reason").
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$REPO/harness/tree.sh"

mkdir -p "$BUILD"
ensure_base
out=$BUILD/series
plan=$REPO/harness/series
signoff="$(git -C "$REPO" config user.name) <$(git -C "$REPO" config user.email)>"

plan_steps() {
	ls "$plan"/[0-9]*.txt 2>/dev/null | sort
}

# plan_field STEP KEY: the words of the step's "%% KEY:" lines.
plan_field() {
	sed -n "s/^%% $2: *//p" "$1" | tr ' ' '\n' | sed '/^$/d'
}

# The files we own that a "%% files:" word names: itself, or every file
# we own under it if it is a directory.
expand_files() {
	local word
	while read -r word; do
		case $word in
		*/) owned_files | grep -F -- "$word" | grep "^$word" || true ;;
		*) echo "$word" ;;
		esac
	done
}

# Each file we own, and each patch of patches/series, in exactly one step.
check_plan() {
	local step f p
	[ -n "$(plan_steps)" ] || die "harness/series has no plan: nothing to send"
	for step in $(plan_steps); do
		for f in $(plan_field "$step" files | expand_files); do
			[ -f "$REPO/$f" ] || die "harness/series/$(basename "$step") adds $f, which is not a file of ours (any more)"
			echo "$f"
		done
	done | sort > "$BUILD/series.files"
	owned_files | sort > "$BUILD/series.owned"
	f=$(comm -13 "$BUILD/series.files" "$BUILD/series.owned" | head -n 1)
	[ -z "$f" ] || die "no patch of harness/series adds $f: name it in one plan's '%% files:'"
	f=$(uniq -d "$BUILD/series.files" | head -n 1)
	[ -z "$f" ] || die "$f is in more than one patch of harness/series"
	for step in $(plan_steps); do
		for p in $(plan_field "$step" patches); do
			patch_series | grep -qxF -- "$p" ||
				die "harness/series/$(basename "$step") makes patches/$p, which patches/series does not list"
			echo "$p"
		done
	done | sort > "$BUILD/series.patches"
	p=$(patch_series | sort | comm -13 "$BUILD/series.patches" - | head -n 1)
	[ -z "$p" ] || die "no patch of harness/series makes patches/$p: name it in one plan's '%% patches:'"
	p=$(uniq -d "$BUILD/series.patches" | head -n 1)
	[ -z "$p" ] || die "patches/$p is in more than one patch of harness/series"
	rm -f "$BUILD/series.files" "$BUILD/series.owned" "$BUILD/series.patches"
}

# step_tree PARENT_TREE STEP: the tree of PARENT_TREE with what STEP adds.
step_tree() {
	local parent=$1 step=$2 index p f mode
	index=$(mktemp "$BUILD/series-index.XXXXXX")
	rm -f "$index"
	GIT_INDEX_FILE=$index sgit read-tree "$parent"
	for p in $(plan_field "$step" patches); do
		GIT_INDEX_FILE=$index sgit apply --cached "$REPO/patches/$p" 2>"$index.err" || {
			sed 's/^/    /' "$index.err" >&2
			rm -f "$index" "$index.err"
			die "harness/series/$(basename "$step"): patches/$p does not apply on the patches before it"
		}
	done
	for f in $(plan_field "$step" files | expand_files); do
		mode=100644
		[ -x "$REPO/$f" ] && mode=100755
		printf '%s %s\t%s\n' "$mode" "$(sgit hash-object -w --no-filters "$REPO/$f")" "$f"
	done | GIT_INDEX_FILE=$index sgit update-index --add --index-info
	GIT_INDEX_FILE=$index sgit write-tree
	rm -f "$index" "$index.err"
}

# commit_onto PARENT TREE MESSAGE: a commit of TREE on PARENT, by the
# author of our last commit, with a Signed-off-by.
commit_onto() {
	local msg=$3
	grep -q '^Signed-off-by: ' <<< "$msg" || msg=$(printf '%s\n\nSigned-off-by: %s' "$msg" "$signoff")
	GIT_AUTHOR_NAME=$(git -C "$REPO" log -1 --format=%an) \
	GIT_AUTHOR_EMAIL=$(git -C "$REPO" log -1 --format=%ae) \
	GIT_AUTHOR_DATE=$(git -C "$REPO" log -1 --format=%aD) \
	GIT_COMMITTER_DATE=$(git -C "$REPO" log -1 --format=%cD) \
		sgit commit-tree "$2" -p "$1" <<< "$msg"
}

check_plan
head=$(sgit rev-parse base)
tree=$(sgit rev-parse 'base^{tree}')
for step in $(plan_steps); do
	tree=$(step_tree "$tree" "$step")
	head=$(commit_onto "$head" "$tree" "$(grep -v '^%% ' "$step")")
done
[ "$tree" = "$(compose_tree "")" ] ||
	die "the last patch of harness/series is not the assembled tree: $(sgit diff --stat "$tree" "$(compose_tree "")" | tail -n 1)"
sgit update-ref refs/heads/series "$head"

rm -rf "$out"
count=$(sgit rev-list --count base..series)
[ "$count" -gt 0 ] || die "no commit of ours changes the kernel tree yet: nothing to send"
sgit format-patch -q --cover-letter --thread -o "$out" base..series
cover=$(ls "$out"/0000-*.patch)
# The cover letter: its subject and first paragraphs come from
# harness/cover-letter.txt, the rest (base, bench table, what is tested)
# is generated by harness/cover_letter.py.
subject=$(head -n1 "$REPO/harness/cover-letter.txt")
"$REPO/harness/cover_letter.py" "$REPO" "$(cat "$SRC/.git/base-version")" > "$out/blurb"
sed -i -e "s|\*\*\* SUBJECT HERE \*\*\*|$subject|" \
       -e "/\*\*\* BLURB HERE \*\*\*/{r $out/blurb
d}" "$cover"
rm -f "$out/blurb"
# Below each patch's "---": the checkpatch reports its plan keeps, and why.
i=0
for step in $(plan_steps); do
	i=$((i + 1))
	kept=$(sed -n 's/^%% checkpatch: //p' "$step")
	[ -n "$kept" ] || continue
	p=$(ls "$out"/"$(printf '%04d' "$i")"-*.patch)
	printf 'checkpatch --strict reports, kept:\n%s\n\n' "$(sed 's/^/  /' <<< "$kept")" > "$out/kept"
	sed -i -e "0,/^---\$/{/^---\$/r $out/kept
}" "$p"
	rm -f "$out/kept"
done
note "series: $count patch(es) and a cover letter in $out"

[ "${1:-}" = --check ] || exit 0
failed=0
i=0
for step in $(plan_steps); do
	i=$((i + 1))
	p=$(ls "$out"/"$(printf '%04d' "$i")"-*.patch)
	kept=$(sed -n 's/^%% checkpatch: \([A-Z_]*\).*/\1/p' "$step" | tr '\n' ' ')
	# Debian's python3, which has ply for checkpatch's SPDX check.
	report=$(cd "$SRC" && PATH=/usr/bin:$PATH ./scripts/checkpatch.pl --strict --show-types -q "$p" 2>&1 || true)
	types=$(sed -n 's/^\(ERROR\|WARNING\|CHECK\):\([A-Z_]*\):.*/\2/p' <<< "$report" | sort -u | paste -sd ' ')
	unkept=
	for t in $types; do
		case " $kept " in
		*" $t "*) ;;
		*) unkept="$unkept $t" ;;
		esac
	done
	errors=$(grep -c '^ERROR:' <<< "$report" || true)
	others=$(grep -c -E '^(WARNING|CHECK):' <<< "$report" || true)
	if [ -z "$unkept" ] && [ "$errors" = 0 ]; then
		echo "PASS: checkpatch $(basename "$p"): $errors errors, $others warnings/checks${types:+, all of a kind kept with a reason: $types}"
	else
		echo "FAIL: checkpatch $(basename "$p"): $errors errors, $others warnings/checks, of kinds its plan does not keep:$unkept"
		failed=1
	fi
	[ -z "$report" ] || sed 's/^/    | /' <<< "$report"
done
exit "$failed"
