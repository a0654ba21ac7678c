// One folding of free text for everything that matches words in comments: the dashboard's
// search (MatchesQuery) and its frequent terms (terms.h) both compare folded text, so a term
// shown always finds its comments.
#ifndef NAZAR_TEXT_FOLD_H_
#define NAZAR_TEXT_FOLD_H_

#include <string>
#include <string_view>

namespace nazar {

// `text` (UTF-8) folded so that spellings a reader takes for the same word compare equal:
// - case: ASCII, Latin-1 and Latin Extended-A capitals to small letters ("ÉTÉ" -> "été",
//   "İ" -> "i"); letters keep their accents;
// - Arabic letter variants to the Persian forms: ي ى ئ -> ی, ك -> ک, أ إ آ ٱ -> ا, ة ۀ -> ه,
//   ؤ -> و (so "پائیز" and "پاییز", "كتاب" and "کتاب" match);
// - tashkeel (harakat, tanwin, shadda, sukun, superscript alef, Quranic marks) and tatweel
//   removed ("كِتَـــاب" -> "کتاب");
// - ZWNJ, ZWJ, LRM, RLM, ALM, soft hyphen and BOM removed ("می‌خواهم" ->
// "میخواهم");
// - Persian, Arabic-Indic and full-width digits to ASCII; right single quote to '.
// Anything else is kept as it is; invalid UTF-8 bytes become U+FFFD.
std::string FoldText(std::string_view text);

// True when every word (run of non-blank characters) of the folded `query` occurs in the folded
// `text`, anywhere (a word's beginning matches longer words: "deliver" finds "delivery").
// An empty or blank query matches everything.
bool MatchesQuery(std::string_view text, std::string_view query);

}  // namespace nazar

#endif  // NAZAR_TEXT_FOLD_H_
