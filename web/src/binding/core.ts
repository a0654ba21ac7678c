// The one module that touches the Emscripten heap. It loads the wasm module, copies UTF-8 JSON
// into memory allocated with nazar_alloc, calls the C ABI (wasm/nazar_abi.h), copies the
// response slot out at once and turns non-zero statuses into NazarError.

import { compileWasm } from './compile';
import { NazarError, StatusCode, type PointerError } from './status';

// A view node: {"t": tag, "k": key, "a": {attr: value}, "x": text, "c": [nodes]}.
export interface ViewNode {
  t: string;
  k?: string;
  a?: Record<string, string>;
  x?: string;
  c?: ViewNode[];
}

// An effect for web/ to run: "store" and "send" carry {batch, payload}; "close" ends the widget.
export interface Effect {
  type: string;
  batch?: string;
  payload?: Record<string, unknown>;
  send_after_ms?: number;
  [key: string]: unknown;
}

// An event for the page's listeners ("show", "answer", "complete", "dismiss", ...).
export interface CoreEvent {
  type: string;
  [key: string]: unknown;
}

// What the core returns for session_create and session_event.
export interface Update {
  view: ViewNode;
  focus: string | null;
  handled: boolean;
  effects: Effect[];
  events: CoreEvent[];
  // Kiosk mode: send {"type": "tick"} after this many ms (null: nothing pending).
  wake_ms?: number | null;
}

// A user event for nazar_session_event.
export interface UserEvent {
  type: 'shown' | 'action' | 'input' | 'key' | 'dismiss' | 'locale' | 'tick' | 'outbox';
  action?: string;
  payloads?: Record<string, unknown>[]; // "outbox": the outbox's unacknowledged tallies
  value?: string;
  // An "action" made with a pointer (mouse, touch, pen), not the keyboard: auto_advance applies.
  pointer?: boolean;
  key?: string;
  locale?: string;
}

export interface SessionConfig {
  definition: string | object;
  survey?: string;
  locale?: string;
  site?: string;
  utc_offset_minutes?: number;
  // Placement (nazar::EmbedOptions): inline in a container, corners mirrored in RTL, and
  // whether the visitor's own action showed it (then the first view takes focus).
  inline?: boolean;
  mirror?: boolean;
  user_activated?: boolean;
  mode?: 'default' | 'kiosk';
  // Kiosk mode's options as the script tag gives them (the core checks them).
  kiosk?: { batch?: string | number; interval_minutes?: string | number; idle_seconds?: string | number };
}

export interface ValidationResult {
  surveys: { id: string; version: string; questions: number; locales: string[] }[];
}

// nazar_prio3_histogram_shard's request and result (wasm/nazar_abi.h).
export interface Prio3ShardRequest {
  length: number;
  chunk_length?: number;
  shares?: number;
  measurement: number;
  ctx?: string;
  nonce?: string;
}
export interface Prio3Shards {
  public_share: string;
  input_shares: string[];
  nonce: string;
  chunk_length: number;
}

// The Emscripten module object (only what this file uses). Exported C functions are `_nazar_*`.
interface EmModule {
  asm?: Record<string, unknown>;
  _nazar_alloc(size: number): number;
  _nazar_free(ptr: number): void;
  _nazar_response_data(): number;
  _nazar_response_size(): number;
  _nazar_core_version(): number;
  // Absent from the analyze module (it scores files; definitions are the widget's).
  _nazar_definition_validate?: (ptr: number, size: number) => number;
  _nazar_session_create(ptr: number, size: number): number;
  _nazar_session_event(handle: number, ptr: number, size: number): number;
  _nazar_session_destroy(handle: number): number;
  _nazar_session_live(): number;
  // Absent from the widget's module (reports and imports live in the analyze module).
  _nazar_report_build?: (ptr: number, size: number) => number;
  _nazar_import_propose?: (ptr: number, size: number) => number;
  _nazar_import_begin?: (ptr: number, size: number) => number;
  _nazar_import_feed?: (handle: number, ptr: number, size: number) => number;
  _nazar_import_kernel?: (handle: number) => number;
  _nazar_import_use_kernel?: (handle: number, tableIndex: number) => number;
  _nazar_import_finish?: (handle: number) => number;
  _nazar_import_compare?: (handle: number, ptr: number, size: number) => number;
  _nazar_import_destroy?: (handle: number) => number;
  _nazar_import_continue?: (handle: number, ptr: number, size: number) => number;
  _nazar_import_export_state?: (handle: number) => number;
  _nazar_import_absorb?: (handle: number, ptr: number, size: number) => number;
  _nazar_targeting_decide(ptr: number, size: number): number;
  _nazar_prio3_histogram_shard?: (ptr: number, size: number) => number;
}

// What the page knows when asking whether a survey shows (see nazar_targeting_decide).
export interface TargetingRequest {
  definition: string;
  survey?: string;
  mode?: 'default' | 'kiosk';
  facts: {
    kind: string;
    event?: string;
    url_path?: string;
    scroll_percent?: number;
    dwell_seconds?: number;
    now_ms: number;
  };
  history?: Record<
    string,
    { displays?: number; last_display_ms?: number; completed?: boolean; sample_draw?: number }
  >;
}

export interface TargetingResult {
  show: { survey: string; delay_ms: number } | null;
  // sample_draw: a fresh draw to store in the history under `survey`.
  decisions: { survey: string; show: boolean; reason: string; sample_draw?: number }[];
  // The smallest scroll percent / dwell seconds at which asking again could show a survey.
  wait?: { scroll_percent?: number; dwell_seconds?: number };
}

export type CoreFactory = (options: Record<string, unknown>) => Promise<unknown>;

export interface LoadOptions {
  // URL of nazar-core.mjs (an ES module whose default export is the factory).
  moduleUrl?: string;
  // Or the factory itself (node tests: require('nazar-core-node.cjs')).
  factory?: CoreFactory;
  // URL of nazar-core.wasm; defaults to the file next to moduleUrl.
  wasmUrl?: string;
  // Or the bytes (node, or a page that fetched them itself).
  wasmBinary?: ArrayBuffer | Uint8Array;
  // Or the module, compiled already or on its way (compileWasm(), started by the loader).
  wasmModule?: Promise<WebAssembly.Module>;
  // Where the module is split (web/build.mjs): the rest, which the first question never runs.
  // URL of nazar-core-rest.wasm; defaults to the file next to wasmUrl, or to this module.
  restUrl?: string;
  // Or its bytes (node).
  restBinary?: ArrayBuffer | Uint8Array;
}

// A split module (web/build.mjs) has what the first question runs and, for each function of its
// rest, a placeholder import that the rest replaces in the function table when it loads. A
// placeholder called before then throws this; the stack pointer is put back and the call can run
// again once the rest is there (NazarCore.whole). Made at the first such call, not when this
// module is evaluated: an Error's construction captures a stack trace, and with DevTools open
// a detailed one, for which V8 parses the whole module again (its top level's source positions).
let PENDING: NazarError | undefined;
const pending = () => {
  throw (PENDING ??= new NazarError(StatusCode.FailedPrecondition, 'the rest of the core has not loaded'));
};

// The rest of a split module: the primary's exports it imports, and how to get it.
interface Rest {
  exports: WebAssembly.Exports;
  module: () => Promise<WebAssembly.Module>;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export const CSP_MESSAGE =
  "this page's Content-Security-Policy blocks WebAssembly; add 'wasm-unsafe-eval' to script-src";

// True when an error from compiling/instantiating wasm comes from the page's CSP.
export function isCspError(e: unknown): boolean {
  const text = String((e as Error | undefined)?.message ?? e);
  return (
    (e as Error | undefined)?.name === 'EvalError' ||
    /content.security.policy|unsafe-eval|\bCSP\b/i.test(text)
  );
}

// The first export that is a `kind` (the module's memory, its function table), whatever its name.
export function findExport<T>(exports: Record<string, unknown> | undefined, kind: new (...args: never[]) => T): T | null {
  for (const key in exports) {
    const value = exports[key];
    if (value instanceof kind) return value;
  }
  return null;
}

// A loaded core. Every method is synchronous and fast; none keeps pointers across calls.
export class NazarCore {
  readonly #m: EmModule;
  readonly #memory: WebAssembly.Memory;
  readonly #table: WebAssembly.Table | null;
  // Compiled record kernels in the function table, by their module's bytes (one per layout).
  readonly #kernels = new Map<string, number>();
  #broken: NazarError | null = null;
  readonly #registry: FinalizationRegistry<number> | null;
  // The rest of a split module until it has loaded, and the stack pointer a placeholder's throw
  // leaves moved.
  #rest: Rest | null;
  #restLoad: Promise<void> | null = null;
  readonly #orphans: number[] = []; // sessions disposed before the rest loaded (destroy)
  readonly #sp: WebAssembly.Global | null;

  constructor(module: EmModule, memory: WebAssembly.Memory, table: WebAssembly.Table | null = null, rest: Rest | null = null) {
    this.#m = module;
    this.#memory = memory;
    this.#table = table;
    this.#rest = rest;
    this.#sp = rest && findExport(rest.exports, WebAssembly.Global);
    // Safety net for sessions that were never disposed: destroy their handles once collected.
    this.#registry =
      typeof FinalizationRegistry === 'function'
        ? new FinalizationRegistry((handle: number) => {
            try {
              this.destroy(handle);
            } catch {
              // already gone, or the core is broken: nothing left to free
            }
          })
        : null;
  }

  // False while the rest of a split module has not loaded: a session's events wait for it.
  get complete(): boolean {
    return !this.#rest;
  }

  // Loads the rest of a split module (once; a failed load may be retried).
  loadRest(): Promise<void> {
    const rest = this.#rest;
    if (!rest) return Promise.resolve();
    this.#restLoad ??= rest
      .module()
      .then((m) => WebAssembly.instantiate(m, { primary: rest.exports }))
      .then(
        () => {
          this.#rest = null;
          for (const handle of this.#orphans.splice(0)) {
            try {
              this.destroy(handle);
            } catch {
              // already gone, or the core is broken: nothing left to free
            }
          }
        },
        (e: unknown) => {
          this.#restLoad = null;
          throw new NazarError(StatusCode.Internal, 'could not load the rest of the core: ' + String((e as Error)?.message ?? e));
        },
      );
    return this.#restLoad;
  }

  // Runs a call of the first question's path (validate, decide, createSession); where it reaches
  // the rest of a split module before that has loaded, loads it and runs the call again.
  async whole<T>(call: () => T): Promise<T> {
    try {
      return call();
    } catch (e) {
      if (e !== PENDING) throw e;
    }
    await this.loadRest();
    return call();
  }

  // Bytes of wasm linear memory (for leak tests).
  get memoryBytes(): number {
    return this.#memory.buffer.byteLength;
  }

  version(): { version: string; abi: number } {
    return this.#invoke(() => this.#result(this.#m._nazar_core_version())) as { version: string; abi: number };
  }

  // Validates a definition file; throws NazarError "invalid_definition" with `errors`.
  validate(text: string): ValidationResult {
    const validate = optionalExport(this.#m, '_nazar_definition_validate', 'this module validates no definitions (the analyze module: load the widget module)');
    return this.#withInput(text, (p, n) => validate(p, n)) as ValidationResult;
  }

  createSession(config: SessionConfig): Session {
    const start = this.#withInput(JSON.stringify(config), (p, n) =>
      this.#m._nazar_session_create(p, n),
    ) as Update & { handle: number };
    const session = new Session(this, start.handle, start);
    this.#registry?.register(session, start.handle, session);
    return session;
  }

  liveSessions(): number {
    const live = this.#invoke(() => this.#m._nazar_session_live()) as number;
    if (live < 0) throw new NazarError(StatusCode.Internal, 'nazar_session_live: ' + live);
    return live;
  }

  buildReport(request: object | string): Record<string, unknown> {
    const text = typeof request === 'string' ? request : JSON.stringify(request);
    const build = optionalExport(this.#m, '_nazar_report_build', 'this module builds no reports from payloads (only the node test module does)');
    return this.#withInput(text, (p, n) => build(p, n)) as Record<string, unknown>;
  }

  // Secret shares of one Prio3Histogram measurement for DAP (issue 10): only a module built with
  // prio3.exports has this call; hex strings in the draft's wire encodings.
  prio3HistogramShard(request: Prio3ShardRequest): Prio3Shards {
    const shard = optionalExport(this.#m, '_nazar_prio3_histogram_shard', 'this module has no Prio3 (built without prio3.exports)');
    return this.#withInput(JSON.stringify(request), (p, n) => shard(p, n)) as Prio3Shards;
  }

  // Which survey, if any, shows now: every targeting rule lives in the core.
  decide(request: TargetingRequest): TargetingResult {
    return this.#withInput(JSON.stringify(request), (p, n) =>
      this.#m._nazar_targeting_decide(p, n),
    ) as TargetingResult;
  }

  /** @internal */
  sessionEvent(handle: number, event: UserEvent): Update {
    if (this.#rest) throw new NazarError(StatusCode.FailedPrecondition, 'the rest of the core has not loaded');
    return this.#withInput(JSON.stringify(event), (p, n) =>
      this.#m._nazar_session_event(handle, p, n),
    ) as Update;
  }

  /** @internal Where the rest of a split module has not loaded, once it has loaded for another
   * reason: freeing a session never downloads it (an opted-out visitor requests nothing). */
  destroy(handle: number): void {
    if (this.#rest) {
      this.#orphans.push(handle);
      return;
    }
    this.#invoke(() => this.#result(this.#m._nazar_session_destroy(handle)));
  }

  /** @internal */
  forget(session: Session): void {
    this.#registry?.unregister(session);
  }

  /** @internal The response slot's bytes after `fn` (a status of 0), copied. */
  callBytes(fn: (m: EmModule) => number): Uint8Array {
    return this.#invoke(() => {
      const status = fn(this.#m);
      return status === StatusCode.Ok ? this.#slot().slice() : this.#result(status);
    }) as Uint8Array;
  }

  /** @internal Instantiates a module the core generated (an import's record kernel) over this
   * core's memory and puts its "run" in the function table: its index, or 0 where that cannot be
   * done (no growable table, or an engine that refuses to compile it). The core only runs what
   * it gets this way; without it the same code path in the core does the work, more slowly. */
  installKernel(bytes: Uint8Array): number {
    const key = bytes.join(',');
    const known = this.#kernels.get(key);
    if (known !== undefined) return known;
    let index = 0;
    try {
      if (this.#table) {
        const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes as BufferSource), {
          env: { memory: this.#memory },
        });
        index = this.#table.grow(1);
        this.#table.set(index, instance.exports.run as () => unknown);
      }
    } catch {
      index = 0;
    }
    this.#kernels.set(key, index);
    return index;
  }

  /** @internal As call(), the slot's JSON text as the core wrote it (for a caller that passes it
   * on, e.g. from a worker to the page, and parses it once there). */
  callText(fn: (m: EmModule) => number): string {
    return this.#invoke(() => {
      const status = fn(this.#m);
      return status === StatusCode.Ok ? decoder.decode(this.#slot()) : this.#result(status);
    }) as string;
  }

  /** @internal Calls `fn` with the module's exports (status in, slot JSON out, or NazarError). */
  call(fn: (m: EmModule) => number): unknown {
    return this.#invoke(() => this.#result(fn(this.#m)));
  }

  /** @internal As call(), with `input` (JSON text or bytes) copied into wasm memory first. */
  callWith(input: string | Uint8Array, fn: (m: EmModule, ptr: number, size: number) => number): unknown {
    return this.#withInput(input, (p, n) => fn(this.#m, p, n));
  }

  // Copies `input` into wasm memory, calls `fn`, reads the slot, frees the input.
  #withInput(input: string | Uint8Array, fn: (ptr: number, size: number) => number): unknown {
    const bytes = typeof input === 'string' ? encoder.encode(input) : input;
    return this.#invoke(() => {
      const ptr = this.#m._nazar_alloc(bytes.length || 1);
      if (!ptr) throw new NazarError(StatusCode.Internal, 'out of wasm memory');
      try {
        // A fresh view: nazar_alloc may have grown (and so detached) the previous buffer.
        new Uint8Array(this.#memory.buffer, ptr, bytes.length).set(bytes);
        const status = fn(ptr, bytes.length);
        return this.#result(status);
      } finally {
        this.#m._nazar_free(ptr);
      }
    });
  }

  // Runs a call; a trap (abort, out of bounds) marks the core as broken for good.
  #invoke(fn: () => unknown): unknown {
    if (this.#broken) throw this.#broken;
    const sp = this.#sp?.value;
    try {
      return fn();
    } catch (e) {
      if (e === PENDING) {
        this.#sp!.value = sp;
        throw e;
      }
      if (e instanceof NazarError) throw e;
      this.#broken = new NazarError(StatusCode.Internal, 'core crashed: ' + String((e as Error)?.message ?? e));
      throw this.#broken;
    }
  }

  // The response slot, as a view into wasm memory (valid until the next call).
  #slot(): Uint8Array {
    const ptr = this.#m._nazar_response_data() >>> 0;
    const size = this.#m._nazar_response_size() >>> 0;
    return new Uint8Array(this.#memory.buffer, ptr, size);
  }

  // Reads the response slot and returns its JSON, or throws the error it holds.
  #result(status: number): unknown {
    const slot = this.#slot();
    const text = slot.length ? decoder.decode(slot) : '';
    let json: Record<string, unknown> | null = null;
    try {
      json = text ? (JSON.parse(text) as Record<string, unknown>) : null;
    } catch {
      if (status === StatusCode.Ok) throw new NazarError(StatusCode.Internal, 'unreadable response');
    }
    if (status === StatusCode.Ok) return json;
    const message = typeof json?.message === 'string' ? json.message : text || 'status ' + status;
    const errors = Array.isArray(json?.errors) ? (json!.errors as PointerError[]) : [];
    throw new NazarError(status, message, errors);
  }
}

// A survey session: an integer handle owned by the core until dispose().
export class Session {
  readonly start: Update;
  #core: NazarCore | null;
  readonly #handle: number;

  constructor(core: NazarCore, handle: number, start: Update) {
    this.#core = core;
    this.#handle = handle;
    this.start = start;
  }

  get disposed(): boolean {
    return this.#core === null;
  }

  // False while events must wait for load() (the rest of a split core).
  get loaded(): boolean {
    return this.#core?.complete ?? true;
  }

  load(): Promise<void> {
    return this.#core?.loadRest() ?? Promise.resolve();
  }

  event(event: UserEvent): Update {
    if (!this.#core) throw new NazarError(StatusCode.FailedPrecondition, 'session disposed');
    return this.#core.sessionEvent(this.#handle, event);
  }

  dispose(): void {
    const core = this.#core;
    if (!core) return;
    this.#core = null;
    core.forget(this);
    core.destroy(this.#handle);
  }
}

// ---- Import: an exported file scored in chunks (analyze module only; wasm/nazar_abi.h) ----

// Options of nazar_import_begin. Every member is optional.
export interface ImportOptions {
  // "auto" (default): NDJSON when the first non-blank byte is '{', else CSV.
  format?: 'auto' | 'csv' | 'ndjson';
  // "" (default): detected from the header line.
  delimiter?: '' | ',' | ';' | '\t';
  // The column whose values make the segments.
  by?: string;
  period?: 'day' | 'week' | 'month' | null;
  // Period labels in the Gregorian or the Solar Hijri calendar.
  calendar?: 'gregorian' | 'jalali';
  // The columns the analyst confirmed (core/include/nazar/mapping.h, ColumnMapping JSON); its
  // segment column replaces "by".
  mapping?: object;
  // A definition (file text or object) whose questions are scored; default: nps, csat, ces.
  survey?: string | object;
  survey_id?: string;
  // >= 5 (default 5): what is below it is marked low_precision (never hidden).
  min_count?: number;
}

// What nazar_import_feed returns: totals so far.
export interface ImportProgress {
  rows: number;
  bytes: number;
  bad_rows: number;
}

// A rejected record or a warning, with the physical line where its record starts (0: the file).
export interface ImportLine {
  line: number;
  message: string;
}

export type Interval = [number, number];

// One question of a report cell (Contract 4); which members appear depends on the type.
export interface QuestionReport {
  type: 'nps' | 'csat' | 'ces' | 'rating' | 'choice' | 'text';
  n?: number;
  skipped?: number;
  suppressed?: boolean;
  low_precision?: boolean;
  scale?: number;
  score?: number; // nps, csat
  mean?: number; // ces, rating
  sd?: number | null;
  ci95?: Interval | null;
  promoters?: number;
  passives?: number;
  detractors?: number;
  satisfied?: number;
  satisfied_set?: number[];
  agree_pct?: number;
  counts?: number[];
  options?: string[];
  shares?: number[];
  noise?: Record<string, unknown>;
}

// A report cell: the overall, a segment, a period or a segment x period cell.
export interface ReportCell {
  segment?: string;
  period?: string;
  displays?: number;
  completions?: number;
  response_rate?: number | null;
  questions?: Record<string, QuestionReport>;
  suppressed: string[];
  low_precision?: boolean;
}

// Contract 4: the overall cell's members at the top level, then the finer cells.
export interface Report extends ReportCell {
  survey: string;
  from: string | null;
  to: string | null;
  segments?: ReportCell[];
  periods?: ReportCell[];
  cells?: ReportCell[];
  conflicts?: string[];
  duplicates?: number;
  compare?: Comparison;
}

// nazar_import_finish: the report plus how the file was read.
export interface ImportReport extends Report {
  import: {
    format: 'csv' | 'ndjson';
    rows: number;
    bad_rows: number;
    errors: ImportLine[]; // the first 20 rejected records
    warnings: ImportLine[];
  };
}

// Names a cell: {segment}, {period} or both (a segment x period cell).
export interface CellRef {
  segment?: string;
  period?: string;
}

export interface CompareSide {
  suppressed?: boolean;
  n?: number;
  score?: number;
  mean?: number;
  ci95?: Interval | null;
}

export type VerdictCode = 'up' | 'down' | 'no_change' | 'not_enough_data' | 'not_comparable';

export interface QuestionComparison {
  type: QuestionReport['type'];
  a: CompareSide;
  b: CompareSide;
  verdict: VerdictCode;
  // Only when the test ran:
  test?: 'z' | 'welch_t';
  diff?: number;
  ci95?: Interval;
  p_value?: number;
  significant?: boolean;
}

// Contract 4 "compare".
export interface Comparison {
  from: string | null;
  to: string | null;
  questions: Record<string, QuestionComparison>;
}

// nazar_import_compare: the comparison of cell a (the baseline) with cell b.
export interface CellComparison extends Comparison {
  a: CellRef;
  b: CellRef;
}

// Bytes handed to the core per nazar_import_feed: bounds the wasm memory a feed needs.
const FEED_SLICE = 1 << 20;
// Before the record kernel is in use: slices this small (a header fits in one; what comes before
// the kernel goes the slower general way: 64 KiB slices cost 1.3% more instructions on the 23 MB
// bench file, callgrind), and no more asking after this many bytes.
const KERNEL_PROBE_SLICE = 4 << 10;
const KERNEL_PROBE_LIMIT = 4 << 20;

// An export only some modules have (reports, imports, Prio3): a failed_precondition saying
// `missing` in the others.
function optionalExport<K extends keyof EmModule>(m: EmModule, name: K, missing: string): NonNullable<EmModule[K]> {
  const fn = m[name];
  if (typeof fn !== 'function') throw new NazarError(StatusCode.FailedPrecondition, missing);
  return fn as NonNullable<EmModule[K]>;
}

function importExport<K extends keyof EmModule>(m: EmModule, name: K): NonNullable<EmModule[K]> {
  return optionalExport(m, name, 'this module has no imports (load nazar-analyze)');
}

// Safety net for imports never disposed (created on first use: the widget bundle has none).
let importRegistry: FinalizationRegistry<{ core: NazarCore; handle: number }> | null | undefined;

function registry(): FinalizationRegistry<{ core: NazarCore; handle: number }> | null {
  if (importRegistry === undefined) {
    importRegistry =
      typeof FinalizationRegistry === 'function'
        ? new FinalizationRegistry(({ core, handle }) => {
            try {
              core.call((m) => importExport(m, '_nazar_import_destroy')(handle));
            } catch {
              // already gone, or the core is broken: nothing left to free
            }
          })
        : null;
  }
  return importRegistry;
}

// The core's proposal of a column mapping from a file's first bytes (nazar_import_propose; the
// MappingProposal JSON of core/include/nazar/mapping.h).
export function proposeMapping(core: NazarCore, head: Uint8Array): unknown {
  return core.callWith(head, (m, p, n) => importExport(m, '_nazar_import_propose')(p, n));
}

// One import: an integer handle owned by the core until dispose(). Feed the file's bytes in any
// split, finish(), then compare() cells as often as needed.
export class Import {
  #core: NazarCore | null;
  readonly #handle: number;
  #kernel = false; // the compiled record kernel is in use, or none will come
  #compiled = false; // it is in use

  private constructor(core: NazarCore, handle: number) {
    this.#core = core;
    this.#handle = handle;
  }

  // Starts an import in a core loaded from the analyze module. `kernel` false: never the
  // compiled record kernel (the same reports, more slowly; tests compare the two).
  static begin(core: NazarCore, options: ImportOptions = {}, { kernel = true } = {}): Import {
    const out = core.callWith(JSON.stringify(options), (m, p, n) =>
      importExport(m, '_nazar_import_begin')(p, n),
    ) as { handle: number };
    const started = new Import(core, out.handle);
    started.#kernel = !kernel;
    registry()?.register(started, { core, handle: out.handle }, started);
    return started;
  }

  get disposed(): boolean {
    return this.#core === null;
  }

  // Hands the next bytes to the core (copied, in slices of at most 1 MiB); totals so far.
  feed(bytes: Uint8Array): ImportProgress {
    const core = this.#live();
    let progress: ImportProgress | null = null;
    for (let at = 0; at < bytes.length || progress === null; ) {
      // Until the compiled kernel is in use, small slices: it is offered once the header is read.
      const slice = bytes.subarray(at, at + (this.#kernel ? FEED_SLICE : KERNEL_PROBE_SLICE));
      at += slice.length || 1;
      progress = core.callWith(slice, (m, p, n) =>
        importExport(m, '_nazar_import_feed')(this.#handle, p, n),
      ) as ImportProgress;
      if (!this.#kernel) this.#useKernel(core, progress);
    }
    return progress;
  }

  // Puts the core's compiled record kernel to use once it offers one (after the header; a file
  // whose header has not ended after a few slices, or NDJSON, never gets one).
  #useKernel(core: NazarCore, progress: ImportProgress): void {
    let module: Uint8Array;
    try {
      module = core.callBytes((m) => importExport(m, '_nazar_import_kernel')(this.#handle));
    } catch {
      this.#kernel = true; // a module without it
      return;
    }
    if (module.length === 0) {
      if (progress.rows > 0 || progress.bytes > KERNEL_PROBE_LIMIT) this.#kernel = true;
      return;
    }
    this.#kernel = true;
    const index = core.installKernel(module);
    if (index > 0) {
      core.call((m) => importExport(m, '_nazar_import_use_kernel')(this.#handle, index));
      this.#compiled = true;
    }
  }

  // Whether the core counts this import's records with its compiled kernel.
  get compiled(): boolean {
    return this.#compiled;
  }

  // ---- One file in two parts at once (two workers), merged (wasm/nazar_abi.h) ----

  // Makes this new import the continuation of another that reads the file up to a line end:
  // reads the file's head only as far as its header goes; the bytes of `head` used, or null
  // (the core's failed_precondition) when that is not possible: then score the file in one
  // import. Any other failure throws.
  continueFrom(head: Uint8Array): number | null {
    try {
      const out = this.#live().callWith(head, (m, p, n) =>
        importExport(m, '_nazar_import_continue')(this.#handle, p, n),
      ) as { header_bytes: number };
      return out.header_bytes;
    } catch (e) {
      if (e instanceof NazarError && e.status === StatusCode.FailedPrecondition) return null;
      throw e;
    }
  }

  // Ends a continuation's input: its part's partial result, for absorb() in the other import.
  exportState(): Uint8Array {
    return this.#live().callBytes((m) => importExport(m, '_nazar_import_export_state')(this.#handle));
  }

  // Adds a continuation's exportState(); false (nothing changed) when the parts would not add up
  // to one import (the split fell inside a quoted field, or a cap): then feed the rest instead.
  absorb(state: Uint8Array): boolean {
    try {
      this.#live().callWith(state, (m, p, n) => importExport(m, '_nazar_import_absorb')(this.#handle, p, n));
      return true;
    } catch (e) {
      if (e instanceof NazarError && e.status === StatusCode.FailedPrecondition) return false;
      throw e;
    }
  }

  // Ends the input; the report (unsuppressed, low_precision marks). Again: the same report.
  finish(): ImportReport {
    return JSON.parse(this.finishText()) as ImportReport;
  }

  // finish()'s report as the core's JSON text.
  finishText(): string {
    return this.#live().callText((m) => importExport(m, '_nazar_import_finish')(this.#handle));
  }

  // The change from cell a (baseline) to cell b, with the METRICS.md tests. After finish().
  compare(a: CellRef, b: CellRef): CellComparison {
    return this.#live().callWith(JSON.stringify({ a, b }), (m, p, n) =>
      importExport(m, '_nazar_import_compare')(this.#handle, p, n),
    ) as CellComparison;
  }

  dispose(): void {
    const core = this.#core;
    if (!core) return;
    this.#core = null;
    registry()?.unregister(this);
    core.call((m) => importExport(m, '_nazar_import_destroy')(this.#handle));
  }

  #live(): NazarCore {
    if (!this.#core) throw new NazarError(StatusCode.FailedPrecondition, 'import disposed');
    return this.#core;
  }
}

let loading: Promise<NazarCore> | null = null;

// Loads the core once; later calls return the same promise (a failed load may be retried).
export function loadCore(options: LoadOptions): Promise<NazarCore> {
  if (!loading) {
    loading = load(options);
    loading.catch(() => {
      loading = null;
    });
  }
  return loading;
}

async function load(options: LoadOptions): Promise<NazarCore> {
  const wasmUrl =
    options.wasmUrl ?? (options.moduleUrl ? new URL('nazar-core.wasm', options.moduleUrl).href : '');
  // The wasm downloads and compiles while the glue module loads.
  const compiled = options.wasmBinary ? null : (options.wasmModule ?? compileWasm(wasmUrl));
  compiled?.catch(() => {});
  const factory =
    options.factory ?? ((await import(/* webpackIgnore: true */ options.moduleUrl!)) as { default: CoreFactory }).default;

  let memory: WebAssembly.Memory | null = null;
  let table: WebAssembly.Table | null = null;
  let rest: Rest | null = null;
  let fail: (e: unknown) => void = () => {};
  const failed = new Promise<never>((_, reject) => (fail = reject));

  // The engine asks this for each placeholder a split module imports (and a whole one asks
  // nothing): no need for WebAssembly.Module.imports, which a page may have wrapped.
  let split = false;
  const instantiate = async (imports: WebAssembly.Imports): Promise<WebAssembly.WebAssemblyInstantiatedSource> => {
    imports.placeholder = new Proxy(
      {},
      {
        get: () => {
          split = true;
          return pending;
        },
      },
    );
    if (options.wasmBinary) return WebAssembly.instantiate(options.wasmBinary as BufferSource, imports);
    const module = await compiled!.catch((e: unknown) => {
      throw (e as { httpStatus?: number })?.httpStatus ? new NazarError(StatusCode.NotFound, (e as Error).message) : e;
    });
    return { module, instance: await WebAssembly.instantiate(module, imports) };
  };

  const ready = factory({
    instantiateWasm(imports: WebAssembly.Imports, receive: (i: WebAssembly.Instance, m: WebAssembly.Module) => void) {
      instantiate(imports).then((source) => {
        const exports = source.instance.exports;
        memory = findExport(exports as Record<string, unknown>, WebAssembly.Memory);
        table = findExport(exports as Record<string, unknown>, WebAssembly.Table);
        if (split) {
          const bytes = options.restBinary;
          rest = {
            exports,
            module: bytes
              ? () => WebAssembly.compile(bytes as BufferSource)
              : () => compileWasm(options.restUrl ?? new URL('nazar-core-rest.wasm', wasmUrl || import.meta.url).href),
          };
        }
        receive(source.instance, source.module);
      }, fail);
      return {};
    },
  }) as Promise<EmModule>;

  let module: EmModule;
  try {
    module = await Promise.race([ready, failed]);
  } catch (e) {
    if (e instanceof NazarError) throw e;
    if (isCspError(e)) throw new NazarError(StatusCode.FailedPrecondition, CSP_MESSAGE);
    throw new NazarError(StatusCode.Internal, 'could not start the core: ' + String((e as Error)?.message ?? e));
  }
  memory ??= findExport(module.asm, WebAssembly.Memory);
  if (!memory) throw new NazarError(StatusCode.Internal, 'the core module exports no memory');
  return new NazarCore(module, memory, table ?? findExport(module.asm, WebAssembly.Table), rest);
}

export { NazarError, StatusCode };
