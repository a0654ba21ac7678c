// No request of the widget carries a cookie or the page's URL (DESIGN.md Contract 3), whatever
// the host page allows. The host page is served with `Referrer-Policy: unsafe-url` (its full
// URL to every origin) from http://127.0.0.1:PORT; the widget, surveys and endpoint live on
// another origin of the same site, http://127.0.0.1:PORT2 (a collector on a sibling host), which
// holds a cookie (cookies ignore ports). A control request from the page shows that this setup
// does leak both when nothing prevents it. (A cookie on http://localhost, another site, is not
// sent cross-site by this Chromium at all, so it could not show a leak.)
import { test, after } from 'node:test';
import http from 'node:http';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { openPage, waitFor, useSite, readOutbox } from './server.mjs';

let site;
let browser;
let other; // the widget's origin
let otherPort;
// The same server on a second port: the widget's origin.
const second = http.createServer((req, res) => site.app.server.emit('request', req, res));
after(() => {
  second.closeAllConnections?.();
  return new Promise((r) => second.close(() => r()));
});
useSite(
  async (s, b) => {
    site = s;
    browser = b;
    await new Promise((r) => second.listen(0, '127.0.0.1', r));
    otherPort = second.address().port;
    other = `http://127.0.0.1:${otherPort}`;
    const page = (body) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Order 1042</title></head>
<body><h1>Thank you for your order</h1>
${body}
</body></html>
`;
    fs.mkdirSync(path.join(site.dir, 'privacy'), { recursive: true });
    // The embed snippet of the README, with every URL on the other origin.
    fs.writeFileSync(path.join(site.dir, 'privacy/index.html'), page(
      `<script src="${other}/nazar/nazar.js" data-surveys="${other}/surveys.json"
        data-endpoint="${other}/v1/aggregates" data-track="checkout_completed"
        referrerpolicy="no-referrer" async></script>`));
    fs.writeFileSync(path.join(site.dir, 'privacy/away.html'), page('<p>Somewhere else, no widget.</p>'));
    // A survey that waits for a dwell: the widget module imports the observers' module.
    fs.writeFileSync(path.join(site.dir, 'privacy/dwell-surveys.json'), JSON.stringify({
      nazar: 1,
      surveys: [{ id: 'dwell', version: '1', trigger: { on: 'dwell', seconds: 600, url: { include: ['/privacy/dwell*'] } },
        questions: [{ id: 'nps', type: 'nps', text: { en: 'Would you recommend us?' } }] }],
    }));
    fs.writeFileSync(path.join(site.dir, 'privacy/dwell.html'), page(
      `<script src="${other}/nazar/nazar.js" data-surveys="${other}/privacy/dwell-surveys.json"
        data-endpoint="${other}/v1/aggregates" referrerpolicy="no-referrer" async></script>`));
    // The snippet without its referrerpolicy attribute.
    fs.writeFileSync(path.join(site.dir, 'privacy/bare.html'), page(
      `<script src="${other}/nazar/nazar.js" data-surveys="${other}/surveys.json"
        data-endpoint="${other}/v1/aggregates" data-track="checkout_completed" async></script>`));
  },
  {
    referrerPolicy: 'unsafe-url',
    csp: (pathname) => {
      if (!pathname.startsWith('/privacy/')) return undefined;
      const o = `http://127.0.0.1:${otherPort}`;
      return `default-src 'self'; script-src 'self' ${o} 'wasm-unsafe-eval'; style-src 'self'; ` +
        `connect-src 'self' ${o}; require-trusted-types-for 'script'`;
    },
  },
);

const SECRET_PATH = '/privacy/?order=1042&email=buyer%40example.com';

test('the observers\' module, which the widget module imports, carries no page URL or cookie either', async () => {
  await browser.context.addCookies([
    { name: 'collector_session', value: 'c00k1e', domain: '127.0.0.1', path: '/', sameSite: 'Lax' },
  ]);
  site.app.requests.length = 0;
  const { page, log } = await openPage(browser.context);
  await page.goto(site.base + '/privacy/dwell.html');
  const r = await waitFor(() => site.app.requests.find((q) => q.path === '/nazar/nazar-triggers.mjs'), 10000,
    'the observers\' module');
  assert.equal(r.host, `127.0.0.1:${otherPort}`);
  assert.equal(r.referer, null);
  assert.equal(r.cookie, null);
  assert.deepEqual(log.pageErrors, []);
  await page.close();
});

test('no widget request carries the page URL or a cookie, including the send made while hiding', async () => {
  await browser.context.addCookies([
    { name: 'collector_session', value: 'c00k1e', domain: '127.0.0.1', path: '/', sameSite: 'Lax' },
  ]);
  site.app.requests.length = 0;
  site.app.received.length = 0;
  site.app.state.aggregateStatus = 503; // the first POST fails, so one is left for the hide
  const { page, log } = await openPage(browser.context);
  await page.goto(site.base + SECRET_PATH);
  const dialog = page.getByRole('dialog');
  await dialog.waitFor({ state: 'visible', timeout: 10000 });
  await page.getByRole('radio', { name: '8', exact: true }).click();
  await page.getByRole('button', { name: 'Submit' }).click();
  const failed = await waitFor(() => site.app.received.find((r) => r.status === 503), 10000, 'the first POST');
  const batch = failed.body.batch;
  await waitFor(async () => (await readOutbox(page)).some((r) => r.id === batch && r.attempts === 1), 5000, 'the failure recorded');

  // Control: a plain credentialed request from this page to the other origin carries both, so
  // the assertions below can fail.
  await page.evaluate((url) => fetch(url, { method: 'POST', body: 'x', credentials: 'include', mode: 'no-cors' }), other + '/v1/_probe');
  const probe = await waitFor(() => site.app.requests.find((r) => r.path === '/v1/_probe'), 5000, 'the control request');
  assert.equal(probe.cookie, 'collector_session=c00k1e', 'the setup sends the cookie to a request that allows it');
  assert.equal(probe.referer, site.base + SECRET_PATH, 'the setup sends the full URL to a request that allows it');

  // Leave while the payload is still undelivered: the page being hidden sends it (keepalive).
  site.app.state.aggregateStatus = 204;
  const hideStarted = Date.now();
  await page.goto(site.base + '/privacy/away.html');
  const hidden = await waitFor(() => site.app.received.find((r) => r.status === 204 && r.body.batch === batch), 10000, 'the POST made while hiding');
  assert.ok(hidden.at >= hideStarted);

  const mine = site.app.requests.filter((r) => r.host === `127.0.0.1:${otherPort}` && r.path !== '/v1/_probe');
  const paths = mine.map((r) => `${r.method} ${r.path}`);
  const leaks = [];
  for (const r of mine) {
    const what = `${r.method} ${r.path}`;
    // nazar.js is the host page's own <script> request (no-cors, so it carries cookies unless the
    // snippet adds crossorigin="anonymous"); everything after it is the widget's.
    if (r.cookie !== null && r.path !== '/nazar/nazar.js') leaks.push(`${what}: Cookie ${r.cookie}`);
    if (r.referer !== null) leaks.push(`${what}: Referer ${r.referer}`);
  }
  assert.deepEqual(leaks, []);
  // Every kind of request was seen, so the check above covered each.
  for (const want of ['GET /nazar/nazar.js', 'GET /surveys.json', 'GET /nazar/nazar-widget.mjs',
    'GET /nazar/nazar-outbox.mjs', 'GET /nazar/nazar-core.wasm', 'GET /nazar/nazar-core-rest.wasm']) {
    assert.ok(paths.includes(want), `${want} was requested (saw ${paths.join(', ')})`);
  }
  assert.ok(paths.filter((p) => p === 'POST /v1/aggregates').length >= 2, 'both POSTs were seen: ' + paths.join(', '));
  assert.deepEqual(log.pageErrors, []);
  await page.close();
});

test('without referrerpolicy on the snippet only the host page\'s own <script> request carries its URL', async () => {
  site.app.requests.length = 0;
  site.app.state.aggregateStatus = 204;
  const { page } = await openPage(browser.context);
  const url = site.base + '/privacy/bare.html?order=1042';
  await page.goto(url);
  await page.getByRole('dialog').waitFor({ state: 'visible', timeout: 10000 });
  await page.getByRole('radio', { name: '9', exact: true }).click();
  await page.getByRole('button', { name: 'Submit' }).click();
  await waitFor(() => site.app.requests.some((r) => r.method === 'POST' && r.path === '/v1/aggregates'), 10000, 'the POST');
  const mine = site.app.requests.filter((r) => r.host === `127.0.0.1:${otherPort}`);
  // The page's policy (unsafe-url) applies to its <script src>: this is why the snippet carries
  // referrerpolicy="no-referrer".
  assert.equal(mine.find((r) => r.path === '/nazar/nazar.js')?.referer, url);
  // Module imports and every fetch of the widget never carry the page's URL (an import may name
  // the importing module, which says nothing about the page).
  const leaks = mine.filter((r) => r.path !== '/nazar/nazar.js' && r.referer && r.referer.startsWith(site.base));
  assert.deepEqual(leaks, []);
  for (const p of ['/nazar/nazar-widget.mjs', '/nazar/nazar-outbox.mjs', '/surveys.json',
    '/nazar/nazar-core.wasm', '/nazar/nazar-core-rest.wasm', '/v1/aggregates']) {
    assert.ok(mine.some((r) => r.path === p), p + ' was requested');
  }
  await page.close();
});
