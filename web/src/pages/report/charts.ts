// Hand-written SVG charts of the report view: a trend line with its 95% interval as a band (and
// markers where the survey's version changed), a histogram of answers, and the NPS groups as one
// stacked bar. Colours are presentation attributes (allowed under the strict CSP, and
// kept when a chart is exported); the page's stylesheet may override them through the classes.

import { s } from '../dom';
import { num, percent, type Lang } from '../i18n';

export interface TrendPoint {
  label: string;       // shown on the x axis (already in the UI language's digits)
  value: number | null;
  lo: number | null;
  hi: number | null;
  low: boolean;        // low precision: drawn hollow
}

export interface ChartOptions {
  lang: Lang;
  rtl: boolean;
  title: string;
  decimals: number;
  bounds: [number, number];  // the metric's range (NPS -100..100, CSAT 0..100, a mean 1..scale)
  lowLabel?: string;         // legend text for hollow points
  // Vertical marks before the points at these indices (a new survey version counted from that
  // period on); `label` is drawn beside the mark and belongs in the chart's table too.
  markers?: TrendMarker[];
}

export interface TrendMarker {
  index: number;
  label: string;
}

const FONT = 'system-ui, sans-serif';
const LINE = '#1f5fa8';
const BAND = '#9dc0e8';
const AXIS = '#6b7280';
const TEXT = '#1f2937';

// "Nice" tick step for a span: 1, 2 or 5 times a power of ten, about `count` ticks.
function step(span: number, count: number): number {
  const raw = span / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const f = raw / mag;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
}

function root(w: number, hgt: number, title: string, cls: string): SVGSVGElement {
  const svg = s('svg', {
    xmlns: 'http://www.w3.org/2000/svg', viewBox: `0 0 ${w} ${hgt}`, class: cls, role: 'img',
    // Coordinates are mirrored by hand for right-to-left; "ltr" keeps text-anchor literal
    // (start = left) whatever the page's direction. Right-to-left labels still shape right.
    direction: 'ltr', 'font-family': FONT, 'font-size': 11, fill: TEXT,
  }) as SVGSVGElement;
  svg.append(s('title', {}, title));
  return svg;
}

// The trend: one point per period in order (right to left when rtl), the interval as a band.
export function trendChart(points: TrendPoint[], o: ChartOptions): SVGSVGElement {
  const W = 640, H = 240, top = 20, bottom = 36, side = 52, far = 16;
  const svg = root(W, H, o.title, 'nz-chart nz-trend');
  const ys = points.flatMap((p) => [p.value, p.lo, p.hi]).filter((v): v is number => v !== null);
  let min = ys.length ? Math.min(...ys) : o.bounds[0];
  let max = ys.length ? Math.max(...ys) : o.bounds[1];
  if (max - min < 1e-9) { min -= 1; max += 1; }
  const st = step(max - min, 4);
  min = Math.max(o.bounds[0], Math.floor(min / st) * st);
  max = Math.min(o.bounds[1], Math.ceil(max / st) * st);
  if (max <= min) max = min + st;
  const left = o.rtl ? far : side, right = o.rtl ? W - side : W - far;
  const x = (i: number) => {
    const t = points.length <= 1 ? 0.5 : i / (points.length - 1);
    return Math.round((o.rtl ? right - t * (right - left) : left + t * (right - left)) * 10) / 10;
  };
  const y = (v: number) => Math.round((top + (max - v) / (max - min) * (H - top - bottom)) * 10) / 10;

  // Grid and y labels.
  const tickDecimals = st < 1 ? Math.min(2, Math.ceil(-Math.log10(st))) : 0;
  for (let v = min; v <= max + st / 2; v += st) {
    const yy = y(v);
    svg.append(s('line', { x1: left, x2: right, y1: yy, y2: yy, stroke: '#e5e7eb', class: 'nz-grid' }));
    svg.append(s('text', {
      x: o.rtl ? right + 6 : left - 6, y: yy + 4, 'text-anchor': o.rtl ? 'start' : 'end', fill: AXIS,
      class: 'nz-axis-label',
    }, num(o.lang, v, tickDecimals)));
  }
  if (min < 0 && max > 0) {
    svg.append(s('line', { x1: left, x2: right, y1: y(0), y2: y(0), stroke: AXIS, class: 'nz-zero' }));
  }

  // Runs of consecutive points with a value (a period without answers breaks the line).
  const runs: number[][] = [];
  points.forEach((p, i) => {
    if (p.value === null) return;
    const last = runs[runs.length - 1];
    if (last && last[last.length - 1] === i - 1) last.push(i);
    else runs.push([i]);
  });
  for (const run of runs) {
    const withCi = run.filter((i) => points[i].lo !== null && points[i].hi !== null);
    if (withCi.length > 1) {
      const upper = withCi.map((i) => `${x(i)},${y(points[i].hi!)}`);
      const lower = withCi.slice().reverse().map((i) => `${x(i)},${y(points[i].lo!)}`);
      svg.append(s('polygon', { points: [...upper, ...lower].join(' '), fill: BAND, 'fill-opacity': 0.6, class: 'nz-band' }));
    } else {
      for (const i of withCi) {  // a lone point: its interval as a bar
        svg.append(s('line', { x1: x(i), x2: x(i), y1: y(points[i].lo!), y2: y(points[i].hi!), stroke: BAND,
          'stroke-width': 6, class: 'nz-band' }));
      }
    }
    if (run.length > 1) {
      svg.append(s('polyline', { points: run.map((i) => `${x(i)},${y(points[i].value!)}`).join(' '),
        fill: 'none', stroke: LINE, 'stroke-width': 2, class: 'nz-line' }));
    }
  }
  // Points (hollow when low precision) while they stay apart; a year of days is a line only
  // (a value with no neighbour keeps its point, having no line).
  points.forEach((p, i) => {
    const alone = points[i - 1]?.value == null && points[i + 1]?.value == null;
    if (p.value === null || (points.length > 62 && !alone)) return;
    svg.append(s('circle', { cx: x(i), cy: y(p.value), r: 3.5, stroke: LINE, 'stroke-width': 1.5,
      fill: p.low ? '#ffffff' : LINE, class: p.low ? 'nz-point nz-low' : 'nz-point' }));
  });

  // X labels: at most about 8, evenly spread, always the first and the last.
  const every = Math.max(1, Math.ceil(points.length / 8));
  points.forEach((p, i) => {
    if (i % every !== 0 && i !== points.length - 1) return;
    if (i !== points.length - 1 && points.length - 1 - i < every && i !== 0) return;
    // The outermost labels end at the plot's edges instead of running off the picture.
    const edge = points.length > 1 && (i === 0 || i === points.length - 1) ? (x(i) < W / 2 ? 'start' : 'end') : 'middle';
    const dx = edge === 'start' ? -4 : edge === 'end' ? 4 : 0;
    svg.append(s('text', { x: x(i) + dx, y: H - bottom + 18, 'text-anchor': edge, fill: AXIS,
      class: 'nz-axis-label' }, p.label));
  });

  // Version markers: a dashed line halfway between the marked point and the one before it (at
  // the point itself for the first), its label near the top, on the side of the later points.
  for (const mk of o.markers ?? []) {
    if (!Number.isInteger(mk.index) || mk.index < 0 || mk.index >= points.length) continue;
    const mx = mk.index === 0 ? x(0) : Math.round((x(mk.index - 1) + x(mk.index)) / 2 * 10) / 10;
    svg.append(s('line', { x1: mx, x2: mx, y1: top, y2: H - bottom, stroke: AXIS, 'stroke-dasharray': '4 3',
      class: 'nz-marker' }));
    // Inside the plot, below the legend, with a halo so the band and line under it stay apart.
    svg.append(s('text', { x: o.rtl ? mx - 3 : mx + 3, y: top + 10, 'text-anchor': 'start', fill: AXIS,
      'font-size': 10, stroke: '#ffffff', 'stroke-width': 3, 'paint-order': 'stroke',
      class: 'nz-axis-label nz-marker-label', direction: o.rtl ? 'rtl' : 'ltr' }, mk.label));
  }

  if (o.lowLabel && points.length <= 62 && points.some((p) => p.low && p.value !== null)) {
    const lx = o.rtl ? left + 8 : right - 8;
    svg.append(s('circle', { cx: lx, cy: 8, r: 3.5, fill: '#ffffff', stroke: LINE, 'stroke-width': 1.5 }));
    svg.append(s('text', { x: o.rtl ? lx + 8 : lx - 8, y: 12, 'text-anchor': o.rtl ? 'start' : 'end',
      fill: AXIS }, o.lowLabel));
  }
  return svg;
}

export interface Bar {
  label: string;
  count: number;
  tone: 'bad' | 'mid' | 'good' | 'plain';
}

const TONE: Record<Bar['tone'], string> = { bad: '#c0392b', mid: '#8a8f98', good: '#1e8449', plain: LINE };

// A histogram: one bar per answer, its count above it (right to left when rtl).
export function barChart(bars: Bar[], o: { lang: Lang; rtl: boolean; title: string }): SVGSVGElement {
  const W = 360, H = 150, top = 18, bottom = 22, pad = 8;
  const svg = root(W, H, o.title, 'nz-chart nz-bars');
  const max = Math.max(1, ...bars.map((b) => b.count));
  const slot = (W - 2 * pad) / Math.max(1, bars.length);
  const bw = Math.max(4, Math.min(28, slot * 0.7));
  bars.forEach((b, i) => {
    const cx = o.rtl ? W - pad - slot * (i + 0.5) : pad + slot * (i + 0.5);
    const bh = Math.round(b.count / max * (H - top - bottom) * 10) / 10;
    const yy = H - bottom - bh;
    svg.append(s('rect', { x: Math.round((cx - bw / 2) * 10) / 10, y: yy, width: Math.round(bw * 10) / 10,
      height: bh, fill: TONE[b.tone], class: `nz-bar nz-${b.tone}` }));
    svg.append(s('text', { x: cx, y: yy - 4, 'text-anchor': 'middle', 'font-size': 10, fill: AXIS },
      num(o.lang, b.count)));
    svg.append(s('text', { x: cx, y: H - 6, 'text-anchor': 'middle', fill: TEXT }, b.label));
  });
  svg.append(s('line', { x1: pad, x2: W - pad, y1: H - bottom, y2: H - bottom, stroke: AXIS }));
  return svg;
}

export interface GroupPart {
  label: string;  // the group's name, for the legend
  count: number;
  tone: 'bad' | 'mid' | 'good';
}

// One bar split into the parts in order (detractors, passives, promoters), left to right (right
// to left when rtl), each as wide as its share of the total, with its share written inside when
// it fits and a legend with the counts below. The widths add up to the bar exactly (the last
// part takes the rounding). The caller adds a table with the same numbers for screen readers.
export function groupBar(parts: GroupPart[], o: { lang: Lang; rtl: boolean; title: string }): SVGSVGElement {
  const W = 360, H = 58, pad = 8, barY = 4, barH = 24, inner = W - 2 * pad;
  const svg = root(W, H, o.title, 'nz-chart nz-groups');
  const total = parts.reduce((a, p) => a + Math.max(0, p.count), 0);
  if (total <= 0) {
    svg.append(s('rect', { x: pad, y: barY, width: inner, height: barH, fill: '#e5e7eb', class: 'nz-group-empty' }));
  }
  let at = 0;  // distance from the starting edge
  const shown = parts.filter((p) => p.count > 0);
  const slot = inner / Math.max(1, parts.length);
  parts.forEach((p, i) => {
    // Legend: one slot per part, a swatch then "label count".
    const lx = o.rtl ? W - pad - slot * i : pad + slot * i;
    svg.append(s('rect', { x: o.rtl ? lx - 10 : lx, y: H - 18, width: 10, height: 10, fill: TONE[p.tone],
      class: `nz-swatch nz-${p.tone}` }));
    svg.append(s('text', { x: o.rtl ? lx - 14 : lx + 14, y: H - 9, 'text-anchor': 'start', fill: TEXT,
      direction: o.rtl ? 'rtl' : 'ltr', class: 'nz-legend' }, `${p.label} ${num(o.lang, p.count)}`));
    if (total <= 0 || p.count <= 0) return;
    const last = shown[shown.length - 1] === p;
    const w = last ? Math.round((inner - at) * 10) / 10 : Math.round(p.count / total * inner * 10) / 10;
    const x0 = o.rtl ? W - pad - at - w : pad + at;
    svg.append(s('rect', { x: Math.round(x0 * 10) / 10, y: barY, width: w, height: barH, fill: TONE[p.tone],
      class: `nz-group nz-${p.tone}` }));
    const share = p.count / total * 100;
    if (w >= 30) {
      svg.append(s('text', { x: Math.round((x0 + w / 2) * 10) / 10, y: barY + barH / 2 + 4, 'text-anchor': 'middle',
        fill: p.tone === 'mid' ? '#111827' : '#ffffff', class: p.tone === 'mid' ? 'nz-group-label nz-on-mid' : 'nz-group-label' }, percent(o.lang, share)));
    }
    at += w;
  });
  return svg;
}
