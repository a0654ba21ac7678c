// libFuzzer target: the collector's whole ingest path, bytes -> DecideIngest (parse, Contract 3,
// the registered definition, the period window, re-scrubbing, the Ingest mapping) -> the real
// SQLite Store's Commit. Checks: a refusal is 400 or 422 with a pointer-led message and no
// Ingest; an acceptance is 200 with counters that are positive, named once each, and sum into
// the totals row exactly (or, for a batch seen before, change nothing); comments are stored one
// for one. The database is a file on /dev/shm (tmpfs: the store's fsyncs cost nothing).
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>

#include "collector/definitions.h"
#include "collector/ingest.h"
#include "collector/store.h"
#include "nazar/date.h"
#include "tests/collector/test_surveys.h"

namespace {

using nazar::collector::Catalog;
using nazar::collector::Counter;
using nazar::collector::Ingest;
using nazar::collector::IngestOutcome;
using nazar::collector::Store;
using nazar::collector::TotalsKey;
using nazar::collector::TotalsRow;

// A failed check names itself on stderr before aborting, so a CI log says which property broke.
void CheckAt(bool condition, const char* what, int line) {
  if (condition) return;
  std::fprintf(stderr, "fuzz_ingest.cc:%d: check failed: %s\n", line, what);
  std::abort();
}
#define Check(condition) CheckAt((condition), #condition, __LINE__)

// A store call that must succeed; on failure its status (an SQLite code, never data) is printed.
void CheckOk(const nazar::Status& status, const char* what, int line) {
  if (status.ok()) return;
  std::fprintf(stderr, "fuzz_ingest.cc:%d: %s failed: %s\n", line, what, status.message().c_str());
  std::abort();
}
template <typename T>
void CheckOk(const nazar::Result<T>& result, const char* what, int line) {
  CheckOk(result.status(), what, line);
}
#define CHECK_OK(expr) CheckOk((expr), #expr, __LINE__)

// libFuzzer ends a timed run with _Exit, so no exit handler removes the database: remove those
// that earlier runs left behind (their process is gone) before making this run's.
void RemoveStaleDatabases(const std::filesystem::path& dir) {
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    const std::string prefix = "nazar-fuzz-ingest-";
    if (name.rfind(prefix, 0) != 0) continue;
    const long pid = std::strtol(name.c_str() + prefix.size(), nullptr, 10);
    if (pid <= 0 || pid == getpid()) continue;
    if (kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH) continue;
    std::filesystem::remove(entry.path(), ec);
  }
}

const int64_t kToday = nazar::DaysFromCivil(2026, 11, 30);
constexpr int kMaxAgeDays = 35;

struct World {
  std::shared_ptr<const Catalog> catalog;
  std::unique_ptr<Store> store;
  std::string path;
};

World& TheWorld() {
  static World* world = [] {
    auto* w = new World;
    const std::filesystem::path dir =
        std::filesystem::exists("/dev/shm") ? "/dev/shm" : std::filesystem::temp_directory_path();
    RemoveStaleDatabases(dir);
    w->path = (dir / ("nazar-fuzz-ingest-" + std::to_string(getpid()) + ".db")).string();
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(w->path + suffix);
    auto store = nazar::collector::OpenStore(w->path);
    CHECK_OK(store);
    w->store = std::move(store).value();
    CHECK_OK(w->store->Migrate());
    const std::vector<nazar::collector::SurveyVersion> versions = {
        {"shop", "v1", nazar::collector::testing::kShopSurvey},
        {"dp", "v1", nazar::collector::testing::kDpSurvey}};
    for (const auto& v : versions) CHECK_OK(w->store->PutSurvey(v));
    std::vector<std::string> skipped;
    w->catalog = Catalog::Build(versions, &skipped);
    Check(skipped.empty());
    std::atexit([] {
      World& w = TheWorld();
      w.store.reset();
      for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(w.path + suffix);
    });
    return w;
  }();
  return *world;
}

// The stored counters of `key` by name (empty when there is no row).
std::map<std::string, int64_t> RowOf(Store& store, const TotalsKey& key) {
  auto rows = store.Totals(key.survey, key.day, key.day);
  CHECK_OK(rows);
  std::map<std::string, int64_t> out;
  for (const TotalsRow& row : *rows) {
    if (!(row.key == key)) continue;
    for (const Counter& c : row.counters) out[c.name] = c.value;
  }
  return out;
}

// True when `text` holds no C0 control character or DEL other than those in `allowed`.
bool Plain(const std::string& text, std::string_view allowed) {
  for (const char ch : text) {
    const auto u = static_cast<unsigned char>(ch);
    if ((u < 0x20 || u == 0x7f) && allowed.find(ch) == std::string_view::npos) return false;
  }
  return true;
}

size_t CommentCount(Store& store, const std::string& survey, int64_t day) {
  auto comments = store.Comments(survey, day, day);
  CHECK_OK(comments);
  return comments->size();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  World& w = TheWorld();
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  IngestOutcome outcome = nazar::collector::DecideIngest(body, *w.catalog, kToday, kMaxAgeDays);
  if (outcome.status != 200) {
    Check(outcome.status == 400 || outcome.status == 422);
    Check(!outcome.ingest.has_value());
    Check(!outcome.message.empty() && outcome.message[0] == '/');
    return 0;
  }
  Check(outcome.ingest.has_value());
  const Ingest& item = *outcome.ingest;
  Check(item.batch.size() == 32);
  Check(item.day <= kToday && item.day >= kToday - kMaxAgeDays);
  // Tally or comments, never both; a tally names its row and carries positive counters, each
  // name once.
  Check(item.counters.empty() || item.comments.empty());
  std::set<std::string> names;
  for (const Counter& c : item.counters) {
    Check(c.value > 0);
    Check(!c.name.empty() && names.insert(c.name).second);
  }
  if (!item.counters.empty()) {
    Check(item.key.day == item.day && w.catalog->Find(item.key.survey, item.key.version));
    Check(names.count("displays") == 1);
  }
  // Comments are filed under the day they arrive; no accepted string holds a control character
  // (comment text may hold tab and line breaks).
  for (const auto& c : item.comments) {
    Check(c.day == kToday && !c.text.empty());
    for (const std::string* f : {&c.survey, &c.version, &c.locale, &c.question, &c.group}) {
      Check(Plain(*f, ""));
    }
    Check(Plain(c.text, "\t\n\r"));
  }
  for (const std::string* f :
       {&item.batch, &item.key.site, &item.key.survey, &item.key.version, &item.key.locale}) {
    Check(Plain(*f, ""));
  }

  const std::string survey = item.comments.empty() ? item.key.survey : item.comments[0].survey;
  const std::map<std::string, int64_t> before = RowOf(*w.store, item.key);
  const size_t comments_before = CommentCount(*w.store, survey, kToday);
  auto committed = w.store->Commit({item});
  CHECK_OK(committed);
  Check(committed->size() == 1);
  const bool duplicate = (*committed)[0];
  std::map<std::string, int64_t> expected = before;
  if (!duplicate) {
    for (const Counter& c : item.counters) expected[c.name] += c.value;
  }
  Check(RowOf(*w.store, item.key) == expected);
  Check(CommentCount(*w.store, survey, kToday) ==
        comments_before + (duplicate ? 0 : item.comments.size()));
  return 0;
}
