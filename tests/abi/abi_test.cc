// The C ABI, called as JavaScript calls it: bytes in, status out, JSON in the slot.
#include "nazar_abi.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "nazar/json.h"
#include "../core/test_util.h"

namespace {

using nazar::Json;

std::string Slot() { return std::string(nazar_response_data(), nazar_response_size()); }

Json SlotJson() { return Json::parse(Slot(), nullptr, false); }

int Call(int (*fn)(const char*, size_t), const std::string& input) {
  // Copy into memory the ABI allocated, as JS does, and free it afterwards.
  char* buf = static_cast<char*>(nazar_alloc(input.size()));
  std::copy(input.begin(), input.end(), buf);
  const int status = fn(buf, input.size());
  nazar_free(buf);
  return status;
}

Json Config(const std::string& locale = "en") {
  return {{"definition", nazar::testing::PostCheckout()},
          {"locale", locale},
          {"site", "shop.example"},
          {"utc_offset_minutes", 210}};
}

TEST(Abi, VersionFillsSlot) {
  ASSERT_EQ(nazar_core_version(), NAZAR_OK);
  EXPECT_EQ(SlotJson()["abi"], 1);
}

TEST(Abi, ValidateReportsEveryErrorWithPointers) {
  ASSERT_EQ(Call(nazar_definition_validate, nazar::testing::PostCheckout()), NAZAR_OK);
  EXPECT_EQ(SlotJson()["surveys"][0]["id"], "post-checkout");
  const std::string bad = R"({"nazar":1,"id":"x","version":"1","questions":[
      {"id":"a","type":"ces","scale":6,"text":{"en":"A"}}]})";
  ASSERT_EQ(Call(nazar_definition_validate, bad), NAZAR_INVALID_DEFINITION);
  Json slot = SlotJson();
  EXPECT_EQ(slot["code"], "invalid_definition");
  ASSERT_FALSE(slot["errors"].empty());
  EXPECT_EQ(slot["errors"][0]["pointer"], "/questions/0/scale");
  EXPECT_EQ(Call(nazar_definition_validate, "{"), NAZAR_INVALID_DEFINITION);
  EXPECT_EQ(nazar_definition_validate(nullptr, 0), NAZAR_INVALID_DEFINITION);  // empty text
  EXPECT_EQ(nazar_definition_validate(nullptr, 5), NAZAR_INVALID_ARGUMENT);
}

TEST(Abi, SessionLifecycleAndErrors) {
  const int live = nazar_session_live();
  ASSERT_EQ(Call(nazar_session_create, Config().dump()), NAZAR_OK) << Slot();
  Json created = SlotJson();
  const int handle = created["handle"].get<int>();
  EXPECT_EQ(created["view"]["a"]["role"], "dialog");
  EXPECT_EQ(nazar_session_live(), live + 1);

  auto event = [&](const Json& e) {
    const std::string text = e.dump();
    char* buf = static_cast<char*>(nazar_alloc(text.size()));
    std::copy(text.begin(), text.end(), buf);
    const int status = nazar_session_event(handle, buf, text.size());
    nazar_free(buf);
    return status;
  };
  EXPECT_EQ(event({{"type", "action"}, {"action", "select"}, {"value", "9"}}), NAZAR_OK);
  EXPECT_EQ(event({{"type", "action"}, {"action", "select"}, {"value", "99"}}), NAZAR_OUT_OF_RANGE);
  EXPECT_EQ(SlotJson()["code"], "out_of_range");
  EXPECT_EQ(nazar_session_event(handle, "{", 1), NAZAR_INVALID_ARGUMENT);
  EXPECT_EQ(SlotJson()["message"], "event: not valid JSON");
  EXPECT_EQ(nazar_session_event(987654, "{}", 2), NAZAR_NOT_FOUND);
  EXPECT_EQ(event({{"type", "dismiss"}}), NAZAR_OK);
  EXPECT_EQ(SlotJson()["effects"][0]["payload"]["period"].get<std::string>().size(), 10u);

  EXPECT_EQ(nazar_session_destroy(handle), NAZAR_OK);
  EXPECT_EQ(nazar_session_destroy(handle), NAZAR_NOT_FOUND);
  EXPECT_EQ(nazar_session_live(), live);
}

TEST(Abi, CreateRejectsBadConfigWithCode) {
  EXPECT_EQ(Call(nazar_session_create, "[]"), NAZAR_INVALID_ARGUMENT);
  Json config = Config();
  config["survey"] = "missing";
  EXPECT_EQ(Call(nazar_session_create, config.dump()), NAZAR_NOT_FOUND);
  EXPECT_EQ(SlotJson()["code"], "not_found");
}

TEST(Abi, ManySessionsDoNotLeakHandles) {
  const int live = nazar_session_live();
  const std::string config = Config("fa").dump();
  for (int i = 0; i < 200; ++i) {
    ASSERT_EQ(Call(nazar_session_create, config), NAZAR_OK);
    ASSERT_EQ(nazar_session_destroy(SlotJson()["handle"].get<int>()), NAZAR_OK);
  }
  EXPECT_EQ(nazar_session_live(), live);
}

TEST(Abi, ReportBuildsFromPayloads) {
  Json aggregates = Json::array();
  for (int i = 0; i < 5; ++i) {
    ASSERT_EQ(Call(nazar_session_create, Config().dump()), NAZAR_OK);
    const int handle = SlotJson()["handle"].get<int>();
    for (const std::string event :
         {R"({"type":"action","action":"select","value":"10"})",
          R"({"type":"action","action":"next"})", R"({"type":"dismiss"})"}) {
      ASSERT_EQ(nazar_session_event(handle, event.data(), event.size()), NAZAR_OK) << Slot();
    }
    aggregates.push_back(SlotJson()["effects"][0]["payload"]);
    nazar_session_destroy(handle);
  }
  Json request = {{"aggregates", aggregates}};
  ASSERT_EQ(Call(nazar_report_build, request.dump()), NAZAR_OK) << Slot();
  EXPECT_EQ(SlotJson()["questions"]["nps"]["promoters"], 5);
  // A payload re-sent under its batch id counts once.
  request["aggregates"].push_back(aggregates[0]);
  ASSERT_EQ(Call(nazar_report_build, request.dump()), NAZAR_OK) << Slot();
  EXPECT_EQ(SlotJson()["displays"], 5);
  EXPECT_EQ(SlotJson()["questions"]["nps"]["promoters"], 5);
  EXPECT_EQ(SlotJson()["duplicates"], 1);
  request["aggregates"][0]["nazar"] = 2;
  EXPECT_EQ(Call(nazar_report_build, request.dump()), NAZAR_INVALID_ARGUMENT);
  EXPECT_NE(SlotJson()["message"].get<std::string>().find("/aggregates/0/nazar"),
            std::string::npos);
}

TEST(Abi, TargetingDecides) {
  Json request = {{"definition", nazar::testing::PostCheckout()},
                  {"facts", {{"kind", "manual"}, {"now_ms", 0}}},
                  {"survey", "post-checkout"}};
  ASSERT_EQ(Call(nazar_targeting_decide, request.dump()), NAZAR_OK) << Slot();
  EXPECT_EQ(SlotJson()["show"]["survey"], "post-checkout");
  EXPECT_EQ(Call(nazar_targeting_decide, "{}"), NAZAR_INVALID_ARGUMENT);
}

// Deep nesting is refused before anything walks it recursively (the wasm stack is 64 KiB).
TEST(Abi, DeeplyNestedInputIsRefused) {
  std::string deep = R"({"aggregates":[],"survey":{"x":)";
  deep += std::string(20000, '[') + std::string(20000, ']') + "}}";
  ASSERT_EQ(Call(nazar_report_build, deep), NAZAR_INVALID_ARGUMENT);
  EXPECT_EQ(SlotJson()["message"], "request: nested deeper than 64 levels");
  EXPECT_EQ(Call(nazar_targeting_decide, deep), NAZAR_INVALID_ARGUMENT);
  EXPECT_EQ(Call(nazar_session_create, deep), NAZAR_INVALID_ARGUMENT);
}

// The export lists of the modules (wasm/*.exports) together must name exactly the functions
// nazar_abi.h declares: nothing declared is unreachable, nothing exported is undeclared.
TEST(Abi, ExportListsMatchHeader) {
  const std::string wasm_dir = std::string(NAZAR_FIXTURES_DIR) + "/../../wasm/";
  std::set<std::string> exported;
  // Every module's list, found rather than named (a new list cannot be left out).
  std::vector<std::string> lists;
  for (const auto& entry : std::filesystem::directory_iterator(wasm_dir)) {
    if (entry.path().extension() == ".exports") lists.push_back(entry.path().string());
  }
  ASSERT_GE(lists.size(), 3u) << "no export lists in " << wasm_dir;
  for (const std::string& list : lists) {
    std::ifstream exports_file(list);
    ASSERT_TRUE(exports_file) << "cannot read " << list;
    for (std::string line; std::getline(exports_file, line);) {
      if (line.rfind("nazar_", 0) == 0) exported.insert(line.substr(0, line.find(' ')));
    }
  }
  std::ifstream header_file(wasm_dir + "nazar_abi.h");
  std::stringstream header;
  header << header_file.rdbuf();
  std::set<std::string> declared;
  const std::string text = header.str();
  for (size_t at = text.find(" nazar_"); at != std::string::npos; at = text.find(" nazar_", at + 1)) {
    const size_t paren = text.find('(', at);
    const std::string name = text.substr(at + 1, paren - at - 1);
    if (name.find_first_of(" \n;*") == std::string::npos) declared.insert(name);
  }
  EXPECT_EQ(exported, declared);
}

}  // namespace
