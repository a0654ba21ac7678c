// The pages' UI strings in en, fa and ar, and number formatting in the UI language. Digits follow
// the core's rule (core/src/i18n.cc DigitsFor): fa writes Persian digits (U+06F0..), ar
// Arabic-Indic (U+0660..), en Latin; Intl.NumberFormat is told the numbering system outright, so
// the browser's CLDR version cannot change it. Templates take {name} placeholders.

export type Lang = 'en' | 'fa' | 'ar';
export const LANGS: Lang[] = ['en', 'fa', 'ar'];

const en = {
  langName: 'English',
  language: 'Language',
  title: 'Analyze survey responses',
  intro: 'Scores NPS, CSAT and CES with confidence intervals, trends and segments. The file is read on this device and never uploaded; the page works offline after the first visit.',
  dropHere: 'Drop an export here (CSV, TSV, semicolon CSV, NDJSON, or a saved report JSON)',
  chooseFile: 'Choose a file',
  mappingTitle: 'Confirm the columns',
  mappingHelp: 'Check the role of each column, then score the file.',
  column: 'Column',
  role: 'Role',
  samples: 'Examples',
  roleOf: 'Role of column {name}',
  roles: { ignore: 'Ignore', nps: 'NPS (0-10)', csat: 'CSAT', ces: 'CES', rating: 'Rating', date: 'Date', segment: 'Segment', text: 'Free text' },
  dateOrder: 'Dates such as 03/04/2026 are written',
  dmy: 'day/month/year', mdy: 'month/day/year',
  skipRows: 'Rows to skip after the header',
  groupBy: 'Segments from',
  none: 'None',
  periodLabel: 'Trend by',
  periods: { day: 'day', week: 'week', month: 'month' },
  calendar: 'Calendar',
  calendars: { gregorian: 'Gregorian', jalali: 'Solar Hijri' },
  score: 'Score the file',
  back: 'Choose another file',
  reading: 'Reading {name}',
  progress: '{rows} rows, {done} of {total}, {rate} rows/s, {left} left',
  progressShort: '{percent}% read',
  cancel: 'Cancel',
  cancelled: 'Cancelled. Nothing was kept.',
  failed: 'The file could not be scored: {message}',
  notReport: 'This JSON file is not a Nazar report.',
  summary: '{rows} rows read from {name} ({format}).',
  badRows: '{count} rows could not be read and are not counted. The first ones:',
  line: 'Line',
  problem: 'Problem',
  warnings: 'Warnings',
  seconds: '{n} s',
  // report view
  results: 'Results',
  range: '{from} to {to}',
  respondents: '{n} respondents',
  q: { nps: 'NPS', csat: 'CSAT', ces: 'CES', rating: 'Rating', choice: 'Choice', text: 'Text' },
  ci: '95% CI {lo} to {hi}',
  n: 'n = {n}',
  lowPrecision: 'low precision',
  lowPrecisionHelp: 'Few answers: the interval is wide.',
  hidden: 'hidden (too few answers)',
  noAnswers: 'no answers',
  promoters: 'Promoters {n}', passives: 'Passives {n}', detractors: 'Detractors {n}',
  satisfied: 'Satisfied {n} ({set})',
  agree: 'Agree {pct}%',
  sd: 'sd {sd}',
  skipped: 'Skipped {n}',
  distribution: 'Distribution of {q}',
  answer: 'Answer',
  count: 'Count',
  trend: '{q} by {period}',
  trendBy: { day: 'day', week: 'week', month: 'month' },
  period: 'Period',
  segment: 'Segment',
  value: 'Value',
  ciLo: 'CI low', ciHi: 'CI high',
  segmentsTitle: 'Segments',
  compareTitle: 'Compare',
  compareKind: 'Compare two',
  kindPeriods: 'periods', kindSegments: 'segments',
  sideA: 'Baseline (A)', sideB: 'Compared (B)',
  compareButton: 'Compare',
  comparing: 'Comparing…',
  question: 'Question',
  change: 'Change',
  pValue: 'p',
  verdict: 'Verdict',
  pointsUnit: '{d} points',
  v: {
    up: '{q} rose by {d} (95% CI {lo} to {hi}), unlikely to be chance (p {p}).',
    down: '{q} fell by {d} (95% CI {lo} to {hi}), unlikely to be chance (p {p}).',
    no_change: '{q}: no clear change ({d}, 95% CI {lo} to {hi}, p {p}).',
    not_enough_data: '{q}: not enough answers to tell (at least 30 on each side are needed).',
    not_comparable: '{q}: the two sides cannot be compared (their scales differ or the answers were randomized).',
  },
  vShort: { up: 'Up', down: 'Down', no_change: 'No clear change', not_enough_data: 'Not enough answers', not_comparable: 'Not comparable' },
  exportTitle: 'Download',
  exportJson: 'Report (JSON)',
  exportCsv: 'Report (CSV)',
  exportSvg: 'Chart (SVG)',
  tableOf: 'Table: {name}',
};

export type Messages = typeof en;

const fa: Messages = {
  langName: 'فارسی',
  language: 'زبان',
  title: 'تحلیل پاسخ‌های نظرسنجی',
  intro: 'NPS، CSAT و CES را با بازهٔ اطمینان، روند و بخش‌بندی محاسبه می‌کند. فایل روی همین دستگاه خوانده می‌شود و هرگز بارگذاری نمی‌شود؛ صفحه پس از نخستین بازدید بدون اینترنت هم کار می‌کند.',
  dropHere: 'فایل خروجی را اینجا رها کنید (CSV، TSV، CSV با نقطه‌ویرگول، NDJSON یا گزارش ذخیره‌شدهٔ JSON)',
  chooseFile: 'انتخاب فایل',
  mappingTitle: 'تأیید ستون‌ها',
  mappingHelp: 'نقش هر ستون را بررسی کنید و سپس فایل را امتیازدهی کنید.',
  column: 'ستون',
  role: 'نقش',
  samples: 'نمونه‌ها',
  roleOf: 'نقش ستون {name}',
  roles: { ignore: 'نادیده', nps: 'NPS (۰ تا ۱۰)', csat: 'CSAT', ces: 'CES', rating: 'امتیاز', date: 'تاریخ', segment: 'بخش', text: 'متن آزاد' },
  dateOrder: 'تاریخ‌هایی مانند 03/04/2026 به این صورت نوشته شده‌اند',
  dmy: 'روز/ماه/سال', mdy: 'ماه/روز/سال',
  skipRows: 'تعداد سطرهای پس از سرستون که باید رد شوند',
  groupBy: 'بخش‌ها از ستون',
  none: 'هیچ‌کدام',
  periodLabel: 'روند بر اساس',
  periods: { day: 'روز', week: 'هفته', month: 'ماه' },
  calendar: 'تقویم',
  calendars: { gregorian: 'میلادی', jalali: 'هجری شمسی' },
  score: 'امتیازدهی فایل',
  back: 'انتخاب فایل دیگر',
  reading: 'در حال خواندن {name}',
  progress: '{rows} سطر، {done} از {total}، {rate} سطر در ثانیه، {left} مانده',
  progressShort: '{percent}٪ خوانده شد',
  cancel: 'لغو',
  cancelled: 'لغو شد. چیزی نگه داشته نشد.',
  failed: 'امتیازدهی فایل ممکن نشد: {message}',
  notReport: 'این فایل JSON گزارش نظر نیست.',
  summary: '{rows} سطر از {name} خوانده شد ({format}).',
  badRows: '{count} سطر خوانده نشد و شمرده نمی‌شود. نخستین موارد:',
  line: 'سطر',
  problem: 'مشکل',
  warnings: 'هشدارها',
  seconds: '{n} ثانیه',
  results: 'نتایج',
  range: '{from} تا {to}',
  respondents: '{n} پاسخ‌دهنده',
  q: { nps: 'NPS', csat: 'CSAT', ces: 'CES', rating: 'امتیاز', choice: 'گزینه', text: 'متن' },
  ci: 'بازهٔ اطمینان ۹۵٪: {lo} تا {hi}',
  n: 'n = {n}',
  lowPrecision: 'دقت کم',
  lowPrecisionHelp: 'پاسخ‌ها کم است: بازه پهن است.',
  hidden: 'پنهان (پاسخ‌ها بسیار کم است)',
  noAnswers: 'بدون پاسخ',
  promoters: 'مروجان {n}', passives: 'بی‌طرف‌ها {n}', detractors: 'منتقدان {n}',
  satisfied: 'راضی {n} ({set})',
  agree: 'موافق {pct}٪',
  sd: 'انحراف معیار {sd}',
  skipped: 'بی‌پاسخ {n}',
  distribution: 'توزیع {q}',
  answer: 'پاسخ',
  count: 'تعداد',
  trend: '{q} بر اساس {period}',
  trendBy: { day: 'روز', week: 'هفته', month: 'ماه' },
  period: 'دوره',
  segment: 'بخش',
  value: 'مقدار',
  ciLo: 'کران پایین', ciHi: 'کران بالا',
  segmentsTitle: 'بخش‌ها',
  compareTitle: 'مقایسه',
  compareKind: 'مقایسهٔ دو',
  kindPeriods: 'دوره', kindSegments: 'بخش',
  sideA: 'مبنا (A)', sideB: 'مقایسه‌شونده (B)',
  compareButton: 'مقایسه',
  comparing: 'در حال مقایسه…',
  question: 'پرسش',
  change: 'تغییر',
  pValue: 'p',
  verdict: 'نتیجه',
  pointsUnit: '{d} امتیاز',
  v: {
    up: '{q} به اندازهٔ {d} افزایش یافت (بازهٔ اطمینان ۹۵٪: {lo} تا {hi})، که بعید است تصادفی باشد (p {p}).',
    down: '{q} به اندازهٔ {d} کاهش یافت (بازهٔ اطمینان ۹۵٪: {lo} تا {hi})، که بعید است تصادفی باشد (p {p}).',
    no_change: '{q}: تغییر روشنی دیده نمی‌شود ({d}، بازهٔ اطمینان ۹۵٪: {lo} تا {hi}، p {p}).',
    not_enough_data: '{q}: پاسخ‌ها برای داوری کافی نیست (در هر طرف دست‌کم ۳۰ پاسخ لازم است).',
    not_comparable: '{q}: این دو طرف مقایسه‌پذیر نیستند (مقیاس‌ها فرق دارد یا پاسخ‌ها تصادفی‌سازی شده‌اند).',
  },
  vShort: { up: 'افزایش', down: 'کاهش', no_change: 'بدون تغییر روشن', not_enough_data: 'پاسخ ناکافی', not_comparable: 'مقایسه‌ناپذیر' },
  exportTitle: 'دریافت',
  exportJson: 'گزارش (JSON)',
  exportCsv: 'گزارش (CSV)',
  exportSvg: 'نمودار (SVG)',
  tableOf: 'جدول: {name}',
};

const ar: Messages = {
  langName: 'العربية',
  language: 'اللغة',
  title: 'تحليل إجابات الاستبيان',
  intro: 'يحسب NPS وCSAT وCES مع فترات الثقة والاتجاهات والشرائح. يُقرأ الملف على هذا الجهاز ولا يُرفع أبدًا؛ وتعمل الصفحة دون اتصال بعد الزيارة الأولى.',
  dropHere: 'أفلت ملف التصدير هنا (CSV أو TSV أو CSV بفاصلة منقوطة أو NDJSON أو تقرير JSON محفوظ)',
  chooseFile: 'اختر ملفًا',
  mappingTitle: 'تأكيد الأعمدة',
  mappingHelp: 'تحقق من دور كل عمود، ثم احسب نتائج الملف.',
  column: 'العمود',
  role: 'الدور',
  samples: 'أمثلة',
  roleOf: 'دور العمود {name}',
  roles: { ignore: 'تجاهل', nps: 'NPS (٠ إلى ١٠)', csat: 'CSAT', ces: 'CES', rating: 'تقييم', date: 'التاريخ', segment: 'شريحة', text: 'نص حر' },
  dateOrder: 'التواريخ مثل 03/04/2026 مكتوبة بصيغة',
  dmy: 'يوم/شهر/سنة', mdy: 'شهر/يوم/سنة',
  skipRows: 'عدد الصفوف التي تُتخطى بعد صف العناوين',
  groupBy: 'الشرائح من العمود',
  none: 'لا شيء',
  periodLabel: 'الاتجاه حسب',
  periods: { day: 'اليوم', week: 'الأسبوع', month: 'الشهر' },
  calendar: 'التقويم',
  calendars: { gregorian: 'الميلادي', jalali: 'الهجري الشمسي' },
  score: 'احسب نتائج الملف',
  back: 'اختر ملفًا آخر',
  reading: 'جارٍ قراءة {name}',
  progress: '{rows} صف، {done} من {total}، {rate} صف/ث، يتبقى {left}',
  progressShort: 'قُرئ {percent}٪',
  cancel: 'إلغاء',
  cancelled: 'أُلغي. لم يُحتفظ بشيء.',
  failed: 'تعذّر حساب نتائج الملف: {message}',
  notReport: 'ملف JSON هذا ليس تقرير نظر.',
  summary: 'قُرئ {rows} صف من {name} ({format}).',
  badRows: 'تعذّرت قراءة {count} صف ولم تُحتسب. أولها:',
  line: 'السطر',
  problem: 'المشكلة',
  warnings: 'تحذيرات',
  seconds: '{n} ث',
  results: 'النتائج',
  range: 'من {from} إلى {to}',
  respondents: '{n} مستجيب',
  q: { nps: 'NPS', csat: 'CSAT', ces: 'CES', rating: 'تقييم', choice: 'اختيار', text: 'نص' },
  ci: 'فترة الثقة ٩٥٪: من {lo} إلى {hi}',
  n: 'n = {n}',
  lowPrecision: 'دقة منخفضة',
  lowPrecisionHelp: 'الإجابات قليلة: الفترة واسعة.',
  hidden: 'مخفي (إجابات قليلة جدًا)',
  noAnswers: 'لا إجابات',
  promoters: 'المروّجون {n}', passives: 'المحايدون {n}', detractors: 'المنتقدون {n}',
  satisfied: 'راضون {n} ({set})',
  agree: 'موافقون {pct}٪',
  sd: 'الانحراف المعياري {sd}',
  skipped: 'دون إجابة {n}',
  distribution: 'توزيع {q}',
  answer: 'الإجابة',
  count: 'العدد',
  trend: '{q} حسب {period}',
  trendBy: { day: 'اليوم', week: 'الأسبوع', month: 'الشهر' },
  period: 'الفترة',
  segment: 'الشريحة',
  value: 'القيمة',
  ciLo: 'الحد الأدنى', ciHi: 'الحد الأعلى',
  segmentsTitle: 'الشرائح',
  compareTitle: 'مقارنة',
  compareKind: 'مقارنة',
  kindPeriods: 'فترتين', kindSegments: 'شريحتين',
  sideA: 'الأساس (A)', sideB: 'المقارَن (B)',
  compareButton: 'قارن',
  comparing: 'جارٍ المقارنة…',
  question: 'السؤال',
  change: 'التغيّر',
  pValue: 'p',
  verdict: 'الحكم',
  pointsUnit: '{d} نقطة',
  v: {
    up: 'ارتفع {q} بمقدار {d} (فترة الثقة ٩٥٪: من {lo} إلى {hi})، ويُستبعد أن يكون ذلك مصادفة (p {p}).',
    down: 'انخفض {q} بمقدار {d} (فترة الثقة ٩٥٪: من {lo} إلى {hi})، ويُستبعد أن يكون ذلك مصادفة (p {p}).',
    no_change: '{q}: لا تغيّر واضح ({d}، فترة الثقة ٩٥٪: من {lo} إلى {hi}، p {p}).',
    not_enough_data: '{q}: الإجابات غير كافية للحكم (يلزم ٣٠ إجابة على الأقل في كل جانب).',
    not_comparable: '{q}: لا يمكن مقارنة الجانبين (المقاييس مختلفة أو الإجابات عشوائية).',
  },
  vShort: { up: 'ارتفاع', down: 'انخفاض', no_change: 'لا تغيّر واضح', not_enough_data: 'إجابات غير كافية', not_comparable: 'غير قابل للمقارنة' },
  exportTitle: 'تنزيل',
  exportJson: 'التقرير (JSON)',
  exportCsv: 'التقرير (CSV)',
  exportSvg: 'الرسم البياني (SVG)',
  tableOf: 'جدول: {name}',
};

export const MESSAGES: Record<Lang, Messages> = { en, fa, ar };

// The UI language for a BCP 47 tag or list of them: the first of en, fa, ar that matches a
// tag's language, else en.
export function pickLang(tags: readonly string[]): Lang {
  for (const tag of tags) {
    const base = tag.toLowerCase().split(/[-_]/)[0];
    if ((LANGS as string[]).includes(base)) return base as Lang;
  }
  return 'en';
}

export const isRtl = (lang: Lang): boolean => lang !== 'en';

// Fills {name} placeholders.
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in values ? String(values[k]) : m));
}

const NUMBERING: Record<Lang, string> = { en: 'latn', fa: 'arabext', ar: 'arab' };
const formats = new Map<string, Intl.NumberFormat>();

// `x` with exactly `decimals` places in the language's digits ("-" when not a finite number).
export function num(lang: Lang, x: number | null | undefined, decimals = 0): string {
  if (typeof x !== 'number' || !Number.isFinite(x)) return '-';
  const key = lang + decimals;
  let f = formats.get(key);
  if (!f) {
    f = new Intl.NumberFormat(lang, {
      numberingSystem: NUMBERING[lang],
      minimumFractionDigits: decimals,
      maximumFractionDigits: decimals,
    } as Intl.NumberFormatOptions);
    formats.set(key, f);
  }
  return f.format(x);
}

// ASCII digits in `text` (period labels such as 2026-W47, dates) in the language's digits.
export function digits(lang: Lang, text: string): string {
  if (lang === 'en') return text;
  const zero = lang === 'fa' ? 0x06f0 : 0x0660;
  return text.replace(/[0-9]/g, (d) => String.fromCharCode(zero + d.charCodeAt(0) - 48));
}
