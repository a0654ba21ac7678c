// Helpers shared by the core test files.
#ifndef NAZAR_TESTS_CORE_TEST_UTIL_H_
#define NAZAR_TESTS_CORE_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <string>

#include "nazar/definition.h"

namespace nazar::testing {

// Parses a one-survey definition; fails the test (and returns an empty survey) when invalid.
inline Survey MustParse(const std::string& json) {
  ParsedDefinitions parsed = ParseDefinitions(json);
  for (const DefinitionError& e : parsed.errors) ADD_FAILURE() << e.ToString();
  if (!parsed.ok() || parsed.surveys.empty()) return Survey();
  return parsed.surveys.front();
}

// The DESIGN.md example: nps, why (text, shown when nps <= 6), ease (ces 7), sat (csat 5 emoji),
// channel (single choice); en + partial fa.
inline const char* kPostCheckout = R"({
  "nazar": 1, "id": "post-checkout", "version": "2026-11-01", "default_locale": "en",
  "trigger": { "on": "event", "event": "checkout_completed", "delay_ms": 1500,
               "sample_rate": 0.25, "recontact_days": 90, "max_displays": 1,
               "url": { "include": ["/checkout/thank-you*"], "exclude": [] } },
  "questions": [
    { "id": "nps", "type": "nps",
      "text": { "en": "How likely are you to recommend us to a friend?",
                "fa": "چقدر احتمال دارد ما را به دوستانتان پیشنهاد کنید؟" },
      "labels": { "min": { "en": "Not at all likely" }, "max": { "en": "Extremely likely" } } },
    { "id": "why", "type": "text", "max_length": 500,
      "text": { "en": "What is the main reason for your score?" },
      "show_if": { "question": "nps", "max": 6 } },
    { "id": "ease", "type": "ces", "scale": 7, "text": { "en": "It was easy to complete my purchase." } },
    { "id": "sat", "type": "csat", "scale": 5, "style": "emoji", "text": { "en": "How satisfied are you?" } },
    { "id": "channel", "type": "choice", "multiple": false,
      "options": [ { "id": "web", "text": { "en": "Website" } }, { "id": "app", "text": { "en": "App" } } ],
      "text": { "en": "Where did you order?" } }
  ],
  "thank_you": { "text": { "en": "Thank you!" } },
  "appearance": { "position": "bottom-right", "accent": "#0a7d5a", "radius": 12, "theme": "auto" },
  "privacy": { "comments": "drop", "local_dp_epsilon": null }
})";

}  // namespace nazar::testing

#endif  // NAZAR_TESTS_CORE_TEST_UTIL_H_
