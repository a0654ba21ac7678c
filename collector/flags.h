// The command line of nazar-collector (DESIGN.md Contract 5): flags, their defaults and --help.
#ifndef NAZAR_COLLECTOR_FLAGS_H_
#define NAZAR_COLLECTOR_FLAGS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "nazar/result.h"

namespace nazar::collector {

// Everything the server is configured with. Tokens never come from the command line.
struct Options {
  std::string surveys;          // --surveys FILE_OR_DIR (required)
  std::string db = "nazar.db";  // --db: a SQLite path or postgresql://...
  std::string listen_host = "127.0.0.1";
  int listen_port = 8088;                    // --listen host:port (0: any free port, for tests)
  std::vector<std::string> origins = {"*"};  // --origins: full origins, "*" allows all
  int rate_limit = 20;                       // --rate-limit: posts per second per address, 0 off
  std::vector<std::string> trusted_proxies;  // --trusted-proxies: CIDRs
  int max_age_days = 35;                     // --max-age-days
  int min_count = 5;                         // --min-count (the core clamps below 5 to 5)
  int comment_retention_days = 365;          // --comment-retention-days
  std::string read_token_file;               // --read-token-file (else NAZAR_READ_TOKEN)
  std::string admin_token_file;              // --admin-token-file (else NAZAR_ADMIN_TOKEN)
  int threads = 64;                          // --threads: HTTP workers (requests wait for commits)
  int max_streams = 256;                     // --max-streams: live streams open at once
  std::string web_dir;  // --web-dir: the built pages (web/dist); /analyze serves its analyze/
};

// What the command line asks for.
struct Command {
  enum class Kind { kServe, kHelp, kVersion, kBackup, kMigrate } kind = Kind::kServe;
  Options options;
  std::string backup_file;  // backup FILE
  std::string migrate_to;   // migrate --to URL
};

// Parses argv (without argv[0]). Errors name the flag: "--rate-limit: expected a whole number
// >= 0, got \"x\"". The caller prints them with the usage and exits 2.
Result<Command> ParseCommandLine(const std::vector<std::string>& args);

// The --help text: every flag, its default and where tokens come from.
std::string HelpText();

}  // namespace nazar::collector

#endif  // NAZAR_COLLECTOR_FLAGS_H_
