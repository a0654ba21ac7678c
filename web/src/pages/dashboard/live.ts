// Live reports over server-sent events (GET /v1/stream, plan §2.3): each `report` event carries a
// whole Contract 4 report (the collector sends one when the totals grew by at least the minimum
// count, and the current one first), `revoked` ends a share's stream. The browser reconnects by
// itself only after a dropped stream; after a non-200 answer (503 over the stream cap, a
// restart's refused connection) EventSource stays closed, so this loop opens a new one with
// exponential back-off (1 s doubling to 30 s, with jitter), reset by every event.

import type { ReportJson } from '../report/types';

export type LiveState = 'connecting' | 'live' | 'retrying';

export interface LiveHandlers {
  report(report: ReportJson, id: string): void;
  revoked(): void;
  // `retryIn` in ms for 'retrying'; `failures` counts closed connections since the last event.
  state(state: LiveState, retryIn: number, failures: number): void;
}

export interface Live {
  close(): void;
}

export const MAX_RETRY_MS = 30_000;

// The back-off before the (failures)th reconnection: 1 s, 2 s, 4 s ... at most 30 s, less up to
// a fifth at random so that dashboards do not reconnect in step after a restart.
export function retryDelay(failures: number, random = Math.random): number {
  const base = Math.min(MAX_RETRY_MS, 1000 * 2 ** Math.max(0, failures - 1));
  return Math.round(base * (1 - 0.2 * random()));
}

export function openLive(url: string, on: LiveHandlers): Live {
  let es: EventSource | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let failures = 0;
  let stopped = false;

  const connect = () => {
    if (stopped) return;
    on.state('connecting', 0, failures);
    const source = new EventSource(url);
    es = source;
    source.addEventListener('report', (e) => {
      let report: ReportJson;
      try {
        report = JSON.parse((e as MessageEvent<string>).data) as ReportJson;
      } catch {
        return;  // a broken event is dropped; the next one replaces it
      }
      failures = 0;
      on.state('live', 0, 0);
      on.report(report, (e as MessageEvent).lastEventId);
    });
    source.addEventListener('revoked', () => {
      stop();
      on.revoked();
    });
    source.addEventListener('error', () => {
      if (stopped || es !== source) return;
      if (source.readyState !== EventSource.CLOSED) {
        on.state('connecting', 0, failures);  // the browser retries by itself
        return;
      }
      source.close();
      es = null;
      failures++;
      const wait = retryDelay(failures);
      on.state('retrying', wait, failures);
      timer = setTimeout(connect, wait);
    });
  };

  const stop = () => {
    stopped = true;
    clearTimeout(timer);
    es?.close();
    es = null;
  };

  connect();
  return {
    close() {
      stop();
    },
  };
}
