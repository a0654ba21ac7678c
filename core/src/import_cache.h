// Private to the importer: a small index keyed by the bytes of a short cell text. An export's
// date column holds a few hundred distinct days, in any order, across a million rows, and a
// segment column a handful of values: each distinct text is worked out once, then found here.
#ifndef NAZAR_SRC_IMPORT_CACHE_H_
#define NAZAR_SRC_IMPORT_CACHE_H_

#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

namespace nazar::import_internal {

// Text of up to 16 bytes -> a value; open addressing with linear probing. It holds at most
// kMaxEntries texts: storing one more forgets all first, so its memory is fixed.
class ShortTextIndex {
 public:
  static constexpr size_t kMaxBytes = 16;
  static constexpr size_t kMaxEntries = 1024;
  static constexpr bool kLittleEndian =
#if defined(__BYTE_ORDER__) && defined(__ORDER_LITTLE_ENDIAN__)
      __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__;
#else
      false;
#endif

  // The first `n` (at most 8) bytes at `v` as a little-endian word, the bytes past them zero, from
  // one load: 8 bytes must be readable at `v`. Only where kLittleEndian.
  static uint64_t LowWord(const char* v, size_t n) {
    uint64_t word = 0;
    std::memcpy(&word, v, 8);
    return word & (n >= 8 ? ~uint64_t{0} : (uint64_t{1} << (8 * n)) - 1);
  }

  // A text's bytes as two words (with its length, they identify the text), built once for a
  // Find() and the Store() that may follow. `room`: 8 bytes may be read from `text.data()` (it
  // lies inside a larger buffer), so a text under 8 bytes takes one masked load.
  struct Key {
    explicit Key(std::string_view text, bool room = false) : len(text.size()) {
      const size_t n = text.size();
      if (n > kMaxBytes) return;  // never held
      if (n >= 8) {               // two loads that overlap when n < 16
        std::memcpy(&a, text.data(), 8);
        std::memcpy(&b, text.data() + n - 8, 8);
      } else if (room && kLittleEndian) {  // one load, the bytes past the text masked off
        a = LowWord(text.data(), n);
      } else {  // the same word byte by byte: a memcpy of a variable size is a library call
        for (size_t i = 0; i < n; ++i) {
          a |= static_cast<uint64_t>(static_cast<unsigned char>(text[i])) << (8 * i);
        }
      }
    }
    size_t Slot() const {
      uint64_t h = a * 0x9e3779b97f4a7c15ULL + b;  // then fold and spread every bit
      h ^= h >> 32;
      h *= 0xff51afd7ed558ccdULL;
      h ^= h >> 29;
      return static_cast<size_t>(h) & (kSlots - 1);
    }
    uint64_t a = 0, b = 0;
    size_t len;
  };

  // True, with the stored value in *value, when `text` is held.
  bool Find(std::string_view text, int64_t* value) const {
    return text.size() <= kMaxBytes && Find(Key(text), value);
  }
  bool Find(const Key& key, int64_t* value) const {
    if (key.len > kMaxBytes || entries_.empty()) return false;
    for (size_t i = key.Slot();; i = (i + 1) & (kSlots - 1)) {
      const Entry& e = entries_[i];
      if (e.len == kEmpty) return false;
      if (e.len == key.len && e.a == key.a && e.b == key.b) {
        *value = e.value;
        return true;
      }
    }
  }
  // Holds `value` for `text` (not held yet); texts longer than kMaxBytes are not kept.
  void Store(std::string_view text, int64_t value) {
    if (text.size() <= kMaxBytes) Store(Key(text), value);
  }
  void Store(const Key& key, int64_t value) {
    if (key.len > kMaxBytes) return;
    if (entries_.empty() || used_ >= kMaxEntries) {
      entries_.assign(kSlots, Entry());
      used_ = 0;
    }
    size_t i = key.Slot();
    while (entries_[i].len != kEmpty) i = (i + 1) & (kSlots - 1);
    Entry& e = entries_[i];
    e.a = key.a;
    e.b = key.b;
    e.len = static_cast<uint8_t>(key.len);
    e.value = value;
    ++used_;
  }

 private:
  static constexpr size_t kSlots = 2 * kMaxEntries;  // a power of two, at most half full
  static constexpr uint8_t kEmpty = 0xFF;
  struct Entry {
    uint64_t a = 0, b = 0;
    int64_t value = 0;
    uint8_t len = kEmpty;
  };
  std::vector<Entry> entries_;
  size_t used_ = 0;
};

}  // namespace nazar::import_internal

#endif  // NAZAR_SRC_IMPORT_CACHE_H_
