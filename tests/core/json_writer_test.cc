// JsonWriter (core/src/json_writer.h) against nlohmann's own printer: strings must print byte for
// byte as nlohmann's compact dump with error_handler_t::replace prints them (the writer's own
// UTF-8 handling, checked against nlohmann's serializer), and a document written both ways must
// be the same document. Doubles go through nlohmann's to_chars in both, so for them this checks
// only the writer's handling around it (null for non-finite, "2.0" kept).
#include "json_writer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "nazar/json.h"

namespace nazar {
namespace {

std::string Dumped(const Json& j) { return j.dump(-1, ' ', false, Json::error_handler_t::replace); }

std::string Written(std::string_view s) {
  std::string out;
  JsonWriter::AppendString(&out, s);
  return out;
}

// Bytes that exercise every branch of UTF-8 decoding: ASCII and the escapes, continuation bytes,
// every lead byte class with its narrowed first-continuation ranges, bytes that never start a
// sequence.
const std::vector<unsigned char> kInteresting = {
    0x00, 0x01, 0x08, 0x09, 0x0A, 0x0C, 0x0D, 0x1F, 0x20, 0x22, 0x2F, 0x41,
    0x5C, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF,
    0xE0, 0xE1, 0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xFF};

TEST(JsonWriterTest, EveryStringOfUpToThreeInterestingBytesPrintsAsNlohmannPrintsIt) {
  std::string s;
  int checked = 0;
  for (unsigned char a : kInteresting) {
    s.assign(1, static_cast<char>(a));
    ASSERT_EQ(Written(s), Dumped(Json(s))) << "byte " << int(a);
    for (unsigned char b : kInteresting) {
      s.assign({static_cast<char>(a), static_cast<char>(b)});
      ASSERT_EQ(Written(s), Dumped(Json(s))) << int(a) << " " << int(b);
      for (unsigned char c : kInteresting) {
        s.assign({static_cast<char>(a), static_cast<char>(b), static_cast<char>(c)});
        ASSERT_EQ(Written(s), Dumped(Json(s))) << int(a) << " " << int(b) << " " << int(c);
        ++checked;
      }
    }
  }
  EXPECT_EQ(checked, 36 * 36 * 36);
}

TEST(JsonWriterTest, RandomByteStringsPrintAsNlohmannPrintsThem) {
  std::mt19937 rng(7);
  for (int round = 0; round < 20000; ++round) {
    std::string s(rng() % 12, '\0');
    for (char& c : s) {
      c = static_cast<char>(rng() % 3 == 0 ? kInteresting[rng() % kInteresting.size()] : rng());
    }
    ASSERT_EQ(Written(s), Dumped(Json(s))) << "round " << round;
  }
  // Well-formed text of every length class passes unchanged.
  const std::string text = "NPS \xD9\x86\xD8\xAA \xDB\xB1\xDB\xB4 \xE2\x82\xAC \xF0\x9F\x98\x80";
  EXPECT_EQ(Written(text), "\"" + text + "\"");
}

TEST(JsonWriterTest, NumbersPrintAsNlohmannPrintsThem) {
  const std::vector<double> doubles = {0.0,
                                       -0.0,
                                       1.0,
                                       -1.0,
                                       2.5,
                                       0.1,
                                       1e-7,
                                       1e21,
                                       1e22,
                                       123456789012345680.0,
                                       33.3,
                                       -12.35,
                                       100.0,
                                       1.0 / 3,
                                       5e-324,
                                       1.7976931348623157e308,
                                       45.25,
                                       0.1 + 0.2,
                                       9007199254740993.0};
  for (double d : doubles) {
    JsonWriter w;
    w.Double(d);
    EXPECT_EQ(w.Take(), Dumped(Json(d))) << d;
  }
  for (double d : {std::nan(""), std::numeric_limits<double>::infinity(),
                   -std::numeric_limits<double>::infinity()}) {
    JsonWriter w;
    w.Double(d);
    EXPECT_EQ(w.Take(), "null");
  }
  for (int64_t i : {int64_t{0}, int64_t{-1}, int64_t{42}, std::numeric_limits<int64_t>::min(),
                    std::numeric_limits<int64_t>::max()}) {
    JsonWriter w;
    w.Int(i);
    EXPECT_EQ(w.Take(), Dumped(Json(i)));
  }
}

// Random documents written both ways: nesting, empty containers, every scalar kind, keys that
// need escaping.
void Build(std::mt19937& rng, int depth, JsonWriter& w, Json* j) {
  const int kind = depth >= 4 ? static_cast<int>(rng() % 5) : static_cast<int>(rng() % 7);
  switch (kind) {
    case 0: {
      const int64_t v = static_cast<int64_t>(rng()) - (1LL << 31);
      w.Int(v);
      *j = v;
      break;
    }
    case 1: {
      const double v = std::ldexp(static_cast<double>(rng()), static_cast<int>(rng() % 80) - 60);
      w.Double(v);
      *j = v;
      break;
    }
    case 2: {
      std::string s(rng() % 6, 'a');
      for (char& c : s) c = static_cast<char>(kInteresting[rng() % kInteresting.size()]);
      w.String(s);
      *j = s;
      break;
    }
    case 3: {
      const bool v = rng() % 2 == 0;
      w.Bool(v);
      *j = v;
      break;
    }
    case 4:
      w.Null();
      *j = nullptr;
      break;
    case 5: {
      w.BeginArray();
      *j = Json::array();
      const int n = static_cast<int>(rng() % 4);
      for (int i = 0; i < n; ++i) {
        Json element;
        Build(rng, depth + 1, w, &element);
        j->push_back(std::move(element));
      }
      w.EndArray();
      break;
    }
    default: {
      w.BeginObject();
      *j = Json::object();
      const int n = static_cast<int>(rng() % 6);
      for (int i = 0; i < n; ++i) {
        // Distinct keys, some sharing prefixes, some with bytes that sort high or escape.
        std::string key = std::string(1, "zyabcQ_"[rng() % 7]) + std::to_string(i);
        if (rng() % 5 == 0) key = "\xD9\x86" + key;
        if (rng() % 7 == 0) key += "\"\n";
        w.Key(key);
        Json value;
        Build(rng, depth + 1, w, &value);
        (*j)[key] = std::move(value);
      }
      w.EndObject();
      break;
    }
  }
}

TEST(JsonWriterTest, RandomDocumentsReadBackAsTheirNlohmannDom) {
  std::mt19937 rng(11);
  for (int round = 0; round < 3000; ++round) {
    JsonWriter w;
    Json j;
    Build(rng, 0, w, &j);
    const std::string written = w.Take();
    // Member order aside (nlohmann sorts, the writer keeps the order written), the same text:
    // read back and printed by nlohmann, it is the DOM's own print.
    const Json parsed = ParseJson(written.data(), written.data() + written.size());
    ASSERT_FALSE(parsed.is_discarded()) << written;
    ASSERT_EQ(Dumped(parsed), Dumped(j)) << "round " << round;
  }
}

}  // namespace
}  // namespace nazar
