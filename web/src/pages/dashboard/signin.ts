// The sign-in form: a plain HTML form posted to POST /v1/session (plan §2.1). The browser sends
// the token; no script reads the field. The collector answers 303 to / (signed in, a cookie set)
// or to /?signin=failed (a wrong token) or /?signin=limited (too many attempts from one address).

import { h } from '../dom';
import type { DashMessages } from './messages';

export function signinForm(t: DashMessages, problem: 'failed' | 'limited' | null): HTMLElement {
  const failed = problem !== null;
  const error = failed
    ? h('p', { class: 'db-error', role: 'alert', id: 'db-signin-error' }, problem === 'limited' ? t.signinLimited : t.signinFailed)
    : null;
  const input = h('input', {
    id: 'db-token', name: 'token', type: 'password', required: true, autocomplete: 'current-password',
    spellcheck: 'false', autocapitalize: 'off', dir: 'ltr', 'aria-describedby': failed ? 'db-signin-error' : 'db-signin-help',
  });
  return h('section', { id: 'db-signin', class: 'db-panel', 'aria-labelledby': 'db-signin-title' },
    h('h2', { id: 'db-signin-title' }, t.signinTitle),
    h('p', { id: 'db-signin-help', class: 'db-help' }, t.signinHelp),
    error,
    h('form', { id: 'db-signin-form', method: 'post', action: '/v1/session', class: 'db-form' },
      h('div', { class: 'db-field' }, h('label', { for: 'db-token' }, t.token), input),
      h('button', { type: 'submit', class: 'db-primary' }, t.signin)));
}
