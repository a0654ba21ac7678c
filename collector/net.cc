#include "collector/net.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cmath>

namespace nazar::collector {

std::optional<IpBytes> ParseIp(const std::string& raw) {
  std::string text = raw;
  while (!text.empty() && text.front() == ' ') text.erase(text.begin());
  while (!text.empty() && text.back() == ' ') text.pop_back();
  if (text.size() > 2 && text.front() == '[' && text.back() == ']') {
    text = text.substr(1, text.size() - 2);
  }
  IpBytes out{};
  in_addr v4{};
  if (inet_pton(AF_INET, text.c_str(), &v4) == 1) {
    out[10] = 0xff;
    out[11] = 0xff;
    const auto* b = reinterpret_cast<const uint8_t*>(&v4.s_addr);
    for (int i = 0; i < 4; ++i) out[12 + i] = b[i];
    return out;
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, text.c_str(), &v6) == 1) {
    for (int i = 0; i < 16; ++i) out[i] = v6.s6_addr[i];
    return out;
  }
  return std::nullopt;
}

bool Cidr::Contains(const IpBytes& ip) const {
  int bits = prefix;
  for (int i = 0; i < 16 && bits > 0; ++i, bits -= 8) {
    const uint8_t mask = bits >= 8 ? 0xff : static_cast<uint8_t>(0xff << (8 - bits));
    if ((ip[i] & mask) != (base[i] & mask)) return false;
  }
  return true;
}

std::optional<Cidr> ParseCidr(const std::string& text) {
  const size_t slash = text.find('/');
  const std::string addr = text.substr(0, slash);
  std::optional<IpBytes> ip = ParseIp(addr);
  if (!ip) return std::nullopt;
  const bool v4 = addr.find(':') == std::string::npos;
  int prefix = v4 ? 32 : 128;
  if (slash != std::string::npos) {
    const std::string p = text.substr(slash + 1);
    if (p.empty() || p.size() > 3 || p.find_first_not_of("0123456789") != std::string::npos) {
      return std::nullopt;
    }
    prefix = std::stoi(p);
    if (prefix > (v4 ? 32 : 128)) return std::nullopt;
  }
  Cidr c;
  c.base = *ip;
  c.prefix = v4 ? prefix + 96 : prefix;
  return c;
}

namespace {

bool Trusted(const std::string& address, const std::vector<Cidr>& trusted) {
  std::optional<IpBytes> ip = ParseIp(address);
  if (!ip) return false;
  for (const Cidr& c : trusted) {
    if (c.Contains(*ip)) return true;
  }
  return false;
}

std::string Trim(std::string s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.erase(s.begin());
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.pop_back();
  return s;
}

}  // namespace

std::string ClientAddress(const std::string& peer, const std::string& forwarded_for,
                          const std::vector<Cidr>& trusted) {
  if (forwarded_for.empty() || !Trusted(peer, trusted)) return peer;
  std::vector<std::string> hops;
  size_t start = 0;
  while (start <= forwarded_for.size()) {
    size_t comma = forwarded_for.find(',', start);
    if (comma == std::string::npos) comma = forwarded_for.size();
    hops.push_back(Trim(forwarded_for.substr(start, comma - start)));
    start = comma + 1;
  }
  std::string client = peer;
  for (auto it = hops.rbegin(); it != hops.rend(); ++it) {
    if (!ParseIp(*it)) break;
    client = *it;
    if (!Trusted(*it, trusted)) break;
  }
  return client;
}

bool IsLoopback(const std::string& address) {
  static const Cidr kV4 = *ParseCidr("127.0.0.0/8");
  static const Cidr kV6 = *ParseCidr("::1/128");
  std::optional<IpBytes> ip = ParseIp(address);
  return ip && (kV4.Contains(*ip) || kV6.Contains(*ip));
}

std::string RateLimitKey(const std::string& address) {
  std::optional<IpBytes> ip = ParseIp(address);
  if (!ip) return "?" + address;
  const bool v4 = std::all_of(ip->begin(), ip->begin() + 10, [](uint8_t b) { return b == 0; }) &&
                  (*ip)[10] == 0xff && (*ip)[11] == 0xff;
  // Binary keys: 4 bytes for IPv4, the first 8 for IPv6; the lengths keep them apart.
  return v4 ? std::string(ip->begin() + 12, ip->end()) : std::string(ip->begin(), ip->begin() + 8);
}

int RateLimiter::Take(const std::string& address, double now_s) {
  if (rate_ <= 0) return 0;
  const double burst = burst_;
  std::lock_guard<std::mutex> lock(mu_);
  // Forget full buckets now and then, so the table holds only recently active addresses.
  if (now_s - last_sweep_ > 60) {
    for (auto it = buckets_.begin(); it != buckets_.end();) {
      const double refilled = it->second.tokens + (now_s - it->second.last) * rate_;
      it = refilled >= burst ? buckets_.erase(it) : std::next(it);
    }
    last_sweep_ = now_s;
  }
  auto [it, fresh] = buckets_.try_emplace(RateLimitKey(address), Bucket{burst, now_s});
  Bucket& b = it->second;
  if (!fresh) {
    b.tokens = std::min(burst, b.tokens + (now_s - b.last) * rate_);
    b.last = now_s;
  }
  if (b.tokens >= 1) {
    b.tokens -= 1;
    return 0;
  }
  const double wait = (1 - b.tokens) / rate_;
  return std::max(1, static_cast<int>(std::ceil(wait)));
}

bool ConstantTimeEquals(const std::string& given, const std::string& expected) {
  if (expected.empty()) return false;
  volatile uint8_t diff = given.size() == expected.size() ? 0 : 1;
  for (size_t i = 0; i < expected.size(); ++i) {
    const uint8_t g = i < given.size() ? static_cast<uint8_t>(given[i]) : 0;
    diff = diff | (g ^ static_cast<uint8_t>(expected[i]));
  }
  return diff == 0;
}

}  // namespace nazar::collector
