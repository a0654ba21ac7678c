// Where live streams (GET /v1/stream) learn that a survey's totals grew: the writer reports each
// commit (ChangeObserver), the PostgreSQL ChangeFeed what other processes committed; the hub
// counts answers per survey and wakes the streams of that survey. It never reads the store.
#ifndef NAZAR_COLLECTOR_STREAM_HUB_H_
#define NAZAR_COLLECTOR_STREAM_HUB_H_

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "collector/wakeup.h"
#include "collector/writer.h"

namespace nazar::collector {

class StreamHub : public ChangeObserver {
 public:
  // What a stream reads of its survey: answers counted since the process started, a version
  // that grows with every change and every Resync (equal versions: nothing changed), and the
  // number of Resyncs so far.
  struct Mark {
    int64_t answers = 0;
    uint64_t version = 0;
    uint64_t resyncs = 0;
  };

  // One stream's registration: its wake-up becomes readable when its survey's answers reach
  // the stream's threshold (WakeAt), on Resync and when the hub shuts down. Unregisters when
  // destroyed.
  class Subscription {
   public:
    ~Subscription();
    // poll() it with POLLIN; Drain() it before reading Now().
    Wakeup& wake() { return wake_; }
    // The survey's current mark.
    Mark Now() const;
    // True once the hub is shutting down: the stream ends.
    bool Stopping() const;
    // Wake-ups for this stream from now on only once the survey's answers reach `answers`
    // (INT64_MAX: none but Resync and Shutdown), so a stream waiting for a step is not woken
    // by every commit. False when they have reached it already.
    bool WakeAt(int64_t answers);

   private:
    friend class StreamHub;
    Subscription(StreamHub* hub, std::string survey) : hub_(hub), survey_(std::move(survey)) {}
    StreamHub* hub_;
    std::string survey_;
    Wakeup wake_;
    int64_t wake_at_ = 0;  // under the hub's mutex
  };

  // A registration for `survey`'s streams; nullptr once shutting down or out of descriptors.
  std::unique_ptr<Subscription> Subscribe(const std::string& survey);

  // The writer's report of a commit of this process.
  void Changed(const std::map<std::string, int64_t>& answers) override;
  // `survey` gained `answers` in another process (ChangeFeed).
  void Add(const std::string& survey, int64_t answers);
  // Changes may have been missed (the feed re-connected): every survey's version grows, so each
  // stream looks at its report again.
  void Resync();
  // Wakes every stream to end and refuses new ones. Idempotent.
  void Shutdown();
  // Streams registered now.
  size_t Open() const;

 private:
  void AddLocked(const std::string& survey, int64_t answers);

  mutable std::mutex mu_;
  bool stopping_ = false;
  uint64_t resyncs_ = 0;  // added to every survey's version
  std::map<std::string, Mark> marks_;
  std::map<std::string, std::set<Subscription*>> streams_;
};

}  // namespace nazar::collector

#endif  // NAZAR_COLLECTOR_STREAM_HUB_H_
