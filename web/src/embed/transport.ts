// Durable delivery of payloads (DESIGN.md Contract 3). Part of the loader: flushing what earlier
// pages left behind never needs the wasm module.
//
// The outbox holds one record per payload (OutboxRecord, keyed by its batch id) in IndexedDB
// (database "nazar", object store "outbox"), else in localStorage (one key per record,
// "nazar:outbox:<batch>"), else in memory with an `error` event. Storing writes one record and
// reads none, so the work is proportional to what changed, never to the backlog.
//
// Rules:
// - A tally is one session's payload (no merging): the core re-stores it as answers change and it
//   is replaced while never sent. From its first send a payload is frozen: never modified, re-sent
//   with the same batch id until a 2xx.
// - A page holds the Web Lock "nazar:batch:<batch>" from a batch's first store until its widget
//   closes (and its send settles). While some page holds it, no other page sends or changes that
//   record, and an unfinished one is not abandoned.
// - Every other send (what earlier pages left, abandoned sessions, retries, comments) happens
//   under the Web Lock "nazar:outbox", one request at a time. A page going away sends one of its
//   own finished records synchronously (keepalive).
// - Every request is marked in localStorage ("nazar:outbox-hide:<batch>": when it left) until its
//   answer arrives. A page that goes away loses its locks, but a keepalive request it started
//   lives on, and the page never learns its answer: its mark stays, and no other page sends that
//   batch until HIDE_MARK_MS after the request left or the page was hidden, whichever is later.
// - 2xx deletes; 400 and 413 drop with an `error` event; everything else (403, 422, 429, 5xx,
//   network errors) retries with backoff, honouring Retry-After, for up to 35 days after the
//   record was first stored, then drops it with an `error` event.
// - Comments (kind "comments") go only on a later flush than their tally: never while the tally
//   is still in the outbox, and never in the flush (one hold of "nazar:outbox") that saw the
//   tally acknowledged. A page's comments wait for a later page load or its flush(), except a
//   kiosk's (StoreRequest.kiosk): it never reloads, so its own later flushes send them, once
//   COMMENTS_LATER_MS have passed since it saw the tally acknowledged.
// - Every record removed (delivered, dropped, expired, withdrawn) is reported (hooks.removed).

import { LEGACY_KEY, PENDING_KEY } from './keys';
import { message } from './message';

export { LEGACY_KEY, PENDING_KEY };

export const DB_NAME = 'nazar';
export const DB_STORE = 'outbox';
export const RECORD_PREFIX = 'nazar:outbox:'; // localStorage: one record per key
export const HIDE_PREFIX = 'nazar:outbox-hide:'; // localStorage: batch -> ms of a send in flight
export const OUTBOX_LOCK = 'nazar:outbox';
export const BATCH_LOCK_PREFIX = 'nazar:batch:';
export const MAX_PAYLOAD_BYTES = 32 * 1024; // two fit the browser's 64 KiB keepalive budget
export const MAX_AGE_MS = 35 * 24 * 60 * 60 * 1000; // the collector's default max-age-days
export const BACKOFF_MS = [5e3, 30e3, 120e3, 600e3, 1800e3, 3600e3];
// How long a send of a page that went away counts as in flight: that page cannot learn the
// answer, so the record stays and another page re-sends it after this (same batch id).
const HIDE_MARK_MS = 10e3;
const REQUEST_TIMEOUT_MS = 60e3;
const COMMENTS_LATER_MS = 60e3; // a live page's later flush for comments held back
const CONTENT_TYPE = 'text/plain;charset=UTF-8';

export interface OutboxRecord {
  id: string; // the payload's batch id
  kind: 'tally' | 'comments';
  payload: Record<string, unknown>;
  ready: boolean; // the session ended (comments: always): send now
  stored_at: number; // first stored (ms); dropped MAX_AGE_MS later
  updated_at: number; // last replaced
  send_after_ms?: number; // unfinished tally: abandoned this long after updated_at (the core's)
  after?: string; // comments: the tally batch that must be acknowledged first
  page?: string; // comments: the page load that stored them (sent from another, or by flush()); kiosk: none
  sent_at?: number; // first send: frozen from then on
  attempts: number; // failed sends so far
  retry_at?: number; // no retry before this (backoff or Retry-After)
  server_retry_at?: number; // the endpoint's Retry-After, honoured even by a send at page hide
  rev: number; // revision: the higher one wins when two copies meet
}

// What the widget hands over for one "store", "send" or "comments" effect.
export interface StoreRequest {
  batch: string;
  payload: Record<string, unknown>;
  kind?: 'tally' | 'comments';
  ready: boolean; // "send": the session ended
  sendAfterMs?: number; // "store": the core's abandon timeout
  after?: string; // "comments": the tally's batch
  kiosk?: boolean; // "comments" of a kiosk (which never reloads): any later flush sends them
}

export interface TransportHooks {
  sent(batch: string, payload: Record<string, unknown>): void;
  // A record left the outbox (delivered, dropped, expired or withdrawn): counts of it change.
  removed?(batch: string): void;
  // A payload was dropped (code "rejected", "expired", "too_large") or storage failed ("storage").
  error(code: string, message: string): void;
  debug(message: string): void;
  // True while the visitor opted out: nothing is sent (records stay until optIn()).
  paused?(): boolean;
}

// A durable place for records. Each call touches only the records it names, except list().
export interface OutboxStore {
  readonly name: string;
  put(record: OutboxRecord): Promise<void>;
  delete(id: string): Promise<void>;
  list(): Promise<OutboxRecord[]>;
}

// Exclusive named locks shared by the pages of this origin, and which names are held.
export interface Locks {
  request(name: string, fn: () => Promise<void>): Promise<void>;
  held(): Promise<Set<string>>;
}

export interface TransportEnv {
  openStore?: () => Promise<OutboxStore>; // default: IndexedDB, then localStorage
  locks?: Locks; // default: navigator.locks, else locks within this page only
  fetch?: typeof fetch;
  now?: () => number;
  storage?: Storage | null; // localStorage for hide marks and the journal; default: localStorage
}

// 128 random bits as hex (a page load's id; never leaves the device).
function randomId(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

// Which survey a payload is about, for error messages: never its batch id, which reaches
// `error` listeners and the console (the send event leaves it out too).
function of(payload: Record<string, unknown>): string {
  return typeof payload.survey === 'string' ? ` of survey "${payload.survey}"` : '';
}

function utf8Length(text: string): number {
  return new TextEncoder().encode(text).length;
}

// A record as read back from storage shared with the host page, or null when malformed.
export function cleanRecord(x: unknown): OutboxRecord | null {
  const r = x as Partial<OutboxRecord> | null;
  if (!r || typeof r !== 'object' || typeof r.id !== 'string' || !r.id) return null;
  if (!r.payload || typeof r.payload !== 'object' || Array.isArray(r.payload)) return null;
  if (typeof r.stored_at !== 'number' || !isFinite(r.stored_at)) return null;
  const num = (v: unknown) => (typeof v === 'number' && isFinite(v) ? v : undefined);
  const out: OutboxRecord = {
    id: r.id,
    kind: r.kind === 'comments' ? 'comments' : 'tally',
    payload: r.payload,
    ready: !!r.ready,
    stored_at: r.stored_at,
    updated_at: num(r.updated_at) ?? r.stored_at,
    attempts: num(r.attempts) ?? 0,
    rev: num(r.rev) ?? 0,
  };
  for (const k of ['send_after_ms', 'sent_at', 'retry_at', 'server_retry_at'] as const) {
    const v = num(r[k]);
    if (v !== undefined) out[k] = v;
  }
  if (typeof r.after === 'string') out.after = r.after;
  if (typeof r.page === 'string') out.page = r.page;
  return out;
}

// Records in localStorage: one key each, plus the single-key outbox of earlier versions.
function localRecords(ls: Storage): OutboxRecord[] {
  const out: OutboxRecord[] = [];
  const keys: string[] = [];
  for (let i = 0; i < ls.length; i++) {
    const k = ls.key(i);
    if (k && k.startsWith(RECORD_PREFIX)) keys.push(k);
  }
  for (const k of keys) {
    try {
      const r = cleanRecord(JSON.parse(ls.getItem(k) ?? 'null'));
      if (r && RECORD_PREFIX + r.id === k) out.push(r);
    } catch {
      // not ours or corrupt: skipped
    }
  }
  const legacy = ls.getItem(LEGACY_KEY);
  if (legacy) {
    try {
      const box = JSON.parse(legacy) as Record<string, Record<string, unknown> | null>;
      for (const [id, e] of Object.entries(box && typeof box === 'object' ? box : {})) {
        const r = cleanRecord(e && { ...e, id, updated_at: e.stored_at });
        if (r) out.push(r);
      }
    } catch {
      // corrupt: dropped below
    }
  }
  return out;
}

export class MemoryStore implements OutboxStore {
  readonly name: string = 'memory';
  protected readonly map = new Map<string, OutboxRecord>();
  async put(r: OutboxRecord): Promise<void> {
    this.map.set(r.id, { ...r });
  }
  async delete(id: string): Promise<void> {
    this.map.delete(id);
  }
  async list(): Promise<OutboxRecord[]> {
    return Array.from(this.map.values(), (r) => ({ ...r }));
  }
}

export class LocalStore implements OutboxStore {
  readonly name = 'localStorage';
  constructor(private readonly ls: Storage) {}
  async put(r: OutboxRecord): Promise<void> {
    this.ls.setItem(RECORD_PREFIX + r.id, JSON.stringify(r));
  }
  async delete(id: string): Promise<void> {
    this.ls.removeItem(RECORD_PREFIX + id);
  }
  async list(): Promise<OutboxRecord[]> {
    const all = localRecords(this.ls);
    if (this.ls.getItem(LEGACY_KEY) !== null) {
      for (const r of all) this.ls.setItem(RECORD_PREFIX + r.id, JSON.stringify(r));
      this.ls.removeItem(LEGACY_KEY);
    }
    return newest(all);
  }
}

// One record per id: the highest revision.
function newest(records: OutboxRecord[]): OutboxRecord[] {
  const by = new Map<string, OutboxRecord>();
  for (const r of records) {
    const had = by.get(r.id);
    if (!had || r.rev > had.rev) by.set(r.id, r);
  }
  return Array.from(by.values());
}

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

function committed(t: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    t.oncomplete = () => resolve();
    t.onerror = t.onabort = () => reject(t.error ?? new Error('IndexedDB transaction aborted'));
  });
}

export class IdbStore implements OutboxStore {
  readonly name = 'IndexedDB';
  constructor(private readonly db: IDBDatabase, private readonly ls: Storage | null) {}

  #write(fn: (s: IDBObjectStore) => void): Promise<void> {
    const t = this.db.transaction(DB_STORE, 'readwrite', { durability: 'strict' });
    fn(t.objectStore(DB_STORE));
    return committed(t);
  }
  put(r: OutboxRecord): Promise<void> {
    return this.#write((s) => s.put(r));
  }
  async delete(id: string): Promise<void> {
    await this.#write((s) => s.delete(id));
    try {
      this.ls?.removeItem(RECORD_PREFIX + id); // a copy journaled while the page was hidden
    } catch {
      // storage blocked: nothing journaled there either
    }
  }
  // Every record, with what a hidden page journaled to localStorage (or an earlier version left
  // there) moved into IndexedDB.
  async list(): Promise<OutboxRecord[]> {
    const stored = (await request(this.db.transaction(DB_STORE).objectStore(DB_STORE).getAll()))
      .map(cleanRecord)
      .filter((r): r is OutboxRecord => !!r);
    let local: OutboxRecord[] = [];
    try {
      if (this.ls) local = localRecords(this.ls);
    } catch {
      // storage blocked
    }
    if (!local.length) return stored;
    const all = newest([...stored, ...local]);
    const revs = new Map(stored.map((r) => [r.id, r.rev]));
    const moved = all.filter((r) => !revs.has(r.id) || r.rev > revs.get(r.id)!);
    await this.#write((s) => moved.forEach((r) => s.put(r)));
    for (const r of local) this.ls!.removeItem(RECORD_PREFIX + r.id);
    this.ls!.removeItem(LEGACY_KEY);
    return all;
  }
}

function localStorageOrNull(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null; // blocked: reading the property throws
  }
}

function openIdb(ls: Storage | null): Promise<OutboxStore> {
  return new Promise((resolve, reject) => {
    if (typeof indexedDB === 'undefined') return reject(new Error('no IndexedDB'));
    const r = indexedDB.open(DB_NAME, 1);
    r.onupgradeneeded = () => r.result.createObjectStore(DB_STORE, { keyPath: 'id' });
    r.onsuccess = () => {
      const db = r.result;
      if (!db.objectStoreNames.contains(DB_STORE)) {
        db.close(); // a database of that name that is not ours
        return reject(new Error('IndexedDB "' + DB_NAME + '" has no outbox'));
      }
      db.onversionchange = () => db.close();
      resolve(new IdbStore(db, ls));
    };
    r.onerror = () => reject(r.error ?? new Error('IndexedDB did not open'));
    r.onblocked = () => reject(new Error('IndexedDB is blocked'));
  });
}

// IndexedDB, else localStorage (checked with a write), else an error (the caller keeps memory).
export async function openDefaultStore(): Promise<OutboxStore> {
  const ls = localStorageOrNull();
  try {
    return await openIdb(ls);
  } catch (e) {
    if (!ls) throw e;
    const probe = RECORD_PREFIX + '?';
    ls.setItem(probe, '1');
    ls.removeItem(probe);
    return new LocalStore(ls);
  }
}

// navigator.locks, or (an engine without Web Locks) locks within this page only.
export function defaultLocks(): Locks {
  const web = (globalThis as { navigator?: { locks?: LockManager } }).navigator?.locks;
  if (web && typeof web.request === 'function' && typeof web.query === 'function') {
    return {
      request: async (name, fn) => {
        await web.request(name, fn);
      },
      held: async () => new Set(((await web.query()).held ?? []).map((l) => l.name ?? '')),
    };
  }
  const tails = new Map<string, Promise<void>>();
  const held = new Set<string>();
  return {
    request: (name, fn) => {
      const run = (tails.get(name) ?? Promise.resolve()).then(async () => {
        held.add(name);
        try {
          await fn();
        } finally {
          held.delete(name);
        }
      });
      tails.set(name, run.catch(() => {}));
      return run;
    },
    held: async () => new Set(held),
  };
}

// Seconds or an HTTP date; undefined when absent or unreadable.
function retryAfterMs(res: Response, now: number): number | undefined {
  const v = res.headers?.get?.('Retry-After');
  if (!v) return undefined;
  if (/^\d+$/.test(v.trim())) return Number(v.trim()) * 1000;
  const at = Date.parse(v);
  return isNaN(at) ? undefined : Math.max(0, at - now);
}

type Outcome = 'ok' | 'drop' | 'retry' | 'down'; // down: the endpoint is unreachable for all

export class Transport {
  endpoint: string;
  readonly #hooks: TransportHooks;
  readonly #env: Required<Omit<TransportEnv, 'storage'>> & { storage: Storage | null };
  #opened: Promise<OutboxStore> | null = null;
  #memory: MemoryStore | null = null; // once the durable store failed
  #lost: string | null = null; // why, until the `error` event for it is sent
  readonly #own = new Map<string, OutboxRecord>(); // records of batches this page holds
  readonly #holds = new Map<string, () => void>(); // batch locks held: their release
  readonly #pending = new Map<string, OutboxRecord>(); // writes not yet durable
  readonly #acked = new Set<string>(); // acknowledged by this page
  readonly #ackedAt = new Map<string, number>(); // tallies delivered by this page: when
  #chain: Promise<void> = Promise.resolve(); // store/release, in call order
  #sending: Promise<void> = Promise.resolve(); // this page's one request in flight
  #inFlight: string | null = null;
  #unreachable = false; // the endpoint's network failure was reported
  #running: Promise<void> | null = null;
  #again = false;
  #force = false; // the next pass ignores the backoff (not Retry-After)
  #timer: ReturnType<typeof setTimeout> | undefined;
  #started = false;
  #asked = false; // the next pass is the page's own flush(): comments of this page go
  // This page load, on the comments it stores: they leave from a later page load, or by an
  // explicit flush(), never by the release, network or timer flushes of the page that stored them.
  // A kiosk's comments carry none: its page never reloads, so its own later flushes send them.
  readonly #page = randomId();

  constructor(endpoint: string, hooks: TransportHooks, env: TransportEnv = {}) {
    this.endpoint = endpoint;
    this.#hooks = hooks;
    this.#env = {
      openStore: env.openStore ?? openDefaultStore,
      locks: env.locks ?? defaultLocks(),
      fetch: env.fetch ?? ((input, init) => fetch(input, init)),
      now: env.now ?? (() => Date.now()),
      storage: env.storage !== undefined ? env.storage : localStorageOrNull(),
    };
  }

  // Sends what earlier pages left (one attempt per page load even during a backoff, never
  // before a Retry-After) and listens for the network coming back and the page hiding.
  start(): void {
    if (this.#started) return;
    this.#started = true;
    addEventListener('online', () => void this.flush(true));
    addEventListener('pagehide', () => this.hide());
    addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'hidden') this.hide();
    });
    void this.flush(true);
  }

  // Keeps a payload. A finished tally is sent at once; comments wait for a later flush.
  // Resolves once the record is durable (or the failure reported); never rejects. The record
  // is pending from this call on, so a page hidden before the write lands still journals it.
  store(req: StoreRequest): Promise<void> {
    const kind = req.kind ?? 'tally';
    const build = (prev: OutboxRecord | undefined, now: number): OutboxRecord => {
      const rec: OutboxRecord = {
        id: req.batch,
        kind,
        payload: req.payload,
        ready: kind === 'comments' || req.ready || !!prev?.ready,
        stored_at: prev?.stored_at ?? now,
        updated_at: now,
        attempts: 0,
        rev: (prev?.rev ?? 0) + 1,
      };
      if (!rec.ready) rec.send_after_ms = req.sendAfterMs ?? 0;
      if (req.after) rec.after = req.after;
      if (kind === 'comments' && !req.kiosk) rec.page = this.#page;
      return rec;
    };
    const latest = this.#pending.get(req.batch) ?? this.#own.get(req.batch);
    const early =
      latest?.sent_at === undefined && !this.#acked.has(req.batch) ? build(latest, this.#env.now()) : undefined;
    if (early) this.#pending.set(early.id, early);
    const forget = () => {
      if (early && this.#pending.get(early.id) === early) this.#pending.delete(early.id);
    };
    const run = async () => {
      if (utf8Length(JSON.stringify(req.payload)) > MAX_PAYLOAD_BYTES) {
        forget();
        this.#hooks.error('too_large', `a payload${of(req.payload)} is over ${MAX_PAYLOAD_BYTES} bytes; dropped`);
        return;
      }
      if (kind === 'tally') await this.#hold(req.batch);
      // A batch of this page: the last copy is in memory (no other page changes a held batch).
      const prev = this.#own.get(req.batch);
      if (prev?.sent_at !== undefined || this.#acked.has(req.batch)) {
        forget();
        this.#hooks.debug('batch ' + req.batch + ' was sent already; kept as sent');
        return;
      }
      const rec = build(prev, this.#env.now());
      if (kind === 'tally') this.#own.set(rec.id, rec);
      await this.#write(rec);
      if (rec.ready && kind === 'tally') void this.flush();
    };
    const p = this.#chain.then(run).catch((e) => this.#hooks.error('storage', 'could not store: ' + message(e)));
    this.#chain = p;
    return p;
  }

  // The visitor opted out with this page's session of `batch` open: its record goes unless a
  // send has started (a payload that left once stays an outbox record until delivered), and
  // with it the session's comments. The pending mark goes with the last record: no flush runs
  // while the visitor is opted out, and a mark left behind would have every page load the
  // outbox module for nothing.
  drop(batch: string): Promise<void> {
    const p = this.#chain.then(async () => {
      const prev = this.#own.get(batch) ?? this.#pending.get(batch);
      if (prev?.sent_at !== undefined || this.#acked.has(batch)) return;
      await this.#remove(batch);
      for (const r of await this.#list()) {
        if (r.kind === 'comments' && r.after === batch && r.sent_at === undefined) await this.#remove(r.id);
      }
      await this.#unmarkIfEmpty();
    });
    this.#chain = p.catch((e) => this.#hooks.debug('could not drop: ' + message(e)));
    return this.#chain;
  }

  // The widget of `batch` closed: once its send settles, other pages may send it, and an
  // unfinished one may age out.
  release(batch: string): Promise<void> {
    const p = this.#chain.then(async () => {
      const free = this.#holds.get(batch);
      if (!free) return;
      await this.#sending;
      this.#holds.delete(batch);
      this.#own.delete(batch);
      free();
      void this.flush();
    });
    this.#chain = p.catch(() => {});
    return this.#chain;
  }

  // Sends what is due, one request at a time, under the cross-page outbox lock; resolves when
  // done (never rejects). Calls while a flush runs join it. `now` (the page's flush(), the
  // network coming back) retries without waiting for the backoff, but never before a
  // Retry-After. `asked` (the page's flush() only) also sends this page's comments.
  flush(now = false, asked = false): Promise<void> {
    if (!this.endpoint) return Promise.resolve();
    if (this.#hooks.paused?.()) {
      this.#hooks.debug('opted out: nothing is sent');
      return Promise.resolve();
    }
    this.#force ||= now;
    this.#asked ||= asked;
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    clearTimeout(this.#timer);
    this.#running = this.#env.locks
      .request(OUTBOX_LOCK, () => this.#drain())
      .catch((e) => this.#hooks.debug('flush failed: ' + message(e)))
      .finally(() => {
        this.#running = null;
        if (this.#again) void this.flush(); // asked for after the last pass had started
      });
    return this.#running;
  }

  // Every record (for tests and debugging).
  async records(): Promise<OutboxRecord[]> {
    return this.#list();
  }

  // The tallies not yet acknowledged by the endpoint (kiosk mode's count of unsent answers).
  async unsent(): Promise<Record<string, unknown>[]> {
    return (await this.#list()).filter((r) => r.kind === 'tally').map((r) => r.payload);
  }

  // The page is being hidden (maybe for good): what is not yet durable is journaled to
  // localStorage, and one finished record of this page leaves now by keepalive fetch, unless a
  // request is in flight already: its mark then counts from now, as this page may not learn
  // its answer.
  hide(): void {
    const ls = this.#env.storage;
    const now = this.#env.now();
    if (this.#inFlight) this.#markSent(this.#inFlight, now);
    const rec =
      this.endpoint && !this.#inFlight && !this.#hooks.paused?.()
        ? Array.from(this.#own.values()).find(
            (r) => r.ready && this.#holds.has(r.id) && !this.#acked.has(r.id) && !((r.server_retry_at ?? 0) > now),
          )
        : undefined;
    if (rec) void this.#send(rec, new Set());
    for (const r of this.#pending.values()) {
      try {
        ls?.setItem(RECORD_PREFIX + r.id, JSON.stringify(r));
        this.#mark(true);
      } catch {
        // blocked or full: the IndexedDB write may still land
      }
    }
  }

  // The loader's hint that there is something to deliver (outbox.ts): PENDING_KEY is set once a
  // record is durable, and cleared by a flush that left nothing (under the outbox lock) or an
  // opt-out's drop that left nothing (#unmarkIfEmpty: safe beside other pages' stores).
  #mark(on: boolean): void {
    try {
      if (on) this.#env.storage?.setItem(PENDING_KEY, '1');
      else this.#env.storage?.removeItem(PENDING_KEY);
    } catch {
      // blocked: the loader then always loads the outbox (hasPending says "maybe")
    }
  }

  // Cleared first and the store listed again: a record another page stored meanwhile (it sets
  // the mark after its write lands) either shows up in that listing or marks again afterwards.
  // A store that cannot be read keeps the mark.
  async #unmarkIfEmpty(): Promise<void> {
    if (this.#memory) return;
    this.#mark(false);
    const left = await this.#read();
    if (left === null || left.length > 0) this.#mark(true);
  }

  async #open(): Promise<OutboxStore> {
    if (this.#memory) return this.#memory;
    this.#opened ??= this.#env.openStore();
    try {
      return await this.#opened;
    } catch (e) {
      return this.#fallBack(e);
    }
  }

  // Reports once that answers are kept only in memory.
  #warn(): void {
    if (this.#lost === null) return;
    this.#hooks.error('storage', 'no durable storage (' + this.#lost + '); answers are kept only while this page is open');
    this.#lost = null;
  }

  // Memory from now on. The `error` event waits for the first answer kept there: a page that
  // only looked for leftovers has lost nothing.
  #fallBack(e: unknown): OutboxStore {
    if (!this.#memory) {
      this.#memory = new MemoryStore();
      this.#lost = message(e);
    }
    return this.#memory;
  }

  // Every record; null when the store could not be read (then nothing is known to be empty).
  async #read(): Promise<OutboxRecord[] | null> {
    const store = await this.#open();
    try {
      return await store.list();
    } catch (e) {
      this.#hooks.debug('could not read the outbox: ' + message(e));
      return null;
    }
  }

  async #list(): Promise<OutboxRecord[]> {
    return (await this.#read()) ?? [];
  }

  async #write(rec: OutboxRecord): Promise<void> {
    if (this.#own.has(rec.id)) this.#own.set(rec.id, rec);
    this.#pending.set(rec.id, rec);
    try {
      const store = await this.#open();
      try {
        await store.put(rec);
        if (store !== this.#memory) this.#mark(true);
        else this.#warn();
      } catch (e) {
        const mem = this.#fallBack(e);
        // Everything the durable store held stays readable through memory from now on.
        if (store !== mem) for (const r of await store.list().catch(() => [])) await mem.put(r);
        await mem.put(rec);
        this.#warn();
      }
    } finally {
      if (this.#pending.get(rec.id) === rec) this.#pending.delete(rec.id);
    }
  }

  async #remove(id: string): Promise<void> {
    this.#own.delete(id);
    this.#pending.delete(id);
    this.#markSent(id, null);
    await (await this.#open()).delete(id);
    this.#hooks.removed?.(id);
  }

  // Marks a request of `id` as in flight since `at` for every page, or (null) clears the mark.
  #markSent(id: string, at: number | null): void {
    try {
      if (at === null) this.#env.storage?.removeItem(HIDE_PREFIX + id);
      else this.#env.storage?.setItem(HIDE_PREFIX + id, String(at));
    } catch {
      // blocked: other pages may then send it too; the batch id makes that harmless
    }
  }

  // Takes the batch lock (resolves once granted; a failure to lock is not fatal).
  #hold(batch: string): Promise<void> {
    if (this.#holds.has(batch)) return Promise.resolve();
    let free!: () => void;
    const until = new Promise<void>((r) => (free = r));
    this.#holds.set(batch, free);
    return new Promise((granted) => {
      this.#env.locks
        .request(BATCH_LOCK_PREFIX + batch, () => {
          granted();
          return until;
        })
        .catch((e) => {
          this.#hooks.debug('could not lock batch ' + batch + ': ' + message(e));
          granted();
        });
    });
  }

  // Until when a request of another page, which may have gone away, counts as in flight (0: none).
  #hiddenUntil(id: string): number {
    try {
      const at = Number(this.#env.storage?.getItem(HIDE_PREFIX + id) ?? NaN);
      return isFinite(at) ? at + HIDE_MARK_MS : 0;
    } catch {
      return 0;
    }
  }

  // One hold of the outbox lock: sends every due record, then schedules the next attempt.
  async #drain(): Promise<void> {
    const run = new Set<string>(); // tallies acknowledged during this flush
    let wake = Infinity;
    let commentsHeld = false;
    let left = 0; // records still in the outbox after the last pass (-1: it could not be read)
    do {
      this.#again = false;
      const force = this.#force;
      this.#force = false;
      const asked = this.#asked;
      this.#asked = false;
      wake = Infinity;
      commentsHeld = false;
      const read = await this.#read();
      const records = (read ?? []).sort((a, b) => a.stored_at - b.stored_at);
      const held = await this.#env.locks.held().catch(() => new Set<string>());
      const ids = new Set(records.map((r) => r.id));
      for (const listed of records) {
        const r = this.#own.get(listed.id) ?? listed; // this page's copy is the newest
        const now = this.#env.now();
        if (now - r.stored_at > MAX_AGE_MS) {
          await this.#remove(r.id);
          ids.delete(r.id);
          this.#hooks.error('expired', `a payload${of(r.payload)} could not be delivered within 35 days; dropped`);
          continue;
        }
        if (this.#acked.has(r.id)) continue;
        const mine = this.#holds.has(r.id);
        const shown = held.has(BATCH_LOCK_PREFIX + r.id);
        if (shown && !mine) continue; // another page holds it: that page sends it
        const hidden = this.#hiddenUntil(r.id);
        if (hidden > now) {
          wake = Math.min(wake, hidden);
          continue;
        }
        if (r.kind === 'comments' && r.page === this.#page && !asked) continue; // same page load
        if (r.kind === 'comments' && r.after && (ids.has(r.after) || run.has(r.after))) {
          if (run.has(r.after)) commentsHeld = true;
          continue;
        }
        // A kiosk's (no page load): not right after the flush that saw its tally acknowledged.
        const later =
          r.kind === 'comments' && r.page === undefined && r.after ? this.#ackedAt.get(r.after) : undefined;
        if (later !== undefined && later + COMMENTS_LATER_MS > now) {
          wake = Math.min(wake, later + COMMENTS_LATER_MS);
          continue;
        }
        if (!r.ready && r.sent_at === undefined) {
          if (mine || shown) continue; // still showing: its release flushes again
          const abandoned = r.updated_at + (r.send_after_ms ?? 0);
          if (abandoned > now) {
            wake = Math.min(wake, abandoned);
            continue;
          }
        }
        // After a send whose page went away (answer unknown), check again at once: no backoff.
        const notBefore = force || hidden ? r.server_retry_at ?? 0 : r.retry_at ?? 0;
        if (notBefore > now) {
          wake = Math.min(wake, notBefore);
          continue;
        }
        await this.#sending; // one request in flight per page
        if (this.#acked.has(r.id)) continue; // sent while this page was hiding
        const { outcome, retryAt } = await this.#send(this.#own.get(r.id) ?? r, run);
        if (outcome === 'ok' || outcome === 'drop') ids.delete(r.id);
        if (retryAt !== undefined) wake = Math.min(wake, retryAt);
        // The endpoint is unreachable or overloaded: every record would fail the same way.
        if (outcome === 'down') break;
      }
      left = read === null ? -1 : ids.size;
    } while (this.#again);
    // Records left (also ones moved from an earlier version's outbox, or a mark the page wiped):
    // marked, so the next page load delivers them; nothing left: unmarked. Unreadable: unchanged.
    if (left === 0) await this.#unmarkIfEmpty();
    else if (left > 0 && !this.#memory) this.#mark(true);
    if (commentsHeld) wake = Math.min(wake, this.#env.now() + COMMENTS_LATER_MS);
    if (wake < Infinity) {
      const wait = Math.min(Math.max(wake - this.#env.now(), 1000), 0x7fffffff);
      this.#hooks.debug('next delivery attempt in ' + Math.round(wait / 1000) + ' s');
      this.#timer = setTimeout(() => void this.flush(), wait);
      (this.#timer as { unref?: () => void }).unref?.(); // node tests: never keeps the process
    }
  }

  // Posts one record (freezing it first); records the outcome.
  #send(rec: OutboxRecord, run: Set<string>): Promise<{ outcome: Outcome; retryAt?: number }> {
    const now = this.#env.now();
    if (rec.sent_at === undefined) {
      // Frozen from here on, for this page (own) and, once written, for every other.
      rec = { ...rec, sent_at: now, ready: true, rev: rec.rev + 1 };
      delete rec.send_after_ms;
      if (this.#own.has(rec.id)) this.#own.set(rec.id, rec);
      this.#pending.set(rec.id, rec);
    }
    const frozen = rec;
    const body = JSON.stringify(frozen.payload);
    this.#inFlight = frozen.id;
    // Before the request leaves: this page may go away before it has an answer.
    this.#markSent(frozen.id, now);
    // The request leaves synchronously (a page being hidden gets no later turn).
    const response = this.#post(body);
    const result = (async (): Promise<{ outcome: Outcome; retryAt?: number }> => {
      if (this.#pending.get(frozen.id) === frozen) await this.#write(frozen).catch(() => {});
      let outcome: Outcome;
      let status = 0;
      let wait: number | undefined;
      try {
        const res = await response;
        status = res.status;
        wait = retryAfterMs(res, this.#env.now());
        outcome = res.ok ? 'ok' : status === 400 || status === 413 ? 'drop' : 'retry';
        if (status === 429 || status === 408 || status >= 500) outcome = 'down';
      } catch (e) {
        this.#hooks.debug('could not reach the endpoint: ' + message(e));
        outcome = 'down';
        // Said once per page while the browser believes it is online (an offline kiosk is not
        // an error) and the page is shown (a page unloading sees its requests fail): a wrong
        // data-endpoint or a collector that is down is the site's to fix.
        if (!this.#unreachable && globalThis.navigator?.onLine !== false &&
            globalThis.document?.visibilityState !== 'hidden') {
          this.#unreachable = true;
          this.#hooks.error('unreachable', `could not reach the endpoint ${this.endpoint} (${message(e)}); ` +
            'the answers stay on this device and are sent later');
        }
      }
      if (outcome === 'ok') {
        this.#acked.add(frozen.id);
        if (frozen.kind === 'tally') this.#ackedAt.set(frozen.id, this.#env.now());
        run.add(frozen.id);
        await this.#remove(frozen.id).catch((e) => this.#hooks.debug('could not delete: ' + message(e)));
        this.#hooks.sent(frozen.id, frozen.payload);
      } else if (outcome === 'drop') {
        this.#acked.add(frozen.id);
        await this.#remove(frozen.id).catch(() => {});
        this.#hooks.error('rejected', `the endpoint refused a payload${of(frozen.payload)} (HTTP ${status}); dropped`);
      } else {
        const attempts = frozen.attempts + 1;
        const backoff = BACKOFF_MS[Math.min(attempts, BACKOFF_MS.length) - 1];
        const at = this.#env.now();
        const next: OutboxRecord = { ...frozen, attempts, retry_at: at + Math.max(backoff, wait ?? 0), rev: frozen.rev + 1 };
        if (wait !== undefined) next.server_retry_at = at + wait;
        else delete next.server_retry_at;
        this.#hooks.debug(`batch ${frozen.id}: ${status ? 'HTTP ' + status : 'network error'}; retry in ${Math.round((next.retry_at! - at) / 1000)} s`);
        await this.#write(next).catch(() => {});
        return { outcome, retryAt: next.retry_at };
      }
      return { outcome };
    })().finally(() => {
      if (this.#inFlight === frozen.id) this.#inFlight = null;
      this.#markSent(frozen.id, null); // answered: this page has recorded the outcome
    });
    this.#sending = result.then(() => {}, () => {});
    return result;
  }

  #post(body: string): Promise<Response> {
    const abort = typeof AbortController === 'function' ? new AbortController() : null;
    const timer = abort ? setTimeout(() => abort.abort(), REQUEST_TIMEOUT_MS) : undefined;
    (timer as { unref?: () => void } | undefined)?.unref?.();
    let res: Promise<Response>;
    try {
      res = this.#env.fetch(this.endpoint, {
        method: 'POST',
        body,
        keepalive: true,
        credentials: 'omit',
        referrerPolicy: 'no-referrer',
        headers: { 'Content-Type': CONTENT_TYPE },
        signal: abort?.signal,
      });
    } catch (e) {
      res = Promise.reject(e);
    }
    const settled = res.finally(() => clearTimeout(timer));
    // Awaited only after the record is written: a network failure before then must not reach
    // the page as an unhandledrejection.
    settled.catch(() => {});
    return settled;
  }
}
