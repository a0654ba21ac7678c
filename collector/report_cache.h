// Reports of live streams, shared by every stream of one query: fifty dashboards on the same
// view cost one report build per change of their survey, not fifty.
#ifndef NAZAR_COLLECTOR_REPORT_CACHE_H_
#define NAZAR_COLLECTOR_REPORT_CACHE_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "nazar/report.h"
#include "nazar/result.h"

namespace nazar::collector {

// A report as a stream sends it.
struct LiveReport {
  std::string json;   // Contract 4, exactly as GET /v1/report answers the same query
  int64_t id = 0;     // the event id: overall completions, 0 while the overall is suppressed
  LiveCounts counts;  // what the step is taken on (core LiveCountsOf)
};

class ReportCache {
 public:
  // Keeps the reports of at most `max_keys` queries (the least recently asked go first).
  explicit ReportCache(size_t max_keys = 64) : max_keys_(max_keys) {}

  // The report of the query `key` as of the survey's StreamHub version `version` or later: the
  // one kept when it is that recent, else `build`'s (kept when it succeeds). One build per key
  // at a time: streams asking meanwhile wait for it and share it.
  Result<std::shared_ptr<const LiveReport>> Get(const std::string& key, uint64_t version,
                                                const std::function<Result<LiveReport>()>& build);

 private:
  struct Slot {
    std::mutex build_mu;  // held while building; guards report and version
    std::shared_ptr<const LiveReport> report;
    uint64_t version = 0;
    uint64_t used = 0;  // when last asked, in Get calls
  };
  const size_t max_keys_;
  std::mutex mu_;
  uint64_t clock_ = 0;
  std::map<std::string, std::shared_ptr<Slot>> slots_;
};

}  // namespace nazar::collector

#endif  // NAZAR_COLLECTOR_REPORT_CACHE_H_
