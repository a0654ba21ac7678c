// The page's surveys once one may show: asks the core (nazar_targeting_decide) with the page's
// facts and this device's display history, opens the survey it picks, and keeps that history.
// Part of the widget module, so the loader (api.ts) carries none of it: the loader decides only
// whether to fetch this module (prefilter.ts), and every decision here is the core's.

import type { NazarCore, SessionConfig } from '../binding/core';
import type { NazarOptions } from '../../types/nazar';
import type { Outbox } from './outbox';
import { pagePath } from './prefilter';
import type { Facts, PageTriggers, TriggerKind, Wait } from './triggers';
import type * as TriggersModule from './triggers-module';
import { nextRetryMs, nextTask, RETRY_FIRST_MS } from './tasks';
import { Widget, prepareStyles, type WidgetHooks } from './widget';

// What the loader lends the presenter: its options, the surveys file, the opt-out, events.
export interface PresenterContext {
  options: NazarOptions;
  surveys(): Promise<{ text: string }>;
  optedOut(): boolean;
  emit: WidgetHooks['emit'];
  report(error: unknown): void;
  debug(message: string): void;
  // Runs `fn`, turning every failure into an `error` event; never rejects.
  guard(label: string, fn: () => Promise<void> | void): Promise<void>;
  transport: Outbox;
  // Milliseconds this page view has been visible (navigation.ts).
  visibleMs(): number;
}

// Display history per survey, kept on this device only, for recontact and max_displays rules,
// and the visitor's sample draw (METRICS.md: drawn once, a reload never draws again).
export const HISTORY_KEY = 'nazar:history';
type History = Record<
  string,
  { displays?: number; last_display_ms?: number; completed?: boolean; sample_draw?: number }
>;

function readHistory(): History {
  try {
    const parsed = JSON.parse(localStorage.getItem(HISTORY_KEY) || '{}') as unknown;
    return parsed && typeof parsed === 'object' ? (parsed as History) : {};
  } catch {
    return {};
  }
}

function remember(survey: unknown, change: (h: History[string]) => void): void {
  if (typeof survey !== 'string') return;
  try {
    const history = readHistory();
    change((history[survey] ??= {}));
    localStorage.setItem(HISTORY_KEY, JSON.stringify(history));
  } catch {
    // storage full or blocked: targeting then sees no history, which only risks a re-ask
  }
}

// Kiosk options as the page gave them; only those set (the core has the defaults and limits).
function kioskOptions(o: NazarOptions): NonNullable<SessionConfig['kiosk']> {
  const out: NonNullable<SessionConfig['kiosk']> = {};
  if (o.kioskBatch !== undefined) out.batch = o.kioskBatch;
  if (o.kioskInterval !== undefined) out.interval_minutes = o.kioskInterval;
  if (o.kioskIdle !== undefined) out.idle_seconds = o.kioskIdle;
  return out;
}

const whenBody = (): Promise<void> =>
  document.body
    ? Promise.resolve()
    : new Promise((resolve) => addEventListener('DOMContentLoaded', () => resolve(), { once: true }));

export class Presenter {
  #current: Widget | null = null;
  #opening = false;
  // hide() and withdraw() calls so far: a decision or an opening (several tasks, issue 9) that
  // began before one never shows its survey.
  #closes = 0;
  // The latest setLocale() while a survey was opening: applied once it is open.
  #pendingLocale: string | undefined;
  #warm = false; // the definition's parser has run once (decide())
  #triggers: Promise<PageTriggers> | null = null;
  #outboxReady: Promise<unknown> | null = null;

  constructor(private readonly ctx: PresenterContext, private readonly core: NazarCore) {}

  // Asks the core about `facts` on this page and opens the survey it picks. Resolves with the
  // core's wait hint for scroll and dwell (null when it gave none). `survey` limits the decision
  // to that survey (show(id): facts kind "manual"); `activated`: a visitor's click called show().
  async decide(facts: Facts, survey?: string, container?: string | Element, activated = false): Promise<Wait | null> {
    const ctx = this.ctx;
    const closes = this.#closes;
    if (ctx.optedOut()) {
      ctx.debug('opted out: no survey shows');
      return null;
    }
    const { text } = await ctx.surveys();
    if (!this.#warm) {
      // The engine compiles the core's functions on their first call (Chromium compiles wasm
      // lazily, on the main thread: about 600 functions before the question shows, 75 ms at 4x
      // CPU throttling). Calls of growing reach, each in a task of its own, so that no task
      // compiles more than a share, and the decision's task compiles none: the response writer
      // (version), the JSON parser (a number), the validator's top level (an empty object), then
      // the whole definition. Their results are not used: decide() below reports what is wrong
      // with the surveys file, naming it. The probes' error messages are built in the rest of a
      // split core (web/split.mjs): there a probe stops at its first error, having compiled what
      // it ran, and the rest is not requested for it (what the core allocated before that stays
      // allocated: a few hundred bytes, once per page).
      this.#warm = true;
      const core = this.core;
      for (const warm of [() => core.version(), ...['0', '{}', text].map((t) => () => core.validate(t))]) {
        await nextTask();
        try {
          warm();
        } catch {
          // an invalid definition: expected for the probes, reported by decide() for the file
        }
      }
    }
    await nextTask();
    let result: ReturnType<NazarCore['decide']>;
    try {
      // whole(): a definition that reaches the rest of the core (one the build's profile never
      // ran: web/split.mjs) waits for it.
      result = await this.core.whole(() =>
        this.core.decide({
          definition: text,
          ...(survey !== undefined ? { survey } : {}),
          ...(ctx.options.mode ? { mode: ctx.options.mode } : {}),
          facts: { ...facts, url_path: pagePath(location.pathname), now_ms: Date.now() },
          history: readHistory(),
        }),
      );
    } catch (e) {
      // The core names the definition "/definition"; the site knows it as its surveys file.
      if ((e as { code?: unknown }).code !== 'invalid_definition') throw e;
      const where = (e as Error).message.replace(/^\/definition(?=\/|:)/, '');
      throw Object.assign(new Error('the surveys file ' + ctx.options.surveys + ' is invalid: ' + where), {
        code: 'invalid_definition',
      });
    }
    for (const d of result.decisions) {
      ctx.debug(d.survey + ': ' + (d.show ? 'shows' : d.reason));
      const draw = d.sample_draw;
      if (typeof draw === 'number') remember(d.survey, (h) => (h.sample_draw = draw));
    }
    const show = result.show;
    if (!show) return result.wait ?? null;
    if (show.delay_ms > 0) {
      this.#outbox(); // now, while the connection is there (a survey shown at once loads it later)
      await new Promise((r) => setTimeout(r, show.delay_ms));
    }
    await this.#open(show.survey, closes, container, activated);
    return null;
  }

  // Scroll, dwell and exit-intent observers for this page view, asking the core as facts change.
  // Their code (nazar-triggers.mjs, next to this module whatever `base` was relative to) loads
  // with the first page view that needs it; a failed load rejects (the caller reports it) and the
  // next page view asks again (a browser may keep the failed fetch and fail again at once).
  async arm(kinds: TriggerKind[]): Promise<void> {
    // The question may show much later, the connection gone by then: the rest of the core and
    // the outbox come now, with the widget module.
    this.core.loadRest().catch((e: Error) => this.ctx.debug('the rest of the core: ' + e.message));
    this.#outbox();
    if (!this.#triggers) {
      const url = new URL('nazar-triggers.mjs', import.meta.url).href;
      const loading = (import(/* webpackIgnore: true */ url) as Promise<typeof TriggersModule>).then(
        (m) =>
          new m.PageTriggers({
            ask: async (facts) => {
              let wait: Wait | null = null;
              await this.ctx.guard(facts.kind, async () => {
                wait = await this.decide(facts);
              });
              return wait;
            },
            visibleMs: this.ctx.visibleMs,
            debug: this.ctx.debug,
          }),
      );
      loading.catch(() => {
        if (this.#triggers === loading) this.#triggers = null;
      });
      this.#triggers = loading;
    }
    (await this.#triggers).arm(kinds);
  }

  // A new page view (single-page-app navigation): the observers start again.
  reset(): void {
    this.#triggers?.then((t) => t.reset(), () => {});
  }

  hide(): void {
    ++this.#closes;
    this.#current?.dismiss();
  }

  setLocale(tag: string): Promise<void> | void {
    if (this.#opening) this.#pendingLocale = tag;
    return this.#current?.setLocale(tag);
  }

  withdraw(): Promise<void> | void {
    ++this.#closes;
    return this.#current?.withdraw();
  }

  // The outbox module, loaded once. A survey shown at once asks for it when its question has
  // painted (the widget's painted hook), with the rest of the core: loaded earlier, its download
  // and evaluation delayed that paint (0-12 ms cold, 3-20 ms warm in side-by-side sessions:
  // bench/README.md, "The outbox after the first paint"). A survey that shows later (a delay, a
  // scroll, a dwell, an exit intent) asks for it at once (decide, arm), and a kiosk with its
  // first view (the count of unsent answers). When its load fails, it is tried again once the
  // browser is back online, or after a delay that grows (tasks.ts, as for the rest), or as soon
  // as another caller has loaded it (the page's flush(): Outbox.ready). The
  // widget's outbox operations wait for it here, in the order the widget asked for them (each
  // runs once this resolves): with an endpoint, records are kept in memory until then, and are
  // lost if the page is closed before it loads (README.md, "What leaves the browser").
  #outbox(): Promise<unknown> {
    if (!this.ctx.options.endpoint) return Promise.resolve();
    if (!this.#outboxReady) {
      const transport = this.ctx.transport;
      let delay = RETRY_FIRST_MS;
      const again = () =>
        new Promise<void>((resolve) => {
          const go = () => {
            removeEventListener('online', go);
            clearTimeout(timer);
            resolve();
          };
          const timer = setTimeout(go, delay);
          delay = nextRetryMs(delay);
          addEventListener('online', go);
          void transport.ready.then(go);
        });
      const load = (): Promise<unknown> => transport.load().catch(() => again().then(load));
      this.#outboxReady = load();
    }
    return this.#outboxReady;
  }

  // The outbox changed (a record left it: delivered, dropped, expired): kiosk mode's count of
  // unsent answers follows.
  outboxChanged(): void {
    this.#current?.refreshUnsent();
  }

  async #open(id: string, closes: number, container?: string | Element, activated = false): Promise<void> {
    const ctx = this.ctx;
    if (ctx.optedOut()) {
      ctx.debug('opted out: "' + id + '" does not show');
      return;
    }
    if (this.#current || this.#opening) {
      ctx.debug('a survey is already showing; "' + id + '" waits for another page');
      return;
    }
    this.#opening = true;
    this.#pendingLocale = undefined;
    try {
      // Opening takes three tasks, each well under 50 ms at 4x CPU throttling (issue 9): the
      // stylesheet's parse, the core's session (the definition parsed again, the first view
      // built), then the DOM, its insertion and the first effects.
      const [{ text }] = await Promise.all([ctx.surveys(), whenBody(), nextTask()]);
      prepareStyles();
      await nextTask();
      const options = ctx.options;
      // No container (nor an empty one: a data-container="" or a show() given false) floats.
      const where = container || options.container || undefined;
      const mount = typeof where === 'string' ? document.querySelector(where) : (where ?? null);
      // An element of another document (an iframe's, another window's, a template's or a
      // DOMParser's) is refused: the widget's stylesheets belong to this document alone, and a
      // survey shown where no one sees it would still count as a display.
      if (where && !(mount instanceof Element && mount.ownerDocument === document)) {
        throw Object.assign(
          new Error(
            typeof where === 'string'
              ? 'no element matches the container "' + where + '"'
              : (where as Node).nodeType === 1 // Node.ELEMENT_NODE
                ? 'the container is an element of another document (an iframe, a template?); give one of this page'
                : 'the container is not an element (' + typeof where + ')',
          ),
          { code: 'not_found' },
        );
      }
      const config: SessionConfig = {
        definition: text,
        survey: id,
        locale: options.locale || document.documentElement.lang || navigator.language || 'en',
        site: options.site || location.hostname,
        utc_offset_minutes: -new Date().getTimezoneOffset(),
        inline: !!mount,
        mirror: options.mirror !== false,
        user_activated: activated,
        ...(options.mode ? { mode: options.mode } : {}),
        ...(options.mode === 'kiosk' ? { kiosk: kioskOptions(options) } : {}),
      };
      // A kiosk loads the whole core first: its rounds need the rest, which the split's profile
      // leaves out so that other pages do not download it first (web/split.mjs).
      if (options.mode === 'kiosk') await this.core.loadRest();
      const session = await this.core.whole(() => this.core.createSession(config));
      await nextTask();
      if (ctx.optedOut() || this.#closes !== closes) {
        // The visitor opted out, or the page called hide() or optOut(), in between: the survey
        // never shows.
        session.dispose();
        ctx.debug((this.#closes !== closes ? 'hidden' : 'opted out') + ': "' + id + '" does not show');
        return;
      }
      const transport = ctx.transport;
      try {
        this.#current = new Widget(
          session,
          config,
          {
            emit: (type, detail) => {
              if (type === 'show') {
                remember(detail.survey, (h) => {
                  h.displays = (h.displays ?? 0) + 1;
                  h.last_display_ms = Date.now();
                });
              } else if (type === 'complete') {
                remember(detail.survey, (h) => (h.completed = true));
              }
              ctx.emit(type, detail);
            },
            report: ctx.report,
            debug: ctx.debug,
            // In the order the widget asks, once the outbox has loaded (#outbox): a release never
            // overtakes the store before it, and a drop reaches the records that waited.
            store: (request) => this.#outbox().then(() => transport.store(request)),
            unsent: () => this.#outbox().then(() => transport.unsent()),
            release: (batch) => void this.#outbox().then(() => transport.release(batch)),
            drop: (batch) => void this.#outbox().then(() => transport.drop(batch)),
            painted: () => void this.#outbox(),
            closed: (w) => {
              if (this.#current === w) this.#current = null;
            },
          },
          mount ?? undefined,
          typeof where === 'string' ? 'the container "' + where + '"' : 'the container',
        );
      } catch (e) {
        session.dispose();
        throw e;
      }
      if (this.#pendingLocale !== undefined) this.#current.setLocale(this.#pendingLocale);
    } finally {
      this.#opening = false;
      this.#pendingLocale = undefined;
    }
  }
}
