// Live across collector processes (issue 8): two nazar-collector processes on one PostgreSQL
// database (the ctest fixture collector_pg), the dashboard open on the first, the answers posted
// to the second. They show within 2 s once they reach the minimum count (LISTEN/NOTIFY), and not
// before.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { launch, openPage } from './server.mjs';
import { Collector, freePort, seedAnswers, tally, today } from './dashboard_helper.mjs';

const TOKEN = crypto.randomBytes(16).toString('hex');
const SCHEMA = 'dashboard_live_' + process.pid;
let a;
let b;
let browser;

// The fixture's database URL (never a silent skip: no fixture is a failure).
function pgUrl() {
  const dir = process.env.NAZAR_TEST_PG_DIR;
  assert.ok(dir && fs.existsSync(path.join(dir, 'url')), 'NAZAR_TEST_PG_DIR/url: is the collector_pg fixture running? (' + dir + ')');
  return fs.readFileSync(path.join(dir, 'url'), 'utf8').trim();
}

function psql(url, sql) {
  const bins = fs.readdirSync('/usr/lib/postgresql').sort((x, y) => Number(y) - Number(x)).map((v) => `/usr/lib/postgresql/${v}/bin/psql`);
  const r = spawnSync(bins.find((p) => fs.existsSync(p)) ?? 'psql', [url, '-v', 'ON_ERROR_STOP=1', '-qtA', '-c', sql], { encoding: 'utf8' });
  assert.equal(r.status, 0, `psql: ${r.stderr}`);
}

before(async () => {
  const url = pgUrl();
  psql(url, `DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE; CREATE SCHEMA ${SCHEMA}`);
  const db = `${url}${url.includes('?') ? '&' : '?'}options=-csearch_path%3D${SCHEMA}`;
  a = new Collector({ db, token: TOKEN, port: await freePort() });
  await a.start();
  b = new Collector({ db, token: TOKEN, port: await freePort() });
  await b.start();
  await seedAnswers(b, { days: 10, perDay: { en: 2 } });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await a?.stop();
  await b?.stop();
  if (process.env.NAZAR_TEST_PG_DIR) psql(pgUrl(), `DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
});

test('PostgreSQL: answers posted to another collector process show live, five at a time', async () => {
  const { page } = await openPage(browser.context);
  await page.goto(a.base + '/');
  await page.fill('#db-token', TOKEN);
  await page.locator('#db-signin-form button[type=submit]').click();
  await page.goto(a.base + '/?lang=en&preset=last_30_days');
  await page.locator('#db-live[data-state=live]').waitFor({ timeout: 10000 });
  const n0 = Number(await page.locator('#db-report').getAttribute('data-n'));
  assert.equal(n0, (await a.get('/v1/report?' + (await page.locator('#db-report').getAttribute('data-query')))).completions);
  const posts = Array.from({ length: 5 }, () => tally({ day: today(), locale: 'en', nps: 9, sat: 4, ease: 6 }));
  for (const p of posts.slice(0, 4)) await b.post(p);
  const moved = await page.waitForFunction((n) => document.querySelector('#db-report')?.getAttribute('data-n') !== String(n), n0,
    { timeout: 2500, polling: 20 }).then(() => true, () => false);
  assert.equal(moved, false, 'four answers must not show');
  const start = Date.now();
  await b.post(posts[4]);
  await page.waitForFunction((n) => document.querySelector('#db-report')?.getAttribute('data-n') === String(n), n0 + 5,
    { timeout: 2000, polling: 20 });
  console.log(`live across processes: ${Date.now() - start} ms`);
  assert.equal(await page.locator('#db-report').getAttribute('data-source'), 'live');
  await page.close();
});
