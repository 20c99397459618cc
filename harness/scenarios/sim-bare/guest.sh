#!/bin/sh
# A sync driver that sleeps 500 ms with one bare
# schedule_timeout_uninterruptible(), first in the legacy order, while 16
# async chains of 100 ms finish and make a sync parent ready.
load-sim topology="p:sync,delay=1;k*16:parent=p,async,delay=100;s:sync,bare,delay=500"
