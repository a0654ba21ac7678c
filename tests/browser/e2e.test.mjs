// End to end in Chromium under the strict CSP with Trusted Types: the embed snippet with
// data-track shows the NPS question, the answer is sent as a Contract 3 payload.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, waitFor, waitForDebug, today, useSite, readOutbox } from './server.mjs';

let site;
let browser;
useSite((s, b) => {
  site = s;
  browser = b;
});

test('post-checkout NPS: shows, answers, sends the aggregate', async () => {
  const { page, log } = await openPage(browser.context);
  await page.goto(site.base + '/e2e/');

  const dialog = page.getByRole('dialog');
  await dialog.waitFor({ state: 'visible', timeout: 10000 });
  const heading = page.getByRole('heading', { name: 'How likely are you to recommend us to a friend?' });
  await heading.waitFor({ state: 'visible' });
  assert.equal(await page.getByRole('radio').count(), 11);
  assert.equal(await dialog.getAttribute('aria-labelledby'), await heading.getAttribute('id'));

  await page.getByRole('radio', { name: '9', exact: true }).click();
  assert.equal(await page.getByRole('radio', { name: '9', exact: true }).getAttribute('aria-checked'), 'true');
  await page.getByRole('button', { name: 'Submit' }).click();
  await page.getByRole('status').getByText('Thank you!').waitFor({ state: 'visible' });

  const post = await waitFor(() => site.app.received.find((r) => r.body.completions === 1), 10000, 'the POST');
  assert.equal(post.content_type, 'text/plain;charset=UTF-8');
  const p = post.body;
  assert.deepEqual(Object.keys(p).sort(), ['batch', 'completions', 'dismissals', 'displays', 'locale',
    'nazar', 'period', 'questions', 'site', 'survey', 'survey_version']);
  assert.equal(p.nazar, 1);
  assert.match(p.batch, /^[0-9a-f]{32}$/);
  assert.equal(p.site, '127.0.0.1');
  assert.equal(p.survey, 'post-checkout');
  assert.equal(p.survey_version, '2026-11-01');
  assert.equal(p.period, today());
  assert.equal(p.locale, 'en');
  assert.equal(p.displays, 1);
  assert.equal(p.completions, 1);
  assert.equal(p.dismissals, 0);
  assert.deepEqual(Object.keys(p.questions), ['nps']);
  assert.deepEqual(Object.keys(p.questions.nps).sort(), ['counts', 'type']);
  assert.equal(p.questions.nps.type, 'nps');
  assert.deepEqual(p.questions.nps.counts, [0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0]);
  // Nothing that identifies the visitor or the page.
  const text = JSON.stringify(p);
  assert.ok(!text.includes('/e2e'), 'no URL path');
  assert.ok(!/Chrome|Mozilla|HeadlessChrome/.test(text), 'no user agent');

  // Acknowledged: the outbox is empty.
  await waitFor(async () => (await readOutbox(page)).length === 0, 5000, 'an empty outbox');

  // Close: the widget leaves the page.
  await page.getByRole('button', { name: 'Close' }).click();
  await waitFor(() => page.evaluate(() => !document.querySelector('nazar-survey')), 5000, 'the widget to close');

  assert.deepEqual(await page.evaluate(() => window.__violations), []);
  assert.deepEqual(await page.evaluate(() => window.__uncaught), []);
  assert.deepEqual(log.errors, []);
  assert.deepEqual(log.pageErrors, []);
  await page.close();
});

test('a page no survey targets loads only nazar.js and surveys.json', async () => {
  const { page, log } = await openPage(browser.context);
  await page.goto(site.base + '/quiet/');
  // Both of the loader's decisions (data-track and the page's own triggers) have settled.
  await waitForDebug(log, 'track "newsletter_signup": done');
  await waitForDebug(log, 'page: done');
  assert.ok(log.requests.some((u) => u.endsWith('/surveys.json')));
  const nazar = log.requests.filter((u) => u.includes('/nazar/'));
  assert.deepEqual(nazar.map((u) => new URL(u).pathname), ['/nazar/nazar.js']);
  assert.equal(await page.evaluate(() => typeof window.nazar.track), 'function');
  // window.nazar is the public API (web/types/nazar.d.ts, NazarApi) and nothing else: not the
  // loader's own entry points (its transport, its page view).
  assert.deepEqual(await page.evaluate(() => Object.keys(window.nazar).sort()),
    ['flush', 'hide', 'off', 'on', 'optIn', 'optOut', 'setLocale', 'show', 'track']);
  assert.equal(await page.evaluate(() => document.querySelector('nazar-survey')), null);
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('the JS API: show(), events to listeners, hide()', async () => {
  const { page, log } = await openPage(browser.context);
  await page.goto(site.base + '/quiet/');
  await page.waitForFunction(() => window.nazar && typeof window.nazar.show === 'function');
  await page.evaluate(() => {
    window.__events = [];
    for (const type of ['show', 'answer', 'complete', 'dismiss', 'send', 'error']) {
      window.nazar.on(type, (e) => window.__events.push(e));
    }
    return window.nazar.show('post-checkout');
  });
  await page.getByRole('dialog').waitFor({ state: 'visible' });
  await page.getByRole('radio', { name: '3', exact: true }).click();
  await page.getByRole('button', { name: 'Submit' }).click();
  await waitFor(() => page.evaluate(() => window.__events.some((e) => e.type === 'send')), 10000, 'the send event');
  const events = await page.evaluate(() => window.__events);
  assert.deepEqual(events.map((e) => e.type), ['show', 'answer', 'complete', 'send']);
  assert.equal(events[1].question, 'nps');
  assert.equal('value' in events[1], false, 'the page never learns the answer');
  assert.ok(events.every((e) => e.survey === 'post-checkout'));
  // show() again while one is showing: ignored; hide() removes it.
  await page.evaluate(() => window.nazar.show('post-checkout'));
  assert.equal(await page.evaluate(() => document.querySelectorAll('nazar-survey').length), 1);
  await page.evaluate(() => window.nazar.hide());
  assert.equal(await page.evaluate(() => document.querySelectorAll('nazar-survey').length), 0);
  // Unknown survey: an error event and a console line, nothing thrown.
  await page.evaluate(() => window.nazar.show('no-such-survey'));
  const errors = await page.evaluate(() => window.__events.filter((e) => e.type === 'error'));
  assert.equal(errors.length, 1);
  assert.equal(errors[0].code, 'not_found');
  assert.equal(log.errors.length, 1);
  assert.match(log.errors[0], /^nazar: /);
  assert.deepEqual(log.pageErrors, []);
  await page.close();
});

test('targeting is the core\'s: url rules and max_displays hold across reloads', async () => {
  const { page, log } = await openPage(browser.context);
  // Outside the included paths: the pre-filter says no, nothing loads or shows.
  await page.goto(site.base + '/once/cart/');
  await waitForDebug(log, 'track "checkout_completed": done');
  assert.ok(log.debug.includes('no survey can show for "checkout_completed" on this page'));
  assert.equal(log.requests.some((u) => u.includes('nazar-widget.mjs')), false);
  assert.equal(await page.getByRole('dialog').count(), 0);
  // The first visit to the thank-you page shows the survey once...
  await page.goto(site.base + '/once/thanks/');
  await page.getByRole('dialog').waitFor({ state: 'visible', timeout: 10000 });
  const history = await page.evaluate(() => JSON.parse(localStorage.getItem('nazar:history') || '{}'));
  assert.equal(history.once.displays, 1);
  // ...and never again for this visitor: the core refuses (the loader cannot know history).
  log.debug.length = 0;
  await page.reload();
  await waitForDebug(log, 'track "checkout_completed": done');
  assert.ok(log.debug.includes('once: max_displays: shown 1 of 1 times'), log.debug.join('\n'));
  assert.equal(await page.getByRole('dialog').count(), 0);
  await page.close();
});

test('the core downloads while the widget module loads; a missing core is one not_found error event', async () => {
  // The widget module is held until the core's request arrives: a loader that asked for the
  // core only once the module had loaded would never show the survey here.
  const { page, log } = await openPage(browser.context);
  let wasmAsked;
  const asked = new Promise((resolve) => (wasmAsked = resolve));
  await page.route('**/nazar/nazar-core.wasm', (route) => {
    wasmAsked();
    return route.continue();
  });
  await page.route('**/nazar/nazar-widget.mjs', async (route) => {
    const held = await Promise.race([asked.then(() => true),
      new Promise((r) => setTimeout(() => r(false), 10000))]);
    if (!held) return route.abort();
    return route.continue();
  });
  await page.goto(site.base + '/e2e/');
  await page.getByRole('dialog').waitFor({ state: 'visible', timeout: 15000 });
  assert.deepEqual(log.pageErrors, []);
  await page.close();

  const second = await openPage(browser.context);
  await second.page.route('**/nazar/nazar-core.wasm', (route) => route.fulfill({ status: 404, body: 'gone' }));
  await second.page.goto(site.base + '/quiet/');
  await second.page.waitForFunction(() => window.nazar && typeof window.nazar.show === 'function');
  await second.page.evaluate(() => {
    window.__events = [];
    window.nazar.on('error', (e) => window.__events.push({ code: e.code, message: e.message }));
    return window.nazar.show('post-checkout');
  });
  const errors = await waitFor(() => second.page.evaluate(() => window.__events.length && window.__events), 10000, 'the error event');
  assert.equal(errors.length, 1);
  assert.equal(errors[0].code, 'not_found');
  assert.match(errors[0].message, /nazar-core\.wasm \(HTTP 404\)/);
  assert.equal(await second.page.getByRole('dialog').count(), 0);
  assert.deepEqual(second.log.pageErrors, []);
  await second.page.close();
});
