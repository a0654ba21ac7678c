// The storage suite, run once per store (Contract 5): every expectation is a hand-worked total
// or a fact read back another way (raw SQL), never the store's own arithmetic.
#include "store.h"

#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "store_internal.h"
#include "test_pg.h"

namespace nazar::collector {
namespace {

constexpr const char* kSqlite = "sqlite";
constexpr const char* kPostgres = "postgresql";
constexpr int64_t kDay = 20'789;  // 2026-12-01

// A tally item of `batch` adding `counters` into the row (site, survey, v1, day, locale).
Ingest Tally(const std::string& batch, const std::string& survey, int64_t day,
             const std::string& locale, std::vector<Counter> counters,
             const std::string& site = "shop.example") {
  Ingest item;
  item.batch = batch;
  item.day = day;
  item.key = {site, survey, "v1", day, locale};
  item.counters = std::move(counters);
  return item;
}

// A comments item of `batch` carrying `texts` for question "why" of `survey`.
Ingest CommentsItem(const std::string& batch, const std::string& survey, int64_t day,
                    const std::vector<std::string>& texts, const std::string& group = "detractor") {
  Ingest item;
  item.batch = batch;
  item.day = day;
  for (const std::string& t : texts) {
    item.comments.push_back({survey, "v1", day, "en", "why", group, t});
  }
  return item;
}

// 32 hex digits, distinct per n (what a real batch id looks like).
std::string BatchId(int n) {
  char buf[33];
  std::snprintf(buf, sizeof buf, "%032x", n);
  return buf;
}

// One line per totals row, "site|survey|version|day|locale: name=value ...", in the order
// returned: the form the expected values below are written in.
std::vector<std::string> Lines(const std::vector<TotalsRow>& rows) {
  std::vector<std::string> out;
  for (const TotalsRow& row : rows) {
    std::ostringstream line;
    line << row.key.site << '|' << row.key.survey << '|' << row.key.version << '|' << row.key.day
         << '|' << row.key.locale << ':';
    for (const Counter& c : row.counters) line << ' ' << c.name << '=' << c.value;
    out.push_back(line.str());
  }
  return out;
}

using pgtest::PostgresUrl;

// Runs `sql` on the database behind `db` outside any Store; returns the first column of every
// row, or sets *error.
std::vector<std::string> RawQuery(const std::string& kind, const std::string& db,
                                  const std::string& sql, std::string* error) {
  std::vector<std::string> out;
  if (kind == kSqlite) {
    sqlite3* handle = nullptr;
    if (sqlite3_open(db.c_str(), &handle) != SQLITE_OK) {
      *error = sqlite3_errmsg(handle);
      sqlite3_close(handle);
      return out;
    }
    char* message = nullptr;
    auto collect = [](void* rows, int, char** values, char**) {
      static_cast<std::vector<std::string>*>(rows)->push_back(values[0] ? values[0] : "NULL");
      return 0;
    };
    if (sqlite3_exec(handle, sql.c_str(), collect, &out, &message) != SQLITE_OK) {
      *error = message ? message : "sqlite3_exec failed";
      sqlite3_free(message);
    }
    sqlite3_close(handle);
    return out;
  }
  PGconn* conn = PQconnectdb(db.c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    *error = PQerrorMessage(conn);
    PQfinish(conn);
    return out;
  }
  PQsetNoticeProcessor(
      conn, [](void*, const char*) {}, nullptr);
  PGresult* r = PQexec(conn, sql.c_str());
  ExecStatusType status = PQresultStatus(r);
  if (status == PGRES_TUPLES_OK) {
    for (int i = 0; i < PQntuples(r); ++i) out.push_back(PQgetvalue(r, i, 0));
  } else if (status != PGRES_COMMAND_OK) {
    *error = PQresultErrorMessage(r);
  }
  PQclear(r);
  PQfinish(conn);
  return out;
}

class StoreTest : public testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    // A database of its own per test, so ctest may run the tests in parallel.
    std::string name = pgtest::TestSchemaName("nazar_t_");
    if (GetParam() == kSqlite) {
      folder_ = testing::TempDir() + name + "_" + std::to_string(getpid());
      std::system(("rm -rf '" + folder_ + "' && mkdir -p '" + folder_ + "'").c_str());
      db_ = folder_ + "/nazar.db";
      return;
    }
    std::string error;
    std::string url = PostgresUrl(&error);
    ASSERT_TRUE(error.empty()) << error;
    // A schema rather than a database: creating a database costs a checkpoint (seconds).
    RawQuery(kPostgres, url, "DROP SCHEMA IF EXISTS " + name + " CASCADE; CREATE SCHEMA " + name,
             &error);
    ASSERT_TRUE(error.empty()) << error;
    db_ = url + "&options=-csearch_path%3D" + name;
    schema_ = name;
  }

  void TearDown() override {
    if (!folder_.empty()) std::system(("rm -rf '" + folder_ + "'").c_str());
  }

  // A new Store on this test's database, migrated.
  std::unique_ptr<Store> Open() {
    Result<std::unique_ptr<Store>> store = OpenStore(db_);
    EXPECT_TRUE(store.ok()) << store.status().message();
    if (!store.ok()) return nullptr;
    EXPECT_STREQ((*store)->Kind(), GetParam().c_str());
    Status migrated = (*store)->Migrate();
    EXPECT_TRUE(migrated.ok()) << migrated.message();
    return std::move(store).value();
  }

  std::vector<std::string> Raw(const std::string& sql) {
    std::string error;
    std::vector<std::string> rows = RawQuery(GetParam(), db_, sql, &error);
    EXPECT_TRUE(error.empty()) << sql << ": " << error;
    return rows;
  }

  std::vector<std::string> TotalsLines(Store& store, const std::string& survey, int64_t from,
                                       int64_t to) {
    Result<std::vector<TotalsRow>> rows = store.Totals(survey, from, to);
    EXPECT_TRUE(rows.ok()) << rows.status().message();
    return rows.ok() ? Lines(*rows) : std::vector<std::string>{"error"};
  }

  std::vector<bool> Commit(Store& store, const std::vector<Ingest>& items) {
    Result<std::vector<bool>> duplicate = store.Commit(items);
    EXPECT_TRUE(duplicate.ok()) << duplicate.status().message();
    return duplicate.ok() ? *duplicate : std::vector<bool>{};
  }

  std::string folder_;  // SQLite: this test's folder
  std::string schema_;  // PostgreSQL: this test's schema
  std::string db_;
};

TEST_P(StoreTest, MigrateTwiceIsANoOp) {
  auto store = Open();
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->PutSurvey({"nps", "v1", "{}"}).ok());
  Commit(*store, {Tally(BatchId(1), "nps", kDay, "en", {{"displays", 2}})});
  Status again = store->Migrate();
  EXPECT_TRUE(again.ok()) << again.message();
  auto other = Open();  // a second process starting on a migrated database
  ASSERT_TRUE(other);
  EXPECT_EQ(Raw("SELECT version FROM schema_version"),
            std::vector<std::string>{std::to_string(SchemaVersion())});
  EXPECT_EQ(TotalsLines(*other, "nps", kDay, kDay),
            std::vector<std::string>{"shop.example|nps|v1|20789|en: displays=2"});
  EXPECT_EQ(other->Surveys()->size(), 1u);
}

// Two processes starting at once on a new database: each migrates, every step runs once.
TEST_P(StoreTest, ConcurrentMigrationsApplyEachStepOnce) {
  for (int round = 0; round < 3; ++round) {
    if (GetParam() == kSqlite) {
      std::remove(db_.c_str());
      std::remove((db_ + "-wal").c_str());
      std::remove((db_ + "-shm").c_str());
    } else {
      Raw("DROP SCHEMA IF EXISTS " + schema_ + " CASCADE; CREATE SCHEMA " + schema_);
    }
    Result<std::unique_ptr<Store>> first = OpenStore(db_);
    Result<std::unique_ptr<Store>> second = OpenStore(db_);
    ASSERT_TRUE(first.ok() && second.ok());
    Status a, b;
    std::thread one([&] { a = (*first)->Migrate(); });
    std::thread two([&] { b = (*second)->Migrate(); });
    one.join();
    two.join();
    EXPECT_TRUE(a.ok()) << a.message();
    EXPECT_TRUE(b.ok()) << b.message();
    EXPECT_EQ(Raw("SELECT version FROM schema_version"),
              std::vector<std::string>{std::to_string(SchemaVersion())});
  }
}

TEST_P(StoreTest, NewerSchemaIsRefused) {
  ASSERT_TRUE(Open());
  Raw("UPDATE schema_version SET version = " + std::to_string(SchemaVersion() + 1));
  Result<std::unique_ptr<Store>> store = OpenStore(db_);
  ASSERT_TRUE(store.ok()) << store.status().message();
  Status migrated = (*store)->Migrate();
  EXPECT_EQ(migrated.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(
      migrated.message().find("schema version " + std::to_string(SchemaVersion() + 1) +
                              ", newer than this binary's " + std::to_string(SchemaVersion())),
      std::string::npos)
      << migrated.message();
}

TEST_P(StoreTest, CommitAddsAndSums) {
  auto store = Open();
  ASSERT_TRUE(store);
  // Two commits into two rows. By hand: en displays 3+2+4 = 9, q/nps/9 2+1 = 3, q/nps/3 1,
  // q/nps/skipped 1 (only the first); fa displays 1, q/nps/10 1.
  EXPECT_EQ(Commit(*store, {Tally(BatchId(1), "nps", kDay, "en",
                                  {{"displays", 3}, {"q/nps/9", 2}, {"q/nps/skipped", 1}}),
                            Tally(BatchId(2), "nps", kDay, "en",
                                  {{"displays", 2}, {"q/nps/9", 1}, {"q/nps/3", 1}})}),
            (std::vector<bool>{false, false}));
  EXPECT_EQ(
      Commit(*store, {Tally(BatchId(3), "nps", kDay, "fa", {{"displays", 1}, {"q/nps/10", 1}}),
                      Tally(BatchId(4), "nps", kDay, "en", {{"displays", 4}})}),
      (std::vector<bool>{false, false}));
  EXPECT_EQ(TotalsLines(*store, "nps", kDay, kDay),
            (std::vector<std::string>{
                "shop.example|nps|v1|20789|en: displays=9 q/nps/3=1 q/nps/9=3 q/nps/skipped=1",
                "shop.example|nps|v1|20789|fa: displays=1 q/nps/10=1"}));
  // The same through raw SQL: one row per (key, counter), nothing else stored.
  EXPECT_EQ(Raw("SELECT count(*) FROM totals"), std::vector<std::string>{"6"});
  EXPECT_EQ(Raw("SELECT count(*) FROM batches"), std::vector<std::string>{"4"});
  EXPECT_TRUE(Commit(*store, {}).empty());
}

TEST_P(StoreTest, DuplicatesAreCountedOnceAndReported) {
  auto store = Open();
  ASSERT_TRUE(store);
  EXPECT_EQ(Commit(*store, {Tally(BatchId(1), "nps", kDay, "en", {{"displays", 1}})}),
            std::vector<bool>{false});
  // Batch 1 again (in the store, with other counts), batch 2 twice in the same call (the copy
  // differs: whatever it says is ignored), batch 3 new.
  EXPECT_EQ(Commit(*store, {Tally(BatchId(1), "nps", kDay, "en", {{"displays", 100}}),
                            Tally(BatchId(2), "nps", kDay, "en", {{"displays", 2}}),
                            Tally(BatchId(2), "nps", kDay, "en", {{"displays", 1000}}),
                            Tally(BatchId(3), "nps", kDay, "en", {{"q/nps/8", 1}})}),
            (std::vector<bool>{true, false, true, false}));
  // A comments payload seen before adds no comment either.
  EXPECT_EQ(Commit(*store, {CommentsItem(BatchId(4), "nps", kDay, {"slow"}),
                            CommentsItem(BatchId(4), "nps", kDay, {"slow"})}),
            (std::vector<bool>{false, true}));
  EXPECT_EQ(Commit(*store, {CommentsItem(BatchId(4), "nps", kDay, {"slow"})}),
            std::vector<bool>{true});
  // By hand: displays 1 + 2 = 3, q/nps/8 1.
  EXPECT_EQ(TotalsLines(*store, "nps", kDay, kDay),
            std::vector<std::string>{"shop.example|nps|v1|20789|en: displays=3 q/nps/8=1"});
  EXPECT_EQ(store->Comments("nps", kDay, kDay)->size(), 1u);
}

TEST_P(StoreTest, TotalsByDayRangeAndSurvey) {
  auto store = Open();
  ASSERT_TRUE(store);
  Commit(*store, {Tally(BatchId(1), "nps", kDay - 1, "en", {{"displays", 1}}),
                  Tally(BatchId(2), "nps", kDay, "en", {{"displays", 2}}),
                  Tally(BatchId(3), "nps", kDay + 1, "en", {{"displays", 4}}),
                  Tally(BatchId(4), "nps", kDay + 2, "en", {{"displays", 8}}),
                  Tally(BatchId(5), "other", kDay, "en", {{"displays", 16}}),
                  Tally(BatchId(6), "nps", kDay, "en", {{"displays", 32}}, "b.example"),
                  Tally(BatchId(7), "nps", kDay, "de", {{"displays", 64}})});
  // Days kDay..kDay+1 of "nps" only, ordered by (site, survey, version, day, locale).
  EXPECT_EQ(
      TotalsLines(*store, "nps", kDay, kDay + 1),
      (std::vector<std::string>{
          "b.example|nps|v1|20789|en: displays=32", "shop.example|nps|v1|20789|de: displays=64",
          "shop.example|nps|v1|20789|en: displays=2", "shop.example|nps|v1|20790|en: displays=4"}));
  EXPECT_EQ(TotalsLines(*store, "other", kDay - 5, kDay + 5),
            std::vector<std::string>{"shop.example|other|v1|20789|en: displays=16"});
  EXPECT_TRUE(TotalsLines(*store, "nps", kDay + 3, kDay + 9).empty());
  EXPECT_TRUE(TotalsLines(*store, "nps", kDay + 1, kDay).empty());
  EXPECT_TRUE(TotalsLines(*store, "unknown", kDay - 5, kDay + 5).empty());
}

TEST_P(StoreTest, PutSurveyIsIdempotentAndAVersionNeverChanges) {
  auto store = Open();
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->PutSurvey({"post-checkout", "2026-11-01", R"({"a":1})"}).ok());
  ASSERT_TRUE(store->PutSurvey({"kiosk", "b", R"({"k":"b"})"}).ok());
  ASSERT_TRUE(store->PutSurvey({"post-checkout", "2026-12-01", R"({"a":2})"}).ok());
  ASSERT_TRUE(store->PutSurvey({"kiosk", "a", R"({"k":"a"})"}).ok());
  // The same text again: no change, no new row.
  Status same = store->PutSurvey({"post-checkout", "2026-11-01", R"({"a":1})"});
  EXPECT_TRUE(same.ok()) << same.message();
  Status changed = store->PutSurvey({"post-checkout", "2026-11-01", R"({"a":3})"});
  EXPECT_EQ(changed.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(changed.message().find("post-checkout version 2026-11-01 is already registered"),
            std::string::npos)
      << changed.message();
  // By id, then registration order (kiosk "b" was registered before "a").
  auto other = Open();
  ASSERT_TRUE(other);
  Result<std::vector<SurveyVersion>> surveys = other->Surveys();
  ASSERT_TRUE(surveys.ok()) << surveys.status().message();
  std::vector<std::string> got;
  for (const SurveyVersion& s : *surveys)
    got.push_back(s.id + " " + s.version + " " + s.definition);
  EXPECT_EQ(got, (std::vector<std::string>{"kiosk b {\"k\":\"b\"}", "kiosk a {\"k\":\"a\"}",
                                           "post-checkout 2026-11-01 {\"a\":1}",
                                           "post-checkout 2026-12-01 {\"a\":2}"}));
}

TEST_P(StoreTest, CommentsAreStoredWithoutABatchId) {
  auto store = Open();
  ASSERT_TRUE(store);
  Commit(*store, {CommentsItem(BatchId(1), "nps", kDay, {"too slow", "price \"high\" \\ ok"}),
                  CommentsItem(BatchId(2), "nps", kDay + 3, {"late"}, "promoter"),
                  CommentsItem(BatchId(3), "other", kDay, {"elsewhere"}),
                  CommentsItem(BatchId(4), "nps", kDay - 1, {"یک نظر"}, "")});
  Result<std::vector<StoredComment>> comments = store->Comments("nps", kDay - 1, kDay + 2);
  ASSERT_TRUE(comments.ok()) << comments.status().message();
  std::vector<std::string> got;
  for (const StoredComment& c : *comments) {
    got.push_back(c.survey + "|" + c.version + "|" + std::to_string(c.day) + "|" + c.locale + "|" +
                  c.question + "|" + c.group + "|" + c.text);
  }
  // Storage order, day kDay + 3 and survey "other" left out.
  EXPECT_EQ(got, (std::vector<std::string>{"nps|v1|20789|en|why|detractor|too slow",
                                           "nps|v1|20789|en|why|detractor|price \"high\" \\ ok",
                                           "nps|v1|20788|en|why||یک نظر"}));
  // Nothing in the comments table can join a comment to a batch or a tally.
  std::vector<std::string> columns =
      GetParam() == kSqlite
          ? Raw("SELECT name FROM pragma_table_info('comments')")
          : Raw("SELECT column_name FROM information_schema.columns WHERE table_name = "
                "'comments' AND table_schema = '" +
                schema_ + "'");
  for (const std::string& column : columns) EXPECT_EQ(column.find("batch"), std::string::npos);
  EXPECT_TRUE(std::find(columns.begin(), columns.end(), "text") != columns.end());
  EXPECT_EQ(Raw("SELECT count(*) FROM totals"), std::vector<std::string>{"0"});
}

TEST_P(StoreTest, PruneDropsOldBatchIdsAndComments) {
  auto store = Open();
  ASSERT_TRUE(store);
  Commit(*store, {Tally(BatchId(1), "nps", kDay - 40, "en", {{"displays", 1}}),
                  Tally(BatchId(2), "nps", kDay - 35, "en", {{"displays", 1}}),
                  CommentsItem(BatchId(3), "nps", kDay - 400, {"old"}),
                  CommentsItem(BatchId(4), "nps", kDay - 365, {"kept"})});
  Status pruned = store->Prune(kDay - 35, kDay - 365);
  ASSERT_TRUE(pruned.ok()) << pruned.message();
  // Batch ids of days before kDay - 35 go, the comments payloads' ids among them.
  EXPECT_EQ(Raw("SELECT batch FROM batches ORDER BY batch"), std::vector<std::string>{BatchId(2)});
  // A pruned batch id is new again; a kept one is still a duplicate. Totals are never pruned.
  EXPECT_EQ(Commit(*store, {Tally(BatchId(1), "nps", kDay - 40, "en", {{"displays", 1}}),
                            Tally(BatchId(2), "nps", kDay - 35, "en", {{"displays", 1}})}),
            (std::vector<bool>{false, true}));
  EXPECT_EQ(TotalsLines(*store, "nps", kDay - 40, kDay - 40),
            std::vector<std::string>{"shop.example|nps|v1|20749|en: displays=2"});
  Result<std::vector<StoredComment>> comments = store->Comments("nps", kDay - 999, kDay);
  ASSERT_TRUE(comments.ok());
  ASSERT_EQ(comments->size(), 1u);
  EXPECT_EQ((*comments)[0].text, "kept");
}

TEST_P(StoreTest, FailedCommitAddsNothing) {
  auto store = Open();
  ASSERT_TRUE(store);
  // The comments insert fails after the batch and the totals were written: all is undone.
  Raw("ALTER TABLE comments RENAME TO comments_away");
  Result<std::vector<bool>> failed =
      store->Commit({Tally(BatchId(1), "nps", kDay, "en", {{"displays", 5}}),
                     CommentsItem(BatchId(2), "nps", kDay, {"lost"})});
  EXPECT_FALSE(failed.ok());
  EXPECT_EQ(failed.status().code(), StatusCode::kInternal);
  // SQLite names the statement that failed; PostgreSQL commits in one statement, whose error
  // is the missing table's SQLSTATE.
  EXPECT_NE(failed.status().message().find(GetParam() == "sqlite" ? "comments" : "SQLSTATE 42P01"),
            std::string::npos)
      << failed.status().message();
  Raw("ALTER TABLE comments_away RENAME TO comments");
  EXPECT_EQ(Raw("SELECT count(*) FROM batches"), std::vector<std::string>{"0"});
  EXPECT_TRUE(TotalsLines(*store, "nps", kDay, kDay).empty());
  // The same items again on a fresh Store are new (SQLite's cached statements were prepared
  // against the renamed table; a fresh Store avoids depending on re-preparation).
  auto fresh = Open();
  ASSERT_TRUE(fresh);
  EXPECT_EQ(Commit(*fresh, {Tally(BatchId(1), "nps", kDay, "en", {{"displays", 5}}),
                            CommentsItem(BatchId(2), "nps", kDay, {"kept"})}),
            (std::vector<bool>{false, false}));
  EXPECT_EQ(TotalsLines(*fresh, "nps", kDay, kDay),
            std::vector<std::string>{"shop.example|nps|v1|20789|en: displays=5"});
}

TEST_P(StoreTest, Ping) {
  auto store = Open();
  ASSERT_TRUE(store);
  Status ping = store->Ping();
  EXPECT_TRUE(ping.ok()) << ping.message();
}

TEST_P(StoreTest, BackupCopiesEveryTable) {
  auto store = Open();
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->PutSurvey({"nps", "v2", "{\"b\":2}"}).ok());
  ASSERT_TRUE(store->PutSurvey({"nps", "v1", "{\"a\":1}"}).ok());
  Commit(*store, {Tally(BatchId(1), "nps", kDay, "en", {{"displays", 3}, {"q/nps/9", 2}}),
                  Tally(BatchId(2), "nps", kDay + 1, "fa", {{"displays", 1}}),
                  CommentsItem(BatchId(3), "nps", kDay, {"second", "first?"}),
                  CommentsItem(BatchId(4), "nps", kDay - 1, {"third"}, "")});
  std::string folder =
      testing::TempDir() + "nazar-backup-" + GetParam() + "-" + std::to_string(getpid());
  std::system(("rm -rf '" + folder + "' && mkdir -p '" + folder + "'").c_str());
  std::string path = folder + "/copy.db";
  Status backup = BackupTo(*store, path);
  ASSERT_TRUE(backup.ok()) << backup.message();
  Status again = BackupTo(*store, path);
  EXPECT_EQ(again.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(again.message().find(path + ": the file exists"), std::string::npos) << again.message();

  Result<std::unique_ptr<Store>> opened = OpenStore(path);
  ASSERT_TRUE(opened.ok()) << opened.status().message();
  Store& copy = **opened;
  Status migrated = copy.Migrate();
  EXPECT_TRUE(migrated.ok()) << migrated.message();
  EXPECT_EQ(TotalsLines(copy, "nps", kDay - 9, kDay + 9),
            (std::vector<std::string>{"shop.example|nps|v1|20789|en: displays=3 q/nps/9=2",
                                      "shop.example|nps|v1|20790|fa: displays=1"}));
  std::vector<std::string> surveys;
  Result<std::vector<SurveyVersion>> copied = copy.Surveys();
  ASSERT_TRUE(copied.ok()) << copied.status().message();
  for (const SurveyVersion& v : *copied) surveys.push_back(v.version + v.definition);
  EXPECT_EQ(surveys, (std::vector<std::string>{"v2{\"b\":2}", "v1{\"a\":1}"}));
  std::vector<std::string> texts;
  Result<std::vector<StoredComment>> comments = copy.Comments("nps", kDay - 9, kDay + 9);
  ASSERT_TRUE(comments.ok()) << comments.status().message();
  for (const StoredComment& c : *comments) {
    texts.push_back(std::to_string(c.day) + " " + c.group + " " + c.text);
  }
  EXPECT_EQ(texts, (std::vector<std::string>{"20789 detractor second", "20789 detractor first?",
                                             "20788  third"}));
  // The batch ids came along: a re-sent batch is still a duplicate in the copy.
  EXPECT_EQ(Commit(copy, {Tally(BatchId(1), "nps", kDay, "en", {{"displays", 3}}),
                          Tally(BatchId(5), "nps", kDay, "en", {{"displays", 1}})}),
            (std::vector<bool>{true, false}));
  opened = Status();
  std::system(("rm -rf '" + folder + "'").c_str());
}

// A share as a line, "id survey hash comments created expires revoked": the form expected
// values are written in.
std::string ShareLine(const Share& s) {
  return s.id + " " + s.survey + " " + s.token_hash + " " + (s.comments ? "1" : "0") + " " +
         std::to_string(s.created) + " " + std::to_string(s.expires) + " " +
         std::to_string(s.revoked);
}

constexpr int64_t kNow = 1'796'126'400;  // 2026-12-01T12:00:00Z

TEST_P(StoreTest, SharesAreAddedListedFoundAndRevoked) {
  auto store = Open();
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->PutShare({"a1", "nps", "hash-a", false, kNow - 10, kNow + 86400, 0}).ok());
  ASSERT_TRUE(store->PutShare({"b2", "shop", "hash-b", true, kNow, kNow + 7 * 86400, 0}).ok());
  ASSERT_TRUE(store->PutShare({"b1", "shop", "hash-c", true, kNow, kNow + 86400, 0}).ok());
  // An id or a token hash taken already is refused, and nothing changes.
  EXPECT_EQ(store->PutShare({"a1", "nps", "hash-z", false, kNow, kNow + 1, 0}).code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(store->PutShare({"z9", "nps", "hash-a", false, kNow, kNow + 1, 0}).code(),
            StatusCode::kFailedPrecondition);
  Result<std::vector<Share>> all = store->Shares();
  ASSERT_TRUE(all.ok()) << all.status().message();
  std::vector<std::string> lines;
  for (const Share& s : *all) lines.push_back(ShareLine(s));
  // Newest first; equal times by id, descending.
  EXPECT_EQ(lines, (std::vector<std::string>{"b2 shop hash-b 1 1796126400 1796731200 0",
                                             "b1 shop hash-c 1 1796126400 1796212800 0",
                                             "a1 nps hash-a 0 1796126390 1796212800 0"}));
  Result<std::optional<Share>> found = store->FindShare("hash-b");
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ(ShareLine(**found), "b2 shop hash-b 1 1796126400 1796731200 0");
  found = store->FindShare("hash-none");
  ASSERT_TRUE(found.ok());
  EXPECT_FALSE(found->has_value());

  Result<bool> revoked = store->RevokeShare("b2", kNow + 5);
  ASSERT_TRUE(revoked.ok() && *revoked);
  revoked = store->RevokeShare("b2", kNow + 99);  // the first revocation time stays
  ASSERT_TRUE(revoked.ok() && *revoked);
  revoked = store->RevokeShare("nope", kNow);
  ASSERT_TRUE(revoked.ok());
  EXPECT_FALSE(*revoked);
  EXPECT_EQ(Raw("SELECT revoked FROM shares ORDER BY id"),
            (std::vector<std::string>{"0", "0", "1796126405"}));
  // Only hashes: no column could hold a token, and comments is 0 or 1.
  EXPECT_EQ(Raw("SELECT count(*) FROM shares WHERE token_hash LIKE 'hash-%'"),
            std::vector<std::string>{"3"});
  std::string error;
  RawQuery(GetParam(), db_,
           "INSERT INTO shares (id, survey, token_hash, comments, created, expires) "
           "VALUES ('c', 'nps', 'h', 2, 0, 0)",
           &error);
  EXPECT_FALSE(error.empty()) << "comments = 2 was accepted";
}

TEST_P(StoreTest, SessionsAreAddedFoundAndDeleted) {
  auto store = Open();
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->PutSession({"s-hash", "key1", kNow, kNow + 43200}).ok());
  ASSERT_TRUE(store->PutSession({"t-hash", "key2", kNow + 1, kNow + 43201}).ok());
  Result<std::optional<Session>> found = store->FindSession("s-hash");
  ASSERT_TRUE(found.ok() && found->has_value()) << found.status().message();
  EXPECT_EQ((*found)->token_hash + " " + (*found)->key_id + " " +
                std::to_string((*found)->created) + " " + std::to_string((*found)->expires),
            "s-hash key1 1796126400 1796169600");
  ASSERT_TRUE(store->DeleteSession("s-hash").ok());
  ASSERT_TRUE(store->DeleteSession("never-there").ok());
  found = store->FindSession("s-hash");
  ASSERT_TRUE(found.ok());
  EXPECT_FALSE(found->has_value());
  EXPECT_EQ(Raw("SELECT token_hash FROM sessions"), std::vector<std::string>{"t-hash"});
}

TEST_P(StoreTest, PruneAuthDropsExpiredSessionsAndLongExpiredShares) {
  auto store = Open();
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->PutSession({"old", "k", kNow - 50000, kNow - 1}).ok());
  ASSERT_TRUE(store->PutSession({"edge", "k", kNow - 40000, kNow}).ok());
  ASSERT_TRUE(store->PutSession({"live", "k", kNow, kNow + 43200}).ok());
  ASSERT_TRUE(store->PutShare({"gone", "nps", "h1", false, 0, kNow - 31 * 86400, 0}).ok());
  ASSERT_TRUE(store->PutShare({"listed", "nps", "h2", false, 0, kNow - 29 * 86400, 0}).ok());
  ASSERT_TRUE(store->PutShare({"live", "nps", "h3", false, 0, kNow + 86400, kNow}).ok());
  Status pruned = store->PruneAuth(kNow, kNow - 30 * 86400);
  ASSERT_TRUE(pruned.ok()) << pruned.message();
  EXPECT_EQ(Raw("SELECT token_hash FROM sessions ORDER BY token_hash"),
            (std::vector<std::string>{"edge", "live"}));
  EXPECT_EQ(Raw("SELECT id FROM shares ORDER BY id"), (std::vector<std::string>{"listed", "live"}));
}

TEST_P(StoreTest, BackupCopiesSharesButNotSessions) {
  auto store = Open();
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->PutShare({"a1", "nps", "hash-a", true, kNow, kNow + 86400, kNow + 3}).ok());
  ASSERT_TRUE(store->PutSession({"s-hash", "key1", kNow, kNow + 43200}).ok());
  std::string folder =
      testing::TempDir() + "nazar-backup-auth-" + GetParam() + "-" + std::to_string(getpid());
  std::system(("rm -rf '" + folder + "' && mkdir -p '" + folder + "'").c_str());
  const std::string path = folder + "/copy.db";
  Status backup = BackupTo(*store, path);
  ASSERT_TRUE(backup.ok()) << backup.message();
  std::string error;
  EXPECT_EQ(RawQuery(kSqlite, path, "SELECT count(*) FROM sessions", &error),
            std::vector<std::string>{"0"});
  EXPECT_EQ(RawQuery(kSqlite, path,
                     "SELECT id || ' ' || survey || ' ' || token_hash || ' ' || comments || ' ' "
                     "|| created || ' ' || expires || ' ' || revoked FROM shares",
                     &error),
            std::vector<std::string>{"a1 nps hash-a 1 1796126400 1796212800 1796126403"});
  EXPECT_TRUE(error.empty()) << error;
  // The original keeps its session.
  EXPECT_EQ(Raw("SELECT count(*) FROM sessions"), std::vector<std::string>{"1"});
  std::system(("rm -rf '" + folder + "'").c_str());
}

// A database of schema version 1 (before shares and sessions) migrates to the current one with
// its totals intact.
TEST_P(StoreTest, VersionOneMigratesKeepingItsRows) {
  const std::string sql =
      GetParam() == kSqlite ? internal::Migrations()[0].sqlite : internal::Migrations()[0].postgres;
  Raw("CREATE TABLE schema_version (version INTEGER NOT NULL); INSERT INTO schema_version "
      "VALUES (1);" +
      sql +
      "INSERT INTO totals (site, survey, version, day, locale, counter, value) VALUES "
      "('shop.example', 'nps', 'v1', 20789, 'en', 'displays', 4)");
  auto store = Open();
  ASSERT_TRUE(store);
  EXPECT_EQ(Raw("SELECT version FROM schema_version"), std::vector<std::string>{"2"});
  EXPECT_EQ(TotalsLines(*store, "nps", kDay, kDay),
            std::vector<std::string>{"shop.example|nps|v1|20789|en: displays=4"});
  EXPECT_TRUE(store->PutSession({"s", "k", kNow, kNow + 1}).ok());
  EXPECT_EQ(Raw("SELECT count(*) FROM shares"), std::vector<std::string>{"0"});
}

// Lets two threads start each round together, so their commits overlap in time.
class RoundBarrier {
 public:
  void Wait() {
    std::unique_lock<std::mutex> lock(mutex_);
    int round = round_;
    if (++waiting_ == 2) {
      waiting_ = 0;
      ++round_;
      changed_.notify_all();
    } else {
      changed_.wait(lock, [&] { return round_ != round; });
    }
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  int waiting_ = 0;
  int round_ = 0;
};

// Two writers, each with its own Store (for PostgreSQL two connections, as two collector
// processes would have), commit overlapping batch sets at the same moment: in round r the first
// commits batches 10r..10r+19 in ascending order, the second 10r+5..10r+24 in descending order
// (the order most likely to deadlock two writers that lock rows as they come). Every batch is
// counted exactly once, and the totals are the hand sum.
TEST_P(StoreTest, ConcurrentWritersCountEveryBatchOnce) {
  auto first = Open();
  auto second = Open();
  ASSERT_TRUE(first && second);
  constexpr int kRounds = 30;
  constexpr int kBatches = 10 * (kRounds - 1) + 25;
  // Batch n adds displays 1 and "q/nps/<n % 11>" n % 3 + 1 into locale en (n even) or fa.
  auto item = [](int n) {
    std::vector<Counter> counters = {{"displays", 1}};
    counters.push_back({"q/nps/" + std::to_string(n % 11), n % 3 + 1});
    return Tally(BatchId(n), "nps", kDay, n % 2 ? "fa" : "en", counters);
  };
  std::vector<std::atomic<int>> seen(kBatches);
  std::vector<std::string> errors(2);
  RoundBarrier barrier;
  auto writer = [&](Store* store, int index) {
    for (int r = 0; r < kRounds; ++r) {
      std::vector<int> ids;
      for (int k = 0; k < 20; ++k) ids.push_back(index == 0 ? 10 * r + k : 10 * r + 24 - k);
      std::vector<Ingest> items;
      for (int n : ids) items.push_back(item(n));
      barrier.Wait();
      Result<std::vector<bool>> duplicate = store->Commit(items);
      if (!duplicate.ok()) {
        if (errors[index].empty()) errors[index] = duplicate.status().message();
        continue;  // keep meeting the other writer at the barrier
      }
      for (size_t k = 0; k < ids.size(); ++k) {
        if (!(*duplicate)[k]) ++seen[static_cast<size_t>(ids[k])];
      }
    }
  };
  std::thread a(writer, first.get(), 0);
  std::thread b(writer, second.get(), 1);
  a.join();
  b.join();
  EXPECT_EQ(errors[0], "");
  EXPECT_EQ(errors[1], "");
  for (int n = 0; n < kBatches; ++n) EXPECT_EQ(seen[n], 1) << "batch " << n << " reported new";
  // The expected totals, summed here batch by batch from the rule above.
  std::map<std::string, std::map<std::string, int64_t>> expected;
  for (int n = 0; n < kBatches; ++n) {
    auto& row = expected[n % 2 ? "fa" : "en"];
    row["displays"] += 1;
    row["q/nps/" + std::to_string(n % 11)] += n % 3 + 1;
  }
  std::vector<std::string> want;
  for (auto& [locale, counters] : expected) {
    std::string line = "shop.example|nps|v1|20789|" + locale + ":";
    for (auto& [name, value] : counters) line += " " + name + "=" + std::to_string(value);
    want.push_back(line);
  }
  EXPECT_EQ(TotalsLines(*first, "nps", kDay, kDay), want);
  EXPECT_EQ(Raw("SELECT count(*) FROM batches"),
            std::vector<std::string>{std::to_string(kBatches)});
}

INSTANTIATE_TEST_SUITE_P(Stores, StoreTest, testing::Values(kSqlite, kPostgres),
                         [](const testing::TestParamInfo<std::string>& param_info) {
                           return param_info.param;
                         });

// PostgreSQL alone: a comment with a NUL (refused by the core since issue 6, so only a bug could
// send one) cuts libpq's text at the NUL and the commit fails with 22P02 ("malformed array
// literal: ..." quoting the comment). The error names the statement and the SQLSTATE and quotes
// no data, since the server logs it; the connection stays usable.
TEST(PostgresOnly, FailedCommitQuotesNoData) {
  std::string error;
  const std::string db = pgtest::PostgresTestDb("nazar_t_quotesnodata", &error);
  ASSERT_TRUE(error.empty()) << error;
  Result<std::unique_ptr<Store>> opened = OpenStore(db);
  ASSERT_TRUE(opened.ok()) << opened.status().message();
  Store& store = **opened;
  ASSERT_TRUE(store.Migrate().ok());
  Result<std::vector<bool>> failed =
      store.Commit({CommentsItem(BatchId(1), "nps", kDay, {std::string("zqxsecret\0tail", 14)})});
  ASSERT_FALSE(failed.ok());
  const std::string message = failed.status().message();
  EXPECT_NE(message.find("SQLSTATE 22P02"), std::string::npos) << message;
  EXPECT_NE(message.find("\"WITH fresh AS ( INSERT INTO batches"), std::string::npos) << message;
  EXPECT_EQ(message.find("zqx"), std::string::npos) << message;
  EXPECT_EQ(message.find("malformed"), std::string::npos) << message;
  Result<std::vector<bool>> next = store.Commit({CommentsItem(BatchId(2), "nps", kDay, {"fine"})});
  ASSERT_TRUE(next.ok()) << next.status().message();
  EXPECT_EQ(store.Comments("nps", kDay, kDay)->size(), 1u);
}

// PostgreSQL alone: the server drops the store's connection (what a restart or a failover
// does); the next calls reconnect by themselves, and a commit whose connection was found dead
// before anything was sent is not lost.
TEST(PostgresOnly, ReconnectsAfterTheConnectionDrops) {
  std::string error;
  std::string url = PostgresUrl(&error);
  ASSERT_TRUE(error.empty()) << error;
  const std::string name = "nazar_t_reconnect";
  RawQuery(kPostgres, url, "DROP SCHEMA IF EXISTS " + name + " CASCADE; CREATE SCHEMA " + name,
           &error);
  ASSERT_TRUE(error.empty()) << error;
  std::string db = url + "&options=-csearch_path%3D" + name + "&application_name=" + name;
  Result<std::unique_ptr<Store>> opened = OpenStore(db);
  ASSERT_TRUE(opened.ok()) << opened.status().message();
  Store& store = **opened;
  ASSERT_TRUE(store.Migrate().ok());
  auto drop = [&] {
    std::vector<std::string> killed = RawQuery(
        kPostgres, url,
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '" + name +
            "'",
        &error);
    ASSERT_TRUE(error.empty()) << error;
    ASSERT_EQ(killed, std::vector<std::string>{"t"});
  };
  drop();
  Status ping = store.Ping();
  EXPECT_TRUE(ping.ok()) << ping.message();
  drop();
  Result<std::vector<bool>> committed =
      store.Commit({Tally(BatchId(1), "nps", kDay, "en", {{"displays", 7}})});
  ASSERT_TRUE(committed.ok()) << committed.status().message();
  EXPECT_EQ(*committed, std::vector<bool>{false});
  drop();
  Result<std::vector<TotalsRow>> totals = store.Totals("nps", kDay, kDay);
  ASSERT_TRUE(totals.ok()) << totals.status().message();
  EXPECT_EQ(Lines(*totals), std::vector<std::string>{"shop.example|nps|v1|20789|en: displays=7"});
}

// Opening errors that need no server.
TEST(OpenStoreTest, MissingFolderNamesThePath) {
  std::string path = testing::TempDir() + "nazar-no-such-folder/sub/nazar.db";
  Result<std::unique_ptr<Store>> store = OpenStore(path);
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.status().message().find("cannot open " + path + ": "), std::string::npos)
      << store.status().message();
}

TEST(OpenStoreTest, NotADatabaseIsRefused) {
  std::string path = testing::TempDir() + "nazar-not-a-db-" + std::to_string(getpid());
  std::ofstream(path) << "this is not an SQLite file, it is long enough to have a header......"
                         "................................................................";
  Result<std::unique_ptr<Store>> store = OpenStore(path);
  std::remove(path.c_str());
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.status().message().find("cannot open " + path), std::string::npos)
      << store.status().message();
}

TEST(OpenStoreTest, PasswordInPostgresUrlIsRefused) {
  for (const char* url : {"postgresql://nazar:secret@db.example/nazar",
                          "postgres://nazar@db.example/nazar?password=secret"}) {
    Result<std::unique_ptr<Store>> store = OpenStore(url);
    ASSERT_FALSE(store.ok()) << url;
    EXPECT_EQ(store.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(store.status().message().find("PGPASSWORD or PGPASSFILE"), std::string::npos);
    EXPECT_EQ(store.status().message().find("secret"), std::string::npos);
  }
}

TEST(OpenStoreTest, UnreachablePostgresSaysWhere) {
  std::string url = "postgresql:///nazar?host=" + testing::TempDir() + "nazar-no-server&port=1";
  Result<std::unique_ptr<Store>> store = OpenStore(url);
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.status().message().find("cannot connect to " + url + ": "), std::string::npos)
      << store.status().message();
}

}  // namespace
}  // namespace nazar::collector
