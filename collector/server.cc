// The collector server: set-up, tokens, definitions, reader connections, maintenance, routing and
// the request log. The routes live in server_ingest.cc and server_read.cc.
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "collector/server_internal.h"

namespace nazar::collector {
namespace {

constexpr size_t kMaxRequestBytes = 256 * 1024;  // any body (definitions included)
constexpr size_t kMaxCommitBatch = 512;          // items per group commit
constexpr double kUnknownRefreshSeconds = 1;     // ingest re-reads definitions at most this often
constexpr double kPruneSeconds = 3600;           // batch ids and old comments are pruned hourly

// Sign-in attempts per client address: 5 a minute, a burst of 10 (twice the rate, as ingest).
constexpr double kSignInPerSecond = 5.0 / 60;
constexpr double kSignInBurst = 10;

// The route label of a path for metrics and the log (never the path itself: ids would grow the
// series, and a share link's path is its token).
std::string RouteOf(const std::string& path) {
  static const char* const kRoutes[] = {
      "/v1/aggregates", "/v1/surveys", "/v1/report", "/v1/comments", "/v1/session",
      "/v1/shares",     "/v1/stream",  "/healthz",   "/metrics",     "/"};
  for (const char* r : kRoutes) {
    if (path == r) return r;
  }
  if (path.rfind("/v1/surveys/", 0) == 0) return "/v1/surveys/ID";
  if (path.rfind("/v1/shares/", 0) == 0) return "/v1/shares/ID";
  if (path.rfind("/s/", 0) == 0) return "/s/TOKEN";
  if (path == "/analyze" || path.rfind("/analyze/", 0) == 0) return "/analyze";
  if (path.rfind("/dashboard/", 0) == 0) return "/dashboard";
  return "other";
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

// The time a request started, per worker thread (set before routing, read by the logger).
thread_local double t_request_start = 0;
}  // namespace

double MonotonicSeconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

double SystemNowSeconds() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
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

void FailStore(httplib::Response& res) {
  res.set_header("Retry-After", std::to_string(kStoreRetryAfterSeconds));
  Fail(res, 503, "the store is unavailable");
}

// SIGHUP: a new reader connection first (it proves the credentials work); then every idle
// reader is dropped, readers in use are not pooled again, and the writer re-opens before its
// next commit. When the new connection fails, every connection is kept.
Status Server::Impl::ReopenConnections() {
  Result<std::unique_ptr<Store>> fresh = env.open_store();
  if (!fresh.ok()) return fresh.status();
  {
    std::lock_guard<std::mutex> lock(pool_mu);
    ++pool_generation;
    pool.clear();
    pool.push_back(std::move(fresh).value());
  }
  if (writer_store) writer_store->RequestReopen();
  if (feed) feed->Reopen();
  return Status::Ok();
}

// Re-reads every registered version from the store (another replica may have registered one
// through PUT) and swaps in the catalog. Under register_mu, so an older read never replaces
// the catalog of a later registration.
Status Server::Impl::RefreshCatalog() {
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
bool Server::Impl::RefreshForUnknownVersion() {
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

Status Server::Impl::LoadTokens() {
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
Status Server::Impl::Register(const std::vector<SurveyVersion>& versions, Store& store) {
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

// The admin bearer token (PUT /v1/surveys/ID), constant time. False answers 401. Readers go
// through Permit (auth.h).
bool Server::Impl::AdminAuthorized(const httplib::Request& req, httplib::Response& res) {
  std::string expected;
  {
    std::lock_guard<std::mutex> lock(token_mu);
    expected = admin_token;
  }
  if (!expected.empty() && ConstantTimeEquals(BearerToken(req), expected)) return true;
  res.set_header("WWW-Authenticate", "Bearer");
  Fail(res, 401,
       expected.empty() ? "no admin token is configured (NAZAR_ADMIN_TOKEN or --admin-token-file)"
                        : "a valid bearer admin token is required");
  return false;
}

void Server::Impl::Prune() {
  const int64_t today = env.today();
  // Batch ids are kept for max-age-days plus a margin of two days (Contract 5).
  Status s = WithStore([&](Store& store) {
    return store.Prune(today - options.max_age_days - 2, today - options.comment_retention_days);
  });
  if (!s.ok()) env.log("prune failed: " + s.message());
  // Expired sessions at once; expired shares once they have been listed as expired a while.
  const int64_t now = static_cast<int64_t>(env.now_seconds());
  s = WithStore([&](Store& store) { return store.PruneAuth(now, now - kExpiredShareKeepSeconds); });
  if (!s.ok()) env.log("prune of sessions and shares failed: " + s.message());
}

void Server::Impl::Routes() {
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
  http.Get("/v1/report",
           [this](const httplib::Request& req, httplib::Response& res) { HandleReport(req, res); });
  http.Get("/v1/comments", [this](const httplib::Request& req, httplib::Response& res) {
    HandleComments(req, res);
  });
  http.Get("/v1/stream",
           [this](const httplib::Request& req, httplib::Response& res) { HandleStream(req, res); });
  http.Get(R"(/analyze(/.*)?)",
           [this](const httplib::Request& req, httplib::Response& res) { HandlePage(req, res); });
  http.Post("/v1/session", [this](const httplib::Request& req, httplib::Response& res) {
    HandleSignIn(req, res);
  });
  http.Delete("/v1/session", [this](const httplib::Request& req, httplib::Response& res) {
    HandleSignOut(req, res);
  });
  http.Get("/v1/session",
           [this](const httplib::Request& req, httplib::Response& res) { HandleWhoAmI(req, res); });
  http.Post("/v1/shares", [this](const httplib::Request& req, httplib::Response& res) {
    HandleCreateShare(req, res);
  });
  http.Get("/v1/shares", [this](const httplib::Request& req, httplib::Response& res) {
    HandleListShares(req, res);
  });
  http.Delete(
      R"(/v1/shares/([A-Za-z0-9_-]{1,64}))",
      [this](const httplib::Request& req, httplib::Response& res) { HandleRevokeShare(req, res); });
  http.Get(R"(/s/([^/]*))", [this](const httplib::Request& req, httplib::Response& res) {
    HandleShareLink(req, res);
  });
  http.Get(R"(/|/dashboard/.*)", [this](const httplib::Request& req, httplib::Response& res) {
    HandleDashboard(req, res);
  });
  http.Get("/healthz",
           [this](const httplib::Request&, httplib::Response& res) { HandleHealth(res); });
  http.Get("/metrics", [this](const httplib::Request& req, httplib::Response& res) {
    // Local only (Contract 5): request counts by status and commit timings are a side channel
    // on ingest. A request a proxy forwarded is not local, whoever the peer is.
    if (!IsLoopback(req.remote_addr) || req.has_header("X-Forwarded-For") ||
        req.has_header("Forwarded")) {
      return Fail(res, 403, "metrics are served to this machine only");
    }
    res.set_content(metrics.Text(writer->QueueDepth(), hub.Open()), "text/plain; version=0.0.4");
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
    // hold a line break and forge log lines. Never a share link's path: it is the token.
    const bool plain =
        route != "/s/TOKEN" &&
        req.path.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789/_-") == std::string::npos;
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

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Server::~Server() {
  Shutdown();
  impl_->feed.reset();
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
  if (!env.now_seconds) env.now_seconds = SystemNowSeconds;
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
  impl->signin_limiter = std::make_unique<RateLimiter>(kSignInPerSecond, kSignInBurst);
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
      [raw](size_t batch, double seconds, bool ok) { raw->metrics.Commit(batch, seconds, ok); },
      &impl->hub);
  if (IsPostgresUrl(options.db)) {
    // Live streams also follow what other collectors on the same database commit.
    ChangeFeedHandlers feed;
    feed.changed = [raw](const std::string& survey, int64_t n) { raw->hub.Add(survey, n); };
    feed.resynced = [raw] { raw->hub.Resync(); };
    feed.own_sender = [raw] { return raw->writer_store->NotifierId(); };
    feed.log = raw->env.log;
    impl->feed = std::make_unique<ChangeFeed>(options.db, std::move(feed));
  }
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
  // The workers: --threads for every request, and one more thread per open live stream (up
  // to --max-streams), so streams never hold a worker that ingest needs.
  impl->http.new_task_queue = [raw] {
    auto* pool = new ElasticPool(static_cast<size_t>(raw->options.threads),
                                 static_cast<size_t>(raw->options.max_streams));
    raw->workers = pool;
    return pool;
  };
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
  impl_->workers = nullptr;         // httplib has deleted the pool
  impl_->writer->Stop();            // commits and acknowledges what is still queued
}

bool Server::Running() const { return impl_->http.is_running(); }

void Server::Shutdown() {
  impl_->http.stop();
  // Then open streams end at once, so their workers can be joined (after stop(), so that a
  // worker whose stream ended does not wait for another request on its connection).
  impl_->hub.Shutdown();
}

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
