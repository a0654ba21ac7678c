// The report view's pure pieces (web/src/pages/report/): CSV escaping, the NPS group bar, trend
// version markers and period kinds, against values worked out by hand in the comments (not the
// code's own formulas). SVG is built in a minimal fake document (fake_dom.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { importWebSource } from './helpers.mjs';
import { installFakeDom } from './fake_dom.mjs';

installFakeDom();
const { csvField, commentsCsv, reportCsv } = await importWebSource('pages/report/export');
const { groupBar, trendChart } = await importWebSource('pages/report/charts');
const { periodKind, versionMarkers } = await importWebSource('pages/report/view');

const num = (el, k) => Number(el.getAttribute(k));

test('csvField: formula starters get an apostrophe, plain numbers stay numbers', () => {
  // OWASP "CSV injection": = + - @ tab CR at the start of a cell.
  assert.equal(csvField('=1+1'), "'=1+1");
  assert.equal(csvField('+1'), "'+1");
  assert.equal(csvField('-1+1'), "'-1+1");
  assert.equal(csvField('@SUM(A1)'), "'@SUM(A1)");
  assert.equal(csvField('\tx'), "'\tx");
  assert.equal(csvField('\r=1'), "\"'\r=1\"");   // escaped, then quoted for the CR
  assert.equal(csvField('-'), "'-");
  // A negative NPS or a count written as text stays a number the spreadsheet can add up.
  assert.equal(csvField('-12.5'), '-12.5');
  assert.equal(csvField('12'), '12');
  assert.equal(csvField(-12.5), '-12.5');
  assert.equal(csvField(0), '0');
  // Quoting (RFC 4180): a comma, a quote or a line break.
  assert.equal(csvField('a,b'), '"a,b"');
  assert.equal(csvField('say "hi"'), '"say ""hi"""');
  assert.equal(csvField('=HYPERLINK("http://x")'), '"\'=HYPERLINK(""http://x"")"');
  assert.equal(csvField(null), '');
  assert.equal(csvField(undefined), '');
  assert.equal(csvField('plain text'), 'plain text');
});

test('commentsCsv: a header and one row per comment, each text escaped', () => {
  const csv = commentsCsv([
    { group: 'detractor', question: 'why', text: '=cmd|" /C calc"!A0' },
    { group: 'promoter', question: 'why', text: 'fast, friendly' },
    { group: 'passive', question: 'why', text: '-5 stars' },
  ]);
  assert.equal(csv, 'group,question,text\r\n' +
    'detractor,why,"\'=cmd|"" /C calc""!A0"\r\n' +
    'promoter,why,"fast, friendly"\r\n' +
    "passive,why,'-5 stars\r\n");
  assert.equal(commentsCsv([]), 'group,question,text\r\n');
});

test('reportCsv keeps a negative score numeric', () => {
  const csv = reportCsv({ from: '2026-11-01', to: '2026-11-30', suppressed: [],
    questions: { nps: { type: 'nps', n: 10, score: -20, ci95: [-55.1, 18.2] } } });
  const row = csv.split('\r\n')[1].split(',');
  assert.equal(row[6], '-20');
  assert.equal(row[8], '-55.1');
});

const parts = (d, p, q) => [
  { label: 'Detractors', count: d, tone: 'bad' },
  { label: 'Passives', count: p, tone: 'mid' },
  { label: 'Promoters', count: q, tone: 'good' },
];

test('groupBar: widths proportional to the counts, adding up to the bar, mirrored in rtl', () => {
  // The bar is 360 - 2 * 8 = 344 wide. 20/30/50 of 100: 68.8, 103.2 and the rest, 172.
  const ltr = groupBar(parts(20, 30, 50), { lang: 'en', rtl: false, title: 'NPS groups' });
  assert.equal(ltr.getAttribute('role'), 'img');
  assert.equal(ltr.select('title')[0].textContent, 'NPS groups');
  const rects = ltr.select('rect', 'nz-group');
  assert.deepEqual(rects.map((r) => [num(r, 'x'), num(r, 'width')]), [[8, 68.8], [76.8, 103.2], [180, 172]]);
  assert.deepEqual(rects.map((r) => r.getAttribute('class')), ['nz-group nz-bad', 'nz-group nz-mid', 'nz-group nz-good']);
  assert.deepEqual(ltr.select('text', 'nz-group-label').map((t) => t.textContent), ['20%', '30%', '50%']);
  assert.deepEqual(ltr.select('text', 'nz-legend').map((t) => t.textContent), ['Detractors 20', 'Passives 30', 'Promoters 50']);
  // Right to left: detractors start at the right edge (352 - 68.8 = 283.2).
  const rtl = groupBar(parts(20, 30, 50), { lang: 'fa', rtl: true, title: 't' });
  assert.deepEqual(rtl.select('rect', 'nz-group').map((r) => [num(r, 'x'), num(r, 'width')]),
    [[283.2, 68.8], [180, 103.2], [8, 172]]);
  assert.deepEqual(rtl.select('text', 'nz-group-label').map((t) => t.textContent), ['۲۰٪', '۳۰٪', '۵۰٪']);
  assert.deepEqual(groupBar(parts(20, 30, 50), { lang: 'ar', rtl: true, title: 't' })
    .select('text', 'nz-group-label').map((t) => t.textContent), ['٢٠٪', '٣٠٪', '٥٠٪']);
});

test('groupBar: thirds round, the last part takes the remainder; empty parts and totals', () => {
  // 344 / 3 = 114.67 -> 114.7, 114.7, and 344 - 229.4 = 114.6.
  const thirds = groupBar(parts(1, 1, 1), { lang: 'en', rtl: false, title: 't' }).select('rect', 'nz-group');
  assert.deepEqual(thirds.map((r) => num(r, 'width')), [114.7, 114.7, 114.6]);
  // No passives: two rects, 8/(8+2) of 344 = 275.2 and the rest 68.8; the legend still has 3.
  const two = groupBar(parts(8, 0, 2), { lang: 'en', rtl: false, title: 't' });
  assert.deepEqual(two.select('rect', 'nz-group').map((r) => [num(r, 'x'), num(r, 'width')]), [[8, 275.2], [283.2, 68.8]]);
  assert.equal(two.select('text', 'nz-legend').length, 3);
  // A 1-in-40 sliver (8.6 wide) is drawn but too narrow for its label.
  const sliver = groupBar(parts(1, 0, 39), { lang: 'en', rtl: false, title: 't' });
  assert.deepEqual(sliver.select('rect', 'nz-group').map((r) => num(r, 'width')), [8.6, 335.4]);
  assert.deepEqual(sliver.select('text', 'nz-group-label').map((t) => t.textContent), ['98%']);
  // Nothing to show: one grey bar, no group rect, no percentage.
  const none = groupBar(parts(0, 0, 0), { lang: 'en', rtl: false, title: 't' });
  assert.equal(none.select('rect', 'nz-group').length, 0);
  assert.equal(none.select('rect', 'nz-group-empty').length, 1);
  assert.equal(none.select('text', 'nz-group-label').length, 0);
});

const pts = (vals) => vals.map((v, i) => ({ label: `P${i}`, value: v, lo: v - 5, hi: v + 5, low: false }));
const opts = { lang: 'en', rtl: false, title: 'NPS by month', decimals: 1, bounds: [-100, 100] };

test('trend markers: halfway before the marked point, mirrored in rtl, bad indices ignored', () => {
  // 640 wide, y labels on a 52 side, 16 at the far side: x(i) = 52 + i * (624 - 52) / 2 for 3
  // points, so 52, 338, 624; a mark at index 2 sits at (338 + 624) / 2 = 481, one at 0 at 52.
  const svg = trendChart(pts([10, 20, 30]), { ...opts, markers: [{ index: 2, label: 'version 2026-11-15' },
    { index: 0, label: 'v0' }, { index: 3, label: 'out' }, { index: -1, label: 'out' }, { index: 1.5, label: 'out' }] });
  const lines = svg.select('line', 'nz-marker');
  assert.deepEqual(lines.map((l) => num(l, 'x1')), [481, 52]);
  assert.ok(lines.every((l) => l.getAttribute('x1') === l.getAttribute('x2')));
  assert.deepEqual(svg.select('text', 'nz-marker-label').map((t) => t.textContent), ['version 2026-11-15', 'v0']);
  // Right to left: x(i) = 588 - i * (588 - 16) / 2: 588, 302, 16; the mark at index 2 at 159.
  const rtl = trendChart(pts([10, 20, 30]), { ...opts, rtl: true, markers: [{ index: 2, label: 'm' }] });
  assert.deepEqual(rtl.select('line', 'nz-marker').map((l) => num(l, 'x1')), [159]);
  // No markers option: no marker lines.
  assert.equal(trendChart(pts([10, 20, 30]), opts).select('line', 'nz-marker').length, 0);
});

test('versionMarkers: where the counted versions change, named by the new ones', () => {
  const name = (v) => v.join('+');
  const p = (versions, extra = {}) => ({ suppressed: [], versions, ...extra });
  assert.deepEqual(versionMarkers([p(['a']), p(['a']), p(['a', 'b']), p(['b'])], name),
    [{ index: 2, label: 'b' }, { index: 3, label: 'b' }]);
  // A hidden period between two versions: the mark lands on the next shown one.
  assert.deepEqual(versionMarkers([p(['a']), { suppressed: ['x'] }, p(['b'])], name), [{ index: 2, label: 'b' }]);
  // Order inside a cell does not matter; no versions at all means no markers.
  assert.deepEqual(versionMarkers([p(['b', 'a']), p(['a', 'b'])], name), []);
  assert.deepEqual(versionMarkers([{ suppressed: [] }, { suppressed: [] }], name), []);
  assert.deepEqual(versionMarkers([p(['a']), p(['a', 'c'])], name), [{ index: 1, label: 'c' }]);
});

test('periodKind: Gregorian and Solar Hijri labels of the core', () => {
  assert.equal(periodKind('2026-11-22'), 'day');
  assert.equal(periodKind('2026-W47'), 'week');
  assert.equal(periodKind('2026-11'), 'month');
  assert.equal(periodKind('1405-09-01'), 'day');
  assert.equal(periodKind('1405-09-01/W'), 'week');   // core PeriodLabel(kWeek, kJalali)
  assert.equal(periodKind('1405-09'), 'month');
  assert.equal(periodKind(''), null);
  assert.equal(periodKind(undefined), null);
  assert.equal(periodKind('x'), null);
});
