// web/src/embed/transport.ts: the outbox of Contract 3. Node has no IndexedDB or Web Locks, so
// the policy runs against stand-ins written here: a counting record store, locks shared by
// several Transport objects (the tabs of one browser), a scripted endpoint and a fake clock.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { importWebSource } from './helpers.mjs';

const T = await importWebSource('embed/transport');
const { Transport, LocalStore, RECORD_PREFIX, HIDE_PREFIX, LEGACY_KEY, BATCH_LOCK_PREFIX, PENDING_KEY } = T;

const DAY = 24 * 60 * 60 * 1000;
const START = Date.UTC(2026, 10, 22, 12);

// A record store that counts what each call touches.
class CountingStore {
  name = 'counting';
  map = new Map();
  ops = { put: 0, delete: 0, list: 0, listed: 0 };
  failPut = false;
  async put(r) {
    this.ops.put++;
    if (this.failPut) throw new Error('QuotaExceededError');
    this.map.set(r.id, structuredClone(r));
  }
  async delete(id) {
    this.ops.delete++;
    this.map.delete(id);
  }
  async list() {
    this.ops.list++;
    this.ops.listed += this.map.size;
    return [...this.map.values()].map((r) => structuredClone(r));
  }
}

// Exclusive locks shared by every Transport given the same object, FIFO per name.
function sharedLocks() {
  const queues = new Map();
  const held = new Set();
  return {
    held: async () => new Set(held),
    names: held,
    request(name, fn) {
      const prev = queues.get(name) ?? Promise.resolve();
      const run = prev.then(async () => {
        held.add(name);
        try {
          await fn();
        } finally {
          held.delete(name);
        }
      });
      queues.set(name, run.catch(() => {}));
      return run;
    },
  };
}

function fakeStorage() {
  const m = new Map();
  return {
    map: m,
    get length() {
      return m.size;
    },
    key: (i) => [...m.keys()][i] ?? null,
    getItem: (k) => (m.has(k) ? m.get(k) : null),
    setItem: (k, v) => void m.set(k, String(v)),
    removeItem: (k) => void m.delete(k),
  };
}

// A scripted endpoint: `reply(body)` returns {status, headers} or throws; `hold` keeps answers
// back until released, to see what is in flight.
function endpoint() {
  const e = {
    posts: [],
    inFlight: 0,
    maxInFlight: 0,
    reply: () => ({ status: 204 }),
    hold: false,
    waiting: [],
    fetch: async (url, init) => {
      const body = JSON.parse(init.body);
      e.posts.push({ url, init, body });
      e.inFlight++;
      e.maxInFlight = Math.max(e.maxInFlight, e.inFlight);
      try {
        if (e.hold) await new Promise((r) => e.waiting.push(r));
        const a = e.reply(body);
        const headers = new Map(Object.entries(a.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
        return { ok: a.status >= 200 && a.status < 300, status: a.status, headers: { get: (k) => headers.get(k.toLowerCase()) ?? null } };
      } finally {
        e.inFlight--;
      }
    },
    release() {
      e.hold = false;
      for (const r of e.waiting.splice(0)) r();
    },
    batches: () => e.posts.map((p) => p.body.batch),
  };
  return e;
}

// One "browser": a store, locks, an endpoint, a clock and localStorage shared by its tabs.
function browser() {
  const b = {
    store: new CountingStore(), locks: sharedLocks(), ep: endpoint(), now: START, ls: fakeStorage(),
    errors: [], sent: [], removed: [],
  };
  b.tab = (url = '/v1/aggregates') =>
    new Transport(
      url,
      {
        sent: (batch) => b.sent.push(batch),
        removed: (batch) => b.removed.push(batch),
        error: (code, message) => b.errors.push({ code, message }),
        debug: () => {},
      },
      { openStore: async () => b.store, locks: b.locks, fetch: b.ep.fetch, now: () => b.now, storage: b.ls },
    );
  // A record as an earlier page left it.
  b.left = (id, fields = {}) =>
    b.store.map.set(id, { id, kind: 'tally', payload: payload(id), ready: true, stored_at: b.now, updated_at: b.now, attempts: 0, rev: 1, ...fields });
  return b;
}

const payload = (batch, nps = 9) => ({ nazar: 1, batch, survey: 's', displays: 1, completions: 1, questions: { nps: { type: 'nps', counts: Array.from({ length: 11 }, (_, i) => (i === nps ? 1 : 0)) } } });
const tick = () => new Promise((r) => setImmediate(r));
async function settle(n = 20) {
  for (let i = 0; i < n; i++) await tick();
}

test('an unfinished session is stored with the core\'s timeout, not sent', async () => {
  const b = browser();
  const t = b.tab();
  await t.store({ batch: 'a1', payload: payload('a1'), ready: false, sendAfterMs: 1234 });
  await t.flush();
  assert.equal(b.ep.posts.length, 0);
  const r = b.store.map.get('a1');
  assert.equal(r.ready, false);
  assert.equal(r.send_after_ms, 1234);
  assert.equal(r.stored_at, START);
  assert.deepEqual(r.payload, payload('a1'));
});

test('a finished session is POSTed without cookie or referrer, as keepalive text/plain, then deleted', async () => {
  const b = browser();
  const t = b.tab('https://collect.example/v1/aggregates');
  await t.store({ batch: 'b1', payload: payload('b1', 3), ready: false, sendAfterMs: 1800000 });
  await t.store({ batch: 'b1', payload: payload('b1', 9), ready: true });
  await t.flush();
  assert.equal(b.ep.posts.length, 1);
  const { url, init, body } = b.ep.posts[0];
  assert.equal(url, 'https://collect.example/v1/aggregates');
  assert.equal(init.method, 'POST');
  assert.equal(init.keepalive, true);
  assert.equal(init.credentials, 'omit');
  assert.equal(init.referrerPolicy, 'no-referrer');
  assert.deepEqual(init.headers, { 'Content-Type': 'text/plain;charset=UTF-8' });
  assert.deepEqual(body, payload('b1', 9), 'the last stored payload replaced the first');
  assert.equal(b.store.map.size, 0);
  assert.deepEqual(b.sent, ['b1']);
});

test('a payload is frozen from its first send: later stores change nothing, the retry is identical', async () => {
  const b = browser();
  const t = b.tab();
  b.ep.reply = () => ({ status: 503 });
  await t.store({ batch: 'f1', payload: payload('f1', 9), ready: true });
  await settle();
  assert.equal(b.ep.posts.length, 1);
  assert.ok(b.store.map.get('f1').sent_at, 'marked sent');
  await t.store({ batch: 'f1', payload: payload('f1', 0), ready: true });
  assert.deepEqual(b.store.map.get('f1').payload, payload('f1', 9));
  b.ep.reply = () => ({ status: 200 });
  b.now += 5000;
  await t.flush();
  assert.equal(b.ep.posts.length, 2);
  assert.equal(b.ep.posts[1].init.body, b.ep.posts[0].init.body);
  assert.equal(b.store.map.size, 0);
});

test('the freeze is durable before the answer comes back', async () => {
  const b = browser();
  b.ep.hold = true;
  b.left('g1', { ready: false, send_after_ms: 1000, updated_at: START - 2000 }); // abandoned
  const t = b.tab();
  const done = t.flush();
  await settle();
  assert.equal(b.ep.posts.length, 1);
  const r = b.store.map.get('g1');
  assert.equal(r.sent_at, START);
  assert.equal(r.ready, true);
  b.ep.release();
  await done;
  assert.equal(b.store.map.size, 0);
});

test('status handling: only 400 and 413 drop; everything else keeps and backs off', async () => {
  const cases = [
    [400, 'drop'], [413, 'drop'],
    [403, 'keep'], [422, 'keep'], [429, 'keep'], [500, 'keep'], [503, 'keep'], [404, 'keep'], ['network', 'keep'],
  ];
  for (const [status, want] of cases) {
    const b = browser();
    b.ep.reply = () => {
      if (status === 'network') throw new TypeError('Failed to fetch');
      return { status };
    };
    b.left('s1');
    await b.tab().flush();
    const r = b.store.map.get('s1');
    if (want === 'drop') {
      assert.equal(r, undefined, `${status} drops`);
      assert.deepEqual(b.errors.map((e) => e.code), ['rejected'], `${status} says so`);
      assert.match(b.errors[0].message, new RegExp(`HTTP ${status}`));
      assert.equal(b.errors[0].message.includes('s1'), false, 'the batch id reaches error listeners');
    } else {
      assert.ok(r, `${status} keeps`);
      assert.equal(r.attempts, 1);
      assert.equal(r.retry_at, START + 5000, `${status}: first backoff 5 s`);
      // An endpoint the network cannot reach is the site's to fix: said once, naming it.
      const said = status === 'network'
        ? [{ code: 'unreachable', message: 'could not reach the endpoint /v1/aggregates (Failed to fetch); the answers stay on this device and are sent later' }]
        : [];
      assert.deepEqual(b.errors, said, `${status} is not an error yet`);
    }
  }
});

test('a network failure while the browser is offline is no error; online, it is said once per page', async () => {
  const saved = Object.getOwnPropertyDescriptor(globalThis, 'navigator');
  try {
    for (const [onLine, want] of [[false, 0], [true, 1]]) {
      Object.defineProperty(globalThis, 'navigator', { value: { onLine }, configurable: true });
      const b = browser();
      b.ep.reply = () => {
        throw new TypeError('Failed to fetch');
      };
      b.left('n1');
      const t = b.tab();
      await t.flush();
      b.now += 60_000;
      await t.flush(true);
      assert.equal(b.ep.posts.length, 2, 'both flushes tried');
      assert.deepEqual(b.errors.map((e) => e.code), want ? ['unreachable'] : [], `onLine ${onLine}`);
    }
  } finally {
    if (saved) Object.defineProperty(globalThis, 'navigator', saved);
    else delete globalThis.navigator;
  }
});

test('backoff grows, and Retry-After (seconds or a date) is honoured', async () => {
  const b = browser();
  const t = b.tab();
  b.ep.reply = () => ({ status: 503 });
  b.left('r1');
  await t.flush();
  assert.equal(b.store.map.get('r1').retry_at, START + 5000);
  b.now += 4000;
  await t.flush();
  assert.equal(b.ep.posts.length, 1, 'not before retry_at');
  b.now += 1000;
  await t.flush();
  assert.equal(b.ep.posts.length, 2);
  assert.equal(b.store.map.get('r1').retry_at, b.now + 30000, 'second backoff 30 s');
  b.now += 30000;
  b.ep.reply = () => ({ status: 429, headers: { 'Retry-After': '120' } });
  await t.flush();
  assert.equal(b.store.map.get('r1').retry_at, b.now + 120000);
  b.now += 120000;
  b.ep.reply = () => ({ status: 503, headers: { 'Retry-After': new Date(b.now + 3600e3).toUTCString() } });
  await t.flush();
  assert.equal(b.store.map.get('r1').retry_at, b.now + 3600e3);
  // The page's flush() and the network coming back skip the backoff, never a Retry-After.
  const posts = b.ep.posts.length;
  b.now += 1000;
  await t.flush(true);
  assert.equal(b.ep.posts.length, posts, 'Retry-After holds');
  b.now += 3600e3;
  b.ep.reply = () => ({ status: 503 });
  await t.flush();
  assert.equal(b.ep.posts.length, posts + 1);
  b.now += 1000;
  await t.flush();
  assert.equal(b.ep.posts.length, posts + 1, 'backoff holds a timed flush');
  await t.flush(true);
  assert.equal(b.ep.posts.length, posts + 2, 'an explicit flush skips the backoff');
});

test('a payload is kept for 35 days after it was stored, then dropped with an error', async () => {
  const b = browser();
  b.ep.reply = () => ({ status: 422 });
  b.left('young', { stored_at: START - 34 * DAY, attempts: 40 });
  b.left('old', { stored_at: START - 35 * DAY - 1000, attempts: 40 });
  await b.tab().flush();
  assert.deepEqual(b.ep.batches(), ['young']);
  assert.ok(b.store.map.get('young'));
  assert.equal(b.store.map.get('old'), undefined);
  assert.deepEqual(b.errors.map((e) => e.code), ['expired']);
  assert.match(b.errors[0].message, /35 days/);
  assert.equal(b.errors[0].message.includes('old'), false, 'the batch id reaches error listeners');
});

test('every record leaving the outbox is reported: delivered, dropped (400, 413), expired; kept ones not', async () => {
  const b = browser();
  b.left('old', { stored_at: START - 35 * DAY - 1000 });
  b.left('ok', { stored_at: START - 4 });
  b.left('bad', { stored_at: START - 3 });
  b.left('big', { stored_at: START - 2 });
  b.left('kept', { stored_at: START - 1 });
  b.ep.reply = (p) => ({ status: { ok: 204, bad: 400, big: 413, kept: 422 }[p.batch] });
  await b.tab().flush();
  assert.deepEqual(b.removed, ['old', 'ok', 'bad', 'big']);
  assert.deepEqual([...b.store.map.keys()], ['kept']);
});

test('403 and 422 do not hold up other payloads; 5xx and network errors stop the flush', async () => {
  const b = browser();
  b.left('x1', { stored_at: START - 3 });
  b.left('x2', { stored_at: START - 2 });
  b.left('x3', { stored_at: START - 1 });
  b.ep.reply = (p) => ({ status: p.batch === 'x1' ? 422 : 204 });
  await b.tab().flush();
  assert.deepEqual(b.ep.batches(), ['x1', 'x2', 'x3']);
  assert.deepEqual([...b.store.map.keys()], ['x1']);
  const c = browser();
  c.left('y1', { stored_at: START - 2 });
  c.left('y2', { stored_at: START - 1 });
  c.ep.reply = () => ({ status: 503 });
  await c.tab().flush();
  assert.deepEqual(c.ep.batches(), ['y1']);
});

test('comments: never while their tally is in the outbox, never in the flush that acknowledged it', async () => {
  const b = browser();
  const t = b.tab();
  const comments = { nazar: 1, kind: 'comments', batch: 'c1', survey: 's', comments: [{ question: 'why', group: 'detractor', text: 'late' }] };
  b.ep.reply = () => ({ status: 422 }); // kept, and the flush goes on to the next payload
  // The core's session end: the tally ("send"), then the comments effect naming it.
  await t.store({ batch: 't1', payload: payload('t1'), ready: true });
  await t.store({ batch: 'c1', payload: comments, kind: 'comments', ready: true, after: 't1' });
  await settle();
  assert.deepEqual(b.ep.batches(), ['t1']);
  assert.equal(b.store.map.get('c1').kind, 'comments');
  assert.equal(b.store.map.get('c1').after, 't1');
  b.now += 5000;
  await t.flush();
  assert.deepEqual(b.ep.batches(), ['t1', 't1'], 'the tally is still in the outbox: comments wait');
  b.ep.reply = () => ({ status: 204 });
  b.now += 30000;
  await t.flush();
  assert.deepEqual(b.ep.batches(), ['t1', 't1', 't1'], 'acknowledged in this flush: comments wait');
  await t.flush();
  assert.deepEqual(b.ep.batches(), ['t1', 't1', 't1'], "this page's own later flushes (release, online, timer) do not send them");
  await t.flush(false, true);
  assert.deepEqual(b.ep.batches(), ['t1', 't1', 't1', 'c1'], "the page's flush() sends them");
  assert.equal(b.ep.posts[3].body.kind, 'comments');
  assert.equal('page' in b.ep.posts[3].body, false, 'the page id stays on the device');
  assert.equal(b.store.map.size, 0);
});

// A kiosk never reloads: its comments leave on its own later flush, a minute after the flush that
// saw their tally acknowledged, never in that flush.
test('kiosk comments: sent by a later flush of the same page, a minute after their tally', async () => {
  const b = browser();
  const t = b.tab();
  await t.store({ batch: 'k1', payload: payload('k1'), ready: true });
  const note = { kind: 'comments', batch: 'kc1' };
  await t.store({ batch: 'kc1', payload: note, kind: 'comments', ready: true, after: 'k1', kiosk: true });
  await settle();
  assert.deepEqual(b.ep.batches(), ['k1'], 'not in the flush that saw the tally acknowledged');
  assert.equal(b.store.map.get('kc1').page, undefined);
  b.now += 59999;
  await t.flush();
  assert.deepEqual(b.ep.batches(), ['k1'], 'a later flush within the minute: still waiting');
  b.now += 1;
  await t.flush();
  assert.deepEqual(b.ep.batches(), ['k1', 'kc1'], 'the same page, a minute later');
  assert.equal(b.store.map.size, 0);
});

test('comments stored with their tally wait for the next page load', async () => {
  const b = browser();
  const t = b.tab();
  await t.store({ batch: 't2', payload: payload('t2'), ready: true });
  await t.store({ batch: 'c2', payload: { kind: 'comments', batch: 'c2' }, kind: 'comments', ready: true, after: 't2' });
  await settle(); // the flush that the finished tally started is over
  assert.deepEqual(b.ep.batches(), ['t2']);
  await b.tab().flush(); // the next page
  assert.deepEqual(b.ep.batches(), ['t2', 'c2']);
});

test('comments: the flush of their widget closing (release) does not send them', async () => {
  const b = browser();
  const t = b.tab();
  await t.store({ batch: 't3', payload: payload('t3'), ready: true });
  await settle();
  assert.deepEqual(b.ep.batches(), ['t3'], 'the finished tally leaves at once');
  await t.store({ batch: 'c3', payload: { kind: 'comments', batch: 'c3' }, kind: 'comments', ready: true, after: 't3' });
  await t.release('t3'); // the widget closes after Submit: a new flush, tally acknowledged
  await settle();
  await t.flush(); // and the network coming back or the 60 s timer: a flush of the same page
  assert.deepEqual(b.ep.batches(), ['t3'], 'comments left milliseconds after their tally');
  assert.equal(b.store.map.get('c3').kind, 'comments');
  await b.tab().flush(); // the next page load
  assert.deepEqual(b.ep.batches(), ['t3', 'c3']);
});

test('one request in flight, also with two tabs flushing at once; each payload sent once', async () => {
  const b = browser();
  for (let i = 0; i < 6; i++) b.left('o' + i, { stored_at: START - 10 + i });
  b.ep.hold = true;
  const tabs = [b.tab(), b.tab()];
  const done = Promise.all(tabs.map((t) => t.flush()));
  for (let i = 0; i < 6; i++) {
    await settle();
    assert.equal(b.ep.inFlight, 1, 'one request in flight');
    const r = b.ep.waiting.shift();
    r();
  }
  b.ep.release();
  await done;
  assert.equal(b.ep.maxInFlight, 1);
  assert.deepEqual(b.ep.batches(), ['o0', 'o1', 'o2', 'o3', 'o4', 'o5']);
  assert.equal(b.store.map.size, 0);
});

test('a batch some tab still shows is neither sent nor abandoned by another tab', async () => {
  const b = browser();
  const a = b.tab();
  const other = b.tab();
  await a.store({ batch: 'h1', payload: payload('h1'), ready: false, sendAfterMs: 1000 });
  assert.ok(b.locks.names.has(BATCH_LOCK_PREFIX + 'h1'));
  b.now += 10000; // long past the abandon timeout
  await other.flush();
  assert.deepEqual(b.ep.batches(), []);
  b.ep.reply = () => ({ status: 503 });
  await a.store({ batch: 'h1', payload: payload('h1', 2), ready: true });
  await settle();
  assert.deepEqual(b.ep.batches(), ['h1'], 'sent by the tab that shows it');
  await other.flush(true); // even skipping the backoff: the tab showing it retries it
  assert.deepEqual(b.ep.batches(), ['h1']);
  b.ep.reply = () => ({ status: 204 });
  await a.flush(true);
  assert.deepEqual(b.ep.batches(), ['h1', 'h1']);
  assert.equal(b.store.map.has('h1'), false);
  // Released: an unfinished batch of a closed widget is abandoned by anyone after the timeout.
  await a.store({ batch: 'h2', payload: payload('h2'), ready: false, sendAfterMs: 1000 });
  await a.release('h2');
  assert.ok(!b.locks.names.has(BATCH_LOCK_PREFIX + 'h2'));
  await other.flush();
  assert.deepEqual(b.ep.batches(), ['h1', 'h1'], 'not before its timeout');
  b.now += 1000;
  await other.flush();
  assert.deepEqual(b.ep.batches(), ['h1', 'h1', 'h2']);
});

test('work per store is one write, however large the backlog', async () => {
  const b = browser();
  b.ep.reply = () => ({ status: 503 });
  for (let i = 0; i < 1000; i++) b.left('old' + i, { retry_at: START + DAY });
  const t = b.tab();
  await t.flush(); // the page's start: one read of the backlog
  const before = { ...b.store.ops };
  await t.store({ batch: 'n1', payload: payload('n1'), ready: false, sendAfterMs: 1000 });
  for (let v = 0; v <= 10; v++) await t.store({ batch: 'n1', payload: payload('n1', v), ready: false, sendAfterMs: 1000 });
  assert.equal(b.store.ops.put - before.put, 12, 'one write per store');
  assert.equal(b.store.ops.list - before.list, 0, 'no read of the backlog');
  assert.equal(b.store.ops.delete - before.delete, 0);
  assert.equal(b.store.map.size, 1001);
});

test('a page being hidden sends its finished batch at once (keepalive) and other tabs leave it alone', async () => {
  const b = browser();
  const t = b.tab();
  b.ep.reply = () => ({ status: 503 });
  await t.store({ batch: 'p1', payload: payload('p1'), ready: true });
  await settle();
  assert.equal(b.ep.posts.length, 1); // failed, backing off
  b.ep.reply = () => ({ status: 204 });
  b.ep.hold = true;
  t.hide();
  assert.equal(b.ep.posts.length, 2, 'the request left synchronously, while hiding');
  assert.equal(b.ep.posts[1].init.keepalive, true);
  assert.equal(b.ep.posts[1].init.referrerPolicy, 'no-referrer');
  assert.ok(b.ls.getItem(HIDE_PREFIX + 'p1'), 'marked as in flight for other tabs');
  // The page is gone (its locks with it): another tab does not send it while it may be in flight.
  b.locks.names.delete(BATCH_LOCK_PREFIX + 'p1');
  const other = b.tab();
  await other.flush(true);
  assert.equal(b.ep.posts.length, 2);
  // Once the mark is old, the record goes again (the hidden page never learnt the answer),
  // whatever its backoff says.
  b.store.map.get('p1').retry_at = b.now + DAY;
  b.now += 10000;
  b.ep.hold = false;
  await other.flush();
  assert.equal(b.ep.posts.length, 3);
  assert.deepEqual(b.ep.posts[2].body, payload('p1'));
  b.ep.release();
  await settle();
  assert.equal(b.store.map.size, 0);
  assert.equal(b.ls.getItem(HIDE_PREFIX + 'p1'), null);
});

test('hiding journals writes not yet durable to localStorage; the next page picks them up', async () => {
  const b = browser();
  let finish;
  const slow = new CountingStore();
  const t = new Transport('/v1/aggregates', { sent() {}, error() {}, debug() {} }, {
    openStore: async () => ({ name: 'slow', put: () => new Promise((r) => (finish = r)), delete: async () => {}, list: async () => [] }),
    locks: b.locks, fetch: b.ep.fetch, now: () => b.now, storage: b.ls,
  });
  void t.store({ batch: 'j1', payload: payload('j1'), ready: false, sendAfterMs: 5 });
  await settle();
  assert.ok(finish, 'write started');
  t.hide();
  const journaled = JSON.parse(b.ls.getItem(RECORD_PREFIX + 'j1'));
  assert.equal(journaled.id, 'j1');
  assert.deepEqual(journaled.payload, payload('j1'));
  // The next page, on localStorage: the journaled record is its own.
  const next = await new LocalStore(b.ls).list();
  assert.deepEqual(next.map((r) => r.id), ['j1']);
  void slow;
});

test('localStorage backend: one key per record, the old single-key outbox is imported', async () => {
  const ls = fakeStorage();
  ls.setItem(LEGACY_KEY, JSON.stringify({ L1: { payload: payload('L1'), ready: true, stored_at: START - 1000 }, bad: null }));
  ls.setItem('host:other', 'x');
  ls.setItem(RECORD_PREFIX + 'junk', '{');
  const store = new LocalStore(ls);
  const ep = endpoint();
  const t = new Transport('/v1/aggregates', { sent() {}, error() {}, debug() {} }, {
    openStore: async () => store, locks: sharedLocks(), fetch: ep.fetch, now: () => START, storage: ls,
  });
  await t.store({ batch: 'L2', payload: payload('L2'), ready: false, sendAfterMs: 60000 });
  assert.equal(JSON.parse(ls.getItem(RECORD_PREFIX + 'L2')).id, 'L2');
  await t.flush();
  assert.deepEqual(ep.batches(), ['L1']);
  assert.equal(ls.getItem(LEGACY_KEY), null);
  assert.equal(ls.getItem(RECORD_PREFIX + 'L1'), null);
  assert.equal(ls.getItem('host:other'), 'x');
});

test('no durable storage: memory, an error event, and delivery still works', async () => {
  const b = browser();
  const errors = [];
  const t = new Transport('/v1/aggregates', { sent() {}, error: (code) => errors.push(code), debug() {} }, {
    openStore: async () => {
      throw new Error('SecurityError');
    },
    locks: b.locks, fetch: b.ep.fetch, now: () => b.now, storage: null,
  });
  await t.store({ batch: 'm1', payload: payload('m1'), ready: true });
  await settle();
  assert.deepEqual(errors, ['storage']);
  assert.deepEqual(b.ep.batches(), ['m1']);
});

test('a write that fails later (quota): the record stays in memory, with an error event', async () => {
  const b = browser();
  const t = b.tab();
  b.ep.reply = () => ({ status: 503 });
  b.store.failPut = true;
  await t.store({ batch: 'q1', payload: payload('q1'), ready: true });
  await settle();
  assert.deepEqual(b.errors.map((e) => e.code), ['storage']);
  assert.deepEqual((await t.records()).map((r) => r.id), ['q1']);
  b.ep.reply = () => ({ status: 204 });
  b.now += 5000;
  await t.flush();
  assert.deepEqual(b.ep.batches(), ['q1', 'q1']);
  assert.deepEqual(await t.records(), []);
});

test('a tab closed right after Submit: the store not yet written is journaled by hide()', async () => {
  const b = browser();
  const t = b.tab();
  b.ep.hold = true; // nothing acknowledged: the record must survive the page
  const stored = t.store({ batch: 'h1', payload: payload('h1'), ready: true }); // not awaited
  t.hide(); // pagehide in the same task as the click
  const journaled = JSON.parse(b.ls.getItem(RECORD_PREFIX + 'h1'));
  assert.equal(journaled.id, 'h1');
  assert.equal(journaled.ready, true);
  assert.deepEqual(journaled.payload, payload('h1'));
  b.ep.release();
  await stored;
});

test('a payload over 32 KiB is refused with an error, not stored', async () => {
  const b = browser();
  const t = b.tab();
  await t.store({ batch: 'big', payload: { ...payload('big'), pad: 'x'.repeat(33 * 1024) }, ready: true });
  assert.equal(b.store.map.size, 0);
  assert.deepEqual(b.errors.map((e) => e.code), ['too_large']);
  assert.equal(b.errors[0].message.includes('big'), false, 'the batch id reaches error listeners');
});

test('malformed records (storage is shared with the host page) are skipped', async () => {
  const ls = fakeStorage();
  ls.setItem(RECORD_PREFIX + 'a', JSON.stringify({ id: 'a', payload: 3, stored_at: 1 }));
  ls.setItem(RECORD_PREFIX + 'b', JSON.stringify({ id: 'other', payload: {}, stored_at: 1 }));
  ls.setItem(RECORD_PREFIX + 'c', JSON.stringify({ id: 'c', payload: { batch: 'c' }, stored_at: START, ready: true }));
  const list = await new LocalStore(ls).list();
  assert.deepEqual(list.map((r) => r.id), ['c']);
});

// The loader loads the outbox module only when localStorage holds "nazar:pending" (outbox.ts).
test('the pending mark: set once a record is durable, cleared by a flush that leaves nothing', async () => {
  assert.equal(PENDING_KEY, 'nazar:pending'); // the name outbox.ts reads and the README documents
  const b = browser();
  const t = b.tab();
  b.ep.reply = () => ({ status: 503 });
  await t.store({ batch: 'p1', payload: payload('p1'), ready: true });
  await settle();
  assert.equal(b.ls.getItem(PENDING_KEY), '1', 'a record waits');
  b.ep.reply = () => ({ status: 204 });
  b.now += 6000;
  await t.flush(true);
  await settle();
  assert.deepEqual(b.store.map.size, 0);
  assert.equal(b.ls.getItem(PENDING_KEY), null, 'nothing waits');
});

test('an opt-out\'s drop takes the session\'s records and, with the last one, the pending mark', async () => {
  const b = browser();
  const t = b.tab();
  b.ep.reply = () => ({ status: 503 });
  await t.store({ batch: 'd1', payload: payload('d1'), ready: false, sendAfterMs: 60000 });
  const comments = { nazar: 1, kind: 'comments', batch: 'dc1', survey: 's', comments: [{ question: 'why', group: 'passive', text: 'ok' }] };
  await t.store({ batch: 'dc1', payload: comments, kind: 'comments', ready: true, after: 'd1' });
  await settle();
  assert.equal(b.ls.getItem(PENDING_KEY), '1');
  await t.drop('d1');
  assert.deepEqual([...b.store.map.keys()], [], 'the tally and its comments');
  assert.equal(b.ls.getItem(PENDING_KEY), null, 'nothing waits, so no page loads the outbox for it');
  // Another page's record keeps the mark.
  b.left('other', { ready: false, updated_at: b.now, send_after_ms: 60000 });
  await t.store({ batch: 'd2', payload: payload('d2'), ready: false, sendAfterMs: 60000 });
  await t.drop('d2');
  assert.deepEqual([...b.store.map.keys()], ['other']);
  assert.equal(b.ls.getItem(PENDING_KEY), '1');
});

test('the pending mark comes back whenever a flush leaves records (a page wiped localStorage)', async () => {
  const b = browser();
  b.left('w1', { ready: false, updated_at: b.now, send_after_ms: 60000 }); // not due yet
  const t = b.tab();
  await t.flush(true);
  await settle();
  assert.equal(b.ls.getItem(PENDING_KEY), '1');
});

test('records moved from the single-key outbox of earlier versions are marked', async () => {
  const ls = fakeStorage();
  ls.setItem(LEGACY_KEY, JSON.stringify({ L2: { payload: payload('L2'), ready: false, stored_at: START, send_after_ms: 60000 } }));
  const b = browser();
  const t = new Transport('/v1/aggregates', { sent() {}, error() {}, debug() {} }, {
    openStore: async () => new LocalStore(ls), locks: b.locks, fetch: b.ep.fetch, now: () => START, storage: ls,
  });
  await t.flush(true);
  await settle();
  assert.equal(ls.getItem(LEGACY_KEY), null, 'moved');
  assert.ok(ls.getItem(RECORD_PREFIX + 'L2'), 'kept, not yet due');
  assert.equal(ls.getItem(PENDING_KEY), '1');
});

test('a store that cannot be read keeps the mark', async () => {
  const b = browser();
  b.ls.setItem(PENDING_KEY, '1');
  b.left('r1');
  b.store.list = async () => {
    throw new Error('UnknownError');
  };
  const t = b.tab();
  await t.flush(true);
  await settle();
  assert.equal(b.ls.getItem(PENDING_KEY), '1');
});

test('a page that only looked for leftovers without durable storage reports nothing', async () => {
  const errors = [];
  const b = browser();
  const t = new Transport('/v1/aggregates', { sent() {}, error: (code) => errors.push(code), debug() {} }, {
    openStore: async () => {
      throw new Error('SecurityError');
    },
    locks: b.locks, fetch: b.ep.fetch, now: () => b.now, storage: null,
  });
  await t.flush(true);
  await settle();
  assert.deepEqual(errors, []);
});

// Web Locks as a browser keeps them for the pages of one origin: FIFO per name, and a page that
// goes away (`gone`) loses every lock it holds or waits for at once, while a keepalive request
// it started may still be in flight. `page(name)` is that page's navigator.locks.
function pageLocks() {
  const holders = new Map(); // lock name -> {page}
  const queues = new Map(); // lock name -> [{page, grant}]
  const next = (name) => {
    if (!holders.has(name)) queues.get(name)?.shift()?.grant();
  };
  const held = async () => new Set(holders.keys());
  return {
    held,
    page: (page) => ({
      held,
      request: (name, fn) =>
        new Promise((resolve, reject) => {
          const grant = () => {
            const hold = { page };
            holders.set(name, hold);
            Promise.resolve()
              .then(fn)
              .then(resolve, reject)
              .finally(() => {
                if (holders.get(name) !== hold) return; // its page went away
                holders.delete(name);
                next(name);
              });
          };
          queues.set(name, [...(queues.get(name) ?? []), { page, grant }]);
          next(name);
        }),
    }),
    gone(page) {
      for (const [name, q] of queues) queues.set(name, q.filter((w) => w.page !== page));
      for (const [name, hold] of [...holders]) {
        if (hold.page !== page) continue;
        holders.delete(name);
        next(name);
      }
    },
  };
}

// The race of tests/browser/outbox.test.mjs: a page goes away while its request is in flight
// (keepalive: the request lives on, the page's locks do not). Another page must not send that
// batch while the request may still be in flight, nor forget it afterwards.
for (const { what, own, hide, leftAfterMs } of [
  { what: 'its own finished batch, then pagehide', own: true, hide: true, leftAfterMs: 0 },
  { what: 'a batch earlier pages left, without pagehide (a crash)', own: false, hide: false, leftAfterMs: 0 },
  { what: 'a request that started 9 s before pagehide', own: false, hide: true, leftAfterMs: 9000 },
]) {
  test(`a page goes away with a request in flight (${what}): no other page sends that batch meanwhile`, async () => {
    const b = browser();
    const locks = pageLocks();
    const tab = (page) =>
      new Transport('/v1/aggregates', { sent: (batch) => b.sent.push(batch), error() {}, debug() {} }, {
        openStore: async () => b.store, locks: locks.page(page), fetch: b.ep.fetch, now: () => b.now, storage: b.ls,
      });
    b.ep.hold = true; // the first request is never answered while its page lives
    const a = tab('a');
    if (own) await a.store({ batch: 'g1', payload: payload('g1'), ready: true });
    else {
      b.left('g1');
      void a.flush();
    }
    await settle();
    assert.deepEqual(b.ep.batches(), ['g1']);
    assert.equal(b.ep.inFlight, 1);
    b.now += leftAfterMs;
    const gone = b.now;
    if (hide) a.hide();
    assert.deepEqual(b.ep.batches(), ['g1'], 'one request of a batch at a time, also from the page being hidden');
    locks.gone('a');
    const other = tab('b');
    // Not awaited: on a request held open, a flush that sent the batch again would never end.
    void other.flush(true); // the next page's start()
    await settle();
    b.now += 9999;
    void other.flush(true); // its flush()
    await settle();
    assert.deepEqual(b.ep.batches(), ['g1'], 'sent again while the first request may be in flight');
    b.now = gone + 10000; // in flight for 10 s after its page went away: counted as lost
    b.ep.hold = false;
    await other.flush();
    assert.deepEqual(b.ep.batches(), ['g1', 'g1']);
    assert.deepEqual(b.ep.posts[1].body, payload('g1'), 'the same payload, same batch id');
    assert.deepEqual(b.sent, ['g1']);
    assert.equal(b.store.map.size, 0);
  });
}
