// The loader's pre-filter (web/src/embed/prefilter.ts) against the cases in
// tests/fixtures/targeting/prefilter.json, whose "core" answers tests/core/targeting_test.cc
// holds the core to. The pre-filter must never say no where the core shows a survey, and must
// say no where the file says a page downloads nothing. Prints how often a page would download
// the module only to be told no.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, importWebSource } from './helpers.mjs';

const { mayShow, globMatch, pagePath } = await importWebSource('embed/prefilter');
const fixture = JSON.parse(fs.readFileSync(path.join(ROOT, 'tests/fixtures/targeting/prefilter.json'), 'utf8'));

test('the fixture has cases of every trigger kind, both ways', () => {
  const kinds = new Set(fixture.cases.map((c) => c.facts.kind));
  for (const k of ['event', 'pageview', 'scroll', 'dwell', 'exit_intent', 'manual']) assert.ok(kinds.has(k), k);
  assert.ok(fixture.cases.some((c) => c.prefilter === 'no'));
  assert.ok(fixture.cases.some((c) => c.prefilter === 'maybe' && c.core === null));
});

test('pre-filter "no" implies core "no", and it says no where the file says so', () => {
  for (const c of fixture.cases) {
    const said = mayShow(fixture.definitions[c.definition], c.facts) ? 'maybe' : 'no';
    if (said === 'no') assert.equal(c.core, null, `${c.name}: the pre-filter refused a survey the core shows`);
    assert.equal(said, c.prefilter, c.name);
  }
});

test('anything the pre-filter does not understand is a maybe (the core reports it)', () => {
  const facts = { kind: 'pageview', url_path: '/x' };
  for (const odd of [null, 42, {}, { trigger: null }, { trigger: { on: 7 } },
    { trigger: { on: 'pageview', url: 'x' } }, { trigger: { on: 'pageview', url: { include: [1] } } },
    { trigger: { on: 'pageview', url: { exclude: '/x' } } }]) {
    assert.equal(mayShow(odd, facts), true, JSON.stringify(odd));
  }
  assert.equal(mayShow({ surveys: [] }, facts), false);
});

test('glob vectors shared with tests/core/targeting_test.cc', () => {
  const yes = [['/checkout/thank-you*', '/checkout/thank-you/order/42'], ['*', ''], ['/*', '/a/b/c'],
    ['*/help', '/fa/shop/help'], ['/shop/**cart', '/shop/cart'], ['/a*b*c', '/a/b/c/b/c'], ['*ab', 'aaab'],
    ['/checkout/thank-you', '/checkout/thank-you?order=42'], ['/checkout/thank-you', '/checkout/thank-you#top'],
    ['/فروشگاه/*', '/فروشگاه/سبد'], ['', '']];
  const no = [['/checkout/thank-you', '/checkout/thank-you/'], ['/Checkout', '/checkout'], ['*/help', '/fa/shop/help/more'],
    ['/shop/*/cart', '/shop/cart'], ['*ab', 'aaba'], ['*order=42*', '/checkout/thank-you?order=42'],
    ['/search?q=*', '/search?q=shoes'], ['', '/']];
  for (const [p, s] of yes) assert.equal(globMatch(p, s), true, `${p} ~ ${s}`);
  for (const [p, s] of no) assert.equal(globMatch(p, s), false, `${p} !~ ${s}`);
  const long = 'a'.repeat(100000);
  assert.equal(globMatch('*a*a*a*a*a*a*a*a*b', long), false);
});

test('how often a page downloads the module only to be told no', (t) => {
  const asked = fixture.cases.filter((c) => c.prefilter === 'maybe');
  const wasted = asked.filter((c) => c.core === null);
  const refused = fixture.cases.filter((c) => c.core === null);
  const spared = refused.filter((c) => c.prefilter === 'no');
  t.diagnostic(`fixture: ${fixture.cases.length} cases; the module downloads for ${asked.length}, ` +
    `of which ${wasted.length} are told no (${((100 * wasted.length) / asked.length).toFixed(0)}%); ` +
    `of ${refused.length} "no" pages the pre-filter spares ${spared.length} ` +
    `(${((100 * spared.length) / refused.length).toFixed(0)}%) the download`);
  // Every wasted download is one the pre-filter must leave to the core: history, sampling,
  // or a scroll/dwell fact still short of its threshold.
  for (const c of wasted) {
    const why = c.history !== undefined || (c.facts.kind === 'scroll' && c.facts.scroll_percent < 100);
    assert.ok(why, `${c.name}: a download the pre-filter could have spared`);
  }
});

test('pagePath: location.pathname decoded once; a malformed escape keeps the raw path', () => {
  assert.equal(pagePath('/%D9%81%D8%B1%D9%88%D8%B4%DA%AF%D8%A7%D9%87/'), '/فروشگاه/');
  assert.equal(pagePath('/a%2520b'), '/a%20b', 'decoded once, not twice');
  assert.equal(pagePath('/100%/off'), '/100%/off');
  assert.equal(pagePath('/%D9/'), '/%D9/', 'a truncated UTF-8 sequence');
  assert.equal(pagePath('/plain/path'), '/plain/path');
});
