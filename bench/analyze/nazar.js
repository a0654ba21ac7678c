// "nazar analyze worker": the analyze page's own worker (web/dist/analyze/analyze-worker.js, built
// from web/src/pages/analyze/worker.ts), unchanged and driven through the page's own protocol
// (protocol.ts), measured exactly like the other peers. analyze_bench.mjs serves the built page
// under /nazar/ (--nazar-dist, default web/dist).
//
//   - instantiate: from `new Worker` to the answer of a first tiny "propose", which the worker
//     sends only after it has fetched and instantiated nazar-analyze.wasm and run the page's
//     warm-up import (the page posts "warm" when it loads, before any file is dropped);
//   - a. bytes in memory: the page worker has no "bytes" operation, so a second worker
//     (nazar-bytes-worker.js) runs the page's engine (engine.ts, the same module and glue) over
//     the file's bytes read into it beforehand (untimed), fed in the page worker's 1 MiB pieces:
//     the importer's time without the browser's file reading, like the JS loop's span (a);
//   - b. File -> result: the picked File itself, exactly what happens when a user drops it.
// The result is the worker's "done" report (nazar_import_finish's JSON, the same as
// `nazar score --format json`), and "in worker" is the time the worker reports for the import.
import { fromScoreJson } from './nazar_json.js';
import { WorkerClient } from './rpc.js';

/** The analyze page's worker is measured when the bench serves the built page. */
export const available = true;

const kOptions = { format: 'csv', by: 'locale', period: 'month' };

/** Starts a fresh instance of the analyze page's worker (see above). */
export async function open(ctx) {
  const t0 = performance.now();
  const worker = new Worker(`${ctx.base}/nazar/analyze/analyze-worker.js`, { type: 'module' });
  let waiting = null;  // {resolve, reject, want}
  worker.onmessage = ({ data }) => {
    if (!waiting || data.type === 'progress') return;
    const w = waiting;
    waiting = null;
    if (data.type === w.want) w.resolve(data);
    else w.reject(new Error(`nazar analyze worker: ${data.type}: ${data.message || ''}`));
  };
  worker.onerror = (e) => {
    if (waiting) waiting.reject(new Error(`nazar analyze worker: ${e.message}`));
    waiting = null;
  };
  const ask = (message, want) => new Promise((resolve, reject) => {
    if (waiting) throw new Error('nazar analyze worker: one call at a time');
    waiting = { resolve, reject, want };
    worker.postMessage(message);
  });

  worker.postMessage({ type: 'warm' });
  const tiny = new File(['date,nps\n2026-11-30,9\n'], 'tiny.csv', { type: 'text/csv' });
  await ask({ type: 'propose', file: tiny }, 'proposal');
  const instantiateMs = performance.now() - t0;

  const score = async (file) => {
    const done = await ask({ type: 'score', file, options: kOptions }, 'done');
    return { result: fromScoreJson(done.report), ms: done.ms };
  };
  let bytesWorker = null;
  return {
    instantiateMs,
    async load(file) {
      bytesWorker = new WorkerClient('/nazar-bytes-worker.js');
      await bytesWorker.call('ready');
      await bytesWorker.call('load', file);
    },
    scoreBytes: () => bytesWorker.call('scoreBytes'),
    scoreFile: (file) => score(file),
    close: () => {
      worker.terminate();
      if (bytesWorker) bytesWorker.close();
    },
  };
}
