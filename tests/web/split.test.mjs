// The widget's core as it ships, split in two by web/split.mjs (issue 9): what the first question
// runs (dist/nazar-core.wasm) and the rest (dist/nazar-core-rest.wasm). Checked against the core
// as linked, whole (build/wasm-release/wasm/nazar-core.wasm), through the built widget module's
// binding (dist/nazar-widget.mjs): the same surveys must give the same updates, byte for byte.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from './helpers.mjs';

const { firstQuestionCalls, profileFiles } = await import(path.join(ROOT, 'web/split-calls.mjs'));

const DIST = process.env.NAZAR_WEB_DIST_DIR || path.join(ROOT, 'web/dist');
const WHOLE = path.join(process.env.NAZAR_WASM_RELEASE_DIR || path.join(ROOT, 'build/wasm-release'),
  'wasm/nazar-core.wasm');
const primaryBytes = fs.readFileSync(path.join(DIST, 'nazar-core.wasm'));
const restBytes = fs.readFileSync(path.join(DIST, 'nazar-core-rest.wasm'));

// Each load imports the widget module afresh (its loadCore keeps one core per module instance).
// The last instance made is kept: its exported global is the primary's stack pointer.
let loads = 0;
let lastInstance = null;
const instantiate = WebAssembly.instantiate;
WebAssembly.instantiate = async function (...args) {
  const result = await instantiate.apply(this, args);
  lastInstance = result instanceof WebAssembly.Instance ? result : result.instance;
  return result;
};
async function load(options) {
  const widget = await import(pathToFileURL(path.join(DIST, 'nazar-widget.mjs')).href + '?load=' + ++loads);
  return widget.loadCore({ factory: widget.createNazarCore, ...options });
}
const split = () => load({ wasmBinary: primaryBytes, restBinary: restBytes });
const whole = () => load({ wasmBinary: fs.readFileSync(WHOLE) });

// The same random bytes and clock for both cores: batch ids and periods then match.
const realNow = Date.now;
const realRandom = crypto.getRandomValues;
function deterministic() {
  let state = 0x2545f491;
  Object.defineProperty(crypto, 'getRandomValues', {
    configurable: true,
    value: (view) => {
      for (let i = 0; i < view.length; ++i) {
        state = (Math.imul(state, 1103515245) + 12345) >>> 0;
        view[i] = state >>> 24;
      }
      return view;
    },
  });
  Date.now = () => Date.UTC(2026, 11, 3, 9, 30);
}
before(deterministic);
after(() => {
  Date.now = realNow;
  Object.defineProperty(crypto, 'getRandomValues', { configurable: true, value: realRandom });
});

// deepEqual of two lists of JSON texts, reporting the first difference only (a view is long).
function same(got, want, what) {
  for (let i = 0; i < Math.max(got.length, want.length); ++i) {
    if (got[i] === want[i]) continue;
    const at = [...(got[i] ?? '')].findIndex((c, k) => c !== (want[i] ?? '')[k]);
    assert.fail(`${what}: update ${i} differs at ${at}: ${String(got[i]).slice(at - 40, at + 40)} | ${String(want[i]).slice(at - 40, at + 40)}`);
  }
}

const actions = (view) => {
  const out = [];
  (function walk(n) {
    if (n.a?.['data-nz-action']) out.push({ action: n.a['data-nz-action'], value: n.a['data-nz-value'], tag: n.t });
    (n.c ?? []).forEach(walk);
  })(view);
  return out;
};

// Answers every question (the second point of a scale or option of a choice, a text) and moves on, to the
// thank-you step; returns every update as JSON text.
async function run(core, definition, survey, locale) {
  deterministic();
  const session = core.createSession({ definition, survey, locale, site: 'shop.example', utc_offset_minutes: 210 });
  await session.load();
  // Each core numbers its own sessions. Then "shown", which stores the display (in the rest).
  const updates = [JSON.stringify({ ...session.start, handle: undefined })];
  updates.push(JSON.stringify(session.event({ type: 'shown' })));
  let view = session.start.view;
  for (let step = 0; step < 20; ++step) {
    const all = actions(view);
    const pick = all.filter((a) => a.action === 'select' || a.action === 'toggle')[1];
    const text = all.find((a) => a.tag === 'textarea');
    if (pick) updates.push(JSON.stringify(session.event({ type: 'action', action: pick.action, value: pick.value })));
    if (text) updates.push(JSON.stringify(session.event({ type: 'input', action: text.action, value: 'Fast delivery, thanks' })));
    const next = all.find((a) => a.action === 'next');
    if (!next) break;
    const update = session.event({ type: 'action', action: 'next' });
    updates.push(JSON.stringify(update));
    view = update.view;
  }
  session.dispose();
  return updates;
}

test('the split module is a primary with placeholders and a rest that fills them', () => {
  const primary = WebAssembly.Module.imports(new WebAssembly.Module(primaryBytes));
  const rest = WebAssembly.Module.imports(new WebAssembly.Module(restBytes));
  assert.ok(primary.filter((i) => i.module === 'placeholder').length > 10);
  assert.deepEqual([...new Set(rest.map((i) => i.module))], ['primary']);
  assert.ok(fs.statSync(path.join(DIST, 'nazar-core.wasm')).size < fs.statSync(WHOLE).size);
});

// web/split-data.mjs moves the text that only the rest reads. Error messages (the validator's,
// the JSON parser's, a session config's) are built out of line (definition.cc's Error,
// Status::Cold), so their text is the rest's; what a first question shows stays.
test('error messages ship with the rest; the first question\'s words with the first part', async () => {
  const has = (bytes, text) => bytes.includes(Buffer.from(text));
  for (const message of ['a question cannot depend on itself', 'is not a valid locale tag (use a BCP 47 tag',
    'invalid string: missing closing quote', 'is not a valid accent color', '/sample_draw: expected a number in [0, 1)']) {
    assert.equal(has(primaryBytes, message), false, `"${message}" is not in the first part`);
    assert.equal(has(restBytes, message), true, `"${message}" is in the rest`);
  }
  for (const text of ['Extremely likely', 'Not at all likely', 'Question {1} of {2}', 'Close survey']) {
    assert.equal(has(primaryBytes, text), true, `"${text}" is in the first part`);
  }
  // And the rest writes it back where the first part's code looks for it.
  const a = await split();
  const definition = '{"id": "x", "default_locale": "e n", "questions": [{"id": "q", "type": "nps", "text": {"e n": "?"}}]}';
  await assert.rejects(a.whole(() => a.validate(definition)),
    (e) => e.errors?.some((err) => err.pointer === '/default_locale' &&
      err.message === '"e n" is not a valid locale tag (use a BCP 47 tag such as "en", "fa" or "pt-BR")'));
});

test('events wait for the rest; once loaded, a survey runs to its end as with the whole core', async () => {
  const definition = fs.readFileSync(path.join(ROOT, 'examples/demo-shop/surveys.json'), 'utf8');
  const a = await split();
  const b = await whole();
  assert.equal(b.complete, true);
  deterministic();
  const session = a.createSession({ definition, survey: 'post-checkout', locale: 'fa', site: 'shop.example', utc_offset_minutes: 210 });
  assert.equal(session.loaded, false);
  assert.throws(() => session.event({ type: 'action', action: 'select', value: '9' }), /the rest of the core has not loaded/);
  await session.load();
  assert.equal(session.loaded, true);
  session.dispose();
  for (const locale of ['en', 'fa', 'ar']) {
    const got = await run(a, definition, 'post-checkout', locale);
    const want = await run(b, definition, 'post-checkout', locale);
    assert.ok(want.length >= 10, `${want.length} updates`);
    same(got, want, locale);
    assert.match(got.at(-1), /"type":"send"/);
    assert.match(got[1], /"type":"store"/);
  }
  assert.equal(a.liveSessions(), 0);
});

// The first part alone, with the rest not loaded, answers a first question's calls as the whole
// core does: a function of the first part that read text moved to the rest (web/split-data.mjs)
// would read zeros here. The calls are the ones web/split.mjs profiles (web/split-calls.mjs), but
// a first visitor's decision, whose random draw differs from the profile's; so none may reach
// the rest: a zero read that ended in an error would (its message is built there), and is
// counted. Then each survey runs to its end.
test('every example and valid fixture gives the whole core\'s updates through the split one', async () => {
  const a = await split();
  const b = await whole();
  const files = profileFiles(ROOT);
  let first = null;
  const reached = [];
  let calls = 0;
  const compare = async (call, what) => {
    if (!first || first.complete) first = await split();
    const got = await first.whole(() => {
      deterministic();
      return JSON.stringify(call(first));
    });
    if (first.complete) reached.push(what);
    ++calls;
    deterministic();
    same([got], [JSON.stringify(call(b))], what);
  };
  let surveys = 0;
  for (const file of files) {
    const definition = fs.readFileSync(file, 'utf8');
    const json = JSON.parse(definition);
    for (const { what, call, session, draws } of firstQuestionCalls(definition, Date.now())) {
      if (draws) continue;
      await compare((core) => {
        const result = call(core);
        if (!session) return result;
        result.dispose();
        return { ...result.start, handle: undefined };
      }, `${file}: ${what}`);
    }
    for (const s of Array.isArray(json.surveys) ? json.surveys : [json]) {
      same(await run(a, definition, s.id, 'en'), await run(b, definition, s.id, 'en'), file);
      ++surveys;
    }
  }
  assert.ok(surveys >= 15, `${surveys} surveys`);
  assert.deepEqual(reached, [], 'first-question calls that reached the rest');
  assert.ok(calls >= 200, `${calls} first-question calls`);
  console.log(`${calls} first-question calls on the first part alone`);
});

// A definition the build's profile never ran can reach the rest from a first-question call: the
// call throws inside the core, the binding puts the stack pointer back, loads the rest and runs
// the call again (NazarCore.whole). The invalid fixtures' error paths are such calls.
test('a first-question call that reaches the rest loads it and runs again, with the whole core\'s answer', async () => {
  const dir = path.join(ROOT, 'tests/fixtures/invalid');
  const b = await whole();
  let reached = 0;
  for (const name of fs.readdirSync(dir).filter((n) => n.endsWith('.json')).sort()) {
    const text = fs.readFileSync(path.join(dir, name), 'utf8');
    const want = (() => {
      try {
        return b.validate(text);
      } catch (e) {
        return { message: e.message, code: e.code, errors: e.errors };
      }
    })();
    const a = await split();
    const sp = Object.values(lastInstance.exports).find((v) => v instanceof WebAssembly.Global);
    const top = sp.value;
    let got;
    try {
      got = await a.whole(() => a.validate(text));
    } catch (e) {
      got = { message: e.message, code: e.code, errors: e.errors };
    }
    assert.deepEqual(got, want, name);
    // The placeholder's throw skipped the core's epilogues: the binding put the stack back.
    assert.equal(sp.value, top, name);
    if (a.complete) ++reached;
    // The core is whole and sound after it: a valid file validates, a session runs.
    const definition = fs.readFileSync(path.join(ROOT, 'examples/embed/surveys.json'), 'utf8');
    assert.equal(a.validate(definition).surveys[0].id, 'embed-nps');
    same(await run(a, definition, 'embed-nps', 'ar'), await run(b, definition, 'embed-nps', 'ar'), name);
  }
  assert.ok(reached >= 5, `${reached} invalid fixtures reached the rest`);
  console.log(`${reached} invalid fixtures reached the rest`);
});
