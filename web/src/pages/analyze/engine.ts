// The analyze worker's view of the core's import ABI (wasm/nazar_abi.h, nazar_import_*). This is
// the one file the lead connects to the real binding (web/src/binding/): the worker calls only
// ImportEngine, and loadEngine() is where the wasm module is instantiated. Errors are thrown as
// Error with the core's message (a NazarError from the binding is fine).

import createAnalyzeCore from 'nazar-analyze-glue';
import { Import, loadCore, proposeMapping, type ImportOptions as CoreImportOptions, type NazarCore } from '../../binding/core';
import { NazarError, StatusCode } from '../../binding/status';
import type { CompareJson, QuestionType } from '../report/types';
import { WARM_ROUNDS } from './protocol';

export type ImportHandle = number;

// nazar_import_feed's answer: totals so far.
export interface ImportProgress {
  rows: number;
  bytes: number;
  bad_rows: number;
}

export type RoleKind = 'ignore' | 'question' | 'date' | 'segment' | 'text';

// One column's role (core/include/nazar/mapping.h, "Assignment").
export interface ColumnAssignment {
  column: number;  // 0-based index in the header row
  kind: RoleKind;
  id?: string;     // question and text: the id in the report (required, unique)
  type?: QuestionType;
  scale?: number;  // nps 11, csat 2-10, ces 5 or 7, rating 3-10
  name?: string;   // the header text (NDJSON: the key, which the importer uses)
}

// How the date column is written (mapping.h "date_format").
export type DateFormat = 'ymd' | 'iso' | 'dmy' | 'mdy' | 'jalali';

// What the user confirmed (mapping.h "Mapping").
export interface ColumnMapping {
  columns: ColumnAssignment[];
  extra_header_rows: number;  // 0-5
  date_format: DateFormat;
}

// One column as nazar_import_propose saw it (mapping.h, "Proposal" columns).
export interface ColumnProposal {
  column: number;
  name: string;
  proposed: ColumnAssignment;
  reason?: string;  // "name", "values", "text_answers", "date", "few_values" or ""
  distinct?: number;
  numeric?: boolean;
  min?: number;
  max?: number;
  samples: string[];
  // The scale the core gives the column as a question of each type (mapping.h "scales").
  scales: { nps: number; csat: number; ces: number; rating: number };
}

// nazar_import_propose's answer (mapping.h MappingProposalToJson).
export interface MappingProposal {
  format: string;  // "csv" | "ndjson"
  delimiter?: string;
  encoding?: string;
  rows_sampled?: number;
  mapping: ColumnMapping;
  columns: ColumnProposal[];
  segment_candidates?: number[];
  date_ambiguous?: boolean;
}

// nazar_import_begin's options (wasm/nazar_abi.h). "mapping" is the confirmed ColumnMapping;
// "by" names the segment column too, for an ABI that takes segments by name.
export interface ImportOptions {
  format?: string;
  delimiter?: string;
  mapping?: ColumnMapping;
  by?: string;
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
  // `kernel` false: never the compiled record kernel (the warm-up's general path).
  begin(options: ImportOptions, opts?: { kernel?: boolean }): ImportHandle;
  feed(handle: ImportHandle, bytes: Uint8Array): ImportProgress;
  // The report (Contract 4 + "import") as the core's JSON text: it goes from the worker to the
  // page as text (a string is copied, an object cloned member by member) and is parsed there.
  finish(handle: ImportHandle): string;
  compare(handle: ImportHandle, request: CompareRequest): CompareJson;
  destroy(handle: ImportHandle): void;
  // One file in two parts (parts.ts): the continuation reads the head's header (its bytes, or
  // null when it cannot), is fed the second part, and exports its state; the first part's import
  // absorbs it (false: the parts do not add up, or the bytes are no state of this import; nothing
  // changed either way, so feed the rest instead, as `nazar score` does).
  continueFrom(handle: ImportHandle, head: Uint8Array): number | null;
  exportState(handle: ImportHandle): Uint8Array;
  absorb(handle: ImportHandle, state: Uint8Array): boolean;
}

// Instantiates the analyze module (its glue is bundled into this worker; nazar-analyze.wasm sits
// next to it) and keeps each import behind the integer handle the worker uses.
export async function loadEngine(): Promise<ImportEngine> {
  const core = await loadCore({
    factory: createAnalyzeCore,
    wasmUrl: new URL('nazar-analyze.wasm', import.meta.url).href,
  });
  return engineOver(core);
}

// The engine over a loaded analyze core (node tests load theirs from bytes).
export function engineOver(core: NazarCore): ImportEngine {
  const imports = new Map<ImportHandle, Import>();
  let next = 1;
  const get = (handle: ImportHandle): Import => {
    const found = imports.get(handle);
    if (!found) throw new Error(`no import ${handle}`);
    return found;
  };
  return {
    propose: (head) => proposeMapping(core, head) as MappingProposal,
    begin(options, { kernel = true } = {}) {
      const handle = next++;
      // The core checks every member (format and delimiter come from its own proposal).
      imports.set(handle, Import.begin(core, options as CoreImportOptions, { kernel }));
      return handle;
    },
    feed: (handle, bytes) => get(handle).feed(bytes),
    finish: (handle) => get(handle).finishText(),
    compare: (handle, request) =>
      get(handle).compare(request.a, request.b) as unknown as CompareJson,
    destroy(handle) {
      try {
        imports.get(handle)?.dispose();
      } finally {
        imports.delete(handle);
      }
    },
    continueFrom: (handle, head) => get(handle).continueFrom(head),
    exportState: (handle) => get(handle).exportState(),
    absorb(handle, state) {
      try {
        return get(handle).absorb(state);
      } catch (e) {
        // A state the core cannot take at all (of another import: a bug, not the file's doing)
        // costs the first part only the rest of the file, never the report.
        if (e instanceof NazarError && e.status === StatusCode.InvalidArgument) return false;
        throw e;
      }
    },
  };
}

// Runs small imports through the engine the way files go: wasm compiles lazily, a function when
// it is first called (on this worker's thread), and moves it to optimized code only once it has
// run enough. So that the first file runs as little of its code for the first time as can be, the
// warm-up runs every path an import takes: an import without the compiled kernel (the module's
// own record loop and the general path, which read what the compiled kernel leaves to them: the
// head of a file, a value seen for the first time, a quoted text), one with it in two parts, the
// second's state absorbed (parts.ts), and the report of a year by month and four segments (65
// groups). The one thing it cannot do ahead is a file's own compiled kernel, which is made for the
// file's layout when it comes (and kept for the next file of that layout); its columns are in an
// order of their own, so that it makes no file's kernel either. Never throws: it is a warm-up
// only; true when every step ran.
const WARM_ROWS = 4000;
const WARM_FEEDS = 8;

// Runs warmUp() up to `rounds` times, each in a task of its own, until `stop()` is true (a file
// to score has come: it waits for the round running, and one more when the next round's task
// runs before the message's). Resolves with the rounds run; never throws.
export async function warmUpRounds(engine: ImportEngine,
  { rounds = WARM_ROUNDS, stop = (): boolean => false } = {}): Promise<number> {
  let done = 0;
  while (done < rounds && !stop() && warmUp(engine)) {
    done++;
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  return done;
}

let warmBytes: Uint8Array | null = null;  // the warm-up's file, made once

export function warmUp(engine: ImportEngine): boolean {
  if (!warmBytes) {
    const locales = ['en', 'fa', 'ar', 'de'];
    let text = 'locale,date,nps,csat,ces,comment\n';
    for (let i = 0; i < WARM_ROWS; i++) {
      const month = String(1 + (i % 12)).padStart(2, '0');
      const day = String(1 + (i % 28)).padStart(2, '0');
      const comment = i % 10 === 1 ? '"fast, and ""kind"""' : i % 10 === 2 ? 'ok' : '';
      text += `${locales[i % 4]},2026-${month}-${day},${i % 11},${1 + (i % 5)},${1 + (i % 7)},${comment}\n`;
    }
    warmBytes = new TextEncoder().encode(text);
  }
  const bytes = warmBytes;
  const options: ImportOptions = { format: 'csv', by: 'locale', period: 'month' };
  const feed = (handle: ImportHandle, from: number, to: number) => {
    const step = Math.ceil((to - from) / WARM_FEEDS);
    for (let at = from; at < to; at += step) engine.feed(handle, bytes.subarray(at, Math.min(to, at + step)));
  };
  const handles: ImportHandle[] = [];
  const begin = (kernel: boolean) => {
    handles.push(engine.begin(options, { kernel }));
    return handles[handles.length - 1];
  };
  try {
    const general = begin(false);
    feed(general, 0, bytes.length);
    engine.finish(general);
    // Two parts: the second from the first line end after the middle.
    const split = bytes.indexOf(10, bytes.length >> 1) + 1;
    const first = begin(true);
    feed(first, 0, split);
    const second = begin(true);
    const header = engine.continueFrom(second, bytes.subarray(0, bytes.indexOf(10) + 1));
    if (header === null) return false;
    feed(second, split, bytes.length);
    if (!engine.absorb(first, engine.exportState(second))) return false;
    engine.finish(first);
    return true;
  } catch {
    return false;  // a warm-up only
  } finally {
    for (const h of handles) {
      try {
        engine.destroy(h);
      } catch {
        // a broken core: the next file reports it
      }
    }
  }
}
