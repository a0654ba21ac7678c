// JsonValue, the widget module's JSON (nazar/json_value.h), against nlohmann's, its reference:
// the parser accepts and refuses the same texts, builds the same DOM and reports a refusal at
// the same place with the same reason (tests/support/json_compare.h); the DOM's operations mean
// what nlohmann's do. The core's own suites run with JsonValue too (nazar_core_own_json_tests).
#include "nazar/json_value.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "json_compare.h"
#include "nazar/json.h"

namespace nazar {
namespace {

using testing::ParseDifference;

// Texts that exercise each rule of the grammar and each error nlohmann's lexer and parser name.
const std::vector<std::string>& Corpus() {
  static const std::vector<std::string> texts = {
      // accepted
      "null",
      "true",
      "false",
      "0",
      "-0",
      "1",
      "-1",
      "0.5",
      "-0.0",
      "1e2",
      "1E+2",
      "1e-2",
      "12345678901234567890",
      "18446744073709551615",
      "18446744073709551616",
      "-9223372036854775808",
      "-9223372036854775809",
      "9223372036854775807",
      "1.7976931348623157e308",
      "4.9e-324",
      "2.2250738585072014e-308",
      "0.1",
      "123.456e-7",
      R"("")",
      R"("a")",
      R"("\"\\\/\b\f\n\r\t")",
      R"("\u0000")",
      R"("\u00e9\u4e2d")",
      R"("\ud83d\ude00")",
      R"("\uD83D\uDE00")",
      "\"\xC3\xA9\xE4\xB8\xAD\xF0\x9F\x98\x80\"",
      "\"\xEF\xBF\xBF\"",
      "\"\xF4\x8F\xBF\xBF\"",
      "\"\xED\x9F\xBF\"",
      "[]",
      "{}",
      "[1,2,3]",
      R"({"b":1,"a":2})",
      R"({"a":1,"a":2})",
      R"({"a":{"a":[{"a":1},{"b":[]}]}})",
      " \t\r\n[ 1 , { \"x\" : null } ]\n",
      "\xEF\xBB\xBF{}",
      R"({"":0,"z":1,"aa":2,"a":3})",
      R"({"b":1,"a":2,"b":3,"c":4,"a":5})",
      R"([[[[[]]]]])",
      // refused by the lexer
      "",
      " ",
      "tru",
      "trux",
      "nul",
      "falsy",
      "t",
      "x",
      "+1",
      "01",
      "-",
      "-a",
      "1.",
      "1.e3",
      "1e",
      "1e+",
      "1e-x",
      ".5",
      "0x10",
      "1e999",
      "-1e999",
      "\"abc",
      "\"\\",
      "\"\\x\"",
      "\"\\u12\"",
      "\"\\u12G4\"",
      "\"\\ud800\"",
      "\"\\ud800x\"",
      "\"\\ud800\\\"",
      "\"\\ud800\\u0041\"",
      "\"\\udc00\"",
      "\"\\ud800\\u12\"",
      "\"a\nb\"",
      "\"\t\"",
      "\"\x01\"",
      "\"\x1f\"",
      "\"\x7f\"",
      "\"\x80\"",
      "\"\xC0\x80\"",
      "\"\xC1\xBF\"",
      "\"\xC2\"",
      "\"\xC2\x41\"",
      "\"\xE0\x80\x80\"",
      "\"\xE0\xA0\"",
      "\"\xED\xA0\x80\"",
      "\"\xF0\x80\x80\x80\"",
      "\"\xF4\x90\x80\x80\"",
      "\"\xF5\x80\x80\x80\"",
      "\"\xFF\"",
      "\xEF",
      "\xEF\xBB",
      "\xEF\xBB\x00",
      "\xEF\x00",
      "\xEF\xBB\xBF",
      "\xEF\xBB\xBF ",
      // refused by the parser
      "[",
      "]",
      "{",
      "}",
      "[1,]",
      "[,1]",
      "[1 2]",
      "{\"a\"}",
      "{\"a\":}",
      "{\"a\":1,}",
      "{1:2}",
      "{\"a\" 1}",
      "{\"a\":1 \"b\":2}",
      "[1]]",
      "1 2",
      "\"a\" \"b\"",
      "[] x",
      "{} 1",
      "[true false]",
      "[null,",
      "{\"a\":",
      ":",
      ",",
      "[\"a\":1]",
      "{\"a\",1}",
      "[1]\n\n  ,",
      "{\"a\":[1,{\"b\":tru}]}",
      "[1,2,3] true",
      "\"x\"1",
      "0 0",
      "-0 1",
      // nlohmann's lexer takes a NUL byte outside a string for the end of input, so a text is
      // accepted up to it and refused there with "unexpected end of input" (found by the fuzzer).
      std::string("1\0x", 3),
      std::string("[1\0]", 4),
      std::string("{\"a\":\0}", 7),
      std::string("[true,1844674\0\0\x01"
                  "4073,\"x\"]",
                  25),
      std::string("\"a\0\"", 4),
      std::string("tr\0e", 4),
      std::string("\0", 1),
      std::string("  \0  [", 6),
  };
  return texts;
}

TEST(JsonValueParser, AgreesWithNlohmannOnEveryCorpusText) {
  for (const std::string& text : Corpus()) {
    EXPECT_EQ(ParseDifference(text), "") << "text: " << ::testing::PrintToString(text);
  }
}

TEST(JsonValueParser, NumbersValuesInDocumentOrderAsNlohmannsHandlerDoes) {
  const std::string text = R"({"b":[10,{"c":1},[2]],"a":{"x":null,"/":3,"~":4},"b2":"s"})";
  const PointerOrder order = {"",   "/b",    "/b/0",  "/b/1/c", "/b/2/0",
                              "/a", "/a/~1", "/a/~0", "/b2",    "/nothing"};
  EXPECT_EQ(ParseDifference(text, order), "");
  // An independent count: "/a/~1" (the member "/") is the 10th value in document order, 0-based
  // 9: root, b, 10, {}, 1, [], 2, a, null, 3.
  JsonValue own;
  PointerOrder mine = order;
  ASSERT_TRUE(ParseJsonValue(text.data(), text.data() + text.size(), &own, nullptr, &mine));
  EXPECT_EQ(mine["/a/~1"], 9u);
  EXPECT_EQ(mine["/b2"], 11u);
  EXPECT_EQ(mine["/nothing"], std::string::npos);
}

// Mutations of the corpus (a byte flipped, inserted, deleted or duplicated; a slice repeated):
// a deterministic few thousand texts near the grammar's edges. The fuzzer
// (tests/fuzz/fuzz_json_value.cc) does the same without end.
TEST(JsonValueParser, AgreesWithNlohmannOnMutatedTexts) {
  std::mt19937 rng(20261203);
  const std::string printable =
      "{}[]:,\"\\/ 0123456789-+.eEtrufalsn\t\n\r\x01\x7f\x80\xC3\xA9\xED\xEF\xBB\xBF\xF0\xFFu";
  const std::string alphabet = printable + "\f\vxyzAEIN" + std::string(1, '\0');
  // Pointers into the small documents of the corpus, repeated keys among them, so that the
  // document-order numbering is compared on every mutation too.
  const PointerOrder order = {"", "/a", "/0", "/1", "/0/a", "/a/1", "/a/b", "/b", "/k"};
  int failures = 0;
  for (int round = 0; round < 20000 && failures < 5; ++round) {
    std::string text = Corpus()[rng() % Corpus().size()];
    const int edits = 1 + static_cast<int>(rng() % 4);
    for (int e = 0; e < edits; ++e) {
      const size_t at = text.empty() ? 0 : rng() % (text.size() + 1);
      const char c = alphabet[rng() % alphabet.size()];
      switch (rng() % 4) {
        case 0:
          text.insert(text.begin() + static_cast<std::ptrdiff_t>(at), c);
          break;
        case 1:
          if (at < text.size()) text[at] = c;
          break;
        case 2:
          if (at < text.size()) text.erase(at, 1);
          break;
        default:
          text.insert(at, text.substr(at, rng() % 8));
          break;
      }
    }
    const std::string d = ParseDifference(text, order);
    if (!d.empty()) {
      ++failures;
      ADD_FAILURE() << d << "\ntext: " << ::testing::PrintToString(text);
    }
  }
}

TEST(JsonValue, NonNegativeWholeNumbersAreUnsignedNegativeOnesSignedOthersFloat) {
  EXPECT_EQ(JsonValue::parse("7").type(), JsonValue::value_t::number_unsigned);
  EXPECT_EQ(JsonValue::parse("-7").type(), JsonValue::value_t::number_integer);
  EXPECT_EQ(JsonValue::parse("-0").type(), JsonValue::value_t::number_integer);
  EXPECT_EQ(JsonValue::parse("7.0").type(), JsonValue::value_t::number_float);
  EXPECT_EQ(JsonValue::parse("18446744073709551616").type(), JsonValue::value_t::number_float);
  EXPECT_EQ(JsonValue::parse("18446744073709551615").get<uint64_t>(), UINT64_MAX);
  EXPECT_EQ(JsonValue::parse("-9223372036854775808").get<int64_t>(), INT64_MIN);
}

TEST(JsonValue, ObjectOperationsMeanWhatNlohmannsDo) {
  JsonValue j;
  nlohmann::json n;
  EXPECT_TRUE(j.is_null() && j.empty());
  j["b"] = 1;  // a null becomes an object
  n["b"] = 1;
  j["a"]["x"] = "y";
  n["a"]["x"] = "y";
  EXPECT_TRUE(j.emplace("c", 3));
  EXPECT_FALSE(j.emplace("b", 9));  // the member stays
  n.emplace("c", 3);
  n.emplace("b", 9);
  EXPECT_EQ(testing::JsonDifference(n, j), "");
  EXPECT_EQ(j.size(), 3u);
  EXPECT_EQ(j.erase("a"), 1u);
  EXPECT_EQ(j.erase("a"), 0u);
  EXPECT_EQ(j.dump(), R"({"b":1,"c":3})");
  EXPECT_EQ(j.find("zz"), j.end());
  EXPECT_EQ(j.value("c", 0), 3);
  EXPECT_EQ(j.value("zz", "none"), "none");
  std::vector<std::string> keys;
  for (auto& item : j.items()) keys.push_back(item.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"b", "c"}));
}

TEST(JsonValue, ListInitializationMakesObjectsOfPairsElseArraysAsNlohmann) {
  const JsonValue o = {{"k", 1}, {"a", {1, 2}}, {"k", 2}};
  const nlohmann::json no = {{"k", 1}, {"a", {1, 2}}, {"k", 2}};
  EXPECT_EQ(testing::JsonDifference(no, o), "");
  EXPECT_EQ(o.dump(), R"({"a":[1,2],"k":1})");
  const JsonValue a = {1, "x", nullptr, true, 2.5};
  const nlohmann::json na = {1, "x", nullptr, true, 2.5};
  EXPECT_EQ(testing::JsonDifference(na, a), "");
  const JsonValue mixed = {{"k", 1}, 3};  // not all pairs: an array
  EXPECT_TRUE(mixed.is_array());
  EXPECT_EQ(mixed.dump(), R"([["k",1],3])");
}

TEST(JsonValue, EqualityAndPrimitivenessAsNlohmann) {
  // Every pair of these, compared by both types: numbers by value across kinds (nlohmann compares
  // a signed with an unsigned one as int64_t, so -1 equals 18446744073709551615), containers deep.
  const std::vector<std::string> texts = {"1",
                                          "1.0",
                                          "-1",
                                          "18446744073709551615",
                                          "-1.0",
                                          "0",
                                          "-0",
                                          "0.0",
                                          "true",
                                          "false",
                                          "null",
                                          "\"1\"",
                                          "[1,2]",
                                          "[1]",
                                          "[1.0,2]",
                                          R"({"a":1})",
                                          R"({"b":1})",
                                          R"({"a":[1,{"b":null}]})",
                                          R"({"a":[1.0,{"b":null}]})",
                                          "{}",
                                          "[]"};
  for (const std::string& a : texts) {
    for (const std::string& b : texts) {
      EXPECT_EQ(JsonValue::parse(a) == JsonValue::parse(b),
                nlohmann::json::parse(a) == nlohmann::json::parse(b))
          << a << " == " << b;
    }
    EXPECT_EQ(JsonValue::parse(a).is_primitive(), nlohmann::json::parse(a).is_primitive()) << a;
  }
  const JsonValue discarded(JsonValue::value_t::discarded);
  const nlohmann::json n_discarded(nlohmann::json::value_t::discarded);
  EXPECT_EQ(discarded == discarded, n_discarded == n_discarded);
  EXPECT_EQ(discarded.is_primitive(), n_discarded.is_primitive());
}

TEST(JsonValue, PushBackOfBracesIsOneValueAsNlohmann) {
  JsonValue j;
  nlohmann::json n;
  j.push_back({});
  n.push_back({});
  j.push_back({"k", 1});
  n.push_back({"k", 1});
  j.push_back({{"k", 1}});
  n.push_back({{"k", 1}});
  EXPECT_EQ(testing::JsonDifference(n, j), "");
  EXPECT_EQ(j.dump(), n.dump());
}

// Objects far larger than a definition's, with keys in every order and repeated: the members end
// sorted, each key with its last value, as nlohmann builds them (the sort happens once per object,
// so 80,000 keys in reverse order take milliseconds, where an insert per member took 11 s).
TEST(JsonValueParser, LargeObjectsInAnyKeyOrderAsNlohmann) {
  std::mt19937 rng(7);
  for (const char* order : {"reverse", "shuffled", "repeated"}) {
    SCOPED_TRACE(order);
    std::vector<int> keys(20000);
    for (size_t i = 0; i < keys.size(); ++i) keys[i] = static_cast<int>(keys.size() - i);
    if (std::string(order) != "reverse") std::shuffle(keys.begin(), keys.end(), rng);
    if (std::string(order) == "repeated") {
      for (int& k : keys) k %= 997;  // each key about 20 times, its values differing
    }
    std::string text = "{";
    for (size_t i = 0; i < keys.size(); ++i) {
      text += (i ? ",\"k" : "\"k") + std::to_string(keys[i]) + "\":" + std::to_string(i);
    }
    text += "}";
    EXPECT_EQ(ParseDifference(text, {"/k5", "/k996"}), "");
  }
}

TEST(JsonValue, ArraysGrowWithNullsAndCopiesAreDeep) {
  JsonValue a;
  a[2] = 5;  // a null becomes an array of three
  EXPECT_EQ(a.dump(), "[null,null,5]");
  JsonValue b = a;
  b[0] = "x";
  EXPECT_EQ(a.dump(), "[null,null,5]");
  EXPECT_EQ(b.dump(), R"(["x",null,5])");
  JsonValue moved = std::move(b);
  EXPECT_EQ(moved.dump(), R"(["x",null,5])");
  EXPECT_EQ(JsonValue::parse("[1", nullptr, false).is_discarded(), true);
}

TEST(JsonValue, GetConvertsNumbersAsStaticCastWouldAsNlohmannsDoes) {
  const std::string text = R"([2.75, -3, 4000000000])";
  const JsonValue j = JsonValue::parse(text);
  const nlohmann::json n = nlohmann::json::parse(text);
  // A boolean converts to int, as nlohmann's get<int>() does (its get<int64_t>() would throw).
  EXPECT_EQ(JsonValue(true).get<int>(), nlohmann::json(true).get<int>());
  for (size_t i = 0; i < 3; ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(j[i].get<int>(), n[i].get<int>());
    EXPECT_EQ(j[i].get<double>(), n[i].get<double>());
    EXPECT_EQ(j[i].get<int64_t>(), n[i].get<int64_t>());
    EXPECT_EQ(j[i].get<uint32_t>(), n[i].get<uint32_t>());
  }
}

}  // namespace
}  // namespace nazar
