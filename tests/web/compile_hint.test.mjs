// The built widget module carries V8's explicit compile hint (Chrome 136+): the magic comment
// `//# allFunctionsCalledOnLoad`, which V8 honours only as the file's very first line, makes it
// compile every function of the file on a background thread while the file streams in, not one
// by one on the main thread at its first call. The widget module runs most of its functions
// before the first question shows (bench/README.md, "Explicit compile hints": 154 lazy compiles
// on the main thread before the question became 30). The loader must not carry it: it runs on
// every page, and most of its API is never called there.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from './helpers.mjs';

const DIST = process.env.NAZAR_WEB_DIST_DIR || path.join(ROOT, 'web/dist');
const HINT = '//# allFunctionsCalledOnLoad';
// The first line, cut to 80 characters so that a failure prints a readable start of the file.
const firstLine = (file) => fs.readFileSync(path.join(DIST, file), 'utf8').split('\n', 1)[0].slice(0, 80);

test('the widget module opens with the compile hint; the loader does not', () => {
  assert.equal(firstLine('nazar-widget.mjs'), HINT);
  assert.notEqual(firstLine('nazar.js'), HINT);
  // The hint is a line of its own: the code starts on the next line (abi_contract.test.mjs loads the module).
  const text = fs.readFileSync(path.join(DIST, 'nazar-widget.mjs'), 'utf8');
  assert.match(text.slice(HINT.length + 1, HINT.length + 200), /^[^/]/, 'the code follows the comment line');
});
