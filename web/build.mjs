// Builds web/dist/: the embed (nazar.js, IIFE), the ES module API (nazar.mjs), the lazily loaded
// widget module (nazar-widget.mjs, with the wasm core's runtime in it), outbox (nazar-outbox.mjs) and
// scroll, dwell and exit-intent observers (nazar-triggers.mjs),
// their types, and the wasm core from build/wasm-release split in two (web/split.mjs:
// nazar-core.wasm, what a first question runs, and nazar-core-rest.wasm); and the analyze page in
// web/dist/analyze/ (page, worker, stylesheet, service worker, manifest, and the analyze module
// nazar-analyze.wasm when it has been built); and the dashboard in web/dist/dashboard/ (page,
// script, stylesheet, icon; no wasm). Prints raw / gzip -9 / brotli -q 11 sizes of every file and
// each page's total, and fails when the dashboard's files together exceed their budget of
// 61,440 bytes brotli -q 11 (issue 8: "under 60 KB brotli"), or the analyze page's, module
// included, 150,000 bytes (issue 7: "under 150 KB brotli"), or the loader nazar.js 3,000 bytes
// (issue 9: a page no survey targets loads it alone, "at most 3 KB brotli").
//   node web/build.mjs            (fails when the wasm core has not been built)
//   node web/build.mjs --js-only  (only the JavaScript; for work on web/ alone)
import { build, transform } from 'esbuild';
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.dirname(here);
const dist = path.join(here, 'dist');
const coreDir = process.env.NAZAR_WASM_RELEASE_DIR
  ? path.join(process.env.NAZAR_WASM_RELEASE_DIR, 'wasm')
  : path.join(root, 'build', 'wasm-release', 'wasm');
const jsOnly = process.argv.includes('--js-only');

fs.rmSync(dist, { recursive: true, force: true });
fs.mkdirSync(dist, { recursive: true });

// CSS is imported as text, minified first.
const cssText = {
  name: 'css-text',
  setup(b) {
    b.onLoad({ filter: /\.css$/ }, async (args) => {
      const css = await transform(fs.readFileSync(args.path, 'utf8'), { loader: 'css', minify: true, target: 'chrome100' });
      return { contents: 'export default ' + JSON.stringify(css.code.trim()), loader: 'js' };
    });
  },
};

// The widget module carries its own small runtime for the wasm core (src/binding/widget-glue.ts),
// not Emscripten's glue (nazar-core.mjs): the binding instantiates the core itself, so the glue's
// download and instantiation paths were dead weight on the first question's path. The wasm's
// import and export names are minified by Emscripten; they are read here from its glue, checked
// against the linked wasm's own imports and exports, and the build fails when one cannot be found
// (a new Emscripten, not Debian's 3.1.6 of scripts/install-deps.sh, may write its glue otherwise).
// Without the wasm build (--js-only) a stub stands in whose factory fails with a clear message.
const glue = path.join(coreDir, 'nazar-core.mjs');
const analyzeGlue = path.join(coreDir, 'nazar-analyze.mjs');
async function glueNames() {
  const text = fs.readFileSync(glue, 'utf8');
  const fail = (what) => { throw new Error(`${glue}: ${what}; web/src/binding/widget-glue.ts needs updating`); };
  // Each C function: a._nazar_alloc=function(){return(a._nazar_alloc=a.asm.g).apply(null,arguments)}
  const exports = {};
  for (const [, name, key] of text.matchAll(/\.(_\w+)=function\(\)\{return\(\w+\.\1=\w+\.asm\.(\w+)\)\.apply/g)) {
    exports[name] = key;
  }
  // The C functions are exactly wasm/widget.exports (tests/web/abi_contract.test.mjs checks the map).
  const ctors = exports.___wasm_call_ctors ?? fail('no ___wasm_call_ctors export');
  delete exports.___wasm_call_ctors;
  if (!exports._nazar_alloc) fail('no _nazar_alloc export');
  // The imports: the glue hands its import object to instantiateWasm, which is all this asks of it.
  const { default: factory } = await import(pathToFileURL(glue).href);
  let imports = null;
  void factory({ instantiateWasm: (given) => ((imports = given), {}) });
  const modules = Object.keys(imports ?? {});
  if (modules.length !== 1) fail(`imports from ${modules.length} modules, expected 1`);
  const env = imports[modules[0]];
  const kinds = { abort: /^function\(\)\{\w+\(""\)\}$/, clock: /Date\.now\(\)/, grow: /\.grow\(/, entropy: /getRandomValues/ };
  const names = { module: modules[0], ctors, exports };
  for (const [kind, pattern] of Object.entries(kinds)) {
    const found = Object.keys(env).filter((key) => pattern.test(String(env[key])));
    if (found.length !== 1) fail(`${found.length} imports look like ${kind}`);
    names[kind] = found[0];
  }
  if (Object.keys(env).length !== 4) fail(`imports ${Object.keys(env).join(' ')}, expected 4`);
  const picked = Object.keys(kinds).map((kind) => names[kind]);
  if (new Set(picked).size !== picked.length) fail(`imports ${picked.join(' ')} are not four different ones`);
  // The names must be the linked core's (its imports, and the functions it exports).
  const wasm = new WebAssembly.Module(fs.readFileSync(path.join(coreDir, 'nazar-core.wasm')));
  const imported = new Set(WebAssembly.Module.imports(wasm).map((i) => i.module + '.' + i.name));
  for (const name of picked) if (!imported.has(names.module + '.' + name)) fail(`the core imports no ${names.module}.${name}`);
  const functions = new Set(WebAssembly.Module.exports(wasm).filter((e) => e.kind === 'function').map((e) => e.name));
  for (const key of [ctors, ...Object.values(exports)]) if (!functions.has(key)) fail(`the core exports no function ${key}`);
  return names;
}
const widgetGlue = fs.existsSync(glue) ? await glueNames() : null;
const coreGlue = {
  name: 'core-glue',
  setup(b) {
    b.onResolve({ filter: /^nazar-core-glue$/ }, () =>
      widgetGlue ? { path: path.join(here, 'src/binding/widget-glue.ts') } : { path: 'stub', namespace: 'core-glue' });
    // The analyze module's glue, for the analyze worker (web/src/pages/analyze/engine.ts).
    b.onResolve({ filter: /^nazar-analyze-glue$/ }, () =>
      fs.existsSync(analyzeGlue) ? { path: analyzeGlue } : { path: 'stub', namespace: 'core-glue' });
    b.onLoad({ filter: /.*/, namespace: 'core-glue' }, () => ({
      contents: 'export default () => Promise.reject(new Error("built with --js-only: no wasm core"));',
      loader: 'js',
    }));
  },
};

const common = {
  bundle: true,
  minify: true,
  target: 'es2020',
  legalComments: 'none',
  charset: 'utf8',
  plugins: [cssText, coreGlue],
  logLevel: 'warning',
};
await Promise.all([
  build({ ...common, entryPoints: [path.join(here, 'src/embed/loader.ts')], format: 'iife',
          outfile: path.join(dist, 'nazar.js') }),
  build({ ...common, entryPoints: [path.join(here, 'src/embed/index.ts')], format: 'esm',
          outfile: path.join(dist, 'nazar.mjs') }),
  // The lazy modules keep class private fields (#x) native, so their names minify; the
  // loader stays ES2020 (it runs on every page, and a parse error there would reach the host).
  // The widget module runs most of its functions before the first question shows: V8's explicit
  // compile hint (Chrome 136+, a comment that must open the file) compiles them all on a
  // background thread while the file streams in, not one by one on the main thread at their
  // first call (bench/README.md: "Explicit compile hints"). Other browsers ignore the comment.
  build({ ...common, target: 'es2022', entryPoints: [path.join(here, 'src/embed/widget-module.ts')], format: 'esm',
          banner: { js: '//# allFunctionsCalledOnLoad' }, define: { NAZAR_GLUE: JSON.stringify(widgetGlue) },
          outfile: path.join(dist, 'nazar-widget.mjs') }),
  build({ ...common, target: 'es2022', entryPoints: [path.join(here, 'src/embed/outbox-module.ts')], format: 'esm',
          outfile: path.join(dist, 'nazar-outbox.mjs') }),
  build({ ...common, target: 'es2022', entryPoints: [path.join(here, 'src/embed/triggers-module.ts')], format: 'esm',
          outfile: path.join(dist, 'nazar-triggers.mjs') }),
]);
fs.copyFileSync(path.join(here, 'types/nazar.d.ts'), path.join(dist, 'nazar.d.ts'));

// A page's stylesheet, its imports bundled in (the pages share web/src/pages/report/report.css).
const pageCss = (entry, outfile) => build({ bundle: true, minify: true, target: 'chrome100', legalComments: 'none',
  charset: 'utf8', logLevel: 'warning', entryPoints: [entry], outfile });

// ---- The analyze page (web/src/pages/analyze/) in dist/analyze/ ----
const pageSrc = path.join(here, 'src/pages/analyze');
const pageOut = path.join(dist, 'analyze');
fs.mkdirSync(pageOut, { recursive: true });
await Promise.all([
  build({ ...common, target: 'es2022', entryPoints: [path.join(pageSrc, 'main.ts')], format: 'esm',
          outfile: path.join(pageOut, 'analyze.js') }),
  build({ ...common, target: 'es2022', entryPoints: [path.join(pageSrc, 'worker.ts')], format: 'esm',
          outfile: path.join(pageOut, 'analyze-worker.js') }),
  pageCss(path.join(pageSrc, 'styles.css'), path.join(pageOut, 'analyze.css')),
]);
for (const name of ['index.html', 'manifest.webmanifest', 'icon.svg']) {
  fs.copyFileSync(path.join(pageSrc, name), path.join(pageOut, name));
}
const analyzeWasm = path.join(coreDir, 'nazar-analyze.wasm');
if (fs.existsSync(analyzeWasm)) fs.copyFileSync(analyzeWasm, path.join(pageOut, 'nazar-analyze.wasm'));
// The service worker caches exactly these files; their hash names its cache, so a new build
// installs a new worker.
const pageFiles = fs.readdirSync(pageOut).sort();
const hash = crypto.createHash('sha256');
for (const name of pageFiles) hash.update(name).update(fs.readFileSync(path.join(pageOut, name)));
await build({ ...common, target: 'es2022', entryPoints: [path.join(pageSrc, 'sw.ts')], format: 'iife',
  outfile: path.join(pageOut, 'sw.js'),
  define: { __ANALYZE_VERSION__: JSON.stringify(hash.digest('hex').slice(0, 16)), __ANALYZE_FILES__: JSON.stringify(pageFiles) } });

// ---- The dashboard (web/src/pages/dashboard/) in dist/dashboard/ ----
// The collector serves its index.html at / and /s/, and the rest under /dashboard/ (the page
// names its files by absolute path).
const dashSrc = path.join(here, 'src/pages/dashboard');
const dashOut = path.join(dist, 'dashboard');
fs.mkdirSync(dashOut, { recursive: true });
await Promise.all([
  build({ ...common, target: 'es2022', entryPoints: [path.join(dashSrc, 'main.ts')], format: 'esm',
          outfile: path.join(dashOut, 'dashboard.js') }),
  pageCss(path.join(dashSrc, 'styles.css'), path.join(dashOut, 'dashboard.css')),
]);
fs.copyFileSync(path.join(dashSrc, 'index.html'), path.join(dashOut, 'index.html'));
fs.copyFileSync(path.join(pageSrc, 'icon.svg'), path.join(dashOut, 'icon.svg'));
const DASHBOARD_BUDGET = 61440;  // bytes, brotli -q 11, every file of dist/dashboard/ together
const ANALYZE_BUDGET = 150_000;  // bytes brotli -q 11, the page with its module
const LOADER_BUDGET = 3000;  // bytes brotli -q 11, nazar.js: all a page no survey targets loads
// bytes brotli -q 11, each file apart: what a page loads before its first question shows (the
// loader, examples/embed's definitions, the widget module, the core's first part; bench/web_sizes.sh)
const FIRST_QUESTION_BUDGET = 48_000;

let missing = false;
// The widget's core, in two: what the first question runs (nazar-core.wasm) and the rest
// (nazar-core-rest.wasm), measured by running the built widget module's calls (web/split.mjs).
// (--js-only: the whole core, when there is one; the binding loads either.)
const widgetCore = path.join(coreDir, 'nazar-core.wasm');
if (!fs.existsSync(widgetCore) || !fs.existsSync(glue)) {
  missing = true;
} else if (jsOnly) {
  fs.copyFileSync(widgetCore, path.join(dist, 'nazar-core.wasm'));
} else {
  execFileSync(process.execPath, [path.join(here, 'split.mjs'), widgetCore, dist], { stdio: 'inherit' });
}
// The analyze module lives in dist/analyze/ (its glue is bundled into the worker, above).
for (const name of ['nazar-analyze.mjs', 'nazar-analyze.wasm']) {
  if (!fs.existsSync(path.join(coreDir, name))) missing = true;
}
if (!fs.existsSync(glue)) missing = true;

const kb = (n) => (n / 1024).toFixed(1).padStart(7) + ' KB';
const sizes = (data) => [data.length, zlib.gzipSync(data, { level: 9 }).length, zlib.brotliCompressSync(data, {
  params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length },
}).length];
console.log('file'.padEnd(32) + 'raw'.padStart(10) + 'gzip -9'.padStart(10) + 'brotli'.padStart(10));
const page = [0, 0, 0];
const dash = [0, 0, 0];
const list = (dir, prefix) => {
  for (const name of fs.readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    if (fs.statSync(full).isDirectory()) { list(full, prefix + name + '/'); continue; }
    if (name.endsWith('.d.ts')) continue;
    const s = sizes(fs.readFileSync(full));
    if (prefix === 'analyze/') s.forEach((v, i) => { page[i] += v; });
    if (prefix.startsWith('dashboard/')) s.forEach((v, i) => { dash[i] += v; });
    console.log((prefix + name).padEnd(32) + s.map(kb).join(''));
  }
};
list(dist, '');
console.log('analyze/ (page total)'.padEnd(32) + page.map(kb).join('') +
  (fs.existsSync(analyzeWasm) ? `   (budget ${ANALYZE_BUDGET.toLocaleString('en')} B brotli: ${page[2].toLocaleString('en')} B)`
    : '   (without nazar-analyze.wasm: not built yet)'));
console.log('dashboard/ (page total)'.padEnd(32) + dash.map(kb).join('') +
  `   (budget ${DASHBOARD_BUDGET.toLocaleString('en')} B brotli: ${dash[2].toLocaleString('en')} B)`);
const loader = sizes(fs.readFileSync(path.join(dist, 'nazar.js')))[2];
console.log('nazar.js (a page no survey targets)'.padEnd(32) +
  `   (budget ${LOADER_BUDGET.toLocaleString('en')} B brotli: ${loader.toLocaleString('en')} B)`);
const firstQuestionFiles = [path.join(dist, 'nazar.js'), path.join(root, 'examples/embed/surveys.json'),
  path.join(dist, 'nazar-widget.mjs'), path.join(dist, 'nazar-core.wasm')];
const split = !jsOnly && firstQuestionFiles.every((f) => fs.existsSync(f));
const firstQuestion = split ? firstQuestionFiles.reduce((n, f) => n + sizes(fs.readFileSync(f))[2], 0) : 0;
if (split) {
  console.log('the first question (page total)'.padEnd(32) +
    `   (budget ${FIRST_QUESTION_BUDGET.toLocaleString('en')} B brotli: ${firstQuestion.toLocaleString('en')} B)`);
}
// A page over its budget fails the build: make the page smaller; do not raise the budget.
const overBudget = (where, brotli, budget, issue, what) => {
  if (brotli <= budget) return;
  console.error(`\nweb/build.mjs: ${where} is ${brotli.toLocaleString('en')} bytes brotli -q 11, over its budget of ` +
    `${budget.toLocaleString('en')} bytes (${issue}). Make ${what} smaller; do not raise the budget.`);
  process.exit(1);
};
overBudget('dist/dashboard/', dash[2], DASHBOARD_BUDGET, 'issue 8', 'the page');
overBudget('dist/analyze/', page[2], ANALYZE_BUDGET, 'issue 7', 'the page or its module');
overBudget('dist/nazar.js', loader, LOADER_BUDGET, 'issue 9: "at most 3 KB brotli"', 'the loader');
overBudget('the first question (loader, definitions, widget module, core\'s first part)', firstQuestion,
  FIRST_QUESTION_BUDGET, 'issue 9: "at most 48,000 bytes brotli"', 'what it loads');

if (missing && !jsOnly) {
  console.error(`\nweb/build.mjs: a wasm module is missing: ${path.relative(root, coreDir)}/nazar-core.{mjs,wasm}
or nazar-analyze.{mjs,wasm}.
Build it first:  cmake --preset wasm-release && cmake --build --preset wasm-release
(or run "node web/build.mjs --js-only" to build only the JavaScript).`);
  process.exit(1);
}
