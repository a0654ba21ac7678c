#!/usr/bin/env bash
# Load benchmark of nazar-collector (issue 6): wrk posts unique tallies (bench/collector/post.lua:
# NPS, CES and a choice over five locales; rate limit off) at 16 and 64 connections, against
# SQLite and against PostgreSQL, beside GET /healthz as the ceiling of the HTTP layer, in one run.
# Prints durable aggregates per second (acknowledged posts, checked against the totals the
# report then counts) and p50/p99 latency.
#
#   bash bench/collector/load.sh                 # 10 s per row
#   SECONDS_PER_ROW=30 bash bench/collector/load.sh
#   STORES=postgresql bash bench/collector/load.sh   # one store only (sqlite, postgresql)
#   COLLECTOR_BIN=/tmp/old/nazar-collector bash bench/collector/load.sh   # that binary instead
#
# Also prints each row's group commits from /metrics: mean aggregates per commit and mean
# milliseconds a commit took (Store::Commit alone, not the wait in the queue).
#
# Builds the native-release preset's collector; starts a private PostgreSQL with
# tests/collector/pg_server.sh (as the postgres user) and stops it on exit.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
dur=${SECONDS_PER_ROW:-10}
stores=${STORES:-sqlite postgresql}
jobs=${NAZAR_JOBS:-$(nproc)}
command -v wrk >/dev/null || { echo "load.sh: wrk is missing (scripts/install-deps.sh installs it)" >&2; exit 1; }

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
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  [ -d "$pgdir" ] && bash tests/collector/pg_server.sh stop "$pgdir" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

export NAZAR_READ_TOKEN=bench-read-token
port=$((20000 + RANDOM % 20000))
start() {  # start DB_ARG: the collector on a fresh port, waiting for /healthz
  port=$((port + 1))
  "$bin" --surveys bench/collector/surveys.json --db "$1" --listen "127.0.0.1:$port" \
    --origins https://shop.example --rate-limit 0 2>"$work/collector.log" &
  pid=$!
  for _ in $(seq 100); do
    curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && return 0
    sleep 0.1
  done
  echo "load.sh: the collector did not start:" >&2; cat "$work/collector.log" >&2; exit 1
}
stop() { kill "$pid"; wait "$pid" || true; pid=""; }
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

printf '%-12s %6s %12s %10s %9s %9s %9s %9s %9s\n' store conns "aggregates/s" requests non200 \
  p50_ms p99_ms batch commit_ms
row() {  # row STORE CONNS: one wrk run against the running collector
  local before after out requests non200 secs p50 p99 c0 c1
  before=$(durable)
  c0=$(commits)
  out=$(wrk -t2 -c"$2" -d"${dur}s" --latency -s bench/collector/post.lua \
        "http://127.0.0.1:$port/v1/aggregates" 2>"$work/wrk.err" | grep '^RESULT')
  after=$(durable)
  c1=$(commits)
  read -r requests non200 secs p50 p99 < <(sed -E 's/[a-z0-9_]+=//g; s/RESULT //' <<<"$out")
  local acked=$((requests - non200)) counted=$((after - before))
  # wrk stops mid-flight: requests it sent but did not see answered may still count.
  if [ "$counted" -lt "$acked" ]; then
    echo "load.sh: $acked posts acknowledged but only $counted counted" >&2; exit 1
  fi
  printf '%-12s %6s %12.0f %10s %9s %9s %9s %9.1f %9.2f\n' "$1" "$2" \
    "$(node -e "console.log($acked / $secs)")" "$requests" "$non200" "$p50" "$p99" \
    $(awk -v a="$c0" -v b="$c1" 'BEGIN {split(a, x, " "); split(b, y, " "); n = y[1] - x[1];
      if (n < 1) n = 1; print (y[2] - x[2]) / n, 1000 * (y[3] - x[3]) / n}')
}

for store in $stores; do
  case $store in
    sqlite)
      start "$work/bench.db"
      row sqlite 16
      row sqlite 64
      wrk -t2 -c64 -d"${dur}s" "http://127.0.0.1:$port/healthz" | awk -v d="$dur" \
        '/Requests\/sec/ {printf "%-12s %6s %12.0f   (the HTTP layer and a store ping, no commit)\n", "healthz", 64, $2}'
      stop
      ;;
    postgresql)
      url=$(bash tests/collector/pg_server.sh start "$pgdir")
      start "$url"
      row postgresql 16
      row postgresql 64
      stop
      ;;
    *) echo "load.sh: STORES names sqlite or postgresql, not $store" >&2; exit 2 ;;
  esac
done
