#!/usr/bin/env bash
# Sets up what is missing, then runs every check and test:
#   format, actionlint on the workflows, Clippy (host and wasm), native unit tests, wasm tests in
#   headless Chromium,
#   the release builds (root and project path), the size budget, and the end-to-end tests
#   of the release builds in Chromium against the local OpenRouter stand-in.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh test
export PATH="$HOME/.cargo/bin:$PATH"

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "format"
cargo fmt --check
step "workflow lint (actionlint)"
node end2end/scripts/actionlint.mjs
step "clippy (host)"
cargo clippy --all-targets --locked -- -D warnings
step "clippy (wasm32)"
cargo clippy --all-targets --locked --target wasm32-unknown-unknown -- -D warnings
step "clippy (wasm32, the first view: no Leptos)"
cargo clippy --lib --bins --locked --no-default-features --target wasm32-unknown-unknown -- -D warnings
step "unit tests (native)"
cargo test --locked
step "browser tests (wasm-bindgen-test in headless Chromium)"
cargo test --locked --target wasm32-unknown-unknown
step "release builds"
scripts/build.sh
step "size budget (first view, brotli)"
node scripts/size.mjs dist
node scripts/size.mjs target/dist-pages
step "end-to-end tests (release builds in Chromium, against the OpenRouter stand-in)"
(cd end2end && npx playwright test)
