# The two commands of the README: `make demo` and `make test`.
SWIFT ?= swift
DEMO_DB ?= fieldroute-demo.sqlite

.PHONY: demo test deps build release release-cli fixtures fuzz quality-gate browser-check clean

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
release: release-cli
	$(SWIFT) build -c release --static-swift-stdlib --product fieldroute-serve

## The CLI alone (no HTTP stack): what the quality gate needs.
release-cli: deps
	$(SWIFT) build -c release --static-swift-stdlib --product fieldroute

## Regenerate Fixtures/demo from the generator (a test checks they match).
fixtures: build
	.build/debug/fieldroute demo --export Fixtures/demo

## Fuzz every parser with libFuzzer (Sources/FieldRouteFuzz; seeds in Fixtures/fuzz/NAME, the
## corpus it grows in .build-fuzz/corpus/NAME). FUZZ_SECONDS per parser, or FUZZ_RUNS executions
## (with FUZZ_SECONDS=0: no time limit), e.g. make fuzz FUZZ_CONFIG=release FUZZ_RUNS=10000000 FUZZ_SECONDS=0;
## a crash stops with the input in .build-fuzz/crash-NAME-*.
FUZZ_SECONDS ?= 20
FUZZ_RUNS ?= -1
## debug (default) or release: release runs several times more executions per second.
FUZZ_CONFIG ?= debug
FUZZ_TARGETS ?= solomon vrplib solution pings dispatch settings wkt geojson matrix import vroom mcp
fuzz: deps
	$(SWIFT) build --scratch-path .build-fuzz -c $(FUZZ_CONFIG) -Xswiftc -sanitize=fuzzer,address -Xswiftc -use-ld=lld \
	  -Xlinker --export-dynamic-symbol=LLVMFuzzerRunDriver --product FieldRouteFuzz
	@for t in $(FUZZ_TARGETS); do \
	  mkdir -p .build-fuzz/corpus/$$t; \
	  FUZZ_TARGET=$$t SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=detect_leaks=0 .build-fuzz/$(FUZZ_CONFIG)/FieldRouteFuzz \
	    .build-fuzz/corpus/$$t Fixtures/fuzz/$$t -max_total_time=$(FUZZ_SECONDS) -runs=$(FUZZ_RUNS) \
	    -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 -artifact_prefix=.build-fuzz/crash-$$t- \
	    > .build-fuzz/fuzz-$$t.log 2>&1 \
	    || { tail -40 .build-fuzz/fuzz-$$t.log; echo "fuzz $$t: FAILED (input in .build-fuzz/crash-$$t-*)"; exit 1; }; \
	  echo "fuzz $$t: $$(grep -o 'stat::number_of_executed_units: *[0-9]*' .build-fuzz/fuzz-$$t.log | grep -o '[0-9]*$$') executions, no crash"; \
	done

## The solver quality gate: Benchmarks/baseline.json's fixed-seed, fixed-iteration solves (a few
## Solomon and two GH1000 instances from ../shared, about 80 s on one core), each distance compared
## with the committed one; fails when one is worse by more than 0.1 %. JUnit XML in Benchmarks/results/.
## GATE_ARGS passes options on, e.g. GATE_ARGS=--solve-arg=--average-removed=3 (see --help).
GATE_ARGS ?=
quality-gate: release-cli
	python3 -m unittest discover -s Benchmarks -p 'test_quality_gate.py'
	python3 Benchmarks/quality_gate.py $(GATE_ARGS)

clean:
	rm -rf .build .build-fuzz $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm

## `fieldroute serve` in a real browser (chromium + chromedriver; skips with a message without them):
## a customer cancels and reschedules from their link, the dispatcher's day renders to a checked PNG.
BROWSER_PNG ?= .build/day-view.png
browser-check: build
	python3 Tests/browser/browser_check.py --binary .build/debug/fieldroute --png $(BROWSER_PNG)
