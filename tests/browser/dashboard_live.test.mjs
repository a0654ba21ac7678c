// The dashboard live and shared (issue 8), against the real nazar-collector on SQLite, in
// Chromium: posts made while it is open show within 2 s once they reach the minimum count and not
// before; it reconnects by itself after the collector was killed and started again; a share link
// opened from another site reads its survey and nothing else, and stops working when revoked and
// when expired.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { launch, openPage, waitFor } from './server.mjs';
import { Collector, freePort, seedAnswers, tally, today } from './dashboard_helper.mjs';

const TOKEN = crypto.randomBytes(16).toString('hex');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nazar-dashboard-live-'));
const DB = path.join(dir, 'nazar.db');

let collector;
let owner;   // the signed-in owner's browser
let other;   // a second browser with no session, for share links
let port;

before(async () => {
  port = await freePort();
  collector = new Collector({ db: DB, token: TOKEN, port });
  await collector.start();
  await seedAnswers(collector, { days: 35 });
  owner = await launch();
  other = await launch();
  // Signs the owner in through the form.
  const { page } = await openPage(owner.context);
  await page.goto(collector.base + '/');
  await page.fill('#db-token', TOKEN);
  await page.locator('#db-signin-form button[type=submit]').click();
  await page.locator('#db-main[data-mode=session]').waitFor({ timeout: 10000 });
  await page.close();
});

after(async () => {
  await owner?.close();
  await other?.close();
  await collector?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

const todays = (n, locale = 'en') => Array.from({ length: n }, () => tally({ day: today(), locale, nps: 10, sat: 5, ease: 7 }));
const shownN = async (page) => Number(await page.locator('#db-report').getAttribute('data-n'));

// Waits until #db-report shows `n` respondents; returns the milliseconds it took.
async function untilN(page, n, ms) {
  const start = Date.now();
  await page.waitForFunction((want) => document.querySelector('#db-report')?.getAttribute('data-n') === String(want), n, { timeout: ms, polling: 20 });
  return Date.now() - start;
}

test('live: four new answers change nothing, the fifth shows within 2 s, all from the stream', async () => {
  const { page } = await openPage(owner.context);
  await page.goto(collector.base + '/?lang=en&preset=last_30_days');
  await page.locator('#db-live[data-state=live]').waitFor({ timeout: 10000 });
  const n0 = await shownN(page);
  assert.equal(n0, (await collector.get('/v1/report?' + (await page.locator('#db-report').getAttribute('data-query')))).completions);
  const [first, ...rest] = todays(5);
  for (const p of rest.slice(0, 3).concat(first)) await collector.post(p);
  // Four answers: below the step (the minimum count, 5). Nothing may move: watch for 2.5 s.
  const moved = await page.waitForFunction((n) => document.querySelector('#db-report')?.getAttribute('data-n') !== String(n), n0,
    { timeout: 2500, polling: 20 }).then(() => true, () => false);
  assert.equal(moved, false, 'four answers must not show');
  await collector.post(rest[3]);
  const took = await untilN(page, n0 + 5, 2000);
  assert.equal(await page.locator('#db-report').getAttribute('data-source'), 'live');
  console.log(`live: the fifth answer showed after ${took} ms`);
  await page.close();
});

test('live: reconnects by itself after the collector is killed and started again', async () => {
  const { page } = await openPage(owner.context);
  await page.goto(collector.base + '/?lang=en&preset=last_30_days');
  await page.locator('#db-live[data-state=live]').waitFor({ timeout: 10000 });
  const n0 = await shownN(page);
  await collector.stop('SIGKILL');
  // The stream dropped: the browser reconnects by itself (connecting), or after a refused
  // attempt the page's own back-off does (retrying).
  await page.locator('#db-live:is([data-state=connecting], [data-state=retrying])').waitFor({ timeout: 10000 });
  await collector.start();
  await page.locator('#db-live[data-state=live]').waitFor({ timeout: 35000 });
  for (const p of todays(5, 'fa')) await collector.post(p);
  await untilN(page, n0 + 5, 2000);
  await page.close();
});

// A page on another site (localhost is another site than 127.0.0.1) with a link to `url`.
async function linkFrom(url) {
  const server = http.createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><title>mail</title><a id="go" href="${url}">report</a>`);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  // close() ends the browser's keep-alive connection too (server.close alone waits for it).
  return { url: `http://localhost:${server.address().port}/`, close: () => new Promise((r) => { server.close(r); server.closeAllConnections(); }) };
}

async function createShare(days, comments) {
  const { page } = await openPage(owner.context);
  await page.goto(collector.base + '/?lang=en');
  await page.locator('#db-share-create').waitFor({ timeout: 10000 });
  await page.fill('#db-share-days', String(days));
  if (comments) await page.check('#db-share-comments');
  await page.click('#db-share-create');
  const url = await page.locator('#db-share-url').inputValue({ timeout: 10000 });
  return { page, url };
}

async function openShare(url) {
  const mail = await linkFrom(url);
  const { page, log } = await openPage(other.context);
  await page.goto(mail.url);
  await page.click('#go');
  await page.locator('#db-main[data-mode=share]').waitFor({ timeout: 10000 });
  await mail.close();
  return { page, log };
}

test('share: opened from another site it reads its survey only, and fails after revocation', async () => {
  const { page: ownerPage, url } = await createShare(7, false);
  assert.match(url, /\/s\/[A-Za-z0-9_-]{20,}$/);
  const { page, log } = await openShare(url);
  assert.ok(!page.url().includes('/s/'), 'the token left the address bar: ' + page.url());
  await page.locator('#db-report[data-n]').waitFor({ timeout: 10000 });
  assert.match(await page.locator('#db-report').getAttribute('data-query'), /survey=checkout/);
  // Read-only: no survey picker, no share controls, no sign-out, no comments (not shared).
  for (const sel of ['#db-survey', '#db-share-create', '#db-signout', '#db-comments']) {
    assert.equal(await page.locator(sel).count(), 0, sel);
  }
  const status = (route, init) => page.evaluate(([r, i]) => fetch(r, i).then((x) => x.status), [route, init ?? {}]);
  assert.equal(await status('/v1/report?survey=checkout'), 200);
  assert.equal(await status('/v1/report?survey=support'), 403, 'another survey');
  assert.equal(await status('/v1/comments?survey=checkout'), 403, 'comments were not shared');
  assert.equal(await status('/v1/shares'), 403, 'the share routes');
  assert.equal(await status('/v1/shares', { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ survey: 'checkout', expires_days: 90, comments: true }) }), 403, 'a share cannot make shares');
  const cookies = await other.context.cookies();
  assert.ok(cookies.find((c) => c.name === 'nazar_share')?.httpOnly, 'an HttpOnly share cookie');
  assert.ok(!cookies.some((c) => c.name === 'nazar_session'));
  for (const r of log.requests) assert.ok(!r.includes(url.split('/s/')[1]) || r === url, 'the token only in the link: ' + r);

  // Revoked by the owner: the open shared view says so (its stream ends), and so does a reload.
  await ownerPage.locator('#db-share-list').waitFor();
  const id = await ownerPage.locator('button.db-revoke').first().getAttribute('data-share-id');
  await ownerPage.locator(`button.db-revoke[data-share-id="${id}"]`).click();
  await ownerPage.locator(`tr[data-share-id="${id}"][data-status=revoked]`).waitFor({ timeout: 10000 });
  await page.locator('#db-main[data-mode=revoked]').waitFor({ timeout: 10000 });
  await page.reload();
  await page.locator('#db-main[data-mode=revoked]').waitFor({ timeout: 10000 });
  assert.equal(await status('/v1/report?survey=checkout'), 403);
  const again = await fetch(url, { redirect: 'manual' });
  assert.equal(again.status, 403);
  assert.match(again.headers.get('content-type'), /text\/html/);
  await page.close();
  await ownerPage.close();
});

test('share: with comments, and it stops working once expired', async () => {
  const { page: ownerPage, url } = await createShare(1, true);
  await ownerPage.close();
  const { page } = await openShare(url);
  await page.locator('#db-comments').waitFor({ timeout: 10000 });
  const status = (route) => page.evaluate((r) => fetch(r).then((x) => x.status), route);
  assert.equal(await status('/v1/comments?survey=checkout'), 200);
  // A day later: the share's expiry moved into the past in the store itself.
  execFileSync('sqlite3', [DB, `UPDATE shares SET expires = ${Math.floor(Date.now() / 1000) - 60} WHERE revoked = 0;`]);
  assert.equal(await status('/v1/report?survey=checkout'), 403);
  await page.reload();
  await page.locator('#db-main[data-mode=revoked]').waitFor({ timeout: 10000 });
  assert.equal((await fetch(url, { redirect: 'manual' })).status, 403);
  await page.close();
});
