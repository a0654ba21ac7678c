// The one place the core includes nlohmann/json. The core uses only non-throwing calls (sax_parse
// with a handler that never throws, find, is_*), so it builds with -fno-exceptions. Built with
// NAZAR_OWN_JSON (the widget's wasm module only), Json is the core's own JsonValue instead
// (nazar/json_value.h says why) and ParseJson its parser; the rest of this header is the same.
#ifndef NAZAR_JSON_H_
#define NAZAR_JSON_H_

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "nazar/json_value.h"
#ifndef NAZAR_OWN_JSON
#include <nlohmann/json.hpp>
#endif

namespace nazar {
#ifdef NAZAR_OWN_JSON
using Json = JsonValue;
#else
using Json = nlohmann::json;  // ordered keys are not needed: payload order is not a contract
#endif

// Deepest bracket nesting any Nazar input needs is a handful of levels; deeper documents are
// refused before parsing, since serializing or walking them recurses (and wasm has 64 KiB of
// stack).
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

// The compact text of `value`: what value.dump(-1, ' ', false, Json::error_handler_t::replace)
// prints, byte for byte (members in the DOM's order, invalid UTF-8 replaced by U+FFFD), except
// that a discarded or binary value prints as null (the core prints neither). Written by
// JsonWriter, so that the wasm modules carry one JSON writer, not nlohmann's serializer as well
// (bench/wasm_functions.mjs). It recurses once per level: `value` comes from ParseJson (at most
// kMaxJsonDepth levels) or is a DOM the core built.
std::string JsonText(const Json& value);

// What nlohmann's parser said about text it could not parse (ParseJson's `syntax`).
struct JsonSyntaxError {
  size_t position = 0;    // bytes read up to the bad character, or past the bad token's end
  size_t token_size = 0;  // the bad token's length
  // nlohmann's message, "[json.exception.parse_error.101] parse error ... - invalid literal; ...";
  // with JsonValue (NAZAR_OWN_JSON) "syntax error while parsing value - invalid literal; ...": the
  // reason between " - " and ";" (all the core shows, definition.cc SyntaxError) is the same.
  std::string what;
};

// Why ParseJsonStrict refused a document.
struct JsonParseError {
  std::string pointer;  // JSON pointer of the object holding a duplicate key; "" otherwise
  std::string
      message;  // "duplicate key \"counts\"", "not valid JSON", "nested deeper than 64 levels"
  bool duplicate_key = false;  // the document is well-formed JSON but repeats a key
  // "pointer: message", "/" standing for the document: "/questions/nps: duplicate key \"counts\"".
  std::string ToString() const { return (pointer.empty() ? "/" : pointer) + ": " + message; }
};

// The JSON pointers whose values ParseJson numbers in document order (its `order`): a pointer's
// rank is how many values come before its own in the text (the root is 0, a container counts
// before its members), npos while no value has it. Kept sorted and searched by halves: the
// std::map it replaces cost the widget's wasm module its only tree code.
class PointerOrder {
 public:
  PointerOrder() = default;
  // Any order, repeats allowed; every rank starts at npos.
  PointerOrder(std::initializer_list<std::string> pointers);
  explicit PointerOrder(std::vector<std::string> pointers);

  // npos when `pointer` is not one of them or no value has it.
  size_t operator[](std::string_view pointer) const;
  // The parsers' call for each value in document order: numbers `pointer` once.
  void Reach(std::string_view pointer, size_t count);
  bool operator==(const PointerOrder& o) const { return ranks_ == o.ranks_; }
  bool operator!=(const PointerOrder& o) const { return !(*this == o); }

 private:
  size_t Index(std::string_view pointer) const;  // ranks_.size() when absent
  std::vector<std::pair<std::string, size_t>> ranks_;
};

// JsonValue's parser (core/src/json_value.cc, in every build: tests compare it with nlohmann's):
// false on a syntax error, with `syntax` filled as ParseJson fills it (the same position and
// reason, `what` without nlohmann's exception prefix; the same token size where the reason is an
// unexpected string or number, the only sizes the core reads); numbers the values at
// `order`'s pointers as ParseJson does. ParseJson calls it when Json is JsonValue.
bool ParseJsonValue(const char* first, const char* last, JsonValue* out, JsonSyntaxError* syntax,
                    PointerOrder* order);

namespace json_internal {

// RFC 6901 escaping of one reference token ('~' -> "~0", '/' -> "~1").
inline void AppendPointerToken(std::string* out, std::string_view token) {
  out->push_back('/');
  for (char c : token) {
    if (c == '~') {
      out->append("~0");
    } else if (c == '/') {
      out->append("~1");
    } else {
      out->push_back(c);
    }
  }
}

#ifndef NAZAR_OWN_JSON
// nlohmann's DOM builder, keeping what a syntax error said and, when given `order`, numbering the
// values whose JSON pointers are keys of *order in document order (a key's value stays npos when
// no value has that pointer). ParseJson's only handler: every handler type compiles another copy
// of nlohmann's parser into the wasm modules (bench/wasm_functions.mjs).
class DomSax {
 public:
  DomSax(Json* root, JsonSyntaxError* syntax, PointerOrder* order)
      : dom_(*root, /*allow_exceptions_=*/false), syntax_(syntax), order_(order) {}

  bool null() {
    Value();
    return dom_.null();
  }
  bool boolean(bool v) {
    Value();
    return dom_.boolean(v);
  }
  bool number_integer(Json::number_integer_t v) {
    Value();
    return dom_.number_integer(v);
  }
  bool number_unsigned(Json::number_unsigned_t v) {
    Value();
    return dom_.number_unsigned(v);
  }
  bool number_float(Json::number_float_t v, const std::string& s) {
    Value();
    return dom_.number_float(v, s);
  }
  bool string(std::string& v) {
    Value();
    return dom_.string(v);
  }
  bool binary(Json::binary_t& v) {
    Value();
    return dom_.binary(v);
  }
  bool start_object(size_t n) {
    Open(false);
    return dom_.start_object(n);
  }
  bool start_array(size_t n) {
    Open(true);
    return dom_.start_array(n);
  }
  bool end_object() {
    Close();
    return dom_.end_object();
  }
  bool end_array() {
    Close();
    return dom_.end_array();
  }
  bool key(std::string& k) {
    if (order_ != nullptr) {
      path_.resize(frames_.back().base);
      AppendPointerToken(&path_, k);
    }
    return dom_.key(k);
  }
  bool parse_error(size_t position, const std::string& token,
                   const nlohmann::detail::exception& ex) {
    if (syntax_ != nullptr) *syntax_ = {position, token.size(), ex.what()};
    return dom_.parse_error(position, token, ex);
  }

 private:
  struct Frame {
    bool array;
    size_t index;
    size_t base;  // path_'s size at the container's own pointer
  };

  // A value starts: in an array its pointer is the next index; numbered when *order_ asks.
  void Value() {
    if (order_ == nullptr) return;
    if (!frames_.empty() && frames_.back().array) {
      Frame& f = frames_.back();
      path_.resize(f.base);
      path_ += '/';
      path_ += std::to_string(f.index++);
    }
    order_->Reach(path_, count_++);
  }
  void Open(bool array) {
    Value();
    if (order_ != nullptr) frames_.push_back({array, 0, path_.size()});
  }
  void Close() {
    if (order_ == nullptr) return;
    path_.resize(frames_.back().base);
    frames_.pop_back();
  }

  nlohmann::detail::json_sax_dom_parser<Json> dom_;
  JsonSyntaxError* syntax_;
  PointerOrder* order_;
  std::vector<Frame> frames_;
  std::string path_;
  size_t count_ = 0;
};

// nlohmann's DOM builder, refusing an object key seen before in the same object (the DOM parser
// alone keeps the last, so {"displays":1,"displays":7} would read as 7). It mirrors the builder's
// stack of open containers to look the key up in the object being built and to name its pointer.
class StrictDomSax {
 public:
  StrictDomSax(Json* root, JsonParseError* error)
      : root_(root), dom_(*root, false), error_(error) {}

  bool null() { return dom_.null(); }
  bool boolean(bool v) { return dom_.boolean(v); }
  bool number_integer(Json::number_integer_t v) { return dom_.number_integer(v); }
  bool number_unsigned(Json::number_unsigned_t v) { return dom_.number_unsigned(v); }
  bool number_float(Json::number_float_t v, const std::string& s) {
    return dom_.number_float(v, s);
  }
  bool string(std::string& v) { return dom_.string(v); }
  bool binary(Json::binary_t& v) { return dom_.binary(v); }
  bool start_object(size_t n) { return dom_.start_object(n) && Opened(); }
  bool start_array(size_t n) { return dom_.start_array(n) && Opened(); }
  bool end_object() {
    stack_.pop_back();
    return dom_.end_object();
  }
  bool end_array() {
    stack_.pop_back();
    return dom_.end_array();
  }
  bool key(std::string& k) {
    Frame& top = stack_.back();
    if (top.node->find(k) != top.node->end()) {
      if (error_ != nullptr) {
        error_->pointer = PointerOfTop();
        error_->message = "duplicate key " + JsonText(Json(k));
        error_->duplicate_key = true;
      }
      return false;
    }
    top.key = k;
    return dom_.key(k);
  }
  template <class Exception>
  bool parse_error(size_t position, const std::string& token, const Exception& ex) {
    if (error_ != nullptr) {
      *error_ = {"", "not valid JSON", false};
    }
    return dom_.parse_error(position, token, ex);
  }

 private:
  struct Frame {
    Json* node;       // the open object or array, inside *root_
    std::string key;  // for an object, the key whose value is being parsed
  };

  // Pushes the container the DOM builder has just opened: the root, the last element of an
  // array, or the current key's value in an object.
  bool Opened() {
    Json* node = root_;
    if (!stack_.empty()) {
      Frame& top = stack_.back();
      node = top.node->is_array() ? &top.node->back() : &top.node->find(top.key).value();
    }
    stack_.push_back({node, std::string()});
    return true;
  }

  // The pointer of the innermost open container ("" for the root).
  std::string PointerOfTop() const {
    std::string out;
    for (size_t i = 0; i + 1 < stack_.size(); ++i) {
      const Frame& f = stack_[i];
      AppendPointerToken(&out, f.node->is_array() ? std::to_string(f.node->size() - 1) : f.key);
    }
    return out;
  }

  Json* root_;
  nlohmann::detail::json_sax_dom_parser<Json> dom_;
  JsonParseError* error_;
  std::vector<Frame> stack_;
};

#endif  // NAZAR_OWN_JSON

}  // namespace json_internal

// Parses JSON text into a DOM; a discarded value (is_discarded()) on any syntax error or on
// nesting deeper than kMaxJsonDepth. With `syntax`, a syntax error says where and what (left as
// is for a document too deep); with `order`, the values at its keys' pointers are numbered in
// document order (DomSax). nlohmann's DOM builder runs inside DomSax through sax_parse:
// Json::parse(..., nullptr, false) also compiles a callback parser (+1.2 KB gzip of wasm) that
// the core never needs. An object key repeated within one object keeps its last value: what the
// widget parses (the site's definitions, its own events) is not hostile input.
// Where Json is JsonValue, its own parser (ParseJsonValue) builds the DOM instead.
inline Json ParseJson(const char* first, const char* last, JsonSyntaxError* syntax = nullptr,
                      PointerOrder* order = nullptr) {
  if (JsonTooDeepAt(std::string_view(first, static_cast<size_t>(last - first))) !=
      std::string_view::npos) {
    return Json(Json::value_t::discarded);
  }
  Json out;
#ifdef NAZAR_OWN_JSON
  if (!ParseJsonValue(first, last, &out, syntax, order)) return Json(Json::value_t::discarded);
#else
  json_internal::DomSax sax(&out, syntax, order);
  if (!Json::sax_parse(first, last, &sax)) return Json(Json::value_t::discarded);
#endif
  return out;
}

// ParseJson of a whole text.
inline Json ParseJson(std::string_view text) {
  return ParseJson(text.data(), text.data() + text.size());
}

#ifndef NAZAR_OWN_JSON
// ParseJson for input from anyone (the collector's payloads and definitions): also refuses an
// object key repeated within one object (RFC 8259 leaves duplicates undefined; a payload that
// says two things, {"displays":1,"displays":7}, is refused). When `error` is given it says why.
// Kept apart from ParseJson so the browser's wasm module does not carry it (about 0.6 KB brotli).
inline Json ParseJsonStrict(const char* first, const char* last, JsonParseError* error = nullptr) {
  if (JsonTooDeepAt(std::string_view(first, static_cast<size_t>(last - first))) !=
      std::string_view::npos) {
    if (error != nullptr) {
      *error = {"", "nested deeper than " + std::to_string(kMaxJsonDepth) + " levels", false};
    }
    return Json(Json::value_t::discarded);
  }
  Json out;
  json_internal::StrictDomSax sax(&out, error);
  if (!Json::sax_parse(first, last, &sax)) return Json(Json::value_t::discarded);
  return out;
}
#endif  // NAZAR_OWN_JSON

// One member of JsonObject()'s list. The value is mutable so that JsonObject() can move it out
// of the (const) initializer list instead of copying it.
struct JsonMember {
  const char* key;
  mutable Json value;
};

// The object nlohmann's {{"key", value}, ...} makes (members sorted by key, as Json keeps them; a
// key given twice keeps its first value), built out of line: nlohmann's initializer-list
// constructor expands into a few hundred bytes of wasm at every place it is written
// (bench/wasm_functions.mjs).
Json JsonObject(std::initializer_list<JsonMember> members);

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
