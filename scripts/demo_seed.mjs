// The demo's sample answers: four weeks of Contract 3 tallies of the demo shop's survey (8 to 14
// a day, in en and fa), posted to the collector so its report and the dashboard's trends have
// numbers before the first answer of your own (reports hide groups below 5 respondents). Site
// "sample.demo"; batch ids fixed per day and answer, so a second run adds nothing.
//   node scripts/demo_seed.mjs ENDPOINT ORIGIN
import crypto from 'node:crypto';

const [endpoint, origin] = process.argv.slice(2);
const DAYS = 28;
const one = (k, i) => Array.from({ length: k }, (_, j) => (j === i ? 1 : 0));
// A number in [0, 1) fixed by its name, so every run makes the same sample.
const draw = (name) => crypto.createHash('sha256').update(name).digest().readUInt32BE(0) / 2 ** 32;

const posts = [];
const today = Math.floor(Date.now() / 86_400_000);
for (let d = today - DAYS + 1; d <= today; d++) {
  const period = new Date(d * 86_400_000).toISOString().slice(0, 10);
  const count = 8 + Math.floor(draw(`count ${period}`) * 7);
  for (let i = 0; i < count; i++) {
    const r = (what) => draw(`demo ${period} ${i} ${what}`);
    // Scores drift up over the four weeks: the trend has something to show.
    const lift = (d - today + DAYS) / DAYS;
    const nps = Math.min(10, Math.floor(r('nps') * 6 + 4 * lift + 1.5));
    const ease = Math.min(7, 1 + Math.floor(r('ease') * 5 + 2 * lift));
    const sat = Math.min(5, 1 + Math.floor(r('sat') * 4 + lift));
    const batch = crypto.createHash('sha256').update(`demo ${period} ${i}`).digest('hex').slice(0, 32);
    posts.push({
      nazar: 1, batch, site: 'sample.demo', survey: 'post-checkout', survey_version: '2026-11-01',
      period, locale: r('locale') < 0.35 ? 'fa' : 'en', displays: 1, completions: 1, dismissals: 0,
      questions: {
        nps: { type: 'nps', counts: one(11, nps) },
        ease: { type: 'ces', scale: 7, counts: one(7, ease - 1) },
        sat: { type: 'csat', scale: 5, counts: one(5, sat - 1) },
        channel: { type: 'choice', options: ['web', 'app'], counts: one(2, r('channel') < 0.3 ? 1 : 0) },
      },
    });
  }
}

let added = 0;
for (let i = 0; i < posts.length; i += 8) {
  const answers = await Promise.all(posts.slice(i, i + 8).map(async (body) => {
    const res = await fetch(endpoint, {
      method: 'POST', body: JSON.stringify(body),
      headers: { 'Content-Type': 'text/plain;charset=UTF-8', Origin: origin },
    });
    const answer = await res.json().catch(() => ({}));
    if (res.status !== 200) {
      console.error(`demo_seed: ${body.period}: ${res.status} ${JSON.stringify(answer)}`);
      process.exit(1);
    }
    return answer;
  }));
  added += answers.filter((a) => !a.duplicate).length;
}
console.error(`demo_seed: ${DAYS} sample days: ${added} answers added (${posts.length - added} were there)`);
