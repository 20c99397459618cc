#!/bin/sh
# With the kill switch off: strictly the legacy order.
load-sim topology="a:sync,delay=5;b:async,delay=5;c:parent=a,async,delay=5;d:nocb;e:parent=b,sync,delay=5"
