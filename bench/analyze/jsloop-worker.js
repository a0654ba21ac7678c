// The hand-written JS loop in its own worker, as the analyze page would run a scorer.
import { serve } from './rpc.js';
import { scoreBuffer, scoreStream } from './jsloop.js';

// Runs of the loop over the file's first MiB before span a ("bytes in memory") is timed, as many as
// the analyze page's workers run of their warm-up (engine.ts WARM_ROUNDS): in that span neither
// side's first timed runs pay for the engine optimizing its code. (Span b's instances load no
// bytes and get none, like a page that has just loaded.)
const WARM_ROUNDS = 12;

let bytes = null;
serve({
  // Untimed: brings the file's bytes into this worker for the "bytes in memory" span, and warms
  // the loop up on them.
  async load(file) {
    bytes = new Uint8Array(await file.arrayBuffer());
    const end = bytes.indexOf(10, 1 << 20) + 1;
    try {
      if (end > 0) for (let i = 0; i < WARM_ROUNDS; i++) scoreBuffer(bytes.subarray(0, end));
    } catch {
      // a cut inside a quoted field of another file (--file): the timed runs say what is wrong
    }
  },
  scoreBytes: () => scoreBuffer(bytes),
  scoreFile: (file) => scoreStream(file.stream()),
});
