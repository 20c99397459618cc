#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Write the work as a git format-patch series against the base, with a
# cover letter, into build/series.  Each commit of this repository that
# changes the assembled kernel tree becomes one patch, with its message;
# commits that touch only the harness are left out.  Uncommitted changes,
# if any, become a last "WIP" patch.
#
# series.sh --check: also run scripts/checkpatch.pl --strict on every
# patch; prints one PASS:/FAIL: line per patch (errors fail, warnings are
# reported) and exits non-zero on any error.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$REPO/harness/tree.sh"

mkdir -p "$BUILD"
ensure_base
out=$BUILD/series
signoff="$(git -C "$REPO" config user.name) <$(git -C "$REPO" config user.email)>"

# commit_onto PARENT TREE MESSAGE [COMMIT]: a commit of TREE on PARENT,
# with the author and date of our COMMIT, and a Signed-off-by if missing.
commit_onto() {
	local msg=$3
	grep -q '^Signed-off-by: ' <<< "$msg" || msg=$(printf '%s\n\nSigned-off-by: %s' "$msg" "$signoff")
	if [ -n "${4:-}" ]; then
		GIT_AUTHOR_NAME=$(git -C "$REPO" log -1 --format=%an "$4") \
		GIT_AUTHOR_EMAIL=$(git -C "$REPO" log -1 --format=%ae "$4") \
		GIT_AUTHOR_DATE=$(git -C "$REPO" log -1 --format=%aD "$4") \
		GIT_COMMITTER_DATE=$(git -C "$REPO" log -1 --format=%cD "$4") \
			sgit commit-tree "$2" -p "$1" <<< "$msg"
	else
		sgit commit-tree "$2" -p "$1" <<< "$msg"
	fi
}

head=$(sgit rev-parse base)
for commit in $(git -C "$REPO" rev-list --reverse HEAD); do
	tree=$(compose_tree "$commit")
	[ "$tree" = "$(sgit rev-parse "$head^{tree}")" ] && continue
	head=$(commit_onto "$head" "$tree" "$(git -C "$REPO" log -1 --format=%B "$commit")" "$commit")
done
tree=$(compose_tree "")
if [ "$tree" != "$(sgit rev-parse "$head^{tree}")" ]; then
	echo "warning: uncommitted changes go into a last WIP patch" >&2
	head=$(commit_onto "$head" "$tree" "WIP: uncommitted changes")
fi
sgit update-ref refs/heads/series "$head"

rm -rf "$out"
count=$(sgit rev-list --count base..series)
[ "$count" -gt 0 ] || die "no commit of ours changes the kernel tree yet: nothing to send"
sgit format-patch -q --cover-letter --thread -o "$out" base..series
cover=$(ls "$out"/0000-*.patch)
# The cover letter's subject and blurb come from harness/cover-letter.txt:
# its first line is the subject, the rest the blurb.
subject=$(head -n1 "$REPO/harness/cover-letter.txt")
sed -n '3,$p' "$REPO/harness/cover-letter.txt" > "$out/blurb"
sed -i -e "s|\*\*\* SUBJECT HERE \*\*\*|$subject|" \
       -e "/\*\*\* BLURB HERE \*\*\*/{r $out/blurb
d}" "$cover"
rm -f "$out/blurb"
note "series: $count patch(es) and a cover letter in $out"

[ "${1:-}" = --check ] || exit 0
failed=0
for p in "$out"/0*.patch; do
	[ "$p" = "$cover" ] && continue
	# Debian's python3, which has ply for checkpatch's SPDX check.
	report=$(cd "$SRC" && PATH=/usr/bin:$PATH ./scripts/checkpatch.pl --strict -q "$p" 2>&1 || true)
	errors=$(grep -c '^ERROR:' <<< "$report" || true)
	warnings=$(grep -c -E '^(WARNING|CHECK):' <<< "$report" || true)
	if [ "$errors" = 0 ]; then
		echo "PASS: checkpatch $(basename "$p"): 0 errors, $warnings warnings/checks"
	else
		echo "FAIL: checkpatch $(basename "$p"): $errors errors, $warnings warnings/checks"
		failed=1
	fi
	[ -z "$report" ] || sed 's/^/    | /' <<< "$report"
done
exit "$failed"
