#!/usr/bin/env bash
# Fuzz smoke: each cargo-fuzz target for FUZZ_SECONDS (default 10) seconds,
# starting from the seed corpus in fuzz/corpus/<target>/ (left unchanged:
# new inputs go to a scratch directory). A crash or an input slower than
# 10 s fails the smoke; libFuzzer saves it under fuzz/artifacts/<target>/.
#
# Needs the nightly toolchain and cargo-fuzz. Where either is missing, it
# says so and runs the same properties as proptest cases instead
# (`cargo test ... prop_`), so the smoke never passes silently.
#
# FUZZ_RUNS=N runs each target for N inputs instead of a time (the
# 1,000,000-input runs of the issue: FUZZ_RUNS=1000000 fuzz/smoke.sh).
# FUZZ_SANITIZER (default none: the code under test is safe Rust, and
# AddressSanitizer would cost 2-3x the inputs per second) is passed to
# cargo fuzz's --sanitizer.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
TARGETS=(page_decoder import_parser server_query retry_after url_state)
SECONDS_EACH="${FUZZ_SECONDS:-10}"
SANITIZER="${FUZZ_SANITIZER:-none}"

if ! rustup toolchain list 2>/dev/null | grep -q '^nightly' || ! cargo fuzz --version >/dev/null 2>&1; then
  echo "fuzz smoke: the nightly toolchain or cargo-fuzz is missing (rustup toolchain install nightly; cargo install cargo-fuzz --locked)." >&2
  echo "fuzz smoke: falling back to the proptest cases of the same properties." >&2
  cargo test -p neo-usage --test prop_inputs
  cargo test -p neo-usage-mock --test server prop_
  cargo test -p neo-usage-web --test prop_url_state
  exit 0
fi

if [[ -n "${FUZZ_RUNS:-}" ]]; then
  LIMIT=(-runs="$FUZZ_RUNS")
else
  LIMIT=(-max_total_time="$SECONDS_EACH")
fi
for target in "${TARGETS[@]}"; do
  scratch="$(mktemp -d "/tmp/neo-fuzz-$target.XXXXXX")"
  echo "==> fuzz $target (${LIMIT[*]})"
  status=0
  cargo +nightly fuzz run --fuzz-dir fuzz --sanitizer "$SANITIZER" "$target" "$scratch" "fuzz/corpus/$target" -- \
    "${LIMIT[@]}" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 >"$scratch.log" 2>&1 || status=$?
  grep -aE "^(Done [0-9]+ runs|stat::number_of_executed_units|stat::peak_rss_mb)" "$scratch.log" || true
  if [[ $status -ne 0 ]]; then
    tail -40 "$scratch.log" >&2
    echo "fuzz $target failed (exit $status); the log is $scratch.log" >&2
    exit 1
  fi
  rm -rf "$scratch"
done
echo "fuzz smoke: all targets ran without a crash or a hang"
