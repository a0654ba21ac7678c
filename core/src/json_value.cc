// JsonValue (nazar/json_value.h) and its parser, which accepts exactly what nlohmann's strict
// parser accepts and builds the same DOM (tests/fuzz/fuzz_json_value.cc compares them), reporting a
// syntax error the way ParseJson's JsonSyntaxError does with nlohmann.
#include "nazar/json_value.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <string>

#include "json_writer.h"
#include "nazar/hex.h"
#include "nazar/i18n.h"
#include "nazar/json.h"

namespace nazar {

void JsonValue::Trap() { __builtin_trap(); }

JsonValue::JsonValue(value_t type) : type_(type) {
  if (type == value_t::object) {
    v_.o = new Object();
  } else if (type == value_t::array) {
    v_.a = new Array();
  } else if (type == value_t::string) {
    v_.s = new std::string();
  }
}

JsonValue::JsonValue(std::string s) : type_(value_t::string) {
  v_.s = new std::string(std::move(s));
}

JsonValue::JsonValue(const char* s) : type_(value_t::string) { v_.s = new std::string(s); }

JsonValue::JsonValue(std::string_view s) : type_(value_t::string) { v_.s = new std::string(s); }

JsonValue::JsonValue(Array a) : type_(value_t::array) { v_.a = new Array(std::move(a)); }

JsonValue::JsonValue(std::initializer_list<JsonValue> init) {
  bool pairs = true;
  for (const JsonValue& e : init) {
    pairs = pairs && e.is_array() && e.size() == 2 && e.At(0).is_string();
  }
  if (pairs) {
    *this = JsonValue(value_t::object);
    for (const JsonValue& e : init) emplace(e.At(0).get<std::string>(), e.At(1));
  } else {
    *this = JsonValue(Array(init));
  }
}

JsonValue JsonValue::parse(std::string_view text, std::nullptr_t, bool allow_exceptions) {
  JsonValue out;
  if (JsonTooDeepAt(text) != std::string_view::npos ||
      !ParseJsonValue(text.data(), text.data() + text.size(), &out, nullptr, nullptr)) {
    if (allow_exceptions) Trap();
    return JsonValue(value_t::discarded);
  }
  return out;
}

std::string JsonValue::dump() const {
  JsonWriter w;
  WriteJson(*this, &w);
  return w.Take();
}

std::string JsonValue::value(std::string_view key, const char* fallback) const {
  auto it = find(key);
  return it != end() ? it->get<std::string>() : std::string(fallback);
}

JsonValue::JsonValue(const JsonValue& o) : type_(o.type_), v_(o.v_) {
  if (type_ == value_t::object) {
    v_.o = new Object(*o.v_.o);
  } else if (type_ == value_t::array) {
    v_.a = new Array(*o.v_.a);
  } else if (type_ == value_t::string) {
    v_.s = new std::string(*o.v_.s);
  }
}

void JsonValue::Destroy() {
  if (type_ == value_t::object) {
    delete v_.o;
  } else if (type_ == value_t::array) {
    delete v_.a;
  } else if (type_ == value_t::string) {
    delete v_.s;
  }
}

namespace {

template <class T>
T Convert(JsonValue::value_t type, const JsonValue::Storage& v) {
  switch (type) {
    case JsonValue::value_t::number_integer:
      return static_cast<T>(v.i);
    case JsonValue::value_t::number_unsigned:
      return static_cast<T>(v.u);
    case JsonValue::value_t::number_float:
      return static_cast<T>(v.d);
    case JsonValue::value_t::boolean:
      return static_cast<T>(v.b);
    default:
      __builtin_trap();
  }
}

}  // namespace

double JsonValue::AsDouble() const { return Convert<double>(type_, v_); }
int64_t JsonValue::AsInt64() const { return Convert<int64_t>(type_, v_); }
uint64_t JsonValue::AsUint64() const { return Convert<uint64_t>(type_, v_); }

const char* JsonValue::type_name() const {
  static const char* const kNames[] = {"null",   "object", "array",  "string", "boolean",
                                       "number", "number", "number", "binary", "discarded"};
  return kNames[static_cast<int>(type_)];
}

size_t JsonValue::size() const {
  switch (type_) {
    case value_t::null:
      return 0;
    case value_t::object:
      return v_.o->size();
    case value_t::array:
      return v_.a->size();
    default:
      return 1;
  }
}

JsonValue& JsonValue::At(size_t i) {
  if (type_ == value_t::object) return (*v_.o)[i].value;
  if (type_ == value_t::array) return (*v_.a)[i];
  return *this;  // nlohmann's iterator over a primitive visits the value itself
}

const std::string& JsonValue::KeyAt(size_t i) const {
  if (type_ != value_t::object) Trap();
  return (*v_.o)[i].key;
}

namespace {

// The first member whose key is not less than `key`.
JsonValue::Object::iterator LowerBound(JsonValue::Object& o, std::string_view key) {
  return std::lower_bound(o.begin(), o.end(), key,
                          [](const JsonValue::Member& m, std::string_view k) { return m.key < k; });
}

// Inserts `m` at index `at` by hand (appended, then moved down one place at a time):
// vector::insert's general code weighed 0.8 KB in the widget's wasm module. An insert is rare
// (building a response, a pointer's member), and objects are small.
JsonValue& InsertAt(JsonValue::Object& o, size_t at, JsonValue::Member m) {
  o.push_back(std::move(m));
  for (size_t i = o.size() - 1; i > at; --i) std::swap(o[i], o[i - 1]);
  return o[at].value;
}

}  // namespace

JsonValue::iterator JsonValue::find(std::string_view key) {
  if (type_ != value_t::object) return end();
  auto it = LowerBound(*v_.o, key);
  if (it == v_.o->end() || it->key != key) return end();
  return iterator(this, static_cast<size_t>(it - v_.o->begin()));
}

JsonValue::const_iterator JsonValue::find(std::string_view key) const {
  return const_cast<JsonValue*>(this)->find(key);
}

JsonValue& JsonValue::operator[](std::string_view key) {
  if (type_ == value_t::null) *this = JsonValue(value_t::object);
  if (type_ != value_t::object) Trap();
  auto it = LowerBound(*v_.o, key);
  if (it != v_.o->end() && it->key == key) return it->value;
  return InsertAt(*v_.o, static_cast<size_t>(it - v_.o->begin()), Member{std::string(key), {}});
}

const JsonValue& JsonValue::operator[](std::string_view key) const {
  static const JsonValue kNull;
  auto it = find(key);
  return it != end() ? *it : kNull;
}

JsonValue& JsonValue::operator[](size_t i) {
  if (type_ == value_t::null) *this = JsonValue(value_t::array);
  if (type_ != value_t::array) Trap();
  if (i >= v_.a->size()) v_.a->resize(i + 1);
  return (*v_.a)[i];
}

void JsonValue::push_back(JsonValue v) {
  if (type_ == value_t::null) *this = JsonValue(value_t::array);
  if (type_ != value_t::array) Trap();
  v_.a->push_back(std::move(v));
}

bool JsonValue::emplace(std::string key, JsonValue v) {
  if (type_ == value_t::null) *this = JsonValue(value_t::object);
  if (type_ != value_t::object) Trap();
  auto it = LowerBound(*v_.o, key);
  if (it != v_.o->end() && it->key == key) return false;
  InsertAt(*v_.o, static_cast<size_t>(it - v_.o->begin()), Member{std::move(key), std::move(v)});
  return true;
}

size_t JsonValue::erase(std::string_view key) {
  if (type_ != value_t::object) return 0;
  auto it = LowerBound(*v_.o, key);
  if (it == v_.o->end() || it->key != key) return 0;
  v_.o->erase(it);
  return 1;
}

bool operator==(const JsonValue& a, const JsonValue& b) {
  using T = JsonValue::value_t;
  if (a.type_ != b.type_) {
    // Numbers of different kinds compare by value, as nlohmann's operator== does.
    if (!a.is_number() || !b.is_number()) return false;
    if (a.is_number_float() || b.is_number_float()) return a.get<double>() == b.get<double>();
    const JsonValue& s = a.type_ == T::number_integer ? a : b;  // signed
    const JsonValue& u = a.type_ == T::number_integer ? b : a;  // unsigned
    return s.v_.i == static_cast<int64_t>(u.v_.u);
  }
  switch (a.type_) {
    case T::object: {
      const JsonValue::Object& x = *a.v_.o;
      const JsonValue::Object& y = *b.v_.o;
      if (x.size() != y.size()) return false;
      for (size_t i = 0; i < x.size(); ++i) {
        if (x[i].key != y[i].key || x[i].value != y[i].value) return false;
      }
      return true;
    }
    case T::array:
      return *a.v_.a == *b.v_.a;
    case T::string:
      return *a.v_.s == *b.v_.s;
    case T::boolean:
      return a.v_.b == b.v_.b;
    case T::number_integer:
      return a.v_.i == b.v_.i;
    case T::number_unsigned:
      return a.v_.u == b.v_.u;
    case T::number_float:
      return a.v_.d == b.v_.d;
    case T::null:
      return true;
    default:  // discarded and binary values equal nothing, as in nlohmann
      return false;
  }
}

namespace {

// A recursive-descent parser with nlohmann's lexer rules: a UTF-8 byte order mark may open the
// text; whitespace is space, tab, LF and CR; strings must be valid UTF-8 with no raw control
// characters and only JSON's escapes (a surrogate pair in \u escapes or none); numbers follow
// RFC 8259 and a float that overflows is an error. Depth is bounded by the caller (ParseJson
// refuses more than kMaxJsonDepth levels first), so the recursion is too.
class Parser {
 public:
  Parser(const char* first, const char* last, JsonSyntaxError* syntax, PointerOrder* order)
      : begin_(first), p_(first), end_(last), syntax_(syntax), order_(order) {}

  bool Parse(JsonValue* out) {
    if (p_ != end_ && static_cast<unsigned char>(*p_) == 0xEF) {
      if (end_ - p_ < 3 || static_cast<unsigned char>(p_[1]) != 0xBB ||
          static_cast<unsigned char>(p_[2]) != 0xBF) {
        // nlohmann reads the BOM's bytes one by one up to the first wrong one.
        size_t wrong = 1;
        while (wrong < 3 && p_ + wrong < end_ &&
               static_cast<unsigned char>(p_[wrong]) == (wrong == 1 ? 0xBB : 0xBF)) {
          ++wrong;
        }
        return LexError(static_cast<size_t>(wrong + 1),
                        [] { return "invalid BOM; must be 0xEF 0xBB 0xBF if given"; });
      }
      p_ += 3;
    }
    if (!Value(out)) return false;
    if (Next() != kEnd) return Unexpected("end of input");
    return true;
  }

 private:
  enum Token {
    kBeginArray,
    kBeginObject,
    kEndArray,
    kEndObject,
    kColon,
    kComma,
    kTrue,
    kFalse,
    kNull,
    kString,
    kNumber,
    kEnd,
    kError
  };

  // Reads the next token into tok_ (its bytes [tok_start_, p_)); a lexical error has been
  // reported when kError is returned.
  Token Next() {
    while (p_ != end_ && (*p_ == ' ' || *p_ == '\t' || *p_ == '\n' || *p_ == '\r')) ++p_;
    tok_start_ = p_;
    // nlohmann's lexer takes a NUL byte for the end of input (left unread, like the end itself).
    if (p_ == end_ || *p_ == '\0') return tok_ = kEnd;
    const char c = *p_++;
    switch (c) {
      case '[':
        return tok_ = kBeginArray;
      case ']':
        return tok_ = kEndArray;
      case '{':
        return tok_ = kBeginObject;
      case '}':
        return tok_ = kEndObject;
      case ':':
        return tok_ = kColon;
      case ',':
        return tok_ = kComma;
      case 't':
        return tok_ = Literal("rue", kTrue);
      case 'f':
        return tok_ = Literal("alse", kFalse);
      case 'n':
        return tok_ = Literal("ull", kNull);
      case '"':
        return tok_ = String();
      default:
        if (c == '-' || (c >= '0' && c <= '9')) {
          --p_;
          return tok_ = Number();
        }
        LexError(Read(), [] { return "invalid literal"; });
        return tok_ = kError;
    }
  }

  // Bytes read so far, counting the end of input as one more (nlohmann's chars_read_total).
  size_t Read() const { return static_cast<size_t>(p_ - begin_); }

  Token Literal(const char* rest, Token t) {
    for (; *rest != '\0'; ++rest, ++p_) {
      if (p_ == end_ || *p_ != *rest) {
        LexError(Read() + 1, [] { return "invalid literal"; });
        return kError;
      }
    }
    return t;
  }

  // Four hex digits after "\u", or -1 (reported).
  int32_t Escape4() {
    int32_t cp = 0;
    for (int k = 0; k < 4; ++k, ++p_) {
      const int h = p_ == end_ ? -1 : HexDigit(*p_);
      if (h < 0) {
        LexError(Read() + 1,
                 [] { return "invalid string: '\\u' must be followed by 4 hex digits"; });
        return -1;
      }
      cp = cp * 16 + h;
    }
    return cp;
  }

  // The length of the well-formed UTF-8 sequence at p_, or 0 with bad_ set to the index of the
  // first byte out of range (nlohmann reports that byte, having read it).
  size_t Utf8Length() {
    const auto at = [&](size_t k) {
      return p_ + k < end_ ? static_cast<unsigned char>(p_[k]) : 0x100u;
    };
    int continuation = 0;
    unsigned char lo = 0, hi = 0;
    if (!Utf8LeadByte(static_cast<unsigned char>(*p_), &continuation, &lo, &hi)) return 0;
    for (int k = 1; k <= continuation; ++k) {
      const unsigned c = at(static_cast<size_t>(k));
      if (c < (k == 1 ? lo : 0x80u) || c > (k == 1 ? hi : 0xBFu)) {
        bad_ = static_cast<size_t>(k);
        return 0;
      }
    }
    return static_cast<size_t>(continuation) + 1;
  }

  // nlohmann's words for a raw control character in a string: "invalid string: control character
  // U+000A (LF) must be escaped to \u000A or \n".
  static std::string ControlMessage(unsigned char c) {
    static const char kNames[] =
        "NUL\0SOH\0STX\0ETX\0EOT\0ENQ\0ACK\0BEL\0BS\0HT\0LF\0VT\0FF\0CR\0SO\0SI\0DLE\0DC1\0"
        "DC2\0DC3\0DC4\0NAK\0SYN\0ETB\0CAN\0EM\0SUB\0ESC\0FS\0GS\0RS\0US";
    static const char kShort[] = "btnvfr";  // after \ for 0x08-0x0D, 'v' standing for none
    const char* name = kNames;
    for (unsigned i = 0; i < c; ++i) name += std::char_traits<char>::length(name) + 1;
    const char hex[] = {'0', '0', "0123456789ABCDEF"[c >> 4], "0123456789ABCDEF"[c & 15], '\0'};
    std::string out = std::string("invalid string: control character U+") + hex + " (" + name +
                      ") must be escaped to \\u" + hex;
    if (c >= 0x08 && c <= 0x0D && kShort[c - 8] != 'v') {
      out += " or \\";
      out += kShort[c - 8];
    }
    return out;
  }

  Token String() {
    str_.clear();
    for (;;) {
      if (p_ == end_) {
        LexError(Read() + 1, [] { return "invalid string: missing closing quote"; });
        return kError;
      }
      const unsigned char c = static_cast<unsigned char>(*p_);
      if (c == '"') {
        ++p_;
        return kString;
      }
      if (c == '\\') {
        ++p_;
        const bool at_end = p_ == end_;
        const char e = at_end ? '\0' : *p_++;
        switch (e) {
          case '"':
          case '\\':
          case '/':
            str_.push_back(e);
            break;
          case 'b':
            str_.push_back('\b');
            break;
          case 'f':
            str_.push_back('\f');
            break;
          case 'n':
            str_.push_back('\n');
            break;
          case 'r':
            str_.push_back('\r');
            break;
          case 't':
            str_.push_back('\t');
            break;
          case 'u': {
            int32_t cp = Escape4();
            if (cp < 0) return kError;
            if (cp >= 0xD800 && cp <= 0xDBFF) {
              // nlohmann reads '\\' and 'u' one by one and stops at the first wrong byte.
              int32_t low = -1;
              if (p_ != end_ && *p_ == '\\') {
                ++p_;
                if (p_ != end_ && *p_ == 'u') {
                  ++p_;
                  low = Escape4();
                  if (low < 0) return kError;
                }
              }
              if (low < 0xDC00 || low > 0xDFFF) {
                LexError(low < 0 ? Read() + 1 : Read(), [] {
                  return "invalid string: surrogate U+D800..U+DBFF must be followed by "
                         "U+DC00..U+DFFF";
                });
                return kError;
              }
              cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
            } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
              LexError(Read(), [] {
                return "invalid string: surrogate U+DC00..U+DFFF must follow U+D800..U+DBFF";
              });
              return kError;
            }
            AppendUtf8(static_cast<uint32_t>(cp), &str_);
            break;
          }
          default:
            LexError(Read() + (at_end ? 1 : 0),
                     [] { return "invalid string: forbidden character after backslash"; });
            return kError;
        }
        continue;
      }
      if (c < 0x20) {
        ++p_;
        LexError(Read(), [&] { return ControlMessage(c); });
        return kError;
      }
      if (c < 0x80) {
        str_.push_back(static_cast<char>(c));
        ++p_;
        continue;
      }
      bad_ = 0;
      const size_t n = Utf8Length();
      if (n == 0) {
        const size_t read = Read() + bad_ + 1;
        LexError(read, [] { return "invalid string: ill-formed UTF-8 byte"; });
        return kError;
      }
      str_.append(p_, n);
      p_ += n;
    }
  }

  Token Number() {
    const char* s = p_;
    const auto digit = [&] { return p_ != end_ && *p_ >= '0' && *p_ <= '9'; };
    bool is_float = false;
    if (*p_ == '-') ++p_;
    if (!digit()) {
      LexError(Read() + 1, [] { return "invalid number; expected digit after '-'"; });
      return kError;
    }
    if (*p_ == '0') {
      ++p_;
    } else {
      while (digit()) ++p_;
    }
    if (p_ != end_ && *p_ == '.') {
      is_float = true;
      ++p_;
      if (!digit()) {
        LexError(Read() + 1, [] { return "invalid number; expected digit after '.'"; });
        return kError;
      }
      while (digit()) ++p_;
    }
    if (p_ != end_ && (*p_ == 'e' || *p_ == 'E')) {
      is_float = true;
      ++p_;
      if (p_ != end_ && (*p_ == '+' || *p_ == '-')) {
        ++p_;
        if (!digit()) {
          LexError(Read() + 1, [] { return "invalid number; expected digit after exponent sign"; });
          return kError;
        }
      } else if (!digit()) {
        LexError(Read() + 1,
                 [] { return "invalid number; expected '+', '-', or digit after exponent"; });
        return kError;
      }
      while (digit()) ++p_;
    }
    num_ = JsonValue();
    if (!is_float) {
      // Whole numbers: unsigned when not negative, signed when negative; a float beyond either.
      const bool negative = *s == '-';
      uint64_t u = 0;
      bool overflow = false;
      for (const char* d = s + (negative ? 1 : 0); d != p_; ++d) {
        const uint64_t digit_value = static_cast<uint64_t>(*d - '0');
        if (u > (UINT64_MAX - digit_value) / 10) {
          overflow = true;
          break;
        }
        u = u * 10 + digit_value;
      }
      if (!overflow && !negative) {
        num_ = JsonValue(u);
        return kNumber;
      }
      if (!overflow && u <= static_cast<uint64_t>(INT64_MAX) + 1) {
        num_ = JsonValue(static_cast<int64_t>(0 - u));
        return kNumber;
      }
    }
    const std::string text(s, p_);
    num_ = JsonValue(std::strtod(text.c_str(), nullptr));
    return kNumber;
  }

  // `message()` says what is wrong. A lambda, and out of line, so that the text is in no
  // function a valid document runs: the widget's first part (web/split.mjs) leaves it out.
  template <class Message>
  [[gnu::noinline]] bool LexError(size_t position, Message message) {
    if (syntax_ != nullptr) {
      syntax_->position = position;
      syntax_->token_size = static_cast<size_t>(p_ - tok_start_);
      syntax_->what = std::string("syntax error while parsing value - ") + message();
    }
    return false;
  }

  // The token just read is not one the grammar allows here.
  bool Unexpected(const char* expected) {
    static const char* const kNames[] = {"'['",
                                         "'{'",
                                         "']'",
                                         "'}'",
                                         "':'",
                                         "','",
                                         "true literal",
                                         "false literal",
                                         "null literal",
                                         "string literal",
                                         "number literal",
                                         "end of input"};
    if (tok_ == kError) return false;  // reported by the lexer
    if (syntax_ != nullptr) {
      syntax_->position = Read() + (tok_ == kEnd ? 1 : 0);
      syntax_->token_size = static_cast<size_t>(p_ - tok_start_);
      syntax_->what = std::string("syntax error while parsing value - unexpected ") + kNames[tok_] +
                      "; expected " + expected;
    }
    return false;
  }

  // Numbers the value about to start, as DomSax does (nazar/json.h, ParseJson's `order`).
  void Rank(size_t base, bool in_array, size_t* index) {
    if (order_ == nullptr) return;
    if (in_array) {
      path_.resize(base);
      path_ += '/';
      path_ += std::to_string((*index)++);
    }
    order_->Reach(path_, count_++);
  }

  // One value whose first token is next; `base`/`in_array`/`index` place it for `order`.
  bool Value(JsonValue* out, size_t base = 0, bool in_array = false, size_t* index = nullptr) {
    const Token t = Next();
    if (t != kEnd && t != kError) Rank(base, in_array, index);
    switch (t) {
      case kTrue:
      case kFalse:
        *out = JsonValue(t == kTrue);
        return true;
      case kNull:
        *out = JsonValue();
        return true;
      case kString:
        *out = JsonValue(std::move(str_));
        str_ = std::string();
        return true;
      case kNumber:
        if (num_.is_number_float() && !std::isfinite(num_.get<double>())) {
          if (syntax_ != nullptr) {
            *syntax_ = {Read(), static_cast<size_t>(p_ - tok_start_),
                        "number overflow parsing '" + std::string(tok_start_, p_) + "'"};
          }
          return false;
        }
        *out = std::move(num_);
        return true;
      case kBeginArray:
        return ArrayRest(out);
      case kBeginObject:
        return ObjectRest(out);
      default:
        return Unexpected("'[', '{', or a literal");
    }
  }

  bool ArrayRest(JsonValue* out) {
    *out = JsonValue(JsonValue::value_t::array);
    JsonValue::Array& a = out->array_ref();
    const size_t base = path_.size();
    size_t index = 0;
    const char* save = p_;
    if (Next() == kEndArray) return true;
    p_ = save;
    for (;;) {
      a.emplace_back();
      if (!Value(&a.back(), base, true, &index)) return false;
      const Token t = Next();
      if (t == kEndArray) break;
      if (t != kComma) return Unexpected("']'");
    }
    path_.resize(base);
    return true;
  }

  bool ObjectRest(JsonValue* out) {
    *out = JsonValue(JsonValue::value_t::object);
    JsonValue::Object& o = out->object_ref();
    const size_t base = path_.size();
    bool sorted = true;
    Token t = Next();
    if (t == kEndObject) return true;
    for (;;) {
      if (t != kString) return Unexpected("string literal");
      if (order_ != nullptr) {
        path_.resize(base);
        json_internal::AppendPointerToken(&path_, str_);
      }
      std::string key = std::move(str_);
      str_ = std::string();
      if (Next() != kColon) return Unexpected("':'");
      JsonValue value;
      if (!Value(&value, path_.size())) return false;
      // Members arrive in any order, usually sorted already; the object is sorted once at its
      // end when they were not (a binary search and an insert per member was O(n^2): 11 s for
      // 80,000 keys in reverse order).
      sorted = sorted && (o.empty() || o.back().key < key);
      o.push_back({std::move(key), std::move(value)});
      t = Next();
      if (t == kEndObject) break;
      if (t != kComma) return Unexpected("'}'");
      t = Next();
    }
    if (!sorted) SortMembers(&o);
    path_.resize(base);
    return true;
  }

  // Sorts members by key, a repeated key keeping its last value (nlohmann's DOM builder): a
  // stable bottom-up merge sort, O(n log n), then the last member of each run of equal keys.
  // By hand: std::stable_sort cost 2.8 KB of wasm (bench/wasm_functions.mjs).
  static void SortMembers(JsonValue::Object* o) {
    const size_t n = o->size();
    JsonValue::Object merged;
    for (size_t width = 1; width < n; width *= 2) {
      merged.clear();
      merged.reserve(n);
      for (size_t lo = 0; lo < n; lo += 2 * width) {
        const size_t mid = std::min(lo + width, n);
        const size_t hi = std::min(lo + 2 * width, n);
        for (size_t i = lo, j = mid; i < mid || j < hi;) {
          // An equal key from the right run waits: the left one arrived first.
          const bool right = j < hi && (i == mid || (*o)[j].key < (*o)[i].key);
          merged.push_back(std::move((*o)[right ? j++ : i++]));
        }
      }
      o->swap(merged);
    }
    size_t kept = 0;
    for (size_t r = 0; r < n; ++r) {
      if (r + 1 < n && (*o)[r + 1].key == (*o)[r].key) continue;  // a later value of the key
      if (kept != r) (*o)[kept] = std::move((*o)[r]);
      ++kept;
    }
    o->erase(o->begin() + static_cast<std::ptrdiff_t>(kept), o->end());
  }

  const char* begin_;
  const char* p_;
  const char* end_;
  const char* tok_start_ = nullptr;
  JsonSyntaxError* syntax_;
  PointerOrder* order_;
  Token tok_ = kEnd;
  std::string str_;
  JsonValue num_;
  size_t bad_ = 0;
  std::string path_;
  size_t count_ = 0;
};

}  // namespace

bool ParseJsonValue(const char* first, const char* last, JsonValue* out, JsonSyntaxError* syntax,
                    PointerOrder* order) {
  Parser parser(first, last, syntax, order);
  return parser.Parse(out);
}

}  // namespace nazar
