// The collector server's internals, shared by its route files: server.cc (set-up, tokens,
// definitions, maintenance, routing and logging), server_ingest.cc (aggregates and definitions)
// and server_read.cc (reports, comments, pages, health) and server_stream.cc (live streams). Not
// part of the collector's interface.
#ifndef NAZAR_COLLECTOR_SERVER_INTERNAL_H_
#define NAZAR_COLLECTOR_SERVER_INTERNAL_H_

#include <httplib.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "collector/change_feed.h"
#include "collector/definitions.h"
#include "collector/elastic_pool.h"
#include "collector/metrics.h"
#include "collector/net.h"
#include "collector/report_cache.h"
#include "collector/server.h"
#include "collector/stream_hub.h"
#include "collector/writer.h"
#include "nazar/date.h"
#include "nazar/report.h"

namespace nazar::collector {

constexpr int kStoreRetryAfterSeconds = 2;  // 503 answers

// Seconds of a monotonic clock (rate limits, request timings).
double MonotonicSeconds();
// Today's UTC day number from the system clock.
int64_t SystemToday();
// Answers `status` with `body` as JSON.
void SetJson(httplib::Response& res, int status, const Json& body);
// Answers `status` with {"ok": false, "error": message}.
void Fail(httplib::Response& res, int status, const std::string& message);

// The parameters of a report request (GET /v1/report; GET /v1/stream sends the same report).
struct ReportQuery {
  std::string survey;
  int64_t from = 0, to = 0;  // day numbers
  std::optional<Period> by;
  Calendar calendar = Calendar::kGregorian;
  bool by_locale = false;            // segment=locale
  std::optional<DayRange> baseline;  // compare=FROM..TO
  ReportOptions report_options;
};

struct Server::Impl {
  Options options;
  ServerEnv env;
  std::vector<Cidr> trusted;
  std::unique_ptr<RateLimiter> limiter;
  Metrics metrics;
  StreamHub hub;  // before the writer and the feed, which report to it
  std::unique_ptr<Writer> writer;
  std::unique_ptr<ChangeFeed> feed;  // PostgreSQL only: other processes' commits
  ReportCache report_cache;          // live streams' reports
  httplib::Server http;
  std::atomic<ElasticPool*> workers{nullptr};  // the serving pool, while Serve() runs

  std::mutex catalog_mu;
  std::shared_ptr<const Catalog> catalog;
  std::mutex register_mu;  // one registration (PUT, reload) at a time

  std::mutex token_mu;
  std::string read_token, admin_token;

  std::mutex pool_mu;
  std::vector<std::unique_ptr<Store>> pool;  // idle reader connections
  uint64_t pool_generation = 0;   // bumped by Reload: a connection of an older one is not kept
  Store* writer_store = nullptr;  // owned by writer; only RequestReopen is called through it

  std::mutex refresh_mu;
  double last_unknown_refresh = -1e9;  // when ingest last re-read the definitions

  std::mutex maintenance_mu;
  std::condition_variable maintenance_wake;
  bool stopping = false;
  std::thread maintenance;

  std::shared_ptr<const Catalog> Snapshot() {
    std::lock_guard<std::mutex> lock(catalog_mu);
    return catalog;
  }

  // A reader connection: runs `fn` on an idle one (or a new one); a connection whose call
  // failed is dropped so the next call reconnects.
  template <typename Fn>
  auto WithStore(Fn fn) -> decltype(fn(std::declval<Store&>())) {
    std::unique_ptr<Store> store;
    uint64_t generation = 0;
    {
      std::lock_guard<std::mutex> lock(pool_mu);
      generation = pool_generation;
      if (!pool.empty()) {
        store = std::move(pool.back());
        pool.pop_back();
      }
    }
    if (!store) {
      Result<std::unique_ptr<Store>> opened = env.open_store();
      if (!opened.ok()) return opened.status();
      store = std::move(opened).value();
    }
    auto result = fn(*store);
    if (result.ok()) {
      std::lock_guard<std::mutex> lock(pool_mu);
      if (pool.size() < 8 && generation == pool_generation) pool.push_back(std::move(store));
    }
    return result;
  }

  // SIGHUP: a new reader connection first (it proves the credentials work); then every idle
  // reader is dropped, readers in use are not pooled again, and the writer re-opens before its
  // next commit. When the new connection fails, every connection is kept.
  Status ReopenConnections();
  // Re-reads every registered version from the store (another replica may have registered one
  // through PUT) and swaps in the catalog. Under register_mu, so an older read never replaces
  // the catalog of a later registration.
  Status RefreshCatalog();
  // Ingest met a survey or version this catalog does not know: re-reads the definitions, at
  // most once a second whatever the traffic (posts of made-up versions cannot make every
  // request a store read). True when it re-read them.
  bool RefreshForUnknownVersion();
  Status LoadTokens();
  // Registers `versions` in the store and swaps in the catalog of everything registered.
  Status Register(const std::vector<SurveyVersion>& versions, Store& store);
  // Bearer token check, constant time. False answers 401.
  bool Authorized(const httplib::Request& req, httplib::Response& res, bool admin);
  // For a stream that Authorized(req, res, false) let in: true while its bearer token is still
  // the read token (a token rotated on SIGHUP ends the streams opened with the old one).
  std::function<bool()> ReadTokenStillValid(const httplib::Request& req);
  bool OriginAllowed(const std::string& origin) const;
  // CORS of the ingest route, on every answer (errors included): no credentials.
  void Cors(const httplib::Request& req, httplib::Response& res);
  void HandleAggregate(const httplib::Request& req, httplib::Response& res);
  void HandlePreflight(const httplib::Request& req, httplib::Response& res);
  void HandleSurveys(const httplib::Request& req, httplib::Response& res);
  void HandlePutSurvey(const httplib::Request& req, httplib::Response& res);
  // from/to of a read request: the last 30 whole days by default; `to` at most `last_day`.
  // False answered 400.
  bool Range(const httplib::Request& req, httplib::Response& res, int64_t last_day, int64_t* from,
             int64_t* to);
  // The minimum count of a read request: the operator's, raised (never lowered) by the reader's
  // `min_count`. False answered 400.
  bool MinCount(const httplib::Request& req, httplib::Response& res, int* min_count);
  void HandleReport(const httplib::Request& req, httplib::Response& res);
  // The parameters of a report request (GET /v1/report, GET /v1/stream). False answered 400
  // (the parameter named) or 404 (a survey that is not registered).
  bool ParseReportQuery(const httplib::Request& req, httplib::Response& res, ReportQuery* query);
  // The report `query` asks for over the totals stored now, with its comparison. An error when
  // the store is unavailable (logged) or the survey is no longer registered.
  Result<Report> QueryReport(const ReportQuery& query);
  // GET /v1/stream: server-sent events of the report of a query (server_stream.cc).
  void HandleStream(const httplib::Request& req, httplib::Response& res);
  class LiveStream;  // one open stream (server_stream.cc)
  // The report of `survey` over [from, to]: stored totals, each row rebuilt as a tally with its
  // registered version, labelled by locale and period as asked, scored by the core.
  Result<Report> RangeReport(const Catalog& cat, const Survey& latest, int64_t from, int64_t to,
                             std::optional<Period> by, Calendar calendar, bool by_locale,
                             const ReportOptions& report_options);
  void HandleComments(const httplib::Request& req, httplib::Response& res);
  // GET /analyze and /analyze/*: the analyze page's files from --web-dir's analyze/ folder,
  // under the strict CSP; its service worker may control /analyze/ and nothing else.
  void HandlePage(const httplib::Request& req, httplib::Response& res);
  void HandleHealth(httplib::Response& res);
  void Prune();
  void Routes();
};

}  // namespace nazar::collector

#endif  // NAZAR_COLLECTOR_SERVER_INTERNAL_H_
