// Keyboard use (radio group with arrow keys, Enter/Space, announced thank-you) and right-to-left
// Persian with Persian digits, in Chromium.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, waitFor, useSite } from './server.mjs';

let site;
let browser;
useSite((s, b) => {
  site = s;
  browser = b;
});

// The focused element inside the widget: {role, value, checked, text, id}.
const focused = (page) =>
  page.evaluate(() => {
    const root = document.querySelector('nazar-survey')?.shadowRoot;
    const el = root?.activeElement;
    if (!el) return null;
    return {
      role: el.getAttribute('role'),
      value: el.getAttribute('data-nz-value'),
      checked: el.getAttribute('aria-checked'),
      text: el.textContent,
      id: el.id,
      action: el.getAttribute('data-nz-action'),
    };
  });

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
  const zero = await page.getByRole('radio', { name: '۰', exact: true }).boundingBox();
  const one = await page.getByRole('radio', { name: '۱', exact: true }).boundingBox();
  assert.ok(zero.x > one.x, `0 at ${zero.x}, 1 at ${one.x}`);
  // In RTL, ArrowLeft moves forward.
  await page.getByRole('radio', { name: '۰', exact: true }).focus();
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

test('a 360px phone: all eleven NPS buttons fit, at least 40px tall, none overflowing', async () => {
  const { page } = await openPage(browser.context);
  await page.setViewportSize({ width: 360, height: 740 });
  // Measure the settled layout, not a frame of the entrance animation.
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await page.goto(site.base + '/e2e/');
  await page.getByRole('dialog').waitFor({ state: 'visible' });
  const boxes = await Promise.all((await page.getByRole('radio').all()).map((r) => r.boundingBox()));
  for (const b of boxes) {
    assert.ok(b.x >= 0 && b.x + b.width <= 360, JSON.stringify(b));
    assert.ok(b.height >= 40 && b.width >= 40, JSON.stringify(b));
  }
  const rows = new Set(boxes.map((b) => Math.round(b.y)));
  assert.equal(rows.size, 2, 'two rows');
  await page.close();
});
