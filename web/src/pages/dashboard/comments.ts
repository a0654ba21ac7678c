// "What customers say": GET /v1/comments by NPS group, as tabs (promoters, passives,
// detractors, and comments without an NPS answer when there are any), a search box sent as `q`
// (the collector folds and matches, core MatchesQuery), the group's frequent terms (the
// collector's "terms") and a CSV download. Every comment is a text node (dom.ts h()): markup in
// a comment stays text.

import { download, h, replace } from '../dom';
import { fill, num, type Lang } from '../i18n';
import { commentsCsv } from '../report/export';
import type { CommentsJson } from './api';
import type { DashMessages } from './messages';

export type Group = 'promoter' | 'passive' | 'detractor' | '';
const GROUPS: Group[] = ['promoter', 'passive', 'detractor'];

export interface CommentsState {
  group: Group;
  q: string;
}

export interface CommentsView {
  el: HTMLElement;
  // Shows a loaded answer (null: loading), or an error message.
  show(data: CommentsJson | null, error?: string): void;
}

// `onSearch` runs (debounced) when the search text changes; the caller fetches and calls show().
export function commentsView(lang: Lang, t: DashMessages, state: CommentsState, fileName: string,
  onSearch: (q: string) => void): CommentsView {
  const body = h('div', { id: 'db-comments-body' });
  const input = h('input', { id: 'db-q', type: 'search', value: state.q, autocomplete: 'off', dir: 'auto' });
  let timer: ReturnType<typeof setTimeout> | undefined;
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      state.q = input.value.trim();
      onSearch(state.q);
    }, 300);
  });
  const help = h('p', { class: 'db-help', id: 'db-comments-help' });
  const el = h('section', { id: 'db-comments', class: 'db-panel', 'aria-labelledby': 'db-comments-title' },
    h('h2', { id: 'db-comments-title' }, t.commentsTitle), help,
    h('div', { class: 'db-field db-search', role: 'search' }, h('label', { for: 'db-q' }, t.search), input),
    body);
  let last: CommentsJson | null = null;

  function show(data: CommentsJson | null, error?: string) {
    if (error !== undefined) {
      replace(body, h('p', { class: 'db-error', role: 'alert' }, fill(t.failed, { message: error })));
      return;
    }
    if (!data) {
      replace(body, h('p', { class: 'db-muted', 'aria-busy': 'true' }, t.loading));
      return;
    }
    last = data;
    replace(help, fill(t.commentsHelp, { min: num(lang, data.min_count ?? 10) }));
    const list = Array.isArray(data.comments) ? data.comments : [];
    const groups = list.some((c) => c.group === '') ? [...GROUPS, ''] as Group[] : GROUPS;
    if (!groups.includes(state.group)) state.group = 'promoter';
    const tabs = groups.map((g) => {
      const count = list.filter((c) => c.group === g).length;
      const tab = h('button', {
        type: 'button', role: 'tab', id: `db-tab-${g || 'none'}`, 'data-group': g, 'data-count': count,
        'aria-selected': g === state.group ? 'true' : 'false', 'aria-controls': 'db-comment-panel',
        tabindex: g === state.group ? 0 : -1, class: 'db-tab',
      }, `${t.groups[g]} (${num(lang, count)})`);
      tab.addEventListener('click', () => select(g));
      tab.addEventListener('keydown', (e) => {
        const i = groups.indexOf(g);
        const next = (d: number) => groups[(i + d + groups.length) % groups.length];
        // Arrows follow the reading direction: in right-to-left, left is "next".
        const rtl = document.documentElement.dir === 'rtl';
        let to: Group | null = null;
        if (e.key === 'ArrowRight') to = next(rtl ? -1 : 1);
        else if (e.key === 'ArrowLeft') to = next(rtl ? 1 : -1);
        else if (e.key === 'Home') to = groups[0];
        else if (e.key === 'End') to = groups[groups.length - 1];
        if (to === null) return;
        e.preventDefault();
        select(to);
        document.getElementById(`db-tab-${to || 'none'}`)?.focus();
      });
      return tab;
    });
    const shown = list.filter((c) => c.group === state.group);
    const terms = data.terms?.[state.group] ?? null;
    const panel = h('div', { id: 'db-comment-panel', role: 'tabpanel', 'aria-labelledby': `db-tab-${state.group || 'none'}`,
      'data-group': state.group, class: 'db-comment-panel' });
    if (terms) {
      const termList = terms.length
        ? h('ul', { id: 'db-terms', class: 'db-terms' }, terms.map((x) => {
          const b = h('button', { type: 'button', class: 'db-term', 'data-term': x.term, 'data-count': x.count, dir: 'auto' },
            x.term, ' ', h('span', { class: 'db-muted' }, `(${num(lang, x.count)})`));
          b.addEventListener('click', () => {
            input.value = x.term;
            state.q = x.term;
            onSearch(x.term);
          });
          return h('li', {}, b);
        }))
        : h('p', { id: 'db-terms', class: 'db-muted' }, t.noTerms);
      panel.append(h('h3', {}, t.terms), termList);
    }
    panel.append(h('h3', {}, fill(t.commentCount, { n: num(lang, shown.length) })));
    panel.append(shown.length
      ? h('ul', { id: 'db-comment-list', class: 'db-comment-list' }, shown.map((c) =>
        h('li', { class: 'db-comment', 'data-group': c.group, 'data-question': c.question },
          h('p', { dir: 'auto' }, c.text), h('span', { class: 'db-muted db-comment-q' }, c.question))))
      : h('p', { id: 'db-comment-list', class: 'db-muted' }, t.noComments));
    const csv = h('button', { type: 'button', id: 'db-comments-csv' }, t.commentsCsv);
    csv.addEventListener('click', () =>
      download(`${fileName}-comments.csv`, new Blob([commentsCsv(list)], { type: 'text/csv' })));
    replace(body,
      data.suppressed ? h('p', { class: 'db-note', id: 'db-comments-hidden' }, t.commentsHidden) : null,
      h('div', { role: 'tablist', id: 'db-comment-tabs', 'aria-label': t.groupTabs, class: 'db-tabs' }, tabs),
      panel,
      h('div', { class: 'db-actions' }, csv));
  }

  function select(g: Group) {
    state.group = g;
    if (last) show(last);
  }

  show(null);
  return { el, show };
}
