#include "collector/report_cache.h"

namespace nazar::collector {

Result<std::shared_ptr<const LiveReport>> ReportCache::Get(
    const std::string& key, uint64_t version, const std::function<Result<LiveReport>()>& build) {
  std::shared_ptr<Slot> slot;
  {
    std::lock_guard<std::mutex> lock(mu_);
    std::shared_ptr<Slot>& found = slots_[key];
    if (!found) found = std::make_shared<Slot>();
    found->used = ++clock_;
    slot = found;
    while (slots_.size() > max_keys_) {
      auto oldest = slots_.begin();
      for (auto it = slots_.begin(); it != slots_.end(); ++it) {
        if (it->second->used < oldest->second->used) oldest = it;
      }
      slots_.erase(oldest);  // a stream still building in it keeps its own reference
    }
  }
  std::lock_guard<std::mutex> building(slot->build_mu);
  if (slot->report && slot->version >= version) return slot->report;
  Result<LiveReport> built = build();
  if (!built.ok()) return built.status();
  slot->report = std::make_shared<const LiveReport>(std::move(built).value());
  slot->version = version;
  return slot->report;
}

}  // namespace nazar::collector
