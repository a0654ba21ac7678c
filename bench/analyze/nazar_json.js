// Nazar's score result (`nazar score --by locale --period month --format json`, Contract 4 +
// "import"; also nazar_import_finish's slot) as the histogram set of histogram.js.
import { kWidth } from './histogram.js';

// One report cell (overall, a segment or a period) as a histogram array.
function cellHistogram(cell, where) {
  if (cell.suppressed && cell.suppressed.length) throw new Error(`nazar: ${where} is suppressed`);
  const q = cell.questions || {};
  const part = (id, scale) => {
    const r = q[id];
    if (!r || r.noise) throw new Error(`nazar: ${where} has no exact "${id}" counts`);
    const counts = r.counts || new Array(scale).fill(0);
    if (counts.length !== scale) {
      throw new Error(`nazar: ${where} ${id} has ${counts.length} counts`);
    }
    return [...counts, r.n];
  };
  const h = [cell.completions, ...part('nps', 11), ...part('csat', 5), ...part('ces', 7)];
  if (h.length !== kWidth || !h.every(Number.isInteger)) throw new Error(`nazar: ${where} counts`);
  return h;
}

/** The histogram set of a score result scored `--by locale --period month`. */
export function fromScoreJson(json) {
  const set = { all: cellHistogram(json, 'overall') };
  for (const s of json.segments || []) set[`locale ${s.segment}`] = cellHistogram(s, s.segment);
  for (const p of json.periods || []) set[`month ${p.period}`] = cellHistogram(p, p.period);
  return set;
}
