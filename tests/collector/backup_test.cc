// `nazar-collector backup FILE --db DB`, the real binary: a SQLite database with totals, a
// comment and a batch id is copied; the copy opens with OpenStore and holds the same rows.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "store.h"

namespace nazar::collector {
namespace {

constexpr int64_t kDay = 20789;  // 2026-12-02

class BackupCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("nazar-backup-cmd-" + std::to_string(getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // Runs the binary with `args`; its exit code, stderr in *err.
  int Run(const std::string& args, std::string* err) {
    const std::string log = (dir_ / "stderr").string();
    const int raw = std::system(
        ("'" + std::string(NAZAR_COLLECTOR_PATH) + "' " + args + " 2>'" + log + "'").c_str());
    std::ifstream in(log);
    err->assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    return WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  }

  std::filesystem::path dir_;
};

// "site|survey|version|day|locale: name=value ..." per totals row.
std::vector<std::string> Lines(Store& store) {
  Result<std::vector<TotalsRow>> rows = store.Totals("nps", kDay - 9, kDay + 9);
  EXPECT_TRUE(rows.ok()) << rows.status().message();
  std::vector<std::string> out;
  if (!rows.ok()) return out;
  for (const TotalsRow& r : *rows) {
    std::string line = r.key.site + "|" + r.key.survey + "|" + r.key.version + "|" +
                       std::to_string(r.key.day) + "|" + r.key.locale + ":";
    for (const Counter& c : r.counters) line += " " + c.name + "=" + std::to_string(c.value);
    out.push_back(line);
  }
  return out;
}

TEST_F(BackupCommandTest, CopiesTotalsCommentsAndBatchIds) {
  const std::string db = (dir_ / "nazar.db").string();
  const std::string copy_path = (dir_ / "copy.db").string();
  {
    Result<std::unique_ptr<Store>> store = OpenStore(db);
    ASSERT_TRUE(store.ok()) << store.status().message();
    ASSERT_TRUE((*store)->Migrate().ok());
    ASSERT_TRUE((*store)->PutSurvey({"nps", "v1", "{\"a\":1}"}).ok());
    Ingest tally;
    tally.batch = std::string(31, '0') + "1";
    tally.day = kDay;
    tally.key = TotalsKey{"shop.example", "nps", "v1", kDay, "en"};
    tally.counters = {{"displays", 3}, {"q/nps/9", 2}};
    Ingest comment;
    comment.batch = std::string(31, '0') + "2";
    comment.day = kDay;
    comment.comments = {StoredComment{"nps", "v1", kDay, "en", "why", "promoter", "quick"}};
    Result<std::vector<bool>> committed = (*store)->Commit({tally, comment});
    ASSERT_TRUE(committed.ok()) << committed.status().message();
  }
  std::string err;
  ASSERT_EQ(Run("backup '" + copy_path + "' --db '" + db + "'", &err), 0) << err;

  Result<std::unique_ptr<Store>> opened = OpenStore(copy_path);
  ASSERT_TRUE(opened.ok()) << opened.status().message();
  Store& copy = **opened;
  EXPECT_EQ(Lines(copy),
            (std::vector<std::string>{"shop.example|nps|v1|20789|en: displays=3 q/nps/9=2"}));
  Result<std::vector<StoredComment>> comments = copy.Comments("nps", kDay, kDay);
  ASSERT_TRUE(comments.ok());
  ASSERT_EQ(comments->size(), 1u);
  EXPECT_EQ((*comments)[0].text, "quick");
  Result<std::vector<SurveyVersion>> surveys = copy.Surveys();
  ASSERT_TRUE(surveys.ok());
  ASSERT_EQ(surveys->size(), 1u);
  EXPECT_EQ((*surveys)[0].definition, "{\"a\":1}");
  // The batch id came along: the same batch again adds nothing to the copy.
  Ingest again;
  again.batch = std::string(31, '0') + "1";
  again.day = kDay;
  again.key = TotalsKey{"shop.example", "nps", "v1", kDay, "en"};
  again.counters = {{"displays", 3}};
  Result<std::vector<bool>> dup = copy.Commit({again});
  ASSERT_TRUE(dup.ok());
  EXPECT_EQ(*dup, std::vector<bool>{true});
}

TEST_F(BackupCommandTest, RefusesAnExistingFileAndAMissingOne) {
  const std::string db = (dir_ / "nazar.db").string();
  const std::string existing = (dir_ / "exists.db").string();
  std::ofstream(existing) << "keep me";
  std::string err;
  EXPECT_EQ(Run("backup '" + existing + "' --db '" + db + "'", &err), 1);
  EXPECT_NE(err.find(existing + ": the file exists"), std::string::npos) << err;
  std::ifstream in(existing);
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()),
            "keep me");
  // No FILE: a usage error (exit 2).
  EXPECT_EQ(Run("backup", &err), 2);
  EXPECT_EQ(Run("backup --db '" + db + "'", &err), 2);
  EXPECT_NE(err.find("backup"), std::string::npos) << err;
}

}  // namespace
}  // namespace nazar::collector
