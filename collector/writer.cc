#include "collector/writer.h"

#include <algorithm>
#include <chrono>
#include <iterator>
#include <optional>
#include <utility>
#include <vector>

namespace nazar::collector {
namespace {

// How long the writer may wait for more items before a commit: this share of the last commit's
// duration, and never more than kMaxGather (see Run).
constexpr double kGatherShare = 0.25;
constexpr std::chrono::microseconds kMaxGather(2000);

}  // namespace

Writer::Writer(std::unique_ptr<Store> store, size_t max_batch, CommitObserver observer,
               ChangeObserver* changes)
    : store_(std::move(store)),
      max_batch_(max_batch),
      observer_(std::move(observer)),
      changes_(changes) {
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
  for (;;) {
    std::vector<Pending> batch;
    {
      std::unique_lock<std::mutex> lock(mu_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping and drained
      const size_t target = std::min(expected_, max_batch_);
      if (queue_.size() < target) {
        wake_.wait_for(lock, gather_, [&] { return stopping_ || queue_.size() >= target; });
      }
      while (!queue_.empty() && batch.size() < max_batch_) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    CommitGroup(batch);
  }
}

void Writer::CommitGroup(std::vector<Pending>& batch) {
  std::vector<Ingest> items;
  items.reserve(batch.size());
  for (Pending& p : batch) items.push_back(std::move(p.item));
  const auto answer = [&](size_t begin, size_t end, const Status& error) {
    for (size_t i = begin; i < end; ++i) batch[i].done.set_value(error);
  };
  // Ranges of `items` still to commit, the next on top. Each range is one transaction.
  std::vector<std::pair<size_t, size_t>> todo = {{0, items.size()}};
  std::optional<Status> down;  // set once the store stopped answering: the rest fails at once
  // Failed commits a group may cost: one bad item fails one commit per halving (10 for 512
  // items), so this allows a few; a store failing everything while it answers pings (a full
  // disk) stops splitting here instead of after 2n - 1 commits.
  int failures_left = 32;
  while (!todo.empty()) {
    const auto [begin, end] = todo.back();
    todo.pop_back();
    if (down) {
      answer(begin, end, *down);
      continue;
    }
    std::vector<Ingest> part(std::make_move_iterator(items.begin() + begin),
                             std::make_move_iterator(items.begin() + end));
    const auto start = std::chrono::steady_clock::now();
    Result<std::vector<bool>> result = store_->Commit(part);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const bool ok = result.ok() && result->size() == part.size();
    if (begin == 0 && end == items.size()) {
      // The round's size and the next wait (Run), taken before anyone is answered: what queued
      // meanwhile belongs to this round, and answered clients that come back to the next.
      gather_ =
          std::min(kMaxGather,
                   std::chrono::microseconds(static_cast<int64_t>(seconds * kGatherShare * 1e6)));
      std::lock_guard<std::mutex> lock(mu_);
      expected_ = items.size() + queue_.size();
    }
    if (observer_) observer_(part.size(), seconds, ok);
    if (ok) {
      if (changes_) ReportChanges(part, *result);
      for (size_t i = begin; i < end; ++i) {
        batch[i].done.set_value(static_cast<bool>((*result)[i - begin]));
      }
      continue;
    }
    const Status error =
        result.ok() ? Status(StatusCode::kInternal, "store answered a wrong number of items")
                    : result.status();
    const bool more = end - begin > 1 || !todo.empty();
    if (more && (--failures_left <= 0 || !store_->Ping().ok())) {
      down = error;  // not an item's fault: no retry waits for a store that is gone
    } else if (end - begin > 1) {
      // The store answers, so something in this range made the transaction fail: its halves
      // are committed apart, down to the one item that fails alone.
      std::move(part.begin(), part.end(), items.begin() + begin);
      const size_t mid = begin + (end - begin) / 2;
      todo.push_back({mid, end});
      todo.push_back({begin, mid});
      continue;
    }
    answer(begin, end, error);
  }
}

void Writer::ReportChanges(const std::vector<Ingest>& part, const std::vector<bool>& duplicate) {
  std::map<std::string, int64_t> answers;
  for (size_t i = 0; i < part.size(); ++i) {
    if (duplicate[i]) continue;
    for (const Counter& c : part[i].counters) {
      if (c.name == "completions" && c.value > 0) answers[part[i].key.survey] += c.value;
    }
  }
  if (!answers.empty()) changes_->Changed(answers);
}

}  // namespace nazar::collector
