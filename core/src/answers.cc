#include "nazar/answers.h"

namespace nazar {

std::optional<int> ScalePointOfText(std::string_view text, QuestionType type, int scale) {
  (void)text;
  (void)type;
  (void)scale;
  return std::nullopt;  // TODO(i7dates): body follows
}

}  // namespace nazar
