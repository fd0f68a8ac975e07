#!/usr/bin/env bash
# The browser suite (Playwright Test, tests/e2e/*.spec.mjs) over the built
# site: picks a free loopback port, runs the suite in Debian's Chromium,
# and on failure keeps traces, screenshots and logs under a printed folder.
set -euo pipefail
cd "$(dirname "$0")/.."
export MOCK_BIN=${MOCK_BIN:-target/debug/neo-usage-mock}
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
export E2E_PORT=${E2E_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')}
export E2E_OUTPUT=target/e2e/results
mkdir -p target/screenshots target/e2e
start=$(date +%s)
if ! node_modules/.bin/playwright test "$@"; then
  echo "e2e: failed; traces and screenshots are in $PWD/$E2E_OUTPUT, the server log in $PWD/target/e2e/server.log (open a trace with: npx playwright show-trace <trace.zip>)" >&2
  exit 1
fi
echo "e2e: suite passed in $(( $(date +%s) - start )) s; screenshots in $PWD/target/screenshots"
