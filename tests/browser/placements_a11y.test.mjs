// Every placement (bottom-right, bottom-left, bottom, centre modal, inline) in en, fa and ar,
// light and dark: axe-core inside the widget's shadow root finds no violation, and no CSP
// violation happens. Screenshots of each at desktop and phone widths go to
// $NAZAR_SCREENSHOT_DIR (default build/screenshots/), as placement-<placement>-<lang>-<width>.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { openPage, ROOT } from './server.mjs';
import { LANGS, POSITIONS, usePlacementSite, pathOf } from './placement_site.mjs';

const axeSource = fs.readFileSync(createRequire(path.join(ROOT, 'web/package.json')).resolve('axe-core/axe.min.js'), 'utf8');
const SHOTS = process.env.NAZAR_SCREENSHOT_DIR || path.join(ROOT, 'build/screenshots');

const ctx = usePlacementSite();

for (const placement of [...POSITIONS, 'inline']) {
  test(`${placement}: no axe violation in en, fa and ar, light and dark; screenshots`, async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    for (const lang of LANGS) {
      const { page, log } = await openPage(ctx.browser.context);
      await page.emulateMedia({ reducedMotion: 'reduce' });
      await page.goto(ctx.site.base + pathOf(placement, lang));
      const dialog = page.getByRole('dialog');
      await dialog.waitFor({ state: 'visible' });
      assert.equal(await dialog.getAttribute('lang'), lang);
      await page.evaluate(axeSource);
      for (const colorScheme of ['light', 'dark']) {
        await page.emulateMedia({ colorScheme });
        const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
        assert.deepEqual(
          result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join('; ')}`),
          [],
          `${placement} ${lang} ${colorScheme}`,
        );
        // axe-core looked inside the widget's shadow root (its targets there are [host, selector]).
        assert.ok(
          result.passes.some((r) => r.nodes.some((n) => n.target[0]?.[0] === 'nazar-survey')),
          'axe saw the widget',
        );
      }
      await page.emulateMedia({ colorScheme: 'light' });
      for (const [width, height] of [[1280, 800], [360, 740]]) {
        await page.setViewportSize({ width, height });
        await page.screenshot({ path: path.join(SHOTS, `placement-${placement}-${lang}-${width}.png`) });
      }
      assert.deepEqual(await page.evaluate(() => window.__violations), [], 'no CSP violation');
      assert.deepEqual(log.errors, []);
      await page.close();
    }
  });
}
