#include "collector/writer.h"

#include <algorithm>
#include <chrono>
#include <vector>

namespace nazar::collector {
namespace {

// How long the writer may wait for more items before a commit: this share of the last commit's
// duration, and never more than kMaxGather (see Run).
constexpr double kGatherShare = 0.25;
constexpr std::chrono::microseconds kMaxGather(2000);

}  // namespace

Writer::Writer(std::unique_ptr<Store> store, size_t max_batch, CommitObserver observer)
    : store_(std::move(store)), max_batch_(max_batch), observer_(std::move(observer)) {
  thread_ = std::thread([this] { Run(); });
}

Writer::~Writer() { Stop(); }

Result<bool> Writer::Submit(Ingest item) {
  std::future<Result<bool>> done;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) return Status(StatusCode::kFailedPrecondition, "shutting down");
    queue_.push_back(Pending{std::move(item), {}});
    done = queue_.back().done.get_future();
  }
  wake_.notify_one();
  return done.get();
}

size_t Writer::QueueDepth() const {
  std::lock_guard<std::mutex> lock(mu_);
  return queue_.size();
}

void Writer::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

// Gathering: the clients a commit answers come back one by one, and a commit that started with
// the first of them would leave the rest for the next one (at 16 connections, batches of 1 and
// 15 in turn: two commits, two flushes, for 16 posts). So the writer waits until as many items
// are queued as took part in the last round (the last batch and what queued during its
// commit), for at most a quarter of the last commit's duration: never more than 25% added to a
// commit's latency, and no wait at all while every waiting client is already queued.
void Writer::Run() {
  size_t expected = 0;                  // items of the last round
  std::chrono::microseconds gather(0);  // the longest wait for them
  for (;;) {
    std::vector<Pending> batch;
    {
      std::unique_lock<std::mutex> lock(mu_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping and drained
      const size_t target = std::min(expected, max_batch_);
      if (queue_.size() < target) {
        wake_.wait_for(lock, gather, [&] { return stopping_ || queue_.size() >= target; });
      }
      while (!queue_.empty() && batch.size() < max_batch_) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    std::vector<Ingest> items;
    items.reserve(batch.size());
    for (Pending& p : batch) items.push_back(std::move(p.item));
    const auto start = std::chrono::steady_clock::now();
    Result<std::vector<bool>> result = store_->Commit(items);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const bool ok = result.ok() && result->size() == batch.size();
    gather = std::min(
        kMaxGather, std::chrono::microseconds(static_cast<int64_t>(seconds * kGatherShare * 1e6)));
    {
      std::lock_guard<std::mutex> lock(mu_);
      expected = batch.size() + queue_.size();
    }
    if (observer_) observer_(batch.size(), seconds, ok);
    for (size_t i = 0; i < batch.size(); ++i) {
      if (ok) {
        batch[i].done.set_value(static_cast<bool>((*result)[i]));
      } else {
        batch[i].done.set_value(
            result.ok() ? Status(StatusCode::kInternal, "store answered a wrong number of items")
                        : result.status());
      }
    }
  }
}

}  // namespace nazar::collector
