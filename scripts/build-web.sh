#!/usr/bin/env bash
# Builds the production wasm module and the web bundles into web/dist, printing their sizes.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=${NAZAR_JOBS:-$(nproc)}
cmake --preset wasm-release >/dev/null
cmake --build --preset wasm-release -j "$jobs"
cmake --build build/wasm-release --target size
node web/build.mjs
