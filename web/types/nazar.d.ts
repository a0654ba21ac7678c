// Types of the Nazar embed API: window.nazar (nazar.js) and the ES module (nazar.mjs).

export type EventType = 'show' | 'answer' | 'complete' | 'dismiss' | 'send' | 'error';

// Detail passed to listeners: {type, survey, ...}. Errors carry {code, message}.
export type Listener = (detail: { type: string; [key: string]: unknown }) => void;

export interface NazarOptions {
  /** URL of the folder holding nazar-widget.mjs, nazar-core.mjs and nazar-core.wasm. */
  base: string;
  /** URL of the survey definition file. */
  surveys?: string;
  /** Where aggregate payloads are POSTed. */
  endpoint?: string;
  /** Requested locale; default: the page's lang, then the browser's. */
  locale?: string;
  /** Payload "site"; default: location.hostname. */
  site?: string;
  /** Log decisions to the console. */
  debug?: boolean;
}

export interface NazarApi {
  /** Reports a named page event; a survey triggered by it may show. Never rejects. */
  track(name: string): Promise<void>;
  /** Shows a survey now. Never rejects. */
  show(id: string): Promise<void>;
  /** Removes the survey showing, if any. */
  hide(): void;
  /** Locale for the next survey shown. */
  setLocale(tag: string): void;
  /** Sends stored answers now (skipping the retry backoff, never before a Retry-After). Never rejects. */
  flush(): Promise<void>;
  on(type: EventType, fn: Listener): void;
  off(type: EventType, fn: Listener): void;
}

export declare function configure(options: Partial<NazarOptions>): void;
export declare function createNazar(options: NazarOptions): NazarApi;
export declare const track: NazarApi['track'];
export declare const show: NazarApi['show'];
export declare const hide: NazarApi['hide'];
export declare const setLocale: NazarApi['setLocale'];
export declare const flush: NazarApi['flush'];
export declare const on: NazarApi['on'];
export declare const off: NazarApi['off'];

declare global {
  interface Window {
    nazar: NazarApi;
  }
}
