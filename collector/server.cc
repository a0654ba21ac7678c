#include "collector/server.h"

#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <cinttypes>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>
#include <vector>

#include "collector/definitions.h"
#include "collector/ingest.h"
#include "collector/net.h"
#include "collector/totals.h"
#include "collector/writer.h"
#include "nazar/aggregate.h"
#include "nazar/date.h"
#include "nazar/privacy.h"
#include "nazar/report.h"

namespace nazar::collector {
namespace {

constexpr size_t kMaxAggregateBytes = 64 * 1024;  // Contract 5
constexpr size_t kMaxRequestBytes = 256 * 1024;   // any body (definitions included)
constexpr size_t kMaxCommitBatch = 512;           // items per group commit
constexpr int kStoreRetryAfterSeconds = 2;        // 503 answers
constexpr int kDefaultReportDays = 30;            // Contract 4: the last 30 whole days
constexpr double kUnknownRefreshSeconds = 1;      // ingest re-reads definitions at most this often
constexpr double kPruneSeconds = 3600;            // batch ids and old comments are pruned hourly

double MonotonicSeconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

int64_t SystemToday() {
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  const int64_t seconds = std::chrono::duration_cast<std::chrono::seconds>(now).count();
  return seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400;
}

void SetJson(httplib::Response& res, int status, const Json& body) {
  res.status = status;
  res.set_content(body.dump(), "application/json");
}

void Fail(httplib::Response& res, int status, const std::string& message) {
  SetJson(res, status, Json{{"ok", false}, {"error", message}});
}

// The route label of a path for metrics (never the path itself: ids would grow the series).
std::string RouteOf(const std::string& path) {
  static const char* const kRoutes[] = {"/v1/aggregates", "/v1/surveys", "/v1/report",
                                        "/v1/comments",   "/healthz",    "/metrics"};
  for (const char* r : kRoutes) {
    if (path == r) return r;
  }
  if (path.rfind("/v1/surveys/", 0) == 0) return "/v1/surveys/ID";
  if (path == "/analyze" || path.rfind("/analyze/", 0) == 0) return "/analyze";
  return "other";
}

// The strict policy of DESIGN.md's non-negotiables, for the pages the collector serves.
constexpr char kPageCsp[] =
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; "
    "connect-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'; require-trusted-types-for 'script'";
constexpr off_t kMaxPageFileBytes = 16 << 20;

// The content type of a page file by its extension; nullptr for a type the pages do not have.
const char* PageContentType(const std::string& name) {
  static const char* const kTypes[][2] = {{".html", "text/html; charset=utf-8"},
                                          {".js", "text/javascript; charset=utf-8"},
                                          {".mjs", "text/javascript; charset=utf-8"},
                                          {".css", "text/css; charset=utf-8"},
                                          {".wasm", "application/wasm"},
                                          {".svg", "image/svg+xml"},
                                          {".json", "application/json"},
                                          {".webmanifest", "application/manifest+json"},
                                          {".png", "image/png"}};
  for (const auto& [ext, type] : kTypes) {
    const size_t n = std::strlen(ext);
    if (name.size() > n && name.compare(name.size() - n, n, ext) == 0) return type;
  }
  return nullptr;
}

// True for a relative path of plain names ([A-Za-z0-9._-], none starting with a dot, no empty
// segment): it cannot leave the folder it is joined to, whatever was percent-encoded.
bool IsPlainRelativePath(const std::string& rel) {
  if (rel.empty() || rel.size() > 256) return false;
  size_t start = 0;
  while (start <= rel.size()) {
    size_t end = rel.find('/', start);
    if (end == std::string::npos) end = rel.size();
    if (end == start || rel[start] == '.') return false;
    for (size_t i = start; i < end; ++i) {
      const char c = rel[i];
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != '-') {
        return false;
      }
    }
    start = end + 1;
  }
  return true;
}

std::string ReadTokenFile(const std::string& file, Status* status) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    *status = Status(StatusCode::kInvalidArgument, file + ": cannot read the token file");
    return "";
  }
  std::stringstream buf;
  buf << in.rdbuf();
  std::string token = buf.str();
  while (!token.empty() && (token.back() == '\n' || token.back() == '\r' || token.back() == ' ' ||
                            token.back() == '\t')) {
    token.pop_back();
  }
  if (token.empty())
    *status = Status(StatusCode::kInvalidArgument, file + ": the token file is empty");
  return token;
}

// Prometheus metrics of the server.
class Metrics {
 public:
  void Request(const std::string& route, int status) {
    std::lock_guard<std::mutex> lock(mu_);
    ++requests_[{route, status}];
  }
  void Commit(size_t batch, double seconds, bool ok) {
    std::lock_guard<std::mutex> lock(mu_);
    ++commits_;
    if (!ok) ++commit_failures_;
    items_ += batch;
    latency_sum_ += seconds;
    for (size_t i = 0; i < kLatency.size(); ++i) latency_[i] += seconds <= kLatency[i] ? 1 : 0;
    for (size_t i = 0; i < kBatch.size(); ++i) batch_[i] += batch <= kBatch[i] ? 1 : 0;
  }
  std::string Text(size_t queue_depth) {
    std::lock_guard<std::mutex> lock(mu_);
    std::ostringstream out;
    out << "# HELP nazar_requests_total HTTP requests by route and status.\n"
           "# TYPE nazar_requests_total counter\n";
    for (const auto& [key, n] : requests_) {
      out << "nazar_requests_total{route=\"" << key.first << "\",status=\"" << key.second << "\"} "
          << n << "\n";
    }
    out << "# HELP nazar_queue_depth Aggregates waiting for a commit.\n"
           "# TYPE nazar_queue_depth gauge\n"
        << "nazar_queue_depth " << queue_depth << "\n";
    out << "# HELP nazar_commits_total Group commits (failed ones included).\n"
           "# TYPE nazar_commits_total counter\n"
        << "nazar_commits_total " << commits_ << "\n"
        << "# HELP nazar_commit_failures_total Group commits the store refused.\n"
           "# TYPE nazar_commit_failures_total counter\n"
        << "nazar_commit_failures_total " << commit_failures_ << "\n";
    out << "# HELP nazar_commit_seconds Duration of a group commit.\n"
           "# TYPE nazar_commit_seconds histogram\n";
    for (size_t i = 0; i < kLatency.size(); ++i) {
      out << "nazar_commit_seconds_bucket{le=\"" << kLatency[i] << "\"} " << latency_[i] << "\n";
    }
    out << "nazar_commit_seconds_bucket{le=\"+Inf\"} " << commits_ << "\n"
        << "nazar_commit_seconds_sum " << latency_sum_ << "\n"
        << "nazar_commit_seconds_count " << commits_ << "\n";
    out << "# HELP nazar_commit_batch_size Aggregates per group commit.\n"
           "# TYPE nazar_commit_batch_size histogram\n";
    for (size_t i = 0; i < kBatch.size(); ++i) {
      out << "nazar_commit_batch_size_bucket{le=\"" << kBatch[i] << "\"} " << batch_[i] << "\n";
    }
    out << "nazar_commit_batch_size_bucket{le=\"+Inf\"} " << commits_ << "\n"
        << "nazar_commit_batch_size_sum " << items_ << "\n"
        << "nazar_commit_batch_size_count " << commits_ << "\n";
    return out.str();
  }

 private:
  static constexpr std::array<double, 10> kLatency = {0.001, 0.0025, 0.005, 0.01, 0.025,
                                                      0.05,  0.1,    0.25,  0.5,  1};
  static constexpr std::array<size_t, 10> kBatch = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512};
  std::mutex mu_;
  std::map<std::pair<std::string, int>, uint64_t> requests_;
  uint64_t commits_ = 0, commit_failures_ = 0, items_ = 0;
  double latency_sum_ = 0;
  std::array<uint64_t, 10> latency_{};
  std::array<uint64_t, 10> batch_{};
};

// The time a request started, per worker thread (set before routing, read by the logger).
thread_local double t_request_start = 0;

}  // namespace

struct Server::Impl {
  Options options;
  ServerEnv env;
  std::vector<Cidr> trusted;
  std::unique_ptr<RateLimiter> limiter;
  Metrics metrics;
  std::unique_ptr<Writer> writer;
  httplib::Server http;

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
  Status ReopenConnections() {
    Result<std::unique_ptr<Store>> fresh = env.open_store();
    if (!fresh.ok()) return fresh.status();
    {
      std::lock_guard<std::mutex> lock(pool_mu);
      ++pool_generation;
      pool.clear();
      pool.push_back(std::move(fresh).value());
    }
    if (writer_store) writer_store->RequestReopen();
    return Status::Ok();
  }

  // Re-reads every registered version from the store (another replica may have registered one
  // through PUT) and swaps in the catalog. Under register_mu, so an older read never replaces
  // the catalog of a later registration.
  Status RefreshCatalog() {
    return WithStore([&](Store& store) -> Status {
      std::lock_guard<std::mutex> lock(register_mu);
      Result<std::vector<SurveyVersion>> all = store.Surveys();
      if (!all.ok()) return all.status();
      std::vector<std::string> skipped;
      std::shared_ptr<const Catalog> next = Catalog::Build(*all, &skipped);
      std::lock_guard<std::mutex> swap(catalog_mu);
      if (next->ETag() != catalog->ETag()) {
        for (const std::string& s : skipped) env.log("definition skipped: " + s);
      }
      catalog = std::move(next);
      return Status::Ok();
    });
  }

  // Ingest met a survey or version this catalog does not know: re-reads the definitions, at
  // most once a second whatever the traffic (posts of made-up versions cannot make every
  // request a store read). True when it re-read them.
  bool RefreshForUnknownVersion() {
    {
      std::lock_guard<std::mutex> lock(refresh_mu);
      const double now = MonotonicSeconds();
      if (now - last_unknown_refresh < kUnknownRefreshSeconds) return false;
      last_unknown_refresh = now;
    }
    Status s = RefreshCatalog();
    if (!s.ok()) env.log("definitions refresh failed: " + s.message());
    return s.ok();
  }

  Status LoadTokens() {
    Status status;
    std::string read, admin;
    if (!options.read_token_file.empty()) {
      read = ReadTokenFile(options.read_token_file, &status);
    } else if (const char* v = std::getenv("NAZAR_READ_TOKEN")) {
      read = v;
    }
    if (!status.ok()) return status;
    if (!options.admin_token_file.empty()) {
      admin = ReadTokenFile(options.admin_token_file, &status);
    } else if (const char* v = std::getenv("NAZAR_ADMIN_TOKEN")) {
      admin = v;
    }
    if (!status.ok()) return status;
    std::lock_guard<std::mutex> lock(token_mu);
    read_token = read;
    admin_token = admin;
    return Status::Ok();
  }

  // Registers `versions` in the store and swaps in the catalog of everything registered.
  Status Register(const std::vector<SurveyVersion>& versions, Store& store) {
    std::lock_guard<std::mutex> lock(register_mu);
    for (const SurveyVersion& v : versions) {
      Status s = store.PutSurvey(v);
      if (!s.ok()) {
        if (s.code() == StatusCode::kFailedPrecondition) {
          return Status(s.code(), "survey " + v.id + " version " + v.version +
                                      " was registered before with a different definition (a "
                                      "version never changes: give the change a new version): " +
                                      s.message());
        }
        return s;
      }
    }
    Result<std::vector<SurveyVersion>> all = store.Surveys();
    if (!all.ok()) return all.status();
    std::vector<std::string> skipped;
    std::shared_ptr<const Catalog> next = Catalog::Build(*all, &skipped);
    for (const std::string& s : skipped) env.log("definition skipped: " + s);
    std::lock_guard<std::mutex> swap(catalog_mu);
    catalog = std::move(next);
    return Status::Ok();
  }

  // Bearer token check, constant time. False answers 401.
  bool Authorized(const httplib::Request& req, httplib::Response& res, bool admin) {
    std::string expected;
    {
      std::lock_guard<std::mutex> lock(token_mu);
      expected = admin ? admin_token : read_token;
    }
    const std::string header = req.get_header_value("Authorization");
    const std::string prefix = "Bearer ";
    const std::string given =
        header.size() > prefix.size() && header.compare(0, prefix.size(), prefix) == 0
            ? header.substr(prefix.size())
            : "";
    if (!expected.empty() && ConstantTimeEquals(given, expected)) return true;
    res.set_header("WWW-Authenticate", "Bearer");
    Fail(res, 401,
         expected.empty()
             ? std::string("no ") + (admin ? "admin" : "read") + " token is configured (" +
                   (admin ? "NAZAR_ADMIN_TOKEN or --admin-token-file"
                          : "NAZAR_READ_TOKEN or --read-token-file") +
                   ")"
             : std::string("a valid bearer ") + (admin ? "admin" : "read") + " token is required");
    return false;
  }

  bool OriginAllowed(const std::string& origin) const {
    for (const std::string& o : options.origins) {
      if (o == "*" || o == origin) return true;
    }
    return false;
  }

  // CORS of the ingest route, on every answer (errors included): no credentials.
  void Cors(const httplib::Request& req, httplib::Response& res) {
    const bool any =
        std::find(options.origins.begin(), options.origins.end(), "*") != options.origins.end();
    const std::string origin = req.get_header_value("Origin");
    if (any) {
      res.set_header("Access-Control-Allow-Origin", "*");
    } else {
      // Echo the origin, allowed or not, so a refused page still reads its 403 and keeps the
      // payload (Contract 3) instead of seeing a network error.
      if (!origin.empty()) res.set_header("Access-Control-Allow-Origin", origin);
      res.set_header("Vary", "Origin");
    }
    res.set_header("Access-Control-Expose-Headers", "Retry-After");
  }

  void HandleAggregate(const httplib::Request& req, httplib::Response& res) {
    const std::string origin = req.get_header_value("Origin");
    if (!origin.empty() && !OriginAllowed(origin)) {
      return Fail(res, 403, "origin " + origin + " is not allowed to post aggregates");
    }
    const std::string client =
        ClientAddress(req.remote_addr, req.get_header_value("X-Forwarded-For"), trusted);
    if (const int wait = limiter->Take(client, MonotonicSeconds()); wait > 0) {
      res.set_header("Retry-After", std::to_string(wait));
      return Fail(res, 429,
                  "too many posts from this address: retry after " + std::to_string(wait) + " s");
    }
    if (req.body.size() > kMaxAggregateBytes) {
      return Fail(res, 413, "the body is larger than 64 KiB");
    }
    // The decision is the pure DecideIngest (collector/ingest.h); committing is the writer's.
    std::shared_ptr<const Catalog> cat = Snapshot();
    IngestOutcome outcome = DecideIngest(req.body, *cat, env.today(), options.max_age_days);
    if (outcome.unknown_version && RefreshForUnknownVersion()) {
      cat = Snapshot();
      outcome = DecideIngest(req.body, *cat, env.today(), options.max_age_days);
    }
    if (!outcome.ingest) return Fail(res, outcome.status, outcome.message);
    Result<bool> duplicate = writer->Submit(std::move(*outcome.ingest));
    if (!duplicate.ok()) {
      env.log("commit failed: " + duplicate.status().message());
      res.set_header("Retry-After", std::to_string(kStoreRetryAfterSeconds));
      return Fail(res, 503, "the store is unavailable; nothing was stored, retry");
    }
    SetJson(res, 200, Json{{"ok", true}, {"duplicate", *duplicate}});
  }

  void HandlePreflight(const httplib::Request& req, httplib::Response& res) {
    const std::string origin = req.get_header_value("Origin");
    if (!origin.empty() && !OriginAllowed(origin)) {
      return Fail(res, 403, "origin " + origin + " is not allowed to post aggregates");
    }
    res.status = 204;
    res.set_header("Access-Control-Allow-Methods", "POST, OPTIONS");
    res.set_header("Access-Control-Allow-Headers", "Content-Type");
    res.set_header("Access-Control-Max-Age", "86400");
  }

  void HandleSurveys(const httplib::Request& req, httplib::Response& res) {
    std::shared_ptr<const Catalog> cat = Snapshot();
    res.set_header("ETag", cat->ETag());
    res.set_header("Cache-Control", "public, max-age=60");
    res.set_header("Access-Control-Allow-Origin", "*");
    const std::string match = req.get_header_value("If-None-Match");
    if (!match.empty() && (match == "*" || match.find(cat->ETag()) != std::string::npos)) {
      res.status = 304;
      return;
    }
    res.status = 200;
    res.set_content(cat->SurveysJson(), "application/json");
  }

  void HandlePutSurvey(const httplib::Request& req, httplib::Response& res) {
    if (!Authorized(req, res, true)) return;
    const std::string id = req.matches[1];
    ParsedDefinitions parsed = ParseDefinitions(req.body);
    if (!parsed.ok()) {
      Json errors = Json::array();
      for (const DefinitionError& e : parsed.errors) {
        errors.push_back({{"pointer", e.pointer}, {"message", e.message}});
      }
      return SetJson(res, 422,
                     Json{{"ok", false},
                          {"error", parsed.errors[0].ToString()},
                          {"errors", std::move(errors)}});
    }
    Result<std::vector<SurveyVersion>> defs = DefinitionsFromText(req.body, "");
    if (!defs.ok()) return Fail(res, 422, defs.status().message());
    if (defs->size() != 1) return Fail(res, 422, "/: expected one survey object");
    const SurveyVersion& v = defs->front();
    if (v.id != id) {
      return Fail(res, 422, "/id: \"" + v.id + "\" does not match the URL's survey \"" + id + "\"");
    }
    Status s = WithStore([&](Store& store) -> Status { return Register(*defs, store); });
    if (!s.ok()) {
      if (s.code() == StatusCode::kFailedPrecondition) return Fail(res, 409, s.message());
      env.log("registering " + v.id + " failed: " + s.message());
      res.set_header("Retry-After", std::to_string(kStoreRetryAfterSeconds));
      return Fail(res, 503, "the store is unavailable");
    }
    SetJson(res, 201, Json{{"ok", true}, {"id", v.id}, {"version", v.version}});
  }

  // from/to of a read request: the last 30 whole days by default; `to` at most `last_day`.
  // False answered 400.
  bool Range(const httplib::Request& req, httplib::Response& res, int64_t last_day, int64_t* from,
             int64_t* to) {
    const int64_t today = env.today();
    *to = today - 1;
    *from = today - kDefaultReportDays;
    for (const char* name : {"from", "to"}) {
      if (!req.has_param(name)) continue;
      const std::string text = req.get_param_value(name);
      std::optional<int64_t> day = text.size() == 10 ? ParseIsoDay(text) : std::nullopt;
      if (!day) {
        Fail(res, 400, std::string(name) + ": expected a day YYYY-MM-DD, got \"" + text + "\"");
        return false;
      }
      *(name[0] == 'f' ? from : to) = *day;
    }
    if (*from > *to) {
      Fail(res, 400, "from: " + FormatDay(*from) + " is after to " + FormatDay(*to));
      return false;
    }
    if (*to > last_day) {
      Fail(res, 400,
           "to: at most " + FormatDay(last_day) + (last_day < today ? " (yesterday)" : " (today)"));
      return false;
    }
    return true;
  }

  // The minimum count of a read request: the operator's, raised (never lowered) by the reader's
  // `min_count`. False answered 400.
  bool MinCount(const httplib::Request& req, httplib::Response& res, int* min_count) {
    *min_count = options.min_count;
    if (!req.has_param("min_count")) return true;
    const std::string text = req.get_param_value("min_count");
    if (text.empty() || text.size() > 7 ||
        text.find_first_not_of("0123456789") != std::string::npos) {
      Fail(res, 400, "min_count: expected a whole number, got \"" + text + "\"");
      return false;
    }
    *min_count = std::max(options.min_count, std::stoi(text));
    return true;
  }

  void HandleReport(const httplib::Request& req, httplib::Response& res) {
    if (!Authorized(req, res, false)) return;
    const std::string survey = req.get_param_value("survey");
    if (survey.empty()) return Fail(res, 400, "survey: required");
    std::shared_ptr<const Catalog> cat = Snapshot();
    const RegisteredSurvey* latest = cat->Latest(survey);
    if (latest == nullptr) return Fail(res, 404, "survey: \"" + survey + "\" is not registered");
    // A report may end today: it then moves with each answer, which a reader polling it can
    // difference (a privacy limit the collector's README states; live views are the dashboard's
    // stream, which steps by the minimum count).
    int64_t from = 0, to = 0;
    if (!Range(req, res, env.today(), &from, &to)) return;
    std::optional<Period> by;
    if (req.has_param("by")) {
      Result<Period> period = ParsePeriod(req.get_param_value("by"));
      if (!period.ok()) return Fail(res, 400, "by: " + period.status().message());
      by = *period;
    }
    Calendar calendar = Calendar::kGregorian;
    if (req.has_param("calendar")) {
      Result<Calendar> c = ParseCalendar(req.get_param_value("calendar"));
      if (!c.ok()) return Fail(res, 400, "calendar: " + c.status().message());
      calendar = *c;
    }
    std::optional<DayRange> baseline;
    if (req.has_param("compare")) {
      Result<DayRange> range = ParseDayRange(req.get_param_value("compare"));
      if (!range.ok()) return Fail(res, 400, "compare: " + range.status().message());
      if (range->to > env.today()) {
        return Fail(res, 400, "compare: ends at most " + FormatDay(env.today()) + " (today)");
      }
      baseline = *range;
    }
    bool by_locale = false;
    if (req.has_param("segment")) {
      if (req.get_param_value("segment") != "locale") {
        return Fail(res, 400,
                    "segment: expected locale, got \"" + req.get_param_value("segment") + "\"");
      }
      by_locale = true;
    }
    ReportOptions report_options;
    if (!MinCount(req, res, &report_options.min_count)) return;
    Result<Report> report =
        RangeReport(*cat, latest->survey, from, to, by, calendar, by_locale, report_options);
    if (!report.ok()) {
      res.set_header("Retry-After", std::to_string(kStoreRetryAfterSeconds));
      return Fail(res, 503, "the store is unavailable");
    }
    if (baseline) {
      // The core's comparison of the overall cells: the baseline range against this one.
      Result<Report> before = RangeReport(*cat, latest->survey, baseline->from, baseline->to,
                                          std::nullopt, calendar, false, report_options);
      if (!before.ok()) {
        res.set_header("Retry-After", std::to_string(kStoreRetryAfterSeconds));
        return Fail(res, 503, "the store is unavailable");
      }
      report->compare = CompareReports(*before, *report);
    }
    SetJson(res, 200, ReportToJson(*report));
  }

  // The report of `survey` over [from, to]: stored totals, each row rebuilt as a tally with its
  // registered version, labelled by locale and period as asked, scored by the core.
  Result<Report> RangeReport(const Catalog& cat, const Survey& latest, int64_t from, int64_t to,
                             std::optional<Period> by, Calendar calendar, bool by_locale,
                             const ReportOptions& report_options) {
    Result<std::vector<TotalsRow>> rows =
        WithStore([&](Store& store) { return store.Totals(latest.id, from, to); });
    if (!rows.ok()) {
      env.log("report totals failed: " + rows.status().message());
      return rows.status();
    }
    std::vector<ReportCellInput> cells;
    for (const TotalsRow& row : *rows) {
      const RegisteredSurvey* def = cat.Find(row.key.survey, row.key.version);
      if (def == nullptr) {
        env.log("report: totals of unregistered version " + row.key.version + " of " + latest.id);
        continue;
      }
      Result<Tally> tally = TallyFromCounters(def->survey, row.counters);
      if (!tally.ok()) {
        env.log("report: " + tally.status().message());
        continue;
      }
      ReportCellInput cell;
      cell.segment = by_locale ? row.key.locale : "";
      cell.period = by ? PeriodLabel(row.key.day, *by, calendar) : "";
      cell.tally = std::move(tally).value();
      cells.push_back(std::move(cell));
    }
    if (cells.empty()) cells.push_back(ReportCellInput{"", "", EmptyTallyOf(latest)});
    return ComputeReport(latest.id, FormatDay(from), FormatDay(to), cells, report_options);
  }

  void HandleComments(const httplib::Request& req, httplib::Response& res) {
    if (!Authorized(req, res, false)) return;
    const std::string survey = req.get_param_value("survey");
    if (survey.empty()) return Fail(res, 400, "survey: required");
    if (Snapshot()->Latest(survey) == nullptr) {
      return Fail(res, 404, "survey: \"" + survey + "\" is not registered");
    }
    // Comments end yesterday at the latest: a comment appearing the moment a known visitor
    // answers would name its writer.
    int64_t from = 0, to = 0;
    if (!Range(req, res, env.today() - 1, &from, &to)) return;
    int min_count = 0;
    if (!MinCount(req, res, &min_count)) return;
    Result<std::vector<StoredComment>> comments =
        WithStore([&](Store& store) { return store.Comments(survey, from, to); });
    if (!comments.ok()) {
      env.log("comments failed: " + comments.status().message());
      res.set_header("Retry-After", std::to_string(kStoreRetryAfterSeconds));
      return Fail(res, 503, "the store is unavailable");
    }
    // The comment minimum per (question, group) cell (core ShownComments): a cell with fewer
    // comments is withheld whole. Sorted, so storage order (arrival) is not exposed.
    std::vector<CommentCell> cells;
    cells.reserve(comments->size());
    for (const StoredComment& c : *comments) cells.push_back({c.question, c.group});
    const std::vector<bool> shown = ShownComments(cells, min_count);
    std::vector<const StoredComment*> list;
    for (size_t i = 0; i < comments->size(); ++i) {
      if (shown[i]) list.push_back(&(*comments)[i]);
    }
    std::sort(list.begin(), list.end(), [](const StoredComment* a, const StoredComment* b) {
      return std::tie(a->group, a->question, a->text) < std::tie(b->group, b->question, b->text);
    });
    Json out = Json::array();
    for (const StoredComment* c : list) {
      out.push_back({{"question", c->question}, {"group", c->group}, {"text", c->text}});
    }
    SetJson(res, 200,
            Json{{"survey", survey},
                 {"from", FormatDay(from)},
                 {"to", FormatDay(to)},
                 {"min_count", CommentMinimum(min_count)},
                 {"suppressed", list.size() < comments->size()},
                 {"comments", std::move(out)}});
  }

  // GET /analyze and /analyze/*: the analyze page's files from --web-dir's analyze/ folder,
  // under the strict CSP; its service worker may control /analyze/ and nothing else.
  void HandlePage(const httplib::Request& req, httplib::Response& res) {
    if (options.web_dir.empty()) {
      return Fail(res, 404, "the analyze page is not served: start with --web-dir DIR (web/dist)");
    }
    if (req.path == "/analyze") {  // relative URLs of the page need the slash; the query stays
      const size_t query = req.target.find('?');
      res.status = 301;
      res.set_header("Location",
                     "/analyze/" + (query == std::string::npos ? "" : req.target.substr(query)));
      return;
    }
    std::string rel = req.path.substr(std::strlen("/analyze/"));
    if (rel.empty() || rel.back() == '/') rel += "index.html";
    const char* type = PageContentType(rel);
    const std::string file = options.web_dir + "/analyze/" + rel;
    struct stat st;
    if (!IsPlainRelativePath(rel) || type == nullptr || ::stat(file.c_str(), &st) != 0 ||
        !S_ISREG(st.st_mode) || st.st_size > kMaxPageFileBytes) {
      return Fail(res, 404, "no such file");
    }
    std::ifstream in(file, std::ios::binary);
    std::stringstream body;
    body << in.rdbuf();
    if (!in) return Fail(res, 404, "no such file");
    res.set_header("Content-Security-Policy", kPageCsp);
    res.set_header("X-Content-Type-Options", "nosniff");
    res.set_header("Referrer-Policy", "no-referrer");
    res.set_header("Cache-Control", "no-cache");
    res.set_header("Service-Worker-Allowed", "/analyze/");
    res.set_content(body.str(), type);
  }

  void HandleHealth(httplib::Response& res) {
    Status s = WithStore([](Store& store) { return store.Ping(); });
    if (!s.ok()) {
      res.set_header("Retry-After", std::to_string(kStoreRetryAfterSeconds));
      return Fail(res, 503, "the store does not answer");
    }
    SetJson(res, 200, Json{{"ok", true}});
  }

  void Prune() {
    const int64_t today = env.today();
    // Batch ids are kept for max-age-days plus a margin of two days (Contract 5).
    Status s = WithStore([&](Store& store) {
      return store.Prune(today - options.max_age_days - 2, today - options.comment_retention_days);
    });
    if (!s.ok()) env.log("prune failed: " + s.message());
  }

  void Routes() {
    http.Post("/v1/aggregates", [this](const httplib::Request& req, httplib::Response& res) {
      HandleAggregate(req, res);
    });
    http.Options("/v1/aggregates", [this](const httplib::Request& req, httplib::Response& res) {
      HandlePreflight(req, res);
    });
    http.Get("/v1/surveys", [this](const httplib::Request& req, httplib::Response& res) {
      HandleSurveys(req, res);
    });
    http.Put(
        R"(/v1/surveys/([a-z0-9][a-z0-9_-]{0,63}))",
        [this](const httplib::Request& req, httplib::Response& res) { HandlePutSurvey(req, res); });
    http.Get("/v1/report", [this](const httplib::Request& req, httplib::Response& res) {
      HandleReport(req, res);
    });
    http.Get("/v1/comments", [this](const httplib::Request& req, httplib::Response& res) {
      HandleComments(req, res);
    });
    http.Get(R"(/analyze(/.*)?)",
             [this](const httplib::Request& req, httplib::Response& res) { HandlePage(req, res); });
    http.Get("/healthz",
             [this](const httplib::Request&, httplib::Response& res) { HandleHealth(res); });
    http.Get("/metrics", [this](const httplib::Request& req, httplib::Response& res) {
      // Local only (Contract 5): request counts by status and commit timings are a side channel
      // on ingest. A request a proxy forwarded is not local, whoever the peer is.
      if (!IsLoopback(req.remote_addr) || req.has_header("X-Forwarded-For") ||
          req.has_header("Forwarded")) {
        return Fail(res, 403, "metrics are served to this machine only");
      }
      res.set_content(metrics.Text(writer->QueueDepth()), "text/plain; version=0.0.4");
    });
    http.set_pre_routing_handler([](const httplib::Request&, httplib::Response&) {
      t_request_start = MonotonicSeconds();
      return httplib::Server::HandlerResponse::Unhandled;
    });
    // Also runs for answers httplib gives itself (413 over the body limit, 404).
    http.set_error_handler([](const httplib::Request&, httplib::Response& res) {
      if (res.body.empty()) {
        const char* what = res.status == 413   ? "the body is too large"
                           : res.status == 404 ? "no such route"
                                               : "the request failed";
        Fail(res, res.status, what);
      }
    });
    http.set_post_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
      if (req.path == "/v1/aggregates") Cors(req, res);
    });
    // One line per request: never the client address, a token, a query or a body.
    http.set_logger([this](const httplib::Request& req, const httplib::Response& res) {
      const std::string route = RouteOf(req.path);
      metrics.Request(route, res.status);
      char line[256];
      const double start = t_request_start;
      t_request_start = 0;
      const double ms = start > 0 ? (MonotonicSeconds() - start) * 1000 : 0;
      // The path only when it is a known route's and plain (a survey id): a decoded path could
      // hold a line break and forge log lines.
      const bool plain = req.path.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789/_-") ==
                         std::string::npos;
      std::snprintf(line, sizeof line, "%s %s %d %.1fms in=%zu out=%zu",
                    req.method.size() <= 8 && req.method.find_first_not_of(
                                                  "ABCDEFGHIJKLMNOPQRSTUVWXYZ") == std::string::npos
                        ? req.method.c_str()
                        : "(method)",
                    route == "other" ? "(other)"
                    : plain          ? req.path.c_str()
                                     : route.c_str(),
                    res.status, ms, req.body.size(), res.body.size());
      env.log(line);
    });
  }
};

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Server::~Server() {
  Shutdown();
  impl_->writer->Stop();
  {
    std::lock_guard<std::mutex> lock(impl_->maintenance_mu);
    impl_->stopping = true;
  }
  impl_->maintenance_wake.notify_all();
  if (impl_->maintenance.joinable()) impl_->maintenance.join();
}

Result<std::unique_ptr<Server>> Server::Create(const Options& options, ServerEnv env) {
  auto impl = std::make_unique<Impl>();
  if (!env.today) env.today = SystemToday;
  if (!env.log)
    env.log = [](const std::string& line) { std::fprintf(stderr, "%s\n", line.c_str()); };
  impl->options = options;
  impl->env = env;
  for (const std::string& c : options.trusted_proxies) {
    std::optional<Cidr> cidr = ParseCidr(c);
    if (!cidr) return Status(StatusCode::kInvalidArgument, "--trusted-proxies: bad CIDR " + c);
    impl->trusted.push_back(*cidr);
  }
  impl->limiter = std::make_unique<RateLimiter>(options.rate_limit);
  if (Status s = impl->LoadTokens(); !s.ok()) return s;
  Result<std::vector<SurveyVersion>> defs = LoadDefinitionPath(options.surveys);
  if (!defs.ok()) return defs.status();
  Result<std::unique_ptr<Store>> store = impl->env.open_store();
  if (!store.ok()) return store.status();
  if (Status s = (*store)->Migrate(); !s.ok()) return s;
  if (Status s = impl->Register(*defs, **store); !s.ok()) return s;
  Impl* raw = impl.get();
  impl->writer_store = store->get();
  impl->writer = std::make_unique<Writer>(
      std::move(store).value(), kMaxCommitBatch,
      [raw](size_t batch, double seconds, bool ok) { raw->metrics.Commit(batch, seconds, ok); });
  impl->Prune();
  // Maintenance: the definitions re-read every catalog_refresh_seconds (replicas converge on
  // what another registered), batch ids and old comments pruned every hour.
  impl->maintenance = std::thread([raw] {
    const auto period = std::chrono::duration<double>(
        std::max(0.05, std::min(raw->env.catalog_refresh_seconds, kPruneSeconds)));
    double last_prune = MonotonicSeconds();
    std::unique_lock<std::mutex> lock(raw->maintenance_mu);
    while (!raw->maintenance_wake.wait_for(lock, period, [raw] { return raw->stopping; })) {
      lock.unlock();
      if (Status s = raw->RefreshCatalog(); !s.ok()) {
        raw->env.log("definitions refresh failed: " + s.message());
      }
      if (MonotonicSeconds() - last_prune >= kPruneSeconds) {
        last_prune = MonotonicSeconds();
        raw->Prune();
      }
      lock.lock();
    }
  });
  impl->Routes();
  const int threads = options.threads;
  impl->http.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  impl->http.set_tcp_nodelay(true);  // else answers stall on Nagle + delayed ACK (TOOLCHAIN.md)
  impl->http.set_payload_max_length(kMaxRequestBytes);
  impl->http.set_keep_alive_max_count(1000);
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

namespace {

// cpp-httplib 0.11.4 listens with a backlog of 5 (CPPHTTPLIB_LISTEN_BACKLOG, compiled into
// Debian's library): a burst of new connections (a load balancer, wrk, several tabs) overflows
// it and the kernel drops SYNs, which clients retry only after a second. Calling listen() again
// on the bound socket raises the backlog; the socket is found by its port, as httplib does not
// expose it.
void WidenBacklog(int port) {
  for (int fd = 0; fd < 4096; ++fd) {
    int listening = 0;
    socklen_t len = sizeof listening;
    if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &len) != 0 || !listening) continue;
    sockaddr_storage addr{};
    socklen_t addr_len = sizeof addr;
    if (getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &addr_len) != 0) continue;
    int bound = -1;
    if (addr.ss_family == AF_INET) bound = ntohs(reinterpret_cast<sockaddr_in*>(&addr)->sin_port);
    if (addr.ss_family == AF_INET6) {
      bound = ntohs(reinterpret_cast<sockaddr_in6*>(&addr)->sin6_port);
    }
    if (bound == port) ::listen(fd, SOMAXCONN);
  }
}

}  // namespace

Result<int> Server::Bind() {
  const Options& o = impl_->options;
  int port = o.listen_port;
  if (port == 0) {
    port = impl_->http.bind_to_any_port(o.listen_host);
    if (port <= 0) {
      return Status(StatusCode::kFailedPrecondition, "--listen: cannot bind " + o.listen_host);
    }
  } else if (!impl_->http.bind_to_port(o.listen_host, o.listen_port)) {
    return Status(StatusCode::kFailedPrecondition,
                  "--listen: cannot bind " + o.listen_host + ":" + std::to_string(o.listen_port));
  }
  WidenBacklog(port);
  return port;
}

void Server::Serve() {
  impl_->http.listen_after_bind();  // returns after stop(), once the workers are joined
  impl_->writer->Stop();            // commits and acknowledges what is still queued
}

bool Server::Running() const { return impl_->http.is_running(); }

void Server::Shutdown() { impl_->http.stop(); }

Status Server::Reload() {
  Status tokens = impl_->LoadTokens();
  if (!tokens.ok()) impl_->env.log("reload: tokens kept: " + tokens.message());
  Status reopened = impl_->ReopenConnections();
  if (!reopened.ok()) {
    impl_->env.log("reload: store connections kept: " + reopened.message());
  }
  Result<std::vector<SurveyVersion>> defs = LoadDefinitionPath(impl_->options.surveys);
  if (!defs.ok()) return defs.status();
  Status s = impl_->WithStore([&](Store& store) { return impl_->Register(*defs, store); });
  if (!s.ok()) return s;
  if (!tokens.ok()) return tokens;
  if (!reopened.ok()) {
    return Status(reopened.code(),
                  "the store's connections were kept (definitions and tokens were reloaded): " +
                      reopened.message());
  }
  return Status::Ok();
}

}  // namespace nazar::collector
