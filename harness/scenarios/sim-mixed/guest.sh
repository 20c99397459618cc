#!/bin/sh
# 5000 random devices: async, sync and without callback, with links.
load-sim random=5000 seed=7 report_devices=0
