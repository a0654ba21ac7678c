// The dashboard (served by the collector at / and, for share links, /s/): picks its mode from
// GET /v1/session (401: the sign-in form; a share: that survey only, read-only; 403: the link
// was revoked or expired), then shows one report per view (overview cards with the NPS group
// bar, trends, segments, comparisons: one GET /v1/report or stream query, so complementary
// suppression covers everything in view), kept live by GET /v1/stream; the comments; and, when
// signed in, the share links. DOM APIs only (../dom.ts), no innerHTML, nothing from another
// origin; every text from ./messages.ts and ../i18n.ts.

import { h, replace } from '../dom';
import { fill, isRtl, LANGS, MESSAGES, num, NUMBERING, pickLang, type Lang } from '../i18n';
import type { CompareJson, ReportJson } from '../report/types';
import { renderReport, type CompareTarget } from '../report/view';
import { getComments, getReport, getSession, getSurveys, HttpError, signOut, type CommentsJson, type SessionJson,
  type SurveyJson } from './api';
import { commentsView, type CommentsState, type CommentsView } from './comments';
import { openLive, type Live, type LiveState } from './live';
import { DASH } from './messages';
import { calendarFor, commentsParams, pageParams, PRESETS, reportParams, stateFromParams, type ViewState } from './query';
import { forgetMadeLink, sharesView, utcText } from './shares';
import { signinForm } from './signin';

type Mode =
  | { kind: 'loading' }
  | { kind: 'signin' }
  | { kind: 'revoked' }
  | { kind: 'error'; message: string }
  | { kind: 'empty' }
  | { kind: 'dashboard'; session: SessionJson };

const params = new URLSearchParams(location.search);
let lang: Lang = pickLang([params.get('lang') ?? '', ...(navigator.languages ?? [navigator.language])].filter(Boolean));
const state: ViewState = stateFromParams(params);
const signinParam = params.get('signin');
const signinProblem = signinParam === 'failed' || signinParam === 'limited' ? signinParam : null;
let mode: Mode = { kind: 'loading' };
let surveys: SurveyJson[] = [];

// Elements that live across re-renders (a language change rebuilds the rest around them).
const app = document.getElementById('app') ?? document.body.appendChild(h('div', { id: 'app' }));
const liveEl = h('p', { id: 'db-live', class: 'db-live', role: 'status', 'aria-live': 'polite', 'data-state': 'off' });
const reportEl = h('div', { id: 'db-report', class: 'db-report' });
const announcer = h('p', { id: 'db-announce', class: 'nz-sr', role: 'status', 'aria-live': 'polite' });

// The current report query and what arrived for it.
let query = '';
let live: Live | null = null;
let liveState: LiveState | 'off' = 'off';
let retryIn = 0;
let report: ReportJson | null = null;
let reportSource: 'live' | 'fetch' | null = null;
let reportAt = 0;
let reportError: string | null = null;
// The report view's last comparison of two locales, kept while the report it was made beside
// is the one shown (a live update keeps the pair but drops the result: it is not refetched,
// which would show steps smaller than the minimum count).
let segCompare: { a: CompareTarget; b: CompareTarget; result: CompareJson; n: number | undefined } | null = null;
let fetchedFor = '';
let fallbackTimer: ReturnType<typeof setTimeout> | undefined;

// Comments: their own query (no live updates: they end yesterday).
const commentsState: CommentsState = { group: 'promoter', q: params.get('q') ?? '' };
let commentsQuery = '';
let comments: { data: CommentsJson | null; error?: string } = { data: null };
let commentsSeq = 0;
let commentsUi: CommentsView | null = null;

const timeText = (ms: number) => new Intl.DateTimeFormat(lang, {
  hour: '2-digit', minute: '2-digit', second: '2-digit', numberingSystem: NUMBERING[lang],
} as Intl.DateTimeFormatOptions).format(ms);
const session = () => (mode.kind === 'dashboard' ? mode.session : null);
const isShare = () => session()?.kind === 'share';
const commentsAllowed = () => !!session() && (!isShare() || session()!.comments === true);

// ---- Rendering ----
function render() {
  const t = DASH[lang], m = MESSAGES[lang];
  const root = document.documentElement;
  root.lang = lang;
  root.dir = isRtl(lang) ? 'rtl' : 'ltr';
  document.title = t.title;
  const select = h('select', { id: 'db-lang' }, LANGS.map((l) => h('option', { value: l, selected: l === lang, lang: l }, MESSAGES[l].langName)));
  select.addEventListener('change', () => {
    lang = select.value as Lang;
    render();
    apply();
    document.getElementById('db-lang')?.focus();
  });
  const tools = h('div', { class: 'db-tools' }, h('label', { for: 'db-lang' }, m.language), select);
  if (mode.kind === 'dashboard') {
    const print = h('button', { type: 'button', id: 'db-print' }, t.print);
    print.addEventListener('click', () => window.print());
    tools.append(print);
    if (!isShare()) {
      const out = h('button', { type: 'button', id: 'db-signout' }, t.signout);
      out.addEventListener('click', async () => {
        try {
          await signOut();
        } catch {
          // the cookie may be gone already; the sign-in form is what follows either way
        }
        toSignin();
      });
      tools.append(out);
    }
  }
  const header = h('header', { class: 'db-header' }, h('h1', { id: 'db-title' }, t.title), tools);
  const main = h('main', { id: 'db-main', 'data-mode': mode.kind === 'dashboard' ? mode.session.kind : mode.kind });
  commentsUi = null;
  switch (mode.kind) {
    case 'loading':
      main.append(h('p', { class: 'db-muted', 'aria-busy': 'true' }, t.loading));
      break;
    case 'signin':
      main.append(signinForm(t, signinProblem));
      break;
    case 'revoked':
      main.append(h('section', { id: 'db-revoked', class: 'db-panel', role: 'alert' }, h('p', {}, t.revoked)));
      break;
    case 'empty':
      main.append(h('p', { id: 'db-empty' }, t.noSurveys));
      break;
    case 'error': {
      const retry = h('button', { type: 'button', id: 'db-retry' }, t.retry);
      retry.addEventListener('click', () => void start());
      main.append(h('div', { id: 'db-error', class: 'db-panel' },
        h('p', { class: 'db-error', role: 'alert' }, fill(t.failed, { message: mode.message })), retry));
      break;
    }
    case 'dashboard': {
      const s = mode.session;
      if (s.kind === 'share') {
        main.append(h('p', { id: 'db-share-note', class: 'db-note' },
          fill(t.shared, { survey: s.survey ?? state.survey, expires: utcText(lang, t, s.expires) })));
      }
      main.append(controls(), liveEl, reportEl);
      if (commentsAllowed()) {
        commentsUi = commentsView(lang, t, commentsState, state.survey || 'survey', () => loadComments());
        commentsUi.show(comments.data, comments.error);
        main.append(commentsUi.el);
      }
      if (s.kind === 'session') main.append(sharesView(lang, t, () => state.survey, announce));
      paintReport();
      paintLive();
      break;
    }
  }
  main.append(announcer);
  replace(app, header, main);
}

// The view settings. Selects apply at once; a custom range applies once both of its days are set.
function controls(): HTMLElement {
  const t = DASH[lang], m = MESSAGES[lang];
  const field = (id: string, text: string, control: HTMLElement, hidden = false) =>
    h('div', { class: 'db-field', hidden }, h('label', { for: id }, text), control);
  const opt = (value: string, text: string, selected: boolean) => h('option', { value, selected }, text);
  const form = h('form', { id: 'db-controls', class: 'db-controls', 'aria-label': t.controls });
  if (!isShare()) {
    form.append(field('db-survey', t.survey, h('select', { id: 'db-survey' },
      surveys.map((s) => opt(s.id, s.id, s.id === state.survey)))));
  }
  const custom = state.preset === 'custom';
  form.append(
    field('db-range', t.range, h('select', { id: 'db-range' },
      [...PRESETS, 'custom' as const].map((p) => opt(p, t.presets[p], p === state.preset)))),
    field('db-from', t.from, h('input', { id: 'db-from', type: 'date', value: state.from, dir: 'ltr' }), !custom),
    field('db-to', t.to, h('input', { id: 'db-to', type: 'date', value: state.to, dir: 'ltr' }), !custom),
    field('db-by', t.by, h('select', { id: 'db-by' }, opt('', t.byNone, state.by === ''),
      (['day', 'week', 'month'] as const).map((b) => opt(b, m.periods[b], state.by === b)))),
    field('db-calendar', m.calendar, h('select', { id: 'db-calendar' },
      (['gregorian', 'jalali'] as const).map((c) => opt(c, m.calendars[c], c === calendarFor(state, lang))))),
    h('div', { class: 'db-check' }, h('input', { id: 'db-segment', type: 'checkbox', checked: state.segment }),
      h('label', { for: 'db-segment' }, t.segment)),
    field('db-compare', t.compare, h('select', { id: 'db-compare' }, opt('', t.compareNone, state.compare === ''),
      PRESETS.map((p) => opt(`preset:${p}`, t.presets[p], state.compare === `preset:${p}`)),
      opt('custom', t.compareCustom, state.compare === 'custom'))),
    field('db-cfrom', t.compareFrom, h('input', { id: 'db-cfrom', type: 'date', value: state.cfrom, dir: 'ltr' }), state.compare !== 'custom'),
    field('db-cto', t.compareTo, h('input', { id: 'db-cto', type: 'date', value: state.cto, dir: 'ltr' }), state.compare !== 'custom'),
    h('button', { type: 'submit', id: 'db-apply' }, t.apply));
  const value = (id: string) => (form.querySelector(`#${id}`) as HTMLInputElement | HTMLSelectElement | null)?.value ?? '';
  const read = (e: Event) => {
    const target = e.target as HTMLElement | null;
    if (!isShare()) state.survey = value('db-survey') || state.survey;
    state.preset = value('db-range') as ViewState['preset'];
    state.from = value('db-from');
    state.to = value('db-to');
    state.by = value('db-by') as ViewState['by'];
    if (target?.id === 'db-calendar') state.calendar = value('db-calendar') as ViewState['calendar'];
    state.segment = (form.querySelector('#db-segment') as HTMLInputElement).checked;
    state.compare = value('db-compare') as ViewState['compare'];
    state.cfrom = value('db-cfrom');
    state.cto = value('db-cto');
    const show = (id: string, on: boolean) => { (form.querySelector(`#${id}`)!.parentElement as HTMLElement).hidden = !on; };
    show('db-from', state.preset === 'custom');
    show('db-to', state.preset === 'custom');
    show('db-cfrom', state.compare === 'custom');
    show('db-cto', state.compare === 'custom');
  };
  form.addEventListener('change', (e) => {
    read(e);
    if (state.preset === 'custom' && (!state.from || !state.to)) return;
    if (state.compare === 'custom' && (!state.cfrom || !state.cto)) return;
    apply();
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    read(e);
    apply();
  });
  return form;
}

function paintReport() {
  const t = DASH[lang];
  if (report) {
    const hadFocus = reportEl.contains(document.activeElement);
    const heading = renderReport(reportEl, report, {
      lang, groupBar: true, headingLevel: 2, fileName: state.survey || 'report', compareKinds: ['segment'], compare: compareSegments,
      lastCompare: segCompare ? { a: segCompare.a, b: segCompare.b,
        result: segCompare.n === report.completions ? segCompare.result : undefined } : undefined,
      onCompared: (a, b, result) => { segCompare = { a, b, result, n: report?.completions }; },
    });
    reportEl.setAttribute('data-n', String(report.completions ?? ''));
    if (hadFocus) heading.focus({ preventScroll: true });
  } else if (reportError !== null) {
    replace(reportEl, h('p', { class: 'db-error', role: 'alert' }, fill(t.failed, { message: reportError })));
  } else {
    replace(reportEl, h('p', { class: 'db-muted', 'aria-busy': 'true' }, t.loading));
  }
}

function paintLive() {
  const t = DASH[lang];
  liveEl.setAttribute('data-state', liveState);
  let text = '';
  if (liveState === 'live' && report) text = fill(t.live.live, { time: timeText(reportAt), n: num(lang, report.completions ?? 0) });
  else if (liveState === 'connecting') text = t.live.connecting;
  else if (liveState === 'retrying') {
    text = reportSource === 'fetch' ? fill(t.live.fallback, { time: timeText(reportAt) }) + ' ' : '';
    text += fill(t.live.retrying, { s: num(lang, Math.ceil(retryIn / 1000)) });
  } else if (liveState === 'off' && report) text = t.live.closed;
  replace(liveEl, text);
}

function announce(text: string) {
  replace(announcer, text);
}

// A comparison of two locales from the report view's form: the same view with
// compare=locale:A..locale:B (plan §1 item 4).
async function compareSegments(a: CompareTarget, b: CompareTarget): Promise<CompareJson> {
  if (!('segment' in a) || !('segment' in b)) throw new Error('only segments are compared here');
  const p = reportParams(state, lang);
  p.set('segment', 'locale');
  p.set('compare', `locale:${a.segment}..locale:${b.segment}`);
  const r = await getReport(p.toString());
  if (!r.compare) throw new Error('the collector sent no comparison');
  return r.compare;
}

// ---- Data ----
// Makes the page show the current settings: the URL, the report (live) and the comments.
function apply() {
  if (mode.kind !== 'dashboard') return;
  history.replaceState(null, '', location.pathname + '?' + pageParams(state, lang).toString());
  const q = reportParams(state, lang).toString();
  if (q !== query) startReport(q);
  if (commentsAllowed()) {
    const cq = commentsParams(state, lang, commentsState.q).toString();
    if (cq !== commentsQuery) loadComments();
  }
}

function startReport(q: string) {
  live?.close();
  clearTimeout(fallbackTimer);
  query = q;
  fetchedFor = '';
  report = null;
  segCompare = null;
  reportSource = null;
  reportError = null;
  reportEl.setAttribute('data-query', q);
  reportEl.removeAttribute('data-n');
  paintReport();
  live = openLive('/v1/stream?' + q, {
    report(r) {
      if (query !== q) return;
      clearTimeout(fallbackTimer);
      showReport(r, 'live');
    },
    revoked: () => showRevoked(),
    state(s, wait) {
      if (query !== q) return;
      liveState = s;
      retryIn = wait;
      paintLive();
      if (s === 'retrying') {
        if (!report) fetchOnce(q);
        void checkAccess();
      }
    },
  });
  // A stream that stays silent (a proxy buffering it, or no stream route): fetch once. Never
  // polled: the stream alone moves the view, in steps of at least the minimum count.
  fallbackTimer = setTimeout(() => {
    if (!report && query === q) fetchOnce(q);
  }, 3000);
}

function fetchOnce(q: string) {
  if (fetchedFor === q) return;
  fetchedFor = q;
  getReport(q).then((r) => {
    if (query === q && !report) showReport(r, 'fetch');
  }, (e: HttpError) => {
    if (query !== q) return;
    if (e.status === 401) return toSignin();
    if (e.status === 403 && isShare()) return showRevoked();
    if (e.status === 400 || e.status === 403 || e.status === 404) {
      live?.close();  // the stream would be refused the same way
      liveState = 'off';
      paintLive();
    }
    fetchedFor = '';
    reportError = e.message;
    if (!report) paintReport();
  });
}

// A report for the current query; #db-live (a polite live region) says when and how many.
function showReport(r: ReportJson, source: 'live' | 'fetch') {
  report = r;
  reportSource = source;
  reportAt = Date.now();
  reportError = null;
  reportEl.setAttribute('data-source', source);
  paintReport();
  paintLive();
}

// After a stream closed: still signed in, the share still valid?
async function checkAccess() {
  try {
    await getSession();
  } catch (e) {
    const status = (e as HttpError).status;
    if (status === 401) toSignin();
    else if (status === 403) showRevoked();
  }
}

function loadComments() {
  const cq = commentsParams(state, lang, commentsState.q).toString();
  commentsQuery = cq;
  const seq = ++commentsSeq;
  comments = { data: null };
  commentsUi?.show(null);
  getComments(cq).then((d) => {
    if (seq !== commentsSeq) return;
    comments = { data: d };
    commentsUi?.show(d);
  }, (e: HttpError) => {
    if (seq !== commentsSeq) return;
    if (e.status === 401) return toSignin();
    comments = { data: null, error: e.message };
    commentsUi?.show(null, e.message);
  });
}

function stopAll() {
  live?.close();
  live = null;
  clearTimeout(fallbackTimer);
  query = '';
  commentsQuery = '';
  report = null;
  liveState = 'off';
}

function toSignin() {
  stopAll();
  forgetMadeLink();
  mode = { kind: 'signin' };
  render();
  document.getElementById('db-token')?.focus();
}

function showRevoked() {
  stopAll();
  mode = { kind: 'revoked' };
  render();
}

async function start() {
  stopAll();
  mode = { kind: 'loading' };
  render();
  let who: SessionJson;
  try {
    who = await getSession();
  } catch (e) {
    const status = (e as HttpError).status;
    if (status === 401) return toSignin();
    if (status === 403) return showRevoked();
    mode = { kind: 'error', message: (e as Error).message };
    return render();
  }
  if (who.kind === 'share') {
    state.survey = who.survey ?? state.survey;
  } else {
    try {
      surveys = (await getSurveys()).surveys ?? [];
    } catch (e) {
      mode = { kind: 'error', message: (e as Error).message };
      return render();
    }
    if (!surveys.length) {
      mode = { kind: 'empty' };
      return render();
    }
    if (!surveys.some((s) => s.id === state.survey)) state.survey = surveys[0].id;
  }
  mode = { kind: 'dashboard', session: who };
  render();
  apply();
}

void start();
