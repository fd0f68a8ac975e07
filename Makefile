# neo-usage: `make demo` runs the viewer, `make test` runs every check.
# Both first run `make setup`, which installs only what is missing.

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

export PATH := $(CURDIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
# One target dir for everything (CI has 2 cores: nothing is built twice).
export CARGO_TARGET_DIR := $(CURDIR)/target
export CARGO_TERM_COLOR := never

DEMO_ADDR ?= 127.0.0.1:8080
MOCK_BIN := $(CARGO_TARGET_DIR)/debug/neo-usage-mock

.PHONY: help setup demo test lint fmt-check clippy test-native test-contract build-web test-e2e npm test-client test-fuzz bench bench-smoke clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

setup: ## Install the missing tools (idempotent)
	@scripts/setup.sh

demo: setup build-web mock-bin ## Build the viewer and serve it with the reference API on $(DEMO_ADDR)
	@echo "neo-usage demo: open http://$(DEMO_ADDR)/ (Ctrl-C stops it)"
	$(MOCK_BIN) --addr $(DEMO_ADDR) --serve-dir dist

test: setup lint test-native test-contract build-web test-e2e test-client test-fuzz bench-smoke ## Everything CI runs
	@echo "make test: all checks passed"

lint: fmt-check clippy

fmt-check:
	cargo fmt --all -- --check

clippy:
	cargo clippy -p neo-usage -p neo-usage-mock -p neo-usage-analytics -p neo-usage-bench -p neo-usage-web --all-targets -- -D warnings
	cargo clippy -p neo-usage-client -p neo-usage-web -p neo-usage-bench --target wasm32-unknown-unknown -- -D warnings

test-native: ## Core, reference-server and the viewer's pure logic, natively
	cargo test -p neo-usage -p neo-usage-mock -p neo-usage-analytics -p neo-usage-bench -p neo-usage-web

.PHONY: mock-bin
mock-bin:
	cargo build -p neo-usage-mock

test-contract: mock-bin ## The reference server checked against the OpenAPI contract by schemathesis
	MOCK_BIN=$(MOCK_BIN) scripts/contract-test.sh

build-web: ## Build the viewer into dist/ with Trunk (release, offline)
	trunk build --release --offline

test-e2e: build-web mock-bin ## The browser suite (Playwright Test) over the built viewer
	MOCK_BIN=$(MOCK_BIN) scripts/e2e.sh

npm: setup ## Build the npm package into crates/neo-usage-client/pkg/
	crates/neo-usage-client/build-npm.sh

test-client: mock-bin ## Browser client: wasm tests in Chromium, Node, Vite, TypeScript
	MOCK_BIN=$(MOCK_BIN) scripts/client-tests.sh

test-fuzz: ## Fuzz smoke: each cargo-fuzz target for a few seconds (proptest cases without nightly)
	FUZZ_SECONDS=$${FUZZ_SECONDS:-5} fuzz/smoke.sh

bench: setup ## Every performance measure beside its peer, in Chromium: table + target/bench/report.json
	scripts/bench.sh

bench-smoke: build-web mock-bin ## The bench harness once at tiny sizes (asserts nothing about time)
	scripts/bench.sh --smoke

clean:
	cargo clean
	rm -rf dist crates/neo-usage-client/pkg
