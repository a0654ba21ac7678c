// Security, measured (issue 9, item 6). Every payload of tests/fixtures/xss/payloads.json, placed
// in every text of a survey (question texts, scale labels, options and "other", the faces' end
// labels in their accessible names, thank-you), and the bidi ones again on an Arabic page,
// renders as inert text under the strict CSP with Trusted Types: the text shown is the payload
// (with the bidi closers the core appends, written out in the corpus), no script runs (a canary
// stays unset), no CSP or Trusted Types violation, and the shadow root holds only the view's own
// tags. Then the ways a page can be set up wrong: two script tags, a 404, malformed or invalid
// definitions file, an unreachable endpoint: the page keeps running and each reaches `error`
// listeners, naming what and where.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, TEST_CSP, freePort, openPage, page as sitePage, waitFor, waitForDebug, useSite } from './server.mjs';

const CORPUS = JSON.parse(fs.readFileSync(path.join(ROOT, 'tests/fixtures/xss/payloads.json'), 'utf8')).payloads;
// The tags the view draws for these questions, the faces' SVG included (web/src/embed/view.ts
// allows these and no more).
const VIEW_TAGS = new Set(['div', 'p', 'h2', 'span', 'button', 'textarea', 'svg', 'path', 'circle']);

// One survey per payload, every text field holding it, in English and in Arabic (so that an
// Arabic page shows it right to left, with the Arabic UI around it).
const surveyFor = (p, i) => {
  const t = (x) => ({ en: x, ar: x });
  return {
    nazar: 1, id: 'x' + i, version: '1', default_locale: 'en', trigger: { on: 'manual', max_displays: 0 },
    questions: [
      { id: 'nps', type: 'nps', text: t(p), labels: { min: t(p), max: t(p) } },
      { id: 'pick', type: 'choice', text: t(p), options: [{ id: 'a', text: t(p) }, { id: 'b', text: t('b' + p) }], other: t(p) },
      { id: 'sat', type: 'csat', scale: 5, style: 'emoji', text: t(p), labels: { min: t(p), max: t(p) } },
      { id: 'why', type: 'text', max_length: 50, text: t(p) },
    ],
    thank_you: { text: t(p) },
  };
};
// The accessible names of the scale ends that carry a label, by page language: the point, then
// the label (core/src/i18n.cc: "{1}, {2}", "{1} of {2}"; in Arabic with its comma and digits).
const END_NAMES = {
  en: { nps: (x) => ['0, ' + x, '10, ' + x], faces: (x) => ['1 of 5, ' + x, '5 of 5, ' + x] },
  ar: { nps: (x) => ['٠، ' + x, '١٠، ' + x], faces: (x) => ['١ من ٥، ' + x, '٥ من ٥، ' + x] },
};

const listen = `window.__errors = [];
window.__ticks = 0;
setInterval(function () { window.__ticks++; }, 20);
window.nazar = [['on', 'error', function (e) { window.__errors.push(e); }]];
`;
const badPage = (surveys, attrs = '') =>
  sitePage({ head: '<script src="/bad/listen.js"></script>', attrs: 'data-debug data-track="checkout_completed" ' + attrs, surveys });
const ONE = { nazar: 1, surveys: [{ nazar: 1, id: 'one', version: '1', trigger: { on: 'event', event: 'checkout_completed', max_displays: 0 },
  questions: [{ id: 'nps', type: 'nps', text: { en: 'How likely?' } }] }] };
let deadPort;
const PAGES = {
  'xss/surveys.json': JSON.stringify({ nazar: 1, surveys: CORPUS.map((c, i) => surveyFor(c.payload, i)) }),
  'xss/index.html': sitePage({ head: '<script src="/bad/listen.js"></script>', attrs: 'data-debug', surveys: '/xss/surveys.json' }),
  'xss/ar/index.html': sitePage({ lang: 'ar', head: '<script src="/bad/listen.js"></script>', attrs: 'data-debug data-locale="ar"',
    surveys: '/xss/surveys.json' }),
  'bad/listen.js': listen,
  'bad/one.json': JSON.stringify(ONE),
  'bad/broken.json': '{"nazar": 1, "surveys": [{"id": "one",',
  'bad/invalid.json': JSON.stringify({ nazar: 1, surveys: [{ ...ONE.surveys[0], questions: [{ id: 'ease', type: 'ces', scale: 6, text: { en: 'Easy?' } }] }] }),
  'bad/missing/index.html': badPage('/bad/nowhere.json'),
  'bad/broken/index.html': badPage('/bad/broken.json'),
  'bad/invalid/index.html': badPage('/bad/invalid.json'),
  // The page has an element with id="nazar": window.nazar names it until the loader runs.
  'bad/named/index.html': sitePage({ attrs: 'data-debug data-track="checkout_completed"', surveys: '/bad/one.json',
    body: '<div id="nazar">the page\'s own</div>' }),
  'bad/twice/index.html': badPage('/bad/one.json').replace('</body>',
    '<script src="/nazar/nazar.js" data-surveys="/bad/one.json" data-track="checkout_completed" data-debug async></script>\n</body>'),
};

let site;
let browser;
useSite(async (s, b) => {
  site = s;
  browser = b;
}, {
  pages: PAGES,
  // The unreachable endpoint's page may connect to it (else it would be a CSP violation instead).
  csp: (pathname) => (pathname.startsWith('/bad/dead/') ? TEST_CSP.replace("connect-src 'self'", `connect-src 'self' http://127.0.0.1:${deadPort}`) : undefined),
});

// Everything inside the widget's shadow root: tags, attributes, texts by class.
function snapshot() {
  const root = document.querySelector('nazar-survey')?.shadowRoot;
  if (!root) return null;
  const all = Array.from(root.querySelectorAll('*'));
  const text = (sel) => Array.from(root.querySelectorAll(sel)).map((el) => el.textContent);
  return {
    tags: [...new Set(all.map((el) => el.localName))],
    attrs: [...new Set(all.flatMap((el) => el.getAttributeNames()))],
    title: text('h2'),
    labels: text('.nz-label-min, .nz-label-max'),
    options: text('.nz-option'),
    names: Array.from(root.querySelectorAll('.nz-option[aria-label]')).map((el) => el.getAttribute('aria-label')),
    status: text('.nz-status'),
  };
}

// Shows the survey of each payload in `entries` ([index, {payload, shown}]) on the page at
// `where`, answers every step, and checks what each step shows and holds.
async function inert(where, entries, lang = 'en') {
  const { page, log } = await openPage(browser.context);
  await page.goto(site.base + where);
  await waitForDebug(log, 'page: done');
  const bodyBefore = await page.evaluate(() => document.body.querySelectorAll('*').length);
  const root = page.locator('nazar-survey');
  for (const [i, { payload, shown = payload }] of entries) {
    const at = `${where} payload ${i} ${JSON.stringify(payload.slice(0, 60))}`;
    await page.evaluate((id) => window.nazar.show(id), 'x' + i);
    await root.locator('h2').waitFor({ state: 'visible' });
    let s = await page.evaluate(snapshot);
    assert.deepEqual(s.title, [shown], at + ': NPS title');
    assert.deepEqual(s.labels, [shown, shown], at + ': end labels');
    assert.deepEqual(s.names, END_NAMES[lang].nps(shown), at + ': end names');
    const seen = [s];
    await root.locator('[data-nz-value="9"]').click();
    await root.locator('[data-nz-action="next"]').click();
    await root.locator('[data-nz-value="a"]').waitFor();
    s = await page.evaluate(snapshot);
    assert.deepEqual(s.title, [shown], at + ': choice title');
    assert.deepEqual(s.options, [shown, 'b' + shown, shown], at + ': options and "other"');
    seen.push(s);
    await root.locator('[data-nz-value="a"]').click();
    await root.locator('[data-nz-action="next"]').click();
    await root.locator('[data-nz-value="5"]').waitFor();
    s = await page.evaluate(snapshot);
    assert.deepEqual(s.title, [shown], at + ': faces title');
    // The faces' accessible names carry the end labels ("1 of 5, <label>").
    const faces = END_NAMES[lang].faces(shown);
    assert.deepEqual(s.names.filter((n, j) => j === 0 || j === s.names.length - 1), faces, at + ': faces\' end names');
    seen.push(s);
    await root.locator('[data-nz-value="5"]').click();
    await root.locator('[data-nz-action="next"]').click();
    await root.locator('textarea').waitFor();
    s = await page.evaluate(snapshot);
    assert.deepEqual(s.title, [shown], at + ': text question title');
    seen.push(s);
    await root.locator('textarea').fill(payload.slice(0, 50));
    await root.locator('[data-nz-action="next"]').click();
    await waitFor(async () => (await page.evaluate(snapshot))?.status[0] === shown, 5000, at + ': the thank-you');
    seen.push(await page.evaluate(snapshot));
    for (const step of seen) {
      for (const tag of step.tags) assert.ok(VIEW_TAGS.has(tag), `${at}: <${tag}> in the shadow root`);
      for (const a of step.attrs) assert.ok(!/^on|^(href|src|srcdoc|style|action|formaction)$/.test(a), `${at}: attribute ${a}`);
    }
    assert.equal(await page.evaluate(() => window.__xss), undefined, at + ': a script ran');
    await page.evaluate(() => window.nazar.hide());
    await waitFor(async () => (await page.locator('nazar-survey').count()) === 0, 5000, at + ': the widget to close');
  }
  assert.deepEqual(await page.evaluate(() => window.__violations), []);
  assert.deepEqual(await page.evaluate(() => window.__uncaught), []);
  assert.deepEqual(await page.evaluate(() => window.__errors), []);
  assert.deepEqual(log.errors, []);
  assert.deepEqual(log.pageErrors, []);
  assert.equal(await page.evaluate(() => document.body.querySelectorAll('*').length), bodyBefore, 'the page gained elements');
  assert.equal(await page.evaluate(() => window.__xss), undefined);
  await page.close();
}

test(`${CORPUS.length} XSS payloads in every survey text render as inert text, with no violation`, async () => {
  assert.ok(CORPUS.length >= 50);
  await inert('/xss/', CORPUS.entries());
});

// Right to left, where a bidi override in a text could reorder what follows it: the corpus's
// payloads with a bidi control, on an Arabic page.
test('the bidi payloads on an Arabic page: inert text, closed where they end', async () => {
  const bidi = [...CORPUS.entries()].filter(([, { payload }]) => /[\u200e\u200f\u202a-\u202e\u2066-\u2069]/.test(payload));
  assert.ok(bidi.length >= 10, `${bidi.length} bidi payloads`);
  await inert('/xss/ar/', bidi, 'ar');
});

// The page is unaffected: its own timer keeps running, nothing uncaught, no violation, and the
// widget's failure reaches `error` listeners once, with its code and a message naming the file.
async function expectOneError(where, code, ...parts) {
  const { page, log } = await openPage(browser.context);
  await page.goto(site.base + where);
  const errors = await waitFor(() => page.evaluate(() => window.__errors.length && window.__errors), 10000, where + ': the error event');
  await waitForDebug(log, 'page: done');
  await waitForDebug(log, 'track "checkout_completed": done');
  const ticks = await page.evaluate(() => window.__ticks);
  await waitFor(() => page.evaluate((t) => window.__ticks > t + 2, ticks), 5000, where + ': the page script to keep running');
  assert.equal(errors.length, 1, JSON.stringify(errors));
  assert.equal(errors[0].code, code);
  for (const part of parts) assert.ok(errors[0].message.includes(part), `${where}: "${errors[0].message}" lacks "${part}"`);
  assert.deepEqual(log.errors.filter((e) => e.startsWith('nazar')), ['nazar: ' + errors[0].message]);
  assert.deepEqual(await page.evaluate(() => window.__uncaught), []);
  assert.deepEqual(await page.evaluate(() => window.__violations), []);
  assert.deepEqual(log.pageErrors, []);
  assert.equal(await page.locator('nazar-survey').count(), 0);
  await page.close();
}

test('a 404 definitions file: one error event naming the file', () =>
  expectOneError('/bad/missing/', 'not_found', site.base + '/bad/nowhere.json', 'HTTP 404'));

test('a malformed definitions file: one error event naming the file and the JSON problem', () =>
  expectOneError('/bad/broken/', 'invalid_definition', site.base + '/bad/broken.json', 'is not valid JSON'));

test('an invalid definition: one error event naming the file and the pointer', () =>
  expectOneError('/bad/invalid/', 'invalid_definition', site.base + '/bad/invalid.json',
    '/surveys/0/questions/0/scale: 6 is not a valid CES scale (use 5 or 7)'));

// Two async tags run in whichever order they load: one of them works, the other is ignored and
// the first one's error listeners hear of it (issue 9: each such mistake reaches them).
test('two script tags: one works, the other is ignored with one error event, the page is unaffected', async () => {
  const { page, log } = await openPage(browser.context);
  await page.goto(site.base + '/bad/twice/');
  await page.getByRole('dialog').waitFor({ state: 'visible', timeout: 10000 });
  await waitForDebug(log, 'track "checkout_completed": done');
  await page.getByRole('radio', { name: '9', exact: true }).click();
  await page.getByRole('button', { name: 'Submit' }).click();
  await page.getByRole('status').getByText('Thank you', { exact: false }).waitFor();
  assert.equal(await page.locator('nazar-survey').count(), 1);
  const twice = 'nazar.js is included twice';
  assert.deepEqual(await page.evaluate(() => window.__errors.map((e) => e.code + ': ' + e.message)), ['internal: ' + twice]);
  assert.deepEqual(log.errors.filter((e) => e.startsWith('nazar')), ['nazar: ' + twice]);
  assert.deepEqual(await page.evaluate(() => window.__uncaught), []);
  assert.deepEqual(log.pageErrors, []);
  await page.close();
});

// An element with id="nazar" is what window.nazar names before the loader runs (the browser's
// named access): it is neither the queue nor a first copy of the loader, and the survey shows.
test('an element with id="nazar" on the page: the survey still shows, the element stays', async () => {
  const { page, log } = await openPage(browser.context);
  await page.goto(site.base + '/bad/named/');
  await page.getByRole('dialog').waitFor({ state: 'visible', timeout: 10000 });
  assert.equal(await page.evaluate(() => typeof window.nazar.track), 'function');
  assert.equal(await page.evaluate(() => document.getElementById('nazar').textContent), "the page's own");
  assert.deepEqual(log.errors, []);
  assert.deepEqual(log.pageErrors, []);
  await page.close();
});

test('an unreachable endpoint: the answers stay, one error event names the endpoint', async () => {
  deadPort = await freePort(); // nothing listens there
  site.app.received.length = 0;
  const endpoint = `http://127.0.0.1:${deadPort}/v1/aggregates`;
  fs.mkdirSync(path.join(site.dir, 'bad/dead'), { recursive: true });
  fs.writeFileSync(path.join(site.dir, 'bad/dead/index.html'),
    badPage('/bad/one.json').replace('data-endpoint="/v1/aggregates"', `data-endpoint="${endpoint}"`));
  const { page, log } = await openPage(browser.context);
  await page.goto(site.base + '/bad/dead/');
  await page.getByRole('radio', { name: '9', exact: true }).click();
  await page.getByRole('button', { name: 'Submit' }).click();
  const errors = await waitFor(() => page.evaluate(() => window.__errors.length && window.__errors), 10000, 'the error event');
  assert.equal(errors.length, 1, JSON.stringify(errors));
  assert.equal(errors[0].code, 'unreachable');
  assert.ok(errors[0].message.includes('could not reach the endpoint ' + endpoint), errors[0].message);
  const ticks = await page.evaluate(() => window.__ticks);
  await waitFor(() => page.evaluate((t) => window.__ticks > t + 2, ticks), 5000, 'the page script to keep running');
  assert.deepEqual(await page.evaluate(() => window.__uncaught), []);
  assert.deepEqual(await page.evaluate(() => window.__violations), []);
  assert.deepEqual(log.pageErrors, []);
  assert.deepEqual(log.errors.filter((e) => e.startsWith('nazar')), ['nazar: ' + errors[0].message]);
  assert.deepEqual(site.app.received, [], 'nothing reached the site');
  await page.close();
});
