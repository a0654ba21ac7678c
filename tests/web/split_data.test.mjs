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

// The primary's strings, laid out one after the other from 1024, each NUL-terminated; `reader`
// says which module's code names each one by address (the primary also reads loadOffset, through
// a load's offset).
const STRINGS = [
  ['primaryOnly', 'kept: primary reads it', 'primary'],
  ['restOnly', 'moved: only the rest reads it', 'rest'],
  ['restNext', 'moved too, beside it', 'rest'], // only a NUL apart: one segment of the rest with it
  ['tailShared', 'head text, then a tail', 'rest'], // the primary reads its "tail"
  ['between', 'k', 'primary'],
  ['restAfter', 'moved, 2 B after a kept one', 'rest'], // not one segment with the moves before it
  ['pointed', 'kept: a pointer in the data names it', 'rest'],
  ['cutPointed', 'kept: a cut-off pointer names it', 'rest'],
  ['loadOffset', 'kept: a load offset reads it', 'rest'],
  ['nobody', 'kept: no function names it', 'nobody'],
];
const AT = {};
const TEXT = {};
let next = 1024;
for (const [key, text] of STRINGS) {
  AT[key] = next;
  TEXT[key] = text;
  next += text.length + 1;
}
AT.binary = (next + 3) & ~3; // bytes 01 02 03: not text, even though only the rest names them
AT.table = AT.binary + 8; // a pointer to `pointed`, then the low bytes of one to `cutPointed`
const TAIL = AT.tailShared + TEXT.tailShared.indexOf('tail');

const wat = (s) => s.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
const hex = (n) => '\\' + n.toString(16).padStart(2, '0');
// The table segment ends after the second pointer's two low bytes, as wasm-opt's memory packing
// leaves a table whose last pointer's high bytes are zero.
const table = [AT.pointed & 0xff, AT.pointed >> 8, 0, 0, AT.cutPointed & 0xff, AT.cutPointed >> 8].map(hex).join('');
const primaryWat = `(module
  (memory $m (export "e") 1)
  (data (i32.const 1024) "${STRINGS.map(([, text]) => wat(text) + '\\00').join('')}")
  (data (i32.const ${AT.binary}) "\\01\\02\\03\\00")
  (data (i32.const ${AT.table}) "${table}")
  (func (export "a") (result i32) (i32.add (i32.const ${AT.primaryOnly}) (i32.const ${AT.between})))
  (func (export "b") (result i32) (i32.const ${TAIL}))
  (func (export "c") (result i32) (i32.load8_u offset=${AT.loadOffset} (i32.const 0)))
)`;
const restNames = [...STRINGS.filter(([, , reader]) => reader === 'rest').map(([key]) => AT[key]), AT.binary, AT.primaryOnly + 5];
const restWat = `(module
  (import "primary" "e" (memory 1))
  (func (export "r") (result i32)
    ${restNames.map((a) => `(drop (i32.const ${a + (a === AT.loadOffset ? 3 : 0)}))`).join('\n    ')}
    (i32.const 0))
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
    const movedKeys = ['restOnly', 'restNext', 'restAfter'];
    const headBytes = TAIL - AT.tailShared; // the shared string moves up to its tail
    assert.deepEqual(moved, { strings: 4, bytes: movedKeys.reduce((n, k) => n + TEXT[k].length, headBytes) });
    // Two segments in the rest: restOnly, restNext and the shared string's head (NULs apart),
    // then restAfter (a kept string between).
    const restText = execFileSync('wasm-dis', [restPath]).toString();
    assert.equal(restText.match(/\(data /g)?.length, 2, restText);

    const primaryBytes = fs.readFileSync(primaryPath);
    for (const key of movedKeys) assert.equal(primaryBytes.includes(Buffer.from(TEXT[key])), false, `${key} is not in the primary file`);
    const primary = (await WebAssembly.instantiate(primaryBytes)).instance;
    const memory = primary.exports.e;
    for (const key of movedKeys) assert.equal(cString(memory, AT[key]), '', `${key}: zeros until the rest loads`);
    assert.equal(cString(memory, AT.tailShared), '');
    assert.equal(cString(memory, TAIL), 'tail');
    for (const key of ['primaryOnly', 'between', 'pointed', 'cutPointed', 'loadOffset', 'nobody']) {
      assert.equal(cString(memory, AT[key]), TEXT[key], key);
    }
    assert.deepEqual([...new Uint8Array(memory.buffer, AT.binary, 3)], [1, 2, 3]);

    await WebAssembly.instantiate(fs.readFileSync(restPath), { primary: primary.exports });
    for (const key of Object.keys(TEXT)) assert.equal(cString(memory, AT[key]), TEXT[key], key + ' once the rest is in');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

// Two strings only the rest reads, a NUL apart in memory but in two segments that the file lists
// in the other order: the rest writes each from its own segment's bytes.
test('strings of two segments never become one segment of the rest', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nazar-split-data-'));
  try {
    const primaryPath = assemble(dir, 'primary', `(module
  (memory $m (export "e") 1)
  (data (i32.const 2010) "second\\00")
  (data (i32.const 2000) "the first\\00")
)`);
    const restPath = assemble(dir, 'rest', `(module
  (import "primary" "e" (memory 1))
  (func (export "r") (result i32) (drop (i32.const 2000)) (i32.const 2010))
)`);
    assert.deepEqual(moveStrings(primaryPath, restPath), { strings: 2, bytes: 15 });
    assert.equal(execFileSync('wasm-dis', [restPath]).toString().match(/\(data /g)?.length, 2);
    const primary = (await WebAssembly.instantiate(fs.readFileSync(primaryPath))).instance;
    assert.equal(cString(primary.exports.e, 2000), '');
    await WebAssembly.instantiate(fs.readFileSync(restPath), { primary: primary.exports });
    assert.equal(cString(primary.exports.e, 2000), 'the first');
    assert.equal(cString(primary.exports.e, 2010), 'second');
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
