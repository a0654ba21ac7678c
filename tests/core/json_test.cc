// ParseJsonStrict, the core's parser for input from anyone (the collector's payloads and
// definitions), refuses a key repeated within one object and says where; the same key in
// different objects is fine.
#include "nazar/json.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <map>
#include <random>
#include <string>
#include <vector>

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

// JsonObject() builds what nlohmann's own {{"key", value}, ...} builds, which is the reference.
TEST(JsonObject, BuildsWhatNlohmannsInitializerListBuilds) {
  const Json built = JsonObject({{"type", "send"},
                                 {"n", 3},
                                 {"none", nullptr},
                                 {"payload", ParseJson(R"({"a":[1,2]})")},
                                 {"handled", true}});
  const Json reference = {{"type", "send"},
                          {"n", 3},
                          {"none", nullptr},
                          {"payload", ParseJson(R"({"a":[1,2]})")},
                          {"handled", true}};
  EXPECT_EQ(built, reference);
  EXPECT_EQ(built.dump(), reference.dump());
  EXPECT_EQ(built.dump(),
            R"({"handled":true,"n":3,"none":null,"payload":{"a":[1,2]},"type":"send"})");
}

TEST(JsonObject, EmptyIsAnObjectAndARepeatedKeyKeepsItsFirstValueAsNlohmannsDoes) {
  EXPECT_EQ(JsonObject({}).dump(), "{}");
  const Json reference = {{"k", 1}, {"k", 2}};
  EXPECT_EQ(JsonObject({{"k", 1}, {"k", 2}}), reference);
  EXPECT_EQ(JsonObject({{"k", 1}, {"k", 2}}).dump(), R"({"k":1})");
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

// JsonText() against nlohmann's own serializer, the reference it replaces: the same bytes for
// every JSON file under tests/fixtures and for values built to reach every branch (invalid UTF-8,
// control characters, integers at both ends, floats nlohmann formats its own way).
std::string Dumped(const Json& v) { return v.dump(-1, ' ', false, Json::error_handler_t::replace); }

TEST(JsonText, EveryFixturePrintsAsNlohmannPrintsIt) {
  namespace fs = std::filesystem;
  int files = 0;
  for (const auto& entry : fs::recursive_directory_iterator(NAZAR_FIXTURES_DIR)) {
    if (!entry.is_regular_file() || entry.path().extension() != ".json") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const Json doc = ParseJson(text);
    if (doc.is_discarded()) continue;  // the invalid fixtures include broken JSON
    ++files;
    EXPECT_EQ(JsonText(doc), Dumped(doc)) << entry.path();
  }
  EXPECT_GT(files, 100);
}

TEST(JsonText, EdgeValuesPrintAsNlohmannPrintsThem) {
  const std::vector<Json> values = {
      Json(nullptr),
      Json(true),
      Json(false),
      Json(0),
      Json(-1),
      Json(INT64_MIN),
      Json(INT64_MAX),
      Json(UINT64_MAX),
      Json(uint64_t{9223372036854775808ULL}),
      Json(0.0),
      Json(-0.0),
      Json(2.0),
      Json(0.1),
      Json(1e300),
      Json(-1.5e-300),
      Json(123456789.125),
      Json(std::nan("")),
      Json(HUGE_VAL),
      Json(std::string("plain")),
      Json(std::string("quote \" backslash \\ slash / tab \t nl \n cr \r bell \x07 del \x7f")),
      Json(std::string("\x00\x01\x1f", 3)),
      Json(std::string("\xd8\xb3\xd9\x84\xd8\xa7\xd9\x85 \xf0\x9f\x98\x80 \xe2\x80\xae")),
      Json(std::string("bad \xff lead, cut \xd8, overlong \xc0\xaf, surrogate \xed\xa0\x80 end")),
      Json(std::string("\xf4\x90\x80\x80 \xe0\x80\x80 \xf0\x9f\x98")),
      Json::array(),
      Json::object(),
      ParseJson(R"({"b":[1,-2,3.5,{"z":null,"a":[[]]}],"a":{"":"","\u00e9":true}})"),
  };
  for (const Json& v : values) EXPECT_EQ(JsonText(v), Dumped(v)) << Dumped(v);
}

// Where JsonText() parts from dump(): values the core never prints come out as null.
TEST(JsonText, ADiscardedOrBinaryValuePrintsAsNull) {
  EXPECT_EQ(JsonText(Json(Json::value_t::discarded)), "null");
  EXPECT_EQ(JsonText(Json::binary({1, 2, 3})), "null");
  EXPECT_EQ(JsonText(JsonObject({{"a", Json(Json::value_t::discarded)}})), R"({"a":null})");
}

TEST(JsonText, RandomValuesPrintAsNlohmannPrintsThem) {
  // Values of random shape and random bytes, from a fixed seed so that a failure repeats.
  uint64_t state = 0x9E3779B97F4A7C15ULL;
  auto next = [&state]() {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  };
  auto bytes = [&next]() {
    std::string s(next() % 12, ' ');
    for (char& c : s) c = static_cast<char>(next() % 256);
    return s;
  };
  std::function<Json(int)> make = [&](int depth) -> Json {
    switch (next() % (depth > 3 ? 6 : 8)) {
      case 0:
        return Json(nullptr);
      case 1:
        return Json(next() % 2 == 0);
      case 2:
        return Json(static_cast<int64_t>(next()));
      case 3:
        return Json(next());
      case 4: {
        double d = 0;
        const uint64_t b = next();
        std::memcpy(&d, &b, sizeof d);
        return Json(d);
      }
      case 5:
        return Json(bytes());
      case 6: {
        Json a = Json::array();
        for (uint64_t i = next() % 4; i > 0; --i) a.push_back(make(depth + 1));
        return a;
      }
      default: {
        Json o = Json::object();
        for (uint64_t i = next() % 4; i > 0; --i) o[bytes()] = make(depth + 1);
        return o;
      }
    }
  };
  for (int i = 0; i < 20000; ++i) {
    const Json v = make(0);
    ASSERT_EQ(JsonText(v), Dumped(v)) << "value " << i;
  }
}

// PointerOrder: pointers given in any order and repeated; each numbered by its first Reach only;
// a pointer not asked for, or never reached, is npos.
TEST(PointerOrder, KeepsTheFirstRankOfEachPointerAskedFor) {
  PointerOrder order = {"/b", "/a/0", "", "/b", "/z"};
  order.Reach("/a/0", 3);
  order.Reach("/a/0", 5);
  order.Reach("", 0);
  order.Reach("/c", 1);
  order.Reach("/b/0", 2);
  EXPECT_EQ(order["/a/0"], 3u);
  EXPECT_EQ(order[""], 0u);
  EXPECT_EQ(order["/b"], std::string::npos);
  EXPECT_EQ(order["/c"], std::string::npos);
  EXPECT_EQ(order["/z"], std::string::npos);
  PointerOrder same = {"/z", "", "/a/0", "/b"};
  same.Reach("", 0);
  same.Reach("/a/0", 3);
  EXPECT_TRUE(order == same);
  same.Reach("/z", 9);
  EXPECT_TRUE(order != same);
}

// The same against a std::map doing the same job (what PointerOrder replaced): 300 pointers, a
// third of them repeated, in shuffled order, reached in another shuffled order, some twice, and
// looked up with as many that were never asked for.
TEST(PointerOrder, AgreesWithAMapOnManyShuffledPointers) {
  std::mt19937 rng(20261203);
  std::vector<std::string> asked;
  for (int i = 0; i < 300; ++i) asked.push_back("/q/" + std::to_string(rng() % 200));
  std::map<std::string, size_t> reference;
  for (const std::string& p : asked) reference.emplace(p, std::string::npos);
  PointerOrder order(asked);
  std::vector<std::string> reached = asked;
  for (int i = 0; i < 100; ++i) reached.push_back("/r/" + std::to_string(i));  // never asked
  std::shuffle(reached.begin(), reached.end(), rng);
  for (size_t count = 0; count < reached.size(); ++count) {
    order.Reach(reached[count], count);
    auto it = reference.find(reached[count]);
    if (it != reference.end() && it->second == std::string::npos) it->second = count;
  }
  for (int i = 0; i < 250; ++i) {
    for (const char* prefix : {"/q/", "/r/"}) {
      const std::string p = prefix + std::to_string(i);
      auto it = reference.find(p);
      EXPECT_EQ(order[p], it == reference.end() ? std::string::npos : it->second) << p;
    }
  }
}

// ParseJson's `order`: each pointer asked for gets the index of its value among all values in
// document order (the root is 0, a container counts before its members); a pointer no value has
// stays npos. Worked out by hand for this text.
TEST(ParseJsonOrder, NumbersThePointersAskedForInDocumentOrder) {
  const std::string text = R"({"b":[10,{"x/y":1,"t~n":[2]}],"a":true,"c":{}})";
  PointerOrder order = {"", "/b", "/b/1/x~1y", "/b/1/t~0n/0", "/a", "/c", "/b/2"};
  const Json doc = ParseJson(text.data(), text.data() + text.size(), nullptr, &order);
  // Values in order: root 0, /b 1, /b/0 2, /b/1 3, /b/1/x~1y 4, /b/1/t~0n 5, /b/1/t~0n/0 6,
  // /a 7, /c 8.
  EXPECT_EQ(order[""], 0u);
  EXPECT_EQ(order["/b"], 1u);
  EXPECT_EQ(order["/b/1/x~1y"], 4u);
  EXPECT_EQ(order["/b/1/t~0n/0"], 6u);
  EXPECT_EQ(order["/a"], 7u);
  EXPECT_EQ(order["/c"], 8u);
  EXPECT_EQ(order["/b/2"], std::string::npos);
  // Numbering changes nothing in the DOM.
  EXPECT_EQ(doc, ParseJson(text));
}

TEST(ParseJsonOrder, ASyntaxErrorSaysWhereAndWhatAndTheDomIsDiscarded) {
  const std::string text = R"({"a": [1, 2,]})";
  JsonSyntaxError syntax;
  EXPECT_TRUE(ParseJson(text.data(), text.data() + text.size(), &syntax).is_discarded());
  EXPECT_EQ(syntax.position, 13u);  // bytes read up to and with the ']'
  EXPECT_NE(syntax.what.find("syntax error"), std::string::npos) << syntax.what;
  EXPECT_NE(syntax.what.find("unexpected ']'"), std::string::npos) << syntax.what;
}

}  // namespace
}  // namespace nazar
