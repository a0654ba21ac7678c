#!/usr/bin/env bash
# End-to-end benchmark of `nazar score` on generated CSV exports: median wall and CPU time of RUNS
# runs (default 5) and peak RSS, at 100,000 and 1,000,000 rows. The file is streamed in 64 KiB chunks,
# so peak memory should be the same at both sizes.
#
# Usage: bench/cli_e2e.sh [BUILD_DIR]      (default: build/native-release)
# Build first: cmake --preset native-release -B BUILD_DIR &&
#              cmake --build BUILD_DIR --target nazar_cli nazar_gen_responses
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build/native-release}
runs=${RUNS:-5}
sizes=${SIZES:-"100000 1000000"}
nazar=$build/cli/nazar
gen=$build/bench/nazar_gen_responses
for tool in "$nazar" "$gen"; do
  [ -x "$tool" ] || { echo "missing $tool: build nazar_cli and nazar_gen_responses" >&2; exit 1; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# One run of "$@" (stdout discarded): prints "<wall s> <user+sys CPU s> <peak RSS KiB>".
measure() {
  local start end usage
  start=$(date +%s%N)
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -f "%M %U %S" -o "$work/usage" "$@" > /dev/null
    usage=$(tail -n 1 "$work/usage")
  else
    # No GNU time: getrusage(RUSAGE_CHILDREN) through a tiny python wrapper.
    usage=$(python3 -c 'import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=True)
u = resource.getrusage(resource.RUSAGE_CHILDREN)
print(u.ru_maxrss, u.ru_utime, u.ru_stime)' "$@")
  fi
  end=$(date +%s%N)
  echo "$usage" | awk -v s="$start" -v e="$end" \
    '{ printf "%.3f %.2f %d\n", (e - s) / 1e9, $2 + $3, $1 }'
}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

echo "machine: $(nproc) cores, $(uname -sm); runs per case: $runs; $(date -u +%F)"
printf '%-9s %-6s %-34s %9s %7s %12s %8s\n' rows MiB case wall_s cpu_s rows_per_s rss_MiB
for n in $sizes; do
  file=$work/responses-$n.csv
  "$gen" "$n" > "$file"
  mib=$(awk -v b="$(stat -c %s "$file")" 'BEGIN { printf "%.1f", b / 1048576 }')
  for variant in "" "--by channel --period week"; do
    : > "$work/wall"
    : > "$work/cpu"
    : > "$work/rss"
    for _ in $(seq "$runs"); do
      # shellcheck disable=SC2086  # $variant is a list of flags
      read -r wall cpu rss < <(measure "$nazar" score "$file" $variant)
      echo "$wall" >> "$work/wall"
      echo "$cpu" >> "$work/cpu"
      echo "$rss" >> "$work/rss"
    done
    wall=$(median < "$work/wall")
    cpu=$(median < "$work/cpu")
    rss=$(sort -n "$work/rss" | tail -n 1)  # the largest peak seen
    printf '%-9s %-6s %-34s %9s %7s %12.0f %8.1f\n' "$n" "$mib" "score ${variant:-(overall)}" \
      "$wall" "$cpu" "$(awk -v n="$n" -v s="$wall" 'BEGIN { print n / s }')" \
      "$(awk -v r="$rss" 'BEGIN { print r / 1024 }')"
  done
done
