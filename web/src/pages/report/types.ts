// Contract 4 (DESIGN.md; core/include/nazar/report.h ReportToJson, score.h ScoreResultToJson) as
// the report view reads it. Numbers arrive rounded by the core; the view only formats them.

export type QuestionType = 'nps' | 'csat' | 'ces' | 'rating' | 'choice' | 'text';

// One question of one cell. A hidden question is {type, suppressed: true}; an unanswered one
// {type, n: 0}. ci95 is null for a mean below 2 answers.
export interface QuestionJson {
  type: QuestionType;
  suppressed?: boolean;
  n?: number;
  scale?: number;
  score?: number;
  mean?: number;
  sd?: number | null;
  ci95?: [number, number] | null;
  promoters?: number;
  passives?: number;
  detractors?: number;
  satisfied?: number;
  satisfied_set?: number[];
  agree_pct?: number;
  options?: string[];
  shares?: number[];
  counts?: number[];
  skipped?: number;
  low_precision?: boolean;
  noise?: { mechanism: string; epsilon: number };
}

// The overall cell, a segment, a period or a segment x period cell. A hidden cell has only its
// labels and "suppressed".
export interface CellJson {
  segment?: string;
  period?: string;
  suppressed: string[];
  displays?: number;
  completions?: number;
  response_rate?: number | null;
  low_precision?: boolean;
  questions?: Record<string, QuestionJson>;
  // The survey versions counted in this cell (a shown cell of a collector report; a hidden cell
  // carries none). Sorted as the core writes them.
  versions?: string[];
}

// One side of a compared question: {n, score | mean, ci95} or {suppressed: true}.
export interface CompareSideJson {
  suppressed?: boolean;
  n?: number;
  score?: number;
  mean?: number;
  ci95?: [number, number] | null;
}

export type VerdictCode = 'up' | 'down' | 'no_change' | 'not_enough_data' | 'not_comparable';

export interface CompareQuestionJson {
  type: QuestionType;
  a: CompareSideJson;
  b: CompareSideJson;
  verdict: VerdictCode;
  test?: string;
  diff?: number;
  ci95?: [number, number];
  p_value?: number;
  significant?: boolean;
}

// One segment's own comparison inside a comparison of two ranges (collector extension:
// `compare=FROM..TO&segment=locale`, Benjamini-Hochberg over the overall and every segment).
export interface CompareSegmentJson {
  segment: string;
  questions: Record<string, CompareQuestionJson>;
}

// Contract 4 "compare": a is the baseline, b the current side. A comparison of two segments names
// them in `a`/`b` (as a string or {segment}); `segments` holds per-segment comparisons of two
// ranges. Both are extensions a page must do without.
export interface CompareJson {
  from?: string | null;
  to?: string | null;
  from_label?: string;
  to_label?: string;
  a?: string | { segment?: string; from?: string; to?: string } | null;
  b?: string | { segment?: string; from?: string; to?: string } | null;
  questions: Record<string, CompareQuestionJson>;
  segments?: CompareSegmentJson[];
}

// The import summary ScoreResultToJson adds.
export interface ImportJson {
  format: string;
  rows: number;
  bad_rows: number;
  errors?: { line: number; message: string }[];
  warnings?: string[];
}

export interface ReportJson extends CellJson {
  survey?: string;
  from: string | null;
  to: string | null;
  // The range in the report's calendar (collector extension: Solar Hijri labels from the core
  // when calendar=jalali); shown instead of from/to when present.
  from_label?: string;
  to_label?: string;
  segments?: CellJson[];
  periods?: CellJson[];
  cells?: CellJson[];
  compare?: CompareJson;
  import?: ImportJson;
}

// True when `value` has the shape of a Contract 4 report (a saved report opened again).
export function isReportJson(value: unknown): value is ReportJson {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Record<string, unknown>;
  return typeof r.questions === 'object' && r.questions !== null && Array.isArray(r.suppressed) &&
    'from' in r && 'to' in r;
}

const TYPE_ORDER: string[] = ['nps', 'csat', 'ces', 'rating', 'choice', 'text'];
function typeRank(type: string): number {
  const i = TYPE_ORDER.indexOf(type);
  return i < 0 ? TYPE_ORDER.length : i;
}

// The entries of a questions object in the order pages show them: nps, csat, ces, rating,
// choice, text, then by id (the order of the JSON's keys is no part of Contract 4).
export function orderedQuestions<T extends { type: string }>(questions: Record<string, T> | undefined): [string, T][] {
  return Object.entries(questions ?? {})
    .sort(([a, qa], [b, qb]) => typeRank(qa.type) - typeRank(qb.type) || (a < b ? -1 : a > b ? 1 : 0));
}
