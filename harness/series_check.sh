#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make series-check: each patch of the series (make series) builds alone.
# For each step in turn, build/src is made to hold the tree of that step
# (only the paths that differ are written, so kbuild and ccache rebuild
# only what changed), then:
#   - the guest kernel builds, bzImage and modules, with the guest config
#     (harness/configs: guest, guest-ours, flavor-lockdep; options of ours
#     that the step does not have yet drop out), in build/series-guest;
#   - every C file the step adds or changes compiles under allmodconfig
#     (CONFIG_WERROR included), in build/series-allmod;
#   - where the step has the async KUnit suite, it runs under UML, with
#     the options of harness/configs/kunit.config that the step has, in
#     build/series-uml.
# Prints one PASS:/FAIL: line per check and step, then puts the assembled
# tree back.  Slow: not part of make check.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
. "$REPO/harness/tree.sh"

"$REPO/harness/series.sh" || exit 1
passed=0
guest=$BUILD/series-guest
allmod=$BUILD/series-allmod
uml=$BUILD/series-uml
logs=$BUILD/logs/series-check
rm -rf "$logs"
mkdir -p "$guest" "$allmod" "$uml" "$logs"

# One kernel build at a time on this machine (lib.sh): each make takes
# the lock for itself.
kmake() { # kmake OUT TARGET...
	local out=$1
	shift
	(kbuild_lock
	 make -s -C "$SRC" O="$out" ARCH=x86_64 CC="ccache gcc" HOSTCC="ccache gcc" \
		-j"$(nproc)" "$@")
}

# has_option SYMBOL: the step's tree defines config (or menuconfig) SYMBOL.
has_option() {
	grep -rqsxE --include='Kconfig*' "(menu)?config $1" "$SRC"
}

# verdict OK WHAT LOG: a PASS:/FAIL: line, and the log's tail on failure.
verdict() {
	if [ "$1" = 0 ]; then
		echo "PASS: $2"
		passed=$((passed + 1))
	else
		echo "FAIL: $2; $3:"
		tail -n 25 "$3" | sed 's/^/    | /'
		failed=$((failed + 1))
	fi
}

build_guest() { # build_guest STEP LOG
	local fragments
	fragments="$REPO/harness/configs/guest.config $REPO/harness/configs/guest-ours.config $REPO/harness/configs/flavor-lockdep.config"
	{
		kmake "$guest" tinyconfig &&
		"$SRC/scripts/kconfig/merge_config.sh" -m -O "$guest" "$guest/.config" $fragments &&
		kmake "$guest" olddefconfig &&
		kmake "$guest" bzImage modules
	} > "$2" 2>&1
}

build_allmod() { # build_allmod PREV STEP LOG: the step's kernel C files
	local files f objs=
	files=$(sgit diff --name-only --diff-filter=AM "$1" "$2" -- '*.c' ':!tools/')
	for f in $files; do
		objs="$objs ${f%.c}.o"
	done
	{
		echo "allmodconfig objects:$objs"
		kmake "$allmod" allmodconfig &&
		{ [ -z "$objs" ] || kmake "$allmod" $objs; }
	} > "$3" 2>&1
}

run_kunit() { # run_kunit LOG
	local kunitconfig=$uml.kunitconfig line
	while read -r line; do
		case $line in
		CONFIG_*=*)
			sym=${line%%=*}
			has_option "${sym#CONFIG_}" && echo "$line" ;;
		esac
	done < "$REPO/harness/configs/kunit.config" > "$kunitconfig"
	(kbuild_lock
	 cd "$SRC" && ./tools/testing/kunit/kunit.py run 'async.*' \
		--build_dir="$uml" --kunitconfig="$kunitconfig" \
		--make_options CC="ccache gcc" --make_options HOSTCC="ccache gcc" \
		--jobs "$(nproc)" --timeout 900) > "$1" 2>&1 &&
		grep -q 'Testing complete\. Ran [0-9]* tests: passed: [1-9]' "$1" &&
		! grep -q 'Testing complete.*failed: [1-9]' "$1"
}

failed=0
prev=base
n=0
for step in $(sgit rev-list --reverse base..series); do
	n=$((n + 1))
	subject=$(sgit log -1 --format=%s "$step")
	tag="series-check $n ($subject)"
	FORCE=${FORCE:-} checkout_tree "$(sgit rev-parse "$step^{tree}")" >/dev/null ||
		{ echo "FAIL: $tag: build/src could not be set to the step"; failed=$((failed + 1)); break; }
	build_guest "$step" "$logs/$n.guest.log"
	verdict $? "$tag: the guest kernel builds" "$logs/$n.guest.log"
	build_allmod "$prev" "$step" "$logs/$n.allmod.log"
	verdict $? "$tag: its C files build under allmodconfig ($(sed -n '1s/^allmodconfig objects: *//p' "$logs/$n.allmod.log" | wc -w) objects)" "$logs/$n.allmod.log"
	if has_option ASYNC_KUNIT_TEST; then
		run_kunit "$logs/$n.kunit.log"
		verdict $? "$tag: the async KUnit suite passes under UML ($(grep -o 'Ran [0-9]* tests.*' "$logs/$n.kunit.log" | tail -n 1))" "$logs/$n.kunit.log"
	fi
	prev=$step
done
# The assembled tree again, as every other build expects it.
"$REPO/harness/assemble.sh" >/dev/null
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
