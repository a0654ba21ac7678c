#!/usr/bin/env bash
# Runs the demo: the demo shop with the widget, and nazar-collector on SQLite behind the shop's
# /v1/ (as a site's reverse proxy would put it): the shop reads its definitions from
# GET /v1/surveys and posts answers to /v1/aggregates. Prints the URLs and the curl line that
# reads the report. Ctrl-C stops both.
#   bash scripts/demo.sh                  # shop on 127.0.0.1:8080, collector on 127.0.0.1:8088
#   PORT=9000 COLLECTOR_PORT=9001 bash scripts/demo.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export NODE_PATH=/usr/share/nodejs
jobs=${NAZAR_JOBS:-$(nproc)}
port=${PORT:-8080}
cport=${COLLECTOR_PORT:-8088}

scripts/install-deps.sh
scripts/build-web.sh
cmake --preset native-release >/dev/null
cmake --build --preset native-release -j "$jobs" --target nazar_collector
collector=build/native-release/collector/nazar-collector

mkdir -p build/demo
# The read token: made once, kept in a file only the demo reads (never on a command line).
[ -s build/demo/read-token ] || od -An -tx1 -N16 /dev/urandom | tr -d ' \n' > build/demo/read-token
chmod 600 build/demo/read-token

# The definitions of both examples (the shop's and the plain embed page's), one folder.
mkdir -p build/demo/surveys
cp examples/demo-shop/surveys.json build/demo/surveys/demo-shop.json
cp examples/embed/surveys.json build/demo/surveys/embed.json

"$collector" --surveys build/demo/surveys --db build/demo/nazar.db \
  --listen "127.0.0.1:$cport" --origins "http://127.0.0.1:$port,http://localhost:$port" \
  --trusted-proxies 127.0.0.1/32 --read-token-file build/demo/read-token --web-dir web/dist &
collector_pid=$!
trap 'kill $collector_pid 2>/dev/null; wait $collector_pid 2>/dev/null' EXIT
for _ in $(seq 50); do
  curl -sf "http://127.0.0.1:$cport/healthz" >/dev/null && break
  sleep 0.1
done

# Reports hide groups below 5 respondents (METRICS.md), so the demo starts with four weeks of
# sample answers (8 to 14 a day), marked site "sample.demo": yours add to them. Batch ids are
# fixed per day and answer, so running the demo again adds each once.
node scripts/demo_seed.mjs "http://127.0.0.1:$cport/v1/aggregates" "http://127.0.0.1:$port"

today=$(date -u +%F)
cat >&2 <<TEXT

nazar demo
  shop:       http://127.0.0.1:$port/checkout/thank-you/   (Persian: /fa/checkout/thank-you/)
  collector:  http://127.0.0.1:$cport   (SQLite: build/demo/nazar.db)
  dashboard:  http://127.0.0.1:$cport/   (sign in with the token in build/demo/read-token;
              it updates live once 5 new answers have arrived)
  analyze:    http://127.0.0.1:$cport/analyze/   (drop an export; nothing is uploaded)
  answer the survey in the shop, then read the report:
    curl -H "Authorization: Bearer \$(cat build/demo/read-token)" \\
      "http://127.0.0.1:$cport/v1/report?survey=post-checkout&from=$today&to=$today"

TEXT
COLLECTOR="http://127.0.0.1:$cport" PORT=$port node scripts/serve.mjs
