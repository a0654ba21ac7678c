#include "nazar/i18n.h"

namespace nazar {
namespace {

bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
char Upper(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; }

// Splits at `sep`; an empty input gives one empty piece.
std::vector<std::string_view> Split(std::string_view text, char sep) {
  std::vector<std::string_view> out;
  for (;;) {
    const size_t at = text.find(sep);
    out.push_back(text.substr(0, at));
    if (at == std::string_view::npos) return out;
    text.remove_prefix(at + 1);
  }
}

bool InList(std::string_view space_separated, std::string_view word) {
  for (std::string_view w : Split(space_separated, ' ')) {
    if (w == word) return true;
  }
  return false;
}

// The parts of a canonical tag the i18n rules look at; "" when absent.
struct TagParts {
  std::string_view language, script, region;
  std::string_view numbers;  // the value of the "-u-nu-" keyword
};

TagParts Parse(std::string_view canonical) {
  TagParts parts;
  if (canonical.empty()) return parts;
  const std::vector<std::string_view> subs = Split(canonical, '-');
  parts.language = subs[0];
  size_t i = 1;
  if (i < subs.size() && subs[i].size() == 4 && IsAlpha(subs[i][0])) parts.script = subs[i++];
  if (i < subs.size() && (subs[i].size() == 2 || (subs[i].size() == 3 && IsDigit(subs[i][0])))) {
    parts.region = subs[i++];
  }
  for (; i < subs.size(); ++i) {
    if (subs[i] != "u") continue;
    // Keys have two characters; their types three to eight. The next singleton ends the run.
    for (size_t j = i + 1; j + 1 < subs.size() && subs[j].size() > 1; ++j) {
      if (subs[j] == "nu") parts.numbers = subs[j + 1];
    }
    break;
  }
  return parts;
}

// A comparable key for a tag: its canonical form, or the lowercased raw text for garbage.
std::string Key(std::string_view tag) {
  std::string key = CanonicalLocale(tag);
  if (key.empty()) {
    for (char c : tag) key += Lower(c);
  }
  return key;
}

// Built-in UI strings, one row per language, columns in UiString order: the three languages the
// widget ships with. Others are data files (web/locales/*.json) a survey adds as its "strings",
// so that the widget's module carries three languages and a site adds those it shows. Plural-sensitive strings are phrased so
// one form fits every count ("{1} characters left").
constexpr int kUiCount = kUiStringCount;
// A UiString added without its name in kUiStringNames would leave a null there.
constexpr bool EveryUiStringNamed() {
  for (const char* name : kUiStringNames) {
    if (name == nullptr) return false;
  }
  return true;
}
static_assert(EveryUiStringNamed(), "kUiStringNames: a UiString has no name");
constexpr const char* kUiLanguages[] = {"en", "fa", "ar"};
// One row per language, packed (clang-format would put each string on a line of its own).
// clang-format off
constexpr const char* kUi[][kUiCount] = {
    {"Next", "Back", "Submit", "Skip", "Close survey", "Thank you!", "Survey",
     "Question {1} of {2}", "Optional", "{1} characters left",
     "Please choose an answer to continue.", "{1} of {2} stars", "{1} of {2}", "Strongly disagree",
     "Strongly agree", "{1}, {2}", "Unsent answers: {1}", "Not at all likely", "Extremely likely",
     "Very dissatisfied", "Very satisfied"},
    {"بعدی", "قبلی", "ارسال", "رد کردن", "بستن نظرسنجی", "سپاسگزاریم!", "نظرسنجی",
     "پرسش {1} از {2}", "اختیاری", "{1} نویسه باقی\u200cمانده",
     "لطفاً برای ادامه یک پاسخ را انتخاب کنید.", "{1} از {2} ستاره", "{1} از {2}", "کاملاً مخالفم",
     "کاملاً موافقم", "{1}، {2}", "پاسخ\u200cهای ارسال\u200cنشده: {1}",
     "اصلاً محتمل نیست", "کاملاً محتمل", "خیلی ناراضی", "خیلی راضی"},
    {"التالي", "السابق", "إرسال", "تخطي", "إغلاق الاستبيان", "شكرًا لك!", "استبيان",
     "السؤال {1} من {2}", "اختياري", "الأحرف المتبقية: {1}", "يُرجى اختيار إجابة للمتابعة.",
     "{1} من {2} نجوم", "{1} من {2}", "لا أوافق بشدة", "أوافق بشدة", "{1}، {2}",
     "إجابات لم تُرسل بعد: {1}", "غير محتمل على الإطلاق", "محتمل للغاية",
     "غير راضٍ جدًا", "راضٍ جدًا"},
};
// clang-format on
static_assert(sizeof kUi / sizeof kUi[0] == sizeof kUiLanguages / sizeof kUiLanguages[0],
              "one row of UI strings per language");

}  // namespace

std::string CanonicalLocale(std::string_view tag) {
  if (tag.empty() || tag.size() > 35) return "";
  std::string out(tag);
  bool after_singleton = false;
  size_t index = 0;
  for (size_t start = 0; start <= out.size(); ++index) {
    size_t end = start;
    while (end < out.size() && out[end] != '-' && out[end] != '_') ++end;
    const size_t len = end - start;
    bool letters = true;
    for (size_t i = start; i < end; ++i) {
      if (!IsAlpha(out[i]) && !IsDigit(out[i])) return "";
      letters = letters && IsAlpha(out[i]);
      out[i] = Lower(out[i]);
    }
    if (len == 0 || len > 8) return "";
    if (index == 0 && (!letters || len == 1 || len == 4)) return "";  // language: 2-3, 5-8
    if (!after_singleton && index > 0 && letters) {
      if (len == 2) {
        out[start] = Upper(out[start]);
        out[start + 1] = Upper(out[start + 1]);
      } else if (len == 4) {
        out[start] = Upper(out[start]);
      }
    }
    if (len == 1) {
      if (end == out.size()) return "";  // a singleton needs a subtag after it
      after_singleton = true;
    }
    if (end < out.size()) out[end] = '-';
    start = end + 1;
  }
  return out;
}

std::vector<std::string> LocaleChain(std::string_view requested,
                                     const std::vector<std::string>& available,
                                     std::string_view default_locale) {
  std::vector<std::string> keys;
  for (const std::string& a : available) keys.push_back(Key(a));
  std::vector<char> used(available.size(), 0);  // not vector<bool>: smaller wasm
  std::vector<std::string> chain;
  auto add_index = [&](size_t i) {
    for (size_t j = 0; j < available.size(); ++j) {
      if (keys[j] == keys[i] && used[j]) return;  // same tag spelled twice: keep the first
    }
    used[i] = true;
    chain.push_back(available[i]);
  };
  auto add_key = [&](std::string_view key) {
    for (size_t i = 0; i < available.size(); ++i) {
      if (keys[i] == key) return add_index(i);
    }
  };

  // The requested tag, then ever shorter prefixes of it: "zh-Hant-TW", "zh-Hant", "zh".
  std::string key = CanonicalLocale(requested);
  const TagParts want = Parse(key);
  for (std::string prefix = key; !prefix.empty();) {
    add_key(prefix);
    const size_t dash = prefix.rfind('-');
    prefix.resize(dash == std::string::npos ? 0 : dash);
  }
  // Another variety of the same language ("pt-PT" for "pt-BR"), unless the scripts differ.
  for (size_t i = 0; i < available.size() && !want.language.empty(); ++i) {
    const TagParts have = Parse(keys[i]);
    if (have.language == want.language &&
        (want.script.empty() || have.script.empty() || want.script == have.script)) {
      add_index(i);
      break;
    }
  }
  if (!default_locale.empty()) add_key(Key(default_locale));
  if (!available.empty()) add_index(0);
  return chain;
}

bool IsRtl(std::string_view locale) {
  const std::string key = CanonicalLocale(locale);
  const TagParts parts = Parse(key);
  if (!parts.script.empty()) {
    return InList("Arab Hebr Thaa Syrc Nkoo Adlm Rohg Mand Samr", parts.script);
  }
  return InList("ar fa he iw ur ps ckb sd ug yi dv syr mzn lrc glk azb pnb prs ks", parts.language);
}

DigitStyle DigitsFor(std::string_view locale) {
  const std::string key = CanonicalLocale(locale);
  const TagParts parts = Parse(key);
  if (parts.numbers == "latn") return DigitStyle::kLatin;
  if (parts.numbers == "arab") return DigitStyle::kArabicIndic;
  if (parts.numbers == "arabext") return DigitStyle::kPersian;
  if (!parts.script.empty() && parts.script != "Arab") return DigitStyle::kLatin;
  if (parts.language == "fa" || parts.language == "ps") return DigitStyle::kPersian;
  if (parts.language == "ckb") return DigitStyle::kArabicIndic;
  if (parts.language == "ar" && !InList("MA DZ TN LY EH", parts.region)) {
    return DigitStyle::kArabicIndic;
  }
  return DigitStyle::kLatin;
}

std::string ShapeDigits(std::string_view text, DigitStyle style) {
  if (style == DigitStyle::kLatin) return std::string(text);
  // U+06F0.. is DB B0.., U+0660.. is D9 A0..; ASCII bytes never occur inside a sequence.
  const char lead = style == DigitStyle::kPersian ? '\xDB' : '\xD9';
  const int trail = style == DigitStyle::kPersian ? 0xB0 : 0xA0;
  std::string out;
  out.reserve(text.size() * 2);
  for (char c : text) {
    if (IsDigit(c)) {
      out += lead;
      out += static_cast<char>(trail + (c - '0'));
    } else {
      out += c;
    }
  }
  return out;
}

std::string FormatInt(long long value, std::string_view locale) {
  const DigitStyle style = DigitsFor(locale);
  std::string digits = std::to_string(value);  // LLONG_MIN too
  if (value < 0) digits.erase(0, 1);           // the locale's own sign goes first
  std::string sign;
  if (value < 0) {
    // CLDR minus signs: arabext "LRM U+2212", arab "ALM -"; the marks keep the sign in front.
    sign = style == DigitStyle::kPersian       ? "\u200E\u2212"
           : style == DigitStyle::kArabicIndic ? "\u061C-"
                                               : "-";
  }
  return sign + ShapeDigits(digits, style);
}

std::string NormalizeDigits(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    uint32_t cp;
    const size_t len = Utf8Decode(text, i, &cp);
    if (cp >= 0x06F0 && cp <= 0x06F9) {
      out += static_cast<char>('0' + (cp - 0x06F0));
    } else if (cp >= 0x0660 && cp <= 0x0669) {
      out += static_cast<char>('0' + (cp - 0x0660));
    } else if (cp >= 0xFF10 && cp <= 0xFF19) {
      out += static_cast<char>('0' + (cp - 0xFF10));
    } else {
      out.append(text, i, len);  // invalid bytes pass through untouched
    }
    i += len;
  }
  return out;
}

size_t Utf8Decode(std::string_view text, size_t pos, uint32_t* cp) {
  if (pos >= text.size()) {
    *cp = 0;
    return 0;
  }
  const auto byte = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned b0 = byte(pos);
  *cp = 0xFFFD;
  if (b0 < 0x80) {
    *cp = b0;
    return 1;
  }
  size_t len;
  uint32_t min;
  uint32_t value;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2, min = 0x80, value = b0 & 0x1F;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3, min = 0x800, value = b0 & 0x0F;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4, min = 0x10000, value = b0 & 0x07;
  } else {
    return 1;
  }
  if (text.size() - pos < len) return 1;
  for (size_t i = 1; i < len; ++i) {
    if ((byte(pos + i) & 0xC0) != 0x80) return 1;
    value = (value << 6) | (byte(pos + i) & 0x3F);
  }
  if (value < min || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) return 1;
  *cp = value;
  return len;
}

void AppendUtf8(uint32_t cp, std::string* out) {
  if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
  if (cp < 0x80) {
    *out += static_cast<char>(cp);
    return;
  }
  const int len = cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  static constexpr unsigned char kLead[] = {0, 0, 0xC0, 0xE0, 0xF0};
  *out += static_cast<char>(kLead[len] | (cp >> (6 * (len - 1))));
  for (int i = len - 2; i >= 0; --i) *out += static_cast<char>(0x80 | ((cp >> (6 * i)) & 0x3F));
}

size_t Utf8Length(std::string_view text) {
  size_t count = 0;
  uint32_t cp;
  for (size_t i = 0; i < text.size(); i += Utf8Decode(text, i, &cp)) ++count;
  return count;
}

std::string Utf8Truncate(std::string_view text, size_t max_code_points) {
  size_t end = 0;
  uint32_t cp;
  for (size_t n = 0; n < max_code_points && end < text.size(); ++n) {
    end += Utf8Decode(text, end, &cp);
  }
  return std::string(text.substr(0, end));
}

const char* UiText(UiString id, const std::vector<std::string>& chain,
                   const std::vector<UiStringTable>& tables) {
  const int column = static_cast<int>(id);
  if (column < 0 || column >= kUiCount) return "";
  for (const std::string& tag : chain) {
    const std::string key = CanonicalLocale(tag);
    const std::string_view language = Parse(key).language;
    bool tabled = false;  // the definition has strings for this language, not this one
    for (const UiStringTable& table : tables) {
      const std::string own = CanonicalLocale(table.locale);
      if (own != key && own != language) continue;
      const std::string& text = table.texts[column];
      if (!text.empty()) return text.c_str();
      tabled = true;
      break;
    }
    int row = 0;
    for (const char* l : kUiLanguages) {
      if (language == l) return kUi[row][column];  // built in: a table rewords only its own
      ++row;
    }
    if (tabled) return kUi[0][column];  // English, never the chain's next language
  }
  return kUi[0][column];
}

int UiPlaceholders(UiString id) {
  const int column = static_cast<int>(id);
  if (column < 0 || column >= kUiCount) return 0;
  const std::string_view english = kUi[0][column];
  return (english.find("{1}") != std::string_view::npos ? 1 : 0) |
         (english.find("{2}") != std::string_view::npos ? 2 : 0);
}

bool IsBidiControl(uint32_t cp) {
  return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

std::string CloseBidi(std::string_view text) {
  std::string open;  // the controls still open, innermost last: 'e' embedding, 'i' isolate
  for (size_t i = 0; i < text.size();) {
    uint32_t cp;
    i += Utf8Decode(text, i, &cp);
    if ((cp >= 0x202A && cp <= 0x202B) || (cp >= 0x202D && cp <= 0x202E)) {
      open += 'e';  // LRE, RLE, LRO, RLO
    } else if (cp >= 0x2066 && cp <= 0x2068) {
      open += 'i';  // LRI, RLI, FSI
    } else if (cp == 0x202C) {
      if (!open.empty() && open.back() == 'e') open.pop_back();  // PDF: not across an isolate
    } else if (cp == 0x2069) {
      const size_t last = open.rfind('i');  // PDI: closes its isolate and everything inside
      if (last != std::string::npos) open.resize(last);
    }
  }
  std::string out(text);
  for (auto it = open.rbegin(); it != open.rend(); ++it) out += *it == 'e' ? "\u202C" : "\u2069";
  return out;
}

bool IsUiLocale(std::string_view locale) {
  const std::string key = CanonicalLocale(locale);
  for (const char* l : kUiLanguages) {
    if (key == l) return true;
  }
  return false;
}

std::string FormatPattern(std::string_view pattern, std::string_view a, std::string_view b) {
  std::string out;
  out.reserve(pattern.size() + a.size() + b.size());
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '{' && i + 2 < pattern.size() && pattern[i + 2] == '}' &&
        (pattern[i + 1] == '1' || pattern[i + 1] == '2')) {
      out += pattern[i + 1] == '1' ? a : b;
      i += 2;
    } else {
      out += pattern[i];
    }
  }
  return out;
}

}  // namespace nazar
