#!/bin/sh
# Devices go and come while device_shutdown() runs, and the knob flips.
# Once the first callback has started, the simulator's racer thread
# unregisters the 'remove' devices: sync and async leaves, and parents
# whose children stay (mid0's).  After each removal it flips
# driver_core.async_shutdown through sysfs.  Then it registers the 'late'
# devices under hold, which cannot start before they are done: it waits
# for gate, and gate for the racer.
load-sim flip_knob=1 topology="br:sync,delay=1;hold:parent=br,sync,delay=1;gate:parent=hold,async,gate;late*3:parent=hold,async,late,delay=5;lsync*2:parent=hold,sync,late,delay=2;mid*3:parent=br,async,delay=10,remove;kid*6:parent=mid0,async,delay=30;rm*8:parent=br,async,delay=30,remove;sy*4:parent=br,sync,delay=5,remove"
