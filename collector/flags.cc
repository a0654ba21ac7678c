#include "collector/flags.h"

#include <cerrno>
#include <cstdlib>

#include "collector/net.h"

namespace nazar::collector {
namespace {

Status Bad(const std::string& flag, const std::string& message) {
  return Status(StatusCode::kInvalidArgument, flag + ": " + message);
}

// A whole number in [lo, hi] or an error naming the flag.
Status ParseInt(const std::string& flag, const std::string& text, int lo, int hi, int* out) {
  char* end = nullptr;
  errno = 0;
  const long v = text.empty() ? 0 : std::strtol(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || errno != 0 || v < lo || v > hi) {
    return Bad(flag, "expected a whole number in " + std::to_string(lo) + ".." +
                         std::to_string(hi) + ", got \"" + text + "\"");
  }
  *out = static_cast<int>(v);
  return Status::Ok();
}

std::vector<std::string> SplitList(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    std::string item = text.substr(start, comma - start);
    while (!item.empty() && item.front() == ' ') item.erase(item.begin());
    while (!item.empty() && item.back() == ' ') item.pop_back();
    if (!item.empty()) out.push_back(item);
    start = comma + 1;
  }
  return out;
}

// "https://shop.example" or "http://localhost:8080": scheme, host, optional port, nothing else.
bool IsOrigin(const std::string& o) {
  size_t p = o.find("://");
  if (p == std::string::npos) return false;
  const std::string scheme = o.substr(0, p);
  if (scheme != "http" && scheme != "https") return false;
  const std::string rest = o.substr(p + 3);
  if (rest.empty() || rest.find_first_of("/?#@ ") != std::string::npos) return false;
  return true;
}

Status ParseListen(const std::string& text, Options* o) {
  const size_t colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    return Bad("--listen", "expected host:port, got \"" + text + "\"");
  }
  std::string host = text.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  Status s = ParseInt("--listen", text.substr(colon + 1), 0, 65535, &o->listen_port);
  if (!s.ok())
    return Bad("--listen", "expected host:port with a port in 0..65535, got \"" + text + "\"");
  o->listen_host = host;
  return Status::Ok();
}

}  // namespace

Result<Command> ParseCommandLine(const std::vector<std::string>& args) {
  Command cmd;
  Options& o = cmd.options;
  size_t i = 0;
  if (!args.empty() && args[0] == "backup") {
    cmd.kind = Command::Kind::kBackup;
    if (args.size() < 2 || args[1].rfind("--", 0) == 0) return Bad("backup", "expected a FILE");
    cmd.backup_file = args[1];
    i = 2;  // --db (the source) may follow
  }
  if (!args.empty() && args[0] == "migrate") {
    cmd.kind = Command::Kind::kMigrate;
    if (args.size() < 3 || args[1] != "--to") return Bad("migrate", "expected --to URL");
    cmd.migrate_to = args[2];
    i = 3;  // --db (the source) may follow
  }
  bool have_surveys = false;
  for (; i < args.size(); ++i) {
    std::string flag = args[i];
    std::string value;
    bool has_value = false;
    if (flag == "--help" || flag == "-h") {
      cmd.kind = Command::Kind::kHelp;
      return cmd;
    }
    if (flag == "--version") {
      cmd.kind = Command::Kind::kVersion;
      return cmd;
    }
    if (flag.rfind("--", 0) != 0) return Bad(flag, "unexpected argument (flags start with --)");
    if (size_t eq = flag.find('='); eq != std::string::npos) {
      value = flag.substr(eq + 1);
      flag = flag.substr(0, eq);
      has_value = true;
    }
    static const char* const kKnown[] = {"--surveys",
                                         "--db",
                                         "--listen",
                                         "--origins",
                                         "--rate-limit",
                                         "--trusted-proxies",
                                         "--max-age-days",
                                         "--min-count",
                                         "--comment-retention-days",
                                         "--read-token-file",
                                         "--admin-token-file",
                                         "--threads",
                                         "--max-streams",
                                         "--web-dir"};
    bool known = false;
    for (const char* k : kKnown) known = known || flag == k;
    if (!known) {
      if (flag == "--read-token" || flag == "--admin-token") {
        return Bad(flag, "tokens are never taken on the command line: use " + flag +
                             "-file FILE or the environment (NAZAR_READ_TOKEN, NAZAR_ADMIN_TOKEN)");
      }
      return Bad(flag, "unknown flag (see --help)");
    }
    if (!has_value) {
      if (i + 1 >= args.size()) return Bad(flag, "expects a value");
      value = args[++i];
    }
    Status s;
    if (flag == "--surveys") {
      o.surveys = value;
      have_surveys = !value.empty();
    } else if (flag == "--db") {
      if (value.empty()) return Bad(flag, "expected a SQLite path or postgresql:// URL");
      o.db = value;
    } else if (flag == "--listen") {
      s = ParseListen(value, &o);
    } else if (flag == "--origins") {
      o.origins = SplitList(value);
      if (o.origins.empty()) return Bad(flag, "expected * or a list of origins");
      for (const std::string& origin : o.origins) {
        if (origin != "*" && !IsOrigin(origin)) {
          return Bad(flag,
                     "\"" + origin + "\" is not an origin (scheme://host[:port], no path), or *");
        }
      }
    } else if (flag == "--rate-limit") {
      s = ParseInt(flag, value, 0, 1000000, &o.rate_limit);
    } else if (flag == "--trusted-proxies") {
      o.trusted_proxies = SplitList(value);
      for (const std::string& cidr : o.trusted_proxies) {
        if (!ParseCidr(cidr))
          return Bad(flag, "\"" + cidr + "\" is not a CIDR (10.0.0.0/8, ::1/128)");
      }
    } else if (flag == "--max-age-days") {
      s = ParseInt(flag, value, 1, 3650, &o.max_age_days);
    } else if (flag == "--min-count") {
      s = ParseInt(flag, value, 1, 1000000, &o.min_count);
    } else if (flag == "--comment-retention-days") {
      s = ParseInt(flag, value, 1, 36500, &o.comment_retention_days);
    } else if (flag == "--read-token-file") {
      o.read_token_file = value;
    } else if (flag == "--admin-token-file") {
      o.admin_token_file = value;
    } else if (flag == "--threads") {
      s = ParseInt(flag, value, 1, 4096, &o.threads);
    } else if (flag == "--max-streams") {
      s = ParseInt(flag, value, 0, 4096, &o.max_streams);
    } else if (flag == "--web-dir") {
      if (value.empty()) return Bad(flag, "expected a folder (the built web/dist)");
      o.web_dir = value;
    }
    if (!s.ok()) return s;
  }
  if (cmd.kind == Command::Kind::kServe && !have_surveys) {
    return Bad("--surveys", "required: a definition file or a folder of *.json definitions");
  }
  return cmd;
}

std::string HelpText() {
  return R"(nazar-collector: keeps every survey aggregate exactly once and serves reports.

usage:
  nazar-collector --surveys FILE_OR_DIR [flags]
  nazar-collector backup FILE [--db SOURCE]   a consistent SQLite copy of the store (FILE must
                                              not exist)
  nazar-collector migrate --to postgresql://... [--db SOURCE]
                                              copy every table of SOURCE into an empty
                                              PostgreSQL database (migrated first), in one
                                              transaction, verified per table (row count and
                                              checksum); a target already holding exactly the
                                              same rows is left as it is

flags:
  --surveys FILE_OR_DIR        survey definitions: one file (a survey, or {"nazar":1,
                               "surveys":[...]}) or every *.json in a folder; validated at
                               start, reloaded on SIGHUP
  --db PATH|URL                SQLite file (default nazar.db) or postgresql://host/db (the password
                               only from PGPASSWORD or PGPASSFILE, never in the URL)
  --listen HOST:PORT           address to serve on (default 127.0.0.1:8088)
  --origins ORIGIN,...         origins allowed to POST aggregates, e.g. https://shop.example;
                               * allows all (default *)
  --rate-limit N               posts per second per client address, burst 2N (default 20, 0 off)
  --trusted-proxies CIDR,...   peers whose X-Forwarded-For names the client (default none)
  --max-age-days N             oldest payload period accepted, in days (default 35)
  --min-count N                smallest cell a report shows (default 5; below 5 counts as 5)
  --comment-retention-days N   comments are deleted after N days (default 365)
  --read-token-file FILE       bearer token for GET /v1/report and /v1/comments
                               (else the environment variable NAZAR_READ_TOKEN)
  --admin-token-file FILE      bearer token for PUT /v1/surveys/ID
                               (else the environment variable NAZAR_ADMIN_TOKEN)
  --threads N                  HTTP worker threads (default 64)
  --max-streams N              live dashboard streams (GET /v1/stream) open at once, each on a
                               thread of its own beside the --threads workers, so open
                               dashboards never take a worker from ingest; past N, 503 with
                               Retry-After (default 256, 0 turns live streams off)
  --web-dir DIR                the built pages (node web/build.mjs writes web/dist): GET /analyze
                               serves the analyze page from DIR/analyze/ (default: not served)
  --help                       this text
  --version                    the version

Tokens are never taken on the command line; token files are re-read on SIGHUP.
SIGHUP also re-reads the definitions and re-opens the store's connections, so a PostgreSQL
password rotated in PGPASSFILE takes effect (PGPASSWORD cannot change without a restart).
Definitions registered through another collector on the same database are read when a post of
an unknown version arrives (at most once a second) and every 30 s.
SIGTERM or SIGINT: stop accepting, commit and acknowledge what is queued, exit 0.
Exit status: 0 ok, 1 bad definitions or database, 2 bad command line.
)";
}

}  // namespace nazar::collector
