#!/usr/bin/env bash
# Side by side: `sum by (job) (rate(x[5m]))` over the same 10,000 counters (10 jobs, 1,000
# instances each, 1h of samples at 15 s), as an instant query at the last sample and as a 1h
# range query at 15 s steps, in Outpost and in Prometheus (the Debian `prometheus` package).
#
# outpost-bench writes its benchmark samples as OpenMetrics; promtool turns them into a block
# that Prometheus serves from 127.0.0.1, queried over its HTTP API (one keep-alive connection,
# warmed up first; median client wall time, and Prometheus's own `stats=all` timings). Outpost
# has no import path, so its side is the `outpost-bench promql.sum_by_job_rate_5m` cases: the
# identical samples appended to a TSDB head and the engine timed in process.
# The storage differs: Prometheus reads a persisted block (mmapped chunks), Outpost its
# in-memory head.
#
# Usage: Benchmarks/side-by-side/query-vs-prometheus.sh [timed queries per case, default 30]
# Needs a release build: swift build -c release --product outpost-bench
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-30}
bench=.build/release/outpost-bench
[ -x "$bench" ] || { echo "build first: swift build -c release --product outpost-bench" >&2; exit 1; }
command -v prometheus >/dev/null && command -v promtool >/dev/null \
  || { echo "needs the prometheus package (prometheus and promtool)" >&2; exit 1; }

work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
port=19590
# The samples run from 3600 s to 7185 s after the epoch (PromQLBenchmarks.firstTimestamp, lastTimestamp).
end=7185
start=$((end - 3600))

"$bench" --write-promql-openmetrics "$work/data.om"
promtool tsdb create-blocks-from openmetrics "$work/data.om" "$work/prometheus-data" >"$work/promtool.log"
echo "global: {}" >"$work/prometheus.yml"
# Retention counts back from the newest block, so samples from 1970 stay.
prometheus --config.file "$work/prometheus.yml" --storage.tsdb.path "$work/prometheus-data" \
  --web.listen-address "127.0.0.1:$port" --log.level warn 2>"$work/prometheus.log" &
for _ in $(seq 300); do curl -sf "http://127.0.0.1:$port/-/ready" >/dev/null && break; sleep 0.1; done

python3 - "$port" "$runs" "$start" "$end" "$!" <<'PY'
import http.client, json, os, statistics, sys, time, urllib.parse
port, runs, start, end, pid = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]

def cpu_seconds():
    """The Prometheus process's user and system CPU time."""
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

query = "sum by (job) (rate(x[5m]))"
connection = http.client.HTTPConnection("127.0.0.1", port)
cases = {
    "instant": "/api/v1/query?" + urllib.parse.urlencode({"query": query, "time": end, "stats": "all"}),
    "range_1h_step_15s": "/api/v1/query_range?" + urllib.parse.urlencode(
        {"query": query, "start": start, "end": end, "step": "15", "stats": "all"}),
}
connection.request("GET", "/api/v1/status/buildinfo")
version = json.loads(connection.getresponse().read())["data"]["version"]
for name, path in cases.items():
    walls, evals, totals = [], [], []
    cpu = 0.0
    for run in range(5 + runs):
        if run == 5:
            cpu = cpu_seconds()
        began = time.perf_counter()
        connection.request("GET", path)
        body = connection.getresponse().read()
        wall = time.perf_counter() - began
        reply = json.loads(body)
        if reply["status"] != "success":
            sys.exit(f"prometheus: {reply}")
        result = reply["data"]["result"]
        if len(result) != 10:
            sys.exit(f"prometheus: expected 10 series, got {len(result)}")
        if run < 5:
            continue  # warm-up
        walls.append(wall)
        timings = reply["data"].get("stats", {}).get("timings", {})
        evals.append(timings.get("evalTotalTime", float("nan")))
        totals.append(timings.get("execTotalTime", float("nan")))
    cpu = (cpu_seconds() - cpu) / runs
    print(f"prometheus {version} {name}: {runs} queries; median client wall {statistics.median(walls) * 1000:.1f} ms; "
          f"stats=all median execTotalTime {statistics.median(totals) * 1000:.1f} ms, evalTotalTime {statistics.median(evals) * 1000:.1f} ms; "
          f"process CPU per query (mean, all threads) {cpu * 1000:.1f} ms")
PY
"$bench" promql.sum_by_job_rate_5m | sed 's/^/outpost /'
