// The one result every implementation in the analyze benchmark returns, so that "the numbers
// agree exactly" is an equality of integers, not of rounded scores.
//
// A histogram set is a plain object: group key -> array of kWidth integers. Group keys are
// "all", "month YYYY-MM" and "locale XX". The array holds, in order:
//   [rows, nps_0..nps_10, nps_n, csat_1..csat_5, csat_n, ces_1..ces_7, ces_n]
// rows counts every scored row of the group; *_n counts the rows that answered the question
// (an empty cell is skipped), which must equal the sum of that question's counts.

export const kNps = 1;  // offset of nps_0
export const kNpsN = 12;
export const kCsat = 13;  // offset of csat_1
export const kCsatN = 18;
export const kCes = 19;  // offset of ces_1
export const kCesN = 26;
export const kWidth = 27;

/** Column names of the array, for messages. */
export const kNames = ['rows',
  ...Array.from({ length: 11 }, (_, k) => `nps_${k}`), 'nps_n',
  ...Array.from({ length: 5 }, (_, k) => `csat_${k + 1}`), 'csat_n',
  ...Array.from({ length: 7 }, (_, k) => `ces_${k + 1}`), 'ces_n'];

/** A zeroed histogram array. */
export function emptyHistogram() {
  return new Array(kWidth).fill(0);
}

/** Adds `from` into `into` (both histogram arrays). */
export function addInto(into, from) {
  for (let k = 0; k < kWidth; k++) into[k] += from[k];
}

/**
 * Builds the set from per-(month, locale) cells, the form the fastest implementations count in:
 * `cells` maps "YYYY-MM\tLOCALE" to a histogram array. Overall, by month and by locale are sums.
 */
export function fromCells(cells) {
  const out = { all: emptyHistogram() };
  for (const [key, h] of Object.entries(cells)) {
    const [month, locale] = key.split('\t');
    addInto(out.all, h);
    addInto((out[`month ${month}`] ??= emptyHistogram()), h);
    addInto((out[`locale ${locale}`] ??= emptyHistogram()), h);
  }
  return sorted(out);
}

/** The set with its keys in a stable order ("all", then months, then locales). */
export function sorted(set) {
  const rank = (k) => (k === 'all' ? 0 : k.startsWith('month ') ? 1 : 2);
  const keys = Object.keys(set).sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(keys.map((k) => [k, set[k]]));
}

/**
 * Internal consistency: every *_n equals the sum of its counts and rows >= each *_n. Returns
 * a list of problems ("" entries never); empty when consistent.
 */
export function checkConsistent(set) {
  const problems = [];
  const sum = (h, from, count) => h.slice(from, from + count).reduce((a, b) => a + b, 0);
  for (const [key, h] of Object.entries(set)) {
    if (!Array.isArray(h) || h.length !== kWidth || !h.every(Number.isInteger)) {
      problems.push(`${key}: not ${kWidth} integers`);
      continue;
    }
    for (const [at, n, count] of [[kNps, kNpsN, 11], [kCsat, kCsatN, 5], [kCes, kCesN, 7]]) {
      if (sum(h, at, count) !== h[n]) {
        problems.push(`${key}: ${kNames[n]} ${h[n]} != sum of counts`);
      }
      if (h[n] > h[0]) problems.push(`${key}: ${kNames[n]} ${h[n]} > rows ${h[0]}`);
    }
  }
  return problems;
}

/**
 * Differences between two sets, as readable lines ("month 2026-03 nps_7: 8123 vs 8124");
 * empty when they are equal in every group and every count.
 */
export function diff(a, b, limit = 20) {
  const out = [];
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) {
    if (!(key in a)) out.push(`${key}: missing on the left`);
    else if (!(key in b)) out.push(`${key}: missing on the right`);
    else {
      for (let k = 0; k < kWidth; k++) {
        if (a[key][k] !== b[key][k]) out.push(`${key} ${kNames[k]}: ${a[key][k]} vs ${b[key][k]}`);
      }
    }
    if (out.length >= limit) break;
  }
  return out;
}
