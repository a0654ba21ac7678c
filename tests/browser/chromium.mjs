// The command line every headless Chromium of the browser tests and benches starts with: the
// browser tests (server.mjs, and the exit-intent test's touch browser), the long-task,
// first-question, analyze and Prio3 benches (TOOLCHAIN.md "Browsers").
import { createRequire } from 'node:module';
import path from 'node:path';

// Chromium keeps only the last --disable-features it is given, and Playwright passes its own list
// before ours: ours repeats Playwright's (read from the installed playwright-core, so that it
// follows an upgrade) and adds to it.
const require = createRequire(new URL('../../web/package.json', import.meta.url));
const playwright = path.dirname(require.resolve('playwright-core/package.json'));
const PREFIX = '--disable-features=';
let playwrightDisabled;
try {
  const { chromiumSwitches } = require(path.join(playwright, 'lib/server/chromium/chromiumSwitches.js'));
  playwrightDisabled = chromiumSwitches(undefined, undefined).find((s) => s.startsWith(PREFIX));
} catch (e) {
  throw new Error(`could not read playwright-core's Chromium switches (${e.message}): check tests/browser/chromium.mjs`);
}
if (!playwrightDisabled) throw new Error('playwright-core passes no --disable-features: check tests/browser/chromium.mjs');

// Added: the omnibox's WebUI popup. Chromium 156 loads it (a renderer and some eighty chrome://
// modules) in each new window, headless ones included, so on a 2-core machine every new page
// competed with it for the CPU: a trace of the first-question bench showed its requests and tasks
// throughout the measured load. No page sees it.
const disabled = [...playwrightDisabled.slice(PREFIX.length).split(','),
  'WebUIOmniboxPopup', 'WebUIOmniboxAimPopup', 'WebUIOmniboxFullPopup'];

export const CHROMIUM_ARGS = Object.freeze(['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
  '--no-first-run', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', PREFIX + disabled.join(',')]);
