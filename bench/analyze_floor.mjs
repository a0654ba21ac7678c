// How far issue 7's "warm scoring at most half the hand-written JS loop's time" target is from
// what a scorer can reach at all: bench/analyze/floor.cc (jsloop.js ported to C++ statement for
// statement, knowing only the generated file's layout) natively and compiled to wasm, next to the
// JS loop itself and the analyze page's wasm importer, in one node process on the same bytes.
//
//   node bench/analyze_floor.mjs [--file CSV] [--nazar-wasm DIR] [--runs 9]
//
// Builds the floor into build/bench/floor/ (c++ -O3; emcc -O3 -msimd128), runs each scorer
// `--runs` times in turn after one warm-up run, and prints medians and ratios. Fails (exit 1)
// when the scorers' overall NPS histograms differ. Node's V8 is Chromium's; analyze_bench.mjs
// measures the page itself in Chromium.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { scoreBuffer } from './analyze/jsloop.js';
import { fromScoreJson } from './analyze/nazar_json.js';
import { loadAnalyzeModule } from './analyze/abi.mjs';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const root = path.dirname(benchDir);
const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : fallback;
};
const file = opt('--file', path.join(root, 'build', 'bench', 'issue-export-1m.csv'));
const nazarWasm = opt('--nazar-wasm', path.join(root, 'build', 'wasm-release', 'wasm'));
const runs = Number(opt('--runs', '9'));
if (!fs.existsSync(file)) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  execFileSync(process.execPath, [path.join(benchDir, 'gen_issue_export.mjs'), '1000000', file],
    { stdio: 'inherit' });
}

// ---- Build the floor, natively (a driver that times it) and as a wasm module.
const out = path.join(root, 'build', 'bench', 'floor');
fs.mkdirSync(out, { recursive: true });
const source = path.join(benchDir, 'analyze', 'floor.cc');
const driver = path.join(out, 'driver.cc');
fs.writeFileSync(driver, `#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <vector>
extern "C" long floor_score(const unsigned char*, long);
extern "C" long floor_nps(int);
int main(int argc, char** argv) {
  std::ifstream in(argv[1], std::ios::binary);
  std::vector<unsigned char> d((std::istreambuf_iterator<char>(in)), {});
  std::vector<double> ms;
  long rows = 0;
  for (int r = 0; r <= std::atoi(argv[2]); ++r) {
    const auto t0 = std::chrono::steady_clock::now();
    rows = floor_score(d.data(), static_cast<long>(d.size()));
    const double t = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    if (r > 0) ms.push_back(t);
  }
  std::sort(ms.begin(), ms.end());
  std::printf("{\\"rows\\":%ld,\\"median\\":%.3f,\\"nps\\":[", rows, ms[ms.size() / 2]);
  for (int v = 0; v <= 10; ++v) std::printf("%s%ld", v ? "," : "", floor_nps(v));
  std::printf("]}\\n");
}
`);
execFileSync('c++', ['-O3', '-std=c++17', source, driver, '-o', path.join(out, 'floor-native')]);
execFileSync('emcc', ['-O3', '-msimd128', source, '-o', path.join(out, 'floor.mjs'),
  '-sEXPORTED_FUNCTIONS=_floor_score,_floor_nps,_malloc', '-sALLOW_MEMORY_GROWTH=1',
  '-sMODULARIZE=1', '-sEXPORT_ES6=1', '-sENVIRONMENT=web'],
{ env: { ...process.env, NODE_PATH: '/usr/share/nodejs' }, stdio: ['ignore', 'ignore', 'inherit'] });

const data = fs.readFileSync(file);
const bytes = new Uint8Array(data.buffer, data.byteOffset, data.length);

// ---- The three in-process scorers, each returning its overall NPS histogram.
const floorModule = await (await import(pathToFileURL(path.join(out, 'floor.mjs')))).default({
  wasmBinary: fs.readFileSync(path.join(out, 'floor.wasm')),
});
const floorAt = floorModule._malloc(bytes.length);
floorModule.HEAPU8.set(bytes, floorAt);
// The analyze module over its C ABI, with the compiled record kernel as the page's binding uses it.
const nazar = await loadAnalyzeModule(nazarWasm);

const scorers = {
  'JS loop (jsloop.js)': () => scoreBuffer(bytes).all.slice(1, 12),
  'floor.cc in wasm': () => {
    const rows = floorModule._floor_score(floorAt, bytes.length);
    if (rows < 0) throw new Error(`floor: layout error ${rows}`);
    return Array.from({ length: 11 }, (_, v) => floorModule._floor_nps(v));
  },
  // As the page's worker feeds it: 1 MiB chunks copied into the module, then the report.
  'nazar analyze module (wasm)': () => {
    const { m, call } = nazar;
    const handle = nazar.begin({ format: 'csv', by: 'locale', period: 'month' });
    // The header first (the binding's first, small slice), then the compiled kernel, as the page.
    call(m._nazar_import_feed, bytes.subarray(0, 1 << 16), handle);
    nazar.useKernel(handle);
    for (let at = 1 << 16; at < bytes.length; at += 1 << 20) {
      call(m._nazar_import_feed, bytes.subarray(at, at + (1 << 20)), handle);
    }
    const status = m._nazar_import_finish(handle);
    const text = new TextDecoder().decode(nazar.slot());
    m._nazar_import_destroy(handle);
    if (status !== 0) throw new Error(text);
    return fromScoreJson(JSON.parse(text).result ?? JSON.parse(text)).all.slice(1, 12);
  },
};

const times = Object.fromEntries(Object.keys(scorers).map((k) => [k, []]));
const results = {};
for (let r = 0; r <= runs; r++) {
  for (const [name, score] of Object.entries(scorers)) {
    const t0 = performance.now();
    const nps = score();
    const t = performance.now() - t0;
    if (r > 0) times[name].push(t);  // run 0 warms up
    results[name] = nps.join(' ');
  }
}
const native = JSON.parse(execFileSync(path.join(out, 'floor-native'), [file, String(runs)], { encoding: 'utf8' }));
results['floor.cc native'] = native.nps.join(' ');

const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
const js = median(times['JS loop (jsloop.js)']);
console.log(`${path.basename(file)}: ${(bytes.length / 1e6).toFixed(1)} MB, ${runs} runs each after a warm-up, node ${process.version}`);
console.log('scorer                          median ms   x JS loop');
for (const [name, t] of Object.entries(times)) {
  console.log(`${name.padEnd(32)}${median(t).toFixed(1).padStart(9)}${(median(t) / js).toFixed(2).padStart(12)}`);
}
console.log(`${'floor.cc native'.padEnd(32)}${native.median.toFixed(1).padStart(9)}${(native.median / js).toFixed(2).padStart(12)}`);
const distinct = new Set(Object.values(results));
if (distinct.size !== 1) {
  console.error('scorers disagree on the overall NPS histogram:', results);
  process.exit(1);
}
console.log(`all agree; nps: ${[...distinct][0]}`);
