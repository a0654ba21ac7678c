// Kiosk mode (DESIGN.md Contract 2, data-mode="kiosk") with the real nazar-collector behind the
// site's proxy, using examples/kiosk/surveys.json: 200 rounds answered offline reach the
// collector as exact totals in a few merged payloads; an idle round goes back to the first
// question and is not counted; per-visitor caps are ignored in kiosk mode and honoured
// otherwise; the staff's count of unsent answers is shown, in the locale's digits.
// Scrubbed comments and a refused batch go to the toy endpoint of scripts/serve.mjs, which keeps
// every body it receives, in order, and answers as the test says.
// Time is driven with Playwright's fake clock (page.clock): the thank-you's end and the idle
// limit happen when the test moves the clock, never by waiting.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createServer } from '../../scripts/serve.mjs';
import { ROOT, DIST, freePort, launch, openPage, spawnCollector, waitFor, waitForDebug, readOutbox, today } from './server.mjs';

const BIN = process.env.NAZAR_COLLECTOR_PATH;
const TOKEN = crypto.randomBytes(16).toString('hex');
const SURVEYS = path.join(ROOT, 'examples/kiosk/surveys.json');
const SURVEY = 'store-visit';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nazar-kiosk-'));
const site = path.join(dir, 'site');
let app;
let base;
let browser;
let collector = null;
let cport;
let toy; // the toy endpoint's site: records every payload
let toyBase;
let refuse = false; // the toy endpoint answers every payload 400

// A page of the test site: the example's definitions, the script tag's attributes as given.
const kioskPage = (attrs, lang = 'en') => `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><title>Kiosk</title></head>
<body><h1>Kiosk</h1>
<script src="/nazar/nazar.js" data-surveys="/kiosk/surveys.json" data-endpoint="/v1/aggregates" ${attrs}
  referrerpolicy="no-referrer" async></script>
</body></html>
`;
const PAGES = {
  // Batches of 50; the interval and idle limits far away, so only the count sends.
  'batch/index.html': kioskPage('data-mode="kiosk" data-kiosk-batch="50" data-kiosk-interval="1440" data-kiosk-idle="3600"'),
  'idle/index.html': kioskPage('data-mode="kiosk" data-kiosk-idle="5" data-debug'),
  'ar/index.html': kioskPage('data-mode="kiosk" data-debug', 'ar'),
  'caps/index.html': kioskPage('data-mode="kiosk" data-debug'),
  'default/index.html': kioskPage('data-debug'),
  'blank/index.html': '<!doctype html><title>blank</title>',
};

// A kiosk survey whose free text travels as scrubbed comments (Contract 3), sent in batches of 2,
// on the toy endpoint's site.
const NOTES = {
  nazar: 1,
  surveys: [{
    nazar: 1, id: 'kiosk-notes', version: '1', default_locale: 'en', trigger: { on: 'pageview' },
    questions: [
      { id: 'nps', type: 'nps', text: { en: 'Recommend us?' } },
      { id: 'why', type: 'text', max_length: 100, text: { en: 'Anything to add?' } },
    ],
    thank_you: { text: { en: 'Thank you!' } },
    privacy: { comments: 'scrubbed', local_dp_epsilon: null },
  }],
};
// The example's survey with every kiosk setting at its default (batches of 20, sent 15 minutes
// after their first response), on the toy endpoint's site: the collector's report hides totals
// this small, the toy endpoint keeps each payload.
const INTERVAL_PAGE = kioskPage('data-mode="kiosk"').replace('/kiosk/surveys.json', '/kiosk.json');
const NOTES_PAGE = kioskPage(
  'data-mode="kiosk" data-kiosk-batch="2" data-kiosk-interval="1440" data-kiosk-idle="3600" data-debug',
).replace('/kiosk/surveys.json', '/notes.json');

async function report() {
  const day = today();
  const res = await fetch(`http://127.0.0.1:${cport}/v1/report?survey=${SURVEY}&from=${day}&to=${day}`,
    { headers: { Authorization: 'Bearer ' + TOKEN } });
  assert.equal(res.status, 200);
  return res.json();
}

before(async () => {
  // Never a silent skip: the test command builds the collector and names it.
  assert.ok(BIN && fs.existsSync(BIN), 'NAZAR_COLLECTOR_PATH must name the nazar-collector binary (got ' + BIN + ')');
  for (const [name, text] of Object.entries(PAGES)) {
    fs.mkdirSync(path.dirname(path.join(site, name)), { recursive: true });
    fs.writeFileSync(path.join(site, name), text);
  }
  cport = await freePort();
  app = createServer({
    mounts: [
      { prefix: '/kiosk/', dir: path.join(ROOT, 'examples/kiosk') },
      { prefix: '/nazar/', dir: DIST },
      { prefix: '/', dir: site },
    ],
    collector: `http://127.0.0.1:${cport}`,
  });
  base = await app.listen(0);
  fs.mkdirSync(path.join(dir, 'toy'));
  fs.writeFileSync(path.join(dir, 'toy/notes.json'), JSON.stringify(NOTES));
  fs.writeFileSync(path.join(dir, 'toy/index.html'), NOTES_PAGE);
  fs.copyFileSync(SURVEYS, path.join(dir, 'toy/kiosk.json'));
  fs.writeFileSync(path.join(dir, 'toy/interval.html'), INTERVAL_PAGE);
  toy = createServer({
    mounts: [{ prefix: '/nazar/', dir: DIST }, { prefix: '/', dir: path.join(dir, 'toy') }],
    aggregateStatus: () => (refuse ? 400 : 204),
  });
  toyBase = await toy.listen(0);
  collector = await spawnCollector(BIN, { surveys: SURVEYS, db: path.join(dir, 'nazar.db'), port: cport, origins: base,
    env: { NAZAR_READ_TOKEN: TOKEN } });
});

after(async () => {
  await browser?.close();
  await app?.close();
  await toy?.close();
  collector?.kill('SIGKILL');
  fs.rmSync(dir, { recursive: true, force: true });
});

// One round, clicked in the widget's shadow root: NPS, then CES (0: skipped), then the reason.
// Each click is handled synchronously by the widget (core call, then the view), so a missing
// button means the widget is not where the round expects it: that throws.
function answerRound(page, { nps, ces, reason }) {
  return page.evaluate(({ nps, ces, reason }) => {
    const root = document.querySelector('nazar-survey').shadowRoot;
    const click = (selector) => {
      const el = root.querySelector(selector);
      if (!el) throw new Error('no ' + selector + ' in: ' + root.textContent);
      el.click();
    };
    click(`[data-nz-action="select"][data-nz-value="${nps}"]`);
    click('[data-nz-action="next"]');
    if (ces === 0) click('[data-nz-action="skip"]');
    else {
      click(`[data-nz-action="select"][data-nz-value="${ces}"]`);
      click('[data-nz-action="next"]');
    }
    click(`[data-nz-action="toggle"][data-nz-value="${reason}"]`);
    click('[data-nz-action="next"]');
    if (!root.querySelector('[role="status"]').textContent.startsWith('Thank you')) throw new Error('no thank-you');
  }, { nps, ces, reason });
}

const unsentText = (page) => page.locator('nazar-survey').locator('#nz-unsent').textContent();
const radios = (page) => page.getByRole('radio').count();

// A page in a fresh profile: an empty outbox and display history.
async function freshPage() {
  await browser?.close();
  browser = await launch();
  return openPage(browser.context);
}

// Opens `where` in a fresh profile with a fake clock from `start` (now by default), paused a
// second on once the first question shows.
async function openKiosk(where, origin = base, start = new Date()) {
  const { page, log } = await freshPage();
  await page.clock.install({ time: start });
  await page.goto(origin + where);
  await page.getByRole('dialog').waitFor({ state: 'visible', timeout: 15000 });
  await page.clock.pauseAt((await page.evaluate(() => Date.now())) + 1000);
  return { page, log };
}

test('200 rounds offline reach the collector as exact totals in few payloads', async (t) => {
  const N = 50;
  const ROUNDS = 200;
  const REASONS = ['buy', 'pickup', 'return'];
  // Varied answers, and their totals counted here, apart from the widget.
  const rounds = Array.from({ length: ROUNDS }, (_, i) => ({
    nps: (i * 7 + 3) % 11,
    ces: i % 9 === 4 ? 0 : ((i * 5) % 7) + 1,
    reason: REASONS[(i * i + i) % 5 % 3],
  }));
  const nps = new Array(11).fill(0);
  const ces = new Array(7).fill(0);
  const reason = [0, 0, 0];
  let cesSkipped = 0;
  for (const r of rounds) {
    nps[r.nps]++;
    if (r.ces === 0) cesSkipped++;
    else ces[r.ces - 1]++;
    reason[REASONS.indexOf(r.reason)]++;
  }
  const posts = () => app.requests.filter((r) => r.method === 'POST' && r.path === '/v1/aggregates').length;
  const postsBefore = posts();

  const { page, log } = await openKiosk('/batch/');
  assert.equal(await unsentText(page), 'Unsent answers: 0');
  await browser.context.setOffline(true);
  for (const [i, r] of rounds.entries()) {
    await answerRound(page, r);
    if (i === 0) await waitFor(async () => (await unsentText(page)) === 'Unsent answers: 1', 5000, 'the count after one');
    await page.clock.runFor(4000); // the thank-you's end: the next round starts
    assert.equal(await radios(page), 11, 'round ' + (i + 2) + ' starts at the first question');
  }
  // Every batch is in the outbox (4 of 50, each tried once and failed) and the staff sees 200.
  await waitFor(async () => (await unsentText(page)) === 'Unsent answers: 200', 10000, 'the count of 200');
  const records = await readOutbox(page);
  assert.equal(records.filter((r) => r.kind === 'tally').length, ROUNDS / N);
  assert.equal(posts(), postsBefore, 'nothing reached the server while offline');

  await browser.context.setOffline(false);
  const got = await waitFor(async () => {
    const x = await report();
    return x.completions === ROUNDS ? x : null;
  }, 20000, 'the 200 responses in the report');
  assert.equal(got.displays, ROUNDS);
  assert.deepEqual(got.questions.nps.counts, nps);
  assert.deepEqual(got.questions.ease.counts, ces);
  assert.equal(got.questions.ease.skipped, cesSkipped);
  assert.deepEqual(got.questions.reason.counts, reason);
  // ceil(200 / 50) = 4 merged payloads, each posted once; one more allowed for a re-send whose
  // answer was lost (same batch id, counted once by the collector).
  const sent = posts() - postsBefore;
  t.diagnostic(`payloads posted for ${ROUNDS} responses in batches of ${N}: ${sent}`);
  assert.ok(sent >= ROUNDS / N && sent <= Math.ceil(ROUNDS / N) + 1, `payloads posted: ${sent}`);
  await waitFor(async () => (await unsentText(page)) === 'Unsent answers: 0', 10000, 'the count back to 0');
  assert.deepEqual(log.pageErrors, []);
  assert.deepEqual(log.errors.filter((e) => e.startsWith('nazar')), []);
  await page.close();
});

// The interval with the defaults (20 responses, 15 minutes): one response leaves 15 minutes
// after it, not before; then a day offline: two rounds hours apart wait in the outbox (their
// batch due and failing) and reach the endpoint, with exact totals, once the browser is online.
test('interval: a lone response leaves after 15 minutes; offline for hours, the rounds wait and arrive', async () => {
  refuse = false;
  toy.received.length = 0;
  // The clock from 01:00 today, so that the hours it runs stay within one day.
  const day = new Date();
  const { page, log } = await openKiosk('/interval.html', toyBase, new Date(day.getFullYear(), day.getMonth(), day.getDate(), 1));
  await answerRound(page, { nps: 9, ces: 6, reason: 'buy' });
  await waitFor(async () => (await unsentText(page)) === 'Unsent answers: 1', 10000, 'the count after one');
  // 1 ms before the interval the batch is still merging in the outbox. A batch the widget had let
  // go would be marked ready there (or gone, once delivered): the outbox is read after the clock's
  // timers and what they started, so this needs no wait for a send that might come late.
  await page.clock.runFor(15 * 60000 - 1);
  const waiting = (await readOutbox(page)).filter((r) => r.kind === 'tally');
  assert.deepEqual(waiting.map((r) => r.ready), [false], 'still merging 1 ms before the interval');
  await page.clock.runFor(1);
  await waitFor(() => tallies().length === 1, 10000, 'the response after 15 minutes');
  await waitFor(async () => (await unsentText(page)) === 'Unsent answers: 0', 10000, 'the count back to 0');

  await browser.context.setOffline(true);
  await answerRound(page, { nps: 2, ces: 0, reason: 'return' });
  await page.clock.runFor(2 * 3600000); // the batch due after 15 minutes, tried, failing
  await answerRound(page, { nps: 10, ces: 7, reason: 'pickup' });
  await page.clock.runFor(3 * 3600000);
  await waitFor(async () => (await unsentText(page)) === 'Unsent answers: 2', 10000, 'two unsent after hours offline');
  assert.equal(toy.received.length, 1, 'nothing reached the endpoint while offline');
  await browser.context.setOffline(false);
  await waitFor(() => tallies().reduce((n, r) => n + r.body.completions, 0) === 3, 20000, 'the three responses');
  // Totals over the payloads received, counted here from the rounds above.
  const sum = (q, key = 'counts') => tallies().reduce((acc, r) => acc.map((n, i) => n + (r.body.questions[q][key]?.[i] ?? 0)),
    new Array(tallies()[0].body.questions[q][key].length).fill(0));
  assert.deepEqual(sum('nps'), [0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 1]);
  assert.deepEqual(sum('ease'), [0, 0, 0, 0, 0, 1, 1]);
  assert.equal(tallies().reduce((n, r) => n + (r.body.questions.ease.skipped ?? 0), 0), 1);
  assert.deepEqual(sum('reason'), [1, 1, 1]);
  // The lone response's payload, and one per offline round: the first one's batch came due 15
  // minutes after it, hours before the second, which starts a new batch. Each posted once; one
  // more allowed for a re-send whose answer was lost (the same batch id, counted once).
  const sent = tallies().length;
  assert.ok(sent >= 3 && sent <= 4, `payloads posted: ${sent}`);
  await waitFor(async () => (await unsentText(page)) === 'Unsent answers: 0', 10000, 'the count back to 0');
  assert.deepEqual(log.pageErrors, []);
  await page.close();
});

// The widget re-arms its timer on every update, and updates come while the thank-you shows:
// the outbox's count (asynchronous: IndexedDB, in real time), a locale change. One that lands on
// the thank-you's last instant, while the clock fires another timer due then (in the 200 rounds
// above: the outbox's retry, its backoff ending on a round's boundary), must not push the next
// round past thank_you_ms. Here the page's own timer, due at that instant and set before the
// round, changes the locale: deterministic, where the outbox's count only sometimes lands there.
test('thank-you: an update at its last instant leaves its end at 4 s', async () => {
  const { page, log } = await openKiosk('/caps/');
  await page.evaluate(() => setTimeout(() => window.nazar.setLocale('en'), 4000));
  await answerRound(page, { nps: 9, ces: 2, reason: 'pickup' });
  await page.clock.runFor(3999);
  assert.equal(await radios(page), 0, 'the thank-you 1 ms before its end');
  await page.clock.runFor(1);
  assert.equal(await radios(page), 11, 'the next round at 4 s');
  assert.deepEqual(log.pageErrors, []);
  await page.close();
});

test('idle: back to the first question after data-kiosk-idle seconds, the round not counted', async () => {
  const { page, log } = await openKiosk('/idle/');
  await page.getByRole('radio', { name: /^10(, |$)/ }).click();
  await page.locator('nazar-survey').locator('[data-nz-action="next"]').click();
  assert.equal(await radios(page), 7, 'the CES question shows');
  await page.clock.runFor(4999);
  assert.equal(await radios(page), 7, 'still there 1 ms before the limit');
  await page.clock.runFor(1);
  assert.equal(await radios(page), 11, 'the first question again');
  assert.equal(await page.getByRole('radio', { checked: true }).count(), 0, 'the 10 is discarded');
  await answerRound(page, { nps: 0, ces: 0, reason: 'buy' });
  const stored = await waitFor(async () => (await readOutbox(page)).find((r) => r.kind === 'tally'), 5000, 'the stored batch');
  assert.equal(stored.payload.displays, 1);
  assert.equal(stored.payload.completions, 1);
  assert.deepEqual(stored.payload.questions.nps.counts, [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  assert.equal(stored.ready, false, 'merging until the batch is due');
  assert.deepEqual(log.pageErrors, []);
  await page.close();
});

test('caps: ignored in kiosk mode, honoured in default mode', async () => {
  const { page, log } = await freshPage();
  await page.goto(base + '/blank/');
  // This device was shown the survey, completed it a minute ago and was sampled out.
  const history = { [SURVEY]: { displays: 1, completed: true, last_display_ms: Date.now() - 60000, sample_draw: 0.99 } };
  const setHistory = (h) => page.evaluate((h) => localStorage.setItem('nazar:history', JSON.stringify(h)), h);
  await setHistory(history);
  await page.goto(base + '/default/');
  await waitForDebug(log, SURVEY + ': completed: already answered');
  // Each cap alone still refuses in default mode.
  for (const [h, reason] of [
    [{ displays: 1, sample_draw: 0.1 }, 'max_displays: shown 1 of 1 times'],
    [{ displays: 0, last_display_ms: Date.now() - 86400000, sample_draw: 0.1 }, 'recontact: 89 days left'],
    [{ sample_draw: 0.99 }, 'sampled out'],
  ]) {
    await setHistory({ [SURVEY]: h });
    await page.goto(base + '/default/');
    await waitForDebug(log, SURVEY + ': ' + reason);
  }
  assert.equal(await page.locator('nazar-survey').count(), 0);

  await setHistory(history);
  await page.goto(base + '/caps/');
  await waitForDebug(log, SURVEY + ': shows');
  await page.getByRole('dialog').waitFor({ state: 'visible', timeout: 15000 });
  const kept = await page.evaluate(() => JSON.parse(localStorage.getItem('nazar:history')));
  assert.equal(kept[SURVEY].sample_draw, 0.99, 'no new draw in kiosk mode');
  assert.deepEqual(log.pageErrors, []);
  await page.close();
});

test('the unsent count in Arabic-Indic digits, and named for assistive technology', async () => {
  const { page } = await openKiosk('/ar/');
  await page.evaluate(() => {
    const root = document.querySelector('nazar-survey').shadowRoot;
    root.querySelector('[data-nz-action="select"][data-nz-value="9"]').click();
    root.querySelector('[data-nz-action="next"]').click();
    root.querySelector('[data-nz-action="skip"]').click();
    root.querySelector('[data-nz-action="toggle"][data-nz-value="pickup"]').click();
    root.querySelector('[data-nz-action="next"]').click();
  });
  await waitFor(async () => (await unsentText(page)) === 'إجابات لم تُرسل بعد: ١', 5000, 'the Arabic count');
  // Inside the dialog, as text a screen reader reaches (not hidden from it).
  await page.getByRole('dialog').getByText('إجابات لم تُرسل بعد: ١').waitFor({ state: 'visible' });
  assert.equal(await page.locator('nazar-survey').locator('#nz-unsent').getAttribute('aria-hidden'), null);
  await page.close();
});

// One round of the notes survey: the NPS, then the free text typed, then submitted.
function noteRound(page, nps, text) {
  return page.evaluate(({ nps, text }) => {
    const root = document.querySelector('nazar-survey').shadowRoot;
    const get = (selector) => {
      const el = root.querySelector(selector);
      if (!el) throw new Error('no ' + selector + ' in: ' + root.textContent);
      return el;
    };
    get(`[data-nz-action="select"][data-nz-value="${nps}"]`).click();
    get('[data-nz-action="next"]').click();
    const field = get('textarea');
    field.value = text;
    field.dispatchEvent(new Event('input', { bubbles: true }));
    get('button[data-nz-action="next"]').click();
    if (!root.querySelector('[role="status"]').textContent.startsWith('Thank you')) throw new Error('no thank-you');
  }, { nps, text });
}

const tallies = () => toy.received.filter((r) => !r.body.kind);
const commentsReceived = () => toy.received.filter((r) => r.body.kind === 'comments');

// A kiosk never reloads: its comments must not wait for a page load that never comes, and still
// leave apart from their tally, on a later flush, not within a minute of the tally's answer.
test('kiosk comments reach the endpoint after their tally, and none stays in the outbox', async () => {
  refuse = false;
  toy.received.length = 0;
  const ROUNDS = [
    [9, 'alpha', 'promoter'], [3, 'bravo', 'detractor'], [10, 'charlie', 'promoter'], [7, 'delta', 'passive'],
  ];
  const { page, log } = await openKiosk('/', toyBase);
  for (const [i, [nps, text]] of ROUNDS.entries()) {
    await noteRound(page, nps, text);
    await page.clock.runFor(4000); // the thank-you's end: the next round starts
    if (i % 2 === 1) {
      // The batch of these two rounds left and was acknowledged; their comments wait.
      await waitFor(() => tallies().length === (i + 1) / 2, 10000, 'batch ' + (i + 1) / 2);
      const onlyComments = async () => (await readOutbox(page)).every((r) => r.kind === 'comments');
      await waitFor(onlyComments, 10000, 'the tally delivered');
      assert.equal(commentsReceived().length, 0, 'no comment within a minute of its tally');
    }
  }
  const waiting = await readOutbox(page);
  assert.deepEqual(waiting.map((r) => r.kind), ['comments', 'comments', 'comments', 'comments']);
  // Batch 1 was acknowledged at 4 s, batch 2 at 12 s: at 76 s both minutes have passed.
  await page.clock.runFor(60000);
  await waitFor(() => commentsReceived().length === ROUNDS.length, 10000, 'the four comments');
  await waitFor(async () => (await readOutbox(page)).length === 0, 10000, 'an empty outbox');
  // Each comment in its own request, after the request of its batch's tally.
  const order = toy.received.map((r) => (r.body.kind ? r.body.comments[0].text : 'tally'));
  assert.equal(tallies().length, 2);
  assert.deepEqual(tallies().map((r) => r.body.completions), [2, 2]);
  for (const [i, [, text, group]] of ROUNDS.entries()) {
    const at = order.indexOf(text);
    const tallyAt = toy.received.indexOf(tallies()[Math.floor(i / 2)]);
    assert.ok(at > tallyAt, `"${text}" (request ${at}) after its tally (request ${tallyAt}): ${order}`);
    assert.deepEqual(toy.received[at].body.comments, [{ question: 'why', group, text }]);
  }
  assert.equal(await unsentText(page), 'Unsent answers: 0');
  assert.deepEqual(log.pageErrors, []);
  assert.deepEqual(log.errors.filter((e) => e.startsWith('nazar')), []);
  await page.close();
});

// A batch dropped by the endpoint (400) is no longer unsent: the staff's count follows it. The
// comments are refused too: no delivery at all refreshes the count.
test('the unsent count follows a batch the endpoint refuses (400)', async () => {
  refuse = true;
  toy.received.length = 0;
  const { page, log } = await openKiosk('/', toyBase);
  await noteRound(page, 8, 'echo');
  await page.clock.runFor(4000);
  await waitFor(async () => (await unsentText(page)) === 'Unsent answers: 1', 5000, 'the count after one');
  await noteRound(page, 2, 'foxtrot');
  await waitFor(() => tallies().some((r) => r.status === 400), 10000, 'the refused batch');
  await waitFor(async () => (await unsentText(page)) === 'Unsent answers: 0', 5000, 'the count back to 0');
  assert.equal((await readOutbox(page)).filter((r) => r.kind === 'tally').length, 0);
  assert.ok(log.errors.some((e) => e.includes('refused a payload')), log.errors.join('\n'));
  refuse = false;
  await page.close();
});
