#!/bin/sh
# 1000 async chains, each 3 deep, whose callbacks schedule an async call
# and wait for it: async_synchronize_full() at the top, the default
# domain by cookie in the middle, a domain of their own at the bottom.
load-sim topology="a*1000:async,nested=full;b*1000:parent=a*,async,nested=dfl;c*1000:parent=b*,async,nested=own" report_devices=0
