#!/usr/bin/env bash
# Sign-in throughput and an authenticated page under load, on a release `loket serve --demo`
# (SQLite unless a URL is given). 64 sessions sign in through the real form (argon2id verify
# each), then wrk requests /account for 30 s over 64 connections, each with its own session.
# Usage: bench/auth.sh [seconds] [postgres://…/empty-db]. Needs wrk and curl.
set -euo pipefail
bin="$(cd "$(dirname "$0")/.." && pwd)/target/release/loket"
secs="${1:-30}"
url="${2:-}"
work="$(mktemp -d)"
port=$((10000 + RANDOM % 10000))
db_args=(--data-dir "$work")
[ -n "$url" ] && db_args+=(--database-url "$url")
RUST_LOG=warn "$bin" "${db_args[@]}" serve --demo --listen "127.0.0.1:$port" >/dev/null 2>&1 &
pid=$!
trap 'kill -TERM $pid; wait $pid || true; rm -rf "$work"' EXIT
base="http://127.0.0.1:$port"
until curl -fsS "$base/health" >/dev/null 2>&1; do sleep 0.05; done

sign_in() { # $1 = index; prints the session token
  local jar="$work/jar$1"
  curl -s -c "$jar" -b "$jar" "$base/sign-in" >/dev/null
  local csrf; csrf=$(awk '/loket_csrf/ {print $7}' "$jar")
  curl -s -c "$jar" -b "$jar" -o /dev/null -X POST "$base/sign-in" \
    --data-urlencode "email=admin@demo.loket.test" --data-urlencode "password=loket-demo-staff" --data-urlencode "csrf=$csrf"
  awk '/loket_session/ {print $7}' "$jar"
}
export -f sign_in; export work base
start=$(date +%s%N)
seq 1 64 | xargs -P 8 -I{} bash -c 'sign_in {}' > "$work/tokens"
end=$(date +%s%N)
n=$(grep -c . "$work/tokens")
[ "$n" -eq 64 ] || { echo "only $n of 64 sign-ins succeeded"; exit 1; }
ms=$(( (end - start) / 1000000 ))
echo "sign-in: 64 sign-ins over HTTP (8 at a time) in $ms ms: $(( 64000 / (ms > 0 ? ms : 1) )) sign-ins/s"

{
  echo "tokens = {"; sed 's/.*/"&",/' "$work/tokens"; echo "}"
  cat <<'LUA'
counter = 0
setup = function(thread) thread:set("offset", counter); counter = counter + 32 end
init = function(args) n = 0 end
request = function()
  n = n + 1
  local t = tokens[((offset + n) % #tokens) + 1]
  return wrk.format("GET", "/account", { ["Cookie"] = "loket_session=" .. t })
end
LUA
} > "$work/sessions.lua"
echo "== GET /account (signed in, 64 sessions): 64 connections, 2 threads, ${secs}s"
wrk -t2 -c64 -d"${secs}s" --latency -s "$work/sessions.lua" "$base/account" | grep -E "Requests/sec|Latency|99%|Non-2xx|Socket errors"
