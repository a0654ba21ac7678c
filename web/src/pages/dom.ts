// DOM construction for the pages with createElement / textContent / setAttribute only: no
// innerHTML and no style attributes (the pages run under a strict CSP with Trusted Types).

type Child = Node | string | null | undefined | false;

// An HTML element with attributes (null/false ones left out) and children (strings become text).
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K, attrs: Record<string, string | number | boolean | null | undefined> = {},
  ...children: (Child | Child[])[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

export const SVG_NS = 'http://www.w3.org/2000/svg';

// An SVG element, likewise.
export function s(tag: string, attrs: Record<string, string | number | boolean | null | undefined> = {},
  ...children: (Child | Child[])[]): SVGElement {
  const el = document.createElementNS(SVG_NS, tag) as SVGElement;
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

function setAttrs(el: Element, attrs: Record<string, string | number | boolean | null | undefined>) {
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    el.setAttribute(k, v === true ? '' : String(v));
  }
}

function append(el: Element, children: (Child | Child[])[]) {
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c);
  }
}

// Replaces every child of `el`.
export function replace(el: Element, ...children: (Child | Child[])[]) {
  el.replaceChildren();
  append(el, children);
}

let ids = 0;
// A document-unique id for label/aria wiring.
export const uid = (prefix: string): string => `${prefix}-${++ids}`;

// Offers `blob` as a download named `name` (an <a download> clicked once; the URL revoked after).
export function download(name: string, blob: Blob) {
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
