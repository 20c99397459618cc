# SPDX-License-Identifier: GPL-2.0
#
# Build, boot and test the async-shutdown series on the Debian 6.12 base.
# Everything happens under build/ (git-ignored); the scripts are in harness/.
#
#   make                      build the guest, boot it, power it off, show shutdown
#                             and draw it as build/shutdown.svg
#   make check                every test; ends with "N passed, N failed, N skipped"
#   make check-full           every scenario on the kasan, kcsan, rt, nodebug guests
#   make boot SCENARIO=NAME   one boot scenario (harness/scenarios/NAME)
#   make kunit [FILTER=GLOB]  our KUnit suites under UML
#   make series               the patch series (harness/series/) into build/series
#   make series-check         build every step of the series, run its KUnit
#   make roundtrip            take edits made in build/src back into the repo
#   make bench                base kernel against ours, side by side
#   FLAVOR=kasan|kcsan|rt|nodebug  (with guest, boot, ...) another guest config

H := harness
SCENARIO ?= poweroff
KERNEL ?= ours
FILTER ?=

ifeq ($(filter ours base,$(KERNEL)),)
$(error KERNEL=$(KERNEL) is not known: use KERNEL=ours or KERNEL=base)
endif
ifeq ($(wildcard $(H)/scenarios/$(SCENARIO)/.),)
$(error SCENARIO=$(SCENARIO) is not known: pick one of $(notdir $(wildcard $(H)/scenarios/*)))
endif

.PHONY: all deps assemble guest initramfs boot demo check check-full kunit series series-check roundtrip bench clean distclean

all: demo

deps:
	@$(H)/deps.sh

assemble: deps
	@$(H)/assemble.sh

guest: deps
	@$(H)/guest.sh $(KERNEL)

initramfs: guest
	@$(H)/kselftest.sh
	@$(H)/initramfs.sh $(KERNEL)

boot: initramfs
	@$(H)/boot.sh $(SCENARIO) $(KERNEL)

# The boot that shows the work: power off through device shutdown, print
# what the guest said about it and draw it as build/shutdown.svg.
demo: initramfs
	@$(H)/demo.sh $(SCENARIO) $(KERNEL)

check:
	@$(H)/check.sh

# The reliability run: every scenario on the kasan, kcsan, rt and nodebug
# guests (FLAVORS= picks some), about two hours; not part of check.
check-full:
	@$(H)/check_full.sh $(FLAVORS)

kunit: deps
	@$(H)/kunit.sh $(FILTER)

series: deps
	@$(H)/series.sh

# Each patch of the series builds alone (guest config, allmodconfig on
# its C files) and, where it exists, passes the async KUnit suite.  Slow.
series-check: deps
	@$(H)/series_check.sh

roundtrip:
	@$(H)/roundtrip.sh

# Figures come from the production-like guest unless FLAVOR= says otherwise.
bench: deps
	@FLAVOR=$(or $(FLAVOR),nodebug) $(H)/bench.sh

clean:
	rm -rf build/guest build/guest-* build/base-guest build/base-guest-* build/uml build/kselftest* build/initramfs* build/logs build/series

distclean:
	rm -rf build
