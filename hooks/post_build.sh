#!/usr/bin/env bash
# trunk post_build hook: runs on the staging directory before it becomes dist/.
#  1. Writes the base path (trunk's public URL) into <meta name="app-base">.
#  2. Starts the first view's wasm compiling from a classic script at the top of the page, and
#     hashes it and trunk's inline loader into the Content-Security-Policy.
#  3. Names the app module (loaded on demand) in the page.
#  4. Emits callback/index.html (a real file for the callback route) and 404.html (other deep
#     links), since static hosts such as GitHub Pages have no fallback to index.html.
set -euo pipefail
: "${TRUNK_STAGING_DIR:?run by trunk as a post_build hook}"
exec node "$(dirname "$0")/post_build.mjs"
