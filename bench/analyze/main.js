// The bench page: keeps instances of each implementation and runs one timed call at a time
// for bench/analyze_bench.mjs, which drives it through window.bench.
import { WorkerClient } from './rpc.js';
import * as duck from './duck.js';
import * as nazar from './nazar.js';

// An implementation whose scorer lives in a worker of ours (bench/analyze/*-worker.js).
function workerImpl(url) {
  return async () => {
    const t0 = performance.now();
    const w = new WorkerClient(url);
    await w.call('ready');
    const instantiateMs = performance.now() - t0;
    return {
      instantiateMs,
      load: (file) => w.call('load', file),
      scoreBytes: async () => w.call('scoreBytes'),
      scoreFile: async (file) => w.call('scoreFile', file),
      close: () => w.close(),
    };
  };
}

const impls = {
  'js-loop': { available: true, open: workerImpl('/jsloop-worker.js') },
  papaparse: { available: true, open: workerImpl('/papa-worker.js') },
  'duckdb-wasm': { available: true, open: () => duck.open() },
  'nazar-worker': { available: nazar.available, open: () => nazar.open({ base: location.origin }, 2) },
  'nazar-one': { available: nazar.available, open: () => nazar.open({ base: location.origin }, 1) },
};

const instances = new Map();
let nextId = 0;
const file = () => {
  const f = document.getElementById('f').files[0];
  if (!f) throw new Error('no file picked');
  return f;
};

window.bench = {
  available: () => Object.fromEntries(Object.entries(impls).map(([k, v]) => [k, v.available])),

  /** A fresh instance of `name`; returns {id, instantiate_ms}. */
  async open(name) {
    const inst = await impls[name].open();
    const id = nextId++;
    instances.set(id, inst);
    return { id, instantiate_ms: inst.instantiateMs, bundle: inst.bundle };
  },

  /** Untimed preparation of span (a): the bytes into the instance's memory. */
  async load(id) {
    await instances.get(id).load(file());
  },

  /**
   * One timed call. span "bytes": scoring the bytes already in memory; "file": from the File
   * to the result. ms is measured here on the page (call to result), inner_ms inside the
   * worker when the implementation reports it.
   */
  async run(id, span) {
    const inst = instances.get(id);
    const f = file();
    const t0 = performance.now();
    const out = span === 'bytes' ? await inst.scoreBytes() : await inst.scoreFile(f);
    const ms = performance.now() - t0;
    const hist = out && out.result ? out.result : out;
    const steps = out && out.steps ? out.steps : null;  // the two workers' (nazar.js)
    return { ms, inner_ms: out && out.result ? out.ms : null, hist, steps };
  },

  async close(id) {
    await instances.get(id).close();
    instances.delete(id);
  },
};
window.benchReady = true;
