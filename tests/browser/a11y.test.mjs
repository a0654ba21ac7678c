// Keyboard use (radio group with arrow keys, Enter/Space, announced thank-you), right-to-left
// Persian with Persian digits, and the anchors of a CES scale (seen at both ends, named on the
// end options, axe-core clean), in Chromium.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { openPage, waitFor, useSite, page as sitePage, ROOT, readOutbox, focusedInWidget as focused } from './server.mjs';

// axe-core from web/package-lock.json (scripts/install-deps.sh installs it).
const axeSource = fs.readFileSync(createRequire(path.join(ROOT, 'web/package.json')).resolve('axe-core/axe.min.js'), 'utf8');

// A CES question without labels of its own: the core gives it its agreement anchors.
const CES = {
  nazar: 1,
  id: 'ease',
  version: '1',
  default_locale: 'en',
  trigger: { on: 'event', event: 'checkout_completed', delay_ms: 0, max_displays: 0 },
  questions: [{ id: 'ease', type: 'ces', scale: 7, text: { en: 'It was easy to complete my purchase.', fa: 'تکمیل خریدم آسان بود.' } }],
  appearance: { position: 'bottom-right', accent: '#0a7d5a', radius: 12, theme: 'auto' },
};

// The test page with its own content in a landmark (axe-core's "region" rule is about the host
// page), so that axe judges the widget alone.
const cesPage = (lang, attrs) =>
  sitePage({ lang, attrs, surveys: '/ces/surveys.json', main: true });

let site;
let browser;
useSite(
  (s, b) => {
    site = s;
    browser = b;
  },
  {
    pages: {
      'ces/surveys.json': JSON.stringify(CES),
      'ces/en/index.html': cesPage('en', 'data-track="checkout_completed"'),
      'ces/fa/index.html': cesPage('fa', 'data-track="checkout_completed" data-locale="fa"'),
    },
  },
);

test('keyboard: Tab in, arrows across the NPS radio group, Space selects, Enter submits', async () => {
  const { page, log } = await openPage(browser.context);
  await page.goto(site.base + '/e2e/');
  await page.getByRole('dialog').waitFor({ state: 'visible' });
  // The widget did not take focus on its own.
  assert.equal(await focused(page), null);

  let f = null;
  for (let i = 0; i < 6 && f?.role !== 'radio'; i++) {
    await page.keyboard.press('Tab');
    f = await focused(page);
  }
  assert.equal(f?.role, 'radio', 'Tab reaches the radio group');
  assert.equal(f.value, '0', 'the first option is the tab stop');
  assert.equal(f.checked, 'false');

  await page.keyboard.press('Space');
  await waitFor(async () => (await focused(page))?.checked === 'true', 3000, 'Space to select');

  await page.keyboard.press('ArrowRight');
  f = await focused(page);
  assert.equal(f.value, '1', 'ArrowRight moves focus');
  assert.equal(f.checked, 'true', 'selection follows focus');
  await page.keyboard.press('End');
  assert.equal((await focused(page)).value, '10');
  await page.keyboard.press('ArrowLeft');
  f = await focused(page);
  assert.equal(f.value, '9');
  assert.equal(f.checked, 'true');
  const checked = await page.getByRole('radio', { checked: true }).allTextContents();
  assert.deepEqual(checked, ['9']);

  // Tab leaves the group (one tab stop) for Submit.
  await page.keyboard.press('Tab');
  f = await focused(page);
  assert.equal(f.action, 'next');
  await page.keyboard.press('Enter');

  const status = page.getByRole('status');
  await status.waitFor({ state: 'visible' });
  assert.equal(await status.getAttribute('aria-live'), 'polite');
  assert.match(await status.textContent(), /Thank you!/);
  await waitFor(() => site.app.received.some((r) => r.body.questions?.nps?.counts?.[9] === 1), 10000, 'the POST');

  // Escape closes.
  await page.keyboard.press('Escape');
  await waitFor(() => page.evaluate(() => !document.querySelector('nazar-survey')), 3000, 'Escape to close');
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('Escape on the question dismisses: the payload counts a dismissal', async () => {
  site.app.received.length = 0;
  const { page } = await openPage(browser.context);
  await page.goto(site.base + '/e2e/');
  await page.getByRole('dialog').waitFor({ state: 'visible' });
  // The display's record: the rest of the core has arrived (web/split.mjs). Closing before it
  // does closes at once and counts nothing (api.test.mjs, "closing does not wait...").
  await waitFor(async () => (await readOutbox(page)).length > 0, 5000, 'the display stored');
  await page.getByRole('radio', { name: '4', exact: true }).focus();
  await page.keyboard.press('Escape');
  await waitFor(() => page.evaluate(() => !document.querySelector('nazar-survey')), 3000, 'Escape to close');
  const post = await waitFor(() => site.app.received.find((r) => r.body.dismissals === 1), 10000, 'the POST');
  assert.equal(post.body.completions, 0);
  assert.equal(post.body.displays, 1);
  await page.close();
});

test('RTL: Persian page gets dir=rtl, Persian text and Persian digits', async () => {
  const { page, log } = await openPage(browser.context);
  await page.goto(site.base + '/rtl/');
  const dialog = page.getByRole('dialog');
  await dialog.waitFor({ state: 'visible' });
  assert.equal(await dialog.getAttribute('dir'), 'rtl');
  assert.equal(await dialog.getAttribute('lang'), 'fa');
  await page.getByRole('heading', { name: 'چقدر احتمال دارد ما را به دوستانتان پیشنهاد کنید؟' }).waitFor();
  const digits = await page.getByRole('radio').allTextContents();
  assert.deepEqual(digits, ['۰', '۱', '۲', '۳', '۴', '۵', '۶', '۷', '۸', '۹', '۱۰']);
  assert.equal(await dialog.evaluate((el) => getComputedStyle(el).direction), 'rtl');
  // Right to left: zero sits to the right of one.
  // The ends are named with their labels, in Persian with Persian digits.
  const zero = await page.getByRole('radio', { name: '۰، اصلاً', exact: true }).boundingBox();
  const one = await page.getByRole('radio', { name: '۱', exact: true }).boundingBox();
  assert.ok(zero.x > one.x, `0 at ${zero.x}, 1 at ${one.x}`);
  // In RTL, ArrowLeft moves forward.
  await page.getByRole('radio', { name: '۰، اصلاً', exact: true }).focus();
  await page.keyboard.press('ArrowLeft');
  assert.equal((await focused(page)).value, '1');
  await page.locator('.nz-next').click();
  await page.getByRole('status').waitFor({ state: 'visible' });
  assert.equal(await page.getByRole('status').textContent(), 'سپاسگزاریم!');
  const post = await waitFor(() => site.app.received.find((r) => r.body.locale === 'fa'), 10000, 'the POST');
  assert.equal(post.body.questions.nps.counts[1], 1);
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('a 360px phone: all eleven NPS buttons fit on one row, at least 24px wide and 44px tall', async () => {
  const { page } = await openPage(browser.context);
  await page.setViewportSize({ width: 360, height: 740 });
  // Measure the settled layout, not a frame of the entrance animation.
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await page.goto(site.base + '/e2e/');
  await page.getByRole('dialog').waitFor({ state: 'visible' });
  const boxes = await Promise.all((await page.getByRole('radio').all()).map((r) => r.boundingBox()));
  for (const b of boxes) {
    assert.ok(b.x >= 0 && b.x + b.width <= 360, JSON.stringify(b));
    assert.ok(b.height >= 44 && b.width >= 24, JSON.stringify(b));
  }
  const rows = new Set(boxes.map((b) => Math.round(b.y)));
  assert.equal(rows.size, 1, 'one row, 0 to 10 (render.test.mjs checks 320px)');
  await page.close();
});

// Right edge of a box.
const right = (b) => b.x + b.width;

for (const [lang, low, high] of [
  ['en', 'Strongly disagree', 'Strongly agree'],
  ['fa', 'کاملاً مخالفم', 'کاملاً موافقم'],
]) {
  test(`CES in ${lang}: agreement anchors under both ends, in the end options' names, no axe violation`, async () => {
    const { page, log } = await openPage(browser.context);
    await page.emulateMedia({ reducedMotion: 'reduce' }); // measure the settled layout
    await page.goto(`${site.base}/ces/${lang}/`);
    await page.getByRole('dialog').waitFor({ state: 'visible' });
    const min = page.locator('.nz-label-min');
    const max = page.locator('.nz-label-max');
    await min.waitFor({ state: 'visible' });
    await max.waitFor({ state: 'visible' });
    assert.equal(await min.textContent(), low);
    assert.equal(await max.textContent(), high);

    const one = page.getByRole('radio', { name: lang === 'fa' ? `۱، ${low}` : `1, ${low}`, exact: true });
    const seven = page.getByRole('radio', { name: lang === 'fa' ? `۷، ${high}` : `7, ${high}`, exact: true });
    assert.equal(await one.getAttribute('data-nz-value'), '1');
    assert.equal(await seven.getAttribute('data-nz-value'), '7');
    assert.equal(await page.getByRole('radio', { name: lang === 'fa' ? '۴' : '4', exact: true }).count(), 1);

    // Each anchor sits under its own end of the scale: 1 and "disagree" on the left in English,
    // on the right in Persian.
    const [lo, hi, first, last] = await Promise.all([min, max, one, seven].map((l) => l.boundingBox()));
    const near = (a, b, what) => assert.ok(Math.abs(a - b) <= 2, `${lang} ${what}: ${a} vs ${b}`);
    if (lang === 'fa') {
      near(right(lo), right(first), 'disagree under 1');
      near(hi.x, last.x, 'agree under 7');
      assert.ok(hi.x + hi.width < lo.x, `${lang}: the anchors do not overlap`);
    } else {
      near(lo.x, first.x, 'disagree under 1');
      near(right(hi), right(last), 'agree under 7');
      assert.ok(lo.x + lo.width < hi.x, `${lang}: the anchors do not overlap`);
    }
    assert.ok(lo.y >= first.y + first.height, 'under the scale');

    assert.equal(await page.locator('main h1').count(), 1, 'the host content is in a landmark');
    await page.evaluate(axeSource);
    for (const colorScheme of ['light', 'dark']) {
      await page.emulateMedia({ colorScheme });
      const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
      assert.deepEqual(result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join('; ')}`), [],
        `${lang} ${colorScheme}`);
      // axe-core looked inside the widget's shadow root (its targets there are [host, selector]).
      assert.ok(result.passes.some((r) => r.nodes.some((n) => n.target[0]?.[0] === 'nazar-survey')), 'axe saw the widget');
    }
    assert.deepEqual(await page.evaluate(() => window.__violations), [], 'no CSP violation');
    assert.deepEqual(log.errors, []);
    await page.close();
  });
}
