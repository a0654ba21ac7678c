// Share links (session mode only): create one for the current survey with an expiry of 1 to 90
// days and, if chosen, its comments; the link is shown once (the collector keeps only its hash),
// joined with this page's origin; list and revoke.

import { h, replace } from '../dom';
import { digits, fill, type Lang } from '../i18n';
import { createShare, listShares, revokeShare, type ShareJson } from './api';
import type { DashMessages } from './messages';

// A time the collector wrote (unix seconds or ISO 8601) as "YYYY-MM-DD HH:MM UTC" in the
// language's digits.
export function utcText(lang: Lang, t: DashMessages, value: string | number | null | undefined): string {
  if (value === null || value === undefined || value === '') return '-';
  const d = typeof value === 'number' ? new Date(value * 1000) : new Date(value);
  if (Number.isNaN(d.getTime())) return String(value);
  return '\u2066' + digits(lang, fill(t.utc, { t: d.toISOString().slice(0, 16).replace('T', ' ') })) + '\u2069';
}

// The link made last, kept for this page's life only, so a redraw (a new language) does not lose
// it before it was copied; the collector can never show it again.
let madeLink: string | null = null;

// Forgets that link (on signing out).
export const forgetMadeLink = () => { madeLink = null; };

const seconds = (v: string | number | null | undefined) =>
  typeof v === 'number' ? v * 1000 : typeof v === 'string' ? Date.parse(v) : NaN;

export function sharesView(lang: Lang, t: DashMessages, survey: () => string, announce: (text: string) => void): HTMLElement {
  const days = h('input', { id: 'db-share-days', type: 'number', min: 1, max: 90, step: 1, value: 7, required: true, inputmode: 'numeric' });
  const withComments = h('input', { id: 'db-share-comments', type: 'checkbox' });
  const created = h('div', { id: 'db-share-created', 'aria-live': 'polite' });
  const list = h('div', { id: 'db-share-list' });
  const error = h('div', { id: 'db-share-error' });
  const form = h('form', { id: 'db-share-form', class: 'db-form' },
    h('div', { class: 'db-field' }, h('label', { for: 'db-share-days' }, t.shareDays), days),
    h('div', { class: 'db-check' }, withComments, h('label', { for: 'db-share-comments' }, t.shareComments)),
    h('button', { type: 'submit', id: 'db-share-create', class: 'db-primary' }, t.shareCreate));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const n = Number(days.value);
    if (!Number.isInteger(n) || n < 1 || n > 90) {
      days.focus();
      return;
    }
    replace(error);
    try {
      const share = await createShare(survey(), n, withComments.checked);
      // Only the path of what the collector answered, on this page's origin (never its Host).
      madeLink = location.origin + new URL(share.url, location.origin).pathname;
      const link = showMade(madeLink);
      link.focus();
      link.select();
      await refresh();
    } catch (err) {
      replace(error, h('p', { class: 'db-error', role: 'alert' }, fill(t.failed, { message: (err as Error).message })));
    }
  });

  function showMade(url: string): HTMLInputElement {
    const link = h('input', { id: 'db-share-url', type: 'text', readonly: true, value: url, dir: 'ltr' });
    const copy = h('button', { type: 'button', id: 'db-share-copy' }, t.copy);
    const note = h('span', { class: 'db-muted', role: 'status' });
    copy.addEventListener('click', async () => {
      link.select();
      try {
        await navigator.clipboard.writeText(link.value);
        replace(note, t.copied);
      } catch {
        // no clipboard permission: the text stays selected for the user to copy
      }
    });
    replace(created, h('p', {}, t.shareCreated),
      h('div', { class: 'db-field' }, h('label', { for: 'db-share-url' }, t.shareUrl), h('div', { class: 'db-row' }, link, copy, note)));
    return link;
  }

  async function refresh() {
    try {
      const shares = (await listShares()).shares ?? [];
      replace(list, shares.length ? table(shares) : h('p', { class: 'db-muted' }, t.sharesNone));
    } catch (err) {
      replace(list, h('p', { class: 'db-error', role: 'alert' }, fill(t.failed, { message: (err as Error).message })));
    }
  }

  function table(shares: ShareJson[]): HTMLElement {
    const c = t.shareCols;
    const now = Date.now();
    return h('div', { class: 'nz-scroll', tabindex: 0, role: 'region', 'aria-label': t.sharesList },
      h('table', { class: 'nz-table' },
        h('thead', {}, h('tr', {}, [c.id, c.survey, c.comments, c.created, c.expires, c.status].map((x) => h('th', { scope: 'col' }, x)),
          h('th', { scope: 'col' }, h('span', { class: 'nz-sr' }, t.revoke)))),
        h('tbody', {}, shares.map((s) => {
          const status = s.revoked ? 'revoked' : seconds(s.expires) <= now ? 'expired' : 'active';
          let action: HTMLElement | string = '';
          if (status === 'active') {
            const b = h('button', { type: 'button', class: 'db-revoke', 'data-share-id': s.id, 'aria-label': fill(t.revokeLabel, { id: s.id }) }, t.revoke);
            b.addEventListener('click', async () => {
              b.disabled = true;
              try {
                await revokeShare(s.id);
                announce(fill(t.revokedDone, { id: s.id }));
                await refresh();
                (list.querySelector('button.db-revoke') as HTMLElement | null ?? document.getElementById('db-share-days'))?.focus();
              } catch (err) {
                b.disabled = false;
                replace(error, h('p', { class: 'db-error', role: 'alert' }, fill(t.failed, { message: (err as Error).message })));
              }
            });
            action = b;
          }
          return h('tr', { 'data-share-id': s.id, 'data-status': status },
            h('th', { scope: 'row', dir: 'ltr' }, s.id), h('td', {}, s.survey), h('td', {}, s.comments ? t.yes : t.no),
            h('td', {}, utcText(lang, t, s.created)), h('td', {}, utcText(lang, t, s.expires)),
            h('td', {}, t.status[status]), h('td', {}, action));
        }))));
  }

  if (madeLink) showMade(madeLink);
  void refresh();
  return h('section', { id: 'db-shares', class: 'db-panel', 'aria-labelledby': 'db-shares-title' },
    h('h2', { id: 'db-shares-title' }, t.sharesTitle), h('p', { class: 'db-help' }, t.sharesHelp),
    form, error, created, list);
}
