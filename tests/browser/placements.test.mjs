// Placements in Chromium (issue 9): floating corners at their place and mirrored for fa and ar
// unless the site keeps them (data-mirror="false"); the centre as a modal (focus moves in,
// Tab cycles inside, the page is inert and restored exactly, Escape closes, focus goes back);
// inline in a container (in the page's flow, no focus taken on load, taken on the visitor's
// click); a bottom sheet on a 360px phone clear of the safe area; and a keyboard-only run
// through the survey in each placement.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, waitFor } from './server.mjs';
import { LANGS, POSITIONS, usePlacementSite, pathOf, layout, focusOf } from './placement_site.mjs';

const ctx = usePlacementSite();

// A page at a placement, the survey visible and its entrance animation off (settled layout).
async function open(placement, lang, { width = 1280, height = 800 } = {}) {
  const { page, log } = await openPage(ctx.browser.context);
  await page.setViewportSize({ width, height });
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await page.goto(ctx.site.base + pathOf(placement, lang));
  await page.getByRole('dialog').waitFor({ state: 'visible' });
  return { page, log };
}

const near = (a, b, what) => assert.ok(Math.abs(a - b) <= 1, `${what}: ${a} vs ${b}`);

// The margin styles.css keeps between a floating survey and the viewport's edges.
const EDGE = 16;

for (const lang of LANGS) {
  const rtl = lang !== 'en';
  test(`corners and bottom in ${lang}: ${rtl ? 'mirrored' : 'as defined'}; the centre in the middle`, async () => {
    for (const position of POSITIONS) {
      const { page, log } = await open(position, lang);
      const box = await layout(page);
      assert.equal(box.dir, rtl ? 'rtl' : 'ltr');
      assert.equal(box.position, 'fixed', position);
      const onRight = position === 'bottom-right' ? !rtl : position === 'bottom-left' ? rtl : null;
      if (onRight === true) {
        near(box.right, box.vw - EDGE, `${position} ${lang} right edge`);
        near(box.bottom, box.vh - EDGE, `${position} ${lang} bottom edge`);
      } else if (onRight === false) {
        near(box.x, EDGE, `${position} ${lang} left edge`);
        near(box.bottom, box.vh - EDGE, `${position} ${lang} bottom edge`);
      } else if (position === 'bottom') {
        near(box.x + box.width / 2, box.vw / 2, `bottom ${lang} centred`);
        near(box.bottom, box.vh - EDGE, `bottom ${lang} bottom edge`);
      } else {
        near(box.x + box.width / 2, box.vw / 2, `center ${lang} horizontally`);
        near(box.y + box.height / 2, box.vh / 2, `center ${lang} vertically`);
        // The backdrop: the host covers the viewport.
        assert.deepEqual(box.host, { x: 0, y: 0, width: box.vw, height: box.vh });
      }
      assert.equal(box.modal, position === 'center' ? 'true' : 'false');
      // A floating survey does not take focus on load; only the modal does.
      assert.equal((await focusOf(page)).inWidget, position === 'center', `${position} ${lang} focus`);
      assert.deepEqual(log.errors, []);
      await page.close();
    }
  });
}

test('data-mirror="false": bottom-right stays on the right in fa and ar', async () => {
  for (const lang of LANGS) {
    const { page } = await open('fixed', lang);
    const box = await layout(page);
    assert.equal(box.dir, lang === 'en' ? 'ltr' : 'rtl');
    near(box.right, box.vw - EDGE, `${lang} right edge`);
    await page.close();
  }
});

// The page's top-level elements that carry `inert`, by id or tag.
const inertOnes = (page) =>
  page.evaluate(() =>
    Array.from(document.body.children)
      .filter((el) => el.hasAttribute('inert'))
      .map((el) => el.id || el.localName),
  );

// The page whose button opens the centred survey, loaded with its API ready; and the modal
// opened from that button by the keyboard, once focus has moved into it.
async function clickPage() {
  const { page, log } = await openPage(ctx.browser.context);
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await page.goto(ctx.site.base + '/pl/click/center/');
  await waitFor(() => page.evaluate(() => typeof window.nazar?.show === 'function'), 5000, 'the API');
  return { page, log };
}
async function openModal(page) {
  await page.locator('#open').focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog');
  await dialog.waitFor({ state: 'visible' });
  await waitFor(async () => (await focusOf(page)).inWidget, 3000, 'focus in the modal');
  return dialog;
}

test('centre: a modal the visitor opened; Tab cycles inside, the page is inert, Escape closes and focus returns', async () => {
  const { page, log } = await clickPage();
  assert.deepEqual(await inertOnes(page), ['already']);
  const dialog = await openModal(page);
  assert.equal(await dialog.getAttribute('aria-modal'), 'true');

  // Focus moved in, on the NPS group's tab stop.
  assert.deepEqual(await focusOf(page), { inWidget: true, id: 'nz-nps-0', tag: 'button', role: 'radio', value: '0', action: 'select' });
  // Everything else on the page is inert (main and the page's own scripts), the aside as before.
  assert.deepEqual((await inertOnes(page)).sort(), ['already', 'main', 'script'].sort());
  // Something the page adds while the modal is open is inert too.
  await page.evaluate(() => {
    const toast = document.createElement('div');
    toast.id = 'toast';
    document.body.appendChild(toast);
  });
  await waitFor(async () => (await inertOnes(page)).includes('toast'), 3000, 'the added element inert');

  // Tab stops: the close button, the radio group's stop, Next (Submit); Tab wraps to the first.
  const stops = [];
  for (let i = 0; i < 7; i++) {
    await page.keyboard.press('Tab');
    const f = await focusOf(page);
    assert.ok(f.inWidget, `Tab ${i + 1} stayed in the modal: ${JSON.stringify(f)}`);
    stops.push(f.id || f.action);
  }
  assert.deepEqual(stops, ['next', 'nz-close', 'nz-nps-0', 'next', 'nz-close', 'nz-nps-0', 'next']);
  const back = [];
  for (let i = 0; i < 4; i++) {
    await page.keyboard.press('Shift+Tab');
    const f = await focusOf(page);
    assert.ok(f.inWidget, `Shift+Tab ${i + 1} stayed in the modal`);
    back.push(f.id || f.action);
  }
  assert.deepEqual(back, ['nz-nps-0', 'nz-close', 'next', 'nz-nps-0']);

  await page.keyboard.press('Escape');
  await waitFor(() => page.evaluate(() => !document.querySelector('nazar-survey')), 3000, 'Escape to close');
  // Exactly what was inert before; the toast (added while open) is no longer inert either.
  assert.deepEqual(await inertOnes(page), ['already']);
  assert.deepEqual(await focusOf(page), { inWidget: false, id: 'open', tag: 'button', role: null, value: null, action: null });
  assert.deepEqual(log.errors, []);
  await page.close();
});

// The backdrop is the host element itself, outside the shadow root that listens for keys: a
// click on it must not take focus out of the modal (to the body, where Escape goes unheard and
// a later close would not know to return focus).
test('centre: a click on the backdrop keeps focus in the modal; Escape then closes and focus returns', async () => {
  const { page, log } = await clickPage();
  const dialog = await openModal(page);
  // Move focus on to Next first: the click must leave it there, not send it back to the start.
  await page.keyboard.press('Tab');
  const before = await focusOf(page);
  assert.equal(before.action, 'next');
  // A corner of the viewport: the backdrop, well clear of the centred dialog.
  await page.mouse.click(4, 4);
  assert.deepEqual(await focusOf(page), before, 'focus after a click on the backdrop');
  // A click on the question's text, not a control: focus stays where it was too.
  await dialog.locator('#nz-title').click();
  assert.deepEqual(await focusOf(page), before, 'focus after a click on the question text');
  await page.keyboard.press('Escape');
  await waitFor(() => page.evaluate(() => !document.querySelector('nazar-survey')), 3000, 'Escape to close');
  assert.deepEqual(await focusOf(page), { inWidget: false, id: 'open', tag: 'button', role: null, value: null, action: null });
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('inline: in the container, in the page flow, no focus taken on load', async () => {
  for (const lang of LANGS) {
    const { page, log } = await open('inline', lang);
    const box = await layout(page);
    const around = await page.evaluate(() => {
      const slot = document.getElementById('slot').getBoundingClientRect();
      const after = document.getElementById('after').getBoundingClientRect();
      return { slot: { x: slot.x, width: slot.width, y: slot.y, bottom: slot.bottom }, afterY: after.y,
        parent: document.querySelector('nazar-survey').parentElement.id };
    });
    assert.equal(around.parent, 'slot');
    assert.equal(box.placement, 'inline');
    assert.notEqual(box.position, 'fixed');
    // It fills its container, neither shifted nor floating: the definition's bottom-right does
    // not apply, and the page's next paragraph comes after it.
    near(box.x, around.slot.x, `${lang} left edge`);
    near(box.width, around.slot.width, `${lang} width`);
    near(box.y, around.slot.y, `${lang} top`);
    near(box.bottom, around.slot.bottom, `${lang} the container holds it`);
    assert.ok(around.afterY >= box.bottom, `${lang}: the page flows after it`);
    assert.equal(box.modal, 'false');
    assert.deepEqual(await inertOnes(page), ['already'], 'nothing made inert');
    assert.equal((await focusOf(page)).inWidget, false, 'no focus taken on load');
    // It scrolls with the page.
    await page.evaluate(() => {
      document.body.style.setProperty('min-height', '3000px');
      window.scrollTo(0, 100);
    });
    const scrolled = await layout(page);
    near(scrolled.y, box.y - 100, `${lang} scrolls with the page`);
    assert.deepEqual(log.errors, []);
    await page.close();
  }
});

test("inline and floating, shown by the visitor's click: focus moves into the survey", async () => {
  for (const where of ['inline', 'bottom-left']) {
    const { page } = await openPage(ctx.browser.context);
    await page.goto(`${ctx.site.base}/pl/click/${where}/`);
    await waitFor(() => page.evaluate(() => typeof window.nazar?.show === 'function'), 5000, 'the API');
    await page.locator('#open').click();
    await page.getByRole('dialog').waitFor({ state: 'visible' });
    await waitFor(async () => (await focusOf(page)).inWidget, 3000, `${where}: focus in the survey`);
    assert.equal((await focusOf(page)).id, 'nz-nps-0');
    assert.equal((await layout(page)).placement, where);
    await page.close();
  }
});

test('a 360px phone: floating placements are a bottom sheet, full width, above the safe area', async () => {
  for (const lang of ['en', 'fa']) {
    for (const position of ['bottom-right', 'bottom-left', 'bottom']) {
      const { page } = await open(position, lang, { width: 360, height: 740 });
      let box = await layout(page);
      assert.equal(box.vw, 360);
      near(box.x, 0, `${position} ${lang} left`);
      near(box.width, 360, `${position} ${lang} width`);
      near(box.bottom, 740, `${position} ${lang} anchored to the bottom`);
      // A phone's home indicator (34px on many): the content stays above it.
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Emulation.setSafeAreaInsetsOverride', { insets: { bottom: 34 } });
      const lastBottom = () =>
        page.evaluate(() => {
          const root = document.querySelector('nazar-survey').shadowRoot.querySelector('.nz-root');
          return root.querySelector('.nz-actions').getBoundingClientRect().bottom;
        });
      await waitFor(async () => (await lastBottom()) <= 740 - 34 - 16 + 1, 3000, `${position} ${lang} clear of the inset`);
      box = await layout(page);
      near(box.bottom, 740, `${position} ${lang} still anchored`);
      await cdp.detach();
      await page.close();
    }
  }
  // The centre stays a centred dialog on a phone, with margins.
  const { page } = await open('center', 'en', { width: 360, height: 740 });
  const box = await layout(page);
  near(box.x, EDGE, 'center on a phone: left margin');
  near(box.right, 360 - EDGE, 'center on a phone: right margin');
  near(box.y + box.height / 2, 370, 'center on a phone: vertically centred');
  await page.close();
});

// Tab from wherever focus is until it reaches an element matching `want` (at most 12 presses).
async function tabTo(page, want, what) {
  for (let i = 0; i < 12; i++) {
    const f = await focusOf(page);
    if (f.inWidget && want(f)) return f;
    await page.keyboard.press('Tab');
  }
  throw new Error('Tab never reached ' + what);
}

for (const [placement, lang] of [
  ['bottom-right', 'en'],
  ['bottom-left', 'en'],
  ['bottom', 'en'],
  ['center', 'en'],
  ['inline', 'en'],
  ['center', 'ar'],
  ['inline', 'fa'],
]) {
  test(`keyboard only, ${placement} in ${lang}: NPS, choice, submit, thank-you, Escape`, async () => {
    ctx.site.app.received.length = 0;
    const { page, log } = await open(placement, lang);
    const id = placement === 'inline' ? 'pl-bottom-right' : 'pl-' + placement;
    await tabTo(page, (f) => f.role === 'radio', 'the NPS group');
    await page.keyboard.press('Space');
    await page.keyboard.press('End'); // 10, whatever the direction
    await tabTo(page, (f) => f.action === 'next', 'Next');
    await page.keyboard.press('Enter');
    // The next step: the choice; the core moves focus to its first option.
    await waitFor(async () => (await focusOf(page)).value === 'web', 3000, 'focus on the choice');
    await page.keyboard.press('ArrowDown'); // the second option, "app": selection follows focus
    await tabTo(page, (f) => f.action === 'next', 'Submit');
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: /\S/ }).waitFor({ state: 'visible' });
    const post = await waitFor(
      () => ctx.site.app.received.find((r) => r.body.survey === id && r.body.completions === 1),
      10000,
      'the POST',
    );
    assert.equal(post.body.locale, lang);
    assert.equal(post.body.questions.nps.counts[10], 1);
    assert.deepEqual(post.body.questions.channel.counts, [0, 1]);
    await page.keyboard.press('Escape');
    await waitFor(() => page.evaluate(() => !document.querySelector('nazar-survey')), 3000, 'Escape to close');
    assert.deepEqual(await inertOnes(page), ['already']);
    assert.deepEqual(log.errors, []);
    await page.close();
  });
}
