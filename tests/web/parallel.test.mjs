// One file scored in two parts (core: ResponseImporter FeedHeader/AtRecordBoundary/ExportState/
// Absorb; ABI: nazar_import_continue/export_state/absorb; binding: Import.continueFrom,
// exportState, absorb; web: parts.ts and the coordinator parallel.ts), in the production analyze
// module (build/wasm-release): the merged report must equal the report of one import of the whole
// file, byte for byte, with the compiled kernel in use and without it, and the page's coordinator
// driving two in-process "workers" must deliver that same report.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { ROOT, WEB, random } from './helpers.mjs';

let mod;
let core;
let web;  // engine.ts, parts.ts, parallel.ts bundled together
const dir = path.join(process.env.NAZAR_WASM_RELEASE_DIR || path.join(ROOT, 'build/wasm-release'), 'wasm');

// The analyze page's modules in one bundle, the glue resolved to the built module's.
async function importAnalyze() {
  const { build } = createRequire(path.join(WEB, 'package.json'))('esbuild');
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'nazar-parallel-'));
  const entry = path.join(out, 'entry.ts');
  const src = path.join(WEB, 'src', 'pages', 'analyze');
  // The binding too: one copy of it (and of NazarError) for the engine and the test.
  fs.writeFileSync(entry, [...['engine', 'parts', 'parallel', 'protocol'].map((m) => path.join(src, m + '.ts')),
    path.join(WEB, 'src', 'binding', 'core.ts')]
    .map((m) => `export * from ${JSON.stringify(m)};`).join('\n'));
  const glue = path.join(dir, 'nazar-analyze.mjs');
  await build({
    entryPoints: [entry], bundle: true, format: 'esm', platform: 'neutral', target: 'es2022',
    outfile: path.join(out, 'analyze.mjs'), logLevel: 'error',
    plugins: [{ name: 'glue', setup(b) { b.onResolve({ filter: /^nazar-analyze-glue$/ }, () => ({ path: glue })); } }],
  });
  return import(pathToFileURL(path.join(out, 'analyze.mjs')).href);
}

before(async () => {
  const glue = path.join(dir, 'nazar-analyze.mjs');
  if (!fs.existsSync(glue)) {
    throw new Error(`no analyze module at ${dir} (build it: cmake --preset wasm-release && ` +
      'cmake --build --preset wasm-release, or set NAZAR_WASM_RELEASE_DIR)');
  }
  web = await importAnalyze();
  mod = web;
  const factory = (await import(pathToFileURL(glue).href)).default;
  core = await mod.loadCore({ factory, wasmBinary: fs.readFileSync(path.join(dir, 'nazar-analyze.wasm')) });
});

// An export with the shapes that matter at a split: quoted comments with delimiters, doubled
// quotes and line ends (LF and CRLF), bad rows (from row `badFrom` on), Solar Hijri dates.
function messyCsv(seed, rows, badFrom = 0) {
  const r = random(seed);
  const pick = (list) => list[Math.floor(r() * list.length)];
  const lines = ['\uFEFFdate,nps,csat,locale,comment'];
  for (let i = 0; i < rows; i++) {
    const odd = () => r() < 0.02 && i >= badFrom;
    const date = odd() ? pick(['1405-09-09', 'soon', '']) : `2026-${String(1 + (i % 12)).padStart(2, '0')}-0${1 + (i % 9)}`;
    const nps = odd() ? pick(['11', 'x', '']) : String(Math.floor(r() * 11));
    const comment = r() < 0.6 ? '' : pick(['"slow, but fine"', '"he said ""wow"""', '"two\nlines"', '"three\r\nlines\nhere"', 'ok']);
    lines.push(`${date},${nps},${1 + (i % 5)},${pick(['en', 'fa', 'ar', 'de'])},${comment}`);
  }
  return new TextEncoder().encode(lines.join(r() < 0.5 ? '\n' : '\r\n') + '\n');
}

const options = { format: 'csv', by: 'locale', period: 'month' };

function serial(bytes, kernel) {
  const one = mod.Import.begin(core, options, { kernel });
  try {
    one.feed(bytes);
    return one.finishText();
  } finally {
    one.dispose();
  }
}

// The binding's two-part import, split at b. {merged, report, compiled}.
function twoParts(bytes, b, kernel) {
  const first = mod.Import.begin(core, options, { kernel });
  const second = mod.Import.begin(core, options, { kernel });
  try {
    first.feed(bytes.subarray(0, b));
    const header = second.continueFrom(bytes.subarray(0, Math.min(b, 1 << 20)));
    assert.ok(header > 0 && header <= b);
    second.feed(bytes.subarray(b));
    const merged = first.absorb(second.exportState());
    if (!merged) first.feed(bytes.subarray(b));
    return { merged, report: first.finishText(), compiled: first.compiled && second.compiled };
  } finally {
    first.dispose();
    second.dispose();
  }
}

for (const kernel of [true, false]) {
  test(`two parts give one import's report (${kernel ? 'compiled kernel' : 'no kernel'})`, () => {
    const bytes = messyCsv(7, 6000);
    const whole = serial(bytes, kernel);
    let merges = 0;
    let refused = 0;
    // Every 97th line end, and the one the page picks (the first at or after the middle).
    const ends = [];
    for (let i = 0; i < bytes.length; i++) if (bytes[i] === 10) ends.push(i + 1);
    const middle = ends.find((e) => e > bytes.length / 2);
    for (const b of [middle, ...ends.filter((_, k) => k % 97 === 5)]) {
      if (b >= bytes.length) continue;
      const out = twoParts(bytes, b, kernel);
      assert.equal(out.report, whole, `split at byte ${b}`);
      assert.equal(out.compiled, kernel);
      if (out.merged) merges++;
      else refused++;
    }
    // Line ends inside quoted comments are refused; record ends merge.
    assert.ok(merges > 10, `${merges} merges`);
    assert.ok(refused > 0, `${refused} refusals`);
    const report = JSON.parse(whole);
    assert.ok(report.import.bad_rows > 0 && report.import.errors.length > 0);
  });
}

test('a split inside a quoted line end is refused and the first part reads on', () => {
  const text = 'nps,comment\n' + '5,x\n'.repeat(10) + '9,"one\ntwo"\n' + '7,y\n'.repeat(10);
  const bytes = new TextEncoder().encode(text);
  const out = twoParts(bytes, text.indexOf('one\n') + 4, true);
  assert.equal(out.merged, false);
  assert.equal(out.report, serial(bytes, true));
  assert.equal(JSON.parse(out.report).import.rows, 21);
});

// In-process stand-ins for the page's two workers: each runs parts.ts (as worker.ts does) over
// the same engine, answering through the protocol; messages are delivered asynchronously.
function fakeWorkers(engine, count) {
  return Array.from({ length: count }, () => {
    const w = { onmessage: null, seen: [] };
    const post = (m) => setTimeout(() => w.onmessage?.({ data: m }), 0);
    const parts = new web.PartScorer(async () => engine, post);
    w.postMessage = (m) => {
      w.seen.push(m.type);
      setTimeout(async () => {
        try {
          const source = web.fileSource(m.file ?? new Blob([]));
          if (m.type === 'first') await parts.first(source, m.file.size, m.end, m.options, m.run);
          else if (m.type === 'second') await parts.second(source, m.file.size, m.start, m.options, m.run);
          else if (m.type === 'rest') await parts.rest(source, m.state, m.start, m.run);
          else if (m.type === 'score') {
            // The one-worker path (worker.ts score()), enough for the small file below.
            const handle = engine.begin(m.options);
            engine.feed(handle, new Uint8Array(await m.file.arrayBuffer()));
            post({ type: 'done', report: engine.finish(handle), bytes: m.file.size, ms: 0, parts: 1 });
          }
        } catch (e) {
          post({ type: 'error', message: String(e), run: m.run });
        }
      }, 0);
    };
    return w;
  });
}

function coordinate(workers, file, splitBytes) {
  return new Promise((resolve, reject) => {
    const progress = [];
    const coordinator = new web.AnalyzeWorkers(workers, (m) => {
      if (m.type === 'progress') progress.push(m);
      else if (m.type === 'done') resolve({ done: m, progress });
      else reject(new Error(`${m.type}: ${m.message ?? ''}`));
    }, { splitBytes });
    coordinator.send({ type: 'score', file, options });
  });
}

test('the page\'s coordinator scores a large file in two parts, a small one in one', async () => {
  const engine = web.engineOver(core);
  // Bad rows only in the last quarter: the first 20 listed are all the second part's. (Seed 13:
  // its middle line end is between two records; seed 11's is inside a quoted comment.)
  const bytes = messyCsv(13, 20000, 15000);
  const file = new Blob([bytes]);
  file.name = 'messy.csv';
  const whole = serial(bytes, true);
  const workers = fakeWorkers(engine, 2);
  const { done } = await coordinate(workers, file, 64 << 10);
  assert.equal(done.parts, 2);
  assert.deepEqual(workers.map((w) => w.seen), [['first', 'rest'], ['second']]);
  assert.equal(done.report, whole);
  const errors = JSON.parse(done.report).import.errors;
  assert.equal(errors.length, 20);
  assert.ok(errors[0].line > 15000, JSON.stringify(errors[0]));
  // Below the threshold: the first worker alone, as before.
  const small = fakeWorkers(engine, 2);
  const one = await coordinate(small, file, bytes.length + 1);
  assert.equal(one.done.parts, 1);
  assert.deepEqual(small.map((w) => w.seen), [['score'], []]);
  assert.equal(one.done.report, whole);
  // A split inside a quoted field: the core refuses the merge, the first worker reads on.
  const quoted = messyCsv(11, 20000, 15000);
  const fallback = fakeWorkers(engine, 2);
  const refused = await coordinate(fallback, new Blob([quoted]), 64 << 10);
  assert.equal(refused.done.parts, 1);
  assert.deepEqual(fallback.map((w) => w.seen), [['first', 'rest'], ['second']]);
  assert.equal(refused.done.report, serial(quoted, true));
});

test('a state the core cannot take costs the first worker the rest of the file, not the report', async () => {
  const engine = web.engineOver(core);
  const bytes = messyCsv(13, 20000, 15000);
  // The binding throws for bytes that are no state of this import (invalid_argument); the engine
  // answers false, nothing changed, as for a split inside a quoted field.
  const imp = mod.Import.begin(core, options);
  try {
    imp.feed(new TextEncoder().encode('date,nps,csat,locale,comment\n2026-01-01,9,5,en,\n'));
    assert.throws(() => imp.absorb(new Uint8Array([1, 2, 3])), (e) => e.status === web.StatusCode.InvalidArgument);
  } finally {
    imp.dispose();
  }
  const handle = engine.begin(options);
  engine.feed(handle, new TextEncoder().encode('date,nps,csat,locale,comment\n2026-01-01,9,5,en,\n'));
  assert.equal(engine.absorb(handle, new Uint8Array([1, 2, 3])), false);
  engine.destroy(handle);
  // The second worker's state with its first byte changed: the first worker reads on alone.
  const broken = { ...engine, exportState: (h) => {
    const state = engine.exportState(h);
    state[0] ^= 0xff;
    return state;
  } };
  const workers = fakeWorkers(broken, 2);
  const { done } = await coordinate(workers, new Blob([bytes]), 64 << 10);
  assert.equal(done.parts, 1);
  assert.deepEqual(workers.map((w) => w.seen), [['first', 'rest'], ['second']]);
  assert.equal(done.report, serial(bytes, true));
});

test('a UTF-16 file is read on by the first worker alone: the core does not continue it', async () => {
  const engine = web.engineOver(core);
  const text = 'nps,csat\n' + '9,5\n7,3\n'.repeat(20000);
  const bytes = new Uint8Array(2 + text.length * 2);
  bytes.set([0xff, 0xfe]);
  for (let i = 0; i < text.length; i++) bytes[2 + 2 * i] = text.charCodeAt(i);
  const workers = fakeWorkers(engine, 2);
  const { done } = await coordinate(workers, new Blob([bytes]), 64 << 10);
  assert.equal(done.parts, 1);
  assert.equal(JSON.parse(done.report).import.rows, 40000);
  assert.equal(done.report, serial(bytes, true));
  assert.equal(web.splitPoint(new Blob([bytes]), bytes.length + 1), null);
  assert.equal(web.splitPoint(new Blob([bytes]), 10), Math.floor(bytes.length / 2));
});

// Stand-ins that answer the coordinator on a timetable, echoing each message's run (as
// parts.ts does), for the races between the page, the coordinator and the two workers.
function scriptedWorker(answers) {
  const w = { onmessage: null, seen: [] };
  w.postMessage = (m) => {
    w.seen.push(m);
    for (const [reply, ms] of answers[m.type] ?? []) {
      setTimeout(() => w.onmessage?.({ data: { ...reply, run: m.run ?? w.seen.findLast((x) => x.run)?.run } }), ms);
    }
  };
  return w;
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

test('a cancel while the first worker merges is the last word: its report never reaches the page', async () => {
  const first = scriptedWorker({
    first: [[{ type: 'fed' }, 5]],
    rest: [[{ type: 'done', report: '{"stale":true}', bytes: 1, ms: 1, parts: 2 }, 20]],
    cancel: [[{ type: 'cancelled' }, 1]],
  });
  const second = scriptedWorker({ second: [[{ type: 'state', state: new Uint8Array(1), start: 10 }, 10]] });
  const delivered = [];
  const c = new web.AnalyzeWorkers([first, second], (m) => delivered.push(m.type), { splitBytes: 1 });
  c.send({ type: 'score', file: { size: 100 }, options: {} });
  await sleep(15);  // 'rest' was posted, the first worker is merging
  assert.deepEqual(first.seen.map((m) => m.type), ['first', 'rest']);
  c.send({ type: 'cancel' });
  await sleep(40);
  assert.deepEqual(delivered, ['cancelled']);
  // The next file's run is answered; the cancelled run's late answers were dropped.
  c.send({ type: 'score', file: { size: 100 }, options: {} });
  await sleep(40);
  assert.deepEqual(delivered, ['cancelled', 'done']);
  assert.notEqual(first.seen.at(-1).run, first.seen[0].run);
});

test('a second worker that fails costs the first part only the rest of the file, and later files are read in one part', async () => {
  const first = scriptedWorker({
    first: [[{ type: 'fed' }, 1]],
    rest: [[{ type: 'done', report: '{}', bytes: 1, ms: 1, parts: 1 }, 1]],
    score: [[{ type: 'done', report: '{}', bytes: 1, ms: 1, parts: 1 }, 1]],
  });
  const second = scriptedWorker({});  // never answers: it failed to load
  const delivered = [];
  const c = new web.AnalyzeWorkers([first, second], (m) => delivered.push(m.type), { splitBytes: 1 });
  c.send({ type: 'score', file: { size: 100 }, options: {} });
  await sleep(10);
  assert.deepEqual(delivered, []);  // waiting for the second part's state
  c.workerFailed(1, 'the worker script could not be loaded');
  await sleep(10);
  assert.deepEqual(delivered, ['done']);
  const rest = first.seen.find((m) => m.type === 'rest');
  assert.equal(rest.state, null);  // the first worker reads the rest itself
  c.send({ type: 'score', file: { size: 100 }, options: {} });
  await sleep(10);
  assert.deepEqual(first.seen.map((m) => m.type), ['first', 'rest', 'score']);
  assert.equal(second.seen.length, 1);
});

test('a first worker that fails ends the file with its error and cancels the second part', async () => {
  const first = scriptedWorker({});
  const second = scriptedWorker({});
  const delivered = [];
  const c = new web.AnalyzeWorkers([first, second], (m) => delivered.push(`${m.type}: ${m.message ?? ''}`), { splitBytes: 1 });
  c.send({ type: 'score', file: { size: 100 }, options: {} });
  c.workerFailed(0, 'out of memory');
  assert.deepEqual(delivered, ['error: out of memory']);
  assert.deepEqual(second.seen.map((m) => m.type), ['second', 'cancel']);
});

// The page's workers repeat the warm-up while the page waits for a file (worker.ts), a task
// apart, so that a file that comes (a message) stops them after the round running.
test('warmUpRounds: its rounds run a task apart, stop when told, and free their imports', async () => {
  const engine = web.engineOver(core);
  assert.equal(await web.warmUpRounds(engine, { rounds: 3 }), 3);
  let fileCame = false;
  setTimeout(() => {
    fileCame = true;
  }, 0);
  assert.equal(await web.warmUpRounds(engine, { rounds: 10, stop: () => fileCame }), 1);
  // Three imports a round, each destroyed: after four rounds the next import is the 13th.
  const next = engine.begin(options);
  assert.equal(next, 13);
  for (let h = 1; h < next; h++) assert.throws(() => engine.feed(h, new Uint8Array(1)), /no import/);
  engine.destroy(next);
  assert.ok(web.WARM_ROUNDS >= 8, `${web.WARM_ROUNDS} rounds`);
});

// The page's warm-up (engine.ts warmUp) must run every path a file takes, or it warms up less
// than it says: an import without the compiled kernel, one with it in two parts merged, reports.
test('warmUp: runs an import without the kernel and one with it in two parts merged, and frees them', () => {
  const engine = web.engineOver(core);
  assert.equal(web.warmUp(engine), true);
  // Its three imports (handles 1-3 of a new engine) are gone.
  for (const handle of [1, 2, 3]) assert.throws(() => engine.feed(handle, new Uint8Array(1)), new RegExp(`no import ${handle}`));
});

