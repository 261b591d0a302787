#!/usr/bin/env bash
# Side by side: the same 1,000 alerting rules over the same 10,000 series, evaluated by Outpost
# and by Prometheus (the Debian `prometheus` package), each reporting its own group duration.
#
# The series reach Outpost as StatsD gauges; Prometheus scrapes them from Outpost's /metrics,
# so both evaluate identical data. Each side's `*_rule_group_last_duration_seconds` and CPU
# time are sampled after a warm-up and the medians printed.
#
# Usage: Benchmarks/side-by-side/rules-vs-prometheus.sh [seconds to sample, default 60]
# Needs a release build: swift build -c release --product outpost
set -euo pipefail
cd "$(dirname "$0")/../.."
sample_seconds=${1:-60}
outpost=.build/release/outpost
[ -x "$outpost" ] || { echo "build first: swift build -c release --product outpost" >&2; exit 1; }
command -v prometheus >/dev/null || { echo "needs the prometheus package (scripts/install-deps prometheus)" >&2; exit 1; }

work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
outpost_port=19493; statsd_port=19425; prometheus_port=19490

python3 - "$work" <<'PY'
import sys
work = sys.argv[1]
# 10,000 series: 100 jobs x 100 instances, values 0.0 to 0.9; 1,000 rules, each selecting one
# job (100 series) with a threshold that a tenth of them cross (value 0), so ~9,000 alerts fire.
with open(f"{work}/rules.yml", "w") as f:
    f.write("groups:\n  - name: bench\n    interval: 10s\n    rules:\n")
    for i in range(1000):
        job = i % 100
        f.write(f"      - alert: Bench{i}\n        expr: bench_up{{job=\"j{job}\"}} < {(i % 9 + 1) / 100}\n")
        f.write(f"        for: 1m\n        labels: {{severity: warning}}\n")
        f.write(f"        annotations: {{summary: \"{{{{ $labels.instance }}}} is {{{{ $value }}}}\"}}\n")
with open(f"{work}/statsd.txt", "w") as f:
    for job in range(100):
        for instance in range(100):
            f.write(f"bench_up:{(job * 100 + instance) % 10 / 10}|g|#job:j{job},instance:i{instance}\n")
PY

cat > "$work/outpost.yml" <<YML
global: {scrape_interval: 5s, evaluation_interval: 5s}
web: {listen_address: 127.0.0.1:$outpost_port}
storage: {path: $work/outpost-data}
statsd: {listen_udp: 127.0.0.1:$statsd_port, max_series: 200000}
rule_files: [rules.yml]
YML
cat > "$work/prometheus.yml" <<YML
global: {scrape_interval: 5s, evaluation_interval: 5s}
rule_files: [rules.yml]
scrape_configs:
  - job_name: outpost
    honor_labels: true
    static_configs: [{targets: ["127.0.0.1:$outpost_port"]}]
YML

"$outpost" --config.file "$work/outpost.yml" --log.level warn &
outpost_pid=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$outpost_port/-/ready" >/dev/null && break; sleep 0.1; done
# Gauges keep their value; send twice in case the first datagrams raced the listener.
for _ in 1 2; do python3 - "$work/statsd.txt" "$statsd_port" <<'PY'
import socket, sys
lines = open(sys.argv[1]).read().splitlines()
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(0, len(lines), 20):
    s.sendto("\n".join(lines[i:i + 20]).encode(), ("127.0.0.1", int(sys.argv[2])))
PY
sleep 1; done

prometheus --config.file "$work/prometheus.yml" --storage.tsdb.path "$work/prometheus-data" \
  --web.listen-address "127.0.0.1:$prometheus_port" --log.level warn 2>"$work/prometheus.log" &
prometheus_pid=$!

cpu_seconds() { awk '{print ($14 + $15) / 100}' "/proc/$1/stat"; }
echo "warming up for 30s..."
sleep 30
outpost_cpu0=$(cpu_seconds $outpost_pid); prometheus_cpu0=$(cpu_seconds $prometheus_pid)
outpost_samples=(); prometheus_samples=()
for _ in $(seq $((sample_seconds / 5))); do
  sleep 5
  outpost_samples+=("$(curl -s "http://127.0.0.1:$outpost_port/metrics" | awk '/^outpost_rule_group_last_duration_seconds/ {print $2}')")
  prometheus_samples+=("$(curl -s "http://127.0.0.1:$prometheus_port/metrics" | awk '/^prometheus_rule_group_last_duration_seconds/ {print $2}')")
done
outpost_cpu=$(echo "$(cpu_seconds $outpost_pid) - $outpost_cpu0" | bc -l)
prometheus_cpu=$(echo "$(cpu_seconds $prometheus_pid) - $prometheus_cpu0" | bc -l)
series=$(curl -s "http://127.0.0.1:$outpost_port/api/v1/query" --data-urlencode 'query=count(bench_up)' | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["result"][0]["value"][1])')
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "series: $series, rules: 1000, interval: 10s, sampled: ${sample_seconds}s"
printf 'outpost:    median group evaluation %.1f ms; process CPU %.2f s over the sample\n' \
  "$(echo "$(median "${outpost_samples[@]}") * 1000" | bc -l)" "$outpost_cpu"
printf 'prometheus: median group evaluation %.1f ms; process CPU %.2f s over the sample\n' \
  "$(echo "$(median "${prometheus_samples[@]}") * 1000" | bc -l)" "$prometheus_cpu"
