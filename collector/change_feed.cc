#include "change_feed.h"

#include <libpq-fe.h>
#include <poll.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>

#include "store_internal.h"
#include "wakeup.h"

namespace nazar::collector {
namespace {

constexpr double kFirstBackoffSeconds = 0.25;
constexpr double kMaxBackoffSeconds = 5;
// A connection that a network drop left open without an error is found by a query this often.
constexpr int kPingMilliseconds = 30000;

// A libpq message on one log line.
std::string OneLine(const char* message) {
  std::string s = internal::Trimmed(message);
  std::replace(s.begin(), s.end(), '\n', ' ');
  return s;
}

}  // namespace

bool ParseChangePayload(const std::string& payload, std::string* survey, int64_t* answers) {
  const size_t colon = payload.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 >= payload.size() ||
      payload.size() - colon - 1 > 18) {
    return false;
  }
  int64_t n = 0;
  for (size_t i = colon + 1; i < payload.size(); ++i) {
    if (payload[i] < '0' || payload[i] > '9') return false;
    n = n * 10 + (payload[i] - '0');
  }
  if (n <= 0) return false;
  *survey = payload.substr(0, colon);
  *answers = n;
  return true;
}

struct ChangeFeed::State {
  std::string url;
  ChangeFeedHandlers handlers;
  Wakeup stop_wake;
  std::atomic<bool> stopping{false};
  std::atomic<bool> reopen{false};  // Reopen(): a new connection with the credentials of now
  std::thread thread;

  // Waits up to `seconds` for Stop; true when stopping.
  bool Pause(double seconds) {
    pollfd p{stop_wake.fd(), POLLIN, 0};
    poll(&p, 1, static_cast<int>(seconds * 1000));
    return stopping;
  }

  // A LISTENing connection, or nullptr (logged) when the server does not answer. Bounded waits:
  // a server that does not answer (a dropped network, not a refusal) fails the connection in
  // 5 s and a silent peer is found by TCP keepalives, so neither holds the thread (or SIGTERM,
  // which joins it) for the kernel's minutes.
  PGconn* Connect() {
    const std::string bounded = url + (url.find('?') == std::string::npos ? "?" : "&") +
                                "connect_timeout=5&keepalives=1&keepalives_idle=10&"
                                "keepalives_interval=5&keepalives_count=3";
    PGconn* conn = PQconnectdb(bounded.c_str());
    if (conn && PQstatus(conn) == CONNECTION_OK) {
      PQsetNoticeProcessor(
          conn, [](void*, const char*) {}, nullptr);
      PGresult* r = PQexec(conn, "LISTEN nazar_totals");
      const bool ok = r && PQresultStatus(r) == PGRES_COMMAND_OK;
      PQclear(r);
      if (ok) return conn;
    }
    handlers.log("live updates: cannot listen on " + url + ": " +
                 (conn ? OneLine(PQerrorMessage(conn)) : std::string("out of memory")));
    PQfinish(conn);
    return nullptr;
  }

  // Passes on every notification that has arrived. False when the connection failed.
  bool Deliver(PGconn* conn) {
    if (!PQconsumeInput(conn)) return false;
    const int own = handlers.own_sender ? handlers.own_sender() : 0;
    while (PGnotify* n = PQnotifies(conn)) {
      std::string survey;
      int64_t answers = 0;
      if (n->be_pid != own && ParseChangePayload(n->extra ? n->extra : "", &survey, &answers)) {
        handlers.changed(survey, answers);
      }
      PQfreemem(n);
    }
    return PQstatus(conn) == CONNECTION_OK;
  }

  void Run() {
    double backoff = kFirstBackoffSeconds;
    bool connected_before = false;
    while (!stopping) {
      PGconn* conn = Connect();
      if (!conn) {
        if (Pause(backoff)) return;
        backoff = std::min(kMaxBackoffSeconds, backoff * 2);
        continue;
      }
      backoff = kFirstBackoffSeconds;
      if (connected_before) {
        handlers.log("live updates: listening again");
        handlers.resynced();
      }
      connected_before = true;
      bool ok = true;
      while (ok && !stopping) {
        pollfd p[2] = {{PQsocket(conn), POLLIN, 0}, {stop_wake.fd(), POLLIN, 0}};
        const int ready = poll(p, 2, kPingMilliseconds);
        if (stopping) break;
        if (reopen.exchange(false)) {  // SIGHUP: the password may have been rotated
          stop_wake.Drain();
          Deliver(conn);  // what arrived so far, then a new connection (and a resync)
          break;
        }
        if (ready == 0) {  // quiet for a while: is the server still there?
          PGresult* r = PQexec(conn, "SELECT 1");
          ok = r && PQresultStatus(r) == PGRES_TUPLES_OK;
          PQclear(r);
        }
        ok = ok && Deliver(conn);
      }
      if (!ok)
        handlers.log("live updates: the listening connection dropped: " +
                     OneLine(PQerrorMessage(conn)));
      PQfinish(conn);
      if (!ok && Pause(backoff)) return;
    }
  }
};

ChangeFeed::ChangeFeed(std::string url, ChangeFeedHandlers handlers)
    : state_(std::make_unique<State>()) {
  state_->url = std::move(url);
  state_->handlers = std::move(handlers);
  State* s = state_.get();
  state_->thread = std::thread([s] { s->Run(); });
}

void ChangeFeed::Reopen() {
  state_->reopen = true;
  state_->stop_wake.Notify();
}

ChangeFeed::~ChangeFeed() {
  state_->stopping = true;
  state_->stop_wake.Notify();
  state_->thread.join();
}

}  // namespace nazar::collector
