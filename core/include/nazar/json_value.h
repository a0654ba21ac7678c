// JsonValue: the JSON DOM of the widget's wasm module (nazar-core.wasm), in place of
// nlohmann::json there. It offers the part of nlohmann's interface the core uses, with the same
// meaning (object members sorted by key, a non-negative integer is number_unsigned, a wrong-type
// get traps), so that the core compiles unchanged against either: nazar/json.h picks this one when
// NAZAR_OWN_JSON is defined. Why: nlohmann's templates were a third of the widget module's code
// (bench/wasm_functions.mjs); this type and its parser are a fraction of that, and every page
// that shows a survey downloads the module. nlohmann stays the core's JSON everywhere else (the
// CLI, the collector, the analyze page, native tests), and it is the reference this type is
// tested against: tests/core/json_value_test.cc, the core suites built with this type
// (nazar_core_own_json_tests) and the differential fuzzer tests/fuzz/fuzz_json_value.cc.
//
// Where nlohmann aborts (built without exceptions) on a misuse the core never makes, this type
// answers instead: a const [key] of a non-object or a missing key and a const [i] past the end
// give null (a const [i] of an object its i-th member), value() of a non-object its fallback, a
// boolean's get<int64_t>/get<double> 0 or 1; the key() of an array's item traps where nlohmann
// gives "0", "1", ...; push_back({...}) onto an object traps where nlohmann inserts the pair as a
// member. The core checks a value's type before each of these.
#ifndef NAZAR_JSON_VALUE_H_
#define NAZAR_JSON_VALUE_H_

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace nazar {

class JsonValue {
 public:
  // nlohmann's value_t, in its order.
  enum class value_t : uint8_t {
    null,
    object,
    array,
    string,
    boolean,
    number_integer,
    number_unsigned,
    number_float,
    binary,
    discarded
  };
  struct Member;
  using Array = std::vector<JsonValue>;
  using Object = std::vector<Member>;  // sorted by key, keys unique
  using number_integer_t = int64_t;
  using number_unsigned_t = uint64_t;
  using number_float_t = double;

  // Walks an array's elements or an object's members' values (nlohmann's iterator).
  template <bool kConst>
  class Iter {
   public:
    using Owner = std::conditional_t<kConst, const JsonValue, JsonValue>;
    Iter(Owner* owner, size_t index) : owner_(owner), index_(index) {}
    operator Iter<true>() const { return Iter<true>(owner_, index_); }  // NOLINT
    Owner& operator*() const { return owner_->At(index_); }
    Owner* operator->() const { return &owner_->At(index_); }
    Owner& value() const { return owner_->At(index_); }
    const std::string& key() const { return owner_->KeyAt(index_); }
    Iter& operator++() {
      ++index_;
      return *this;
    }
    bool operator==(const Iter& o) const { return index_ == o.index_; }
    bool operator!=(const Iter& o) const { return index_ != o.index_; }

   private:
    Owner* owner_;
    size_t index_;
  };
  using iterator = Iter<false>;
  using const_iterator = Iter<true>;

  // for (auto& el : v.items()) el.key(), el.value(): the iterator is its own element.
  template <bool kConst>
  class Items {
   public:
    class It : public Iter<kConst> {
     public:
      explicit It(Iter<kConst> i) : Iter<kConst>(i) {}
      const It& operator*() const { return *this; }
    };
    Items(Iter<kConst> b, Iter<kConst> e) : b_(b), e_(e) {}
    It begin() const { return It(b_); }
    It end() const { return It(e_); }

   private:
    Iter<kConst> b_, e_;
  };

  JsonValue() = default;
  JsonValue(std::nullptr_t) {}  // NOLINT
  JsonValue(value_t type);      // NOLINT: an empty value of that type
  template <class T, std::enable_if_t<std::is_same_v<T, bool>, int> = 0>
  JsonValue(T b) : type_(value_t::boolean) {  // NOLINT
    v_.b = b;
  }
  template <class T, std::enable_if_t<std::is_integral_v<T> && !std::is_same_v<T, bool> &&
                                          !std::is_same_v<T, char>,
                                      int> = 0>
  JsonValue(T n) {  // NOLINT
    if constexpr (std::is_signed_v<T>) {
      type_ = value_t::number_integer;
      v_.i = n;
    } else {
      type_ = value_t::number_unsigned;
      v_.u = n;
    }
  }
  template <class T, std::enable_if_t<std::is_floating_point_v<T>, int> = 0>
  JsonValue(T d) : type_(value_t::number_float) {  // NOLINT
    v_.d = d;
  }
  // Out of line: a literal's std::string is made here, not at each of the many call sites.
  JsonValue(const char* s);                                     // NOLINT
  JsonValue(std::string_view s);                                // NOLINT
  JsonValue(std::string s);                                     // NOLINT
  JsonValue(Array a);                                           // NOLINT
  // An array of the vector's elements (nlohmann's conversion of a compatible array).
  template <class T, std::enable_if_t<!std::is_same_v<T, JsonValue>, int> = 0>
  JsonValue(const std::vector<T>& v) : JsonValue(Array(v.begin(), v.end())) {}  // NOLINT
  // nlohmann's list initialization: {{"key", value}, ...} (every element a pair whose first is a
  // string) is an object, keeping a repeated key's first value; any other list an array.
  JsonValue(std::initializer_list<JsonValue> init);
  JsonValue(const JsonValue& o);
  JsonValue(JsonValue&& o) noexcept : type_(o.type_), v_(o.v_) { o.type_ = value_t::null; }
  JsonValue& operator=(JsonValue o) noexcept {
    Swap(o);
    return *this;
  }
  ~JsonValue() { Destroy(); }

  static JsonValue object() { return JsonValue(value_t::object); }
  static JsonValue array() { return JsonValue(value_t::array); }

  value_t type() const { return type_; }
  bool is_null() const { return type_ == value_t::null; }
  bool is_object() const { return type_ == value_t::object; }
  bool is_array() const { return type_ == value_t::array; }
  bool is_string() const { return type_ == value_t::string; }
  bool is_boolean() const { return type_ == value_t::boolean; }
  bool is_number() const { return is_number_integer() || type_ == value_t::number_float; }
  bool is_number_integer() const {
    return type_ == value_t::number_integer || type_ == value_t::number_unsigned;
  }
  bool is_number_unsigned() const { return type_ == value_t::number_unsigned; }
  bool is_number_float() const { return type_ == value_t::number_float; }
  bool is_discarded() const { return type_ == value_t::discarded; }
  // "null", "object", "array", "string", "boolean", "number", "binary" or "discarded".
  const char* type_name() const;
  bool is_primitive() const { return !is_structured() && !is_discarded(); }
  bool is_structured() const { return is_object() || is_array(); }

  // Numbers convert to any arithmetic type as static_cast would (so does a boolean, which
  // nlohmann converts to int but not to int64_t, uint64_t or double), strings copy; anything
  // else traps, as nlohmann's get() aborts without exceptions.
  template <class T>
  T get() const {
    if constexpr (std::is_same_v<T, std::string>) {
      return get_ref<const std::string&>();
    } else if constexpr (std::is_same_v<T, bool>) {
      if (type_ != value_t::boolean) Trap();
      return v_.b;
    } else {
      static_assert(std::is_arithmetic_v<T>, "JsonValue::get: a number, bool or std::string");
      if constexpr (std::is_floating_point_v<T>) {
        return static_cast<T>(AsDouble());
      } else if constexpr (std::is_signed_v<T>) {
        return static_cast<T>(AsInt64());
      } else {
        return static_cast<T>(AsUint64());
      }
    }
  }
  template <class R>
  R get_ref() const {
    static_assert(std::is_same_v<R, const std::string&>, "JsonValue::get_ref: strings only");
    if (type_ != value_t::string) Trap();
    return *v_.s;
  }
  template <class P>
  P get_ptr() const {
    static_assert(std::is_same_v<P, const std::string*>, "JsonValue::get_ptr: strings only");
    return type_ == value_t::string ? v_.s : nullptr;
  }

  // An array's or object's element count; 0 for null, 1 for any other value.
  size_t size() const;
  bool empty() const { return size() == 0; }

  iterator begin() { return iterator(this, 0); }
  iterator end() { return iterator(this, size()); }
  const_iterator begin() const { return const_iterator(this, 0); }
  const_iterator end() const { return const_iterator(this, size()); }
  const_iterator cbegin() const { return begin(); }
  const_iterator cend() const { return end(); }
  Items<false> items() { return {begin(), end()}; }
  Items<true> items() const { return {begin(), end()}; }

  // The member named `key` of an object, else end().
  iterator find(std::string_view key);
  const_iterator find(std::string_view key) const;
  size_t count(std::string_view key) const { return find(key) != end() ? 1 : 0; }
  bool contains(std::string_view key) const { return find(key) != end(); }

  // An object's member, inserted as null when absent; a null value becomes an object first.
  JsonValue& operator[](std::string_view key);
  JsonValue& operator[](const char* key) { return (*this)[std::string_view(key)]; }
  // An object's member that must exist (a null value when it does not).
  const JsonValue& operator[](std::string_view key) const;
  const JsonValue& operator[](const char* key) const { return (*this)[std::string_view(key)]; }
  // An array's element; the non-const one grows the array with nulls (a null becomes an array).
  JsonValue& operator[](size_t i);
  const JsonValue& operator[](size_t i) const { return At(i); }
  JsonValue& operator[](int i) { return (*this)[static_cast<size_t>(i)]; }
  const JsonValue& operator[](int i) const { return At(static_cast<size_t>(i)); }
  const JsonValue& back() const { return At(size() - 1); }
  JsonValue& back() { return At(size() - 1); }
  const JsonValue& front() const { return At(0); }

  // Appends to an array (a null becomes an empty array first).
  void push_back(JsonValue v);
  // push_back({...}) onto an array as nlohmann reads it: the braces are one value (push_back({})
  // an empty object).
  void push_back(std::initializer_list<JsonValue> init) { push_back(JsonValue(init)); }
  void emplace_back(JsonValue v) { push_back(std::move(v)); }
  // Adds a member unless the object has one of that name (nlohmann's emplace); a null becomes an
  // object first. True when added.
  bool emplace(std::string key, JsonValue v);
  // Removes the member named `key`; how many were removed.
  size_t erase(std::string_view key);

  // nlohmann's conveniences that tests use (the widget module never calls them).
  // The value of `text`; a discarded value when it is not JSON and `allow_exceptions` is false,
  // else a trap (nlohmann's parse aborts when built without exceptions).
  static JsonValue parse(std::string_view text, std::nullptr_t = nullptr,
                         bool allow_exceptions = true);
  std::string dump() const;  // JsonText(*this)
  // The member `key` of an object when present, else `fallback`.
  std::string value(std::string_view key, const char* fallback) const;
  template <class T>
  T value(std::string_view key, const T& fallback) const {
    auto it = find(key);
    return it != end() ? it->template get<T>() : fallback;
  }

  // Deep equality; numbers compare by value across integer, unsigned and float, as nlohmann's
  // (which compares a signed with an unsigned one as int64_t: -1 == 18446744073709551615).
  friend bool operator==(const JsonValue& a, const JsonValue& b);
  friend bool operator!=(const JsonValue& a, const JsonValue& b) { return !(a == b); }

  // Only for the parser and the iterators.
  JsonValue& At(size_t i);
  const JsonValue& At(size_t i) const { return const_cast<JsonValue*>(this)->At(i); }
  const std::string& KeyAt(size_t i) const;
  Array& array_ref() { return *v_.a; }
  Object& object_ref() { return *v_.o; }

 private:
  [[noreturn]] static void Trap();
  // A number (or a boolean) converted as static_cast would; out of line, as every call site
  // would otherwise carry the switch.
  double AsDouble() const;
  int64_t AsInt64() const;
  uint64_t AsUint64() const;
  void Destroy();
  void Swap(JsonValue& o) noexcept {
    std::swap(type_, o.type_);
    std::swap(v_, o.v_);
  }

  value_t type_ = value_t::null;

 public:
  union Storage {
    bool b;
    int64_t i;
    uint64_t u;
    double d;
    std::string* s;
    Array* a;
    Object* o;
  };

 private:
  Storage v_{};
};

struct JsonValue::Member {
  std::string key;
  JsonValue value;
};

}  // namespace nazar

#endif  // NAZAR_JSON_VALUE_H_
