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
[ "$want" = "$(assembled_tree)" ] && exit 0
changed=$(checkout_tree "$want")
note "assembled build/src: $changed path(s) updated"
