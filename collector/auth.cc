// Contract 5's access rules: tokens and their hashes, cookies, and the server's Authenticate,
// Permit and StillValid over its store.
#include "collector/auth.h"

#include <openssl/rand.h>
#include <openssl/sha.h>

#include <cctype>
#include <cstdio>

#include "collector/server_internal.h"
#include "nazar/date.h"

namespace nazar::collector {
namespace {

constexpr size_t kTokenBytes = 32;
constexpr size_t kTokenChars = 43;  // base64url of 32 bytes, no padding
constexpr size_t kShareIdBytes = 12;

std::string Base64Url(const unsigned char* data, size_t size) {
  static const char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  uint32_t bits = 0;
  int held = 0;
  for (size_t i = 0; i < size; ++i) {
    bits = (bits << 8) | data[i];
    held += 8;
    while (held >= 6) {
      held -= 6;
      out += kAlphabet[(bits >> held) & 63];
    }
  }
  if (held > 0) out += kAlphabet[(bits << (6 - held)) & 63];
  return out;
}

std::string RandomBase64Url(size_t bytes) {
  unsigned char buf[64];
  if (bytes > sizeof buf || RAND_bytes(buf, static_cast<int>(bytes)) != 1) return "";
  return Base64Url(buf, bytes);
}

std::string Hex(const unsigned char* data, size_t size) {
  static const char kDigits[] = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < size; ++i) {
    out += kDigits[data[i] >> 4];
    out += kDigits[data[i] & 15];
  }
  return out;
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string TrimSpaces(const std::string& s) {
  size_t b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t");
  return s.substr(b, e - b + 1);
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

bool Allows(const Principal& p, Route route, const std::string& survey) {
  switch (p.kind) {
    case Principal::kNone:
      return false;
    case Principal::kBearer:
      // Every route. Contract 5 names the stream for sessions and shares (a browser's
      // EventSource sends no header); a script with the read token may follow it too: it shows
      // no more than polling GET /v1/report, in steps of the minimum count.
      return true;
    case Principal::kSession:
      return true;
    case Principal::kShare:
      switch (route) {
        case Route::kSession:
          return true;
        case Route::kReport:
        case Route::kStream:
          return survey == p.survey;
        case Route::kComments:
          return survey == p.survey && p.comments;
        case Route::kShares:
          return false;
      }
  }
  return false;
}

bool ShareLive(const Share& share, int64_t now) {
  return share.revoked == 0 && share.expires > now;
}

std::string NewToken() { return RandomBase64Url(kTokenBytes); }

std::string NewShareId() { return RandomBase64Url(kShareIdBytes); }

bool IsTokenShaped(const std::string& text) {
  if (text.size() != kTokenChars) return false;
  for (char c : text) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') return false;
  }
  return true;
}

std::string HashToken(const std::string& token) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(token.data()), token.size(), digest);
  return Hex(digest, sizeof digest);
}

std::string KeyId(const std::string& read_token) {
  if (read_token.empty()) return "";
  // Domain-separated from HashToken, and short: it tells generations apart, nothing more.
  return HashToken("nazar session key\n" + read_token).substr(0, 16);
}

std::string BearerToken(const httplib::Request& req) {
  const std::string header = req.get_header_value("Authorization");
  const std::string prefix = "Bearer ";
  return header.size() > prefix.size() && header.compare(0, prefix.size(), prefix) == 0
             ? header.substr(prefix.size())
             : "";
}

std::vector<std::string> CookieValues(const httplib::Request& req, const std::string& name) {
  std::vector<std::string> out;
  const size_t headers = req.get_header_value_count("Cookie");
  for (size_t h = 0; h < headers; ++h) {
    const std::string line = req.get_header_value("Cookie", h);
    size_t start = 0;
    while (start < line.size()) {
      size_t end = line.find(';', start);
      if (end == std::string::npos) end = line.size();
      const std::string pair = TrimSpaces(line.substr(start, end - start));
      const size_t eq = pair.find('=');
      if (eq != std::string::npos && pair.compare(0, eq, name) == 0 && eq == name.size()) {
        std::string value = pair.substr(eq + 1);
        if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
          value = value.substr(1, value.size() - 2);
        }
        out.push_back(value);
      }
      start = end + 1;
    }
  }
  return out;
}

std::string SetCookieValue(const std::string& name, const std::string& value, int64_t max_age,
                           bool secure) {
  return name + "=" + value + "; Path=/; Max-Age=" + std::to_string(max_age < 0 ? 0 : max_age) +
         "; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
}

bool FormField(const std::string& body, const std::string& name, std::string* value) {
  size_t start = 0;
  while (start <= body.size()) {
    size_t end = body.find('&', start);
    if (end == std::string::npos) end = body.size();
    const std::string pair = body.substr(start, end - start);
    const size_t eq = pair.find('=');
    if (pair.compare(0, eq, name) == 0 &&
        (eq == std::string::npos ? pair.size() : eq) == name.size()) {
      std::string out;
      const std::string raw = eq == std::string::npos ? "" : pair.substr(eq + 1);
      for (size_t i = 0; i < raw.size(); ++i) {
        if (raw[i] == '+') {
          out += ' ';
        } else if (raw[i] == '%' && i + 2 < raw.size() && HexValue(raw[i + 1]) >= 0 &&
                   HexValue(raw[i + 2]) >= 0) {
          out += static_cast<char>(HexValue(raw[i + 1]) * 16 + HexValue(raw[i + 2]));
          i += 2;
        } else {
          out += raw[i];
        }
      }
      *value = out;
      return true;
    }
    start = end + 1;
  }
  return false;
}

std::string IsoSeconds(int64_t seconds) {
  const int64_t day = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400;
  const int64_t rest = seconds - day * 86400;
  char time[16];
  std::snprintf(time, sizeof time, "T%02d:%02d:%02dZ", static_cast<int>(rest / 3600),
                static_cast<int>(rest / 60 % 60), static_cast<int>(rest % 60));
  return FormatDay(day) + time;
}

// ---- The server's side -------------------------------------------------------------------

std::string Server::Impl::ReadToken() {
  std::lock_guard<std::mutex> lock(token_mu);
  return read_token;
}

bool Server::Impl::SecureRequest(const httplib::Request& req) const {
#ifdef CPPHTTPLIB_OPENSSL_SUPPORT
  if (req.ssl != nullptr) return true;  // an SSLServer (not used by nazar-collector today)
#endif
  if (trusted.empty()) return false;
  std::optional<IpBytes> peer = ParseIp(req.remote_addr);
  bool from_proxy = false;
  for (const Cidr& c : trusted) from_proxy = from_proxy || (peer && c.Contains(*peer));
  return from_proxy && Lower(TrimSpaces(req.get_header_value("X-Forwarded-Proto"))) == "https";
}

std::string Server::Impl::OwnOrigin(const httplib::Request& req) const {
  const std::string host = req.get_header_value("Host");
  if (host.empty()) return "";
  return std::string(SecureRequest(req) ? "https://" : "http://") + Lower(host);
}

bool Server::Impl::SameOrigin(const httplib::Request& req) const {
  const std::string own = OwnOrigin(req);
  return !own.empty() && req.get_header_value_count("Origin") == 1 &&
         Lower(req.get_header_value("Origin")) == own;
}

bool Server::Impl::SessionLive(const Session& session, const std::string& read, int64_t now) const {
  const std::string key = KeyId(read);
  return !key.empty() && session.key_id == key && session.expires > now;
}

Principal Server::Impl::Authenticate(const httplib::Request& req) {
  Principal p;
  bool presented = false, dead_share = false, store_down = false;
  const std::string read = ReadToken();
  if (req.has_header("Authorization")) {
    presented = true;
    const std::string given = BearerToken(req);
    if (ConstantTimeEquals(given, read)) {
      p.kind = Principal::kBearer;
      p.token_hash = HashToken(given);
      return p;
    }
  }
  const int64_t now = static_cast<int64_t>(env.now_seconds());
  for (const std::string& token : CookieValues(req, kSessionCookie)) {
    presented = true;
    if (!IsTokenShaped(token)) continue;
    const std::string hash = HashToken(token);
    Result<std::optional<Session>> found =
        WithStore([&](Store& store) { return store.FindSession(hash); });
    if (!found.ok()) {
      env.log("session lookup failed: " + found.status().message());
      store_down = true;
    } else if (*found && SessionLive(**found, read, now)) {
      p.kind = Principal::kSession;
      p.expires = (*found)->expires;
      p.token_hash = hash;
      return p;
    }
  }
  for (const std::string& token : CookieValues(req, kShareCookie)) {
    presented = true;
    dead_share = true;  // unless it is found alive
    if (!IsTokenShaped(token)) continue;
    const std::string hash = HashToken(token);
    Result<std::optional<Share>> found =
        WithStore([&](Store& store) { return store.FindShare(hash); });
    if (!found.ok()) {
      env.log("share lookup failed: " + found.status().message());
      store_down = true;
    } else if (*found && ShareLive(**found, now)) {
      p.kind = Principal::kShare;
      p.share_id = (*found)->id;
      p.survey = (*found)->survey;
      p.comments = (*found)->comments;
      p.expires = (*found)->expires;
      p.token_hash = hash;
      return p;
    }
  }
  p.failure = store_down   ? Principal::kStoreDown
              : dead_share ? Principal::kDeadShare
              : presented  ? Principal::kRejected
                           : Principal::kNoCredentials;
  return p;
}

bool Server::Impl::Permit(const httplib::Request& req, httplib::Response& res, Route route,
                          const std::string& survey, Principal* out) {
  res.set_header("Cache-Control", "no-store");
  Principal p = Authenticate(req);
  if (p.kind == Principal::kNone) {
    switch (p.failure) {
      case Principal::kStoreDown:
        FailStore(res);
        return false;
      case Principal::kDeadShare:
        Fail(res, 403, "this share link has expired or was revoked");
        return false;
      default:
        res.set_header("WWW-Authenticate", "Bearer");
        Fail(res, 401,
             ReadToken().empty()
                 ? "no read token is configured (NAZAR_READ_TOKEN or --read-token-file)"
                 : "sign in, or send a valid bearer read token");
        return false;
    }
  }
  // A cookie is sent by the browser whoever made the page: a change made with one must come
  // from this collector's own pages (CSRF).
  const bool by_cookie = p.kind == Principal::kSession || p.kind == Principal::kShare;
  if (by_cookie && req.method != "GET" && req.method != "HEAD" && !SameOrigin(req)) {
    Fail(res, 403,
         "a signed-in change must come from this collector's own page (Origin " +
             std::string(OwnOrigin(req).empty() ? "unknown" : "mismatch") + ")");
    return false;
  }
  if (!Allows(p, route, survey)) {
    Fail(res, 403,
         p.kind == Principal::kShare
             ? (route == Route::kComments && survey == p.survey
                    ? "this share link does not include comments"
                    : "this share link reads survey \"" + p.survey + "\" only")
             : "a bearer token cannot open a live stream: sign in on the dashboard");
    return false;
  }
  if (out) *out = std::move(p);
  return true;
}

bool Server::Impl::StillValid(const Principal& p) {
  const int64_t now = static_cast<int64_t>(env.now_seconds());
  switch (p.kind) {
    case Principal::kNone:
      return false;
    case Principal::kBearer: {
      const std::string read = ReadToken();
      return !read.empty() && HashToken(read) == p.token_hash;
    }
    case Principal::kSession: {
      Result<std::optional<Session>> found =
          WithStore([&](Store& store) { return store.FindSession(p.token_hash); });
      return found.ok() && *found && SessionLive(**found, ReadToken(), now);
    }
    case Principal::kShare: {
      Result<std::optional<Share>> found =
          WithStore([&](Store& store) { return store.FindShare(p.token_hash); });
      return found.ok() && *found && ShareLive(**found, now);
    }
  }
  return false;
}

}  // namespace nazar::collector
