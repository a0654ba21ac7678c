// Time to the first question: from navigation to the NPS question being visible on the test
// site's /e2e/ page (data-track on load), in headless Chromium on this machine, median of N runs.
//   NAZAR_WEB_DIST_DIR=$PWD/web/dist node bench/web_first_question.mjs [runs]
import { startSite, launch } from '../tests/browser/server.mjs';

const runs = Number(process.argv[2] || 9);
const site = await startSite();
const browser = await launch();
const times = [];
try {
  for (let i = 0; i < runs; i++) {
    const page = await browser.context.newPage();
    const t0 = Date.now();
    await page.goto(site.base + '/e2e/');
    await page.getByRole('heading', { name: 'How likely are you to recommend us to a friend?' }).waitFor({ state: 'visible', timeout: 20000 });
    times.push(Date.now() - t0);
    await page.close();
  }
} finally {
  await browser.close();
  await site.close();
}
times.sort((a, b) => a - b);
console.log(`time to the first question: median ${times[Math.floor(times.length / 2)]} ms ` +
  `(min ${times[0]}, max ${times[times.length - 1]}, ${runs} runs)`);
