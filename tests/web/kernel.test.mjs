// The compiled record kernel (core: CsvKernel::CompiledModule(); binding: Import, installKernel)
// against the importer without it, in the production analyze module (build/wasm-release): messy
// generated exports (quoted comments with delimiters, doubled quotes and line breaks, CRLF, empty,
// out-of-range and three-digit answers, dates the memo does not hold, long and multibyte segments,
// short and long rows, blank lines) scored with and without it, fed in random pieces, must give
// byte-identical reports; and the kernel must really have been used.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, importWebSource, random } from './helpers.mjs';

let mod;
let core;
before(async () => {
  const dir = path.join(process.env.NAZAR_WASM_RELEASE_DIR || path.join(ROOT, 'build/wasm-release'), 'wasm');
  const glue = path.join(dir, 'nazar-analyze.mjs');
  if (!fs.existsSync(glue)) {
    throw new Error(`no analyze module at ${dir} (build it: cmake --preset wasm-release && ` +
      'cmake --build --preset wasm-release, or set NAZAR_WASM_RELEASE_DIR)');
  }
  mod = await importWebSource('binding/core');
  const factory = (await import(pathToFileURL(glue).href)).default;
  core = await mod.loadCore({ factory, wasmBinary: fs.readFileSync(path.join(dir, 'nazar-analyze.wasm')) });
});

const rng = random;

const pick = (r, list) => list[Math.floor(r() * list.length)];
const pad = (n) => String(n).padStart(2, '0');

// `rows` records of date,nps,csat,ces,locale,comment; `odd` is the share of unusual values.
function messyCsv(seed, rows, { odd = 0.03, segments = ['en', 'fa', 'ar', 'de'], order = [0, 1, 2, 3, 4, 5], delim = ',' } = {}) {
  const r = rng(seed);
  const names = ['date', 'nps', 'csat', 'ces', 'locale', 'comment'];
  const lines = [order.map((k) => names[k]).join(delim)];
  const unusual = () => r() < odd;
  for (let i = 0; i < rows; i++) {
    const date = unusual()
      ? pick(r, ['', '2026-1-5', '2026-02-30', '1405-09-09', '2026-03-04T10:00:00Z', '05/03/2026', 'soon'])
      : `2026-${pad(1 + Math.floor(r() * 12))}-${pad(1 + Math.floor(r() * 28))}`;
    const nps = unusual() ? pick(r, ['', '11', '010', '-1', ' 7', '7.0', 'ten', '"9"', '100']) : String(Math.floor(r() * 11));
    const csat = unusual() ? pick(r, ['', '0', '6', '"4"']) : r() < 0.1 ? '' : String(1 + Math.floor(r() * 5));
    const ces = unusual() ? pick(r, ['', '8', '07']) : r() < 0.1 ? '' : String(1 + Math.floor(r() * 7));
    const locale = unusual()
      ? pick(r, ['', 'zh-Hant-TW', 'فارسی', '"en"', 'en ', 'a,b'.replace(',', ';'), 'x'.repeat(20)])
      : pick(r, segments);
    const comment = r() < 0.7 ? '' : pick(r, [
      'great', 'خیلی خوب بود', '"slow, but fine"', '"he said ""wow"""', '"two\nlines"', ' leading space',
      '"\r\n"', '""', 'x'.repeat(40),
    ]);
    const values = [date, nps, csat, ces, locale, comment];
    let line = order.map((k) => values[k]).join(delim);
    if (unusual()) line = pick(r, [line + ',extra', line.slice(0, line.lastIndexOf(',')), '', line + '\r']);
    lines.push(line);
  }
  return new TextEncoder().encode(lines.join(r() < 0.5 ? '\n' : '\r\n') + '\n');
}

// The finished report of `bytes`, fed in pieces of random size; `kernel` as Import.begin takes it.
function score(options, bytes, { kernel, seed }) {
  const r = rng(seed);
  const imp = mod.Import.begin(core, options, { kernel });
  try {
    for (let at = 0; at < bytes.length;) {
      const n = 1 + Math.floor(r() * (r() < 0.5 ? 300000 : 5000));
      imp.feed(bytes.subarray(at, at + n));
      at += n;
    }
    return { report: JSON.stringify(imp.finish()), compiled: imp.compiled };
  } finally {
    imp.dispose();
  }
}

// Requires the same report of `bytes` with the compiled kernel (used) as without it, for each
// of `optionSets`, fed in pieces of random sizes (`seed` without the kernel, `fastSeed` with it);
// returns the last option set's two scorings.
function sameWithKernel(bytes, optionSets, seed, fastSeed = seed + 1) {
  let last = null;
  for (const options of optionSets) {
    const plain = score(options, bytes, { kernel: false, seed });
    const fast = score(options, bytes, { kernel: true, seed: fastSeed });
    assert.equal(fast.compiled, true, `kernel used for ${JSON.stringify(options)}`);
    assert.equal(fast.report, plain.report, `seed ${seed}, ${JSON.stringify(options)}`);
    last = { plain, fast };
  }
  return last;
}

const OPTIONS = [
  { format: 'csv', by: 'locale', period: 'month' },
  { format: 'csv', by: 'locale' },
  { format: 'csv', period: 'week' },
  { format: 'csv' },
  { format: 'csv', period: 'month', calendar: 'jalali' },
  {
    format: 'csv', period: 'day',
    mapping: {
      columns: [
        { column: 0, kind: 'date' },
        { column: 1, kind: 'question', id: 'nps', type: 'nps', scale: 11 },
        { column: 3, kind: 'question', id: 'ces', type: 'ces', scale: 7 },
        { column: 4, kind: 'segment' },
        { column: 5, kind: 'text', id: 'comment' },
      ],
      extra_header_rows: 0,
      date_format: 'iso',
    },
  },
  // A scale to 10 from 1 (the kernel's two-digit path with a least value above 0; 0 is outside).
  {
    format: 'csv', by: 'locale',
    mapping: {
      columns: [
        { column: 0, kind: 'date' },
        { column: 1, kind: 'question', id: 'stars', type: 'rating', scale: 10 },
        { column: 4, kind: 'segment' },
      ],
      extra_header_rows: 0,
      date_format: 'iso',
    },
  },
];

test('compiled kernel: the same report as without it, for messy exports, every option set', () => {
  for (const [i, options] of OPTIONS.entries()) {
    for (const seed of [1, 2]) {
      const bytes = messyCsv(100 * i + seed, 40000);
      const { plain } = sameWithKernel(bytes, [options], seed, seed + 7);
      assert.equal(plain.compiled, false);
    }
  }
});

test('compiled kernel: clean exports, more segments than its flat index holds, and dates of many years', () => {
  const many = Array.from({ length: 40 }, (_, k) => `s${k}`);
  for (const [seed, opts] of [[11, { odd: 0, segments: many }], [12, { odd: 0 }], [13, { odd: 0.2 }]]) {
    const bytes = messyCsv(seed, 30000, opts);
    const options = { format: 'csv', by: 'locale', period: 'month' };
    const { fast } = sameWithKernel(bytes, [options], seed, seed);
    if (seed === 12) assert.equal(JSON.parse(fast.report).import.bad_rows, 0);
  }
});

test('compiled kernel: semicolons and tabs, the segment before the date, the comment in the middle', () => {
  for (const [seed, delim, order] of [[21, ';', [4, 0, 5, 1, 2, 3]], [22, '\t', [5, 3, 4, 1, 0, 2]], [23, ',', [1, 2, 3, 5, 4, 0]]]) {
    const bytes = messyCsv(seed, 30000, { delim, order });
    sameWithKernel(bytes, [{ format: 'csv', by: 'locale', period: 'month' }, { format: 'csv', period: 'day' }], seed);
  }
});

// The kernel first tries a segment value as long as the one before (import_kernel_wasm.cc):
// values that are prefixes of one another, of 1 to 9 bytes (8 is the most the memo holds), a held
// value followed by more text or a quote, and the segment last on lines ending in CRLF.
test('compiled kernel: segment values of many lengths, prefixes of one another, last on the line', () => {
  // Two values of two letters in one slot of the kernel's segment memo (CsvKernel::SegmentSlotOf:
  // the text's bytes as a little-endian word plus its length, times 0x9e3779b97f4a7c15, the top 8
  // bits): the memo holds one of them at a time, so the other must never be taken for it.
  const slot = (t) => {
    let key = 0n;
    for (let i = t.length - 1; i >= 0; i--) key = (key << 8n) | BigInt(t.charCodeAt(i));
    return Number((((key + BigInt(t.length)) * 0x9e3779b97f4a7c15n) & 0xffffffffffffffffn) >> 56n);
  };
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  const seen = new Map();
  let pair = null;
  for (const a of letters) {
    for (const b of letters) {
      const t = a + b;
      if (seen.has(slot(t)) && !pair) pair = [seen.get(slot(t)), t];
      seen.set(slot(t), t);
    }
  }
  assert.ok(pair, 'two two-letter texts in one slot');
  const segments = ['e', 'en', 'enx', 'en', 'de-AT', 'fa', 'en', '12345678', '123456789', 'en', 'fa',
    ...pair, ...pair, ...pair];
  for (const [seed, order] of [[31, [0, 1, 2, 3, 5, 4]], [32, [0, 1, 2, 3, 4, 5]], [33, [4, 0, 1, 2, 3, 5]]]) {
    let text = new TextDecoder().decode(messyCsv(seed, 30000, { odd: 0.01, segments, order }));
    // A held value with more after it, or a quote: neither is that value.
    text = text.replace(/,fa,/g, (m, at) => (at % 7 === 0 ? ',faa,' : at % 11 === 0 ? ',fa",' : m));
    const bytes = new TextEncoder().encode(text);
    sameWithKernel(bytes, [{ format: 'csv', by: 'locale', period: 'month' }, { format: 'csv', by: 'locale' }], seed);
  }
});

// A quoted segment value may hold the delimiter ("a,b"); the same bytes unquoted are two fields.
// The kernel tries a segment value at the last one's length, so once a 3-byte value like "xyz"
// has been read, the row 9,a,b,c must still be a row of four fields, not "a,b" and "c".
test('compiled kernel: a quoted segment value with the delimiter in it is never taken for two fields', () => {
  const lines = ['nps,locale,comment'];
  for (let i = 0; i < 1000; i++) lines.push(`${i % 11},xyz,c`);
  for (let i = 0; i < 3; i++) lines.push('9,"a,b",x');
  lines.push('9,xyz,c', '9,a,b,c');
  for (let i = 0; i < 50; i++) lines.push(`${i % 11},xyz,c`);
  const bytes = new TextEncoder().encode(lines.join('\n') + '\n');
  const options = { format: 'csv', by: 'locale' };
  const fast = score(options, bytes, { kernel: true, seed: 41 });
  assert.equal(fast.compiled, true);
  const report = JSON.parse(fast.report);
  // Line 1 is the header: the row 9,a,b,c is line 1006, and the only bad row.
  assert.equal(report.import.bad_rows, 1);
  assert.match(JSON.stringify(report.import.errors), /1006/);
  assert.equal(report.questions.nps.n, 1054);
  assert.equal(fast.report, score(options, bytes, { kernel: false, seed: 41 }).report);
  // And at random: quoted values with the delimiter, their bytes unquoted, among short values,
  // with each delimiter the kernel takes.
  for (const [seed, d] of [[42, ','], [43, ','], [44, ','], [45, ';'], [46, '\t']]) {
    const r = rng(seed);
    const rows = [['date', 'nps', 'csat', 'ces', 'locale', 'comment'].join(d)];
    const pick = (list) => list[Math.floor(r() * list.length)];
    for (let i = 0; i < 20000; i++) {
      const locale = pick(['en', 'fa', 'xyz', 'ab', `"a${d}b"`, `"en${d}"`, `"${d}"`,
        i > 300 && r() < 0.05 ? pick([`a${d}b`, `en${d}`, d]) : 'de']);
      rows.push([`2026-0${1 + (i % 9)}-1${i % 10}`, i % 11, 1 + (i % 5), 1 + (i % 7), locale, ''].join(d));
    }
    const data = new TextEncoder().encode(rows.join(seed === 43 ? '\r\n' : '\n') + '\n');
    sameWithKernel(data, [{ format: 'csv', by: 'locale', period: 'month' }, { format: 'csv', by: 'locale' }], seed);
  }
});

// The analyze module's memory is capped at 64 MiB (wasm/CMakeLists.txt, -sMAXIMUM_MEMORY): a file
// larger than that scores only if the import holds none of it. And its byte count must not wrap:
// past 2^31 a signed 32-bit count would, past 2^32 an unsigned one (size_t in wasm32). One piece
// of about 1 MiB of records (each piece ends on a record end) is fed over and over after the
// header, so the test holds only that piece; its counts are taken from the rows written here.
function bigFilePiece() {
  const header = new TextEncoder().encode('date,nps,csat,ces,locale,comment\n');
  let rows = '';
  const want = { rows: 0, nps: new Array(11).fill(0), csat: new Array(5).fill(0), months: new Array(9).fill(0), en: 0, fa: 0 };
  while (rows.length < (1 << 20) - 64) {
    const k = want.rows++;
    const locale = k % 3 ? 'en' : 'fa';
    rows += `2026-0${1 + (k % 9)}-1${k % 10},${k % 11},${1 + (k % 5)},,${locale},${k % 7 ? '' : '"ok, fine"'}\n`;
    want.nps[k % 11]++;
    want.csat[k % 5]++;
    want.months[k % 9]++;
    want[locale]++;
  }
  return { header, chunk: new TextEncoder().encode(rows), want };
}

// The report's counts of `reps` pieces: every NPS and CSAT count, no CES answer (the column is
// empty), and the rows of each locale and each month.
function assertBigReport(report, want, reps) {
  assert.equal(report.import.rows, want.rows * reps);
  assert.equal(report.import.bad_rows, 0);
  assert.equal(report.questions.nps.n, want.rows * reps);
  assert.deepEqual(report.questions.nps.counts, want.nps.map((c) => c * reps));
  assert.deepEqual(report.questions.csat.counts, want.csat.map((c) => c * reps));
  assert.equal(report.questions.ces.n, 0);
  const segment = (name) => report.segments.find((g) => g.segment === name);
  assert.equal(segment('en').completions, want.en * reps);
  assert.equal(segment('fa').completions, want.fa * reps);
  assert.deepEqual(report.periods.map((p) => [p.period, p.completions]),
    want.months.map((c, m) => [`2026-0${m + 1}`, c * reps]));
}

test('a file of 4.25 GiB, past 2^32 bytes and 68 times the module\'s 64 MiB memory cap, scores exactly in one import', () => {
  const { header, chunk, want } = bigFilePiece();
  const reps = Math.ceil((2 ** 32 + 2 ** 28) / chunk.length);
  // The cap is in force: 80 MiB at once does not fit.
  assert.throws(() => mod.proposeMapping(core, new Uint8Array(80 << 20)), /out of wasm memory/);
  const imp = mod.Import.begin(core, { format: 'csv', by: 'locale', period: 'month' });
  try {
    let progress = imp.feed(header);
    for (let i = 0; i < reps; i++) progress = imp.feed(chunk);
    assert.equal(imp.compiled, true);
    const bytes = header.length + chunk.length * reps;
    assert.ok(bytes >= 2 ** 32 + 2 ** 28);
    assert.deepEqual(progress, { rows: want.rows * reps, bytes, bad_rows: 0 });
    assertBigReport(imp.finish(), want, reps);
  } finally {
    imp.dispose();
  }
});

// The page's two workers (parts.ts): each part is its own import, the second's state absorbed.
test('a file of 2.25 GiB in two parts of over 1 GiB each scores exactly, the parts merged', () => {
  const { header, chunk, want } = bigFilePiece();
  const half = Math.ceil((2 ** 30 + 2 ** 27) / chunk.length);
  const options = { format: 'csv', by: 'locale', period: 'month' };
  const first = mod.Import.begin(core, options);
  const second = mod.Import.begin(core, options);
  try {
    const part = { rows: want.rows * half, bytes: header.length + chunk.length * half, bad_rows: 0 };
    let progress = first.feed(header);
    for (let i = 0; i < half; i++) progress = first.feed(chunk);
    assert.deepEqual(progress, part);
    assert.equal(second.continueFrom(header), header.length);
    for (let i = 0; i < half; i++) progress = second.feed(chunk);
    // The header it read counts among its bytes (parts.ts takes it off the page's progress).
    assert.deepEqual(progress, part);
    assert.equal(first.compiled && second.compiled, true);
    assert.equal(first.absorb(second.exportState()), true);
    assertBigReport(first.finish(), want, 2 * half);
  } finally {
    first.dispose();
    second.dispose();
  }
});

test('compiled kernel: a quoted last value whose closing quote ends a piece is read with the next piece', () => {
  // The byte after the piece is not the input's: what follows the quote (a doubled quote here)
  // comes with the next feed. (Found in review: the compiled code read past the piece.)
  const enc = new TextEncoder();
  const note = '"' + 'n'.repeat(31) + '"';
  for (const tail of ['"more"\n6,w\n', '\n' + '6,w\n'.repeat(3) + '6,"bad\n', '\r\n6,w\n']) {
    const results = [false, true].map((kernel) => {
      const imp = mod.Import.begin(core, { format: 'csv' }, { kernel });
      try {
        imp.feed(enc.encode('nps,note\n' + '7,x\n'.repeat(10)));
        imp.feed(enc.encode('8,y\n'.repeat(2000)));
        let pre = '9,z\n'.repeat(Math.floor((7999 - 35) / 4));
        while ((pre + '5,' + note).length < 7999) pre = '9,\n' + pre;
        imp.feed(enc.encode(pre + '5,' + note));
        imp.feed(enc.encode(tail));
        const report = imp.finish();
        return JSON.stringify([imp.compiled, report.import]);
      } finally {
        imp.dispose();
      }
    });
    assert.equal(results[1], results[0].replace('[false', '[true'), JSON.stringify(tail));
  }
});

test('compiled kernel: none for NDJSON, and the import still scores', () => {
  const lines = Array.from({ length: 500 }, (_, k) => JSON.stringify({ date: `2026-01-${pad(1 + (k % 28))}`, nps: k % 11 }));
  const bytes = new TextEncoder().encode(lines.join('\n') + '\n');
  const fast = score({ format: 'ndjson', period: 'month' }, bytes, { kernel: true, seed: 3 });
  assert.equal(fast.compiled, false);
  assert.equal(JSON.parse(fast.report).import.rows, 500);
});

test('compiled kernel: a day first read in rejected records, then counted only by the kernel, ends the range', () => {
  // The day's text reaches the kernel's memo through records the rules reject (a bad answer), so
  // no accepted record has noted it when the compiled code counts the valid ones that follow
  // (without periods: a new period's first record would go through the rules, which note it).
  const head = 'date,nps,csat,ces,locale,comment\n' + '2026-01-05,9,3,3,en,\n'.repeat(50);
  const tail = '2027-06-15,99,3,3,en,\n'.repeat(3) + '2027-06-15,9,3,3,en,\n'.repeat(200) +
    '2025-02-03,99,3,3,en,\n'.repeat(3) + '2025-02-03,7,3,3,en,\n'.repeat(200);
  const enc = new TextEncoder();
  for (const kernel of [false, true]) {
    const imp = mod.Import.begin(core, { format: 'csv' }, { kernel });
    try {
      imp.feed(enc.encode(head));
      imp.feed(enc.encode(tail));
      const report = imp.finish();
      assert.equal(imp.compiled, kernel);
      assert.deepEqual([report.from, report.to, report.import.rows, report.import.bad_rows],
        ['2025-02-03', '2027-06-15', 456, 6], `kernel ${kernel}`);
    } finally {
      imp.dispose();
    }
  }
});

test('compiled kernel: a module the engine refuses leaves the import to the core, which scores it', () => {
  // What a page whose CSP blocks compiling wasm from bytes gets: installKernel answers 0.
  assert.equal(core.installKernel(new Uint8Array([0, 0x61, 0x73, 0x6d, 9, 9])), 0);
  const enc = new TextEncoder();
  const real = core.installKernel;
  core.installKernel = () => 0;
  try {
    const imp = mod.Import.begin(core, { format: 'csv' });
    imp.feed(enc.encode('nps\n' + '9\n'.repeat(100) + '3\n'.repeat(50)));
    const report = imp.finish();
    assert.equal(imp.compiled, false);
    assert.equal(report.import.rows, 150);
    imp.dispose();
  } finally {
    core.installKernel = real;
  }
});
