// Live views across collector processes (DESIGN.md Contract 5, "live updates across replicas by
// LISTEN/NOTIFY"): every PostgreSQL group commit notifies nazar_totals with
// "<survey>:<completions added>" (store.h, Store::Commit); a ChangeFeed is one thread per
// process with a libpq connection of its own that LISTENs on that channel and passes what other
// processes committed to the process's live streams.
#ifndef NAZAR_COLLECTOR_CHANGE_FEED_H_
#define NAZAR_COLLECTOR_CHANGE_FEED_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace nazar::collector {

// What a ChangeFeed calls, all on its own thread.
struct ChangeFeedHandlers {
  // Another process's commit added `answers` completions to `survey`.
  std::function<void(const std::string& survey, int64_t answers)> changed;
  // The LISTEN connection was re-made after a drop: notifications may have been missed.
  std::function<void()> resynced;
  // The sender id of this process's own commits (Store::NotifierId of the writer's store):
  // those notifications are skipped, the writer reported them already.
  std::function<int()> own_sender;
  // One log line (connection lost, re-made); never a payload.
  std::function<void(const std::string&)> log;
};

class ChangeFeed {
 public:
  // Starts listening on `url` (a postgresql:// URL without a password, as --db takes). The first
  // connection is made on the feed's thread: a server that is down is retried with back-off
  // (0.25 s doubling to 5 s), as is a connection that drops later.
  ChangeFeed(std::string url, ChangeFeedHandlers handlers);
  // Stops the thread promptly (it waits on the connection and a wake-up descriptor together).
  ~ChangeFeed();
  // Closes the listening connection and opens a new one (SIGHUP: a PostgreSQL password rotated
  // in PGPASSFILE takes effect); the streams then look again, as after a drop.
  void Reopen();

  ChangeFeed(const ChangeFeed&) = delete;
  ChangeFeed& operator=(const ChangeFeed&) = delete;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// Parses a nazar_totals payload "<survey>:<count>" (count a whole number > 0). False otherwise.
bool ParseChangePayload(const std::string& payload, std::string* survey, int64_t* answers);

}  // namespace nazar::collector

#endif  // NAZAR_COLLECTOR_CHANGE_FEED_H_
