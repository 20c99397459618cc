#!/bin/sh
# sim-pipelines, with the other pipeline registered first.
load-sim topology="t2:async,delay=1000;s2:parent=t2,sync,delay=1;b2:parent=s2,async,delay=100;t1:async,delay=100;s1:parent=t1,sync,delay=1;b1:parent=s1,async,delay=1000" report_devices=0
