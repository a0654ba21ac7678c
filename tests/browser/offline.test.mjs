// Answers survive a failing endpoint and a lost network: kept in the IndexedDB outbox across
// reloads, delivered later with the same batch id (DESIGN.md Contract 3).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, waitFor, waitForDebug, useSite, readOutbox } from './server.mjs';

let site;
let browser;
useSite((s, b) => {
  site = s;
  browser = b;
});

// `promise`, or an error naming `what` after `ms`.
function within(promise, ms, what) {
  let timer;
  const late = new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('timed out waiting for ' + what)), ms)));
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

// Holds the first request for `pattern` until the test calls offline() (after taking the browser
// offline), then fails it as offline; later requests go through. held(): the request was made;
// aborted(): it has failed.
async function failOnceOffline(page, pattern) {
  let asked;
  let offline;
  let failed;
  const held = new Promise((resolve) => (asked = resolve));
  const lost = new Promise((resolve) => (offline = resolve));
  const aborted = new Promise((resolve) => (failed = resolve));
  let requests = 0;
  await page.route(pattern, async (route) => {
    if (++requests > 1) return route.continue();
    asked();
    await lost;
    // Going offline may have failed it already: then the abort has nothing to do.
    await route.abort('internetdisconnected').catch(() => {});
    failed();
  });
  return {
    held: () => within(held, 10000, 'the request for ' + pattern),
    aborted: () => within(aborted, 10000, 'the request for ' + pattern + ' to fail'),
    offline,
    requests: () => requests,
  };
}

// The rest of the core has arrived (its resource entry has a response).
function restArrived(page) {
  return waitFor(() => page.evaluate(() => performance.getEntriesByType('resource')
    .some((e) => e.name.endsWith('/nazar/nazar-core-rest.wasm') && e.responseEnd > 0)), 10000, 'the rest of the core');
}

async function answer(page, value) {
  await page.getByRole('dialog').waitFor({ state: 'visible' });
  // An end point's name goes on with its label ("10, Extremely likely").
  await page.getByRole('radio', { name: new RegExp(`^${value}(, |$)`) }).click();
  await page.getByRole('button', { name: 'Submit' }).click();
}

test('503, then a reload with the endpoint back: the same batch is delivered from IndexedDB', async () => {
  site.app.received.length = 0;
  site.app.state.aggregateStatus = 503;
  const { page, log } = await openPage(browser.context);
  await page.goto(site.base + '/e2e/');
  await answer(page, 7);

  const failed = await waitFor(() => site.app.received.find((r) => r.status === 503), 10000, 'the failed POST');
  const batch = failed.body.batch;
  const record = await waitFor(async () => (await readOutbox(page)).find((r) => r.id === batch && r.attempts === 1), 5000, 'the retry state');
  assert.deepEqual(record.payload, failed.body, 'the stored payload is the one sent');
  assert.equal(record.ready, true);
  assert.equal(typeof record.sent_at, 'number', 'frozen from its first send');
  assert.ok(record.retry_at > record.sent_at, 'backing off');
  assert.equal(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('nazar:outbox')).length), 0,
    'IndexedDB, not localStorage');

  site.app.state.aggregateStatus = 204;
  await page.reload();
  const ok = await waitFor(() => site.app.received.find((r) => r.status === 204 && r.body.batch === batch), 15000, 'the retried POST');
  assert.deepEqual(ok.body, failed.body);
  await waitFor(async () => !(await readOutbox(page)).some((r) => r.id === batch), 15000, 'the batch to leave the outbox');
  assert.deepEqual(log.pageErrors, []);
  assert.deepEqual(log.errors.filter((e) => e.startsWith('nazar')), []);
  await page.close();
});

test('a network failure: kept, then sent when the browser is back online', async () => {
  site.app.received.length = 0;
  const { page } = await openPage(browser.context);
  await page.goto(site.base + '/e2e/');
  await page.getByRole('dialog').waitFor({ state: 'visible' });
  // The outbox is in the page (the display is stored): the send fails, not the module's load
  // (for that: "the connection lost before the outbox arrived", below).
  await waitFor(async () => (await readOutbox(page)).length > 0, 5000, 'the display stored');
  await browser.context.setOffline(true);
  await answer(page, 10);
  const record = await waitFor(async () => (await readOutbox(page)).find((r) => r.ready && r.attempts >= 1), 5000, 'a failed, ready record');
  assert.equal(site.app.received.length, 0);
  await browser.context.setOffline(false);
  const got = await waitFor(() => site.app.received.find((r) => r.body.batch === record.id), 15000, 'delivery when online');
  assert.deepEqual(got.body.questions.nps.counts[10], 1);
  await page.close();
});

test('answered offline, page closed: the record outlives the page and the next page sends it', async () => {
  site.app.received.length = 0;
  const { page } = await openPage(browser.context);
  await page.goto(site.base + '/e2e/');
  await page.getByRole('dialog').waitFor({ state: 'visible' });
  // The display's record: the rest of the core (web/split.mjs) has arrived, as it does moments
  // after the question paints. Taps before that wait in the page, not in the outbox (a tab closed
  // then loses them, README.md); the test below loses the connection in that window.
  await waitFor(async () => (await readOutbox(page)).length > 0, 5000, 'the display stored');
  await browser.context.setOffline(true);
  await answer(page, 4);
  const record = await waitFor(async () => (await readOutbox(page)).find((r) => r.ready && r.attempts >= 1), 5000, 'a failed, ready record');
  const next = await openPage(browser.context); // (a context whose last page closes ends)
  await page.close();
  await browser.context.setOffline(false);
  assert.equal(site.app.received.filter((r) => r.body.batch === record.id).length, 0, 'nothing got through while offline');

  // A page that shows no survey: only its start() can send the stored record.
  const opened = Date.now();
  await next.page.goto(site.base + '/quiet/');
  const got = await waitFor(() => site.app.received.find((r) => r.body.batch === record.id), 15000, 'delivery by the next page');
  assert.ok(got.at >= opened);
  assert.deepEqual(got.body, record.payload);
  assert.equal(got.body.questions.nps.counts[4], 1);
  await waitFor(async () => !(await readOutbox(next.page)).some((r) => r.id === record.id), 10000, 'the record to leave the outbox');
  await next.page.close();
});

test('the connection lost before the rest of the core arrived: the tap waits, and applies and is delivered once back online', async () => {
  site.app.received.length = 0;
  const fresh = await launch();
  try {
    const { page, log } = await openPage(fresh.context);
    // The rest's request is held until the connection is gone, then fails as offline.
    const rest = await failOnceOffline(page, '**/nazar/nazar-core-rest.wasm');
    await page.goto(site.base + '/e2e/');
    await page.getByRole('dialog').waitFor({ state: 'visible' });
    await rest.held();
    await fresh.context.setOffline(true);
    rest.offline();
    await rest.aborted();
    const four = page.getByRole('radio', { name: /^4(, |$)/ });
    await four.click();
    await waitFor(() => log.errors.some((e) => e.includes('could not load the rest of the core')), 5000, 'the error event');
    assert.equal(await four.getAttribute('aria-checked'), 'false', 'the tap waits');
    await fresh.context.setOffline(false); // "online": the rest loads, the tap applies
    await waitFor(async () => (await four.getAttribute('aria-checked')) === 'true', 10000, 'the tap to apply');
    await page.getByRole('button', { name: 'Submit' }).click();
    await waitFor(() => site.app.received.some((r) => r.body.questions?.nps?.counts?.[4] === 1),
      15000, 'the answer delivered');
    assert.deepEqual(log.pageErrors, []);
    await page.close();
  } finally {
    await fresh.close();
  }
});

// A page of `fresh` showing the survey, whose outbox module's first request failed: it was asked
// for once the question had painted (present.ts), together with the rest of the core, which
// arrived; the browser is offline from then on. The page's records wait in memory for a retry.
async function outboxLost(fresh) {
  const { page, log } = await openPage(fresh.context);
  const outbox = await failOnceOffline(page, '**/nazar/nazar-outbox.mjs');
  await page.goto(site.base + '/e2e/');
  await page.getByRole('dialog').waitFor({ state: 'visible' });
  await outbox.held();
  await restArrived(page);
  await fresh.context.setOffline(true);
  outbox.offline();
  await outbox.aborted();
  return { page, log, outbox };
}

test('the connection lost before the outbox arrived: the answer waits in memory and is delivered once back online', async () => {
  site.app.received.length = 0;
  const fresh = await launch();
  try {
    const { page, log, outbox } = await outboxLost(fresh);
    await answer(page, 10);
    await waitFor(() => log.errors.some((e) => e.includes('could not load the outbox')), 5000, 'the error event');
    assert.deepEqual(await readOutbox(page), [], 'nothing stored yet: the answer waits in memory');
    await fresh.context.setOffline(false); // "online": the outbox loads, the answer is stored and sent
    const got = await waitFor(() => site.app.received.find((r) => r.status === 204 && r.body.questions?.nps), 15000,
      'the answer delivered');
    assert.ok(outbox.requests() >= 2, 'the failed request, then a retry');
    assert.deepEqual(got.body.questions.nps.counts, [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    await waitFor(async () => (await readOutbox(page)).length === 0, 10000, 'the outbox to empty');
    assert.equal(site.app.received.filter((r) => r.status === 204 && r.body.questions?.nps).length, 1, 'sent once');
    assert.deepEqual(log.pageErrors, []);
    await page.close();
  } finally {
    await fresh.close();
  }
});

test('opted out while the answer waits for the outbox: once it loads, nothing of the survey is kept or sent', async () => {
  site.app.received.length = 0;
  const fresh = await launch();
  try {
    // Another page of the site sees every change of the pending mark (a "storage" event).
    const watcher = await fresh.context.newPage();
    await watcher.goto(site.base + '/quiet/');
    await watcher.evaluate(() => {
      window.__marks = [];
      addEventListener('storage', (e) => e.key === 'nazar:pending' && window.__marks.push(e.newValue));
    });
    const { page, log, outbox } = await outboxLost(fresh);
    await page.getByRole('radio', { name: /^10(, |$)/ }).click();
    // optOut() withdraws the survey: its records are dropped, after the stores that wait before
    // the drop (in the order the widget asked).
    await page.evaluate(() => window.nazar.optOut());
    await waitFor(async () => (await page.getByRole('dialog').count()) === 0, 5000, 'the survey to close');
    await fresh.context.setOffline(false);
    // Once it has loaded, the waiting stores land (the outbox marks "nazar:pending" after a
    // durable write), then the drop removes them and, with the last record, the mark: nothing of
    // the survey is left, and no later page loads the outbox for it. A drop that overtook the
    // stores would leave the display and the answer (and the mark).
    await waitFor(() => watcher.evaluate(() => window.__marks.join() === '1,'), 15000, 'the mark set, then removed');
    assert.deepEqual(await readOutbox(page), []);
    assert.equal(await page.evaluate(() => localStorage.getItem('nazar:pending')), null);
    assert.ok(outbox.requests() >= 2, 'asked for again');
    assert.equal(site.app.received.length, 0, 'nothing sent');
    assert.deepEqual(log.pageErrors, []);
    await page.close();
    await watcher.close();
  } finally {
    await fresh.close();
  }
});

// With earlier pages' records (the mark the loader reads: its own start() asks for the module
// too) and without (only the widget has asked).
for (const marked of [true, false]) {
test(`flush() while the outbox waits for its retry (${marked ? 'with' : 'without'} earlier records): it loads, and the answers waiting in memory go with it`, async () => {
  site.app.received.length = 0;
  const fresh = await launch();
  try {
    const { page, log } = await openPage(fresh.context);
    if (marked) await page.addInitScript(() => localStorage.setItem('nazar:pending', '1'));
    // The module fails to load, without the browser going offline: no "online" event will come.
    let blocked = true;
    let failures = 0;
    await page.route('**/nazar/nazar-outbox.mjs', (route) => (blocked ? route.abort('failed') : route.continue()));
    let lastFailure = 0;
    page.on('requestfailed', (r) => r.url().endsWith('/nazar/nazar-outbox.mjs') && ++failures && (lastFailure = Date.now()));
    await page.goto(site.base + '/e2e/');
    await answer(page, 3);
    // Every request so far has failed (with the mark, the page's own start() asked first; then the
    // widget, once the question painted): the answer waits in memory, the widget's retry for its
    // timer (10 s: tasks.ts).
    await waitFor(() => failures >= (marked ? 2 : 1) && log.errors.some((e) => e.includes('could not load the outbox')),
      5000, 'the requests to fail');
    blocked = false;
    // flush() loads the module: the waiting answer is stored and sent now, not when the timer
    // fires (10 s). A flush() that meets an import still failing fails with it (the page hears
    // an error), so it is called until the answer arrives.
    const got = await waitFor(async () => {
      await page.evaluate(() => window.nazar.flush());
      return site.app.received.find((r) => r.status === 204 && r.body.questions?.nps);
    }, 4000, 'the answer, before the retry\'s timer');
    assert.ok(Date.now() - lastFailure < 10000, 'before the retry\'s timer, counted from the widget\'s failure');
    assert.deepEqual(got.body.questions.nps.counts, [0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0]);
    assert.deepEqual(log.pageErrors, []);
    await page.close();
  } finally {
    await fresh.close();
  }
});
}

test('the loader fetches the outbox module only while something waits for delivery', async () => {
  site.app.received.length = 0;
  site.app.state.aggregateStatus = 503;
  const fresh = await launch(); // a visitor with an empty outbox
  try {
  const { page, log } = await openPage(fresh.context);
  const outboxFetches = () => log.requests.filter((u) => u.endsWith('/nazar/nazar-outbox.mjs')).length;
  await page.goto(site.base + '/e2e/');
  await answer(page, 9);
  const failed = await waitFor(() => site.app.received.find((r) => r.status === 503), 10000, 'the failed POST');

  // A page that shows no survey: the mark left by the stored record makes it load the outbox,
  // which delivers the record (again, if the send made while /e2e/ was hidden got through: its
  // answer was lost with the page) and, with nothing left, removes the mark.
  site.app.state.aggregateStatus = 204;
  log.requests.length = 0;
  await page.goto(site.base + '/quiet/');
  await waitFor(async () => (await readOutbox(page)).length === 0, 30000, 'the outbox to empty');
  assert.ok(site.app.received.some((r) => r.status === 204 && r.body.batch === failed.body.batch), 'delivered');
  assert.equal(outboxFetches(), 1);
  await waitFor(() => page.evaluate(() => localStorage.getItem('nazar:pending') === null), 5000, 'the mark to go');

  // Nothing waits now: the next such page fetches no module at all.
  log.requests.length = 0;
  await page.goto(site.base + '/quiet/');
  await waitForDebug(log, 'track "newsletter_signup": done', 2);
  assert.equal(outboxFetches(), 0);
  assert.deepEqual(log.requests.filter((u) => /\/nazar\/nazar-/.test(u)), []);
  assert.deepEqual(log.pageErrors, []);
  await page.close();
  } finally {
    await fresh.close();
  }
});

test('storage blocked (all cookies blocked): a page no survey targets loads no outbox and reports nothing', async () => {
  const { page, log } = await openPage(browser.context);
  await page.addInitScript(() => {
    const insecure = () => new DOMException('The operation is insecure.', 'SecurityError');
    Object.defineProperty(window, 'localStorage', { get() { throw insecure(); } });
    IDBFactory.prototype.open = function () { throw insecure(); };
  });
  await page.goto(site.base + '/quiet/');
  // The loader's start() decides synchronously, before it tracks the page's event.
  await waitForDebug(log, 'track "newsletter_signup": done');
  await waitForDebug(log, 'page: done');
  assert.deepEqual(log.requests.filter((u) => u.endsWith('/nazar/nazar-outbox.mjs')), []);
  assert.deepEqual(log.errors.filter((e) => e.startsWith('nazar')), []);
  assert.deepEqual(log.pageErrors, []);
  await page.close();
});
