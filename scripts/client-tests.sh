#!/usr/bin/env bash
# The browser client's proof, end to end:
#   1. wasm-bindgen tests in headless Chromium against reference servers
#      (neo-usage-mock) with different fault flags;
#   2. the npm package (build-npm.sh);
#   3. TypeScript: ts-check/ok.ts passes `tsc --strict`, misspelled.ts fails,
#      both bundler-resolved and as a Node 20 project (nodenext, default lib);
#   4. Node 20 ESM against reference servers (smoke.mjs, and faults.mjs
#      against the fault servers);
#   5. the Vite example, built and loaded in headless Chromium by Playwright.
# Starts and stops its own servers on fixed 127.0.0.1 ports (18801-18818);
# any failure fails the script.
#
# Environment: MOCK_BIN (default $CARGO_TARGET_DIR/debug/neo-usage-mock, built
# if missing), SKIP_NPM_BUILD=1 to reuse crates/neo-usage-client/pkg.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CLIENT="$ROOT/crates/neo-usage-client"
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
MOCK_BIN="${MOCK_BIN:-$TARGET_DIR/debug/neo-usage-mock}"
BIN="$ROOT/node_modules/.bin"
LOGS="$(mktemp -d /tmp/neo-client-tests.XXXXXX)"
STARTED=$SECONDS
cd "$ROOT"

if [[ ! -x "$MOCK_BIN" ]]; then
  cargo build -p neo-usage-mock
fi

PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT

# start_mock NAME PORT [FLAGS...]: starts a server, waits until it listens.
start_mock() {
  local name=$1 port=$2
  shift 2
  "$MOCK_BIN" --addr "127.0.0.1:$port" "$@" >"$LOGS/$name.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1 150); do
    if grep -q "listening on" "$LOGS/$name.log"; then return 0; fi
    if ! kill -0 "${PIDS[-1]}" 2>/dev/null; then break; fi
    sleep 0.2
  done
  echo "reference server $name did not start:" >&2
  cat "$LOGS/$name.log" >&2
  return 1
}

step() { printf '\n==> %s (%ds)\n' "$1" $((SECONDS - STARTED)); }

# Same seed and --now everywhere: servers with the same seed hold the same rows.
DATA=(--seed 7 --tasks 2000 --now 2026-11-01T00:00:00Z)

step "reference servers"
start_mock clean   18801 "${DATA[@]}"
start_mock faulty  18802 "${DATA[@]}" --drop-rate 0.2
start_mock grow    18803 "${DATA[@]}" --grow-every 3
start_mock slow    18804 "${DATA[@]}" --latency-ms 300
start_mock bound   18805 "${DATA[@]}" --latency-ms 200
# An hour-long window: after a reset the 4th request is a 429, at any speed.
start_mock limited 18806 "${DATA[@]}" --rate-limit 3 --rate-window-ms 3600000 --retry-after 1
start_mock broken  18807 "${DATA[@]}" --error-rate 1 --error-statuses 500
start_mock drop    18808 "${DATA[@]}" --drop-rate 1
start_mock flaky   18809 "${DATA[@]}" --error-rate 0.2
start_mock cut     18810 "${DATA[@]}" --truncate-rate 0.2
start_mock node    18811 "${DATA[@]}"
start_mock stall   18813 "${DATA[@]}" --stall-rate 0.2
start_mock hang    18814 "${DATA[@]}" --stall-rate 1
start_mock busy    18815 "${DATA[@]}" --error-rate 0.25 --error-statuses 429 --retry-after 1
start_mock burst   18816 "${DATA[@]}" --error-rate 0.6 --error-statuses 503
start_mock hollow  18817 "${DATA[@]}" --empty-page-rate 0.2
start_mock drift   18818 "${DATA[@]}" --total-drift 150

step "wasm-bindgen tests in headless Chromium"
export NEO_MOCK_URL=http://127.0.0.1:18801
export NEO_MOCK_FAULTY_URL=http://127.0.0.1:18802
export NEO_MOCK_GROW_URL=http://127.0.0.1:18803
export NEO_MOCK_SLOW_URL=http://127.0.0.1:18804
export NEO_MOCK_BOUND_URL=http://127.0.0.1:18805
export NEO_MOCK_LIMITED_URL=http://127.0.0.1:18806
export NEO_MOCK_BROKEN_URL=http://127.0.0.1:18807
export NEO_MOCK_DROP_URL=http://127.0.0.1:18808
export NEO_MOCK_FLAKY_URL=http://127.0.0.1:18809
export NEO_MOCK_TRUNCATE_URL=http://127.0.0.1:18810
export NEO_MOCK_STALL_URL=http://127.0.0.1:18813
export NEO_MOCK_HANG_URL=http://127.0.0.1:18814
export NEO_MOCK_BUSY_URL=http://127.0.0.1:18815
export NEO_MOCK_BURST_URL=http://127.0.0.1:18816
export NEO_MOCK_HOLLOW_URL=http://127.0.0.1:18817
export NEO_MOCK_DRIFT_URL=http://127.0.0.1:18818
export WASM_BINDGEN_TEST_TIMEOUT="${WASM_BINDGEN_TEST_TIMEOUT:-60}"
cargo test -p neo-usage-client --target wasm32-unknown-unknown -- --nocapture 2>&1 | tee "$LOGS/wasm-tests.log"
WASM_SUMMARY=$(grep -a "test result:" "$LOGS/wasm-tests.log" | grep -Eo "[0-9]+ passed" | awk '{print $1}' | paste -sd+ -)

step "npm package"
if [[ "${SKIP_NPM_BUILD:-}" != 1 ]]; then
  "$CLIENT/build-npm.sh"
fi
# Resolve "neo-usage" like an installed dependency, from the crate and the example.
mkdir -p "$CLIENT/node_modules" "$CLIENT/examples/vite/node_modules"
ln -sfn ../pkg "$CLIENT/node_modules/neo-usage"
ln -sfn ../../../pkg "$CLIENT/examples/vite/node_modules/neo-usage"

step "TypeScript: ok.ts passes tsc --strict, misspelled.ts fails (bundler + esnext,dom; Node 20 nodenext + default lib)"
# Each file is compiled alone (no tsconfig), twice: as a bundler-resolved ES
# module with `--lib esnext,dom`, and as a new Node 20 user's project would
# (nodenext, ts-check/package.json says "type": "module") with the default
# lib of es2022 and skipLibCheck off, so the package's own .d.ts must compile
# without any lib the user did not ask for.
TSC_BUNDLER=(--strict --noEmit --target es2022 --module esnext --moduleResolution bundler --lib esnext,dom --skipLibCheck false)
TSC_NODE20=(--strict --noEmit --target es2022 --module nodenext --moduleResolution nodenext --skipLibCheck false)
ts_check() {
  local name=$1
  shift
  "$BIN/tsc" "$@" "$CLIENT/ts-check/ok.ts"
  echo "ok.ts ($name): tsc --strict passed"
  if "$BIN/tsc" "$@" "$CLIENT/ts-check/misspelled.ts" >"$LOGS/misspelled-$name.txt" 2>&1; then
    echo "misspelled.ts ($name) type-checked, but row.neo_credit must be refused" >&2
    exit 1
  fi
  # The only error must be the misspelling: any other (a lib the package
  # needs, a module it cannot find) fails the check.
  if ! grep -Eq "error TS(2551|2339)" "$LOGS/misspelled-$name.txt" \
    || [[ $(grep -c "error TS" "$LOGS/misspelled-$name.txt") != 1 ]]; then
    echo "misspelled.ts ($name) failed for another reason:" >&2
    cat "$LOGS/misspelled-$name.txt" >&2
    exit 1
  fi
  grep -E "error TS(2551|2339)" "$LOGS/misspelled-$name.txt"
}
ts_check bundler "${TSC_BUNDLER[@]}"
ts_check node20 "${TSC_NODE20[@]}"

step "Node $(node --version) ESM"
node "$CLIENT/tests/node/smoke.mjs" http://127.0.0.1:18811 | tee "$LOGS/node.log"
# Retries, timeouts and faults through the JS API, against the servers above
# (their NEO_MOCK_*_URL variables, exported for the wasm tests).
node "$CLIENT/tests/node/faults.mjs" | tee -a "$LOGS/node.log"

step "Vite example and plain ES modules in headless Chromium"
rm -rf "$CLIENT/examples/vite/dist"
"$BIN/vite" build "$CLIENT/examples/vite" --logLevel warn
# Next to it, the plain-ESM page with the package copied beside it.
mkdir -p "$CLIENT/examples/vite/dist/plain"
cp "$CLIENT/examples/plain/index.html" "$CLIENT/examples/vite/dist/plain/"
cp -r "$CLIENT/pkg" "$CLIENT/examples/vite/dist/plain/pkg"
start_mock vite 18812 "${DATA[@]}" --serve-dir "$CLIENT/examples/vite/dist"
node "$CLIENT/tests/vite-e2e.mjs" http://127.0.0.1:18812

step "done"
echo "wasm tests passed (unit in Node + browser in Chromium + doctests): $WASM_SUMMARY"
grep -a -E "^node( faults)?:" "$LOGS/node.log"
echo "scripts/client-tests.sh took $((SECONDS - STARTED)) s; logs in $LOGS"
