// How much of the widget's core runs before the first question shows on one page, and so how
// small a profile-guided split of it (Binaryen's wasm-split) for that page alone would make the
// first question's download. (The shipped split, web/split.mjs, profiles every example and valid
// definition at build time; this bench profiles one real page in Chromium.)
// Instruments the core as linked (build/wasm-release/wasm/nazar-core.wasm, whole), shows the first question of a
// definitions file in headless Chromium under the strict CSP with the instrumented module in a copy
// of web/dist, reads the profile the module writes (__write_profile), splits the shipped module
// with it and prints both parts' sizes, raw and brotli 11. `--answer` also answers the first
// question and moves on before the profile is read (what the first tap needs too).
//
//   bash scripts/build-web.sh && node bench/wasm_split_profile.mjs
//   node bench/wasm_split_profile.mjs --surveys examples/demo-shop/surveys.json \
//        --path /checkout/thank-you/ --locale fa --answer
//
// Nothing here changes how the widget loads: it measures whether a split would pay.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { createServer } from '../scripts/serve.mjs';
import { launch } from '../tests/browser/server.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const surveys = path.resolve(opt('--surveys', path.join(ROOT, 'examples/embed/surveys.json')));
const locale = opt('--locale', 'en');
const answer = args.includes('--answer');
const pagePath = opt('--path', '/'); // where the page is served (a definition's url rules)
const dist = path.join(ROOT, 'web/dist');
const shipped = path.join(ROOT, 'build/wasm-release/wasm/nazar-core.wasm');
if (!fs.existsSync(shipped) || !fs.existsSync(path.join(dist, 'nazar-widget.mjs'))) {
  throw new Error('build first: bash scripts/build-web.sh');
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'nazar-split-'));
process.on('exit', () => fs.rmSync(work, { recursive: true, force: true }));
const features = ['--enable-mutable-globals', '--enable-bulk-memory', '--enable-sign-ext',
  '--enable-nontrapping-float-to-int', '--enable-simd'];
const instrumented = path.join(work, 'instrumented.wasm');
execFileSync('wasm-split', ['--instrument', ...features, shipped, '-o', instrumented]);

// A copy of web/dist with the instrumented core, and a page that tracks the definitions' event.
const copy = path.join(work, 'dist');
fs.cpSync(dist, copy, { recursive: true });
fs.copyFileSync(instrumented, path.join(copy, 'nazar-core.wasm'));
const site = path.join(work, 'site');
fs.mkdirSync(site);
fs.copyFileSync(surveys, path.join(site, 'surveys.json'));
const defs = JSON.parse(fs.readFileSync(surveys, 'utf8'));
const first = (Array.isArray(defs.surveys) ? defs.surveys : [defs])[0];
const event = first.trigger?.on === 'event' ? first.trigger.event : null;
fs.mkdirSync(path.join(site, pagePath), { recursive: true });
fs.writeFileSync(path.join(site, pagePath, 'index.html'), `<!doctype html><html lang="${locale}"><head><meta charset="utf-8">
<title>profile</title></head><body><h1>Thank you</h1><script src="/nazar/nazar.js" data-surveys="/surveys.json"
data-endpoint="/v1/aggregates"${event ? ` data-track="${event}"` : ''} async></script></body></html>`);

const server = createServer({ mounts: [{ prefix: '/nazar/', dir: copy }, { prefix: '/', dir: site }] });
const base = await server.listen();
const browser = await launch();
let profile;
try {
  const page = await browser.context.newPage();
  // The instance whose module wasm-split instrumented (it alone exports __write_profile).
  await page.addInitScript(() => {
    const instantiate = WebAssembly.instantiate;
    WebAssembly.instantiate = async function (...a) {
      const result = await instantiate.apply(this, a);
      const instance = result instanceof WebAssembly.Instance ? result : result.instance;
      if (instance.exports.__write_profile) window.__profiled = instance;
      return result;
    };
  });
  await page.goto(base + pagePath);
  if (!event) await page.evaluate((id) => window.nazar.show(id), first.id);
  await page.getByRole('dialog').waitFor({ state: 'visible', timeout: 20000 });
  if (answer) {
    await page.getByRole('radio').first().click();
    const next = page.locator('.nz-next');
    if (await next.count()) await next.click();
    await page.waitForTimeout(300);
  }
  profile = Buffer.from(await page.evaluate(() => {
    const e = window.__profiled.exports;
    const memory = Object.values(e).find((v) => v instanceof WebAssembly.Memory);
    const size = 1 << 16;
    const at = memory.buffer.byteLength - size; // above the heap's top at this point
    const n = e.__write_profile(at, size);
    return Array.from(new Uint8Array(memory.buffer, at, n));
  }));
} finally {
  await browser.close();
  await server.close();
}
const profileFile = path.join(work, 'first-question.prof');
fs.writeFileSync(profileFile, profile);
const primary = path.join(work, 'primary.wasm');
const secondary = path.join(work, 'secondary.wasm');
execFileSync('wasm-split', [...features, shipped, '--profile=' + profileFile, '-o1', primary, '-o2', secondary]);

const brotli = (file) => zlib.brotliCompressSync(fs.readFileSync(file), {
  params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_LGWIN]: 24 },
}).length;
const row = (name, file) => {
  const raw = fs.statSync(file).size;
  const br = brotli(file);
  console.log(`${name.padEnd(44)} ${String(raw).padStart(9)} ${String(br).padStart(9)}`);
  return br;
};
console.log(`definitions ${path.relative(ROOT, surveys)}, locale ${locale}, ${answer ? 'through the first answer' : 'the first question shown'}`);
console.log(`${'module'.padEnd(44)} ${'raw'.padStart(9)} ${'brotli 11'.padStart(9)}`);
const whole = row('nazar-core.wasm as linked (whole)', shipped);
const before = row('primary: what ran (the split\'s first download)', primary);
row('secondary: the rest (loaded after)', secondary);
console.log(`the first download would be ${(100 * before / whole).toFixed(1)}% of the whole module's brotli bytes`);
row('as shipped: web/dist/nazar-core.wasm (web/split.mjs)', path.join(dist, 'nazar-core.wasm'));
