// Out-of-line helpers of nazar/json.h.
#include "nazar/json.h"

#include "json_writer.h"

namespace nazar {

PointerOrder::PointerOrder(std::initializer_list<std::string> pointers)
    : PointerOrder(std::vector<std::string>(pointers)) {}

PointerOrder::PointerOrder(std::vector<std::string> pointers) {
  // An insertion sort, skipping repeats: a few pointers (a definition's errors, at most 100),
  // and std::sort's code would weigh more in the widget's wasm module.
  for (std::string& p : pointers) {
    const size_t at = Index(p);
    if (at < ranks_.size()) continue;
    size_t i = ranks_.size();
    ranks_.emplace_back();
    for (; i > 0 && p < ranks_[i - 1].first; --i) ranks_[i] = std::move(ranks_[i - 1]);
    ranks_[i] = {std::move(p), std::string::npos};
  }
}

size_t PointerOrder::Index(std::string_view pointer) const {
  size_t lo = 0, hi = ranks_.size();
  while (lo < hi) {
    const size_t mid = lo + (hi - lo) / 2;
    if (ranks_[mid].first < pointer) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo < ranks_.size() && ranks_[lo].first == pointer ? lo : ranks_.size();
}

size_t PointerOrder::operator[](std::string_view pointer) const {
  const size_t at = Index(pointer);
  return at < ranks_.size() ? ranks_[at].second : std::string::npos;
}

void PointerOrder::Reach(std::string_view pointer, size_t count) {
  const size_t at = Index(pointer);
  if (at < ranks_.size() && ranks_[at].second == std::string::npos) ranks_[at].second = count;
}

Json JsonObject(std::initializer_list<JsonMember> members) {
  Json out(Json::value_t::object);
  for (const JsonMember& m : members) out.emplace(m.key, std::move(m.value));
  return out;
}

std::string JsonText(const Json& value) {
  JsonWriter w;
  WriteJson(value, &w);
  return w.Take();
}

}  // namespace nazar
