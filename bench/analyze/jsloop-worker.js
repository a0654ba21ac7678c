// The hand-written JS loop in its own worker, as the analyze page would run a scorer.
import { serve } from './rpc.js';
import { scoreBuffer, scoreStream } from './jsloop.js';
import { WARM_ROUNDS } from '../../web/src/pages/analyze/protocol.ts';

// The loop runs WARM_ROUNDS times over the file's first MiB before span a ("bytes in memory") is
// timed, as many passes as the analyze page's workers run rounds of their warm-up: in that span
// neither side's first timed runs pay for the engine optimizing its code. (Span b's instances
// load no bytes and get none, like a page that has just loaded.)

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
