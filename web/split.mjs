// Splits the widget's wasm core in two (issue 9: what the first question downloads). What the
// first question runs stays in dist/nazar-core.wasm; the rest goes to dist/nazar-core-rest.wasm,
// which the widget requests once the question has painted (web/src/embed/widget.ts) and which
// answers, kiosk rounds, comments and most error messages need.
//
// "What runs" is measured, not listed by hand: Binaryen's `wasm-split --instrument` makes a copy
// of the core that records every function it enters, and that copy runs the widget's own calls
// before a question shows (web/split-calls.mjs: version, the validate warm-up of the
// definitions, decide, createSession) through the built binding (dist/nazar-widget.mjs), for
// every survey of every definitions file of examples/ and tests/fixtures/valid/, in several
// languages, floating and inline, for first and returning visitors. Random draws (sampling) and
// the clock are fixed, so the record, and the two files, are the same on every build of the same
// core. `wasm-split --profile` then splits the shipped core with that record. A definition that reaches a function the record missed still
// shows: the call waits for the rest and runs again (NazarCore.whole, tests/web/split.test.mjs).
//
//   node web/split.mjs <nazar-core.wasm as linked> <dist folder>   (web/build.mjs runs it)
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { firstQuestionCalls, profileFiles } from './split-calls.mjs';
import { moveStrings } from './split-data.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const [whole, dist] = process.argv.slice(2);
if (!whole || !dist) throw new Error('usage: node web/split.mjs <nazar-core.wasm> <dist folder>');

// The features emcc's module uses (binaryen 108 does not read them from the module).
const FEATURES = ['--enable-mutable-globals', '--enable-bulk-memory', '--enable-sign-ext',
  '--enable-nontrapping-float-to-int'];
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'nazar-split-'));
try {
  const instrumented = path.join(work, 'instrumented.wasm');
  execFileSync('wasm-split', ['--instrument', ...FEATURES, whole, '-o', instrumented]);

  // The same draws on every build (sample_rate): which branches run must not depend on luck.
  let seed = 0x9e3779b9;
  Object.defineProperty(crypto, 'getRandomValues', {
    configurable: true,
    value: (view) => {
      const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
      for (let i = 0; i < bytes.length; ++i) {
        seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
        bytes[i] = seed >>> 24;
      }
      return view;
    },
  });
  Date.now = () => Date.UTC(2026, 11, 3, 9, 30);
  // The instance of the instrumented module (it alone exports __write_profile).
  let profiled = null;
  const instantiate = WebAssembly.instantiate;
  WebAssembly.instantiate = async function (...args) {
    const result = await instantiate.apply(this, args);
    const instance = result instanceof WebAssembly.Instance ? result : result.instance;
    if (instance.exports.__write_profile) profiled = instance;
    return result;
  };
  const widget = await import(pathToFileURL(path.join(dist, 'nazar-widget.mjs')).href);
  const core = await widget.loadCore({ factory: widget.createNazarCore, wasmBinary: fs.readFileSync(instrumented) });
  if (!profiled) throw new Error('split: the instrumented core was not instantiated');

  const files = profileFiles(root);
  const now = Date.now();
  core.liveSessions(); // the binding's leak check may ask before the rest has loaded
  let shown = 0;
  for (const file of files) {
    core.version();
    // Sessions are left open: closing one is not on the first question's path.
    for (const { call, session } of firstQuestionCalls(fs.readFileSync(file, 'utf8'), now)) {
      call(core);
      if (session) ++shown;
    }
  }

  const exports = profiled.exports;
  const memory = Object.values(exports).find((v) => v instanceof WebAssembly.Memory);
  const size = 1 << 16;
  const at = memory.buffer.byteLength - size; // above the heap's top
  const n = exports.__write_profile(at, size);
  const profile = path.join(work, 'first-question.prof');
  fs.writeFileSync(profile, new Uint8Array(memory.buffer, at, n));
  const primary = path.join(dist, 'nazar-core.wasm');
  const rest = path.join(dist, 'nazar-core-rest.wasm');
  execFileSync('wasm-split', [...FEATURES, whole, '--profile=' + profile, '-o1', primary, '-o2', rest]);
  // wasm-split leaves the primary as it cut it: one more size pass (-0.6 KB brotli). Its table is
  // exported (the rest fills it), so binaryen never turns a call through a placeholder's slot
  // into a direct call.
  execFileSync('wasm-opt', ['-Oz', ...FEATURES, primary, '-o', primary]);
  // The text only the rest reads moves with it (web/split-data.mjs). After the size pass, whose
  // memory packing would cut the primary's segments at every hole (5 to 8 B each): brotli
  // takes a hole's zeros for less.
  const strings = moveStrings(primary, rest);
  console.log(`split: ${shown} first questions of ${files.length} definitions files profiled; ${strings.strings} strings (${strings.bytes} B) moved to the rest`);
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
