// JsonValue (the widget module's JSON) against nlohmann's, its reference: the unit tests
// (tests/core/json_value_test.cc) and the differential fuzzer (tests/fuzz/fuzz_json_value.cc)
// share these. Built where Json is nlohmann's (not with NAZAR_OWN_JSON).
#ifndef NAZAR_TESTS_SUPPORT_JSON_COMPARE_H_
#define NAZAR_TESTS_SUPPORT_JSON_COMPARE_H_

#include <cstring>
#include <string>
#include <string_view>

#include "nazar/json.h"
#include "nazar/json_value.h"

namespace nazar::testing {

// "" when `own` is the same DOM as `ref`: the same types (an integer, unsigned or float alike),
// the same strings and numbers (floats bit for bit), object members in the same order; else what
// differs first and at which JSON pointer.
inline std::string JsonDifference(const nlohmann::json& ref, const JsonValue& own,
                                  const std::string& at = "") {
  const std::string where = at.empty() ? "/" : at;
  if (static_cast<int>(ref.type()) != static_cast<int>(own.type())) {
    return where + ": type " + std::to_string(static_cast<int>(own.type())) + ", nlohmann's " +
           std::to_string(static_cast<int>(ref.type()));
  }
  switch (ref.type()) {
    case nlohmann::json::value_t::object: {
      if (ref.size() != own.size()) return where + ": member count differs";
      auto o = own.begin();
      for (auto r = ref.begin(); r != ref.end(); ++r, ++o) {
        if (r.key() != o.key())
          return where + ": key \"" + o.key() + "\", nlohmann's \"" + r.key() + "\"";
        std::string d = JsonDifference(*r, *o, at + "/" + r.key());
        if (!d.empty()) return d;
      }
      return "";
    }
    case nlohmann::json::value_t::array: {
      if (ref.size() != own.size()) return where + ": element count differs";
      for (size_t i = 0; i < ref.size(); ++i) {
        std::string d = JsonDifference(ref[i], own[i], at + "/" + std::to_string(i));
        if (!d.empty()) return d;
      }
      return "";
    }
    case nlohmann::json::value_t::string:
      return ref.get_ref<const std::string&>() == own.get_ref<const std::string&>()
                 ? ""
                 : where + ": string differs";
    case nlohmann::json::value_t::boolean:
      return ref.get<bool>() == own.get<bool>() ? "" : where + ": boolean differs";
    case nlohmann::json::value_t::number_integer:
      return ref.get<int64_t>() == own.get<int64_t>() ? "" : where + ": integer differs";
    case nlohmann::json::value_t::number_unsigned:
      return ref.get<uint64_t>() == own.get<uint64_t>() ? "" : where + ": unsigned differs";
    case nlohmann::json::value_t::number_float: {
      const double a = ref.get<double>();
      const double b = own.get<double>();
      return std::memcmp(&a, &b, sizeof a) == 0 ? "" : where + ": float differs";
    }
    default:
      return "";
  }
}

// What a definitions file's error message keeps of a syntax error (definition.cc, SyntaxError):
// the text after " - " up to ';', or "syntax error".
inline std::string SyntaxReason(const std::string& what) {
  size_t at = what.find("syntax error");
  at = at == std::string::npos ? at : what.find(" - ", at);
  if (at == std::string::npos) return "syntax error";
  return what.substr(at + 3, what.find(';', at) - at - 3);
}

// "" when both parsers agree on `text`: both accept it with the same DOM and number the same
// values for `order`, or both refuse it at the same position, with the same token length and
// the same reason. Else what differs.
inline std::string ParseDifference(std::string_view text, const PointerOrder& order = {}) {
  JsonSyntaxError ref_syntax, own_syntax;
  PointerOrder ref_order = order, own_order = order;
  const nlohmann::json ref =
      ParseJson(text.data(), text.data() + text.size(), &ref_syntax, &ref_order);
  JsonValue own;
  const bool too_deep = JsonTooDeepAt(text) != std::string_view::npos;
  const bool ok = !too_deep && ParseJsonValue(text.data(), text.data() + text.size(), &own,
                                              &own_syntax, &own_order);
  if (too_deep) return "";  // ParseJson refuses it before either parser runs
  if (ref.is_discarded() != !ok) {
    return ok ? "accepted, nlohmann refused: " + ref_syntax.what
              : "refused (" + own_syntax.what + "), nlohmann accepted";
  }
  if (ok) {
    std::string d = JsonDifference(ref, own);
    if (!d.empty()) return d;
    if (ref_order != own_order) return "order numbers differ";
    return "";
  }
  const std::string ref_reason = SyntaxReason(ref_syntax.what);
  const std::string own_reason = SyntaxReason(own_syntax.what);
  if (ref_syntax.position != own_syntax.position || ref_reason != own_reason) {
    return "refused at " + std::to_string(own_syntax.position) + " (" + own_reason +
           "), nlohmann at " + std::to_string(ref_syntax.position) + " (" + ref_reason + ")";
  }
  if ((ref_reason == "unexpected string literal" || ref_reason == "unexpected number literal") &&
      ref_syntax.token_size != own_syntax.token_size) {
    return "token size " + std::to_string(own_syntax.token_size) + ", nlohmann's " +
           std::to_string(ref_syntax.token_size);
  }
  return "";
}

}  // namespace nazar::testing

#endif  // NAZAR_TESTS_SUPPORT_JSON_COMPARE_H_
