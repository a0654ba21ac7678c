// The examples as a person runs them (scripts/serve.mjs's demo layout): the demo shop's English,
// Persian and Arabic thank-you pages and the plain embed page show the survey and deliver a payload.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { createServer } from '../../scripts/serve.mjs';
import { ROOT, DIST, launch, openPage, waitFor } from './server.mjs';

let app;
let base;
let browser;
before(async () => {
  app = createServer({
    mounts: [
      { prefix: '/', dir: path.join(ROOT, 'examples/demo-shop') },
      { prefix: '/nazar/', dir: DIST },
      { prefix: '/embed/', dir: path.join(ROOT, 'examples/embed') },
      { prefix: '/kiosk/', dir: path.join(ROOT, 'examples/kiosk') },
    ],
    surveysFile: path.join(ROOT, 'examples/demo-shop/surveys.json'),
  });
  base = await app.listen(0);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await app?.close();
});

// The demo shop's survey has more questions (the next one is a 7-point CES, then dismissed);
// the embed example's has one (Next completes it).
for (const [where, radio, locale, questions] of [
  ['/checkout/thank-you/', '9', 'en', 5],
  ['/fa/checkout/thank-you/', '۹', 'fa', 5],
  ['/ar/checkout/thank-you/', '٩', 'ar', 5],
  ['/embed/', '9', 'en', 1],
]) {
  test(`example ${where}: the survey shows and its answer arrives`, async () => {
    const { page, log } = await openPage(browser.context);
    await page.goto(base + where);
    await page.getByRole('dialog').waitFor({ state: 'visible', timeout: 15000 });
    await page.getByRole('radio', { name: radio, exact: true }).click();
    // Submitted with Next (a selection alone would be a skip), then the survey is closed: the
    // display, the NPS answer and the dismissal (or, with one question, the completion) arrive.
    await page.locator('[data-nz-action="next"]').click();
    if (questions > 1) {
      await waitFor(async () => (await page.getByRole('radio').count()) === 7, 10000, 'the next question');
    } else {
      await page.getByRole('status').getByText('Thank you', { exact: false }).waitFor({ state: 'visible' });
    }
    await page.keyboard.press('Escape');
    const post = await waitFor(
      () => app.received.find((r) => r.body.locale === locale && r.body.questions?.nps?.counts?.[9] === 1
        && !r.seen && (r.seen = true)),
      10000, 'the POST');
    assert.equal(post.body.dismissals, questions > 1 ? 1 : 0);
    assert.equal(post.body.completions, questions > 1 ? 0 : 1);
    assert.deepEqual(log.errors, []);
    await page.close();
  });
}

test('example /kiosk/: inline, a round is kept on the device and the survey starts again', async () => {
  const { page, log } = await openPage(browser.context);
  await page.clock.install();
  await page.goto(base + '/kiosk/');
  const survey = page.locator('#survey nazar-survey');
  await survey.getByRole('dialog').waitFor({ state: 'visible', timeout: 15000 });
  await page.clock.pauseAt(Date.now() + 1000);
  const posts = app.received.length;
  await survey.getByRole('radio', { name: '8', exact: true }).click();
  await survey.locator('[data-nz-action="next"]').click();
  await survey.locator('[data-nz-action="skip"]').click();
  await survey.getByRole('radio', { name: 'To pick up an order' }).click();
  await survey.locator('[data-nz-action="next"]').click();
  await survey.getByRole('status').getByText('Thank you', { exact: false }).waitFor({ state: 'visible' });
  await waitFor(async () => (await survey.locator('#nz-unsent').textContent()) === 'Unsent answers: 1', 5000, 'the count');
  await page.clock.runFor(4000);
  assert.equal(await survey.getByRole('radio').count(), 11, 'the next customer starts at the first question');
  assert.equal(app.received.length, posts, 'kept until 20 responses or 15 minutes');
  assert.deepEqual(log.errors, []);
  await page.close();
});
