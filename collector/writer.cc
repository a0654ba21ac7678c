#include "collector/writer.h"

#include <chrono>
#include <vector>

namespace nazar::collector {

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

void Writer::Run() {
  for (;;) {
    std::vector<Pending> batch;
    {
      std::unique_lock<std::mutex> lock(mu_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping and drained
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
