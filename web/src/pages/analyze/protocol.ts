// Messages between the analyze page (main.ts) and its worker (worker.ts).

import type { CompareJson, ReportJson } from '../report/types';
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
  | { type: 'first'; file: File; end: number; options: ImportOptions }
  | { type: 'second'; file: File; start: number; options: ImportOptions }
  | { type: 'rest'; file: File; state: Uint8Array | null; start: number };

export type FromWorker =
  | { type: 'proposal'; proposal: MappingProposal }
  | { type: 'progress'; rows: number; bytes: number; bad_rows: number; total: number }
  | { type: 'done'; report: ReportJson; bytes: number; ms: number; parts?: number }
  | { type: 'fed' }
  | { type: 'state'; state: Uint8Array | null; start: number }
  | { type: 'cancelled' }
  | { type: 'compared'; id: number; json: CompareJson }
  | { type: 'error'; message: string; id?: number };

// Bytes handed to the core per feed: the stream's chunks are cut to this, so the copy into the
// wasm heap stays bounded whatever the browser's chunk size.
export const FEED_BYTES = 1 << 20;
// The head the mapping proposal reads.
export const HEAD_BYTES = 256 << 10;
// The head a second part's import reads its header from (a longer header: one part).
export const HEADER_LIMIT = 1 << 20;
