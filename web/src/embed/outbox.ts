// The loader's side of the outbox: nazar-outbox.mjs (transport.ts) is imported only when this
// page has something to deliver, so a page no survey targets pays for a few hundred bytes here.
// Its request inherits the loader's referrer policy like every module import.

import type { StoreRequest, Transport, TransportHooks } from './transport';
import type * as OutboxModule from './outbox-module';

// Whether earlier pages left payloads: records in IndexedDB "nazar"/"outbox", or localStorage
// keys of the outbox (its fallback, a journal, or the single-key outbox of earlier versions).
export function hasPending(): Promise<boolean> {
  return new Promise((resolve) => {
    try {
      for (let i = 0; i < localStorage.length; i++) {
        const key = localStorage.key(i) ?? '';
        // Records ("nazar:outbox:<batch>", or the old "nazar:outbox"), not "nazar:outbox-hide:" marks.
        if (key === 'nazar:outbox' || key.startsWith('nazar:outbox:')) return resolve(true);
      }
    } catch {
      // blocked: then IndexedDB is the only place
    }
    try {
      const open = indexedDB.open('nazar');
      open.onupgradeneeded = () => open.transaction?.abort(); // no database yet: create none
      open.onerror = () => resolve(false);
      open.onsuccess = () => {
        const db = open.result;
        if (!db.objectStoreNames.contains('outbox')) {
          db.close();
          return resolve(false);
        }
        const count = db.transaction('outbox').objectStore('outbox').count();
        count.onsuccess = () => resolve(count.result > 0);
        count.onerror = () => resolve(true);
        db.close(); // after its last transaction
      };
    } catch {
      resolve(false);
    }
  });
}

export class Outbox {
  private loaded: Promise<Transport> | null = null;

  constructor(private readonly base: string, private readonly endpoint: string, private readonly hooks: TransportHooks) {}

  // The outbox module, imported and started once.
  load(): Promise<Transport> {
    if (!this.loaded) {
      this.loaded = (import(/* webpackIgnore: true */ this.base + 'nazar-outbox.mjs') as Promise<typeof OutboxModule>).then((m) => {
        const t = new m.Transport(this.endpoint, this.hooks);
        t.start();
        return t;
      });
      this.loaded.catch((e) => {
        this.loaded = null;
        this.hooks.error('internal', 'could not load the outbox: ' + String((e as Error)?.message ?? e));
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
    void hasPending().then((yes) => {
      if (yes) void this.load().catch(() => {});
    });
  }

  store(request: StoreRequest): void {
    void this.load().then((t) => t.store(request), () => {});
  }

  // Only a loaded outbox can hold this page's records.
  drop(batch: string): void {
    if (this.loaded) void this.loaded.then((t) => t.drop(batch), () => {});
  }

  release(batch: string): void {
    void this.load().then((t) => t.release(batch), () => {});
  }

  // The page's flush(): also skips the backoff (never a Retry-After).
  async flush(): Promise<void> {
    if (this.hooks.paused?.()) return this.hooks.debug('opted out: nothing is sent');
    if (this.loaded || (await hasPending())) await (await this.load()).flush(true, true);
  }
}
