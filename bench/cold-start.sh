#!/usr/bin/env bash
# Cold start: time from starting `loket serve` to the first healthy GET /health, on an empty
# database and on one of about 1 GB. Usage: bench/cold-start.sh [postgres://…/empty-db]
# (SQLite when no URL is given). Needs a release build: cargo build --release.
set -euo pipefail
bin="$(cd "$(dirname "$0")/.." && pwd)/target/release/loket"
url="${1:-}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
db_args=(--data-dir "$work")
[ -n "$url" ] && db_args+=(--database-url "$url")

measure() {
  local port=$((10000 + RANDOM % 10000))
  local start end
  start=$(date +%s%N)
  "$bin" "${db_args[@]}" serve --listen "127.0.0.1:$port" >/dev/null 2>&1 &
  local pid=$!
  until curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1; do sleep 0.005; done
  end=$(date +%s%N)
  kill -TERM "$pid"; wait "$pid" || true
  echo $(( (end - start) / 1000000 ))
}

"$bin" "${db_args[@]}" migrate >/dev/null
runs=5
echo -n "cold start, empty database: "
for _ in $(seq $runs); do measure; done | sort -n | awk '{a[NR]=$1} END {print "median " a[int((NR+1)/2)] " ms (min " a[1] ", max " a[NR] ")"}'
"$bin" "${db_args[@]}" bench fill --megabytes "${FILL_MB:-1024}"
sync
echo -n "cold start, $("$bin" "${db_args[@]}" bench fill --megabytes 0 | sed 's/.*database \([0-9]*\) MiB.*/\1/') MiB database: "
for _ in $(seq $runs); do measure; done | sort -n | awk '{a[NR]=$1} END {print "median " a[int((NR+1)/2)] " ms (min " a[1] ", max " a[NR] ")"}'
