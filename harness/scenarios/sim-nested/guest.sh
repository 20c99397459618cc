#!/bin/sh
# 1000 async devices whose callbacks each schedule an async call and wait
# for it: 500 in the default domain, by its cookie, 500 in a domain of
# their own.  More chains than async_wq runs at once: the calls they wait
# for must not queue behind them.
load-sim topology="d*500:async,nested=dfl;o*500:async,nested=own" report_devices=0
