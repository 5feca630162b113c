#!/usr/bin/env bash
# The long model-based concurrency run (issue 13): random book, slot book, cancel, reschedule, plan,
# dispatch insert/cancel/move and pings ingest from three `fieldroute` processes at once on one
# database, every write checked against the day's invariants; then every answered success must be in
# the store. `make test` runs the same test for 20 s.
#
#     Benchmarks/concurrency_soak.sh [seconds, default 120] [seed, default: the clock]
set -euo pipefail
cd "$(dirname "$0")/.."
export FIELDROUTE_SOAK_SECONDS="${1:-120}"
[ -n "${2:-}" ] && export FIELDROUTE_SOAK_SEED="$2"
FIELDROUTE_CHECK=1 swift test --disable-xctest --filter randomOperationsFromSeveralProcessesLoseNothing 2>&1 \
  | grep -E "soak:|Expectation failed|Test run|passed|failed"
