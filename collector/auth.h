// Who may read what (DESIGN.md Contract 5): the read token as a bearer header, a dashboard
// session cookie, or a share cookie scoped to one survey. The server's Authenticate, Permit and
// StillValid (server_internal.h, auth.cc) build on what is declared here.
#ifndef NAZAR_COLLECTOR_AUTH_H_
#define NAZAR_COLLECTOR_AUTH_H_

#include <httplib.h>

#include <cstdint>
#include <string>
#include <vector>

#include "collector/store.h"

namespace nazar::collector {

// The cookies the collector sets: both HttpOnly, SameSite=Strict, Path=/.
constexpr char kSessionCookie[] = "nazar_session";
constexpr char kShareCookie[] = "nazar_share";
constexpr int64_t kSessionSeconds = 12 * 3600;  // a session's lifetime
constexpr int kMaxShareDays = 90;               // a share's longest lifetime (expires_days)
// Expired shares stay listed (as expired) this long before the hourly prune deletes them.
constexpr int64_t kExpiredShareKeepSeconds = 30 * 86400;

// Who a request is from. kNone with `failure` saying why: nothing presented, credentials that
// do not match (401), a share link that is revoked, expired or unknown (403), or a store that
// did not answer (503).
struct Principal {
  enum Kind { kNone, kBearer, kSession, kShare };
  Kind kind = kNone;
  std::string share_id;    // kShare
  std::string survey;      // kShare: the one survey it reads
  bool comments = false;   // kShare: may read that survey's comments
  int64_t expires = 0;     // kSession, kShare: Unix seconds
  std::string token_hash;  // kBearer, kSession, kShare: the SHA-256 of the token (StillValid)
  enum Failure { kNoCredentials, kRejected, kDeadShare, kStoreDown };
  Failure failure = kNoCredentials;  // kNone only
};

// The routes that need a principal.
enum class Route { kReport, kComments, kStream, kShares, kSession };

// Contract 5's table: report: session, bearer, or a share of `survey`; comments: session,
// bearer, or a share of `survey` that allows comments; stream: session or a share of `survey`;
// shares: session or bearer; session (who am I): anyone signed in. A share never reads another
// survey or route.
bool Allows(const Principal& principal, Route route, const std::string& survey);

// True while a share may be used: not revoked, and `now` (Unix seconds) before its expiry.
bool ShareLive(const Share& share, int64_t now);

// A new secret token: 32 bytes from the operating system's CSPRNG, base64url without padding
// (43 characters); "" when the generator fails (the caller answers 503).
std::string NewToken();
// A new public share id: 12 random bytes, base64url (16 characters); "" on failure.
std::string NewShareId();
// True for text shaped like a NewToken token, so garbage never reaches the store.
bool IsTokenShaped(const std::string& text);
// The lower-case hex SHA-256 of `token`: what the store keeps instead of a token.
std::string HashToken(const std::string& token);
// The read token generation a session belongs to: a short hash of the read token ("" for no
// token). Rotating the read token changes it, which ends every session made under the old one.
std::string KeyId(const std::string& read_token);

// The token of an `Authorization: Bearer <token>` header, "" without one.
std::string BearerToken(const httplib::Request& req);
// The values of cookie `name` in the request's Cookie headers, in order (a browser may send
// the same name twice, from two paths).
std::vector<std::string> CookieValues(const httplib::Request& req, const std::string& name);
// A Set-Cookie value: HttpOnly; SameSite=Strict; Path=/; Max-Age=max_age (0 clears it); Secure
// when `secure`.
std::string SetCookieValue(const std::string& name, const std::string& value, int64_t max_age,
                           bool secure);
// Field `name` of an application/x-www-form-urlencoded body, percent- and plus-decoded; false
// when it is absent.
bool FormField(const std::string& body, const std::string& name, std::string* value);
// Unix seconds as "YYYY-MM-DDTHH:MM:SSZ" (UTC).
std::string IsoSeconds(int64_t seconds);

}  // namespace nazar::collector

#endif  // NAZAR_COLLECTOR_AUTH_H_
