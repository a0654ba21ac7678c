// The analyze page's worker: reads the dropped File with File.stream() and feeds the core's
// importer a bounded piece at a time (parts.ts: the whole file, or one of its two parts), and
// keeps the finished import for comparisons.

import { loadEngine, warmUpRounds, type ImportEngine, type ImportHandle, type ImportOptions } from './engine';
import { Cancelled, fileSource, PartScorer } from './parts';
import { HEAD_BYTES, type FromWorker, type ToWorker } from './protocol';

const scope = self as unknown as {
  postMessage(m: FromWorker, transfer?: Transferable[]): void;
  onmessage: ((e: MessageEvent<ToWorker>) => void) | null;
};
const post = (m: FromWorker, transfer?: Transferable[]) => scope.postMessage(m, transfer ?? []);
const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

let engine: Promise<ImportEngine> | null = null;
const getEngine = () => (engine ??= loadEngine().catch((e) => {
  engine = null;  // a later file may try again
  throw e;
}));

let finished: ImportHandle | null = null;  // the last scored import, kept for comparisons
const parts = new PartScorer(getEngine, post);

// A part of a file scored by two workers (parts.ts); a cancelled part answers "cancelled".
async function part(m: Extract<ToWorker, { type: 'first' | 'second' | 'rest' }>) {
  const core = await getEngine();
  const source = fileSource(m.file);
  try {
    if (m.type === 'first') {
      if (finished !== null) core.destroy(finished);
      finished = null;
      await parts.first(source, m.file.size, m.end, m.options, m.run);
    } else if (m.type === 'second') {
      await parts.second(source, m.file.size, m.start, m.options, m.run);
    } else {
      finished = await parts.rest(source, m.state, m.start, m.run);
    }
  } catch (e) {
    if (e instanceof Cancelled) post({ type: 'cancelled', run: m.run });
    else throw e;
  }
}

async function propose(file: File) {
  const head = new Uint8Array(await file.slice(0, HEAD_BYTES).arrayBuffer());
  post({ type: 'proposal', proposal: (await getEngine()).propose(head) });
}

async function score(file: File, options: ImportOptions) {
  const core = await getEngine();
  if (finished !== null) core.destroy(finished);
  finished = null;
  try {
    finished = await parts.whole(fileSource(file), file.size, options);
  } catch (e) {
    if (e instanceof Cancelled) post({ type: 'cancelled' });
    else throw e;
  }
}

// Instantiates the module while the page waits for a file, and warms it up (engine.ts
// warmUpRounds) until a file is to be scored.
let scoring = false;
async function warm() {
  await warmUpRounds(await getEngine(), { stop: () => scoring });
}

scope.onmessage = (e: MessageEvent<ToWorker>) => {
  const m = e.data;
  if (m.type === 'score' || m.type === 'first' || m.type === 'second') scoring = true;
  if (m.type === 'warm') {
    warm().catch(() => {});  // a failure to load is reported when a file needs the module
  } else if (m.type === 'cancel') {
    parts.cancel = true;
  } else if (m.type === 'first' || m.type === 'second' || m.type === 'rest') {
    part(m).catch((err) => post({ type: 'error', message: message(err), run: m.run }));
  } else if (m.type === 'propose') {
    propose(m.file).catch((err) => post({ type: 'error', message: message(err) }));
  } else if (m.type === 'score') {
    score(m.file, m.options).catch((err) => post({ type: 'error', message: message(err) }));
  } else if (m.type === 'compare') {
    getEngine().then((core) => {
      if (finished === null) throw new Error('no scored file to compare');
      post({ type: 'compared', id: m.id, json: core.compare(finished, m.request) });
    }).catch((err) => post({ type: 'error', id: m.id, message: message(err) }));
  }
};
