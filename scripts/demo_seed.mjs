// The demo's sample answers: four weeks of Contract 3 tallies of the demo shop's survey (8 to
// 14 respondents a day, in en and fa), posted to the collector so its report and the
// dashboard's trends have numbers before the first answer of your own (reports hide groups
// below 5 respondents). Site "sample.demo"; batch ids fixed per day and language, so a second
// run adds nothing.
//   node scripts/demo_seed.mjs ENDPOINT ORIGIN
import crypto from 'node:crypto';

const [endpoint, origin] = process.argv.slice(2);
const DAYS = 28;
const zeros = (k) => Array.from({ length: k }, () => 0);
// A number in [0, 1) fixed by its name, so every run makes the same sample.
const draw = (name) => crypto.createHash('sha256').update(name).digest().readUInt32BE(0) / 2 ** 32;

// One tally per day and language, of 8 to 14 respondents a day (a tally may count many
// respondents, as a kiosk flushing its day does), so the seed stays under the collector's
// per-address rate limit.
const posts = [];
const today = Math.floor(Date.now() / 86_400_000);
for (let d = today - DAYS + 1; d <= today; d++) {
  const period = new Date(d * 86_400_000).toISOString().slice(0, 10);
  const count = 8 + Math.floor(draw(`count ${period}`) * 7);
  const byLocale = new Map();
  for (let i = 0; i < count; i++) {
    const r = (what) => draw(`demo ${period} ${i} ${what}`);
    // Scores drift up over the four weeks: the trend has something to show.
    const lift = (d - today + DAYS) / DAYS;
    const nps = Math.min(10, Math.floor(r('nps') * 5 + 4 + 2 * lift));
    const ease = Math.min(7, 1 + Math.floor(r('ease') * 5 + 2 * lift));
    const sat = Math.min(5, 1 + Math.floor(r('sat') * 4 + lift));
    const locale = r('locale') < 0.35 ? 'fa' : 'en';
    if (!byLocale.has(locale)) {
      byLocale.set(locale, {
        nazar: 1, batch: crypto.createHash('sha256').update(`demo ${period} ${locale}`).digest('hex').slice(0, 32),
        site: 'sample.demo', survey: 'post-checkout', survey_version: '2026-11-01', period, locale,
        displays: 0, completions: 0, dismissals: 0,
        questions: {
          nps: { type: 'nps', counts: zeros(11) },
          ease: { type: 'ces', scale: 7, counts: zeros(7) },
          sat: { type: 'csat', scale: 5, counts: zeros(5) },
          channel: { type: 'choice', options: ['web', 'app'], counts: zeros(2) },
        },
      });
    }
    const t = byLocale.get(locale);
    t.displays++;
    t.completions++;
    t.questions.nps.counts[nps]++;
    t.questions.ease.counts[ease - 1]++;
    t.questions.sat.counts[sat - 1]++;
    t.questions.channel.counts[r('channel') < 0.3 ? 1 : 0]++;
  }
  posts.push(...byLocale.values());
}

// Posts one tally; a 429 is waited out (Retry-After) and sent again.
async function post(body) {
  for (;;) {
    const res = await fetch(endpoint, {
      method: 'POST', body: JSON.stringify(body),
      headers: { 'Content-Type': 'text/plain;charset=UTF-8', Origin: origin },
    });
    const answer = await res.json().catch(() => ({}));
    if (res.status === 429) {
      await new Promise((r) => setTimeout(r, 1000 * Number(res.headers.get('retry-after') || 1)));
      continue;
    }
    if (res.status !== 200) {
      console.error(`demo_seed: ${body.period}: ${res.status} ${JSON.stringify(answer)}`);
      process.exit(1);
    }
    return answer;
  }
}

let added = 0;
let respondents = 0;
for (const body of posts) {
  if (!(await post(body)).duplicate) {
    added++;
    respondents += body.completions;
  }
}
console.error(`demo_seed: ${DAYS} sample days: ${added} tallies of ${respondents} respondents added (${posts.length - added} were there)`);
