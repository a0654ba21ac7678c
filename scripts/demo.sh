#!/usr/bin/env bash
# Runs the demo: builds the widget, then serves the demo shop with the widget and a local
# endpoint that prints every aggregate it receives. URLs are printed on start.
set -euo pipefail
cd "$(dirname "$0")/.."
export NODE_PATH=/usr/share/nodejs
scripts/install-deps.sh
scripts/build-web.sh
exec node scripts/serve.mjs "$@"
