// Private: writes compact JSON text directly, each string and number byte for byte what nlohmann's
// dump(-1, ' ', false, error_handler_t::replace) prints for it: numbers through nlohmann's own
// shortest round-trip formatting, invalid UTF-8 replaced by U+FFFD the way its serializer does.
// Object members stay in the order written (nlohmann would sort them; member order is no part of
// any contract). For reports, which the analyze page asks for at the end of every file: building
// a DOM only to print it took most of that step in wasm.
#ifndef NAZAR_SRC_JSON_WRITER_H_
#define NAZAR_SRC_JSON_WRITER_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace nazar {

// The number of continuation bytes after lead byte `b` and the range of the first one, per the
// well-formed UTF-8 table (Unicode 15, table 3-7); false for a byte that cannot start a sequence.
inline bool Utf8LeadByte(unsigned char b, int* continuation, unsigned char* lo, unsigned char* hi) {
  *lo = 0x80;
  *hi = 0xBF;
  if (b >= 0xC2 && b <= 0xDF) {
    *continuation = 1;
  } else if (b >= 0xE0 && b <= 0xEF) {
    *continuation = 2;
    if (b == 0xE0) *lo = 0xA0;  // no overlong forms
    if (b == 0xED) *hi = 0x9F;  // no surrogates
  } else if (b >= 0xF0 && b <= 0xF4) {
    *continuation = 3;
    if (b == 0xF0) *lo = 0x90;
    if (b == 0xF4) *hi = 0x8F;  // nothing above U+10FFFF
  } else {
    return false;
  }
  return true;
}

class JsonWriter {
 public:
  JsonWriter& BeginObject();
  JsonWriter& EndObject();
  JsonWriter& BeginArray();
  JsonWriter& EndArray();
  // The key of the next value in the open object (each key once per object: nothing checks).
  JsonWriter& Key(std::string_view key);

  JsonWriter& String(std::string_view s);
  JsonWriter& Int(int64_t v);
  JsonWriter& Uint(uint64_t v);
  JsonWriter& Double(double v);  // null when not finite; 2.0 prints as "2.0"
  JsonWriter& Bool(bool v);
  JsonWriter& Null();

  // The text written so far (every container closed).
  std::string Take() { return std::move(out_); }

  // `s` as a JSON string literal, quotes included, appended to `out`.
  static void AppendString(std::string* out, std::string_view s);

 private:
  struct Frame {
    bool object;
    bool empty;
  };
  void BeforeValue();
  void AppendDigits(uint64_t magnitude, bool negative);

  std::string out_;
  std::vector<Frame> stack_;
};

// Writes a DOM: nlohmann::json or JsonValue (the same interface). Depth is bounded by what built
// the value: ParseJson refuses documents deeper than kMaxJsonDepth, and the core's own DOMs are a
// few levels deep.
template <class J>
void WriteJson(const J& v, JsonWriter* w) {
  using T = typename J::value_t;
  switch (v.type()) {
    case T::object:
      w->BeginObject();
      for (auto it = v.begin(); it != v.end(); ++it) {
        w->Key(it.key());
        WriteJson(*it, w);
      }
      w->EndObject();
      return;
    case T::array:
      w->BeginArray();
      for (const J& e : v) WriteJson(e, w);
      w->EndArray();
      return;
    case T::string:
      w->String(v.template get_ref<const std::string&>());
      return;
    case T::boolean:
      w->Bool(v.template get<bool>());
      return;
    case T::number_integer:
      w->Int(v.template get<int64_t>());
      return;
    case T::number_unsigned:
      w->Uint(v.template get<uint64_t>());
      return;
    case T::number_float:
      w->Double(v.template get<double>());
      return;
    default:  // null, and what the core never prints (discarded, binary)
      w->Null();
      return;
  }
}

}  // namespace nazar

#endif  // NAZAR_SRC_JSON_WRITER_H_
