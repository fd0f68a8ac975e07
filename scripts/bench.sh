#!/usr/bin/env bash
# `make bench`: builds what the benchmark measures, then runs
# scripts/bench/run.mjs, which prints a table and writes
# target/bench/report.json. A benchmark, not a test: nothing here fails on
# a slow figure (it fails only when a measure cannot run, or when the
# JavaScript peers and the wasm disagree on a figure).
#
#   scripts/bench.sh            100,000 rows, 7 runs; builds the viewer
#                               (dist/), the npm package and the peer
#                               Leptos counter app
#   scripts/bench.sh --smoke    2,000 rows, one run, the dist/ and npm
#                               package already built (make test runs this)
#   ROWS=50000 RUNS=5 scripts/bench.sh
#
# Inputs go to target/bench/inputs: data/ (seed 42, a fixed --now, split
# into 200-row pages), pkg/ (crates/neo-usage-bench for wasm32 in the
# viewer's release profile, wasm-bindgen --target web, wasm-opt -Oz as
# Trunk does for the viewer), links to dist/, the npm package and the
# reference server, counter-dist/ and chartistry-dist/.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
SMOKE=0
[[ "${1:-}" == "--smoke" ]] && SMOKE=1
ROWS="${ROWS:-100000}"
RUNS="${RUNS:-7}"
if (( SMOKE )); then ROWS=2000; RUNS=1; fi
IN="$ROOT/target/bench/inputs"
WASM_OPT="$ROOT/node_modules/.bin/wasm-opt"
DIST="${DIST:-$ROOT/dist}"
NPM_PKG="$ROOT/crates/neo-usage-client/pkg"
cd "$ROOT"
mkdir -p "$IN/data"

echo "== data: $ROWS rows in 200-row pages"
rm -f "$IN"/data/*.json
cargo run --quiet -p neo-usage-mock --example dump_rows -- "$IN/data/rows.json" \
  --rows "$ROWS" --seed 42 --now 2026-11-28T12:00:00Z
node scripts/bench/split-pages.mjs "$IN/data/rows.json" 200

echo "== bench wasm (the viewer's release profile)"
cargo build --release --target wasm32-unknown-unknown -p neo-usage-bench
rm -rf "$IN/pkg"
wasm-bindgen --target web --out-dir "$IN/pkg" \
  "$CARGO_TARGET_DIR/wasm32-unknown-unknown/release/neo_usage_bench.wasm"
"$WASM_OPT" -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-reference-types --enable-multivalue \
  "$IN/pkg/neo_usage_bench_bg.wasm" -o "$IN/pkg/opt.wasm"
mv "$IN/pkg/opt.wasm" "$IN/pkg/neo_usage_bench_bg.wasm"

echo "== reference server, viewer, npm package"
# The full run serves from a release build of the reference server: in the
# dev profile it spends about 22 ms on each 200-row page, which would make
# the server, not the client's concurrency, the bottleneck of fetch-all.
if (( SMOKE )); then
  cargo build --quiet -p neo-usage-mock
  ln -sfn "$CARGO_TARGET_DIR/debug/neo-usage-mock" "$IN/mock"
else
  cargo build --quiet --release -p neo-usage-mock
  ln -sfn "$CARGO_TARGET_DIR/release/neo-usage-mock" "$IN/mock"
fi
if (( SMOKE )); then
  [[ -f "$DIST/index.html" ]] || { echo "no viewer in $DIST: run make build-web first" >&2; exit 1; }
  [[ -f "$NPM_PKG/neo_usage_bg.wasm" ]] || crates/neo-usage-client/build-npm.sh
  rm -rf "$IN/counter-dist" "$IN/chartistry-dist"
else
  trunk build --release --offline --dist "$DIST"
  crates/neo-usage-client/build-npm.sh
  echo "== peers: a Leptos counter app, and the cost chart with leptos-chartistry, built as the viewer is"
  (cd crates/neo-usage-bench/counter && trunk build --release --offline --dist "$IN/counter-dist")
  (cd crates/neo-usage-bench/chartistry && trunk build --release --offline --dist "$IN/chartistry-dist")
fi
ln -sfn "$DIST" "$IN/dist"
ln -sfn "$NPM_PKG" "$IN/npm"
# The modules as cargo wrote them, names kept: the report lists which of
# our functions call wasm32's 128-bit arithmetic routines.
ln -sfn "$CARGO_TARGET_DIR/wasm32-unknown-unknown/release/neo-usage-web.wasm" "$IN/raw-viewer.wasm"
ln -sfn "$CARGO_TARGET_DIR/wasm32-unknown-unknown/release/neo_usage_bench.wasm" "$IN/raw-bench.wasm"

echo "== measures in $(/usr/bin/chromium --version 2>/dev/null || echo chromium)"
args=(--inputs "$IN" --runs "$RUNS")
(( SMOKE )) && args+=(--smoke)
node scripts/bench/run.mjs "${args[@]}"
