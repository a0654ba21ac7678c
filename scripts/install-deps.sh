#!/usr/bin/env bash
# Installs what Nazar's builds and tests need, idempotently: Debian packages that are missing,
# and web/ npm packages from the lockfile when node_modules is absent or stale.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  cmake ninja-build g++ clang-14 libclang-rt-14-dev  # native builds, libFuzzer
  googletest libgtest-dev libbenchmark-dev           # tests and benchmarks
  nlohmann-json3-dev                                 # JSON, native and wasm
  emscripten                                         # the wasm module (Debian's 3.1.6)
  nodejs npm                                         # web build, node and browser tests
  chromium                                           # browser tests (headless)
  brotli gzip                                        # size reports
  libsqlite3-dev libpq-dev sqlite3                   # the collector's two stores; sqlite3 for
                                                     # the dashboard tests' comment seeding
  postgresql                                         # a private server for the store tests
  libcpp-httplib-dev pkg-config                      # nazar-collector's HTTP server
  wrk                                                # the collector's load benchmark
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# The machine's node may come from elsewhere than Debian; only require the commands then.
if command -v node >/dev/null && command -v npm >/dev/null; then
  missing=("${missing[@]/nodejs}")
  missing=("${missing[@]/npm}")
fi
missing=($(printf '%s\n' "${missing[@]}" | grep -v '^$' || true))
if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  # With recommends, as tested (Chromium's fonts among them).
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq \
    "${missing[@]}" >/dev/null
else
  echo "install-deps: Debian packages present"
fi

# npm packages, exactly as locked. The stamp records which lockfile node_modules came from.
stamp=web/node_modules/.nazar-lock-stamp
if [ ! -f "$stamp" ] || ! cmp -s web/package-lock.json "$stamp"; then
  echo "install-deps: npm ci in web/"
  (cd web && npm ci --no-audit --no-fund --loglevel=error)
  cp web/package-lock.json "$stamp"
else
  echo "install-deps: web/node_modules up to date"
fi
