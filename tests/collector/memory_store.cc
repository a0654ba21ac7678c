#include "memory_store.h"

#include <algorithm>
#include <chrono>
#include <thread>
#include <tuple>

namespace nazar::collector::testing {
namespace {

Status Down() { return Status(StatusCode::kFailedPrecondition, "memory store switched off"); }

}  // namespace

int64_t MemoryDatabase::CounterSum(const std::string& survey, const std::string& name) {
  std::lock_guard<std::mutex> lock(mu_);
  int64_t sum = 0;
  for (const auto& [key, counters] : totals_) {
    if (std::get<1>(key) != survey) continue;
    auto it = counters.find(name);
    if (it != counters.end()) sum += it->second;
  }
  return sum;
}

size_t MemoryDatabase::BatchCount() {
  std::lock_guard<std::mutex> lock(mu_);
  return batches_.size();
}

size_t MemoryDatabase::SessionCount() {
  std::lock_guard<std::mutex> lock(mu_);
  return sessions_.size();
}

Status MemoryStore::Migrate() {
  if (db_->fail) return Down();
  return Status::Ok();  // every table of every migration exists from the start
}

Result<std::vector<bool>> MemoryStore::Commit(const std::vector<Ingest>& items) {
  ++db_->commits;
  // Sleeps in slices, so a test lowering commit_delay_ms releases a commit already waiting.
  const auto start = std::chrono::steady_clock::now();
  while (std::chrono::steady_clock::now() - start <
         std::chrono::milliseconds(db_->commit_delay_ms.load())) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  if (db_->fail) return Down();
  for (const Ingest& item : items) {
    for (const StoredComment& c : item.comments) {
      if (!db_->poison.empty() && c.text.find(db_->poison) != std::string::npos) {
        return Status(StatusCode::kInternal, "memory store: an item refused");
      }
    }
  }
  std::lock_guard<std::mutex> lock(db_->mu_);
  std::vector<bool> duplicate;
  std::set<std::string> seen_here;
  for (const Ingest& item : items) {
    const bool dup = db_->batches_.count(item.batch) > 0 || !seen_here.insert(item.batch).second;
    duplicate.push_back(dup);
    if (dup) continue;
    db_->batches_[item.batch] = item.day;
    if (!item.counters.empty()) {
      auto& row = db_->totals_[{item.key.site, item.key.survey, item.key.version, item.key.day,
                                item.key.locale}];
      for (const Counter& c : item.counters) row[c.name] += c.value;
    }
    for (const StoredComment& c : item.comments) db_->comments_.push_back(c);
  }
  return duplicate;
}

Result<std::vector<TotalsRow>> MemoryStore::Totals(const std::string& survey, int64_t from_day,
                                                   int64_t to_day) {
  if (db_->fail) return Down();
  std::lock_guard<std::mutex> lock(db_->mu_);
  std::vector<TotalsRow> rows;
  for (const auto& [key, counters] : db_->totals_) {
    const auto& [site, id, version, day, locale] = key;
    if (id != survey || day < from_day || day > to_day) continue;
    TotalsRow row;
    row.key = TotalsKey{site, id, version, day, locale};
    for (const auto& [name, value] : counters) row.counters.push_back(Counter{name, value});
    rows.push_back(std::move(row));  // std::map: counters sorted by name
  }
  return rows;
}

Status MemoryStore::PutSurvey(const SurveyVersion& survey) {
  if (db_->fail) return Down();
  std::lock_guard<std::mutex> lock(db_->mu_);
  for (const SurveyVersion& s : db_->surveys_) {
    if (s.id == survey.id && s.version == survey.version) {
      if (s.definition == survey.definition) return Status::Ok();
      return Status(StatusCode::kFailedPrecondition,
                    "survey " + survey.id + " version " + survey.version + " differs");
    }
  }
  db_->surveys_.push_back(survey);
  return Status::Ok();
}

Result<std::vector<SurveyVersion>> MemoryStore::Surveys() {
  ++db_->survey_reads;
  if (db_->fail) return Down();
  std::lock_guard<std::mutex> lock(db_->mu_);
  std::vector<SurveyVersion> out = db_->surveys_;
  std::stable_sort(out.begin(), out.end(),
                   [](const SurveyVersion& a, const SurveyVersion& b) { return a.id < b.id; });
  return out;
}

Result<std::vector<StoredComment>> MemoryStore::Comments(const std::string& survey,
                                                         int64_t from_day, int64_t to_day) {
  if (db_->fail) return Down();
  std::lock_guard<std::mutex> lock(db_->mu_);
  std::vector<StoredComment> out;
  for (const StoredComment& c : db_->comments_) {
    if (c.survey == survey && c.day >= from_day && c.day <= to_day) out.push_back(c);
  }
  return out;
}

Status MemoryStore::Prune(int64_t batches_before_day, int64_t comments_before_day) {
  if (db_->fail) return Down();
  std::lock_guard<std::mutex> lock(db_->mu_);
  for (auto it = db_->batches_.begin(); it != db_->batches_.end();) {
    it = it->second < batches_before_day ? db_->batches_.erase(it) : std::next(it);
  }
  auto& c = db_->comments_;
  c.erase(std::remove_if(c.begin(), c.end(),
                         [&](const StoredComment& s) { return s.day < comments_before_day; }),
          c.end());
  return Status::Ok();
}

Status MemoryStore::PutShare(const Share& share) {
  if (db_->fail) return Down();
  std::lock_guard<std::mutex> lock(db_->mu_);
  for (const Share& s : db_->shares_) {
    if (s.id == share.id || s.token_hash == share.token_hash) {
      return Status(StatusCode::kFailedPrecondition, "share " + share.id + " exists");
    }
  }
  db_->shares_.push_back(share);
  return Status::Ok();
}

Result<std::vector<Share>> MemoryStore::Shares() {
  if (db_->fail) return Down();
  std::lock_guard<std::mutex> lock(db_->mu_);
  std::vector<Share> out = db_->shares_;
  std::sort(out.begin(), out.end(), [](const Share& a, const Share& b) {
    return std::tie(b.created, b.id) < std::tie(a.created, a.id);
  });
  return out;
}

Result<std::optional<Share>> MemoryStore::FindShare(const std::string& token_hash) {
  if (db_->fail) return Down();
  std::lock_guard<std::mutex> lock(db_->mu_);
  for (const Share& s : db_->shares_) {
    if (s.token_hash == token_hash) return std::optional<Share>(s);
  }
  return std::optional<Share>();
}

Result<bool> MemoryStore::RevokeShare(const std::string& id, int64_t now) {
  if (db_->fail) return Down();
  std::lock_guard<std::mutex> lock(db_->mu_);
  for (Share& s : db_->shares_) {
    if (s.id != id) continue;
    if (s.revoked == 0) s.revoked = now;
    return true;
  }
  return false;
}

Status MemoryStore::PutSession(const Session& session) {
  if (db_->fail) return Down();
  std::lock_guard<std::mutex> lock(db_->mu_);
  if (!db_->sessions_.emplace(session.token_hash, session).second) {
    return Status(StatusCode::kInternal, "memory store: session exists");
  }
  return Status::Ok();
}

Result<std::optional<Session>> MemoryStore::FindSession(const std::string& token_hash) {
  if (db_->fail) return Down();
  std::lock_guard<std::mutex> lock(db_->mu_);
  auto it = db_->sessions_.find(token_hash);
  if (it == db_->sessions_.end()) return std::optional<Session>();
  return std::optional<Session>(it->second);
}

Status MemoryStore::DeleteSession(const std::string& token_hash) {
  if (db_->fail) return Down();
  std::lock_guard<std::mutex> lock(db_->mu_);
  db_->sessions_.erase(token_hash);
  return Status::Ok();
}

Status MemoryStore::PruneAuth(int64_t sessions_before, int64_t shares_before) {
  if (db_->fail) return Down();
  std::lock_guard<std::mutex> lock(db_->mu_);
  for (auto it = db_->sessions_.begin(); it != db_->sessions_.end();) {
    it = it->second.expires < sessions_before ? db_->sessions_.erase(it) : std::next(it);
  }
  auto& s = db_->shares_;
  s.erase(std::remove_if(s.begin(), s.end(),
                         [&](const Share& share) { return share.expires < shares_before; }),
          s.end());
  return Status::Ok();
}

Status MemoryStore::Ping() { return db_->fail ? Down() : Status::Ok(); }

StoreFactory MemoryStoreFactory(std::shared_ptr<MemoryDatabase> db) {
  return [db]() -> Result<std::unique_ptr<Store>> {
    return std::unique_ptr<Store>(std::make_unique<MemoryStore>(db));
  };
}

}  // namespace nazar::collector::testing
