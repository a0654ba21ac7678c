// The dashboard's sign-in, share links and page (DESIGN.md Contract 5): POST/GET/DELETE
// /v1/session, POST/GET /v1/shares, DELETE /v1/shares/ID, GET /s/TOKEN, GET / and /dashboard/*.
// Tokens leave the collector only in a Set-Cookie header or, once, in the share just made; the
// store keeps their SHA-256 hashes.
#include <httplib.h>

#include <cstring>

#include "collector/server_internal.h"

namespace nazar::collector {
namespace {

// The page a dead share link answers with (403): plain HTML under the strict CSP, no script.
constexpr char kDeadSharePage[] =
    "<!doctype html>\n<html lang=\"en\" dir=\"ltr\">\n<head>\n<meta charset=\"utf-8\">\n"
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
    "<meta name=\"referrer\" content=\"no-referrer\">\n"
    "<title>This link no longer works</title>\n"
    "<link rel=\"stylesheet\" href=\"/dashboard/dashboard.css\">\n</head>\n<body>\n"
    "<main id=\"db-main\" data-mode=\"revoked\">\n<h1>This link no longer works</h1>\n"
    "<p>The shared report has expired, was revoked, or the link is incomplete. "
    "Ask the person who shared it for a new link.</p>\n</main>\n</body>\n</html>\n";

// Answers of the routes in this file carry credentials or depend on them: never cached.
void NoStore(httplib::Response& res) { res.set_header("Cache-Control", "no-store"); }

void SeeOther(httplib::Response& res, const std::string& location) {
  NoStore(res);
  res.status = 303;
  res.set_header("Location", location);
}

Json ShareJson(const Share& s) {
  return Json{{"id", s.id},
              {"survey", s.survey},
              {"comments", s.comments},
              {"created", IsoSeconds(s.created)},
              {"expires", IsoSeconds(s.expires)},
              {"revoked", s.revoked == 0 ? Json(nullptr) : Json(IsoSeconds(s.revoked))}};
}

// Deletes the sessions of the session cookies a request presents (malformed ones name none).
Status DeleteSessions(Store& store, const std::vector<std::string>& tokens) {
  for (const std::string& token : tokens) {
    if (!IsTokenShaped(token)) continue;
    Status s = store.DeleteSession(HashToken(token));
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

}  // namespace

// POST /v1/session: the read token from the page's plain form (answers are redirects the page
// reads back from its URL) or from JSON (answers are statuses).
void Server::Impl::HandleSignIn(const httplib::Request& req, httplib::Response& res) {
  NoStore(res);
  const std::string type = req.get_header_value("Content-Type");
  const bool form = type.rfind("application/x-www-form-urlencoded", 0) == 0;
  if (!form && type.rfind("application/json", 0) != 0) {
    return Fail(res, 400,
                "Content-Type: expected application/x-www-form-urlencoded (field token) or "
                "application/json ({\"token\"})");
  }
  // A browser names the page that posts: only this collector's own (the dashboard is served
  // under Referrer-Policy: same-origin, so its form sends its origin). "null" comes from a
  // sandboxed or data: page, or a form under Referrer-Policy: no-referrer: not the dashboard.
  if (req.has_header("Origin") && !SameOrigin(req)) {
    if (req.get_header_value("Origin") == "null") {
      return Fail(res, 403,
                  "Origin: null: sign in from this collector's own page (a sandboxed page, or a "
                  "form under Referrer-Policy: no-referrer, sends no origin and is refused)");
    }
    return Fail(res, 403, "sign in from this collector's own page (Origin mismatch)");
  }
  const std::string client =
      ClientAddress(req.remote_addr, req.get_header_value("X-Forwarded-For"), trusted);
  if (const int wait = signin_limiter->Take(client, env.now_seconds()); wait > 0) {
    res.set_header("Retry-After", std::to_string(wait));
    if (form) return SeeOther(res, "/?signin=limited");
    return Fail(
        res, 429,
        "too many sign-in attempts from this address: retry in " + std::to_string(wait) + " s");
  }
  std::string token;
  if (form) {
    FormField(req.body, "token", &token);  // absent: the empty token, which never matches
  } else {
    Json body = Json::parse(req.body, nullptr, false);
    if (body.is_discarded() || !body.is_object()) {
      return Fail(res, 400, "the body is not a JSON object");
    }
    auto it = body.find("token");
    if (it == body.end() || !it->is_string()) return Fail(res, 400, "/token: expected a string");
    token = it->get<std::string>();
  }
  const std::string read = ReadToken();
  if (read.empty() || !ConstantTimeEquals(token, read)) {
    if (form) return SeeOther(res, "/?signin=failed");
    return Fail(res, 401,
                read.empty() ? "no read token is configured (NAZAR_READ_TOKEN or "
                               "--read-token-file)"
                             : "wrong token");
  }
  const std::string session_token = NewToken();
  const int64_t now = static_cast<int64_t>(env.now_seconds());
  // A sign-in while signed in replaces the session: the one the browser presents is deleted,
  // not left in the store until it expires.
  const std::vector<std::string> presented = CookieValues(req, kSessionCookie);
  Status stored = session_token.empty()
                      ? Status(StatusCode::kInternal, "the random number generator failed")
                      : WithStore([&](Store& store) {
                          Status deleted = DeleteSessions(store, presented);
                          if (!deleted.ok()) return deleted;
                          return store.PutSession(Session{HashToken(session_token), KeyId(read),
                                                          now, now + kSessionSeconds});
                        });
  if (!stored.ok()) {
    env.log("sign-in failed: " + stored.message());
    return FailStore(res);
  }
  res.set_header("Set-Cookie", SetCookieValue(kSessionCookie, session_token, kSessionSeconds,
                                              SecureRequest(req)));
  if (form) return SeeOther(res, "/");
  res.status = 204;
}

// DELETE /v1/session: ends the session (deleted from the store) and clears both cookies, so a
// share viewer can leave too. Signed out already: 204 all the same.
void Server::Impl::HandleSignOut(const httplib::Request& req, httplib::Response& res) {
  NoStore(res);
  const std::vector<std::string> sessions = CookieValues(req, kSessionCookie);
  const bool cookies = !sessions.empty() || !CookieValues(req, kShareCookie).empty();
  if (cookies && !SameOrigin(req)) {
    return Fail(res, 403, "sign out from this collector's own page (Origin mismatch)");
  }
  Status s = sessions.empty()
                 ? Status::Ok()
                 : WithStore([&](Store& store) { return DeleteSessions(store, sessions); });
  if (!s.ok()) {
    env.log("sign-out failed: " + s.message());
    return FailStore(res);
  }
  const bool secure = SecureRequest(req);
  res.set_header("Set-Cookie", SetCookieValue(kSessionCookie, "", 0, secure));
  res.set_header("Set-Cookie", SetCookieValue(kShareCookie, "", 0, secure));
  res.status = 204;
}

// GET /v1/session: who the page runs for.
void Server::Impl::HandleWhoAmI(const httplib::Request& req, httplib::Response& res) {
  Principal p;
  if (!Permit(req, res, Route::kSession, "", &p)) return;
  if (p.kind != Principal::kShare) {
    return SetJson(res, 200, Json{{"kind", p.kind == Principal::kBearer ? "bearer" : "session"}});
  }
  SetJson(res, 200,
          Json{{"kind", "share"},
               {"survey", p.survey},
               {"comments", p.comments},
               {"expires", IsoSeconds(p.expires)}});
}

// POST /v1/shares {"survey", "expires_days" (1-90), "comments" (optional, false)}.
void Server::Impl::HandleCreateShare(const httplib::Request& req, httplib::Response& res) {
  if (!Permit(req, res, Route::kShares, "", nullptr)) return;
  Json body = Json::parse(req.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) {
    return Fail(res, 400, "the body is not a JSON object");
  }
  for (auto it = body.begin(); it != body.end(); ++it) {
    if (it.key() != "survey" && it.key() != "expires_days" && it.key() != "comments") {
      return Fail(res, 400, "/" + it.key() + ": unknown field (survey, expires_days, comments)");
    }
  }
  auto survey = body.find("survey");
  if (survey == body.end() || !survey->is_string()) {
    return Fail(res, 400, "/survey: expected a survey id (a string)");
  }
  auto days = body.find("expires_days");
  if (days == body.end() || !days->is_number_integer()) {
    return Fail(res, 400, "/expires_days: expected a whole number of days, 1 to 90");
  }
  auto comments = body.find("comments");
  if (comments != body.end() && !comments->is_boolean()) {
    return Fail(res, 400, "/comments: expected true or false");
  }
  const std::string id = survey->get<std::string>();
  if (Snapshot()->Latest(id) == nullptr) {
    return Fail(res, 422, "/survey: \"" + id + "\" is not registered");
  }
  const int64_t expires_days = days->get<int64_t>();
  if (expires_days < 1 || expires_days > kMaxShareDays) {
    return Fail(res, 422,
                "/expires_days: " + std::to_string(expires_days) + " is outside 1 to " +
                    std::to_string(kMaxShareDays));
  }
  const int64_t now = static_cast<int64_t>(env.now_seconds());
  Share share;
  share.id = NewShareId();
  share.survey = id;
  share.comments = comments != body.end() && comments->get<bool>();
  share.created = now;
  share.expires = now + expires_days * 86400;
  const std::string token = NewToken();
  share.token_hash = HashToken(token);
  Status stored = token.empty() || share.id.empty()
                      ? Status(StatusCode::kInternal, "the random number generator failed")
                      : WithStore([&](Store& store) { return store.PutShare(share); });
  if (!stored.ok()) {
    env.log("share not stored: " + stored.message());
    return FailStore(res);
  }
  SetJson(res, 201,
          Json{{"id", share.id},
               {"url", OwnOrigin(req) + "/s/" + token},
               {"expires", IsoSeconds(share.expires)}});
}

// GET /v1/shares: every share, newest first, never a token.
void Server::Impl::HandleListShares(const httplib::Request& req, httplib::Response& res) {
  if (!Permit(req, res, Route::kShares, "", nullptr)) return;
  Result<std::vector<Share>> shares = WithStore([](Store& store) { return store.Shares(); });
  if (!shares.ok()) {
    env.log("shares failed: " + shares.status().message());
    return FailStore(res);
  }
  Json list = Json::array();
  for (const Share& s : *shares) list.push_back(ShareJson(s));
  SetJson(res, 200, Json{{"shares", std::move(list)}});
}

// DELETE /v1/shares/ID: revokes at once (the share's next request is 403).
void Server::Impl::HandleRevokeShare(const httplib::Request& req, httplib::Response& res) {
  if (!Permit(req, res, Route::kShares, "", nullptr)) return;
  const std::string id = req.matches[1];
  const int64_t now = static_cast<int64_t>(env.now_seconds());
  Result<bool> revoked = WithStore([&](Store& store) { return store.RevokeShare(id, now); });
  if (!revoked.ok()) {
    env.log("revoke failed: " + revoked.status().message());
    return FailStore(res);
  }
  if (!*revoked) return Fail(res, 404, "no share " + id);
  res.status = 204;
}

// GET /s/TOKEN: a live share sets the share cookie (until the share expires) and redirects to
// the dashboard for its survey, so the token leaves the address bar and the history.
void Server::Impl::HandleShareLink(const httplib::Request& req, httplib::Response& res) {
  NoStore(res);
  res.set_header("Referrer-Policy", "no-referrer");
  const std::string token = req.matches[1];
  const int64_t now = static_cast<int64_t>(env.now_seconds());
  std::optional<Share> share;
  if (IsTokenShaped(token)) {
    Result<std::optional<Share>> found =
        WithStore([&](Store& store) { return store.FindShare(HashToken(token)); });
    if (!found.ok()) {
      env.log("share lookup failed: " + found.status().message());
      return FailStore(res);
    }
    share = *found;
  }
  if (!share || !ShareLive(*share, now)) {
    res.status = 403;
    res.set_header("Content-Security-Policy", kPageCsp);
    res.set_header("X-Content-Type-Options", "nosniff");
    res.set_content(kDeadSharePage, "text/html; charset=utf-8");
    return;
  }
  res.set_header("Set-Cookie",
                 SetCookieValue(kShareCookie, token, share->expires - now, SecureRequest(req)));
  SeeOther(res, "/?survey=" + share->survey);  // survey ids are [a-z0-9_-]: nothing to escape
}

// GET / and /dashboard/*: the dashboard's files from --web-dir's dashboard/ folder, under the
// strict CSP; its HTML is never cached (it is the same for everyone, but a signed-out page
// must not come back from a cache after sign-in, nor a shared one after revocation).
void Server::Impl::HandleDashboard(const httplib::Request& req, httplib::Response& res) {
  if (options.web_dir.empty()) {
    return Fail(res, 404, "the dashboard is not served: start with --web-dir DIR (web/dist)");
  }
  // Referrer-Policy: same-origin: the sign-in form's post then carries the page's origin (under
  // no-referrer a browser sends "Origin: null", which sign-in refuses), while other sites still
  // get no referrer. No token is ever in the page's URL (the form posts it in the body).
  constexpr char kPolicy[] = "same-origin";
  if (req.path == "/") return ServePageFile("dashboard", "index.html", "no-store", kPolicy, res);
  const std::string rel = req.path.substr(std::strlen("/dashboard/"));
  const bool html = rel.size() >= 5 && rel.compare(rel.size() - 5, 5, ".html") == 0;
  ServePageFile("dashboard", rel, html ? "no-store" : "no-cache", kPolicy, res);
}

}  // namespace nazar::collector
