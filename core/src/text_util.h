// Private text helpers shared by the importer, the report and the pipeline: character classes,
// trimming, and values quoted inside messages. Not part of the public API (core/include).
#ifndef NAZAR_SRC_TEXT_UTIL_H_
#define NAZAR_SRC_TEXT_UTIL_H_

#include <cstdio>
#include <string>
#include <string_view>

#include "nazar/i18n.h"

namespace nazar::text {

// ASCII white space as CSV and NDJSON exports use it (space, tab, CR, LF, form feed).
inline bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f'; }

// `s` without leading and trailing IsBlank() characters.
inline std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsBlank(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsBlank(s.back())) s.remove_suffix(1);
  return s;
}

// True when `s` says nothing: every byte is a space or an ASCII control character (C0 or DEL).
// The one rule for a blank text answer (the session does not count it, so no comment leaves the
// browser) and a blank comment (the collector refuses it).
inline bool SaysNothing(std::string_view s) {
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u > 0x20 && u != 0x7f) return false;
  }
  return true;
}

// True when every byte is ASCII (no digit normalization needed).
inline bool IsAscii(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

// Code points of a value quoted in a message before it is cut.
inline constexpr size_t kMaxQuotedValue = 40;

// A value as shown in a message: in double quotes, with quotes, backslashes and control bytes
// escaped, cut to `max_code_points` (then "..." before the closing quote).
inline std::string Quote(std::string_view value, size_t max_code_points = kMaxQuotedValue) {
  const std::string cut = Utf8Truncate(value, max_code_points);
  std::string out = "\"";
  for (char c : cut) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (u < 0x20 || u == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", u);
      out += buf;
    } else {
      out += c;
    }
  }
  if (cut.size() < value.size()) out += "...";
  out += '"';
  return out;
}

// A column or key name for a message: as it is when short and plain, else Quote()d.
inline std::string Name(std::string_view name) {
  bool plain = !name.empty() && name.size() <= 64;
  for (char c : name) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x21 || c == '"' || c == '\\' || u == 0x7f) plain = false;
  }
  return plain ? std::string(name) : Quote(name);
}

// "1 row" / "3 rows".
inline std::string Plural(long long n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

}  // namespace nazar::text

#endif  // NAZAR_SRC_TEXT_UTIL_H_
