// An in-memory Store (collector/store.h) for the server's tests: the interface's semantics
// exactly (a batch id counts once, also twice in one Commit; nothing added on error; a version
// never changes), several connections over one shared state, and switches to make it fail.
#ifndef NAZAR_TESTS_COLLECTOR_MEMORY_STORE_H_
#define NAZAR_TESTS_COLLECTOR_MEMORY_STORE_H_

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "collector/server.h"
#include "collector/store.h"

namespace nazar::collector::testing {

// The data every MemoryStore connection of one "database" shares.
class MemoryDatabase {
 public:
  // While set, every call of every connection fails (kFailedPrecondition), as a lost database.
  std::atomic<bool> fail{false};
  // Calls of Commit so far (failed ones included).
  std::atomic<int> commits{0};
  // Each Commit first sleeps this long (like an fsync), so requests queue behind it; lowering
  // it ends a sleep in progress.
  std::atomic<int> commit_delay_ms{0};
  // Calls of Surveys so far (the server's re-reads of the definitions).
  std::atomic<int> survey_reads{0};
  // When not empty (set before the server starts), a Commit holding a comment whose text
  // contains it fails as a whole, like a store refusing one item's data.
  std::string poison;

  // Sum of counter `name` over the totals rows of `survey` (every day, site, version, locale).
  int64_t CounterSum(const std::string& survey, const std::string& name);
  // Number of batch ids recorded.
  size_t BatchCount();
  // Number of sessions stored (expired ones included until pruned).
  size_t SessionCount();

 private:
  friend class MemoryStore;
  using Key = std::tuple<std::string, std::string, std::string, int64_t, std::string>;
  std::mutex mu_;
  std::map<std::string, int64_t> batches_;  // batch id -> day
  std::map<Key, std::map<std::string, int64_t>> totals_;
  std::vector<SurveyVersion> surveys_;  // registration order
  std::vector<StoredComment> comments_;
  std::vector<Share> shares_;                // creation order
  std::map<std::string, Session> sessions_;  // by token hash
};

// One connection to a MemoryDatabase.
class MemoryStore : public Store {
 public:
  explicit MemoryStore(std::shared_ptr<MemoryDatabase> db) : db_(std::move(db)) {}
  const char* Kind() const override { return "memory"; }
  Status Migrate() override;
  Result<std::vector<bool>> Commit(const std::vector<Ingest>& items) override;
  Result<std::vector<TotalsRow>> Totals(const std::string& survey, int64_t from_day,
                                        int64_t to_day) override;
  Status PutSurvey(const SurveyVersion& survey) override;
  Result<std::vector<SurveyVersion>> Surveys() override;
  Result<std::vector<StoredComment>> Comments(const std::string& survey, int64_t from_day,
                                              int64_t to_day) override;
  Status Prune(int64_t batches_before_day, int64_t comments_before_day) override;
  Status PutShare(const Share& share) override;
  Result<std::vector<Share>> Shares() override;
  Result<std::optional<Share>> FindShare(const std::string& token_hash) override;
  Result<bool> RevokeShare(const std::string& id, int64_t now) override;
  Status PutSession(const Session& session) override;
  Result<std::optional<Session>> FindSession(const std::string& token_hash) override;
  Status DeleteSession(const std::string& token_hash) override;
  Status PruneAuth(int64_t sessions_before, int64_t shares_before) override;
  Status Ping() override;

 private:
  std::shared_ptr<MemoryDatabase> db_;
};

// The factory hook: a StoreFactory opening connections to `db`.
StoreFactory MemoryStoreFactory(std::shared_ptr<MemoryDatabase> db);

}  // namespace nazar::collector::testing

#endif  // NAZAR_TESTS_COLLECTOR_MEMORY_STORE_H_
