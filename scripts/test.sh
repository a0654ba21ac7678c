#!/usr/bin/env bash
# Runs every Nazar test: native GoogleTest (ASan + UBSan, core without exceptions), the same core
# suite compiled to wasm under node, node tests of web/ against the real wasm module, browser
# tests in headless Chromium, CLI and example tests, tsc --noEmit on web/, the JSON Schema against
# the fixtures, and each fuzzer. One ctest run at the end counts them all; its closing line says
# how many passed and failed.
set -euo pipefail
cd "$(dirname "$0")/.."
export NODE_PATH=/usr/share/nodejs
jobs=${NAZAR_JOBS:-$(nproc)}
step() { printf '\n== %s (%ss)\n' "$1" "$SECONDS"; }

step "dependencies"
scripts/install-deps.sh

step "wasm: production module + web bundles"
scripts/build-web.sh

step "wasm: node module and the core suite"
cmake --preset wasm-node >/dev/null
cmake --build --preset wasm-node -j "$jobs"

step "native clang: fuzzers"
cmake --preset clang-fuzz >/dev/null
cmake --build --preset clang-fuzz -j "$jobs"

step "native: ASan + UBSan, no exceptions in core"
cmake --preset ci-native >/dev/null
cmake --build --preset ci-native -j "$jobs"

step "tests"
# Each fuzzer runs the same time in CI and locally: the CMake default (40 s), unless
# NAZAR_FUZZ_SECONDS asks otherwise for this run (-U drops a value left by an earlier run).
if [ -n "${NAZAR_FUZZ_SECONDS:-}" ]; then
  cmake build/ci-native -DNAZAR_FUZZ_SECONDS="$NAZAR_FUZZ_SECONDS" >/dev/null
else
  cmake build/ci-native -UNAZAR_FUZZ_SECONDS >/dev/null
fi
ctest --test-dir build/ci-native -j "$jobs" --output-on-failure --timeout 900
