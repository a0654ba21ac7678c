// Shared by the browser tests: a throw-away site (test pages + surveys.json) served next to
// web/dist by scripts/serve.mjs, and a fresh headless Chromium profile.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { before, after } from 'node:test';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { createServer, STRICT_CSP } from '../../scripts/serve.mjs';
import { CHROMIUM_ARGS } from './chromium.mjs';

export const ROOT = process.env.NAZAR_SOURCE_DIR || path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const DIST = process.env.NAZAR_WEB_DIST_DIR || path.join(ROOT, 'web/dist');
const { chromium } = createRequire(path.join(ROOT, 'web/package.json'))('playwright-core');

// The CSP every test page gets (DESIGN.md non-negotiables), and one that forbids WebAssembly.
export const TEST_CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; connect-src 'self'; " +
  "require-trusted-types-for 'script'";
export const NO_WASM_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; require-trusted-types-for 'script'";

// The test survey: NPS, then the thank-you. Persian texts for the RTL test.
export const SURVEY = {
  nazar: 1,
  surveys: [
    {
      nazar: 1,
      id: 'post-checkout',
      version: '2026-11-01',
      default_locale: 'en',
      trigger: { on: 'event', event: 'checkout_completed', delay_ms: 0, max_displays: 0 },
      questions: [
        {
          id: 'nps',
          type: 'nps',
          text: { en: 'How likely are you to recommend us to a friend?', fa: 'چقدر احتمال دارد ما را به دوستانتان پیشنهاد کنید؟' },
          labels: { min: { en: 'Not at all likely', fa: 'اصلاً' }, max: { en: 'Extremely likely', fa: 'خیلی زیاد' } },
        },
      ],
      thank_you: { text: { en: 'Thank you!', fa: 'سپاسگزاریم!' } },
      appearance: { position: 'bottom-right', accent: '#0a7d5a', radius: 12, theme: 'light' },
      privacy: { comments: 'drop', local_dp_epsilon: null },
    },
    {
      nazar: 1,
      id: 'feedback',
      version: '3',
      trigger: { on: 'manual' },
      questions: [
        { id: 'nps', type: 'nps', text: { en: 'How likely are you to recommend us?' } },
        { id: 'why', type: 'text', max_length: 20, text: { en: 'What is the main reason for your score?' },
          show_if: { question: 'nps', max: 6 } },
        { id: 'channel', type: 'choice', text: { en: 'Where did you order?' },
          options: [{ id: 'web', text: { en: 'Website' } }, { id: 'app', text: { en: 'App' } }] },
        { id: 'sat', type: 'csat', scale: 5, style: 'emoji', text: { en: 'How satisfied are you?' } },
      ],
      appearance: { position: 'bottom-left', accent: '#ffd23f', radius: 4, theme: 'dark' },
    },
  ],
};

// `main`: the host page's own content in a landmark, so that axe-core judges the widget alone.
export function page({ lang = 'en', attrs = '', head = '', body = '', surveys = '/surveys.json', main = false } = {}) {
  return `<!doctype html>
<html lang="${lang}">
<head><meta charset="utf-8"><title>Thank you for your order</title>${head}</head>
<body>
${main ? '<main>' : ''}<h1>Thank you for your order</h1>
<p>Order #1042 is on its way.</p>${main ? '</main>' : ''}
${body}
<script src="/nazar/nazar.js" data-surveys="${surveys}" data-endpoint="/v1/aggregates" ${attrs} referrerpolicy="no-referrer" async></script>
</body>
</html>
`;
}

// Test pages by folder. Every script and style is external: the CSP allows nothing inline.
const PAGES = {
  'e2e/index.html': page({ attrs: 'data-track="checkout_completed"' }),
  'quiet/index.html': page({ attrs: 'data-track="newsletter_signup" data-debug' }),
  'rtl/index.html': page({ attrs: 'data-track="checkout_completed" data-locale="fa"' }),
  'no-wasm/index.html': page({
    head: '<script src="/no-wasm/listen.js"></script>',
    attrs: 'data-track="checkout_completed" data-debug',
  }),
  'no-wasm/listen.js': `window.__nazarErrors = [];
window.nazar = [['on', 'error', function (e) { window.__nazarErrors.push(e); }]];
`,
  'style/index.html': page({
    head: '<link rel="stylesheet" href="/style/aggressive.css">',
    attrs: 'data-track="checkout_completed"',
    body: '<button id="host-button" type="button">Host button</button>',
  }),
  'style/aggressive.css': `* { all: unset; }
button { color: red !important; background: yellow !important; font-size: 30px !important; }
div, p, span { font-family: serif !important; line-height: 3 !important; }
`,
  'surveys.json': JSON.stringify(SURVEY, null, 2),
  // The core's targeting rules at work: one display per visitor, only under /once/thanks/.
  'once/thanks/index.html': page({ attrs: 'data-track="checkout_completed" data-debug', surveys: '/once/surveys.json' }),
  'once/cart/index.html': page({ attrs: 'data-track="checkout_completed" data-debug', surveys: '/once/surveys.json' }),
  'once/surveys.json': JSON.stringify({
    ...SURVEY,
    surveys: SURVEY.surveys.map((s) =>
      s.trigger.on === 'event'
        ? { ...s, id: 'once', trigger: { ...s.trigger, max_displays: 1, url: { include: ['/once/thanks/*'] } } }
        : s,
    ),
  }),
  'favicon.ico': '', // no 404 line in the console
};

// Registers before/after hooks for a test file: the test site and a fresh Chromium, handed to
// `ready(site, browser)` once started and closed after the file's tests. `siteOptions` go to
// startSite (extra `pages`, `referrerPolicy`, `csp`).
export function useSite(ready, siteOptions) {
  let site;
  let browser;
  before(async () => {
    site = await startSite(siteOptions);
    browser = await launch();
    await ready(site, browser);
  });
  after(async () => {
    await browser?.close();
    await site?.close();
  });
}

// Starts the server on a free port. Returns {base, port, dir, app (createServer result), close}.
// `pages` adds files (path -> text) to the site. Pages are served with the host page's worst
// case, `Referrer-Policy: unsafe-url` (full URL to every origin), unless `referrerPolicy` says
// otherwise: the widget, not the test server, must keep the page's URL to itself.
// `csp(pathname)` may override the CSP of some paths.
export async function startSite({ pages: extra = {}, referrerPolicy = 'unsafe-url', csp } = {}) {
  if (!fs.existsSync(path.join(DIST, 'nazar.js')) || !fs.existsSync(path.join(DIST, 'nazar-core.wasm'))) {
    throw new Error(`${DIST} lacks nazar.js or nazar-core.wasm: run node web/build.mjs after the wasm-release build`);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nazar-site-'));
  for (const [name, text] of Object.entries({ ...PAGES, ...extra })) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  const app = createServer({
    mounts: [
      { prefix: '/', dir },
      { prefix: '/nazar/', dir: DIST },
    ],
    csp: (pathname) => csp?.(pathname, app) ?? (pathname.startsWith('/no-wasm/') ? NO_WASM_CSP : TEST_CSP),
    referrerPolicy,
  });
  const base = await app.listen(0);
  return {
    base,
    port: Number(new URL(base).port),
    dir,
    app,
    close: async () => {
      await app.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

// A fresh persistent Chromium profile (TOOLCHAIN.md "Browsers").
export async function launch() {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'nazar-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.NAZAR_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 800 },
    locale: 'en-US',
  });
  // Collects CSP violations and uncaught errors before any page script runs.
  await context.addInitScript(() => {
    window.__violations = [];
    window.__uncaught = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`);
    });
    window.addEventListener('error', (e) => window.__uncaught.push(String(e.message)));
    window.addEventListener('unhandledrejection', (e) => window.__uncaught.push(String(e.reason)));
  });
  return {
    context,
    close: async () => {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

// A new page that records console errors, page errors, requests and the widget's data-debug
// lines ("nazar: ..." info lines, which say when the loader has decided).
export async function openPage(context) {
  const page = await context.newPage();
  const log = { errors: [], pageErrors: [], requests: [], debug: [] };
  page.on('console', (msg) => {
    if (msg.type() === 'error') log.errors.push(msg.text());
    else if (msg.text().startsWith('nazar: ')) log.debug.push(msg.text().slice(7));
  });
  page.on('pageerror', (e) => log.pageErrors.push(String(e)));
  page.on('request', (r) => log.requests.push(r.url()));
  // Payloads this page sent and their answers. The page learns of a 2xx a moment after the server
  // has the payload; closed before that, it leaves the record in the context's outbox, and a later
  // test's page sends it again (at least once, by design) into that test's counts. So close()
  // first waits for every payload request in flight to end and for the page to remove every record
  // the endpoint acknowledged, and fails, naming the batch, when one is still stored 5 s on.
  const batchOf = (request) => {
    if (request.method() !== 'POST') return null;
    try {
      const batch = JSON.parse(request.postData() ?? '').batch;
      return typeof batch === 'string' ? batch : null;
    } catch {
      return null;  // not a payload
    }
  };
  const inFlight = new Map();  // request -> its batch
  const acked = new Set();
  page.on('request', (r) => {
    const batch = batchOf(r);
    if (batch !== null) inFlight.set(r, batch);
  });
  // Ended when its answer's headers arrive (what fetch() resolves on: the page does not read a
  // refusal's body, and Chromium then reports no "finished") or when it fails.
  page.on('requestfailed', (r) => inFlight.delete(r));
  page.on('response', (r) => {
    const batch = inFlight.get(r.request());
    inFlight.delete(r.request());
    if (batch !== undefined && r.status() >= 200 && r.status() <= 299) acked.add(batch);
  });
  const close = page.close.bind(page);
  page.close = async (options) => {
    let unsettled = null;
    if (!page.isClosed() && (inFlight.size > 0 || acked.size > 0)) {
      const stored = async () => {
        const ids = new Set((await readOutbox(page).catch(() => [])).map((r) => r.id));
        return [...acked].filter((b) => ids.has(b));
      };
      await waitFor(async () => inFlight.size === 0 && (await stored()).length === 0, 5000,
        'the page to settle its payloads').catch(async (e) => {
        const left = [...inFlight.values()].map((b) => b + ' in flight').concat((await stored()).map((b) => b + ' acknowledged, still stored'));
        unsettled = new Error(`${e.message}: ${left.join(', ')}`);
      });
    }
    await close(options);  // closed whatever happened: an open page would send into later tests
    if (unsettled) throw unsettled;
  };
  return { page, log };
}

// A TCP port free on 127.0.0.1 now (for a server a test starts itself).
export const freePort = () =>
  new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

// Starts the nazar-collector binary `bin` on 127.0.0.1:`port` with SQLite at `db`, trusting the
// test site's proxy on 127.0.0.1, and resolves with the process once /healthz answers.
export async function spawnCollector(bin, { surveys, db, port, origins, env = {} }) {
  const child = spawn(bin, ['--surveys', surveys, '--db', db, '--listen', `127.0.0.1:${port}`, '--origins', origins,
    '--trusted-proxies', '127.0.0.1/32'], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr.on('data', () => {}); // the access log
  await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => null))?.ok, 10000, 'the collector');
  return child;
}

// Polls until `fn()` is truthy (or throws after `ms`).
export async function waitFor(fn, ms = 10000, what = 'condition') {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out waiting for ' + what);
    await new Promise((r) => setTimeout(r, 50));
  }
}

// Waits until the widget has logged `line` (a data-debug line without "nazar: ") `times` times.
export function waitForDebug(log, line, times = 1, ms = 10000) {
  return waitFor(() => log.debug.filter((l) => l === line).length >= times, ms, `the debug line "${line}"`);
}

// YYYY-MM-DD of the local day (the browser shares this machine's time zone).
export function today() {
  const d = new Date();
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

// The control focused inside the widget's shadow root: {role, value, checked, text, id, action,
// tag}, or null when focus is elsewhere (or there is no widget).
export function focusedInWidget(page) {
  return page.evaluate(() => {
    const el = document.querySelector('nazar-survey')?.shadowRoot?.activeElement;
    if (!el) return null;
    return {
      role: el.getAttribute('role'),
      value: el.getAttribute('data-nz-value'),
      checked: el.getAttribute('aria-checked'),
      text: el.textContent,
      id: el.id,
      action: el.getAttribute('data-nz-action'),
      tag: el.localName,
    };
  });
}

// The widget's outbox as stored in the page's IndexedDB (DESIGN.md Contract 3): an array of
// records {id, kind, payload, ready, stored_at, sent_at, attempts, ...}; [] when none.
export function readOutbox(page) {
  return page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('nazar');
        // No database yet: create nothing (the widget creates it with its schema).
        open.onupgradeneeded = () => open.transaction.abort();
        open.onerror = () => resolve([]);
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains('outbox')) {
            db.close();
            return resolve([]);
          }
          const all = db.transaction('outbox').objectStore('outbox').getAll();
          all.onsuccess = () => {
            db.close();
            resolve(all.result);
          };
          all.onerror = () => reject(all.error);
        };
      }),
  );
}

export { STRICT_CSP };
