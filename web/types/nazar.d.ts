// Types of the Nazar embed API: window.nazar (nazar.js) and the ES module (nazar.mjs).

export type EventType = 'show' | 'answer' | 'complete' | 'dismiss' | 'send' | 'error';

// Detail passed to listeners: {type, survey, question?}; errors carry {code, message}. Never an
// answer's value: the page and its tag managers do not learn what a visitor answered.
export type Listener = (detail: { type: string; [key: string]: unknown }) => void;

export interface NazarOptions {
  /** URL of the folder holding nazar-widget.mjs, nazar-outbox.mjs, nazar-triggers.mjs, nazar-core.wasm and nazar-core-rest.wasm. */
  base: string;
  /** URL of the survey definition file. */
  surveys?: string;
  /** Where aggregate payloads are POSTed. */
  endpoint?: string;
  /** Requested locale; default: the page's lang, then the browser's. */
  locale?: string;
  /** Payload "site"; default: location.hostname. */
  site?: string;
  /** Render inline in this element (or the first matching CSS selector) instead of floating. */
  container?: string | Element;
  /** false keeps bottom-right and bottom-left where the definition puts them in right-to-left
   * languages (data-mirror="false"); by default they mirror. */
  mirror?: boolean;
  /**
   * "kiosk" (data-mode="kiosk"): a shared device. The survey restarts after its thank-you,
   * ignores per-visitor caps (sampling, recontact, max_displays), returns to the first question
   * after `kioskIdle` seconds without input (discarding that round), merges rounds locally and
   * sends them every `kioskBatch` responses or `kioskInterval` minutes, and shows the staff a
   * count of answers not yet delivered.
   */
  mode?: 'default' | 'kiosk';
  /** Kiosk: send after this many completed responses (data-kiosk-batch; 1-1000, default 20). */
  kioskBatch?: number | string;
  /** Kiosk: or this many minutes after the batch's first response (data-kiosk-interval; 1-1440, default 15). */
  kioskInterval?: number | string;
  /** Kiosk: seconds without input before an unfinished round is discarded (data-kiosk-idle; 5-3600, default 60). */
  kioskIdle?: number | string;
  /** Log decisions to the console. */
  debug?: boolean;
}

/** Options of the ES module's init(): the script tag's attributes as an object. */
export type InitOptions = Partial<NazarOptions>;

export interface ShowOptions {
  /** Render inline in this element (or CSS selector) instead of floating. */
  container?: string | Element;
}

export interface NazarApi {
  /** Reports a named page event; a survey triggered by it may show. Never rejects. */
  track(name: string): Promise<void>;
  /** Shows a survey now (not for an opted-out visitor). Never rejects. */
  show(id: string, options?: ShowOptions): Promise<void>;
  /** Closes the survey showing, if any, recorded as a dismissal. */
  hide(): void;
  /** Re-renders an open survey in this locale; later surveys start in it. */
  setLocale(tag: string): void;
  /** Sends stored answers now (skipping the retry backoff, never before a Retry-After). Never rejects. */
  flush(): Promise<void>;
  /** Stored on the device: this visitor is never shown a survey and nothing more downloads. */
  optOut(): void;
  /** Undoes optOut() on this device. */
  optIn(): void;
  on(type: EventType, fn: Listener): void;
  off(type: EventType, fn: Listener): void;
}

/** Starts the module on its own (no script tag): sends the outbox, runs the page's triggers. */
export declare function init(options: InitOptions): void;
/** Sets the options without running triggers (track/show only); init() is the full start. */
export declare function configure(options: Partial<NazarOptions>): void;
export declare function createNazar(options: NazarOptions): NazarApi;
export declare const track: NazarApi['track'];
export declare const show: NazarApi['show'];
export declare const hide: NazarApi['hide'];
export declare const setLocale: NazarApi['setLocale'];
export declare const flush: NazarApi['flush'];
export declare const optOut: NazarApi['optOut'];
export declare const optIn: NazarApi['optIn'];
export declare const on: NazarApi['on'];
export declare const off: NazarApi['off'];

declare global {
  interface Window {
    nazar: NazarApi;
  }
}
