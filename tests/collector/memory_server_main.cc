// A collector on the in-memory store, for trying the HTTP layer by hand or with wrk (never
// shipped): memory-server PORT SURVEYS [COMMIT_DELAY_MS]. Ctrl-C stops it.
#include <signal.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>

#include "collector/server.h"
#include "memory_store.h"

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: memory-server PORT SURVEYS [COMMIT_DELAY_MS]\n");
    return 2;
  }
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  auto db = std::make_shared<nazar::collector::testing::MemoryDatabase>();
  if (argc > 3) db->commit_delay_ms = std::atoi(argv[3]);
  nazar::collector::Options options;
  options.surveys = argv[2];
  options.listen_port = std::atoi(argv[1]);
  options.rate_limit = 0;
  nazar::collector::ServerEnv env;
  env.open_store = nazar::collector::testing::MemoryStoreFactory(db);
  env.log = [](const std::string&) {};
  auto server = nazar::collector::Server::Create(options, env);
  if (!server.ok()) {
    std::fprintf(stderr, "%s\n", server.status().message().c_str());
    return 1;
  }
  if (!(*server)->Bind().ok()) return 1;
  nazar::collector::Server* raw = server->get();
  std::thread waiter([raw, signals] {
    int sig = 0;
    sigwait(&signals, &sig);
    raw->Shutdown();
  });
  (*server)->Serve();
  waiter.join();
  std::fprintf(stderr, "commits %d, displays %lld\n", db->commits.load(),
               static_cast<long long>(db->CounterSum("shop", "displays")));
  return 0;
}
