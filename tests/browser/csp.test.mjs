// A page whose Content-Security-Policy forbids WebAssembly: the widget says so clearly in the
// console and to `error` listeners, and nothing escapes into the page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, waitFor, waitForDebug, useSite } from './server.mjs';

let site;
let browser;
useSite((s, b) => {
  site = s;
  browser = b;
});

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
