// "nazar analyze worker": the analyze page's own workers (web/dist/analyze/analyze-worker.js,
// built from web/src/pages/analyze/worker.ts), unchanged and driven through the page's own
// protocol (protocol.ts), measured exactly like the other peers. analyze_bench.mjs serves the
// built page under /nazar/ (--nazar-dist, default web/dist). Two rows:
//
//   - "nazar-worker": the page's path on this machine: two workers (two cores), a file above
//     parallel.ts's SPLIT_BYTES scored in two parts at once by the page's coordinator
//     (AnalyzeWorkers), merged in the core into exactly one import's report;
//   - "nazar-one": one worker, the whole file (the page on a one-core machine).
//
// Spans:
//   - instantiate: from `new Worker` to the answer of a first tiny "propose" (each worker), which
//     a worker sends only after it has fetched and instantiated nazar-analyze.wasm and run the
//     first round of the page's warm-up (the page posts "warm" to every worker when it loads;
//     the other rounds follow, a task apart, until a file is to be scored: engine.ts
//     warmUpRounds);
//   - a. bytes in memory: the page worker has no "bytes" operation, so other workers run the
//     page's engine (engine.ts, the same module and glue) over the file's bytes read into them
//     beforehand (untimed), fed in the page worker's 1 MiB pieces: nazar-part-worker.js (two, under
//     the page's AnalyzeWorkers) or nazar-bytes-worker.js (one);
//   - b. File -> result: the picked File itself, exactly what happens when a user drops it.
// The result is the "done" report (nazar_import_finish's JSON, the same as
// `nazar score --format json`), and "in worker" is the time from the request to that report.
import { fromScoreJson } from './nazar_json.js';
import { WorkerClient } from './rpc.js';
import { AnalyzeWorkers } from '../../web/src/pages/analyze/parallel.ts';

/** The analyze page's worker is measured when the bench serves the built page. */
export const available = true;

const kOptions = { format: 'csv', by: 'locale', period: 'month' };

// Workers behind one AnalyzeWorkers (as the page has them): ask() sends one message and
// resolves with the first answer of type `want`. `seen`, when given, gets every message from a
// worker as it arrives, before the coordinator does.
function coordinated(workers, seen = null) {
  let waiting = null;  // {resolve, reject, want}
  const watched = !seen ? workers : workers.map((w) => ({
    postMessage: (m, transfer) => w.postMessage(m, transfer),
    set onmessage(handler) {
      w.onmessage = (e) => {
        seen(e.data);
        handler(e);
      };
    },
  }));
  const coordinator = new AnalyzeWorkers(watched, (data) => {
    if (!waiting || data.type === 'progress') return;
    const w = waiting;
    waiting = null;
    if (data.type === w.want) w.resolve(data);
    else w.reject(new Error(`nazar analyze worker: ${data.type}: ${data.message || ''}`));
  });
  for (const w of workers) {
    w.onerror = (e) => {
      if (waiting) waiting.reject(new Error(`nazar analyze worker: ${e.message}`));
      waiting = null;
    };
  }
  return (message, want) => new Promise((resolve, reject) => {
    if (waiting) throw new Error('nazar analyze worker: one call at a time');
    waiting = { resolve, reject, want };
    coordinator.send(message);
  });
}

// One message to one raw worker, answered by `want`.
const once = (worker, message, want) => new Promise((resolve, reject) => {
  const previous = worker.onmessage;
  worker.onmessage = ({ data }) => {
    if (data.type === 'progress') return;
    worker.onmessage = previous;
    if (data.type === want) resolve(data);
    else reject(new Error(`${data.type}: ${data.message || ''}`));
  };
  worker.postMessage(message);
});

/** Starts fresh instances of the analyze page's workers (see above), `count` of them. */
export async function open(ctx, count = 2) {
  const t0 = performance.now();
  const workers = Array.from({ length: count },
    () => new Worker(`${ctx.base}/nazar/analyze/analyze-worker.js`, { type: 'module' }));
  const tiny = new File(['date,nps\n2026-11-30,9\n'], 'tiny.csv', { type: 'text/csv' });
  await Promise.all(workers.map(async (w) => {
    w.postMessage({ type: 'warm' });
    await once(w, { type: 'propose', file: tiny }, 'proposal');
  }));
  const instantiateMs = performance.now() - t0;
  const ask = coordinated(workers);

  const score = async (send, file) => {
    const t = performance.now();
    const done = await send({ type: 'score', file, options: kOptions }, 'done');
    return { result: fromScoreJson(JSON.parse(done.report)), ms: performance.now() - t, parts: done.parts ?? 1 };
  };
  let bytes = null;  // span (a): {ask, close} or, for one worker, the rpc client
  return {
    instantiateMs,
    async load(file) {
      if (count === 1) {
        const one = new WorkerClient('/nazar-bytes-worker.js');
        await one.call('ready');
        await one.call('load', file);
        bytes = { score: () => one.call('scoreBytes'), close: () => one.close() };
        return;
      }
      const parts = Array.from({ length: count }, () => new Worker('/nazar-part-worker.js', { type: 'module' }));
      await Promise.all(parts.map(async (w) => {
        await once(w, { type: 'ready' }, 'ready');
        await once(w, { type: 'load', file }, 'loaded');
      }));
      // The steps of each scoring: when the page saw each part's answer (ms from the request),
      // and the engine's time in each call inside each part (nazar-part-worker.js).
      let t0 = 0;
      let steps = {};
      const send = coordinated(parts, (data) => {
        if (data.steps) steps[data.type] = { at: performance.now() - t0, engine: data.steps };
      });
      bytes = {
        score: async () => {
          steps = {};
          t0 = performance.now();
          const out = await score(send, file);
          if (out.parts !== 2) throw new Error('nazar analyze worker: the file was not scored in two parts');
          return { ...out, steps };
        },
        close: () => parts.forEach((w) => w.terminate()),
      };
    },
    scoreBytes: () => bytes.score(),
    scoreFile: (file) => score(ask, file),
    close: () => {
      workers.forEach((w) => w.terminate());
      if (bytes) bytes.close();
    },
  };
}
