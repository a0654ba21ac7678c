// The loader's side of the outbox: nazar-outbox.mjs (transport.ts) is imported only when this
// page has something to deliver, so a page no survey targets pays for a few hundred bytes here.
// Its request inherits the loader's referrer policy like every module import.

import type { StoreRequest, Transport, TransportHooks } from './transport';
import { LEGACY_KEY, PENDING_KEY } from './keys';
import { message } from './message';
import type * as OutboxModule from './outbox-module';

// Whether earlier pages may have left payloads: the outbox keeps the mark PENDING_KEY in
// localStorage while it holds records (transport.ts), or the single-key outbox of earlier
// versions is there. Storage that cannot be read answers no: a browser that blocks it (all
// cookies blocked) has no durable outbox either, and such a page must not load the module only
// to find nothing. A page that shows a survey loads the outbox anyway (present.ts).
export function hasPending(): boolean {
  try {
    return localStorage.getItem(PENDING_KEY) !== null || localStorage.getItem(LEGACY_KEY) !== null;
  } catch {
    return false;
  }
}

export class Outbox {
  private loaded: Promise<Transport> | null = null;
  private tries = 0;
  private done!: () => void;
  // Resolves once the module has loaded, whoever asked for it (flush() may, while the
  // presenter's retry waits for its timer: present.ts).
  readonly ready = new Promise<void>((resolve) => (this.done = resolve));

  constructor(private readonly base: string, private readonly endpoint: string, private readonly hooks: TransportHooks) {}

  // The outbox module, imported and started once; a failed import is tried again by the next
  // call. A browser may keep a failed import for its URL in the page's module map (Chromium 156
  // asks the server again): each retry names the file with a fragment of its own, which the
  // request leaves out.
  load(): Promise<Transport> {
    if (!this.loaded) {
      const url = this.base + 'nazar-outbox.mjs' + (this.tries++ ? '#' + this.tries : '');
      this.loaded = (import(/* webpackIgnore: true */ url) as Promise<typeof OutboxModule>).then((m) => {
        const t = new m.Transport(this.endpoint, this.hooks);
        t.start();
        this.done();
        return t;
      });
      this.loaded.catch((e) => {
        this.loaded = null;
        // Once per page: the retries (present.ts) do not repeat it.
        if (this.tries < 2) this.hooks.error('internal', 'could not load the outbox: ' + message(e));
      });
    }
    return this.loaded;
  }

  // Sends what earlier pages left, if anything.
  start(): void {
    if (!this.endpoint) return;
    if (this.hooks.paused?.()) {
      this.hooks.debug('opted out: the outbox waits');
      return;
    }
    if (hasPending()) void this.load().catch(() => {});
  }

  // Resolves once the record is durable (or the failure reported); never rejects. With an
  // endpoint, the widget calls it once the module has loaded (present.ts keeps records in
  // memory until then).
  store(request: StoreRequest): Promise<void> {
    return this.load().then((t) => t.store(request), () => {});
  }

  // The tallies not yet acknowledged by the endpoint (kiosk mode's count of unsent answers).
  unsent(): Promise<Record<string, unknown>[]> {
    return this.load().then((t) => t.unsent());
  }

  // Only a loaded outbox can hold this page's records.
  drop(batch: string): void {
    if (this.loaded) void this.loaded.then((t) => t.drop(batch), () => {});
  }

  release(batch: string): void {
    void this.load().then((t) => t.release(batch), () => {});
  }

  // The page's flush(): also skips the backoff (never a Retry-After). It loads the module where
  // earlier pages left records or where this page has asked for it before, a failed load
  // included: the presenter's answers then wait in memory for it (present.ts, Outbox.ready).
  async flush(): Promise<void> {
    if (this.hooks.paused?.()) return this.hooks.debug('opted out: nothing is sent');
    if (this.tries || hasPending()) await (await this.load()).flush(true, true);
  }
}
