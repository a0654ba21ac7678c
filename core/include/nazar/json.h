// The one place the core includes nlohmann/json. The core uses only non-throwing calls
// (parse(..., nullptr, false), find, is_*), so it builds with -fno-exceptions.
#ifndef NAZAR_JSON_H_
#define NAZAR_JSON_H_

#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace nazar {
using Json = nlohmann::json;  // ordered keys are not needed: payload order is not a contract

// Deepest bracket nesting any Nazar input needs is a handful of levels; deeper documents are
// refused before parsing, since serializing or walking them recurses (and wasm has 64 KiB of stack).
inline constexpr int kMaxJsonDepth = 64;

// Byte offset of the first '[' or '{' nesting deeper than `max_depth`, or npos. Brackets inside
// strings do not count; nothing else is checked (the parser does that).
inline size_t JsonTooDeepAt(std::string_view text, int max_depth = kMaxJsonDepth) {
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) return i;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return std::string_view::npos;
}

// A whole number within [lo, hi] (also rejecting unsigned values beyond int64), else false.
// get<int>() would silently truncate 4294967301 to 5.
inline bool JsonIntInRange(const Json& v, int64_t lo, int64_t hi, int64_t* out) {
  if (!v.is_number_integer()) return false;
  if (v.is_number_unsigned() && v.get<uint64_t>() > static_cast<uint64_t>(INT64_MAX)) return false;
  const int64_t x = v.get<int64_t>();
  if (x < lo || x > hi) return false;
  *out = x;
  return true;
}

// Parses JSON text into a DOM; a discarded value (is_discarded()) on any syntax error or on
// nesting deeper than kMaxJsonDepth. Uses the
// plain DOM parser: Json::parse(..., nullptr, false) also compiles a callback parser (+1.2 KB
// gzip of wasm) that the core never needs.
inline Json ParseJson(const char* first, const char* last) {
  if (JsonTooDeepAt(std::string_view(first, static_cast<size_t>(last - first))) !=
      std::string_view::npos) {
    return Json(Json::value_t::discarded);
  }
  Json out;
  nlohmann::detail::json_sax_dom_parser<Json> sax(out, /*allow_exceptions_=*/false);
  if (!Json::sax_parse(first, last, &sax)) return Json(Json::value_t::discarded);
  return out;
}

// obj[key] when obj is an object holding a string there, else nullptr. Json::value() would abort
// (not throw) on a type mismatch under JSON_NOEXCEPTION, so the core reads optional fields here.
inline const std::string* FindString(const Json& obj, const char* key) {
  if (!obj.is_object()) return nullptr;
  auto it = obj.find(key);
  return it != obj.end() && it->is_string() ? it->get_ptr<const std::string*>() : nullptr;
}

// obj[key] when it is a boolean, else `fallback`.
inline bool FindBool(const Json& obj, const char* key, bool fallback) {
  if (!obj.is_object()) return fallback;
  auto it = obj.find(key);
  return it != obj.end() && it->is_boolean() ? it->get<bool>() : fallback;
}

}  // namespace nazar

#endif  // NAZAR_JSON_H_
