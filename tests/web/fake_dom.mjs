// A minimal document for node tests of web/src/pages modules that build SVG or HTML with
// pages/dom.ts (createElement(NS), setAttribute, append, textContent). Only what those helpers
// call; a test that needs more should run in Chromium (tests/browser).

class FakeText {
  constructor(text) { this.nodeType = 3; this.data = String(text); }
  get textContent() { return this.data; }
}

export class FakeElement {
  constructor(tag, ns = null) {
    this.nodeType = 1;
    this.tagName = tag;
    this.namespaceURI = ns;
    this.attributes = new Map();
    this.childNodes = [];
  }
  setAttribute(k, v) { this.attributes.set(k, String(v)); }
  getAttribute(k) { return this.attributes.has(k) ? this.attributes.get(k) : null; }
  hasAttribute(k) { return this.attributes.has(k); }
  removeAttribute(k) { this.attributes.delete(k); }
  append(...nodes) {
    for (const n of nodes) this.childNodes.push(typeof n === 'string' ? new FakeText(n) : n);
  }
  replaceChildren(...nodes) { this.childNodes = []; this.append(...nodes); }
  addEventListener() {}
  get children() { return this.childNodes.filter((n) => n.nodeType === 1); }
  get textContent() { return this.childNodes.map((n) => n.textContent).join(''); }
  // Every descendant element (depth first) for which pred holds.
  findAll(pred) {
    const out = [];
    const walk = (el) => {
      for (const c of el.children) {
        if (pred(c)) out.push(c);
        walk(c);
      }
    };
    walk(this);
    return out;
  }
  // Descendants by tag name and, optionally, one class.
  select(tag, cls) {
    return this.findAll((e) => e.tagName === tag &&
      (!cls || (e.getAttribute('class') ?? '').split(' ').includes(cls)));
  }
}

// Installs globalThis.document (once).
export function installFakeDom() {
  if (globalThis.document) return;
  globalThis.document = {
    createElement: (tag) => new FakeElement(tag),
    createElementNS: (ns, tag) => new FakeElement(tag, ns),
  };
}
