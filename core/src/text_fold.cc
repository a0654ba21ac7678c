// FoldText and MatchesQuery (text_fold.h): one code point at a time, no tables beyond a switch.
#include "nazar/text_fold.h"

#include <cstdint>
#include <vector>

#include "nazar/i18n.h"

namespace nazar {
namespace {

constexpr uint32_t kDrop = 0;  // FoldCodePoint: remove the code point

// Arabic combining marks a reader does not type or see as a different letter: harakat, tanwin,
// shadda, sukun, hamza above/below, superscript alef and the Quranic annotation signs.
bool IsTashkeel(uint32_t cp) {
  return (cp >= 0x0610 && cp <= 0x061A) || (cp >= 0x064B && cp <= 0x065F) || cp == 0x0670 ||
         (cp >= 0x06D6 && cp <= 0x06DC) || (cp >= 0x06DF && cp <= 0x06E4) ||
         (cp >= 0x06E7 && cp <= 0x06E8) || (cp >= 0x06EA && cp <= 0x06ED);
}

// Invisible formatting: ZWNJ, ZWJ, LRM, RLM, ALM, soft hyphen, BOM, and tatweel (U+0640).
bool IsInvisible(uint32_t cp) {
  return cp == 0x200C || cp == 0x200D || cp == 0x200E || cp == 0x200F || cp == 0x061C ||
         cp == 0x00AD || cp == 0xFEFF || cp == 0x0640;
}

// Unicode space separators other than ASCII ones.
bool IsOtherSpace(uint32_t cp) {
  return cp == 0x00A0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x202F ||
         cp == 0x205F || cp == 0x3000;
}

// Latin-1 and Latin Extended-A capitals to their small letters; others unchanged.
uint32_t LatinLower(uint32_t cp) {
  if (cp >= 'A' && cp <= 'Z') return cp + 0x20;
  if (cp >= 0x00C0 && cp <= 0x00DE && cp != 0x00D7) return cp + 0x20;
  if (cp < 0x0100 || cp > 0x017E) return cp;
  if (cp == 0x0130) return 'i';     // capital I with dot above
  if (cp == 0x0178) return 0x00FF;  // Y with diaeresis
  const bool even_upper =
      (cp <= 0x012F) || (cp >= 0x0132 && cp <= 0x0137) || (cp >= 0x014A && cp <= 0x0177);
  const bool odd_upper = (cp >= 0x0139 && cp <= 0x0148) || (cp >= 0x0179 && cp <= 0x017E);
  if (even_upper && cp % 2 == 0) return cp + 1;
  if (odd_upper && cp % 2 == 1) return cp + 1;
  return cp;
}

// The folded form of one code point, kDrop to remove it.
uint32_t FoldCodePoint(uint32_t cp) {
  if (cp < 0x80) return LatinLower(cp);
  if (IsTashkeel(cp) || IsInvisible(cp)) return kDrop;
  if (IsOtherSpace(cp)) return ' ';
  if (cp >= 0x06F0 && cp <= 0x06F9) return '0' + (cp - 0x06F0);  // Persian digits
  if (cp >= 0x0660 && cp <= 0x0669) return '0' + (cp - 0x0660);  // Arabic-Indic digits
  if (cp >= 0xFF10 && cp <= 0xFF19) return '0' + (cp - 0xFF10);  // full-width digits
  switch (cp) {
    case 0x064A:      // Arabic yeh
    case 0x0649:      // alef maksura
    case 0x0626:      // yeh with hamza above
      return 0x06CC;  // Persian yeh
    case 0x0643:      // Arabic kaf
      return 0x06A9;  // keheh (Persian kaf)
    case 0x0623:      // alef with hamza above
    case 0x0625:      // alef with hamza below
    case 0x0622:      // alef with madda
    case 0x0671:      // alef wasla
      return 0x0627;  // alef
    case 0x0629:      // teh marbuta
    case 0x06C0:      // heh with yeh above
      return 0x0647;  // heh
    case 0x0624:      // waw with hamza above
      return 0x0648;  // waw
    case 0x2019:      // right single quotation mark, as typed by phones for '
      return '\'';
    default:
      return LatinLower(cp);
  }
}

bool IsBlankByte(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

}  // namespace

std::string FoldText(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t pos = 0; pos < text.size();) {
    uint32_t cp = 0;
    pos += Utf8Decode(text, pos, &cp);
    const uint32_t folded = FoldCodePoint(cp);
    if (folded != kDrop) AppendUtf8(folded, &out);
  }
  return out;
}

bool MatchesQuery(std::string_view text, std::string_view query) {
  const std::string q = FoldText(query);
  std::string folded;  // folded on the first word only: a blank query costs nothing
  bool have_text = false;
  for (size_t i = 0; i < q.size();) {
    while (i < q.size() && IsBlankByte(q[i])) ++i;
    size_t end = i;
    while (end < q.size() && !IsBlankByte(q[end])) ++end;
    if (end == i) break;
    if (!have_text) {
      folded = FoldText(text);
      have_text = true;
    }
    if (folded.find(std::string_view(q).substr(i, end - i)) == std::string::npos) return false;
    i = end;
  }
  return true;
}

}  // namespace nazar
