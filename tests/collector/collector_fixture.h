// The collector server in-process on 127.0.0.1 (ephemeral port), driven with httplib::Client:
// the fixture of server_test.cc and auth_test.cc. Its store is the memory store, or a real one
// (db_url_) whose commits are counted like the memory store's; its clocks (today_, now_) are the
// test's.
#ifndef NAZAR_TESTS_COLLECTOR_COLLECTOR_FIXTURE_H_
#define NAZAR_TESTS_COLLECTOR_COLLECTOR_FIXTURE_H_

#include <gtest/gtest.h>
#include <httplib.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "collector/definitions.h"
#include "collector/server.h"
#include "memory_store.h"
#include "nazar/date.h"
#include "nazar/json.h"
#include "test_surveys.h"

namespace nazar::collector {

inline const int64_t kToday = DaysFromCivil(2026, 11, 30);
inline const std::string kYesterday = FormatDay(kToday - 1);
// ServerEnv::now_seconds at the start of every test: noon of kToday, UTC.
inline const double kNoon = static_cast<double>(kToday * 86400 + 12 * 3600);

class CollectorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("nazar-collector-test-" + std::to_string(getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
    Write("surveys/shop.json", testing::kShopSurvey);
    Write("surveys/dp.json", testing::kDpSurvey);
    Write("read.token", "reader-secret\n");
    Write("admin.token", "admin-secret\n");
    options_.surveys = (dir_ / "surveys").string();
    options_.listen_host = "127.0.0.1";
    options_.listen_port = 0;
    options_.rate_limit = 0;
    options_.read_token_file = (dir_ / "read.token").string();
    options_.admin_token_file = (dir_ / "admin.token").string();
    options_.threads = 32;
  }

  void TearDown() override {
    Stop();
    std::filesystem::remove_all(dir_);
  }

  void Write(const std::string& name, const std::string& text) {
    std::filesystem::create_directories((dir_ / name).parent_path());
    std::ofstream(dir_ / name) << text;
  }

  void Start() {
    ServerEnv env;
    env.open_store = Factory();
    env.today = [this] { return today_.load(); };
    env.now_seconds = [this] { return now_.load(); };
    env.catalog_refresh_seconds = refresh_seconds_;
    env.log = [this](const std::string& line) {
      std::lock_guard<std::mutex> lock(log_mu_);
      log_.push_back(line);
    };
    Result<std::unique_ptr<Server>> server = Server::Create(options_, env);
    ASSERT_TRUE(server.ok()) << server.status().message();
    server_ = std::move(server).value();
    Result<int> port = server_->Bind();
    ASSERT_TRUE(port.ok()) << port.status().message();
    port_ = *port;
    serving_ = std::thread([this] { server_->Serve(); });
    for (int i = 0; i < 500 && !server_->Running(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    ASSERT_TRUE(server_->Running());
  }

  void Stop() {
    if (!server_) return;
    server_->Shutdown();
    serving_.join();
    server_.reset();
  }

  httplib::Client Client() {
    httplib::Client c("127.0.0.1", port_);
    c.set_read_timeout(10, 0);
    return c;
  }

  httplib::Result Post(const Json& body,
                       httplib::Headers headers = {{"Origin", "https://shop.example"}}) {
    return Client().Post("/v1/aggregates", headers, body.dump(), "text/plain;charset=UTF-8");
  }

  httplib::Result Get(const std::string& path, const std::string& token = "") {
    httplib::Headers h;
    if (!token.empty()) h.emplace("Authorization", "Bearer " + token);
    return Client().Get(path.c_str(), h);
  }

  static Json Body(const httplib::Result& r) { return Json::parse(r->body); }

  // A read refused with 400 whose message contains `message`.
  void Expect400(const std::string& path, const std::string& message) {
    auto r = Get(path, "reader-secret");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 400) << path;
    EXPECT_NE(r->body.find(message), std::string::npos) << path << ": " << r->body;
  }

  // For tests whose first commit holds (a long commit_delay_ms): waits until it has begun.
  void AwaitFirstCommit() {
    for (int i = 0; i < 2000 && db_->commits == 0; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    EXPECT_EQ(db_->commits, 1) << "the first commit never began";
  }

  // Ends the held commit once `n` posts wait behind it, so they form one group; later commits
  // take no time. The deadline only bounds a failure: a slow machine waits longer, it never
  // splits the group.
  void ReleaseWhenQueued(int n) {
    const std::string depth = "nazar_queue_depth " + std::to_string(n) + "\n";
    bool queued = false;
    for (int i = 0; i < 6000 && !queued; ++i) {
      queued = Get("/metrics")->body.find(depth) != std::string::npos;
      if (!queued) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    EXPECT_TRUE(queued) << "the " << n << " posts never all queued behind the first commit";
    db_->commit_delay_ms = 0;
  }

  // A version of the shop survey registered straight in the database, as another replica
  // sharing it would (PUT there): this server has not seen it.
  void RegisterElsewhere(const std::string& version) {
    Json shop = Json::parse(testing::kShopSurvey);
    shop["version"] = version;
    Result<std::vector<SurveyVersion>> defs = DefinitionsFromText(shop.dump(), "");
    ASSERT_TRUE(defs.ok()) << defs.status().message();
    testing::MemoryStore other(db_);
    ASSERT_TRUE(other.PutSurvey(defs->front()).ok());
  }

  // Connections to this test's store: the memory database, or a real store (db_url_) whose
  // commits are counted in db_->commits and delayed by db_->commit_delay_ms.
  StoreFactory Factory() {
    if (db_url_.empty()) return testing::MemoryStoreFactory(db_);
    return [url = db_url_, db = db_]() -> Result<std::unique_ptr<Store>> {
      Result<std::unique_ptr<Store>> store = OpenStore(url);
      if (!store.ok()) return store.status();
      return std::unique_ptr<Store>(new CountedStore(std::move(store).value(), db));
    };
  }

  // A real store counting and delaying its commits like the memory store does.
  class CountedStore : public Store {
   public:
    CountedStore(std::unique_ptr<Store> inner, std::shared_ptr<testing::MemoryDatabase> db)
        : inner_(std::move(inner)), db_(std::move(db)) {}
    const char* Kind() const override { return inner_->Kind(); }
    Status Migrate() override { return inner_->Migrate(); }
    Result<std::vector<bool>> Commit(const std::vector<Ingest>& items) override {
      ++db_->commits;
      std::this_thread::sleep_for(std::chrono::milliseconds(db_->commit_delay_ms.load()));
      return inner_->Commit(items);
    }
    Result<std::vector<TotalsRow>> Totals(const std::string& survey, int64_t from,
                                          int64_t to) override {
      return inner_->Totals(survey, from, to);
    }
    Status PutSurvey(const SurveyVersion& survey) override { return inner_->PutSurvey(survey); }
    Result<std::vector<SurveyVersion>> Surveys() override { return inner_->Surveys(); }
    Result<std::vector<StoredComment>> Comments(const std::string& survey, int64_t from,
                                                int64_t to) override {
      return inner_->Comments(survey, from, to);
    }
    Status Prune(int64_t batches, int64_t comments) override {
      return inner_->Prune(batches, comments);
    }
    Status PutShare(const Share& share) override { return inner_->PutShare(share); }
    Result<std::vector<Share>> Shares() override { return inner_->Shares(); }
    Result<std::optional<Share>> FindShare(const std::string& hash) override {
      return inner_->FindShare(hash);
    }
    Result<bool> RevokeShare(const std::string& id, int64_t now) override {
      return inner_->RevokeShare(id, now);
    }
    Status PutSession(const Session& session) override { return inner_->PutSession(session); }
    Result<std::optional<Session>> FindSession(const std::string& hash) override {
      return inner_->FindSession(hash);
    }
    Status DeleteSession(const std::string& hash) override { return inner_->DeleteSession(hash); }
    Status PruneAuth(int64_t sessions_before, int64_t shares_before) override {
      return inner_->PruneAuth(sessions_before, shares_before);
    }
    Status Ping() override { return inner_->Ping(); }

   private:
    std::unique_ptr<Store> inner_;
    std::shared_ptr<testing::MemoryDatabase> db_;
  };

  // Every totals row and comment of the test surveys, serialized (and, on the memory store, the
  // number of batch ids): equal strings mean the store is byte-for-byte the same.
  std::string Dump() {
    Result<std::unique_ptr<Store>> store = Factory()();
    EXPECT_TRUE(store.ok()) << store.status().message();
    if (!store.ok()) return "no store";
    Json out = Json::object();
    for (const std::string survey : {"shop", "dp", "other"}) {
      Result<std::vector<TotalsRow>> rows = (*store)->Totals(survey, INT64_MIN / 2, INT64_MAX / 2);
      Result<std::vector<StoredComment>> comments =
          (*store)->Comments(survey, INT64_MIN / 2, INT64_MAX / 2);
      EXPECT_TRUE(rows.ok() && comments.ok());
      if (!rows.ok() || !comments.ok()) return "store error";
      for (const TotalsRow& row : *rows) {
        Json counters = Json::object();
        for (const Counter& c : row.counters) counters[c.name] = c.value;
        out["totals"].push_back(
            {row.key.site, row.key.survey, row.key.version, row.key.day, row.key.locale, counters});
      }
      for (const StoredComment& c : *comments) {
        out["comments"].push_back(
            {c.survey, c.version, c.day, c.locale, c.question, c.group, c.text});
      }
    }
    if (db_url_.empty()) out["batches"] = db_->BatchCount();
    return out.dump();
  }

  // Sum of counter `name` over the totals rows of `survey`, read through a new connection.
  int64_t Sum(const std::string& survey, const std::string& name) {
    Result<std::unique_ptr<Store>> store = Factory()();
    EXPECT_TRUE(store.ok()) << store.status().message();
    if (!store.ok()) return -1;
    Result<std::vector<TotalsRow>> rows = (*store)->Totals(survey, INT64_MIN / 2, INT64_MAX / 2);
    EXPECT_TRUE(rows.ok()) << rows.status().message();
    int64_t sum = 0;
    for (const TotalsRow& row : rows.ok() ? *rows : std::vector<TotalsRow>{}) {
      for (const Counter& c : row.counters) sum += c.name == name ? c.value : 0;
    }
    return sum;
  }

  std::filesystem::path dir_;
  std::string db_url_;  // a real store ("" for the memory store)
  Options options_;
  double refresh_seconds_ = 3600;       // ServerEnv::catalog_refresh_seconds
  std::atomic<int64_t> today_{kToday};  // ServerEnv::today: a test may let a day pass
  std::atomic<double> now_{kNoon};      // ServerEnv::now_seconds: a test may move it
  std::shared_ptr<testing::MemoryDatabase> db_ = std::make_shared<testing::MemoryDatabase>();
  std::unique_ptr<Server> server_;
  std::thread serving_;
  int port_ = 0;
  std::mutex log_mu_;
  std::vector<std::string> log_;
};

}  // namespace nazar::collector

#endif  // NAZAR_TESTS_COLLECTOR_COLLECTOR_FIXTURE_H_
