// Messages between the analyze page (main.ts) and its worker (worker.ts).

import type { CompareJson } from '../report/types';
import type { CompareRequest, ImportOptions, MappingProposal } from './engine';

export type ToWorker =
  | { type: 'warm' }
  | { type: 'propose'; file: File }
  | { type: 'score'; file: File; options: ImportOptions }
  | { type: 'cancel' }
  | { type: 'compare'; id: number; request: CompareRequest }
  // One file in two parts (parallel.ts drives them, parts.ts runs them): the first worker scores
  // [0, end) and holds on; the second reads the header, scores the records after the first "\n"
  // at or after `start` and sends its state and where it began; then the first reads on to there
  // and takes the state (or, with null, reads on to the end itself) and finishes.
  // `run` numbers the file being scored: every answer to these carries it, and the coordinator
  // drops answers of any other run (a cancelled one, or the one before).
  | { type: 'first'; run: number; file: File; end: number; options: ImportOptions }
  | { type: 'second'; run: number; file: File; start: number; options: ImportOptions }
  | { type: 'rest'; run: number; file: File; state: Uint8Array | null; start: number };

// `run`: set on the answers to first, second and rest (see above).
export type FromWorker =
  | { type: 'proposal'; proposal: MappingProposal }
  | { type: 'progress'; rows: number; bytes: number; bad_rows: number; total: number; run?: number }
  // `report`: the report's JSON text (engine.ts finish()), a ReportJson once parsed.
  | { type: 'done'; report: string; bytes: number; ms: number; parts?: number; run?: number }
  | { type: 'fed'; run?: number }
  | { type: 'state'; state: Uint8Array | null; start: number; run?: number }
  | { type: 'cancelled'; run?: number }
  | { type: 'compared'; id: number; json: CompareJson }
  | { type: 'error'; message: string; id?: number; run?: number };

// Bytes handed to the core per feed: the stream's chunks are cut to this, so the copy into the
// wasm heap stays bounded whatever the browser's chunk size.
export const FEED_BYTES = 1 << 20;
// Rounds of the warm-up (engine.ts warmUpRounds) the page's workers run while the page waits for
// a file. The report, the state's exchange and a file's first bytes run once per file, and one
// round runs them too seldom for the engine to move them to optimized code: the first files then
// ran the slower code, and optimized it on a background thread, which took a core from the two
// parts (bench/README.md, "Measured 2026-12-02, 21:40-21:52 UTC"). The bench's JS loop gets as
// many untimed passes (bench/analyze/jsloop-worker.js).
export const WARM_ROUNDS = 12;
// The head the mapping proposal reads.
export const HEAD_BYTES = 256 << 10;
// The head a second part's import reads its header from (a longer header: one part).
export const HEADER_LIMIT = 1 << 20;
