// The widget and the real nazar-collector (issue 6): the demo shop behind a reverse proxy whose
// /v1/ goes to the collector on SQLite, as scripts/demo.sh runs it. An answer in the shop shows in
// GET /v1/report; with the collector down (killed) the answer waits in the outbox through a reload
// and is counted exactly once when the collector is back.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createServer } from '../../scripts/serve.mjs';
import { ROOT, DIST, freePort, launch, openPage, spawnCollector, waitFor } from './server.mjs';

const BIN = process.env.NAZAR_COLLECTOR_PATH;
const TOKEN = crypto.randomBytes(16).toString('hex');
const DAY = new Date().toISOString().slice(0, 10);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nazar-collector-browser-'));
let app;
let base;
let browser;
let collector = null;
let cport;

async function startCollector() {
  collector = await spawnCollector(BIN, { surveys: path.join(ROOT, 'examples/demo-shop/surveys.json'),
    db: path.join(dir, 'nazar.db'), port: cport, origins: base, env: { NAZAR_READ_TOKEN: TOKEN } });
}

async function report() {
  const res = await fetch(`http://127.0.0.1:${cport}/v1/report?survey=post-checkout&from=${DAY}&to=${DAY}`,
    { headers: { Authorization: 'Bearer ' + TOKEN } });
  assert.equal(res.status, 200);
  return res.json();
}

before(async () => {
  // Never a silent skip: the test command builds the collector and names it.
  assert.ok(BIN && fs.existsSync(BIN), 'NAZAR_COLLECTOR_PATH must name the nazar-collector binary (got ' + BIN + ')');
  cport = await freePort();
  app = createServer({
    mounts: [
      { prefix: '/', dir: path.join(ROOT, 'examples/demo-shop') },
      { prefix: '/nazar/', dir: DIST },
    ],
    collector: `http://127.0.0.1:${cport}`,
  });
  base = await app.listen(0);
  await startCollector();
  // Five earlier respondents, so the report's cells are above the minimum: NPS 10, 10, 9, 8, 3.
  for (const [i, score] of [10, 10, 9, 8, 3].entries()) {
    const res = await fetch(`http://127.0.0.1:${cport}/v1/aggregates`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain;charset=UTF-8', Origin: base },
      body: JSON.stringify({ nazar: 1, batch: crypto.randomBytes(16).toString('hex'), site: 'seed.example',
        survey: 'post-checkout', survey_version: '2026-11-01', period: DAY, locale: 'en', displays: 1,
        completions: 1, dismissals: 0,
        questions: { nps: { type: 'nps', counts: Array.from({ length: 11 }, (_, v) => (v === score ? 1 : 0)) } } }),
    });
    assert.equal(res.status, 200, 'seed ' + i);
  }
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await app?.close();
  collector?.kill('SIGKILL');
  fs.rmSync(dir, { recursive: true, force: true });
});

// Answers 9 on the thank-you page and closes the survey after Next.
async function answerNine(page) {
  await page.goto(base + '/checkout/thank-you/');
  await page.getByRole('dialog').waitFor({ state: 'visible', timeout: 15000 });
  await page.getByRole('radio', { name: '9', exact: true }).click();
  await page.locator('[data-nz-action="next"]').click();
  await waitFor(async () => (await page.getByRole('radio').count()) === 7, 10000, 'the next question');
  await page.keyboard.press('Escape');
}

test('an answer in the shop shows in the collector\'s report', async () => {
  const { page, log } = await openPage(browser.context);
  const before = await report();
  assert.deepEqual(before.questions.nps.counts, [0, 0, 0, 1, 0, 0, 0, 0, 1, 1, 2]);
  await answerNine(page);
  const after = await waitFor(async () => {
    const r = await report();
    return r.questions.nps.n === 6 ? r : null;
  }, 10000, 'the answer in the report');
  assert.deepEqual(after.questions.nps.counts, [0, 0, 0, 1, 0, 0, 0, 0, 1, 2, 2]);
  // Hand-computed: promoters 10, 10, 9, 9 (4), passive 8 (1), detractor 3 (1) of 6:
  // NPS = (4 - 1) / 6 = 50.0.
  assert.equal(after.questions.nps.score, 50);
  assert.equal(after.questions.nps.promoters, 4);
  assert.equal(after.displays, 6);
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('collector killed while a visitor answers; reload; collector back: counted exactly once', async () => {
  const { page } = await openPage(browser.context);
  const n0 = (await report()).questions.nps.n;
  collector.kill('SIGKILL');
  await new Promise((r) => collector.once('exit', r));
  await answerNine(page);
  // The proxy answers 502 while the collector is down: the payload waits in the outbox.
  await waitFor(async () => (await page.evaluate(() => localStorage.getItem('nazar:pending'))) === '1', 10000, 'the outbox');
  await page.reload();
  await page.getByRole('dialog').waitFor({ state: 'visible', timeout: 15000 }); // a new display
  await startCollector();
  await page.reload(); // the next page load delivers what waited
  const r = await waitFor(async () => {
    const x = await report();
    return x.questions.nps.n === n0 + 1 ? x : null;
  }, 20000, 'the waiting answer in the report');
  assert.equal(r.questions.nps.counts[9], 3);
  // Everything settles (the open displays are unfinished sessions); the answer stays counted once.
  await page.close();
  const later = await report();
  assert.equal(later.questions.nps.n, n0 + 1);
});
