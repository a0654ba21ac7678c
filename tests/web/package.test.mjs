// web/ as the npm package people install (issue 9, item 7): from a fresh copy of web/ (no dist),
// `npm pack` builds dist (prepack: web/build.mjs) and packs exactly the built files; the tarball
// installs offline into a scratch project; esbuild bundles a page that imports it (the ES
// module, the script-tag embed and the wasm through `exports`); tsc resolves its types.
// Needs the wasm-release build (NAZAR_WASM_RELEASE_DIR, default build/wasm-release) and
// web/node_modules; no registry is asked (npm runs with --offline and an empty cache).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { ROOT, WEB } from './helpers.mjs';
import { launch, TEST_CSP, waitFor } from '../browser/server.mjs';
import { createServer } from '../../scripts/serve.mjs';

const WASM_RELEASE = process.env.NAZAR_WASM_RELEASE_DIR || path.join(ROOT, 'build/wasm-release');
const NAME = 'nazar-survey';
// What the package holds, and nothing else: no sources, tests, source maps or pages.
const EXPECTED_FILES = [
  'package/README.md',
  'package/dist/nazar-core-rest.wasm',
  'package/dist/nazar-core.wasm',
  'package/dist/nazar-outbox.mjs',
  'package/dist/nazar-triggers.mjs',
  'package/dist/nazar-widget.mjs',
  'package/dist/nazar.d.ts',
  'package/dist/nazar.js',
  'package/dist/nazar.mjs',
  'package/locales/de.json',
  'package/locales/es.json',
  'package/locales/fr.json',
  'package/locales/tr.json',
  'package/locales/ur.json',
  'package/package.json',
];

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'nazar-package-'));
const npm = (args, cwd) => {
  const r = spawnSync('npm', [...args, '--offline', '--cache', path.join(tmp, 'npm-cache'), '--no-audit', '--no-fund'], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NAZAR_WASM_RELEASE_DIR: WASM_RELEASE, NODE_PATH: '/usr/share/nodejs', npm_config_update_notifier: 'false' },
  });
  assert.equal(r.status, 0, `npm ${args.join(' ')} failed in ${cwd}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
};

let tarball;
let scratch;

test('npm pack from a fresh copy of web/ builds dist and packs exactly the built files', () => {
  assert.ok(fs.existsSync(path.join(WASM_RELEASE, 'wasm/nazar-core.wasm')),
    `no wasm-release build at ${WASM_RELEASE} (cmake --build --preset wasm-release, or set NAZAR_WASM_RELEASE_DIR)`);
  // A fresh clone: web/ without dist (and node_modules only as the installed dev tools), and the
  // definitions web/split.mjs runs.
  const clone = path.join(tmp, 'clone/web');
  fs.mkdirSync(clone, { recursive: true });
  for (const name of fs.readdirSync(WEB)) {
    if (name === 'dist' || name === 'node_modules') continue;
    fs.cpSync(path.join(WEB, name), path.join(clone, name), { recursive: true });
  }
  fs.symlinkSync(fs.realpathSync(path.join(WEB, 'node_modules')), path.join(clone, 'node_modules'));
  // What web/split.mjs profiles the core with: the repository's examples and valid definitions.
  for (const dir of ['examples', 'tests/fixtures/valid']) {
    fs.cpSync(path.join(ROOT, dir), path.join(tmp, 'clone', dir), { recursive: true });
  }
  const out = path.join(tmp, 'out');
  fs.mkdirSync(out);
  npm(['pack', '--pack-destination', out], clone);
  const made = fs.readdirSync(out);
  assert.deepEqual(made, [NAME + '-0.1.0.tgz']);
  tarball = path.join(out, made[0]);
  const files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).trim().split('\n').sort();
  assert.deepEqual(files, EXPECTED_FILES);

  const unpacked = path.join(tmp, 'unpacked');
  fs.mkdirSync(unpacked);
  execFileSync('tar', ['-xzf', tarball, '-C', unpacked]);
  const pkg = JSON.parse(fs.readFileSync(path.join(unpacked, 'package/package.json'), 'utf8'));
  assert.equal(pkg.name, NAME);
  assert.equal(pkg.private, undefined, 'a private package cannot be published');
  assert.equal(pkg.license, 'UNLICENSED', 'the repository has no license file');
  assert.equal(pkg.type, 'module');
  // Every target the exports name is in the tarball.
  const targets = Object.values(pkg.exports).flatMap((t) => (typeof t === 'string' ? [t] : Object.values(t)));
  for (const t of [...targets.filter((t) => !t.includes('*')), pkg.types, pkg.module]) {
    assert.ok(files.includes('package/' + t.replace(/^\.\//, '')), `${t} named by package.json is not packed`);
  }
  assert.equal(pkg.exports['.'].types, './dist/nazar.d.ts');
  assert.equal(pkg.exports['./nazar.js'], './dist/nazar.js');
  // The UI languages beyond en, fa and ar, as files a definition takes as its "strings".
  assert.equal(pkg.exports['./locales/*.json'], './locales/*.json');
  // The packed core is the wasm-release build's, split by web/split.mjs, not a stale copy: the
  // split made again here from that build gives the same two files.
  const again = path.join(tmp, 'again');
  fs.cpSync(path.join(unpacked, 'package/dist'), again, { recursive: true });
  for (const f of ['nazar-core.wasm', 'nazar-core-rest.wasm']) fs.rmSync(path.join(again, f));
  execFileSync(process.execPath, [path.join(WEB, 'split.mjs'), path.join(WASM_RELEASE, 'wasm/nazar-core.wasm'), again]);
  for (const f of ['nazar-core.wasm', 'nazar-core-rest.wasm']) {
    assert.deepEqual(fs.readFileSync(path.join(unpacked, 'package/dist', f)), fs.readFileSync(path.join(again, f)), f);
  }
});

test('the tarball installs offline into a scratch project', () => {
  assert.ok(tarball, 'packing failed');
  scratch = path.join(tmp, 'scratch');
  fs.mkdirSync(scratch);
  fs.writeFileSync(path.join(scratch, 'package.json'), JSON.stringify({ name: 'scratch', private: true, type: 'module' }));
  npm(['install', '--ignore-scripts', tarball], scratch);
  const installed = path.join(scratch, 'node_modules', NAME);
  assert.equal(JSON.parse(fs.readFileSync(path.join(installed, 'package.json'), 'utf8')).name, NAME);
  assert.ok(fs.existsSync(path.join(installed, 'dist/nazar.mjs')));
  const manifest = JSON.parse(fs.readFileSync(path.join(scratch, 'package.json'), 'utf8'));
  assert.match(manifest.dependencies[NAME], /^file:.*\.tgz$/);
});

test('esbuild bundles a page importing the package: the ES module, the embed and the wasm', async () => {
  assert.ok(scratch, 'the install failed');
  const { build } = createRequire(path.join(WEB, 'package.json'))('esbuild');
  fs.writeFileSync(path.join(scratch, 'page.js'), `import * as nazar from '${NAME}';
import wasmUrl from '${NAME}/nazar-core.wasm';
import german from '${NAME}/locales/de.json';
console.log(german.de.next);
nazar.on('error', (e) => console.warn(e.message));
nazar.init({ surveys: '/v1/surveys', endpoint: '/v1/aggregates', base: new URL('.', wasmUrl).href });
`);
  fs.writeFileSync(path.join(scratch, 'embed.js'), `import '${NAME}/nazar.js';\n`);
  const outdir = path.join(scratch, 'out');
  const result = await build({
    entryPoints: [path.join(scratch, 'page.js'), path.join(scratch, 'embed.js')],
    bundle: true, format: 'esm', outdir, metafile: true, logLevel: 'silent',
    loader: { '.wasm': 'file' }, absWorkingDir: scratch,
  });
  const inputs = Object.keys(result.metafile.inputs);
  for (const file of ['dist/nazar.mjs', 'dist/nazar.js', 'dist/nazar-core.wasm', 'locales/de.json']) {
    assert.ok(inputs.includes(`node_modules/${NAME}/${file}`), `${file} not bundled from the package: ${inputs.join(', ')}`);
  }
  const page = fs.readFileSync(path.join(outdir, 'page.js'), 'utf8');
  // The entry's own code: the names of the module and the wasm it loads lazily, and German's "Next".
  for (const marker of ['nazar-widget.mjs', 'nazar-core.wasm', 'Weiter']) {
    assert.ok(page.includes(marker), `the bundle lacks ${marker}`);
  }
  const embed = fs.readFileSync(path.join(outdir, 'embed.js'), 'utf8');
  assert.ok(embed.includes('script[data-surveys]'), 'the embed bundle lacks the loader');
  const wasm = fs.readdirSync(outdir).filter((f) => f.endsWith('.wasm'));
  assert.equal(wasm.length, 1);
  assert.deepEqual(fs.readFileSync(path.join(outdir, wasm[0])),
    fs.readFileSync(path.join(scratch, 'node_modules', NAME, 'dist/nazar-core.wasm')));
});

// The package used as web/README.md says: a page bundled by esbuild from the ES module, with
// the lazily loaded files copied from node_modules/nazar-survey/dist/ to the folder `base` names.
// It runs in Chromium under the strict CSP: the survey shows, a click answers it, and the
// endpoint receives the count.
test('the bundled page, set up as web/README.md says, shows a survey and its answer reaches the endpoint', async () => {
  assert.ok(scratch, 'the install failed');
  const { build } = createRequire(path.join(WEB, 'package.json'))('esbuild');
  const app = path.join(scratch, 'app');
  fs.mkdirSync(app);
  fs.writeFileSync(path.join(app, 'main.js'), `import * as nazar from '${NAME}';
window.__errors = [];
nazar.on('error', (e) => window.__errors.push(e.code + ': ' + e.message));
nazar.init({ surveys: '/v1/surveys', endpoint: '/v1/aggregates', base: '/nazar/' });
nazar.track('checkout_completed');
`);
  await build({ entryPoints: [path.join(app, 'main.js')], bundle: true, format: 'esm', outdir: path.join(app, 'out'),
    logLevel: 'silent', absWorkingDir: scratch });
  const dist = path.join(scratch, 'node_modules', NAME, 'dist');
  const definitions = JSON.stringify({ nazar: 1, surveys: [{ nazar: 1, id: 'post-checkout', version: '1', default_locale: 'en',
    trigger: { on: 'event', event: 'checkout_completed', max_displays: 0 },
    questions: [{ id: 'nps', type: 'nps', text: { en: 'How likely are you to recommend us?' } }] }] });
  // The site: the page, the definitions the collector would serve, and the endpoint that keeps
  // each payload (scripts/serve.mjs), under the tests' strict CSP.
  const site = path.join(app, 'site');
  fs.mkdirSync(site);
  fs.writeFileSync(path.join(site, 'index.html'),
    '<!doctype html><html lang="en"><title>Thanks</title><h1>Thank you</h1><script type="module" src="/app/main.js"></script>');
  fs.writeFileSync(path.join(site, 'favicon.ico'), ''); // the browser's own request: not the package's concern
  fs.writeFileSync(path.join(app, 'surveys.json'), definitions);
  const server = createServer({
    mounts: [{ prefix: '/app/', dir: path.join(app, 'out') }, { prefix: '/nazar/', dir: dist }, { prefix: '/', dir: site }],
    surveysFile: path.join(app, 'surveys.json'),
    csp: TEST_CSP,
  });
  const origin = await server.listen(0);
  const browser = await launch();
  try {
    const page = await browser.context.newPage();
    const consoleErrors = [];
    page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
    const missing = [];
    page.on('response', (r) => r.status() === 404 && missing.push(new URL(r.url()).pathname));
    await page.goto(origin + '/');
    await page.getByRole('dialog').waitFor({ state: 'visible', timeout: 15000 });
    await page.getByRole('radio', { name: '9', exact: true }).click();
    await page.getByRole('button', { name: 'Submit' }).click();
    await page.getByRole('status').getByText('Thank you', { exact: false }).waitFor();
    await waitFor(() => server.received.some((r) => r.body.questions), 10000, 'a payload at the endpoint');
    const tally = server.received.find((r) => r.body.questions).body;
    assert.equal(tally.survey, 'post-checkout');
    assert.deepEqual(tally.questions.nps.counts, [0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0]);
    assert.deepEqual(await page.evaluate(() => [window.__errors, window.__violations, window.__uncaught]), [[], [], []]);
    assert.deepEqual(missing, []);
    assert.deepEqual(consoleErrors, []);
  } finally {
    await browser.close();
    await server.close();
  }
});

test("tsc resolves the package's types: a correct page checks, a wrong one fails where it is wrong", () => {
  assert.ok(scratch, 'the install failed');
  const tsc = path.join(WEB, 'node_modules/typescript/bin/tsc');
  assert.ok(fs.existsSync(tsc), 'no typescript in web/node_modules (run scripts/install-deps.sh)');
  const config = {
    compilerOptions: {
      target: 'ES2020', module: 'ESNext', moduleResolution: 'Bundler', strict: true, noEmit: true,
      lib: ['ES2021', 'DOM'], types: [], skipLibCheck: false,
    },
  };
  const check = (name, code) => {
    const dir = path.join(scratch, 'ts-' + name);
    fs.mkdirSync(dir);
    fs.symlinkSync(path.join(scratch, 'node_modules'), path.join(dir, 'node_modules'));
    fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ ...config, files: ['page.ts'] }));
    fs.writeFileSync(path.join(dir, 'page.ts'), code);
    const r = spawnSync(process.execPath, [tsc, '--pretty', 'false', '-p', dir], { encoding: 'utf8' });
    return { status: r.status, out: r.stdout + r.stderr };
  };
  const good = check('good', `import { init, on, show, type NazarApi, type InitOptions } from '${NAME}';
const options: InitOptions = { surveys: '/v1/surveys', endpoint: '/v1/aggregates', locale: 'fa' };
init(options);
on('error', (e) => console.warn(e.type, e['message']));
const api: NazarApi = window.nazar;
void api.track('checkout_completed');
void show('post-checkout', { container: '#slot' });
`);
  assert.equal(good.status, 0, good.out);
  const bad = check('bad', `import { init, on } from '${NAME}';
init({ surveys: 42 });
on('clicked', () => {});
`);
  assert.notEqual(bad.status, 0);
  const errors = bad.out.trim().split('\n').map((l) => l.replace(/^.*page\.ts/, 'page.ts'));
  assert.equal(errors.length, 2, bad.out);
  assert.match(errors[0], /^page\.ts\(2,8\): error TS2322: Type 'number' is not assignable to type 'string'/);
  assert.match(errors[1], /^page\.ts\(3,4\): error TS2345: Argument of type '"clicked"'/);
});

test('cleanup', () => fs.rmSync(tmp, { recursive: true, force: true }));
