#!/bin/sh
# A real client of the async core: async driver probing, as the kernel's
# own test_async_driver_probe checks it (probes of 5 s each, which the
# async driver's registration must not wait for, and the sync one must).
# Prints its verdict and its timings as BENCH: async_probe.
ko=$(find /lib/modules -name test_async_driver_probe.ko | head -n 1)
[ -n "$ko" ] || { echo "HARNESS: test_async_driver_probe.ko missing"; exit 1; }
start=$(cut -d' ' -f1 /proc/uptime)
insmod "$ko"
rc=$?
end=$(cut -d' ' -f1 /proc/uptime)
dmesg | awk -v rc="$rc" -v start="$start" -v end="$end" '
	/registration took [0-9]+ msecs/ {
		match($0, /took [0-9]+ msecs/); t[n++] = substr($0, RSTART + 5, RLENGTH - 11) + 0
	}
	END { printf "BENCH: async_probe ok=%d async_ms=%d async_more_ms=%d sync_ms=%d sync_more_ms=%d total_ms=%d\n",
		rc == 0, t[0], t[1], t[2], t[3], (end - start) * 1000 }'
