# The two commands of the README: `make demo` and `make test`.
SWIFT ?= swift
DEMO_DB ?= fieldroute-demo.sqlite

.PHONY: demo test deps build release fixtures clean

## Install what is missing, build, and run the demo day.
demo: release
	.build/release/fieldroute demo --db $(DEMO_DB) --time-limit 5
	.build/release/fieldroute bookings list --db $(DEMO_DB) --date 2026-11-24
	.build/release/fieldroute events list --db $(DEMO_DB) --technician T-01
	.build/release/fieldroute report windows --db $(DEMO_DB) --from 2026-11-24 --to 2026-11-24

## Install what is missing, build, and run every test (Swift Testing), every write checked against
## the day's invariants (FIELDROUTE_CHECK=1, in the tests' own stores and in every CLI they start).
test: deps
	FIELDROUTE_CHECK=1 $(SWIFT) test --disable-xctest

deps:
	@./scripts/install-deps.sh

build: deps
	$(SWIFT) build

## The CLI with the Swift runtime linked in: a dispatcher call is one process, and starting one
## costs ~10 ms this way against ~18 ms loading the shared libraries.
release: deps
	$(SWIFT) build -c release --static-swift-stdlib --product fieldroute

## Regenerate Fixtures/demo from the generator (a test checks they match).
fixtures: build
	.build/debug/fieldroute demo --export Fixtures/demo

clean:
	rm -rf .build $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
