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
source bench/collector/common.sh

printf '%-12s %6s %12s %10s %9s %9s %9s %9s %9s\n' store conns "aggregates/s" requests non200 \
  p50_ms p99_ms batch commit_ms
row() {  # row STORE CONNS: one wrk run against the running collector
  measure "$2"
  printf '%-12s %6s %12s %10s %9s %9s %9s %9s %9s\n' "$1" "$2" "$rate" "$requests" "$non200" \
    "$p50" "$p99" "$batch" "$commit_ms"
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
      start "$(pg_url)"
      row postgresql 16
      row postgresql 64
      stop
      ;;
    *) echo "load.sh: STORES names sqlite or postgresql, not $store" >&2; exit 2 ;;
  esac
done
