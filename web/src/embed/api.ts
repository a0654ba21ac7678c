// The public API (Contract 2): track, show, hide, setLocale, flush, optOut, optIn, on, off.
// Part of the small loader bundle: it fetches the surveys file and imports the widget module
// and the wasm core only when the pre-filter says a survey may show (prefilter.ts); every
// decision is the core's. Nothing here throws into the host page: failures reach `error`
// listeners and one console line.

import { message } from './message';
import { compileWasm } from '../binding/compile';
import { Outbox } from './outbox';
import type * as WidgetModule from './widget-module';
import type { Presenter } from './present';
import { mayShow, pagePath } from './prefilter';
import { visibleClock, watchNavigation, whenIdle } from './navigation';
import { nextTask } from './tasks';
import type { Facts, TriggerKind } from './triggers';

// The public types are the ones shipped to users (web/types/nazar.d.ts), defined once there.
import type { EventType, Listener, NazarApi, NazarOptions } from '../../types/nazar';
export type { EventType, Listener, NazarApi, NazarOptions };

interface SurveyFile {
  text: string;
  json: unknown;
}

// Where an opt-out is kept on the device (Contract 2): "1" while the visitor opted out.
export const OPT_OUT_KEY = 'nazar:opt-out';

// Relative URLs resolve against the page. One that does not parse is kept as written, so that
// a mistyped data-surveys or data-endpoint costs the page nothing (window.nazar is still made):
// its requests fail, and the surveys file's error names it.
export const absolute = (url: string | undefined): string | undefined => {
  try {
    return url ? new URL(url, document.baseURI).href : undefined;
  } catch {
    return url;
  }
};

// An argument as a call's debug line names it: a string in quotes, anything else as message()
// makes it text (never throwing).
const quote = (x: unknown): string => (typeof x === 'string' ? '"' + x + '"' : message(x));

export function createNazar(
  options: NazarOptions,
): NazarApi & { transport: Outbox; pageview(): Promise<void>; report(e: unknown): void } {
  // Event fields the page may see: which survey and question, never what was answered.
  const PUBLIC_FIELDS = ['survey', 'question', 'code', 'message'];
  const listeners = new Map<string, Set<Listener>>();
  let file: Promise<SurveyFile> | null = null;

  const debug = (text: string): void => {
    if (options.debug) console.info('nazar: ' + text);
  };

  const emit = (type: string, detail: Parameters<Listener>[0]): void => {
    const visible: Parameters<Listener>[0] = { type };
    for (const key of PUBLIC_FIELDS) if (key in detail) visible[key] = detail[key];
    detail = visible;
    for (const fn of Array.from(listeners.get(type) ?? [])) {
      try {
        fn(detail);
      } catch (e) {
        console.error('nazar: a "' + type + '" listener failed:', e);
      }
    }
  };

  // One failure reaches the console and listeners once, though several calls awaited it (a
  // module load that a pageview decision and the scroll observers both needed).
  const reported = new WeakSet<object>();
  const report = (e: unknown): void => {
    if (e && typeof e === 'object') {
      if (reported.has(e)) return;
      reported.add(e);
    }
    // Read like message() reads its text: a thrown value may be the page's, a getter that throws.
    let code: unknown;
    try {
      code = (e as { code?: unknown }).code;
    } catch {
      // null or undefined, or a code that cannot be read: "internal"
    }
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
  // An opted-out visitor's page loads nothing: no surveys file, no module, no core.
  const stopped = (): boolean => optedOut() && (debug('opted out: nothing loads'), true);

  const transport = new Outbox(options.base, options.endpoint ?? '', {
    sent: (batch, payload) => {
      emit('send', { type: 'send', batch, survey: payload.survey });
    },
    // Delivered, dropped or expired: kiosk mode's count of unsent answers follows.
    removed: () => ready?.outboxChanged(),
    error: (code, text) => report(Object.assign(new Error(text), { code })),
    debug,
    paused: () => optedOut(),
  });

  const surveys = (): Promise<SurveyFile> => {
    if (!file) {
      const url = options.surveys;
      file = (async () => {
        if (!url) throw new Error('no surveys file: set data-surveys');
        // Each failure names the file and what went wrong with it, with a code listeners can test.
        const fail = (code: string, problem: string) =>
          Object.assign(new Error('the surveys file ' + url + ' ' + problem), { code });
        let res: Response;
        try {
          res = await fetch(url, { credentials: 'omit', referrerPolicy: 'no-referrer' });
        } catch (e) {
          throw fail('unreachable', 'could not be reached (' + message(e) + ')');
        }
        if (!res.ok) throw fail(res.status === 404 ? 'not_found' : 'unavailable', 'answered HTTP ' + res.status);
        const text = await res.text();
        try {
          return { text, json: JSON.parse(text) as unknown };
        } catch (e) {
          throw fail('invalid_definition', 'is not valid JSON (' + message(e) + ')');
        }
      })();
      // Asked for again by the next call, unless there is no URL or it does not parse: that
      // fails the same way every time, and is reported once (report() knows the error).
      file.catch(() => {
        try {
          if (url && new URL(url, document.baseURI)) file = null;
        } catch {
          // kept: the same failure, reported once
        }
      });
    }
    return file;
  };

  // The widget module and the core, loaded once (and started early, while a delay runs); the
  // presenter in it asks the core and opens surveys (present.ts).
  let presenter: Promise<Presenter> | null = null;
  let ready: Presenter | null = null; // once loaded: what hide, setLocale and optOut reach
  let clock: ReturnType<typeof visibleClock> | null = null;
  const prepare = (): Promise<Presenter> => {
    if (!presenter) {
      // The core downloads and compiles while the widget module loads: neither waits for the other.
      const wasmModule = compileWasm(options.base + 'nazar-core.wasm');
      wasmModule.catch(() => {}); // reported through loadCore
      presenter = (import(/* webpackIgnore: true */ options.base + 'nazar-widget.mjs') as Promise<typeof WidgetModule>)
        .then(async (mod) => {
          // The module's evaluation ends its task before the core is instantiated and the
          // presenter made (issue 9: at 4x CPU throttling the two in one task reached 53 ms).
          await nextTask();
          return (ready = new mod.Presenter(
            { options, surveys, optedOut, emit, report, debug, guard, transport, visibleMs: () => clock?.ms() ?? 0 },
            await mod.loadCore({ factory: mod.createNazarCore, wasmModule }),
          ));
        });
      // The outbox is not loaded here: it would compete with the first question (present.ts
      // loads it once that question has painted, or at once for a survey that shows later).
    }
    presenter.catch(() => (presenter = null));
    return presenter;
  };

  const decide = async (facts: Facts, survey?: string, container?: string | Element, activated?: boolean): Promise<void> => {
    if (!stopped()) await (await prepare()).decide(facts, survey, container, activated);
  };

  // One page view: a pageview survey is decided now; scroll, dwell and exit-intent surveys that
  // may show on this page are watched (their observers load at idle, so the survey appears the
  // moment the fact happens). Each single-page-app navigation is a new page view.
  let pageView = 0;
  const evaluatePage = (): Promise<void> =>
    guard('page', async () => {
      if (stopped()) return;
      if (!clock) {
        // From the first page view on (the page's load): visible time, and navigations.
        clock = visibleClock();
        watchNavigation(() => {
          pageView++;
          ready?.reset();
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
        debug('exit_intent: no fine pointer, not watched');
        kinds.splice(kinds.indexOf('exit_intent'), 1);
      }
      if (kinds.length > 0) {
        debug('watching ' + kinds.join(', '));
        const view = pageView;
        // Only the module's observers would ask the core here: its load failure (a CSP without
        // 'wasm-unsafe-eval', a network error) is reported now, once per page view.
        whenIdle(() => void guard('watch', async () => {
          const p = await prepare();
          if (view === pageView) await p.arm(kinds);
        }));
      }
      if (mayShow(json, { kind: 'pageview', url_path })) await decide({ kind: 'pageview' });
      else debug('pageview: no survey can show on this page');
    });

  return {
    transport,
    // For the loader: a failure of its own (a call queued before it loaded) to the listeners.
    report,
    // Starts the page's triggers: pageview now, scroll/dwell/exit_intent watched, and each
    // single-page-app navigation a new page view.
    pageview: evaluatePage,
    track: (name) =>
      guard('track ' + quote(name), async () => {
        if (stopped()) return;
        const { json } = await surveys();
        // The pre-filter (trigger kind, event name, url rules) keeps the module and the wasm
        // away from pages no survey can target; the decision itself is the core's.
        if (!mayShow(json, { kind: 'event', event: String(name), url_path: pagePath(location.pathname) })) {
          debug('no survey can show for "' + name + '" on this page');
          return;
        }
        await decide({ kind: 'event', event: String(name) });
      }),
    // The site's explicit request, still the core's decision (a manual survey's delay_ms).
    show: (id, opts) => {
      // Read now: the visitor's click (transient activation) may have expired once it loads.
      const activated = (navigator as { userActivation?: { isActive: boolean } }).userActivation?.isActive === true;
      return guard('show ' + quote(id), async () => {
        await decide({ kind: 'manual' }, String(id), opts?.container, activated);
      });
    },
    // Closes the survey showing as a dismissal the core records (the payload counts it).
    hide: () => void guard('hide', () => ready?.hide()),
    // An open survey re-renders in the new locale; later ones start in it.
    setLocale: (tag) =>
      void guard('setLocale', () => {
        options.locale = String(tag);
        return ready?.setLocale(options.locale);
      }),
    flush: () => guard('flush', () => transport.flush()),
    optOut: () => {
      try {
        localStorage.setItem(OPT_OUT_KEY, '1');
      } catch (e) {
        report(e);
      }
      void guard('optOut', () => ready?.withdraw());
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
