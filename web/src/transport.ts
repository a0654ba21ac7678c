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
  debug(message: string): void;
}

export class Transport {
  endpoint: string;
  private readonly hooks: TransportHooks;
  private memory: Outbox = {}; // used when localStorage is unavailable (sandboxed frames, quota)
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
    const box = this.read();
    const results = await Promise.all(this.due().map((batch) => this.post(batch, box[batch])));
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
    if (this.inFlight.has(batch)) return true;
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
        return false;
      }
      const box = this.read();
      // Keep an entry that changed while it was on its way (it goes again, same batch id).
      if (box[batch] && JSON.stringify(box[batch].payload) === body) {
        delete box[batch];
        this.write(box);
      }
      this.hooks.sent(batch, entry.payload);
      return true;
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

  read(): Outbox {
    try {
      const text = localStorage.getItem(OUTBOX_KEY);
      const box = text ? (JSON.parse(text) as Outbox) : {};
      return box && typeof box === 'object' ? box : {};
    } catch {
      return { ...this.memory };
    }
  }

  private write(box: Outbox): void {
    this.memory = box;
    try {
      if (Object.keys(box).length) localStorage.setItem(OUTBOX_KEY, JSON.stringify(box));
      else localStorage.removeItem(OUTBOX_KEY);
    } catch {
      // storage blocked or full: the in-memory copy still delivers while the page lives
    }
  }
}
