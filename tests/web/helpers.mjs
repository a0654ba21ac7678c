// Shared by the node tests of web/: bundles web/src modules for node with esbuild (the same
// TypeScript the browser runs; no mocks of the core) and loads the real node wasm build.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const WEB = path.join(ROOT, 'web');
const requireWeb = createRequire(path.join(WEB, 'package.json'));

// Bundles web/src/<entry>.ts into a temporary ES module and imports it.
export async function importWebSource(entry) {
  const { build } = requireWeb('esbuild');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nazar-web-'));
  const outfile = path.join(dir, entry.replace(/\W/g, '_') + '.mjs');
  await build({
    entryPoints: [path.join(WEB, 'src', entry + '.ts')],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022', // as web/build.mjs builds the lazy modules
    outfile,
    logLevel: 'error',
    loader: { '.css': 'text' },
  });
  return import(pathToFileURL(outfile).href);
}

// The node build of the core: {factory, wasmBinary} for loadCore().
export function nodeCoreFiles() {
  const dir = process.env.NAZAR_WASM_NODE_DIR || path.join(ROOT, 'build/wasm-node');
  const js = path.join(dir, 'wasm/nazar-core-node.cjs');
  const wasm = path.join(dir, 'wasm/nazar-core-node.wasm');
  if (!fs.existsSync(js) || !fs.existsSync(wasm)) {
    throw new Error(`no node wasm build at ${dir}/wasm (build it: cmake --preset wasm-node && ` +
      'cmake --build --preset wasm-node, or set NAZAR_WASM_NODE_DIR)');
  }
  return { js, wasm };
}

// web/src/binding/core.ts bundled, and a NazarCore loaded from the node wasm build.
export async function loadCoreForNode() {
  const mod = await importWebSource('binding/core');
  const { js, wasm } = nodeCoreFiles();
  const factory = createRequire(import.meta.url)(js);
  const core = await mod.loadCore({ factory, wasmBinary: fs.readFileSync(wasm) });
  return { mod, core };
}

// The post-checkout survey of DESIGN.md (Contract 1), with Persian texts.
export const POST_CHECKOUT = {
  nazar: 1,
  id: 'post-checkout',
  version: '2026-11-01',
  default_locale: 'en',
  trigger: { on: 'event', event: 'checkout_completed', delay_ms: 0 },
  questions: [
    { id: 'nps', type: 'nps',
      text: { en: 'How likely are you to recommend us to a friend?', fa: 'چقدر احتمال دارد ما را به دوستانتان پیشنهاد کنید؟' },
      labels: { min: { en: 'Not at all likely', fa: 'اصلاً' }, max: { en: 'Extremely likely', fa: 'خیلی زیاد' } } },
    { id: 'why', type: 'text', max_length: 500,
      text: { en: 'What is the main reason for your score?', fa: 'دلیل اصلی امتیاز شما چیست؟' },
      show_if: { question: 'nps', max: 6 } },
    { id: 'ease', type: 'ces', scale: 7,
      text: { en: 'It was easy to complete my purchase.', fa: 'تکمیل خرید برایم آسان بود.' } },
  ],
  thank_you: { text: { en: 'Thank you!', fa: 'سپاسگزاریم!' } },
  appearance: { position: 'bottom-right', accent: '#0a7d5a', radius: 12, theme: 'auto' },
  privacy: { comments: 'drop', local_dp_epsilon: null },
};

// Depth-first search of a view tree.
export function findNode(node, pred) {
  if (!node) return null;
  if (pred(node)) return node;
  for (const c of node.c ?? []) {
    const hit = findNode(c, pred);
    if (hit) return hit;
  }
  return null;
}

export function findAll(node, pred, out = []) {
  if (!node) return out;
  if (pred(node)) out.push(node);
  for (const c of node.c ?? []) findAll(c, pred, out);
  return out;
}

// A deterministic stream of numbers in [0, 1) (mulberry32), so every run seeds the same answers.
export function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
