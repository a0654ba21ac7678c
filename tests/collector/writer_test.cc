// The writer's group commit policy (collector/writer.h) over the in-memory store.
#include "collector/writer.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "memory_store.h"

namespace nazar::collector {
namespace {

using testing::MemoryDatabase;
using testing::MemoryStore;

Ingest Item(int client, int n) {
  Ingest item;
  char id[33];
  std::snprintf(id, sizeof id, "%016x%016x", client, n);
  item.batch = id;
  item.day = 20789;
  item.key = {"shop.example", "nps", "v1", 20789, "en"};
  item.counters = {{"displays", 1}};
  return item;
}

// 8 clients, each posting its next item 0.1 to 0.8 ms (its network round trip) after the last
// is acknowledged, 12 items each, into commits of 10 ms. Without gathering, the first client
// back starts the next commit alone and the other 7 queue behind it: batches of 1 and 7 in
// turn, 2 commits per round, 24 in all. Gathering waits (up to a quarter of the last commit,
// at most 2 ms) until the 8 are back: one commit per round, 12 plus the first round's split
// (its first item commits alone: no last round to wait for). With room for a slow machine:
// at most 16.
TEST(WriterTest, GathersTheClientsOfTheLastCommitIntoOneBatch) {
  auto db = std::make_shared<MemoryDatabase>();
  ASSERT_TRUE(MemoryStore(db).Migrate().ok());
  db->commit_delay_ms = 10;
  std::mutex mu;
  std::vector<size_t> sizes;
  Writer writer(std::make_unique<MemoryStore>(db), 512, [&](size_t batch, double, bool ok) {
    std::lock_guard<std::mutex> lock(mu);
    sizes.push_back(ok ? batch : 0);
  });
  std::vector<std::thread> clients;
  for (int c = 0; c < 8; ++c) {
    clients.emplace_back([&, c] {
      for (int n = 0; n < 12; ++n) {
        Result<bool> r = writer.Submit(Item(c, n));
        EXPECT_TRUE(r.ok() && !*r);
        std::this_thread::sleep_for(std::chrono::microseconds(100 * (c + 1)));
      }
    });
  }
  for (std::thread& t : clients) t.join();
  writer.Stop();
  EXPECT_EQ(db->CounterSum("nps", "displays"), 96);
  std::string seen;
  for (size_t s : sizes) seen += std::to_string(s) + " ";
  EXPECT_LE(sizes.size(), 16u) << "batch sizes: " << seen;
}

}  // namespace
}  // namespace nazar::collector
