#!/bin/sh
# Run every installed kselftest; run_kselftest.sh prints TAP.
cd /kselftest && ./run_kselftest.sh
