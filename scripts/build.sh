#!/usr/bin/env bash
# Release builds, with binaryen's wasm-opt 132 from end2end/node_modules (see Trunk.toml).
#   scripts/build.sh            the builds the tests use: dist/ at the site root and
#                               target/dist-pages/ under /switchboard/ (a GitHub Pages project site)
#   scripts/build.sh /base/     one build into dist/ for the given base path (deployment)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/end2end/node_modules/.bin:$HOME/.cargo/bin:$PATH"
if ! wasm-opt --version 2>/dev/null | grep -q "version 132"; then
  echo "build: wasm-opt 132 is missing; run scripts/setup.sh test first" >&2
  exit 1
fi
if [ $# -gt 0 ]; then
  trunk build --release --public-url "$1"
else
  trunk build --release
  trunk build --release --public-url /switchboard/ --dist target/dist-pages
fi
