// The analyze page: pick or drop an export, confirm the column mapping the core proposes, score
// it in a worker with a progress bar and a cancel button, then the shared report view. Nothing
// leaves the device; a service worker keeps the page usable offline. Every text comes from
// ../i18n.ts; the language can change at any step without losing it.

import { h, replace, uid } from '../dom';
import { fill, isRtl, LANGS, MESSAGES, num, pickLang, type Lang, type Messages } from '../i18n';
import { isReportJson, type CompareJson, type ReportJson } from '../report/types';
import { renderReport, type CompareTarget } from '../report/view';
import type { ColumnAssignment, ColumnMapping, ImportOptions, MappingProposal } from './engine';
import { AnalyzeWorkers, workerCount } from './parallel';
import type { FromWorker, ToWorker } from './protocol';

type Role = keyof Messages['roles'];
const ROLES: Role[] = ['ignore', 'nps', 'csat', 'ces', 'rating', 'date', 'segment', 'text'];

// Worker and service worker URLs pass through a Trusted Types policy (the page runs under
// require-trusted-types-for 'script'); it admits only this page's own two scripts.
interface Policy { createScriptURL(url: string): unknown }
const tt = (globalThis as { trustedTypes?: { createPolicy(n: string, r: object): Policy } }).trustedTypes;
const policy = tt?.createPolicy('nazar-analyze', {
  createScriptURL(url: string) {
    const u = new URL(url, location.href);
    const here = new URL('./', location.href);
    if (u.origin !== location.origin || !['analyze-worker.js', 'sw.js'].some((f) => u.href === new URL(f, here).href)) {
      throw new TypeError(`nazar-analyze: refused script URL ${url}`);
    }
    return u.href;
  },
});
const scriptUrl = (file: string) => {
  const href = new URL(file, new URL('./', location.href)).href;
  return (policy ? policy.createScriptURL(href) : href) as string;
};

// ---- State ----
type Step =
  | { kind: 'pick'; error?: string }
  | { kind: 'mapping'; file: File; proposal: MappingProposal; roles: Role[]; order: 'dmy' | 'mdy';
      skip: number; period: 'day' | 'week' | 'month'; calendar: 'gregorian' | 'jalali' }
  | { kind: 'progress'; file: File; rows: number; bytes: number; started: number }
  | { kind: 'report'; report: ReportJson; name: string; comparable: boolean };

const params = new URLSearchParams(location.search);
let lang: Lang = pickLang([params.get('lang') ?? '', ...(navigator.languages ?? [navigator.language])].filter(Boolean));
let step: Step = { kind: 'pick' };
let workers: AnalyzeWorkers | null = null;
let lastAnnounced = -1;
const pending = new Map<number, { resolve(j: CompareJson): void; reject(e: Error): void }>();
let nextId = 1;

const app = document.getElementById('app') ?? document.body.appendChild(h('main', { id: 'app' }));
const live = h('p', { class: 'nz-sr', role: 'status', 'aria-live': 'polite' });
const body = h('div', { class: 'az-step' });

// The page's workers (two on two cores: a large file is scored in two parts, parallel.ts), all
// started and warmed up when the page loads.
function getWorkers(): AnalyzeWorkers {
  if (!workers) {
    const list = Array.from({ length: workerCount() }, (_, i) => {
      const w = new Worker(scriptUrl('analyze-worker.js'), { type: 'module', name: `nazar-analyze-${i + 1}` });
      // The coordinator decides what a failed worker costs (parallel.ts workerFailed).
      w.onerror = (e) => workers?.workerFailed(i, e.message || 'worker failed');
      return w;
    });
    workers = new AnalyzeWorkers(list, onWorker);
  }
  return workers;
}
const send = (m: ToWorker) => getWorkers().send(m);

// ---- Rendering ----
function render(focus = false) {
  const m = MESSAGES[lang];
  document.documentElement.lang = lang;
  document.documentElement.dir = isRtl(lang) ? 'rtl' : 'ltr';
  document.title = m.title;
  const select = h('select', { id: 'az-lang' }, LANGS.map((l) => h('option', { value: l, selected: l === lang, lang: l }, MESSAGES[l].langName)));
  select.addEventListener('change', () => {
    lang = select.value as Lang;
    render();
    document.getElementById('az-lang')?.focus();
  });
  const header = h('header', { class: 'az-header' }, h('h1', {}, m.title),
    h('div', { class: 'az-lang' }, h('label', { for: 'az-lang' }, m.language), select));
  replace(app, header, h('p', { class: 'az-intro' }, m.intro), body, live);
  const target = step.kind === 'pick' ? pick(m) : step.kind === 'mapping' ? mapping(m, step)
    : step.kind === 'progress' ? progress(m, step) : result(m, step);
  if (focus) target?.focus();
}

function pick(m: Messages): HTMLElement {
  // The native input, visually hidden but focusable, and its label as the visible button (the
  // input's own button would speak the browser's language, not the page's).
  const input = h('input', { type: 'file', id: 'az-file', class: 'az-file', accept: '.csv,.tsv,.txt,.ndjson,.jsonl,.json,text/csv,text/tab-separated-values,application/json' });
  input.addEventListener('change', () => input.files?.[0] && open(input.files[0]));
  const zone = h('div', { class: 'az-drop' }, h('p', {}, m.dropHere), input, h('label', { for: 'az-file', class: 'az-button' }, m.chooseFile));
  const s = step as { error?: string };
  replace(body, zone, s.error ? h('p', { class: 'nz-error', role: 'alert' }, s.error) : null);
  return input;
}

function mapping(m: Messages, st: Extract<Step, { kind: 'mapping' }>): HTMLElement {
  const head = h('h2', { tabindex: -1 }, m.mappingTitle);
  const rows = st.proposal.columns.map((c, i) => {
    const id = `az-role-${i}`;
    const sel = h('select', { id }, ROLES.map((r) => h('option', { value: r, selected: st.roles[i] === r }, m.roles[r])));
    sel.addEventListener('change', () => {
      const role = sel.value as Role;
      // One date column and one segment column: choosing it elsewhere releases the old one.
      if (role === 'date' || role === 'segment') st.roles = st.roles.map((r, j) => (j !== i && r === role ? 'ignore' : r));
      st.roles[i] = role;
      render();
      document.getElementById(id)?.focus();
    });
    return h('tr', {}, h('th', { scope: 'row' }, c.name),
      h('td', {}, h('label', { for: id, class: 'nz-sr' }, fill(m.roleOf, { name: c.name })), sel),
      h('td', { class: 'az-samples' }, c.samples.slice(0, 3).join(' · ')));
  });
  const table = h('table', { class: 'nz-table' }, h('thead', {}, h('tr', {}, [m.column, m.role, m.samples].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, rows));
  const fields: HTMLElement[] = [];
  if (st.proposal.date_ambiguous && st.roles.includes('date')) {
    const name = uid('order');
    fields.push(h('fieldset', { class: 'nz-kinds' }, h('legend', {}, m.dateOrder),
      (['dmy', 'mdy'] as const).map((o) => {
        const r = h('input', { type: 'radio', name, value: o, checked: st.order === o });
        r.addEventListener('change', () => { st.order = o; });
        return h('label', { class: 'nz-radio' }, r, ' ', m[o]);
      })));
  }
  const skip = h('input', { type: 'number', id: uid('skip'), min: 0, max: 5, value: st.skip, inputmode: 'numeric' });
  skip.addEventListener('change', () => { st.skip = Math.max(0, Math.min(5, Math.trunc(Number(skip.value)) || 0)); });
  fields.push(h('div', { class: 'nz-field' }, h('label', { for: skip.id }, m.skipRows), skip));
  const period = h('select', { id: uid('period') }, (['day', 'week', 'month'] as const).map((p) => h('option', { value: p, selected: st.period === p }, m.periods[p])));
  period.addEventListener('change', () => { st.period = period.value as typeof st.period; });
  const cal = h('select', { id: uid('cal') }, (['gregorian', 'jalali'] as const).map((c) => h('option', { value: c, selected: st.calendar === c }, m.calendars[c])));
  cal.addEventListener('change', () => { st.calendar = cal.value as typeof st.calendar; });
  if (st.roles.includes('date')) {
    fields.push(h('div', { class: 'nz-field' }, h('label', { for: period.id }, m.periodLabel), period),
      h('div', { class: 'nz-field' }, h('label', { for: cal.id }, m.calendar), cal));
  }
  const go = h('button', { type: 'submit', class: 'az-primary' }, m.score);
  const back = h('button', { type: 'button' }, m.back);
  back.addEventListener('click', () => { step = { kind: 'pick' }; render(true); });
  const form = h('form', { class: 'az-mapping' }, h('div', { class: 'nz-scroll', role: 'region', tabindex: 0, 'aria-labelledby': uid('cap') }, table),
    h('div', { class: 'nz-form' }, fields), h('div', { class: 'az-actions' }, go, back));
  table.prepend(h('caption', { id: form.querySelector('[aria-labelledby]')!.getAttribute('aria-labelledby')!, class: 'nz-sr' }, m.mappingTitle));
  form.addEventListener('submit', (e) => { e.preventDefault(); start(st); });
  replace(body, head, h('p', {}, st.file.name, ' — ', m.mappingHelp), form);
  return head;
}

function progress(m: Messages, st: Extract<Step, { kind: 'progress' }>): HTMLElement {
  const title = h('h2', { id: 'az-progress-title' }, fill(m.reading, { name: st.file.name }));
  const bar = h('progress', { id: 'az-bar', max: st.file.size || 1, value: st.bytes, 'aria-labelledby': 'az-progress-title' });
  const cancel = h('button', { type: 'button', id: 'az-cancel' }, m.cancel);
  cancel.addEventListener('click', () => send({ type: 'cancel' }));
  replace(body, title, bar, h('p', { id: 'az-progress-text' }, progressText(m, st)), cancel);
  return cancel;
}

const mb = (bytes: number) => `${num(lang, bytes / 1e6, 1)} MB`;

// Rows per second and time left are known once some bytes have been read over a measurable
// time; before that both read "—" (never NaN, Infinity or a bare "0 rows/s").
function progressText(m: Messages, st: Extract<Step, { kind: 'progress' }>): string {
  const secs = (performance.now() - st.started) / 1000;
  const known = secs > 0 && st.bytes > 0;
  const rate = known ? num(lang, Math.round(st.rows / secs)) : '—';
  const left = known ? fill(m.seconds, { n: num(lang, Math.max(0, Math.ceil((st.file.size - st.bytes) / (st.bytes / secs)))) }) : '—';
  return fill(m.progress, { rows: num(lang, st.rows), done: mb(st.bytes), total: mb(st.file.size), rate, left });
}

function result(m: Messages, st: Extract<Step, { kind: 'report' }>): HTMLElement {
  const imp = st.report.import;
  const parts: HTMLElement[] = [];
  if (imp) {
    parts.push(h('p', { class: 'az-summary' }, fill(m.summary, { rows: num(lang, imp.rows), name: st.name, format: imp.format })));
    if (imp.bad_rows > 0) {
      const errors = (imp.errors ?? []).slice(0, 20);
      parts.push(h('p', { class: 'nz-error' }, fill(m.badRows, { count: num(lang, imp.bad_rows) })),
        h('table', { class: 'nz-table az-bad' }, h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, m.line), h('th', { scope: 'col' }, m.problem))),
          h('tbody', {}, errors.map((e) => h('tr', {}, h('td', {}, num(lang, e.line)), h('td', { dir: 'auto' }, e.message))))));
    }
    if (imp.warnings?.length) parts.push(h('h2', {}, m.warnings), h('ul', {}, imp.warnings.map((w) => h('li', { dir: 'auto' }, w))));
  }
  const view = h('div', { class: 'az-report' });
  const again = h('button', { type: 'button' }, m.back);
  again.addEventListener('click', () => { step = { kind: 'pick' }; render(true); });
  replace(body, parts, view, h('div', { class: 'az-actions' }, again));
  const base = st.name.replace(/\.[^.]*$/, '') || 'report';
  return renderReport(view, st.report, { lang, fileName: base, compare: st.comparable ? compare : undefined });
}

function compare(a: CompareTarget, b: CompareTarget): Promise<CompareJson> {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    send({ type: 'compare', id, request: { a, b } });
  });
}

// ---- Flow ----
function fail(message: string) {
  step = { kind: 'pick', error: fill(MESSAGES[lang].failed, { message }) };
  render(true);
}

async function open(file: File) {
  // A saved report (this page's own JSON download) opens as it is.
  if (/\.json$/i.test(file.name) && file.size < 64 << 20) {
    try {
      const json: unknown = JSON.parse(await file.text());
      if (isReportJson(json)) {
        step = { kind: 'report', report: json, name: file.name, comparable: false };
        render(true);
        return;
      }
    } catch {
      // not one JSON document: NDJSON responses, handled by the core below
    }
  }
  step = { kind: 'pick' };
  pendingFile = file;
  send({ type: 'propose', file });
}
let pendingFile: File | null = null;

function roleOf(a: ColumnAssignment): Role {
  if (a.kind === 'question') return (ROLES as string[]).includes(a.type ?? '') ? (a.type as Role) : 'ignore';
  return a.kind === 'date' || a.kind === 'segment' || a.kind === 'text' ? a.kind : 'ignore';
}

// The mapping to send: the proposal's assignment where the role is unchanged, else a new one
// (question ids: the type when free, else type_column; scales as the core proposes them).
function mappingOf(st: Extract<Step, { kind: 'mapping' }>): ColumnMapping {
  const used = new Set<string>();
  const columns = st.proposal.columns.map((c, i): ColumnAssignment => {
    const role = st.roles[i];
    if (role === roleOf(c.proposed)) return { ...c.proposed, column: c.column, name: c.name };
    if (role === 'ignore' || role === 'date' || role === 'segment' || role === 'text') return { column: c.column, kind: role, name: c.name };
    // The scale is the core's for this column and type (mapping.h "scales").
    return { column: c.column, kind: 'question', type: role, scale: c.scales[role], name: c.name };
  });
  // Questions and free text need a unique id: the type when free ("nps"), else type_column.
  const named = (a: ColumnAssignment) => a.kind === 'question' || a.kind === 'text';
  for (const a of columns) if (named(a) && a.id) used.add(a.id);
  for (const a of columns) {
    if (named(a) && !a.id) {
      const type = a.kind === 'text' ? 'text' : a.type!;
      a.id = used.has(type) ? `${type}_${a.column + 1}` : type;
      used.add(a.id);
    }
  }
  return {
    columns,
    extra_header_rows: st.skip,
    date_format: st.proposal.date_ambiguous ? st.order : st.proposal.mapping.date_format ?? 'ymd',
  };
}

function start(st: Extract<Step, { kind: 'mapping' }>) {
  const mapping = mappingOf(st);
  const seg = st.proposal.columns.find((_, i) => st.roles[i] === 'segment');
  const options: ImportOptions = {
    format: st.proposal.format, delimiter: st.proposal.delimiter, mapping, by: seg?.name,
    period: st.roles.includes('date') ? st.period : undefined,
    calendar: st.roles.includes('date') ? st.calendar : undefined,
  };
  step = { kind: 'progress', file: st.file, rows: 0, bytes: 0, started: performance.now() };
  lastAnnounced = -1;
  render(true);
  send({ type: 'score', file: st.file, options });
}

function onWorker(msg: FromWorker) {
  const m = MESSAGES[lang];
  if (msg.type === 'proposal' && pendingFile) {
    const p = msg.proposal;
    step = {
      kind: 'mapping', file: pendingFile, proposal: p, roles: p.columns.map((c) => roleOf(c.proposed)),
      order: p.mapping.date_format === 'mdy' ? 'mdy' : 'dmy', skip: p.mapping.extra_header_rows ?? 0,
      // Solar Hijri periods for Solar Hijri dates and in Persian (METRICS.md: the fa default).
      period: 'month', calendar: p.mapping.date_format === 'jalali' || lang === 'fa' ? 'jalali' : 'gregorian',
    };
    pendingFile = null;
    render(true);
  } else if (msg.type === 'progress' && step.kind === 'progress') {
    step.rows = msg.rows;
    step.bytes = msg.bytes;
    const bar = document.getElementById('az-bar') as HTMLProgressElement | null;
    if (bar) bar.value = msg.bytes;
    const text = document.getElementById('az-progress-text');
    if (text) text.textContent = progressText(m, step);
    // The live region speaks every 10%, not at every update.
    const tenth = Math.floor((msg.bytes / Math.max(1, msg.total)) * 10);
    if (tenth !== lastAnnounced) {
      lastAnnounced = tenth;
      live.textContent = fill(m.progressShort, { percent: num(lang, tenth * 10) });
    }
  } else if (msg.type === 'done' && step.kind === 'progress') {
    const name = step.file.name;
    const report = JSON.parse(msg.report) as ReportJson;
    step = { kind: 'report', report, name, comparable: true };
    // How many workers read the file (1, or 2 for a large file on two cores), for the tests.
    app.dataset.parts = String(msg.parts ?? 1);
    render(true);
    live.textContent = fill(m.summary, { rows: num(lang, report.import?.rows ?? 0), name, format: report.import?.format ?? '' });
  } else if (msg.type === 'cancelled') {
    step = { kind: 'pick' };
    render(true);
    live.textContent = m.cancelled;
  } else if (msg.type === 'compared') {
    pending.get(msg.id)?.resolve(msg.json);
    pending.delete(msg.id);
  } else if (msg.type === 'error') {
    if (msg.id !== undefined) {
      pending.get(msg.id)?.reject(new Error(msg.message));
      pending.delete(msg.id);
    } else {
      pendingFile = null;
      fail(msg.message);
    }
  }
}

// Drop anywhere on the page.
document.addEventListener('dragover', (e) => {
  if (e.dataTransfer?.types.includes('Files')) {
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
    document.documentElement.classList.add('az-dragging');
  }
});
document.addEventListener('dragleave', (e) => {
  if (e.relatedTarget === null) document.documentElement.classList.remove('az-dragging');
});
document.addEventListener('drop', (e) => {
  document.documentElement.classList.remove('az-dragging');
  const file = e.dataTransfer?.files[0];
  if (!file) return;
  e.preventDefault();
  if (step.kind !== 'progress') open(file);
});

render();
send({ type: 'warm' });
if ('serviceWorker' in navigator && location.protocol !== 'file:') {
  navigator.serviceWorker.register(scriptUrl('sw.js'), { scope: './' }).catch(() => {
    // Offline use needs it; the page works online without.
  });
}
