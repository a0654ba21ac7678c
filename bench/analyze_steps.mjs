// The steps of one file scored in two parts, timed one by one in node over the analyze module's
// C ABI (wasm/nazar_abi.h): the first part fed, the continuation fed, its state exported, the
// state absorbed, the report written. The analyze page's two workers run the two feeds at once;
// everything after them (export, the message between the workers, absorb, finish) is on the
// path to the report, and this measures the module's share of it without the browser's noise.
//
//   node bench/analyze_steps.mjs [--file CSV] [--nazar-wasm DIR] [--runs 12]
//
// Each part gets the record kernel the page would install (nazar_import_kernel); the first two
// runs are warm-up. Prints the median of each step and the state's and report's sizes.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadAnalyzeModule } from './analyze/abi.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : fallback;
};
const file = opt('--file', path.join(root, 'build', 'bench', 'issue-export-1m.csv'));
const dir = opt('--nazar-wasm', path.join(root, 'build', 'wasm-release', 'wasm'));
const runs = Number(opt('--runs', '12'));
if (!fs.existsSync(file)) {
  console.error(`analyze_steps: no ${file} (node bench/gen_issue_export.mjs 1000000 ${file})`);
  process.exit(2);
}
const data = fs.readFileSync(file);
const bytes = new Uint8Array(data.buffer, data.byteOffset, data.length);

const { m, slot, check, call, begin, useKernel } = await loadAnalyzeModule(dir);
const options = { format: 'csv', by: 'locale', period: 'month' };
// [a, b) in the page worker's 1 MiB feeds, the first 4 KiB before the kernel (as the binding).
const feed = (h, a, b) => {
  call(m._nazar_import_feed, bytes.subarray(a, Math.min(b, a + 4096)), h);
  useKernel(h);
  for (let at = a + 4096; at < b; at += 1 << 20) call(m._nazar_import_feed, bytes.subarray(at, Math.min(b, at + (1 << 20))), h);
};

const split = bytes.indexOf(10, bytes.length >> 1) + 1;
const steps = { 'first part fed': [], 'second part fed': [], 'state exported': [], 'state absorbed': [], 'report written': [] };
let stateBytes = 0;
let reportBytes = 0;
for (let r = 0; r < runs + 2; r++) {
  const t = [performance.now()];
  const first = begin(options);
  feed(first, 0, split);
  t.push(performance.now());
  const second = begin(options);
  call(m._nazar_import_continue, bytes.subarray(0, 1 << 16), second);
  feed(second, split, bytes.length);
  t.push(performance.now());
  check(m._nazar_import_export_state(second));
  const state = slot();
  t.push(performance.now());
  call(m._nazar_import_absorb, state, first);
  t.push(performance.now());
  check(m._nazar_import_finish(first));
  reportBytes = m._nazar_response_size();
  t.push(performance.now());
  check(m._nazar_import_destroy(first));
  check(m._nazar_import_destroy(second));
  stateBytes = state.length;
  if (r >= 2) Object.values(steps).forEach((list, i) => list.push(t[i + 1] - t[i]));
}
const median = (list) => [...list].sort((a, b) => a - b)[list.length >> 1];
console.log(`analyze steps: ${path.basename(file)}, ${bytes.length.toLocaleString('en')} bytes in two parts, ` +
  `median of ${runs} runs, node ${process.version}`);
for (const [name, list] of Object.entries(steps)) console.log(`  ${name.padEnd(16)} ${median(list).toFixed(2).padStart(7)} ms`);
console.log(`  state ${stateBytes.toLocaleString('en')} bytes, report ${reportBytes.toLocaleString('en')} bytes`);
