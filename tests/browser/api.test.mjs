// The embed API of Contract 2 in Chromium: nazar.mjs on its own (init), setLocale on an open
// survey, hide() as a dismissal, optOut()/optIn(), the session-replay markers, and events that
// never carry what the visitor answered.
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SURVEY, launch, openPage, page as sitePage, readOutbox, waitFor, waitForDebug, useSite } from './server.mjs';

const WELCOME = {
  nazar: 1,
  id: 'welcome',
  version: '1',
  default_locale: 'en',
  trigger: { on: 'pageview', max_displays: 0, url: { include: ['/esm/*'] } },
  questions: [{ id: 'nps', type: 'nps', text: { en: 'Would you recommend this shop?', fa: 'این فروشگاه را پیشنهاد می‌کنید؟' } }],
  thank_you: { text: { en: 'Thanks!', fa: 'ممنون!' } },
};
const PAGES = {
  'inline/index.html': sitePage({ attrs: 'data-container="#slot" data-debug', body: '<section id="slot"></section>' }),
  'esm/surveys.json': JSON.stringify({ nazar: 1, surveys: [WELCOME, SURVEY.surveys[1]] }),
  'later/surveys.json': JSON.stringify({
    nazar: 1,
    surveys: [{ ...SURVEY.surveys[1], id: 'later', trigger: { on: 'manual', delay_ms: 4000 } }],
  }),
  'later/index.html': sitePage({ attrs: 'data-debug', surveys: '/later/surveys.json' }),
  // A site's mistakes before the loader runs: a surveys URL that does not parse (port 99999), and
  // a queue with a malformed entry, a misspelled method and arguments that cannot be made text.
  'mistakes/index.html': sitePage({
    head: '<script src="/mistakes/queue.js"></script>',
    attrs: 'data-track="checkout_completed" data-debug',
    surveys: 'https://c.example:99999/surveys.json',
  }),
  'mistakes/queue.js': `window.__errors = [];
window.nazar = [
  ['on', 'error', function (e) { window.__errors.push(e); }],
  null,
  ['track', Object.create(null)],
  ['setLocale', { toString: function () { throw new Error('no text here'); } }],
  ['trak', 'checkout_completed'],
  ['toString'],
  ['trak', 1n],
  ['on', 'show', function () {}],
];
`,
  // Its surveys file is missing until the test writes it (a deploy in progress).
  'retry/index.html': sitePage({ attrs: 'data-track="checkout_completed" data-debug', surveys: '/retry/surveys.json' }),
  // No surveys file named (data-surveys=""): said once, however many calls need it.
  'nofile/index.html': sitePage({
    head: '<script src="/nofile/listen.js"></script>',
    attrs: 'data-track="checkout_completed" data-debug',
    surveys: '',
  }),
  'nofile/listen.js': `window.__errors = [];
window.nazar = [['on', 'error', function (e) { window.__errors.push(e); }], ['track', 'signup']];
`,
  // Half of the visitors see it: each visitor draws once (METRICS.md), kept across reloads.
  'sample/surveys.json': JSON.stringify({
    nazar: 1,
    surveys: [{ ...WELCOME, id: 'sampled', trigger: { on: 'pageview', sample_rate: 0.5, max_displays: 0, url: { include: ['/sample/*'] } } }],
  }),
  'sample/index.html': sitePage({ attrs: 'data-debug', surveys: '/sample/surveys.json' }),
  'esm/index.html': `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Shop</title>
<script type="module" src="/esm/main.js"></script></head>
<body><h1>Shop</h1></body></html>
`,
  // No script tag: the ES module alone, as a bundler-built app would use it.
  'esm/main.js': `import * as nazar from '/nazar/nazar.mjs';
window.__events = [];
for (const type of ['show', 'answer', 'complete', 'dismiss', 'send', 'error']) {
  nazar.on(type, (e) => window.__events.push(e));
}
window.__nazar = nazar;
nazar.init({ surveys: '/esm/surveys.json', endpoint: '/v1/aggregates', debug: true });
`,
};

let site;
let browser;
useSite((s, b) => {
  site = s;
  browser = b;
}, { pages: PAGES });

const widgetFiles = (log) =>
  log.requests.map((u) => new URL(u).pathname).filter((p) => p.startsWith('/nazar/') && p !== '/nazar/nazar.mjs');

test('init() runs pageview triggers; the host element carries the session-replay markers', async () => {
  const { page, log } = await openPage(browser.context);
  await page.goto(site.base + '/esm/');
  await page.getByRole('heading', { name: 'Would you recommend this shop?' }).waitFor({ state: 'visible', timeout: 10000 });
  const host = await page.evaluate(() => {
    const el = document.querySelector('nazar-survey');
    return { classes: Array.from(el.classList).sort(), hj: el.getAttribute('data-hj-suppress'), clarity: el.getAttribute('data-clarity-mask') };
  });
  assert.deepEqual(host, { classes: ['fs-exclude', 'ph-no-capture', 'rr-block'], hj: '', clarity: 'true' });
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('setLocale() re-renders the open survey; hide() records a dismissal in the payload', async () => {
  site.app.received.length = 0;
  const { page, log } = await openPage(browser.context);
  await page.goto(site.base + '/esm/');
  const dialog = page.getByRole('dialog');
  await page.getByRole('heading', { name: 'Would you recommend this shop?' }).waitFor({ state: 'visible', timeout: 10000 });
  assert.equal(await dialog.getAttribute('dir'), 'ltr');
  await page.evaluate(() => window.__nazar.setLocale('fa'));
  await page.getByRole('heading', { name: 'این فروشگاه را پیشنهاد می‌کنید؟' }).waitFor({ state: 'visible' });
  assert.equal(await dialog.getAttribute('dir'), 'rtl');
  assert.equal(await dialog.getAttribute('lang'), 'fa');
  assert.equal(await page.getByRole('radio', { name: '۹', exact: true }).count(), 1, 'Persian digits');

  await page.evaluate(() => window.__nazar.hide());
  await waitFor(async () => (await page.getByRole('dialog').count()) === 0, 5000, 'the survey to close');
  const types = await page.evaluate(() => window.__events.map((e) => e.type));
  assert.deepEqual(types.slice(0, 2), ['show', 'dismiss']);
  const post = await waitFor(() => site.app.received.find((r) => r.body.survey === 'welcome'), 10000, 'the payload');
  assert.equal(post.body.displays, 1);
  assert.equal(post.body.dismissals, 1);
  assert.equal(post.body.completions, 0);
  assert.equal(post.body.locale, 'fa');
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('optOut(): stored on the device, nothing downloads and nothing shows; optIn() undoes it', async () => {
  const { page, log } = await openPage(browser.context);
  await page.goto(site.base + '/esm/');
  await page.getByRole('dialog').waitFor({ state: 'visible', timeout: 10000 });
  await page.evaluate(() => window.__nazar.optOut());
  await waitFor(async () => (await page.getByRole('dialog').count()) === 0, 5000, 'the open survey to close');

  log.requests.length = 0;
  log.debug.length = 0;
  await page.reload();
  await waitForDebug(log, 'page: done');
  assert.ok(log.debug.includes('opted out: nothing loads'));
  assert.deepEqual(widgetFiles(log), [], 'the widget or the core downloaded');
  assert.equal(log.requests.some((u) => u.endsWith('/surveys.json')), false, 'the definitions downloaded');
  await page.evaluate(() => window.__nazar.show('feedback'));
  await waitForDebug(log, 'show "feedback": done');
  assert.equal(await page.getByRole('dialog').count(), 0);

  await page.evaluate(() => window.__nazar.optIn());
  await page.reload();
  await page.getByRole('dialog').waitFor({ state: 'visible', timeout: 10000 });
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('optOut() records no dismissal, drops the open session, and sends nothing until optIn()', async () => {
  site.app.received.length = 0;
  site.app.state.aggregateStatus = 503; // a finished payload stays pending
  const { page, log } = await openPage(browser.context);
  try {
    await page.goto(site.base + '/esm/');
    await page.getByRole('heading', { name: 'Would you recommend this shop?' }).waitFor({ state: 'visible', timeout: 10000 });
    await page.getByRole('radio', { name: '7', exact: true }).click();
    await page.getByRole('button', { name: 'Submit' }).click();
    await waitFor(() => site.app.received.find((r) => r.status === 503 && r.body.completions === 1), 10000, 'the failed POST');

    // A second session, open when the visitor opts out: nothing of it may leave.
    const earlier = new Set((await readOutbox(page)).map((r) => r.id)); // also earlier tests' sessions
    await page.reload();
    await page.getByRole('dialog').waitFor({ state: 'visible', timeout: 10000 });
    const open = await waitFor(async () => (await readOutbox(page)).find((r) => !earlier.has(r.id)), 10000, 'the open session stored');
    assert.equal(open.sent_at, undefined);
    await page.evaluate(() => window.__nazar.optOut());
    await waitFor(async () => (await page.getByRole('dialog').count()) === 0, 5000, 'the open survey to close');
    await waitFor(async () => !(await readOutbox(page)).some((r) => r.id === open.id), 5000, "the open session's record dropped");
    assert.equal(site.app.received.some((r) => r.body.dismissals > 0), false, 'a dismissal left');
    assert.equal(await page.evaluate(() => window.__events.some((e) => e.type === 'dismiss')), false);

    // Opted out: the pending payload stays, and neither a page load nor flush() sends it.
    site.app.state.aggregateStatus = 204;
    const before = site.app.received.length;
    log.debug.length = 0;
    await page.reload();
    await waitForDebug(log, 'opted out: the outbox waits');
    await page.evaluate(() => window.__nazar.flush());
    await waitForDebug(log, 'flush: done');
    assert.equal(site.app.received.length, before, 'an opted-out page posted');
    assert.deepEqual(new Set((await readOutbox(page)).map((r) => r.id)), earlier, 'the pending records stay');

    await page.evaluate(() => window.__nazar.optIn());
    await page.reload();
    const delivered = await waitFor(() => site.app.received.slice(before).find((r) => r.status === 204), 10000, 'the delivery after optIn');
    assert.equal(delivered.body.completions, 1);
    assert.equal(site.app.received.some((r) => r.body.dismissals > 0), false, 'a dismissal left');
    assert.deepEqual(log.errors.filter((e) => !e.includes('status of 503')), []);
  } finally {
    site.app.state.aggregateStatus = 204;
    await page.evaluate(() => window.__nazar.optIn()).catch(() => {});
    await page.close();
  }
});

test("show(id) asks the core: a manual survey's delay_ms applies", async () => {
  const { page, log } = await openPage(browser.context);
  await page.clock.install(); // the delay passes when the test says so
  await page.goto(site.base + '/later/');
  await page.waitForFunction(() => window.nazar && typeof window.nazar.show === 'function');
  await page.evaluate(() => void window.nazar.show('later'));
  await waitForDebug(log, 'later: shows'); // the core's decision, its delay timer now set
  assert.equal(await page.getByRole('dialog').count(), 0, 'shown before its delay_ms');
  await page.clock.runFor(3500);
  assert.equal(await page.getByRole('dialog').count(), 0, 'shown before its delay_ms');
  assert.equal(log.debug.includes('show "later": done'), false);
  await page.clock.runFor(1000);
  await page.getByRole('dialog').waitFor({ state: 'visible', timeout: 10000 });
  await waitForDebug(log, 'show "later": done');
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('hide() while a survey is on its way (its delay, its opening tasks) means it never shows', async () => {
  const { page, log } = await openPage(browser.context);
  await page.clock.install();
  await page.goto(site.base + '/later/');
  await page.waitForFunction(() => window.nazar && typeof window.nazar.show === 'function');
  await page.evaluate(() => {
    window.__shown = 0;
    window.nazar.on('show', () => ++window.__shown);
    void window.nazar.show('later');
  });
  await waitForDebug(log, 'later: shows');
  await page.evaluate(() => window.nazar.hide());
  await page.clock.runFor(5000);
  await waitForDebug(log, 'hidden: "later" does not show');
  assert.equal(await page.getByRole('dialog').count(), 0);
  assert.equal(await page.evaluate(() => window.__shown), 0);
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('events name the survey and question, never what was answered', async () => {
  const { page, log } = await openPage(browser.context);
  await page.goto(site.base + '/quiet/');
  await page.waitForFunction(() => window.nazar && typeof window.nazar.show === 'function');
  await page.evaluate(() => {
    window.__seen = [];
    for (const type of ['show', 'answer', 'complete', 'dismiss', 'send', 'error']) {
      window.nazar.on(type, (e) => window.__seen.push(JSON.parse(JSON.stringify(e))));
    }
    return window.nazar.show('feedback');
  });
  await page.getByRole('dialog').waitFor({ state: 'visible' });
  await page.getByRole('radio', { name: '3', exact: true }).click();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('textbox').fill('my parcel came late');
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('radio', { name: 'App' }).click();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('radio').nth(3).click();
  await page.getByRole('button', { name: 'Submit' }).click();
  await waitFor(() => page.evaluate(() => window.__seen.some((e) => e.type === 'send')), 10000, 'the send event');
  const seen = await page.evaluate(() => window.__seen);
  // "why" shows only to detractors: no event for it, or the page would learn the group.
  assert.deepEqual(seen.map((e) => e.type), ['show', 'answer', 'answer', 'answer', 'complete', 'send']);
  assert.deepEqual(seen.filter((e) => e.type === 'answer').map((e) => e.question), ['nps', 'channel', 'sat']);
  for (const e of seen) {
    assert.equal(e.survey, 'feedback');
    for (const key of Object.keys(e)) assert.ok(['type', 'survey', 'question'].includes(key), `${e.type} carries "${key}"`);
  }
  const text = JSON.stringify(seen);
  for (const leak of ['my parcel came late', '"app"', '"value"', '"choices"', '"text"']) {
    assert.equal(text.includes(leak), false, `an event carries ${leak}`);
  }
  assert.deepEqual(log.errors, []);
  await page.close();
});

// Opens /quiet/ and shows "feedback" with the rest of the core held back until the returned
// release() is called: the rest has been requested and has not arrived.
async function showWithRestHeld(page, log) {
  let release;
  const held = new Promise((resolve) => (release = resolve));
  await page.route('**/nazar/nazar-core-rest.wasm', async (route) => {
    await held;
    await route.continue();
  });
  await page.goto(site.base + '/quiet/');
  await page.waitForFunction(() => window.nazar && typeof window.nazar.show === 'function');
  await page.evaluate(() => window.nazar.show('feedback'));
  await page.getByRole('dialog').waitFor({ state: 'visible' });
  await waitFor(() => widgetFiles(log).includes('/nazar/nazar-core-rest.wasm'), 5000, 'the rest to be requested');
  return release;
}

// After a 9 on "feedback" (a promoter: no "why"): the channel and the rating, then Submit, and
// the answers delivered.
async function finishAsPromoter(page) {
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('radio', { name: 'App' }).click();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('radio').nth(3).click();
  await page.getByRole('button', { name: 'Submit' }).click();
  await waitFor(() => site.app.received.some((r) => r.body.survey === 'feedback' && r.body.questions?.nps?.counts?.[9] === 1),
    10000, 'the answers delivered');
}

test('the outbox module is off the first question\'s path: requested once the question has painted, and the answer is still delivered', async () => {
  site.app.received.length = 0;
  const fresh = await launch(); // a visitor with an empty outbox: nothing loads it at start
  try {
    const { page, log } = await openPage(fresh.context);
    // When, after the survey's element entered the page, the next frame's callbacks run (its
    // style, layout and paint follow in the same task), on the page's clock.
    await page.addInitScript(() => {
      new MutationObserver((_, observer) => {
        if (!document.querySelector('nazar-survey')) return;
        requestAnimationFrame(() => (window.__frame = performance.now()));
        observer.disconnect();
      }).observe(document, { childList: true, subtree: true });
    });
    await page.goto(site.base + '/quiet/');
    await page.waitForFunction(() => window.nazar && typeof window.nazar.show === 'function');
    await page.evaluate(() => window.nazar.show('feedback'));
    await page.getByRole('dialog').waitFor({ state: 'visible' });
    // The outbox is asked for once the question has painted (the widget's painted hook), beside
    // the rest of the core: never in parallel with the widget module and the core, nor between
    // the question's insertion and its first frame (present.ts; bench/README.md, "The outbox
    // after the first paint").
    const timing = await waitFor(() => page.evaluate(() => {
      const find = (name) => performance.getEntriesByType('resource').find((e) => e.name.endsWith('/nazar/' + name));
      const [outbox, widget, core] = ['nazar-outbox.mjs', 'nazar-widget.mjs', 'nazar-core.wasm'].map(find);
      return outbox && widget && core && window.__frame
        ? { outbox: outbox.startTime, widget: widget.responseEnd, core: core.responseEnd, frame: window.__frame } : null;
    }), 10000, 'the outbox to load');
    assert.ok(timing.outbox > Math.max(timing.widget, timing.core), JSON.stringify(timing));
    assert.ok(timing.outbox > timing.frame, JSON.stringify(timing));
    // No survey here waits for a scroll, a dwell or an exit intent: their observers' module
    // (nazar-triggers.mjs) is never downloaded.
    assert.ok(!widgetFiles(log).includes('/nazar/nazar-triggers.mjs'), widgetFiles(log).join(', '));
    await page.getByRole('radio', { name: '9', exact: true }).click();
    await finishAsPromoter(page);
    assert.deepEqual(log.errors, []);
    await page.close();
  } finally {
    await fresh.close();
  }
});

test('the rest of the core is off the first question\'s path: requested once the question is in the page, and a tap before it arrives waits for it', async () => {
  site.app.received.length = 0;
  const fresh = await launch();
  try {
    const { page, log } = await openPage(fresh.context);
    // When the survey's element enters the page, on the page's clock.
    await page.addInitScript(() => {
      new MutationObserver((_, observer) => {
        if (!document.querySelector('nazar-survey')) return;
        window.__inserted = performance.now();
        observer.disconnect();
      }).observe(document, { childList: true, subtree: true });
    });
    // The rest arrives 1.5 s late: the first tap comes before it.
    const release = await showWithRestHeld(page, log);
    const started = await page.evaluate(() => {
      const rest = performance.getEntriesByType('resource').find((e) => e.name.endsWith('/nazar/nazar-core-rest.wasm'));
      return { inserted: window.__inserted, rest: rest?.startTime ?? null };
    });
    // (A held request has no resource entry yet; the entry comes with its response, below.)
    const nine = page.getByRole('radio', { name: '9', exact: true });
    await nine.click();
    assert.equal(await nine.getAttribute('aria-checked'), 'false', 'the tap waits for the rest');
    setTimeout(release, 1500);
    await waitFor(async () => (await nine.getAttribute('aria-checked')) === 'true', 10000, 'the tap to apply');
    const rest = await page.evaluate(() =>
      performance.getEntriesByType('resource').find((e) => e.name.endsWith('/nazar/nazar-core-rest.wasm')).startTime);
    assert.ok(rest > started.inserted, JSON.stringify({ ...started, rest }));
    await finishAsPromoter(page);
    assert.deepEqual(log.errors, []);
    await page.close();
  } finally {
    await fresh.close();
  }
});

test('keys before the rest of the core arrives wait for it, apply in order, and never pull focus from where the visitor has since moved it', async () => {
  const fresh = await launch();
  try {
    // `act` runs while the rest is held; once `applied` holds, where focus is: an element of the
    // survey by id (or text), or "page:" and the page's element.
    const run = async (act, applied) => {
      const { page, log } = await openPage(fresh.context);
      const release = await showWithRestHeld(page, log);
      const radio = (n) => page.locator('#nz-nps-' + n);
      await act(page, radio);
      const focused = () =>
        page.evaluate(() => {
          const el = document.querySelector('nazar-survey').shadowRoot.activeElement;
          return el ? el.id || el.textContent : 'page:' + (document.activeElement?.id || document.activeElement?.localName);
        });
      const before = await focused();
      release();
      await waitFor(() => applied(page, radio), 10000, 'the held events to apply');
      const after = await focused();
      assert.deepEqual(log.errors, []);
      await page.close();
      return { before, after };
    };
    const checked = async (radio, n) => (await radio(n).getAttribute('aria-checked')) === 'true';
    // Focus on a radio, then keys; `applied`: the radio it checks, or a condition of the page.
    const keys = (from, presses, applied, expected, check = async () => {}) =>
      run(async (page, radio) => {
        await radio(from).focus();
        for (const key of presses) await page.keyboard.press(key);
        await check(radio);
      }, typeof applied === 'number' ? (page, radio) => checked(radio, applied) : applied)
        .then((r) => assert.deepEqual(r, expected, presses.join(' ')));
    // End on the first radio: focus follows the selection to the last.
    await keys(0, ['End'], 10, { before: 'nz-nps-0', after: 'nz-nps-10' },
      async (radio) => assert.equal(await checked(radio, 10), false, 'End waits for the rest'));
    // Home then End from the sixth: the second follows the first, focus ends on the last.
    await keys(5, ['Home', 'End'], 10, { before: 'nz-nps-5', after: 'nz-nps-10' });
    // ArrowDown twice from the first: the second moves on from where the first left focus.
    await keys(0, ['ArrowDown', 'ArrowDown'], 2, { before: 'nz-nps-0', after: 'nz-nps-2' });
    // End, then a Tab to Next: focus stays on Next.
    await keys(0, ['End', 'Tab'], 10, { before: 'Next', after: 'Next' });
    // End, Tab, Enter on Next, then Shift+Tab back to the radio: Next's new question replaces
    // the radio that had focus, and focus goes to that question's first option.
    await keys(0, ['End', 'Tab', 'Enter', 'Shift+Tab'],
      async (page) => (await page.getByRole('radio', { name: 'App' }).count()) === 1,
      { before: 'nz-nps-0', after: 'nz-channel-web' });
  } finally {
    await fresh.close();
  }
});

test('closing does not wait for the rest of the core: the survey closes at once, and nothing of it is stored', async () => {
  const fresh = await launch();
  try {
    const { page, log } = await openPage(fresh.context);
    const release = await showWithRestHeld(page, log);
    await page.getByRole('button', { name: 'Close' }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached', timeout: 2000 });
    release();
    await page.waitForTimeout(300);
    assert.deepEqual(await readOutbox(page), [], 'nothing stored');
    assert.deepEqual(log.errors, []);
    await page.close();
  } finally {
    await fresh.close();
  }
});

test('a site\'s mistakes never reach the page: a surveys URL that does not parse, a malformed queued call, arguments that cannot be text', async () => {
  const { page, log } = await openPage(browser.context);
  await page.goto(site.base + '/mistakes/');
  await waitForDebug(log, 'page: done');
  await waitForDebug(log, 'track "checkout_completed": done');
  // window.nazar is the API despite the URL, and the queue's later entries ran.
  assert.equal(await page.evaluate(() => typeof window.nazar.track), 'function');
  const errors = () => page.evaluate(() => window.__errors.map((e) => e.code + ': ' + e.message));
  await waitFor(async () => (await errors()).some((e) => e.startsWith('unreachable')), 5000, 'the surveys file error');
  const seen = await errors();
  // The null entry, the setLocale whose argument throws, and the file that cannot be fetched,
  // named as written. The track call's object is named by its type in its debug line.
  assert.ok(seen.includes('internal: window.nazar: not a call of its API: null'), seen.join('\n'));
  assert.ok(seen.includes('internal: window.nazar: not a call of its API: trak,1'), seen.join('\n'));
  assert.ok(seen.includes('internal: no text here'), seen.join('\n'));
  // The URL fails the same way for the queued track, data-track and the page view: said once.
  assert.equal(seen.filter((e) => e.startsWith('unreachable: the surveys file https://c.example:99999/surveys.json could not be reached')).length,
    1, seen.join('\n'));
  // A misspelled method, and a name every object has but the API does not.
  assert.ok(seen.includes('internal: window.nazar: not a call of its API: trak,checkout_completed'), seen.join('\n'));
  assert.ok(seen.includes('internal: window.nazar: not a call of its API: toString'), seen.join('\n'));
  assert.ok(log.debug.includes('track object: done'), log.debug.join('\n'));
  // The same calls from the page itself return; none throws into it, nor does a call whose
  // argument throws a value that cannot be made text either (reporting it must not fail).
  const thrown = await page.evaluate(() => {
    const odd = Object.create(null);
    const out = [];
    window.__errors = [];
    for (const call of [() => window.nazar.track(odd), () => window.nazar.show(odd), () => window.nazar.setLocale(odd),
      () => window.nazar.show('feedback', { get container() { throw Object.create(null); } }),
      () => window.nazar.setLocale({ toString() { throw Object.create(null); } }),
      // A value whose every property read throws (its code and its message).
      () => window.nazar.show('feedback', { get container() { throw new Proxy({}, { get() { throw 0; } }); } })]) {
      try {
        const r = call();
        if (r && typeof r.then === 'function') r.catch(() => out.push('rejected'));
      } catch {
        out.push('threw');
      }
    }
    return new Promise((resolve) => setTimeout(() => resolve(out), 200));
  });
  assert.deepEqual(thrown, []);
  // Each failure is still an error event, named by its type; the surveys URL's is not said again.
  const later = await errors();
  assert.equal(later.filter((e) => e === 'internal: object').length, 3, later.join('\n'));
  assert.ok(!later.some((e) => e.startsWith('unreachable')), later.join('\n'));
  assert.deepEqual(log.pageErrors, []);
  await page.close();
});

test('no surveys file named: one error event, however many calls need it', async () => {
  const { page, log } = await openPage(browser.context);
  await page.goto(site.base + '/nofile/');
  await waitForDebug(log, 'track "checkout_completed": done');
  await waitForDebug(log, 'track "signup": done');
  await page.evaluate(() => window.nazar.track('later'));
  await waitForDebug(log, 'track "later": done');
  const errors = await page.evaluate(() => window.__errors.map((e) => e.code + ': ' + e.message));
  assert.deepEqual(errors, ['internal: no surveys file: set data-surveys']);
  assert.deepEqual(log.pageErrors, []);
  await page.close();
});

test('a surveys file that failed is asked for again by the next call', async () => {
  const { page, log } = await openPage(browser.context);
  const file = path.join(site.dir, 'retry/surveys.json');
  const asked = () => log.requests.filter((u) => new URL(u).pathname === '/retry/surveys.json').length;
  await page.goto(site.base + '/retry/');
  await waitForDebug(log, 'page: done');
  await waitForDebug(log, 'track "checkout_completed": done');
  assert.ok(log.errors.some((e) => e.includes('the surveys file ' + site.base + '/retry/surveys.json answered HTTP 404')),
    log.errors.join('\n'));
  const before = asked();
  assert.ok(before >= 1);
  fs.writeFileSync(file, JSON.stringify({
    nazar: 1,
    surveys: [{ ...SURVEY.surveys[1], id: 'retry', trigger: { on: 'manual' } }],
  }));
  try {
    await page.evaluate(() => window.nazar.show('retry'));
    await page.getByRole('dialog').waitFor({ state: 'visible', timeout: 10000 });
    assert.equal(asked(), before + 1);
  } finally {
    fs.rmSync(file, { force: true });
  }
  assert.deepEqual(log.pageErrors, []);
  await page.close();
});

test('data-container and show(id, {container}) render inline; a missing container is an error event', async () => {
  const { page, log } = await openPage(browser.context);
  await page.goto(site.base + '/inline/');
  await waitForDebug(log, 'page: done');
  await page.evaluate(() => window.nazar.show('feedback'));
  await page.getByRole('dialog').waitFor({ state: 'visible' });
  const placed = await page.evaluate(() => {
    const host = document.querySelector('nazar-survey');
    return { parent: host.parentElement.id, position: getComputedStyle(host.shadowRoot.querySelector('.nz-root')).position };
  });
  assert.deepEqual(placed, { parent: 'slot', position: 'relative' });
  await page.evaluate(() => window.nazar.hide());
  await page.evaluate(() => {
    window.__errors = [];
    window.nazar.on('error', (e) => window.__errors.push(e));
    return window.nazar.show('feedback', { container: '#nowhere' });
  });
  const errors = await page.evaluate(() => window.__errors);
  assert.equal(errors.length, 1);
  assert.equal(errors[0].code, 'not_found');
  assert.match(errors[0].message, /#nowhere/);
  assert.equal(await page.getByRole('dialog').count(), 0);
  // A container that is not an element (a number, a plain object) is named as such, and no
  // survey shows (before: "appendChild is not a function", from half-built widget).
  for (const kind of ['number', 'object']) {
    await page.evaluate((k) => {
      window.__errors = [];
      return window.nazar.show('feedback', { container: k === 'number' ? 123 : {} });
    }, kind);
    const wrong = await page.evaluate(() => window.__errors);
    assert.equal(wrong.length, 1, kind);
    assert.equal(wrong[0].code, 'not_found', kind);
    assert.equal(wrong[0].message, 'the container is not an element (' + kind + ')');
    assert.equal(await page.getByRole('dialog').count(), 0, kind);
  }
  // An element of another document, an iframe's (another realm), a template's or one made by the
  // page's own DOMImplementation (this realm, never shown), is named as such: the widget's
  // stylesheets cannot be shared with another document, and a survey no one sees must not show.
  const elsewhere = await page.evaluate(async () => {
    window.__errors = [];
    window.__shown = [];
    window.nazar.on('show', (e) => window.__shown.push(e.survey));
    const frame = document.createElement('iframe');
    document.body.append(frame);
    await window.nazar.show('feedback', { container: frame.contentDocument.body });
    frame.remove();
    const template = document.createElement('template');
    const inert = template.content.appendChild(template.content.ownerDocument.createElement('div'));
    await window.nazar.show('feedback', { container: inert });
    await window.nazar.show('feedback', { container: document.implementation.createHTMLDocument('').body });
    return window.__errors;
  });
  const another = 'not_found: the container is an element of another document (an iframe, a template?); give one of this page';
  assert.deepEqual(elsewhere.map((e) => e.code + ': ' + e.message), [another, another, another]);
  assert.equal(await page.getByRole('dialog').count(), 0);
  // An element of this page that the page does not render: never inserted; removed while the
  // survey opens (right after the call, before the widget module mounts it); hidden (display:
  // none); inside a hidden element; with display: contents inside a hidden element; inside an
  // SVG, which draws no HTML element. Through data-container: its slot hidden.
  const unseen = await page.evaluate(async () => {
    window.__errors = [];
    await window.nazar.show('feedback', { container: document.createElement('div') });
    const leaving = document.body.appendChild(document.createElement('div'));
    const opening = window.nazar.show('feedback', { container: leaving });
    leaving.remove();
    await opening;
    const hidden = document.body.appendChild(document.createElement('div'));
    hidden.hidden = true;
    await window.nazar.show('feedback', { container: hidden });
    await window.nazar.show('feedback', { container: hidden.appendChild(document.createElement('div')) });
    const contents = hidden.appendChild(document.createElement('div'));
    contents.style.display = 'contents';
    await window.nazar.show('feedback', { container: contents });
    const svg = document.body.appendChild(document.createElementNS('http://www.w3.org/2000/svg', 'svg'));
    await window.nazar.show('feedback', { container: svg });
    const slot = document.getElementById('slot');
    slot.hidden = true;
    await window.nazar.show('feedback');
    slot.hidden = false;
    return {
      errors: window.__errors.map((e) => e.code + ': ' + e.message),
      hosts: document.querySelectorAll('nazar-survey').length,
    };
  });
  const notRendered = (name) => 'not_found: ' + name + ' is not rendered (not in the page, or hidden on it or above it)';
  const element = notRendered('the container');
  assert.deepEqual(unseen, {
    errors: [element, element, element, element, element, element, notRendered('the container "#slot"')],
    hosts: 0,
  });
  // A false (or empty) container is none given: the page's data-container applies, as without.
  await page.evaluate(() => window.nazar.show('feedback', { container: false }));
  await page.getByRole('dialog').waitFor({ state: 'visible' });
  assert.equal(await page.evaluate(() => document.querySelector('nazar-survey').parentElement.id), 'slot');
  // Its show event is the only one: the refused containers showed nothing, not even unseen.
  await waitFor(() => page.evaluate(() => window.__shown.length > 0), 10000, 'the show event');
  assert.deepEqual(await page.evaluate(() => window.__shown), ['feedback']);
  await page.evaluate(() => window.nazar.hide());
  // An element with display: contents has no box, yet what it holds renders: the survey shows in it.
  await page.evaluate(() => {
    const contents = document.body.appendChild(document.createElement('section'));
    contents.id = 'contents';
    contents.style.display = 'contents';
    return window.nazar.show('feedback', { container: contents });
  });
  await page.getByRole('dialog').waitFor({ state: 'visible' });
  assert.equal(await page.evaluate(() => document.querySelector('nazar-survey').parentElement.id), 'contents');
  await page.evaluate(() => window.nazar.hide());
  assert.deepEqual(log.pageErrors, []);
  await page.close();
});

test('sampling: a visitor draws once; reloads keep the draw and the decision', async () => {
  const { page, log } = await openPage(browser.context);
  const draw = () => page.evaluate(() => JSON.parse(localStorage.getItem('nazar:history') || '{}').sampled?.sample_draw);
  const decision = () => log.debug.filter((l) => l.startsWith('sampled: '));
  await page.goto(site.base + '/sample/');
  await waitForDebug(log, 'page: done');
  const first = await draw();
  assert.equal(typeof first, 'number', 'the draw is stored with the display history');
  assert.ok(first >= 0 && first < 1);
  assert.deepEqual(decision(), [first < 0.5 ? 'sampled: shows' : 'sampled: sampled out']);
  for (let i = 2; i <= 4; i++) {
    await page.reload();
    await waitForDebug(log, 'page: done', i);
    assert.equal(await draw(), first, 'reload ' + i + ' kept the draw');
  }
  assert.ok(decision().every((l) => l === decision()[0]), decision().join(', '));

  // A draw of 0.9 is outside a rate of 0.5 on every reload; 0.1 is inside.
  for (const [stored, want] of [[0.9, 'sampled: sampled out'], [0.1, 'sampled: shows']]) {
    await page.evaluate((d) => localStorage.setItem('nazar:history', JSON.stringify({ sampled: { sample_draw: d } })), stored);
    for (let i = 0; i < 3; i++) {
      log.debug.length = 0;
      await page.reload();
      await waitForDebug(log, 'page: done');
      assert.deepEqual(decision(), [want]);
      assert.equal(await draw(), stored);
      assert.equal(await page.getByRole('dialog').count(), want.endsWith('shows') ? 1 : 0);
    }
  }
  assert.deepEqual(log.errors, []);
  await page.close();
});
