// One of the two workers of the analyze page's parallel path (web/src/pages/analyze/parallel.ts)
// over bytes already in memory: span (a) of the "nazar analyze worker" row. It runs the page's
// own part scorer (parts.ts) and engine (engine.ts), warmed up as the page's workers are, with
// the file's bytes read into it beforehand (untimed; each of the two workers holds the whole
// file and reads only its part of it, so the fallback to one part stays possible). The
// coordinator on the bench page is the page's AnalyzeWorkers, unchanged. The engine's calls are
// timed (two performance.now() per call) and the times sent with the part's answer (`steps`).
import { loadEngine, warmUpRounds } from '../../web/src/pages/analyze/engine.ts';
import { Cancelled, PartScorer } from '../../web/src/pages/analyze/parts.ts';

// Milliseconds spent in each engine call since the part (first, second or rest) began, sent with
// the part's answer (fed, state, done): analyze_bench.mjs prints them as the two workers' steps.
let spent = {};
const timed = (engine) => {
  for (const name of ['feed', 'continueFrom', 'exportState', 'absorb', 'finish']) {
    const call = engine[name];
    engine[name] = (...args) => {
      const t = performance.now();
      try {
        return call(...args);
      } finally {
        spent[name] = (spent[name] ?? 0) + performance.now() - t;
      }
    };
  }
  return engine;
};
let engine = null;
const getEngine = () => (engine ??= loadEngine().then(timed));
let bytes = null;
const answers = ['fed', 'state', 'done'];
const post = (m, transfer) =>
  self.postMessage(answers.includes(m.type) ? { ...m, steps: spent } : m, transfer ?? []);
const parts = new PartScorer(getEngine, post);
// The held bytes as parts.ts reads a range: one piece (fed in the page's 1 MiB feeds).
const memory = async function* (start, end) {
  yield bytes.subarray(start, end);
};

self.onmessage = async ({ data: m }) => {
  if (m.type === 'first' || m.type === 'second' || m.type === 'rest') spent = {};
  try {
    if (m.type === 'ready') {
      await warmUpRounds(await getEngine());  // all its rounds, as a page waiting for a file
      post({ type: 'ready' });
    } else if (m.type === 'load') {
      bytes = new Uint8Array(await m.file.arrayBuffer());
      post({ type: 'loaded' });
    } else if (m.type === 'first') {
      await parts.first(memory, bytes.length, m.end, m.options, m.run);
    } else if (m.type === 'second') {
      await parts.second(memory, bytes.length, m.start, m.options, m.run);
    } else if (m.type === 'rest') {
      const handle = await parts.rest(memory, m.state, m.start, m.run);
      (await getEngine()).destroy(handle);
    } else if (m.type === 'cancel') {
      parts.cancel = true;
    }
  } catch (e) {
    post(e instanceof Cancelled ? { type: 'cancelled', run: m.run } : { type: 'error', message: String((e && e.stack) || e), run: m.run });
  }
};
