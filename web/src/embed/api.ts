// The public API (Contract 2): track, show, hide, setLocale, flush, optOut, optIn, on, off.
// Part of the small loader bundle: it fetches the surveys file and imports the widget module
// and the wasm core only when the pre-filter says a survey may show (prefilter.ts); every
// decision is the core's. Nothing here throws into the host page: failures reach `error`
// listeners and one console line.

import { Outbox } from './outbox';
import type * as WidgetModule from './widget-module';
import type { Widget } from './widget';
import { mayShow, pagePath } from './prefilter';
import { visibleClock, watchNavigation, whenIdle } from './navigation';
import type { Facts, PageTriggers, TriggerKind, Wait } from './triggers';

// The public types are the ones shipped to users (web/types/nazar.d.ts), defined once there.
import type { EventType, Listener, NazarApi, NazarOptions } from '../../types/nazar';
export type { EventType, Listener, NazarApi, NazarOptions };

interface SurveyFile {
  text: string;
  json: unknown;
}

// Where an opt-out is kept on the device (Contract 2): "1" while the visitor opted out.
export const OPT_OUT_KEY = 'nazar:opt-out';

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export function createNazar(
  options: NazarOptions,
): NazarApi & { transport: Outbox; pageview(): Promise<void> } {
  // Event fields the page may see: which survey and question, never what was answered.
  const PUBLIC_FIELDS = ['type', 'survey', 'question', 'code', 'message'];
  const listeners = new Map<string, Set<Listener>>();
  let file: Promise<SurveyFile> | null = null;
  let module: Promise<typeof WidgetModule> | null = null;
  let current: Widget | null = null;
  let opening = false;

  const debug = (text: string): void => {
    if (options.debug) console.info('nazar: ' + text);
  };

  // Keeps the display history (set up below, once storage helpers exist).
  let record: (type: string, detail: Record<string, unknown>) => void = () => {};

  const emit = (type: string, detail: Parameters<Listener>[0]): void => {
    record(type, detail);
    const visible: Parameters<Listener>[0] = { type };
    for (const key of PUBLIC_FIELDS) if (key in detail && key !== 'type') visible[key] = detail[key];
    detail = visible;
    for (const fn of Array.from(listeners.get(type) ?? [])) {
      try {
        fn(detail);
      } catch (e) {
        console.error('nazar: a "' + type + '" listener failed:', e);
      }
    }
  };

  const report = (e: unknown): void => {
    const code = (e as { code?: unknown } | null)?.code;
    const text = message(e);
    console.error('nazar: ' + text);
    emit('error', { type: 'error', code: typeof code === 'string' ? code : 'internal', message: text });
  };

  // Runs `fn`, turning every failure into a report; never rejects. The debug line at the end
  // tells data-debug readers (and the browser tests) that the call has settled.
  const guard = async (label: string, fn: () => Promise<void> | void): Promise<void> => {
    try {
      await fn();
    } catch (e) {
      report(e);
    }
    debug(label + ': done');
  };

  const optedOut = (): boolean => {
    try {
      return localStorage.getItem(OPT_OUT_KEY) === '1';
    } catch {
      return false;
    }
  };

  const transport = new Outbox(options.base, options.endpoint ?? '', {
    sent: (batch, payload) => emit('send', { type: 'send', batch, survey: payload.survey }),
    error: (code, text) => report(Object.assign(new Error(text), { code })),
    debug,
    paused: () => optedOut(),
  });

  const surveys = (): Promise<SurveyFile> => {
    if (!file) {
      const url = options.surveys;
      file = (async () => {
        if (!url) throw new Error('no surveys file: set data-surveys');
        const res = await fetch(url, { credentials: 'omit', referrerPolicy: 'no-referrer' });
        if (!res.ok) throw new Error('could not load ' + url + ' (HTTP ' + res.status + ')');
        const text = await res.text();
        return { text, json: JSON.parse(text) as unknown };
      })();
      file.catch(() => (file = null));
    }
    return file;
  };

  // The widget module and the core, loaded once (and started early, while a delay runs).
  const prepare = async () => {
    if (options.endpoint) void transport.load().catch(() => {}); // ready before the first answer
    if (!module) {
      module = import(/* webpackIgnore: true */ options.base + 'nazar-widget.mjs') as Promise<typeof WidgetModule>;
      module.catch(() => (module = null));
    }
    const mod = await module;
    const core = await mod.loadCore({ moduleUrl: options.base + 'nazar-core.mjs' });
    return { mod, core };
  };

  const whenBody = (): Promise<void> =>
    document.body
      ? Promise.resolve()
      : new Promise((resolve) => addEventListener('DOMContentLoaded', () => resolve(), { once: true }));

  // Display history per survey, kept on this device only, for recontact and max_displays rules.
  const HISTORY_KEY = 'nazar:history';
  type History = Record<
    string,
    { displays?: number; last_display_ms?: number; completed?: boolean; sample_draw?: number }
  >;
  const readHistory = (): History => {
    try {
      const parsed = JSON.parse(localStorage.getItem(HISTORY_KEY) || '{}') as unknown;
      return parsed && typeof parsed === 'object' ? (parsed as History) : {};
    } catch {
      return {};
    }
  };
  const remember = (survey: unknown, change: (h: History[string]) => void): void => {
    if (typeof survey !== 'string') return;
    try {
      const history = readHistory();
      change((history[survey] ??= {}));
      localStorage.setItem(HISTORY_KEY, JSON.stringify(history));
    } catch {
      // storage full or blocked: targeting then sees no history, which only risks a re-ask
    }
  };
  record = (type, detail) => {
    if (type === 'show') {
      remember(detail.survey, (h) => {
        h.displays = (h.displays ?? 0) + 1;
        h.last_display_ms = Date.now();
      });
    } else if (type === 'complete') {
      remember(detail.survey, (h) => (h.completed = true));
    }
  };

  // Asks the core about `facts` on this page; opens the survey it picks. Resolves with the
  // core's wait hint for scroll and dwell (null when it gave none or failed). `survey` limits
  // the decision to that survey (show(id): facts kind "manual").
  const decideAndOpen = async (
    facts: Facts,
    survey?: string,
    container?: string | Element,
  ): Promise<Wait | null> => {
    if (optedOut()) {
      debug('opted out: no survey shows');
      return null;
    }
    const [{ text }, { core }] = await Promise.all([surveys(), prepare()]);
    const result = core.decide({
      definition: text,
      ...(survey !== undefined ? { survey } : {}),
      facts: { ...facts, url_path: pagePath(location.pathname), now_ms: Date.now() },
      history: readHistory(),
    });
    for (const d of result.decisions) {
      debug(d.survey + ': ' + (d.show ? 'shows' : d.reason));
      // The visitor's sample draw, kept so a reload never draws again (METRICS.md).
      const draw = d.sample_draw;
      if (typeof draw === 'number') remember(d.survey, (h) => (h.sample_draw = draw));
    }
    if (result.show) {
      if (result.show.delay_ms > 0) await new Promise((r) => setTimeout(r, result.show!.delay_ms));
      await open(result.show.survey, container);
    }
    return result.show ? null : (result.wait ?? null);
  };

  // Scroll, dwell and exit-intent observers: in the widget module, started at idle on pages
  // where such a survey may show, so the survey appears the moment the fact happens.
  let pageTriggers: PageTriggers | null = null;
  let pageView = 0;
  let clock: ReturnType<typeof visibleClock> | null = null;
  const watch = (kinds: TriggerKind[]): void => {
    const view = pageView;
    whenIdle(() => {
      prepare().then(({ mod }) => {
        if (view !== pageView) return;
        pageTriggers ??= new mod.PageTriggers({
          ask: async (facts) => {
            let wait: Wait | null = null;
            await guard(facts.kind, async () => {
              wait = await decideAndOpen(facts);
            });
            return wait;
          },
          visibleMs: () => clock!.ms(),
          debug,
        });
        pageTriggers.arm(kinds);
      }, () => {}); // a failed load is reported by the decision that needs it
    });
  };

  // One page view: a pageview survey is decided now; scroll, dwell and exit-intent surveys that
  // may show on this page are watched. Each single-page-app navigation is a new page view.
  const evaluatePage = (): Promise<void> =>
    guard('page', async () => {
      if (optedOut()) {
        debug('opted out: nothing loads');
        return;
      }
      if (!clock) {
        // From the first page view on (the page's load): visible time, and navigations.
        clock = visibleClock();
        watchNavigation(() => {
          pageView++;
          pageTriggers?.reset();
          clock!.reset();
          void evaluatePage();
        });
      }
      const { json } = await surveys();
      const url_path = pagePath(location.pathname);
      const kinds = (['scroll', 'dwell', 'exit_intent'] as TriggerKind[]).filter((kind) =>
        mayShow(json, { kind, url_path }),
      );
      // Exit intent needs a pointer that hovers; touch devices never see it (nor download it).
      if (kinds.includes('exit_intent') && !matchMedia('(hover: hover) and (pointer: fine)').matches) {
        debug('exit_intent: no fine pointer here (touch), not watched');
        kinds.splice(kinds.indexOf('exit_intent'), 1);
      }
      if (kinds.length > 0) {
        debug('watching ' + kinds.join(', '));
        watch(kinds);
      }
      if (mayShow(json, { kind: 'pageview', url_path })) await decideAndOpen({ kind: 'pageview' });
      else debug('pageview: no survey can show on this page');
    });

  const open = async (id: string, container?: string | Element): Promise<void> => {
    if (optedOut()) {
      debug('opted out: "' + id + '" does not show');
      return;
    }
    if (current || opening) {
      debug('a survey is already showing; "' + id + '" waits for another page');
      return;
    }
    opening = true;
    try {
      const [{ text }, { mod, core }] = await Promise.all([surveys(), prepare(), whenBody()]);
      const where = container ?? options.container;
      const mount = typeof where === 'string' ? document.querySelector(where) : (where ?? null);
      if (where && !mount) {
        throw Object.assign(new Error('no element matches the container "' + String(where) + '"'), {
          code: 'not_found',
        });
      }
      current = new mod.Widget(
        core,
        {
          definition: text,
          survey: id,
          locale: options.locale || document.documentElement.lang || navigator.language || 'en',
          site: options.site || location.hostname,
          utc_offset_minutes: -new Date().getTimezoneOffset(),
        },
        {
          emit,
          report,
          debug,
          store: (request) => transport.store(request),
          release: (batch) => transport.release(batch),
          drop: (batch) => transport.drop(batch),
          closed: (w) => {
            if (current === w) current = null;
          },
        },
        mount ?? undefined,
      );
    } finally {
      opening = false;
    }
  };

  return {
    transport,
    // Starts the page's triggers: pageview now, scroll/dwell/exit_intent watched, and each
    // single-page-app navigation a new page view.
    pageview: evaluatePage,
    track: (name) =>
      guard('track "' + String(name) + '"', async () => {
        if (optedOut()) {
          debug('opted out: nothing loads');
          return;
        }
        const { json } = await surveys();
        // The pre-filter (trigger kind, event name, url rules) keeps the module and the wasm
        // away from pages no survey can target; the decision itself is the core's.
        if (!mayShow(json, { kind: 'event', event: String(name), url_path: pagePath(location.pathname) })) {
          debug('no survey can show for "' + name + '" on this page');
          return;
        }
        await decideAndOpen({ kind: 'event', event: String(name) });
      }),
    // The site's explicit request, still the core's decision (a manual survey's delay_ms).
    show: (id, opts) =>
      guard('show "' + String(id) + '"', async () => {
        await decideAndOpen({ kind: 'manual' }, String(id), opts?.container);
      }),
    // Closes the survey showing as a dismissal the core records (the payload counts it).
    hide: () => void guard('hide', () => current?.dismiss()),
    setLocale: (tag) => {
      options.locale = String(tag);
      // An open survey re-renders in the new locale; later ones start in it.
      void guard('setLocale', () => current?.setLocale(String(tag)));
    },
    flush: () => guard('flush', () => transport.flush()),
    optOut: () => {
      try {
        localStorage.setItem(OPT_OUT_KEY, '1');
      } catch (e) {
        report(e);
      }
      void guard('optOut', () => current?.withdraw());
    },
    optIn: () => {
      try {
        localStorage.removeItem(OPT_OUT_KEY);
      } catch (e) {
        report(e);
      }
    },
    on: (type, fn) => {
      if (typeof fn !== 'function') return;
      if (!listeners.has(type)) listeners.set(type, new Set());
      listeners.get(type)!.add(fn);
    },
    off: (type, fn) => {
      listeners.get(type)?.delete(fn);
    },
  };
}
