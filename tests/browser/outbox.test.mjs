// The outbox across tabs (DESIGN.md Contract 3): two pages of one browser answering and flushing
// at once count every answer exactly once, and a page being hidden sends what it still holds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { openPage, waitFor, useSite, readOutbox } from './server.mjs';

let site;
let browser;
useSite((s, b) => {
  site = s;
  browser = b;
  fs.writeFileSync(path.join(site.dir, 'plain.html'), '<!doctype html><title>no widget</title><p>Elsewhere.</p>\n');
});

async function answer(page, value) {
  await page.getByRole('dialog').waitFor({ state: 'visible', timeout: 10000 });
  // An end point's name goes on with its label ("10, Extremely likely").
  await page.getByRole('radio', { name: new RegExp(`^${value}(, |$)`) }).click();
  await page.getByRole('button', { name: 'Submit' }).click();
  await page.getByRole('status').getByText('Thank you!').waitFor({ state: 'visible' });
}

const npsValue = (body) => body.questions.nps.counts.findIndex((c) => c === 1);

test('two tabs answering and flushing at once: every answer is counted exactly once', async () => {
  site.app.received.length = 0;
  site.app.state.aggregateStatus = 503; // everything stays in the outbox, to race for later
  site.app.state.aggregateDelayMs = 150; // requests overlap
  const tabs = [await openPage(browser.context), await openPage(browser.context)];
  const values = [[9, 10], [3, 0]];
  await Promise.all(tabs.map(({ page }) => page.goto(site.base + '/e2e/')));
  await Promise.all(tabs.map(({ page }, i) => answer(page, values[i][0])));
  // A second visit in each tab: the first batches are now left behind by pages that are gone.
  await Promise.all(tabs.map(({ page }) => page.reload()));
  await Promise.all(tabs.map(({ page }, i) => answer(page, values[i][1])));
  const batches = () => new Set(site.app.received.filter((r) => r.body.completions === 1).map((r) => r.body.batch));
  await waitFor(() => batches().size === 4, 10000, 'four answered batches tried');

  // The endpoint is back. Both tabs leave for a page without a survey at once (each page being
  // hidden sends, each new page's start() flushes the shared outbox) and flush again.
  site.app.state.aggregateStatus = 204;
  await Promise.all(tabs.map(({ page }) => page.goto(site.base + '/quiet/')));
  await Promise.all(tabs.map(({ page }) => page.evaluate(() => window.nazar.flush())));
  const delivered = () => site.app.received.filter((r) => r.status === 204 && r.body.completions === 1);
  await waitFor(() => new Set(delivered().map((r) => r.body.batch)).size === 4, 30000, 'four batches delivered');
  await waitFor(async () => !(await readOutbox(tabs[0].page)).some((r) => r.ready), 30000, 'nothing finished left to send').catch(async (e) => {
    console.log(JSON.stringify(await readOutbox(tabs[0].page)), JSON.stringify(site.app.received.map((r) => [r.body.batch.slice(0, 6), r.status, r.at % 100000])));
    throw e;
  });
  await waitFor(() => site.app.received.every((r) => r.answered), 5000, 'every request answered');
  if (process.env.DEBUG_OUTBOX) console.log(site.app.received.map((r) => [r.body.batch.slice(0, 6), r.status, r.at % 100000, r.answered % 100000]));

  // Counted once each (the collector keeps one delivery per batch id): the four answers.
  const once = new Map(delivered().map((r) => [r.body.batch, npsValue(r.body)]));
  assert.deepEqual([...once.values()].sort((a, b) => a - b), [0, 3, 9, 10]);
  // Never the same payload twice at the same time, from any tab.
  const overlaps = [];
  const all = site.app.received.filter((r) => r.body.completions === 1);
  for (const [i, x] of all.entries()) {
    for (const y of all.slice(i + 1)) {
      if (x.body.batch === y.body.batch && x.at <= y.answered && y.at <= x.answered) overlaps.push(x.body.batch);
    }
  }
  assert.deepEqual(overlaps, [], 'requests of one batch in flight together');
  site.app.state.aggregateDelayMs = 0;
  for (const { page } of tabs) await page.close();
});

test('answer, then leave while the payload is undelivered: it is sent while the page is hidden', async () => {
  site.app.received.length = 0;
  site.app.state.aggregateStatus = 503;
  const { page } = await openPage(browser.context);
  await page.goto(site.base + '/e2e/');
  await answer(page, 6);
  const failed = await waitFor(() => site.app.received.find((r) => r.status === 503 && npsValue(r.body) === 6), 10000, 'the failed POST');
  await waitFor(async () => (await readOutbox(page)).some((r) => r.attempts === 1), 5000, 'the backoff');
  site.app.state.aggregateStatus = 204;
  const left = Date.now();
  // The next page has no widget: only the page being hidden can send the payload now.
  await page.goto(site.base + '/plain.html');
  const sent = await waitFor(() => site.app.received.find((r) => r.status === 204 && r.body.batch === failed.body.batch), 10000, 'the POST made while hiding').catch((e) => {
    console.log('T9', left % 100000, JSON.stringify(site.app.received.map((r) => [r.body.batch.slice(0, 6), r.status, r.at % 100000])));
    throw e;
  });
  assert.ok(sent.at >= left);
  assert.deepEqual(sent.body, failed.body, 'the frozen payload, same batch id');
  await page.close();
});
