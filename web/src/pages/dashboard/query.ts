// The dashboard's view settings and the query strings they make: the same parameters on
// GET /v1/report, GET /v1/stream (so one report holds every number in view, and the stream
// compares the n it sent, plan §0 items 2 and 4) and in the page's own URL, so a reload or a
// link keeps the view. Ranges and calendars are the collector's (core PresetRange,
// PeriodLabel): the page sends names, never computes dates.

import type { Lang } from '../i18n';

export type Preset = 'last_30_days' | 'this_month' | 'last_month' | 'this_week' | 'last_week';
export const PRESETS: Preset[] = ['last_30_days', 'this_month', 'last_month', 'this_week', 'last_week'];
export type By = '' | 'day' | 'week' | 'month';
export type Calendar = 'gregorian' | 'jalali';

export interface ViewState {
  survey: string;
  preset: Preset | 'custom';
  from: string;             // custom range, YYYY-MM-DD
  to: string;
  by: By;
  calendar: Calendar | '';  // '' follows the language: Solar Hijri in fa, else Gregorian
  segment: boolean;         // segment=locale
  compare: '' | `preset:${Preset}` | 'custom';
  cfrom: string;            // custom compared range
  cto: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export const defaultState = (): ViewState => ({
  survey: '', preset: 'last_30_days', from: '', to: '', by: 'day', calendar: '', segment: true,
  compare: '', cfrom: '', cto: '',
});

export const calendarFor = (s: ViewState, lang: Lang): Calendar => s.calendar || (lang === 'fa' ? 'jalali' : 'gregorian');

// The range parameters: preset=NAME, or from/to of a custom range.
function addRange(p: URLSearchParams, s: ViewState) {
  if (s.preset === 'custom') {
    if (DAY.test(s.from)) p.set('from', s.from);
    if (DAY.test(s.to)) p.set('to', s.to);
  } else {
    p.set('preset', s.preset);
  }
}

// The query of GET /v1/report and GET /v1/stream for a view.
export function reportParams(s: ViewState, lang: Lang): URLSearchParams {
  const p = new URLSearchParams();
  p.set('survey', s.survey);
  addRange(p, s);
  if (s.by) p.set('by', s.by);
  p.set('calendar', calendarFor(s, lang));
  if (s.segment) p.set('segment', 'locale');
  if (s.compare === 'custom') {
    if (DAY.test(s.cfrom) && DAY.test(s.cto)) p.set('compare', `${s.cfrom}..${s.cto}`);
  } else if (s.compare) {
    p.set('compare', s.compare);
  }
  return p;
}

// GET /v1/comments: the view's survey and range as chosen (a named range in the view's
// calendar) and the search text. The collector cuts any range to yesterday, where comments end.
export function commentsParams(s: ViewState, lang: Lang, q: string): URLSearchParams {
  const p = new URLSearchParams();
  p.set('survey', s.survey);
  addRange(p, s);
  p.set('calendar', calendarFor(s, lang));
  if (q) p.set('q', q);
  return p;
}

// The page's own URL query: the language and the view (the calendar only when chosen).
export function pageParams(s: ViewState, lang: Lang): URLSearchParams {
  const p = reportParams(s, lang);
  if (!s.calendar) p.delete('calendar');
  if (!s.segment) p.set('segment', 'none');
  if (!s.by) p.set('by', 'none');
  p.set('lang', lang);
  return p;
}

// A view from the page's URL query (unknown values fall back to the defaults).
export function stateFromParams(p: URLSearchParams): ViewState {
  const s = defaultState();
  s.survey = p.get('survey') ?? '';
  const preset = p.get('preset');
  if (preset && (PRESETS as string[]).includes(preset)) s.preset = preset as Preset;
  const from = p.get('from') ?? '', to = p.get('to') ?? '';
  if (!preset && (DAY.test(from) || DAY.test(to))) {
    s.preset = 'custom';
    s.from = DAY.test(from) ? from : '';
    s.to = DAY.test(to) ? to : '';
  }
  const by = p.get('by');
  if (by === 'none') s.by = '';
  else if (by === 'day' || by === 'week' || by === 'month') s.by = by;
  const cal = p.get('calendar');
  if (cal === 'gregorian' || cal === 'jalali') s.calendar = cal;
  if (p.get('segment') === 'none') s.segment = false;
  const compare = p.get('compare') ?? '';
  const range = /^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/.exec(compare);
  if (range) {
    s.compare = 'custom';
    s.cfrom = range[1];
    s.cto = range[2];
  } else if (compare.startsWith('preset:') && (PRESETS as string[]).includes(compare.slice(7))) {
    s.compare = compare as ViewState['compare'];
  }
  return s;
}
