// Entry of nazar.mjs: the same API as window.nazar, as an ES module, for pages without the
// script tag.
//   import * as nazar from '/nazar/nazar.mjs';
//   nazar.init({ surveys: '/surveys.json', endpoint: '/v1/aggregates' });
//   nazar.track('checkout_completed');

import { absolute, createNazar, type EventType, type Listener, type NazarApi, type NazarOptions } from './api';
import type { InitOptions, ShowOptions } from '../../types/nazar';

export type { EventType, Listener, NazarApi, NazarOptions, InitOptions, ShowOptions };
export { createNazar };

let instance: ReturnType<typeof createNazar> | null = null;
// Listeners added before init()/configure(), handed to the instance they create.
let early: [EventType, Listener][] = [];

// Sets the options of the module's instance (once, before the other calls) and starts the
// outbox. `base` defaults to this module's folder.
export function configure(options: Partial<NazarOptions>): void {
  instance = createNazar({
    base: new URL('./', import.meta.url).href,
    ...options,
    surveys: absolute(options.surveys),
    endpoint: absolute(options.endpoint),
  });
  for (const [type, fn] of early) instance.on(type, fn);
  early = [];
  instance.transport.start();
}

// configure() plus the page's own triggers: pageview now, scroll, dwell and exit intent
// watched, and single-page-app navigations (Contract 2's init).
export function init(options: InitOptions): void {
  try {
    configure(options);
    if (options.surveys) void instance!.pageview();
  } catch (e) {
    console.error('nazar: ' + (e instanceof Error ? e.message : String(e)));
  }
}

function get(): NazarApi {
  if (!instance) configure({});
  return instance!;
}

export const track = (name: string) => get().track(name);
export const show = (id: string, options?: ShowOptions) => get().show(id, options);
export const hide = () => get().hide();
export const setLocale = (tag: string) => get().setLocale(tag);
export const flush = () => get().flush();
export const optOut = () => get().optOut();
export const optIn = () => get().optIn();
export const on = (type: EventType, fn: Listener) => (instance ? instance.on(type, fn) : void early.push([type, fn]));
export const off = (type: EventType, fn: Listener) =>
  instance ? instance.off(type, fn) : void (early = early.filter(([t, f]) => t !== type || f !== fn));
