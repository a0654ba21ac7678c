// Contract 5's readers, through the real server over HTTP on the memory store: dashboard sign-in
// (form and JSON), its rate limit, cookies and sign-out; share links (create, list, revoke,
// expiry, what a share may read); the CSRF Origin check; read token rotation; the dashboard
// page. Clocks are the test's (now_, today_); every expected value is written out by hand.
#include "collector/auth.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <string>
#include <vector>

#include "collector_fixture.h"
#include "nazar/json.h"

namespace nazar::collector {
namespace {

// What the fixture's clock reads (kNoon, 2026-11-30T12:00:00Z) as the API writes it.
constexpr char kNoonText[] = "2026-11-30T12:00:00Z";
constexpr char kCsp[] =
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; "
    "connect-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'; require-trusted-types-for 'script'";

// Every Set-Cookie header of an answer.
std::vector<std::string> SetCookies(const httplib::Result& r) {
  std::vector<std::string> out;
  for (size_t i = 0; i < r->get_header_value_count("Set-Cookie"); ++i) {
    out.push_back(r->get_header_value("Set-Cookie", i));
  }
  return out;
}

// The value a Set-Cookie header gives `name` ("name=VALUE; ..."), "" when it sets another.
std::string CookieValue(const std::string& set_cookie, const std::string& name) {
  const std::string prefix = name + "=";
  if (set_cookie.rfind(prefix, 0) != 0) return "";
  return set_cookie.substr(prefix.size(), set_cookie.find(';') - prefix.size());
}

class AuthTest : public CollectorTest {
 protected:
  std::string Origin() { return "http://127.0.0.1:" + std::to_string(port_); }

  httplib::Result Form(const std::string& body, httplib::Headers headers = {}) {
    return Client().Post("/v1/session", headers, body, "application/x-www-form-urlencoded");
  }

  httplib::Result JsonSignIn(const std::string& token, httplib::Headers headers = {}) {
    return Client().Post("/v1/session", headers, Json{{"token", token}}.dump(), "application/json");
  }

  // Signs in through the page's form (served under Referrer-Policy: same-origin, so the browser
  // sends the page's origin); the session cookie's token.
  std::string SignIn() {
    httplib::Result r = Form("token=reader-secret", {{"Origin", Origin()}});
    EXPECT_TRUE(r && r->status == 303) << (r ? r->body : "no answer");
    if (!r) return "";
    return CookieValue(r->get_header_value("Set-Cookie"), kSessionCookie);
  }

  // A request carrying `cookie` ("name=value"), from this collector's own page when `origin`.
  httplib::Result With(const std::string& method, const std::string& path,
                       const std::string& cookie, bool origin = true,
                       const std::string& body = "") {
    httplib::Headers h{{"Cookie", cookie}};
    if (origin) h.emplace("Origin", Origin());
    httplib::Client c = Client();
    if (method == "GET") return c.Get(path.c_str(), h);
    if (method == "DELETE") return c.Delete(path.c_str(), h);
    return c.Post(path.c_str(), h, body, "application/json");
  }

  // Creates a share with the bearer token; its body (id, url, expires).
  Json MakeShare(const std::string& survey, int days, bool comments) {
    httplib::Result r = Client().Post(
        "/v1/shares", {{"Authorization", "Bearer reader-secret"}},
        Json{{"survey", survey}, {"expires_days", days}, {"comments", comments}}.dump(),
        "application/json");
    EXPECT_TRUE(r && r->status == 201) << (r ? r->body : "no answer");
    return r ? Json::parse(r->body, nullptr, false) : Json();
  }

  // The token of a share's url (after "/s/").
  static std::string TokenOf(const Json& share) {
    const std::string url = share.value("url", "");
    return url.substr(url.find("/s/") + 3);
  }

  // Opens a share link as a browser following a link from another site; the cookie it sets.
  std::string OpenShare(const std::string& token) {
    httplib::Result r =
        Client().Get(("/s/" + token).c_str(), {{"Referer", "https://mail.example/inbox"},
                                               {"Sec-Fetch-Site", "cross-site"},
                                               {"Sec-Fetch-Mode", "navigate"}});
    EXPECT_TRUE(r && r->status == 303) << (r ? r->body : "no answer");
    if (!r) return "";
    return CookieValue(r->get_header_value("Set-Cookie"), kShareCookie);
  }

  std::vector<std::string> LogLines() {
    std::lock_guard<std::mutex> lock(log_mu_);
    return log_;
  }
};

TEST(AuthRules, AllowsFollowsContractFive) {
  Principal none, bearer, session, share, share_comments;
  bearer.kind = Principal::kBearer;
  session.kind = Principal::kSession;
  share.kind = Principal::kShare;
  share.survey = "shop";
  share_comments = share;
  share_comments.comments = true;
  // Rows: report, comments, stream, shares, session; each for survey "shop" and "dp".
  struct Row {
    Route route;
    const char* survey;
    bool none, bearer, session, share, share_comments;
  };
  const Row rows[] = {
      {Route::kReport, "shop", false, true, true, true, true},
      {Route::kReport, "dp", false, true, true, false, false},
      {Route::kComments, "shop", false, true, true, false, true},
      {Route::kComments, "dp", false, true, true, false, false},
      {Route::kStream, "shop", false, true, true, true, true},
      {Route::kStream, "dp", false, true, true, false, false},
      {Route::kShares, "", false, true, true, false, false},
      {Route::kSession, "", false, true, true, true, true},
  };
  for (const Row& row : rows) {
    const std::string where = std::to_string(static_cast<int>(row.route)) + " " + row.survey;
    EXPECT_EQ(Allows(none, row.route, row.survey), row.none) << where;
    EXPECT_EQ(Allows(bearer, row.route, row.survey), row.bearer) << where;
    EXPECT_EQ(Allows(session, row.route, row.survey), row.session) << where;
    EXPECT_EQ(Allows(share, row.route, row.survey), row.share) << where;
    EXPECT_EQ(Allows(share_comments, row.route, row.survey), row.share_comments) << where;
  }
}

TEST(AuthRules, TokensHashesCookiesAndForms) {
  // FIPS 180-2's example: SHA-256("abc").
  EXPECT_EQ(HashToken("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  const std::string a = NewToken(), b = NewToken();
  EXPECT_EQ(a.size(), 43u);
  EXPECT_TRUE(IsTokenShaped(a)) << a;
  EXPECT_NE(a, b);
  EXPECT_EQ(NewShareId().size(), 16u);
  EXPECT_FALSE(IsTokenShaped(a.substr(1)));
  EXPECT_FALSE(IsTokenShaped(a.substr(1) + "="));
  EXPECT_EQ(KeyId(""), "");
  EXPECT_EQ(KeyId("reader-secret").size(), 16u);
  EXPECT_NE(KeyId("reader-secret"), KeyId("reader-secret2"));
  EXPECT_NE(KeyId("abc"), HashToken("abc").substr(0, 16));  // domain-separated

  std::string value;
  ASSERT_TRUE(FormField("a=1&token=x%2By+z%26%3D&b=2", "token", &value));
  EXPECT_EQ(value, "x+y z&=");
  ASSERT_TRUE(FormField("tokens=no&token=", "token", &value));
  EXPECT_EQ(value, "");
  EXPECT_FALSE(FormField("tokens=no&atoken=no", "token", &value));

  httplib::Request req;
  req.headers.emplace("Cookie", "a=1; nazar_session=one;nazar_session_x=no");
  req.headers.emplace("Cookie", "nazar_session=\"two\"");
  EXPECT_EQ(CookieValues(req, "nazar_session"), (std::vector<std::string>{"one", "two"}));
  EXPECT_EQ(SetCookieValue("n", "v", 60, false),
            "n=v; Path=/; Max-Age=60; HttpOnly; SameSite=Strict");
  EXPECT_EQ(SetCookieValue("n", "", -5, true),
            "n=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict; Secure");
  EXPECT_EQ(IsoSeconds(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(IsoSeconds(1'796'126'400 + 3661), "2026-12-01T13:01:01Z");
}

TEST_F(AuthTest, FormSignInSetsAStrictHttpOnlySessionCookie) {
  Start();
  httplib::Result r = Form("token=reader-secret", {{"Origin", Origin()}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 303);
  EXPECT_EQ(r->get_header_value("Location"), "/");
  EXPECT_EQ(r->get_header_value("Cache-Control"), "no-store");
  const std::vector<std::string> cookies = SetCookies(r);
  ASSERT_EQ(cookies.size(), 1u);
  const std::string token = CookieValue(cookies[0], kSessionCookie);
  EXPECT_EQ(token.size(), 43u) << cookies[0];
  EXPECT_EQ(cookies[0], std::string(kSessionCookie) + "=" + token +
                            "; Path=/; Max-Age=43200; HttpOnly; SameSite=Strict");
  EXPECT_EQ(db_->SessionCount(), 1u);

  const std::string cookie = std::string(kSessionCookie) + "=" + token;
  r = With("GET", "/v1/session", cookie);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(Body(r), Json({{"kind", "session"}}));
  r = With("GET", "/v1/report?survey=shop", cookie);
  EXPECT_EQ(r->status, 200) << r->body;
  r = With("GET", "/v1/comments?survey=dp", cookie);
  EXPECT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(With("GET", "/v1/shares", cookie)->status, 200);
  // Signed out: 401, and a made-up or malformed cookie is no better.
  EXPECT_EQ(Get("/v1/session")->status, 401);
  EXPECT_EQ(With("GET", "/v1/session", std::string(kSessionCookie) + "=" + NewToken())->status,
            401);
  EXPECT_EQ(With("GET", "/v1/session", std::string(kSessionCookie) + "=x")->status, 401);
  // The bearer token says so.
  EXPECT_EQ(Body(Get("/v1/session", "reader-secret")), Json({{"kind", "bearer"}}));
}

TEST_F(AuthTest, JsonSignInAndWrongTokens) {
  Start();
  httplib::Result r = JsonSignIn("reader-secret");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 204);
  EXPECT_EQ(CookieValue(r->get_header_value("Set-Cookie"), kSessionCookie).size(), 43u);

  r = JsonSignIn("reader-secreT");
  EXPECT_EQ(r->status, 401);
  EXPECT_EQ(Body(r)["error"], "wrong token");
  EXPECT_FALSE(r->has_header("Set-Cookie"));
  r = JsonSignIn("admin-secret");
  EXPECT_EQ(r->status, 401);
  r = Form("token=reader-secre", {{"Origin", Origin()}});
  EXPECT_EQ(r->status, 303);
  EXPECT_EQ(r->get_header_value("Location"), "/?signin=failed");
  EXPECT_FALSE(r->has_header("Set-Cookie"));
  r = Form("nothing=here");
  EXPECT_EQ(r->get_header_value("Location"), "/?signin=failed");
  // Neither form nor JSON, or JSON without a string token: 400.
  r = Client().Post("/v1/session", "token=reader-secret", "text/plain");
  EXPECT_EQ(r->status, 400);
  r = Client().Post("/v1/session", "{\"token\":5}", "application/json");
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(Body(r)["error"], "/token: expected a string");
  // A token in the query string is not read.
  r = Client().Post("/v1/session?token=reader-secret", "", "application/x-www-form-urlencoded");
  EXPECT_EQ(r->get_header_value("Location"), "/?signin=failed");
  // Another site's page cannot sign a browser in.
  r = Form("token=reader-secret", {{"Origin", "https://evil.example"}});
  EXPECT_EQ(r->status, 403);
  EXPECT_EQ(db_->SessionCount(), 1u);
}

// "Origin: null" is what a sandboxed or data: page, or a form under Referrer-Policy:
// no-referrer, sends: never the dashboard (served under same-origin). Refused, form or JSON,
// with the reason, before the token is even read.
TEST_F(AuthTest, SignInRefusesOriginNull) {
  Start();
  const std::string message =
      "Origin: null: sign in from this collector's own page (a sandboxed page, or a form under "
      "Referrer-Policy: no-referrer, sends no origin and is refused)";
  httplib::Result r = Form("token=reader-secret", {{"Origin", "null"}});
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 403) << r->get_header_value("Location");
  EXPECT_EQ(Body(r)["error"], message);
  EXPECT_FALSE(r->has_header("Set-Cookie"));
  r = JsonSignIn("reader-secret", {{"Origin", "null"}});
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 403);
  EXPECT_EQ(Body(r)["error"], message);
  EXPECT_EQ(db_->SessionCount(), 0u);
  // The page's own origin signs in.
  EXPECT_EQ(Form("token=reader-secret", {{"Origin", Origin()}})->status, 303);
  EXPECT_EQ(db_->SessionCount(), 1u);
}

// 5 attempts a minute per address, a burst of 10: the 11th at once is refused for 12 s
// (60 / 5); the client's address behind a trusted proxy has its own bucket.
TEST_F(AuthTest, SignInAttemptsAreRateLimitedPerAddress) {
  options_.trusted_proxies = {"127.0.0.1/32"};
  Start();
  for (int i = 1; i <= 10; ++i) {
    httplib::Result r = Form("token=wrong");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->get_header_value("Location"), "/?signin=failed") << "attempt " << i;
  }
  httplib::Result r = Form("token=reader-secret");
  EXPECT_EQ(r->status, 303);
  EXPECT_EQ(r->get_header_value("Location"), "/?signin=limited");
  EXPECT_EQ(r->get_header_value("Retry-After"), "12");
  EXPECT_FALSE(r->has_header("Set-Cookie"));
  r = JsonSignIn("reader-secret");
  EXPECT_EQ(r->status, 429);
  EXPECT_EQ(r->get_header_value("Retry-After"), "12");
  // Another client behind the proxy is not held back.
  r = JsonSignIn("reader-secret", {{"X-Forwarded-For", "203.0.113.7"}});
  EXPECT_EQ(r->status, 204);
  // 13 s later one more attempt (a token comes back every 12 s), then none.
  now_ = now_.load() + 13;
  EXPECT_EQ(JsonSignIn("reader-secret")->status, 204);
  EXPECT_EQ(JsonSignIn("reader-secret")->status, 429);
  EXPECT_EQ(db_->SessionCount(), 2u);
}

TEST_F(AuthTest, CookiesAreSecureOnlyOverHttpsFromATrustedProxy) {
  Start();
  httplib::Result r = JsonSignIn("reader-secret", {{"X-Forwarded-Proto", "https"}});
  EXPECT_EQ(r->get_header_value("Set-Cookie").find("Secure"), std::string::npos);
  Stop();
  options_.trusted_proxies = {"127.0.0.1/32"};
  Start();
  r = JsonSignIn("reader-secret", {{"X-Forwarded-Proto", "https"}});
  const std::string cookie = r->get_header_value("Set-Cookie");
  EXPECT_EQ(cookie.substr(cookie.size() - 8), "; Secure") << cookie;
  r = JsonSignIn("reader-secret", {{"X-Forwarded-Proto", "http"}});
  EXPECT_EQ(r->get_header_value("Set-Cookie").find("Secure"), std::string::npos);
}

TEST_F(AuthTest, SignOutEndsTheSessionAndClearsTheCookies) {
  Start();
  const std::string cookie = std::string(kSessionCookie) + "=" + SignIn();
  // Without this collector's Origin the cookie cannot sign out (nor anything else).
  EXPECT_EQ(With("DELETE", "/v1/session", cookie, false)->status, 403);
  httplib::Result r = Client().Delete("/v1/session", {{"Cookie", cookie}, {"Origin", "null"}});
  EXPECT_EQ(r->status, 403);
  EXPECT_EQ(With("GET", "/v1/session", cookie)->status, 200);

  r = With("DELETE", "/v1/session", cookie);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 204);
  EXPECT_EQ(SetCookies(r), (std::vector<std::string>{
                               "nazar_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict",
                               "nazar_share=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict"}));
  EXPECT_EQ(db_->SessionCount(), 0u);
  EXPECT_EQ(With("GET", "/v1/session", cookie)->status, 401);
  EXPECT_EQ(With("GET", "/v1/report?survey=shop", cookie)->status, 401);
  // Signed out already: still 204.
  EXPECT_EQ(Client().Delete("/v1/session")->status, 204);
}

TEST_F(AuthTest, SessionsLastTwelveHours) {
  Start();
  const std::string cookie = std::string(kSessionCookie) + "=" + SignIn();
  now_ = kNoon + 12 * 3600 - 1;
  EXPECT_EQ(With("GET", "/v1/session", cookie)->status, 200);
  now_ = kNoon + 12 * 3600;
  EXPECT_EQ(With("GET", "/v1/session", cookie)->status, 401);
}

TEST_F(AuthTest, RotatingTheReadTokenEndsEverySession) {
  Start();
  const std::string cookie = std::string(kSessionCookie) + "=" + SignIn();
  Write("read.token", "reader-secret-2\n");
  ASSERT_TRUE(server_->Reload().ok());
  EXPECT_EQ(With("GET", "/v1/session", cookie)->status, 401);
  EXPECT_EQ(With("GET", "/v1/report?survey=shop", cookie)->status, 401);
  EXPECT_EQ(Get("/v1/session", "reader-secret")->status, 401);
  EXPECT_EQ(Body(Get("/v1/session", "reader-secret-2")), Json({{"kind", "bearer"}}));
  EXPECT_EQ(JsonSignIn("reader-secret")->status, 401);
  EXPECT_EQ(JsonSignIn("reader-secret-2")->status, 204);
}

TEST_F(AuthTest, SharesAreCreatedListedAndRevoked) {
  Start();
  const std::string cookie = std::string(kSessionCookie) + "=" + SignIn();
  httplib::Result r =
      With("POST", "/v1/shares", cookie, true,
           Json{{"survey", "shop"}, {"expires_days", 7}, {"comments", false}}.dump());
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 201) << r->body;
  EXPECT_EQ(r->get_header_value("Cache-Control"), "no-store");
  const Json made = Body(r);
  const std::string id = made["id"];
  const std::string token = TokenOf(made);
  EXPECT_EQ(made["url"], Origin() + "/s/" + token);
  EXPECT_TRUE(IsTokenShaped(token)) << token;
  EXPECT_EQ(made["expires"], "2026-12-07T12:00:00Z");
  EXPECT_EQ(id.size(), 16u);
  // The bearer token may make one too, without an Origin; comments default to false.
  r = Client().Post("/v1/shares", {{"Authorization", "Bearer reader-secret"}},
                    "{\"survey\":\"dp\",\"expires_days\":90}", "application/json");
  ASSERT_EQ(r->status, 201) << r->body;
  const std::string second = Body(r)["id"];

  now_ = kNoon + 60;
  ASSERT_EQ(With("DELETE", "/v1/shares/" + id, cookie)->status, 204);
  r = With("GET", "/v1/shares", cookie);
  ASSERT_EQ(r->status, 200);
  EXPECT_EQ(r->body.find(token), std::string::npos);
  EXPECT_EQ(r->body.find(HashToken(token)), std::string::npos);
  Json expected = Json::array();
  expected.push_back({{"id", second},
                      {"survey", "dp"},
                      {"comments", false},
                      {"created", kNoonText},
                      {"expires", "2027-02-28T12:00:00Z"},
                      {"revoked", nullptr}});
  expected.push_back({{"id", id},
                      {"survey", "shop"},
                      {"comments", false},
                      {"created", kNoonText},
                      {"expires", "2026-12-07T12:00:00Z"},
                      {"revoked", "2026-11-30T12:01:00Z"}});
  // Newest first; both made at the same second, so by id, descending.
  if (second < id) std::swap(expected[0], expected[1]);
  EXPECT_EQ(Body(r)["shares"], expected);
  EXPECT_EQ(With("DELETE", "/v1/shares/nosuchshare", cookie)->status, 404);
  EXPECT_EQ(Client().Delete(("/v1/shares/" + second).c_str())->status, 401);
}

TEST_F(AuthTest, BadShareBodiesNameThePointer) {
  Start();
  const std::pair<std::string, std::pair<int, std::string>> cases[] = {
      {"not json", {400, "the body is not a JSON object"}},
      {"[1]", {400, "the body is not a JSON object"}},
      {"{\"expires_days\":7}", {400, "/survey: expected a survey id (a string)"}},
      {"{\"survey\":\"shop\"}", {400, "/expires_days: expected a whole number of days, 1 to 90"}},
      {"{\"survey\":\"shop\",\"expires_days\":\"7\"}",
       {400, "/expires_days: expected a whole number of days, 1 to 90"}},
      {"{\"survey\":\"shop\",\"expires_days\":1.5}",
       {400, "/expires_days: expected a whole number of days, 1 to 90"}},
      {"{\"survey\":\"shop\",\"expires_days\":7,\"comments\":\"yes\"}",
       {400, "/comments: expected true or false"}},
      {"{\"survey\":\"shop\",\"expires_days\":7,\"token\":\"x\"}",
       {400, "/token: unknown field (survey, expires_days, comments)"}},
      {"{\"survey\":\"nope\",\"expires_days\":7}", {422, "/survey: \"nope\" is not registered"}},
      {"{\"survey\":\"shop\",\"expires_days\":0}", {422, "/expires_days: 0 is outside 1 to 90"}},
      {"{\"survey\":\"shop\",\"expires_days\":91}", {422, "/expires_days: 91 is outside 1 to 90"}},
  };
  for (const auto& [body, expected] : cases) {
    httplib::Result r = Client().Post("/v1/shares", {{"Authorization", "Bearer reader-secret"}},
                                      body, "application/json");
    ASSERT_TRUE(r) << body;
    EXPECT_EQ(r->status, expected.first) << body;
    EXPECT_EQ(Body(r)["error"], expected.second) << body;
  }
  EXPECT_EQ(Body(Get("/v1/shares", "reader-secret"))["shares"], Json::array());
}

// A link opened from another site: the answer sets the share cookie (SameSite=Strict is kept
// by browsers on a top-level navigation's answer; the page's own fetches then send it) and
// leaves the token out of the address it redirects to.
TEST_F(AuthTest, AShareLinkReadsItsSurveyOnly) {
  Start();
  const Json made = MakeShare("shop", 7, false);
  const std::string token = TokenOf(made);
  httplib::Result r =
      Client().Get(("/s/" + token).c_str(),
                   {{"Referer", "https://mail.example/inbox"}, {"Sec-Fetch-Site", "cross-site"}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 303);
  EXPECT_EQ(r->get_header_value("Location"), "/?survey=shop");
  EXPECT_EQ(r->get_header_value("Cache-Control"), "no-store");
  EXPECT_EQ(r->get_header_value("Referrer-Policy"), "no-referrer");
  EXPECT_EQ(SetCookies(r),
            std::vector<std::string>{"nazar_share=" + token +
                                     "; Path=/; Max-Age=604800; HttpOnly; SameSite=Strict"});
  const std::string cookie = std::string(kShareCookie) + "=" + token;

  r = With("GET", "/v1/session", cookie);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(Body(r), Json({{"kind", "share"},
                           {"survey", "shop"},
                           {"comments", false},
                           {"expires", "2026-12-07T12:00:00Z"}}));
  EXPECT_EQ(With("GET", "/v1/report?survey=shop", cookie)->status, 200);
  // Another survey, comments it was not given, the share routes, a registered survey that does
  // not exist for it: 403 each.
  r = With("GET", "/v1/report?survey=dp", cookie);
  EXPECT_EQ(r->status, 403);
  EXPECT_EQ(Body(r)["error"], "this share link reads survey \"shop\" only");
  r = With("GET", "/v1/comments?survey=shop", cookie);
  EXPECT_EQ(r->status, 403);
  EXPECT_EQ(Body(r)["error"], "this share link does not include comments");
  EXPECT_EQ(With("GET", "/v1/comments?survey=dp", cookie)->status, 403);
  EXPECT_EQ(With("GET", "/v1/shares", cookie)->status, 403);
  EXPECT_EQ(With("POST", "/v1/shares", cookie, true,
                 "{\"survey\":\"shop\",\"expires_days\":90,\"comments\":true}")
                ->status,
            403);
  EXPECT_EQ(With("DELETE", "/v1/shares/" + made["id"].get<std::string>(), cookie)->status, 403);
  EXPECT_EQ(With("GET", "/v1/report", cookie)->status, 403);
  EXPECT_EQ(Body(Get("/v1/shares", "reader-secret"))["shares"].size(), 1u);

  // With comments, it reads that survey's comments (and still no other's).
  const std::string with_comments =
      std::string(kShareCookie) + "=" + OpenShare(TokenOf(MakeShare("shop", 1, true)));
  EXPECT_EQ(With("GET", "/v1/comments?survey=shop", with_comments)->status, 200);
  EXPECT_EQ(With("GET", "/v1/comments?survey=dp", with_comments)->status, 403);
}

TEST_F(AuthTest, ARevokedOrExpiredShareIs403WithAPage) {
  Start();
  const Json made = MakeShare("shop", 1, true);
  const std::string token = TokenOf(made);
  const std::string cookie = std::string(kShareCookie) + "=" + OpenShare(token);
  EXPECT_EQ(With("GET", "/v1/report?survey=shop", cookie)->status, 200);
  ASSERT_EQ(Client()
                .Delete(("/v1/shares/" + made["id"].get<std::string>()).c_str(),
                        {{"Authorization", "Bearer reader-secret"}})
                ->status,
            204);
  for (const char* path : {"/v1/report?survey=shop", "/v1/comments?survey=shop", "/v1/session"}) {
    httplib::Result r = With("GET", path, cookie);
    EXPECT_EQ(r->status, 403) << path;
    EXPECT_EQ(Body(r)["error"], "this share link has expired or was revoked") << path;
  }
  httplib::Result r = Get("/s/" + token);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 403);
  EXPECT_EQ(r->get_header_value("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(r->get_header_value("Content-Security-Policy"), kCsp);
  EXPECT_NE(r->body.find("<h1>This link no longer works</h1>"), std::string::npos);
  EXPECT_FALSE(r->has_header("Set-Cookie"));
  // Unknown and malformed links answer the same page.
  EXPECT_EQ(Get("/s/" + NewToken())->status, 403);
  EXPECT_EQ(Get("/s/short")->status, 403);
  EXPECT_EQ(Get("/s/")->status, 403);

  // Expiry: alive one second before, dead from its expiry on, for the link and the cookie.
  const std::string token2 = TokenOf(MakeShare("shop", 1, false));
  const std::string cookie2 = std::string(kShareCookie) + "=" + OpenShare(token2);
  now_ = kNoon + 86400 - 1;
  EXPECT_EQ(With("GET", "/v1/report?survey=shop", cookie2)->status, 200);
  EXPECT_EQ(Get("/s/" + token2)->status, 303);
  now_ = kNoon + 86400;
  EXPECT_EQ(With("GET", "/v1/report?survey=shop", cookie2)->status, 403);
  EXPECT_EQ(Get("/s/" + token2)->status, 403);
  EXPECT_EQ(With("GET", "/v1/session", cookie2)->status, 403);
}

TEST_F(AuthTest, ShareCookieMaxAgeEndsWithTheShare) {
  Start();
  const std::string token = TokenOf(MakeShare("shop", 2, false));
  now_ = kNoon + 3600;  // opened an hour after it was made: 2 days less an hour left
  httplib::Result r = Get("/s/" + token);
  EXPECT_EQ(SetCookies(r),
            std::vector<std::string>{"nazar_share=" + token +
                                     "; Path=/; Max-Age=169200; HttpOnly; SameSite=Strict"});
}

TEST_F(AuthTest, CookieChangesNeedThisCollectorsOrigin) {
  Start();
  const std::string cookie = std::string(kSessionCookie) + "=" + SignIn();
  const std::string body = "{\"survey\":\"shop\",\"expires_days\":3}";
  httplib::Result r = With("POST", "/v1/shares", cookie, false, body);
  EXPECT_EQ(r->status, 403);
  EXPECT_EQ(Body(r)["error"],
            "a signed-in change must come from this collector's own page (Origin mismatch)");
  for (const char* origin : {"https://evil.example", "null", "http://127.0.0.1"}) {
    r = Client().Post("/v1/shares", {{"Cookie", cookie}, {"Origin", origin}}, body,
                      "application/json");
    EXPECT_EQ(r->status, 403) << origin;
  }
  // https:// is not this request's scheme (no trusted proxy said so).
  r = Client().Post("/v1/shares",
                    {{"Cookie", cookie}, {"Origin", "https://127.0.0.1:" + std::to_string(port_)}},
                    body, "application/json");
  EXPECT_EQ(r->status, 403);
  EXPECT_EQ(Body(Get("/v1/shares", "reader-secret"))["shares"].size(), 0u);
  r = With("POST", "/v1/shares", cookie, true, body);
  ASSERT_EQ(r->status, 201) << r->body;
  const std::string id = Body(r)["id"];
  r = Client().Delete(("/v1/shares/" + id).c_str(),
                      {{"Cookie", cookie}, {"Origin", "https://evil.example"}});
  EXPECT_EQ(r->status, 403);
  EXPECT_EQ(Body(Get("/v1/shares", "reader-secret"))["shares"][0]["revoked"], nullptr);
  // Reads need no Origin.
  EXPECT_EQ(With("GET", "/v1/report?survey=shop", cookie, false)->status, 200);
}

TEST_F(AuthTest, AStoreThatDoesNotAnswerIs503) {
  Start();
  const std::string cookie = std::string(kSessionCookie) + "=" + SignIn();
  db_->fail = true;
  httplib::Result r = With("GET", "/v1/session", cookie);
  EXPECT_EQ(r->status, 503);
  EXPECT_EQ(r->get_header_value("Retry-After"), "2");
  r = JsonSignIn("reader-secret");
  EXPECT_EQ(r->status, 503);
  EXPECT_FALSE(r->has_header("Set-Cookie"));
  EXPECT_EQ(Get("/s/" + NewToken())->status, 503);
  db_->fail = false;
  EXPECT_EQ(With("GET", "/v1/session", cookie)->status, 200);
}

// The hourly prune (also run at start): expired sessions go at once, expired shares after 30
// days of being listed as expired.
TEST_F(AuthTest, ThePrunesDropExpiredSessionsAndLongExpiredShares) {
  testing::MemoryStore store(db_);
  const int64_t now = static_cast<int64_t>(kNoon);
  ASSERT_TRUE(store.PutSession({"expired", "k", now - 43200, now - 1}).ok());
  ASSERT_TRUE(store.PutSession({"live", "k", now, now + 43200}).ok());
  ASSERT_TRUE(store.PutShare({"old", "shop", "h1", false, 0, now - 30 * 86400 - 1, 0}).ok());
  ASSERT_TRUE(store.PutShare({"recent", "shop", "h2", false, 0, now - 30 * 86400, 0}).ok());
  Start();
  EXPECT_EQ(db_->SessionCount(), 1u);
  const Json shares = Body(Get("/v1/shares", "reader-secret"))["shares"];
  ASSERT_EQ(shares.size(), 1u);
  EXPECT_EQ(shares[0]["id"], "recent");
}

TEST_F(AuthTest, TheDashboardIsServedUnderTheStrictCsp) {
  Write("web/dashboard/index.html", "<!doctype html><title>Dashboard</title>");
  Write("web/dashboard/dashboard.js", "export {};");
  Write("web/dashboard/dashboard.css", "body{}");
  Write("web/secret.js", "outside the dashboard folder");
  options_.web_dir = (dir_ / "web").string();
  Start();
  httplib::Result r = Get("/");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "<!doctype html><title>Dashboard</title>");
  EXPECT_EQ(r->get_header_value("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(r->get_header_value("Content-Security-Policy"), kCsp);
  // same-origin: the sign-in form's post carries the page's origin (no-referrer made it null).
  EXPECT_EQ(r->get_header_value("Referrer-Policy"), "same-origin");
  EXPECT_EQ(r->get_header_value("Cache-Control"), "no-store");
  EXPECT_EQ(r->get_header_value("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(Get("/?survey=shop&signin=failed")->body, r->body);
  r = Get("/dashboard/dashboard.js");
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "export {};");
  EXPECT_EQ(r->get_header_value("Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(r->get_header_value("Content-Security-Policy"), kCsp);
  EXPECT_EQ(r->get_header_value("Cache-Control"), "no-cache");
  EXPECT_EQ(Get("/dashboard/dashboard.css")->get_header_value("Content-Type"),
            "text/css; charset=utf-8");
  for (const char* path : {"/dashboard/../secret.js", "/dashboard/%2e%2e/secret.js", "/dashboard/",
                           "/dashboard/missing.js", "/secret.js", "/dashboard"}) {
    r = Get(path);
    EXPECT_EQ(r->status, 404) << path;
    EXPECT_EQ(r->body.find("outside"), std::string::npos) << path;
  }
}

TEST_F(AuthTest, WithoutWebDirTheDashboardIs404NamingTheFlag) {
  Start();
  httplib::Result r = Get("/");
  EXPECT_EQ(r->status, 404);
  EXPECT_NE(Body(r)["error"].get<std::string>().find("--web-dir"), std::string::npos);
}

TEST_F(AuthTest, MetricsAndLogsNeverCarryATokenOrACookie) {
  Start();
  const std::string session = SignIn();
  const std::string cookie = std::string(kSessionCookie) + "=" + session;
  const std::string token = TokenOf(MakeShare("shop", 7, true));
  const std::string share = OpenShare(token);
  ASSERT_EQ(share, token);
  EXPECT_EQ(With("GET", "/v1/session", cookie)->status, 200);
  EXPECT_EQ(Get("/s/" + NewToken())->status, 403);
  EXPECT_EQ(With("GET", "/v1/report?survey=shop", std::string(kShareCookie) + "=" + share)->status,
            200);
  // A request is counted once answered (as it is logged, below): the sign-in's count may land a
  // moment after its answer reached the client, so read until it has.
  std::string metrics;
  for (int i = 0; i < 2000; ++i) {
    metrics = Get("/metrics")->body;
    if (metrics.find("route=\"/v1/session\",status=\"303\"") != std::string::npos) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_NE(metrics.find("nazar_requests_total{route=\"/s/TOKEN\",status=\"303\"} 1"),
            std::string::npos)
      << metrics;
  EXPECT_NE(metrics.find("nazar_requests_total{route=\"/s/TOKEN\",status=\"403\"} 1"),
            std::string::npos);
  EXPECT_NE(metrics.find("nazar_requests_total{route=\"/v1/session\",status=\"303\"} 1"),
            std::string::npos);
  EXPECT_NE(metrics.find("nazar_requests_total{route=\"/v1/shares\",status=\"201\"} 1"),
            std::string::npos);
  EXPECT_EQ(metrics.find(token), std::string::npos);
  // Every request so far is logged (the last, /metrics, after its answer: wait for it).
  bool logged = false;
  for (int i = 0; i < 2000 && !logged; ++i) {
    for (const std::string& line : LogLines())
      logged = logged || line.rfind("GET /metrics", 0) == 0;
    if (!logged) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_TRUE(logged);
  int share_lines = 0;
  for (const std::string& line : LogLines()) {
    EXPECT_EQ(line.find(token), std::string::npos) << line;
    EXPECT_EQ(line.find(session), std::string::npos) << line;
    EXPECT_EQ(line.find("reader-secret"), std::string::npos) << line;
    EXPECT_EQ(line.find("nazar_"), std::string::npos) << line;
    share_lines += line.rfind("GET /s/TOKEN ", 0) == 0;
  }
  EXPECT_EQ(share_lines, 2);
}

}  // namespace
}  // namespace nazar::collector
