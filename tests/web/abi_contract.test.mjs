// The C ABI contract across languages: status values (core, C header, web/src/binding/status.ts) and
// the export lists (wasm/*.exports together == nazar_abi.h declarations == what
// web/src/binding/core.ts calls).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, importWebSource } from './helpers.mjs';

const read = (p) => fs.readFileSync(path.join(ROOT, p), 'utf8');
const snake = (camel) => camel.replace(/[A-Z]/g, (c, i) => (i ? '_' : '') + c.toLowerCase());

// wasm/<module>.exports: one C function per line; each module exports exactly its list.
function exportList(module) {
  return read('wasm/' + module + '.exports')
    .split('\n')
    .filter((l) => l.startsWith('nazar_'))
    .map((l) => l.split(/\s+/)[0]);
}
// Every module's export list, found rather than named (a new list cannot be left out).
const MODULES = fs.readdirSync(path.join(ROOT, 'wasm')).filter((f) => f.endsWith('.exports'))
  .map((f) => f.slice(0, -'.exports'.length)).sort();

function headerStatuses() {
  const body = /enum NazarStatus\s*\{([^}]*)\}/.exec(read('wasm/nazar_abi.h'))[1];
  return Object.fromEntries([...body.matchAll(/NAZAR_([A-Z_]+)\s*=\s*(\d+)/g)].map((m) => [m[1].toLowerCase(), +m[2]]));
}

function coreStatuses() {
  const body = /enum class StatusCode : int\s*\{([\s\S]*?)\};/.exec(read('core/include/nazar/result.h'))[1];
  return Object.fromEntries([...body.matchAll(/k(\w+)\s*=\s*(\d+)/g)].map((m) => [snake(m[1]), +m[2]]));
}

function tsStatuses() {
  const body = /export const StatusCode = \{([^}]*)\}/.exec(read('web/src/binding/status.ts'))[1];
  return Object.fromEntries([...body.matchAll(/(\w+):\s*(\d+)/g)].map((m) => [snake(m[1]), +m[2]]));
}

test('status values: core == C header == web/src/binding/status.ts', async () => {
  const core = coreStatuses();
  assert.equal(Object.keys(core).length, 7);
  assert.deepEqual(headerStatuses(), core);
  assert.deepEqual(tsStatuses(), core);
  // The runtime mirror: values by name, names by value, and NazarError carries them.
  const status = await importWebSource('binding/status');
  assert.deepEqual(Object.fromEntries(Object.entries(status.StatusCode).map(([k, v]) => [snake(k), v])), core);
  for (const [name, value] of Object.entries(core)) {
    assert.equal(status.STATUS_NAMES[value], name);
    assert.equal(new status.NazarError(value, 'm').code, name);
  }
});

test('status names: web == core StatusCodeName', () => {
  const src = read('core/src/result.cc');
  const names = Object.fromEntries(
    [...src.matchAll(/case StatusCode::k(\w+):\s*return "(\w+)"/g)].map((m) => [snake(m[1]), m[2]]));
  for (const [name, spelled] of Object.entries(names)) assert.equal(spelled, name);
  assert.equal(Object.keys(names).length, 7);
});

test('exports: the union of wasm/*.exports == nazar_abi.h == web/src/binding/core.ts', () => {
  const all = MODULES.flatMap(exportList);
  for (const m of MODULES) {
    const list = exportList(m);
    assert.equal(new Set(list).size, list.length, m + '.exports has duplicates');
  }
  const listed = [...new Set(all)];
  const header = read('wasm/nazar_abi.h').replace(/\/\*[\s\S]*?\*\//g, '');
  const declared = [...header.matchAll(/^[\w\s*]*?\b(nazar_\w+)\s*\(/gm)].map((m) => m[1]);
  const used = [...new Set([...read('web/src/binding/core.ts').matchAll(/\b_(nazar_\w+)\b/g)].map((m) => m[1]))];
  const sorted = (a) => [...a].sort();
  assert.deepEqual(sorted(declared), sorted(listed));
  assert.deepEqual(sorted(used), sorted(listed));
});

// The production module whose glue is bundled into `file` of web/dist (web/build.mjs) puts
// exactly `module`.exports on its module object.
function expectBuiltExports(file, module) {
  const dist = process.env.NAZAR_WEB_DIST_DIR || path.join(ROOT, 'web/dist');
  const glue = path.join(dist, file);
  // Never a silent skip: the test command builds web/dist before this runs.
  assert.ok(fs.existsSync(glue), 'no ' + glue + ': build it with scripts/build-web.sh');
  const text = fs.readFileSync(glue, 'utf8');
  const own = new Set(exportList(module));
  for (const name of new Set(MODULES.flatMap(exportList))) {
    // Module._nazar_x = ... (closure writes quoted names with a dot, keeping the name).
    const re = new RegExp(`[."']_${name}\\b["']?\\]?\\s*=`);
    if (own.has(name)) assert.match(text, re, `_${name} is not on the ${module} module object`);
    else assert.doesNotMatch(text, re, `_${name} is not in ${module}.exports but is in the ${module} module`);
  }
}

// The widget module carries its own runtime (web/src/binding/widget-glue.ts), which puts on its
// module object the functions the name map web/build.mjs wrote into it lists.
test('exports: the production widget module exposes exactly widget.exports', () => {
  const file = path.join(process.env.NAZAR_WEB_DIST_DIR || path.join(ROOT, 'web/dist'), 'nazar-widget.mjs');
  assert.ok(fs.existsSync(file), 'no ' + file + ': build it with scripts/build-web.sh');
  const map = fs.readFileSync(file, 'utf8').match(/\bexports:\{((?:_nazar_\w+:"\w+",?)+)\}/);
  assert.ok(map, 'no export name map in ' + file);
  const names = [...map[1].matchAll(/_(nazar_\w+):/g)].map((m) => m[1]);
  assert.deepEqual(names.sort(), [...exportList('widget')].sort());
});

test('exports: the production analyze module exposes exactly analyze.exports', () => {
  expectBuiltExports(path.join('analyze', 'analyze-worker.js'), 'analyze');
});
