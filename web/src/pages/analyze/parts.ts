// The worker's side of scoring one file in parts (the coordinator is parallel.ts): reads a byte
// range from a source (the page: the File's slice, streamed; the bench: bytes held in memory),
// feeds the engine at most FEED_BYTES at a time, and answers with the protocol's messages. The
// core decides whether the parts add up (engine.absorb); this file only moves bytes.

import type { ImportEngine, ImportHandle, ImportOptions, ImportProgress } from './engine';
import { FEED_BYTES, HEADER_LIMIT, type FromWorker } from './protocol';

// The bytes [start, end) of the file, in chunks of any size.
export type ByteSource = (start: number, end: number) => AsyncIterable<Uint8Array>;

// A File's range, read with File.stream() (never the whole file in memory).
export function fileSource(file: Blob): ByteSource {
  return async function* (start, end) {
    const reader = file.slice(start, end).stream().getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        yield value;
      }
    } finally {
      reader.cancel().catch(() => {});
    }
  };
}

export class Cancelled extends Error {}

export class PartScorer {
  cancel = false;
  #first: { handle: ImportHandle; end: number; size: number; start: number; progress: ImportProgress | null } | null = null;
  // The run (protocol.ts) this worker's part belongs to: a part of an earlier run still reading
  // stops at its next chunk, and every message says its run (none for a whole file).
  #run: number | undefined;
  readonly #send: (m: FromWorker, transfer?: Transferable[]) => void;

  constructor(
    private readonly engine: () => Promise<ImportEngine>,
    send: (m: FromWorker, transfer?: Transferable[]) => void,
  ) {
    this.#send = send;
  }

  private post(m: FromWorker, transfer?: Transferable[]): void {
    this.#send(this.#run === undefined ? m : ({ ...m, run: this.#run } as FromWorker), transfer);
  }

  // A new run: its first or second part starts (not cancelled, whatever came before).
  #begin(run: number | undefined) {
    this.#run = run;
    this.cancel = false;
  }

  // Feeds [start, end) of `source`; progress posted at most every 100 ms, `skip` bytes (a
  // continuation's header) left out of it. `seek`: the bytes up to and with the first "\n" are
  // not fed; `dropped` says how many (all of them when there is none).
  async #feed(core: ImportEngine, handle: ImportHandle, source: ByteSource, start: number, end: number, total: number,
    { skip = 0, seek = false } = {}) {
    let shown = 0;
    let progress: ImportProgress | null = null;
    let dropped = 0;
    const run = this.#run;
    for await (let value of source(start, end)) {
      if (this.cancel || run !== this.#run) throw new Cancelled();
      if (seek) {
        const at = value.indexOf(10);
        dropped += at < 0 ? value.length : at + 1;
        value = value.subarray(at < 0 ? value.length : at + 1);
        seek = at < 0;
      }
      for (let at = 0; at < value.length; at += FEED_BYTES) {
        progress = core.feed(handle, value.subarray(at, at + FEED_BYTES));
      }
      const now = performance.now();
      if (progress && now - shown >= 100) {
        shown = now;
        this.post({ type: 'progress', ...progress, bytes: progress.bytes - skip, total });
      }
    }
    return { progress, dropped, found: !seek };
  }

  // A whole file in one part (a small one, or a single worker): the import handle of its report,
  // kept by the caller for comparisons.
  async whole(source: ByteSource, size: number, options: ImportOptions): Promise<ImportHandle> {
    this.#begin(undefined);
    const core = await this.engine();
    this.#drop(core);
    const handle = core.begin(options);
    const start = performance.now();
    try {
      await this.#feed(core, handle, source, 0, size, size);
      const report = core.finish(handle);
      this.post({ type: 'done', report, bytes: size, ms: performance.now() - start });
      return handle;
    } catch (e) {
      core.destroy(handle);
      throw e;
    }
  }

  // The first part: [0, end), then wait for rest().
  async first(source: ByteSource, size: number, end: number, options: ImportOptions, run = 0): Promise<void> {
    this.#begin(run);
    const core = await this.engine();
    this.#drop(core);
    const handle = core.begin(options);
    this.#first = { handle, end, size, start: performance.now(), progress: null };
    try {
      this.#first.progress = (await this.#feed(core, handle, source, 0, end, size)).progress;
      this.post({ type: 'fed' });
    } catch (e) {
      this.#drop(core);
      throw e;
    }
  }

  // The first part reads on to `start`, where the second part began, takes the second's state
  // (or reads the rest itself) and finishes: the import handle of the whole file's report, kept
  // by the caller for comparisons.
  async rest(source: ByteSource, state: Uint8Array | null, start: number, run = 0): Promise<ImportHandle> {
    const core = await this.engine();
    const first = this.#first;
    if (!first || run !== this.#run) throw new Error('no first part of this file to finish');
    this.#first = null;
    try {
      let merged = false;
      if (state !== null) {
        await this.#feed(core, first.handle, source, first.end, start, first.size);
        merged = core.absorb(first.handle, state);
        first.end = start;
      }
      if (!merged) await this.#feed(core, first.handle, source, first.end, first.size, first.size);
      const report = core.finish(first.handle);
      this.post({ type: 'done', report, bytes: first.size, ms: performance.now() - first.start, parts: merged ? 2 : 1 });
      return first.handle;
    } catch (e) {
      core.destroy(first.handle);
      throw e;
    }
  }

  // The second part: the header from the head, then the records after the first line end at or
  // after `start` (a split point chosen without reading the file); posts its state and where its
  // part began (null when this file cannot be continued there).
  async second(source: ByteSource, size: number, start: number, options: ImportOptions, run = 0): Promise<void> {
    this.#begin(run);
    const core = await this.engine();
    let handle = core.begin(options);
    try {
      // The header from the first 64 KiB, or (a longer one) from the first HEADER_LIMIT bytes.
      let header: number | null = null;
      for (const limit of [64 << 10, HEADER_LIMIT]) {
        const end = Math.min(size, limit, start);
        let head = new Uint8Array(0);
        for await (const value of source(0, end)) {
          const joined = new Uint8Array(head.length + value.length);
          joined.set(head);
          joined.set(value, head.length);
          head = joined;
        }
        header = core.continueFrom(handle, head);
        if (header !== null || end < limit) break;
        core.destroy(handle);
        handle = core.begin(options);
      }
      if (header === null || header > start) {
        this.post({ type: 'state', state: null, start: size });
        return;
      }
      const { dropped, found } = await this.#feed(core, handle, source, start, size, size, { skip: header, seek: true });
      if (!found) {
        this.post({ type: 'state', state: null, start: size });
        return;
      }
      const state = core.exportState(handle);
      this.post({ type: 'state', state, start: start + dropped }, [state.buffer]);
    } finally {
      core.destroy(handle);
    }
  }

  #drop(core: ImportEngine) {
    if (this.#first) core.destroy(this.#first.handle);
    this.#first = null;
  }
}
