// Network helpers of the collector: CIDR ranges for --trusted-proxies, the client address
// behind them, the per-address rate limit and constant-time token comparison.
#ifndef NAZAR_COLLECTOR_NET_H_
#define NAZAR_COLLECTOR_NET_H_

#include <array>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace nazar::collector {

// An IPv4 or IPv6 address as 16 bytes (IPv4 as ::ffff:a.b.c.d).
using IpBytes = std::array<uint8_t, 16>;

// Parses "10.1.2.3", "::1", "2001:db8::5" (also "[::1]" and "::ffff:10.1.2.3"); nullopt otherwise.
std::optional<IpBytes> ParseIp(const std::string& text);

// A CIDR range; an IPv4 prefix is stored over the mapped form (prefix + 96).
struct Cidr {
  IpBytes base{};
  int prefix = 0;  // over 128 bits
  bool Contains(const IpBytes& ip) const;
};

// Parses "10.0.0.0/8", "::1/128" or a bare address (a single host); nullopt when invalid.
std::optional<Cidr> ParseCidr(const std::string& text);

// The client address of a request: `peer` itself unless `peer` is in `trusted`; then the
// right-most X-Forwarded-For entry that is not itself a trusted proxy (the left-most when all
// are). An unparsable entry stops the walk and the entry right of it counts.
std::string ClientAddress(const std::string& peer, const std::string& forwarded_for,
                          const std::vector<Cidr>& trusted);

// True for a loopback address: 127.0.0.0/8 (also as ::ffff:127.x.y.z) or ::1.
bool IsLoopback(const std::string& address);

// The rate-limit bucket of a client address: an IPv4 address itself (also written as
// ::ffff:a.b.c.d), an IPv6 address's /64, the network one subscriber gets, so a client cannot
// walk its own prefix for fresh buckets. Text that is no address is its own bucket.
std::string RateLimitKey(const std::string& address);

// Per-client token buckets: `rate` tokens per second, at most 2 * rate held (the burst).
class RateLimiter {
 public:
  explicit RateLimiter(int rate) : rate_(rate), burst_(2.0 * rate) {}
  // `per_second` tokens per second, at most `burst` held (sign-in: 5 a minute, burst 10).
  RateLimiter(double per_second, double burst) : rate_(per_second), burst_(burst) {}
  // Takes a token for the bucket of `address` (RateLimitKey) at time `now_s` (seconds on a
  // monotonic clock). 0 when allowed, else the whole seconds to wait (at least 1) for the next
  // token.
  int Take(const std::string& address, double now_s);

 private:
  struct Bucket {
    double tokens = 0;
    double last = 0;
  };
  double rate_;
  double burst_;
  std::mutex mu_;
  std::unordered_map<std::string, Bucket> buckets_;
  double last_sweep_ = 0;
};

// True when `given` equals `expected`, in time independent of where they differ (and of the
// given length beyond the expected one). An empty `expected` never matches.
bool ConstantTimeEquals(const std::string& given, const std::string& expected);

}  // namespace nazar::collector

#endif  // NAZAR_COLLECTOR_NET_H_
