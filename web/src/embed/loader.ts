// Entry of nazar.js, the embed: reads its own script tag, defines window.nazar, sends what
// earlier pages left in the outbox, tracks data-track and runs the page's triggers. Small, and
// lazy: the widget module and the wasm core load only when a survey may show.

import { absolute, createNazar, type NazarApi, type NazarOptions } from './api';
import { message } from './message';
import { nextTask } from './tasks';

// A failure of the loader: said on the console, never thrown into the host page.
const fault = (e: unknown) => console.error('nazar: ' + message(e));
// Captured synchronously: currentScript is null once the script has run.
const script =
  (document.currentScript as HTMLScriptElement | null) ??
  document.querySelector<HTMLScriptElement>('script[data-surveys]');

type Queued = [keyof NazarApi, ...unknown[]];

(() => {
  try {
    const w = window as unknown as { nazar?: { track?: unknown } };
    // Loaded twice: the first copy runs, this one (and its data- attributes) is ignored, and the
    // first copy's error listeners (those the page has added by now) hear of it. Anything else
    // in window.nazar but the queue, such as an element with id="nazar", is replaced.
    if (w.nazar?.track) {
      dispatchEvent(new Event('nazar:twice'));
      return;
    }
    const queued = (Array.isArray(w.nazar) ? w.nazar : []) as Queued[];
    const data = script?.dataset ?? {};
    // Everything but the entry points of this script is the page's API.
    const { transport, pageview, report, ...api } = createNazar({
      // data-locale, data-site, data-container, data-mode and data-kiosk-* are the options of the
      // same names, as written (the core checks mode and kiosk-* and names the attribute at
      // fault); the ones below are made from their attributes.
      ...(data as Partial<NazarOptions>),
      base: new URL('.', script?.src || document.baseURI).href,
      surveys: absolute(data.surveys),
      endpoint: absolute(data.endpoint),
      mirror: data.mirror !== 'false',
      debug: data.debug !== undefined && data.debug !== 'false',
    });
    w.nazar = api;
    addEventListener('nazar:twice', () => report(new Error('nazar.js is included twice')));
    // Calls made before the script loaded: window.nazar = [["track", "signup"], ...].
    // Each on its own: an entry that is not [a method of the API, ...its arguments] is reported,
    // and the rest still run.
    for (const entry of queued) {
      try {
        const [method, ...args] = Array.isArray(entry) ? entry : ([] as unknown as Queued);
        if (!Object.keys(api).includes(method)) {
          throw new Error('window.nazar: not a call of its API: ' + message(entry));
        }
        ((api as NazarApi)[method] as (...a: unknown[]) => unknown)(...args);
      } catch (e) {
        report(e);
      }
    }
    // The rest in tasks of their own (issue 9: no task over 50 ms at 4x CPU throttling): the
    // data-track event (the opt-out's first read of localStorage, the surveys file's fetch),
    // then what earlier pages left in the outbox and the page view's triggers.
    void nextTask()
      .then(() => {
        if (data.track) void api.track(data.track);
        return nextTask();
      })
      .then(() => {
        transport.start();
        if (data.surveys) void pageview();
      })
      // Never into the host page as an unhandled rejection.
      .catch(fault);
  } catch (e) {
    fault(e);
  }
})();
