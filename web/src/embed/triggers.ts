// Observes the page for the facts that scroll, dwell and exit-intent triggers name (DESIGN.md
// Contract 1): how far the visitor scrolled, how long the page was visible, a pointer leaving
// through the top. A module of its own (nazar-triggers.mjs), which the widget module imports at
// idle on pages where such a survey may show (navigation.ts, in the loader, covers page views
// and the visible clock). It decides nothing: it reports facts to the core (through `ask`) and asks again only
// at the values the core said could change its answer ("wait").

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
  // Milliseconds the page has been visible in this page view (the loader's clock).
  visibleMs(): number;
  debug(message: string): void;
}

// Percent of the page scrolled (0 for a page that does not scroll).
function scrollPercent(): number {
  const el = document.documentElement;
  const max = Math.max(el.scrollHeight, document.body?.scrollHeight ?? 0) - innerHeight;
  if (max <= 0) return 0;
  return Math.max(0, Math.min(100, Math.floor((scrollY / max) * 100 + 1e-6)));
}

// One page view's observers. `arm` starts those of the kinds that may show here and asks the
// core once for each; `reset` stops all (a new page view) and starts the counts again.
export class PageTriggers {
  readonly #hooks: TriggerHooks;
  #armed = new Set<TriggerKind>();
  #generation = 0;
  // scroll
  #maxScroll = 0;
  #scrollAt = -1; // ask the core when maxScroll reaches this (-1: not yet ready)
  #asking = false;
  // dwell
  #dwellAt = -1;
  #dwellTimer = 0;

  constructor(hooks: TriggerHooks) {
    this.#hooks = hooks;
    addEventListener('scroll', () => this.#onScroll(), { passive: true });
    document.addEventListener('visibilitychange', () => this.#onVisibility());
    document.addEventListener('mouseout', (e) => this.#onMouseOut(e));
  }

  // Starts observing `kinds` on the current page view, asking the core at once with the facts
  // so far.
  arm(kinds: TriggerKind[]): void {
    for (const k of kinds) this.#armed.add(k);
    if (this.#armed.has('scroll')) void this.#askScroll();
    if (this.#armed.has('dwell')) void this.#askDwell();
    if (this.#armed.has('exit_intent')) this.#hooks.debug('exit_intent: watching');
  }

  // Stops every observer and zeroes the counts (a new page view).
  reset(): void {
    this.#generation++;
    this.#armed.clear();
    this.#maxScroll = 0;
    this.#scrollAt = -1;
    this.#asking = false;
    this.#dwellAt = -1;
    clearTimeout(this.#dwellTimer);
  }

  // Asks with the furthest scroll so far; again at once when the visitor already passed the
  // value the core named while it was answering.
  async #askScroll(): Promise<void> {
    if (this.#asking) return;
    this.#asking = true;
    const generation = this.#generation;
    try {
      for (;;) {
        this.#maxScroll = Math.max(this.#maxScroll, scrollPercent());
        const wait = await this.#hooks.ask({ kind: 'scroll', scroll_percent: this.#maxScroll });
        if (generation !== this.#generation) return;
        const at = wait?.scroll_percent ?? 0;
        if (!at) {
          this.#armed.delete('scroll');
          this.#scrollAt = -1;
          return;
        }
        this.#scrollAt = at;
        if (this.#maxScroll < at) {
          this.#hooks.debug('scroll: asks again at ' + at + '%');
          return;
        }
      }
    } finally {
      if (generation === this.#generation) this.#asking = false;
    }
  }

  #onScroll(): void {
    if (!this.#armed.has('scroll')) return;
    const before = this.#maxScroll;
    this.#maxScroll = Math.max(this.#maxScroll, scrollPercent());
    // Seen, still short (at most one line per percent; data-debug readers and tests wait on it).
    if (this.#maxScroll > before && this.#maxScroll < this.#scrollAt) {
      this.#hooks.debug('scroll: ' + this.#maxScroll + '%, short of ' + this.#scrollAt + '%');
    }
    if (!this.#asking && this.#scrollAt >= 0 && this.#maxScroll >= this.#scrollAt) void this.#askScroll();
  }

  #dwellSeconds(): number {
    return Math.floor(this.#hooks.visibleMs() / 1000);
  }

  async #askDwell(): Promise<void> {
    const generation = this.#generation;
    const wait = await this.#hooks.ask({ kind: 'dwell', dwell_seconds: this.#dwellSeconds() });
    if (generation !== this.#generation) return;
    if (wait?.dwell_seconds) {
      this.#dwellAt = wait.dwell_seconds;
      this.#hooks.debug('dwell: asks again at ' + this.#dwellAt + ' s');
      this.#scheduleDwell();
    } else {
      this.#armed.delete('dwell');
    }
  }

  #scheduleDwell(): void {
    clearTimeout(this.#dwellTimer);
    if (this.#dwellAt < 0 || document.visibilityState !== 'visible') return;
    const left = Math.max(0, this.#dwellAt * 1000 - this.#hooks.visibleMs());
    // A few ms past the second, so the count has reached it when the timer runs.
    this.#dwellTimer = window.setTimeout(() => {
      this.#dwellAt = -1;
      void this.#askDwell();
    }, left + 20);
  }

  // Hidden time does not count: the loader's clock stops while the page is hidden, and so does
  // the timer here.
  #onVisibility(): void {
    if (document.visibilityState === 'visible') {
      this.#scheduleDwell();
    } else {
      clearTimeout(this.#dwellTimer);
      if (this.#armed.has('dwell')) this.#hooks.debug('dwell: paused at ' + this.#dwellSeconds() + ' s');
    }
  }

  // The pointer left the viewport through its top edge (towards the tabs and the address bar).
  #onMouseOut(e: MouseEvent): void {
    if (!this.#armed.has('exit_intent') || e.relatedTarget) return;
    if (e.clientY > 0) return this.#hooks.debug('exit_intent: left below the top edge, not counted');
    this.#armed.delete('exit_intent'); // once per page view
    void this.#hooks.ask({ kind: 'exit_intent' });
  }
}
