// The public API (Contract 2): track, show, hide, setLocale, flush, on, off. Part of the small
// loader bundle: it fetches the surveys file and imports the widget module and the wasm core
// only when a survey may show. Nothing here throws into the host page: failures reach `error`
// listeners and one console line.

import { Outbox } from './outbox';
import type * as WidgetModule from './widget-module';
import type { Widget } from './widget';

// The public types are the ones shipped to users (web/types/nazar.d.ts), defined once there.
import type { EventType, Listener, NazarApi, NazarOptions } from '../../types/nazar';
export type { EventType, Listener, NazarApi, NazarOptions };

interface SurveyFile {
  text: string;
  surveys: { id?: unknown; trigger?: { on?: unknown; event?: unknown; delay_ms?: unknown } }[];
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export function createNazar(
  options: NazarOptions,
): NazarApi & { transport: Outbox; pageview(): Promise<void> } {
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

  // Runs `fn`, turning every failure into a report; never rejects.
  const guard = async (fn: () => Promise<void> | void): Promise<void> => {
    try {
      await fn();
    } catch (e) {
      report(e);
    }
  };

  const transport = new Outbox(options.base, options.endpoint ?? '', {
    sent: (batch, payload) => emit('send', { type: 'send', batch, survey: payload.survey }),
    error: (code, text) => report(Object.assign(new Error(text), { code })),
    debug,
  });

  const surveys = (): Promise<SurveyFile> => {
    if (!file) {
      const url = options.surveys;
      file = (async () => {
        if (!url) throw new Error('no surveys file: set data-surveys');
        const res = await fetch(url, { credentials: 'omit', referrerPolicy: 'no-referrer' });
        if (!res.ok) throw new Error('could not load ' + url + ' (HTTP ' + res.status + ')');
        const text = await res.text();
        const json = JSON.parse(text) as { surveys?: unknown };
        const list = Array.isArray(json?.surveys) ? json.surveys : [json];
        return { text, surveys: list as SurveyFile['surveys'] };
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
  type History = Record<string, { displays?: number; last_display_ms?: number; completed?: boolean }>;
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

  const decideAndOpen = async (facts: { kind: string; event?: string }): Promise<void> => {
    const [{ text }, { core }] = await Promise.all([surveys(), prepare()]);
    const result = core.decide({
      definition: text,
      facts: { ...facts, url_path: location.pathname, now_ms: Date.now() },
      history: readHistory(),
    });
    for (const d of result.decisions) debug(d.survey + ': ' + (d.show ? 'shows' : d.reason));
    if (!result.show) return;
    if (result.show.delay_ms > 0) await new Promise((r) => setTimeout(r, result.show!.delay_ms));
    await open(result.show.survey);
  };

  const open = async (id: string): Promise<void> => {
    if (current || opening) {
      debug('a survey is already showing; "' + id + '" waits for another page');
      return;
    }
    opening = true;
    try {
      const [{ text }, { mod, core }] = await Promise.all([surveys(), prepare(), whenBody()]);
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
          closed: (w) => {
            if (current === w) current = null;
          },
        },
      );
    } finally {
      opening = false;
    }
  };

  return {
    transport,
    // Page-load triggers: asks the core only when some survey triggers on page views.
    pageview: () =>
      guard(async () => {
        const { surveys: list } = await surveys();
        if (list.some((s) => s?.trigger?.on === 'pageview')) await decideAndOpen({ kind: 'pageview' });
      }),
    track: (name) =>
      guard(async () => {
        const { surveys: list } = await surveys();
        // A cheap prefilter only (does any survey listen to this event?), so pages pay for the
        // wasm module only when a survey could show; the decision itself is the core's.
        if (!list.some((s) => s?.trigger?.on === 'event' && s.trigger.event === String(name))) {
          debug('no survey listens to "' + name + '"');
          return;
        }
        await decideAndOpen({ kind: 'event', event: String(name) });
      }),
    show: (id) => guard(() => open(String(id))),
    hide: () => void guard(() => current?.close()),
    setLocale: (tag) => {
      // Applies to the next survey shown.
      options.locale = String(tag);
    },
    flush: () => guard(() => transport.flush()),
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
