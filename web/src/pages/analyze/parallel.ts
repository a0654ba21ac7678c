// Scores one file with two workers at once: the first reads [0, b), the second the header and
// [b, end), b just after the "\n" nearest the middle; the first then takes the second's state and
// finishes (parts.ts runs the parts, the core decides whether they add up, and when they do not,
// the first reads on, so the report is always that of one import). Used by the analyze page
// (main.ts) and by the benchmark (bench/analyze/nazar.js) in front of their workers: the page
// talks to this class as it would to one worker. Small files, UTF-16 and one-core machines keep
// the one-worker path.

import type { FromWorker, ToWorker } from './protocol';

// What this needs of a worker (a Worker, or a test's stand-in).
export interface WorkerLike {
  postMessage(m: ToWorker, transfer?: Transferable[]): void;
  onmessage: ((e: MessageEvent<FromWorker>) => void) | null;
}

// Files from this size on are split (below it, a second worker saves less than it costs).
export const SPLIT_BYTES = 4 << 20;
// A line end is looked for past the middle in windows of this size, at most SEARCH_WINDOWS of them.
const SEARCH_BYTES = 64 << 10;
const SEARCH_WINDOWS = 16;

// The workers the page uses: two where there are two cores (the design: one file, two halves).
export function workerCount(): number {
  const cores = typeof navigator === 'undefined' ? 1 : navigator.hardwareConcurrency || 1;
  return Math.max(1, Math.min(2, cores));
}

// Where the second part starts: just after the first "\n" at or after the middle; null when the
// file is small, UTF-16 (its BOM), or has no line end there.
export async function splitPoint(file: Blob, min = SPLIT_BYTES): Promise<number | null> {
  if (file.size < min) return null;
  const read = async (from: number, to: number) => new Uint8Array(await file.slice(from, to).arrayBuffer());
  const middle = Math.floor(file.size / 2);
  const [bom, first] = await Promise.all([read(0, 2), read(middle, middle + SEARCH_BYTES)]);
  if ((bom[0] === 0xff && bom[1] === 0xfe) || (bom[0] === 0xfe && bom[1] === 0xff)) return null;
  for (let k = 0, from = middle; k < SEARCH_WINDOWS && from < file.size; k++) {
    const window = k === 0 ? first : await read(from, from + SEARCH_BYTES);
    const at = window.indexOf(10);
    if (at >= 0) return from + at + 1 < file.size ? from + at + 1 : null;
    from += SEARCH_BYTES;
  }
  return null;
}

interface Totals {
  rows: number;
  bytes: number;
  bad_rows: number;
}

// One file being scored in two parts.
interface Run {
  file: File;
  started: number;
  first: Totals;
  second: Totals;
  fed: boolean;
  state: Uint8Array | null | undefined;  // undefined: not yet
}

export class AnalyzeWorkers {
  readonly #workers: WorkerLike[];
  readonly #deliver: (m: FromWorker) => void;
  readonly #min: number;
  #run: Run | null = null;

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
    return this.#workers.length >= 2;
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
      this.#score(m).catch((e) => this.#deliver({ type: 'error', message: e instanceof Error ? e.message : String(e) }));
    } else {
      this.#workers[0].postMessage(m);
    }
  }

  async #score(m: Extract<ToWorker, { type: 'score' }>) {
    const started = performance.now();
    const split = await splitPoint(m.file, this.#min);
    if (split === null) {
      this.#workers[0].postMessage(m);
      return;
    }
    const zero = { rows: 0, bytes: 0, bad_rows: 0 };
    this.#run = { file: m.file, started, first: { ...zero }, second: { ...zero }, fed: false, state: undefined };
    this.#workers[0].postMessage({ type: 'first', file: m.file, end: split, options: m.options });
    this.#workers[1].postMessage({ type: 'second', file: m.file, start: split, options: m.options });
  }

  #fromFirst(m: FromWorker) {
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
    const run = this.#run;
    if (!run || run.state !== undefined) return;
    if (m.type === 'progress') {
      run.second = m;
      this.#progress(run);
    } else if (m.type === 'state' || m.type === 'error') {
      // A second part that failed only costs the first part the rest of the file.
      run.state = m.type === 'state' ? m.state : null;
      if (run.state === null) run.second = { rows: 0, bytes: 0, bad_rows: 0 };
      this.#finish(run);
    }
  }

  #finish(run: Run) {
    if (!run.fed || run.state === undefined) return;
    const state = run.state;
    this.#workers[0].postMessage({ type: 'rest', file: run.file, state }, state ? [state.buffer] : []);
  }

  #progress(run: Run) {
    const { first: a, second: b } = run;
    this.#deliver({
      type: 'progress', rows: a.rows + b.rows, bytes: a.bytes + b.bytes, bad_rows: a.bad_rows + b.bad_rows,
      total: run.file.size,
    });
  }
}
