// Scores one file with two workers at once: the first reads [0, b), the second the header and
// [b, end), b just after the first "\n" at or after the middle (the second worker finds it in its
// own bytes); the first then reads on to b, takes the second's state and finishes (parts.ts runs
// the parts, the core decides whether they add up, and when they do not, the first reads on, so
// the report is always that of one import). Used by the analyze page (main.ts) and by the
// benchmark (bench/analyze/nazar.js) in front of their workers: the page talks to this class as
// it would to one worker. Small files and one-core machines keep the one-worker path; UTF-16
// files, which the core does not continue, are read on by the first worker alone.

import type { FromWorker, ToWorker } from './protocol';

// What this needs of a worker (a Worker, or a test's stand-in).
export interface WorkerLike {
  postMessage(m: ToWorker, transfer?: Transferable[]): void;
  onmessage: ((e: MessageEvent<FromWorker>) => void) | null;
}

// Files from this size on are split (below it, a second worker saves less than it costs).
export const SPLIT_BYTES = 4 << 20;
// The workers the page uses: two where there are two cores (the design: one file, two halves).
export function workerCount(): number {
  const cores = typeof navigator === 'undefined' ? 1 : navigator.hardwareConcurrency || 1;
  return Math.max(1, Math.min(2, cores));
}

// Where the first part ends: the middle of a file of at least `min` bytes, else null (one part).
// The second worker starts its part at the first "\n" from there (parts.ts), so nothing is read
// here; a UTF-16 file (the core will not continue it) is read on by the first worker alone.
export function splitPoint(file: Blob, min = SPLIT_BYTES): number | null {
  return file.size >= min ? Math.floor(file.size / 2) : null;
}

interface Totals {
  rows: number;
  bytes: number;
  bad_rows: number;
}

// One file being scored in two parts.
interface Run {
  id: number;
  file: File;
  started: number;
  first: Totals;
  second: Totals;
  fed: boolean;
  state: Uint8Array | null | undefined;  // undefined: not yet
  start: number;  // where the second part began
}

export class AnalyzeWorkers {
  readonly #workers: WorkerLike[];
  readonly #deliver: (m: FromWorker) => void;
  readonly #min: number;
  #run: Run | null = null;
  #runs = 0;
  #secondFailed = false;  // the second worker failed to load or died: no more splits

  // `deliver` gets what one worker would send: progress (both parts summed), done, cancelled,
  // errors, proposals and comparisons (the first worker holds the finished import).
  constructor(workers: WorkerLike[], deliver: (m: FromWorker) => void, { splitBytes = SPLIT_BYTES } = {}) {
    this.#workers = workers;
    this.#deliver = deliver;
    this.#min = splitBytes;
    workers.forEach((w, i) => {
      w.onmessage = (e) => (i === 0 ? this.#fromFirst(e.data) : this.#fromSecond(e.data));
    });
  }

  get parallel(): boolean {
    return this.#workers.length >= 2 && !this.#secondFailed;
  }

  // A worker's error event (it failed to load, or died). The first worker's ends the file being
  // scored with an error; the second's costs the first part only the rest of the file, and later
  // files are read in one part.
  workerFailed(index: number, message: string): void {
    const run = this.#run;
    if (index === 0) {
      if (run) this.#workers[1]?.postMessage({ type: 'cancel' });
      this.#run = null;
      this.#deliver({ type: 'error', message });
      return;
    }
    this.#secondFailed = true;
    if (run && run.state === undefined) {
      run.state = null;
      run.second = { rows: 0, bytes: 0, bad_rows: 0 };
      this.#finish(run);
    }
  }

  send(m: ToWorker): void {
    if (m.type === 'warm' || m.type === 'cancel') {
      for (const w of this.#workers) w.postMessage(m);
      if (m.type === 'cancel' && this.#run?.fed) {
        // The first part waits for the second, reading nothing: it has no "cancelled" to say.
        this.#run = null;
        this.#deliver({ type: 'cancelled' });
      }
    } else if (m.type === 'score' && this.parallel) {
      this.#score(m);
    } else {
      this.#workers[0].postMessage(m);
    }
  }

  #score(m: Extract<ToWorker, { type: 'score' }>) {
    const started = performance.now();
    const split = splitPoint(m.file, this.#min);
    if (split === null) {
      this.#workers[0].postMessage(m);
      return;
    }
    const zero = { rows: 0, bytes: 0, bad_rows: 0 };
    const id = ++this.#runs;
    this.#run = { id, file: m.file, started, first: { ...zero }, second: { ...zero }, fed: false, state: undefined, start: split };
    // The second part first: it has more to do (the header, the seek to a line end, its state
    // sent on), and on two cores the worker told last starts last.
    this.#workers[1].postMessage({ type: 'second', run: id, file: m.file, start: split, options: m.options });
    this.#workers[0].postMessage({ type: 'first', run: id, file: m.file, end: split, options: m.options });
  }

  // An answer to a part of another run than the one scoring (cancelled, or earlier) is dropped.
  #stale(m: FromWorker): boolean {
    const run = 'run' in m ? m.run : undefined;
    return run !== undefined && run !== this.#run?.id;
  }

  #fromFirst(m: FromWorker) {
    if (this.#stale(m)) return;
    const run = this.#run;
    if (!run) {
      this.#deliver(m);
      return;
    }
    if (m.type === 'progress') {
      run.first = m;
      this.#progress(run);
    } else if (m.type === 'fed') {
      run.fed = true;
      this.#finish(run);
    } else if (m.type === 'done') {
      this.#run = null;
      this.#deliver({ ...m, ms: performance.now() - run.started });
    } else if (m.type === 'cancelled' || m.type === 'error') {
      this.#run = null;
      if (m.type === 'error') this.#workers[1].postMessage({ type: 'cancel' });
      this.#deliver(m);
    } else {
      this.#deliver(m);
    }
  }

  #fromSecond(m: FromWorker) {
    if (this.#stale(m)) return;
    const run = this.#run;
    if (!run || run.state !== undefined) return;
    if (m.type === 'progress') {
      run.second = m;
      this.#progress(run);
    } else if (m.type === 'state' || m.type === 'error') {
      // A second part that failed only costs the first part the rest of the file.
      run.state = m.type === 'state' ? m.state : null;
      if (m.type === 'state') run.start = m.start;
      if (run.state === null) run.second = { rows: 0, bytes: 0, bad_rows: 0 };
      this.#finish(run);
    }
  }

  #finish(run: Run) {
    if (!run.fed || run.state === undefined) return;
    const state = run.state;
    this.#workers[0].postMessage({ type: 'rest', run: run.id, file: run.file, state, start: run.start }, state ? [state.buffer] : []);
  }

  #progress(run: Run) {
    const { first: a, second: b } = run;
    this.#deliver({
      type: 'progress', rows: a.rows + b.rows, bytes: a.bytes + b.bytes, bad_rows: a.bad_rows + b.bad_rows,
      total: run.file.size,
    });
  }
}
