#!/usr/bin/env bash
# Page weight and time to the first question, before and after: builds web/dist of this checkout
# and of an earlier commit (in a git worktree beside it), then runs bench/web_sizes.sh on each and
# bench/first_question.mjs on both in one browser session.
#
#   bash bench/before_after.sh [BEFORE_COMMIT]     # default c55a46a, the code before issue 5
#   RUNS=15 BEFORE_DIR=/path/for/worktree SKIP_BUILD=1 bash bench/before_after.sh
#
# SKIP_BUILD=1 reuses both web/dist folders as they are. The worktree shares this checkout's
# web/node_modules through a symlink.
set -euo pipefail
cd "$(dirname "$0")/.."
export NODE_PATH=/usr/share/nodejs
before_commit=${1:-c55a46a}
before_dir=${BEFORE_DIR:-$PWD/build/before-$before_commit}
runs=${RUNS:-15}
jobs=${NAZAR_JOBS:-$(nproc)}

build_dist() {  # builds web/dist in the checkout $1
  (cd "$1" && cmake --preset wasm-release >/dev/null &&
   cmake --build --preset wasm-release -j "$jobs" >/dev/null && node web/build.mjs >/dev/null)
}

if [ ! -d "$before_dir" ]; then
  git worktree add --detach "$before_dir" "$before_commit" >/dev/null
fi
[ -e "$before_dir/web/node_modules" ] || ln -s "$PWD/web/node_modules" "$before_dir/web/node_modules"
if [ -z "${SKIP_BUILD:-}" ]; then
  echo "== building web/dist of $before_commit in $before_dir"
  build_dist "$before_dir"
  echo "== building web/dist of $(git rev-parse --short HEAD)"
  build_dist "$PWD"
fi

echo "== page weight, before ($before_commit)"
bash "$before_dir/bench/web_sizes.sh"
echo "== page weight, after ($(git rev-parse --short HEAD))"
bash bench/web_sizes.sh
echo "== time to the first question"
node bench/first_question.mjs --runs "$runs" "before=$before_dir/web/dist" "after=$PWD/web/dist"
