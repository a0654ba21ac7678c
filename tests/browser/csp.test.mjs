// A page whose Content-Security-Policy forbids WebAssembly: the widget says so clearly in the
// console and to `error` listeners, and nothing escapes into the page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, page as sitePage, waitFor, waitForDebug, useSite } from './server.mjs';

// A page whose only survey waits for scroll: the widget module loads at idle for its observers,
// and nothing else would ask the core (paths under /no-wasm/ get the CSP without the wasm source).
const SCROLL = {
  nazar: 1,
  surveys: [{
    nazar: 1, id: 'read', version: '1', default_locale: 'en',
    trigger: { on: 'scroll', percent: 50, max_displays: 0, url: { include: ['/no-wasm/scroll/*'] } },
    questions: [{ id: 'nps', type: 'nps', text: { en: 'Was this useful?' } }],
  }],
};
const PAGES = {
  'no-wasm/scroll.json': JSON.stringify(SCROLL),
  'no-wasm/scroll/index.html': sitePage({
    head: '<script src="/no-wasm/listen.js"></script>',
    attrs: 'data-debug',
    surveys: '/no-wasm/scroll.json',
  }),
};

let site;
let browser;
useSite((s, b) => {
  site = s;
  browser = b;
}, { pages: PAGES });

const MESSAGE = "nazar: this page's Content-Security-Policy blocks WebAssembly; add 'wasm-unsafe-eval' to script-src";

test("no 'wasm-unsafe-eval': one clear console error and an error event, no exception", async () => {
  const { page, log } = await openPage(browser.context);
  await page.goto(site.base + '/no-wasm/');
  await waitFor(() => log.errors.some((e) => e.startsWith('nazar: ')), 10000, 'the nazar console error');
  // Every call of the page has settled, so no second report can still come.
  await waitForDebug(log, 'track "checkout_completed": done');
  await waitForDebug(log, 'page: done');
  const ours = log.errors.filter((e) => e.startsWith('nazar'));
  assert.deepEqual(ours, [MESSAGE]);
  const events = await page.evaluate(() => window.__nazarErrors);
  assert.equal(events.length, 1);
  assert.equal(events[0].type, 'error');
  assert.equal(events[0].code, 'failed_precondition');
  assert.equal('nazar: ' + events[0].message, MESSAGE);
  assert.deepEqual(await page.evaluate(() => window.__uncaught), []);
  assert.deepEqual(log.pageErrors, []);
  assert.equal(await page.evaluate(() => document.querySelector('nazar-survey')), null);
  // The API still answers without throwing.
  await page.evaluate(() => window.nazar.show('post-checkout'));
  assert.deepEqual(log.pageErrors, []);
  await page.close();
});

test("no 'wasm-unsafe-eval' on a page only a scroll survey watches: reported once at idle", async () => {
  const { page, log } = await openPage(browser.context);
  await page.goto(site.base + '/no-wasm/scroll/');
  await waitForDebug(log, 'page: done');
  await waitForDebug(log, 'watch: done');
  assert.deepEqual(log.errors.filter((e) => e.startsWith('nazar')), [MESSAGE]);
  const events = await page.evaluate(() => window.__nazarErrors);
  assert.deepEqual(events.map((e) => e.code), ['failed_precondition']);
  assert.deepEqual(await page.evaluate(() => window.__uncaught), []);
  assert.deepEqual(log.pageErrors, []);
  await page.close();
});
