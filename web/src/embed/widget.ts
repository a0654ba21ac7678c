// One open survey: a host element with an open shadow root (so the page's CSS stays out and
// ours stays in), the view applier, event wiring to the core session and the effects runner.

import { type Session, type Effect, type SessionConfig, type Update, type UserEvent } from '../binding/core';
import { NazarError, StatusCode } from '../binding/status';
import type { StoreRequest } from './transport';
import { ViewApplier } from './view';
import { nextRetryMs, RETRY_FIRST_MS } from './tasks';
import css from './styles.css';

// What a widget needs from the page-level controller (present.ts, with api.ts in the loader).
export interface WidgetHooks {
  emit(type: string, detail: { type: string; [key: string]: unknown }): void;
  report(error: unknown): void;
  debug(message: string): void;
  // Hands a payload to the outbox (transport.ts): "store", "send" and "comments" effects.
  // Resolves once durable (while the outbox module cannot load, the record waits in memory:
  // present.ts).
  store(request: StoreRequest): Promise<void> | void;
  // Kiosk mode: the outbox's unacknowledged tallies, for the count of unsent answers.
  unsent?(): Promise<Record<string, unknown>[]>;
  // Forgets this session's unsent payload of `batch` (optOut()).
  drop(batch: string): void;
  release(batch: string): void;
  // The question has painted: what the first frame did not need may load now (the outbox).
  painted?(): void;
  closed(widget: Widget): void;
}

let baseSheet: CSSStyleSheet | null = null;

function constructable(): boolean {
  return typeof CSSStyleSheet === 'function' && 'replaceSync' in CSSStyleSheet.prototype &&
    'adoptedStyleSheets' in ShadowRoot.prototype;
}

// Parses the widget's stylesheet once, shared by every widget of the page; false where the
// engine has no constructable sheets (then each widget gets a <style>). The presenter calls it
// in a task of its own before the first widget (issue 9: no task over 50 ms at 4x throttling).
export function prepareStyles(): boolean {
  if (!constructable()) return false;
  if (!baseSheet) {
    baseSheet = new CSSStyleSheet();
    baseSheet.replaceSync(css);
  }
  return true;
}

// The small per-survey sheet from the root's attributes. The core validated the accent and the
// radius and chose the readable text colour on the accent (core/src/view.cc); nothing is
// re-checked here.
export function themeCss(attrs: Record<string, string>): string {
  const accent = attrs['data-nz-accent'];
  const onAccent = attrs['data-nz-on-accent'];
  const radius = attrs['data-nz-radius'];
  let out = '';
  if (accent) out += `--nz-accent:${accent};`;
  if (onAccent) out += `--nz-on-accent:${onAccent};`;
  if (radius) out += `--nz-radius:${radius}px;`;
  return out ? `:host{${out}}` : '';
}

// Classes and attributes that common session-replay tools honour (Contract 2), so recordings
// of the host page do not capture the survey or its answers.
const REPLAY_CLASSES = ['rr-block', 'ph-no-capture', 'fs-exclude'];
const REPLAY_ATTRIBUTES: [string, string][] = [['data-hj-suppress', ''], ['data-clarity-mask', 'true']];

// Keys worth a crossing: named keys (arrows, Enter, Escape, Home, ...) and Space.
function isControlKey(e: KeyboardEvent, inText: boolean): boolean {
  if (e.ctrlKey || e.metaKey || e.altKey || e.isComposing) return false;
  if (inText) return e.key === 'Escape';
  return e.key.length > 1 || e.key === ' ';
}

export class Widget {
  readonly survey: string;
  readonly #host: HTMLElement;
  readonly #shadow: ShadowRoot;
  readonly #applier: ViewApplier;
  readonly #hooks: WidgetHooks;
  #session: Session;
  #themeKey = '';
  #closeTimer = 0;
  #wakeTimer = 0; // kiosk mode: the core's next deadline ("tick")
  // Events before the rest of the core loaded (#wait), each with where focus was then.
  #waiting: [UserEvent, Element | null][] = [];
  #loading = false;
  #failure: unknown = null; // the rest's last failed load, until #retry
  #reported = false; // a failed load is reported once per survey
  #retryTimer = 0;
  #retryMs = RETRY_FIRST_MS;
  #wakeAt = Infinity; // when #wakeTimer is due (Date.now() time); Infinity: none armed
  readonly #kiosk: boolean;
  #unsentAsked = 0; // kiosk mode: the latest outbox read asked for; older answers are ignored
  readonly #batches = new Set<string>();
  // Where focus was when the survey opened: it goes back there when the survey closes with focus.
  readonly #opener = document.activeElement;
  #focused = false;
  // Modal (the core's aria-modal, the centre placement): the page elements this widget made
  // inert, so that closing removes exactly those, and a watch on the page's later additions.
  #inert: Element[] | null = null;
  // The control a primary pointer (mouse, touch, pen) last pressed: a click is a tap only on it.
  // Keys and a script's click() press nothing; Chromium's activation by assistive technology
  // (Blink's simulated click for accessibility) sends a mouse pointerdown with pressure 0, where a
  // pressed mouse button reports 0.5. Touch is taken at any pressure (iPhones report 0).
  #pressed: Element | null = null;
  #pageWatch: MutationObserver | null = null;

  // The DOM of `session` (core.createSession(config), made by the caller in a task of its own:
  // issue 9), floating over the page, or inline in `container` when given (`named` in errors).
  // The widget owns the session from here on.
  constructor(
    session: Session,
    config: SessionConfig,
    hooks: WidgetHooks,
    container: Element | undefined,
    named: string,
  ) {
    this.#hooks = hooks;
    this.survey = config.survey ?? '';
    this.#kiosk = config.mode === 'kiosk';
    this.#session = session;
    this.#host = document.createElement('nazar-survey');
    this.#host.classList.add(...REPLAY_CLASSES);
    for (const [name, value] of REPLAY_ATTRIBUTES) this.#host.setAttribute(name, value);
    if (container) this.#host.setAttribute('data-nz-inline', '');
    this.#shadow = this.#host.attachShadow({ mode: 'open' });
    const refused = new Set<string>();
    this.#applier = new ViewApplier(this.#shadow, (what) => {
      if (refused.has(what)) return;
      refused.add(what);
      hooks.report(new NazarError(StatusCode.Internal, 'view uses ' + what + ', which is not allowed'));
    });
    this.#shadow.addEventListener('pointerdown', (e) => {
      const p = e as PointerEvent;
      this.#pressed = p.isPrimary && (p.pointerType !== 'mouse' || p.pressure > 0) ? this.#actionOf(e.target) : null;
    });
    this.#shadow.addEventListener('click', (e) => this.#onClick(e as MouseEvent));
    this.#shadow.addEventListener('input', (e) => this.#onInput(e));
    this.#shadow.addEventListener('keydown', (e) => this.#onKey(e as KeyboardEvent));
    this.#render(this.#session.start, false);
    (container ?? document.body).appendChild(this.#host);
    // Inline, the page may not render the survey: its container not in the page (never
    // inserted, or removed while the survey opened), hidden on it or above it (display: none, a
    // closed <details>, a slot that a phone layout hides), or an element that draws no HTML
    // inside it (an SVG, an image). It would count a display no one saw: refused before any
    // event. The host's own box is asked, so a container with display: contents (no box of its
    // own, what it holds renders) is taken. Browsers without checkVisibility show it as before.
    if (container && this.#host.checkVisibility?.() === false) {
      this.#host.remove();
      throw Object.assign(new Error(named + ' is not rendered (not in the page, or hidden on it or above it)'), {
        code: 'not_found',
      });
    }
    window.visualViewport?.addEventListener('resize', this.#onViewport);
    if (this.#shadow.firstElementChild?.getAttribute('aria-modal') === 'true') this.#modal();
    // The core names a focus target at the start only for a modal or a survey the visitor's
    // own click showed: it never pulls focus from the page otherwise.
    this.#applier.focus(this.#session.start.focus);
    this.#run(this.#session.start);
    if (this.#kiosk) this.refreshUnsent(); // answers left by earlier page loads
    // Once this question has painted, the outbox module may load (hooks.painted) and the core
    // stores its display ("shown"). With a split core (web/split.mjs) that is what requests the
    // rest of it: off the question's path and, as a rule, there before the first tap (#wait).
    // The first timeout leaves the question's first layout to a frame of its own: a frame
    // callback asked for here would pull that layout into this task (bench/long_tasks.mjs
    // measured tasks over 50 ms at 4x throttling then).
    setTimeout(() =>
      requestAnimationFrame(() =>
        setTimeout(() => {
          if (!this.#session.disposed) this.#hooks.painted?.(); // closed before (optOut(), hide())
          this.#dispatch({ type: 'shown' });
        }),
      ),
    );
  }

  // Kiosk mode: asks the outbox what waits and lets the core re-render its count. Reads are
  // asynchronous and may land out of order: only the latest one asked for counts.
  refreshUnsent(): void {
    if (!this.#kiosk || !this.#hooks.unsent) return;
    const asked = ++this.#unsentAsked;
    this.#hooks.unsent().then(
      (payloads) => void (asked === this.#unsentAsked && this.#dispatch({ type: 'outbox', payloads })),
      (e) => this.#hooks.debug('could not read the outbox: ' + String((e as Error)?.message ?? e)),
    );
  }

  // A modal over the page (core: aria-modal): a backdrop (the host, styles.css), the page's other
  // top-level elements inert (those already inert are left to the page), Tab kept inside (#onKey).
  // Not <dialog>.showModal(): the view is the core's allowlisted tree, the same in every
  // placement, and the dialog's own Escape (cancel) would close it behind the core's back, so
  // the dismissal would go unrecorded.
  #modal(): void {
    this.#host.setAttribute('data-nz-modal', '');
    // A press on the backdrop (the host itself) or on the dialog's text would move focus to the
    // page's body: out of reach of the keys the shadow root listens for (Escape, the Tab trap)
    // and of close()'s return of focus to the opener. In the modal only a control takes focus
    // from a press, at the cost of selecting the dialog's text with the mouse.
    this.#host.addEventListener('mousedown', (e) => {
      const at = e.composedPath()[0];
      if (!(at instanceof Element && at.closest('button,textarea'))) e.preventDefault();
    });
    const inert = (this.#inert = [] as Element[]);
    const quiet = (nodes: Iterable<Node>): void => {
      for (const el of nodes) {
        if (el instanceof Element && el !== this.#host && !el.hasAttribute('inert')) {
          el.setAttribute('inert', '');
          inert.push(el);
        }
      }
    };
    quiet(document.body.children);
    this.#pageWatch = new MutationObserver((records) => records.forEach((r) => quiet(r.addedNodes)));
    this.#pageWatch.observe(document.body, { childList: true });
  }

  // Removes the widget and frees the session (the stored payload stays in the outbox).
  close(): void {
    clearTimeout(this.#closeTimer);
    clearTimeout(this.#wakeTimer);
    clearTimeout(this.#retryTimer);
    removeEventListener('online', this.#retry);
    this.#waiting = [];
    if (this.#session.disposed) return;
    const hadFocus = this.#focused || this.#shadow.activeElement !== null;
    this.#pageWatch?.disconnect();
    for (const el of this.#inert ?? []) el.removeAttribute('inert');
    window.visualViewport?.removeEventListener('resize', this.#onViewport);
    this.#host.remove();
    if (hadFocus && this.#opener instanceof HTMLElement && this.#opener.isConnected) {
      this.#opener.focus({ preventScroll: true });
    }
    try {
      this.#session.dispose();
    } catch (e) {
      this.#hooks.report(e);
    }
    for (const batch of this.#batches) this.#hooks.release(batch);
    this.#hooks.closed(this);
  }

  // Closes the survey as the visitor's dismissal (nazar.hide(), optOut()): the core records it.
  dismiss(): void {
    if (!this.#dispatch({ type: 'dismiss' })) this.close();
  }

  // Closes the survey without recording anything (optOut()): this session's unsent payload
  // is dropped.
  withdraw(): void {
    for (const batch of this.#batches) this.#hooks.drop(batch);
    this.close();
  }

  // Re-renders the open survey in `locale` (nazar.setLocale()).
  setLocale(locale: string): void {
    this.#dispatch({ type: 'locale', locale });
  }

  // Feeds one user event to the core; returns whether the core handled it. The focus the core
  // names goes where it says unless `focus` is false.
  #dispatch(event: UserEvent, focus = true): boolean {
    if (this.#session.disposed) return false;
    if (!this.#session.loaded) return this.#wait(event);
    // Held events first, in order, where the rest came another way (a page's triggers, a
    // definition that needed it) while this widget waited to retry.
    if (this.#waiting.length) this.#replay();
    let update: Update;
    try {
      update = this.#session.event(event);
    } catch (e) {
      const code = e instanceof NazarError ? e.code : '';
      if (code === 'invalid_argument' || code === 'failed_precondition' || code === 'out_of_range') {
        // An event that does not fit the current state: nothing to do.
        // The kind only: an event's value may be typed text, which never reaches the console.
        this.#hooks.debug('event ' + event.type + ' ignored: ' + (e as Error).message);
        return false;
      }
      this.#hooks.report(e);
      this.close();
      return false;
    }
    // The re-render may remove the focused control (a close): remember that focus was inside.
    this.#focused = this.#shadow.activeElement !== null;
    try {
      this.#render(update, focus);
      this.#run(update);
    } catch (e) {
      // Never into the host page: a DOM or effect failure ends this survey, reported once.
      this.#hooks.report(e);
      this.close();
      return false;
    } finally {
      this.#focused = false;
    }
    return update.handled;
  }

  // An event before the rest of the core has loaded (it is requested by "shown", once the first
  // question has painted: see the constructor) waits for it, in order. Closing does not wait: the
  // survey closes at once and nothing of it counts (its display was not stored yet; the page
  // hears no "dismiss"). Enter and Space on a button are not kept: the browser turns them into
  // the click that is. A failed load (the connection lost in those moments) is reported once,
  // when a visitor's event waits on it, and tried again when the connection returns or after
  // 10 s, doubling up to 5 minutes, not on every event.
  #wait(event: UserEvent): boolean {
    if (event.type === 'dismiss' || event.action === 'close' || event.key === 'Escape') {
      this.close();
      return true;
    }
    if (event.type === 'key' && (event.key === 'Enter' || event.key === ' ')) return false;
    this.#waiting.push([event, this.#where()]);
    if (this.#failure !== null && event.type !== 'shown') this.#reportFailure();
    this.#resume();
    return true;
  }

  #resume(): void {
    if (this.#loading || this.#failure !== null || !this.#waiting.length) return;
    this.#loading = true;
    this.#session.load().then(
      () => {
        this.#loading = false;
        this.#replay();
      },
      (e: unknown) => {
        this.#loading = false;
        if (this.#session.disposed) return;
        this.#failure = e;
        if (this.#waiting.some(([w]) => w.type !== 'shown')) this.#reportFailure();
        else this.#hooks.debug('the rest of the core: ' + String((e as Error)?.message ?? e));
        addEventListener('online', this.#retry, { once: true });
        this.#retryTimer = window.setTimeout(this.#retry, this.#retryMs);
        this.#retryMs = nextRetryMs(this.#retryMs);
      },
    );
  }

  // Held events move focus only where the visitor has not moved it since they were held (a Tab,
  // or a click in the page, while the rest loaded): focus moves only by the visitor while events
  // wait, so those are the last ones held, all with focus where it is now. Such a key acts on
  // the control the events before it left focus on, not the one it was pressed on (the view did
  // not change meanwhile): ArrowDown twice from 0 selects 2.
  #replay(): void {
    const held = this.#waiting.splice(0);
    const now = this.#where();
    let i = held.length;
    while (i && held[i - 1][1] === now) i--;
    held.forEach(([e], j) => {
      const at = this.#actionOf(this.#shadow.activeElement);
      if (j >= i && e.type === 'key' && at?.getAttribute('data-nz-action') === e.action) {
        e.value = at!.getAttribute('data-nz-value') ?? undefined;
      }
      this.#dispatch(e, j >= i);
    });
  }

  // Where focus is: in the survey, or elsewhere in the page.
  #where(): Element | null {
    return this.#shadow.activeElement ?? document.activeElement;
  }

  #reportFailure(): void {
    if (this.#reported) return;
    this.#reported = true;
    this.#hooks.report(this.#failure);
  }

  readonly #retry = (): void => {
    removeEventListener('online', this.#retry);
    clearTimeout(this.#retryTimer);
    this.#failure = null;
    this.#resume();
  };

  // Focus goes where the core names when `focus` says so, and wherever the render removed the
  // control that had it (a held Next's new question under a visitor who tabbed back). Never
  // pulled from the page on a display the visitor did not ask for.
  #render(update: Update, focus: boolean): void {
    const had = this.#shadow.activeElement;
    this.#theme(update.view.a ?? {});
    this.#applier.apply(update.view);
    if (focus || (had && !this.#shadow.activeElement)) this.#applier.focus(update.focus);
  }

  #theme(attrs: Record<string, string>): void {
    const extra = themeCss(attrs);
    if (extra === this.#themeKey && this.#themeKey !== '') return;
    this.#themeKey = extra;
    if (prepareStyles()) {
      const sheets = [baseSheet!];
      if (extra) {
        const sheet = new CSSStyleSheet();
        sheet.replaceSync(extra);
        sheets.push(sheet);
      }
      this.#shadow.adoptedStyleSheets = sheets;
    } else if (!this.#shadow.querySelector('style')) {
      // Old engines without constructable sheets (a strict style-src will refuse this).
      const style = document.createElement('style');
      style.textContent = css + extra;
      this.#shadow.appendChild(style);
    }
  }

  #run(update: Update): void {
    const stored: Promise<void>[] = [];
    for (const effect of update.effects ?? []) {
      try {
        const done = this.#effect(effect);
        if (done) stored.push(done);
      } catch (e) {
        this.#hooks.report(e);
      }
    }
    if (this.#kiosk) {
      // The core's next deadline: the thank-you's end, the idle discard, the batch interval.
      // A timer armed for no later stays: updates come at any time (the outbox's count, read
      // from IndexedDB; a locale), and re-arming at the deadline's very instant would put the
      // tick a timer turn past it. A tick before a later deadline does nothing but re-arm.
      const wake = typeof update.wake_ms === 'number' ? update.wake_ms : Infinity;
      const at = Date.now() + wake;
      if (wake === Infinity || at < this.#wakeAt) {
        clearTimeout(this.#wakeTimer);
        this.#wakeAt = at;
        if (wake !== Infinity) {
          this.#wakeTimer = window.setTimeout(() => {
            this.#wakeAt = Infinity;
            void this.#dispatch({ type: 'tick' });
          }, wake);
        }
      }
      if (stored.length) void Promise.all(stored).then(() => this.refreshUnsent());
    }
    for (const event of update.events ?? []) {
      // Only which survey and question: the page never learns an answer (Contract 2).
      const detail: { type: string; [key: string]: unknown } = { type: event.type, survey: this.survey };
      if (typeof event.question === 'string') detail.question = event.question;
      this.#hooks.emit(event.type, detail);
    }
  }

  #effect(effect: Effect): Promise<void> | void {
    if (effect.type === 'store' || effect.type === 'send' || effect.type === 'comments') {
      if (typeof effect.batch !== 'string' || !effect.payload) throw new NazarError(StatusCode.Internal, 'effect without batch/payload');
      const comments = effect.type === 'comments';
      if (comments && typeof effect.after !== 'string') throw new NazarError(StatusCode.Internal, 'comments effect without "after"');
      if (effect.type === 'store' && typeof effect.send_after_ms !== 'number') {
        throw new NazarError(StatusCode.Internal, 'store effect without send_after_ms');
      }
      if (!comments) this.#batches.add(effect.batch);
      const done = this.#hooks.store({
        batch: effect.batch,
        payload: effect.payload,
        kind: comments ? 'comments' : 'tally',
        ready: effect.type !== 'store',
        sendAfterMs: effect.send_after_ms,
        after: comments ? (effect.after as string) : undefined,
        kiosk: comments && this.#kiosk ? true : undefined,
      });
      if (this.#kiosk && effect.type === 'send') {
        // A kiosk's batch is complete at its send: its lock goes once the send settles.
        this.#batches.delete(effect.batch);
        this.#hooks.release(effect.batch);
      }
      return done;
    } else if (effect.type === 'close') {
      const delay = Number(effect.after_ms ?? effect.delay_ms ?? 0);
      if (delay > 0) this.#closeTimer = window.setTimeout(() => this.close(), delay);
      else this.close();
    } else {
      this.#hooks.debug('unknown effect ' + effect.type);
    }
  }

  // The on-screen keyboard opened or closed (the visual viewport changed size): a floating
  // widget rises above the part of the layout viewport it covers (styles.css, --nz-keyboard),
  // and the field being typed in scrolls back into view inside the dialog.
  readonly #onViewport = (): void => {
    const vv = window.visualViewport;
    if (!vv) return;
    const covered = Math.max(0, Math.round(window.innerHeight - vv.height - vv.offsetTop));
    this.#host.style.setProperty('--nz-keyboard', covered + 'px');
    const field = this.#shadow.activeElement;
    if (field instanceof HTMLTextAreaElement) requestAnimationFrame(() => field.scrollIntoView({ block: 'nearest' }));
  };

  #actionOf(target: EventTarget | null): HTMLElement | null {
    return target instanceof Element ? (target.closest('[data-nz-action]') as HTMLElement | null) : null;
  }

  #onClick(e: MouseEvent): void {
    const el = this.#actionOf(e.target);
    const action = el?.getAttribute('data-nz-action');
    if (!el || !action || el.localName === 'textarea') return;
    const event: UserEvent = { type: 'action', action };
    const value = el.getAttribute('data-nz-value');
    if (value !== null) event.value = value;
    // Only a tap or a mouse click auto-advances: a click on the control a pointer pressed (above).
    // Enter or Space, and an assistive technology's activation, select and stay: the choice is
    // heard and can be changed before anything moves.
    const pointerType = (e as Partial<PointerEvent>).pointerType;
    if (this.#pressed === el && e.detail > 0 && pointerType !== '') event.pointer = true;
    this.#pressed = null;
    this.#dispatch(event);
  }

  #onInput(e: Event): void {
    const el = e.target;
    if (!(el instanceof HTMLTextAreaElement)) return;
    const action = el.getAttribute('data-nz-action');
    if (action) this.#dispatch({ type: 'input', action, value: el.value });
  }

  // Tab and Shift+Tab cycle through the modal's focusable controls.
  #trap(e: KeyboardEvent): void {
    const stops = Array.from(this.#shadow.querySelectorAll<HTMLElement>('button,textarea')).filter(
      (el) => el.tabIndex >= 0 && !el.hasAttribute('disabled') && el.getClientRects().length > 0,
    );
    const at = this.#shadow.activeElement;
    const edge = e.shiftKey ? stops[0] : stops[stops.length - 1];
    if (stops.length && (at === edge || !at)) {
      e.preventDefault();
      (e.shiftKey ? stops[stops.length - 1] : stops[0]).focus();
    }
  }

  #onKey(e: KeyboardEvent): void {
    if (e.key === 'Tab') {
      if (this.#inert) this.#trap(e);
      return;
    }
    const el = this.#actionOf(e.target);
    const inText = e.target instanceof HTMLTextAreaElement;
    if (!isControlKey(e, inText) || (!el && e.key !== 'Escape')) return;
    const event: UserEvent = { type: 'key', key: e.key };
    const action = el?.getAttribute('data-nz-action');
    const value = el?.getAttribute('data-nz-value');
    if (action) event.action = action;
    if (value != null) event.value = value;
    if (this.#dispatch(event)) {
      e.preventDefault();
      e.stopPropagation();
    }
  }
}
