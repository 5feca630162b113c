#!/usr/bin/env bash
# Load on `fieldroute serve`: a live day of 50 technicians and 500 visits (the demo generator, seed 7,
# planned with 300 iterations), 20 concurrent clients on loopback with wrk, for
#   - POST /api/dispatch: insert_job what-if ("commit": false), a different site per request (a
#     100 × 100 grid over the city, so no two requests in a run of 10 000 ask the same);
#   - GET /api/day/2026-11-24: the dispatcher's day as JSON.
# Prints wrk's latency percentiles (p50/p95/p99) and throughput for each.
#
#     Benchmarks/serve_load.sh [seconds per run, default 20] [path to fieldroute, default .build/release/fieldroute]
set -euo pipefail
seconds=${1:-20}
bin=${2:-.build/release/fieldroute}
command -v wrk >/dev/null || { echo "serve_load: needs wrk (apt-get install wrk)" >&2; exit 2; }
[ -x "$bin" ] || { echo "serve_load: no $bin; build it with 'make release'" >&2; exit 2; }
dir=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; rm -rf "$dir"' EXIT
"$bin" regions generate --count 1 --technicians 50 --visits 500 --seed 7 --dir "$dir" >/dev/null
db=$(ls "$dir"/*.sqlite | head -1)
"$bin" plan --db "$db" --date 2026-11-24 --iterations 300 >/dev/null
token=$("$bin" staff-token --db "$db" --label load | tail -1)
port=$((20000 + RANDOM % 20000))
"$bin" serve --db "$db" --port "$port" --now 2026-11-24T07:00:00+01:00 >"$dir/serve.log" 2>&1 &
server=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
cat > "$dir/insert.lua" <<LUA
local n = 0
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer $token"
wrk.headers["Content-Type"] = "application/json"
request = function()
  n = n + 1
  local body = string.format('{"op": "insert_job", "date": "2026-11-24", "commit": false, "now": "2026-11-24T07:00:00+01:00", '
    .. '"job": {"id": "B-LOAD-%d", "customer": "C-1001", "lat": %.4f, "lon": %.4f, "duration_min": 20, "windows": ["08:00-18:00"]}}',
    n, 45.70 + (n % 100) * 0.001, 4.79 + (math.floor(n / 100) % 100) * 0.001)
  return wrk.format(nil, "/api/dispatch", nil, body)
end
LUA
cat > "$dir/report.lua" <<'LUA'
done = function(summary, latency, requests)
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format("  %d requests, %d errors, %.1f req/s; latency p50 %.1f ms, p95 %.1f ms, p99 %.1f ms\n",
    summary.requests, errors, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end
LUA
cat "$dir/report.lua" >> "$dir/insert.lua"
printf 'wrk.headers["Authorization"] = "Bearer %s"\n' "$token" > "$dir/day.lua"
cat "$dir/report.lua" >> "$dir/day.lua"
echo "POST /api/dispatch insert_job what-if, 20 connections, ${seconds}s:"
wrk -t 2 -c 20 -d "${seconds}s" -s "$dir/insert.lua" "http://127.0.0.1:$port" | tail -1
echo "GET /api/day/2026-11-24, 20 connections, ${seconds}s:"
wrk -t 2 -c 20 -d "${seconds}s" -s "$dir/day.lua" "http://127.0.0.1:$port/api/day/2026-11-24" | tail -1
