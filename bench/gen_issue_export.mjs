// Writes the issue-7-shaped survey export the analyze benchmark scores: RFC 4180 CSV with the
// header date,nps,csat,ces,locale,comment; ISO dates spread over 2026 in random order; NPS
// skewed to promoters; about 5% of csat and of ces cells empty; locales en/fa/ar/de; about 5%
// of rows with a plain comment and 5% with a quoted one holding commas and doubled quotes
// (Persian text included). LF line ends. Deterministic: the same N and seed give the same bytes.
//
//   node bench/gen_issue_export.mjs [ROWS=1000000] [OUT=-] [--seed S]
//
// 1,000,000 rows are about 23 MB. Interim generator: a C++ one next to response_gen.h may
// replace it; analyze_bench.mjs takes any file of this shape.
import fs from 'node:fs';

const args = process.argv.slice(2);
let seed = 20261130;
const pos = [];
for (let k = 0; k < args.length; k++) {
  if (args[k] === '--seed') seed = Number(args[++k]);
  else pos.push(args[k]);
}
const rows = Number(pos[0] ?? 1000000);
const out = pos[1] ?? '-';
if (!Number.isInteger(rows) || rows < 0 || !Number.isInteger(seed)) {
  console.error('usage: node bench/gen_issue_export.mjs [ROWS] [OUT|-] [--seed S]');
  process.exit(1);
}

// mulberry32: a small 32-bit generator, good enough to spread synthetic answers.
let state = seed >>> 0;
function next() {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return (t ^ (t >>> 14)) >>> 0;
}
const below = (n) => Math.floor((next() / 4294967296) * n);

const days = [];
for (let d = Date.UTC(2026, 0, 1); days.length < 365; d += 86400000) {
  days.push(new Date(d).toISOString().slice(0, 10));
}
const weights = [2, 1, 1, 2, 2, 4, 6, 10, 16, 24, 32];  // per NPS value, out of 100
const nps = weights.flatMap((w, v) => Array(w).fill(String(v)));
const locales = ['en', 'en', 'en', 'en', 'en', 'fa', 'fa', 'fa', 'ar', 'ar', 'de'];
const plain = ['fast delivery', 'ok', 'too slow', 'great support', 'خیلی خوب بود', 'ممتاز',
  'price too high'];
const quoted = ['"slow, but friendly"', '"said ""thanks"", then left"', '"cheap, fast, good"',
  '"گران بود، ولی خوب"', '"line one, ""two"""'];

const fd = out === '-' ? 1 : fs.openSync(out, 'w');
let buf = 'date,nps,csat,ces,locale,comment\n';
for (let i = 0; i < rows; i++) {
  const date = days[below(365)];
  const n = nps[below(100)];
  const csat = below(20) === 0 ? '' : String(1 + below(5));
  const ces = below(20) === 0 ? '' : String(1 + below(7));
  const locale = locales[below(locales.length)];
  const r = below(100);
  let comment = '';
  if (r < 5) comment = plain[below(plain.length)];
  else if (r < 10) comment = quoted[below(quoted.length)];
  buf += `${date},${n},${csat},${ces},${locale},${comment}\n`;
  if (buf.length > 1 << 20) {
    fs.writeSync(fd, buf);
    buf = '';
  }
}
fs.writeSync(fd, buf);
if (fd !== 1) fs.closeSync(fd);
