// Issue 10: what Prio3 costs a browser. Builds the widget module twice (as it ships, and with
// prio3.exports: nazar_web_module and nazar_web_prio3_module in build/wasm-release), prints both
// sizes (raw, gzip -9, brotli -q 11) and the difference, then times nazar_prio3_histogram_shard
// through the JS binding (web/src/binding/core.ts) in headless Chromium for NPS (11 buckets),
// CSAT (5) and CES (7), each at the chunk length that makes its proof smallest: median per shard
// over `batches` batches of `batch` calls (a batch is timed as a whole, since a page's clock is
// coarse), with the share sizes each call returned. Native shard and verify times per report
// come from the example (build/native-release/examples/nazar_prio3_example).
//
//   node bench/prio3_wasm.mjs [batches=21] [batch=50]
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

import { CHROMIUM_ARGS } from '../tests/browser/chromium.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const batches = Number(process.argv[2] || 21);
const batch = Number(process.argv[3] || 50);
const build = path.join(root, 'build', 'wasm-release');
const wasmDir = path.join(build, 'wasm');

if (!fs.existsSync(path.join(build, 'CMakeCache.txt'))) {
  execFileSync('cmake', ['--preset', 'wasm-release'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
}
execFileSync('cmake', ['--build', build, '-j2', '--target', 'nazar_web_module', 'nazar_web_prio3_module'],
  { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });

// Sizes: the widget module as it ships, and as it would be with Prio3 turned on.
const sizes = (file) => [fs.statSync(file).size,
  execFileSync('gzip', ['-9c', file]).length, execFileSync('brotli', ['-q', '11', '-c', file]).length];
const plain = sizes(path.join(wasmDir, 'nazar-core.wasm'));
const withPrio3 = sizes(path.join(wasmDir, 'nazar-core-prio3.wasm'));
const row = (name, s) => console.log(name.padEnd(46) + s.map((x) => String(x).padStart(10)).join(''));
console.log('wasm module'.padEnd(46) + ['raw', 'gzip -9', 'brotli 11'].map((x) => x.padStart(10)).join(''));
row('widget module (nazar-core.wasm)', plain);
row('widget module with Prio3 (nazar-core-prio3.wasm)', withPrio3);
row('what Prio3 adds', withPrio3.map((x, i) => x - plain[i]));
console.log();

// The page: the binding bundled with esbuild, the module's glue and wasm served beside it.
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'nazar-prio3-bench-'));
const webRequire = createRequire(path.join(root, 'web', 'package.json'));
fs.writeFileSync(path.join(work, 'entry.ts'), `
import { loadCore } from ${JSON.stringify(path.join(root, 'web/src/binding/core.ts'))};
(window as any).runBench = async (cases: any[], batches: number, batch: number) => {
  const core = await loadCore({ moduleUrl: location.origin + '/nazar-core-prio3.mjs',
                                wasmUrl: location.origin + '/nazar-core-prio3.wasm' });
  const out: any[] = [];
  // Warm up every case first: the first calls run in the baseline compiler until the optimizing
  // tier takes over, which would otherwise land in whichever case is timed first.
  for (const c of cases) {
    for (let i = 0; i < 400; ++i) core.prio3HistogramShard({ length: c.length, measurement: 0 });
  }
  for (const c of cases) {
    const request = { length: c.length, measurement: c.length - 1 };
    const per: number[] = [];
    let last: any = null;
    for (let b = 0; b < batches; ++b) {
      const t0 = performance.now();
      for (let i = 0; i < batch; ++i) last = core.prio3HistogramShard(request);
      per.push((performance.now() - t0) / batch);
    }
    per.sort((x, y) => x - y);
    out.push({ ...c, chunk_length: last.chunk_length, median_ms: per[per.length >> 1], p25_ms: per[per.length >> 2],
               p75_ms: per[(3 * per.length) >> 2], public_share: last.public_share.length / 2,
               leader: last.input_shares[0].length / 2, helper: last.input_shares[1].length / 2 });
  }
  return out;
};
`);
await webRequire('esbuild').build({
  entryPoints: [path.join(work, 'entry.ts')], bundle: true, format: 'esm', platform: 'browser',
  target: 'es2022', outfile: path.join(work, 'bench.js'), logLevel: 'error',
});
const files = {
  '/': ['text/html', '<!doctype html><meta charset="utf-8"><title>prio3</title><script type="module" src="/bench.js"></script>'],
  '/bench.js': ['text/javascript', fs.readFileSync(path.join(work, 'bench.js'))],
  '/nazar-core-prio3.mjs': ['text/javascript', fs.readFileSync(path.join(wasmDir, 'nazar-core-prio3.mjs'))],
  '/nazar-core-prio3.wasm': ['application/wasm', fs.readFileSync(path.join(wasmDir, 'nazar-core-prio3.wasm'))],
};
const server = http.createServer((req, res) => {
  const f = files[new URL(req.url, 'http://x').pathname];
  if (!f) return res.writeHead(404).end();
  res.writeHead(200, { 'content-type': f[0], 'cache-control': 'no-store' }).end(f[1]);
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${server.address().port}`;

// Each at the chunk length with the smallest proof, which the core picks when the request names
// none (nazar::prio3::HistogramChunkLength).
const cases = [['NPS', 11], ['CSAT', 5], ['CES', 7]].map(([name, length]) => ({ name, length }));

const { chromium } = webRequire('playwright-core');
const browser = await chromium.launch({
  executablePath: process.env.NAZAR_CHROMIUM || '/usr/bin/chromium',
  args: CHROMIUM_ARGS,
});
try {
  const page = await browser.newPage();
  await page.goto(base + '/');
  await page.waitForFunction(() => typeof window.runBench === 'function');
  const results = await page.evaluate(([c, n, b]) => window.runBench(c, n, b), [cases, batches, batch]);
  console.log(`Prio3Histogram shard in wasm, headless Chromium (${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(2)}), ` +
    `2 aggregators, median of ${batches} batches of ${batch}`);
  console.log('question  length  chunk  public share  leader share  helper share   shard µs (p25-p75)');
  for (const r of results) {
    console.log(`${r.name.padEnd(8)}${String(r.length).padStart(8)}${String(r.chunk_length).padStart(7)}` +
      `${String(r.public_share).padStart(14)}${String(r.leader).padStart(14)}` +
      `${String(r.helper).padStart(14)}   ${(r.median_ms * 1000).toFixed(0).padStart(6)} ` +
      `(${(r.p25_ms * 1000).toFixed(0)}-${(r.p75_ms * 1000).toFixed(0)})`);
  }
} finally {
  await browser.close();
  server.close();
  fs.rmSync(work, { recursive: true, force: true });
}
