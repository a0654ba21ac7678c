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

}  // namespace nazar

#endif  // NAZAR_SRC_JSON_WRITER_H_
