// The analyze page (web/src/pages/analyze/) and the shared report view (web/src/pages/report/)
// in Chromium under the strict CSP with Trusted Types: a saved report (real Contract 4 JSON from
// the core, tests/fixtures/report/) rendered in en, fa and ar with locale digits; the page's
// flow (mapping, progress, cancel, report, comparisons with their verdicts) against a stand-in
// worker that speaks the page's protocol and answers with those fixtures; downloads; offline
// use through the service worker; no request to another origin. Screenshots of en, fa and ar
// go to $NAZAR_SCREENSHOT_DIR (default build/screenshots/). The real worker over real-shaped
// exports (ours, Qualtrics, SurveyMonkey, Google Forms, Persian semicolon CSV, UTF-16, bad rows)
// is checked number for number against the native CLI at $NAZAR_CLI_PATH (required).
import { test, before, after } from 'node:test';
import { spawn, spawnSync } from 'node:child_process';
import net from 'node:net';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { createServer } from '../../scripts/serve.mjs';
import { DIST, ROOT, TEST_CSP, launch, openPage, waitFor } from './server.mjs';

const FIX = path.join(ROOT, 'tests/fixtures/report');
const fixture = (name) => JSON.parse(fs.readFileSync(path.join(FIX, name), 'utf8'));
const SHOTS = process.env.NAZAR_SCREENSHOT_DIR || path.join(ROOT, 'build/screenshots');
const PAGE_DIR = path.join(DIST, 'analyze');

// A worker with the real page protocol (web/src/pages/analyze/protocol.ts) whose "core" answers
// with the fixtures: the proposal of analyze_small.csv's columns, the report, and a comparison
// chosen by the request. It streams the File like the real worker, slowly for big files (so
// the test can cancel), and keeps the options it was sent for the test to read.
const STAND_IN = `
const FIX = ${JSON.stringify({
  report: fixture('analyze_small.report.json'),
  months: fixture('analyze_small.compare_months.json'),
  locales: fixture('analyze_small.compare_locales.json'),
  small: fixture('analyze_small.compare_small.json'),
  scales: fixture('analyze_small.compare_scales.json'),
})};
const ROLE = { date: { kind: 'date' }, nps: { kind: 'question', type: 'nps', id: 'nps' },
  csat: { kind: 'question', type: 'csat', id: 'csat', scale: 5 }, ces: { kind: 'question', type: 'ces', id: 'ces', scale: 7 },
  locale: { kind: 'segment' }, comment: { kind: 'text' } };
let cancel = false;
self.seen = [];
onmessage = async (e) => {
  const m = e.data;
  self.seen.push(m.type === 'score' ? { type: 'score', options: m.options } : m.type === 'compare' ? m : { type: m.type });
  if (m.type === 'cancel') { cancel = true; return; }
  if (m.type === 'propose') {
    const lines = (await m.file.slice(0, 4096).text()).split('\\n');
    const names = lines[0].split(',');
    postMessage({ type: 'proposal', proposal: { format: 'csv', delimiter: ',', date_ambiguous: true,
      mapping: { columns: [], extra_header_rows: 0, date_format: 'dmy' },
      columns: names.map((name, i) => ({ column: i, name, max: name === 'nps' ? 10 : 5,
        scales: { nps: 11, csat: 5, ces: 7, rating: name === 'nps' ? 10 : 5 },
        samples: lines.slice(1, 4).map((l) => l.split(',')[i] ?? ''),
        proposed: { column: i, ...(ROLE[name] ?? { kind: 'ignore' }) } })) } });
  } else if (m.type === 'score') {
    cancel = false;
    const reader = m.file.stream().getReader();
    let bytes = 0, rows = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (cancel) { await reader.cancel(); postMessage({ type: 'cancelled' }); return; }
      if (done) break;
      bytes += value.length;
      for (const b of value) if (b === 10) rows++;
      postMessage({ type: 'progress', rows, bytes, bad_rows: 0, total: m.file.size });
      if (m.file.size > 1e6) await new Promise((r) => setTimeout(r, 40));
    }
    postMessage({ type: 'done', report: JSON.stringify(FIX.report), bytes, ms: 1 });
  } else if (m.type === 'first' || m.type === 'second' || m.type === 'rest') {
    // A large file on two cores (parallel.ts): the first worker reads [0, end), the second
    // [start, size) and sends no state, so the first reads on.
    if (m.type !== 'rest') { cancel = false; self.part = { bytes: 0, rows: 0, end: m.end }; }
    const from = m.type === 'first' ? 0 : m.type === 'second' ? m.start : self.part.end;
    const to = m.type === 'first' ? m.end : m.file.size;
    const reader = m.file.slice(from, to).stream().getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (cancel) { await reader.cancel(); postMessage({ type: 'cancelled' }); return; }
      if (done) break;
      self.part.bytes += value.length;
      for (const b of value) if (b === 10) self.part.rows++;
      postMessage({ type: 'progress', rows: self.part.rows, bytes: self.part.bytes, bad_rows: 0, total: m.file.size });
      await new Promise((r) => setTimeout(r, 40));
    }
    postMessage(m.type === 'first' ? { type: 'fed' } : m.type === 'second' ? { type: 'state', state: null }
      : { type: 'done', report: JSON.stringify(FIX.report), bytes: self.part.bytes, ms: 1 });
  } else if (m.type === 'compare') {
    const key = JSON.stringify(m.request);
    const json = key.includes('"period"') ? FIX.months : key.includes('"de"') ? FIX.small
      : key.includes('"ar"') ? FIX.scales : FIX.locales;
    postMessage({ type: 'compared', id: m.id, json });
  }
};
`;

let app;
let base;
let browser;
let tmp;
before(async () => {
  if (!fs.existsSync(path.join(PAGE_DIR, 'index.html'))) {
    throw new Error(`${PAGE_DIR} lacks index.html: run node web/build.mjs (--js-only is enough)`);
  }
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'nazar-analyze-'));
  // /analyze/: the built page with the stand-in worker; /real/analyze/: the built page as is.
  fs.cpSync(PAGE_DIR, path.join(tmp, 'analyze'), { recursive: true });
  fs.writeFileSync(path.join(tmp, 'analyze/analyze-worker.js'), STAND_IN);
  fs.writeFileSync(path.join(tmp, 'outside.json'), '{"outside":true}');
  fs.writeFileSync(path.join(tmp, 'favicon.ico'), '');
  app = createServer({
    mounts: [{ prefix: '/', dir: tmp }, { prefix: '/real/analyze/', dir: PAGE_DIR }],
    csp: () => TEST_CSP,
  });
  base = await app.listen(0);
  browser = await launch();
  fs.mkdirSync(SHOTS, { recursive: true });
});
after(async () => {
  await browser?.close();
  await app?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

// Nothing went wrong in the page: no console error, no CSP or Trusted Types violation, no
// uncaught error, and every request stayed on this origin.
async function assertClean(page, log, origin = base) {
  assert.deepEqual(log.errors, []);
  assert.deepEqual(log.pageErrors, []);
  assert.deepEqual(await page.evaluate(() => window.__violations), []);
  assert.deepEqual(await page.evaluate(() => window.__uncaught), []);
  const foreign = log.requests.filter((u) => !u.startsWith(origin) && !u.startsWith('blob:'));
  assert.deepEqual(foreign, []);
}

const text = (page, selector) => page.locator(selector).first().textContent();

async function openReport(lang, file = 'analyze_small.report.json') {
  const { page, log } = await openPage(browser.context);
  await page.goto(`${base}/analyze/?lang=${lang}`);
  await page.locator('#az-file').setInputFiles(path.join(FIX, file));
  await page.locator('.nz-report').waitFor();
  return { page, log };
}

test('a saved report in English: values, intervals, n, low precision, trend with a band, segments', async () => {
  const { page, log } = await openReport('en');
  assert.equal(await page.evaluate(() => document.documentElement.dir), 'ltr');
  // Focus moved to the results heading.
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Results');
  const nps = page.locator('.nz-card').first();
  // 120 promoters, 69 detractors of 243: 100 * 51 / 243 = 20.99 -> 21.0; the core's adjusted
  // Wald interval [10.0, 31.4] is wider than +-10 points: low precision.
  assert.equal(await nps.locator('h3').textContent(), 'NPS');
  assert.equal(await nps.locator('.nz-value').textContent(), '21.0');
  assert.equal(await nps.locator('.nz-ci').textContent(), '95% CI 10.0 to 31.4');
  const facts = await nps.locator('.nz-facts li').allTextContents();
  assert.deepEqual(facts, ['n = 243', 'Promoters 120', 'Passives 54', 'Detractors 69', 'low precision']);
  // The distribution: 11 bars and the same 11 counts in the table for screen readers.
  assert.equal(await nps.locator('svg rect').count(), 11);
  const distRows = await nps.locator('.nz-sr table tbody tr').allTextContents();
  assert.deepEqual(distRows, ['07', '15', '28', '39', '48', '510', '622', '719', '835', '952', '1068']);
  assert.equal(await text(page, '.nz-card:nth-child(3) .nz-value'), '4.58');  // ces mean, the third card (nps, csat, ces)

  // Trend of NPS by month: a band (polygon) under a line through 3 points, and its table.
  const trend = page.locator('figure').filter({ has: page.locator('svg.nz-trend') }).first();
  assert.equal(await trend.locator('svg title').textContent(), 'NPS by month');
  assert.equal(await trend.locator('polygon.nz-band').count(), 1);
  assert.equal(await trend.locator('circle.nz-point').count(), 3);
  const trendRows = await trend.locator('table tbody tr').evaluateAll((rows) =>
    rows.map((r) => [...r.children].map((c) => c.textContent)));
  assert.deepEqual(trendRows[0], ['2026-09', '40', '40.0', '15.1', '59.3', 'low precision']);
  assert.equal(trendRows.length, 3);

  // Segments: every one shown (no suppression), the 3-respondent "de" marked low precision.
  const segRows = await page.locator('.nz-section table.nz-table tbody tr th').allTextContents();
  assert.deepEqual(segRows, ['ar', 'de', 'en', 'fa']);
  const de = page.locator('.nz-section table.nz-table tbody tr').nth(1);
  assert.match(await de.textContent(), /low precision/);
  assert.match(await de.locator('td').nth(1).textContent(), /^33\.3/);
  // A saved report has no import to compare: no comparison form.
  assert.equal(await page.locator('.nz-compare').count(), 0);
  await page.screenshot({ path: path.join(SHOTS, 'analyze-report-en.png'), fullPage: true });
  await assertClean(page, log);
  await page.close();
});

test('Persian and Arabic: right to left, Persian and Arabic-Indic digits', async () => {
  for (const [lang, value, ci, period] of [
    ['fa', '۲۱٫۰', 'بازهٔ اطمینان ۹۵٪: ۱۰٫۰ تا ۳۱٫۴', '\u2066۲۰۲۶-۰۹\u2069'],
    ['ar', '٢١٫٠', 'فترة الثقة ٩٥٪: من ١٠٫٠ إلى ٣١٫٤', '\u2066٢٠٢٦-٠٩\u2069'],
  ]) {
    const { page, log } = await openReport(lang);
    assert.equal(await page.evaluate(() => document.documentElement.dir), 'rtl');
    assert.equal(await page.evaluate(() => document.documentElement.lang), lang);
    assert.equal(await page.locator('.nz-report').getAttribute('dir'), 'rtl');
    assert.equal(await text(page, '.nz-card .nz-value'), value);
    assert.equal(await text(page, '.nz-card .nz-ci'), ci);
    const first = await page.locator('svg.nz-trend').first().locator('text.nz-axis-label').allTextContents();
    assert.ok(first.includes(period), `${lang}: x axis labels ${JSON.stringify(first)}`);
    // No ASCII digit in the cards' visible numbers.
    const cards = await page.locator('.nz-card .nz-value, .nz-card .nz-ci').allTextContents();
    assert.ok(cards.every((t) => !/[0-9]/.test(t)), `${lang}: ${cards}`);
    await page.screenshot({ path: path.join(SHOTS, `analyze-report-${lang}.png`), fullPage: true });
    await assertClean(page, log);
    await page.close();
  }
});

test('a shared (suppressed) report, as the dashboard will show one: hidden cells say so', async () => {
  // nazar score's default: the 3-respondent segment "de" carries no numbers, nor does "ar",
  // the next smallest, hidden so that de is not the overall minus the rest.
  const { page, log } = await openReport('en', 'analyze_small.cli.json');
  const rows = page.locator('.nz-section table.nz-table tbody tr');
  assert.deepEqual(await rows.locator('th').allTextContents(), ['ar', 'de', 'en', 'fa']);
  assert.equal(await rows.nth(0).locator('td').textContent(), 'hidden (too few answers)');
  assert.equal(await rows.nth(1).locator('td').textContent(), 'hidden (too few answers)');
  assert.match(await rows.nth(2).locator('td').nth(1).textContent(), /^18\.0/);
  await assertClean(page, log);
  await page.close();
});

test('bad rows: counted, listed with their line numbers, never fatal', async () => {
  const { page, log } = await openReport('en', 'bad_rows.cli.json');
  // tests/fixtures/responses/bad_rows.csv: 9 rows, 4 rejected (nps 11, nps abc, a short row, month 13).
  assert.equal(await text(page, '.az-summary'), '9 rows read from bad_rows.cli.json (csv).');
  assert.match(await text(page, '.nz-error'), /^4 rows could not be read/);
  const lines = await page.locator('.az-bad tbody tr td:first-child').allTextContents();
  assert.deepEqual(lines, ['3', '4', '6', '9']);
  await assertClean(page, log);
  await page.close();
});

test('downloads: the report as JSON and CSV, a chart as SVG', async () => {
  const { page, log } = await openReport('en');
  const take = async (name) => {
    const [d] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name }).first().click()]);
    return { name: d.suggestedFilename(), text: fs.readFileSync(await d.path(), 'utf8') };
  };
  const json = await take('Report (JSON)');
  assert.equal(json.name, 'analyze_small.report-report.json');
  assert.deepEqual(JSON.parse(json.text), fixture('analyze_small.report.json'));
  const csv = await take('Report (CSV)');
  const lines = csv.text.trimEnd().split('\r\n');
  assert.equal(lines[0], 'scope,segment,period,question,type,n,score,mean,ci95_low,ci95_high,low_precision,suppressed,' +
    'promoters,passives,detractors,satisfied,agree_pct,sd,skipped,counts');
  assert.equal(lines[1], 'overall,,,nps,nps,243,21,,10,31.4,true,,120,54,69,,,,0,7 5 8 9 8 10 22 19 35 52 68');
  assert.ok(lines.includes('segment,de,,nps,nps,3,33.3,,-51.3,84.7,true,,2,0,1,,,,0,0 0 0 0 0 0 1 0 0 1 1'), 'the de row');
  // 1 overall + 4 segments + 3 periods + cells, 3 questions each.
  assert.equal((lines.length - 1) % 3, 0);
  const svg = await take('Chart (SVG): NPS by month');
  assert.equal(svg.name, 'analyze_small.report-nps-trend.svg');
  assert.match(svg.text, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.match(svg.text, /<title>NPS by month<\/title>/);
  assert.match(svg.text, /<polygon points="[^"]+" fill="#9dc0e8"/);
  await assertClean(page, log);
  await page.close();
});

test('the page flow: mapping, progress, report, comparisons with a verdict per code', async () => {
  const { page, log } = await openPage(browser.context);
  await page.goto(`${base}/analyze/?lang=en`);
  await page.locator('#az-file').setInputFiles(path.join(FIX, 'analyze_small.csv'));
  // The mapping table, with focus on its heading, and the dd/mm question (proposal: ambiguous).
  await page.getByRole('heading', { name: 'Confirm the columns' }).waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Confirm the columns');
  const names = await page.locator('.az-mapping tbody th').allTextContents();
  assert.deepEqual(names, ['date', 'nps', 'csat', 'ces', 'locale', 'comment']);
  assert.equal(await page.getByLabel('Role of column nps').inputValue(), 'nps');
  assert.equal(await page.getByLabel('Role of column locale').inputValue(), 'segment');
  await page.getByLabel('Role of column comment').selectOption('ignore');
  // Focus stays on the select that changed (the step re-renders).
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('id')), await page.getByLabel('Role of column comment').getAttribute('id'));
  await page.getByLabel('month/day/year').check();
  await page.getByRole('button', { name: 'Score the file' }).click();
  await page.locator('.nz-report').waitFor();
  // Two workers on two cores (in no set order); the one that scored keeps the import.
  const seen = async () => (await Promise.all(page.workers().map((w) => w.evaluate(() => self.seen)))).flat();
  const sent = (await seen()).find((m) => m.type === 'score').options;
  assert.equal(sent.by, 'locale');
  assert.equal(sent.period, 'month');
  assert.equal(sent.calendar, 'gregorian');
  assert.equal(sent.mapping.date_format, 'mdy');
  assert.equal(sent.mapping.extra_header_rows, 0);
  // Unchanged roles keep the proposal's assignment; the changed one is rebuilt.
  assert.deepEqual(sent.mapping.columns[1], { column: 1, kind: 'question', type: 'nps', id: 'nps', name: 'nps' });
  assert.deepEqual(sent.mapping.columns[5], { column: 5, kind: 'ignore', name: 'comment' });
  assert.deepEqual(sent.mapping.columns.map((c) => c.kind), ['date', 'question', 'question', 'question', 'segment', 'ignore']);
  assert.equal(await text(page, '.az-summary'), '243 rows read from analyze_small.csv (csv).');
  assert.match(await page.getByRole('status').textContent(), /243 rows read/);

  // Two periods: the last two months by default; NPS rose significantly.
  const compare = page.locator('.nz-compare');
  assert.equal(await compare.getByLabel('Baseline (A)').inputValue(), '2026-10');
  assert.equal(await compare.getByLabel('Compared (B)').inputValue(), '2026-11');
  await compare.getByRole('button', { name: 'Compare' }).click();
  await compare.locator('.nz-verdicts').waitFor();
  let verdicts = await compare.locator('.nz-verdicts li').allTextContents();
  assert.deepEqual(verdicts, [
    'NPS rose by 33.0 points (95% CI 8.6 to 55.6), unlikely to be chance (p = 0.007).',
    'CSAT: no clear change (2.4 points, 95% CI -11.6 to 16.3, p = 0.75).',
    'CES: no clear change (0.52, 95% CI 0.03 to 1.02, p = 0.039).',
  ]);
  // Two segments: en vs de (3 answers): not enough data; ar vs fa answers the scales fixture.
  await compare.getByLabel('segments').check();
  assert.equal(await compare.getByLabel('Baseline (A)').inputValue(), 'ar');
  await compare.getByLabel('Baseline (A)').selectOption('en');
  await compare.getByLabel('Compared (B)').selectOption('de');
  await compare.getByRole('button', { name: 'Compare' }).click();
  await waitFor(async () => (await compare.locator('.nz-verdicts li').first().textContent()).includes('not enough'), 5000, 'the en/de verdict');
  verdicts = await compare.locator('.nz-verdicts li').allTextContents();
  assert.ok(verdicts.every((v) => v.endsWith(': not enough answers to tell (at least 30 on each side are needed).')), verdicts.join('\n'));
  await compare.getByLabel('Baseline (A)').selectOption('ar');
  await compare.getByLabel('Compared (B)').selectOption('fa');
  await compare.getByRole('button', { name: 'Compare' }).click();
  await waitFor(async () => (await compare.locator('.nz-verdicts').textContent()).includes('cannot be compared'), 5000, 'the scales verdict');
  assert.equal(await compare.locator('.nz-v-not_comparable').first().textContent(),
    'CSAT: the two sides cannot be compared (their scales differ or the answers were randomized).');
  const requests = (await seen()).filter((m) => m.type === 'compare').map((m) => m.request);
  assert.deepEqual(requests, [
    { a: { period: '2026-10' }, b: { period: '2026-11' } },
    { a: { segment: 'en' }, b: { segment: 'de' } },
    { a: { segment: 'ar' }, b: { segment: 'fa' } },
  ]);

  // The same comparison in Persian: the verdict in Persian with Persian digits.
  await page.getByLabel('Language').selectOption('fa');
  const faCompare = page.locator('.nz-compare');
  await faCompare.getByRole('button', { name: 'مقایسه' }).click();
  await waitFor(async () => (await faCompare.locator('.nz-verdicts').count()) > 0, 5000, 'the Persian verdicts');
  assert.equal(await faCompare.locator('.nz-v-up').first().textContent(),
    'NPS به اندازهٔ ۳۳٫۰ امتیاز افزایش یافت (بازهٔ اطمینان ۹۵٪: ۸٫۶ تا ۵۵٫۶)، که بعید است تصادفی باشد (p = ۰٫۰۰۷).');
  await page.screenshot({ path: path.join(SHOTS, 'analyze-compare-fa.png'), fullPage: true });
  await assertClean(page, log);
  await page.close();
});

test('progress with rows, bytes and a live region; cancel goes back with nothing kept', async () => {
  const { page, log } = await openPage(browser.context);
  await page.goto(`${base}/analyze/?lang=en`);
  const big = Buffer.from('date,nps,csat,ces,locale,comment\n' + '2026-11-01,9,5,7,en,\n'.repeat(300000));
  await page.locator('#az-file').setInputFiles({ name: 'big.csv', mimeType: 'text/csv', buffer: big });
  // Every text the progress line takes, from its first render (before any progress message).
  await page.evaluate(() => {
    window.__progress = [];
    new MutationObserver(() => {
      const t = document.getElementById('az-progress-text')?.textContent;
      if (t && t !== window.__progress.at(-1)) window.__progress.push(t);
    }).observe(document.body, { childList: true, subtree: true, characterData: true });
  });
  await page.getByRole('button', { name: 'Score the file' }).click();
  const bar = page.locator('progress#az-bar');
  await bar.waitFor();
  // Focus on Cancel, so a keyboard user can stop at once.
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'az-cancel');
  await waitFor(async () => Number(await bar.getAttribute('value')) > 0 || (await bar.evaluate((b) => b.value)) > 0, 5000, 'progress');
  assert.equal(await bar.evaluate((b) => b.max), big.length);
  assert.match(await text(page, '#az-progress-text'), /^[\d,]+ rows, [\d.]+ MB of 6\.\d MB, [\d,]+ rows\/s, \d+ s left$/);
  // Before a rate is known: a dash, never NaN.
  const shown = await page.evaluate(() => window.__progress);
  assert.equal(shown[0], '0 rows, 0.0 MB of 6.3 MB, — rows/s, — left');
  assert.ok(shown.every((t) => !/NaN|Infinity|- s/.test(t)), shown.join('\n'));
  assert.match(await page.getByRole('status').textContent(), /^\d+% read$/);
  await page.keyboard.press('Enter');  // on Cancel
  await page.locator('#az-file').waitFor({ state: 'attached' });
  assert.equal(await page.getByRole('status').textContent(), 'Cancelled. Nothing was kept.');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'az-file');
  // On two cores a 6 MB file is read by two workers (parallel.ts); Cancel reached both.
  const seen = await Promise.all(page.workers().map((w) => w.evaluate(() => self.seen.map((m) => m.type))));
  assert.deepEqual(seen.map((s) => s.filter((t) => ['first', 'second', 'cancel'].includes(t)).join()).sort(),
    ['first,cancel', 'second,cancel']);
  await assertClean(page, log);
  await page.close();
});

test('offline after the first visit; the service worker touches nothing outside the page', async () => {
  const context = browser.context;
  const { page, log } = await openPage(context);
  await page.goto(`${base}/analyze/?lang=ar`);
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
  const scope = await page.evaluate(() => navigator.serviceWorker.ready.then((r) => r.scope));
  assert.equal(scope, `${base}/analyze/`);
  await context.setOffline(true);
  try {
    await page.reload();
    assert.equal(await page.locator('h1').textContent(), 'تحليل إجابات الاستبيان');
    assert.equal(await page.evaluate(() => navigator.serviceWorker.controller !== null), true);
    await page.locator('#az-file').setInputFiles(path.join(FIX, 'analyze_small.report.json'));
    await page.locator('.nz-report').waitFor();
    assert.equal(await text(page, '.nz-card .nz-value'), '٢١٫٠');
    await page.screenshot({ path: path.join(SHOTS, 'analyze-report-ar.png'), fullPage: true });
    // A file outside /analyze/ is not in its cache: offline, it fails like without the worker.
    const outside = await page.evaluate(() => fetch('/outside.json').then(() => 'answered', () => 'failed'));
    assert.equal(outside, 'failed');
  } finally {
    await context.setOffline(false);
  }
  // Online again, a path outside the list goes to the network untouched.
  assert.equal(await page.evaluate(() => fetch('/outside.json').then((r) => r.json()).then((j) => j.outside)), true);
  await assertClean(page, { ...log, errors: log.errors.filter((e) => !e.includes('ERR_INTERNET_DISCONNECTED')) });
  await page.close();
});

test('the page in every language before a file, for the screenshots', async () => {
  for (const lang of ['en', 'fa', 'ar']) {
    const { page, log } = await openPage(browser.context);
    await page.goto(`${base}/analyze/?lang=${lang}`);
    await page.locator('#az-file').waitFor({ state: 'attached' });
    // Keyboard: the language, then the file picker, named by its visible label.
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'az-lang');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'az-file');
    const name = await page.evaluate(() => document.activeElement.labels[0].textContent);
    assert.equal(name, { en: 'Choose a file', fa: 'انتخاب فایل', ar: 'اختر ملفًا' }[lang]);
    await page.screenshot({ path: path.join(SHOTS, `analyze-start-${lang}.png`) });
    await assertClean(page, log);
    await page.close();
  }
});

// The collector's own route (collector/server.cc HandlePage): the built page under its headers.
const COLLECTOR = process.env.NAZAR_COLLECTOR_PATH;
test('served by nazar-collector --web-dir: strict CSP, module worker, service worker on /analyze/ only',
  async () => {
    // Never a silent skip: the test command builds the collector and names it.
    assert.ok(COLLECTOR && fs.existsSync(COLLECTOR),
      'NAZAR_COLLECTOR_PATH must name the nazar-collector binary (got ' + COLLECTOR + ')');
    const port = await new Promise((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const p = s.address().port;
        s.close(() => resolve(p));
      });
    });
    const child = spawn(COLLECTOR, ['--surveys', path.join(ROOT, 'examples/demo-shop/surveys.json'),
      '--db', path.join(tmp, 'nazar.db'), '--listen', `127.0.0.1:${port}`, '--web-dir', DIST],
    { stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr.on('data', () => {});
    try {
      const origin = `http://127.0.0.1:${port}`;
      await waitFor(async () => (await fetch(`${origin}/healthz`).catch(() => null))?.ok, 10000, 'the collector');
      const { page, log } = await openPage(browser.context);
      const response = await page.goto(`${origin}/analyze?lang=fa`);
      assert.equal(page.url(), `${origin}/analyze/?lang=fa`);
      assert.match(response.headers()['content-security-policy'], /require-trusted-types-for 'script'/);
      assert.equal(await page.locator('h1').textContent(), 'تحلیل پاسخ‌های نظرسنجی');
      const scope = await page.evaluate(() => navigator.serviceWorker.ready.then((r) => r.scope));
      assert.equal(scope, `${origin}/analyze/`);
      // The module worker started under Trusted Types (a refused URL would be a page error).
      await waitFor(async () => page.workers().length >= 1, 5000, 'the analyze worker');
      await page.locator('#az-file').setInputFiles(path.join(FIX, 'analyze_small.report.json'));
      await page.locator('.nz-report').waitFor();
      assert.equal(await text(page, '.nz-card .nz-value'), '۲۱٫۰');
      await assertClean(page, log, origin);

      // Offline, the page's address is /analyze/ (the service worker's scope), with any query;
      // /analyze without the slash is only the collector's redirect, which needs the network (a
      // service worker cannot control a URL outside its folder), so the README, the demo and the
      // installed app (manifest start_url) name /analyze/.
      await page.waitForLoadState('networkidle');
      await browser.context.setOffline(true);
      try {
        await page.goto(`${origin}/analyze/?lang=en`);
        assert.equal(await page.locator('h1').textContent(), 'Analyze survey responses');
        const start = await page.evaluate(async () => {
          const link = document.querySelector('link[rel=manifest]').href;
          const manifest = await (await fetch(link)).json();
          return new URL(manifest.start_url, link).href;
        });
        assert.equal(start, `${origin}/analyze/`);
        await assert.rejects(page.goto(`${origin}/analyze`), /ERR_INTERNET_DISCONNECTED/);
      } finally {
        await browser.context.setOffline(false);
      }
      await page.close();
      // The addresses the project gives (web/dist/analyze is a folder, not an address).
      for (const doc of ['README.md', 'scripts/demo.sh']) {
        const bare = fs.readFileSync(path.join(ROOT, doc), 'utf8').match(/(?<!dist)\/analyze(?![/\w.-])/g);
        assert.equal(bare, null, `${doc} names /analyze without the slash`);
      }
    } finally {
      child.kill('SIGTERM');
    }
  });

// axe-core comes from web/package-lock.json (scripts/install-deps.sh installs it): a missing copy
// fails here, it never skips. Its source is evaluated through the DevTools protocol, which the
// page's CSP does not govern, so the page keeps its real CSP while it is scanned.
const axeSource = fs.readFileSync(
  createRequire(path.join(ROOT, 'web/package.json')).resolve('axe-core/axe.min.js'), 'utf8');

test('axe-core: no violations on the start page, the mapping, a scored report with a comparison, and a saved report, in en and fa', async () => {
  for (const lang of ['en', 'fa']) {
    const scan = async (page, what) => {
      await page.evaluate(axeSource);
      const result = await page.evaluate(() => window.axe.run(document));
      assert.deepEqual(
        result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
        [], `${what} in ${lang}`);
    };
    const { page } = await openReport(lang);
    await scan(page, 'report');
    await page.close();
    const start = await openPage(browser.context);
    await start.page.goto(`${base}/real/analyze/?lang=${lang}`);
    await start.page.locator('#az-file').waitFor();
    await scan(start.page, 'start page');
    // A file through the real worker: the mapping step, then its report with a comparison.
    await start.page.locator('#az-file').setInputFiles(path.join(FIX, 'analyze_small.csv'));
    const score = start.page.getByRole('button', { name: { en: 'Score the file', fa: 'امتیازدهی فایل' }[lang] });
    await score.waitFor();
    await scan(start.page, 'mapping');
    await score.click();
    await start.page.locator('.nz-report').waitFor({ timeout: 30000 });
    const compare = start.page.locator('.nz-compare');
    await compare.getByRole('button', { name: { en: 'Compare', fa: 'مقایسه' }[lang], exact: true }).click();
    await compare.locator('.nz-verdicts').waitFor();
    await scan(start.page, 'scored report with a comparison');
    await start.page.close();
  }
});

// The built worker (web/src/pages/analyze/worker.ts) as it is, with the analyze module that every
// build puts next to it: it scores the file like the native core.
test('the real worker: scores a real file like the native core', async () => {
  const { page, log } = await openPage(browser.context);
  await page.goto(`${base}/real/analyze/?lang=en`);
  // The analyze module is part of every build (web/build.mjs fails without it): a page without
  // it fails here rather than taking another branch.
  assert.ok(fs.existsSync(path.join(PAGE_DIR, 'nazar-analyze.wasm')), 'nazar-analyze.wasm is not in the built page');
  await scoreSmallLikeTheNativeCore(page);
  await assertClean(page, log);
  await page.close();
});

// Drops analyze_small.csv on the real page (in English), scores it with the proposed mapping and
// checks the downloaded report against the native core's: the scored questions of every cell
// (the mapping may add the comment column as a text question, which the native fixture, scored
// without a mapping, does not have).
async function scoreSmallLikeTheNativeCore(page) {
  await page.locator('#az-file').setInputFiles(path.join(FIX, 'analyze_small.csv'));
  await page.getByRole('button', { name: 'Score the file' }).click();
  await page.locator('.nz-report').waitFor({ timeout: 30000 });
  const [d] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Report (JSON)' }).click()]);
  const got = JSON.parse(fs.readFileSync(await d.path(), 'utf8'));
  const want = fixture('analyze_small.report.json');
  const scored = (cell) => ({ label: cell.segment ?? cell.period ?? '', nps: cell.questions.nps,
    csat: cell.questions.csat, ces: cell.questions.ces });
  assert.deepEqual(scored(got), scored(want));
  assert.deepEqual(got.segments.map(scored), want.segments.map(scored));
  assert.deepEqual(got.periods.map(scored), want.periods.map(scored));
  assert.equal(got.import.rows, 243);
}

test('offline after a first visit, the real page scores a file: its workers and module come from the cache', async () => {
  const context = browser.context;
  const { page, log } = await openPage(context);
  await page.goto(`${base}/real/analyze/?lang=en`, { waitUntil: 'networkidle' });
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
  await page.waitForLoadState('networkidle');
  await context.setOffline(true);
  try {
    await page.reload();
    assert.equal(await page.evaluate(() => navigator.serviceWorker.controller !== null), true);
    // Offline indeed: what the service worker does not hold fails.
    assert.equal(await page.evaluate(() => fetch('/outside.json').then(() => 'answered', () => 'failed')), 'failed');
    await scoreSmallLikeTheNativeCore(page);
  } finally {
    await context.setOffline(false);
  }
  await assertClean(page, { ...log, errors: log.errors.filter((e) => !e.includes('ERR_INTERNET_DISCONNECTED')) });
  await page.close();
});

// ---- Real exports through the real page, against the native CLI ----
// Each real-shaped export is dropped into the built page (real worker, real wasm), the proposed
// mapping accepted or set as an analyst would, and every number of the downloaded report (Contract
// 4 JSON) compared with `nazar score` on the same bytes with the same mapping and options
// (--propose/--map, --skip-rows, --date-format, --calendar, --period). The CLI hides cells with
// fewer than 5 respondents; the page, on the analyst's own file, hides nothing. So every file is
// dropped twice: as it is (every number the CLI shows must match, and the cells, the import
// summary and the bad lines must be the same), and with its data rows repeated, where the CLI
// hides nothing and every number the page has is checked.
const CLI = process.env.NAZAR_CLI_PATH;
const IMPORT_FIX = path.join(ROOT, 'tests/fixtures/import');
const RESP_FIX = path.join(ROOT, 'tests/fixtures/responses');

// `nazar score FILE ARGS --format json`: the report, whatever the exit (0, or 3 with bad rows).
function nazarScore(file, args) {
  // One thread: the page's two-part merge is checked against one import, not against the CLI's
  // own two-part merge (the same core code).
  const r = spawnSync(CLI, ['score', file, ...args, '--format', 'json', '--jobs', '1'], { encoding: 'utf8' });
  assert.ok(r.status === 0 || r.status === 3, `nazar score ${file} ${args.join(' ')}: exit ${r.status}\n${r.stderr}`);
  return JSON.parse(r.stdout);
}
function nazarPropose(file) {
  const r = spawnSync(CLI, ['score', file, '--propose'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

// The export with its data rows (after the header and `skip` more header rows) written `times`
// times, in the file's own encoding and line ends.
function repeated(bytes, { skip = 0, times, utf16 = false }) {
  const text = utf16 ? bytes.subarray(2).toString('utf16le') : bytes.toString('utf8');
  const lines = text.split(/(?<=\n)/);
  const eol = lines[0].endsWith('\r\n') ? '\r\n' : '\n';
  if (!lines.at(-1).endsWith('\n')) lines[lines.length - 1] += eol;
  const head = lines.slice(0, 1 + skip).join('');
  const out = head + lines.slice(1 + skip).join('').repeat(times);
  return utf16 ? Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(out, 'utf16le')]) : Buffer.from(out, 'utf8');
}

const cellLabel = (c) => `${c.segment ?? ''}|${c.period ?? ''}`;

// Every number the CLI shows must be in the page's report, the same; the page's cells and
// questions must be the CLI's (hidden ones included, by name). Returns how many cells and
// questions the CLI hid (their numbers are checked on the repeated file).
function assertSameAsCli(got, want, what) {
  for (const key of ['survey', 'from', 'to']) assert.deepEqual(got[key], want[key], `${what}: ${key}`);
  assert.deepEqual(got.import, want.import, `${what}: import`);
  let hidden = 0;
  const cell = (g, w, where) => {
    if (!('questions' in w)) {  // a cell the CLI hides: the page has it, with numbers
      hidden++;
      assert.ok(g.questions && g.completions > 0, `${where}: the page has no numbers`);
      return;
    }
    // The same numbers and no others (the page's empty "suppressed" list aside).
    const keys = (c) => Object.keys(c).filter((k) => k !== 'suppressed' && k !== 'questions' && k !== 'import').sort();
    assert.deepEqual(keys(g), keys(w), `${where}: members`);
    for (const key of keys(w)) {
      if (!['segments', 'periods', 'cells'].includes(key)) assert.deepEqual(g[key], w[key], `${where}: ${key}`);
    }
    assert.deepEqual(Object.keys(g.questions).sort(), Object.keys(w.questions).sort(), `${where}: questions`);
    for (const [id, q] of Object.entries(w.questions)) {
      if (q.suppressed === true) {
        hidden++;
        assert.equal(g.questions[id].type, q.type, `${where}/${id}: type`);
      } else {
        assert.deepEqual(g.questions[id], q, `${where}/${id}`);
      }
    }
  };
  cell(got, want, `${what}: overall`);
  if (!('questions' in want)) return hidden;  // too few for the CLI to show even a cell's name
  for (const list of ['segments', 'periods', 'cells']) {
    assert.deepEqual(got[list].map(cellLabel), want[list].map(cellLabel), `${what}: ${list}`);
    got[list].forEach((g, i) => cell(g, want[list][i], `${what}: ${list}[${cellLabel(g)}]`));
  }
  return hidden;
}

// RFC 4180 rows (quoted fields with doubled quotes, CRLF).
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      for (i++; i < text.length && !(text[i] === '"' && text[i + 1] !== '"'); i++) {
        field += text[i];
        if (text[i] === '"') i++;
      }
    } else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n') {
      row.push(field.replace(/\r$/, ''));
      rows.push(row);
      row = [];
      field = '';
    } else {
      field += c;
    }
  }
  return rows;
}

// The page's CSV download: one row per cell and question the CLI shows, with its numbers.
function assertCsvAsCli(rows, want, what) {
  const [head, ...body] = rows;
  const col = Object.fromEntries(head.map((name, i) => [name, i]));
  const cellOf = (scope, segment, period) => scope === 'overall' ? want
    : (want[{ segment: 'segments', period: 'periods', cell: 'cells' }[scope]] ?? [])
      .find((c) => (c.segment ?? '') === segment && (c.period ?? '') === period);
  let checked = 0;
  for (const r of body) {
    const cell = cellOf(r[col.scope], r[col.segment].replace(/^'/, ''), r[col.period]);
    const q = cell?.questions?.[r[col.question]];
    if (!q || q.suppressed) continue;  // hidden by the CLI: checked on the repeated file
    const at = `${what}: CSV ${r.slice(0, 4).join('/')}`;
    for (const name of ['n', 'score', 'mean', 'promoters', 'passives', 'detractors', 'satisfied', 'agree_pct', 'sd', 'skipped']) {
      assert.equal(r[col[name]], q[name] === undefined ? '' : String(q[name]), `${at}: ${name}`);
    }
    assert.deepEqual([r[col.ci95_low], r[col.ci95_high]], q.ci95 ? q.ci95.map(String) : ['', ''], `${at}: ci95`);
    assert.equal(r[col.counts], q.counts ? q.counts.join(' ') : '', `${at}: counts`);
    assert.equal(r[col.type], q.type, `${at}: type`);
    checked++;
  }
  const shown = [want, ...(want.segments ?? []), ...(want.periods ?? []), ...(want.cells ?? [])]
    .flatMap((c) => Object.values(c.questions ?? {}).filter((q) => !q.suppressed)).length;
  assert.equal(checked, shown, `${what}: CSV rows for every question the CLI shows`);
}

// On the mapping step: a column's role, by its header name.
const setRole = (page, name, role) => page.getByLabel(`Role of column ${name}`, { exact: true }).selectOption(role);

// The exports. `cli`: the options after the mapping; `map(proposal)`: the mapping file for the
// CLI (default: --propose's, as the page accepts it); `onPage`: what the analyst sets.
// `large`: also dropped with its rows repeated past parallel.ts's SPLIT_BYTES (4 MiB), which two
// workers score in two parts; `make`: the file's bytes, generated (then only that variant).
const LARGE = 4.5e6;
const EXPORTS = [
  { name: 'our CSV (analyze_small.csv)', file: path.join(FIX, 'analyze_small.csv'), cli: ['--period', 'month'], large: true },
  { name: 'our NDJSON (nps_50_30_20.ndjson)', file: path.join(RESP_FIX, 'nps_50_30_20.ndjson'), cli: ['--period', 'month'], large: true },
  { name: 'Qualtrics: three header rows, text answers', file: path.join(IMPORT_FIX, 'qualtrics_text_answers.csv'),
    skip: 2, cli: ['--skip-rows', '2', '--period', 'month'] },
  { name: 'SurveyMonkey: two header rows, mm/dd/yyyy AM/PM', file: path.join(IMPORT_FIX, 'surveymonkey_two_header_rows.csv'),
    skip: 1, cli: ['--skip-rows', '1', '--period', 'week'],
    onPage: (page) => page.getByLabel('Trend by').selectOption('week') },
  { name: 'semicolon CSV, Persian digits, Solar Hijri dates', file: path.join(IMPORT_FIX, 'persian_semicolon_jalali.csv'),
    cli: ['--date-format', 'jalali', '--calendar', 'jalali', '--period', 'month'],
    onPage: async (page) => assert.equal(await page.getByLabel('Calendar').inputValue(), 'jalali') },
  { name: 'UTF-16LE tab-separated (spreadsheet Unicode text), Solar Hijri weeks', file: path.join(IMPORT_FIX, 'excel_utf16le.tsv'),
    utf16: true, cli: ['--period', 'week', '--calendar', 'jalali'],
    onPage: async (page) => {
      await page.getByLabel('Trend by').selectOption('week');
      await page.getByLabel('Calendar').selectOption('jalali');
    } },
  // Google Forms over ten days of December and November: every date could be d/m or m/d; the
  // analyst says month/day/year.
  { name: 'Google Forms, ambiguous m/d/yyyy dates', file: path.join(IMPORT_FIX, 'google_forms.csv'),
    keep: (line) => !/^11\/30\//.test(line), cli: ['--date-format', 'mdy', '--period', 'day'],
    onPage: async (page) => {
      await page.getByLabel('month/day/year').check();
      await page.getByLabel('Trend by').selectOption('day');
    } },
  // Bad rows (tests/fixtures/responses/bad_rows.csv: nps 11, nps abc, a short row, month 13):
  // its nps and date columns are not proposed (their values do not fit), so the analyst sets them.
  { name: 'a file with bad rows', file: path.join(RESP_FIX, 'bad_rows.csv'), times: 6,
    map: () => ({ columns: [{ column: 0, kind: 'date' }, { column: 1, kind: 'question', id: 'nps', type: 'nps' },
      { column: 2, kind: 'segment', id: 'channel' }], extra_header_rows: 0, date_format: 'ymd' }),
    cli: ['--period', 'day'],
    // Worked by hand: 4 bad rows on lines 3, 4, 6 and 9; repeated 6 times (9 data rows a copy),
    // 24, of which the first 20 are listed.
    bad: { 'as exported': [4, [3, 4, 6, 9]],
      'rows repeated': [24, [0, 1, 2, 3, 4].flatMap((k) => [3, 4, 6, 9].map((l) => l + 9 * k))] },
    onPage: async (page) => {
      await setRole(page, 'date', 'date');
      await setRole(page, 'nps', 'nps');
      await page.getByLabel('Trend by').selectOption('day');
    } },
  // Bad rows only in the second part of a large file: 250,000 clean rows, bad_rows.csv's data
  // three times, 125,000 clean rows. Worked by hand: its bad lines 3, 4, 6, 9 become 250,000 +
  // 3, 4, 6, 9, and + 9 and + 18 for the later copies; the first part has none.
  { name: 'a large file with bad rows in its second part', file: path.join(RESP_FIX, 'bad_rows.csv'),
    make: (bytes) => {
      const lines = bytes.toString('utf8').split(/(?<=\n)/);
      const clean = '2026-11-01,9,web\r\n';
      return Buffer.from(lines[0] + clean.repeat(250000) + lines.slice(1).join('').repeat(3) + clean.repeat(125000));
    },
    map: () => ({ columns: [{ column: 0, kind: 'date' }, { column: 1, kind: 'question', id: 'nps', type: 'nps' },
      { column: 2, kind: 'segment', id: 'channel' }], extra_header_rows: 0, date_format: 'ymd' }),
    cli: ['--period', 'day'],
    bad: { 'two workers': [12, [0, 9, 18].flatMap((k) => [3, 4, 6, 9].map((l) => 250000 + l + k))] },
    onPage: async (page) => {
      await setRole(page, 'date', 'date');
      await setRole(page, 'nps', 'nps');
      await setRole(page, 'channel', 'segment');  // the sampled rows all say "web"
      await page.getByLabel('Trend by').selectOption('day');
    } },
];

test('real exports on the real page: every number as nazar score has it, nothing sent', async (t) => {
  // Never a silent skip: the test command builds the CLI and names it.
  assert.ok(CLI && fs.existsSync(CLI), 'NAZAR_CLI_PATH must name the nazar binary (got ' + CLI + ')');
  const { page, log } = await openPage(browser.context);
  // The page, its service worker, its worker and the module all loaded: nothing more to fetch.
  const load = async () => {
    await page.goto(`${base}/real/analyze/?lang=en`, { waitUntil: 'networkidle' });
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
    // Two workers on two cores, both started (and warmed up) when the page loads.
    await waitFor(async () => page.workers().length === 2, 5000, 'the analyze workers');
    await page.waitForLoadState('networkidle');
  };
  await load();
  // Requests, watched three ways: the page's (with Playwright), the browser context's, and every
  // one that reached the server (the page's, its worker's and its service worker's).
  const anywhere = [];
  const watch = (r) => anywhere.push(r.url());
  browser.context.on('request', watch);
  const marks = () => [log.requests.length, anywhere.length, app.requests.length];
  // Not the page's: the browser's own check for a new service worker (a GET of sw.js, carrying
  // nothing, which it makes a second or so after each navigation, sometimes twice), also for the
  // /analyze/ registration that earlier tests of this file left in the browser.
  const browserOwn = (r) => r.method === 'GET' && /^(\/real)?\/analyze\/sw\.js$/.test(r.path);
  const sentSince = ([p, c, s]) => [...log.requests.slice(p), ...anywhere.slice(c),
    ...app.requests.slice(s).filter((r) => !browserOwn(r)).map((r) => r.path)].filter((u) => !u.startsWith('blob:'));
  const dir = fs.mkdtempSync(path.join(tmp, 'exports-'));

  // Drops `bytes` as `name`, lets `onPage` set the mapping step, scores, and returns the
  // downloaded report JSON; then back to the file picker.
  const drop = async (name, bytes, onPage) => {
    const mark = marks();
    await page.locator('#az-file').setInputFiles({ name, mimeType: 'text/plain', buffer: bytes });
    await page.getByRole('heading', { name: 'Confirm the columns' }).waitFor();
    if (onPage) await onPage(page);
    await page.getByRole('button', { name: 'Score the file' }).click();
    await page.locator('.nz-report').waitFor({ timeout: 30000 });
    // Nothing left the page while analyzing: no request at all, to any origin.
    assert.deepEqual(sentSince(mark), [], `${name}: requests while analyzing`);
    const take = async (button) => {
      const [d] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: button }).click()]);
      return fs.readFileSync(await d.path(), 'utf8');
    };
    return { json: JSON.parse(await take('Report (JSON)')), csv: parseCsv(await take('Report (CSV)')) };
  };
  const back = async () => {
    await page.getByRole('button', { name: 'Choose another file' }).click();
    await page.locator('#az-file').waitFor({ state: 'attached' });
  };

  for (const ex of EXPORTS) {
    await t.test(ex.name, async () => {
      // After a failed case, a fresh page.
      if ((await page.locator('#az-file').count()) === 0) await load();
      let bytes = fs.readFileSync(ex.file);
      if (ex.keep) bytes = Buffer.from(bytes.toString('utf8').split(/(?<=\n)/).filter(ex.keep).join(''));
      const name = path.basename(ex.file);
      const variants = ex.make ? [['two workers', ex.make(bytes)]]
        : [['as exported', bytes], ['rows repeated', repeated(bytes, { skip: ex.skip, times: ex.times ?? 5, utf16: ex.utf16 })]];
      if (ex.large) {
        variants.push(['two workers', repeated(bytes, { skip: ex.skip, times: Math.ceil(LARGE / bytes.length), utf16: ex.utf16 })]);
      }
      for (const [variant, data] of variants) {
        const what = `${ex.name}, ${variant}`;
        const file = path.join(dir, `${{ 'as exported': '', 'rows repeated': 'x-', 'two workers': 'xl-' }[variant]}${name}`);
        fs.writeFileSync(file, data);
        const mapFile = `${file}.map.json`;
        fs.writeFileSync(mapFile, JSON.stringify(ex.map ? ex.map() : nazarPropose(file)));
        const want = nazarScore(file, ['--map', mapFile, ...ex.cli]);
        const { json: got, csv } = await drop(path.basename(file), data, ex.onPage);
        const hidden = assertSameAsCli(got, want, what);
        assertCsvAsCli(csv, want, what);
        // (The generated file keeps a few days of under 5 rows, which the CLI hides.)
        if (variant !== 'as exported' && !ex.make) assert.equal(hidden, 0, `${what}: the CLI hid some numbers`);
        // Above 4 MiB two workers read the file in two parts, merged into one import's report.
        assert.equal(await page.locator('#app').getAttribute('data-parts'), variant === 'two workers' ? '2' : '1', `${what}: workers`);

        // What the page shows: the summary, the bad rows with their lines, the overall cards.
        assert.equal(await text(page, '.az-summary'), `${want.import.rows.toLocaleString('en-US')} rows read from ${path.basename(file)} (${want.import.format}).`);
        if (ex.bad) {
          const [count, lines] = ex.bad[variant];
          assert.equal(got.import.bad_rows, count, `${what}: bad rows`);
          assert.deepEqual(got.import.errors.map((e) => e.line), lines, `${what}: bad lines`);
        }
        if (want.import.bad_rows > 0) {
          assert.match(await text(page, '.nz-error'), new RegExp(`^${want.import.bad_rows} rows could not be read`));
          const lines = await page.locator('.az-bad tbody tr td:first-child').allTextContents();
          assert.deepEqual(lines, want.import.errors.map((e) => e.line.toLocaleString('en-US')));
        } else {
          assert.equal(await page.locator('.az-bad').count(), 0);
        }
        const cards = await page.locator('.nz-card').evaluateAll((els) =>
          els.map((c) => [c.querySelector('h3')?.textContent, c.querySelector('.nz-value')?.textContent]));
        const scored = Object.values(want.questions ?? {}).filter((q) => ['nps', 'csat', 'ces', 'rating'].includes(q.type) && q.n > 0);
        for (const q of scored) {
          const value = q.type === 'ces' || q.type === 'rating' ? q.mean.toFixed(2) : q.score.toFixed(1);
          assert.ok(cards.some(([, v]) => v === value), `${what}: no card shows ${q.type} ${value}: ${JSON.stringify(cards)}`);
        }
        await back();
      }
    });
  }
  // The watch sees the worker: a request it makes on purpose is seen.
  const mark = marks();
  await page.workers()[0].evaluate(() => fetch('/favicon.ico').then(() => true));
  assert.deepEqual(sentSince(mark), ['/favicon.ico']);
  browser.context.off('request', watch);
  await assertClean(page, log);
  await page.close();
});
