// The collector's HTTP worker pool (cpp-httplib's TaskQueue). cpp-httplib serves a connection,
// a streamed answer included, on the worker that took it, so a live stream (GET /v1/stream)
// would hold one of the workers that ingest waits on (Contract 5: open dashboards never reduce
// ingest capacity). Here `base` workers serve connections as a fixed pool does; a worker whose
// request turns into a long stream calls BeginLong, which starts one more worker in its place
// (at most `max_long` such streams at once), and the extra worker leaves again once a stream
// has ended and the pool is idle beyond base plus the streams still open.
#ifndef NAZAR_COLLECTOR_ELASTIC_POOL_H_
#define NAZAR_COLLECTOR_ELASTIC_POOL_H_

#include <httplib.h>

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

namespace nazar::collector {

class ElasticPool : public httplib::TaskQueue {
 public:
  ElasticPool(size_t base, size_t max_long);
  ~ElasticPool() override;  // shutdown()

  // httplib: a new connection to serve.
  void enqueue(std::function<void()> fn) override;
  // httplib, after the listening socket closed: serves what is queued, joins every worker.
  void shutdown() override;

  // On a worker: its connection is about to stay busy for long. False when `max_long` are
  // open already (the caller answers 503) or the pool is shutting down; else a worker is
  // added in this one's place, until EndLong.
  bool BeginLong();
  // The long task that BeginLong admitted has ended (its worker goes back to the pool).
  void EndLong();

  // Workers alive now, and long tasks open (tests).
  size_t Workers() const;
  size_t Long() const;

 private:
  void Spawn();  // under mu_
  void Work();
  // Joins the workers that left (outside mu_).
  void Reap();

  const size_t base_;
  const size_t max_long_;
  mutable std::mutex mu_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> jobs_;
  bool shutdown_ = false;
  size_t workers_ = 0;  // alive, busy or idle
  size_t long_ = 0;     // admitted by BeginLong, not yet ended
  std::map<std::thread::id, std::thread> threads_;
  std::vector<std::thread::id> left_;  // workers that returned, to be joined
};

}  // namespace nazar::collector

#endif  // NAZAR_COLLECTOR_ELASTIC_POOL_H_
