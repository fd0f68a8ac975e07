#!/usr/bin/env bash
# Checks the reference server (neo-usage-mock) against the OpenAPI contract
# with schemathesis, a tool no one here wrote.
#
# - uses schemathesis from .tools/venv (installed by make setup);
# - starts the built server ($MOCK_BIN, default target/debug/neo-usage-mock)
#   on a free 127.0.0.1 port with a pinned dataset;
# - runs schemathesis in positive mode (valid requests must get answers that
#   match the schema) and in negative mode (schema-violating requests must be
#   refused with a 4xx);
# - stops the server and exits non-zero if either run failed.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
SPEC="tests/contract/usage.openapi.yaml"
MOCK_BIN="${MOCK_BIN:-target/debug/neo-usage-mock}"
VENV=".tools/venv"
ST="$VENV/bin/st"
LOG_DIR="${CONTRACT_LOG_DIR:-$ROOT/.tools/contract}"

if [[ ! -x "$MOCK_BIN" ]]; then
  echo "contract-test: $MOCK_BIN not found; build it with: cargo build -p neo-usage-mock" >&2
  exit 2
fi

# schemathesis is installed (pinned) by scripts/setup.sh, the one place
# that installs tools.
if [[ ! -x "$ST" ]]; then
  echo "contract-test: schemathesis is not installed in $VENV; run: make setup" >&2
  exit 2
fi

mkdir -p "$LOG_DIR"
SERVER_OUT="$LOG_DIR/server.out"
"$MOCK_BIN" --addr 127.0.0.1:0 --seed 42 --tasks 500 --now 2026-11-28T12:00:00Z \
  >"$SERVER_OUT" 2>"$LOG_DIR/server.err" &
SERVER_PID=$!
stop_server() { kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; }
trap stop_server EXIT

URL=""
for _ in $(seq 1 100); do
  URL="$(sed -n 's/^listening on \(http:\/\/[0-9.:]*\)$/\1/p' "$SERVER_OUT")"
  [[ -n "$URL" ]] && break
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    echo "contract-test: the server exited:" >&2
    cat "$LOG_DIR/server.err" >&2
    exit 2
  fi
  sleep 0.1
done
if [[ -z "$URL" ]]; then
  echo "contract-test: the server did not say 'listening on' within 10 s" >&2
  exit 2
fi
echo "contract-test: server at $URL"

# The one rule the OpenAPI file cannot state (from <= to) is taught to the
# generator by a hook; see the file.
export SCHEMATHESIS_HOOKS="$ROOT/tests/contract/hooks.py"

status=0
run() {
  local name="$1"; shift
  echo "contract-test: schemathesis $name"
  # Run from the log dir: schemathesis leaves a .schemathesis cache in its cwd.
  if (cd "$LOG_DIR" && "$ROOT/$ST" run "$ROOT/$SPEC" --url "$URL" -H 'Authorization: Bearer admin-token' \
      --max-examples 20 --seed 1 "$@"); then
    echo "contract-test: $name passed"
  else
    echo "contract-test: $name FAILED" >&2
    status=1
  fi
}
run positive
# Negative mode cannot make a free-form string path parameter invalid, so it
# has nothing to send to getTaskUsage; the positive run covers it.
run negative --mode negative --suppress-health-check=filter_too_much \
  --exclude-operation-id getTaskUsage

exit "$status"
