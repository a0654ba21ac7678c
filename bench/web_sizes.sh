#!/usr/bin/env bash
# Page weight of showing one NPS question: Nazar's web/dist next to SurveyJS (survey-core +
# survey-js-ui 2.5.38, the matching pair on npm, installed into a temporary folder). Prints raw,
# gzip -9 and brotli -q 11 bytes per file and per scenario, then the analyze page with its wasm
# module (web/dist/analyze/: page, worker with the module's glue, styles, service worker, wasm).
#
#   bash scripts/build-web.sh && bash bench/web_sizes.sh
set -euo pipefail
cd "$(dirname "$0")/.."
dist=web/dist
[ -f "$dist/nazar-core.wasm" ] || { echo "web_sizes: build first (bash scripts/build-web.sh)" >&2; exit 1; }

peer=$(mktemp -d)
trap 'rm -rf "$peer"' EXIT
(cd "$peer" && npm init -y >/dev/null && npm install --no-audit --no-fund --loglevel=error \
  survey-core@2.5.38 survey-js-ui@2.5.38 >/dev/null)

sizes() {  # prints "raw gzip brotli" of the files given
  local raw=0 gz=0 br=0
  for f in "$@"; do
    [ -f "$f" ] || continue  # nazar-core.mjs: a file of its own before it was bundled in
    raw=$((raw + $(wc -c <"$f")))
    gz=$((gz + $(gzip -9c "$f" | wc -c)))
    br=$((br + $(brotli -q 11 -c "$f" | wc -c)))
  done
  echo "$raw $gz $br"
}
row() { printf '%-58s %9s %9s %9s\n' "$1" $(sizes "${@:2}"); }

printf '%-58s %9s %9s %9s\n' "bytes" raw "gzip -9" "brotli 11"
for f in nazar.js nazar-widget.mjs nazar-outbox.mjs nazar-triggers.mjs nazar-core.mjs nazar-core.wasm nazar-core-rest.wasm; do
  [ -f "$dist/$f" ] && row "nazar $f" "$dist/$f"
done
sc="$peer/node_modules/survey-core" ui="$peer/node_modules/survey-js-ui"
for f in "$sc/survey.core.min.js" "$ui/survey-js-ui.min.js" "$sc/survey-core.min.css" \
         "$sc/survey.i18n.min.js"; do row "surveyjs $(basename "$f")" "$f"; done
echo
row "Nazar, a page no survey targets (loader only)" "$dist/nazar.js"
# Before the question is on screen: the loader, the definitions (examples/embed: one NPS question),
# the widget module (code, glue, CSS) and the core's first part (what the first question runs,
# web/split.mjs). The outbox module is requested by the show itself (it stores the display),
# after those have arrived (tests/browser/api.test.mjs, "the outbox module is off the first
# question's path"), and the rest of the core once the question is in the page ("the rest of
# the core is off the first question's path"): listed apart.
row "Nazar, a page showing the NPS question (en, fa, ar built in)" "$dist/nazar.js" \
  examples/embed/surveys.json "$dist/nazar-widget.mjs" "$dist/nazar-core.mjs" "$dist/nazar-core.wasm"
row "Nazar, then what the show loads (the outbox module)" "$dist/nazar-outbox.mjs"
row "Nazar, and once the question is in the page, the rest of the core" "$dist/nazar-core-rest.wasm"
row "Nazar, with it on a page whose surveys wait for a scroll, dwell or exit intent" "$dist/nazar-triggers.mjs"
row "SurveyJS, showing the NPS question (English only)" "$sc/survey.core.min.js" \
  "$ui/survey-js-ui.min.js" "$sc/survey-core.min.css"
row "SurveyJS, showing it with all translations" "$sc/survey.core.min.js" \
  "$ui/survey-js-ui.min.js" "$sc/survey-core.min.css" "$sc/survey.i18n.min.js"
echo
[ -f "$dist/analyze/nazar-analyze.wasm" ] || { echo "web_sizes: no $dist/analyze/nazar-analyze.wasm" >&2; exit 1; }
row "Nazar analyze module (nazar-analyze.wasm)" "$dist/analyze/nazar-analyze.wasm"
row "Nazar analyze page, everything it loads (budget: 150 KB brotli)" "$dist"/analyze/*
