// Languages (issue 9, item 4): a language added by the definition's "strings" (Italian, not built
// in) speaks in the widget, with English for what it leaves out; Arabic pages get Arabic-Indic
// digits and right to left.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, page as sitePage, useSite } from './server.mjs';

const SURVEY = {
  nazar: 1, id: 'lang', version: '1', default_locale: 'en', trigger: { on: 'event', event: 'checkout_completed', max_displays: 0 },
  questions: [
    { id: 'nps', type: 'nps', text: { en: 'How likely are you to recommend us?', ar: 'ما مدى احتمال أن توصي بنا؟' } },
    { id: 'why', type: 'text', max_length: 40, text: { en: 'Why?', it: 'Perché?' } },
  ],
  // Italian UI strings; "skip" is left out (English), "characters_left" reorders nothing.
  strings: { it: { next: 'Avanti', submit: 'Invia', back: 'Indietro', close: 'Chiudi il sondaggio',
    question_of: 'Domanda {1} di {2}', characters_left: 'Caratteri rimasti: {1}', thank_you: 'Grazie!' } },
};
const PAGES = {
  'lang/surveys.json': JSON.stringify(SURVEY),
  'lang/it/index.html': sitePage({ lang: 'it', attrs: 'data-track="checkout_completed"', surveys: '/lang/surveys.json' }),
  'lang/ar/index.html': sitePage({ lang: 'ar', attrs: 'data-track="checkout_completed"', surveys: '/lang/surveys.json' }),
};

let site;
let browser;
useSite((s, b) => {
  site = s;
  browser = b;
}, { pages: PAGES });

test('Italian from the definition\'s "strings": its words, English for what it leaves out', async () => {
  const { page, log } = await openPage(browser.context);
  await page.goto(site.base + '/lang/it/');
  const dialog = page.getByRole('dialog');
  await dialog.waitFor({ state: 'visible', timeout: 10000 });
  assert.equal(await dialog.getAttribute('lang'), 'it');
  assert.equal(await dialog.getAttribute('dir'), 'ltr');
  assert.equal(await page.locator('nazar-survey').locator('.nz-progress').textContent(), 'Domanda 1 di 2');
  assert.equal(await page.getByRole('button', { name: 'Chiudi il sondaggio' }).count(), 1);
  await page.getByRole('radio', { name: '3', exact: true }).click();
  await page.getByRole('button', { name: 'Avanti' }).click();
  await page.getByRole('heading', { name: 'Perché?' }).waitFor();
  assert.equal(await page.locator('nazar-survey').locator('.nz-counter').textContent(), 'Caratteri rimasti: 40');
  assert.equal(await page.getByRole('button', { name: 'Skip', exact: true }).count(), 1, 'left out: English');
  assert.equal(await page.getByRole('button', { name: 'Indietro' }).count(), 1);
  await page.getByRole('button', { name: 'Invia' }).click();
  // The survey's own thank-you text is absent: the Italian UI string.
  await page.getByRole('status').getByText('Grazie!').waitFor();
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('an Arabic page: right to left, Arabic-Indic digits in the scale and the progress', async () => {
  const { page, log } = await openPage(browser.context);
  await page.goto(site.base + '/lang/ar/');
  const dialog = page.getByRole('dialog');
  await dialog.waitFor({ state: 'visible', timeout: 10000 });
  assert.equal(await dialog.getAttribute('dir'), 'rtl');
  assert.equal(await dialog.getAttribute('lang'), 'ar');
  const digits = await page.locator('nazar-survey').locator('.nz-option').allTextContents();
  assert.deepEqual(digits, ['٠', '١', '٢', '٣', '٤', '٥', '٦', '٧', '٨', '٩', '١٠']);
  assert.equal(await page.locator('nazar-survey').locator('.nz-progress').textContent(), 'السؤال ١ من ٢');
  assert.equal(await page.getByRole('button', { name: 'التالي' }).count(), 1);
  assert.deepEqual(log.errors, []);
  await page.close();
});
