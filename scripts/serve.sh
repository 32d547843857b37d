#!/usr/bin/env bash
# Sets up what is missing, then serves the app at http://localhost:3000 (rebuilds on change).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh app
export PATH="$HOME/.cargo/bin:$PATH"
exec trunk serve "$@"
