// web/split-data.mjs on two small hand-written modules shaped like wasm-split's output: a primary
// that owns the memory and its data, and a rest that imports that memory. Which strings move is
// checked against what each module's code was written to read, and the bytes in memory before
// and after the rest is instantiated.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from './helpers.mjs';

const { moveStrings } = await import(path.join(ROOT, 'web/split-data.mjs'));

// Addresses of the strings in the primary's data (each NUL-terminated).
const AT = {
  primaryOnly: 1024, // "kept: primary reads it"
  restOnly: 1056, // "moved: only the rest reads it"
  tailShared: 1096, // "head text, then a tail" whose "tail" (at 1114) the primary reads
  pointed: 1124, // "kept: a pointer in the data names it"
  loadOffset: 1168, // "kept: a load's offset reads it"
  nobody: 1200, // "kept: no function names it"
  binary: 1232, // bytes 01 02 03: not text, even though only the rest reads them
  table: 1240, // a pointer to `pointed`
};
const TEXT = {
  primaryOnly: 'kept: primary reads it',
  restOnly: 'moved: only the rest reads it',
  tailShared: 'head text, then a tail',
  pointed: 'kept: a pointer in the data names it',
  loadOffset: 'kept: a load offset reads it',
  nobody: 'kept: no function names it',
};
const TAIL = AT.tailShared + TEXT.tailShared.indexOf('tail');

const wat = (s) => s.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
const primaryWat = `(module
  (memory $m (export "e") 1)
  ${Object.entries(TEXT).map(([k, t]) => `(data (i32.const ${AT[k]}) "${wat(t)}\\00")`).join('\n  ')}
  (data (i32.const ${AT.binary}) "\\01\\02\\03\\00")
  (data (i32.const ${AT.table}) "\\${(AT.pointed & 0xff).toString(16).padStart(2, '0')}\\${(AT.pointed >> 8).toString(16).padStart(2, '0')}\\00\\00")
  (func (export "a") (result i32) (i32.const ${AT.primaryOnly}))
  (func (export "b") (result i32) (i32.const ${TAIL}))
  (func (export "c") (result i32) (i32.load8_u offset=${AT.loadOffset} (i32.const 0)))
)`;
const restWat = `(module
  (import "primary" "e" (memory 1))
  (func (export "r") (result i32)
    (i32.add (i32.add (i32.const ${AT.restOnly}) (i32.const ${AT.tailShared}))
      (i32.add (i32.add (i32.const ${AT.pointed}) (i32.const ${AT.loadOffset + 3}))
        (i32.add (i32.const ${AT.binary}) (i32.const ${AT.primaryOnly + 5})))))
)`;

function assemble(dir, name, text) {
  const source = path.join(dir, name + '.wat');
  const out = path.join(dir, name + '.wasm');
  fs.writeFileSync(source, text);
  execFileSync('wasm-as', [source, '-o', out]);
  return out;
}

const cString = (memory, at) => {
  const bytes = new Uint8Array(memory.buffer, at);
  return Buffer.from(bytes.subarray(0, bytes.indexOf(0))).toString();
};

test('only the text no part of the primary reads moves to the rest, and the rest writes it back', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nazar-split-data-'));
  try {
    const primaryPath = assemble(dir, 'primary', primaryWat);
    const restPath = assemble(dir, 'rest', restWat);
    const moved = moveStrings(primaryPath, restPath);
    // The whole of "moved: ...", and the head of the shared string up to its tail.
    assert.deepEqual(moved, { strings: 2, bytes: TEXT.restOnly.length + (TAIL - AT.tailShared) });

    const primaryBytes = fs.readFileSync(primaryPath);
    assert.equal(primaryBytes.includes(Buffer.from(TEXT.restOnly)), false, 'the moved string is not in the primary file');
    const primary = (await WebAssembly.instantiate(primaryBytes)).instance;
    const memory = primary.exports.e;
    assert.equal(cString(memory, AT.restOnly), '', 'zeros until the rest loads');
    assert.equal(cString(memory, AT.tailShared), '');
    assert.equal(cString(memory, TAIL), 'tail');
    for (const key of ['primaryOnly', 'pointed', 'loadOffset', 'nobody']) assert.equal(cString(memory, AT[key]), TEXT[key], key);
    assert.deepEqual([...new Uint8Array(memory.buffer, AT.binary, 3)], [1, 2, 3]);

    await WebAssembly.instantiate(fs.readFileSync(restPath), { primary: primary.exports });
    for (const key of Object.keys(TEXT)) assert.equal(cString(memory, AT[key]), TEXT[key], key + ' once the rest is in');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a rest that has data of its own is refused, not merged', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nazar-split-data-'));
  try {
    const primaryPath = assemble(dir, 'primary', primaryWat);
    const restPath = assemble(dir, 'rest', restWat.replace('(memory 1))', '(memory 1))\n  (data (i32.const 2000) "x")'));
    assert.throws(() => moveStrings(primaryPath, restPath), /has data segments already/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
