// libFuzzer target: ParseDefinitions on arbitrary bytes. Built with the core's JSON_NOEXCEPTION,
// so any throwing nlohmann call aborts here; also checks the result's invariants.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "nazar/definition.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const nazar::ParsedDefinitions parsed = nazar::ParseDefinitions(text);
  // ok() xor errors: a valid file yields surveys, an invalid one none.
  if (parsed.ok() == !parsed.errors.empty()) std::abort();
  if (parsed.ok() == parsed.surveys.empty()) std::abort();
  if (parsed.errors.size() > 101) std::abort();  // 100 errors plus "... and N more"
  for (const nazar::DefinitionError& e : parsed.errors) {
    if (!e.pointer.empty() && e.pointer[0] != '/') std::abort();
    if (e.message.empty()) std::abort();
  }
  for (const nazar::Survey& s : parsed.surveys) {
    if (s.questions.empty() || s.questions.size() > 50) std::abort();
    for (size_t i = 0; i < s.questions.size(); ++i) {
      const nazar::Question& q = s.questions[i];
      if (q.text.Find(s.Locales()) == nullptr) std::abort();
      if (q.IsScale() && q.MinValue() >= q.MaxValue()) std::abort();
      // Conditions only point back.
      if (q.show_if && s.QuestionIndex(q.show_if->question) >= static_cast<int>(i)) std::abort();
    }
  }
  return 0;
}
