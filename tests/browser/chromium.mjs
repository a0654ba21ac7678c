// The command line every headless Chromium here starts with: the browser tests, the long-task
// bench, the first-question bench and the analyze bench (TOOLCHAIN.md "Browsers").
//
// --disable-features turns off the omnibox's WebUI popup. Chromium 156 loads it (a renderer and
// some eighty chrome:// modules) in each new window, headless ones included, so on a 2-core
// machine every new page competed with it for the CPU: a trace of the first-question bench showed
// its requests and tasks throughout the measured load. No page sees it; a real browser loads it
// once, not with every page.
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
  '--no-first-run', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--disable-features=WebUIOmniboxPopup,WebUIOmniboxAimPopup,WebUIOmniboxFullPopup'];
