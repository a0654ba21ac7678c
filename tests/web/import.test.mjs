// The import binding (web/src/binding/core.ts, Import) against the real node wasm build: the
// numbers of `nazar score` on the same files (the CLI tests' values, tests/cli/cli_test.cc), and
// histograms counted independently in JS on a generated export with quoted comments.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, loadCoreForNode } from './helpers.mjs';

const RESPONSES = path.join(ROOT, 'tests/fixtures/responses');
const read = (name) => new Uint8Array(fs.readFileSync(path.join(RESPONSES, name)));

let mod;
let core;
before(async () => {
  ({ mod, core } = await loadCoreForNode());
});

// Feeds `bytes` in pieces of `chunk` bytes and finishes; returns [report, last progress].
function score(options, bytes, chunk = bytes.length) {
  const imp = mod.Import.begin(core, options);
  try {
    let progress = imp.feed(new Uint8Array(0));
    for (let at = 0; at < bytes.length; at += chunk) progress = imp.feed(bytes.subarray(at, at + chunk));
    return [imp.finish(), progress];
  } finally {
    imp.dispose();
  }
}

const cell = (report, list, key, label) => report[list].find((c) => c[key] === label);

function assertNps(q, n, value, lo, hi) {
  assert.equal(q.n, n);
  assert.equal(q.score, value);
  assert.deepEqual(q.ci95, [lo, hi]);
}

test('import: the CLI numbers of nps_50_30_20.csv, by channel and week, in odd chunks', () => {
  const bytes = read('nps_50_30_20.csv');
  const [report, progress] = score({ by: 'channel', period: 'week' }, bytes, 37);
  assert.deepEqual(progress, { rows: 100, bytes: bytes.length, bad_rows: 0 });
  assertNps(report.questions.nps, 100, 30.0, 14.1, 44.2);
  assert.equal(report.questions.nps.promoters, 50);
  assert.equal(report.questions.csat.satisfied, 40);
  assert.equal(report.questions.ces.mean, 3.97);
  assert.equal(report.questions.ces.agree_pct, 42.0);
  assertNps(cell(report, 'segments', 'segment', 'app').questions.nps, 25, 32.0, -0.5, 57.6);
  assertNps(cell(report, 'segments', 'segment', 'web').questions.nps, 75, 29.3, 10.9, 45.5);
  assertNps(cell(report, 'periods', 'period', '2026-W47').questions.nps, 31, 29.0, 0.6, 52.3);
  assert.deepEqual(report.periods.map((c) => c.period), ['2026-W44', '2026-W45', '2026-W46', '2026-W47']);
  assert.deepEqual(report.import, { format: 'csv', rows: 100, bad_rows: 0, errors: [], warnings: [] });
  assert.equal(report.from, '2026-11-01');
  assert.equal(report.to, '2026-11-22');
});

test('import: bad rows are counted with their lines (the CLI test values), never fatal', () => {
  const [report] = score({}, read('bad_rows.csv'), 3);
  assert.equal(report.import.rows, 9);
  assert.equal(report.import.bad_rows, 4);
  assert.deepEqual(report.import.errors, [
    { line: 3, message: 'column nps: "11" is not an NPS answer (0-10)' },
    { line: 4, message: 'column nps: "abc" is not an NPS answer (0-10)' },
    { line: 6, message: 'expected 3 fields, found 2' },
    {
      line: 9,
      message: 'column date: "2026-13-01" is not a date (YYYY-MM-DD, years 1900-2199, or Solar Hijri 1278-1499)',
    },
  ]);
  // n = 4 is below 5: the analyst's own file keeps the numbers and marks them.
  assert.equal(report.questions.nps.n, 4);
  assert.equal(report.questions.nps.low_precision, true);
});

test('import: compare two weeks (hand-counted: NPS 31.25 -> 28.125 on 32 answers each)', () => {
  const imp = mod.Import.begin(core, { by: 'channel', period: 'week' });
  try {
    imp.feed(read('nps_50_30_20.csv'));
    assert.throws(() => imp.compare({ segment: 'app' }, { segment: 'app' }), /finish/);
    imp.finish();
    const out = imp.compare({ period: '2026-W45' }, { period: '2026-W46' });
    assert.deepEqual(out.a, { period: '2026-W45' });
    assert.equal(out.questions.nps.a.n, 32);
    assert.equal(out.questions.nps.b.score, 28.1);
    assert.equal(out.questions.nps.diff, -3.1);
    assert.equal(out.questions.nps.test, 'z');
    assert.equal(out.questions.nps.verdict, 'no_change');
    assert.equal(out.questions.ces.diff, 0.16);
    const seg = imp.compare({ segment: 'app' }, { segment: 'web' });
    assert.equal(seg.questions.nps.verdict, 'not_enough_data'); // app: 25 < 30
    assert.throws(() => imp.compare({ segment: 'app' }, { segment: 'kiosk' }), (e) => {
      assert.equal(e.code, 'not_found');
      assert.equal(e.message, 'b: no segment "kiosk" in the report');
      return true;
    });
  } finally {
    imp.dispose();
  }
});

test('import: bad options name their JSON pointer; bad handles are not_found', () => {
  assert.throws(() => mod.Import.begin(core, { period: 'year' }), (e) => {
    assert.equal(e.code, 'invalid_argument');
    assert.match(e.message, /^\/period: "year" is not a period/);
    return true;
  });
  assert.throws(() => mod.Import.begin(core, { delimiter: '|' }), /^NazarError: \/delimiter: /);
  const imp = mod.Import.begin(core, {});
  imp.dispose();
  assert.equal(imp.disposed, true);
  assert.throws(() => imp.feed(new Uint8Array(1)), /disposed/);
  imp.dispose(); // twice: nothing
});

// A deterministic export shaped like the (date,nps,csat,ces,locale,comment; quoted
// comments with commas, doubled quotes and Persian text; empty csat/ces), and its histograms
// counted by a plain JS loop over the rows as generated (not by parsing the CSV).
function generate(rows) {
  let seed = 20261130;
  const rnd = (n) => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return (seed >>> 8) % n;
  };
  const locales = ['en', 'fa', 'ar', 'de'];
  const comments = ['', '', '', 'ok', '"slow, but friendly"', '"said ""thanks"", then left"', '"گران بود، ولی خوب"'];
  const counts = {};
  const bump = (key, q, v) => {
    counts[key] ??= { nps: new Array(11).fill(0), csat: new Array(5).fill(0), ces: new Array(7).fill(0) };
    counts[key][q][v] += 1;
  };
  const lines = ['date,nps,csat,ces,locale,comment'];
  for (let i = 0; i < rows; i++) {
    const month = 1 + rnd(12);
    const date = `2026-${String(month).padStart(2, '0')}-${String(1 + rnd(28)).padStart(2, '0')}`;
    const nps = rnd(11);
    const csat = rnd(20) === 0 ? '' : 1 + rnd(5);
    const ces = rnd(20) === 0 ? '' : 1 + rnd(7);
    const locale = locales[rnd(4)];
    lines.push(`${date},${nps},${csat},${ces},${locale},${comments[rnd(comments.length)]}`);
    for (const key of ['', 's:' + locale, 'p:' + date.slice(0, 7)]) {
      bump(key, 'nps', nps);
      if (csat !== '') bump(key, 'csat', csat - 1);
      if (ces !== '') bump(key, 'ces', ces - 1);
    }
  }
  return { bytes: new TextEncoder().encode(lines.join('\r\n') + '\r\n'), counts };
}

test('import: histograms by locale and month equal an independent count, any chunking', () => {
  const { bytes, counts } = generate(20000);
  const [report, progress] = score({ by: 'locale', period: 'month' }, bytes, 65521);
  assert.deepEqual(progress, { rows: 20000, bytes: bytes.length, bad_rows: 0 });
  const check = (c, want, label) => {
    for (const q of ['nps', 'csat', 'ces']) assert.deepEqual(c.questions[q].counts, want[q], label + ' ' + q);
  };
  check(report, counts[''], 'overall');
  assert.equal(report.segments.length, 4);
  for (const s of report.segments) check(s, counts['s:' + s.segment], s.segment);
  assert.equal(report.periods.length, 12);
  for (const p of report.periods) check(p, counts['p:' + p.period], p.period);
  // One feed of everything (sliced to 1 MiB by the binding) gives the same report.
  const [whole] = score({ by: 'locale', period: 'month' }, bytes);
  assert.deepEqual(whole, report);
});

test('import: several imports at once stay apart', () => {
  const a = mod.Import.begin(core, { by: 'channel' });
  const b = mod.Import.begin(core, { format: 'ndjson' });
  try {
    const csv = read('nps_50_30_20.csv');
    const ndjson = read('nps_50_30_20.ndjson');
    for (let at = 0; at < Math.max(csv.length, ndjson.length); at += 101) {
      a.feed(csv.subarray(at, at + 101));
      b.feed(ndjson.subarray(at, at + 101));
    }
    const ra = a.finish();
    const rb = b.finish();
    assert.equal(ra.segments.length, 2);
    assert.equal(rb.segments, undefined);
    assert.equal(rb.import.format, 'ndjson');
    assert.deepEqual(rb.questions.nps.counts, ra.questions.nps.counts);
  } finally {
    a.dispose();
    b.dispose();
  }
});
