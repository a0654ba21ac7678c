// Prometheus metrics of the collector's HTTP server: requests by route and status, group commits
// (count, failures, duration and batch size histograms) and the queue depth (GET /metrics).
#ifndef NAZAR_COLLECTOR_METRICS_H_
#define NAZAR_COLLECTOR_METRICS_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <sstream>
#include <string>
#include <utility>

namespace nazar::collector {

// Prometheus metrics of the server.
class Metrics {
 public:
  void Request(const std::string& route, int status) {
    std::lock_guard<std::mutex> lock(mu_);
    ++requests_[{route, status}];
  }
  void Commit(size_t batch, double seconds, bool ok) {
    std::lock_guard<std::mutex> lock(mu_);
    ++commits_;
    if (!ok) ++commit_failures_;
    items_ += batch;
    latency_sum_ += seconds;
    for (size_t i = 0; i < kLatency.size(); ++i) latency_[i] += seconds <= kLatency[i] ? 1 : 0;
    for (size_t i = 0; i < kBatch.size(); ++i) batch_[i] += batch <= kBatch[i] ? 1 : 0;
  }
  std::string Text(size_t queue_depth, size_t streams_open) {
    std::lock_guard<std::mutex> lock(mu_);
    std::ostringstream out;
    out << "# HELP nazar_requests_total HTTP requests by route and status.\n"
           "# TYPE nazar_requests_total counter\n";
    for (const auto& [key, n] : requests_) {
      out << "nazar_requests_total{route=\"" << key.first << "\",status=\"" << key.second << "\"} "
          << n << "\n";
    }
    out << "# HELP nazar_queue_depth Aggregates waiting for a commit.\n"
           "# TYPE nazar_queue_depth gauge\n"
        << "nazar_queue_depth " << queue_depth << "\n";
    out << "# HELP nazar_streams_open Live report streams (GET /v1/stream) open.\n"
           "# TYPE nazar_streams_open gauge\n"
        << "nazar_streams_open " << streams_open << "\n";
    out << "# HELP nazar_commits_total Group commits (failed ones included).\n"
           "# TYPE nazar_commits_total counter\n"
        << "nazar_commits_total " << commits_ << "\n"
        << "# HELP nazar_commit_failures_total Group commits the store refused.\n"
           "# TYPE nazar_commit_failures_total counter\n"
        << "nazar_commit_failures_total " << commit_failures_ << "\n";
    out << "# HELP nazar_commit_seconds Duration of a group commit.\n"
           "# TYPE nazar_commit_seconds histogram\n";
    for (size_t i = 0; i < kLatency.size(); ++i) {
      out << "nazar_commit_seconds_bucket{le=\"" << kLatency[i] << "\"} " << latency_[i] << "\n";
    }
    out << "nazar_commit_seconds_bucket{le=\"+Inf\"} " << commits_ << "\n"
        << "nazar_commit_seconds_sum " << latency_sum_ << "\n"
        << "nazar_commit_seconds_count " << commits_ << "\n";
    out << "# HELP nazar_commit_batch_size Aggregates per group commit.\n"
           "# TYPE nazar_commit_batch_size histogram\n";
    for (size_t i = 0; i < kBatch.size(); ++i) {
      out << "nazar_commit_batch_size_bucket{le=\"" << kBatch[i] << "\"} " << batch_[i] << "\n";
    }
    out << "nazar_commit_batch_size_bucket{le=\"+Inf\"} " << commits_ << "\n"
        << "nazar_commit_batch_size_sum " << items_ << "\n"
        << "nazar_commit_batch_size_count " << commits_ << "\n";
    return out.str();
  }

 private:
  static constexpr std::array<double, 10> kLatency = {0.001, 0.0025, 0.005, 0.01, 0.025,
                                                      0.05,  0.1,    0.25,  0.5,  1};
  static constexpr std::array<size_t, 10> kBatch = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512};
  std::mutex mu_;
  std::map<std::pair<std::string, int>, uint64_t> requests_;
  uint64_t commits_ = 0, commit_failures_ = 0, items_ = 0;
  double latency_sum_ = 0;
  std::array<uint64_t, 10> latency_{};
  std::array<uint64_t, 10> batch_{};
};

}  // namespace nazar::collector

#endif  // NAZAR_COLLECTOR_METRICS_H_
