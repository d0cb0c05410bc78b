#!/usr/bin/env bash
# The pages and API lists that exist, under load on a large database: run it on the database
# that `loket bench billing` filled (100,000 customers, 1,000,000 subscriptions and its
# invoices). For each target wrk keeps 64 connections busy for SECONDS, every request signed in
# with one of 64 sessions (customers' owners, spread over the cards) or the admin's session or
# API token, and the script prints one table row: requests per second, p50, p99, max, errors,
# and loket's own CPU time per request (all its threads; the steadiest figure on a busy machine),
# on PostgreSQL also the database server's (all its processes on this machine).
#
#   cargo run --release -- --data-dir /tmp/b2 bench billing        # once, builds the data
#   cargo run --release -- --data-dir /tmp/b2 bench usage          # and 1,000,000 usage points
#   cargo run --release -- --data-dir /tmp/b2 bench tickets        # and 1,000,000 tickets
#   bench/pages.sh /tmp/b2 [SECONDS]                              # SQLite
#   bench/pages.sh postgres://postgres@127.0.0.1/bench2 [SECONDS]  # PostgreSQL
#   ONLY=tickets bench/pages.sh /tmp/b2                            # only the targets naming tickets
#   ONLY='health,(dashboard),state=,{sid},q=<name,(work' bench/pages.sh /tmp/b2   # issue 10's five
#   LOKET_BIN=/tmp/loket-before bench/pages.sh /tmp/b2             # another build, to compare
#
# Needs wrk and curl (Debian: apt-get install wrk curl).
set -euo pipefail
bin="${LOKET_BIN:-$(cd "$(dirname "$0")/.." && pwd)/target/release/loket}"
target="${1:?give the data directory or database URL that bench billing filled}"
secs="${2:-15}"
conns="${CONNECTIONS:-64}"
work="$(mktemp -d)"
pg=""
if [[ "$target" == postgres* ]]; then db=(--database-url "$target"); pg=1; else db=(--data-dir "$target"); fi
# Below the kernel's range of ephemeral ports (32768 on), which wrk's own connections take.
port=$((10000 + RANDOM % 10000))
base="http://127.0.0.1:$port"

"$bin" "${db[@]}" bench sessions --count 64 > "$work/sessions"
LOKET_SCHEDULE_BILLING_RUN=off LOKET_JOBS_WORKERS=0 RUST_LOG=warn "$bin" "${db[@]}" serve --listen "127.0.0.1:$port" >"$work/serve.log" 2>&1 &
pid=$!
trap 'kill -TERM $pid 2>/dev/null; wait $pid 2>/dev/null || true; rm -rf "$work"' EXIT
until curl -fsS "$base/health" >/dev/null 2>&1; do
  kill -0 "$pid" 2>/dev/null || { echo "loket serve ended:" >&2; cat "$work/serve.log" >&2; exit 1; }
  sleep 0.1
done

read -r _ staff_session api_token < <(grep '^staff ' "$work/sessions")
{
  echo "users = {"
  grep '^user ' "$work/sessions" | awk '{printf "{\"%s\", %s, %s, %s},\n", $2, $3, $4, $5}'
  echo "}"
  echo "staff = \"$staff_session\""
  echo "api = \"$api_token\""
} > "$work/data.lua"

# bench_target NAME LUA-EXPRESSION-FOR-PATH AUTH(user|staff|api|none)
bench_target() {
  local name="$1" path="$2" auth="$3"
  # ONLY=tickets measures only the targets whose name contains it; ONLY=a,b either.
  if [[ -n "${ONLY:-}" ]]; then
    local want found=0
    IFS=, read -ra want <<<"$ONLY"
    for w in "${want[@]}"; do [[ "$name" == *"$w"* ]] && found=1; done
    [[ $found == 1 ]] || return 0
  fi
  cat "$work/data.lua" > "$work/t.lua"
  cat >> "$work/t.lua" <<LUA
counter = 0
setup = function(thread) thread:set("offset", counter); counter = counter + 17 end
init = function(args) n = 0 end
request = function()
  n = n + 1
  local u = users[((offset + n) % #users) + 1]
  local token, cid, iid, sid = u[1], u[2], u[3], u[4]
  local k = (offset * 31 + n * 7919) % 100000 + 1
  local headers = {}
  if "$auth" == "user" then headers["Cookie"] = "loket_session=" .. token end
  if "$auth" == "staff" then headers["Cookie"] = "loket_session=" .. staff end
  if "$auth" == "api" then headers["Authorization"] = "Bearer " .. api end
  return wrk.format("GET", $path, headers)
end
LUA
  # Two seconds unmeasured first: the server opens its connections and fills its caches as a
  # running server has, so the figures are of a server at work, not of one starting.
  wrk -t2 -c"$conns" -d2s -s "$work/t.lua" "$base/" >/dev/null 2>&1
  local out cpu0 cpu1
  cpu0=$(cpu_ticks)
  db0=$(db_ticks)
  out=$(wrk -t2 -c"$conns" -d"${secs}s" --latency -s "$work/t.lua" "$base/" 2>&1)
  cpu1=$(cpu_ticks)
  db1=$(db_ticks)
  local rps p50 p99 max errors requests cpu dbcpu
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  requests=$(awk '/requests in/ {print $1}' <<<"$out")
  # Loket's own CPU time (user + system, all its threads) per request served.
  cpu=$(awk -v t=$((cpu1 - cpu0)) -v n="${requests:-0}" -v hz="$(getconf CLK_TCK)" \
    'BEGIN { if (n > 0) printf "%.0f µs", t / hz * 1e6 / n; else print "-" }')
  # On PostgreSQL the server's CPU (all its processes) per request beside loket's: on two cores
  # shared by wrk, loket and the database server, what the server spends is what it takes away.
  dbcpu=$(awk -v t=$((db1 - db0)) -v n="${requests:-0}" -v hz="$(getconf CLK_TCK)" \
    'BEGIN { if (n > 0 && t >= 0) printf "%.0f µs", t / hz * 1e6 / n; else print "-" }')
  p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  max=$(awk '/Latency/ && !/Distribution/ {print $4}' <<<"$out")
  errors=$(awk '/Non-2xx/ {print $5}' <<<"$out")
  if [[ -n "$pg" ]]; then
    printf "| %-44s | %9s | %8s | %8s | %8s | %6s | %8s | %8s |\n" "$name" "$rps" "$p50" "$p99" "$max" "${errors:-0}" "$cpu" "$dbcpu"
  else
    printf "| %-44s | %9s | %8s | %8s | %8s | %6s | %8s |\n" "$name" "$rps" "$p50" "$p99" "$max" "${errors:-0}" "$cpu"
  fi
}

# PostgreSQL's CPU time so far in clock ticks, all processes named postgres on this machine
# (the server is local to the benchmark); 0 when the target is SQLite.
db_ticks() {
  [[ -n "$pg" ]] || { echo 0; return; }
  local total=0 f
  for f in /proc/[0-9]*/stat; do
    read -r line < "$f" 2>/dev/null || continue
    [[ "$line" == *"(postgres)"* ]] || continue
    total=$((total + $(awk '{ sub(/^.*\) /, ""); print $12 + $13 }' <<<"$line")))
  done
  echo "$total"
}

# The server's CPU time so far in clock ticks: fields 14 and 15 of /proc/PID/stat (after the
# command name, which is in parentheses and may hold spaces).
cpu_ticks() {
  awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$pid/stat"
}

if [[ -n "$pg" ]]; then
  printf "| %-44s | %9s | %8s | %8s | %8s | %6s | %8s | %8s |\n" "target ($conns connections, ${secs} s)" "req/s" "p50" "p99" "max" "non-2xx" "CPU/req" "PG CPU"
  printf "|%s|%s|%s|%s|%s|%s|%s|%s|\n" "----------------------------------------------" "-----------" "----------" "----------" "----------" "--------" "----------" "----------"
else
  printf "| %-44s | %9s | %8s | %8s | %8s | %6s | %8s |\n" "target ($conns connections, ${secs} s)" "req/s" "p50" "p99" "max" "non-2xx" "CPU/req"
  printf "|%s|%s|%s|%s|%s|%s|%s|\n" "----------------------------------------------" "-----------" "----------" "----------" "----------" "--------" "----------"
fi
bench_target "GET /static/favicon.svg (no database, the floor)" '"/static/favicon.svg"' none
bench_target "GET /health" '"/health"' none
bench_target "customer: / (dashboard)" '"/"' user
bench_target "customer: /customers/{id}/invoices?q=&state=" '"/customers/" .. cid .. "/invoices?q=B2026&state=open"' user
bench_target "customer: /customers/{id}/services/{sid}" '"/customers/" .. cid .. "/services/" .. sid .. "?days=365"' user
bench_target "staff: /staff (work queue)" '"/staff"' staff
bench_target "customer: /customers/{id}/billing" '"/customers/" .. cid .. "/billing"' user
bench_target "customer: /customers/{id}/invoices/{inv}" '"/customers/" .. cid .. "/invoices/" .. iid' user
bench_target "staff: /staff/customers?q=<name word>" '"/staff/customers?q=" .. k' staff
bench_target "staff: /staff/customers/{id}/billing" '"/staff/customers/" .. cid .. "/billing"' staff
bench_target "staff: /staff/tickets (the active queue)" '"/staff/tickets"' staff
bench_target "staff: /staff/tickets?state=all&priority=" '"/staff/tickets?state=all&priority=urgent"' staff
bench_target "staff: /staff/tickets?state=waiting" '"/staff/tickets?state=waiting"' staff
bench_target "staff: /staff/tickets/{id}" '"/staff/tickets/" .. (k * 9 + 1)' staff
bench_target "customer: /customers/{id}/tickets" '"/customers/" .. cid .. "/tickets"' user
bench_target "API: /api/v1/tickets" '"/api/v1/tickets"' api
bench_target "API: /api/v1/tickets?customer_id=" '"/api/v1/tickets?customer_id=" .. cid' api
bench_target "API: /api/v1/invoices" '"/api/v1/invoices"' api
bench_target "API: /api/v1/invoices?customer_id=" '"/api/v1/invoices?customer_id=" .. cid' api
bench_target "API: /api/v1/invoices?q=<number prefix>" '"/api/v1/invoices?q=B2026-0" .. (k % 9000 + 1000)' api
bench_target "API: /api/v1/invoices?q=<customer name>" '"/api/v1/invoices?q=customer%20" .. k' api
bench_target "API: /api/v1/customers?q=<name word>" '"/api/v1/customers?q=" .. k' api
bench_target "API: /api/v1/customers/{id}/billing" '"/api/v1/customers/" .. cid .. "/billing"' api
