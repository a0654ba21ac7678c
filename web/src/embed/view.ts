// Applies the core's view tree to a shadow root with createElement/textContent/setAttribute only
// (never innerHTML), through allowlists of tags and attributes. Keyed reconciliation patches
// elements in place, so focus and a textarea's caret survive a re-render.

import type { ViewNode } from '../binding/core';

const TAGS = new Set([
  'div', 'p', 'h2', 'span', 'button', 'label', 'textarea', 'fieldset', 'legend', 'form',
]);
const ATTRS = new Set([
  'class', 'id', 'role', 'dir', 'lang', 'tabindex', 'type', 'maxlength', 'rows', 'placeholder',
  'disabled', 'for', 'name', 'value', 'hidden', 'title',
]);
const PATTERN = /^(aria-[a-z]+|data-nz-[a-z0-9-]+)$/;
// Drawn icons (faces, stars): created in the SVG namespace, with geometry and paint only. No
// href, style, event or animation attribute, and values of plain numbers, path commands, colours
// or keywords (never url(...), which could load a resource).
const SVG_NS = 'http://www.w3.org/2000/svg';
const SVG_TAGS = new Set(['svg', 'path', 'circle']);
const SVG_ATTRS = new Set([
  'class', 'viewBox', 'd', 'cx', 'cy', 'r', 'fill', 'stroke', 'stroke-width', 'aria-hidden', 'focusable',
]);
const SVG_VALUE = /^[\w .,#-]*$/;

export function allowedTag(tag: string): boolean {
  return TAGS.has(tag) || SVG_TAGS.has(tag);
}

// Whether `name` may be set on an element of `tag` (an SVG tag admits only SVG_ATTRS, with
// plain values; `value` is checked only for SVG).
export function allowedAttribute(name: string, tag = '', value = ''): boolean {
  if (SVG_TAGS.has(tag)) return SVG_ATTRS.has(name) && SVG_VALUE.test(value);
  return ATTRS.has(name) || PATTERN.test(name);
}

// The key each element was created for (absent: matched by position among unkeyed siblings).
const keys = new WeakMap<Element, string>();

export class ViewApplier {
  readonly #root: ShadowRoot;
  readonly #refuse: (what: string) => void;

  // `refuse` hears about every tag or attribute outside the allowlists (a core bug).
  constructor(root: ShadowRoot, refuse: (what: string) => void) {
    this.#root = root;
    this.#refuse = refuse;
  }

  // Makes the shadow root's content match `view` (the root node of the tree).
  apply(view: ViewNode): void {
    this.#children(this.#root, [view]);
  }

  // Moves focus to the element with `id` unless it already has it.
  focus(id: string | null | undefined): void {
    if (!id) return;
    const el = this.#root.getElementById(id) as HTMLElement | null;
    if (el && this.#root.activeElement !== el) el.focus({ preventScroll: true });
  }

  #children(parent: ParentNode & Node, nodes: ViewNode[]): void {
    // Only elements we created live here; stray text (a former leaf's content) goes.
    for (const n of Array.from(parent.childNodes)) if (n.nodeType !== 1) parent.removeChild(n);
    const byKey = new Map<string, Element>();
    const unkeyed: Element[] = [];
    for (const el of Array.from(parent.children)) {
      const key = keys.get(el);
      if (key === undefined) unkeyed.push(el);
      else byKey.set(key, el);
    }
    // Match every node to an old element (same key, or the next unkeyed one) of the same tag.
    let nextUnkeyed = 0;
    const matched: (Element | undefined)[] = [];
    const kept = new Set<Element>();
    const wanted = nodes.filter((node) => {
      if (allowedTag(node.t)) return true;
      this.#refuse('<' + node.t + '>');
      return false;
    });
    for (const node of wanted) {
      let el = node.k !== undefined ? byKey.get(node.k) : unkeyed[nextUnkeyed++];
      if (node.k !== undefined) byKey.delete(node.k);
      if (el && el.localName !== node.t) el = undefined;
      if (el) kept.add(el);
      matched.push(el);
    }
    // Remove the rest first, so that elements staying in order never move (a move blurs).
    for (const el of Array.from(parent.children)) if (!kept.has(el)) el.remove();
    wanted.forEach((node, index) => {
      let el = matched[index];
      if (!el) {
        const doc = this.#root.ownerDocument;
        el = SVG_TAGS.has(node.t) ? doc.createElementNS(SVG_NS, node.t) : doc.createElement(node.t);
        if (node.k !== undefined) keys.set(el, node.k);
      }
      this.#patch(el, node);
      const at = parent.children[index] ?? null;
      if (at !== el) parent.insertBefore(el, at);
    });
  }

  #patch(el: Element, node: ViewNode): void {
    const attrs = node.a ?? {};
    for (const name of el.getAttributeNames()) {
      if (!Object.prototype.hasOwnProperty.call(attrs, name)) el.removeAttribute(name);
    }
    for (const name of Object.keys(attrs)) {
      const value = String(attrs[name]);
      if (!allowedAttribute(name, node.t, value)) {
        this.#refuse(name);
      } else if (name === 'value' && el instanceof HTMLTextAreaElement) {
        // The user's own typing wins while the field has focus; the core echoes it anyway.
        if (el.value !== value && this.#root.activeElement !== el) el.value = value;
      } else if (el.getAttribute(name) !== value) {
        el.setAttribute(name, value);
      }
    }
    if (node.c && node.c.length) {
      this.#children(el, node.c);
    } else if (el.localName !== 'textarea') {
      const text = node.x ?? '';
      if (el.textContent !== text || el.children.length) el.textContent = text;
    }
  }
}
