// nazar-collector: parses the command line, opens the store, serves until SIGTERM/SIGINT and
// reloads definitions and tokens on SIGHUP. Everything else is in nazar_collector_server.
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "collector/flags.h"
#include "collector/server.h"
#include "collector/store.h"

namespace {

using nazar::collector::Command;

int Usage(const std::string& message) {
  std::fprintf(stderr, "nazar-collector: %s\n(see nazar-collector --help)\n", message.c_str());
  return 2;
}

// `migrate --to URL [--db SOURCE]`: every table of SOURCE copied into the PostgreSQL database
// URL and verified (store.h MigrateTo). Exit 0 with rows per table, else 1 with the reason.
int Migrate(const std::string& db, const std::string& to) {
  const bool source_is_pg = nazar::collector::IsPostgresUrl(db);
  struct stat info;
  if (!source_is_pg && stat(db.c_str(), &info) != 0) {
    // OpenStore would create an empty database: a mistyped --db must not migrate nothing.
    std::fprintf(stderr, "nazar-collector: migrate: --db %s: no such SQLite file\n", db.c_str());
    return 1;
  }
  auto source = nazar::collector::OpenStore(db);
  nazar::Result<nazar::collector::MigrateReport> report =
      source.ok() ? nazar::collector::MigrateTo(**source, to)
                  : nazar::Result<nazar::collector::MigrateReport>(source.status());
  if (!report.ok()) {
    std::fprintf(stderr, "nazar-collector: migrate: %s\n", report.status().message().c_str());
    return 1;
  }
  if (report->already_there) {
    std::printf("%s already holds every row of %s: nothing copied\n", to.c_str(), db.c_str());
  } else {
    std::printf("migrated %s to %s\n", db.c_str(), to.c_str());
  }
  for (const auto& [table, rows] : report->rows) {
    std::printf("  %-9s %lld rows, verified\n", table.c_str(), static_cast<long long>(rows));
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  nazar::Result<Command> cmd = nazar::collector::ParseCommandLine(args);
  if (!cmd.ok()) return Usage(cmd.status().message());
  switch (cmd->kind) {
    case Command::Kind::kHelp:
      std::fputs(nazar::collector::HelpText().c_str(), stdout);
      return 0;
    case Command::Kind::kVersion:
      std::printf("nazar-collector %s\n", NAZAR_VERSION);
      return 0;
    case Command::Kind::kBackup: {
      // A consistent copy of the store (SQLite or PostgreSQL) into a new SQLite file.
      auto store = nazar::collector::OpenStore(cmd->options.db);
      nazar::Status s =
          store.ok() ? nazar::collector::BackupTo(**store, cmd->backup_file) : store.status();
      if (!s.ok()) {
        std::fprintf(stderr, "nazar-collector: backup: %s\n", s.message().c_str());
        return 1;
      }
      std::fprintf(stderr, "nazar-collector: backed up %s to %s\n", cmd->options.db.c_str(),
                   cmd->backup_file.c_str());
      return 0;
    }
    case Command::Kind::kMigrate:
      return Migrate(cmd->options.db, cmd->migrate_to);
    case Command::Kind::kServe:
      break;
  }
  // Signals go to one thread that waits for them; every other thread inherits the mask.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  const std::string db = cmd->options.db;
  nazar::collector::ServerEnv env;
  env.open_store = [db] { return nazar::collector::OpenStore(db); };
  // Hidden test knob: how often definitions are re-read from the store (default 30 s).
  if (const char* v = std::getenv("NAZAR_CATALOG_REFRESH_SECONDS"); v && std::atof(v) > 0) {
    env.catalog_refresh_seconds = std::atof(v);
  }
  auto server = nazar::collector::Server::Create(cmd->options, env);
  if (!server.ok()) {
    std::fprintf(stderr, "nazar-collector: %s\n", server.status().message().c_str());
    return 1;
  }
  nazar::Result<int> port = (*server)->Bind();
  if (!port.ok()) {
    std::fprintf(stderr, "nazar-collector: %s\n", port.status().message().c_str());
    return 1;
  }
  std::fprintf(stderr, "nazar-collector: listening on %s:%d\n", cmd->options.listen_host.c_str(),
               *port);
  nazar::collector::Server* raw = server->get();
  static std::atomic<bool> stopping{false};
  std::thread waiter([raw, signals] {
    for (;;) {
      int sig = 0;
      if (sigwait(&signals, &sig) != 0) continue;
      if (sig == SIGHUP) {
        nazar::Status s = raw->Reload();
        std::fprintf(stderr, "nazar-collector: reload %s%s\n",
                     s.ok() ? "done" : "failed: ", s.ok() ? "" : s.message().c_str());
        continue;
      }
      std::fprintf(stderr, "nazar-collector: stopping (signal %d)\n", sig);
      stopping = true;
      raw->Shutdown();
      return;
    }
  });
  (*server)->Serve();
  if (!stopping) kill(getpid(), SIGTERM);  // Serve ended by itself: release the waiter
  waiter.join();
  std::fprintf(stderr, "nazar-collector: stopped\n");
  return 0;
}
