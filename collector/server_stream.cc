// GET /v1/stream (DESIGN.md Contract 5): the report of a query as server-sent events, for live
// dashboards. The first `report` event at once; then a new one when the report's completions
// have grown by at least the step (--min-count, at least 5) since the last event sent, never one
// answer at a time, so a live view cannot tie an answer to the customer who just checked out.
//
// A stream runs on a thread of its own (ElasticPool::BeginLong), sleeps in poll() on its
// StreamHub wake-up and its connection's socket, and builds reports through the ReportCache at
// most once a second whatever the traffic.
#include <dirent.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <utility>

#include "collector/server_internal.h"

namespace nazar::collector {
namespace {

constexpr int kReconnectMs = 2000;          // the `retry:` field: how soon a browser comes back
constexpr double kMinRebuildSeconds = 1.0;  // a stream builds its report at most this often
constexpr int kFullRetryAfterSeconds = 5;   // 503 over --max-streams

// The port and numeric host of a socket address, as cpp-httplib reports a request's.
bool PortAndHost(const sockaddr_storage& addr, socklen_t len, int* port, std::string* host) {
  if (addr.ss_family == AF_INET) {
    *port = ntohs(reinterpret_cast<const sockaddr_in&>(addr).sin_port);
  } else if (addr.ss_family == AF_INET6) {
    *port = ntohs(reinterpret_cast<const sockaddr_in6&>(addr).sin6_port);
  } else {
    return false;
  }
  char text[NI_MAXHOST];
  if (getnameinfo(reinterpret_cast<const sockaddr*>(&addr), len, text, sizeof text, nullptr, 0,
                  NI_NUMERICHOST) != 0) {
    return false;
  }
  *host = text;
  return true;
}

// The descriptor of the connection `req` arrived on, found by its two addresses (cpp-httplib
// 0.11 does not hand it to handlers), or -1. A stream polls it to learn at once that the reader
// went away, instead of at the next heartbeat.
int ConnectionSocket(const httplib::Request& req) {
  DIR* dir = opendir("/proc/self/fd");
  if (dir == nullptr) return -1;
  int found = -1;
  while (dirent* entry = readdir(dir)) {
    if (entry->d_name[0] < '0' || entry->d_name[0] > '9') continue;
    const int fd = std::atoi(entry->d_name);
    sockaddr_storage local{}, peer{};
    socklen_t local_len = sizeof local, peer_len = sizeof peer;
    if (getsockname(fd, reinterpret_cast<sockaddr*>(&local), &local_len) != 0 ||
        getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &peer_len) != 0) {
      continue;
    }
    int local_port = 0, peer_port = 0;
    std::string local_host, peer_host;
    if (PortAndHost(local, local_len, &local_port, &local_host) &&
        PortAndHost(peer, peer_len, &peer_port, &peer_host) && local_port == req.local_port &&
        peer_port == req.remote_port && local_host == req.local_addr &&
        peer_host == req.remote_addr) {
      found = fd;
      break;
    }
  }
  closedir(dir);
  return found;
}

// The text of a `report` event.
std::string ReportEvent(const LiveReport& report) {
  return "id: " + std::to_string(report.id) + "\nevent: report\ndata: " + report.json + "\n\n";
}

// The ReportCache key of a request's query: its parameters (sorted by name, as httplib keeps
// them) and the day they were read on, which fixes every default. Anything else that changes
// a report (a share's restrictions, later) must be part of it too.
std::string QueryKey(const httplib::Request& req, int64_t today) {
  std::string key = std::to_string(today);
  for (const auto& [name, value] : req.params) {
    key += '\n' + std::to_string(name.size()) + ':' + name + '=' + value;
  }
  return key;
}

}  // namespace

// One open stream: the connection's state between calls of its content provider.
class Server::Impl::LiveStream {
 public:
  LiveStream(Server::Impl* impl, ElasticPool* pool, ReportQuery query, std::string key,
             std::unique_ptr<StreamHub::Subscription> sub, Principal principal, int socket)
      : impl_(impl),
        pool_(pool),
        query_(std::move(query)),
        key_(std::move(key)),
        sub_(std::move(sub)),
        principal_(std::move(principal)),
        socket_(socket),
        step_(LiveStep(query_.options)),
        opened_day_(impl->env.today()) {
    const double now = MonotonicSeconds();
    next_check_ = now + impl_->env.stream_check_seconds;
    next_heartbeat_ = now + impl_->env.stream_heartbeat_seconds;
  }
  ~LiveStream() { pool_->EndLong(); }  // the worker goes back to the pool

  // The report as of now (through the cache). An error: the store is unavailable (then
  // *unavailable is set), or the report refuses the query as GET /v1/report does. The cache
  // keeps only successes, so a failure is always this call's own build.
  Result<std::shared_ptr<const LiveReport>> Build(const StreamHub::Mark& mark, bool* unavailable) {
    *unavailable = false;
    return impl_->report_cache.Get(key_, mark.version, [&]() -> Result<LiveReport> {
      // Today's definitions (a SIGHUP may have registered a version since the stream opened).
      ReportQuery query = query_;
      query.catalog = impl_->Snapshot();
      query.latest = query.catalog->Latest(query_.latest->survey.id);
      if (query.latest == nullptr) {
        return Status(StatusCode::kNotFound,
                      "survey " + query_.latest->survey.id + " is no longer registered");
      }
      Result<Report> report = impl_->QueryReport(query, unavailable);
      if (!report.ok()) return report.status();
      LiveReport live;
      live.json = ReportToJson(*report).dump();
      live.counts = LiveCountsOf(*report);
      live.id = report->overall.suppressed ? 0 : std::llround(report->overall.completions);
      return live;
    });
  }

  // The first report, built before the answer's headers: its failure is answered as
  // GET /v1/report answers it (503 when the store is unavailable), not as a stream.
  Status Open(bool* unavailable) {
    const StreamHub::Mark mark = sub_->Now();
    Result<std::shared_ptr<const LiveReport>> first = Build(mark, unavailable);
    if (!first.ok()) return first.status();
    pending_ = "retry: " + std::to_string(kReconnectMs) + "\n\n" + ReportEvent(**first);
    Sent(mark, **first);
    return Status::Ok();
  }

  // httplib's content provider: writes the next thing to say, waiting for it when there is
  // nothing yet. False ends the connection (the reader left, or a write failed).
  bool Step(httplib::DataSink& sink) {
    if (!pending_.empty()) {
      const std::string text = std::move(pending_);
      pending_.clear();
      return sink.write(text.data(), text.size());
    }
    for (;;) {
      if (sub_->Stopping()) return End(sink);  // shutting down: the browser will come back
      const double now = MonotonicSeconds();
      if (now >= next_check_) {
        next_check_ = now + impl_->env.stream_check_seconds;
        if (!impl_->StillValid(principal_)) {
          static const std::string kRevoked = "event: revoked\ndata: {}\n\n";
          return sink.write(kRevoked.data(), kRevoked.size()) && End(sink);
        }
      }
      sub_->wake().Drain();  // before reading the mark: a change after it wakes the next poll
      const StreamHub::Mark mark = sub_->Now();
      double wake_at = std::min(next_heartbeat_, next_check_);
      // Woken next by the answers that make it due (a step past the last event, and one more
      // than the last build saw); while due but too soon to build, by nothing but the clock.
      int64_t wake_answers = std::max(answers_at_event_ + step_, built_.answers + 1);
      if (Due(mark)) {
        wake_answers = INT64_MAX;
        if (now >= last_build_ + kMinRebuildSeconds) {
          last_build_ = now;
          built_ = mark;
          bool unavailable = false;
          Result<std::shared_ptr<const LiveReport>> report = Build(mark, &unavailable);
          if (!report.ok()) {
            impl_->env.log("live report failed: " + report.status().message());
          } else if (LiveStepReached(sent_counts_, (*report)->counts, step_)) {
            Sent(mark, **report);
            return Write(sink, ReportEvent(**report));
          }
          continue;
        }
        wake_at = std::min(wake_at, last_build_ + kMinRebuildSeconds);
      }
      // A new UTC day: a named range means other days now (last_30_days moves on). The stream
      // ends and the browser, back after `retry`, asks again; a live view never freezes.
      if (impl_->env.today() != opened_day_) return End(sink);
      if (now >= next_heartbeat_) return Write(sink, ": heartbeat\n\n");
      if (!Live()) wake_answers = INT64_MAX;
      if (!sub_->WakeAt(wake_answers)) continue;  // reached meanwhile
      pollfd fds[2] = {{sub_->wake().fd(), POLLIN, 0}, {socket_, POLLIN | POLLRDHUP, 0}};
      const int timeout_ms = static_cast<int>(std::ceil(std::max(0.0, wake_at - now) * 1000));
      if (poll(fds, socket_ >= 0 ? 2 : 1, timeout_ms) > 0 && socket_ >= 0 &&
          (fds[1].revents & (POLLIN | POLLRDHUP | POLLHUP | POLLERR)) != 0) {
        return false;  // the reader closed the connection (or sent something: not a reader)
      }
    }
  }

 private:
  // True when the report may have moved by a step since the last event: the survey gained at
  // least a step of answers since then (or the change feed re-connected, so some may have been
  // missed), something changed since the last build, and the query's range includes today.
  bool Due(const StreamHub::Mark& mark) const {
    if (!Live() || mark.version == built_.version) return false;
    return mark.answers - answers_at_event_ >= step_ || mark.resyncs != built_.resyncs;
  }

  // The query's range includes today: its report can still move.
  bool Live() const { return query_.range.to >= impl_->env.today(); }

  void Sent(const StreamHub::Mark& mark, const LiveReport& report) {
    answers_at_event_ = mark.answers;
    built_ = mark;
    sent_counts_ = report.counts;
  }

  // Ends the answer, and the connection with it (Connection: close): no worker waits on it
  // for another request.
  bool End(httplib::DataSink& sink) {
    sink.done();
    if (socket_ >= 0) shutdown(socket_, SHUT_RD);
    return true;
  }

  bool Write(httplib::DataSink& sink, const std::string& text) {
    next_heartbeat_ = MonotonicSeconds() + impl_->env.stream_heartbeat_seconds;
    return sink.write(text.data(), text.size());
  }

  Server::Impl* impl_;
  ElasticPool* pool_;
  const ReportQuery query_;
  const std::string key_;
  std::unique_ptr<StreamHub::Subscription> sub_;
  const Principal principal_;  // who reads: checked again every stream_check_seconds
  const int socket_;           // the connection's descriptor (owned by httplib), -1 when not found
  const int step_;
  std::string pending_;  // written by the first Step
  StreamHub::Mark built_;
  int64_t answers_at_event_ = 0;
  LiveCounts sent_counts_;    // of the last event
  const int64_t opened_day_;  // env.today() when the stream opened
  double last_build_ = -1e9;
  double next_check_ = 0, next_heartbeat_ = 0;
};

void Server::Impl::HandleStream(const httplib::Request& req, httplib::Response& res) {
  // Who may read: one call now, and a check repeated while the stream is open (false ends it
  // with `event: revoked`).
  Principal principal;
  if (!Permit(req, res, Route::kStream, req.get_param_value("survey"), &principal)) return;

  ReportQuery query;
  if (!ParseReportQuery(req, res, &query)) return;
  const std::string query_survey = query.latest->survey.id;
  std::unique_ptr<StreamHub::Subscription> sub = hub.Subscribe(query_survey);
  ElasticPool* elastic = workers.load();
  if (!sub || elastic == nullptr) {  // shutting down (or out of descriptors)
    res.set_header("Retry-After", std::to_string(kStoreRetryAfterSeconds));
    return Fail(res, 503, "the collector cannot open a live stream now: retry later");
  }
  if (!elastic->BeginLong()) {
    res.set_header("Retry-After", std::to_string(kFullRetryAfterSeconds));
    return Fail(res, 503,
                options.max_streams == 0
                    ? std::string("live streams are turned off (--max-streams 0)")
                    : "too many live streams are open (--max-streams " +
                          std::to_string(options.max_streams) + "): retry later");
  }
  // From here the stream holds the extra worker; ~LiveStream gives it back.
  auto stream =
      std::make_shared<LiveStream>(this, elastic, std::move(query), QueryKey(req, env.today()),
                                   std::move(sub), std::move(principal), ConnectionSocket(req));
  bool unavailable = false;
  const Status opened = stream->Open(&unavailable);
  if (unavailable) return FailStore(res);
  // A survey unregistered between the query's check and here is gone (404, as GET /v1/report
  // answers it); any other refusal is the query's (400).
  if (!opened.ok()) {
    const bool gone = Snapshot()->Latest(query_survey) == nullptr;
    return Fail(res, gone ? 404 : 400, opened.message());
  }
  res.set_header("Cache-Control", "no-store");
  res.set_header("X-Accel-Buffering", "no");  // proxies (nginx) pass each event on at once
  res.set_header("Connection", "close");      // the connection ends with its stream
  res.set_chunked_content_provider("text/event-stream", [stream](size_t, httplib::DataSink& sink) {
    return stream->Step(sink);
  });
}

}  // namespace nazar::collector
