// Durable delivery of aggregate payloads (Contract 3). Every payload the core hands over is kept
// in localStorage ("nazar:outbox", batch -> entry) until the endpoint answers 2xx; a re-sent
// batch keeps its id, so the collector de-duplicates. Part of the loader: flushing what earlier
// pages left behind never needs the wasm module.

export const OUTBOX_KEY = 'nazar:outbox';
// A display nobody finished is sent once it is this old (the core's kAbandonAfterMs).
export const ABANDON_AFTER_MS = 30 * 60 * 1000;
const BACKOFF_MS = [5e3, 30e3, 120e3, 600e3];
const CONTENT_TYPE = 'text/plain;charset=UTF-8';

export interface OutboxEntry {
  payload: Record<string, unknown>;
  ready: boolean; // the session finished: send now
  stored_at: number;
  send_after_ms?: number; // unfinished: send when this old
}

type Outbox = Record<string, OutboxEntry>;

export interface TransportHooks {
  sent(batch: string, payload: Record<string, unknown>): void;
  // The endpoint refused the batch for good (a 4xx other than 408/429); it was dropped.
  rejected(batch: string, status: number): void;
  debug(message: string): void;
}

export class Transport {
  endpoint: string;
  private readonly hooks: TransportHooks;
  private memory: Outbox = {}; // the outbox as last written: the truth once storage fails
  private storageFailed = false; // a write failed (blocked, quota): read memory from then on
  private readonly inFlight = new Set<string>();
  private readonly open = new Set<string>(); // batches of sessions still showing on this page
  private attempt = 0;
  private timer = 0;
  private started = false;

  constructor(endpoint: string, hooks: TransportHooks) {
    this.endpoint = endpoint;
    this.hooks = hooks;
  }

  // Sends what earlier pages left (finished, or abandoned long enough ago) and listens for
  // the network coming back and the page going away.
  start(): void {
    if (this.started) return;
    this.started = true;
    addEventListener('online', () => void this.flush());
    addEventListener('pagehide', () => this.beacon());
    void this.flush();
  }

  // Keeps `payload` under `batch`; a ready (finished) entry is sent at once.
  store(batch: string, payload: Record<string, unknown>, ready: boolean, sendAfterMs?: number): void {
    const box = this.read();
    const entry: OutboxEntry = { payload, ready: ready || !!box[batch]?.ready, stored_at: Date.now() };
    if (sendAfterMs !== undefined) entry.send_after_ms = sendAfterMs;
    box[batch] = entry;
    this.write(box);
    if (entry.ready) {
      this.open.delete(batch);
      void this.flush();
    } else {
      this.open.add(batch);
    }
  }

  // The session behind `batch` is gone from this page: an unfinished entry may now age out.
  release(batch: string): void {
    this.open.delete(batch);
  }

  // Entries that may be sent now.
  due(now = Date.now()): string[] {
    const box = this.read();
    return Object.keys(box).filter((batch) => {
      const e = box[batch];
      if (e.ready) return true;
      return !this.open.has(batch) && now - e.stored_at >= (e.send_after_ms ?? ABANDON_AFTER_MS);
    });
  }

  // Posts every due entry; resolves when all attempts have settled (never rejects).
  async flush(): Promise<void> {
    if (!this.endpoint) return;
    let results: boolean[];
    try {
      const box = this.read();
      results = await Promise.all(this.due().map((batch) => this.post(batch, box[batch])));
    } catch (e) {
      this.hooks.debug('flush failed: ' + String((e as Error)?.message ?? e));
      results = [false];
    }
    clearTimeout(this.timer);
    if (results.some((ok) => !ok)) {
      const wait = BACKOFF_MS[Math.min(this.attempt++, BACKOFF_MS.length - 1)];
      this.hooks.debug('delivery failed; retrying in ' + wait / 1000 + ' s');
      this.timer = window.setTimeout(() => void this.flush(), wait);
    } else {
      this.attempt = 0;
    }
  }

  private async post(batch: string, entry: OutboxEntry): Promise<boolean> {
    if (this.inFlight.has(batch)) return false; // settles later; retry then if still due
    this.inFlight.add(batch);
    const body = JSON.stringify(entry.payload);
    try {
      const res = await fetch(this.endpoint, {
        method: 'POST',
        body,
        headers: { 'Content-Type': CONTENT_TYPE },
        keepalive: true,
        credentials: 'omit',
        mode: 'cors',
      });
      if (!res.ok) {
        this.hooks.debug('endpoint answered ' + res.status + ' for batch ' + batch);
        // A client error other than timeout/rate limit will never succeed: retrying it forever
        // would grow the outbox of an all-day kiosk. Drop it, loudly.
        if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) {
          const box = this.read();
          delete box[batch];
          this.write(box);
          this.hooks.rejected(batch, res.status);
          return true;
        }
        return false;
      }
      const box = this.read();
      this.hooks.sent(batch, entry.payload);
      if (box[batch] && JSON.stringify(box[batch].payload) === body) {
        delete box[batch];
        this.write(box);
        return true;
      }
      // The entry changed while it was on its way: not done, it goes again (same batch id).
      return !box[batch];
    } catch (e) {
      this.hooks.debug('could not reach the endpoint: ' + String((e as Error)?.message ?? e));
      return false;
    } finally {
      this.inFlight.delete(batch);
    }
  }

  // The page is going away: hand finished entries to the browser. They stay stored until a
  // later page sees a 2xx; the batch id makes the duplicate harmless.
  private beacon(): void {
    if (!this.endpoint || typeof navigator.sendBeacon !== 'function') return;
    const box = this.read();
    for (const batch of Object.keys(box)) {
      if (!box[batch].ready || this.inFlight.has(batch)) continue;
      try {
        navigator.sendBeacon(this.endpoint, new Blob([JSON.stringify(box[batch].payload)], { type: CONTENT_TYPE }));
      } catch {
        // the next page retries
      }
    }
  }

  // The outbox, keeping only well-formed entries (storage is shared with the host page).
  read(): Outbox {
    if (this.storageFailed) return { ...this.memory };
    let box: unknown;
    try {
      const text = localStorage.getItem(OUTBOX_KEY);
      box = text ? JSON.parse(text) : {};
    } catch {
      return { ...this.memory };
    }
    const clean: Outbox = {};
    if (box && typeof box === 'object' && !Array.isArray(box)) {
      for (const [batch, e] of Object.entries(box as Record<string, unknown>)) {
        const entry = e as Partial<OutboxEntry> | null;
        if (entry && typeof entry === 'object' && entry.payload && typeof entry.payload === 'object' &&
            typeof entry.stored_at === 'number') {
          clean[batch] = { ...entry, ready: !!entry.ready } as OutboxEntry;
        }
      }
    }
    return clean;
  }

  private write(box: Outbox): void {
    this.memory = box;
    try {
      if (Object.keys(box).length) localStorage.setItem(OUTBOX_KEY, JSON.stringify(box));
      else localStorage.removeItem(OUTBOX_KEY);
      this.storageFailed = false;
    } catch {
      // Storage blocked or full: the in-memory copy is the truth while the page lives (reading
      // storage now would resurrect the older copy and lose this write).
      this.storageFailed = true;
    }
  }
}
