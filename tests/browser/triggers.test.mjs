// The triggers of Contract 1 in Chromium: each survey shows after its fact and not before, the
// pre-filter keeps untargetable pages down to the loader and the definitions, and eligible
// pages load the module at idle. Every wait is for a condition (the loader's data-debug lines
// say when it has decided), never a fixed sleep.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ROOT, launch, openPage, page, waitFor, waitForDebug, useSite } from './server.mjs';
import { CHROMIUM_ARGS } from './chromium.mjs';

const nps = (text) => [{ id: 'nps', type: 'nps', text: { en: text } }];
const survey = (id, trigger, text) => ({ nazar: 1, id, version: '1', trigger: { max_displays: 0, ...trigger }, questions: nps(text) });

const TRIGGERS = {
  nazar: 1,
  surveys: [
    survey('read-half', { on: 'scroll', percent: 50, url: { include: ['/triggers/scroll/*'] } }, 'Was this article useful?'),
    survey('stay', { on: 'dwell', seconds: 3, url: { include: ['/triggers/dwell/*'] } }, 'Did you find what you need?'),
    survey('leave', { on: 'exit_intent', url: { include: ['/triggers/exit/*'] } }, 'Before you go: what stopped you?'),
    survey('spa', { on: 'pageview', url: { include: ['/triggers/spa/thanks*'] } }, 'How was your order?'),
    // Definitions write paths as read; the browser's location.pathname is percent-encoded.
    survey('shop-fa', { on: 'pageview', url: { include: ['/triggers/فروشگاه/*'] } }, 'How is our shop?'),
  ],
};
const DOWNLOADS = {
  nazar: 1,
  surveys: [survey('not-account', { on: 'pageview', url: { exclude: ['/dl/account*'] } }, 'How is the shop?')],
};

const on = (p, extra = {}) =>
  page({ surveys: '/triggers/surveys.json', attrs: 'data-debug', ...extra });
const PAGES = {
  'triggers/surveys.json': JSON.stringify(TRIGGERS),
  'triggers/tall.css': '.tall { height: 6000px; }\n',
  'triggers/scroll/index.html': on('scroll', { head: '<link rel="stylesheet" href="/triggers/tall.css">', body: '<div class="tall"></div>' }),
  'triggers/dwell/index.html': on('dwell'),
  'triggers/exit/index.html': on('exit'),
  'triggers/spa/index.html': on('spa'),
  'triggers/فروشگاه/index.html': on('shop-fa'),
  'dl/surveys.json': JSON.stringify(DOWNLOADS),
  'dl/account/index.html': page({ surveys: '/dl/surveys.json', attrs: 'data-debug' }),
  'dl/shop/index.html': page({ surveys: '/dl/surveys.json', attrs: 'data-debug' }),
};

let site;
let browser;
useSite((s, b) => {
  site = s;
  browser = b;
}, { pages: PAGES });

const widgetFiles = (log) =>
  log.requests.map((u) => new URL(u).pathname).filter((p) => p.startsWith('/nazar/') && p !== '/nazar/nazar.js');
const dialogs = (page) => page.getByRole('dialog').count();

test('scroll: shows once the visitor scrolled past the percent, not before; the module loaded at idle', async () => {
  const { page, log } = await openPage(browser.context);
  await page.goto(site.base + '/triggers/scroll/');
  // Armed: the module loaded at idle and the core named the percent to wait for.
  await waitForDebug(log, 'scroll: asks again at 50%');
  // The widget module, the core and the rest of it (what answers need: web/split.mjs), the
  // observers' module (nazar-triggers.mjs, loaded only for such a page) and, once the first two
  // are here, the outbox that will deliver the answers: all before the survey shows, so a
  // connection lost meanwhile costs no answer.
  await waitFor(() => widgetFiles(log).length === 5, 5000, 'the outbox to load');
  assert.deepEqual(widgetFiles(log).sort(), ['/nazar/nazar-core-rest.wasm', '/nazar/nazar-core.wasm',
    '/nazar/nazar-outbox.mjs', '/nazar/nazar-triggers.mjs', '/nazar/nazar-widget.mjs']);
  // 30%: still short, nothing asked or shown.
  await page.evaluate(() => scrollTo(0, (document.documentElement.scrollHeight - innerHeight) * 0.3));
  // The widget has seen the scroll (its handler ran) and found it short: nothing asked.
  await waitFor(() => log.debug.some((l) => /^scroll: \d+%, short of 50%$/.test(l)), 5000, 'the widget to see the scroll');
  assert.equal(await dialogs(page), 0);
  assert.equal(log.debug.filter((l) => l === 'scroll: done').length, 1, 'only the first question was asked');
  await page.evaluate(() => scrollTo(0, (document.documentElement.scrollHeight - innerHeight) * 0.6));
  await page.getByRole('heading', { name: 'Was this article useful?' }).waitFor({ state: 'visible', timeout: 10000 });
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('dwell: counts visible seconds only; hidden time does not count', async () => {
  const { page, log } = await openPage(browser.context);
  // The page's clock is Playwright's, so seconds pass when the test says so; the visibility is
  // the test's too (headless pages are always visible).
  await page.clock.install();
  await page.addInitScript(() => {
    let state = 'visible';
    Object.defineProperty(Document.prototype, 'visibilityState', { get: () => state, configurable: true });
    Object.defineProperty(Document.prototype, 'hidden', { get: () => state !== 'visible', configurable: true });
    window.__setVisibility = (s) => {
      state = s;
      document.dispatchEvent(new Event('visibilitychange'));
    };
  });
  await page.goto(site.base + '/triggers/dwell/');
  // Let idle callbacks run until the core has named the seconds to wait for.
  await waitFor(async () => {
    await page.clock.runFor(10);
    return log.debug.includes('dwell: asks again at 3 s');
  }, 10000, 'the dwell trigger to arm');
  // Hidden for a minute: the clock stops.
  await page.evaluate(() => window.__setVisibility('hidden'));
  await waitFor(() => log.debug.some((l) => l.startsWith('dwell: paused at ')), 5000, 'the pause');
  await page.clock.runFor(60000);
  assert.equal(await dialogs(page), 0, 'hidden time counted');
  assert.equal(log.debug.filter((l) => l === 'dwell: done').length, 1);
  // Visible again: one more second is still short of three...
  await page.evaluate(() => window.__setVisibility('visible'));
  await page.clock.runFor(1000);
  assert.equal(await dialogs(page), 0, 'shown before three visible seconds');
  // ...and past three visible seconds it shows.
  await page.clock.runFor(2500);
  await page.getByRole('heading', { name: 'Did you find what you need?' }).waitFor({ state: 'visible', timeout: 10000 });
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('exit intent: shows when the pointer leaves through the top, not when it moves inside or out the side', async () => {
  const { page, log } = await openPage(browser.context);
  await page.goto(site.base + '/triggers/exit/');
  await waitForDebug(log, 'exit_intent: watching');
  await page.mouse.move(640, 400);
  // Out through the left edge, and back in near the top: not an exit intent.
  await page.mouse.move(-20, 400, { steps: 4 });
  await waitForDebug(log, 'exit_intent: left below the top edge, not counted');
  await page.mouse.move(640, 10, { steps: 4 });
  assert.equal(await dialogs(page), 0);
  assert.equal(log.debug.includes('exit_intent: done'), false);
  // Out through the top edge, towards the tabs.
  await page.mouse.move(640, -20, { steps: 4 });
  await page.getByRole('heading', { name: 'Before you go: what stopped you?' }).waitFor({ state: 'visible', timeout: 10000 });
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('url rules match a non-ASCII path as written, though the browser percent-encodes it', async () => {
  const { page, log } = await openPage(browser.context);
  await page.goto(site.base + '/triggers/فروشگاه/');
  assert.equal(await page.evaluate(() => location.pathname), '/triggers/' + encodeURIComponent('فروشگاه') + '/');
  await page.getByRole('heading', { name: 'How is our shop?' }).waitFor({ state: 'visible', timeout: 10000 });
  assert.ok(log.debug.includes('shop-fa: shows'));
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('exit intent never arms on a touch device, and nothing beyond the loader downloads there', async () => {
  const { chromium } = createRequire(path.join(ROOT, 'web/package.json'))('playwright-core');
  const mobile = await chromium.launch({
    executablePath: process.env.NAZAR_CHROMIUM || '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
  try {
    const context = await mobile.newContext({ hasTouch: true, isMobile: true, viewport: { width: 390, height: 800 } });
    const { page, log } = await openPage(context);
    await page.goto(site.base + '/triggers/exit/');
    assert.equal(await page.evaluate(() => matchMedia('(pointer: coarse)').matches), true, 'a coarse pointer');
    await waitForDebug(log, 'page: done');
    assert.ok(log.debug.includes('exit_intent: no fine pointer, not watched'));
    // A mouse leaving through the top (as some touch browsers emulate) asks nothing.
    await page.evaluate(() =>
      document.dispatchEvent(new MouseEvent('mouseout', { clientY: -5, relatedTarget: null, bubbles: true })));
    assert.equal(log.debug.includes('exit_intent: done'), false);
    assert.deepEqual(widgetFiles(log), []);
    assert.equal(await dialogs(page), 0);
  } finally {
    await mobile.close();
  }
});

test('scroll: a connection lost after the page loaded costs no answer (the outbox and the core\'s rest came with the widget)', async () => {
  site.app.received.length = 0;
  const fresh = await launch();
  try {
    const { page, log } = await openPage(fresh.context);
    await page.goto(site.base + '/triggers/scroll/');
    await waitForDebug(log, 'scroll: asks again at 50%');
    await waitFor(() => ['/nazar/nazar-outbox.mjs', '/nazar/nazar-core-rest.wasm'].every((f) => widgetFiles(log).includes(f)),
      5000, 'the outbox and the rest of the core to load');
    // The visitor reads on in a tunnel: the survey shows and is answered offline.
    await fresh.context.setOffline(true);
    await page.evaluate(() => scrollTo(0, (document.documentElement.scrollHeight - innerHeight) * 0.6));
    await page.getByRole('heading', { name: 'Was this article useful?' }).waitFor({ state: 'visible', timeout: 10000 });
    await page.getByRole('radio', { name: '9', exact: true }).click();
    await page.getByRole('button', { name: 'Submit' }).click();
    await page.getByRole('status').getByText('Thank you!').waitFor({ state: 'visible', timeout: 10000 });
    assert.equal(site.app.received.length, 0);
    await fresh.context.setOffline(false);
    await waitFor(() => site.app.received.some((r) => r.body.survey === 'read-half' && r.body.questions?.nps?.counts?.[9] === 1),
      20000, 'the answer delivered once online');
    assert.deepEqual(log.pageErrors, []);
    await page.close();
  } finally {
    await fresh.close();
  }
});

test('single-page apps: pushState, replaceState and popstate are page views', async () => {
  const { page, log } = await openPage(browser.context);
  await page.goto(site.base + '/triggers/spa/');
  await waitForDebug(log, 'page: done');
  assert.ok(log.debug.includes('pageview: no survey can show on this page'));
  // (The outbox module may load to deliver what earlier tests here left; the test below checks
  // it stays away from a fresh visitor.)
  assert.deepEqual(widgetFiles(log).filter((p) => p !== '/nazar/nazar-outbox.mjs'), [],
    'nothing downloads before a targeted path');
  assert.equal(await dialogs(page), 0);
  const heading = page.getByRole('heading', { name: 'How was your order?' });
  const close = async () => {
    await page.getByRole('button', { name: 'Close' }).click();
    await waitFor(async () => (await dialogs(page)) === 0, 5000, 'the survey to close');
  };

  await page.evaluate(() => history.pushState({}, '', '/triggers/spa/thanks'));
  await heading.waitFor({ state: 'visible', timeout: 10000 });
  await close();

  await page.evaluate(() => history.pushState({}, '', '/triggers/spa/list'));
  await waitForDebug(log, 'page: done', 3);
  assert.equal(await dialogs(page), 0, 'shown on a path not included');

  await page.evaluate(() => history.replaceState({}, '', '/triggers/spa/thanks-again'));
  await heading.waitFor({ state: 'visible', timeout: 10000 });
  await close();

  await page.evaluate(() => history.pushState({}, '', '/triggers/spa/other'));
  await waitForDebug(log, 'page: done', 5);
  assert.equal(await dialogs(page), 0);
  // Back: popstate to the replaced entry, an included path.
  await page.evaluate(() => history.back());
  await heading.waitFor({ state: 'visible', timeout: 10000 });
  assert.equal(await page.evaluate(() => location.pathname), '/triggers/spa/thanks-again');
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('a page a pageview survey excludes downloads only the loader and the definitions', async () => {
  // A visitor with nothing left in the outbox (earlier tests here leave unfinished sessions,
  // which rightly make a page load the outbox module to deliver them).
  const fresh = await launch();
  const { page, log } = await openPage(fresh.context);
  await page.goto(site.base + '/dl/account/');
  await waitForDebug(log, 'page: done');
  assert.ok(log.debug.includes('pageview: no survey can show on this page'));
  assert.deepEqual(widgetFiles(log), []);
  assert.ok(log.requests.some((u) => u.endsWith('/dl/surveys.json')));
  assert.equal(await dialogs(page), 0);
  // The same survey on a page it does not exclude: it loads and shows.
  await page.goto(site.base + '/dl/shop/');
  await page.getByRole('heading', { name: 'How is the shop?' }).waitFor({ state: 'visible', timeout: 10000 });
  assert.deepEqual(log.errors, []);
  await page.close();
  await fresh.close();
});
