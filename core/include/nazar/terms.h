// The most frequent terms of comments (the dashboard's "what customers say"), per NPS group,
// over text folded by FoldText (text_fold.h) and without the stop words of en, fa and ar.
#ifndef NAZAR_TERMS_H_
#define NAZAR_TERMS_H_

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "nazar/json.h"

namespace nazar {

// A folded term and the number of comments it occurs in.
struct TermCount {
  std::string term;
  int count = 0;
  bool operator==(const TermCount& o) const { return term == o.term && count == o.count; }
};

// The folded words of `text` that count as terms: runs of letters and digits (an apostrophe
// between letters stays inside: "don't"), with at least 2 letters (so digits-only runs are
// dropped), minus the stop words and the scrubber's masks ([EMAIL], [PHONE], ...). In order,
// repeats kept.
std::vector<std::string> TermsOf(std::string_view text);

// True when the folded `word` is a stop word of English, Persian or Arabic (a few hundred
// function words, pronouns and auxiliaries, folded like the text).
bool IsStopWord(std::string_view word);

// The `k` terms occurring in the most `texts`, each counted once per text, most frequent first,
// ties by term (bytes of the folded UTF-8).
std::vector<TermCount> TopTerms(const std::vector<std::string_view>& texts, size_t k);

// A comment and its NPS group ("promoter", "passive", "detractor", or "" without an NPS answer).
struct GroupedText {
  std::string group;
  std::string text;
};

// TopTerms of each group's comments: every group present in `comments` has an entry (possibly
// empty).
std::map<std::string, std::vector<TermCount>> TermsByGroup(const std::vector<GroupedText>& comments,
                                                           size_t k);

// {"promoter": [{"term": "fast", "count": 3}, ...], ...}: one key per group, in key order.
Json TermsToJson(const std::map<std::string, std::vector<TermCount>>& terms);

}  // namespace nazar

#endif  // NAZAR_TERMS_H_
