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
  await page.getByRole('radio', { name: String(value), exact: true }).click();
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
  await waitFor(async () => (await readOutbox(tabs[0].page)).filter((r) => r.kind === 'tally').length === 4, 10000, 'four stored tallies');

  site.app.state.aggregateStatus = 204;
  await Promise.all(tabs.map(({ page }) => page.evaluate(() => window.nazar.flush())));
  await waitFor(async () => (await readOutbox(tabs[0].page)).length === 0, 20000, 'an empty outbox');
  await waitFor(() => site.app.received.every((r) => r.answered), 5000, 'every request answered');

  const delivered = site.app.received.filter((r) => r.status === 204);
  const perBatch = new Map();
  for (const r of delivered) perBatch.set(r.body.batch, (perBatch.get(r.body.batch) ?? 0) + 1);
  assert.equal(perBatch.size, 4, 'four batches delivered');
  for (const [batch, n] of perBatch) assert.equal(n, 1, `batch ${batch} delivered ${n} times`);
  assert.deepEqual(delivered.map((r) => npsValue(r.body)).sort((a, b) => a - b), [0, 3, 9, 10]);
  site.app.state.aggregateDelayMs = 0;
  for (const { page } of tabs) await page.close();
});

test('answer, then leave while the payload is undelivered: it is sent while the page is hidden', async () => {
  site.app.received.length = 0;
  site.app.state.aggregateStatus = 503;
  const { page } = await openPage(browser.context);
  await page.goto(site.base + '/e2e/');
  await answer(page, 6);
  const failed = await waitFor(() => site.app.received.find((r) => r.status === 503), 10000, 'the failed POST');
  await waitFor(async () => (await readOutbox(page)).some((r) => r.attempts === 1), 5000, 'the backoff');
  site.app.state.aggregateStatus = 204;
  const left = Date.now();
  // The next page has no widget: only the page being hidden can send the payload now.
  await page.goto(site.base + '/plain.html');
  const sent = await waitFor(() => site.app.received.find((r) => r.status === 204 && r.body.batch === failed.body.batch), 10000, 'the POST made while hiding');
  assert.ok(sent.at >= left);
  assert.deepEqual(sent.body, failed.body, 'the frozen payload, same batch id');
  await page.close();
});
