// Exports of the report view: the Contract 4 JSON as the core wrote it, a flat CSV (one row per
// cell and question, ASCII digits, for spreadsheets), the comments as CSV, and a chart as a
// standalone SVG file.

import { orderedQuestions, type CellJson, type ReportJson } from './types';

const CSV_COLUMNS = [
  'scope', 'segment', 'period', 'question', 'type', 'n', 'score', 'mean', 'ci95_low', 'ci95_high',
  'low_precision', 'suppressed', 'promoters', 'passives', 'detractors', 'satisfied', 'agree_pct',
  'sd', 'skipped', 'counts',
];

// One CSV field (RFC 4180). Text a spreadsheet would run as a formula (= + - @, tab, CR first)
// gets a leading apostrophe, unless it is a plain decimal number as a report writes one (-12.5):
// escaping every leading "-" would turn negative scores into text. "+1" is not such a number
// and is escaped.
export function csvField(value: unknown): string {
  if (value === undefined || value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text) && !/^-?\d+(\.\d+)?$/.test(text)) {
    text = "'" + text;
  }
  return /[",\r\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
}

// The report as CSV: the overall cell, then segments, periods and segment x period cells; a
// hidden cell is one row with suppressed=true.
export function reportCsv(report: ReportJson): string {
  const rows: unknown[][] = [CSV_COLUMNS];
  const add = (scope: string, cell: CellJson) => {
    const questions = orderedQuestions(cell.questions);
    if (!cell.questions) {
      rows.push([scope, cell.segment, cell.period, '', '', '', '', '', '', '', '', true]);
      return;
    }
    for (const [id, q] of questions) {
      rows.push([
        scope, cell.segment, cell.period, id, q.type, q.n, q.score, q.mean, q.ci95?.[0], q.ci95?.[1],
        q.low_precision || cell.low_precision ? true : '', q.suppressed ? true : '', q.promoters,
        q.passives, q.detractors, q.satisfied, q.agree_pct, q.sd, q.skipped, q.counts?.join(' '),
      ]);
    }
  };
  add('overall', report);
  for (const c of report.segments ?? []) add('segment', c);
  for (const c of report.periods ?? []) add('period', c);
  for (const c of report.cells ?? []) add('cell', c);
  return rows.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

export const reportJsonText = (report: ReportJson): string => JSON.stringify(report, null, 2) + '\n';

// A chart as a standalone SVG document.
export function svgText(svg: SVGSVGElement): string {
  const copy = svg.cloneNode(true) as SVGSVGElement;
  copy.removeAttribute('class');
  copy.setAttribute('width', copy.viewBox.baseVal.width.toString());
  copy.setAttribute('height', copy.viewBox.baseVal.height.toString());
  return '<?xml version="1.0" encoding="UTF-8"?>\n' + new XMLSerializer().serializeToString(copy) + '\n';
}

// One comment as GET /v1/comments lists it (group "promoter" | "passive" | "detractor" | "").
export interface CommentJson {
  question: string;
  group: string;
  text: string;
}

// The comments as CSV (group, question, text), every field through csvField, so a comment that
// starts with = + - @ opens in a spreadsheet as text, never as a formula.
export function commentsCsv(comments: readonly CommentJson[]): string {
  const rows: unknown[][] = [['group', 'question', 'text']];
  for (const c of comments) rows.push([c.group, c.question, c.text]);
  return rows.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}
