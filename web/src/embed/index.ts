// Entry of nazar.mjs: the same API as window.nazar, as an ES module.
//   import * as nazar from '/nazar/nazar.mjs';
//   nazar.configure({ surveys: '/surveys.json', endpoint: '/v1/aggregates' });
//   nazar.track('checkout_completed');

import { createNazar, type EventType, type Listener, type NazarApi, type NazarOptions } from './api';

export type { EventType, Listener, NazarApi, NazarOptions };
export { createNazar };

let instance: (NazarApi & { transport: { start(): void } }) | null = null;

// Sets the options of the module's instance (once, before the other calls) and starts the
// outbox. `base` defaults to this module's folder.
export function configure(options: Partial<NazarOptions>): void {
  instance = createNazar({ base: new URL('./', import.meta.url).href, ...options });
  instance.transport.start();
}

function get(): NazarApi {
  if (!instance) configure({});
  return instance!;
}

export const track = (name: string) => get().track(name);
export const show = (id: string) => get().show(id);
export const hide = () => get().hide();
export const setLocale = (tag: string) => get().setLocale(tag);
export const flush = () => get().flush();
export const on = (type: EventType, fn: Listener) => get().on(type, fn);
export const off = (type: EventType, fn: Listener) => get().off(type, fn);
