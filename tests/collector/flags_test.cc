// The command line (collector/flags.h) and the network helpers (collector/net.h).
#include "collector/flags.h"

#include <gtest/gtest.h>

#include "collector/net.h"

namespace nazar::collector {
namespace {

TEST(Flags, DefaultsOfContract5) {
  Result<Command> c = ParseCommandLine({"--surveys", "s.json"});
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->options.listen_host, "127.0.0.1");
  EXPECT_EQ(c->options.listen_port, 8088);
  EXPECT_EQ(c->options.rate_limit, 20);
  EXPECT_EQ(c->options.max_age_days, 35);
  EXPECT_EQ(c->options.min_count, 5);
  EXPECT_EQ(c->options.comment_retention_days, 365);
  EXPECT_EQ(c->options.db, "nazar.db");
  EXPECT_EQ(c->options.max_streams, 256);
}

TEST(Flags, EveryFlag) {
  Result<Command> c = ParseCommandLine({"--surveys",
                                        "dir",
                                        "--db=postgresql://h/db",
                                        "--listen",
                                        "[::1]:9000",
                                        "--origins",
                                        "https://a.example, http://localhost:8080",
                                        "--rate-limit",
                                        "0",
                                        "--trusted-proxies",
                                        "10.0.0.0/8,::1",
                                        "--max-age-days",
                                        "7",
                                        "--min-count",
                                        "10",
                                        "--comment-retention-days",
                                        "30",
                                        "--read-token-file",
                                        "r",
                                        "--admin-token-file",
                                        "a",
                                        "--web-dir",
                                        "web/dist",
                                        "--max-streams=12"});
  ASSERT_TRUE(c.ok()) << c.status().message();
  const Options& o = c->options;
  EXPECT_EQ(o.db, "postgresql://h/db");
  EXPECT_EQ(o.listen_host, "::1");
  EXPECT_EQ(o.listen_port, 9000);
  EXPECT_EQ(o.origins, (std::vector<std::string>{"https://a.example", "http://localhost:8080"}));
  EXPECT_EQ(o.rate_limit, 0);
  EXPECT_EQ(o.trusted_proxies.size(), 2u);
  EXPECT_EQ(o.max_age_days, 7);
  EXPECT_EQ(o.min_count, 10);
  EXPECT_EQ(o.comment_retention_days, 30);
  EXPECT_EQ(o.read_token_file, "r");
  EXPECT_EQ(o.admin_token_file, "a");
  EXPECT_EQ(o.web_dir, "web/dist");
  EXPECT_EQ(o.max_streams, 12);
}

TEST(Flags, ErrorsNameTheFlag) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"--surveys", "s", "--rate-limit", "x"}, "--rate-limit:"},
      {{"--surveys", "s", "--listen", "8088"}, "--listen:"},
      {{"--surveys", "s", "--origins", "shop.example"}, "--origins:"},
      {{"--surveys", "s", "--trusted-proxies", "10.0.0.0/33"}, "--trusted-proxies:"},
      {{"--surveys", "s", "--read-token", "t"}, "--read-token:"},
      {{"--surveys", "s", "--bogus", "1"}, "--bogus:"},
      {{"--surveys", "s", "--min-count"}, "--min-count:"},
      {{"--surveys", "s", "--web-dir", ""}, "--web-dir:"},
      {{"--surveys", "s", "--max-streams", "-1"}, "--max-streams:"},
      {{"--surveys", "s", "--max-streams", "4097"}, "--max-streams:"},
      {{"--db", "x.db"}, "--surveys:"},
  };
  for (const auto& [args, prefix] : cases) {
    Result<Command> c = ParseCommandLine(args);
    ASSERT_FALSE(c.ok()) << prefix;
    EXPECT_EQ(c.status().message().rfind(prefix, 0), 0u) << c.status().message();
  }
}

TEST(Flags, HelpNamesEveryFlag) {
  const std::string help = HelpText();
  for (const char* flag :
       {"--surveys", "--db", "--listen", "--origins", "--rate-limit", "--trusted-proxies",
        "--max-age-days", "--min-count", "--comment-retention-days", "--read-token-file",
        "--admin-token-file", "--max-streams", "NAZAR_READ_TOKEN", "NAZAR_ADMIN_TOKEN", "backup",
        "migrate"}) {
    EXPECT_NE(help.find(flag), std::string::npos) << flag;
  }
}

TEST(Net, CidrsOfBothFamilies) {
  const Cidr ten = *ParseCidr("10.0.0.0/8");
  EXPECT_TRUE(ten.Contains(*ParseIp("10.200.3.4")));
  EXPECT_FALSE(ten.Contains(*ParseIp("11.0.0.1")));
  EXPECT_FALSE(ten.Contains(*ParseIp("::1")));
  const Cidr v6 = *ParseCidr("2001:db8::/32");
  EXPECT_TRUE(v6.Contains(*ParseIp("2001:db8:ffff::1")));
  EXPECT_FALSE(v6.Contains(*ParseIp("2001:db9::1")));
  EXPECT_TRUE(ParseCidr("192.168.1.7")->Contains(*ParseIp("192.168.1.7")));
  EXPECT_FALSE(ParseCidr("192.168.1.7")->Contains(*ParseIp("192.168.1.8")));
  EXPECT_FALSE(ParseCidr("10.0.0.0/33"));
  EXPECT_FALSE(ParseCidr("::/129"));
  EXPECT_FALSE(ParseCidr("example.com/8"));
}

TEST(Net, ClientAddressBehindTrustedProxies) {
  const std::vector<Cidr> trusted = {*ParseCidr("10.0.0.0/8")};
  EXPECT_EQ(ClientAddress("203.0.113.1", "1.2.3.4", trusted), "203.0.113.1");  // untrusted peer
  EXPECT_EQ(ClientAddress("10.0.0.2", "1.2.3.4", trusted), "1.2.3.4");
  // A client cannot pick its address by prepending: the right-most untrusted hop counts.
  EXPECT_EQ(ClientAddress("10.0.0.2", "6.6.6.6, 1.2.3.4, 10.0.0.3", trusted), "1.2.3.4");
  EXPECT_EQ(ClientAddress("10.0.0.2", "", trusted), "10.0.0.2");
  EXPECT_EQ(ClientAddress("10.0.0.2", "garbage", trusted), "10.0.0.2");
}

TEST(Net, TokenBucketBurstIsTwiceTheRate) {
  RateLimiter limiter(2);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(limiter.Take("a", 100.0), 0) << i;
  EXPECT_EQ(limiter.Take("a", 100.0), 1);
  EXPECT_EQ(limiter.Take("b", 100.0), 0);
  EXPECT_EQ(limiter.Take("a", 100.5), 0);  // one token back after half a second
  EXPECT_EQ(limiter.Take("a", 100.5), 1);
  RateLimiter off(0);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(off.Take("a", 1.0), 0);
}

TEST(Net, RateLimitBucketsAreAddressesAndIpv6Prefixes) {
  RateLimiter limiter(1);  // a burst of 2
  // The same IPv4 client, written both ways, shares one bucket.
  EXPECT_EQ(limiter.Take("198.51.100.7", 10.0), 0);
  EXPECT_EQ(limiter.Take("::ffff:198.51.100.7", 10.0), 0);
  EXPECT_EQ(limiter.Take("198.51.100.7", 10.0), 1);
  EXPECT_EQ(limiter.Take("198.51.100.8", 10.0), 0);  // its neighbour is another subscriber
  // Addresses in one IPv6 /64 share a bucket; the next /64 is another.
  EXPECT_EQ(limiter.Take("2001:db8:1:2::1", 10.0), 0);
  EXPECT_EQ(limiter.Take("2001:db8:1:2:ffff:ffff:ffff:fffe", 10.0), 0);
  EXPECT_EQ(limiter.Take("2001:db8:1:2:a::b", 10.0), 1);
  EXPECT_EQ(limiter.Take("2001:db8:1:3::1", 10.0), 0);
  // An IPv4 address never shares with an IPv6 prefix whose first bytes match it.
  EXPECT_NE(RateLimitKey("1.2.3.4"), RateLimitKey("102:304::"));
  EXPECT_EQ(RateLimitKey("1.2.3.4"), RateLimitKey("[::ffff:1.2.3.4]"));
  EXPECT_NE(RateLimitKey("not an address"), RateLimitKey("1.2.3.4"));
}

TEST(Net, Loopback) {
  for (const char* yes : {"127.0.0.1", "127.255.0.9", "::1", "[::1]", "::ffff:127.0.0.1"}) {
    EXPECT_TRUE(IsLoopback(yes)) << yes;
  }
  for (const char* no : {"128.0.0.1", "10.0.0.1", "::2", "::", "0.0.0.0", "", "localhost"}) {
    EXPECT_FALSE(IsLoopback(no)) << no;
  }
}

TEST(Net, ConstantTimeEquals) {
  EXPECT_TRUE(ConstantTimeEquals("secret", "secret"));
  EXPECT_FALSE(ConstantTimeEquals("secreT", "secret"));
  EXPECT_FALSE(ConstantTimeEquals("secret2", "secret"));
  EXPECT_FALSE(ConstantTimeEquals("secre", "secret"));
  EXPECT_FALSE(ConstantTimeEquals("", ""));
}

}  // namespace
}  // namespace nazar::collector
