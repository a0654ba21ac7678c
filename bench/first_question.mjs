#!/usr/bin/env node
// Time to the first question: headless Chromium loads a thank-you page whose snippet carries
// data-track="checkout_completed" and measures, inside the page, from navigation start
// (performance.now() = 0) to no earlier than the end of the rendering of the first frame that
// shows the NPS dialog's radio group (see probe() below: the rAF timestamp, printed beside it,
// can come before the question is even in the DOM, by 60 ms for SurveyJS's busy main thread).
// Each build
// of web/dist given is served by its own local server and measured in the same session,
// interleaved run by run so that load from other work on the machine falls on each alike.
//
//   node bench/first_question.mjs [--runs 15] [--network all|local|slow4g] [--json FILE] \
//        [--surveyjs] [NAME=]DIST_DIR ...          (default: web/dist)
//
// --surveyjs adds the peer issue 9 measures against, in the same session and interleaved like
// the builds: SurveyJS 2.5.38 (survey-core + survey-js-ui, the vanilla-JS pair, with its default
// theme CSS survey-core.min.css, from bench/node_modules: npm ci --prefix bench) showing the same
// NPS question (a rating 0-10 with the same end labels) on the same thank-you page, every file
// from its own local server. SurveyJS's page gets no CSP (it is not built for Trusted Types), and
// the one request its theme makes to another origin (a web font) fails at once (no host but the
// loopback resolves), as on a machine without network. Its figure is the first frame showing its
// rating radio group, measured the same way; the ratio of each build's median to SurveyJS's is
// printed, with a 95% interval (ratioInterval below).
//
// Per build, network and cache state it prints the median, the quartiles and the extremes over
// the runs, the median of what the page transferred (resource timing, bytes on the wire), and
// the median of the host page's own first contentful paint (its heading): the floor no widget
// can go under, whatever it does. Each state is:
//   cold: every run in a new browser context, so HTTP cache and compiled-code caches are empty;
//   warm: one context, primed by one unmeasured load, then every run a new page in it. The
//         server lets the browser cache /nazar/* and the definitions for an hour, as a site
//         would, while the page itself is never cached. The widget's storage (outbox, display
//         history) is cleared before every run, so every run is the same first display.
// Networks: local (loopback, unthrottled) and slow4g (Chromium's network emulation over CDP:
// 150 ms round trip, 1.6 Mbit/s down, 750 kbit/s up, Lighthouse's mobile profile), where bytes
// count. The dialog's 0.2 s fade-in is not included: the figure is its first painted frame.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

import { CHROMIUM_ARGS } from '../tests/browser/chromium.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { chromium } = createRequire(path.join(ROOT, 'web/package.json'))('playwright-core');

const CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; connect-src 'self'; " +
  "img-src 'self' data:; object-src 'none'; base-uri 'none'; require-trusted-types-for 'script'";

const NETWORKS = {
  local: null,
  slow4g: { offline: false, latency: 150, downloadThroughput: (1.6e6 / 8) | 0,
    uploadThroughput: (750e3 / 8) | 0 },
};

// One NPS question shown at once to every visitor, on every load (no sampling, no recontact).
const SURVEYS = {
  nazar: 1,
  surveys: [{
    nazar: 1, id: 'post-checkout', version: '2026-11-01', default_locale: 'en',
    trigger: { on: 'event', event: 'checkout_completed', delay_ms: 0, max_displays: 0 },
    questions: [{ id: 'nps', type: 'nps',
      text: { en: 'How likely are you to recommend us to a friend?' },
      labels: { min: { en: 'Not at all likely' }, max: { en: 'Extremely likely' } } }],
    thank_you: { text: { en: 'Thank you!' } },
  }],
};

const PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Thank you for your order</title></head>
<body>
<h1>Thank you for your order</h1>
<p>Order #1042 is on its way.</p>
<script src="/nazar/nazar.js" data-surveys="/surveys.json" data-endpoint="/v1/aggregates"
        data-track="checkout_completed" referrerpolicy="no-referrer" async></script>
</body>
</html>
`;

// The same question in SurveyJS: its scripts where its guide puts them, the survey rendered by
// an external script (inline script needs 'unsafe-inline').
const SURVEYJS_PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Thank you for your order</title>
<link rel="stylesheet" href="/sjs/survey-core.min.css"></head>
<body>
<h1>Thank you for your order</h1>
<p>Order #1042 is on its way.</p>
<div id="survey"></div>
<script src="/sjs/survey.core.min.js"></script>
<script src="/sjs/survey-js-ui.min.js"></script>
<script src="/sjs/init.js"></script>
</body>
</html>
`;
const SURVEYJS_INIT = `new Survey.Model({
  elements: [{ type: 'rating', name: 'nps', title: 'How likely are you to recommend us to a friend?',
    rateMin: 0, rateMax: 10, minRateDescription: 'Not at all likely',
    maxRateDescription: 'Extremely likely' }],
  completedHtml: 'Thank you!',
}).render(document.getElementById('survey'));
`;
const SURVEYJS_FILES = {
  'survey.core.min.js': 'survey-core/survey.core.min.js',
  'survey-js-ui.min.js': 'survey-js-ui/survey-js-ui.min.js',
  'survey-core.min.css': 'survey-core/survey-core.min.css',
};
const SURVEYJS_MODULES = path.join(ROOT, 'bench', 'node_modules');

// Runs in every page before its scripts: watches each shadow root as it is attached and records
// the first frame in which the dialog's NPS radio group is rendered and visible, then says so on
// the console. The bench waits for that console line, not with page.waitForFunction: Playwright's
// polling injects its own script into the page, tens of milliseconds of main-thread work in the
// middle of the measured load (seen in a trace: a 63 ms task between the loader and its fetches).
function probe() {
  // The question is in the DOM (inserted); the next frame starts (frame: its rAF timestamp, the
  // frame's begin time, which Chromium may set before a busy main thread even inserted it); that
  // frame's rendering (style, layout, paint) has run on the main thread (painted: a message
  // posted from the frame's rAF callback runs once that rendering task is over, after any task
  // queued before it). painted is the figure: the question cannot be on screen before it.
  const first = () => {
    window.__nzFirst = { inserted: performance.now() };
    requestAnimationFrame((frame) => {
      window.__nzFirst.frame = frame;
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        window.__nzFirst.painted = performance.now();
        console.debug('nazar-bench: first frame');
      };
      channel.port2.postMessage(0);
    });
  };
  const attach = Element.prototype.attachShadow;
  const check = (root, selector) => {
    if (window.__nzFirst) return;
    const group = root.querySelector(selector);
    if (group && group.checkVisibility()) first();
  };
  const seen = (root) => check(root, '[role="dialog"] [role="radiogroup"]');
  // SurveyJS renders into the document itself: its rating question's radio group.
  const inDocument = () => check(document, '.sd-question [role="radiogroup"]');
  new MutationObserver(inDocument).observe(document, { childList: true, subtree: true, attributes: true });
  Element.prototype.attachShadow = function (init) {
    const root = attach.call(this, init);
    new MutationObserver(() => seen(root)).observe(root, { childList: true, subtree: true, attributes: true });
    return root;
  };
}

const MIME = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8', '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm', '.css': 'text/css; charset=utf-8' };

// A static server for one dist: the page at /, definitions at /surveys.json, dist at /nazar/.
function serve(dist) {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    if (url.pathname === '/v1/aggregates') {
      req.resume();
      req.on('end', () => { res.writeHead(204, { 'Cache-Control': 'no-store' }); res.end(); });
      return;
    }
    let body;
    let type;
    let cache = 'public, max-age=3600';
    const surveyjs = dist === 'surveyjs';
    if (surveyjs && (url.pathname === '/' || url.pathname.startsWith('/sjs/'))) {
      const name = url.pathname.slice('/sjs/'.length);
      if (url.pathname === '/') body = SURVEYJS_PAGE;
      else if (name === 'init.js') body = SURVEYJS_INIT;
      else if (SURVEYJS_FILES[name]) body = fs.readFileSync(path.join(SURVEYJS_MODULES, SURVEYJS_FILES[name]));
      if (body === undefined) {
        res.writeHead(404);
        res.end();
        return;
      }
      type = url.pathname === '/' ? MIME['.html'] : MIME[path.extname(name)];
      res.writeHead(200, { 'Content-Type': type,
        'Cache-Control': url.pathname === '/' ? 'no-store' : cache, 'X-Content-Type-Options': 'nosniff' });
      res.end(body);
      return;
    }
    if (url.pathname === '/' || url.pathname === '/index.html') {
      body = PAGE;
      type = MIME['.html'];
      cache = 'no-store';
    } else if (url.pathname === '/surveys.json') {
      body = JSON.stringify(SURVEYS);
      type = MIME['.json'];
    } else if (url.pathname.startsWith('/nazar/')) {
      const file = path.join(dist, path.normalize(url.pathname.slice('/nazar/'.length)));
      if (!file.startsWith(dist) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
        res.writeHead(404);
        res.end();
        return;
      }
      body = fs.readFileSync(file);
      type = MIME[path.extname(file)] || 'application/octet-stream';
    } else {
      res.writeHead(404, { 'Cache-Control': 'no-store' });
      res.end();
      return;
    }
    res.writeHead(200, { 'Content-Type': type, 'Cache-Control': cache,
      'Content-Security-Policy': CSP, 'X-Content-Type-Options': 'nosniff' });
    res.end(body);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve({
      base: `http://127.0.0.1:${server.address().port}/`,
      close: () => new Promise((r) => { server.closeAllConnections(); server.close(r); }),
    }));
  });
}

// One measured load in `context`: milliseconds to the first frame showing the question, and the
// bytes the page transferred.
async function measure(context, base, network) {
  const page = await context.newPage();
  try {
    const cdp = await context.newCDPSession(page);
    // The widget's own storage (outbox, display history) starts empty every run, so each run is
    // the same first display; only the HTTP and code caches stay warm.
    await cdp.send('Storage.clearDataForOrigin',
      { origin: new URL(base).origin, storageTypes: 'local_storage,indexeddb' });
    if (NETWORKS[network]) {
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', NETWORKS[network]);
    }
    let timer;
    const shown = new Promise((resolve, reject) => {
      page.on('console', (m) => { if (m.text() === 'nazar-bench: first frame') resolve(); });
      timer = setTimeout(() => reject(new Error(`${base}: no question after 60 s`)), 60000);
    });
    try {
      await page.goto(base, { waitUntil: 'commit' });
      await shown;
    } finally {
      clearTimeout(timer);
    }
    return await page.evaluate(() => {
      const entries = [...performance.getEntriesByType('navigation'),
        ...performance.getEntriesByType('resource')];
      // The host page's own first contentful paint (its heading): no widget can show before the
      // page itself paints, so this is the floor under every build's figure.
      const fcp = performance.getEntriesByName('first-contentful-paint')[0];
      const { painted, frame, inserted } = window.__nzFirst;
      return { ms: painted, frame, inserted,
        fcp: fcp ? fcp.startTime : NaN,
        bytes: entries.reduce((n, e) => n + (e.transferSize || 0), 0),
        timeline: entries.map((e) => `${e.name.replace(location.origin, '')} ${e.startTime.toFixed(0)}-${e.responseEnd.toFixed(0)}`) };
    });
  } finally {
    await page.close();
  }
}

function quantile(sorted, q) {
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo);
}

function summary(samples) {
  const ms = samples.map((s) => s.ms).sort((a, b) => a - b);
  const bytes = samples.map((s) => s.bytes).sort((a, b) => a - b);
  const fcp = samples.map((s) => s.fcp).filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  const frame = samples.map((s) => s.frame).sort((a, b) => a - b);
  return { runs: ms.length, median: quantile(ms, 0.5), p25: quantile(ms, 0.25), frame: quantile(frame, 0.5),
    p75: quantile(ms, 0.75), min: ms[0], max: ms[ms.length - 1], bytes: quantile(bytes, 0.5),
    page_fcp: fcp.length ? quantile(fcp, 0.5) : NaN, fcp_missing: samples.length - fcp.length };
}

// How sure a ratio of medians is: a 95% interval from 2,000 bootstrap resamples. Each resample
// draws run numbers with replacement and takes both medians over the same runs, since a run's
// loads of every build follow one another within seconds, under the same load from elsewhere.
// The generator is seeded (mulberry32, an arbitrary seed): the same samples always give the same
// interval.
function ratioInterval(a, b, rounds = 2000) {
  if (a.length !== b.length) throw new Error(`paired samples differ in length (${a.length}, ${b.length})`);
  let seed = 0x6e617a72;
  const random = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  const n = a.length;
  const ratios = [];
  for (let k = 0; k < rounds; ++k) {
    const runs = Array.from({ length: n }, () => Math.floor(random() * n));
    const median = (xs) => quantile(runs.map((i) => xs[i]).sort((x, y) => x - y), 0.5);
    ratios.push(median(a) / median(b));
  }
  ratios.sort((x, y) => x - y);
  return [quantile(ratios, 0.025), quantile(ratios, 0.975)];
}

function parseArgs(argv) {
  const opts = { runs: 15, network: 'all', json: null, dists: [], surveyjs: false };
  for (let i = 0; i < argv.length; ++i) {
    const a = argv[i];
    if (a === '--runs') opts.runs = Number(argv[++i]);
    else if (a === '--network') opts.network = argv[++i];
    else if (a === '--json') opts.json = argv[++i];
    else if (a === '--surveyjs') opts.surveyjs = true;
    else if (a === '--timeline') opts.timeline = true;
    else if (a.startsWith('--')) throw new Error(`unknown option ${a}`);
    else {
      const eq = a.indexOf('=');
      const name = eq > 0 ? a.slice(0, eq) : path.basename(path.dirname(path.resolve(a))) || a;
      opts.dists.push({ name, dir: path.resolve(eq > 0 ? a.slice(eq + 1) : a) });
    }
  }
  if (opts.dists.length === 0) opts.dists.push({ name: 'web', dir: path.join(ROOT, 'web/dist') });
  if (opts.surveyjs) {
    for (const file of Object.values(SURVEYJS_FILES)) {
      if (!fs.existsSync(path.join(SURVEYJS_MODULES, file))) {
        throw new Error(`--surveyjs: ${file} is missing: npm ci --prefix bench`);
      }
    }
  }
  if (!(opts.runs >= 1)) throw new Error('--runs needs a positive number');
  if (opts.network !== 'all' && !(opts.network in NETWORKS)) {
    throw new Error(`--network: one of all, ${Object.keys(NETWORKS).join(', ')}`);
  }
  for (const d of opts.dists) {
    if (!fs.existsSync(path.join(d.dir, 'nazar.js'))) {
      throw new Error(`${d.dir} has no nazar.js: build it first (bash scripts/build-web.sh)`);
    }
  }
  return opts;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const networks = opts.network === 'all' ? Object.keys(NETWORKS) : [opts.network];
  const browser = await chromium.launch({
    executablePath: process.env.NAZAR_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    // Nothing leaves the machine: every host but the loopback fails to resolve at once (SurveyJS's
    // theme asks for a web font). Not a route: routing would turn the HTTP cache off.
    args: ['--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1', ...CHROMIUM_ARGS],
  });
  const servers = [];
  const results = [];
  try {
    for (const d of opts.dists) servers.push({ ...d, ...(await serve(d.dir)) });
    if (opts.surveyjs) servers.push({ name: 'surveyjs', dir: 'surveyjs', ...(await serve('surveyjs')) });
    const newContext = async () => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
      await context.addInitScript(probe);
      return context;
    };
    for (const network of networks) {
      // Cold: a new context per load; builds alternate run by run.
      const cold = new Map(servers.map((s) => [s.name, []]));
      for (let run = 0; run < opts.runs; ++run) {
        for (const s of run % 2 ? [...servers].reverse() : servers) {
          const context = await newContext();
          try {
            cold.get(s.name).push(await measure(context, s.base, network));
          } finally {
            await context.close();
          }
        }
      }
      // Warm: one primed context per build, then new pages in it, alternating builds.
      const warm = new Map(servers.map((s) => [s.name, []]));
      const contexts = new Map();
      for (const s of servers) {
        const context = await newContext();
        contexts.set(s.name, context);
        await measure(context, s.base, network);  // primes the caches; not counted
      }
      for (let run = 0; run < opts.runs; ++run) {
        for (const s of run % 2 ? [...servers].reverse() : servers) {
          warm.get(s.name).push(await measure(contexts.get(s.name), s.base, network));
        }
      }
      for (const context of contexts.values()) await context.close();
      for (const s of servers) {
        if (opts.timeline) {  // --timeline: what the median cold run fetched, and when (ms)
          const runs = [...cold.get(s.name)].sort((a, b) => a.ms - b.ms);
          const mid = runs[runs.length >> 1];
          console.log(`${s.name} ${network} cold, a median run (${mid.inserted.toFixed(0)} ms inserted, ` +
            `${mid.frame.toFixed(0)} ms its frame's rAF time, ${mid.ms.toFixed(0)} ms painted):\n  ${mid.timeline.join('\n  ')}`);
        }
        results.push({ build: s.name, dist: s.dir, network, cache: 'cold', ...summary(cold.get(s.name)),
          samples: cold.get(s.name).map((x) => x.ms) });
        results.push({ build: s.name, dist: s.dir, network, cache: 'warm', ...summary(warm.get(s.name)),
          samples: warm.get(s.name).map((x) => x.ms) });
      }
    }
  } finally {
    for (const s of servers) await s.close?.();
    await browser.close();
  }

  const f = (x) => x.toFixed(0).padStart(6);
  console.log(`time to the first question, ms from navigation start (${opts.runs} runs each; ` +
    `${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(2)})`);
  console.log(`${'build'.padEnd(12)} ${'network'.padEnd(8)} ${'cache'.padEnd(5)} ` +
    `${'median'.padStart(6)} ${'p25'.padStart(6)} ${'p75'.padStart(6)} ${'min'.padStart(6)} ` +
    `${'max'.padStart(6)} ${'KB'.padStart(7)} ${'page FCP'.padStart(8)} ${'rAF'.padStart(6)}`);
  for (const r of results) {
    console.log(`${r.build.padEnd(12)} ${r.network.padEnd(8)} ${r.cache.padEnd(5)} ${f(r.median)} ` +
      `${f(r.p25)} ${f(r.p75)} ${f(r.min)} ${f(r.max)} ${(r.bytes / 1024).toFixed(1).padStart(7)} ` +
      `${f(r.page_fcp).padStart(8)} ${f(r.frame)}`);
  }
  for (const r of results) {
    if (r.fcp_missing) console.log(`${r.build} ${r.network} ${r.cache}: ${r.fcp_missing} run(s) without a page FCP entry`);
  }
  const peer = (r) => results.find((p) => p.build === 'surveyjs' && p.network === r.network && p.cache === r.cache);
  for (const r of results) {
    if (r.build === 'surveyjs' || !peer(r)) continue;
    r.vs_surveyjs = r.median / peer(r).median;
    r.vs_surveyjs_95 = ratioInterval(r.samples, peer(r).samples);
    console.log(`${r.build} ${r.network} ${r.cache}: ${r.vs_surveyjs.toFixed(2)}x SurveyJS's median time ` +
      `(95% interval ${r.vs_surveyjs_95.map((x) => x.toFixed(2)).join('-')}, paired bootstrap over the runs)`);
  }
  if (opts.json) fs.writeFileSync(opts.json, `${JSON.stringify(results, null, 2)}\n`);
}

main().catch((e) => {
  console.error(`first_question: ${e.stack || e}`);
  process.exit(1);
});
