#!/usr/bin/env bash
# Benchmark (not a test) of decoding a task page in Chromium: JSON.parse
# against the client's path (the response's bytes copied into wasm memory
# and decoded by neo_usage::decode::decode_json) and the &str path.
#
#   scripts/bench-decode.sh            # 100,000 rows, 7 runs
#   ROWS=50000 RUNS=5 scripts/bench-decode.sh
#   OPT_LEVEL=3 scripts/bench-decode.sh   # the wasm at opt-level 3 and wasm-opt -O3
#                                         # instead of the shipped z / -Oz
#   PROFILE=release scripts/bench-decode.sh  # another Cargo profile (default: release-npm,
#                                            # the npm package's)
#   PACKAGE_OPT="serde_json=3 neo-usage=s" scripts/bench-decode.sh
#       # per-package opt-levels on top of the profile (--config
#       # profile.PROFILE.package.NAME.opt-level=LEVEL), to measure overrides
#       # before writing them into Cargo.toml
#
# Steps: the mock's dump_rows example writes the page (seed 42, fixed
# --now) in the dev profile; neo-usage-client is built for wasm32 in
# $PROFILE (the npm package's release-npm unless told) with the `bench`
# feature, in its own target directory
# (target/bench-decode/cargo: the wasm file of a cdylib is not named by its
# features, so a bench build in target/ could end up in the next npm
# build), then wasm-bindgen --target web into target/bench-pkg and the
# npm build's wasm-opt -Oz; crates/neo-usage-client/pkg/ is not touched.
# Last, bench/run.mjs serves the page on 127.0.0.1 and drives
# /usr/bin/chromium through playwright-core.
#
# Needs: the wasm32-unknown-unknown target, wasm-bindgen on PATH, `npm ci`
# at the root (playwright-core, wasm-opt), /usr/bin/chromium.
set -euo pipefail

# An opt-level as TOML: 0-3 are integers, s and z strings.
toml_level() { if [[ "$1" =~ ^[0-3]$ ]]; then echo "$1"; else echo "\"$1\""; fi; }

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROWS="${ROWS:-100000}"
RUNS="${RUNS:-7}"
OUT="$ROOT/target/bench-decode"
PKG="$ROOT/target/bench-pkg"
DATA="$OUT/rows-$ROWS.json"
WASM_OPT="$ROOT/node_modules/.bin/wasm-opt"
OPT_LEVEL="${OPT_LEVEL:-z}" # the release profile's, as shipped
PROFILE="${PROFILE:-release-npm}"
PACKAGE_OPT="${PACKAGE_OPT:-}"
CARGO_DIR="$OUT/cargo"
LABEL="$PROFILE-opt$OPT_LEVEL"
CONFIG=()
if [[ "$OPT_LEVEL" != z ]]; then
  CONFIG+=(--config "profile.$PROFILE.opt-level=$(toml_level "$OPT_LEVEL")")
  CARGO_DIR="$OUT/cargo-opt$OPT_LEVEL"
  PKG="$PKG-opt$OPT_LEVEL"
fi
for spec in $PACKAGE_OPT; do
  CONFIG+=(--config "profile.$PROFILE.package.\"${spec%%=*}\".opt-level=$(toml_level "${spec#*=}")")
  LABEL="$LABEL-${spec%%=*}$(printf %s "${spec#*=}")"
done

cd "$ROOT"
mkdir -p "$OUT"

echo "== dataset: $ROWS rows"
cargo run -p neo-usage-mock --example dump_rows -- "$DATA" --rows "$ROWS" --seed 42 --now 2026-11-28T12:00:00Z

echo "== bench wasm (profile $PROFILE, opt-level $OPT_LEVEL, packages: ${PACKAGE_OPT:-none})"
CARGO_TARGET_DIR="$CARGO_DIR" cargo build "${CONFIG[@]}" --profile "$PROFILE" \
  --target wasm32-unknown-unknown -p neo-usage-client --features bench,talc
rm -rf "$PKG"
wasm-bindgen --target web --out-dir "$PKG" \
  "$CARGO_DIR/wasm32-unknown-unknown/$PROFILE/neo_usage_client.wasm"
if [[ -x "$WASM_OPT" ]]; then
  # The npm package's optimisation (-Oz), so the bench measures what ships.
  "$WASM_OPT" "-O$OPT_LEVEL" --enable-bulk-memory --enable-nontrapping-float-to-int \
    --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue \
    "$PKG/neo_usage_client_bg.wasm" -o "$PKG/neo_usage_client_bg.wasm.opt"
  mv "$PKG/neo_usage_client_bg.wasm.opt" "$PKG/neo_usage_client_bg.wasm"
else
  echo "warning: $WASM_OPT missing (npm ci at the root); the bench wasm is not optimised" >&2
fi

echo "== $(/usr/bin/chromium --version 2>/dev/null), $(nproc) cores, $RUNS runs"
node "$ROOT/crates/neo-usage-client/bench/run.mjs" \
  --data "$DATA" --pkg "$PKG" --runs "$RUNS" --json "$OUT/results-$ROWS-$LABEL.json"
