// Survey definitions and payload builders shared by the collector tests.
#ifndef NAZAR_TESTS_COLLECTOR_TEST_SURVEYS_H_
#define NAZAR_TESTS_COLLECTOR_TEST_SURVEYS_H_

#include <cstdio>
#include <string>

#include "nazar/json.h"

namespace nazar::collector::testing {

// Every question type; comments scrubbed (so comments payloads are accepted).
inline const char kShopSurvey[] = R"({
  "nazar": 1, "id": "shop", "version": "v1", "trigger": { "on": "manual" },
  "questions": [
    { "id": "nps", "type": "nps", "text": { "en": "Recommend us?" } },
    { "id": "why", "type": "text", "text": { "en": "Why?" } },
    { "id": "ease", "type": "ces", "scale": 7, "text": { "en": "Easy?" } },
    { "id": "sat", "type": "csat", "scale": 5, "text": { "en": "Satisfied?" } },
    { "id": "stars", "type": "rating", "scale": 5, "text": { "en": "Stars?" } },
    { "id": "channel", "type": "choice",
      "options": [ { "id": "web", "text": { "en": "Web" } }, { "id": "app", "text": { "en": "App" } } ],
      "text": { "en": "Where?" } },
    { "id": "nets", "type": "choice", "multiple": true, "required": false,
      "options": [ { "id": "a", "text": { "en": "A" } }, { "id": "b", "text": { "en": "B" } },
                   { "id": "c", "text": { "en": "C" } } ],
      "text": { "en": "Which?" } }
  ],
  "privacy": { "comments": "scrubbed" }
})";

// Local DP with epsilon 2 over NPS groups, CSAT, single and multiple choice.
inline const char kDpSurvey[] = R"({
  "nazar": 1, "id": "dp", "version": "v1", "trigger": { "on": "manual" },
  "questions": [
    { "id": "nps", "type": "nps", "text": { "en": "Recommend us?" } },
    { "id": "sat", "type": "csat", "scale": 5, "text": { "en": "Satisfied?" } },
    { "id": "channel", "type": "choice",
      "options": [ { "id": "web", "text": { "en": "Web" } }, { "id": "app", "text": { "en": "App" } } ],
      "text": { "en": "Where?" } },
    { "id": "nets", "type": "choice", "multiple": true,
      "options": [ { "id": "a", "text": { "en": "A" } }, { "id": "b", "text": { "en": "B" } } ],
      "text": { "en": "Which?" } }
  ],
  "privacy": { "comments": "drop", "local_dp_epsilon": 2 }
})";

// A batch id: 32 hex digits from a number.
inline std::string BatchId(unsigned long long n, unsigned long long salt = 0) {
  char buf[33];
  std::snprintf(buf, sizeof buf, "%016llx%016llx", salt, n);
  return buf;
}

// A shop tally of one respondent who answered NPS `nps` (and nothing else, skipping ease).
inline Json ShopTally(const std::string& batch, const std::string& period, int nps,
                      const std::string& locale = "en") {
  Json counts = Json::array();
  for (int v = 0; v <= 10; ++v) counts.push_back(v == nps ? 1 : 0);
  return Json{
      {"nazar", 1},
      {"batch", batch},
      {"site", "shop.example"},
      {"survey", "shop"},
      {"survey_version", "v1"},
      {"period", period},
      {"locale", locale},
      {"displays", 1},
      {"completions", 1},
      {"dismissals", 0},
      {"questions",
       {{"nps", {{"type", "nps"}, {"counts", counts}}},
        {"ease",
         {{"type", "ces"}, {"scale", 7}, {"counts", {0, 0, 0, 0, 0, 0, 0}}, {"skipped", 1}}}}}};
}

}  // namespace nazar::collector::testing

#endif  // NAZAR_TESTS_COLLECTOR_TEST_SURVEYS_H_
