// ParseJsonStrict, the core's parser for input from anyone (the collector's payloads and
// definitions), refuses a key repeated within one object and says where; the same key in
// different objects is fine.
#include "nazar/json.h"

#include <gtest/gtest.h>

#include <string>

#include "nazar/aggregate.h"
#include "nazar/definition.h"

namespace nazar {
namespace {

JsonParseError RefusalOf(const std::string& text) {
  JsonParseError error;
  const Json j = ParseJsonStrict(text.data(), text.data() + text.size(), &error);
  EXPECT_TRUE(j.is_discarded()) << text;
  return error;
}

TEST(ParseJsonStrict, RefusesADuplicateKeyAtTheTop) {
  const JsonParseError e = RefusalOf(R"({"displays":1,"displays":7})");
  EXPECT_TRUE(e.duplicate_key);
  EXPECT_EQ(e.pointer, "");
  EXPECT_EQ(e.message, "duplicate key \"displays\"");
  EXPECT_EQ(e.ToString(), "/: duplicate key \"displays\"");
}

TEST(ParseJsonStrict, NamesThePointerOfTheObjectHoldingTheDuplicate) {
  EXPECT_EQ(RefusalOf(R"({"questions":{"ease":{"counts":[1]},)"
                      R"("nps":{"type":"nps","counts":[1],"counts":[2]}}})")
                .ToString(),
            "/questions/nps: duplicate key \"counts\"");
  // Inside arrays the index counts; the key itself is JSON-quoted.
  EXPECT_EQ(RefusalOf(R"({"a":[{"x":1},[0,{"y":1,"y":2}]]})").ToString(),
            "/a/1/1: duplicate key \"y\"");
  EXPECT_EQ(RefusalOf(R"({"q\"":{},"q\"":{}})").ToString(), "/: duplicate key \"q\\\"\"");
  // RFC 6901 escapes: "a/b" -> a~1b, "~" -> ~0.
  EXPECT_EQ(RefusalOf(R"({"a/b":{"~":{"k":1,"k":1}}})").ToString(),
            "/a~1b/~0: duplicate key \"k\"");
  // A duplicate after a closed sibling object: the pointer is the outer object's.
  EXPECT_EQ(RefusalOf(R"({"o":{"p":{"k":1},"p":2}})").ToString(), "/o: duplicate key \"p\"");
}

TEST(ParseJsonStrict, SameKeyInDifferentObjectsIsFine) {
  const std::string text = R"({"a":{"k":1},"b":[{"k":2},{"k":3}],"k":4})";
  JsonParseError error;
  const Json j = ParseJsonStrict(text.data(), text.data() + text.size(), &error);
  ASSERT_FALSE(j.is_discarded()) << error.ToString();
  EXPECT_EQ(j["a"]["k"], 1);
  EXPECT_EQ(j["b"][1]["k"], 3);
  EXPECT_EQ(j["k"], 4);
  EXPECT_EQ(j.size(), 3u);
}

TEST(ParseJsonStrict, SyntaxAndDepthErrorsAreNotDuplicates) {
  JsonParseError e = RefusalOf(R"({"a":1,)");
  EXPECT_FALSE(e.duplicate_key);
  EXPECT_EQ(e.ToString(), "/: not valid JSON");
  e = RefusalOf(std::string(65, '[') + std::string(65, ']'));
  EXPECT_FALSE(e.duplicate_key);
  EXPECT_EQ(e.ToString(), "/: nested deeper than 64 levels");
  // No error out-parameter: still refused; the plain parser (the widget's) keeps the last.
  const std::string dup = R"({"k":1,"k":2})";
  EXPECT_TRUE(ParseJsonStrict(dup.data(), dup.data() + dup.size()).is_discarded());
  EXPECT_EQ(ParseJson(dup.data(), dup.data() + dup.size())["k"], 2);
}

// JsonObject() builds what nlohmann's {{"key", value}, ...} builds, checked against parsed text.
TEST(JsonObject, HoldsEveryMemberWithItsValue) {
  const Json built = JsonObject({{"type", "send"},
                                 {"n", 3},
                                 {"none", nullptr},
                                 {"payload", ParseJson(R"({"a":[1,2]})")},
                                 {"handled", true}});
  EXPECT_EQ(built,
            ParseJson(R"({"handled":true,"n":3,"none":null,"payload":{"a":[1,2]},"type":"send"})"));
  EXPECT_EQ(built.dump(),
            R"({"handled":true,"n":3,"none":null,"payload":{"a":[1,2]},"type":"send"})");
}

TEST(JsonObject, EmptyIsAnObjectAndARepeatedKeyKeepsItsLastValue) {
  EXPECT_EQ(JsonObject({}).dump(), "{}");
  EXPECT_EQ(JsonObject({{"k", 1}, {"k", 2}}).dump(), R"({"k":2})");
}

TEST(JsonObject, MovesAValueInsteadOfCopyingIt) {
  Json big = Json::array();
  for (int i = 0; i < 100; ++i) big.push_back(i);
  const Json* storage = &big[0];
  Json built = JsonObject({{"list", std::move(big)}});
  EXPECT_EQ(built["list"].size(), 100u);
  // The array's elements are the ones built above: moved twice (into the member, then into the
  // object), never copied.
  EXPECT_EQ(&built["list"][0], storage);
}

}  // namespace
}  // namespace nazar
