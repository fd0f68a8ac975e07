#!/usr/bin/env bash
# Installs exactly what is missing for building and testing neo-usage, and
# nothing twice: safe to run again. Every tool comes from a package registry
# (crates.io, npm, Debian, PyPI); no browser or prebuilt binary is downloaded
# from anywhere else. Versions and traps: see the toolchain notes in README.
set -euo pipefail
cd "$(dirname "$0")/.."

WASM_BINDGEN_VERSION=0.2.130
TRUNK_VERSION=0.21.14
SCHEMATHESIS_VERSION=4.32.0

say() { printf 'setup: %s\n' "$*"; }
have() { command -v "$1" >/dev/null 2>&1; }

# Rust: the wasm target and the lint components.
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi
for component in rustfmt clippy; do
  if ! rustup component list --installed | grep -q "^$component"; then
    say "adding rustup component $component"
    rustup component add "$component"
  fi
done

# wasm-bindgen CLI (and wasm-bindgen-test-runner): must equal the pinned crate.
# Not --locked: the locked set names a version the registry mirror lacks.
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ]; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 3 minutes)"
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

# Trunk: 0.21.14 is the newest that builds with this rustc.
if [ "$(trunk --version 2>/dev/null | awk '{print $2}')" != "$TRUNK_VERSION" ]; then
  say "installing trunk $TRUNK_VERSION (about 7 minutes)"
  cargo install trunk --version "$TRUNK_VERSION" --locked --force
fi

# cargo-fuzz for the fuzz smoke of `make test` (it needs the nightly
# toolchain this machine image carries; without nightly, fuzz/smoke.sh runs
# the same properties as proptest cases and says so).
CARGO_FUZZ_VERSION=0.13.2
if rustup toolchain list | grep -q '^nightly' \
  && [ "$(cargo fuzz --version 2>/dev/null | awk '{print $2}')" != "$CARGO_FUZZ_VERSION" ]; then
  say "installing cargo-fuzz $CARGO_FUZZ_VERSION (about 2 minutes)"
  cargo install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked --force
fi

# Debian packages: Chromium and its driver for browser tests, brotli for sizes.
missing=()
have chromium || missing+=(chromium)
have chromedriver || missing+=(chromium-driver)
have brotli || missing+=(brotli)
if [ ${#missing[@]} -gt 0 ]; then
  say "installing Debian packages: ${missing[*]}"
  SUDO=""
  if [ "$(id -u)" != 0 ]; then
    have sudo || { echo "setup: need root (or sudo) to install ${missing[*]} with apt-get" >&2; exit 1; }
    SUDO=sudo
  fi
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q "${missing[@]}"
fi

# JS tools pinned in package-lock.json: wasm-opt (binaryen 132; Debian's 108
# breaks the wasm in Chromium), playwright-core (drives /usr/bin/chromium),
# typescript, vite. Reinstall only when the lock file changed.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing JS tools (npm ci)"
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund
fi

# schemathesis, the contract checker, in a private venv.
if ! .tools/venv/bin/st --version 2>/dev/null | grep -qF "version $SCHEMATHESIS_VERSION"; then
  say "installing schemathesis $SCHEMATHESIS_VERSION into .tools/venv"
  python3 -m venv .tools/venv
  .tools/venv/bin/pip install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi

say "all tools present"
