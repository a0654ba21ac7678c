// Helpers shared by the core test files.
#ifndef NAZAR_TESTS_CORE_TEST_UTIL_H_
#define NAZAR_TESTS_CORE_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
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

// The DESIGN.md example (tests/fixtures/valid/post-checkout.json): nps, why (text, shown when
// nps <= 6), ease (ces 7), sat (csat 5 emoji), channel (single choice); en + partial fa.
inline const std::string& PostCheckout() {
  static const std::string text = [] {
    std::ifstream in(std::string(NAZAR_FIXTURES_DIR) + "/valid/post-checkout.json", std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
  }();
  return text;
}

// The UI languages that ship as data files (web/locales/<language>.json, `{"de": {"next": ...}}`),
// the text a survey takes as its "strings". I18nLocaleFiles.NameEveryUiStringAndAreExactlyThese
// checks that the directory holds these and no more, so that a file added there is tested too.
inline constexpr const char* kLocaleFiles[] = {"de", "es", "fr", "tr", "ur"};
inline std::string LocaleFile(const std::string& language) {
  std::ifstream in(std::string(NAZAR_LOCALES_DIR) + "/" + language + ".json", std::ios::binary);
  if (!in) ADD_FAILURE() << "cannot read " << NAZAR_LOCALES_DIR << "/" << language << ".json";
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

}  // namespace nazar::testing

#endif  // NAZAR_TESTS_CORE_TEST_UTIL_H_
