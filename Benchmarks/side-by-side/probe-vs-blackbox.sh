#!/usr/bin/env bash
# Side by side: /probe throughput of Outpost and of blackbox_exporter (the Debian
# `prometheus-blackbox-exporter` package), both probing the same local nginx over HTTP with
# the same module (a fresh connection per probe), driven by `wrk` with 8 concurrent scrapers.
#
# Each exporter runs alone during its measurement (the other is idle), after a short warm-up.
# Printed per exporter: probes/s, and the exporter's own CPU time (user + system, from
# /proc/<pid>/stat) per probe. nginx and wrk share the machine but are not counted.
#
# Usage: Benchmarks/side-by-side/probe-vs-blackbox.sh [seconds per measurement, default 20] [rounds, default 1]
# Needs: swift build -c release --product outpost; apt-get install nginx prometheus-blackbox-exporter wrk
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-20}
rounds=${2:-1}
outpost=.build/release/outpost
blackbox=$(command -v prometheus-blackbox-exporter || command -v blackbox_exporter || true)
[ -x "$outpost" ] || { echo "build first: swift build -c release --product outpost" >&2; exit 1; }
[ -n "$blackbox" ] || { echo "needs the prometheus-blackbox-exporter package" >&2; exit 1; }
command -v nginx >/dev/null || { echo "needs the nginx package" >&2; exit 1; }
command -v wrk >/dev/null || { echo "needs the wrk package" >&2; exit 1; }

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
nginx_port=$(free_port); blackbox_port=$(free_port); outpost_port=$(free_port)
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"' EXIT

cat > "$work/nginx.conf" <<CONF
daemon on;
worker_processes 1;
pid $work/nginx.pid;
error_log $work/nginx-error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $work/body; proxy_temp_path $work/proxy; fastcgi_temp_path $work/fastcgi;
  uwsgi_temp_path $work/uwsgi; scgi_temp_path $work/scgi;
  server {
    listen 127.0.0.1:$nginx_port backlog=4096;
    location / { default_type text/plain; return 200 "ok\n"; }
  }
}
CONF
nginx -c "$work/nginx.conf"
target="http://127.0.0.1:$nginx_port/"

cat > "$work/blackbox.yml" <<YML
modules:
  http_2xx:
    prober: http
    timeout: 5s
    http: {preferred_ip_protocol: ip4}
YML
cat > "$work/outpost.yml" <<YML
web: {listen_address: 127.0.0.1:$outpost_port}
storage: {path: $work/outpost-data}
modules:
  http_2xx:
    prober: http
    timeout: 5s
    http: {preferred_ip_protocol: ip4}
probe_endpoint:
  allowed_targets: [127.0.0.0/8]
YML

"$blackbox" --config.file "$work/blackbox.yml" --web.listen-address "127.0.0.1:$blackbox_port" \
  --log.level warn 2>"$work/blackbox.log" &
blackbox_pid=$!
"$outpost" --config.file "$work/outpost.yml" --log.level warn 2>"$work/outpost.log" &
outpost_pid=$!

wait_ready() {
  for _ in $(seq 100); do curl -sf "$1" -o /dev/null && return 0; sleep 0.1; done
  echo "not ready: $1" >&2; exit 1
}
probe_url() { echo "http://127.0.0.1:$1/probe?target=$target&module=http_2xx"; }
wait_ready "$(probe_url $blackbox_port)"
wait_ready "$(probe_url $outpost_port)"
for port in $blackbox_port $outpost_port; do
  curl -s "$(probe_url $port)" | grep -q '^probe_success 1' || { echo "probe via port $port failed" >&2; exit 1; }
done

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
ticks_per_second=$(getconf CLK_TCK)

# Prints "probes/s µs-CPU/probe" for one exporter.
measure() {
  local pid=$1 port=$2
  wrk -t 2 -c 8 -d 3s "$(probe_url "$port")" >/dev/null
  local before after output requests
  before=$(cpu_ticks "$pid")
  output=$(wrk -t 2 -c 8 -d "${seconds}s" "$(probe_url "$port")")
  after=$(cpu_ticks "$pid")
  if grep -q "Non-2xx" <<<"$output"; then echo "errors during the run: $output" >&2; exit 1; fi
  requests=$(awk '/requests in/ {print $1}' <<<"$output")
  awk -v r="$requests" -v s="$seconds" -v t=$((after - before)) -v hz="$ticks_per_second" \
    'BEGIN { printf "%.0f %.1f\n", r / s, t / hz / r * 1e6 }'
}

echo "nginx on :$nginx_port; 8 concurrent scrapers (wrk -t 2 -c 8), ${seconds}s per measurement, $rounds round(s)"
for round in $(seq "$rounds"); do
  read -r bb_rate bb_cpu < <(measure $blackbox_pid $blackbox_port)
  read -r op_rate op_cpu < <(measure $outpost_pid $outpost_port)
  printf 'round %d: blackbox_exporter %6d probes/s, %6.1f µs CPU/probe | outpost %6d probes/s, %6.1f µs CPU/probe | ratio %.2fx\n' \
    "$round" "$bb_rate" "$bb_cpu" "$op_rate" "$op_cpu" "$(awk -v a="$op_rate" -v b="$bb_rate" 'BEGIN {print a / b}')"
done
