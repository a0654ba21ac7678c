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

#include "collector/auth.h"
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

// The strict policy of DESIGN.md's non-negotiables, for every page the collector serves.
inline constexpr char kPageCsp[] =
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; "
    "connect-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'; require-trusted-types-for 'script'";

// Seconds since 1970 from the system clock.
double SystemNowSeconds();

// What GET /v1/report asks for (GET /v1/stream takes the same parameters), parsed and checked.
struct ReportQuery {
  const RegisteredSurvey* latest = nullptr;  // the survey's latest version, in `catalog`
  std::shared_ptr<const Catalog> catalog;
  DayRange range;  // from/to, or preset=, or the last 30 whole days
  std::optional<Period> by;
  Calendar calendar = Calendar::kGregorian;
  bool by_locale = false;  // segment=locale
  ReportOptions options;
  std::optional<DayRange> baseline;  // compare=FROM..TO or compare=preset:NAME
  std::optional<std::pair<std::string, std::string>> locales;  // compare=locale:A..locale:B
};

// Seconds of a monotonic clock (rate limits, request timings).
double MonotonicSeconds();
// Today's UTC day number from the system clock.
int64_t SystemToday();
// Answers `status` with `body` as JSON.
void SetJson(httplib::Response& res, int status, const Json& body);
// Answers `status` with {"ok": false, "error": message}.
void Fail(httplib::Response& res, int status, const std::string& message);
// Answers 503 "the store is unavailable" with Retry-After.
void FailStore(httplib::Response& res);

struct Server::Impl {
  Options options;
  ServerEnv env;
  std::vector<Cidr> trusted;
  std::unique_ptr<RateLimiter> limiter;
  std::unique_ptr<RateLimiter> signin_limiter;  // POST /v1/session: 5 a minute, burst 10
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
  // The admin bearer token, constant time. False answers 401 (readers go through Permit).
  bool AdminAuthorized(const httplib::Request& req, httplib::Response& res);

  // ---- Contract 5's readers (auth.cc) ----
  std::string ReadToken();
  // Who sent `req`: the bearer read token (constant-time compare), else a live session cookie,
  // else a live share cookie; kNone with the reason otherwise. Reads the store for cookies.
  Principal Authenticate(const httplib::Request& req);
  // Authenticate, then Contract 5's table for `route` and `survey` (Allows). False answered:
  // 401 no or wrong credentials, 403 a dead share, another survey or a route not allowed, or a
  // cookie-authenticated change (not GET/HEAD) without this collector's own Origin (CSRF), 503
  // the store did not answer (Retry-After). True fills *out (when given).
  bool Permit(const httplib::Request& req, httplib::Response& res, Route route,
              const std::string& survey, Principal* out);
  // Re-checks a principal against the store and the current read token, for long streams:
  // false once the session or share has ended (expired, revoked, signed out, token rotated) or
  // when the store does not answer.
  bool StillValid(const Principal& principal);
  // True when the request came over TLS, or through a --trusted-proxies peer that says
  // X-Forwarded-Proto: https (cookies then get Secure).
  bool SecureRequest(const httplib::Request& req) const;
  // "http(s)://host[:port]" of the request itself (its Host header), "" without one.
  std::string OwnOrigin(const httplib::Request& req) const;
  // True when the request carries exactly one Origin, equal to OwnOrigin.
  bool SameOrigin(const httplib::Request& req) const;
  // True when `session` is unexpired at `now` and was made under the read token `read`.
  bool SessionLive(const Session& session, const std::string& read, int64_t now) const;

  // ---- Sign-in, share links and the dashboard page (server_auth.cc) ----
  void HandleSignIn(const httplib::Request& req, httplib::Response& res);
  void HandleSignOut(const httplib::Request& req, httplib::Response& res);
  void HandleWhoAmI(const httplib::Request& req, httplib::Response& res);
  void HandleCreateShare(const httplib::Request& req, httplib::Response& res);
  void HandleListShares(const httplib::Request& req, httplib::Response& res);
  void HandleRevokeShare(const httplib::Request& req, httplib::Response& res);
  void HandleShareLink(const httplib::Request& req, httplib::Response& res);
  // GET / and /dashboard/*: the dashboard's files from --web-dir's dashboard/ folder.
  void HandleDashboard(const httplib::Request& req, httplib::Response& res);
  // Answers the file `rel` of --web-dir's `folder` under the strict CSP with `cache_control`
  // and `referrer_policy`; 404 for a path that is not a plain relative path, a type the pages
  // do not have, or a missing file.
  void ServePageFile(const std::string& folder, const std::string& rel, const char* cache_control,
                     const char* referrer_policy, httplib::Response& res);
  bool OriginAllowed(const std::string& origin) const;
  // CORS of the ingest route, on every answer (errors included): no credentials.
  void Cors(const httplib::Request& req, httplib::Response& res);
  void HandleAggregate(const httplib::Request& req, httplib::Response& res);
  void HandlePreflight(const httplib::Request& req, httplib::Response& res);
  void HandleSurveys(const httplib::Request& req, httplib::Response& res);
  void HandlePutSurvey(const httplib::Request& req, httplib::Response& res);
  // from/to of a read request, or its preset= (a named range in `calendar`, never with from/to):
  // the last 30 whole days by default. A given `to` after today is refused (that day has not
  // begun); then any range, given or preset, is cut to `last_day` (today or, for comments,
  // yesterday), and `from` may then be after `to`: an empty range. False answered 400.
  bool Range(const httplib::Request& req, httplib::Response& res, int64_t last_day,
             Calendar calendar, int64_t* from, int64_t* to);
  // calendar= of a read request (Gregorian by default). False answered 400.
  bool CalendarParam(const httplib::Request& req, httplib::Response& res, Calendar* calendar);
  // The parameters of GET /v1/report: survey, from/to or preset, by, calendar, segment,
  // min_count, compare (FROM..TO, preset:NAME, or locale:A..locale:B with segment=locale).
  // False answered 400 or 404.
  bool ParseReportQuery(const httplib::Request& req, httplib::Response& res, ReportQuery* query);
  // The report `query` asks for, with its labels, versions and comparison. Errors: the store's
  // (then *unavailable is set), or a locale comparison naming a locale the report lacks.
  Result<Report> QueryReport(const ReportQuery& query, bool* unavailable);
  // The minimum count of a read request: the operator's, raised (never lowered) by the reader's
  // `min_count`. False answered 400.
  bool MinCount(const httplib::Request& req, httplib::Response& res, int* min_count);
  void HandleReport(const httplib::Request& req, httplib::Response& res);
  // GET /v1/stream: server-sent events of the report of a query (server_stream.cc).
  void HandleStream(const httplib::Request& req, httplib::Response& res);
  class LiveStream;  // one open stream (server_stream.cc)
  // The report of `survey` over [from, to]: stored totals, each row rebuilt as a tally with its
  // registered version (kept as the cell's version), labelled by locale and period as asked,
  // scored by the core; from_label/to_label in `calendar`.
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
