#!/bin/sh
# One device takes far longer than the watchdog allows.
load-sim topology="hung:async,delay=4000;quick*4:async,delay=100;after:sync,delay=10"
