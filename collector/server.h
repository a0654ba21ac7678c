// The nazar-collector HTTP server (DESIGN.md Contract 5): ingest with group commit, definitions,
// reports, live report streams, comments, health and metrics, over any Store (store.h).
#ifndef NAZAR_COLLECTOR_SERVER_H_
#define NAZAR_COLLECTOR_SERVER_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "collector/flags.h"
#include "collector/store.h"
#include "nazar/result.h"

namespace nazar::collector {

// Opens a new connection to the configured store (each is used by one thread at a time).
using StoreFactory = std::function<Result<std::unique_ptr<Store>>()>;

// What the server takes from its surroundings; tests replace these.
struct ServerEnv {
  StoreFactory open_store;         // required
  std::function<int64_t()> today;  // UTC day number; default: the system clock
  // Unix seconds (sessions, share links and the sign-in rate); default: the system clock.
  std::function<double()> now_seconds;
  std::function<void(const std::string&)> log;  // one line; default: stderr
  // How often the definitions are re-read from the store, so replicas sharing a database
  // converge on what another one registered (PUT); tests shorten it.
  double catalog_refresh_seconds = 30;
  // Live streams (GET /v1/stream): the period of the heartbeat comment, and how often a stream
  // checks that its reader may still read; tests shorten them.
  double stream_heartbeat_seconds = 15;
  double stream_check_seconds = 5;
};

class Server {
 public:
  // Opens the writer's store (migrating it), loads and validates --surveys, registers every
  // (id, version) and reads the tokens. Errors are fatal at start (exit 1): an unwritable
  // database, a definition error (every pointer), an unreadable token file.
  static Result<std::unique_ptr<Server>> Create(const Options& options, ServerEnv env);
  ~Server();

  // Binds --listen; returns the bound port (the free port chosen when --listen asks for 0).
  Result<int> Bind();
  // Serves until Shutdown(); then commits and acknowledges what is queued and returns.
  void Serve();
  // True once Serve() accepts connections.
  bool Running() const;
  // Stops accepting and ends the open live streams; Serve() returns after the queue is
  // drained. Safe from any thread.
  void Shutdown();
  // SIGHUP: re-reads the definitions (kept as they were when the new ones have errors, which
  // are returned) and the token files, and re-opens the store's connections (the writer's
  // before its next commit, the readers' at once) so a PostgreSQL password rotated in
  // PGPASSFILE takes effect; when a new connection cannot be opened the old ones are kept and
  // the error returned. Queued posts are not lost.
  Status Reload();

 private:
  struct Impl;
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace nazar::collector

#endif  // NAZAR_COLLECTOR_SERVER_H_
