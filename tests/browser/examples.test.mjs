// The examples as a person runs them (scripts/serve.mjs's demo layout): the demo shop's English
// and Persian thank-you pages and the plain embed page show the survey and deliver a payload.
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
    ],
  });
  base = await app.listen(0);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await app?.close();
});

for (const [where, radio, locale] of [
  ['/checkout/thank-you/', '9', 'en'],
  ['/fa/checkout/thank-you/', '۹', 'fa'],
  ['/embed/', '9', 'en'],
]) {
  test(`example ${where}: the survey shows and its answer arrives`, async () => {
    const { page, log } = await openPage(browser.context);
    await page.goto(base + where);
    await page.getByRole('dialog').waitFor({ state: 'visible', timeout: 15000 });
    await page.getByRole('radio', { name: radio, exact: true }).click();
    // Submitted with Enter (a selection alone would be a skip), then the next question (CES,
    // 7 points) is dismissed: the display, the NPS answer and the dismissal arrive.
    await page.keyboard.press('Enter');
    await waitFor(async () => (await page.getByRole('radio').count()) === 7, 10000, 'the next question');
    await page.keyboard.press('Escape');
    const post = await waitFor(
      () => app.received.find((r) => r.body.locale === locale && r.body.questions?.nps?.counts?.[9] === 1
        && !r.seen && (r.seen = true)),
      10000, 'the POST');
    assert.equal(post.body.dismissals, 1);
    assert.deepEqual(log.errors, []);
    await page.close();
  });
}
