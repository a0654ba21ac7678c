// The hand-written JS loop in its own worker, as the analyze page would run a scorer.
import { serve } from './rpc.js';
import { scoreBuffer, scoreStream } from './jsloop.js';

let bytes = null;
serve({
  // Untimed: brings the file's bytes into this worker for the "bytes in memory" span.
  async load(file) {
    bytes = new Uint8Array(await file.arrayBuffer());
  },
  scoreBytes: () => scoreBuffer(bytes),
  scoreFile: (file) => scoreStream(file.stream()),
});
