// web/src/binding/core.ts against the real node wasm build: the calls, the session flow to a Contract 3
// payload, and typed errors.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { loadCoreForNode, POST_CHECKOUT, findNode, findAll } from './helpers.mjs';

let mod;
let core;
before(async () => {
  ({ mod, core } = await loadCoreForNode());
});

const config = (extra = {}) => ({
  definition: JSON.stringify(POST_CHECKOUT),
  survey: 'post-checkout',
  locale: 'en-US',
  site: 'shop.example',
  utc_offset_minutes: 210,
  ...extra,
});

test('loadCore is idempotent', async () => {
  const again = await mod.loadCore({});
  assert.equal(again, core);
});

test('version', () => {
  const v = core.version();
  assert.match(v.version, /^\d+\.\d+\.\d+$/);
  assert.equal(v.abi, 1);
});

test('validate: a valid file lists its surveys', () => {
  const out = core.validate(JSON.stringify({ nazar: 1, surveys: [POST_CHECKOUT] }));
  assert.equal(out.surveys.length, 1);
  assert.equal(out.surveys[0].id, 'post-checkout');
  assert.equal(out.surveys[0].version, '2026-11-01');
  assert.equal(out.surveys[0].questions, 3);
  assert.ok(out.surveys[0].locales.includes('fa'));
});

test('validate: every error as a JSON pointer and a message', () => {
  const bad = structuredClone(POST_CHECKOUT);
  bad.questions[2].scale = 6;
  bad.questions[0].type = 'stars-and-moons';
  assert.throws(() => core.validate(JSON.stringify(bad)), (e) => {
    assert.ok(e instanceof mod.NazarError);
    assert.equal(e.name, 'NazarError');
    assert.equal(e.code, 'invalid_definition');
    assert.equal(e.status, 2);
    assert.ok(e.errors.length >= 2, JSON.stringify(e.errors));
    const pointers = e.errors.map((x) => x.pointer);
    assert.ok(pointers.includes('/questions/2/scale'), pointers.join(' '));
    assert.ok(pointers.some((p) => p.startsWith('/questions/0')), pointers.join(' '));
    for (const x of e.errors) assert.equal(typeof x.message, 'string');
    return true;
  });
});

test('session: the first view is a labelled dialog with the NPS radio group 0-10', () => {
  const s = core.createSession(config());
  try {
    const { view, effects, events } = s.start;
    assert.equal(view.t, 'div');
    assert.equal(view.a.role, 'dialog');
    assert.equal(view.a.dir, 'ltr');
    assert.ok(view.a['aria-labelledby'] || view.a['aria-label']);
    const title = findNode(view, (n) => n.a?.id === view.a['aria-labelledby']);
    assert.equal(title.x, 'How likely are you to recommend us to a friend?');
    const group = findNode(view, (n) => n.a?.role === 'radiogroup');
    assert.ok(group, 'radiogroup');
    const radios = findAll(group, (n) => n.a?.role === 'radio');
    assert.deepEqual(radios.map((n) => n.x), ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);
    assert.deepEqual(radios.map((n) => n.a['data-nz-value']), radios.map((n) => n.x));
    for (const r of radios) {
      assert.equal(r.t, 'button');
      assert.equal(r.a['data-nz-action'], 'select');
      assert.equal(r.a['aria-checked'], 'false');
    }
    assert.deepEqual(events.map((e) => e.type), ['show']);
    // Nothing is stored before the question has painted; then "shown" stores the display, so a
    // closed tab still counts it.
    assert.deepEqual(effects, []);
    const shown = s.event({ type: 'shown' }).effects;
    assert.equal(shown.length, 1);
    assert.equal(shown[0].type, 'store');
    assert.match(shown[0].batch, /^[0-9a-f]{32}$/);
    assert.equal(shown[0].payload.displays, 1);
  } finally {
    s.dispose();
  }
});

test('session: 9, next, ease, submit -> thank-you and a Contract 3 "send" effect', () => {
  const s = core.createSession(config());
  try {
    const batch = s.event({ type: 'shown' }).effects[0].batch;
    let u = s.event({ type: 'action', action: 'select', value: '9' });
    const nine = findNode(u.view, (n) => n.a?.['data-nz-value'] === '9');
    assert.equal(nine.a['aria-checked'], 'true');
    assert.equal(u.effects[0]?.type, 'store');

    u = s.event({ type: 'action', action: 'next' });
    // Events name the question, never the answer (Contract 2): tag managers forward them.
    assert.deepEqual(u.events, [{ type: 'answer', survey: 'post-checkout', question: 'nps' }]);
    // 9 is not a detractor: the "why" question is skipped; CES 7 comes next.
    const ces = findAll(u.view, (n) => n.a?.role === 'radio');
    assert.equal(ces.length, 7);
    // The CES question has no labels of its own: the core's agreement anchors, drawn at both
    // ends and carried in the end options' accessible names.
    const anchors = findNode(u.view, (n) => n.a?.class === 'nz-labels');
    assert.deepEqual(anchors?.c.map((n) => n.x), ['Strongly disagree', 'Strongly agree']);
    assert.deepEqual(ces.map((n) => n.a['aria-label'] ?? n.x),
      ['1, Strongly disagree', '2', '3', '4', '5', '6', '7, Strongly agree']);
    assert.ok(u.focus, 'focus moves to the next step');

    u = s.event({ type: 'action', action: 'select', value: '6' });
    u = s.event({ type: 'action', action: 'next' });
    assert.deepEqual(u.events.map((e) => e.type), ['answer', 'complete']);
    assert.ok(findNode(u.view, (n) => n.a?.role === 'status'), 'thank-you is a status region');
    assert.ok(findNode(u.view, (n) => n.x === 'Thank you!'));
    const send = u.effects.find((e) => e.type === 'send');
    assert.ok(send, JSON.stringify(u.effects));
    assert.equal(send.batch, batch);
    const p = send.payload;
    const allowed = ['nazar', 'batch', 'site', 'survey', 'survey_version', 'period', 'locale',
      'displays', 'completions', 'dismissals', 'questions', 'noise'];  // comments travel apart
    for (const key of Object.keys(p)) assert.ok(allowed.includes(key), 'unexpected key ' + key);
    assert.equal(p.nazar, 1);
    assert.equal(p.batch, batch);
    assert.equal(p.site, 'shop.example');
    assert.equal(p.survey, 'post-checkout');
    assert.equal(p.survey_version, '2026-11-01');
    assert.match(p.period, /^\d{4}-\d{2}-\d{2}$/);
    assert.equal(p.locale, 'en');
    assert.equal(p.displays, 1);
    assert.equal(p.completions, 1);
    assert.equal(p.dismissals, 0);
    assert.deepEqual(p.questions.nps, { type: 'nps', counts: [0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0] });
    assert.equal(p.questions.ease.type, 'ces');
    assert.deepEqual(p.questions.ease.counts, [0, 0, 0, 0, 0, 1, 0]);
    assert.equal(p.comments, undefined, 'comments are dropped by default');

    u = s.event({ type: 'action', action: 'close' });
    assert.ok(u.effects.some((e) => e.type === 'close'));
  } finally {
    s.dispose();
  }
});

test('session: the period is the host\'s local day', () => {
  const s = core.createSession(config({ utc_offset_minutes: 0 }));
  const day = new Date().toISOString().slice(0, 10);
  assert.equal(s.event({ type: 'shown' }).effects[0].payload.period, day);
  s.dispose();
});

test('session: Persian locale -> rtl and Persian digits', () => {
  const s = core.createSession(config({ locale: 'fa-IR' }));
  try {
    assert.equal(s.start.view.a.dir, 'rtl');
    assert.equal(s.start.view.a.lang, 'fa');
    const radios = findAll(s.start.view, (n) => n.a?.role === 'radio');
    assert.deepEqual(radios.map((n) => n.x), ['۰', '۱', '۲', '۳', '۴', '۵', '۶', '۷', '۸', '۹', '۱۰']);
    assert.deepEqual(radios.map((n) => n.a['data-nz-value']).slice(0, 3), ['0', '1', '2']);
    // The ends are named with the survey's Persian labels, after Persian digits.
    assert.equal(radios[0].a['aria-label'], '۰، اصلاً');
    assert.equal(radios[10].a['aria-label'], '۱۰، خیلی زیاد');
    assert.equal(radios[5].a['aria-label'], undefined);
  } finally {
    s.dispose();
  }
});

test('session: keys move along the radio group', () => {
  const s = core.createSession(config());
  try {
    const u = s.event({ type: 'key', key: 'ArrowRight', action: 'select', value: '4' });
    assert.equal(u.handled, true);
    assert.equal(findNode(u.view, (n) => n.a?.['data-nz-value'] === '5').a['aria-checked'], 'true');
    assert.equal(u.focus, findNode(u.view, (n) => n.a?.['data-nz-value'] === '5').a.id);
    const other = s.event({ type: 'key', key: 'q', action: 'select', value: '4' });
    assert.equal(other.handled, false);
    const esc = s.event({ type: 'key', key: 'Escape' });
    assert.ok(esc.effects.some((e) => e.type === 'close'));
    assert.ok(esc.events.some((e) => e.type === 'dismiss'));
    const send = esc.effects.find((e) => e.type === 'send');
    assert.equal(send.payload.dismissals, 1);
    assert.equal(send.payload.completions, 0);
  } finally {
    s.dispose();
  }
});

test('errors: typed NazarError codes', () => {
  const code = (fn) => {
    try {
      fn();
    } catch (e) {
      assert.equal(e.name, 'NazarError');
      assert.equal(typeof e.message, 'string');
      return e.code;
    }
    assert.fail('no error');
  };
  assert.equal(code(() => core.createSession({ definition: '{"nazar": 1, ', survey: 'x' })), 'invalid_definition');
  assert.equal(code(() => core.createSession(config({ survey: 'nope' }))), 'not_found');
  assert.equal(code(() => core.createSession({ definition: 42 })), 'invalid_argument');
  const s = core.createSession(config());
  assert.equal(code(() => s.event({ type: 'action', action: 'select', value: '11' })), 'out_of_range');
  assert.equal(code(() => s.event({ type: 'teleport' })), 'invalid_argument');
  s.dispose();
  assert.equal(code(() => s.event({ type: 'dismiss' })), 'failed_precondition'); // disposed
  const ghost = new mod.Session(core, 987654, s.start);
  assert.equal(code(() => ghost.event({ type: 'dismiss' })), 'not_found');
  assert.equal(code(() => ghost.dispose()), 'not_found');
  assert.equal(code(() => core.buildReport('{not json')), 'invalid_argument');
});

test('buildReport: a Contract 4 report from payloads', () => {
  const payloads = [];
  for (const v of [10, 9, 3, 10, 8, 0]) {
    const s = core.createSession(config());
    s.event({ type: 'action', action: 'select', value: String(v) });
    s.event({ type: 'action', action: 'next' });
    if (v <= 6) s.event({ type: 'action', action: 'skip' }); // the optional "why"
    s.event({ type: 'action', action: 'select', value: '5' });
    const end = s.event({ type: 'action', action: 'next' });
    payloads.push(end.effects.find((e) => e.type === 'send').payload);
    s.dispose();
  }
  const report = core.buildReport({ survey: POST_CHECKOUT, aggregates: payloads, min_count: 5 });
  assert.equal(report.survey, 'post-checkout');
  assert.equal(report.displays, 6);
  assert.equal(report.completions, 6);
  assert.equal(report.questions.nps.type, 'nps');
  assert.equal(report.questions.nps.n, 6);
  assert.equal(report.questions.nps.promoters, 3);
  assert.equal(report.questions.nps.passives, 1);
  assert.equal(report.questions.nps.detractors, 2);
  assert.ok(Math.abs(report.questions.nps.score - (100 * (3 - 2)) / 6) < 0.1, String(report.questions.nps.score));
});
