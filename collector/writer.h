// The collector's single writer: group commit over one Store (DESIGN.md Contract 5). Request
// threads enqueue an Ingest and wait; the writer takes everything queued (up to a cap), commits
// it in one Store::Commit and then answers every waiting request. Before a commit it waits
// briefly (at most a quarter of the last commit's duration, at most 2 ms) until as many items
// are queued as the last round had, so clients coming back one by one share one commit. When
// that commit fails while the store still answers (Store::Ping), one item made it fail (data the
// store cannot take): the group is split in halves, each committed apart, so only the item that
// fails alone gets the error (the server's 503; it cannot be told from a store fault, so it is
// not called the client's). When the store does not answer, the whole group fails at once,
// without retries; after 32 failed commits of one group (a store refusing everything), so does
// the rest of it.
#ifndef NAZAR_COLLECTOR_WRITER_H_
#define NAZAR_COLLECTOR_WRITER_H_

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "collector/store.h"
#include "nazar/result.h"

namespace nazar::collector {

// Called after each commit with its size and duration (for /metrics).
using CommitObserver = std::function<void(size_t batch, double seconds, bool ok)>;

// Told what each durable commit added, so live views (GET /v1/stream) can follow the totals.
class ChangeObserver {
 public:
  virtual ~ChangeObserver() = default;
  // Per survey, the answers (completions) of the items that commit added; duplicates add none
  // and surveys that gained none are left out. Called on the writer thread before the commit's
  // requests are answered: it must be quick and must not call the writer.
  virtual void Changed(const std::map<std::string, int64_t>& answers) = 0;
};

class Writer {
 public:
  // Takes the store it alone uses. `max_batch`: the most items one commit takes. `changes`, when
  // given, must outlive the writer.
  Writer(std::unique_ptr<Store> store, size_t max_batch, CommitObserver observer,
         ChangeObserver* changes = nullptr);
  ~Writer();  // Stop()

  // Queues `item` and blocks until its commit: true when its batch id was seen before (a
  // duplicate that added nothing), false when it was added; an error when the commit failed
  // (nothing of it stored) or the writer is stopped.
  Result<bool> Submit(Ingest item);

  // Items waiting for a commit.
  size_t QueueDepth() const;

  // Refuses new items, commits what is queued, answers it and joins the thread. Idempotent.
  void Stop();

 private:
  struct Pending {
    Ingest item;
    std::promise<Result<bool>> done;
  };
  void Run();
  // Commits `batch` (one transaction, split in halves on an item's failure) and answers each.
  void CommitGroup(std::vector<Pending>& batch);
  // Tells changes_ the answers per survey that the items of `part` not marked `duplicate` added.
  void ReportChanges(const std::vector<Ingest>& part, const std::vector<bool>& duplicate);

  std::unique_ptr<Store> store_;
  const size_t max_batch_;
  CommitObserver observer_;
  ChangeObserver* changes_;
  mutable std::mutex mu_;
  std::condition_variable wake_;
  std::deque<Pending> queue_;
  bool stopping_ = false;
  // The writer thread's gathering (Run): items of the last round and the longest wait for them.
  size_t expected_ = 0;
  std::chrono::microseconds gather_{0};
  std::thread thread_;
};

}  // namespace nazar::collector

#endif  // NAZAR_COLLECTOR_WRITER_H_
