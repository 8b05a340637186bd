# EKS Lab: two commands do everything on a fresh machine.
#   make serve   installs what is missing, builds, serves the lab at http://127.0.0.1:8080
#   make test    installs what is missing, runs every check, ends with "N passed, N failed"
# Both are idempotent and quick when everything is installed.

SHELL := /bin/bash
CARGO_BIN := $(HOME)/.cargo/bin
TOOLS := $(CURDIR)/.tools
export PATH := $(CARGO_BIN):$(TOOLS)/node_modules/.bin:$(PATH)

TRUNK_VERSION := 0.21.14
BINARYEN_VERSION := 132
# wasm-bindgen-cli must match the wasm-bindgen crate in Cargo.lock exactly.
WASM_BINDGEN_VERSION = $(shell awk '/^name = "wasm-bindgen"$$/{getline; gsub(/version = |"/, ""); print; exit}' Cargo.lock)

.PHONY: serve test build setup setup-web setup-browser setup-e2e bench screenshots clean

serve: setup-web
	trunk serve --release

build: setup-web
	trunk build --release

test: setup-web setup-browser setup-e2e
	@scripts/check.sh

# Figures, not pass/fail: 24 simulated hours of 100 nodes and 3,000 pods, natively and in
# wasm32 under headless Chromium; natively, the scheduler placing up to 100,000 pods on 5,000
# nodes.
bench: setup-web setup-browser
	cargo bench --bench sim
	CHROMEDRIVER=$$(command -v chromedriver) cargo test --release --target wasm32-unknown-unknown --test wasm_bench -- --include-ignored --nocapture

# ---- installers: each step checks first and does nothing when already satisfied ----

setup-web:
	@rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
	@trunk --version 2>/dev/null | grep -q "trunk $(TRUNK_VERSION)" || cargo install trunk --version $(TRUNK_VERSION) --locked --no-default-features
	@wasm-bindgen --version 2>/dev/null | grep -q "wasm-bindgen $(WASM_BINDGEN_VERSION)" || cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION)
	@$(TOOLS)/node_modules/.bin/wasm-opt --version 2>/dev/null | grep -q "version $(BINARYEN_VERSION)" || npm install --prefix $(TOOLS) --no-audit --no-fund --loglevel=error binaryen@$(BINARYEN_VERSION)

setup-browser:
	@if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ]; then \
		(apt-get install -y --no-install-recommends chromium chromium-driver || (apt-get update && apt-get install -y --no-install-recommends chromium chromium-driver)); \
	else \
		echo "Chromium and ChromeDriver are missing. Install them with:"; \
		echo "  sudo apt-get update && sudo apt-get install -y chromium chromium-driver"; \
		exit 1; \
	fi

setup-e2e:
	@[ -d tests/e2e/node_modules/playwright-core ] || (cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error)

# Refreshes the README's screenshots from a real run in headless Chromium.
screenshots: build setup-browser setup-e2e
	node tests/e2e/run.mjs screens
	mkdir -p docs/screenshots
	cp tests/e2e/artifacts/screens/*.png docs/screenshots/

clean:
	cargo clean
	rm -rf dist tests/e2e/artifacts
