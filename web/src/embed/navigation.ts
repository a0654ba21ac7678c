// The loader's share of the triggers: page views in single-page apps (history.pushState and
// replaceState fire no event, so they are wrapped; popstate is listened to) and the clock of
// visible time that dwell triggers count (it stops while the page is hidden). The observers of
// scroll, dwell and exit intent live in nazar-triggers.mjs (triggers.ts), fetched at idle only
// where such a survey may show.

// Calls `changed` whenever the path changes by pushState, replaceState or popstate.
export function watchNavigation(changed: () => void): void {
  let path = location.pathname;
  const check = (): void => {
    if (location.pathname === path) return;
    path = location.pathname;
    changed();
  };
  for (const name of ['pushState', 'replaceState'] as const) {
    const original = history[name];
    history[name] = function (this: History, ...args: Parameters<History['pushState']>) {
      const result = original.apply(this, args);
      try {
        check();
      } catch (e) {
        console.error('nazar: ' + String(e));
      }
      return result;
    };
  }
  addEventListener('popstate', check);
}

// Milliseconds the page has been visible since the page view began (reset() on navigation).
export function visibleClock(): { ms(): number; reset(): void } {
  let total = 0;
  let since: number | null = null;
  const visible = () => document.visibilityState === 'visible';
  const reset = (): void => {
    total = 0;
    since = visible() ? performance.now() : null;
  };
  document.addEventListener('visibilitychange', () => {
    if (visible()) since ??= performance.now();
    else if (since !== null) {
      total += performance.now() - since;
      since = null;
    }
  });
  reset();
  return { ms: () => total + (since === null ? 0 : performance.now() - since), reset };
}

// Runs `fn` when the browser is idle (requestIdleCallback, or a timer where there is none).
export function whenIdle(fn: () => void): void {
  const ric = (window as { requestIdleCallback?: (cb: () => void, o?: { timeout: number }) => number })
    .requestIdleCallback;
  if (typeof ric === 'function') ric(fn, { timeout: 2000 });
  else setTimeout(fn, 1);
}
