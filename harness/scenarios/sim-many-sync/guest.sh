#!/bin/sh
# About 500 devices, none of them async.
load-sim topology="bus:sync;plain*500:parent=bus,sync"
