// Answers survive a failing endpoint: kept in the localStorage outbox, delivered after a reload
// with the same batch id (Contract 3).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, waitFor, useSite } from './server.mjs';

let site;
let browser;
useSite((s, b) => {
  site = s;
  browser = b;
});

test('503, then a reload with the endpoint back: the same batch is delivered', async () => {
  site.app.state.aggregateStatus = 503;
  const { page, log } = await openPage(browser.context);
  await page.goto(site.base + '/e2e/');
  await page.getByRole('dialog').waitFor({ state: 'visible' });
  await page.getByRole('radio', { name: '7', exact: true }).click();
  await page.getByRole('button', { name: 'Submit' }).click();

  const failed = await waitFor(() => site.app.received.find((r) => r.status === 503), 10000, 'the failed POST');
  const batch = failed.body.batch;
  const outbox = await page.evaluate(() => JSON.parse(localStorage.getItem('nazar:outbox')));
  assert.ok(outbox[batch], 'kept in the outbox: ' + JSON.stringify(outbox));
  assert.equal(outbox[batch].ready, true);
  assert.deepEqual(outbox[batch].payload, failed.body);

  site.app.state.aggregateStatus = 204;
  await page.reload();
  const ok = await waitFor(() => site.app.received.find((r) => r.status === 204 && r.body.batch === batch), 15000, 'the retried POST');
  assert.deepEqual(ok.body, failed.body);
  await waitFor(async () => {
    const box = await page.evaluate(() => JSON.parse(localStorage.getItem('nazar:outbox') ?? '{}'));
    return !box[batch];
  }, 10000, 'the batch to leave the outbox');
  assert.deepEqual(log.pageErrors, []);
  assert.deepEqual(log.errors.filter((e) => e.startsWith('nazar')), []);
  await page.close();
});

test('a network failure: kept, then sent when the browser is back online', async () => {
  site.app.received.length = 0;
  const { page } = await openPage(browser.context);
  await page.goto(site.base + '/e2e/');
  await page.getByRole('dialog').waitFor({ state: 'visible' });
  await browser.context.setOffline(true);
  await page.getByRole('radio', { name: '10', exact: true }).click();
  await page.getByRole('button', { name: 'Submit' }).click();
  const batch = await waitFor(() => page.evaluate(() => {
    const box = JSON.parse(localStorage.getItem('nazar:outbox') ?? '{}');
    return Object.keys(box).find((b) => box[b].ready);
  }), 5000, 'a ready outbox entry');
  assert.equal(site.app.received.length, 0);
  await browser.context.setOffline(false);
  const got = await waitFor(() => site.app.received.find((r) => r.body.batch === batch), 15000, 'delivery when online');
  assert.deepEqual(got.body.questions.nps.counts[10], 1);
  await page.close();
});
