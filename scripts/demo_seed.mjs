// The demo's sample day: 12 Contract 3 tallies of the demo shop's survey, posted to the
// collector so its report has numbers before the first answer of your own (reports hide groups
// below 5 respondents). Site "sample.demo"; batch ids fixed per day, so a second run adds
// nothing.   node scripts/demo_seed.mjs ENDPOINT ORIGIN
import crypto from 'node:crypto';

const [endpoint, origin] = process.argv.slice(2);
const period = new Date().toISOString().slice(0, 10);
const nps = [10, 9, 9, 10, 8, 7, 9, 10, 6, 3, 9, 8];
const ease = [7, 6, 6, 7, 5, 4, 6, 7, 3, 2, 6, 5];
const sat = [5, 5, 4, 5, 4, 4, 5, 5, 3, 2, 4, 4];
const one = (k, i) => Array.from({ length: k }, (_, j) => (j === i ? 1 : 0));
let added = 0;
for (let i = 0; i < nps.length; i++) {
  const batch = crypto.createHash('sha256').update(`demo ${period} ${i}`).digest('hex').slice(0, 32);
  const body = {
    nazar: 1, batch, site: 'sample.demo', survey: 'post-checkout', survey_version: '2026-11-01',
    period, locale: i % 3 === 0 ? 'fa' : 'en', displays: 1, completions: 1, dismissals: 0,
    questions: {
      nps: { type: 'nps', counts: one(11, nps[i]) },
      ease: { type: 'ces', scale: 7, counts: one(7, ease[i] - 1) },
      sat: { type: 'csat', scale: 5, counts: one(5, sat[i] - 1) },
      channel: { type: 'choice', options: ['web', 'app'], counts: one(2, i % 4 === 0 ? 1 : 0) },
    },
  };
  const res = await fetch(endpoint, {
    method: 'POST', body: JSON.stringify(body),
    headers: { 'Content-Type': 'text/plain;charset=UTF-8', Origin: origin },
  });
  const answer = await res.json().catch(() => ({}));
  if (res.status !== 200) {
    console.error(`demo_seed: ${res.status} ${JSON.stringify(answer)}`);
    process.exit(1);
  }
  if (!answer.duplicate) added++;
}
console.error(`demo_seed: sample day ${period}: ${added} answers added (${nps.length - added} were there)`);
