#!/usr/bin/env bash
# HTTP under load: wrk with 64 connections for 30 s against GET /health and the home page of a
# release `loket serve` on SQLite. Usage: bench/http.sh [seconds]. Needs wrk (apt-get install wrk).
set -euo pipefail
bin="$(cd "$(dirname "$0")/.." && pwd)/target/release/loket"
secs="${1:-30}"
work="$(mktemp -d)"
port=$((10000 + RANDOM % 10000))
RUST_LOG=warn "$bin" --data-dir "$work" serve --demo --listen "127.0.0.1:$port" >/dev/null 2>&1 &
pid=$!
trap 'kill -TERM $pid; wait $pid || true; rm -rf "$work"' EXIT
until curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1; do sleep 0.05; done
for path in /health /; do
  echo "== GET $path: 64 connections, 2 threads, ${secs}s"
  wrk -t2 -c64 -d"${secs}s" --latency "http://127.0.0.1:$port$path" | grep -E "Requests/sec|Latency|99%|Non-2xx|Socket errors"
done
