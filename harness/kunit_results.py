#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turn the JSON of `kunit.py run/parse --json` into one PASS:/FAIL:/SKIP:
line per test case, so every case counts in the summary of `make check`.

usage: kunit_results.py LABEL RESULTS.json
"""
import json
import sys


def leaves(group, path):
    for case in group.get("test_cases", []):
        yield path + [case["name"]], case["status"]
    for sub in group.get("sub_groups", []):
        yield from leaves(sub, path + [sub["name"]])


def main():
    label, path = sys.argv[1], sys.argv[2]
    try:
        with open(path) as f:
            results = json.load(f)
    except (OSError, ValueError) as err:
        print(f"FAIL: {label}: no KUnit results ({err})")
        return 1
    verdicts = {"PASS": "PASS", "SKIP": "SKIP"}
    count = failed = 0
    for names, status in leaves(results, []):
        verdict = verdicts.get(status, "FAIL")
        print(f"{verdict}: {label}: {'.'.join(names)}")
        count += 1
        failed += verdict == "FAIL"
    if count == 0:
        print(f"FAIL: {label}: the run reported no test case")
        return 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
