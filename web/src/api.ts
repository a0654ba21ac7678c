// The public API (Contract 2): track, show, hide, setLocale, flush, on, off. Part of the small
// loader bundle: it fetches the surveys file and imports the widget module and the wasm core
// only when a survey may show. Nothing here throws into the host page: failures reach `error`
// listeners and one console line.

import { Transport } from './transport';
import type * as WidgetModule from './widget-module';
import type { Widget } from './widget';

export type EventType = 'show' | 'answer' | 'complete' | 'dismiss' | 'send' | 'error';
export type Listener = (detail: Record<string, unknown>) => void;

export interface NazarOptions {
  // URL of the folder holding nazar-widget.mjs, nazar-core.mjs and nazar-core.wasm.
  base: string;
  // URL of the survey definition file (one survey or {"nazar": 1, "surveys": [...]}).
  surveys?: string;
  // Where aggregates are POSTed (Contract 3).
  endpoint?: string;
  // Requested locale (BCP 47); default: the page's lang, then the browser's.
  locale?: string;
  // Payload "site"; default: location.hostname.
  site?: string;
  // Logs decisions to the console.
  debug?: boolean;
}

export interface NazarApi {
  track(name: string): Promise<void>;
  show(id: string): Promise<void>;
  hide(): void;
  setLocale(tag: string): void;
  flush(): Promise<void>;
  on(type: EventType, fn: Listener): void;
  off(type: EventType, fn: Listener): void;
}

interface SurveyFile {
  text: string;
  surveys: { id?: unknown; trigger?: { on?: unknown; event?: unknown; delay_ms?: unknown } }[];
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export function createNazar(options: NazarOptions): NazarApi & { transport: Transport } {
  const listeners = new Map<string, Set<Listener>>();
  let file: Promise<SurveyFile> | null = null;
  let module: Promise<typeof WidgetModule> | null = null;
  let current: Widget | null = null;
  let opening = false;

  const debug = (text: string): void => {
    if (options.debug) console.info('nazar: ' + text);
  };

  const emit = (type: string, detail: Record<string, unknown>): void => {
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

  const transport = new Transport(options.endpoint ?? '', {
    sent: (batch, payload) => emit('send', { type: 'send', batch, survey: payload.survey }),
    debug,
  });

  const surveys = (): Promise<SurveyFile> => {
    if (!file) {
      const url = options.surveys;
      file = (async () => {
        if (!url) throw new Error('no surveys file: set data-surveys');
        const res = await fetch(url, { credentials: 'same-origin' });
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
          store: (batch, payload, ready, after) => transport.store(batch, payload, ready, after),
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
    track: (name) =>
      guard(async () => {
        const { surveys: list } = await surveys();
        // TODO(targeting): this matches only the event name and waits the trigger's delay,
        // which duplicates a core rule. The next issue moves the whole decision (url rules,
        // sampling, recontact, max_displays, history) into core behind an ABI call
        // (nazar_targeting_decide) and deletes this block.
        const survey = list.find((s) => s?.trigger?.on === 'event' && s.trigger.event === String(name));
        if (!survey || typeof survey.id !== 'string') {
          debug('no survey for event "' + name + '"');
          return;
        }
        const warm = prepare();
        warm.catch(() => {}); // reported by open()
        const delay = Number(survey.trigger?.delay_ms) || 0;
        if (delay > 0) await new Promise((r) => setTimeout(r, delay));
        await open(survey.id);
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
