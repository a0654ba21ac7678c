// The analyze page's engine (web/src/pages/analyze/engine.ts, the code its worker runs) over
// bytes already in this worker: span (a) of the analyze worker's row. It feeds the importer in
// the page worker's pieces (FEED_BYTES of protocol.ts) and warms up as the page does, so the
// time is the importer's, without the browser's file reading.
import { serve } from './rpc.js';
import { fromScoreJson } from './nazar_json.js';
import { loadEngine, warmUpRounds } from '../../web/src/pages/analyze/engine.ts';
import { FEED_BYTES } from '../../web/src/pages/analyze/protocol.ts';

const kOptions = { format: 'csv', by: 'locale', period: 'month' };
let engine = null;
let bytes = null;

function score(core, data, options) {
  const handle = core.begin(options);
  try {
    for (let at = 0; at < data.length; at += FEED_BYTES) {
      core.feed(handle, data.subarray(at, at + FEED_BYTES));
    }
    return core.finish(handle);
  } finally {
    core.destroy(handle);
  }
}

serve({
  // Instantiates the module and warms it up as the page worker does (engine.ts warmUpRounds, all
  // of its rounds: the page's user takes longer to drop a file).
  async ready() {
    engine = await loadEngine();
    await warmUpRounds(engine);
    return true;
  },
  // Untimed: brings the file's bytes into this worker.
  async load(file) {
    bytes = new Uint8Array(await file.arrayBuffer());
  },
  scoreBytes: () => fromScoreJson(JSON.parse(score(engine, bytes, kOptions))),
});
