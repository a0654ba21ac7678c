// "nazar analyze worker": the hook through which the benchmark measures the analyze page's own
// worker (web/src/pages/analyze/worker.ts, not built yet) exactly like the other peers.
//
// TO IMPLEMENT when the page exists (nothing else in the bench changes):
//   1. Set `available` to true.
//   2. open(ctx) starts a FRESH instance of the page's worker (one per span and page load, so
//      the first call is "cold") and returns { instantiateMs, load(file), scoreBytes(),
//      scoreFile(file), close() }, all async:
//        - instantiateMs: ms from creating the worker to the wasm module ready to import
//          (the worker's "ready" message), for the "instantiate" row;
//        - load(file): untimed; the worker reads the file's bytes into memory
//          (file.arrayBuffer()) for span (a);
//        - scoreBytes(): span (a): the importer over the bytes already in the worker, fed in
//          the same chunks the worker feeds a stream (nazar_import_begin / _feed / _finish);
//        - scoreFile(file): span (b): the worker's real path, File.stream() -> feeds -> finish,
//          exactly what happens when a user drops the file;
//        - both resolve to the histogram set of histogram.js, or to {result: set, ms} where
//          ms is the time spent inside the worker (shown as "in worker"). The finish result is
//          nazar_import_finish's slot (ScoreResultToJson, the same JSON as `nazar score
//          --format json`), so fromScoreJson(json) of ./nazar_json.js converts it; import
//          options: {"by": "locale", "period": "month"} (unsuppressed).
//   3. ctx.base is the bench server's origin; serve the built page's files by passing
//      `--nazar-dist DIR` to analyze_bench.mjs (mounted at /nazar/, e.g.
//      new Worker(`${ctx.base}/nazar/analyze/worker.js`, { type: 'module' })).
// Until then the bench prints this row as "not built yet", never a number.

/** Whether the analyze page's worker can be measured (see above). */
export const available = false;

/** Starts a fresh instance of the analyze worker; see the contract above. */
export async function open(ctx) {  // eslint-disable-line no-unused-vars
  throw new Error('nazar analyze worker: not built yet (implement bench/analyze/nazar.js)');
}
