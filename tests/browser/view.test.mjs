// web/src/embed/view.ts in Chromium: allowlists, keyed patching (element identity, focus and the
// textarea caret survive re-renders), and a multi-step survey with text, choice and emoji.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, waitFor, useSite } from './server.mjs';

let site;
let browser;
useSite((s, b) => {
  site = s;
  browser = b;
});

test('ViewApplier: allowlists, keyed reorder, text is text, textarea value', async () => {
  const { page, log } = await openPage(browser.context);
  await page.goto(site.base + '/quiet/');
  const out = await page.evaluate(async () => {
    const { ViewApplier } = await import('/nazar/nazar-widget.mjs');
    const host = document.createElement('div');
    document.body.appendChild(host);
    const root = host.attachShadow({ mode: 'open' });
    const refused = [];
    const v = new ViewApplier(root, (what) => refused.push(what));
    const r = {};
    v.apply({ t: 'div', k: 'root', a: { role: 'dialog', 'aria-label': 'L', title: 't' }, c: [
      { t: 'p', k: 'a', x: 'first' },
      { t: 'button', k: 'b', a: { 'data-nz-action': 'next', id: 'bb' }, x: 'Next' },
      { t: 'span', x: 'u1' },
    ] });
    const dialog = root.firstElementChild;
    const [a, b, u1] = dialog.children;
    v.apply({ t: 'div', k: 'root', a: { role: 'dialog', 'aria-label': 'L2' }, c: [
      { t: 'button', k: 'b', a: { 'data-nz-action': 'next', id: 'bb', class: 'x' }, x: 'Submit' },
      { t: 'span', x: 'u1b' },
      { t: 'p', k: 'a', x: '<img src=x onerror="window.__pwned=1">' },
      { t: 'script', x: 'window.__pwned = 2' },
      { t: 'img', a: { src: 'x' } },
      { t: 'label', a: { onclick: 'window.__pwned=3', style: 'color:red', href: 'javascript:1', 'data-nz-ok': '1', 'aria-hidden': 'true', for: 'bb' }, x: 'ok' },
      { t: 'textarea', k: 'ta', a: { id: 'ta', value: 'from core', maxlength: '9', 'data-nz-action': 'text' } },
    ] });
    r.sameDialog = root.firstElementChild === dialog;
    r.sameA = dialog.children[2] === a;
    r.sameB = dialog.children[0] === b;
    r.unkeyedReused = dialog.children[1] === u1;
    r.tags = Array.from(dialog.children).map((e) => e.localName);
    r.dialogAttrs = dialog.getAttributeNames().sort();
    r.bText = b.textContent;
    r.bClass = b.className;
    r.aText = a.textContent;
    r.aChildren = a.children.length;
    const label = dialog.querySelector('label');
    r.labelAttrs = label.getAttributeNames().sort();
    r.refused = refused.sort();
    const ta = dialog.querySelector('textarea');
    r.taValue = ta.value;
    ta.focus();
    ta.value = 'typing';
    v.apply({ t: 'div', k: 'root', a: { role: 'dialog' }, c: [
      { t: 'textarea', k: 'ta', a: { id: 'ta', value: 'stale', 'data-nz-action': 'text' } },
    ] });
    r.taKept = dialog.querySelector('textarea') === ta && ta.value === 'typing';
    r.taFocused = root.activeElement === ta;
    ta.blur();
    v.apply({ t: 'div', k: 'root', a: { role: 'dialog' }, c: [
      { t: 'textarea', k: 'ta', a: { id: 'ta', value: 'core wins when blurred', 'data-nz-action': 'text' } },
      { t: 'button', a: { id: 'f' }, x: 'F' },
    ] });
    r.taBlurredValue = ta.value;
    v.focus('f');
    r.focusedId = root.activeElement?.id;
    r.pwned = window.__pwned ?? 0;
    r.imgs = root.querySelectorAll('img, script').length;
    host.remove();
    return r;
  });
  assert.equal(out.sameDialog, true);
  assert.equal(out.sameA, true, 'keyed <p> moved, not recreated');
  assert.equal(out.sameB, true, 'keyed <button> moved, not recreated');
  assert.equal(out.unkeyedReused, true, 'unkeyed <span> patched in place');
  assert.deepEqual(out.tags, ['button', 'span', 'p', 'label', 'textarea']);
  assert.deepEqual(out.dialogAttrs, ['aria-label', 'role'], 'stale attributes removed');
  assert.equal(out.bText, 'Submit');
  assert.equal(out.bClass, 'x');
  assert.equal(out.aText, '<img src=x onerror="window.__pwned=1">');
  assert.equal(out.aChildren, 0);
  assert.deepEqual(out.labelAttrs, ['aria-hidden', 'data-nz-ok', 'for']);
  assert.deepEqual(out.refused, ['<img>', '<script>', 'href', 'onclick', 'style']);
  assert.equal(out.taValue, 'from core');
  assert.equal(out.taKept, true, 'the user\'s typing wins while focused');
  assert.equal(out.taFocused, true);
  assert.equal(out.taBlurredValue, 'core wins when blurred');
  assert.equal(out.focusedId, 'f');
  assert.equal(out.pwned, 0);
  assert.equal(out.imgs, 0);
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('a text question: focus and caret survive every keystroke; then choice and emoji steps', async () => {
  site.app.received.length = 0;
  const { page, log } = await openPage(browser.context);
  await page.goto(site.base + '/quiet/');
  await page.waitForFunction(() => window.nazar && typeof window.nazar.show === 'function');
  await page.evaluate(() => window.nazar.show('feedback'));
  const dialog = page.getByRole('dialog');
  await dialog.waitFor({ state: 'visible' });
  assert.equal(await dialog.getAttribute('data-nz-theme'), 'dark');
  assert.equal(await dialog.getAttribute('data-nz-position'), 'bottom-left');
  // A light accent gets dark text; the radius comes through.
  await page.getByRole('radio', { name: '3', exact: true }).click();
  // The colour transition ends: wait for the final colours (a widget that never gets them fails).
  const looks = () => page.getByRole('radio', { name: '3', exact: true }).evaluate((el) => {
    const s = getComputedStyle(el);
    return { bg: s.backgroundColor, color: s.color };
  });
  const want = { bg: 'rgb(255, 210, 63)', color: 'rgb(0, 0, 0)' };
  await waitFor(async () => JSON.stringify(await looks()) === JSON.stringify(want), 5000, 'the accent colours');
  assert.deepEqual(await looks(), want);

  await page.getByRole('button', { name: 'Next' }).click();
  const area = page.getByRole('textbox');
  await area.waitFor();
  const isFocused = () => page.evaluate(() => document.querySelector('nazar-survey').shadowRoot.activeElement?.localName);
  assert.equal(await isFocused(), 'textarea', 'the core moves focus to the new step');
  await page.keyboard.type('slow delivery');
  assert.equal(await area.inputValue(), 'slow delivery');
  assert.equal(await isFocused(), 'textarea');
  for (let i = 0; i < 8; i++) await page.keyboard.press('ArrowLeft');
  await page.keyboard.type('X');
  assert.equal(await area.inputValue(), 'slow Xdelivery');
  assert.equal(await area.evaluate((el) => el.selectionStart), 6, 'the caret stayed put');
  const counter = await page.locator('.nz-counter').textContent();
  assert.match(counter, /6/, 'the counter follows: ' + counter);
  await page.keyboard.type('abcdefghijk');
  assert.equal((await area.inputValue()).length, 20, 'maxlength holds');

  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('radio', { name: 'App' }).click();
  assert.equal(await page.getByRole('radio', { name: 'App' }).getAttribute('aria-checked'), 'true');
  await page.getByRole('button', { name: 'Back' }).click();
  assert.equal(await area.inputValue(), 'slow Xabcdefdelivery', 'back keeps the text');
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('button', { name: 'Next' }).click();
  const faces = page.getByRole('radio');
  assert.equal(await faces.count(), 5);
  await faces.nth(3).click();
  await page.getByRole('button', { name: 'Submit' }).click();
  await page.getByRole('status').waitFor();

  const post = await waitFor(() => site.app.received.find((r) => r.body.survey === 'feedback'), 10000, 'the POST');
  const p = post.body;
  assert.deepEqual(p.questions.nps.counts, [0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0]);
  assert.deepEqual(p.questions.channel.counts, [0, 1]);
  assert.deepEqual(p.questions.sat.counts, [0, 0, 0, 1, 0]);
  assert.ok(!JSON.stringify(p).includes('delivery'), 'free text never leaves the page');
  assert.equal(p.comments, undefined);
  assert.deepEqual(log.errors, []);
  await page.close();
});
