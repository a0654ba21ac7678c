// The one place the core includes nlohmann/json. The core uses only non-throwing calls
// (parse(..., nullptr, false), find, is_*), so it builds with -fno-exceptions.
#ifndef NAZAR_JSON_H_
#define NAZAR_JSON_H_

#include <string>

#include <nlohmann/json.hpp>

namespace nazar {
using Json = nlohmann::json;  // ordered keys are not needed: payload order is not a contract

// Parses JSON text into a DOM; a discarded value (is_discarded()) on any syntax error. Uses the
// plain DOM parser: Json::parse(..., nullptr, false) also compiles a callback parser (+1.2 KB
// gzip of wasm) that the core never needs.
inline Json ParseJson(const char* first, const char* last) {
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
