#!/bin/sh
# A hundred thousand random devices, 1% of them async, with device links,
# and callbacks that take no time: what the engine costs on its own.
load-sim random=100000 seed=11 async_percent=1 max_delay=0 report_devices=0
