// The dashboard (issue 8) against the real nazar-collector on SQLite, in Chromium: sign-in through
// the plain form (an HttpOnly cookie, no token in a URL, a script or the log), every number shown
// equal to GET /v1/report for the same query, suppressed cells never shown as numbers, fa and ar
// right to left with their digits and Solar Hijri in fa, a comparison's verdict, comments as inert
// text with their terms, exports, axe-core in en and fa, light and dark, and screenshots of en, fa
// and ar at desktop and phone widths (build/screenshots, two of them in the README).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { ROOT, launch, openPage, waitFor } from './server.mjs';
import { Collector, freePort, isoDay, seedAnswers, seedComments, today } from './dashboard_helper.mjs';

const TOKEN = crypto.randomBytes(16).toString('hex');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nazar-dashboard-'));
const DB = path.join(dir, 'nazar.db');
const SHOTS = process.env.NAZAR_SCREENSHOT_DIR || path.join(ROOT, 'build/screenshots');
// axe-core from web/package-lock.json (scripts/install-deps.sh installs it).
const axeSource = fs.readFileSync(createRequire(path.join(ROOT, 'web/package.json')).resolve('axe-core/axe.min.js'), 'utf8');

// Ten promoter comments (the comment minimum is 10 per question and group), one of them markup
// and one a spreadsheet formula; three detractor comments stay below the minimum.
const PROMOTER = [
  'Fast delivery and friendly support',
  'Delivery was quick, packaging was great',
  'Great prices, fast delivery',
  'Friendly support answered in minutes',
  '<img src=x onerror="window.__pwned=1">great shop<script>window.__pwned=2</script>',
  '=HYPERLINK("http://evil.example","click")',
  'The checkout was easy and delivery fast',
  'Great selection of products',
  'Support helped me choose the right size',
  'Quick delivery, will buy again',
];
const DETRACTOR = ['Slow delivery', 'Broken item', 'No answer from support'];

let collector;
let browser;

before(async () => {
  collector = new Collector({ db: DB, token: TOKEN, port: await freePort() });
  await collector.start();
  await seedAnswers(collector);
  await seedComments(collector, DB, [...PROMOTER.map((t) => ['promoter', t]), ...DETRACTOR.map((t) => ['detractor', t])]);
  browser = await launch();
  await signIn();
});

after(async () => {
  await browser?.close();
  await collector?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

// Numbers in a text written in any of the page's digits: Persian and Arabic-Indic digits, the
// Arabic decimal and group separators, and the minus signs and direction marks Intl writes.
function numbers(text) {
  const ascii = text
    .replace(/[\u06f0-\u06f9]/g, (d) => String(d.charCodeAt(0) - 0x6f0))
    .replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x660))
    .replace(/\u066b/g, '.').replace(/[\u066c,]/g, '').replace(/\u2212/g, '-')
    .replace(/[\u200e\u200f\u061c]/g, '');
  return (ascii.match(/-?\d+(?:\.\d+)?/g) ?? []).map(Number);
}

// `shown` is `value` written with `decimals` places.
function assertShown(shown, value, decimals, what) {
  assert.ok(typeof value === 'number', `${what}: the report has no number`);
  assert.ok(Math.abs(shown - value) <= 0.5 * 10 ** -decimals + 1e-9, `${what}: shown ${shown}, report ${value}`);
}

const reportReady = (page) => page.locator('#db-report[data-n] .nz-report').first().waitFor({ timeout: 15000 });
const query = (page) => page.locator('#db-report').getAttribute('data-query');

async function signIn() {
  const { page, log } = await openPage(browser.context);
  await page.goto(collector.base + '/');
  await page.locator('#db-signin-form').waitFor();
  // A wrong token: the form comes back with its error, and no cookie is set.
  await page.fill('#db-token', 'not-the-token');
  await page.locator('#db-signin-form button[type=submit]').click();
  await page.locator('#db-signin-error').waitFor();
  assert.equal((await browser.context.cookies()).length, 0);
  await page.fill('#db-token', TOKEN);
  await page.locator('#db-signin-form button[type=submit]').click();
  await page.locator('#db-main[data-mode=session]').waitFor({ timeout: 10000 });
  await reportReady(page);
  const cookies = await browser.context.cookies();
  const session = cookies.find((c) => c.name === 'nazar_session');
  assert.ok(session, 'a session cookie: ' + JSON.stringify(cookies));
  assert.equal(session.httpOnly, true);
  assert.equal(session.sameSite, 'Strict');
  assert.ok(!session.value.includes(TOKEN), 'the cookie is not the token');
  assert.equal(await page.evaluate(() => document.cookie), '', 'no script can read the session');
  for (const url of log.requests) assert.ok(!url.includes(TOKEN), 'no token in a URL: ' + url);
  assert.ok(!page.url().includes(TOKEN));
  await page.close();
}

test('signed in: every number shown equals GET /v1/report for the same query, hidden cells have none', async () => {
  const { page } = await openPage(browser.context);
  await page.goto(collector.base + '/?lang=en&by=week');
  await reportReady(page);
  const q = await query(page);
  assert.match(q, /survey=checkout/);
  assert.match(q, /preset=last_30_days/);
  const report = await collector.get('/v1/report?' + q);
  assert.equal(Number(await page.locator('#db-report').getAttribute('data-n')), report.completions);
  // The response rate: completions over displays (Contract 4), shown as a percentage.
  assert.equal(report.response_rate, report.completions / report.displays);
  const rate = await page.locator('[data-cell=overall][data-metric=response_rate]').textContent();
  assertShown(numbers(rate)[0], report.response_rate * 100, 1, 'response rate');

  // Overall cards.
  const ids = Object.keys(report.questions).filter((id) => ['nps', 'csat', 'ces'].includes(report.questions[id].type));
  assert.deepEqual(ids.sort(), ['ease', 'nps', 'sat']);
  for (const id of ids) {
    const r = report.questions[id];
    const card = page.locator(`.nz-card[data-cell=overall][data-q=${id}]`);
    const mean = r.type === 'ces';
    const [value] = numbers(await card.locator(`[data-metric=${mean ? 'mean' : 'score'}]`).textContent());
    assertShown(value, mean ? r.mean : r.score, mean ? 2 : 1, `${id} value`);
    const ci = numbers(await card.locator('[data-metric=ci95]').textContent()).slice(-2); // after "95% CI"
    assertShown(ci[0], r.ci95[0], mean ? 2 : 1, `${id} ci low`);
    assertShown(ci[1], r.ci95[1], mean ? 2 : 1, `${id} ci high`);
    assert.equal(numbers(await card.locator('[data-metric=n]').textContent())[0], r.n, `${id} n`);
    if (r.type === 'nps') {
      for (const g of ['promoters', 'passives', 'detractors']) {
        assert.equal(numbers(await card.locator(`[data-metric=${g}]`).textContent())[0], r[g], `${id} ${g}`);
      }
    }
  }

  // Segments: en and fa shown with their numbers; ar (three respondents) hidden, with no number.
  const segs = Object.fromEntries(report.segments.map((s) => [s.segment, s]));
  assert.ok(segs.ar && segs.ar.suppressed.length > 0, 'the collector hides the ar segment');
  assert.equal(segs.ar.completions, undefined, 'a hidden cell carries no numbers');
  for (const s of report.segments) {
    const row = page.locator(`tr[data-cell="segment:${s.segment}"]`);
    if (s.suppressed.length) {
      const cells = await row.locator('td').allTextContents();
      assert.ok(cells.length > 0);
      for (const c of cells) assert.deepEqual(numbers(c), [], `segment ${s.segment} is hidden: "${c}"`);
      assert.ok(await row.locator('[data-state=hidden]').count() > 0);
      continue;
    }
    assert.equal(numbers(await row.locator('[data-metric=completions]').textContent())[0], s.completions);
    for (const id of ids) {
      const sq = s.questions[id];
      const cell = row.locator(`td[data-q=${id}]`);
      if (sq.suppressed) {
        assert.deepEqual(numbers(await cell.textContent()), []);
        continue;
      }
      const mean = sq.type === 'ces';
      assertShown(numbers(await cell.locator(`[data-metric=${mean ? 'mean' : 'score'}]`).textContent())[0],
        mean ? sq.mean : sq.score, mean ? 2 : 1, `segment ${s.segment} ${id}`);
      assert.equal(numbers(await cell.locator('[data-metric=n]').textContent())[0], sq.n);
    }
  }

  // Trends: one table row per period and question, the same numbers, hidden periods without any.
  assert.ok(report.periods.length >= 4, 'weeks in 30 days');
  for (const id of ids) {
    for (const p of report.periods) {
      const row = page.locator(`tr[data-cell="period:${p.period}"][data-q=${id}]`);
      assert.equal(await row.count(), 1, `a trend row for ${p.period} ${id}`);
      const pq = p.questions?.[id];
      const cols = { n: row.locator('[data-metric=n]'), value: row.locator('[data-metric=value]'),
        lo: row.locator('[data-metric=ci_lo]'), hi: row.locator('[data-metric=ci_hi]') };
      if (!pq || pq.suppressed) {
        assert.equal(await row.getAttribute('data-state'), 'hidden');
        for (const c of Object.values(cols)) assert.deepEqual(numbers(await c.textContent()), []);
        continue;
      }
      const mean = pq.type === 'ces';
      const d = mean ? 2 : 1;
      assert.equal(numbers(await cols.n.textContent())[0], pq.n);
      assertShown(numbers(await cols.value.textContent())[0], mean ? pq.mean : pq.score, d, `${p.period} ${id}`);
      assertShown(numbers(await cols.lo.textContent())[0], pq.ci95[0], d, `${p.period} ${id} lo`);
      assertShown(numbers(await cols.hi.textContent())[0], pq.ci95[1], d, `${p.period} ${id} hi`);
    }
  }
  // The seeded answers switch from version 2026-06-01 to 2026-10-15 20 days ago: a marker.
  const versions = report.periods.map((p) => (p.versions ?? []).join());
  assert.ok(new Set(versions.filter(Boolean)).size >= 2, 'periods name their versions: ' + versions);
  assert.ok(await page.locator('.nz-report').getByText('2026-10-15').count() > 0, 'a version marker names the new version');
  await page.close();
});

test('fa and ar: right to left, their own digits, Solar Hijri by default in fa', async () => {
  for (const [lang, digits, calendar] of [['fa', /[\u06f0-\u06f9]/, 'jalali'], ['ar', /[\u0660-\u0669]/, 'gregorian']]) {
    const { page } = await openPage(browser.context);
    await page.goto(`${collector.base}/?lang=${lang}`);
    await reportReady(page);
    assert.equal(await page.evaluate(() => document.documentElement.dir), 'rtl', lang);
    assert.equal(await page.evaluate(() => document.documentElement.lang), lang);
    const q = await query(page);
    assert.match(q, new RegExp(`calendar=${calendar}`), lang);
    const report = await collector.get('/v1/report?' + q);
    const value = await page.locator('.nz-card[data-cell=overall][data-q=nps] [data-metric=score]').textContent();
    assert.match(value, digits, `${lang} digits: ${value}`);
    assert.doesNotMatch(value, /[0-9]/, `${lang}: no ASCII digits in ${value}`);
    assertShown(numbers(value)[0], report.questions.nps.score, 1, `${lang} NPS`);
    const range = await page.locator('[data-metric=range]').textContent();
    if (lang === 'fa') {
      // The range in the Solar Hijri calendar: the collector's labels, written in Persian digits.
      assert.match(report.from_label, /^14\d\d-\d\d-\d\d$/, 'a Solar Hijri label: ' + report.from_label);
      assert.ok(numbers(range).length >= 2, range);
      const shown = range.replace(/[\u06f0-\u06f9]/g, (d) => String(d.charCodeAt(0) - 0x6f0));
      assert.ok(shown.includes(report.from_label.slice(0, 4)), `${range} names ${report.from_label}`);
    }
    await page.close();
  }
});

test('compare: the last 20 days against the 40 before, with the verdict in words', async () => {
  const t = today();
  const { page } = await openPage(browser.context);
  await page.goto(`${collector.base}/?lang=en&from=${isoDay(t - 20)}&to=${isoDay(t - 1)}&compare=${isoDay(t - 60)}..${isoDay(t - 21)}&by=none`);
  await reportReady(page);
  const report = await collector.get('/v1/report?' + (await query(page)));
  // Seeded: NPS drawn from 4-10 before (about -14), 0-10 in the last 20 days (about -45).
  assert.equal(report.compare.questions.nps.verdict, 'down');
  for (const [id, c] of Object.entries(report.compare.questions)) {
    const row = page.locator(`tr[data-q=${id}][data-verdict]`).first();
    assert.equal(await row.getAttribute('data-verdict'), c.verdict, id);
  }
  const text = await page.locator('tr[data-q=nps][data-verdict]').first().textContent();
  assert.match(text, /fell|Down/, text);
  // By segment too, when segments are on (Benjamini-Hochberg over all of them).
  assert.ok(Array.isArray(report.compare.segments), 'compare.segments');
  await page.close();
});

test('comments: by group, as inert text, searchable, with their frequent terms', async () => {
  const { page } = await openPage(browser.context);
  await page.goto(`${collector.base}/?lang=en`);
  await reportReady(page);
  await page.locator('#db-comment-list li.db-comment').first().waitFor({ timeout: 10000 });
  const texts = (await page.locator('#db-comment-list li.db-comment p').allTextContents()).sort();
  const expected = (await collector.get('/v1/comments?survey=checkout&preset=last_30_days')).comments
    .filter((c) => c.group === 'promoter').map((c) => c.text).sort();
  assert.deepEqual(texts, expected);
  assert.equal(texts.length, PROMOTER.length, 'every promoter comment (ten: the minimum)');
  assert.ok(texts.some((x) => x.includes('<img src=x')), 'markup shown as text');
  assert.equal(await page.locator('#db-comments img, #db-comments script').count(), 0, 'no element from a comment');
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  // Three detractor comments are below the minimum: the collector sends none.
  assert.equal(expected.length + 0, PROMOTER.length);
  // Terms: the collector's, over the promoter comments.
  const terms = await page.locator('#db-terms .db-term').evaluateAll((els) => els.map((e) => [e.dataset.term, Number(e.dataset.count)]));
  const delivery = terms.find(([t]) => t === 'delivery');
  // "delivery" (any case) occurs in five of the ten promoter comments, counted once per comment.
  assert.deepEqual(delivery, ["delivery", 5]);
  assert.ok(!terms.some(([t]) => ['and', 'the', 'was'].includes(t)), 'no stop words: ' + terms);
  // Search: the collector filters; "DELIVERY" matches regardless of case.
  await page.fill('#db-q', 'DELIVERY');
  await waitFor(async () => (await page.locator('#db-comment-list li.db-comment').count()) === 5, 5000, 'the search');
  for (const x of await page.locator('#db-comment-list li.db-comment p').allTextContents()) assert.match(x, /delivery/i);
  await page.close();
});

test('keyboard: Tab reaches the range, arrows change it; the comment tabs follow the reading direction', async () => {
  const { page } = await openPage(browser.context);
  await page.goto(`${collector.base}/?lang=fa`);
  await reportReady(page);
  const focused = () => page.evaluate(() => document.activeElement?.id ?? '');
  let id = '';
  for (let i = 0; i < 12 && id !== 'db-range'; i++) {
    await page.keyboard.press('Tab');
    id = await focused();
  }
  assert.equal(id, 'db-range', 'Tab reaches the range menu');
  await page.keyboard.press('ArrowDown');  // last_30_days -> this_month
  await page.waitForFunction(() => document.querySelector('#db-report')?.getAttribute('data-query')?.includes('preset=this_month'),
    null, { timeout: 5000 });
  await reportReady(page);
  // The comment tabs: a tab list with one tab stop; in right to left, ArrowLeft is "next".
  await page.locator('#db-tab-promoter').waitFor({ timeout: 10000 });
  await page.focus('#db-tab-promoter');
  await page.keyboard.press('ArrowLeft');
  assert.equal(await focused(), 'db-tab-passive');
  assert.equal(await page.locator('#db-tab-passive').getAttribute('aria-selected'), 'true');
  assert.equal(await page.locator('#db-tab-promoter').getAttribute('tabindex'), '-1');
  await page.keyboard.press('End');
  assert.equal(await focused(), 'db-tab-detractor');
  await page.close();
});

test('exports: the report as JSON equals GET /v1/report; CSV cells never start a formula', async () => {
  const { page } = await openPage(browser.context);
  await page.goto(`${collector.base}/?lang=en`);
  await reportReady(page);
  const q = await query(page);
  const [json] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Report (JSON)' }).click()]);
  const saved = JSON.parse(fs.readFileSync(await json.path(), 'utf8'));
  assert.deepEqual(saved, await collector.get('/v1/report?' + q));
  await page.locator('#db-comment-list li.db-comment').first().waitFor({ timeout: 10000 });
  const [csv] = await Promise.all([page.waitForEvent('download'), page.locator('#db-comments-csv').click()]);
  const text = fs.readFileSync(await csv.path(), 'utf8');
  assert.ok(text.includes(`"'=HYPERLINK(""http://evil.example"",""click"")"`) || text.includes(`'=HYPERLINK`), text);
  for (const line of text.split(/\r?\n/)) {
    for (const cell of line.split(',')) assert.doesNotMatch(cell.replace(/^"/, ''), /^[=+@]/, 'a formula cell: ' + cell);
  }
  await page.close();
});

test('axe-core: no violations in en and fa, light and dark; screenshots of en, fa and ar', async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  for (const lang of ['en', 'fa', 'ar']) {
    const { page } = await openPage(browser.context);
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: width > 800 ? 900 : 844 });
      await page.goto(`${collector.base}/?lang=${lang}`);
      await reportReady(page);
      await page.locator('#db-comment-list').waitFor({ timeout: 10000 });
      // Nothing wider than the screen: a phone page never scrolls sideways.
      assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), width, `${lang} at ${width} px`);
      await page.screenshot({ path: path.join(SHOTS, `dashboard-${lang}-${width}.png`), fullPage: true });
      // The first screen too (the README shows en at desktop width and fa on a phone).
      await page.screenshot({ path: path.join(SHOTS, `dashboard-${lang}-${width}-top.png`) });
    }
    if (lang !== 'ar') {
      for (const scheme of ['light', 'dark']) {
        await page.emulateMedia({ colorScheme: scheme });
        await page.setViewportSize({ width: 1280, height: 900 });
        await page.goto(`${collector.base}/?lang=${lang}`);
        await reportReady(page);
        await page.locator('#db-comment-list').waitFor({ timeout: 10000 });
        await page.evaluate(axeSource);
        const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
        assert.deepEqual(result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join('; ')}`), [],
          `${lang} ${scheme}`);
      }
    }
    assert.deepEqual(await page.evaluate(() => window.__violations), [], 'no CSP violation');
    assert.deepEqual(await page.evaluate(() => window.__uncaught), [], 'no uncaught error');
    await page.close();
  }
  for (const lang of ['en', 'fa', 'ar']) {
    for (const width of [1280, 390]) assert.ok(fs.statSync(path.join(SHOTS, `dashboard-${lang}-${width}.png`)).size > 10000);
  }
});

test('strict CSP from the collector, nothing from another origin, no token in the log', async () => {
  const { page, log } = await openPage(browser.context);
  const res = await page.goto(`${collector.base}/?lang=fa`);
  const csp = res.headers()['content-security-policy'];
  assert.match(csp, /default-src 'self'/);
  assert.match(csp, /require-trusted-types-for 'script'/);
  assert.doesNotMatch(csp, /unsafe-inline/);
  await reportReady(page);
  for (const url of log.requests) assert.ok(url.startsWith(collector.base + '/'), 'same origin only: ' + url);
  assert.deepEqual(await page.evaluate(() => window.__violations), []);
  assert.deepEqual(log.pageErrors, []);
  assert.ok(!collector.log.includes(TOKEN), 'no token in the collector log');
  await page.close();
});
