// The dashboard tests' collector: the real nazar-collector binary (NAZAR_COLLECTOR_PATH) serving
// the built pages (--web-dir web/dist) on SQLite or PostgreSQL, and the answers and comments the
// tests read back, posted through the real ingest route as the widget posts them (Contract 3).
import { spawn, execFileSync } from 'node:child_process';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, DIST, waitFor } from './server.mjs';
import { random } from '../web/helpers.mjs';

export { freePort } from './server.mjs';

export const BIN = process.env.NAZAR_COLLECTOR_PATH;
export const SURVEYS = path.join(ROOT, 'tests/fixtures/dashboard/surveys');
export const V1 = '2026-06-01';
export const V2 = '2026-10-15';

export const dayNumber = (iso) => Date.parse(iso + 'T00:00:00Z') / 86400000;
export const isoDay = (n) => new Date(n * 86400000).toISOString().slice(0, 10);
export const today = () => Math.floor(Date.now() / 86400000);

// One collector process. `db` is a SQLite file or a postgresql:// URL; the log (stderr) is kept,
// so a test can check that no token was written to it.
export class Collector {
  constructor({ db, token, port, minCount = 5, args = [], env = {} }) {
    Object.assign(this, { db, token, port, minCount, args, env, log: '' });
    this.base = `http://127.0.0.1:${port}`;
  }

  async start() {
    assert.ok(BIN && fs.existsSync(BIN), 'NAZAR_COLLECTOR_PATH must name the nazar-collector binary (got ' + BIN + ')');
    assert.ok(fs.existsSync(path.join(DIST, 'dashboard/index.html')), 'web/dist/dashboard is not built');
    this.proc = spawn(BIN, ['--surveys', SURVEYS, '--db', this.db, '--listen', `127.0.0.1:${this.port}`,
      '--web-dir', DIST, '--rate-limit', '0', '--max-age-days', '70', '--min-count', String(this.minCount),
      ...this.args], { env: { ...process.env, NAZAR_READ_TOKEN: this.token, NAZAR_ADMIN_TOKEN: this.token + 'a', ...this.env },
      stdio: ['ignore', 'ignore', 'pipe'] });
    this.proc.stderr.on('data', (d) => { this.log += d; });
    const proc = this.proc;
    await waitFor(async () => proc.exitCode === null &&
      (await fetch(`${this.base}/healthz`).catch(() => null))?.ok, 10000, 'the collector on ' + this.port);
  }

  async stop(signal = 'SIGTERM') {
    if (!this.proc || this.proc.exitCode !== null) return;
    const exited = new Promise((resolve) => this.proc.once('exit', resolve));
    this.proc.kill(signal);
    await exited;
  }

  // A read with the bearer token (the reference the page's numbers are compared with).
  async get(route) {
    const res = await fetch(this.base + route, { headers: { Authorization: 'Bearer ' + this.token } });
    assert.equal(res.status, 200, route + ': ' + res.status);
    return res.json();
  }

  async post(payload) {
    const res = await fetch(`${this.base}/v1/aggregates`, {
      method: 'POST', headers: { 'Content-Type': 'text/plain;charset=UTF-8' }, body: JSON.stringify(payload),
    });
    const body = await res.text();
    assert.equal(res.status, 200, 'post: ' + body);
  }
}

const oneHot = (length, index) => Array.from({ length }, (_, i) => (i === index ? 1 : 0));

// One respondent's tally, as the widget posts it: NPS 0-10, CSAT 1-5, CES 1-7.
export function tally({ survey = 'checkout', version = V2, day, locale, nps, sat, ease, site = 'shop.example' }) {
  const questions = { nps: { type: 'nps', counts: oneHot(11, nps) } };
  if (sat !== undefined) questions.sat = { type: 'csat', scale: 5, counts: oneHot(5, sat - 1) };
  if (ease !== undefined) questions.ease = { type: 'ces', scale: 7, counts: oneHot(7, ease - 1) };
  return { nazar: 1, batch: crypto.randomBytes(16).toString('hex'), site, survey, survey_version: version,
    period: isoDay(day), locale, displays: 1, completions: 1, dismissals: 0, questions };
}

// Answers over the last `days` days before today: `perDay` respondents in en and fa each day, the
// NPS drawn lower over the last 20 days (so a compare has something to find), version V1 before
// then and V2 after (a version marker), and exactly three ar respondents (a hidden segment).
export async function seedAnswers(collector, { days = 60, perDay = { en: 5, fa: 3 }, seed = 7 } = {}) {
  const next = random(seed);
  const t = today();
  const posts = [];
  for (let d = t - days; d < t; ++d) {
    const recent = d >= t - 20;
    for (const [locale, n] of Object.entries(perDay)) {
      for (let i = 0; i < n; ++i) {
        const r = next();
        const nps = recent ? Math.min(10, Math.floor(r * 11)) : Math.min(10, 4 + Math.floor(r * 7));
        posts.push(tally({ version: recent ? V2 : V1, day: d, locale, nps,
          sat: 1 + Math.floor(next() * 5), ease: 1 + Math.floor(next() * 7) }));
      }
    }
  }
  for (const d of [t - 3, t - 9, t - 15]) posts.push(tally({ day: d, locale: 'ar', nps: 9, sat: 5, ease: 6 }));
  for (let i = 0; i < posts.length; i += 16) await Promise.all(posts.slice(i, i + 16).map((p) => collector.post(p)));
  return posts.length;
}

// Comments arrive through the real route (scrubbed on arrival) and are filed under today; they
// are readable from tomorrow, so the SQLite file's rows are moved back one day.
export async function seedComments(collector, sqliteFile, comments) {
  for (const [group, text] of comments) {
    const res = await fetch(`${collector.base}/v1/aggregates`, {
      method: 'POST', headers: { 'Content-Type': 'text/plain;charset=UTF-8' },
      body: JSON.stringify({ nazar: 1, kind: 'comments', batch: crypto.randomBytes(16).toString('hex'),
        site: 'shop.example', survey: 'checkout', survey_version: V2, period: isoDay(today() - 1), locale: 'en',
        comments: [{ question: 'why', group, text }] }),
    });
    assert.equal(res.status, 200, 'comment: ' + (await res.text()));
  }
  // The writer commits before it answers, so the rows are there.
  execFileSync('sqlite3', [sqliteFile, 'UPDATE comments SET day = day - 1;']);
}
