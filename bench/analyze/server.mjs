// The bench's own static server, on the loopback interface only: the bench page and its
// bundles, DuckDB-wasm's manual bundles under /duck/ (served from bench/node_modules, never a
// CDN), and optionally the built analyze page under /nazar/.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

const kTypes = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.map': 'application/json',
  '.css': 'text/css; charset=utf-8',
};
const kDuckFiles = new Set(['duckdb-mvp.wasm', 'duckdb-browser-mvp.worker.js', 'duckdb-eh.wasm',
  'duckdb-browser-eh.worker.js']);

/**
 * Starts the server on 127.0.0.1 (a free port). dirs: {page: index.html's folder, build: the
 * bundles' folder, duck: duckdb-wasm's dist folder, nazar: the analyze page's dist or null, wasm: the
 * nazar-analyze.wasm served at /nazar-analyze.wasm or null}.
 * Returns {base, close(), served} where served counts the requests answered.
 */
export async function startServer(dirs) {
  let served = 0;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    const p = decodeURIComponent(url.pathname);
    let file = null;
    let cache = 'max-age=3600';
    if (p === '/' || p === '/index.html') {
      file = path.join(dirs.page, 'index.html');
      cache = 'no-store';
    } else if (p.startsWith('/duck/') && kDuckFiles.has(p.slice(6))) {
      file = path.join(dirs.duck, p.slice(6));
    } else if (p === '/nazar-analyze.wasm' && dirs.wasm) {
      file = dirs.wasm;
    } else if (p.startsWith('/nazar/') && dirs.nazar) {
      file = path.join(dirs.nazar, path.normalize(p.slice(7)).replace(/^(\.\.[/\\])+/, ''));
    } else if (/^\/[\w.-]+\.(js|map)$/.test(p)) {
      file = path.join(dirs.build, p.slice(1));
    }
    served++;
    if (!file || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
      return;
    }
    res.writeHead(200, {
      'content-type': kTypes[path.extname(file)] || 'application/octet-stream',
      'content-length': fs.statSync(file).size,
      'cache-control': cache,
    });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${server.address().port}`,
    get served() {
      return served;
    },
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
