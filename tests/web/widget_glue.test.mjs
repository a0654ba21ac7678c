// The widget module's own runtime for the wasm core (web/src/binding/widget-glue.ts), which
// stands in for Emscripten's glue: each function the core imports, through the built module
// (dist/nazar-widget.mjs) and the core as it ships (dist/nazar-core.wasm and its rest), checked
// against what the core must see: the clock (a payload's day), entropy (a sampling draw), the
// heap's growth (an input larger than the memory), and an import that fails (the core ends with
// a clear error; nothing else breaks).
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from './helpers.mjs';

const DIST = process.env.NAZAR_WEB_DIST_DIR || path.join(ROOT, 'web/dist');
const primary = fs.readFileSync(path.join(DIST, 'nazar-core.wasm'));
const rest = fs.readFileSync(path.join(DIST, 'nazar-core-rest.wasm'));

// Each import evaluates the widget module afresh (its loadCore keeps one core per module instance).
let loads = 0;
const importWidget = () => import(pathToFileURL(path.join(DIST, 'nazar-widget.mjs')).href + '?glue=' + ++loads);
async function load() {
  const widget = await importWidget();
  const core = await widget.loadCore({ factory: widget.createNazarCore, wasmBinary: primary, restBinary: rest });
  await core.loadRest();
  return { widget, core };
}

const realNow = Date.now;
const realRandom = crypto.getRandomValues;
const randomBytes = (fill) =>
  Object.defineProperty(crypto, 'getRandomValues', { configurable: true, value: fill });
afterEach(() => {
  Date.now = realNow;
  randomBytes(realRandom);
});

const ONE_NPS = {
  nazar: 1,
  id: 'one',
  version: '1',
  default_locale: 'en',
  trigger: { on: 'event', event: 'checkout_completed', delay_ms: 0, max_displays: 0 },
  questions: [{ id: 'nps', type: 'nps', text: { en: 'How likely are you to recommend us?' } }],
  thank_you: { text: { en: 'Thank you!' } },
};
// Shown to a quarter of visitors: a draw below 0.25 shows it (METRICS.md, "Sampling").
const SAMPLED = { ...ONE_NPS, id: 'sampled', trigger: { ...ONE_NPS.trigger, sample_rate: 0.25 } };
const decision = () => ({
  definition: JSON.stringify(SAMPLED),
  facts: { kind: 'event', event: 'checkout_completed', url_path: '/thanks', now_ms: realNow() },
  history: {},
});

// The period of the payload a new session's first display stores, at `offset` minutes from UTC.
function period(core, offset) {
  const s = core.createSession({ definition: ONE_NPS, locale: 'en', site: 'shop.example', utc_offset_minutes: offset });
  try {
    return s.event({ type: 'shown' }).effects[0].payload.period;
  } finally {
    s.dispose();
  }
}

test('clock: a payload\'s period is the local day of Date.now() at the page\'s offset', async () => {
  const { core } = await load();
  // 21:00 UTC on 20 March is 00:30 on 21 March in Tehran (+03:30). The 750 ms make the timespec's
  // nanoseconds word non-zero: read as part of a 64-bit tv_sec it would give another day.
  Date.now = () => Date.UTC(2026, 2, 20, 21, 0, 0, 750);
  for (const [offset, day] of [[210, '2026-03-21'], [0, '2026-03-20'], [-300, '2026-03-20']]) {
    assert.equal(period(core, offset), day, 'offset ' + offset);
  }
});

test('entropy: the sampling draw comes from crypto.getRandomValues, into the core\'s memory', async () => {
  const { core } = await load();
  const request = decision();
  const views = [];
  randomBytes((view) => {
    views.push(view);
    return view.fill(0);
  });
  const low = core.decide(request);
  assert.equal(low.decisions[0].sample_draw, 0);
  assert.equal(low.show?.survey, 'sampled');
  assert.ok(views.length > 0 && views.every((v) => v instanceof Uint8Array && v.byteLength <= 256));
  randomBytes((view) => view.fill(0xff));
  const high = core.decide(request);
  assert.ok(high.decisions[0].sample_draw > 0.99, String(high.decisions[0].sample_draw));
  assert.equal(high.show ?? null, null);
});

test('heap growth: an input larger than the memory grows it by what it needs, and is read whole', async () => {
  const { core } = await load();
  const text = JSON.stringify({ nazar: 1, surveys: [ONE_NPS] });
  // Valid only if the core reads all of it: the closing bracket comes after the padding.
  const padded = (bytes) => text.slice(0, -1) + ' '.repeat(bytes) + '}';
  const first = padded(core.memoryBytes + (4 << 20));
  assert.equal(core.validate(first).surveys[0].id, 'one');
  assert.ok(core.memoryBytes >= first.length, `${core.memoryBytes} < ${first.length}`);
  // Twice that: the memory grows by at most what the new input needs (the allocator may or may
  // not reuse the first input's space). emscripten_resize_heap is given the new total size; grown
  // by that much instead, the memory would add its whole size again.
  const grown = core.memoryBytes;
  const second = padded(2 * grown);
  assert.equal(core.validate(second).surveys[0].id, 'one');
  const after = core.memoryBytes;
  assert.ok(after >= second.length && after <= grown + second.length + (1 << 20), `${after} after ${grown} for ${second.length}`);
  // The core goes on in the grown memory, and its clock and entropy still reach it.
  assert.equal(core.validate(text).surveys[0].id, 'one');
  randomBytes((view) => view.fill(0));
  assert.equal(core.decide(decision()).decisions[0].sample_draw, 0);
  Date.now = () => Date.UTC(2026, 2, 20, 21, 0, 0, 750);
  assert.equal(period(core, 210), '2026-03-21');
});

test('abort: the one import that ends the core throws a RuntimeError', async () => {
  const widget = await importWidget();
  let imports = null;
  void widget.createNazarCore({ instantiateWasm: (given) => void (imports = given) }).catch(() => {});
  const env = Object.values(imports)[0];
  assert.equal(Object.keys(env).length, 4);
  // Before an instance exists the other three have no memory to use: each fails otherwise.
  const aborts = Object.values(env).filter((fn) => {
    try {
      fn(0, 0);
    } catch (e) {
      return e instanceof WebAssembly.RuntimeError && /Aborted/.test(e.message);
    }
    return false;
  });
  assert.equal(aborts.length, 1);
});

test('an import that throws ends the core with a clear error; the next call says so too', async () => {
  const { core, widget } = await load();
  randomBytes(() => {
    throw new Error('no entropy here');
  });
  const request = decision();
  assert.throws(() => core.decide(request), (e) => e instanceof widget.NazarError && e.code === 'internal' &&
    /core crashed: no entropy here/.test(e.message));
  randomBytes(realRandom);
  assert.throws(() => core.version(), /core crashed/);
});
