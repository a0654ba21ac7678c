// Messages between the analyze page (main.ts) and its worker (worker.ts).

import type { CompareJson, ReportJson } from '../report/types';
import type { CompareRequest, ImportOptions, MappingProposal } from './engine';

export type ToWorker =
  | { type: 'warm' }
  | { type: 'propose'; file: File }
  | { type: 'score'; file: File; options: ImportOptions }
  | { type: 'cancel' }
  | { type: 'compare'; id: number; request: CompareRequest };

export type FromWorker =
  | { type: 'proposal'; proposal: MappingProposal }
  | { type: 'progress'; rows: number; bytes: number; bad_rows: number; total: number }
  | { type: 'done'; report: ReportJson; bytes: number; ms: number }
  | { type: 'cancelled' }
  | { type: 'compared'; id: number; json: CompareJson }
  | { type: 'error'; message: string; id?: number };

// Bytes handed to the core per feed: the stream's chunks are cut to this, so the copy into the
// wasm heap stays bounded whatever the browser's chunk size.
export const FEED_BYTES = 1 << 20;
// The head the mapping proposal reads.
export const HEAD_BYTES = 256 << 10;
