#include "json_writer.h"

#include <array>
#include <cassert>
#include <cmath>
#include <nlohmann/json.hpp>  // to_chars: nlohmann's number format, also where Json is JsonValue

#include "nazar/json.h"

namespace nazar {
void JsonWriter::AppendString(std::string* out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  static constexpr char kReplacement[] = "\xEF\xBF\xBD";
  out->push_back('"');
  size_t i = 0;
  while (i < s.size()) {
    // A run of bytes written as they are (most keys and labels are nothing else): one append.
    size_t plain = i;
    while (plain < s.size()) {
      const auto c = static_cast<unsigned char>(s[plain]);
      if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\') break;
      ++plain;
    }
    out->append(s.data() + i, plain - i);
    i = plain;
    if (i == s.size()) break;
    const auto b = static_cast<unsigned char>(s[i]);
    if (b < 0x80) {
      switch (b) {
        case '\b':
          out->append("\\b");
          break;
        case '\t':
          out->append("\\t");
          break;
        case '\n':
          out->append("\\n");
          break;
        case '\f':
          out->append("\\f");
          break;
        case '\r':
          out->append("\\r");
          break;
        case '"':
          out->append("\\\"");
          break;
        case '\\':
          out->append("\\\\");
          break;
        default:
          if (b < 0x20) {
            out->append("\\u00");
            out->push_back(kHex[b >> 4]);
            out->push_back(kHex[b & 15]);
          } else {
            out->push_back(static_cast<char>(b));
          }
      }
      ++i;
      continue;
    }
    int continuation = 0;
    unsigned char lo = 0;
    unsigned char hi = 0;
    if (!Utf8LeadByte(b, &continuation, &lo, &hi)) {  // a stray byte: one U+FFFD for it
      out->append(kReplacement);
      ++i;
      continue;
    }
    // A sequence cut short is one U+FFFD, and the byte that cut it is read again on its own.
    size_t j = i + 1;
    bool whole = true;
    for (int k = 0; k < continuation; ++k, ++j) {
      if (j >= s.size()) {
        whole = false;
        break;
      }
      const auto c = static_cast<unsigned char>(s[j]);
      if (c < (k == 0 ? lo : 0x80) || c > (k == 0 ? hi : 0xBF)) {
        whole = false;
        break;
      }
    }
    if (whole) {
      out->append(s.substr(i, j - i));
    } else {
      out->append(kReplacement);
    }
    i = j;
  }
  out->push_back('"');
}

void JsonWriter::BeforeValue() {
  if (stack_.empty()) return;
  Frame& top = stack_.back();
  if (top.object) return;  // the key wrote the separator
  if (!top.empty) out_.push_back(',');
  top.empty = false;
}

JsonWriter& JsonWriter::BeginObject() {
  BeforeValue();
  out_.push_back('{');
  stack_.push_back(Frame{true, true});
  return *this;
}

JsonWriter& JsonWriter::EndObject() {
  assert(!stack_.empty() && stack_.back().object);
  out_.push_back('}');
  stack_.pop_back();
  return *this;
}

JsonWriter& JsonWriter::BeginArray() {
  BeforeValue();
  out_.push_back('[');
  stack_.push_back(Frame{false, true});
  return *this;
}

JsonWriter& JsonWriter::EndArray() {
  assert(!stack_.empty() && !stack_.back().object);
  out_.push_back(']');
  stack_.pop_back();
  return *this;
}

JsonWriter& JsonWriter::Key(std::string_view key) {
  assert(!stack_.empty() && stack_.back().object);
  Frame& top = stack_.back();
  if (!top.empty) out_.push_back(',');
  top.empty = false;
  AppendString(&out_, key);
  out_.push_back(':');
  return *this;
}

JsonWriter& JsonWriter::String(std::string_view s) {
  BeforeValue();
  AppendString(&out_, s);
  return *this;
}

JsonWriter& JsonWriter::Int(int64_t v) {
  BeforeValue();
  AppendDigits(v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v), v < 0);
  return *this;
}

JsonWriter& JsonWriter::Uint(uint64_t v) {
  BeforeValue();
  AppendDigits(v, false);
  return *this;
}

void JsonWriter::AppendDigits(uint64_t u, bool negative) {
  // The digits from the last, in a buffer of the longest (20 digits and a sign), appended once.
  std::array<char, 24> buf;
  char* p = buf.data() + buf.size();
  do {
    *--p = static_cast<char>('0' + u % 10);
    u /= 10;
  } while (u != 0);
  if (negative) *--p = '-';
  out_.append(p, static_cast<size_t>(buf.data() + buf.size() - p));
}

JsonWriter& JsonWriter::Double(double v) {
  BeforeValue();
  if (!std::isfinite(v)) {
    out_.append("null");
    return *this;
  }
  // nlohmann's own formatter (Grisu2, shortest round trip, "2.0" for whole numbers), so the text
  // is what a DOM of the same numbers would print.
  std::array<char, 64> buf;
  char* end = nlohmann::detail::to_chars(buf.data(), buf.data() + buf.size(), v);
  out_.append(buf.data(), static_cast<size_t>(end - buf.data()));
  return *this;
}

JsonWriter& JsonWriter::Bool(bool v) {
  BeforeValue();
  out_.append(v ? "true" : "false");
  return *this;
}

JsonWriter& JsonWriter::Null() {
  BeforeValue();
  out_.append("null");
  return *this;
}

}  // namespace nazar
