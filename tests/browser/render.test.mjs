// Every question type, readable everywhere (issue 9, item 1), in Chromium: CSAT faces and rating
// stars drawn as SVG (painted, no glyph fallback, contrast of at least 3:1 in light and dark),
// the 11-point scale on one row of a 320px phone, the text field kept in view when the
// on-screen keyboard takes the bottom of the screen, axe-core on every type, the required hint
// and the thank-you in en, fa and ar at desktop and phone widths, light and dark, and
// screenshots of every type at both widths (build/screenshots/widget-*.png).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { openPage, waitFor, useSite, page as sitePage, ROOT, focusedInWidget } from './server.mjs';

const axeSource = fs.readFileSync(createRequire(path.join(ROOT, 'web/package.json')).resolve('axe-core/axe.min.js'), 'utf8');
const SHOTS = process.env.NAZAR_SCREENSHOT_DIR || path.join(ROOT, 'build/screenshots');
const LANGS = ['en', 'fa', 'ar'];
const t = (en, fa, ar) => ({ en, fa, ar });

// One question of every type and style, in order; `answer` picks what the walk selects.
const QUESTIONS = [
  { id: 'nps', type: 'nps', text: t('How likely are you to recommend us to a friend?', 'چقدر احتمال دارد ما را به دوستانتان پیشنهاد کنید؟', 'ما مدى احتمال أن توصي بنا لصديق؟'),
    labels: { min: t('Not at all likely', 'اصلاً', 'غير محتمل إطلاقًا'), max: t('Extremely likely', 'خیلی زیاد', 'محتمل جدًا') } },
  { id: 'faces', type: 'csat', scale: 5, style: 'emoji', text: t('How satisfied are you?', 'چقدر راضی هستید؟', 'ما مدى رضاك؟') },
  { id: 'stars', type: 'rating', scale: 5, style: 'stars', text: t('Rate the delivery', 'به ارسال امتیاز دهید', 'قيّم التوصيل') },
  { id: 'ces', type: 'ces', scale: 7, text: t('It was easy to complete my purchase.', 'تکمیل خریدم آسان بود.', 'كان إتمام الشراء سهلًا.') },
  { id: 'numbers', type: 'csat', scale: 5, style: 'numbers', text: t('How satisfied are you with the price?', 'از قیمت چقدر راضی هستید؟', 'ما مدى رضاك عن السعر؟'),
    labels: { min: t('Very dissatisfied', 'خیلی ناراضی', 'غير راضٍ جدًا'), max: t('Very satisfied', 'خیلی راضی', 'راضٍ جدًا') } },
  { id: 'single', type: 'choice', text: t('Where did you order?', 'از کجا سفارش دادید؟', 'من أين طلبت؟'),
    options: [{ id: 'web', text: t('Website', 'وب‌سایت', 'الموقع') }, { id: 'app', text: t('App', 'اپلیکیشن', 'التطبيق') }],
    other: t('Somewhere else', 'جای دیگر', 'مكان آخر') },
  { id: 'multi', type: 'choice', multiple: true, text: t('What did you buy?', 'چه خریدید؟', 'ماذا اشتريت؟'),
    options: [{ id: 'books', text: t('Books', 'کتاب', 'كتب') }, { id: 'music', text: t('Music', 'موسیقی', 'موسيقى') }, { id: 'games', text: t('Games', 'بازی', 'ألعاب') }] },
  { id: 'why', type: 'text', max_length: 300,
    text: t('Tell us in a few words what we could do better next time you order from us, and anything else on your mind',
      'در چند کلمه بگویید دفعه بعد که از ما سفارش می‌دهید چه کاری را بهتر انجام دهیم، و هر چیز دیگری که در ذهن دارید',
      'أخبرنا ببضع كلمات بما يمكننا فعله بشكل أفضل في المرة القادمة التي تطلب فيها منا، وأي شيء آخر يدور في ذهنك') },
];
const ALL = {
  nazar: 1, id: 'all', version: '1', default_locale: 'en', trigger: { on: 'manual' },
  questions: QUESTIONS, appearance: { position: 'bottom-right', accent: '#0a7d5a', radius: 12, theme: 'auto' },
};
// auto_advance on a tap, and a choice with "other" (its text kept in the browser: privacy
// "drop", the default; with an NPS question "scrubbed" is refused, as the comment would carry the
// NPS group next to the choice of "other").
const TAP = {
  nazar: 1, id: 'tap', version: '1', default_locale: 'en', trigger: { on: 'manual' },
  questions: [
    { id: 'nps', type: 'nps', auto_advance: true, text: t('Recommend us?', 'پیشنهاد می‌کنید؟', 'هل توصي بنا؟') },
    { id: 'channel', type: 'choice', auto_advance: true, text: t('Where did you order?', 'از کجا سفارش دادید؟', 'من أين طلبت؟'),
      options: [{ id: 'web', text: t('Website', 'وب‌سایت', 'الموقع') }, { id: 'app', text: t('App', 'اپلیکیشن', 'التطبيق') }],
      other: t('Somewhere else', 'جای دیگر', 'مكان آخر') },
  ],
};
// "other" whose text leaves as a comment: "scrubbed" in a survey without an NPS question.
const OTHER = {
  nazar: 1, id: 'other', version: '1', default_locale: 'en', trigger: { on: 'manual' },
  privacy: { comments: 'scrubbed' },
  questions: [TAP.questions[1]],
};
// Pale yellow accent: the core gives it dark text; the drawings must still contrast.
const PALE = { ...ALL, id: 'pale', appearance: { ...ALL.appearance, accent: '#ffd23f' } };
// Accents a site may choose: mid-tones where neither white nor a softer dark (#111111) reaches
// 4.5:1 (an orange, a grey), a pale one, a saturated blue and the default green.
const ACCENTS = ['#d9480f', '#797979', '#ffd23f', '#0000ff', '#0a7d5a'];
const ACCENTED = ACCENTS.map((accent) => ({ ...ALL, id: 'accent-' + accent.slice(1), appearance: { ...ALL.appearance, accent } }));

// The host content in a landmark, so axe-core judges the widget alone (as a11y.test.mjs does).
const renderPage = (lang) =>
  sitePage({ lang, attrs: `data-locale="${lang}"`, surveys: '/render/surveys.json', main: true });

let site;
let browser;
useSite(
  (s, b) => {
    site = s;
    browser = b;
  },
  {
    pages: {
      'render/surveys.json': JSON.stringify({ nazar: 1, surveys: [ALL, PALE, TAP, OTHER, ...ACCENTED] }),
      ...Object.fromEntries(LANGS.map((lang) => [`render/${lang}/index.html`, renderPage(lang)])),
    },
  },
);

// Opens the survey `id` in `lang` at `width` x `height`, settled (no entrance animation).
async function open(lang, { width = 1280, height = 800, id = 'all', colorScheme = 'light' } = {}) {
  const { page, log } = await openPage(browser.context);
  await page.setViewportSize({ width, height });
  await page.emulateMedia({ reducedMotion: 'reduce', colorScheme });
  await page.goto(`${site.base}/render/${lang}/`);
  await page.waitForFunction(() => window.nazar && typeof window.nazar.show === 'function');
  await page.evaluate((survey) => window.nazar.show(survey), id);
  await page.getByRole('dialog').waitFor({ state: 'visible' });
  return { page, log };
}

// The question showing (data-nz-question of the step).
const showing = (page) => page.locator('.nz-step').getAttribute('data-nz-question');

// Answers the current question (a middle option, or typed text) and presses Next.
async function answerAndNext(page, q) {
  if (q.type === 'text') {
    await page.getByRole('textbox').fill('ok');
  } else {
    const options = page.locator('.nz-option');
    await options.nth(Math.min(1, (await options.count()) - 1)).click();
  }
  await page.locator('.nz-next').click();
}

// WCAG 2 contrast of two computed "rgb(r, g, b)" colours, written here apart from the core's.
function contrast(a, b) {
  const lum = (c) => {
    const [r, g, bl] = c.match(/\d+(\.\d+)?/g).slice(0, 3).map(Number).map((v) => {
      const s = v / 255;
      return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

// Per option of the current scale: the drawing's painted box, its text, stroke, fill and the
// button's background.
const drawings = (page) =>
  page.locator('.nz-option').evaluateAll((buttons) =>
    buttons.map((b) => {
      const svg = b.querySelector('svg');
      const paths = svg ? Array.from(svg.querySelectorAll('path, circle')) : [];
      const box = svg?.getBoundingClientRect();
      const bbox = paths.length ? paths[paths.length - 1].getBBox() : null;
      const style = paths.length ? getComputedStyle(paths[paths.length - 1]) : null;
      return {
        ns: svg?.namespaceURI ?? null,
        text: b.textContent,
        width: box?.width ?? 0,
        height: box?.height ?? 0,
        pathWidth: bbox?.width ?? 0,
        pathHeight: bbox?.height ?? 0,
        d: paths.map((p) => p.getAttribute('d') ?? 'circle').join(' '),
        stroke: style?.stroke ?? '',
        fill: style?.fill ?? '',
        background: getComputedStyle(b).backgroundColor,
        hidden: svg?.getAttribute('aria-hidden'),
        name: b.getAttribute('aria-label'),
      };
    }),
  );

test('ViewApplier: SVG in the SVG namespace, with its own allowlists of tags, attributes and values', async () => {
  const { page, log } = await openPage(browser.context);
  await page.goto(site.base + '/quiet/');
  const out = await page.evaluate(async () => {
    const { ViewApplier } = await import('/nazar/nazar-widget.mjs');
    const host = document.createElement('div');
    document.body.appendChild(host);
    const root = host.attachShadow({ mode: 'open' });
    const refused = [];
    new ViewApplier(root, (what) => refused.push(what)).apply({ t: 'button', a: { 'aria-label': 'x' }, c: [
      { t: 'svg', a: { viewBox: '0 0 24 24', 'aria-hidden': 'true', focusable: 'false', class: 'nz-icon', onload: 'window.__pwned=1', style: 'x' }, c: [
        { t: 'circle', a: { cx: '12', cy: '12', r: '10', fill: 'url(https://evil.example/#g)' } },
        { t: 'path', a: { d: 'M1 1h2', fill: 'currentColor', stroke: '#111', 'stroke-width': '1.5', href: 'javascript:alert(1)', 'xlink:href': '#a' } },
        { t: 'use', a: { href: '#a' } },
        { t: 'foreignObject' },
        { t: 'script', x: 'window.__pwned=2' },
        { t: 'animate', a: { attributeName: 'href', to: 'javascript:alert(1)' } },
      ] },
    ] });
    const svg = root.querySelector('svg');
    return {
      refused: refused.sort(),
      ns: [svg, ...svg.children].map((e) => e.namespaceURI === 'http://www.w3.org/2000/svg'),
      tags: Array.from(svg.children).map((e) => e.localName),
      svgAttrs: svg.getAttributeNames().sort(),
      circleAttrs: svg.children[0].getAttributeNames().sort(),
      pathAttrs: svg.children[1].getAttributeNames().sort(),
      pwned: window.__pwned ?? 0,
    };
  });
  assert.deepEqual(out.refused, ['<animate>', '<foreignObject>', '<script>', '<use>', 'fill', 'href', 'onload', 'style', 'xlink:href']);
  assert.deepEqual(out.ns, [true, true, true]);
  assert.deepEqual(out.tags, ['circle', 'path']);
  assert.deepEqual(out.svgAttrs, ['aria-hidden', 'class', 'focusable', 'viewBox']);
  assert.deepEqual(out.circleAttrs, ['cx', 'cy', 'r']);
  assert.deepEqual(out.pathAttrs, ['d', 'fill', 'stroke', 'stroke-width']);
  assert.equal(out.pwned, 0);
  assert.deepEqual(log.errors, []);
  await page.close();
});

for (const colorScheme of ['light', 'dark']) {
  test(`faces and stars are SVG drawings, painted, contrasting (${colorScheme}, two accents)`, async () => {
    for (const id of ['all', 'pale']) {
      const { page, log } = await open('en', { colorScheme, id });
      await answerAndNext(page, QUESTIONS[0]);
      assert.equal(await showing(page), 'faces');
      let faces = await drawings(page);
      assert.equal(faces.length, 5);
      for (const f of faces) {
        assert.equal(f.ns, 'http://www.w3.org/2000/svg', 'created in the SVG namespace');
        assert.equal(f.text, '', 'no text glyph to fall back to a box');
        assert.equal(f.hidden, 'true', 'the drawing is decorative; the button is named');
        assert.ok(f.width >= 20 && f.height >= 20, `painted size ${f.width}x${f.height}`);
        assert.ok(f.pathWidth > 4 && f.pathHeight > 1, `the features are drawn: ${f.pathWidth}x${f.pathHeight}`);
        assert.ok(contrast(f.stroke, f.background) >= 3, `${id} ${colorScheme}: face ${f.stroke} on ${f.background}`);
      }
      assert.equal(new Set(faces.map((f) => f.d)).size, 5, 'five different expressions');
      assert.deepEqual(faces.map((f) => f.name), ['1 of 5, Very dissatisfied', '2 of 5', '3 of 5', '4 of 5', '5 of 5, Very satisfied']);
      await page.locator('.nz-option').nth(4).click();
      faces = await drawings(page);
      assert.ok(contrast(faces[4].stroke, faces[4].background) >= 3, `${id} ${colorScheme}: a chosen face on the accent`);

      await page.locator('.nz-next').click();
      assert.equal(await showing(page), 'stars');
      await page.mouse.move(0, 0);
      await page.getByRole('radio', { name: '3 of 5 stars' }).click();
      await page.mouse.move(0, 0); // no hover preview
      let stars = await drawings(page);
      const accent = id === 'pale' ? 'rgb(255, 210, 63)' : 'rgb(10, 125, 90)';
      assert.deepEqual(stars.map((s) => s.fill), [accent, accent, accent, 'none', 'none'], 'filled up to the answer');
      for (const s of stars) {
        assert.equal(s.text, '');
        assert.ok(s.width >= 20 && s.pathWidth > 10, `star painted ${s.width}, ${s.pathWidth}`);
        assert.ok(contrast(s.stroke, s.background) >= 3, `${id} ${colorScheme}: star outline ${s.stroke} on ${s.background}`);
      }
      // Hovering previews a value: the stars up to the hovered one fill, the rest empty.
      await page.getByRole('radio', { name: '2 of 5 stars' }).hover();
      stars = await drawings(page);
      assert.deepEqual(stars.map((s) => s.fill), [accent, accent, 'none', 'none', 'none'], 'hover preview');
      assert.deepEqual(log.errors, []);
      assert.deepEqual(await page.evaluate(() => window.__violations), []);
      await page.close();
    }
  });
}

// Issue 9: contrast of at least 4.5:1 with any accent a site may choose (the core picks the
// text on it), and a keyboard's focus ring of at least 3:1 against the card, in light and dark.
test('any accent: its labels at least 4.5:1, the focus ring at least 3:1 on the card (light and dark)', async () => {
  const misses = [];
  for (const colorScheme of ['light', 'dark']) {
    for (const accent of ACCENTS) {
      const { page, log } = await open('en', { colorScheme, id: 'accent-' + accent.slice(1) });
      await page.locator('.nz-option').nth(9).click();
      await page.keyboard.press('Tab'); // from the chosen score to the next control, by keyboard
      const looks = await page.evaluate(() => {
        const root = document.querySelector('nazar-survey').shadowRoot;
        const colours = (el) => ({ color: getComputedStyle(el).color, background: getComputedStyle(el).backgroundColor });
        const focused = root.activeElement;
        return {
          chosen: colours(root.querySelector('.nz-option[aria-checked="true"]')),
          next: colours(root.querySelector('.nz-next')),
          card: getComputedStyle(root.querySelector('.nz-root')).backgroundColor,
          ring: focused && focused.matches(':focus-visible') ? getComputedStyle(focused).outlineColor : null,
        };
      });
      const where = `${accent} ${colorScheme}`;
      assert.notEqual(looks.ring, null, `${where}: a control shows the keyboard's focus`);
      if (contrast(looks.chosen.color, looks.chosen.background) < 4.5) misses.push(`${where}: chosen score ${looks.chosen.color} on ${looks.chosen.background}`);
      if (contrast(looks.next.color, looks.next.background) < 4.5) misses.push(`${where}: Next ${looks.next.color} on ${looks.next.background}`);
      if (contrast(looks.ring, looks.card) < 3) misses.push(`${where}: focus ring ${looks.ring} on ${looks.card}`);
      assert.deepEqual(log.errors, []);
      await page.close();
    }
  }
  assert.deepEqual(misses, []);
});

// Issue 9: keyboard-only runs of every type, left to right and right to left. Only keys: Tab
// into the widget, Home and End across a radio group (the same in both directions), Space on
// checkboxes, typing in the fields, Tab to Next and Enter. The endpoint gets exactly what the
// keys chose.
test('keyboard only: every question type, en and ar, the payload counts what the keys chose', async () => {
  for (const lang of ['en', 'ar']) {
    site.app.received.length = 0;
    const { page, log } = await open(lang);
    const focused = () => focusedInWidget(page);
    // Presses Tab until `want` holds for the focused control (at most 12 presses).
    const tabTo = async (want, what) => {
      for (let i = 0; i < 12; i++) {
        const f = await focused();
        if (f && want(f)) return f;
        await page.keyboard.press('Tab');
      }
      assert.fail(`${lang}: Tab never reached ${what}`);
    };
    const next = async (from) => {
      await tabTo((f) => f.action === 'next', 'Next');
      await page.keyboard.press('Enter');
      await waitFor(async () => (await showing(page)) !== from, 10000, `${lang}: past ${from}`);
    };
    // Selects the end of the current radio group with `key` and checks the value it holds.
    const pick = async (question, key, value) => {
      assert.equal(await showing(page), question);
      await tabTo((f) => f.role === 'radio', `${question}'s radio group`);
      await page.keyboard.press(key);
      await waitFor(async () => {
        const f = await focused();
        return f?.checked === 'true' && f.value === value;
      }, 10000, `${lang} ${question}: ${key} selects ${value}`);
      await next(question);
    };
    // The scale's forward arrow is ArrowRight left to right and ArrowLeft right to left.
    await tabTo((f) => f.role === 'radio', 'the NPS radio group');
    await page.keyboard.press('Home');
    await page.keyboard.press(lang === 'ar' ? 'ArrowLeft' : 'ArrowRight');
    await waitFor(async () => (await focused())?.value === '1', 10000, `${lang}: the forward arrow from 0 selects 1`);
    assert.equal((await focused()).checked, 'true');
    await pick('nps', 'End', '10');
    await pick('faces', 'End', '5');
    await pick('stars', 'Home', '1');
    await pick('ces', 'End', '7');
    await pick('numbers', 'Home', '1');
    // Single choice: End reaches "other", whose field Tab then reaches.
    assert.equal(await showing(page), 'single');
    await tabTo((f) => f.role === 'radio', 'the choice');
    await page.keyboard.press('End');
    await waitFor(async () => (await focused())?.value === 'other', 10000, `${lang}: End to "other"`);
    await tabTo((f) => f.tag === 'textarea', '"other"\'s field');
    await page.keyboard.type('by phone');
    await next('single');
    // Multiple choice: every checkbox a tab stop; Space on the first and the last.
    await tabTo((f) => f.role === 'checkbox' && f.value === 'books', 'the first checkbox');
    await page.keyboard.press('Space');
    await tabTo((f) => f.role === 'checkbox' && f.value === 'games', 'the last checkbox');
    await page.keyboard.press('Space');
    assert.deepEqual(await page.getByRole('checkbox', { checked: true }).evaluateAll((els) => els.map((e) => e.getAttribute('data-nz-value'))),
      ['books', 'games']);
    await next('multi');
    // The text question: its field has focus; type, then Tab to Submit and Enter.
    assert.equal((await focused())?.tag, 'textarea', `${lang}: the text field takes focus`);
    await page.keyboard.type('all good');
    await tabTo((f) => f.action === 'next', 'Submit');
    await page.keyboard.press('Enter');
    await page.getByRole('status').waitFor({ state: 'visible' });
    await waitFor(() => site.app.received.some((r) => r.body.survey === 'all' && r.body.questions), 10000, `${lang}: the POST`);
    const q = site.app.received.find((r) => r.body.survey === 'all' && r.body.questions).body.questions;
    assert.deepEqual(
      Object.fromEntries(Object.entries(q).map(([id, t]) => [id, t.options ? Object.fromEntries(t.options.map((o, i) => [o, t.counts[i]])) : t.counts])),
      {
        nps: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1],
        faces: [0, 0, 0, 0, 1],
        stars: [1, 0, 0, 0, 0],
        ces: [0, 0, 0, 0, 0, 0, 1],
        numbers: [1, 0, 0, 0, 0],
        single: { web: 0, app: 0, other: 1 },
        multi: { books: 1, music: 0, games: 1 },
      },
      lang,
    );
    assert.deepEqual(log.errors, []);
    await page.close();
  }
});

test('a 320px phone: the 11-point scale on one row, no horizontal scroll, targets at least 24px', async () => {
  for (const lang of LANGS) {
    const { page } = await open(lang, { width: 320, height: 640 });
    const m = await page.evaluate(() => {
      const root = document.querySelector('nazar-survey').shadowRoot;
      const group = root.querySelector('.nz-options');
      const dialog = root.querySelector('.nz-root');
      const box = (el) => el.getBoundingClientRect().toJSON();
      return {
        group: [group.scrollWidth, group.clientWidth],
        dialog: [dialog.scrollWidth, dialog.clientWidth],
        page: document.documentElement.scrollWidth,
        options: Array.from(root.querySelectorAll('.nz-option')).map((b) => ({ ...box(b), value: b.getAttribute('data-nz-value') })),
        min: box(root.querySelector('.nz-label-min')),
        max: box(root.querySelector('.nz-label-max')),
      };
    });
    assert.ok(m.group[0] <= m.group[1], `${lang}: the scale scrolls: ${m.group}`);
    assert.ok(m.dialog[0] <= m.dialog[1], `${lang}: the dialog scrolls: ${m.dialog}`);
    assert.ok(m.page <= 320, `${lang}: the page scrolls: ${m.page}`);
    assert.equal(m.options.length, 11);
    for (const o of m.options) {
      assert.ok(o.width >= 24 && o.height >= 24, `${lang} ${o.value}: ${o.width}x${o.height}`);
      assert.ok(o.x >= 0 && o.right <= 320, `${lang} ${o.value} on screen`);
    }
    assert.equal(new Set(m.options.map((o) => Math.round(o.y))).size, 1, `${lang}: one row`);
    // 0..10 in reading order: left to right in English, right to left in Persian and Arabic.
    const xs = m.options.map((o) => o.x);
    const sorted = [...xs].sort((a, b) => (lang === 'en' ? a - b : b - a));
    assert.deepEqual(xs, sorted, `${lang}: 0..10 in order`);
    const [first, last] = [m.options[0], m.options[10]];
    const near = (a, b, what) => assert.ok(Math.abs(a - b) <= 2, `${lang} ${what}: ${a} vs ${b}`);
    if (lang === 'en') {
      near(m.min.x, first.x, 'min label under 0');
      near(m.max.right, last.right, 'max label under 10');
    } else {
      near(m.min.right, first.right, 'min label under 0');
      near(m.max.x, last.x, 'max label under 10');
    }
    await page.close();
  }
});

test('the on-screen keyboard never covers the text field being typed in', async () => {
  for (const lang of ['en', 'ar']) {
    const { page, log } = await open(lang, { width: 320, height: 640 });
    for (const q of QUESTIONS.slice(0, -1)) await answerAndNext(page, q);
    assert.equal(await showing(page), 'why');
    const area = page.getByRole('textbox');
    await area.click();
    await page.keyboard.type('late');
    // The keyboard opens: the visual viewport loses the bottom 420px.
    await page.setViewportSize({ width: 320, height: 220 });
    const where = () =>
      page.evaluate(() => {
        const root = document.querySelector('nazar-survey').shadowRoot;
        const r = root.querySelector('textarea').getBoundingClientRect();
        const d = root.querySelector('.nz-root').getBoundingClientRect();
        const vv = window.visualViewport;
        return { top: r.top, bottom: r.bottom, dialogTop: d.top, dialogBottom: d.bottom, vvTop: vv.offsetTop, vvBottom: vv.offsetTop + vv.height,
          focused: root.activeElement?.localName };
      });
    const inView = (w) => w.top >= Math.max(w.vvTop, w.dialogTop) - 0.5 && w.bottom <= Math.min(w.vvBottom, w.dialogBottom) + 0.5;
    await waitFor(async () => inView(await where()), 3000, 'the textarea in view').catch(() => {});
    const w = await where();
    assert.ok(inView(w), `${lang}: textarea ${w.top}..${w.bottom}, dialog ${w.dialogTop}..${w.dialogBottom}, viewport ${w.vvTop}..${w.vvBottom}`);
    assert.equal(w.focused, 'textarea', 'focus stays in the field');
    await page.keyboard.type('!');
    assert.equal(await area.inputValue(), 'late!');
    assert.deepEqual(log.errors, []);
    await page.close();
  }
});

test('a floating widget rises above a keyboard that overlays the page (visual viewport shorter than the layout viewport)', async () => {
  const { page, log } = await open('fa', { width: 320, height: 640 });
  for (const q of QUESTIONS.slice(0, -1)) await answerAndNext(page, q);
  await page.getByRole('textbox').click();
  // Mobile browsers keep the layout viewport and shrink only the visual one under the keyboard.
  // Chromium here cannot open a keyboard, so the visual viewport reports 260px and says so.
  await page.evaluate(() => {
    const vv = window.visualViewport;
    Object.defineProperty(vv, 'height', { get: () => 260, configurable: true });
    Object.defineProperty(vv, 'offsetTop', { get: () => 0, configurable: true });
    vv.dispatchEvent(new Event('resize'));
  });
  const where = () =>
    page.evaluate(() => {
      const root = document.querySelector('nazar-survey').shadowRoot;
      const r = root.querySelector('textarea').getBoundingClientRect();
      const d = root.querySelector('.nz-root').getBoundingClientRect();
      return { top: r.top, bottom: r.bottom, dialogTop: d.top, dialogBottom: d.bottom, inner: window.innerHeight };
    });
  const above = (w) => w.dialogBottom <= 260 && w.top >= Math.max(0, w.dialogTop) - 0.5 && w.bottom <= Math.min(260, w.dialogBottom) + 0.5;
  await waitFor(async () => above(await where()), 3000, 'the dialog above the keyboard').catch(() => {});
  const w = await where();
  assert.equal(w.inner, 640, 'the layout viewport kept its height');
  assert.ok(above(w), `dialog ${w.dialogTop}..${w.dialogBottom}, textarea ${w.top}..${w.bottom}, keyboard from 260`);
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('auto_advance moves on after a tap, never on keys; "other" takes text, kept here under "drop"', async () => {
  site.app.received.length = 0;
  const { page, log } = await open('en', { id: 'tap' });
  // Keyboard: Tab to the group, arrows and Space select but stay.
  await page.getByRole('radio', { name: '0, Not at all likely', exact: true }).focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Space');
  assert.equal(await showing(page), 'nps');
  assert.equal(await page.getByRole('radio', { name: '1', exact: true }).getAttribute('aria-checked'), 'true');
  // A click with a click count that no pressed pointer preceded selects and stays: nothing
  // pressed, or a pointerdown without pressure, as Chromium's activation by assistive technology
  // sends it (mouse type, primary, pressure 0), or pressed on another option.
  const click = (name) => page.getByRole('radio', { name, exact: true })
    .evaluate((el) => el.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true, detail: 1 })));
  const down = (name, pressure) => page.getByRole('radio', { name, exact: true })
    .dispatchEvent('pointerdown', { isPrimary: true, pointerType: 'mouse', pressure });
  await click('8');
  assert.equal(await showing(page), 'nps', 'a click nothing pressed: no auto-advance');
  assert.equal(await page.getByRole('radio', { name: '8', exact: true }).getAttribute('aria-checked'), 'true');
  await down('7', 0);
  await click('7');
  assert.equal(await showing(page), 'nps', 'a pointerdown without pressure: no auto-advance');
  await page.getByRole('radio', { name: '7', exact: true }).evaluate((el) => el.click());
  assert.equal(await showing(page), 'nps', 'click(): no auto-advance');
  await down('6', 0.5);
  await click('5');
  assert.equal(await showing(page), 'nps', 'pressed on 6, clicked 5: no auto-advance');
  // A tap moves on.
  await page.getByRole('radio', { name: '9', exact: true }).click();
  assert.equal(await showing(page), 'channel');
  // "other": its field appears, named by the option, focused; typing goes into it.
  await page.getByRole('radio', { name: 'Somewhere else' }).click();
  assert.equal(await showing(page), 'channel', 'other waits for its text');
  const other = page.getByRole('textbox', { name: 'Somewhere else' });
  await other.waitFor();
  assert.equal(await other.evaluate((el) => el.getRootNode().activeElement === el), true, 'focused');
  await page.keyboard.type('market stall');
  await page.getByRole('button', { name: 'Submit' }).click();
  await page.getByRole('status').filter({ hasText: /./ }).waitFor();
  const tally = await waitFor(() => site.app.received.find((r) => r.body.survey === 'tap' && !r.body.kind), 10000, 'the tally');
  assert.deepEqual(tally.body.questions.channel, { type: 'choice', options: ['web', 'app', 'other'], counts: [0, 0, 1] });
  assert.ok(!JSON.stringify(tally.body).includes('market'), 'the tally carries no text');
  await page.evaluate(() => window.nazar.flush());
  await page.evaluate(() => window.nazar.flush());
  assert.ok(!JSON.stringify(site.app.received).includes('market'), 'under "drop" the text stays here');
  assert.deepEqual(log.errors, []);
  await page.close();
});

// A finger's press may report no pressure (iPhones give 0): a touch still counts as a tap.
test('auto_advance: a touch without pressure is a tap', async () => {
  const { page, log } = await open('en', { id: 'tap' });
  const nine = page.getByRole('radio', { name: '9', exact: true });
  await nine.dispatchEvent('pointerdown', { isPrimary: true, pointerType: 'touch', pressure: 0 });
  await nine.evaluate((el) => el.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true, detail: 1 })));
  assert.equal(await showing(page), 'channel');
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('"other" under "scrubbed" (no NPS question): its text leaves as a comment, apart and later', async () => {
  site.app.received.length = 0;
  const { page, log } = await open('en', { id: 'other' });
  await page.getByRole('radio', { name: 'Somewhere else' }).click();
  await page.getByRole('textbox', { name: 'Somewhere else' }).fill('market stall');
  await page.getByRole('button', { name: 'Submit' }).click();
  const tally = await waitFor(() => site.app.received.find((r) => r.body.survey === 'other' && !r.body.kind), 10000, 'the tally');
  assert.deepEqual(tally.body.questions.channel.counts, [0, 0, 1]);
  assert.ok(!JSON.stringify(tally.body).includes('market'), 'the tally carries no text');
  // The comment leaves on a later flush than its tally (the page's own flush()), in its own
  // payload (Contract 3), with no NPS group: the survey has none.
  const comment = await waitFor(async () => {
    await page.evaluate(() => window.nazar.flush());
    return site.app.received.find((r) => r.body.survey === 'other' && r.body.kind === 'comments');
  }, 10000, 'the comment');
  assert.deepEqual(comment.body.comments, [{ question: 'channel', text: 'market stall' }]);
  assert.notEqual(comment.body.batch, tally.body.batch);
  assert.deepEqual(log.errors, []);
  await page.close();
});

// axe-core on the whole page, in light and dark: no violation, and no colour contrast inside the
// widget that axe could not decide (it reports those as "incomplete", not as violations).
async function axeClean(page, what) {
  for (const colorScheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme });
    const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations', 'incomplete'] }));
    assert.deepEqual(result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join('; ')}`), [],
      `${what} ${colorScheme}`);
    const undecided = result.incomplete.filter((r) => r.id === 'color-contrast')
      .flatMap((r) => r.nodes.filter((n) => n.target[0]?.[0] === 'nazar-survey').map((n) => n.target.join(' ')));
    assert.deepEqual(undecided, [], `${what} ${colorScheme}: contrast axe could not decide`);
    assert.ok(result.passes.some((r) => r.nodes.some((n) => n.target[0]?.[0] === 'nazar-survey')), 'axe saw the widget');
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

// Walks every question type in `lang` at one width: a screenshot of each, and axe-core in light
// and dark on each, on the hint a required question shows when Next comes first, and on the
// thank-you.
for (const lang of LANGS) {
  for (const [device, width, height] of [['desktop', 1280, 800], ['phone', 360, 740]]) {
    test(`every question type in ${lang} at ${device} width: screenshots, axe-core clean in light and dark`, async () => {
      const { page, log } = await open(lang, { width, height });
      await page.evaluate(axeSource);
      fs.mkdirSync(SHOTS, { recursive: true });
      // Next before an answer: the required question says so (role="alert").
      await page.locator('.nz-next').click({ force: true }); // aria-disabled, yet it answers a press
      await page.getByRole('alert').filter({ hasText: /./ }).waitFor();
      await axeClean(page, `the required hint ${lang} ${device}`);
      for (const q of QUESTIONS) {
        assert.equal(await showing(page), q.id);
        if (q.other) {
          // "other" chosen, its text field showing and typed in.
          await page.locator('.nz-option').last().click();
          await page.keyboard.type(lang === 'en' ? 'At the market' : lang === 'fa' ? 'در بازار' : 'في السوق');
        } else if (q.type !== 'text') {
          await page.locator('.nz-option').first().hover(); // a realistic moment
        }
        await page.screenshot({ path: path.join(SHOTS, `widget-${q.id}-${lang}-${device}.png`) });
        await axeClean(page, `${q.id} ${lang} ${device}`);
        await answerAndNext(page, q);
      }
      await page.getByRole('status').filter({ hasText: /./ }).waitFor();
      await page.screenshot({ path: path.join(SHOTS, `widget-thanks-${lang}-${device}.png`) });
      await axeClean(page, `the thank-you ${lang} ${device}`);
      assert.deepEqual(log.errors, []);
      assert.deepEqual(await page.evaluate(() => window.__violations), []);
      await page.close();
    });
  }
}
