// Frequent terms of comments (terms.h): tokens of folded text without stop words, counted once
// per comment.
#include "nazar/terms.h"

#include <algorithm>
#include <cstdint>
#include <set>
#include <string>

#include "nazar/i18n.h"
#include "nazar/text_fold.h"

namespace nazar {
namespace {

// Function words, pronouns, auxiliaries and fillers that say nothing about a shop on their own,
// separated by spaces. Written as people type them; folded (FoldText) when the set is built,
// like the text.
constexpr char kEnglishStopWords[] =
    "a about above after again against all also am an and any are aren't as at be because "
    "been before being below between both but by can can't cannot could couldn't did didn't "
    "do does doesn't doing don't down during each even ever few for from further get got had "
    "hadn't has hasn't have haven't having he her here hers herself him himself his how i'd "
    "i'll i'm i've if in into is isn't it it's its itself just let's me more most much must "
    "my myself no nor not now of off ok okay on once one only or other our ours ourselves out "
    "over own really same she should shouldn't so some such than that that's the their theirs "
    "them themselves then there there's these they they're this those through to too under "
    "until up us very was wasn't we we're were weren't what when where which while who whom "
    "why will with won't would wouldn't yes you you're your yours yourself yourselves";
constexpr char kPersianStopWords[] =
    "از به با در برای که این آن را و یا تا هم نیز اما "
    "ولی اگر چون چه چرا چطور چگونه کجا کی کدام هر همه "
    "همین همان هیچ بر روی زیر بین میان پیش پس بعد قبل "
    "دیگر خود خودم خودش من تو او ما شما ایشان آنها "
    "اینها آنان مرا ترا است هست هستم هستیم هستند نیست "
    "نیستم بود بودم بودند باشد باشند شد شده شدم شود "
    "میشود میشد کرد کردم کردند کرده کند کنم کنید "
    "میکنم میکند میکنند دارد دارم داریم دارند داشت "
    "داشتم خواهد خواهم میخواهم باید نباید میتوان "
    "توان می نمی ها های هایی ای یک یکی بسیار خیلی کمی "
    "بیشتر کمتر فقط حتی هنوز الان اکنون آنجا اینجا "
    "چیزی چیز کسی وقتی زیرا چنین چنان آنکه اینکه "
    "درباره مثل مانند طور بله نه آره ام ات اش مان تان "
    "شان دیگه رو هستش بی بدون اون این‌ها آن‌ها شوند "
    "گفت کنند شدن کردن بودن داشتن ولیکن لطفا";
constexpr char kArabicStopWords[] =
    "في من إلى على عن مع هذا هذه ذلك تلك هو هي هم هن أنا "
    "أنت أنتم نحن الذي التي الذين اللذان ما ماذا "
    "لماذا كيف أين متى لا لم لن ليس ليست كان كانت "
    "كانوا يكون تكون قد لقد ثم أو أم بل لكن لكنه إن أن "
    "إذا إذ لو كل بعض غير أي أيضا جدا فقط حتى عند عندما "
    "بين بعد قبل فوق تحت حول منذ خلال هناك هنا كما مثل "
    "لدي لدى لي له لها لهم لنا لك لكم به بها بهم فيه "
    "فيها منه منها عليه عليها إليه هل نعم كلا و ف ب ل "
    "يا الى اذا انا انت ان او اي ايضا ذات وهو وهي وكان "
    "وقد ولا وما ولم فيما مما كانا يوجد توجد شيء أكثر "
    "أقل جميع تم عبر دون سوف اللي مش بس كتير شي ده دي";

const std::set<std::string>& StopWords() {
  static const std::set<std::string>* const kSet = [] {
    auto* set = new std::set<std::string>();
    for (const char* list : {kEnglishStopWords, kPersianStopWords, kArabicStopWords}) {
      std::string_view words = list;
      while (!words.empty()) {
        const size_t space = words.find(' ');
        set->insert(FoldText(words.substr(0, space)));
        words.remove_prefix(space == std::string_view::npos ? words.size() : space + 1);
      }
    }
    return set;
  }();
  return *kSet;
}

// The scrubber's masks (privacy.h ScrubPii), folded: not words a customer wrote.
constexpr const char* kMasks[] = {"[email]", "[card]", "[phone]", "[national_id]", "[number]"};

bool IsDigitCp(uint32_t cp) { return cp >= '0' && cp <= '9'; }

// Letters of the scripts comments are written in: Latin (with Latin-1 and Extended-A/B), Greek,
// Cyrillic, Hebrew, Arabic and its Persian/Urdu extensions.
bool IsLetterCp(uint32_t cp) {
  if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z')) return true;
  if (cp < 0x00C0) return cp == 0x00AA || cp == 0x00B5 || cp == 0x00BA;
  if (cp <= 0x024F) return cp != 0x00D7 && cp != 0x00F7;
  return (cp >= 0x0370 && cp <= 0x03FF && cp != 0x037E && cp != 0x0387) ||
         (cp >= 0x0400 && cp <= 0x0481) || (cp >= 0x048A && cp <= 0x052F) ||
         (cp >= 0x05D0 && cp <= 0x05EA) || (cp >= 0x0620 && cp <= 0x064A) ||
         (cp >= 0x066E && cp <= 0x066F) || (cp >= 0x0671 && cp <= 0x06D3) || cp == 0x06D5 ||
         (cp >= 0x06EE && cp <= 0x06EF) || (cp >= 0x06FA && cp <= 0x06FC) || cp == 0x06FF;
}

}  // namespace

bool IsStopWord(std::string_view word) { return StopWords().count(std::string(word)) > 0; }

std::vector<std::string> TermsOf(std::string_view text) {
  const std::string folded = FoldText(text);
  std::vector<std::string> out;
  std::string word;
  int letters = 0;
  size_t apostrophe = std::string::npos;  // byte in `word` of a pending apostrophe
  auto finish = [&] {
    if (apostrophe != std::string::npos) word.resize(apostrophe);  // trailing: not inside
    if (letters >= 2 && !IsStopWord(word)) out.push_back(word);
    word.clear();
    letters = 0;
    apostrophe = std::string::npos;
  };
  for (size_t pos = 0; pos < folded.size();) {
    if (folded[pos] == '[') {
      bool masked = false;
      for (const char* mask : kMasks) {
        if (folded.compare(pos, std::char_traits<char>::length(mask), mask) == 0) {
          finish();
          pos += std::char_traits<char>::length(mask);
          masked = true;
          break;
        }
      }
      if (masked) continue;
    }
    uint32_t cp = 0;
    const size_t len = Utf8Decode(folded, pos, &cp);
    const bool letter = IsLetterCp(cp);
    if (letter || IsDigitCp(cp)) {
      apostrophe = std::string::npos;  // an apostrophe between two word characters stays
      word.append(folded, pos, len);
      letters += letter ? 1 : 0;
    } else if (cp == '\'' && !word.empty() && apostrophe == std::string::npos) {
      apostrophe = word.size();
      word += '\'';
    } else {
      finish();
    }
    pos += len;
  }
  finish();
  return out;
}

std::vector<TermCount> TopTerms(const std::vector<std::string_view>& texts, size_t k) {
  std::map<std::string, int> counts;
  for (std::string_view text : texts) {
    std::vector<std::string> terms = TermsOf(text);
    std::sort(terms.begin(), terms.end());
    terms.erase(std::unique(terms.begin(), terms.end()), terms.end());
    for (std::string& t : terms) ++counts[std::move(t)];
  }
  std::vector<TermCount> out;
  out.reserve(counts.size());
  for (auto& [term, count] : counts) out.push_back({term, count});
  // counts is sorted by term, so a stable sort by count keeps ties in term order.
  std::stable_sort(out.begin(), out.end(),
                   [](const TermCount& a, const TermCount& b) { return a.count > b.count; });
  if (out.size() > k) out.resize(k);
  return out;
}

std::map<std::string, std::vector<TermCount>> TermsByGroup(const std::vector<GroupedText>& comments,
                                                           size_t k) {
  std::map<std::string, std::vector<std::string_view>> texts;
  for (const GroupedText& c : comments) texts[c.group].push_back(c.text);
  std::map<std::string, std::vector<TermCount>> out;
  for (const auto& [group, list] : texts) out[group] = TopTerms(list, k);
  return out;
}

Json TermsToJson(const std::map<std::string, std::vector<TermCount>>& terms) {
  Json out = Json::object();
  for (const auto& [group, list] : terms) {
    Json items = Json::array();
    for (const TermCount& t : list) items.push_back({{"term", t.term}, {"count", t.count}});
    out[group] = std::move(items);
  }
  return out;
}

}  // namespace nazar
