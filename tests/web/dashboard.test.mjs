// The dashboard's pure pieces (web/src/pages/dashboard/): the query strings it sends (the
// parameter names of /work/notes/issue8-plan.md §1 item 3 and §2.3, written out here by hand),
// the page URL round trip, and the live loop's own reconnection after EventSource gives up
// (a fake EventSource and node's mock timers).
import { test, mock } from 'node:test';
import assert from 'node:assert/strict';
import { importWebSource } from './helpers.mjs';

const q = await importWebSource('pages/dashboard/query');
const { openLive, retryDelay } = await importWebSource('pages/dashboard/live');

const view = (over) => ({ ...q.defaultState(), survey: 'post-checkout', ...over });

test('report query: survey, preset or from/to, by, calendar, segment, compare', () => {
  assert.equal(q.reportParams(view({}), 'en').toString(),
    'survey=post-checkout&preset=last_30_days&by=day&calendar=gregorian&segment=locale');
  // Solar Hijri is the default in fa only; a chosen calendar wins in every language.
  assert.equal(q.reportParams(view({}), 'fa').get('calendar'), 'jalali');
  assert.equal(q.reportParams(view({}), 'ar').get('calendar'), 'gregorian');
  assert.equal(q.reportParams(view({ calendar: 'gregorian' }), 'fa').get('calendar'), 'gregorian');
  // This month against last month (plan: compare=preset:last_month).
  const p = q.reportParams(view({ preset: 'this_month', compare: 'preset:last_month', by: '', segment: false }), 'en');
  assert.deepEqual([...p.entries()], [['survey', 'post-checkout'], ['preset', 'this_month'], ['calendar', 'gregorian'],
    ['compare', 'preset:last_month']]);
  // Any two ranges: from/to and compare=FROM..TO (Contract 5).
  const c = q.reportParams(view({ preset: 'custom', from: '2026-11-01', to: '2026-11-30', compare: 'custom',
    cfrom: '2026-10-01', cto: '2026-10-31' }), 'en');
  assert.equal(c.get('from'), '2026-11-01');
  assert.equal(c.get('to'), '2026-11-30');
  assert.equal(c.has('preset'), false);
  assert.equal(c.get('compare'), '2026-10-01..2026-10-31');
  // An unfinished custom compare sends no compare at all.
  assert.equal(q.reportParams(view({ compare: 'custom', cfrom: '2026-10-01' }), 'en').has('compare'), false);
});

test('comments query: the view range as chosen, in its calendar, and the search text', () => {
  assert.equal(q.commentsParams(view({}), 'en', '').toString(), 'survey=post-checkout&preset=last_30_days&calendar=gregorian');
  // Persian: a named range is a Solar Hijri month or week, as in the report beside it.
  assert.equal(q.commentsParams(view({ preset: 'this_month' }), 'fa', '').toString(),
    'survey=post-checkout&preset=this_month&calendar=jalali');
  // A custom range goes as chosen, even ending today: the collector cuts it to yesterday.
  assert.equal(q.commentsParams(view({ preset: 'custom', from: '2026-11-01', to: '2026-12-01' }), 'en', 'late delivery')
    .toString(), 'survey=post-checkout&from=2026-11-01&to=2026-12-01&calendar=gregorian&q=late+delivery');
});

test('the page URL keeps the view and reads back to the same view', () => {
  for (const s of [view({}), view({ preset: 'last_month', by: '', segment: false, calendar: 'jalali' }),
    view({ preset: 'custom', from: '2026-11-01', to: '2026-11-15', compare: 'custom', cfrom: '2026-10-01', cto: '2026-10-15', by: 'week' }),
    view({ compare: 'preset:last_week', by: 'month' })]) {
    const url = q.pageParams(s, 'fa');
    assert.equal(url.get('lang'), 'fa');
    assert.deepEqual(q.stateFromParams(url), s, url.toString());
  }
  // Junk falls back to the defaults instead of reaching the collector.
  const odd = q.stateFromParams(new URLSearchParams('preset=yesterday&by=year&calendar=lunar&compare=locale:en..locale:fa&from=11/01/2026'));
  assert.deepEqual(odd, q.defaultState());
});

test('retryDelay: 1 s doubling to 30 s, less up to a fifth at random', () => {
  assert.deepEqual([1, 2, 3, 4, 5, 6, 7, 20].map((n) => retryDelay(n, () => 0)), [1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
  assert.equal(retryDelay(1, () => 1), 800);
  assert.equal(retryDelay(6, () => 0.5), 27000);
});

// A stand-in EventSource: records instances; the test fires their events.
class FakeSource {
  static CONNECTING = 0; static OPEN = 1; static CLOSED = 2;
  static all = [];
  constructor(url) { this.url = url; this.readyState = 0; this.listeners = {}; this.closed = false; FakeSource.all.push(this); }
  addEventListener(type, fn) { (this.listeners[type] ??= []).push(fn); }
  close() { this.closed = true; this.readyState = 2; }
  fire(type, init = {}) { for (const fn of this.listeners[type] ?? []) fn({ type, ...init }); }
}

test('live: its own back-off after EventSource closes, reset by an event; revoked stops it', () => {
  globalThis.EventSource = FakeSource;
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    const seen = [];
    const live = openLive('/v1/stream?survey=s', {
      report: (r, id) => seen.push(['report', r.completions, id]),
      revoked: () => seen.push(['revoked']),
      state: (s, wait, failures) => seen.push([s, wait, failures]),
    });
    assert.equal(FakeSource.all.length, 1);
    const first = FakeSource.all[0];
    assert.equal(first.url, '/v1/stream?survey=s');
    // A dropped stream the browser retries itself: no new EventSource.
    first.readyState = 0;
    first.fire('error');
    assert.equal(FakeSource.all.length, 1);
    // A non-200 answer: CLOSED. The loop waits (1 s at most) and opens a new one.
    first.readyState = 2;
    first.fire('error');
    assert.equal(first.closed, true);
    const wait1 = seen.at(-1);
    assert.equal(wait1[0], 'retrying');
    assert.ok(wait1[1] >= 800 && wait1[1] <= 1000, String(wait1[1]));
    mock.timers.tick(wait1[1] - 1);
    assert.equal(FakeSource.all.length, 1);
    mock.timers.tick(1);
    assert.equal(FakeSource.all.length, 2);
    // Second failure in a row: up to 2 s.
    FakeSource.all[1].readyState = 2;
    FakeSource.all[1].fire('error');
    assert.ok(seen.at(-1)[1] >= 1600 && seen.at(-1)[1] <= 2000);
    assert.equal(seen.at(-1)[2], 2);
    mock.timers.tick(2000);
    const third = FakeSource.all[2];
    third.fire('report', { data: JSON.stringify({ completions: 42 }), lastEventId: '42' });
    assert.deepEqual(seen.at(-1), ['report', 42, '42']);
    assert.deepEqual(seen.at(-2), ['live', 0, 0]);
    // A broken event is dropped.
    const before = seen.length;
    third.fire('report', { data: '{oops', lastEventId: '43' });
    assert.equal(seen.length, before);
    // After an event the back-off starts again at 1 s.
    third.readyState = 2;
    third.fire('error');
    assert.ok(seen.at(-1)[1] <= 1000);
    assert.equal(seen.at(-1)[2], 1);
    mock.timers.tick(1000);
    const fourth = FakeSource.all[3];
    fourth.fire('revoked');
    assert.deepEqual(seen.at(-1), ['revoked']);
    assert.equal(fourth.closed, true);
    mock.timers.tick(60_000);
    assert.equal(FakeSource.all.length, 4);  // no reconnection after revoked
    live.close();
  } finally {
    mock.timers.reset();
    delete globalThis.EventSource;
  }
});

test('live: close() stops a pending retry', () => {
  globalThis.EventSource = FakeSource;
  FakeSource.all = [];
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    const live = openLive('/v1/stream', { report() {}, revoked() {}, state() {} });
    FakeSource.all[0].readyState = 2;
    FakeSource.all[0].fire('error');
    live.close();
    mock.timers.tick(60_000);
    assert.equal(FakeSource.all.length, 1);
  } finally {
    mock.timers.reset();
    delete globalThis.EventSource;
  }
});
