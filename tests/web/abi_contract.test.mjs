// The C ABI contract across languages: status values (core, C header, web/src/status.ts) and
// the export list (wasm/exports.txt == nazar_abi.h declarations == what web/src/core.ts calls).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, importWebSource } from './helpers.mjs';

const read = (p) => fs.readFileSync(path.join(ROOT, p), 'utf8');
const snake = (camel) => camel.replace(/[A-Z]/g, (c, i) => (i ? '_' : '') + c.toLowerCase());

// wasm/exports.txt: one function per line, "not-widget" marks those left out of the widget module.
function exportLines() {
  return read('wasm/exports.txt')
    .split('\n')
    .filter((l) => l.startsWith('nazar_'))
    .map((l) => ({ name: l.split(/\s+/)[0], widget: !/not-widget/.test(l) }));
}

function headerStatuses() {
  const body = /enum NazarStatus\s*\{([^}]*)\}/.exec(read('wasm/nazar_abi.h'))[1];
  return Object.fromEntries([...body.matchAll(/NAZAR_([A-Z_]+)\s*=\s*(\d+)/g)].map((m) => [m[1].toLowerCase(), +m[2]]));
}

function coreStatuses() {
  const body = /enum class StatusCode : int\s*\{([\s\S]*?)\};/.exec(read('core/include/nazar/result.h'))[1];
  return Object.fromEntries([...body.matchAll(/k(\w+)\s*=\s*(\d+)/g)].map((m) => [snake(m[1]), +m[2]]));
}

function tsStatuses() {
  const body = /export enum StatusCode\s*\{([^}]*)\}/.exec(read('web/src/status.ts'))[1];
  return Object.fromEntries([...body.matchAll(/(\w+)\s*=\s*(\d+)/g)].map((m) => [snake(m[1]), +m[2]]));
}

test('status values: core == C header == web/src/status.ts', async () => {
  const core = coreStatuses();
  assert.equal(Object.keys(core).length, 7);
  assert.deepEqual(headerStatuses(), core);
  assert.deepEqual(tsStatuses(), core);
  // The runtime mirror: names index by value, and NazarError carries them.
  const status = await importWebSource('status');
  for (const [name, value] of Object.entries(core)) {
    assert.equal(status.StatusCode[status.StatusCode[value]], value);
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

test('exports: exports.txt == nazar_abi.h == web/src/core.ts', () => {
  const listed = exportLines().map((l) => l.name);
  const header = read('wasm/nazar_abi.h').replace(/\/\*[\s\S]*?\*\//g, '');
  const declared = [...header.matchAll(/^[\w\s*]*?\b(nazar_\w+)\s*\(/gm)].map((m) => m[1]);
  const used = [...new Set([...read('web/src/core.ts').matchAll(/\b_(nazar_\w+)\b/g)].map((m) => m[1]))];
  const sorted = (a) => [...a].sort();
  assert.equal(new Set(listed).size, listed.length, 'exports.txt has duplicates');
  assert.deepEqual(sorted(declared), sorted(listed));
  assert.deepEqual(sorted(used), sorted(listed));
});

test('exports: the production glue exposes every function', (t) => {
  const dist = process.env.NAZAR_WEB_DIST_DIR || path.join(ROOT, 'web/dist');
  const glue = path.join(dist, 'nazar-core.mjs');
  if (!fs.existsSync(glue)) return t.skip('no ' + glue);
  const text = fs.readFileSync(glue, 'utf8');
  for (const { name, widget } of exportLines()) {
    // Module._nazar_x = ... (closure writes quoted names with a dot, keeping the name).
    const re = new RegExp(`[."']_${name}\\b["']?\\]?\\s*=`);
    if (widget) assert.match(text, re, `_${name} is not on the module object`);
    else assert.doesNotMatch(text, re, `_${name} is marked not-widget but is in the widget module`);
  }
});
