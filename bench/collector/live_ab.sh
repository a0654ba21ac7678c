#!/usr/bin/env bash
# Live dashboards against ingest (issue 8 item 6: fifty open live dashboards do not lower ingest
# throughput). The load benchmark's wrk run (post.lua, 64 connections) against one collector,
# alternately with no live stream open and with STREAMS streams open (curl, each the live view
# of today's report by day and locale, so every stream follows the posts and gets a new report
# as the step is reached); the sides alternate in order run by run (A B, B A, ...) so drift
# favours neither. Prints every run, the medians and the ratio with/without, per store, and the
# report events the streams received per second (they were live, not idle).
#
#   bash bench/collector/live_ab.sh                      # 3 runs of 10 s per side and store
#   RUNS=5 STREAMS=50 SECONDS_PER_ROW=10 STORES=sqlite bash bench/collector/live_ab.sh
#   COLLECTOR_BIN=/tmp/other/nazar-collector bash bench/collector/live_ab.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/collector/common.sh
runs=${RUNS:-3}
streams=${STREAMS:-50}
conns=${CONNS:-64}
today=$(date -u +%F)

stream_pids=()
close_streams() {
  for p in "${stream_pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${stream_pids[@]}"; do wait "$p" 2>/dev/null || true; done
  stream_pids=()
}
on_exit+=(close_streams)

open_streams() {  # open_streams N: N live views, each writing its events to $work/stream.I
  rm -f "$work"/stream.*
  for i in $(seq "$1"); do
    curl -sN -H "Authorization: Bearer $NAZAR_READ_TOKEN" \
      "http://127.0.0.1:$port/v1/stream?survey=bench&from=$today&to=$today&by=day&segment=locale" \
      >"$work/stream.$i" 2>/dev/null &
    stream_pids+=($!)
  done
  for _ in $(seq 100); do
    curl -sf "http://127.0.0.1:$port/metrics" | grep -qx "nazar_streams_open $1" && return 0
    sleep 0.1
  done
  echo "live_ab.sh: $1 streams did not open" >&2; exit 1
}
events() { cat "$work"/stream.* 2>/dev/null | grep -c '^event: report' || true; }
median() { tr ' ' '\n' | grep . | sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }

printf '%-11s %-11s %-28s %8s %8s %s\n' store side "aggregates/s per run" median p99_ms \
  "report events/s per stream"
for store in $stores; do
  case $store in
    sqlite) start "$work/bench.db" ;;
    postgresql) start "$(pg_url)" ;;
    *) echo "live_ab.sh: STORES names sqlite or postgresql, not $store" >&2; exit 2 ;;
  esac
  without="" with="" p99_without="" p99_with="" per_stream=""
  for r in $(seq "$runs"); do
    sides="0 $streams"
    [ $((r % 2)) -eq 0 ] && sides="$streams 0"
    for side in $sides; do
      if [ "$side" -eq 0 ]; then
        measure "$conns"
        without+=" $rate"
        p99_without+=" $p99"
      else
        open_streams "$side"
        first=$(events)
        measure "$conns"
        live=$(( $(events) - first ))
        close_streams
        with+=" $rate"
        p99_with+=" $p99"
        per_stream+=" $(node -e "console.log(($live / $side / $dur).toFixed(2))")"
      fi
    done
  done
  stop
  m0=$(median <<<"$without")
  m1=$(median <<<"$with")
  printf '%-11s %-11s %-28s %8s %8s\n' "$store" "0 streams" "${without# }" "$m0" \
    "$(median <<<"$p99_without")"
  printf '%-11s %-11s %-28s %8s %8s %s\n' "$store" "$streams streams" "${with# }" "$m1" \
    "$(median <<<"$p99_with")" "${per_stream# }"
  printf '%-11s %-11s %-28s %8s\n' "$store" "ratio" "(median with / without)" \
    "$(node -e "console.log(($m1 / $m0).toFixed(3))")"
done
