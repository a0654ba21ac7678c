// The analyze benchmark of issue 7: one issue-shaped export scored overall, by month and by
// locale by every implementation, on the same bytes, in one headless Chromium session with the
// native CLI interleaved, and one table of the figures, then where the two workers' time goes in
// the bytes-in-memory span (each step's median). See bench/README.md ("Analyze: peers").
//
//   node bench/analyze_bench.mjs [--file CSV] [--nazar BIN] [--runs 6] [--pages 3]
//        [--only js-loop,duckdb-wasm,papaparse,nazar-worker,nazar-one,native] [--nazar-dist DIR]
//        [--nazar-wasm DIR] [--json OUT] [--chromium-arg ARG]...
//
// --nazar-dist: the built web/dist (the analyze page's own worker, default web/dist);
// --nazar-wasm: the wasm-release build's wasm/ folder, whose glue and nazar-analyze.wasm the
// "bytes in memory" span runs the page's engine with (default build/wasm-release/wasm);
// --chromium-arg: one more command-line argument for Chromium (e.g.
// --js-flags=--no-wasm-dynamic-tiering, to see what the engine's lazy optimizing costs).
//
// Installs the peers on first use (`npm ci --prefix bench`), bundles the bench page with
// web/node_modules' esbuild, drives /usr/bin/chromium through web/node_modules' playwright-core,
// and fails (exit 1) when any implementation's histograms differ from the others' in any count,
// or when the page makes any request outside the loopback server.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { CHROMIUM_ARGS } from '../tests/browser/chromium.mjs';
import { startServer } from './analyze/server.mjs';
import { checkConsistent, diff } from './analyze/histogram.js';
import { fromScoreJson } from './analyze/nazar_json.js';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const root = path.dirname(benchDir);
const kPeers = { '@duckdb/duckdb-wasm': '1.32.0', papaparse: '5.7.1' };
const kBrowserImpls = ['js-loop', 'duckdb-wasm', 'papaparse', 'nazar-worker', 'nazar-one'];
const kLabels = {
  'js-loop': 'JS loop (hand-written)',
  'duckdb-wasm': 'DuckDB-wasm 1.32.0',
  papaparse: 'Papa Parse 5.7.1',
  'nazar-worker': 'nazar analyze, 2 workers',
  'nazar-one': 'nazar analyze, 1 worker',
  native: 'nazar score (native)',
};

// ---- arguments ----
function parseArgs(argv) {
  const o = {
    file: path.join(root, 'build', 'bench', 'issue-export-1m.csv'),
    nazar: path.join(root, 'build', 'native-release', 'cli', 'nazar'),
    runs: 6,
    pages: 3,
    only: null,
    nazarDist: path.join(root, 'web', 'dist'),
    nazarWasm: path.join(root, 'build', 'wasm-release', 'wasm'),
    json: null,
  };
  for (let k = 0; k < argv.length; k++) {
    const a = argv[k];
    const value = () => {
      if (k + 1 >= argv.length) usage(`${a} needs a value`);
      return argv[++k];
    };
    if (a === '--file') o.file = path.resolve(value());
    else if (a === '--nazar') o.nazar = path.resolve(value());
    else if (a === '--runs') o.runs = Number(value());
    else if (a === '--pages') o.pages = Number(value());
    else if (a === '--only') o.only = value().split(',');
    else if (a === '--nazar-dist') o.nazarDist = path.resolve(value());
    else if (a === '--nazar-wasm') o.nazarWasm = path.resolve(value());
    else if (a === '--json') o.json = path.resolve(value());
    else if (a === '--chromium-arg') (o.chromiumArgs ??= []).push(value());
    else usage(`unknown option ${a}`);
  }
  if (!Number.isInteger(o.runs) || o.runs < 2) usage('--runs must be an integer >= 2');
  if (!Number.isInteger(o.pages) || o.pages < 1) usage('--pages must be an integer >= 1');
  for (const name of o.only || []) {
    if (![...kBrowserImpls, 'native'].includes(name)) {
      usage(`--only: unknown implementation ${name}`);
    }
  }
  return o;
}

function usage(message) {
  console.error(`analyze_bench: ${message}\nusage: node bench/analyze_bench.mjs [--file CSV] ` +
    '[--nazar BIN] [--runs N] [--pages P] [--only LIST] [--nazar-dist DIR] [--nazar-wasm DIR] ' +
    '[--json OUT] [--chromium-arg ARG]...');
  process.exit(2);
}

// ---- setup ----
function ensurePeers() {
  const installed = () => Object.entries(kPeers).every(([name, version]) => {
    const p = path.join(benchDir, 'node_modules', name, 'package.json');
    return fs.existsSync(p) && JSON.parse(fs.readFileSync(p, 'utf8')).version === version;
  });
  if (installed()) return;
  console.error('analyze_bench: installing the peers (npm ci --prefix bench)');
  execFileSync('npm', ['ci', '--prefix', benchDir, '--no-audit', '--no-fund'],
    { stdio: 'inherit' });
  if (!installed()) throw new Error(`npm ci did not install ${JSON.stringify(kPeers)}`);
}

function ensureFile(file) {
  if (fs.existsSync(file)) return;
  console.error(`analyze_bench: generating ${file} (bench/gen_issue_export.mjs 1000000)`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  execFileSync(process.execPath, [path.join(benchDir, 'gen_issue_export.mjs'), '1000000', file],
    { stdio: 'inherit' });
}

// The bench page and the workers; the analyze module's glue (for the analyze page's engine in
// nazar-bytes-worker.js) from `wasmDir`, which also serves the matching nazar-analyze.wasm.
async function bundle(outdir, wasmDir) {
  const webRequire = createRequire(path.join(root, 'web', 'package.json'));
  const esbuild = webRequire('esbuild');
  const glue = path.join(wasmDir, 'nazar-analyze.mjs');
  await esbuild.build({
    entryPoints: {
      bench: path.join(benchDir, 'analyze', 'main.js'),
      'jsloop-worker': path.join(benchDir, 'analyze', 'jsloop-worker.js'),
      'papa-worker': path.join(benchDir, 'analyze', 'papa-worker.js'),
      'nazar-bytes-worker': path.join(benchDir, 'analyze', 'nazar-bytes-worker.js'),
      'nazar-part-worker': path.join(benchDir, 'analyze', 'nazar-part-worker.js'),
    },
    plugins: [{
      name: 'analyze-glue',
      setup(b) {
        b.onResolve({ filter: /^nazar-analyze-glue$/ }, () => ({ path: glue }));
      },
    }],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    outdir,
    sourcemap: true,
    logLevel: 'warning',
  });
}

// ---- statistics ----
const median = (xs) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const fmt = (ms) => (Number.isFinite(ms) ? (ms >= 100 ? ms.toFixed(0) : ms.toFixed(1)) : '-');

// ---- native ----
function runNative(bin, file) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(bin,
      ['score', file, '--by', 'locale', '--period', 'month', '--format', 'json']);
    const out = [];
    const err = [];
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => err.push(d));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (code !== 0) {
        reject(new Error(`${bin} score ${file}: exit ${code}: ${Buffer.concat(err)}`));
        return;
      }
      resolve({ ms, json: JSON.parse(Buffer.concat(out).toString('utf8')) });
    });
  });
}

// A server answering 204 on this machine's first non-loopback IPv4 address; null when none.
async function startProbeServer() {
  const addr = Object.values(os.networkInterfaces()).flat()
    .find((a) => a && a.family === 'IPv4' && !a.internal);
  if (!addr) return null;
  const server = http.createServer((req, res) => res.writeHead(204).end());
  await new Promise((resolve) => server.listen(0, addr.address, resolve));
  return {
    base: `http://${addr.address}:${server.address().port}`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

// ---- the run ----
async function main() {
  const opt = parseArgs(process.argv.slice(2));
  const want = (name) => !opt.only || opt.only.includes(name);
  ensurePeers();
  ensureFile(opt.file);
  const bytes = fs.statSync(opt.file).size;
  const native = want('native');
  if (native && !fs.existsSync(opt.nazar)) {
    throw new Error(`no native CLI at ${opt.nazar}: build it (cmake --preset native-release && ` +
      'cmake --build --preset native-release --target nazar_cli), pass --nazar BIN, or leave ' +
      '"native" out of --only');
  }

  for (const need of [path.join(opt.nazarDist, 'analyze', 'analyze-worker.js'),
    path.join(opt.nazarWasm, 'nazar-analyze.mjs'), path.join(opt.nazarWasm, 'nazar-analyze.wasm')]) {
    if ((want('nazar-worker') || want('nazar-one')) && !fs.existsSync(need)) {
      throw new Error(`${need} is missing: build the analyze page (cmake --build --preset ` +
        'wasm-release && node web/build.mjs), pass --nazar-dist DIR / --nazar-wasm DIR, or ' +
        'leave "nazar-worker" out of --only');
    }
  }

  // Span (a) runs --nazar-wasm's module, instantiate and span (b) the page's copy: one build.
  if ((want('nazar-worker') || want('nazar-one')) && !fs.readFileSync(path.join(opt.nazarWasm, 'nazar-analyze.wasm'))
    .equals(fs.readFileSync(path.join(opt.nazarDist, 'analyze', 'nazar-analyze.wasm')))) {
    throw new Error(`${opt.nazarDist}/analyze/nazar-analyze.wasm differs from ${opt.nazarWasm}'s: ` +
      'rebuild the page (node web/build.mjs) so that every span measures one module');
  }

  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'nazar-analyze-bench-'));
  const outdir = path.join(work, 'page');
  await bundle(outdir, opt.nazarWasm);
  const server = await startServer({
    wasm: path.join(opt.nazarWasm, 'nazar-analyze.wasm'),
    page: path.join(benchDir, 'analyze'),
    build: outdir,
    duck: path.join(benchDir, 'node_modules', '@duckdb', 'duckdb-wasm', 'dist'),
    nazar: opt.nazarDist,
  });

  // A one-row file of the same shape: the native run's fixed cost (process start, report).
  const tiny = path.join(work, 'one-row.csv');
  fs.writeFileSync(tiny, 'date,nps,csat,ces,locale,comment\n2026-01-05,10,4,2,en,\n');

  const { chromium } = createRequire(path.join(root, 'web', 'package.json'))('playwright-core');
  // Every request outside the loopback origin goes to a dead proxy (loopback is never
  // proxied), so nothing can leave the machine; the request events count what was tried.
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [...CHROMIUM_ARGS, '--proxy-server=http://127.0.0.1:9', ...(opt.chromiumArgs ?? [])],
  });
  const context = await browser.newContext();  // empty HTTP cache: the first page is cold
  const foreign = [];
  const local = (url) => url.startsWith(server.base + '/') || url.startsWith('blob:') ||
    url.startsWith('data:');
  context.on('request', (r) => {
    if (!local(r.url())) foreign.push(r.url());
  });

  const load = { before: os.loadavg() };
  const results = {};  // "impl span" -> {cold: [], warm: [], inner: []}
  const steps = [];  // the two workers' steps in each warm run of span (a) (bench/analyze/nazar.js)
  const inst = {};  // impl -> {first: [], later: []} instantiate ms
  const sample = (key) => (results[key] ??= { cold: [], warm: [], innerWarm: [] });
  let reference = null;  // {who, set}

  const check = (who, set) => {
    const problems = checkConsistent(set);
    if (problems.length) {
      throw new Error(`${who}: inconsistent histograms:\n  ${problems.join('\n  ')}`);
    }
    if (!reference) {
      reference = { who, set };
      return;
    }
    const d = diff(reference.set, set);
    if (d.length) {
      throw new Error(`NUMBERS DIFFER: ${reference.who} (left) vs ${who} (right):\n  ` +
        d.join('\n  '));
    }
  };

  try {
    // The blocker must see a foreign request: try one from the page and one from a worker.
    {
      const page = await context.newPage();
      await page.goto(server.base + '/');
      // The target answers when reached: a server on this machine's own non-loopback address
      // (when it has one), so a missing block would show as a successful fetch.
      const probe = await startProbeServer();
      const target = probe ? probe.base : 'http://192.0.2.1';
      const blocked = await page.evaluate(async (target) => {
        const fromPage = await fetch(`${target}/probe`, { mode: 'no-cors' })
          .then(() => false, () => true);
        const w = new Worker(URL.createObjectURL(new Blob(
          [`fetch('${target}/worker-probe', { mode: 'no-cors' })`,
            '.then(() => false, () => true).then((b) => postMessage(b))'],
          { type: 'text/javascript' })));
        const fromWorker = await new Promise((r) => (w.onmessage = (e) => r(e.data)));
        return fromPage && fromWorker;
      }, target);
      await page.close();
      if (probe) await probe.close();
      if (!blocked || foreign.length !== 2) {
        throw new Error(`the request blocker failed its probe: blocked ${blocked}, counted ` +
          `${foreign.length} of 2 probe requests (${foreign})`);
      }
      foreign.length = 0;
      // A fresh context again, so that the measured first page has an empty HTTP cache.
    }
    const measured = await browser.newContext();
    measured.on('request', (r) => {
      if (!local(r.url())) foreign.push(r.url());
    });

    for (let p = 0; p < opt.pages; p++) {
      const page = await measured.newPage();
      page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
      await page.goto(server.base + '/');
      await page.waitForFunction(() => window.benchReady === true);
      await page.setInputFiles('#f', opt.file);
      const available = await page.evaluate(() => window.bench.available());

      // Fresh instances: one per implementation and span, opened in alternating order.
      const slots = [];
      for (const impl of kBrowserImpls) {
        if (!want(impl) || !available[impl]) continue;
        for (const span of p % 2 ? ['file', 'bytes'] : ['bytes', 'file']) {
          slots.push({ impl, span });
        }
      }
      for (const s of slots) {
        const r = await page.evaluate((name) => window.bench.open(name), s.impl);
        s.id = r.id;
        const times = (inst[s.impl] ??= { first: [], later: [] });
        (times.first.length ? times.later : times.first).push(r.instantiate_ms);
        if (s.span === 'bytes') await page.evaluate((id) => window.bench.load(id), s.id);
      }
      if (native) {
        slots.push({ impl: 'native', span: 'process' }, { impl: 'native', span: 'one-row' });
      }

      for (let r = 0; r < opt.runs; r++) {
        // Rotate the order run by run so that load from other work falls on each alike.
        const shift = (r + p) % slots.length;
        const order = [...slots.slice(shift), ...slots.slice(0, shift)];
        for (const s of order) {
          let ms;
          let inner = null;
          if (s.impl === 'native') {
            const out = await runNative(opt.nazar, s.span === 'process' ? opt.file : tiny);
            ms = out.ms;
            if (s.span === 'process') check('nazar score (native)', fromScoreJson(out.json));
          } else {
            const out = await page.evaluate(({ id, span }) => window.bench.run(id, span), s);
            ms = out.ms;
            inner = out.inner_ms;
            if (out.steps && r > 0) steps.push(out.steps);
            check(`${s.impl} (${s.span}, page ${p + 1}, run ${r + 1})`, out.hist);
          }
          const rec = sample(`${s.impl} ${s.span}`);
          if (r === 0) rec.cold.push(ms);
          else {
            rec.warm.push(ms);
            if (inner !== null) rec.innerWarm.push(inner);
          }
        }
        process.stderr.write(`page ${p + 1}/${opt.pages} run ${r + 1}/${opt.runs}\r`);
      }
      for (const s of slots) {
        if (s.impl !== 'native') await page.evaluate((id) => window.bench.close(id), s.id);
      }
      await page.close();
    }
    process.stderr.write('\n');
    load.after = os.loadavg();

    const missing = kBrowserImpls.filter((i) => want(i) && !results[`${i} bytes`]);
    report({ opt, bytes, results, inst, load, foreign, reference, missing, steps });
    if (opt.json) {
      fs.writeFileSync(opt.json, JSON.stringify({ file: opt.file, bytes, runs: opt.runs,
        pages: opt.pages, load, results, instantiate: inst, foreign, reference, steps }, null, 1));
    }
    if (foreign.length) {
      throw new Error(`${foreign.length} request(s) outside the loopback server: ` +
        foreign.slice(0, 5).join(' '));
    }
  } finally {
    await browser.close();
    await server.close();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

// ---- the table ----
const spread = (xs) => (xs.length ? `${fmt(Math.min(...xs))}-${fmt(Math.max(...xs))}` : '-');
const all = (rec) => [...rec.cold, ...rec.warm];

function report({ opt, bytes, results, inst, load, foreign, reference, missing, steps }) {
  const mb = bytes / 1e6;
  const R = (k) => results[k];
  const rows = [];
  const line = (impl, span, rec, note = '', rate = true) => {
    if (!rec) return;
    const warm = median(rec.warm);
    const mbs = rate && Number.isFinite(warm) ? (mb / (warm / 1000)).toFixed(0) : '-';
    rows.push([kLabels[impl], span, fmt(median(rec.cold)), fmt(warm), spread(rec.warm), mbs,
      `${rec.cold.length}+${rec.warm.length}`, note]);
  };
  const inner = (k) => (R(k) && R(k).innerWarm.length ?
    `in worker ${fmt(median(R(k).innerWarm))}` : '');
  for (const impl of ['js-loop', 'nazar-worker', 'nazar-one', 'duckdb-wasm', 'papaparse']) {
    const t = inst[impl];
    if (t) {
      rows.push([kLabels[impl], 'instantiate', fmt(median(t.first)), fmt(median(t.later)),
        spread([...t.first, ...t.later]), '-', `${t.first.length}+${t.later.length}`,
        'cold = first open (empty HTTP cache); warm = later opens']);
    }
    line(impl, 'a. scoring, bytes in memory', R(`${impl} bytes`), inner(`${impl} bytes`));
    line(impl, 'b. File -> result', R(`${impl} file`), inner(`${impl} file`));
    if (missing.includes(impl)) {
      rows.push([kLabels[impl], 'a, b', 'n/a', 'n/a', '', '', '', impl === 'nazar-worker' ?
        'not built yet: implement bench/analyze/nazar.js' : 'not measured']);
    }
  }
  const proc = R('native process');
  const one = R('native one-row');
  const nativeEst = proc ? median(all(proc)) - median(all(one)) : NaN;
  if (proc) {
    line('native', 'whole process (= b)', proc, 'reads the file, scores, prints JSON');
    line('native', 'one-row file (start-up)', one, 'process start + report: the fixed cost',
      false);
    rows.push([kLabels.native, 'a. process minus start-up', '-', fmt(nativeEst), '',
      (mb / (nativeEst / 1000)).toFixed(0), '', 'median(process) - median(one-row)']);
  }
  const head = ['implementation', 'span', 'cold ms', 'warm ms', 'warm min-max', 'MB/s', 'runs',
    'note'];
  const widths = head.map((h, k) => Math.max(h.length, ...rows.map((r) => String(r[k]).length)));
  const pad = (r) => r.map((c, k) => (k >= 2 && k <= 6 ? String(c).padStart(widths[k]) :
    String(c).padEnd(widths[k]))).join('  ').trimEnd();
  console.log(`\nanalyze benchmark: ${path.basename(opt.file)}, ` +
    `${bytes.toLocaleString('en')} bytes; ${opt.pages} page load(s) x ${opt.runs} runs, ` +
    'implementations alternating');
  console.log('cold = run 1 in a fresh instance (median over page loads); warm = median of runs ' +
    `2..${opt.runs} of every page load; MB/s from the warm median; runs = cold+warm samples`);
  console.log(pad(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(pad(r));

  stepsTable(steps);

  // The issue's targets, where both sides are measured.
  const warmOf = (k) => (R(k) ? median(R(k).warm) : NaN);
  const nazarA = warmOf('nazar-worker bytes');
  const jsA = warmOf('js-loop bytes');
  const na = (x, text) => (Number.isFinite(x) ? text : 'n/a (the analyze worker is not built yet)');
  const duckInst = inst['duckdb-wasm'] ?
    median([...inst['duckdb-wasm'].first, ...inst['duckdb-wasm'].later]) : NaN;
  const nazarFirst = R('nazar-worker file') ? median(R('nazar-worker file').cold) : NaN;
  console.log('\ntargets (issue 7):');
  const oneA = warmOf('nazar-one bytes');
  console.log('  warm scoring (a) <= 0.5x the JS loop\'s: ' +
    na(nazarA, `${(nazarA / jsA).toFixed(3)}x (two workers on two cores; one worker: ` +
      `${(oneA / jsA).toFixed(3)}x)`));
  console.log(`  wasm >= 0.6x native speed: ${na(nazarA, `${(nativeEst / nazarA).toFixed(2)}x ` +
    `(native process minus start-up / two workers' a, warm; one worker: ${(nativeEst / oneA).toFixed(2)}x)`)}`);
  console.log(`  native >= 300 MB/s: ${Number.isFinite(nativeEst) ?
    `${(mb / (nativeEst / 1000)).toFixed(0)} MB/s (process minus start-up)` : 'n/a'}`);
  console.log(`  first result < DuckDB-wasm instantiate (${fmt(duckInst)} ms): ` +
    na(nazarFirst, `${fmt(nazarFirst)} ms (cold b)`));
  console.log(`\nall implementations agree on every count (${Object.keys(reference.set).length} ` +
    `groups, reference: ${reference.who}); nps: ${reference.set.all.slice(1, 12).join(' ')}`);
  console.log(`requests outside the loopback server: ${foreign.length}`);
  const avg = (xs) => xs.map((x) => x.toFixed(2)).join(' ');
  console.log(`load average (1, 5, 15 min): before ${avg(load.before)}, after ` +
    `${avg(load.after)}; ${os.cpus().length} cores`);
}

// Where the two workers' time goes in span (a): medians over the warm runs of each step, the
// engine's calls timed inside the workers (nazar-part-worker.js), the answers' arrivals on the
// page (ms from the request). The arrivals also hold the messages and any wait for a core.
function stepsTable(list) {
  if (!list.length) return;
  const med = (of) => fmt(median(list.map(of).filter(Number.isFinite)));
  const call = (answer, name) => (s) => s[answer]?.engine?.[name] ?? 0;
  const at = (answer) => (s) => s[answer]?.at ?? NaN;
  const later = (s) => Math.max(at('fed')(s), at('state')(s));
  const apart = (s) => Math.abs(at('fed')(s) - at('state')(s));
  const p90 = (xs) => {
    const sorted = xs.filter(Number.isFinite).sort((a, b) => a - b);
    return sorted[Math.max(0, Math.ceil(0.9 * sorted.length) - 1)];  // nearest rank
  };
  const rows = [
    ['first part: its half fed (engine, in the worker)', med(call('fed', 'feed'))],
    ['second part: the header read (engine)', med(call('state', 'continueFrom'))],
    ['second part: its half fed (engine)', med(call('state', 'feed'))],
    ['second part: its state exported (engine)', med(call('state', 'exportState'))],
    ['page: the first part\'s "fed" arrives', med(at('fed'))],
    ['page: the second part\'s state arrives', med(at('state'))],
    ['page: the later of the two arrives', med(later)],
    ['page: the two arrivals apart', med(apart)],
    ['page: the two arrivals apart, 90th percentile', fmt(p90(list.map(apart)))],
    ['first part again: read on to the second\'s start (engine)', med(call('done', 'feed'))],
    ['first part again: the state absorbed (engine)', med(call('done', 'absorb'))],
    ['first part again: the report written (engine)', med(call('done', 'finish'))],
    ['page: from the later of the two to "done" (the above and two messages)',
      med((s) => at('done')(s) - later(s))],
    ['page: "done" arrives', med(at('done'))],
  ];
  console.log('\nnazar analyze, 2 workers, a. bytes in memory: steps ' +
    `(ms, medians of ${list.length} warm runs)`);
  for (const [what, ms] of rows) console.log(`  ${what.padEnd(72)} ${ms.padStart(6)}`);
}

main().catch((e) => {
  console.error(`\nanalyze_bench: FAILED: ${e.stack || e}`);
  process.exit(1);
});
