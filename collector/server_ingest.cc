// The collector's ingest routes: POST /v1/aggregates (and its preflight), GET /v1/surveys and
// PUT /v1/surveys/ID (Contract 5).
#include <httplib.h>

#include <algorithm>

#include "collector/ingest.h"
#include "collector/server_internal.h"

namespace nazar::collector {
namespace {

constexpr size_t kMaxAggregateBytes = 64 * 1024;  // Contract 5

}  // namespace

bool Server::Impl::OriginAllowed(const std::string& origin) const {
  for (const std::string& o : options.origins) {
    if (o == "*" || o == origin) return true;
  }
  return false;
}

// CORS of the ingest route, on every answer (errors included): no credentials.
void Server::Impl::Cors(const httplib::Request& req, httplib::Response& res) {
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

void Server::Impl::HandleAggregate(const httplib::Request& req, httplib::Response& res) {
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

void Server::Impl::HandlePreflight(const httplib::Request& req, httplib::Response& res) {
  const std::string origin = req.get_header_value("Origin");
  if (!origin.empty() && !OriginAllowed(origin)) {
    return Fail(res, 403, "origin " + origin + " is not allowed to post aggregates");
  }
  res.status = 204;
  res.set_header("Access-Control-Allow-Methods", "POST, OPTIONS");
  res.set_header("Access-Control-Allow-Headers", "Content-Type");
  res.set_header("Access-Control-Max-Age", "86400");
}

void Server::Impl::HandleSurveys(const httplib::Request& req, httplib::Response& res) {
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

void Server::Impl::HandlePutSurvey(const httplib::Request& req, httplib::Response& res) {
  if (!AdminAuthorized(req, res)) return;
  const std::string id = req.matches[1];
  ParsedDefinitions parsed = ParseDefinitions(req.body);
  if (!parsed.ok()) {
    Json errors = Json::array();
    for (const DefinitionError& e : parsed.errors) {
      errors.push_back({{"pointer", e.pointer}, {"message", e.message}});
    }
    return SetJson(
        res, 422,
        Json{{"ok", false}, {"error", parsed.errors[0].ToString()}, {"errors", std::move(errors)}});
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
    return FailStore(res);
  }
  SetJson(res, 201, Json{{"ok", true}, {"id", v.id}, {"version", v.version}});
}

}  // namespace nazar::collector
