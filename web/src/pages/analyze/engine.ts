// The analyze worker's view of the core's import ABI (wasm/nazar_abi.h, nazar_import_*). This is
// the one file the lead connects to the real binding (web/src/binding/): the worker calls only
// ImportEngine, and loadEngine() is where the wasm module is instantiated. Errors are thrown as
// Error with the core's message (a NazarError from the binding is fine).

import type { CompareJson, QuestionType, ReportJson } from '../report/types';

export type ImportHandle = number;

// nazar_import_feed's answer: totals so far.
export interface ImportProgress {
  rows: number;
  bytes: number;
  bad_rows: number;
}

export type RoleKind = 'ignore' | 'question' | 'date' | 'segment' | 'text';

// One column's role (core mapping.h ColumnAssignment).
export interface ColumnAssignment {
  column: number;  // 0-based index in the header row
  kind: RoleKind;
  id?: string;     // question id in the report
  type?: QuestionType;
  scale?: number;
}

export interface DateFormat {
  order: 'ymd' | 'dmy' | 'mdy';
  calendar: 'gregorian' | 'jalali';
}

// What the user confirmed (core ColumnMapping).
export interface ColumnMapping {
  columns: ColumnAssignment[];
  extra_header_rows: number;
  date_format: DateFormat;
}

// One column as nazar_import_propose sees it (core ColumnProposal).
export interface ColumnProposal {
  column: number;
  name: string;
  proposed: ColumnAssignment;
  reason?: string;
  distinct?: number;
  min?: number;
  max?: number;
  samples: string[];
}

// nazar_import_propose's answer (core MappingProposal; its JSON is not final: the page reads
// only these fields).
export interface MappingProposal {
  format: string;        // "csv" | "ndjson"
  delimiter?: string;
  encoding?: string;
  mapping: ColumnMapping;
  columns: ColumnProposal[];
  segment_candidates?: number[];
  date_ambiguous?: boolean;
}

// nazar_import_begin's options.
export interface ImportOptions {
  format?: string;
  delimiter?: string;
  mapping?: ColumnMapping;
  by?: string;                          // the segment column's name
  period?: 'day' | 'week' | 'month';
  calendar?: 'gregorian' | 'jalali';
}

// nazar_import_compare's request: two segments or two periods of the finished import.
export interface CompareRequest {
  a: { segment: string } | { period: string };
  b: { segment: string } | { period: string };
}

export interface ImportEngine {
  propose(head: Uint8Array): MappingProposal;
  begin(options: ImportOptions): ImportHandle;
  feed(handle: ImportHandle, bytes: Uint8Array): ImportProgress;
  finish(handle: ImportHandle): ReportJson;  // Contract 4 + "import"
  compare(handle: ImportHandle, request: CompareRequest): CompareJson;
  destroy(handle: ImportHandle): void;
}

// Instantiates the analyze module (nazar-analyze.wasm next to the worker). Not connected yet:
// the lead replaces this body with the binding's loader when merging the ABI branch.
export async function loadEngine(): Promise<ImportEngine> {
  throw new Error('the analyze module is not connected to this build yet');
}
