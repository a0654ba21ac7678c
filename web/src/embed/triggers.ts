// Observes the page for the facts that triggers name (DESIGN.md Contract 1): how far the
// visitor scrolled, how long the page was visible, a pointer leaving through the top, and
// single-page-app navigations. It decides nothing: it reports facts to the core (through `ask`)
// and asks again only at the values the core said could change its answer ("wait").

export type TriggerKind = 'scroll' | 'dwell' | 'exit_intent';

export interface Facts {
  kind: string;
  event?: string;
  scroll_percent?: number;
  dwell_seconds?: number;
}

// The core's hint from nazar_targeting_decide: the fact values worth asking again at.
export interface Wait {
  scroll_percent?: number;
  dwell_seconds?: number;
}

export interface TriggerHooks {
  // Reports a fact to the core; resolves with its wait hint (null once nothing can change).
  ask(facts: Facts): Promise<Wait | null>;
  // Loads the widget module and the core (at idle, so the survey shows the moment a fact happens).
  prepare(): Promise<unknown>;
  // The page's path changed (pushState, replaceState, popstate): a new page view.
  navigated(): void;
  debug(message: string): void;
}

// Runs `fn` when the browser is idle (requestIdleCallback, or a timer where there is none).
export function whenIdle(fn: () => void): void {
  const ric = (window as { requestIdleCallback?: (cb: () => void, o?: { timeout: number }) => number })
    .requestIdleCallback;
  if (typeof ric === 'function') ric(fn, { timeout: 2000 });
  else setTimeout(fn, 1);
}

// Percent of the page scrolled (0 for a page that does not scroll).
function scrollPercent(): number {
  const el = document.documentElement;
  const max = Math.max(el.scrollHeight, document.body?.scrollHeight ?? 0) - innerHeight;
  if (max <= 0) return 0;
  return Math.max(0, Math.min(100, Math.floor((scrollY / max) * 100 + 1e-6)));
}

// Navigation callbacks of this bundle; history is wrapped once per bundle and window.
const navigations = new Set<() => void>();
let historyWrapped = false;

// One page's observers. `arm` starts those of the kinds that may show here; `reset` stops all
// (on navigation) and starts the counts again.
export class PageTriggers {
  private readonly hooks: TriggerHooks;
  private armed = new Set<TriggerKind>();
  private generation = 0;
  private path = location.pathname;
  // scroll
  private maxScroll = 0;
  private scrollAt = -1; // ask the core when maxScroll reaches this (-1: not yet ready)
  private asking = false;
  // dwell: visible time on this page
  private visibleMs = 0;
  private visibleSince: number | null = null;
  private dwellAt = -1;
  private dwellTimer = 0;

  constructor(hooks: TriggerHooks) {
    this.hooks = hooks;
    addEventListener('scroll', () => this.onScroll(), { passive: true });
    document.addEventListener('visibilitychange', () => this.onVisibility());
    document.addEventListener('mouseout', (e) => this.onMouseOut(e));
    addEventListener('popstate', () => this.onNavigate());
    this.watchHistory();
    this.startDwellClock();
  }

  // Starts observing `kinds` on the current page; the module loads at idle and the core is
  // asked once for each, with the facts so far.
  arm(kinds: TriggerKind[]): void {
    if (kinds.includes('exit_intent') && !matchMedia('(hover: hover) and (pointer: fine)').matches) {
      this.hooks.debug('exit_intent: no fine pointer here (touch), not watched');
      kinds = kinds.filter((k) => k !== 'exit_intent');
    }
    for (const k of kinds) this.armed.add(k);
    if (kinds.length === 0) return;
    const generation = this.generation;
    whenIdle(() => {
      void this.hooks.prepare().then(() => {
        if (generation !== this.generation) return;
        if (this.armed.has('scroll')) void this.askScroll();
        if (this.armed.has('dwell')) void this.askDwell();
        if (this.armed.has('exit_intent')) this.hooks.debug('exit_intent: watching');
      }, () => {});
    });
  }

  // Stops every observer and zeroes the counts (a new page view).
  reset(): void {
    this.generation++;
    this.armed.clear();
    this.maxScroll = 0;
    this.scrollAt = -1;
    this.asking = false;
    this.dwellAt = -1;
    clearTimeout(this.dwellTimer);
    this.visibleMs = 0;
    this.startDwellClock();
  }

  // Asks with the furthest scroll so far; again at once when the visitor already passed the
  // value the core named while it was answering.
  private async askScroll(): Promise<void> {
    if (this.asking) return;
    this.asking = true;
    const generation = this.generation;
    try {
      for (;;) {
        this.maxScroll = Math.max(this.maxScroll, scrollPercent());
        const wait = await this.hooks.ask({ kind: 'scroll', scroll_percent: this.maxScroll });
        if (generation !== this.generation) return;
        const at = wait?.scroll_percent ?? 0;
        if (!at) {
          this.armed.delete('scroll');
          this.scrollAt = -1;
          return;
        }
        this.scrollAt = at;
        if (this.maxScroll < at) {
          this.hooks.debug('scroll: asks again at ' + at + '%');
          return;
        }
      }
    } finally {
      if (generation === this.generation) this.asking = false;
    }
  }

  private onScroll(): void {
    if (!this.armed.has('scroll')) return;
    this.maxScroll = Math.max(this.maxScroll, scrollPercent());
    if (!this.asking && this.scrollAt >= 0 && this.maxScroll >= this.scrollAt) void this.askScroll();
  }

  private dwellSeconds(): number {
    const running = this.visibleSince === null ? 0 : performance.now() - this.visibleSince;
    return Math.floor((this.visibleMs + running) / 1000);
  }

  private startDwellClock(): void {
    this.visibleSince = document.visibilityState === 'visible' ? performance.now() : null;
  }

  private async askDwell(): Promise<void> {
    const generation = this.generation;
    const wait = await this.hooks.ask({ kind: 'dwell', dwell_seconds: this.dwellSeconds() });
    if (generation !== this.generation) return;
    if (wait?.dwell_seconds) {
      this.dwellAt = wait.dwell_seconds;
      this.hooks.debug('dwell: asks again at ' + this.dwellAt + ' s');
      this.scheduleDwell();
    } else {
      this.armed.delete('dwell');
    }
  }

  private scheduleDwell(): void {
    clearTimeout(this.dwellTimer);
    if (this.dwellAt < 0 || this.visibleSince === null) return;
    const running = performance.now() - this.visibleSince;
    const left = Math.max(0, this.dwellAt * 1000 - (this.visibleMs + running));
    // A few ms past the second, so the count has reached it when the timer runs.
    this.dwellTimer = window.setTimeout(() => {
      this.dwellAt = -1;
      void this.askDwell();
    }, left + 20);
  }

  // Hidden time does not count: the clock stops while the page is hidden.
  private onVisibility(): void {
    if (document.visibilityState === 'visible') {
      if (this.visibleSince === null) this.visibleSince = performance.now();
      this.scheduleDwell();
    } else {
      if (this.visibleSince !== null) this.visibleMs += performance.now() - this.visibleSince;
      this.visibleSince = null;
      clearTimeout(this.dwellTimer);
      if (this.armed.has('dwell')) this.hooks.debug('dwell: paused at ' + this.dwellSeconds() + ' s');
    }
  }

  // The pointer left the viewport through its top edge (towards the tabs and the address bar).
  private onMouseOut(e: MouseEvent): void {
    if (!this.armed.has('exit_intent') || e.relatedTarget || e.clientY > 0) return;
    this.armed.delete('exit_intent'); // once per page view
    void this.hooks.ask({ kind: 'exit_intent' });
  }

  private onNavigate(): void {
    if (location.pathname === this.path) return;
    this.path = location.pathname;
    this.reset();
    this.hooks.navigated();
  }

  // Single-page apps navigate with history.pushState/replaceState, which fire no event: wrap
  // them (once per window) so the new path is a new page view.
  private watchHistory(): void {
    navigations.add(() => this.onNavigate());
    if (historyWrapped) return;
    historyWrapped = true;
    for (const name of ['pushState', 'replaceState'] as const) {
      const original = history[name];
      history[name] = function (this: History, ...args: Parameters<History['pushState']>) {
        const result = original.apply(this, args);
        for (const fn of Array.from(navigations)) {
          try {
            fn();
          } catch (e) {
            console.error('nazar: ' + String(e));
          }
        }
        return result;
      };
    }
  }
}
