// web/src/embed/transport.ts: the durable outbox (Contract 3 delivery) with stand-ins for the browser's
// localStorage, fetch, sendBeacon and window events.
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { importWebSource } from './helpers.mjs';

const { Transport, OUTBOX_KEY } = await importWebSource('embed/transport');

let storage;
let listeners;
let posts;
let beacons;
let answer;
beforeEach(() => {
  storage = new Map();
  listeners = {};
  posts = [];
  beacons = [];
  answer = () => ({ ok: true, status: 204 });
  // Retry timers must not keep the test process alive.
  globalThis.window = { setTimeout: (fn, ms) => setTimeout(fn, ms).unref() };
  globalThis.localStorage = {
    getItem: (k) => (storage.has(k) ? storage.get(k) : null),
    setItem: (k, v) => storage.set(k, String(v)),
    removeItem: (k) => storage.delete(k),
  };
  globalThis.addEventListener = (type, fn) => (listeners[type] ??= []).push(fn);
  globalThis.fetch = async (url, init) => {
    posts.push({ url, init });
    const a = answer();
    if (a instanceof Error) throw a;
    return a;
  };
  Object.defineProperty(globalThis, 'navigator', {
    value: { sendBeacon: (url, blob) => (beacons.push({ url, blob }), true) },
    configurable: true,
  });
});

const outbox = () => JSON.parse(storage.get(OUTBOX_KEY) ?? '{}');
const payload = (batch) => ({ nazar: 1, batch, survey: 's', displays: 1, completions: 1 });
const quiet = { sent: () => {}, rejected: () => {}, debug: () => {} };

test('an unfinished session is stored, not sent', async () => {
  const t = new Transport('/v1/aggregates', quiet);
  t.store('a'.repeat(32), payload('a'), false, 1800000);
  assert.equal(outbox()['a'.repeat(32)].ready, false);
  assert.equal(outbox()['a'.repeat(32)].send_after_ms, 1800000);
  await t.flush();
  assert.equal(posts.length, 0);
});

test('a finished session is POSTed as text/plain without credentials, then removed', async () => {
  const sent = [];
  const t = new Transport('https://collect.example/v1/aggregates', { sent: (b, p) => sent.push([b, p]), rejected: () => {}, debug: () => {} });
  t.store('b1', payload('b1'), false);
  t.store('b1', payload('b1'), true);
  await t.flush();
  assert.equal(posts.length, 1);
  const { url, init } = posts[0];
  assert.equal(url, 'https://collect.example/v1/aggregates');
  assert.equal(init.method, 'POST');
  assert.equal(init.headers['Content-Type'], 'text/plain;charset=UTF-8');
  assert.equal(init.keepalive, true);
  assert.equal(init.credentials, 'omit');
  assert.equal(init.mode, 'cors');
  assert.deepEqual(JSON.parse(init.body), payload('b1'));
  assert.deepEqual(outbox(), {});
  assert.equal(storage.has(OUTBOX_KEY), false);
  assert.deepEqual(sent.map((s) => s[0]), ['b1']);
});

test('a failed delivery keeps the entry and retries with the same batch', async () => {
  const t = new Transport('/v1/aggregates', quiet);
  answer = () => ({ ok: false, status: 503 });
  t.store('c1', payload('c1'), true);
  await t.flush();
  assert.ok(posts.length >= 1);
  assert.equal(outbox().c1.ready, true);
  answer = () => new TypeError('Failed to fetch');
  await t.flush();
  assert.equal(outbox().c1.ready, true);
  // Back online.
  answer = () => ({ ok: true, status: 200 });
  t.start();
  for (const fn of listeners.online) fn();
  await new Promise((r) => setTimeout(r, 10));
  assert.deepEqual(outbox(), {});
  assert.ok(posts.every((p) => JSON.parse(p.init.body).batch === 'c1'));
});

test('the next page sends finished entries and ones abandoned long enough ago', async () => {
  const now = Date.now();
  storage.set(OUTBOX_KEY, JSON.stringify({
    done: { payload: payload('done'), ready: true, stored_at: now - 1000 },
    old: { payload: payload('old'), ready: false, stored_at: now - 31 * 60 * 1000, send_after_ms: 1800000 },
    fresh: { payload: payload('fresh'), ready: false, stored_at: now - 60 * 1000, send_after_ms: 1800000 },
  }));
  const t = new Transport('/v1/aggregates', quiet);
  assert.deepEqual(t.due().sort(), ['done', 'old']);
  t.start();
  await new Promise((r) => setTimeout(r, 10));
  assert.deepEqual(posts.map((p) => JSON.parse(p.init.body).batch).sort(), ['done', 'old']);
  assert.deepEqual(Object.keys(outbox()), ['fresh']);
});

test('a session still showing is not sent as abandoned', () => {
  const t = new Transport('/v1/aggregates', quiet);
  t.store('live', payload('live'), false, 0);
  assert.deepEqual(t.due(), []);
  t.release('live');
  assert.deepEqual(t.due(), ['live']);
});

test('pagehide hands finished entries to sendBeacon and keeps them', async () => {
  const t = new Transport('/v1/aggregates', quiet);
  answer = () => ({ ok: false, status: 503 });
  t.start();
  t.store('d1', payload('d1'), true);
  t.store('d2', payload('d2'), false);
  await new Promise((r) => setTimeout(r, 10));
  for (const fn of listeners.pagehide) fn();
  assert.equal(beacons.length, 1);
  assert.equal(beacons[0].url, '/v1/aggregates');
  assert.equal(beacons[0].blob.type, 'text/plain;charset=utf-8');
  assert.deepEqual(JSON.parse(await beacons[0].blob.text()), payload('d1'));
  assert.deepEqual(Object.keys(outbox()).sort(), ['d1', 'd2']);
});

test('blocked storage: delivery still works from memory', async () => {
  globalThis.localStorage = {
    getItem: () => { throw new Error('SecurityError'); },
    setItem: () => { throw new Error('SecurityError'); },
    removeItem: () => { throw new Error('SecurityError'); },
  };
  const t = new Transport('/v1/aggregates', quiet);
  t.store('e1', payload('e1'), true);
  await t.flush();
  assert.equal(posts.length, 1);
  assert.deepEqual(t.read(), {});
});

test('storage full: the newest entry is not lost behind the older stored copy', async () => {
  storage.set(OUTBOX_KEY, JSON.stringify({ old: { payload: payload('old'), ready: false, stored_at: Date.now() } }));
  const t = new Transport('/v1/aggregates', quiet);
  answer = () => ({ ok: false, status: 503 });
  globalThis.localStorage.setItem = () => {
    throw new Error('QuotaExceededError');
  };
  t.store('b1', payload('b1'), true);
  assert.ok(t.due().includes('b1'), 'the new ready entry is due');
  await t.flush();
  assert.ok(posts.some((p) => JSON.parse(p.init.body).batch === 'b1'), 'b1 was attempted');
});

test('corrupt outbox entries (written by anyone) are skipped, flush never rejects', async () => {
  storage.set(OUTBOX_KEY, JSON.stringify({ x: null, y: 3, z: { ready: true }, ok: { payload: payload('ok'), ready: true, stored_at: 1 } }));
  const t = new Transport('/v1/aggregates', quiet);
  await t.flush();
  assert.deepEqual(posts.map((p) => JSON.parse(p.init.body).batch), ['ok']);
  storage.set(OUTBOX_KEY, '[1,2');
  await t.flush();  // unparsable: nothing to send, no rejection
});

test('a permanent 4xx drops the batch and says so; 429 keeps it for a retry', async () => {
  const rejected = [];
  const t = new Transport('/v1/aggregates', { ...quiet, rejected: (b, status) => rejected.push([b, status]) });
  answer = () => ({ ok: false, status: 429 });
  t.store('r1', payload('r1'), true);
  await t.flush();
  assert.ok(outbox().r1, 'kept after 429');
  answer = () => ({ ok: false, status: 400 });
  await t.flush();
  assert.equal(outbox().r1, undefined);
  assert.deepEqual(rejected, [['r1', 400]]);
});
