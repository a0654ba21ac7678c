// Style isolation both ways: aggressive host CSS does not change the widget, and the widget adds
// no styles to the document.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, useSite } from './server.mjs';

let site;
let browser;
useSite((s, b) => {
  site = s;
  browser = b;
});

const PROPS = ['color', 'background-color', 'font-size', 'font-family', 'line-height', 'padding-top',
  'border-top-width', 'border-top-color', 'border-radius', 'min-height', 'display', 'cursor'];

// Computed styles of the "9" option, the title and the dialog.
async function widgetStyles(page) {
  return page.evaluate((props) => {
    const root = document.querySelector('nazar-survey').shadowRoot;
    const pick = (el) => Object.fromEntries(props.map((p) => [p, getComputedStyle(el).getPropertyValue(p)]));
    return {
      option: pick(root.querySelector('[data-nz-value="9"]')),
      next: pick(root.querySelector('[data-nz-action="next"]')),
      title: pick(root.querySelector('h2')),
      dialog: { ...pick(root.querySelector('[role="dialog"]')), position: getComputedStyle(root.querySelector('[role="dialog"]')).position },
    };
  }, PROPS);
}

test('host CSS (* { all: unset }, button { color: red !important }) does not reach the widget', async () => {
  const { page: plain } = await openPage(browser.context);
  await plain.goto(site.base + '/e2e/');
  await plain.getByRole('dialog').waitFor({ state: 'visible' });
  const expected = await widgetStyles(plain);
  await plain.close();

  const { page, log } = await openPage(browser.context);
  await page.goto(site.base + '/style/');
  await page.waitForLoadState('load');
  const sheetsBefore = await page.evaluate(() => document.styleSheets.length);
  await page.getByRole('dialog').waitFor({ state: 'visible' });
  const got = await widgetStyles(page);
  assert.deepEqual(got, expected);
  assert.notEqual(got.option.color, 'rgb(255, 0, 0)');
  assert.equal(got.option['background-color'], 'rgb(245, 247, 249)');
  assert.equal(got.next['background-color'], 'rgb(10, 125, 90)', 'the accent from the survey');
  assert.equal(got.dialog.position, 'fixed');

  // The widget adds nothing to the document's styles; the host's button keeps the host's look.
  assert.equal(await page.evaluate(() => document.styleSheets.length), sheetsBefore);
  assert.equal(await page.evaluate(() => document.adoptedStyleSheets.length), 0);
  assert.equal(await page.evaluate(() => getComputedStyle(document.getElementById('host-button')).color), 'rgb(255, 0, 0)');
  assert.equal(await page.evaluate(() => document.querySelectorAll('style').length), 0);
  assert.deepEqual(await page.evaluate(() => window.__violations), []);
  assert.deepEqual(log.errors, []);
  await page.close();
});
