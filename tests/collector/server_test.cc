// The collector server in-process on 127.0.0.1 (ephemeral port) over the memory store, driven
// with httplib::Client: ingest statuses, CORS, rate limit, group commit, reads, operations. The
// tests of CollectorStoreTest run on the memory store, real SQLite and real PostgreSQL.
#include "collector/server.h"

#include <gtest/gtest.h>
#include <httplib.h>
#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <thread>

#include "collector/definitions.h"
#include "collector_fixture.h"
#include "memory_store.h"
#include "nazar/aggregate.h"
#include "nazar/date.h"
#include "test_pg.h"
#include "test_surveys.h"

namespace nazar::collector {
namespace {

using testing::BatchId;
using testing::MemoryDatabase;
using testing::ShopTally;

TEST_F(CollectorTest, AcceptsOnceAndAnswersDuplicate) {
  Start();
  const Json payload = ShopTally(BatchId(1), kYesterday, 9);
  auto r = Post(payload);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(Body(r), (Json{{"ok", true}, {"duplicate", false}}));
  r = Post(payload);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(Body(r), (Json{{"ok", true}, {"duplicate", true}}));
  EXPECT_EQ(db_->CounterSum("shop", "displays"), 1);
  EXPECT_EQ(db_->CounterSum("shop", "q/nps/9"), 1);
  EXPECT_EQ(db_->CounterSum("shop", "q/ease/skipped"), 1);
}

// A version registered by another replica is accepted at its first post (the definitions are
// re-read), while posts of made-up versions re-read them at most once a second.
TEST_F(CollectorTest, UnknownVersionRereadsDefinitionsAtMostOnceASecond) {
  Start();
  RegisterElsewhere("v2");
  Json payload = ShopTally(BatchId(1), kYesterday, 9);
  payload["survey_version"] = "v2";
  auto r = Post(payload);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(db_->CounterSum("shop", "displays"), 1);
  auto surveys = Get("/v1/surveys");
  ASSERT_TRUE(surveys);
  EXPECT_NE(surveys->body.find("\"version\":\"v2\""), std::string::npos) << surveys->body;
  // 30 posts of unknown versions within far less than a second of that re-read: none re-reads.
  const int reads = db_->survey_reads;
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 30; ++i) {
    payload["survey_version"] = "x" + std::to_string(i);
    payload["batch"] = BatchId(100 + i);
    r = Post(payload);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 422) << r->body;
  }
  ASSERT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(900));
  EXPECT_EQ(db_->survey_reads - reads, 0);
  // A second later, an unknown version may re-read once more.
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  RegisterElsewhere("v3");
  payload["survey_version"] = "v3";
  payload["batch"] = BatchId(2);
  r = Post(payload);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(db_->survey_reads - reads, 1);
}

// Without any post, the periodic refresh brings another replica's version to GET /v1/surveys.
TEST_F(CollectorTest, PeriodicRefreshServesAnotherReplicasVersion) {
  refresh_seconds_ = 0.1;
  Start();
  const std::string before = Get("/v1/surveys")->get_header_value("ETag");
  RegisterElsewhere("v2");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  for (;;) {
    auto r = Get("/v1/surveys");
    ASSERT_TRUE(r);
    if (r->body.find("\"version\":\"v2\"") != std::string::npos) {
      EXPECT_NE(r->get_header_value("ETag"), before);
      break;
    }
    ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "v2 never served: " << r->body;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

TEST_F(CollectorTest, MalformedPayloadIs400WithPointer) {
  Start();
  Json payload = ShopTally(BatchId(1), kYesterday, 9);
  payload["questions"]["nps"]["counts"] = {1, 0, 0};
  auto r = Post(payload);
  EXPECT_EQ(r->status, 400);
  EXPECT_NE(Body(r)["error"].get<std::string>().find("/questions/nps/counts"), std::string::npos)
      << r->body;
  EXPECT_EQ(r->get_header_value("Access-Control-Allow-Origin"), "*");
  EXPECT_EQ(r->get_header_value("Access-Control-Expose-Headers"), "Retry-After");
  r = Client().Post("/v1/aggregates", "{not json", "text/plain");
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(db_->CounterSum("shop", "displays"), 0);
}

// The tests below run on each store: the memory store, real SQLite and real PostgreSQL (a schema
// of the test's own on the ctest fixture's server; no server is a failure, never a skip).
class CollectorStoreTest : public CollectorTest, public ::testing::WithParamInterface<std::string> {
 protected:
  void SetUp() override {
    CollectorTest::SetUp();
    if (GetParam() == "sqlite") db_url_ = (dir_ / "nazar.db").string();
    if (GetParam() != "postgresql") return;
    std::string name = pgtest::TestSchemaName("nazar_s_");
    std::string error;
    db_url_ = pgtest::PostgresTestDb(name, &error);
    ASSERT_TRUE(error.empty()) << error;
  }

  // Makes the store refuse, failing the whole transaction, any comment whose text contains
  // `marker`, with an error message quoting the text (PostgreSQL) or the marker (SQLite): data
  // in the store's message, as PostgreSQL's "malformed array literal" quoted a comment.
  void Poison(const std::string& marker) {
    if (GetParam() == "memory") {
      db_->poison = marker;
    } else if (GetParam() == "sqlite") {
      sqlite3* db = nullptr;
      ASSERT_EQ(sqlite3_open(db_url_.c_str(), &db), SQLITE_OK);
      char* message = nullptr;
      const std::string sql =
          "CREATE TRIGGER poison BEFORE INSERT ON comments WHEN NEW.text "
          "LIKE '%" +
          marker + "%' BEGIN SELECT RAISE(ABORT, 'refused " + marker + "'); END";
      const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message);
      EXPECT_EQ(rc, SQLITE_OK) << (message ? message : "");
      sqlite3_free(message);
      sqlite3_close(db);
    } else {
      const std::string error = pgtest::PostgresRun(
          db_url_,
          "CREATE FUNCTION poison() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
          "IF NEW.text LIKE '%" +
              marker +
              "%' THEN RAISE EXCEPTION 'refused %', NEW.text; "
              "END IF; RETURN NEW; END $$; "
              "CREATE TRIGGER poison BEFORE INSERT ON comments FOR EACH ROW EXECUTE FUNCTION "
              "poison()");
      ASSERT_TRUE(error.empty()) << error;
    }
  }

  // The rows of the store's sessions table, counted by the store's own engine; -1 on error.
  int64_t SessionRows() {
    if (GetParam() == "memory") return static_cast<int64_t>(db_->SessionCount());
    const char* sql = "SELECT COUNT(*) FROM sessions";
    int64_t n = -1;
    if (GetParam() == "sqlite") {
      sqlite3* db = nullptr;
      sqlite3_stmt* stmt = nullptr;
      if (sqlite3_open(db_url_.c_str(), &db) == SQLITE_OK &&
          sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) == SQLITE_OK &&
          sqlite3_step(stmt) == SQLITE_ROW) {
        n = sqlite3_column_int64(stmt, 0);
      }
      sqlite3_finalize(stmt);
      sqlite3_close(db);
      return n;
    }
    PGconn* conn = PQconnectdb(db_url_.c_str());
    PGresult* r = PQstatus(conn) == CONNECTION_OK ? PQexec(conn, sql) : nullptr;
    if (r != nullptr && PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1) {
      n = std::stoll(PQgetvalue(r, 0, 0));
    }
    PQclear(r);
    PQfinish(conn);
    return n;
  }
};

INSTANTIATE_TEST_SUITE_P(Stores, CollectorStoreTest,
                         ::testing::Values("memory", "sqlite", "postgresql"),
                         [](const ::testing::TestParamInfo<std::string>& store) {
                           return store.param;
                         });

// Hostile and malformed payloads: each gets its status with a message naming where, and the
// store stays untouched.
TEST_P(CollectorStoreTest, HostilePayloadsLeaveTheStoreUnchanged) {
  Start();
  // Something stored first, so "unchanged" compares real rows, comments and batch ids.
  ASSERT_EQ(Post(ShopTally(BatchId(1, 7), kYesterday, 9))->status, 200);
  const Json comments_payload = {
      {"nazar", 1},
      {"kind", "comments"},
      {"batch", BatchId(2, 7)},
      {"site", "shop.example"},
      {"survey", "shop"},
      {"survey_version", "v1"},
      {"period", kYesterday},
      {"locale", "en"},
      {"comments", Json::array({{{"question", "why"}, {"group", "detractor"}, {"text", "slow"}}})}};
  ASSERT_EQ(Post(comments_payload)->status, 200);
  const std::string stored = Dump();
  ASSERT_NE(stored.find("\"q/nps/9\":1"), std::string::npos) << stored;
  ASSERT_NE(stored.find("slow"), std::string::npos) << stored;
  const int commits = db_->commits;
  struct Case {
    std::string name;
    std::function<void(Json&)> mutate;
    int status;
    std::string where;
  };
  const std::vector<Case> cases = {
      {"negative count", [](Json& p) { p["questions"]["nps"]["counts"][9] = -1; }, 400,
       "/questions/nps/counts/9"},
      {"fractional count", [](Json& p) { p["questions"]["nps"]["counts"][9] = 0.5; }, 400,
       "/questions/nps/counts/9"},
      {"huge count", [](Json& p) { p["displays"] = 10001; }, 400, "/displays"},
      {"count as text", [](Json& p) { p["displays"] = "1"; }, 400, "/displays"},
      {"no displays", [](Json& p) { p["displays"] = 0; }, 400, "/displays"},
      {"answers beyond displays", [](Json& p) { p["questions"]["nps"]["counts"][3] = 1; }, 400,
       "/questions/nps"},
      {"completions beyond displays", [](Json& p) { p["dismissals"] = 1; }, 400, "/completions"},
      {"short counts", [](Json& p) { p["questions"]["nps"]["counts"].erase(0); }, 400,
       "/questions/nps/counts"},
      {"extra field", [](Json& p) { p["user_id"] = "u1"; }, 400, "/user_id"},
      {"bad batch", [](Json& p) { p["batch"] = "XYZ"; }, 400, "/batch"},
      {"site with path", [](Json& p) { p["site"] = "shop.example/a"; }, 400, "/site"},
      {"bad period", [](Json& p) { p["period"] = "2026-11-31"; }, 400, "/period"},
      {"bad locale", [](Json& p) { p["locale"] = "english!"; }, 400, "/locale"},
      {"format 2", [](Json& p) { p["nazar"] = 2; }, 400, "/nazar"},
      {"text question counted",
       [](Json& p) {
         p["questions"]["why"] = {{"type", "text"}};
       },
       400, "/questions/why"},
      {"comments in a tally",
       [](Json& p) {
         p["comments"] = Json::array({{{"question", "why"}, {"text", "x"}}});
       },
       400, "/comments"},
      {"comments payload with counts",
       [](Json& p) {
         p["kind"] = "comments";
         p["comments"] = Json::array({{{"question", "why"}, {"text", "x"}}});
       },
       400, "/"},
      {"unknown survey", [](Json& p) { p["survey"] = "other"; }, 422, "/survey"},
      {"unknown version", [](Json& p) { p["survey_version"] = "v9"; }, 422, "/survey_version"},
      {"unknown question", [](Json& p) { p["questions"]["ghost"] = p["questions"]["nps"]; }, 422,
       "/questions/ghost"},
      {"other type",
       [](Json& p) {
         p["questions"]["sat"] = {{"type", "ces"}, {"scale", 5}, {"counts", {0, 0, 0, 0, 0}}};
       },
       422, "/questions/sat/type"},
      {"other scale",
       [](Json& p) {
         p["questions"]["sat"] = {{"type", "csat"}, {"scale", 7}, {"counts", Json::array()}};
         p["questions"]["sat"]["counts"] = {0, 0, 0, 0, 0, 0, 0};
       },
       422, "/questions/sat/scale"},
      {"other options",
       [](Json& p) {
         p["questions"]["channel"] = {
             {"type", "choice"}, {"options", {"app", "web"}}, {"counts", {0, 0}}};
       },
       422, "/questions/channel/options"},
      {"single for multiple",
       [](Json& p) {
         p["questions"]["nets"] = {
             {"type", "choice"}, {"options", {"a", "b", "c"}}, {"counts", {0, 0, 0}}};
       },
       422, "/questions/nets/multiple"},
      {"noise on a plain survey",
       [](Json& p) {
         p["noise"] = {{"mechanism", "grr"}, {"epsilon", 1}};
         p["questions"]["ease"]["skipped"] = 1;
         p["questions"]["nps"]["skipped"] = 0;
       },
       422, "/noise"},
      {"too old", [](Json& p) { p["period"] = FormatDay(kToday - 400); }, 422, "/period"},
      {"future", [](Json& p) { p["period"] = FormatDay(kToday + 30); }, 422, "/period"},
      // Wrong types.
      {"fractional displays", [](Json& p) { p["displays"] = 1.5; }, 400, "/displays"},
      {"null count", [](Json& p) { p["questions"]["nps"]["counts"][9] = nullptr; }, 400,
       "/questions/nps/counts/9"},
      {"boolean count", [](Json& p) { p["questions"]["nps"]["counts"][9] = true; }, 400,
       "/questions/nps/counts/9"},
      {"counts as text", [](Json& p) { p["questions"]["nps"]["counts"] = "1"; }, 400,
       "/questions/nps/counts"},
      {"questions as array", [](Json& p) { p["questions"] = Json::array(); }, 400, "/questions"},
      {"question as number", [](Json& p) { p["questions"]["nps"] = 1; }, 400, "/questions/nps"},
      {"survey as number", [](Json& p) { p["survey"] = 5; }, 400, "/survey"},
      {"version as number", [](Json& p) { p["survey_version"] = 1; }, 400, "/survey_version"},
      {"completions as text", [](Json& p) { p["completions"] = "1"; }, 400, "/completions"},
      // Negative, huge or fractional counts.
      {"negative displays", [](Json& p) { p["displays"] = -1; }, 400, "/displays"},
      {"negative skipped", [](Json& p) { p["questions"]["ease"]["skipped"] = -1; }, 400,
       "/questions/ease/skipped"},
      {"fractional skipped", [](Json& p) { p["questions"]["ease"]["skipped"] = 0.5; }, 400,
       "/questions/ease/skipped"},
      {"count beyond int64",
       [](Json& p) { p["questions"]["nps"]["counts"][9] = 18446744073709551615ull; }, 400,
       "/questions/nps/counts/9"},
      {"displays beyond int64", [](Json& p) { p["displays"] = 18446744073709551615ull; }, 400,
       "/displays"},
      {"count 1e300", [](Json& p) { p["questions"]["nps"]["counts"][9] = 1e300; }, 400,
       "/questions/nps/counts/9"},
      // Wrong array lengths.
      {"long counts", [](Json& p) { p["questions"]["nps"]["counts"].push_back(0); }, 400,
       "/questions/nps/counts"},
      {"ces counts for another scale",
       [](Json& p) {
         p["questions"]["ease"]["counts"] = {0, 0, 0, 0, 1};
       },
       400, "/questions/ease/counts"},
      {"choice counts shorter than options",
       [](Json& p) {
         p["questions"]["channel"] = {
             {"type", "choice"}, {"options", {"web", "app"}}, {"counts", {1}}};
       },
       400, "/questions/channel/counts"},
      // Shapes and fields outside Contract 3.
      {"unknown question type", [](Json& p) { p["questions"]["nps"]["type"] = "stars"; }, 400,
       "/questions/nps/type"},
      {"field inside a question", [](Json& p) { p["questions"]["nps"]["label"] = "x"; }, 400,
       "/questions/nps/label"},
      {"unknown kind", [](Json& p) { p["kind"] = "votes"; }, 400, "/kind"},
      {"batch in upper case", [](Json& p) { p["batch"] = "ABCDEF0123456789ABCDEF0123456789"; }, 400,
       "/batch"},
      {"period not a date", [](Json& p) { p["period"] = "yesterday"; }, 400, "/period"},
      {"ip address field", [](Json& p) { p["ip"] = "192.0.2.1"; }, 400, "/ip"},
      // Against the registered definition.
      {"plain tally for a local-DP survey", [](Json& p) { p["survey"] = "dp"; }, 422, "/noise"},
      // Control characters (U+0000-U+001F but tab and line breaks in comment text, U+007F).
      {"NUL in the version", [](Json& p) { p["survey_version"] = std::string("v1\0", 3); }, 400,
       "/survey_version"},
      {"tab in the version", [](Json& p) { p["survey_version"] = "v1\t"; }, 400, "/survey_version"},
      {"NUL in the site", [](Json& p) { p["site"] = std::string("shop.example\0", 13); }, 400,
       "/site"},
      {"DEL in the locale", [](Json& p) { p["locale"] = "en\x7f"; }, 400, "/locale"},
      {"rating scale mismatch",
       [](Json& p) {
         p["questions"]["stars"] = {{"type", "rating"}, {"scale", 10}, {"counts", Json::array()}};
         for (int i = 0; i < 10; ++i) p["questions"]["stars"]["counts"].push_back(0);
       },
       422, "/questions/stars/scale"},
  };
  int n = 0;
  for (const Case& c : cases) {
    Json p = ShopTally(BatchId(++n), kYesterday, 9);
    c.mutate(p);
    auto r = Post(p);
    ASSERT_TRUE(r) << c.name;
    EXPECT_EQ(r->status, c.status) << c.name << ": " << r->body;
    const std::string error = Json::parse(r->body).value("error", "");
    EXPECT_EQ(error.rfind(c.where, 0), 0u) << c.name << ": " << error;
  }
  // Comments payloads: no counts, only Contract 3's comment fields, registered questions.
  const std::vector<Case> comment_cases = {
      {"comments payload with displays", [](Json& p) { p["displays"] = 1; }, 400, "/displays"},
      {"comments payload with questions",
       [](Json& p) {
         p["questions"] = {{"nps", {{"type", "nps"}}}};
       },
       400, "/questions"},
      {"field inside a comment", [](Json& p) { p["comments"][0]["user"] = "u1"; }, 400,
       "/comments/0/user"},
      {"comment text as number", [](Json& p) { p["comments"][0]["text"] = 5; }, 400,
       "/comments/0/text"},
      {"no comments", [](Json& p) { p["comments"] = Json::array(); }, 400, "/comments"},
      {"comment on an unknown question", [](Json& p) { p["comments"][0]["question"] = "ghost"; },
       422, "/comments/0/question"},
      {"NUL in a comment", [](Json& p) { p["comments"][0]["text"] = std::string("a\0b", 3); }, 400,
       "/comments/0/text"},
      {"NUL alone", [](Json& p) { p["comments"][0]["text"] = std::string(1, '\0'); }, 400,
       "/comments/0/text"},
      {"escape sequence in a comment", [](Json& p) { p["comments"][0]["text"] = "\x1b[2Jhi"; }, 400,
       "/comments/0/text"},
      {"DEL in a comment", [](Json& p) { p["comments"][0]["text"] = "x\x7f"; }, 400,
       "/comments/0/text"},
      {"bell in a comment", [](Json& p) { p["comments"][0]["text"] = "\a"; }, 400,
       "/comments/0/text"},
      {"NUL in a comment's version", [](Json& p) { p["survey_version"] = std::string("v1\0", 3); },
       400, "/survey_version"},
      {"two comments on one question",
       [](Json& p) {
         p["comments"].push_back({{"question", "why"}, {"group", "detractor"}, {"text", "b"}});
       },
       400, "/comments/1/question"},
      {"comments of two groups",
       [](Json& p) {
         p["comments"].push_back({{"question", "more"}, {"group", "promoter"}, {"text", "b"}});
       },
       400, "/comments/1/group"},
  };
  for (const Case& c : comment_cases) {
    Json p = comments_payload;
    p["batch"] = BatchId(++n);
    c.mutate(p);
    auto r = Post(p);
    ASSERT_TRUE(r) << c.name;
    EXPECT_EQ(r->status, c.status) << c.name << ": " << r->body;
    const std::string error = Json::parse(r->body).value("error", "");
    EXPECT_EQ(error.rfind(c.where, 0), 0u) << c.name << ": " << error;
  }
  // Bodies that are not JSON, or JSON the parser refuses: the whole document ("/") is named,
  // or the object holding a duplicate key.
  const std::string valid = ShopTally(BatchId(++n), kYesterday, 9).dump();
  const auto replaced = [&valid](const std::string& from, const std::string& to) {
    std::string out = valid;
    const size_t at = out.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    return out.replace(at, from.size(), to);
  };
  struct RawCase {
    std::string name;
    std::string body;
    int status;
    std::string where;
  };
  const std::vector<RawCase> raw = {
      {"not JSON", "{\"nazar\": 1,", 400, "/: "},
      {"an array", "[1, 2, 3]", 400, "/: "},
      {"invalid UTF-8", "{\"nazar\": 1, \"site\": \"\xff\xfe\"}", 400, "/: "},
      {"overlong UTF-8 in a key", replaced("\"site\"", "\"s\xc0\xafite\""), 400, "/: "},
      {"lone surrogate escape", replaced("shop.example", "shop\\ud800.example"), 400, "/: "},
      {"deep nesting", std::string(200, '[') + std::string(200, ']'), 400, "/: "},
      {"deep nesting inside a payload",
       replaced("\"questions\":",
                "\"x\":" + std::string(70, '[') + std::string(70, ']') + ",\"questions\":"),
       400, "/: "},
      {"empty", "", 400, "/: "},
      {"NaN", replaced("\"displays\":1", "\"displays\":NaN"), 400, "/: "},
      {"trailing garbage", valid + "x", 400, "/: "},
      {"two documents", valid + valid, 400, "/: "},
      {"duplicate top-level key", replaced("\"displays\":1", "\"displays\":1,\"displays\":7"), 400,
       "/: duplicate key \"displays\""},
      {"duplicate key in a question",
       replaced("\"type\":\"nps\"", "\"type\":\"nps\",\"type\":\"csat\""), 400,
       "/questions/nps: duplicate key \"type\""},
      {"duplicate question", replaced("\"questions\":{", "\"questions\":{\"ease\":{},"), 400,
       "/questions: duplicate key \"ease\""},
      {"oversize body", std::string(64 * 1024 + 1, ' ') + valid, 413, "the body is larger"},
  };
  for (const RawCase& c : raw) {
    auto r = Client().Post("/v1/aggregates", c.body, "text/plain");
    ASSERT_TRUE(r) << c.name;
    EXPECT_EQ(r->status, c.status) << c.name << ": " << r->body;
    const std::string error = Json::parse(r->body).value("error", "");
    EXPECT_EQ(error.rfind(c.where, 0), 0u) << c.name << ": " << error;
  }
  EXPECT_GE(cases.size() + comment_cases.size() + raw.size(), 50u);
  EXPECT_EQ(Dump(), stored);
  EXPECT_EQ(db_->commits, commits);
}

// One item the store cannot take fails alone: the others of its group commit (issue 6, review
// finding 1). And no log line, on any error path, carries the body (Contract 5).
// Sign-in, a share link's life and sign-out on each store (the routes themselves: auth_test.cc).
TEST_P(CollectorStoreTest, SessionsAndSharesLiveInTheStore) {
  Start();
  const std::string origin = "http://127.0.0.1:" + std::to_string(port_);
  httplib::Result r =
      Client().Post("/v1/session", "{\"token\":\"reader-secret\"}", "application/json");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 204) << r->body;
  const std::string set = r->get_header_value("Set-Cookie");
  const std::string session = set.substr(0, set.find(';'));  // "nazar_session=TOKEN"
  ASSERT_EQ(session.size(), std::string("nazar_session=").size() + 43) << set;
  r = Client().Post("/v1/shares", {{"Cookie", session}, {"Origin", origin}},
                    "{\"survey\":\"shop\",\"expires_days\":2,\"comments\":true}",
                    "application/json");
  ASSERT_EQ(r->status, 201) << r->body;
  const Json made = Body(r);
  const std::string url = made["url"];
  const std::string path = url.substr(origin.size());
  ASSERT_EQ(path.substr(0, 3), "/s/");
  r = Get(path);
  ASSERT_EQ(r->status, 303);
  const std::string set_share = r->get_header_value("Set-Cookie");
  const std::string share = set_share.substr(0, set_share.find(';'));
  EXPECT_EQ(share, "nazar_share=" + path.substr(3));
  r = Client().Get("/v1/session", {{"Cookie", share}});
  EXPECT_EQ(Body(r), Json({{"kind", "share"},
                           {"survey", "shop"},
                           {"comments", true},
                           {"expires", "2026-12-02T12:00:00Z"}}));
  EXPECT_EQ(Client().Get("/v1/comments?survey=shop", {{"Cookie", share}})->status, 200);
  EXPECT_EQ(Client().Get("/v1/report?survey=dp", {{"Cookie", share}})->status, 403);
  r = Client().Get("/v1/shares", {{"Cookie", session}});
  ASSERT_EQ(r->status, 200);
  EXPECT_EQ(Body(r)["shares"].size(), 1u);
  EXPECT_EQ(Body(r)["shares"][0]["id"], made["id"]);
  EXPECT_EQ(Client()
                .Delete(("/v1/shares/" + made["id"].get<std::string>()).c_str(),
                        {{"Cookie", session}, {"Origin", origin}})
                ->status,
            204);
  EXPECT_EQ(Client().Get("/v1/report?survey=shop", {{"Cookie", share}})->status, 403);
  EXPECT_EQ(Client().Delete("/v1/session", {{"Cookie", session}, {"Origin", origin}})->status, 204);
  EXPECT_EQ(Client().Get("/v1/session", {{"Cookie", session}})->status, 401);
}

// A second sign-in from a browser that is signed in already replaces its session: the store
// keeps the new one only, and the old cookie no longer reads.
TEST_P(CollectorStoreTest, SignInAgainReplacesThePresentedSession) {
  Start();
  const std::string origin = "http://127.0.0.1:" + std::to_string(port_);
  auto sign_in = [&](const std::string& cookie) {
    httplib::Headers h{{"Origin", origin}};
    if (!cookie.empty()) h.emplace("Cookie", cookie);
    httplib::Result r =
        Client().Post("/v1/session", h, "token=reader-secret", "application/x-www-form-urlencoded");
    EXPECT_TRUE(r && r->status == 303) << (r ? r->body : "no answer");
    if (!r) return std::string();
    const std::string set = r->get_header_value("Set-Cookie");
    return set.substr(0, set.find(';'));  // "nazar_session=TOKEN"
  };
  const std::string first = sign_in("");
  ASSERT_EQ(first.size(), std::string("nazar_session=").size() + 43) << first;
  EXPECT_EQ(SessionRows(), 1);
  const std::string second = sign_in(first);
  ASSERT_EQ(second.size(), first.size()) << second;
  EXPECT_NE(second, first);
  EXPECT_EQ(SessionRows(), 1);
  EXPECT_EQ(Client().Get("/v1/session", {{"Cookie", first}})->status, 401);
  EXPECT_EQ(Client().Get("/v1/session", {{"Cookie", second}})->status, 200);
}

TEST_P(CollectorStoreTest, OneBadItemFailsAloneAndLogsCarryNoBody) {
  db_->commit_delay_ms = 100;  // posts queue behind the first commit and share the next one
  Start();
  Poison("zqxpoison");
  // While the first post's commit runs, 15 valid tallies and the poisoned comment queue.
  std::thread first([&] { EXPECT_EQ(Post(ShopTally(BatchId(100), kYesterday, 9))->status, 200); });
  std::this_thread::sleep_for(std::chrono::milliseconds(40));
  std::atomic<int> ok{0};
  int poisoned = 0;
  std::vector<std::thread> threads;
  for (int i = 0; i < 15; ++i) {
    threads.emplace_back([&, i] {
      auto r = Post(ShopTally(BatchId(i), kYesterday, 9));
      EXPECT_TRUE(r && r->status == 200) << (r ? r->body : "no answer");
      if (r && r->status == 200) ++ok;
    });
  }
  threads.emplace_back([&] {
    const Json comments = {
        {"nazar", 1},
        {"kind", "comments"},
        {"batch", BatchId(99)},
        {"site", "shop.example"},
        {"survey", "shop"},
        {"survey_version", "v1"},
        {"period", kYesterday},
        {"locale", "en"},
        {"comments",
         Json::array(
             {{{"question", "why"}, {"group", "promoter"}, {"text", "text zqxpoison here"}}})}};
    auto r = Post(comments);
    ASSERT_TRUE(r);
    poisoned = r->status;
  });
  first.join();
  for (auto& t : threads) t.join();
  EXPECT_EQ(poisoned, 503);
  EXPECT_EQ(ok, 15);
  EXPECT_EQ(Sum("shop", "displays"), 16);
  EXPECT_GT(db_->commits, 2);  // the shared commit failed and was split

  // The other error paths, each body with a marker of its own.
  Json extra = ShopTally(BatchId(200), kYesterday, 9);
  extra["user_id"] = "zqxfield400";
  EXPECT_EQ(Post(extra)->status, 400);
  EXPECT_EQ(Client().Post("/v1/aggregates", "{\"site\": \"zqxparse400", "text/plain")->status, 400);
  Json nul = ShopTally(BatchId(201), kYesterday, 9);
  nul["survey_version"] = std::string("zqxnul400\0", 10);
  EXPECT_EQ(Post(nul)->status, 400);
  Json version = ShopTally(BatchId(202), kYesterday, 9);
  version["survey_version"] = "zqxversion422";
  EXPECT_EQ(Post(version)->status, 422);
  EXPECT_EQ(Client()
                .Post("/v1/aggregates", "zqxbig413" + std::string(64 * 1024, ' '), "text/plain")
                ->status,
            413);
  db_->fail = true;  // the memory store down: a failing commit of a well-formed body
  Json down = ShopTally(BatchId(203), kYesterday, 9);
  down["site"] = "zqxdown.example";
  EXPECT_EQ(Post(down)->status, GetParam() == "memory" ? 503 : 200);
  db_->fail = false;
  std::lock_guard<std::mutex> lock(log_mu_);
  bool commit_failure_logged = false;
  for (const std::string& line : log_) {
    EXPECT_EQ(line.find("zqx"), std::string::npos) << line;
    EXPECT_EQ(line.find("shop.example"), std::string::npos) << line;
    commit_failure_logged = commit_failure_logged || line.rfind("commit failed: ", 0) == 0;
  }
  EXPECT_TRUE(commit_failure_logged);
}

TEST_F(CollectorTest, OriginOutsideTheListIs403WithCors) {
  options_.origins = {"https://shop.example"};
  Start();
  auto r = Post(ShopTally(BatchId(1), kYesterday, 9), {{"Origin", "https://evil.example"}});
  EXPECT_EQ(r->status, 403);
  EXPECT_EQ(r->get_header_value("Access-Control-Allow-Origin"), "https://evil.example");
  EXPECT_EQ(r->get_header_value("Access-Control-Expose-Headers"), "Retry-After");
  EXPECT_EQ(r->get_header_value("Access-Control-Allow-Credentials"), "");
  r = Post(ShopTally(BatchId(2), kYesterday, 9), {{"Origin", "https://shop.example"}});
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->get_header_value("Access-Control-Allow-Origin"), "https://shop.example");
  EXPECT_EQ(db_->CounterSum("shop", "displays"), 1);
}

TEST_F(CollectorTest, PreflightIsAnswered) {
  options_.origins = {"https://shop.example"};
  Start();
  auto r = Client().Options("/v1/aggregates", {{"Origin", "https://shop.example"},
                                               {"Access-Control-Request-Method", "POST"}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 204);
  EXPECT_EQ(r->get_header_value("Access-Control-Allow-Origin"), "https://shop.example");
  EXPECT_NE(r->get_header_value("Access-Control-Allow-Methods").find("POST"), std::string::npos);
  r = Client().Options("/v1/aggregates", {{"Origin", "https://evil.example"}});
  EXPECT_EQ(r->status, 403);
}

TEST_F(CollectorTest, BodyOver64KiBIs413WithCors) {
  Start();
  Json payload = ShopTally(BatchId(1), kYesterday, 9);
  payload["pad"] = std::string(70 * 1024, 'x');
  auto r = Post(payload);
  EXPECT_EQ(r->status, 413);
  EXPECT_EQ(r->get_header_value("Access-Control-Allow-Origin"), "*");
  // Beyond what httplib reads at all: answered by httplib, still with CORS.
  payload["pad"] = std::string(400 * 1024, 'x');
  r = Post(payload);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413);
  EXPECT_EQ(r->get_header_value("Access-Control-Allow-Origin"), "*");
  EXPECT_EQ(r->get_header_value("Access-Control-Expose-Headers"), "Retry-After");
}

TEST_F(CollectorTest, UnknownSurveyVersionOrOldPeriodIs422) {
  Start();
  Json p = ShopTally(BatchId(1), kYesterday, 9);
  p["survey"] = "nope";
  auto r = Post(p);
  EXPECT_EQ(r->status, 422);
  EXPECT_NE(r->body.find("/survey"), std::string::npos);
  p = ShopTally(BatchId(2), kYesterday, 9);
  p["survey_version"] = "v0";
  r = Post(p);
  EXPECT_EQ(r->status, 422);
  EXPECT_NE(r->body.find("/survey_version"), std::string::npos);
  // 35 days back is accepted, 36 is not; tomorrow is, the day after is not.
  EXPECT_EQ(Post(ShopTally(BatchId(3), FormatDay(kToday - 35), 9))->status, 200);
  r = Post(ShopTally(BatchId(4), FormatDay(kToday - 36), 9));
  EXPECT_EQ(r->status, 422);
  EXPECT_NE(r->body.find("/period"), std::string::npos);
  EXPECT_EQ(Post(ShopTally(BatchId(5), FormatDay(kToday + 1), 9))->status, 200);
  EXPECT_EQ(Post(ShopTally(BatchId(6), FormatDay(kToday + 2), 9))->status, 422);
  // A question the definition does not have, or of another type.
  p = ShopTally(BatchId(7), kYesterday, 9);
  p["questions"]["ghost"] = p["questions"]["nps"];
  EXPECT_EQ(Post(p)->status, 422);
  p = ShopTally(BatchId(8), kYesterday, 9);
  p["questions"]["ease"]["scale"] = 5;
  p["questions"]["ease"]["counts"] = {0, 0, 0, 0, 0};
  r = Post(p);
  EXPECT_EQ(r->status, 422);
  EXPECT_NE(r->body.find("/questions/ease/scale"), std::string::npos) << r->body;
  // A plain tally for a local-DP survey.
  p = ShopTally(BatchId(9), kYesterday, 9);
  p["survey"] = "dp";
  EXPECT_EQ(Post(p)->status, 422);
  EXPECT_EQ(db_->CounterSum("shop", "displays"), 2);
  EXPECT_EQ(db_->BatchCount(), 2u);
}

TEST_F(CollectorTest, LocalDpPayloadsAreCheckedAndReportedWithNoise) {
  Start();
  auto dp = [](const std::string& batch) {
    Json j = Json::parse(R"({ "nazar": 1, "site": "shop.example", "survey": "dp",
      "survey_version": "v1", "period": ")" +
                         kYesterday + R"(", "locale": "en",
      "displays": 1, "completions": 1, "dismissals": 0,
      "questions": {
        "nps":  { "type": "nps", "groups": [0,0,1], "skipped": 0 },
        "sat":  { "type": "csat", "scale": 5, "counts": [0,0,0,0,1], "skipped": 0 },
        "channel": { "type": "choice", "options": ["web","app"], "counts": [1,0], "skipped": 0 },
        "nets": { "type": "choice", "multiple": true, "options": ["a","b"], "counts": [1,0],
                  "skipped": 0 } },
      "noise": { "mechanism": "grr", "epsilon": 2 } })");
    j["batch"] = batch;
    return j;
  };
  for (int i = 0; i < 6; ++i) ASSERT_EQ(Post(dp(BatchId(i)))->status, 200) << i;
  Json other_epsilon = dp(BatchId(10));
  other_epsilon["noise"]["epsilon"] = 1;
  EXPECT_EQ(Post(other_epsilon)->status, 422);
  Json missing = dp(BatchId(11));
  missing["questions"].erase("nets");
  EXPECT_EQ(Post(missing)->status, 422);
  auto r = Get("/v1/report?survey=dp", "reader-secret");
  ASSERT_EQ(r->status, 200);
  const Json report = Body(r);
  EXPECT_EQ(report["displays"], 6) << r->body;
  EXPECT_EQ(report["noise"]["epsilon"], 2) << r->body;
  EXPECT_EQ(report["questions"]["nps"]["noise"]["k"], 4) << r->body;
  // Grouped NPS reports sit at the promoter cell 9 (QuestionTally::kNpsGroupCell).
  EXPECT_EQ(report["questions"]["nps"]["noise"]["reported_counts"][9], 6) << r->body;
  // The same numbers as the core's report over the six payloads themselves.
  Json request = {{"survey", Json::parse(testing::kDpSurvey)}, {"aggregates", Json::array()}};
  for (int i = 0; i < 6; ++i) request["aggregates"].push_back(dp(BatchId(i)));
  Result<Json> reference = ReportFromPayloads(request);
  ASSERT_TRUE(reference.ok()) << reference.status().message();
  Json mine = report, theirs = *reference;
  for (Json* j : {&mine, &theirs}) {
    j->erase("from");
    j->erase("to");
  }
  // What only the collector knows: the range's labels and the versions of its totals rows.
  EXPECT_EQ(mine["versions"], Json({"v1"}));
  for (const char* key : {"from_label", "to_label", "versions"}) mine.erase(key);
  EXPECT_EQ(mine, theirs) << "collector: " << mine.dump() << "\ncore: " << theirs.dump();
}

TEST_F(CollectorTest, RateLimitIs429WithRetryAfter) {
  options_.rate_limit = 1;  // burst 2
  Start();
  EXPECT_EQ(Post(ShopTally(BatchId(1), kYesterday, 9))->status, 200);
  EXPECT_EQ(Post(ShopTally(BatchId(2), kYesterday, 9))->status, 200);
  auto r = Post(ShopTally(BatchId(3), kYesterday, 9));
  EXPECT_EQ(r->status, 429);
  EXPECT_GE(std::stoi(r->get_header_value("Retry-After")), 1);
  EXPECT_EQ(r->get_header_value("Access-Control-Allow-Origin"), "*");
  // Without trusted proxies X-Forwarded-For is ignored: still the same address.
  r = Post(ShopTally(BatchId(4), kYesterday, 9), {{"X-Forwarded-For", "10.0.0.9"}});
  EXPECT_EQ(r->status, 429);
}

TEST_F(CollectorTest, ForwardedForCountsOnlyFromTrustedProxies) {
  options_.rate_limit = 1;
  options_.trusted_proxies = {"127.0.0.0/8", "::1/128"};
  Start();
  const httplib::Headers a = {{"X-Forwarded-For", "203.0.113.7"}};
  const httplib::Headers b = {{"X-Forwarded-For", "198.51.100.1, 203.0.113.8"}};
  EXPECT_EQ(Post(ShopTally(BatchId(1), kYesterday, 9), a)->status, 200);
  EXPECT_EQ(Post(ShopTally(BatchId(2), kYesterday, 9), a)->status, 200);
  EXPECT_EQ(Post(ShopTally(BatchId(3), kYesterday, 9), a)->status, 429);
  // Another client behind the same proxy (the right-most untrusted hop) has its own bucket.
  EXPECT_EQ(Post(ShopTally(BatchId(4), kYesterday, 9), b)->status, 200);
}

TEST_F(CollectorTest, GroupCommitAcknowledgesEveryPostAndCountsEachOnce) {
  db_->commit_delay_ms = 5;  // like an fsync, so posts queue behind a commit
  Start();
  std::atomic<int> ok{0}, fresh{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 16; ++t) {
    threads.emplace_back([&, t] {
      httplib::Client c = Client();
      for (int i = t; i < 200; i += 16) {
        auto r = c.Post("/v1/aggregates", ShopTally(BatchId(i), kYesterday, i % 11).dump(),
                        "text/plain");
        if (r && r->status == 200) {
          ++ok;
          if (!Json::parse(r->body)["duplicate"].get<bool>()) ++fresh;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok, 200);
  EXPECT_EQ(fresh, 200);
  EXPECT_EQ(db_->CounterSum("shop", "displays"), 200);
  EXPECT_EQ(db_->BatchCount(), 200u);
  EXPECT_LT(db_->commits, 200);
  EXPECT_GT(db_->commits, 0);
}

TEST_F(CollectorTest, SameBatchOnTwoConnectionsAtOnceCountsOnce) {
  db_->commit_delay_ms = 20;
  Start();
  std::atomic<int> fresh{0}, ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      auto r = Post(ShopTally(BatchId(42), kYesterday, 10));
      if (r && r->status == 200) {
        ++ok;
        if (!Json::parse(r->body)["duplicate"].get<bool>()) ++fresh;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok, 8);
  EXPECT_EQ(fresh, 1);
  EXPECT_EQ(db_->CounterSum("shop", "q/nps/10"), 1);
}

TEST_F(CollectorTest, StoreFailureIs503AndHealthzFollowsTheStore) {
  Start();
  EXPECT_EQ(Get("/healthz")->status, 200);
  EXPECT_EQ(Body(Get("/healthz")), (Json{{"ok", true}}));
  db_->fail = true;
  EXPECT_EQ(Get("/healthz")->status, 503);
  auto r = Post(ShopTally(BatchId(1), kYesterday, 9));
  EXPECT_EQ(r->status, 503);
  EXPECT_FALSE(r->get_header_value("Retry-After").empty());
  EXPECT_EQ(r->get_header_value("Access-Control-Allow-Origin"), "*");
  db_->fail = false;
  EXPECT_EQ(Get("/healthz")->status, 200);
  // The refused batch was not stored: sent again it counts (once).
  r = Post(ShopTally(BatchId(1), kYesterday, 9));
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(Body(r)["duplicate"], false);
  EXPECT_EQ(db_->CounterSum("shop", "displays"), 1);
}

// A store that does not answer fails a whole group at once: no split, no retry per item each
// waiting for the store: the first commit, then one for the 15 posts queued behind it
// (splitting would take 2 x 15 - 1 more).
TEST_F(CollectorTest, StoreDownFailsAGroupWithoutRetries) {
  db_->commit_delay_ms = 60000;  // the first commit holds until all 15 wait behind it
  Start();
  db_->fail = true;
  std::thread first([&] { EXPECT_EQ(Post(ShopTally(BatchId(100), kYesterday, 9))->status, 503); });
  AwaitFirstCommit();  // it holds: the others queue behind it
  std::vector<std::thread> threads;
  for (int i = 0; i < 15; ++i) {
    threads.emplace_back([&, i] {
      auto r = Post(ShopTally(BatchId(i), kYesterday, 9));
      EXPECT_TRUE(r && r->status == 503) << (r ? r->body : "no answer");
    });
  }
  ReleaseWhenQueued(15);
  first.join();
  for (auto& t : threads) t.join();
  EXPECT_EQ(db_->commits, 2);
}

// A store that answers pings but refuses every item (a full disk) stops the splitting after 32
// failed commits of a group, instead of 2 x 20 - 1 commits for 20 queued posts (20: the server
// has 32 request threads, and /metrics needs one).
TEST_F(CollectorTest, AStoreRefusingEveryItemStopsSplitting) {
  db_->commit_delay_ms = 60000;  // the first commit holds until all 20 wait behind it
  db_->poison = "zqx";
  Start();
  std::thread first([&] { EXPECT_EQ(Post(ShopTally(BatchId(100), kYesterday, 9))->status, 200); });
  AwaitFirstCommit();  // it holds: the others queue behind it
  std::vector<std::thread> threads;
  for (int i = 0; i < 20; ++i) {
    threads.emplace_back([&, i] {
      const Json comments = {{"nazar", 1},
                             {"kind", "comments"},
                             {"batch", BatchId(i)},
                             {"site", "shop.example"},
                             {"survey", "shop"},
                             {"survey_version", "v1"},
                             {"period", kYesterday},
                             {"locale", "en"},
                             {"comments", Json::array({{{"question", "why"}, {"text", "zqx"}}})}};
      auto r = Post(comments);
      EXPECT_TRUE(r && r->status == 503) << (r ? r->body : "no answer");
    });
  }
  ReleaseWhenQueued(20);
  first.join();
  for (auto& t : threads) t.join();
  EXPECT_EQ(db_->commits, 1 + 32);
}

TEST_F(CollectorTest, ReportNeedsTheReadToken) {
  Start();
  EXPECT_EQ(Get("/v1/report?survey=shop")->status, 401);
  EXPECT_EQ(Get("/v1/report?survey=shop", "wrong")->status, 401);
  EXPECT_EQ(Get("/v1/report?survey=shop", "admin-secret")->status, 401);
  auto r = Get("/v1/report?survey=shop", "reader-secret");
  EXPECT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(r->get_header_value("Access-Control-Allow-Origin"), "");  // no CORS on reads
  EXPECT_EQ(Get("/v1/comments?survey=shop")->status, 401);
}

TEST_F(CollectorTest, ReportScoresPostedPayloads) {
  Start();
  // 3 promoters (9, 10, 10), 2 passives (7, 8), 1 detractor (3): NPS = (3 - 1) / 6 = 33.3.
  const int answers[] = {9, 10, 10, 7, 8, 3};
  for (int i = 0; i < 6; ++i) {
    ASSERT_EQ(Post(ShopTally(BatchId(i), kYesterday, answers[i]))->status, 200);
  }
  ASSERT_EQ(Post(ShopTally(BatchId(0), kYesterday, 9))->status, 200);  // a duplicate
  auto r = Get("/v1/report?survey=shop", "reader-secret");
  ASSERT_EQ(r->status, 200);
  const Json report = Body(r);
  EXPECT_EQ(report["survey"], "shop");
  EXPECT_EQ(report["from"], FormatDay(kToday - 30));
  EXPECT_EQ(report["to"], kYesterday);
  EXPECT_EQ(report["displays"], 6);
  EXPECT_EQ(report["completions"], 6);
  const Json& nps = report["questions"]["nps"];
  EXPECT_EQ(nps["n"], 6);
  EXPECT_EQ(nps["promoters"], 3);
  EXPECT_EQ(nps["passives"], 2);
  EXPECT_EQ(nps["detractors"], 1);
  EXPECT_DOUBLE_EQ(nps["score"].get<double>(), 33.3);
  EXPECT_EQ(report["questions"]["ease"]["skipped"], 6);
  EXPECT_EQ(report["suppressed"], Json::array());
  // The same numbers as the core's report over the six payloads themselves.
  Json request = {{"survey", Json::parse(testing::kShopSurvey)}, {"aggregates", Json::array()}};
  for (int i = 0; i < 6; ++i)
    request["aggregates"].push_back(ShopTally(BatchId(i), kYesterday, answers[i]));
  Result<Json> reference = ReportFromPayloads(request);
  ASSERT_TRUE(reference.ok()) << reference.status().message();
  Json mine = report, theirs = *reference;
  for (Json* j : {&mine, &theirs}) {
    j->erase("from");
    j->erase("to");
  }
  // What only the collector knows: the range's labels and the versions of its totals rows.
  EXPECT_EQ(mine["versions"], Json({"v1"}));
  for (const char* key : {"from_label", "to_label", "versions"}) mine.erase(key);
  EXPECT_EQ(mine, theirs) << "collector: " << mine.dump() << "\ncore: " << theirs.dump();
  // Outside the asked range: nothing.
  r = Get("/v1/report?survey=shop&from=2026-10-01&to=2026-10-31", "reader-secret");
  ASSERT_EQ(r->status, 200);
  EXPECT_EQ(Body(r)["displays"], 0);
}

TEST_F(CollectorTest, ReportSuppressesSmallCells) {
  options_.min_count = 1;  // the core counts anything below 5 as 5
  Start();
  for (int i = 0; i < 4; ++i) ASSERT_EQ(Post(ShopTally(BatchId(i), kYesterday, 10))->status, 200);
  auto r = Get("/v1/report?survey=shop", "reader-secret");
  ASSERT_EQ(r->status, 200);
  Json report = Body(r);
  EXPECT_FALSE(report.contains("displays")) << r->body;
  EXPECT_FALSE(report["suppressed"].empty());
  // Five English answers and one Persian: by locale the Persian cell is hidden.
  ASSERT_EQ(Post(ShopTally(BatchId(4), kYesterday, 10))->status, 200);
  ASSERT_EQ(Post(ShopTally(BatchId(5), kYesterday, 0, "fa"))->status, 200);
  r = Get("/v1/report?survey=shop&segment=locale&by=day", "reader-secret");
  ASSERT_EQ(r->status, 200) << r->body;
  report = Body(r);
  ASSERT_EQ(report["segments"].size(), 2u) << r->body;
  EXPECT_EQ(report["segments"][1]["segment"], "fa");
  EXPECT_FALSE(report["segments"][1].contains("displays"));
  EXPECT_EQ(report["periods"][0]["period"], kYesterday);
  EXPECT_EQ(Get("/v1/report?survey=shop&by=year", "reader-secret")->status, 400);
  // Solar Hijri periods (hand-converted: 2026-11-29 is 8 Azar 1405, a Sunday; its week starts
  // on Saturday 7 Azar).
  for (const auto& [by, label] : std::vector<std::pair<std::string, std::string>>{
           {"day", "1405-09-08"}, {"week", "1405-09-07/W"}, {"month", "1405-09"}}) {
    r = Get("/v1/report?survey=shop&calendar=jalali&by=" + by, "reader-secret");
    ASSERT_EQ(r->status, 200) << r->body;
    EXPECT_EQ(Body(r)["periods"][0]["period"], label) << by;
  }
  EXPECT_EQ(Get("/v1/report?survey=shop&calendar=lunar", "reader-secret")->status, 400);
  // A comparison with an earlier range that holds nothing: not enough answers to tell.
  r = Get("/v1/report?survey=shop&compare=2026-10-01..2026-10-31", "reader-secret");
  ASSERT_EQ(r->status, 200) << r->body;
  report = Body(r);
  EXPECT_EQ(report["compare"]["from"], "2026-10-01") << r->body;
  EXPECT_EQ(report["compare"]["questions"]["nps"]["verdict"], "not_enough_data") << r->body;
  EXPECT_EQ(Get("/v1/report?survey=shop&compare=2026-10-31", "reader-secret")->status, 400);
  EXPECT_EQ(Get("/v1/report?survey=shop&from=2026-13-01", "reader-secret")->status, 400);
  EXPECT_EQ(Get("/v1/report?survey=nope", "reader-secret")->status, 404);
}

TEST_F(CollectorTest, CommentsAreScrubbedAndShownFromTheMinimumPerCell) {
  Start();
  // One respondent's comments payload: one comment on "why".
  auto comment = [](int batch, const std::string& group, const std::string& text) {
    return Json{{"nazar", 1},
                {"kind", "comments"},
                {"batch", BatchId(batch)},
                {"site", "shop.example"},
                {"survey", "shop"},
                {"survey_version", "v1"},
                {"period", kYesterday},
                {"locale", "en"},
                {"comments", {{{"question", "why"}, {"group", group}, {"text", text}}}}};
  };
  // The browser scrubs; a hostile or old client may not: the collector scrubs again.
  for (int i = 0; i < 9; ++i) {
    ASSERT_EQ(Post(comment(i, "detractor", "late, call me on 0912 345 6789"))->status, 200);
  }
  ++today_;  // comments are filed under the day they arrived, readable from the next day on
  auto r = Get("/v1/comments?survey=shop", "reader-secret");
  ASSERT_EQ(r->status, 200);
  EXPECT_EQ(Body(r)["suppressed"], true);
  EXPECT_EQ(Body(r)["min_count"], 10);
  EXPECT_TRUE(Body(r)["comments"].empty());
  ASSERT_EQ(Post(comment(9, "detractor", "fine"))->status, 200);
  // Nine promoters: their cell stays withheld while the ten detractors' cell is shown.
  for (int i = 10; i < 19; ++i) ASSERT_EQ(Post(comment(i, "promoter", "great"))->status, 200);
  // Not on the day they arrive, even into a cell already shown and with a period long readable.
  r = Get("/v1/comments?survey=shop", "reader-secret");
  EXPECT_TRUE(Body(r)["comments"].empty()) << r->body;
  ++today_;
  r = Get("/v1/comments?survey=shop", "reader-secret");
  Json body = Body(r);
  EXPECT_EQ(body["suppressed"], true);
  ASSERT_EQ(body["comments"].size(), 10u) << r->body;
  for (const Json& c : body["comments"]) {
    EXPECT_EQ(c["group"], "detractor") << c.dump();
    EXPECT_EQ(c["text"].get<std::string>().find("0912"), std::string::npos) << c.dump();
  }
  EXPECT_EQ(body["comments"][0]["text"], "fine");  // sorted, not in arrival order
  EXPECT_EQ(body["comments"][1]["text"], "late, call me on [PHONE]");
  ASSERT_EQ(Post(comment(19, "promoter", "great"))->status, 200);
  ++today_;
  body = Body(Get("/v1/comments?survey=shop", "reader-secret"));
  EXPECT_EQ(body["suppressed"], false);
  EXPECT_EQ(body["comments"].size(), 20u);
  // A reader may raise the minimum, never lower it.
  body = Body(Get("/v1/comments?survey=shop&min_count=11", "reader-secret"));
  EXPECT_EQ(body["min_count"], 11);
  EXPECT_TRUE(body["comments"].empty());
  body = Body(Get("/v1/comments?survey=shop&min_count=2", "reader-secret"));
  EXPECT_EQ(body["min_count"], 10);
  EXPECT_EQ(body["comments"].size(), 20u);
  EXPECT_EQ(Get("/v1/comments?survey=shop&min_count=-1", "reader-secret")->status, 400);
  // Comments end yesterday at the latest: one appearing as a known visitor answers would name
  // its writer. A range the reader chose that ends today is cut to yesterday, as a preset is,
  // and "to" says so: the promoter arriving today is not among the 20 (it would make 21).
  ASSERT_EQ(Post(comment(20, "promoter", "arrived today"))->status, 200);
  const std::string range = "/v1/comments?survey=shop&from=" + FormatDay(today_ - 3) + "&to=";
  r = Get(range + FormatDay(today_), "reader-secret");
  ASSERT_EQ(r->status, 200) << r->body;
  body = Body(r);
  EXPECT_EQ(body["from"], FormatDay(today_ - 3));
  EXPECT_EQ(body["to"], FormatDay(today_ - 1));
  EXPECT_EQ(body["comments"].size(), 20u) << r->body;
  // Today alone: an empty range (from after to), as preset=this_month on a month's first day.
  r = Get("/v1/comments?survey=shop&from=" + FormatDay(today_) + "&to=" + FormatDay(today_),
          "reader-secret");
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(Body(r)["from"], FormatDay(today_));
  EXPECT_EQ(Body(r)["to"], FormatDay(today_ - 1));
  EXPECT_TRUE(Body(r)["comments"].empty()) << r->body;
  // A day that has not begun is a mistake, refused.
  r = Get(range + FormatDay(today_ + 1), "reader-secret");
  EXPECT_EQ(r->status, 400);
  EXPECT_NE(r->body.find("to: at most " + FormatDay(today_) + " (today)"), std::string::npos)
      << r->body;
  // Comments of a survey whose policy is "drop" are refused.
  Json dropped = comment(30, "detractor", "x");
  dropped["survey"] = "dp";
  EXPECT_EQ(Post(dropped)->status, 422);
}

TEST_F(CollectorTest, TheOperatorsCommentMinimumRaisesTheFloor) {
  options_.min_count = 12;
  Start();
  for (int i = 0; i < 11; ++i) {
    Json c = {{"nazar", 1},
              {"kind", "comments"},
              {"batch", BatchId(i)},
              {"site", "shop.example"},
              {"survey", "shop"},
              {"survey_version", "v1"},
              {"period", kYesterday},
              {"locale", "en"},
              {"comments", {{{"question", "why"}, {"group", "passive"}, {"text", "ok"}}}}};
    ASSERT_EQ(Post(c)->status, 200);
  }
  ++today_;
  auto r = Get("/v1/comments?survey=shop", "reader-secret");
  ASSERT_EQ(r->status, 200) << r->body;
  const Json body = Body(r);
  EXPECT_EQ(body["min_count"], 12);
  EXPECT_TRUE(body["comments"].empty()) << body.dump();
}

TEST_F(CollectorTest, ReadMinimumsOnlyRiseAndRangesEndByToday) {
  Start();
  // Six answers yesterday: shown at the default minimum of 5.
  for (int i = 0; i < 6; ++i) ASSERT_EQ(Post(ShopTally(BatchId(i), kYesterday, 10))->status, 200);
  auto r = Get("/v1/report?survey=shop", "reader-secret");
  ASSERT_EQ(r->status, 200);
  EXPECT_EQ(Body(r)["displays"], 6) << r->body;
  // Asking for 2 does not lower the floor of 5 (four answers on another day stay hidden)...
  const std::string earlier = FormatDay(kToday - 3);
  for (int i = 6; i < 10; ++i) ASSERT_EQ(Post(ShopTally(BatchId(i), earlier, 0))->status, 200);
  r = Get("/v1/report?survey=shop&from=" + earlier + "&to=" + earlier + "&min_count=2",
          "reader-secret");
  ASSERT_EQ(r->status, 200);
  EXPECT_FALSE(Body(r).contains("displays")) << r->body;
  // ...and asking for 7 hides the six.
  r = Get("/v1/report?survey=shop&from=" + kYesterday + "&min_count=7", "reader-secret");
  ASSERT_EQ(r->status, 200);
  EXPECT_FALSE(Body(r).contains("displays")) << r->body;
  EXPECT_EQ(Get("/v1/report?survey=shop&min_count=x", "reader-secret")->status, 400);
  // A baseline below the minimum is compared without a number of its own.
  r = Get("/v1/report?survey=shop&from=" + kYesterday + "&compare=" + earlier + ".." + earlier,
          "reader-secret");
  ASSERT_EQ(r->status, 200) << r->body;
  const Json nps = Body(r)["compare"]["questions"]["nps"];
  EXPECT_EQ(nps["a"], (Json{{"suppressed", true}})) << r->body;
  EXPECT_EQ(nps["b"]["n"], 6) << r->body;
  EXPECT_EQ(nps["verdict"], "not_enough_data") << r->body;
  EXPECT_FALSE(nps.contains("p")) << r->body;
  // A report may end today (the demo shows a newcomer's answer at once), never later.
  r = Get("/v1/report?survey=shop&to=" + FormatDay(kToday), "reader-secret");
  EXPECT_EQ(r->status, 200) << r->body;
  r = Get("/v1/report?survey=shop&compare=" + kYesterday + ".." + FormatDay(kToday + 1),
          "reader-secret");
  EXPECT_EQ(r->status, 400);
  EXPECT_NE(r->body.find("compare: ends at most " + FormatDay(kToday) + " (today)"),
            std::string::npos)
      << r->body;
  r = Get("/v1/report?survey=shop&to=" + FormatDay(kToday + 1), "reader-secret");
  EXPECT_EQ(r->status, 400);
  EXPECT_NE(r->body.find("to: at most " + FormatDay(kToday) + " (today)"), std::string::npos)
      << r->body;
}

// A shop tally of many respondents at once (a kiosk flushing a day): P promoters (10),
// A passives (7), D detractors (0).
Json ShopMany(int batch, const std::string& period, const std::string& locale, int p, int a, int d,
              const std::string& version = "v1") {
  Json counts = Json::array();
  for (int v = 0; v <= 10; ++v) counts.push_back(v == 10 ? p : v == 7 ? a : v == 0 ? d : 0);
  return Json{{"nazar", 1},
              {"batch", BatchId(batch, 7)},
              {"site", "shop.example"},
              {"survey", "shop"},
              {"survey_version", version},
              {"period", period},
              {"locale", locale},
              {"displays", p + a + d},
              {"completions", p + a + d},
              {"dismissals", 0},
              {"questions", {{"nps", {{"type", "nps"}, {"counts", counts}}}}}};
}

// A version counted in fewer responses than the minimum (5) is not listed: it would tell that
// those few ran an older cached widget. v1: 6 respondents on the 25th, v2: 2 on the 25th and
// 3 on the 26th, 5 in all: listed overall, on neither day.
TEST_F(CollectorTest, ReportListsOnlyVersionsCountedAtTheMinimum) {
  RegisterElsewhere("v2");
  Start();
  ASSERT_EQ(Post(ShopMany(1, "2026-11-25", "en", 4, 1, 1))->status, 200);
  ASSERT_EQ(Post(ShopMany(2, "2026-11-25", "en", 1, 1, 0, "v2"))->status, 200);
  ASSERT_EQ(Post(ShopMany(3, "2026-11-26", "en", 5, 0, 0))->status, 200);
  ASSERT_EQ(Post(ShopMany(4, "2026-11-26", "en", 2, 1, 0, "v2"))->status, 200);
  auto r = Get("/v1/report?survey=shop&from=2026-11-25&to=2026-11-26&by=day", "reader-secret");
  ASSERT_EQ(r->status, 200) << r->body;
  const Json report = Body(r);
  EXPECT_EQ(report["versions"], Json({"v1", "v2"})) << r->body;
  ASSERT_EQ(report["periods"].size(), 2u) << r->body;
  EXPECT_EQ(report["periods"][0]["completions"], 8) << r->body;
  EXPECT_EQ(report["periods"][0]["versions"], Json({"v1"})) << r->body;
  EXPECT_EQ(report["periods"][1]["completions"], 8) << r->body;
  EXPECT_EQ(report["periods"][1]["versions"], Json({"v1"})) << r->body;
}

// Today is 2026-11-30, a Monday, 1405-09-09 in the Solar Hijri calendar (converted by hand and
// with the jalaali-js algorithm; weekdays from Python's datetime).
TEST_F(CollectorTest, ReportPresetsLabelsAndVersions) {
  RegisterElsewhere("v2");
  Start();
  ASSERT_EQ(Post(ShopMany(1, "2026-11-20", "en", 4, 1, 1))->status, 200);        // v1
  ASSERT_EQ(Post(ShopMany(2, "2026-11-25", "en", 3, 2, 1, "v2"))->status, 200);  // v2
  ASSERT_EQ(Post(ShopMany(3, "2026-11-25", "fa", 2, 2, 2, "v1"))->status, 200);  // v1
  const std::string base = "/v1/report?survey=shop";
  // this_month in Jalali: Azar 1405 from its first day (2026-11-22) through today.
  auto r = Get(base + "&preset=this_month&calendar=jalali&by=day", "reader-secret");
  ASSERT_EQ(r->status, 200) << r->body;
  Json report = Body(r);
  EXPECT_EQ(report["from"], "2026-11-22");
  EXPECT_EQ(report["to"], "2026-11-30");
  EXPECT_EQ(report["from_label"], "1405-09-01");
  EXPECT_EQ(report["to_label"], "1405-09-09");
  EXPECT_EQ(report["displays"], 12) << r->body;  // 2026-11-20 is in Aban
  EXPECT_EQ(report["versions"], Json({"v1", "v2"})) << r->body;
  ASSERT_EQ(report["periods"].size(), 1u) << r->body;
  EXPECT_EQ(report["periods"][0]["period"], "1405-09-04");
  EXPECT_EQ(report["periods"][0]["versions"], Json({"v1", "v2"}));
  // Gregorian: November from the 1st; the labels are the days themselves.
  report = Body(Get(base + "&preset=this_month&by=day", "reader-secret"));
  EXPECT_EQ(report["from"], "2026-11-01");
  EXPECT_EQ(report["from_label"], "2026-11-01");
  EXPECT_EQ(report["to_label"], "2026-11-30");
  EXPECT_EQ(report["displays"], 18);
  ASSERT_EQ(report["periods"].size(), 2u);
  EXPECT_EQ(report["periods"][0]["versions"], Json({"v1"}));
  EXPECT_EQ(report["periods"][1]["versions"], Json({"v1", "v2"}));
  // last_week: the ISO week before this one, Monday 2026-11-23 .. Sunday 2026-11-29.
  report = Body(Get(base + "&preset=last_week", "reader-secret"));
  EXPECT_EQ(report["from"], "2026-11-23");
  EXPECT_EQ(report["to"], "2026-11-29");
  EXPECT_EQ(report["displays"], 12);
  // ... and in Jalali the week before this one starts on Saturday 2026-11-21 (1405-08-30).
  report = Body(Get(base + "&preset=last_week&calendar=jalali", "reader-secret"));
  EXPECT_EQ(report["from"], "2026-11-21");
  EXPECT_EQ(report["to"], "2026-11-27");
  EXPECT_EQ(report["from_label"], "1405-08-30");
  // compare=preset:last_month in Jalali: Aban 1405, 2026-10-23 .. 2026-11-21.
  r = Get(base + "&preset=this_month&calendar=jalali&compare=preset:last_month", "reader-secret");
  ASSERT_EQ(r->status, 200) << r->body;
  report = Body(r);
  EXPECT_EQ(report["compare"]["from"], "2026-10-23") << r->body;
  EXPECT_EQ(report["compare"]["to"], "2026-11-21");
  EXPECT_EQ(report["compare"]["from_label"], "1405-08-01");
  EXPECT_EQ(report["compare"]["to_label"], "1405-08-30");
  EXPECT_EQ(report["compare"]["questions"]["nps"]["a"]["n"], 6) << r->body;
  EXPECT_EQ(report["compare"]["questions"]["nps"]["b"]["n"], 12) << r->body;
  EXPECT_EQ(report["compare"]["questions"]["nps"]["verdict"], "not_enough_data");
  // Errors name the parameter.
  Expect400(base + "&preset=this_month&from=2026-11-01",
            "preset: give either preset or from/to, not both");
  Expect400(base + "&preset=this_year", "preset: \\\"this_year\\\" is not a range");
  Expect400(base + "&compare=preset:yesterday", "compare: \\\"yesterday\\\" is not a range");
}

// The p-values were computed apart from the core (Python, METRICS.md's adjusted-Wald z-test):
//   fa 22,24,14 -> 22,31,34: p 0.0402; en 49,37,14 -> 46,20,26: p 0.250; overall p 0.00985.
// Benjamini-Hochberg over those three flags only the overall change (0.0402 > 2/3 * 0.05).
// In the second range fa against en: p 0.00440, diff 35.5 points (-13.8 -> 21.7).
TEST_F(CollectorTest, ReportComparesRangesBySegmentAndTwoLocales) {
  Start();
  ASSERT_EQ(Post(ShopMany(1, "2026-11-02", "fa", 22, 24, 14))->status, 200);
  ASSERT_EQ(Post(ShopMany(2, "2026-11-03", "en", 49, 37, 14))->status, 200);
  ASSERT_EQ(Post(ShopMany(3, "2026-11-20", "fa", 22, 31, 34))->status, 200);
  ASSERT_EQ(Post(ShopMany(4, "2026-11-21", "en", 46, 20, 26))->status, 200);
  const std::string base = "/v1/report?survey=shop&from=2026-11-16&to=2026-11-29";
  auto r = Get(base + "&segment=locale&compare=2026-11-01..2026-11-15", "reader-secret");
  ASSERT_EQ(r->status, 200) << r->body;
  Json compare = Body(r)["compare"];
  EXPECT_EQ(compare["questions"]["nps"]["p_value"], 0.00985) << compare.dump();
  EXPECT_EQ(compare["questions"]["nps"]["verdict"], "down");
  ASSERT_EQ(compare["segments"].size(), 2u) << compare.dump();
  EXPECT_EQ(compare["segments"][0]["segment"], "en");
  EXPECT_EQ(compare["segments"][0]["questions"]["nps"]["p_value"], 0.25);
  EXPECT_EQ(compare["segments"][0]["questions"]["nps"]["verdict"], "no_change");
  EXPECT_EQ(compare["segments"][1]["segment"], "fa");
  EXPECT_EQ(compare["segments"][1]["questions"]["nps"]["p_value"], 0.0402);
  EXPECT_EQ(compare["segments"][1]["questions"]["nps"]["significant"], false);
  EXPECT_EQ(compare["segments"][1]["questions"]["nps"]["verdict"], "no_change");
  // Without segment=locale there is no per-segment part.
  compare = Body(Get(base + "&compare=2026-11-01..2026-11-15", "reader-secret"))["compare"];
  EXPECT_FALSE(compare.contains("segments")) << compare.dump();
  EXPECT_EQ(compare["questions"]["nps"]["verdict"], "down");
  // Two locales of one range.
  r = Get(base + "&segment=locale&compare=locale:fa..locale:en", "reader-secret");
  ASSERT_EQ(r->status, 200) << r->body;
  compare = Body(r)["compare"];
  EXPECT_EQ(compare["a"], (Json{{"segment", "fa"}})) << compare.dump();
  EXPECT_EQ(compare["b"], (Json{{"segment", "en"}}));
  EXPECT_EQ(compare["questions"]["nps"]["p_value"], 0.0044);
  EXPECT_EQ(compare["questions"]["nps"]["diff"], 35.5);
  EXPECT_EQ(compare["questions"]["nps"]["verdict"], "up");
  EXPECT_EQ(compare["questions"]["nps"]["a"]["n"], 87);
  EXPECT_EQ(compare["questions"]["nps"]["b"]["n"], 92);
  Expect400(base + "&compare=locale:fa..locale:en",
            "compare: locale:A..locale:B needs segment=locale");
  Expect400(base + "&segment=locale&compare=locale:fa..locale:ar",
            "compare: b: no segment \\\"ar\\\" in the report");
  for (const char* bad : {"locale:fa", "locale:..locale:en", "fa..en"}) {
    Expect400(base + "&segment=locale&compare=" + bad, "compare: ");
  }
}

// A comments payload of `n` respondents' comments is `n` payloads of one (one per respondent).
Json ShopComment(int batch, const std::string& group, const std::string& text) {
  return Json{{"nazar", 1},
              {"kind", "comments"},
              {"batch", BatchId(batch, 9)},
              {"site", "shop.example"},
              {"survey", "shop"},
              {"survey_version", "v1"},
              {"period", kYesterday},
              {"locale", "fa"},
              {"comments", {{{"question", "why"}, {"group", group}, {"text", text}}}}};
}

// Terms tallied by hand. Detractors: 6 x "ارسال خیلی دیر بود" (ارسال, دیر), 4 x
// "بسته‌بندی خراب بود و ارسال دير" (Arabic yeh: بستهبندی, خراب,
// ارسال, دیر). Promoters: 7 x "كيفيت عالی" (Arabic kaf and yeh: کیفیت, عالی), 3 x "کیفیت خوب، قیمت
// مناسب".
TEST_F(CollectorTest, CommentsPresetSearchAndTerms) {
  Start();
  const std::string late =
      "\u0627\u0631\u0633\u0627\u0644 \u062E\u06CC\u0644\u06CC "
      "\u062F\u06CC\u0631 \u0628\u0648\u062F";
  const std::string packing =
      "\u0628\u0633\u062A\u0647\u200C\u0628\u0646\u062F\u06CC \u062E\u0631\u0627\u0628 "
      "\u0628\u0648\u062F \u0648 \u0627\u0631\u0633\u0627\u0644 \u062F\u064A\u0631";
  const std::string quality = "\u0643\u064A\u0641\u064A\u062A \u0639\u0627\u0644\u06CC";
  const std::string fair =
      "\u06A9\u06CC\u0641\u06CC\u062A \u062E\u0648\u0628\u060C "
      "\u0642\u06CC\u0645\u062A \u0645\u0646\u0627\u0633\u0628";
  int batch = 0;
  for (int i = 0; i < 6; ++i) ASSERT_EQ(Post(ShopComment(++batch, "detractor", late))->status, 200);
  for (int i = 0; i < 4; ++i) {
    ASSERT_EQ(Post(ShopComment(++batch, "detractor", packing))->status, 200);
  }
  for (int i = 0; i < 7; ++i) {
    ASSERT_EQ(Post(ShopComment(++batch, "promoter", quality))->status, 200);
  }
  for (int i = 0; i < 3; ++i) ASSERT_EQ(Post(ShopComment(++batch, "promoter", fair))->status, 200);
  ++today_;  // 2026-12-01, a Tuesday: the comments of 2026-11-30 are released
  const std::string base = "/v1/comments?survey=shop";
  const std::string arsal = "\u0627\u0631\u0633\u0627\u0644", dir = "\u062F\u06CC\u0631",
                    packed = "\u0628\u0633\u062A\u0647\u0628\u0646\u062F\u06CC",
                    broken = "\u062E\u0631\u0627\u0628",
                    kayfiyat = "\u06A9\u06CC\u0641\u06CC\u062A", ali = "\u0639\u0627\u0644\u06CC",
                    khub = "\u062E\u0648\u0628", gheymat = "\u0642\u06CC\u0645\u062A",
                    monaseb = "\u0645\u0646\u0627\u0633\u0628";
  auto term = [](const std::string& t, int n) { return Json{{"term", t}, {"count", n}}; };
  auto r = Get(base + "&preset=this_week", "reader-secret");  // Monday .. today, cut to yesterday
  ASSERT_EQ(r->status, 200) << r->body;
  Json body = Body(r);
  EXPECT_EQ(body["from"], "2026-11-30");
  EXPECT_EQ(body["to"], "2026-11-30");
  EXPECT_EQ(body["comments"].size(), 20u);
  EXPECT_EQ(body["terms"]["detractor"],
            Json::array({term(arsal, 10), term(dir, 10), term(packed, 4), term(broken, 4)}))
      << body["terms"].dump();
  EXPECT_EQ(body["terms"]["promoter"], Json::array({term(kayfiyat, 10), term(ali, 7), term(khub, 3),
                                                    term(gheymat, 3), term(monaseb, 3)}))
      << body["terms"].dump();
  EXPECT_EQ(body["terms"]["passive"], Json::array());
  // this_month: December has only today, which is not released yet: an empty range.
  body = Body(Get(base + "&preset=this_month", "reader-secret"));
  EXPECT_EQ(body["from"], "2026-12-01");
  EXPECT_EQ(body["to"], "2026-11-30");
  EXPECT_TRUE(body["comments"].empty());
  // In Jalali this month is Azar 1405, from 2026-11-22: the comments are in it.
  body = Body(Get(base + "&preset=this_month&calendar=jalali", "reader-secret"));
  EXPECT_EQ(body["from"], "2026-11-22");
  EXPECT_EQ(body["comments"].size(), 20u);
  body = Body(Get(base + "&preset=last_week", "reader-secret"));
  EXPECT_EQ(body["from"], "2026-11-23");
  EXPECT_EQ(body["to"], "2026-11-29");
  EXPECT_TRUE(body["comments"].empty());
  // Search: without the ZWNJ, بستهبندی finds the 4 comments written with it.
  body = Body(Get(base + "&preset=this_week&q=" + httplib::detail::encode_query_param(packed),
                  "reader-secret"));
  ASSERT_EQ(body["comments"].size(), 4u) << body.dump();
  EXPECT_EQ(body["comments"][0]["text"], packing);
  EXPECT_EQ(body["terms"]["detractor"],
            Json::array({term(arsal, 4), term(packed, 4), term(broken, 4), term(dir, 4)}));
  EXPECT_EQ(body["terms"]["promoter"], Json::array());
  // The Persian spelling finds the Arabic one too: all ten promoters.
  body = Body(Get(base + "&preset=this_week&q=" + httplib::detail::encode_query_param(kayfiyat),
                  "reader-secret"));
  EXPECT_EQ(body["comments"].size(), 10u);
  for (const Json& c : body["comments"]) EXPECT_EQ(c["group"], "promoter");
  // Two words: both must occur.
  body = Body(Get(
      base + "&preset=this_week&q=" + httplib::detail::encode_query_param(kayfiyat + " " + khub),
      "reader-secret"));
  EXPECT_EQ(body["comments"].size(), 3u);
  Expect400(base + "&q=" + std::string(501, 'a'), "q: at most 500 bytes");
  Expect400(base + "&preset=this_week&to=2026-11-30", "preset: give either preset or from/to");
  Expect400(base + "&preset=today", "preset: \\\"today\\\" is not a range");
}

TEST_F(CollectorTest, SurveysServeTheLatestVersionsWithETag) {
  Start();
  auto r = Get("/v1/surveys");
  ASSERT_EQ(r->status, 200);
  EXPECT_EQ(r->get_header_value("Access-Control-Allow-Origin"), "*");
  EXPECT_EQ(r->get_header_value("Cache-Control"), "public, max-age=60");
  const std::string etag = r->get_header_value("ETag");
  ASSERT_FALSE(etag.empty());
  Json body = Body(r);
  EXPECT_EQ(body["nazar"], 1);
  ASSERT_EQ(body["surveys"].size(), 2u);
  EXPECT_EQ(body["surveys"][0]["id"], "dp");
  EXPECT_EQ(body["surveys"][1]["id"], "shop");
  r = Client().Get("/v1/surveys", {{"If-None-Match", etag}});
  EXPECT_EQ(r->status, 304);
  EXPECT_TRUE(r->body.empty());
}

TEST_F(CollectorTest, PutSurveyNeedsAdminAndValidates) {
  Start();
  Json v2 = Json::parse(testing::kShopSurvey);
  v2["version"] = "v2";
  v2["questions"].erase(v2["questions"].begin() + 1);  // drop "why"
  auto put = [&](const std::string& body, const std::string& token) {
    httplib::Headers h;
    if (!token.empty()) h.emplace("Authorization", "Bearer " + token);
    return Client().Put("/v1/surveys/shop", h, body, "application/json");
  };
  EXPECT_EQ(put(v2.dump(), "")->status, 401);
  EXPECT_EQ(put(v2.dump(), "reader-secret")->status, 401);
  Json bad = v2;
  bad["questions"][0]["type"] = "stars";
  bad["appearance"] = {{"radius", 99}};
  auto r = put(bad.dump(), "admin-secret");
  EXPECT_EQ(r->status, 422);
  EXPECT_GE(Body(r)["errors"].size(), 2u) << r->body;
  EXPECT_EQ(put(v2.dump(), "admin-secret")->status, 201);
  // v2 is now the version served and accepted; v1 still counts.
  EXPECT_EQ(Body(Get("/v1/surveys"))["surveys"][1]["version"], "v2");
  Json p = ShopTally(BatchId(1), kYesterday, 9);
  p["survey_version"] = "v2";
  EXPECT_EQ(Post(p)->status, 200);
  EXPECT_EQ(Post(ShopTally(BatchId(2), kYesterday, 9))->status, 200);
  // A version never changes.
  Json changed = v2;
  changed["questions"].erase(changed["questions"].begin() + 1);
  EXPECT_EQ(put(changed.dump(), "admin-secret")->status, 409);
  // The URL names the survey.
  EXPECT_EQ(Client()
                .Put("/v1/surveys/other", {{"Authorization", "Bearer admin-secret"}}, v2.dump(),
                     "application/json")
                ->status,
            422);
}

// The analyze page (DESIGN.md "Pages"): files of --web-dir's analyze/ folder with their content
// types, the strict CSP and a service-worker scope of /analyze/; nothing outside that folder.
TEST_F(CollectorTest, AnalyzePageIsServedFromWebDirUnderTheStrictCsp) {
  Write("web/analyze/index.html", "<!doctype html><title>Analyze</title>");
  Write("web/analyze/analyze.js", "export {};");
  Write("web/analyze/sw.js", "self;");
  Write("web/analyze/nazar-analyze.wasm", std::string("\0asm\1\0\0\0", 8));
  Write("web/analyze/notes.txt", "a type the pages do not have");
  Write("web/analyze/.hidden.js", "hidden");
  Write("web/secret.js", "outside the analyze folder");
  Write("secret.js", "outside the web folder");
  options_.web_dir = (dir_ / "web").string();
  Start();

  httplib::Result r = Get("/analyze");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 301);
  EXPECT_EQ(r->get_header_value("Location"), "/analyze/");
  r = Get("/analyze?lang=fa");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 301);
  EXPECT_EQ(r->get_header_value("Location"), "/analyze/?lang=fa");

  r = Get("/analyze/");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "<!doctype html><title>Analyze</title>");
  EXPECT_EQ(r->get_header_value("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(r->get_header_value("Content-Security-Policy"),
            "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; "
            "connect-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
            "form-action 'self'; frame-ancestors 'none'; require-trusted-types-for 'script'");
  EXPECT_EQ(r->get_header_value("Service-Worker-Allowed"), "/analyze/");
  EXPECT_EQ(r->get_header_value("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(Get("/analyze/index.html")->body, r->body);

  const std::pair<const char*, const char*> types[] = {
      {"/analyze/analyze.js", "text/javascript; charset=utf-8"},
      {"/analyze/sw.js", "text/javascript; charset=utf-8"},
      {"/analyze/nazar-analyze.wasm", "application/wasm"}};
  for (const auto& [path, type] : types) {
    r = Get(path);
    ASSERT_TRUE(r) << path;
    EXPECT_EQ(r->status, 200) << path;
    EXPECT_EQ(r->get_header_value("Content-Type"), type) << path;
    EXPECT_FALSE(r->get_header_value("Content-Security-Policy").empty()) << path;
  }
  EXPECT_EQ(Get("/analyze/nazar-analyze.wasm")->body, std::string("\0asm\1\0\0\0", 8));

  // Outside the folder, hidden, unknown types, missing files: 404 without the file's bytes.
  for (const char* path :
       {"/analyze/../secret.js", "/analyze/%2e%2e/secret.js", "/analyze/..%2fsecret.js",
        "/analyze/..%2f..%2fsecret.js", "/analyze/%2fsecret.js", "/analyze//secret.js",
        "/analyze/.hidden.js", "/analyze/notes.txt", "/analyze/missing.js", "/analyze/sub/",
        "/analyzer", "/secret.js", "/web/secret.js"}) {
    r = Get(path);
    ASSERT_TRUE(r) << path;
    EXPECT_EQ(r->status, 404) << path;
    EXPECT_EQ(r->body.find("outside"), std::string::npos) << path;
    EXPECT_EQ(r->body.find("hidden"), std::string::npos) << path;
  }
}

TEST_F(CollectorTest, AnalyzePageWithoutWebDirIs404WithTheFlagToUse) {
  Start();
  httplib::Result r = Get("/analyze/");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 404);
  EXPECT_NE(Body(r)["error"].get<std::string>().find("--web-dir"), std::string::npos);
}

TEST_F(CollectorTest, MetricsAndAccessLog) {
  Start();
  ASSERT_EQ(Post(ShopTally(BatchId(1), kYesterday, 9))->status, 200);
  ASSERT_EQ(Get("/v1/report?survey=shop&from=2026-11-01", "reader-secret")->status, 200);
  auto r = Get("/metrics");
  ASSERT_EQ(r->status, 200);
  EXPECT_NE(r->body.find("nazar_requests_total{route=\"/v1/aggregates\",status=\"200\"} 1"),
            std::string::npos)
      << r->body;
  EXPECT_NE(r->body.find("nazar_commits_total 1"), std::string::npos);
  EXPECT_NE(r->body.find("nazar_queue_depth 0"), std::string::npos);
  EXPECT_NE(r->body.find("nazar_commit_seconds_count 1"), std::string::npos);
  // Local only: what a proxy forwards is not local, whoever the peer is.
  for (const char* header : {"X-Forwarded-For", "Forwarded"}) {
    r = Client().Get("/metrics", {{header, "203.0.113.9"}});
    EXPECT_EQ(r->status, 403) << header;
    EXPECT_EQ(r->body.find("nazar_"), std::string::npos) << r->body;
  }
  // A decoded path with a line break cannot forge a log line.
  r = Client().Put("/v1/surveys/x%0Anazar-collector:%20reload%20done%20FORGED",
                   {{"Authorization", "Bearer admin-secret"}}, "{}", "application/json");
  ASSERT_TRUE(r);
  // httplib logs a request after sending its answer: wait for the line (the deadline only bounds
  // a failure).
  bool put_logged = false, post_logged = false;
  for (int i = 0; i < 2000 && !(put_logged && post_logged); ++i) {
    {
      std::lock_guard<std::mutex> lock(log_mu_);
      for (const std::string& line : log_) {
        put_logged = put_logged || line.rfind("PUT /v1/surveys/ID ", 0) == 0;
        post_logged = post_logged || line.rfind("POST /v1/aggregates 200 ", 0) == 0;
      }
    }
    if (!(put_logged && post_logged)) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_TRUE(put_logged);
  EXPECT_TRUE(post_logged);
  std::lock_guard<std::mutex> lock(log_mu_);
  for (const std::string& line : log_) {
    EXPECT_EQ(line.find("FORGED"), std::string::npos) << line;
    EXPECT_EQ(line.find('\n'), std::string::npos) << line;
  }
  for (const std::string& line : log_) {
    EXPECT_EQ(line.find("127.0.0.1"), std::string::npos) << line;
    EXPECT_EQ(line.find("reader-secret"), std::string::npos) << line;
    EXPECT_EQ(line.find("2026-11-01"), std::string::npos) << line;    // no query
    EXPECT_EQ(line.find("shop.example"), std::string::npos) << line;  // no body
  }
}

TEST_F(CollectorTest, ShutdownAcknowledgesWhatIsQueued) {
  db_->commit_delay_ms = 300;
  Start();
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  auto post = [&](int i) {
    threads.emplace_back([&, i] {
      auto r = Post(ShopTally(BatchId(i), kYesterday, 9));
      if (r && r->status == 200) ++ok;
    });
  };
  // One post in a slow commit, seven queued behind it; then SIGTERM's path.
  post(0);
  for (int i = 0; i < 200 && db_->commits < 1; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  for (int i = 1; i < 8; ++i) post(i);
  bool queued = false;
  for (int i = 0; i < 200 && !queued; ++i) {
    queued = Get("/metrics")->body.find("nazar_queue_depth 7") != std::string::npos;
    if (!queued) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_TRUE(queued);
  Stop();
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok, 8);
  EXPECT_EQ(db_->CounterSum("shop", "displays"), 8);
  EXPECT_EQ(db_->commits, 2);
}

TEST_F(CollectorTest, ReloadSwapsDefinitionsAndTokens) {
  Start();
  const std::string etag = Get("/v1/surveys")->get_header_value("ETag");
  Json v2 = Json::parse(testing::kShopSurvey);
  v2["version"] = "v2";
  Write("surveys/shop.json", v2.dump());
  Write("read.token", "rotated\n");
  ASSERT_TRUE(server_->Reload().ok());
  auto r = Get("/v1/surveys");
  EXPECT_NE(r->get_header_value("ETag"), etag);
  EXPECT_EQ(Body(r)["surveys"][1]["version"], "v2");
  EXPECT_EQ(Get("/v1/report?survey=shop", "reader-secret")->status, 401);
  EXPECT_EQ(Get("/v1/report?survey=shop", "rotated")->status, 200);
  // v1 was registered before: payloads of pages still on it count.
  EXPECT_EQ(Post(ShopTally(BatchId(1), kYesterday, 9))->status, 200);
  // A broken file is reported and the served definitions stay.
  Write("surveys/shop.json", "{\"nazar\": 1, \"id\": \"shop\"}");
  Status s = server_->Reload();
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("shop.json"), std::string::npos) << s.message();
  EXPECT_EQ(Body(Get("/v1/surveys"))["surveys"][1]["version"], "v2");
}

TEST_F(CollectorTest, BadDefinitionsFailAtStartWithPointers) {
  Write("surveys/broken.json", R"({"nazar":1,"id":"b","version":"1","trigger":{"on":"manual"},
    "questions":[{"id":"q","type":"ces","scale":6,"text":{"en":"?"}}]})");
  ServerEnv env;
  env.open_store = testing::MemoryStoreFactory(db_);
  Result<std::unique_ptr<Server>> server = Server::Create(options_, env);
  ASSERT_FALSE(server.ok());
  EXPECT_NE(server.status().message().find("broken.json: /questions/0/scale"), std::string::npos)
      << server.status().message();
}

TEST_F(CollectorTest, UnopenableStoreFailsAtStart) {
  ServerEnv env;
  env.open_store = []() -> Result<std::unique_ptr<Store>> {
    return Status(StatusCode::kFailedPrecondition, "cannot open /x/nazar.db: unable to open");
  };
  Result<std::unique_ptr<Server>> server = Server::Create(options_, env);
  ASSERT_FALSE(server.ok());
  EXPECT_NE(server.status().message().find("/x/nazar.db"), std::string::npos);
}

}  // namespace
}  // namespace nazar::collector

namespace nazar::collector {
namespace {

// A definition that says a key twice is refused where definitions are registered, with the
// pointer of the object (the widget's own parser keeps the last value; tests/core/json_test.cc).
TEST(CollectorDefinitions, RefuseADuplicateKeyWithItsPointer) {
  Result<std::vector<SurveyVersion>> parsed = DefinitionsFromText(
      R"({"nazar":1,"id":"s","version":"1","questions":[)"
      R"({"id":"nps","type":"nps","type":"csat","text":{"en":"How likely?"}}]})",
      "surveys.json");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().message(), "surveys.json: /questions/0: duplicate key \"type\"");
}

}  // namespace
}  // namespace nazar::collector
