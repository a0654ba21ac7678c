#include "nazar/privacy.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <utility>

#include "nazar/i18n.h"

namespace nazar {
namespace {

// 0-9 for ASCII, Persian (U+06F0), Arabic-Indic (U+0660) and full-width (U+FF10) digits, else -1.
int DigitValue(uint32_t cp) {
  if (cp >= '0' && cp <= '9') return static_cast<int>(cp - '0');
  for (uint32_t zero : {0x06F0u, 0x0660u, 0xFF10u}) {
    if (cp >= zero && cp <= zero + 9) return static_cast<int>(cp - zero);
  }
  return -1;
}

bool InRange(uint32_t cp, uint32_t lo, uint32_t hi) { return cp >= lo && cp <= hi; }

// Invisible characters dropped inside digit runs: ZWNJ, LRM, RLM, ALM and tatweel as METRICS.md
// lists, plus the other zero-width and bidi controls (ZWSP, ZWJ, embeddings, isolates, word
// joiner, BOM) so they cannot be used to split a number past the scanner.
bool IsIgnorable(uint32_t cp) {
  return cp == 0x061C || cp == 0x0640 || InRange(cp, 0x200B, 0x200F) ||
         InRange(cp, 0x202A, 0x202E) || InRange(cp, 0x2060, 0x2069) || cp == 0xFEFF;
}

// Separators allowed between the digit groups of one run, any number in a row (fail closed:
// "0912    345    6789" and "0912\n345\n6789" are one phone number): white space of every kind
// (tabs, line breaks, no-break and wide spaces), dashes, parentheses and slashes (with their
// full-width forms).
bool IsGapChar(uint32_t cp) {
  for (uint32_t gap : {0x20u, 0x2Du, 0x28u, 0x29u, 0x2Fu, 0x5Cu, 0x85u, 0xA0u, 0x1680u, 0x2044u,
                       0x2212u, 0x2215u, 0x3000u, 0xFF08u, 0xFF09u, 0xFF0Du, 0xFF0Fu}) {
    if (cp == gap) return true;
  }
  return InRange(cp, 0x09, 0x0D) ||      // tab, line feed, vertical tab, form feed, return
         InRange(cp, 0x2000, 0x200A) ||  // en quad .. hair space
         InRange(cp, 0x2010, 0x2015) ||  // hyphen, non-breaking hyphen, figure/en/em dashes
         cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F;
}

// Non-ASCII spaces, punctuation and controls: everything else non-ASCII counts as a letter, so
// e-mails with Persian or Arabic local parts or domains are caught too (fail closed).
bool IsNonAsciiSeparator(uint32_t cp) {
  return InRange(cp, 0x80, 0xBF) || cp == 0xD7 || cp == 0xF7 || cp == 0x060C || cp == 0x061B ||
         cp == 0x061C || cp == 0x061F || InRange(cp, 0x066A, 0x066D) || cp == 0x06D4 ||
         InRange(cp, 0x2000, 0x206F) || InRange(cp, 0x2190, 0x2BFF) ||  // arrows .. dingbats
         InRange(cp, 0x3000, 0x303F) || cp == 0xFEFF || InRange(cp, 0xFF00, 0xFF0F) ||
         InRange(cp, 0xFF1A, 0xFF20) || cp == 0xFFFD || InRange(cp, 0x1F000, 0x1FAFF);  // emoji
}

bool IsWord(uint32_t cp) {
  if (cp < 0x80) {
    return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
  }
  return !IsNonAsciiSeparator(cp);
}
// Other characters that are neither letters nor digits (ASCII punctuation and symbols, the
// non-ASCII separators) join digit groups when at most this many stand between them (besides
// any gap characters): "0912.345.6789", "0912 . 345 . 6789", "0912_345_6789", "0912, 345, 6789".
constexpr int kMaxJoiningPunctuation = 3;

// Whether the characters in [from, to) join two digit groups into one run: none is a letter or
// digit, and at most kMaxJoiningPunctuation are neither gap characters nor ignorable.
bool JoinsGroups(const std::vector<uint32_t>& cps, size_t from, size_t to) {
  int punctuation = 0;
  for (size_t k = from; k < to; ++k) {
    const uint32_t c = cps[k];
    if (IsIgnorable(c) || IsGapChar(c)) continue;
    if (IsWord(c) || ++punctuation > kMaxJoiningPunctuation) return false;
  }
  return true;
}

// One past the last character of the gap starting at `from` that could join digit groups (it
// stops at a letter, a digit, `limit`, or once too much punctuation was seen).
size_t GapEnd(const std::vector<uint32_t>& cps, size_t from, size_t limit) {
  int punctuation = 0;
  size_t k = from;
  for (; k < limit; ++k) {
    const uint32_t c = cps[k];
    if (IsIgnorable(c) || IsGapChar(c)) continue;
    if (IsWord(c) || ++punctuation > kMaxJoiningPunctuation) break;
  }
  return k;
}

bool IsLocalPart(uint32_t cp) {
  return IsWord(cp) || cp == '.' || cp == '_' || cp == '%' || cp == '+' || cp == '-';
}
bool IsDomainPart(uint32_t cp) { return IsWord(cp) || cp == '.' || cp == '-'; }

bool Luhn(const std::string& digits) {
  int sum = 0;
  for (size_t i = 0; i < digits.size(); ++i) {
    int d = digits[digits.size() - 1 - i] - '0';
    if (i % 2 == 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 == 0;
}

// Iranian national id (code-e melli): 10 digits, the last a mod-11 check digit. Ids of one
// repeated digit pass the arithmetic but are never issued.
bool NationalIdValid(const std::string& d) {
  if (d.size() != 10 || d.find_first_not_of(d[0]) == std::string::npos) return false;
  int sum = 0;
  for (int i = 0; i < 9; ++i) sum += (d[i] - '0') * (10 - i);
  const int r = sum % 11;
  return d[9] - '0' == (r < 2 ? r : 11 - r);
}

// (+98|0098|0)?9xxxxxxxxx
bool IranianMobile(const std::string& d, bool plus) {
  std::string_view rest = d;
  if (plus) {
    if (rest.substr(0, 2) != "98") return false;
    rest.remove_prefix(2);
  } else if (rest.substr(0, 4) == "0098") {
    rest.remove_prefix(4);
  } else if (rest.substr(0, 1) == "0") {
    rest.remove_prefix(1);
  }
  return rest.size() == 10 && rest[0] == '9';
}

// The mask for a digit run (ASCII digits, `plus` when written with a leading '+'), or nullptr.
const char* Classify(const std::string& d, bool plus) {
  const size_t n = d.size();
  if (plus && n >= 8 && n <= 15) return "[PHONE]";
  if (IranianMobile(d, plus)) return "[PHONE]";
  if (n >= 13 && n <= 19 && Luhn(d)) return "[CARD]";
  if (NationalIdValid(d)) return "[NATIONAL_ID]";
  if (n >= 8) return "[NUMBER]";
  return nullptr;
}

struct Span {
  size_t begin, end;  // code point indices, end exclusive
  const char* label;
};

// E-mails: a local part and a domain around '@', each with at least one letter or digit.
std::vector<Span> FindEmails(const std::vector<uint32_t>& cps) {
  std::vector<Span> spans;
  size_t floor = 0;  // spans never overlap
  for (size_t at = 0; at < cps.size(); ++at) {
    if (cps[at] != '@') continue;
    size_t begin = at;
    while (begin > floor && IsLocalPart(cps[begin - 1])) --begin;
    while (begin < at && cps[begin] == '.') ++begin;
    // A number written with separators just before '@' ("0912 345 6789@x.ir") joins the address
    // rather than leaving its first groups behind in the clear.
    while (begin > floor && begin < at && DigitValue(cps[begin]) >= 0) {
      size_t k = begin;
      while (k > floor && (IsIgnorable(cps[k - 1]) || !IsWord(cps[k - 1]))) --k;
      if (k == begin || k == floor || DigitValue(cps[k - 1]) < 0 || !JoinsGroups(cps, k, begin)) {
        break;
      }
      for (begin = k - 1; begin > floor && DigitValue(cps[begin - 1]) >= 0;) --begin;
    }
    size_t end = at + 1;
    while (end < cps.size() && IsDomainPart(cps[end])) ++end;
    while (end > at + 1 && (cps[end - 1] == '.' || cps[end - 1] == '-')) --end;
    auto has_word = [&](size_t b, size_t e) {
      return std::any_of(cps.begin() + b, cps.begin() + e, IsWord);
    };
    if (has_word(begin, at) && has_word(at + 1, end)) {
      spans.push_back({begin, end, "[EMAIL]"});
      floor = end;
      at = end - 1;
    }
  }
  return spans;
}

// Digit runs outside the e-mail spans, each masked when Classify() says so.
void FindDigitRuns(const std::vector<uint32_t>& cps, const std::vector<Span>& emails,
                   std::vector<Span>* spans) {
  const size_t n = cps.size();
  size_t next_email = 0;
  for (size_t i = 0; i < n;) {
    while (next_email < emails.size() && emails[next_email].end <= i) ++next_email;
    const bool in_email = next_email < emails.size() && emails[next_email].begin <= i;
    if (in_email) {
      i = emails[next_email].end;
      continue;
    }
    const size_t limit = next_email < emails.size() ? emails[next_email].begin : n;
    const bool plus = cps[i] == '+' && i + 1 < limit && DigitValue(cps[i + 1]) >= 0;
    if (!plus && DigitValue(cps[i]) < 0) {
      ++i;
      continue;
    }
    std::string digits;
    size_t j = plus ? i + 1 : i;
    size_t last = j;  // one past the last digit
    for (;;) {
      for (; j < limit && (DigitValue(cps[j]) >= 0 || IsIgnorable(cps[j])); ++j) {
        const int v = DigitValue(cps[j]);
        if (v >= 0) {
          digits += static_cast<char>('0' + v);
          last = j + 1;
        }
      }
      // The next group joins across any gap of white space, dashes, parentheses and slashes, and
      // across up to kMaxJoiningPunctuation other non-letters (fail closed).
      const size_t k = GapEnd(cps, j, limit);
      if (k >= limit || DigitValue(cps[k]) < 0) break;
      j = k;
    }
    if (const char* label = Classify(digits, plus)) {
      // Take in a parenthesis that opens or closes a group of the number: "(0912) 345 6789".
      size_t begin = i;
      size_t end = last;
      const auto open = std::count(cps.begin() + begin, cps.begin() + end, uint32_t{'('});
      const auto close = std::count(cps.begin() + begin, cps.begin() + end, uint32_t{')'});
      if (close > open && begin > 0 && cps[begin - 1] == '(') --begin;
      if (open > close && end < limit && cps[end] == ')') ++end;
      spans->push_back({begin, end, label});
    }
    i = last;
  }
}

}  // namespace

std::string ScrubPii(std::string_view text) {
  std::vector<uint32_t> cps;
  cps.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    uint32_t cp;
    i += Utf8Decode(text, i, &cp);
    cps.push_back(cp);  // invalid bytes arrive as U+FFFD
  }
  const std::vector<Span> emails = FindEmails(cps);
  std::vector<Span> runs;
  FindDigitRuns(cps, emails, &runs);
  // Both lists are in text order and never overlap: one merge pass orders them (std::sort would
  // add 1.2 KB to the widget's wasm module).
  std::vector<Span> spans;
  spans.reserve(emails.size() + runs.size());
  for (size_t a = 0, b = 0; a < emails.size() || b < runs.size();) {
    const bool email = b == runs.size() || (a < emails.size() && emails[a].begin < runs[b].begin);
    spans.push_back(email ? emails[a++] : runs[b++]);
  }

  std::string out;
  out.reserve(text.size());
  size_t s = 0;
  for (size_t i = 0; i < cps.size();) {
    if (s < spans.size() && spans[s].begin == i) {
      out += spans[s].label;
      i = spans[s++].end;
    } else {
      AppendUtf8(cps[i++], &out);  // valid input re-encodes to the same bytes
    }
  }
  return out;
}

namespace {

// e^-x (0 once it underflows; NaN for NaN, so that randomized response never becomes p = 1; a
// negative x, which no checked input has, as 1 / e^x) as 2^-n e^-r with r = x - n ln 2 in
// [-ln 2 / 2, ln 2 / 2] (ln 2 in two parts, so r is exact to about 2^-80) and e^-r by its Taylor
// series, whose 18 terms leave under 1e-23. Within 6 units in the last place of glibc's exp over
// [-5, 60] (a review measured 5, and 6 on the negative path); std::exp would bring libm's exp and
// its 2 KB table into the widget's wasm module.
double ExpMinus(double x) {
  if (x != x) return x;
  if (x < 0) return 1 / ExpMinus(-x);
  if (!(x < 745)) return 0;
  constexpr double kLn2Hi = 6.93147180369123816490e-01;  // ln 2 to 32 bits
  constexpr double kLn2Lo = 1.90821492927058770002e-10;  // the rest
  const int n = static_cast<int>(x * 1.4426950408889634 + 0.5);
  const double r = (x - n * kLn2Hi) - n * kLn2Lo;
  double term = 1, sum = 1;
  for (int i = 1; i <= 18; ++i) {
    term *= -r / i;
    sum += term;
  }
  return std::ldexp(sum, -n);
}

}  // namespace

double RandomizedResponse::p() const {
  if (k < 2) return 1;
  // e^eps / (e^eps + k - 1), written with e^-eps so a large epsilon cannot overflow.
  return 1 / (1 + (k - 1) * ExpMinus(epsilon));
}

double RandomizedResponse::q() const {
  if (k < 2) return 0;
  const double t = ExpMinus(epsilon);
  return t / (1 + (k - 1) * t);
}

int RandomizedResponse::Randomize(int true_value, Host& host) const {
  if (k < 2) return 0;
  // An out-of-range value carries no information worth keeping: report a uniform draw.
  if (true_value < 0 || true_value >= k) {
    return static_cast<int>(host.RandomBelow(static_cast<uint32_t>(k)));
  }
  if (host.RandomUnit() < p()) return true_value;
  const int other = static_cast<int>(host.RandomBelow(static_cast<uint32_t>(k - 1)));
  return other >= true_value ? other + 1 : other;
}

std::vector<double> RandomizedResponse::Estimate(const std::vector<double>& reported) const {
  const double gap = p() - q();
  if (k < 2 || reported.size() != static_cast<size_t>(k) || !(gap > 0)) return reported;
  double n = 0;
  for (double c : reported) n += c;
  std::vector<double> estimate;
  estimate.reserve(reported.size());
  for (double c : reported) estimate.push_back((c - n * q()) / gap);
  return estimate;
}

int64_t LastCommentDay(int64_t today) { return today - 1; }

int CommentMinimum(int requested) { return std::max(kMinCommentCount, requested); }

std::vector<bool> ShownComments(const std::vector<CommentCell>& comments, int min_count) {
  const int minimum = CommentMinimum(min_count);
  std::map<std::pair<std::string, std::string>, int> per_cell;
  for (const CommentCell& c : comments) ++per_cell[{c.question, c.group}];
  std::vector<bool> shown;
  shown.reserve(comments.size());
  for (const CommentCell& c : comments) shown.push_back(per_cell[{c.question, c.group}] >= minimum);
  return shown;
}

}  // namespace nazar
