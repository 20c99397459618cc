#!/bin/sh
# An async parent whose slow child is sync, and an unrelated slow sync
# device that must not hold the chain up.
load-sim topology="p:async,delay=10;c:parent=p,sync,delay=300;other:sync,delay=300"
