# Shared by the collector's benchmarks (load.sh, live_ab.sh); sourced from the repository root
# with `set -euo pipefail`. Builds (or takes COLLECTOR_BIN), makes a work folder that is removed
# on exit together with the collector and the private PostgreSQL it started, and measures
# wrk posts of unique tallies (post.lua) against a running collector.
command -v wrk >/dev/null || { echo "$0: wrk is missing (scripts/install-deps.sh installs it)" >&2; exit 1; }
dur=${SECONDS_PER_ROW:-10}
stores=${STORES:-sqlite postgresql}
jobs=${NAZAR_JOBS:-$(nproc)}

bin=${COLLECTOR_BIN:-}  # another build to compare (it is not rebuilt)
if [ -z "$bin" ]; then
  cmake --preset native-release >/dev/null
  cmake --build --preset native-release -j "$jobs" --target nazar_collector >/dev/null
  bin=$(find build/native-release -name nazar-collector -type f -perm -u+x | head -1)
fi

work=$(mktemp -d /tmp/nazar-load.XXXXXX)
chmod 755 "$work"
pid=""
pgdir="$work/pg"
on_exit=()  # more clean-up of the sourcing script, run first
cleanup() {
  for f in "${on_exit[@]}"; do "$f"; done
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  [ -d "$pgdir" ] && bash tests/collector/pg_server.sh stop "$pgdir" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

export NAZAR_READ_TOKEN=bench-read-token
port=$((20000 + RANDOM % 20000))
start() {  # start DB_ARG [FLAGS...]: the collector on a fresh port, waiting for /healthz
  local db=$1
  shift
  port=$((port + 1))
  "$bin" --surveys bench/collector/surveys.json --db "$db" --listen "127.0.0.1:$port" \
    --origins https://shop.example --rate-limit 0 "$@" 2>"$work/collector.log" &
  pid=$!
  for _ in $(seq 100); do
    curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && return 0
    sleep 0.1
  done
  echo "$0: the collector did not start:" >&2; cat "$work/collector.log" >&2; exit 1
}
stop() { kill "$pid"; wait "$pid" || true; pid=""; }
pg_url() { bash tests/collector/pg_server.sh start "$pgdir"; }  # a private server's URL
durable() {  # completions in the report: every acknowledged post is one
  curl -sf -H "Authorization: Bearer $NAZAR_READ_TOKEN" \
    "http://127.0.0.1:$port/v1/report?survey=bench&from=$(date -u +%F)&to=$(date -u +%F)" |
    node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).completions ?? 0))'
}

commits() {  # "COMMITS ITEMS SECONDS" so far, from /metrics
  curl -sf "http://127.0.0.1:$port/metrics" | awk '
    /^nazar_commit_seconds_count / {n = $2} /^nazar_commit_batch_size_sum / {i = $2}
    /^nazar_commit_seconds_sum / {s = $2} END {printf "%d %d %.6f\n", n, i, s}'
}

# measure CONNS: one wrk run of $dur seconds against the running collector. Sets rate
# (acknowledged posts per second), requests, non200, p50, p99, batch (posts per commit) and
# commit_ms; exits when fewer posts were counted than acknowledged.
measure() {
  local before after out secs c0 c1
  before=$(durable)
  c0=$(commits)
  out=$(wrk -t2 -c"$1" -d"${dur}s" --latency -s bench/collector/post.lua \
        "http://127.0.0.1:$port/v1/aggregates" 2>"$work/wrk.err" | grep '^RESULT')
  after=$(durable)
  c1=$(commits)
  read -r requests non200 secs p50 p99 < <(sed -E 's/[a-z0-9_]+=//g; s/RESULT //' <<<"$out")
  local acked=$((requests - non200)) counted=$((after - before))
  # wrk stops mid-flight: requests it sent but did not see answered may still count.
  if [ "$counted" -lt "$acked" ]; then
    echo "$0: $acked posts acknowledged but only $counted counted" >&2; exit 1
  fi
  rate=$(node -e "console.log(($acked / $secs).toFixed(0))")
  read -r batch commit_ms < <(awk -v a="$c0" -v b="$c1" 'BEGIN {split(a, x, " ");
    split(b, y, " "); n = y[1] - x[1]; if (n < 1) n = 1;
    printf "%.1f %.2f\n", (y[2] - x[2]) / n, 1000 * (y[3] - x[3]) / n}')
}
