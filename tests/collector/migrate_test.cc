// `nazar-collector migrate --to postgresql://... --db SQLITE`, the real binary against the
// PostgreSQL fixture (collector_pg): a SQLite store filled through the Store API is copied, and
// the target is read back through its own Store and raw SQL against hand-worked values.
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "store.h"
#include "test_pg.h"

namespace nazar::collector {
namespace {

constexpr int64_t kDay = 20789;  // 2026-12-02

std::string Slurp(const std::string& path) {
  std::ifstream in(path);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

std::string BatchId(int n) {
  char buf[33];
  std::snprintf(buf, sizeof buf, "%032x", n);
  return buf;
}

Ingest Tally(int batch, const std::string& version, int64_t day, const std::string& locale,
             std::vector<Counter> counters) {
  Ingest item;
  item.batch = BatchId(batch);
  item.day = day;
  item.key = TotalsKey{"shop.example", "nps", version, day, locale};
  item.counters = std::move(counters);
  return item;
}

Ingest Comments(int batch, const std::vector<std::string>& texts) {
  Ingest item;
  item.batch = BatchId(batch);
  item.day = kDay;
  for (const std::string& t : texts) {
    item.comments.push_back({"nps", "v1", kDay, "en", "why", "detractor", t});
  }
  return item;
}

class MigrateCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string name = pgtest::TestSchemaName("nazar_m_");
    dir_ = std::filesystem::temp_directory_path() / (name + "_" + std::to_string(getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    sqlite_ = (dir_ / "nazar.db").string();
    const char* pg_dir = std::getenv("NAZAR_TEST_PG_DIR");
    ASSERT_TRUE(pg_dir && *pg_dir)
        << "NAZAR_TEST_PG_DIR is not set: run through ctest (fixture collector_pg)";
    base_url_ = Slurp(std::string(pg_dir) + "/url");
    ASSERT_FALSE(base_url_.empty()) << pg_dir << "/url is missing: see collector_pg_start";
    // A schema of its own per test (tests may run in parallel).
    Raw("DROP SCHEMA IF EXISTS " + name + " CASCADE; CREATE SCHEMA " + name, base_url_);
    url_ = base_url_ + "&options=-csearch_path%3D" + name;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // The SQLite source, migrated, with `items` committed and nps v1, v2 and "other" v1 registered.
  void FillSource(const std::vector<Ingest>& items) {
    Result<std::unique_ptr<Store>> store = OpenStore(sqlite_);
    ASSERT_TRUE(store.ok()) << store.status().message();
    ASSERT_TRUE((*store)->Migrate().ok());
    ASSERT_TRUE((*store)->PutSurvey({"nps", "v1", "{\"v\":1}"}).ok());
    ASSERT_TRUE((*store)->PutSurvey({"other", "v1", "{\"o\":1}"}).ok());
    ASSERT_TRUE((*store)->PutSurvey({"nps", "v2", "{\"v\":2}"}).ok());
    Result<std::vector<bool>> committed = (*store)->Commit(items);
    ASSERT_TRUE(committed.ok()) << committed.status().message();
    // A share is copied; a session never is (a copy signs every dashboard in again).
    ASSERT_TRUE((*store)->PutShare({"sh1", "nps", "hash-1", true, 100, 200, 150}).ok());
    ASSERT_TRUE((*store)->PutSession({"session-hash", "key", 100, 200}).ok());
  }

  // Runs the binary; its exit code, stdout in *out and stderr in *err.
  int Run(const std::string& args, std::string* out, std::string* err) {
    const std::string out_file = (dir_ / "stdout").string();
    const std::string err_file = (dir_ / "stderr").string();
    const int raw = std::system(("'" + std::string(NAZAR_COLLECTOR_PATH) + "' " + args + " >'" +
                                 out_file + "' 2>'" + err_file + "'")
                                    .c_str());
    *out = Slurp(out_file);
    *err = Slurp(err_file);
    return WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  }

  int Migrate(std::string* out, std::string* err) {
    return Run("migrate --to '" + url_ + "' --db '" + sqlite_ + "'", out, err);
  }

  // First column of every row of `sql` on `url` (this test's schema by default).
  std::vector<std::string> Raw(const std::string& sql, std::string url = "") {
    if (url.empty()) url = url_;
    std::vector<std::string> rows;
    PGconn* conn = PQconnectdb(url.c_str());
    EXPECT_EQ(PQstatus(conn), CONNECTION_OK) << PQerrorMessage(conn);
    PQsetNoticeProcessor(
        conn, [](void*, const char*) {}, nullptr);
    PGresult* r = PQexec(conn, sql.c_str());
    const ExecStatusType status = PQresultStatus(r);
    EXPECT_TRUE(status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK)
        << sql << ": " << PQresultErrorMessage(r);
    if (status == PGRES_TUPLES_OK) {
      for (int i = 0; i < PQntuples(r); ++i) rows.push_back(PQgetvalue(r, i, 0));
    }
    PQclear(r);
    PQfinish(conn);
    return rows;
  }

  // "surveys batches totals comments" row counts on the target, e.g. "3 4 5 2".
  std::string Counts() {
    return Raw("SELECT (SELECT count(*) FROM surveys) || ' ' || (SELECT count(*) FROM batches) "
               "|| ' ' || (SELECT count(*) FROM totals) || ' ' || "
               "(SELECT count(*) FROM comments)")
        .at(0);
  }

  std::filesystem::path dir_;
  std::string sqlite_, base_url_, url_;
};

// One line per totals row, as the expectations are written.
std::vector<std::string> Lines(Store& store, const std::string& survey) {
  Result<std::vector<TotalsRow>> rows = store.Totals(survey, kDay - 9, kDay + 9);
  EXPECT_TRUE(rows.ok()) << rows.status().message();
  std::vector<std::string> out;
  if (!rows.ok()) return out;
  for (const TotalsRow& r : *rows) {
    std::string line = r.key.version + "|" + std::to_string(r.key.day) + "|" + r.key.locale + ":";
    for (const Counter& c : r.counters) line += " " + c.name + "=" + std::to_string(c.value);
    out.push_back(line);
  }
  return out;
}

TEST_F(MigrateCommandTest, CopiesEveryTableAndTheTargetCarriesOn) {
  // Batch 1 and 2 add into one row, batch 3 into another day and version, batch 1 again is a
  // duplicate; two comments payloads. Hand-worked: v1 day en displays 3+4=7, q/nps/9 2+0=2,
  // q/nps/0 0+1=1; v2 day+1 fa displays 5.
  const std::string tricky = "tab\there, line\nbreak, back\\slash, \"quoted\", persian \xD9\x86";
  FillSource({Tally(1, "v1", kDay, "en", {{"displays", 3}, {"q/nps/9", 2}}),
              Tally(2, "v1", kDay, "en", {{"displays", 4}, {"q/nps/0", 1}}),
              Tally(3, "v2", kDay + 1, "fa", {{"displays", 5}}),
              Tally(1, "v1", kDay, "en", {{"displays", 100}}), Comments(4, {"first", tricky}),
              Comments(5, {"third"})});
  std::string out, err;
  ASSERT_EQ(Migrate(&out, &err), 0) << out << err;
  EXPECT_NE(out.find("totals    4 rows, verified"), std::string::npos) << out;
  EXPECT_EQ(Counts(), "3 5 4 3");  // 3 versions; batches 1-5; 4 (row, counter); 3 comments
  EXPECT_NE(out.find("shares    1 rows, verified"), std::string::npos) << out;
  EXPECT_EQ(Raw("SELECT id || ' ' || survey || ' ' || token_hash || ' ' || comments || ' ' || "
                "created || ' ' || expires || ' ' || revoked FROM shares"),
            std::vector<std::string>{"sh1 nps hash-1 1 100 200 150"});
  EXPECT_EQ(Raw("SELECT count(*) FROM sessions"), std::vector<std::string>{"0"});

  Result<std::unique_ptr<Store>> opened = OpenStore(url_);
  ASSERT_TRUE(opened.ok()) << opened.status().message();
  Store& pg = **opened;
  ASSERT_TRUE(pg.Migrate().ok());
  EXPECT_EQ(Lines(pg, "nps"),
            (std::vector<std::string>{"v1|20789|en: displays=7 q/nps/0=1 q/nps/9=2",
                                      "v2|20790|fa: displays=5"}));
  Result<std::vector<StoredComment>> comments = pg.Comments("nps", kDay, kDay);
  ASSERT_TRUE(comments.ok()) << comments.status().message();
  ASSERT_EQ(comments->size(), 3u);
  EXPECT_EQ((*comments)[0].text, "first");
  EXPECT_EQ((*comments)[1].text, tricky);
  EXPECT_EQ((*comments)[2].text, "third");
  EXPECT_EQ((*comments)[1].group, "detractor");

  // Batch ids came along: a re-posted batch is a duplicate on PostgreSQL; a new one adds.
  Result<std::vector<bool>> dup = pg.Commit({Tally(2, "v1", kDay, "en", {{"displays", 50}}),
                                             Tally(6, "v1", kDay, "en", {{"displays", 1}})});
  ASSERT_TRUE(dup.ok()) << dup.status().message();
  EXPECT_EQ(*dup, (std::vector<bool>{true, false}));
  EXPECT_EQ(Lines(pg, "nps")[0], "v1|20789|en: displays=8 q/nps/0=1 q/nps/9=2");

  // Registration order came along, and a new version registers after the copied ones.
  ASSERT_TRUE(pg.PutSurvey({"nps", "v3", "{\"v\":3}"}).ok());
  Result<std::vector<SurveyVersion>> surveys = pg.Surveys();
  ASSERT_TRUE(surveys.ok()) << surveys.status().message();
  std::vector<std::string> order;
  for (const SurveyVersion& v : *surveys) order.push_back(v.id + "/" + v.version + v.definition);
  EXPECT_EQ(order, (std::vector<std::string>{"nps/v1{\"v\":1}", "nps/v2{\"v\":2}",
                                             "nps/v3{\"v\":3}", "other/v1{\"o\":1}"}));
}

TEST_F(MigrateCommandTest, AgainIsANoOpButOtherDataIsRefused) {
  FillSource({Tally(1, "v1", kDay, "en", {{"displays", 3}}), Comments(2, {"c"})});
  std::string out, err;
  ASSERT_EQ(Migrate(&out, &err), 0) << out << err;
  // The same source again: the target already holds exactly its rows.
  ASSERT_EQ(Migrate(&out, &err), 0) << out << err;
  EXPECT_NE(out.find("nothing copied"), std::string::npos) << out;
  EXPECT_EQ(Counts(), "3 2 1 1");
  // The source moved on: the target holds rows that are not the source's, refused unchanged.
  {
    Result<std::unique_ptr<Store>> store = OpenStore(sqlite_);
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE((*store)->Commit({Tally(7, "v1", kDay, "en", {{"displays", 2}})}).ok());
  }
  EXPECT_EQ(Migrate(&out, &err), 1) << out;
  EXPECT_NE(err.find("already holds rows (surveys 3, batches 2, totals 1, comments 1, shares 1)"),
            std::string::npos)
      << err;
  EXPECT_EQ(Counts(), "3 2 1 1");
  EXPECT_EQ(Raw("SELECT value FROM totals"), std::vector<std::string>{"3"});
}

TEST_F(MigrateCommandTest, AFailureHalfWayLeavesTheTargetEmpty) {
  // Surveys, batches and totals copy; the last table, comments, holds bytes that are not UTF-8
  // (SQLite keeps them, PostgreSQL refuses them), so the copy fails after three tables.
  FillSource({Tally(1, "v1", kDay, "en", {{"displays", 3}}), Comments(2, {"ok", "bad \xff"})});
  std::string out, err;
  EXPECT_EQ(Migrate(&out, &err), 1) << out;
  EXPECT_NE(err.find("copy comments"), std::string::npos) << err;
  EXPECT_EQ(Counts(), "0 0 0 0");
}

TEST_F(MigrateCommandTest, RefusesAMissingSourceAndABadTarget) {
  std::string out, err;
  EXPECT_EQ(Run("migrate --to '" + url_ + "' --db '" + sqlite_ + "'", &out, &err), 1);
  EXPECT_NE(err.find(sqlite_ + ": no such SQLite file"), std::string::npos) << err;
  EXPECT_FALSE(std::filesystem::exists(sqlite_));
  FillSource({});
  EXPECT_EQ(Run("migrate --to /tmp/x.db --db '" + sqlite_ + "'", &out, &err), 1);
  EXPECT_NE(err.find("--to: expected a postgresql:// URL"), std::string::npos) << err;
  EXPECT_EQ(Run("migrate --db '" + sqlite_ + "'", &out, &err), 2);
}

}  // namespace
}  // namespace nazar::collector
