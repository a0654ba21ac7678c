#!/usr/bin/env node
// A tiny server for the demo, the examples and the browser tests: static files with the right
// MIME types (application/wasm included) under a strict Content-Security-Policy, plus a toy
// aggregates endpoint that prints each payload as one JSON line and keeps them in memory.
//
//   node scripts/serve.mjs                     # demo shop at /, web/dist at /nazar/, embed at /embed/,
//                                              # kiosk at /kiosk/
//   PORT=8080 node scripts/serve.mjs
//   node scripts/serve.mjs /=some/dir /nazar/=web/dist
//   REFERRER_POLICY=unsafe-url node scripts/serve.mjs   # the host page's policy (default: none)
//   COLLECTOR=http://127.0.0.1:8088 node scripts/serve.mjs  # /v1/ proxied to nazar-collector
//
// Endpoints: POST /v1/aggregates (204; CORS-open), GET /v1/_received (JSON array of
// {content_type, body}), POST /v1/_reset.
//
// The server never sets a Referrer-Policy of its own choosing: the widget must keep the page's
// URL to itself whatever the host page allows (DESIGN.md Contract 3), and a test server that
// sent "no-referrer" on every file would hide a leak.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

export const STRICT_CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; connect-src 'self'; " +
  "img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; " +
  "require-trusted-types-for 'script'";

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.cjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
  '.webmanifest': 'application/manifest+json',
};

const MAX_BODY = 64 * 1024;

// Options: mounts [{prefix: '/nazar/', dir}], collector (a nazar-collector's base URL: every
// /v1/ request goes there, with X-Forwarded-For, as a site's reverse proxy would send it),
// surveysFile (without a collector: the file GET /v1/surveys serves),
// csp (string or (pathname) => string),
// referrerPolicy (the host page's Referrer-Policy for HTML files: a string or (pathname) =>
// string; none by default), log (print payloads to stdout), aggregateStatus (number or
// (body) => number), retryAfter (seconds sent with 429/503), aggregateDelayMs (answer late).
// Every request is logged in `requests` ({method, host, path, referer, cookie, origin}).
export function createServer(options = {}) {
  const mounts = [...(options.mounts ?? [])].sort((a, b) => b.prefix.length - a.prefix.length);
  const received = [];
  const requests = [];
  const state = {
    aggregateStatus: options.aggregateStatus ?? 204,
    retryAfter: options.retryAfter,
    aggregateDelayMs: options.aggregateDelayMs ?? 0,
  };

  const send = (res, status, body, headers = {}) => {
    res.writeHead(status, { 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', ...headers });
    res.end(body);
  };

  const aggregates = (req, res) => {
    // Contract 5: every answer carries CORS headers and lets the widget read Retry-After.
    const cors = { 'Access-Control-Allow-Origin': '*', 'Access-Control-Expose-Headers': 'Retry-After' };
    if (req.method === 'OPTIONS') {
      return send(res, 204, '', { ...cors, 'Access-Control-Allow-Methods': 'POST',
        'Access-Control-Allow-Headers': 'Content-Type', 'Access-Control-Max-Age': '86400' });
    }
    if (req.method !== 'POST') return send(res, 405, 'POST only\n', { ...cors, Allow: 'POST' });
    const chunks = [];
    let size = 0;
    req.on('data', (c) => {
      size += c.length;
      if (size <= MAX_BODY) chunks.push(c);
    });
    req.on('end', () => {
      if (size > MAX_BODY) return send(res, 413, 'too large\n', cors);
      const text = Buffer.concat(chunks).toString('utf8');
      let body;
      try {
        body = JSON.parse(text);
      } catch {
        return send(res, 400, 'not JSON\n', cors);
      }
      const status = typeof state.aggregateStatus === 'function' ? state.aggregateStatus(body) : state.aggregateStatus;
      const entry = { content_type: req.headers['content-type'] ?? '', status, body, at: Date.now() };
      received.push(entry);
      if (options.log) process.stdout.write(JSON.stringify(body) + '\n');
      const headers = { ...cors };
      if ((status === 429 || status === 503) && state.retryAfter !== undefined) headers['Retry-After'] = String(state.retryAfter);
      const answer = () => {
        entry.answered = Date.now();
        send(res, status, status < 300 ? '' : 'unavailable\n', headers);
      };
      if (state.aggregateDelayMs > 0) setTimeout(answer, state.aggregateDelayMs);
      else answer();
    });
  };

  // The site's reverse proxy in front of the collector: the request as it came, plus the
  // client's address in X-Forwarded-For (the collector trusts it from --trusted-proxies only).
  const proxy = (req, res, target) => {
    const headers = { ...req.headers, 'x-forwarded-for': req.socket.remoteAddress ?? '' };
    delete headers.host;
    const out = http.request(new URL(target, options.collector), { method: req.method, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    out.on('error', () => send(res, 502, 'the collector does not answer\n', { 'Access-Control-Allow-Origin': '*' }));
    req.pipe(out);
  };

  const file = (req, res, pathname) => {
    const mount = mounts.find((m) => pathname.startsWith(m.prefix) || pathname + '/' === m.prefix);
    if (!mount) return send(res, 404, 'not found\n', { 'Content-Type': 'text/plain' });
    if (pathname + '/' === mount.prefix) return send(res, 301, '', { Location: mount.prefix });
    const dir = path.resolve(mount.dir);
    let target = path.resolve(dir, '.' + path.posix.normalize('/' + pathname.slice(mount.prefix.length)));
    if (target !== dir && !target.startsWith(dir + path.sep)) return send(res, 403, 'forbidden\n');
    let stat = fs.statSync(target, { throwIfNoEntry: false });
    if (stat?.isDirectory()) {
      if (!pathname.endsWith('/')) return send(res, 301, '', { Location: pathname + '/' });
      target = path.join(target, 'index.html');
      stat = fs.statSync(target, { throwIfNoEntry: false });
    }
    if (!stat?.isFile()) return send(res, 404, 'not found\n', { 'Content-Type': 'text/plain' });
    const csp = typeof options.csp === 'function' ? options.csp(pathname) : options.csp ?? STRICT_CSP;
    const type = MIME[path.extname(target).toLowerCase()] ?? 'application/octet-stream';
    const headers = {
      'Content-Type': type,
      'Content-Length': stat.size,
      // Files may be loaded from another origin (a collector serving the widget and surveys).
      'Access-Control-Allow-Origin': '*',
    };
    if (csp) headers['Content-Security-Policy'] = csp;
    const policy = typeof options.referrerPolicy === 'function' ? options.referrerPolicy(pathname) : options.referrerPolicy;
    if (policy && type.startsWith('text/html')) headers['Referrer-Policy'] = policy;
    if (req.method === 'HEAD') return send(res, 200, '', headers);
    res.writeHead(200, { 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', ...headers });
    fs.createReadStream(target).pipe(res);
  };

  const server = http.createServer((req, res) => {
    try {
      const { pathname, search } = new URL(req.url, 'http://localhost');
      requests.push({
        method: req.method,
        host: req.headers.host ?? '',
        path: pathname + search,
        referer: req.headers.referer ?? null,
        cookie: req.headers.cookie ?? null,
        origin: req.headers.origin ?? null,
      });
      const decoded = decodeURIComponent(pathname);
      if (options.collector && pathname.startsWith('/v1/')) return proxy(req, res, pathname + search);
      if (decoded === '/v1/surveys' && options.surveysFile) {
        return send(res, 200, fs.readFileSync(options.surveysFile), { 'Content-Type': MIME['.json'] });
      }
      if (decoded === '/v1/aggregates') return aggregates(req, res);
      if (decoded === '/v1/_received') {
        return send(res, 200, JSON.stringify(received), { 'Content-Type': 'application/json' });
      }
      if (decoded === '/v1/_reset' && req.method === 'POST') {
        received.length = 0;
        return send(res, 204, '');
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'GET only\n');
      return file(req, res, decoded);
    } catch (e) {
      return send(res, 400, 'bad request\n');
    }
  });

  return {
    server,
    received,
    requests,
    state,
    // Resolves with the base URL once listening (port 0: a free port).
    listen(port = 0, host = '127.0.0.1') {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => resolve(`http://${host}:${server.address().port}`));
      });
    },
    close() {
      server.closeAllConnections?.();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

// Command line: mounts from arguments (/prefix/=dir), or the demo layout.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const mounts = args.length
    ? args.map((a) => {
        const [prefix, dir] = a.split('=');
        return { prefix: prefix.endsWith('/') ? prefix : prefix + '/', dir };
      })
    : [
        { prefix: '/', dir: path.join(ROOT, 'examples/demo-shop') },
        { prefix: '/nazar/', dir: path.join(ROOT, 'web/dist') },
        { prefix: '/embed/', dir: path.join(ROOT, 'examples/embed') },
        { prefix: '/kiosk/', dir: path.join(ROOT, 'examples/kiosk') },
      ];
  const app = createServer({
    mounts,
    log: true,
    referrerPolicy: process.env.REFERRER_POLICY || undefined,
    collector: process.env.COLLECTOR || undefined,
    surveysFile: path.join(ROOT, 'examples/demo-shop/surveys.json'),
  });
  const port = Number(process.env.PORT ?? 8080);
  const host = process.env.HOST ?? '127.0.0.1';
  app.listen(port, host).then((base) => {
    console.error(`nazar demo server on ${base}`);
    for (const m of mounts) console.error(`  ${base}${m.prefix}  ->  ${path.relative(process.cwd(), m.dir) || '.'}`);
    console.error(`  ${base}/checkout/thank-you/  (the post-checkout survey)`);
    if (process.env.COLLECTOR) console.error(`  ${base}/v1/*  ->  ${process.env.COLLECTOR} (nazar-collector)`);
    else console.error(`  POST ${base}/v1/aggregates   GET ${base}/v1/_received`);
    if (!fs.existsSync(path.join(ROOT, 'web/dist/nazar-core.wasm'))) {
      console.error('  note: web/dist has no nazar-core.wasm yet: build wasm-release, then node web/build.mjs');
    }
  }, (e) => {
    console.error('serve.mjs: ' + e.message);
    process.exit(1);
  });
}
