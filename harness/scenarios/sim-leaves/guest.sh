#!/bin/sh
# 16 NVMe-like async leaves of 500 ms under one sync bridge.
load-sim topology="br:sync,delay=1;nvme*16:parent=br,async,delay=500"
