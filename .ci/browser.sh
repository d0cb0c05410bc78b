#!/usr/bin/env bash
# The panel in headless Chromium (tests/browser/panel.mjs): people's flows, axe-core on every
# page, no sideways scrolling at 360 px, screenshots at 1280 and 390 px in target/screenshots/.
# Usage: .ci/browser.sh PATH/TO/loket
set -euo pipefail
bin="$(realpath "$1")"
cd "$(dirname "$0")/.."
command -v node >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm; }
(cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)
work="$(mktemp -d)"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
LOKET_SCHEDULE_BILLING_RUN=off "$bin" --data-dir "$work" serve --demo --listen "127.0.0.1:$port" >"$work/serve.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 120); do grep -q listening "$work/serve.log" && break; sleep 0.5; done
grep -q listening "$work/serve.log" || { cat "$work/serve.log"; exit 1; }
rm -rf target/screenshots
node tests/browser/panel.mjs "http://127.0.0.1:$port" target/screenshots
