#!/usr/bin/env bash
# Release builds for the tests: dist/ at the site root, target/dist-pages/ under /switchboard/
# (a GitHub Pages project site). The wasm is the same; only the base path differs.
set -euo pipefail
cd "$(dirname "$0")/.."
trunk build --release
trunk build --release --public-url /switchboard/ --dist target/dist-pages
