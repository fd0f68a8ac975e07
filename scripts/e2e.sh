#!/usr/bin/env bash
# Serves dist/ with the reference server on a free loopback port and loads it
# in headless Chromium (tests/e2e/*.mjs); stops the server however it ends.
set -euo pipefail
cd "$(dirname "$0")/.."
MOCK_BIN=${MOCK_BIN:-target/debug/neo-usage-mock}
PORT=${E2E_PORT:-18480}
LOG=target/e2e-server.log
mkdir -p target/screenshots
"$MOCK_BIN" --addr "127.0.0.1:$PORT" --serve-dir dist >"$LOG" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 100); do
  grep -q "listening on" "$LOG" && break
  kill -0 $server 2>/dev/null || { cat "$LOG"; echo "e2e: the reference server did not start" >&2; exit 1; }
  sleep 0.1
done
node tests/e2e/smoke.mjs "http://127.0.0.1:$PORT/" target/screenshots/about.png
