#!/bin/sh
# Two async -> 1 ms sync -> async pipelines, the slow stage (1 s) at the
# bottom of one and at the top of the other (100 ms for the fast stages).
# Critical path 1101 ms; a fixed sync order takes 2002 ms in one of the two
# registration orders.
load-sim topology="t1:async,delay=100;s1:parent=t1,sync,delay=1;b1:parent=s1,async,delay=1000;t2:async,delay=1000;s2:parent=t2,sync,delay=1;b2:parent=s2,async,delay=100" report_devices=0
