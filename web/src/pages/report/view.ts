// The report view shared by the analyze page and the dashboard: renders a Contract 4 report into
// an element (DOM APIs only): a card per question (value, 95% interval, n, low-precision mark,
// distribution), a trend per question with its interval as a band, a segment table, a
// comparison of two periods or two segments with a plain-language verdict, and downloads (JSON,
// CSV, SVG). Every chart is followed by a table with the same numbers for screen readers.
//
// Elements that show a number carry data attributes, so a test can read each one beside the
// report it came from: data-cell ("overall", "segment:<name>", "period:<label>"), data-q (the
// question id) and data-metric (score, mean, ci95, n, promoters, passives, detractors,
// satisfied, agree_pct, sd, skipped, completions, ci_lo, ci_hi, value, diff, p_value); a hidden
// cell's text carries data-state="hidden" (and never a number), an unanswered one "empty".

import { download, h, replace, uid } from '../dom';
import { digits, fill, isRtl, MESSAGES, num, percent, type Lang, type Messages } from '../i18n';
import { barChart, groupBar, trendChart, type Bar, type TrendMarker, type TrendPoint } from './charts';
import { reportCsv, reportJsonText, svgText } from './export';
import { orderedQuestions, type CellJson, type CompareJson, type CompareQuestionJson, type CompareSideJson, type QuestionJson,
  type ReportJson } from './types';

// What a comparison is asked about: two segments or two periods of the same report.
export type CompareTarget = { segment: string } | { period: string };

export interface ReportViewOptions {
  lang: Lang;
  // Runs a comparison (the analyze page asks its worker, the dashboard the collector). Without
  // it no comparison form is shown; a report's own "compare" is shown either way.
  compare?: (a: CompareTarget, b: CompareTarget) => Promise<CompareJson>;
  // Base name of downloaded files ("responses" -> responses-report.json).
  fileName?: string;
  // Level of the view's top heading (its sections use the next one).
  headingLevel?: 2 | 3;
  // Draws the NPS groups (detractors, passives, promoters) as one stacked bar in the NPS card.
  groupBar?: boolean;
  // Which pairs the comparison form offers (default both, when the report has two of them).
  compareKinds?: ('period' | 'segment')[];
  // The form's last pair (and its result, when still current), restored when the view is drawn
  // again (a new language, a live update); `onCompared` hears each pair compared.
  lastCompare?: { a: CompareTarget; b: CompareTarget; result?: CompareJson };
  onCompared?: (a: CompareTarget, b: CompareTarget, result: CompareJson) => void;
}

type Heading = 'h2' | 'h3' | 'h4' | 'h5';
type Attrs = Record<string, string>;
const SCORED = ['nps', 'csat', 'ces', 'rating'];
const isMean = (type: string) => type === 'ces' || type === 'rating';

// Bounds of a question's value: NPS -100..100, CSAT 0..100, a mean 1..scale.
function bounds(q: QuestionJson): [number, number] {
  if (q.type === 'nps') return [-100, 100];
  if (q.type === 'csat') return [0, 100];
  return [1, q.scale ?? 10];
}

// "day" | "week" | "month" from a core period label: Gregorian 2026-11-22, 2026-W47 (ISO week),
// 2026-11; Solar Hijri 1405-09-01, 1405-09-01/W (the week starting that Saturday), 1405-09.
export function periodKind(label: string | undefined): 'day' | 'week' | 'month' | null {
  if (!label) return null;
  if (/W\d/.test(label) || /^\d{4}-\d{2}-\d{2}\/W$/.test(label)) return 'week';
  return label.length === 7 ? 'month' : label.length === 10 ? 'day' : null;
}

// Trend markers from the periods' "versions": one where the versions counted differ from the
// previous shown period's, named (through `name`) by the versions that came in, or by all of
// the period's when none is new (an old version dropped out). Hidden periods carry no versions
// and are passed over; a report without versions has no markers.
export function versionMarkers(periods: readonly CellJson[], name: (versions: string[]) => string): TrendMarker[] {
  const markers: TrendMarker[] = [];
  let before: string[] | null = null;
  periods.forEach((p, i) => {
    if (!Array.isArray(p.versions) || !p.versions.length) return;
    const now = [...p.versions].sort();
    if (before && now.join('\n') !== before.join('\n')) {
      const fresh = now.filter((v) => !before!.includes(v));
      markers.push({ index: i, label: name(fresh.length ? fresh : now) });
    }
    before = now;
  });
  return markers;
}

// Renders `report` into `el` (replacing its content); returns the top heading, focusable, so
// a page can move focus to the results.
export function renderReport(el: HTMLElement, report: ReportJson, options: ReportViewOptions): HTMLElement {
  const lang = options.lang;
  const m = MESSAGES[lang];
  const rtl = isRtl(lang);
  const level = options.headingLevel ?? 2;
  const H1 = `h${level}` as Heading, H2 = `h${level + 1}` as Heading, H3 = `h${level + 2}` as Heading;
  const base = options.fileName || 'report';
  // Period labels and dates: the language's digits, isolated left to right so 2026-11 keeps its
  // order among right-to-left text.
  const label = (text: string) => (lang === 'en' ? text : '\u2066' + digits(lang, text) + '\u2069');
  const qName = (id: string, q: { type: string }) => {
    const type = m.q[q.type as keyof Messages['q']] ?? q.type;
    return id === q.type ? type : `${type} (${id})`;
  };
  const valueOf = (q: QuestionJson) => (isMean(q.type) ? q.mean : q.score);
  const dec = (type: string) => (isMean(type) ? 2 : 1);
  const ciText = (ci: [number, number] | null | undefined, d: number) =>
    ci ? fill(m.ci, { lo: num(lang, ci[0], d), hi: num(lang, ci[1], d) }) : '';

  const heading = h(H1, { tabindex: -1, class: 'nz-title' }, m.results);
  const root = h('div', { class: 'nz-report', dir: rtl ? 'rtl' : 'ltr', lang });
  root.append(heading);
  const meta: HTMLElement[] = [];
  if (report.from || report.to) {
    meta.push(h('span', { 'data-metric': 'range' }, fill(m.range, { from: label(report.from_label ?? report.from ?? '?'),
      to: label(report.to_label ?? report.to ?? '?') })));
  }
  if (typeof report.completions === 'number') {
    meta.push(h('span', { 'data-cell': 'overall', 'data-metric': 'completions' }, fill(m.respondents, { n: num(lang, report.completions) })));
  }
  // Completions over displays (Contract 4 "response_rate"; absent or null without displays).
  if (typeof report.response_rate === 'number') {
    meta.push(h('span', { 'data-cell': 'overall', 'data-metric': 'response_rate' },
      fill(m.responseRate, { pct: percent(lang, report.response_rate * 100, 1) })));
  }
  if (meta.length) root.append(h('p', { class: 'nz-meta' }, meta.flatMap((e, i) => (i ? [' · ', e] : [e]))));

  // Questions in a fixed order of types, then by id (whatever the order of the JSON's keys).
  const questions = orderedQuestions(report.questions);

  // ---- Cards: the overall value of each question ----
  const cards = h('div', { class: 'nz-cards' });
  for (const [id, q] of questions) cards.append(card(id, q));
  root.append(cards);

  function lowMark(): HTMLElement {
    return h('span', { class: 'nz-lowmark', title: m.lowPrecisionHelp }, m.lowPrecision);
  }

  function card(id: string, q: QuestionJson): HTMLElement {
    const box = h('section', { class: 'nz-card', 'aria-labelledby': uid('q'), 'data-cell': 'overall', 'data-q': id });
    const title = h(H2, { id: box.getAttribute('aria-labelledby')! }, qName(id, q));
    box.append(title);
    if (q.suppressed) {
      box.append(h('p', { class: 'nz-muted', 'data-state': 'hidden' }, m.hidden));
      return box;
    }
    if (!q.n) {
      box.append(h('p', { class: 'nz-muted', 'data-state': 'empty' }, m.noAnswers));
      return box;
    }
    if (SCORED.includes(q.type)) {
      box.append(h('p', { class: 'nz-value', 'data-metric': isMean(q.type) ? 'mean' : 'score' }, num(lang, valueOf(q), dec(q.type))));
      box.append(h('p', { class: 'nz-ci', 'data-metric': 'ci95' }, ciText(q.ci95, dec(q.type))));
    }
    const facts: [string, string | HTMLElement][] = [['n', fill(m.n, { n: num(lang, q.n) })]];
    if (q.type === 'nps') {
      facts.push(['promoters', fill(m.promoters, { n: num(lang, q.promoters) })], ['passives', fill(m.passives, { n: num(lang, q.passives) })],
        ['detractors', fill(m.detractors, { n: num(lang, q.detractors) })]);
    } else if (q.type === 'csat') {
      facts.push(['satisfied', fill(m.satisfied, { n: num(lang, q.satisfied), set: (q.satisfied_set ?? []).map((v) => num(lang, v)).join(lang === 'en' ? ', ' : '، ') })]);
    } else if (q.type === 'ces') {
      facts.push(['agree_pct', fill(m.agree, { pct: num(lang, q.agree_pct, 1) })]);
      if (typeof q.sd === 'number') facts.push(['sd', fill(m.sd, { sd: num(lang, q.sd, 2) })]);
    }
    if (q.skipped) facts.push(['skipped', fill(m.skipped, { n: num(lang, q.skipped) })]);
    if (q.low_precision) facts.push(['', lowMark()]);
    box.append(h('ul', { class: 'nz-facts' }, facts.map(([metric, f]) => h('li', { 'data-metric': metric || null }, f))));
    if (options.groupBar && q.type === 'nps') {
      const name = fill(m.groupsOf, { q: qName(id, q) });
      const total = (q.promoters ?? 0) + (q.passives ?? 0) + (q.detractors ?? 0);
      const parts = (['detractors', 'passives', 'promoters'] as const).map((g, i) => ({
        key: g, label: m.groupNames[g], count: q[g] ?? 0, tone: (['bad', 'mid', 'good'] as const)[i],
      }));
      const svg = groupBar(parts, { lang, rtl, title: name });
      box.append(figure(svg, name, [m.group, m.count, m.share],
        parts.map((p) => [p.label, num(lang, p.count), total ? percent(lang, p.count / total * 100, 1) : '-']),
        `${base}-${id}-groups.svg`, { rows: parts.map((p) => ({ 'data-group': p.key })), cols: [null, 'count', 'share'] }));
    }
    const bars = distribution(q);
    if (bars.length) {
      const name = fill(m.distribution, { q: qName(id, q) });
      const svg = barChart(bars, { lang, rtl, title: name });
      box.append(figure(svg, name, [m.answer, m.count], bars.map((b) => [b.label, num(lang, b.count)]),
        `${base}-${id}-distribution.svg`));
    }
    return box;
  }

  function distribution(q: QuestionJson): Bar[] {
    const counts = q.counts ?? [];
    if (q.type === 'choice') {
      return (q.options ?? []).map((o, i) => ({ label: o, count: counts[i] ?? 0, tone: 'plain' as const }));
    }
    if (!SCORED.includes(q.type)) return [];
    const first = q.type === 'nps' ? 0 : 1;
    const scale = q.scale ?? counts.length;
    return counts.map((count, i) => {
      const v = first + i;
      let tone: Bar['tone'] = 'plain';
      if (q.type === 'nps') tone = v <= 6 ? 'bad' : v <= 8 ? 'mid' : 'good';
      else if (q.type === 'csat') tone = (q.satisfied_set ?? []).includes(v) ? 'good' : 'mid';
      else if (q.type === 'ces') tone = v >= (scale === 5 ? 4 : 5) ? 'good' : 'mid';
      return { label: num(lang, v), count, tone };
    });
  }

  // A chart, its table for screen readers and a download of the SVG. `attrs` adds data
  // attributes to each row and each column's cells (data-metric).
  function figure(svg: SVGSVGElement, name: string, head: string[], rows: string[][], file: string,
    attrs?: { rows?: Attrs[]; cols?: (string | null)[] }): HTMLElement {
    // Hidden around the table, not on it: a table grows to its content whatever its width, and
    // pushed phone pages sideways (600 px wide at 390).
    const table = h('table', {}, h('caption', {}, fill(m.tableOf, { name })),
      h('thead', {}, h('tr', {}, head.map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, rows.map((r, j) => h('tr', attrs?.rows?.[j] ?? {}, r.map((c, i) => (i === 0 ? h('th', { scope: 'row' }, c)
        : h('td', { 'data-metric': attrs?.cols?.[i] ?? null }, c)))))));
    const button = h('button', { type: 'button', class: 'nz-link' }, `${m.exportSvg}`);
    button.setAttribute('aria-label', `${m.exportSvg}: ${name}`);
    button.addEventListener('click', () => download(file, new Blob([svgText(svg)], { type: 'image/svg+xml' })));
    return h('figure', { class: 'nz-figure' }, svg, h('div', { class: 'nz-sr' }, table), h('div', { class: 'nz-figure-actions' }, button));
  }

  // ---- Trends ----
  const periods = report.periods ?? [];
  if (periods.length) {
    const kind = periodKind(periods.find((p) => p.period)?.period);
    const trends = h('section', { class: 'nz-section' });
    const markers = versionMarkers(periods, (v) => fill(m.versionMark, { v: v.map(label).join(', ') }));
    const markAt = new Map(markers.map((mk) => [mk.index, mk.label]));
    for (const [id, q] of questions) {
      if (!SCORED.includes(q.type)) continue;
      const points: TrendPoint[] = periods.map((p) => {
        const pq = p.questions?.[id];
        const shown = pq && !pq.suppressed && pq.n ? pq : null;
        return {
          label: label(p.period ?? ''),
          value: shown ? valueOf(shown) ?? null : null,
          lo: shown?.ci95?.[0] ?? null,
          hi: shown?.ci95?.[1] ?? null,
          low: !!(shown?.low_precision || p.low_precision),
        };
      });
      const name = fill(m.trend, { q: qName(id, q), period: kind ? m.trendBy[kind] : m.period });
      const svg = trendChart(points, { lang, rtl, title: name, decimals: dec(q.type), bounds: bounds(q), lowLabel: m.lowPrecision,
        markers });
      const rows = periods.map((p, i) => {
        const pq = p.questions?.[id];
        const pt = points[i];
        const row = [pt.label, pq?.suppressed || p.questions === undefined ? m.hidden : num(lang, pq?.n ?? 0),
          num(lang, pt.value, dec(q.type)), num(lang, pt.lo, dec(q.type)), num(lang, pt.hi, dec(q.type)),
          pt.low ? m.lowPrecision : ''];
        if (markers.length) row.push(markAt.get(i) ?? '');
        return row;
      });
      const head = [m.period, 'n', m.value, m.ciLo, m.ciHi, m.lowPrecision];
      if (markers.length) head.push(m.version);
      trends.append(h(H2, {}, name), figure(svg, name, head, rows, `${base}-${id}-trend.svg`, {
        rows: periods.map((p) => ({ 'data-cell': `period:${p.period ?? ''}`, 'data-q': id,
          ...(p.questions?.[id]?.suppressed || p.questions === undefined ? { 'data-state': 'hidden' } : {}) })),
        cols: [null, 'n', 'value', 'ci_lo', 'ci_hi', null, null],
      }));
    }
    root.append(trends);
  }

  // ---- Segments ----
  const segments = report.segments ?? [];
  const scoredIds = questions.filter(([, q]) => SCORED.includes(q.type)).map(([id]) => id);
  if (segments.length) {
    // The scrolling table below is the one named region: a named section around it would be a
    // second landmark with the same name (axe: landmark-unique).
    const sec = h('section', { class: 'nz-section' });
    sec.append(h(H2, {}, m.segmentsTitle));
    const table = h('table', { class: 'nz-table' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, m.segment), h('th', { scope: 'col' }, 'n'),
        scoredIds.map((id) => h('th', { scope: 'col' }, qName(id, report.questions![id]!))))),
      h('tbody', {}, segments.map((c) => segmentRow(c))));
    sec.append(h('div', { class: 'nz-scroll', tabindex: 0, role: 'region', 'aria-label': m.segmentsTitle }, table));
    root.append(sec);
  }

  function segmentRow(c: CellJson): HTMLElement {
    const row = h('tr', { 'data-cell': `segment:${c.segment ?? ''}` }, h('th', { scope: 'row' }, c.segment ?? ''));
    if (!c.questions) {
      row.append(h('td', { colspan: scoredIds.length + 1, class: 'nz-muted', 'data-state': 'hidden' }, m.hidden));
      return row;
    }
    row.append(h('td', { 'data-metric': 'completions' }, num(lang, c.completions), c.low_precision ? [' ', lowMark()] : null));
    for (const id of scoredIds) {
      const q = c.questions[id];
      if (!q || q.suppressed) {
        row.append(h('td', { class: 'nz-muted', 'data-q': id, 'data-state': q ? 'hidden' : null }, q ? m.hidden : '-'));
      } else if (!q.n) {
        row.append(h('td', { class: 'nz-muted', 'data-q': id, 'data-state': 'empty' }, m.noAnswers));
      } else {
        row.append(h('td', { 'data-q': id },
          h('span', { class: 'nz-cell-value', 'data-metric': isMean(q.type) ? 'mean' : 'score' }, num(lang, valueOf(q), dec(q.type))),
          h('span', { class: 'nz-cell-ci', 'data-metric': 'ci95' }, ciText(q.ci95, dec(q.type))),
          h('span', { class: 'nz-cell-n', 'data-metric': 'n' }, fill(m.n, { n: num(lang, q.n) })),
          q.low_precision ? lowMark() : null));
      }
    }
    return row;
  }

  // ---- Comparison ----
  if (report.compare) {
    const cmp = report.compare;
    const sec = h('section', { class: 'nz-section nz-compared' }, h(H2, {}, m.compareTitle));
    // Two segments when the comparison names them, else the baseline range against the report's.
    const segOf = (side: CompareJson['a']) => (typeof side === 'string' ? (side.startsWith('locale:') ? side.slice(7) : null)
      : side && typeof side.segment === 'string' ? side.segment : null);
    const sa = segOf(cmp.a), sb = segOf(cmp.b);
    if (sa !== null && sb !== null) {
      sec.append(comparison(cmp, sa, sb, true));
    } else {
      const a = label(`${cmp.from_label ?? cmp.from ?? '?'}..${cmp.to_label ?? cmp.to ?? '?'}`);
      const b = label(`${report.from_label ?? report.from ?? '?'}..${report.to_label ?? report.to ?? '?'}`);
      sec.append(comparison(cmp, a, b, false));
      const bySeg = Array.isArray(cmp.segments) ? cmp.segments.filter((g) => g && typeof g.segment === 'string' && g.questions) : [];
      if (bySeg.length) {
        sec.append(h(H3, {}, m.bySegment));
        for (const g of bySeg) {
          sec.append(h('div', { class: 'nz-compare-segment', 'data-cell': `segment:${g.segment}` },
            h('p', { class: 'nz-segment-name' }, g.segment), comparison({ questions: g.questions }, a, b, false, g.segment)));
        }
      }
    }
    root.append(sec);
  }
  const kindsAllowed = options.compareKinds ?? ['period', 'segment'];
  if (options.compare && ((kindsAllowed.includes('segment') && segments.length >= 2) ||
    (kindsAllowed.includes('period') && periods.length >= 2))) root.append(compareForm(options.compare));

  function compareForm(run: NonNullable<ReportViewOptions['compare']>): HTMLElement {
    const sec = h('section', { class: 'nz-section nz-compare' });
    sec.append(h(H2, {}, m.compareTitle));
    const kinds = [
      { key: 'period', text: m.kindPeriods, values: periods.filter((p) => p.questions).map((p) => p.period ?? '') },
      { key: 'segment', text: m.kindSegments, values: segments.filter((c) => c.questions).map((c) => c.segment ?? '') },
    ].filter((k) => k.values.length >= 2 && kindsAllowed.includes(k.key as 'period' | 'segment'));
    if (!kinds.length) return sec;
    const group = uid('kind');
    const legend = h('legend', {}, m.compareKind);
    const radios = kinds.map((k, i) => {
      const input = h('input', { type: 'radio', name: group, value: k.key, checked: i === 0 });
      input.addEventListener('change', () => fillSelects());
      return h('label', { class: 'nz-radio' }, input, ' ', k.text);
    });
    const selA = h('select', { id: uid('a') });
    const selB = h('select', { id: uid('b') });
    const result = h('div', { class: 'nz-compare-result', 'aria-live': 'polite' });
    const button = h('button', { type: 'submit' }, m.compareButton);
    const form = h('form', { class: 'nz-form' },
      h('fieldset', { class: 'nz-kinds' }, legend, radios),
      h('div', { class: 'nz-field' }, h('label', { for: selA.id }, m.sideA), selA),
      h('div', { class: 'nz-field' }, h('label', { for: selB.id }, m.sideB), selB),
      button);
    const current = () => kinds.find((k) => k.key === (form.querySelector<HTMLInputElement>(`input[name="${group}"]:checked`)?.value)) ?? kinds[0];
    function fillSelects() {
      const k = current();
      const options = (sel: HTMLSelectElement, pick: number) => {
        replace(sel, k.values.map((v, i) => h('option', { value: v, selected: i === pick }, k.key === 'period' ? label(v) : v)));
      };
      // Periods: the last two (B the latest); segments: the first two.
      options(selA, k.key === 'period' ? k.values.length - 2 : 0);
      options(selB, k.key === 'period' ? k.values.length - 1 : 1);
    }
    fillSelects();
    const last = options.lastCompare;
    const lastKey = last && ('segment' in last.a ? 'segment' : 'period');
    const valueOf = (x: CompareTarget) => ('segment' in x ? x.segment : x.period);
    if (last && kinds.some((k) => k.key === lastKey && k.values.includes(valueOf(last.a)) && k.values.includes(valueOf(last.b)))) {
      form.querySelector<HTMLInputElement>(`input[value="${lastKey}"]`)!.checked = true;
      fillSelects();
      selA.value = valueOf(last.a);
      selB.value = valueOf(last.b);
      const show = (v: string) => (lastKey === 'period' ? label(v) : v);
      if (last.result) replace(result, comparison(last.result, show(selA.value), show(selB.value), lastKey === 'segment'));
    }
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const k = current();
      const target = (v: string): CompareTarget => (k.key === 'period' ? { period: v } : { segment: v });
      button.disabled = true;
      replace(result, h('p', {}, m.comparing));
      try {
        const a = target(selA.value), b = target(selB.value);
        const json = await run(a, b);
        options.onCompared?.(a, b, json);
        const show = (v: string) => (k.key === 'period' ? label(v) : v);
        replace(result, comparison(json, show(selA.value), show(selB.value), k.key === 'segment'));
      } catch (e) {
        replace(result, h('p', { class: 'nz-error', role: 'alert' }, fill(m.failed, { message: (e as Error).message })));
      } finally {
        button.disabled = false;
      }
    });
    sec.append(form, result);
    return sec;
  }

  // The verdicts and the table of a comparison; `segmentWise` words it as two segments ("lower
  // in fa than in en"); `segment` marks the rows of one segment's own comparison.
  function comparison(json: CompareJson, aName: string, bName: string, segmentWise: boolean, segment?: string): HTMLElement {
    const entries = orderedQuestions(json.questions);
    const side = (sd: CompareSideJson, type: string) => {
      if (sd.suppressed) return m.hidden;
      if (!sd.n) return m.noAnswers;
      const v = isMean(type) ? sd.mean : sd.score;
      return `${num(lang, v, dec(type))} (${fill(m.n, { n: num(lang, sd.n) })})`;
    };
    const table = h('table', { class: 'nz-table' },
      h('thead', {}, h('tr', {}, [m.question, `${m.sideA}: ${aName}`, `${m.sideB}: ${bName}`, m.change, m.pValue, m.verdict]
        .map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, entries.map(([id, c]) => h('tr', { class: `nz-v-${c.verdict}`, 'data-q': id, 'data-verdict': c.verdict },
        h('th', { scope: 'row' }, qName(id, c)), h('td', { 'data-metric': 'a' }, side(c.a, c.type)),
        h('td', { 'data-metric': 'b' }, side(c.b, c.type)),
        h('td', {}, typeof c.diff === 'number'
          ? [h('span', { class: 'nz-cell-value', 'data-metric': 'diff' }, num(lang, c.diff, dec(c.type))),
            h('span', { class: 'nz-cell-ci', 'data-metric': 'ci95' }, ciText(c.ci95, dec(c.type)))]
          : '-'),
        h('td', { 'data-metric': 'p_value' }, typeof c.p_value === 'number' ? pText(c.p_value).replace(/^= /, '') : '-'),
        h('td', {}, m.vShort[c.verdict] ?? c.verdict)))));
    const sentences = h('ul', { class: 'nz-verdicts' }, entries.map(([id, c]) => h('li', {
      class: `nz-v-${c.verdict}`, 'data-q': id, 'data-verdict': c.verdict, 'data-segment': segment ?? null,
    }, verdict(id, c, segmentWise ? { a: aName, b: bName } : null))));
    const region = segment === undefined ? m.compareTitle : `${m.compareTitle}: ${segment}`;
    return h('div', {}, sentences, h('div', { class: 'nz-scroll', tabindex: 0, role: 'region', 'aria-label': region }, table));
  }

  function pText(p: number): string {
    return p < 0.001 ? '< ' + num(lang, 0.001, 3) : '= ' + num(lang, p, p < 0.1 ? 3 : 2);
  }

  // The plain-language verdict (METRICS.md, "Comparisons shown to users"); with `seg`, worded
  // as segment b against segment a.
  function verdict(id: string, c: CompareQuestionJson, seg: { a: string; b: string } | null): string {
    const template = (seg ? m.vSeg : m.v)[c.verdict];
    if (!template) return `${qName(id, c)}: ${c.verdict}`;
    const d = dec(c.type);
    const diff = c.diff ?? 0;
    const size = (x: number) => (isMean(c.type) ? num(lang, x, d) : fill(m.pointsUnit, { d: num(lang, x, d) }));
    return fill(template, {
      q: qName(id, c),
      d: c.verdict === 'no_change' ? size(diff) : size(Math.abs(diff)),
      lo: num(lang, c.ci95?.[0], d),
      hi: num(lang, c.ci95?.[1], d),
      p: typeof c.p_value === 'number' ? pText(c.p_value) : '-',
      a: seg?.a ?? '', b: seg?.b ?? '',
    });
  }

  // ---- Downloads ----
  const json = h('button', { type: 'button' }, m.exportJson);
  json.addEventListener('click', () => download(`${base}-report.json`, new Blob([reportJsonText(report)], { type: 'application/json' })));
  const csv = h('button', { type: 'button' }, m.exportCsv);
  csv.addEventListener('click', () => download(`${base}-report.csv`, new Blob([reportCsv(report)], { type: 'text/csv' })));
  root.append(h('section', { class: 'nz-section nz-downloads', 'aria-label': m.exportTitle },
    h('span', { class: 'nz-downloads-title' }, m.exportTitle), json, csv));

  replace(el, root);
  return heading;
}
