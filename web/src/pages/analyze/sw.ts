// The analyze page's service worker, scoped to the page's folder (/analyze/): on install it
// caches the page and its files (names and a content hash put in by web/build.mjs), answers
// those from the cache, and lets every other request through untouched (the dashboard, the
// API and anything outside the list never reach the cache). A new build changes the hash, so
// the browser installs the new worker, which drops the old cache when it activates.

declare const __ANALYZE_VERSION__: string;
declare const __ANALYZE_FILES__: string[];

interface ExtendableEvent extends Event { waitUntil(p: Promise<unknown>): void }
interface FetchEvent extends ExtendableEvent { request: Request; respondWith(r: Promise<Response>): void }
interface SwScope {
  registration: { scope: string };
  skipWaiting(): Promise<void>;
  clients: { claim(): Promise<void> };
  addEventListener(type: 'install' | 'activate', fn: (e: ExtendableEvent) => void): void;
  addEventListener(type: 'fetch', fn: (e: FetchEvent) => void): void;
}

const sw = self as unknown as SwScope;
const CACHE = 'nazar-analyze-' + __ANALYZE_VERSION__;
const base = new URL('./', sw.registration.scope);
const urls = ['./', ...__ANALYZE_FILES__].map((f) => new URL(f, base).href);
const own = new Set(urls);
own.add(new URL('index.html', base).href);

sw.addEventListener('install', (e) => {
  e.waitUntil(caches.open(CACHE)
    .then((c) => c.addAll(urls.map((u) => new Request(u, { cache: 'reload', credentials: 'omit' }))))
    .then(() => sw.skipWaiting()));
});

sw.addEventListener('activate', (e) => {
  e.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k.startsWith('nazar-analyze-') && k !== CACHE).map((k) => caches.delete(k))))
    .then(() => sw.clients.claim()));
});

sw.addEventListener('fetch', (e) => {
  const req = e.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  url.search = '';
  url.hash = '';
  if (!own.has(url.href)) return;  // not ours: the network, as without a service worker
  const key = url.href.endsWith('/index.html') ? new URL('./', url).href : url.href;
  e.respondWith(caches.open(CACHE).then(async (c) => (await c.match(key)) ?? fetch(req)));
});
