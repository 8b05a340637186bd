#!/usr/bin/env bash
# Every check the project has, in order; each is counted, none stops the others.
# Ends with one line "N passed, N failed" and exits non-zero if anything failed.
set -u
cd "$(dirname "$0")/.."

passed=0
failed=0
failures=()
declare -A secs

run() {
  local name="$1"; shift
  local t0=$SECONDS
  echo "==> $name"
  if "$@"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    failures+=("$name")
    echo "FAILED: $name"
  fi
  secs[$name]=$((SECONDS - t0))
}

size_report() {
  local wasm
  wasm=$(ls dist/*_bg.wasm 2>/dev/null | head -n1)
  [ -n "$wasm" ] || { echo "no wasm in dist/"; return 1; }
  local raw gz budget=$((800 * 1024))
  raw=$(stat -c %s "$wasm")
  gz=$(gzip -9 -c "$wasm" | wc -c)
  printf 'wasm size: %d KB raw, %d KB gzipped (gzip -9); budget %d KB gzipped\n' $((raw / 1024)) $((gz / 1024)) $((budget / 1024))
  [ "$gz" -le "$budget" ] || { echo "gzipped wasm is over the budget"; return 1; }
}

export CHROMEDRIVER="${CHROMEDRIVER:-$(command -v chromedriver)}"
export WASM_BINDGEN_TEST_TIMEOUT="${WASM_BINDGEN_TEST_TIMEOUT:-180}"

run "cargo fmt --check"                cargo fmt --all -- --check
run "clippy (native)"                  cargo clippy --all-targets -- -D warnings
run "clippy (wasm32)"                  cargo clippy --target wasm32-unknown-unknown --lib --bins --test web --test wasm_bench -- -D warnings
run "native tests"                     cargo test --all-targets
run "doc tests"                        cargo test --doc
run "wasm-bindgen-test (headless Chromium)" cargo test --target wasm32-unknown-unknown --test web
run "trunk build --release"            trunk build --release
run "wasm size budget"                 size_report
run "end-to-end (headless Chromium)"   node tests/e2e/run.mjs

echo
for k in "${!secs[@]}"; do printf '  %4ss  %s\n' "${secs[$k]}" "$k"; done | sort -k2
if [ "$failed" -gt 0 ]; then printf 'failed: %s\n' "${failures[@]}"; fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
