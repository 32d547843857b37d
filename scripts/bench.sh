#!/usr/bin/env bash
# The benchmark: sets up what is missing, builds the release, then measures it beside the vanilla-JS
# page in end2end/bench/vanilla/ and prints a Markdown table (figures and ratios, never a pass/fail).
#   scripts/bench.sh [--runs N]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh test
scripts/build.sh
exec node end2end/bench/bench.mjs "$@"
