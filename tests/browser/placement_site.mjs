// The placements' test site (placements.test.mjs, placements_a11y.test.mjs): one survey per
// position (NPS then a choice, in en, fa and ar), a page per position and language, a page
// that keeps the corners (data-mirror="false"), an inline page (data-container) and pages whose
// button shows a survey on the visitor's click.
import { page as sitePage, useSite } from './server.mjs';

export const POSITIONS = ['bottom-right', 'bottom-left', 'bottom', 'center'];
export const LANGS = ['en', 'fa', 'ar'];

export const survey = (position) => ({
  nazar: 1,
  id: 'pl-' + position,
  version: '1',
  default_locale: 'en',
  trigger: { on: 'event', event: 'open', delay_ms: 0, max_displays: 0 },
  questions: [
    {
      id: 'nps',
      type: 'nps',
      text: {
        en: 'How likely are you to recommend us to a friend?',
        fa: 'چقدر احتمال دارد ما را به دوستانتان پیشنهاد کنید؟',
        ar: 'ما مدى احتمال أن توصي بنا لصديق؟',
      },
      labels: {
        min: { en: 'Not at all likely', fa: 'اصلاً', ar: 'مستبعد تماماً' },
        max: { en: 'Extremely likely', fa: 'خیلی زیاد', ar: 'مرجح للغاية' },
      },
    },
    {
      id: 'channel',
      type: 'choice',
      text: { en: 'Where did you order?', fa: 'از کجا سفارش دادید؟', ar: 'من أين طلبت؟' },
      options: [
        { id: 'web', text: { en: 'Website', fa: 'وب‌سایت', ar: 'الموقع' } },
        { id: 'app', text: { en: 'App', fa: 'اپ', ar: 'التطبيق' } },
      ],
    },
  ],
  thank_you: { text: { en: 'Thank you!', fa: 'سپاسگزاریم!', ar: 'شكراً لك!' } },
  appearance: { position, accent: '#0a7d5a', radius: 12, theme: 'auto' },
});

// The host content in a landmark (axe-core's "region" rule is about the host page), a page
// control before the survey and content after the inline slot, so that flow can be measured.
// A top-level element the page made inert itself: a modal must leave it inert when it closes.
const BODY = (slot) => `<button id="open" type="button">Open survey</button>
${slot ? '<section id="slot" aria-label="Your opinion"></section>' : ''}
<p id="after">Delivery takes two to three days.</p></main>
<aside id="already" inert aria-label="Offers"><a href="#x">Already inert</a></aside>`;

const hostPage = ({ lang, attrs, surveys, slot = false, head = '' }) =>
  sitePage({ lang, attrs, surveys, head, body: BODY(slot) }).replace('<h1>', '<main><h1>');

// The page's own button shows the survey (a real click: the visitor's action).
const OPENER = `document.getElementById('open').addEventListener('click', function () {
  var b = document.getElementById('open');
  window.nazar.show(b.dataset.survey, b.dataset.into ? { container: b.dataset.into } : undefined);
});
`;

export function placementPages() {
  const pages = { 'pl/opener.js': OPENER };
  for (const position of POSITIONS) {
    pages[`pl/${position}.json`] = JSON.stringify(survey(position));
    for (const lang of LANGS) {
      pages[`pl/${position}/${lang}/index.html`] = hostPage({
        lang,
        attrs: `data-track="open" data-locale="${lang}"`,
        surveys: `/pl/${position}.json`,
      });
    }
    // Shown by the page's button (no data-track): the visitor's action.
    pages[`pl/click/${position}/index.html`] = hostPage({
      lang: 'en',
      attrs: 'data-locale="en"',
      surveys: `/pl/${position}.json`,
      head: '<script src="/pl/opener.js" defer></script>',
    }).replace('id="open"', `id="open" data-survey="pl-${position}"`);
  }
  for (const lang of LANGS) {
    // The site keeps its corner in every language.
    pages[`pl/fixed/${lang}/index.html`] = hostPage({
      lang,
      attrs: `data-track="open" data-locale="${lang}" data-mirror="false"`,
      surveys: '/pl/bottom-right.json',
    });
    // Inline in a container, though the definition says bottom-right.
    pages[`pl/inline/${lang}/index.html`] = hostPage({
      lang,
      attrs: `data-track="open" data-locale="${lang}" data-container="#slot"`,
      surveys: '/pl/bottom-right.json',
      slot: true,
    });
  }
  pages['pl/click/inline/index.html'] = hostPage({
    lang: 'en',
    attrs: 'data-locale="en"',
    surveys: '/pl/bottom-right.json',
    slot: true,
    head: '<script src="/pl/opener.js" defer></script>',
  }).replace('id="open"', 'id="open" data-survey="pl-bottom-right" data-into="#slot"');
  return pages;
}

// The page path of a placement ("inline", "fixed" or a position) in `lang`.
export const pathOf = (placement, lang) => `/pl/${placement}/${lang}/`;

// The widget's root box, the viewport and the host element's box.
export const layout = (page) =>
  page.evaluate(() => {
    const host = document.querySelector('nazar-survey');
    const root = host.shadowRoot.querySelector('.nz-root');
    const r = root.getBoundingClientRect();
    const h = host.getBoundingClientRect();
    return {
      x: r.x, y: r.y, width: r.width, height: r.height, right: r.right, bottom: r.bottom,
      vw: document.documentElement.clientWidth, vh: document.documentElement.clientHeight,
      host: { x: h.x, y: h.y, width: h.width, height: h.height },
      position: getComputedStyle(root).position,
      placement: root.getAttribute('data-nz-position'),
      dir: root.getAttribute('dir'),
      modal: root.getAttribute('aria-modal'),
    };
  });

// Where focus is: {inWidget, id (inside the widget or on the page), role, value, action}.
export const focusOf = (page) =>
  page.evaluate(() => {
    const host = document.querySelector('nazar-survey');
    const inWidget = !!host && document.activeElement === host;
    const el = inWidget ? host.shadowRoot.activeElement : document.activeElement;
    return {
      inWidget,
      id: el?.id ?? null,
      tag: el?.localName ?? null,
      role: el?.getAttribute?.('role') ?? null,
      value: el?.getAttribute?.('data-nz-value') ?? null,
      action: el?.getAttribute?.('data-nz-action') ?? null,
    };
  });

// Starts the placements' site and a browser for a test file: {site, browser} once started.
export function usePlacementSite() {
  const ctx = { site: null, browser: null };
  useSite(
    (site, browser) => Object.assign(ctx, { site, browser }),
    { pages: placementPages() },
  );
  return ctx;
}
