// The embedded store: one SQLite file in WAL mode with synchronous=FULL, so a commit that
// returns is on disk. Writers serialize on BEGIN IMMEDIATE (busy_timeout waits for the lock).
#include <sqlite3.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "store_internal.h"

namespace nazar::collector {
namespace {

// How long a writer waits for another connection's write lock before giving up.
constexpr int kBusyTimeoutMs = 10000;

// A cached statement in use: reset and unbound when the scope ends, so the cache stays clean.
class Bound {
 public:
  explicit Bound(sqlite3_stmt* stmt) : stmt_(stmt) {}
  ~Bound() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  Bound(const Bound&) = delete;
  Bound& operator=(const Bound&) = delete;

  void Text(int i, const std::string& v) {
    sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  }
  void Int(int i, int64_t v) { sqlite3_bind_int64(stmt_, i, v); }
  int Step() { return sqlite3_step(stmt_); }
  std::string ColumnText(int i) {
    const unsigned char* p = sqlite3_column_text(stmt_, i);
    return p ? std::string(reinterpret_cast<const char*>(p),
                           static_cast<size_t>(sqlite3_column_bytes(stmt_, i)))
             : std::string();
  }
  int64_t ColumnInt(int i) { return sqlite3_column_int64(stmt_, i); }

 private:
  sqlite3_stmt* stmt_;
};

class SqliteStore final : public Store, public internal::BackupSource {
 public:
  SqliteStore(std::string path, sqlite3* db) : path_(std::move(path)), db_(db) {}
  ~SqliteStore() override {
    for (auto& entry : cache_) sqlite3_finalize(entry.second);
    sqlite3_close_v2(db_);
  }

  const char* Kind() const override { return "sqlite"; }

  Status Migrate() override {
    return internal::Guarded("migrate", [&]() -> Status { return DoMigrate(); });
  }

  Result<std::vector<bool>> Commit(const std::vector<Ingest>& items) override {
    return internal::Guarded("commit", [&]() -> Result<std::vector<bool>> {
      if (Status s = Exec("BEGIN IMMEDIATE"); !s.ok()) return s;
      Result<std::vector<bool>> result = CommitInTransaction(items);
      if (!result.ok()) {
        Rollback();
        return result;
      }
      if (Status s = Exec("COMMIT"); !s.ok()) {
        Rollback();
        return s;
      }
      return result;
    });
  }

  Result<std::vector<TotalsRow>> Totals(const std::string& survey, int64_t from_day,
                                        int64_t to_day) override {
    return internal::Guarded("totals", [&]() -> Result<std::vector<TotalsRow>> {
      sqlite3_stmt* stmt = nullptr;
      if (Status s =
              PrepareSurveyDays("SELECT site, version, day, locale, counter, value FROM totals "
                                "WHERE survey = ?1 AND day >= ?2 AND day <= ?3",
                                survey, from_day, to_day, &stmt);
          !s.ok()) {
        return s;
      }
      Bound q(stmt);
      std::map<TotalsKey, std::map<std::string, int64_t>> rows;
      int rc;
      while ((rc = q.Step()) == SQLITE_ROW) {
        TotalsKey key{q.ColumnText(0), survey, q.ColumnText(1), q.ColumnInt(2), q.ColumnText(3)};
        rows[key][q.ColumnText(4)] += q.ColumnInt(5);
      }
      if (rc != SQLITE_DONE) return Error("read totals");
      std::vector<TotalsRow> out;
      out.reserve(rows.size());
      for (auto& [key, counters] : rows) {
        TotalsRow row{key, {}};
        for (auto& [name, value] : counters) row.counters.push_back({name, value});
        out.push_back(std::move(row));
      }
      return out;
    });
  }

  Status PutSurvey(const SurveyVersion& survey) override {
    return internal::Guarded("put survey", [&]() -> Status {
      sqlite3_stmt* insert = nullptr;
      if (Status s = Prepare("INSERT INTO surveys (id, version, definition) VALUES (?1, ?2, ?3) "
                             "ON CONFLICT (id, version) DO NOTHING",
                             &insert);
          !s.ok()) {
        return s;
      }
      {
        Bound q(insert);
        q.Text(1, survey.id);
        q.Text(2, survey.version);
        q.Text(3, survey.definition);
        if (q.Step() != SQLITE_DONE) return Error("register survey " + survey.id);
        if (sqlite3_changes(db_) == 1) return Status::Ok();
      }
      // Registered before: a version never changes, so its text must be the same.
      sqlite3_stmt* select = nullptr;
      if (Status s =
              Prepare("SELECT definition FROM surveys WHERE id = ?1 AND version = ?2", &select);
          !s.ok()) {
        return s;
      }
      Bound q(select);
      q.Text(1, survey.id);
      q.Text(2, survey.version);
      if (q.Step() != SQLITE_ROW) return Error("read survey " + survey.id);
      if (q.ColumnText(0) != survey.definition) return ConflictingVersion(survey);
      return Status::Ok();
    });
  }

  Result<std::vector<SurveyVersion>> Surveys() override {
    return internal::Guarded("surveys", [&]() -> Result<std::vector<SurveyVersion>> {
      sqlite3_stmt* stmt = nullptr;
      if (Status s = Prepare("SELECT id, version, definition FROM surveys ORDER BY seq", &stmt);
          !s.ok()) {
        return s;
      }
      Bound q(stmt);
      std::vector<SurveyVersion> out;
      int rc;
      while ((rc = q.Step()) == SQLITE_ROW) {
        out.push_back({q.ColumnText(0), q.ColumnText(1), q.ColumnText(2)});
      }
      if (rc != SQLITE_DONE) return Error("read surveys");
      // By id (byte order, as in both stores), registration order within an id.
      std::stable_sort(out.begin(), out.end(),
                       [](const SurveyVersion& a, const SurveyVersion& b) { return a.id < b.id; });
      return out;
    });
  }

  Result<std::vector<StoredComment>> Comments(const std::string& survey, int64_t from_day,
                                              int64_t to_day) override {
    return internal::Guarded("comments", [&]() -> Result<std::vector<StoredComment>> {
      sqlite3_stmt* stmt = nullptr;
      if (Status s =
              PrepareSurveyDays("SELECT version, day, locale, question, grp, text FROM comments "
                                "WHERE survey = ?1 AND day >= ?2 AND day <= ?3 ORDER BY rowid",
                                survey, from_day, to_day, &stmt);
          !s.ok()) {
        return s;
      }
      Bound q(stmt);
      std::vector<StoredComment> out;
      int rc;
      while ((rc = q.Step()) == SQLITE_ROW) {
        out.push_back({survey, q.ColumnText(0), q.ColumnInt(1), q.ColumnText(2), q.ColumnText(3),
                       q.ColumnText(4), q.ColumnText(5)});
      }
      if (rc != SQLITE_DONE) return Error("read comments");
      return out;
    });
  }

  Status Prune(int64_t batches_before_day, int64_t comments_before_day) override {
    return DeleteTwo("DELETE FROM batches WHERE day < ?1", batches_before_day,
                     "DELETE FROM comments WHERE day < ?1", comments_before_day);
  }

  Status PutShare(const Share& share) override {
    return internal::Guarded("put share", [&]() -> Status {
      sqlite3_stmt* stmt = nullptr;
      if (Status s = Prepare("INSERT INTO shares (id, survey, token_hash, comments, created, "
                             "expires, revoked) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                             &stmt);
          !s.ok()) {
        return s;
      }
      Bound q(stmt);
      q.Text(1, share.id);
      q.Text(2, share.survey);
      q.Text(3, share.token_hash);
      q.Int(4, share.comments ? 1 : 0);
      q.Int(5, share.created);
      q.Int(6, share.expires);
      q.Int(7, share.revoked);
      const int rc = q.Step();
      if (rc == SQLITE_DONE) return Status::Ok();
      if ((rc & 0xff) == SQLITE_CONSTRAINT) {  // extended codes are on: the primary is the low byte
        return Status(StatusCode::kFailedPrecondition, "share " + share.id + " exists");
      }
      return Error("add share " + share.id);
    });
  }

  Result<std::vector<Share>> Shares() override {
    return internal::Guarded("shares", [&]() -> Result<std::vector<Share>> {
      return ReadShares(NAZAR_SELECT_SHARES " FROM shares ORDER BY created DESC, id DESC", "");
    });
  }

  Result<std::optional<Share>> FindShare(const std::string& token_hash) override {
    return internal::Guarded("find share", [&]() -> Result<std::optional<Share>> {
      Result<std::vector<Share>> found =
          ReadShares(NAZAR_SELECT_SHARES " FROM shares WHERE token_hash = ?1", token_hash);
      if (!found.ok()) return found.status();
      if (found->empty()) return std::optional<Share>();
      return std::optional<Share>(found->front());
    });
  }

  Result<bool> RevokeShare(const std::string& id, int64_t now) override {
    return internal::Guarded("revoke share", [&]() -> Result<bool> {
      sqlite3_stmt* stmt = nullptr;
      if (Status s = Prepare("UPDATE shares SET revoked = CASE WHEN revoked = 0 THEN ?2 ELSE "
                             "revoked END WHERE id = ?1",
                             &stmt);
          !s.ok()) {
        return s;
      }
      Bound q(stmt);
      q.Text(1, id);
      q.Int(2, now);
      if (q.Step() != SQLITE_DONE) return Error("revoke share " + id);
      return sqlite3_changes(db_) == 1;
    });
  }

  Status PutSession(const Session& session) override {
    return internal::Guarded("put session", [&]() -> Status {
      sqlite3_stmt* stmt = nullptr;
      if (Status s = Prepare("INSERT INTO sessions (token_hash, key_id, created, expires) "
                             "VALUES (?1, ?2, ?3, ?4)",
                             &stmt);
          !s.ok()) {
        return s;
      }
      Bound q(stmt);
      q.Text(1, session.token_hash);
      q.Text(2, session.key_id);
      q.Int(3, session.created);
      q.Int(4, session.expires);
      if (q.Step() != SQLITE_DONE) return Error("add session");
      return Status::Ok();
    });
  }

  Result<std::optional<Session>> FindSession(const std::string& token_hash) override {
    return internal::Guarded("find session", [&]() -> Result<std::optional<Session>> {
      sqlite3_stmt* stmt = nullptr;
      if (Status s =
              Prepare("SELECT key_id, created, expires FROM sessions WHERE token_hash = ?1", &stmt);
          !s.ok()) {
        return s;
      }
      Bound q(stmt);
      q.Text(1, token_hash);
      const int rc = q.Step();
      if (rc == SQLITE_DONE) return std::optional<Session>();
      if (rc != SQLITE_ROW) return Error("read session");
      return std::optional<Session>(
          Session{token_hash, q.ColumnText(0), q.ColumnInt(1), q.ColumnInt(2)});
    });
  }

  Status DeleteSession(const std::string& token_hash) override {
    return internal::Guarded("delete session", [&]() -> Status {
      sqlite3_stmt* stmt = nullptr;
      if (Status s = Prepare("DELETE FROM sessions WHERE token_hash = ?1", &stmt); !s.ok()) {
        return s;
      }
      Bound q(stmt);
      q.Text(1, token_hash);
      if (q.Step() != SQLITE_DONE) return Error("delete session");
      return Status::Ok();
    });
  }

  Status PruneAuth(int64_t sessions_before, int64_t shares_before) override {
    return DeleteTwo("DELETE FROM sessions WHERE expires < ?1", sessions_before,
                     "DELETE FROM shares WHERE expires < ?1", shares_before);
  }

  // SQLite's online backup: a page-by-page copy of one consistent snapshot (WAL readers do
  // not block the writer meanwhile); then the copy's sessions are deleted (never copied).
  Status BackupTo(const std::string& path) override {
    sqlite3* copy = nullptr;
    if (sqlite3_open_v2(path.c_str(), &copy, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) !=
        SQLITE_OK) {
      std::string message = copy ? sqlite3_errmsg(copy) : "out of memory";
      sqlite3_close_v2(copy);
      return Status(StatusCode::kFailedPrecondition, "backup " + path + ": " + message);
    }
    sqlite3_backup* backup = sqlite3_backup_init(copy, "main", db_, "main");
    int rc = backup ? sqlite3_backup_step(backup, -1) : SQLITE_ERROR;
    if (backup) sqlite3_backup_finish(backup);
    std::string message = rc == SQLITE_DONE ? "" : sqlite3_errmsg(copy);
    // A file not yet migrated to version 2 has no sessions table, and no sessions.
    if (message.empty() &&
        sqlite3_table_column_metadata(copy, "main", "sessions", nullptr, nullptr, nullptr, nullptr,
                                      nullptr, nullptr) == SQLITE_OK &&
        sqlite3_exec(copy, "DELETE FROM sessions", nullptr, nullptr, nullptr) != SQLITE_OK) {
      message = sqlite3_errmsg(copy);
    }
    if (sqlite3_close_v2(copy) != SQLITE_OK && message.empty()) message = "close failed";
    if (!message.empty()) {
      return Status(StatusCode::kInternal, "backup " + path + " of " + path_ + ": " + message);
    }
    return Status::Ok();
  }

  // Every table in one read transaction (one WAL snapshot), row by row.
  Status CopyTo(internal::BackupWriter& writer) override {
    return internal::Guarded("copy", [&]() -> Status {
      if (Status s = Exec("BEGIN"); !s.ok()) return s;
      Status s = CopyRows(writer);
      if (s.ok()) s = Exec("COMMIT");
      if (!s.ok()) Rollback();
      return s;
    });
  }

  Status Ping() override {
    return internal::Guarded("ping", [&]() -> Status {
      sqlite3_stmt* stmt = nullptr;
      if (Status s = Prepare("SELECT 1", &stmt); !s.ok()) return s;
      Bound q(stmt);
      if (q.Step() != SQLITE_ROW) return Error("ping");
      return Status::Ok();
    });
  }

 private:
  // A failure of the last call on db_, saying where: the error code and SQLite's fixed text for
  // it, never sqlite3_errmsg, which may quote data (a trigger's or a function's message) and ends
  // in the log (Contract 5: logs carry no body).
  Status Error(const std::string& what) const {
    const int code = sqlite3_extended_errcode(db_);
    return Status(StatusCode::kInternal, "sqlite " + path_ + ": " + what + ": error " +
                                             std::to_string(code) + " (" + sqlite3_errstr(code) +
                                             ")");
  }

  Status ConflictingVersion(const SurveyVersion& survey) const {
    return Status(StatusCode::kFailedPrecondition,
                  "survey " + survey.id + " version " + survey.version +
                      " is already registered with a different definition: a version never "
                      "changes, give the new definition a new version");
  }

  Status Exec(const char* sql) {
    char* message = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &message) != SQLITE_OK) {
      std::string text = message ? message : sqlite3_errmsg(db_);
      sqlite3_free(message);
      return Status(StatusCode::kInternal, "sqlite " + path_ + ": " + text);
    }
    return Status::Ok();
  }

  void Rollback() {
    if (!sqlite3_get_autocommit(db_)) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  }

  // The cached statement for `sql` (one per distinct text, for the Store's lifetime).
  // Prepares a read of one survey's days, `sql` taking ?1 survey, ?2 first and ?3 last day, and
  // binds them (the caller's Bound resets the statement).
  Status PrepareSurveyDays(const char* sql, const std::string& survey, int64_t from_day,
                           int64_t to_day, sqlite3_stmt** out) {
    if (Status s = Prepare(sql, out); !s.ok()) return s;
    sqlite3_bind_text(*out, 1, survey.data(), static_cast<int>(survey.size()), SQLITE_TRANSIENT);
    sqlite3_bind_int64(*out, 2, from_day);
    sqlite3_bind_int64(*out, 3, to_day);
    return Status::Ok();
  }

  Status Prepare(const char* sql, sqlite3_stmt** out) {
    auto it = cache_.find(sql);
    if (it != cache_.end()) {
      *out = it->second;
      return Status::Ok();
    }
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) != SQLITE_OK) {
      return Error(std::string("prepare \"") + sql + "\"");
    }
    cache_.emplace(sql, stmt);
    *out = stmt;
    return Status::Ok();
  }

  // Shares read by `sql` (NAZAR_SELECT_SHARES), with ?1 bound to `key` when it is not empty.
  Result<std::vector<Share>> ReadShares(const char* sql, const std::string& key) {
    sqlite3_stmt* stmt = nullptr;
    if (Status s = Prepare(sql, &stmt); !s.ok()) return s;
    Bound q(stmt);
    if (!key.empty()) q.Text(1, key);
    std::vector<Share> out;
    int rc;
    while ((rc = q.Step()) == SQLITE_ROW) {
      out.push_back(Share{q.ColumnText(0), q.ColumnText(1), q.ColumnText(2), q.ColumnInt(3) != 0,
                          q.ColumnInt(4), q.ColumnInt(5), q.ColumnInt(6)});
    }
    if (rc != SQLITE_DONE) return Error("read shares");
    return out;
  }

  Status CopyRows(internal::BackupWriter& writer) {
    Result<int> version = CurrentVersion();
    if (!version.ok()) return version.status();
    if (*version != SchemaVersion()) {
      return Status(StatusCode::kFailedPrecondition,
                    "sqlite " + path_ + " has schema version " + std::to_string(*version) +
                        ", this binary copies version " + std::to_string(SchemaVersion()) +
                        (*version < SchemaVersion()
                             ? ": start this binary's collector on it once to migrate it"
                             : ": use a nazar-collector at least as new as the one that last "
                               "migrated it"));
    }
    for (internal::Table table : internal::kTables) {
      std::string sql = std::string("SELECT ") + internal::BackupColumns(table) + " FROM " +
                        internal::TableName(table);
      if (table == internal::Table::kSurveys) sql += " ORDER BY seq";
      if (table == internal::Table::kComments) sql += " ORDER BY rowid";
      sqlite3_stmt* stmt = nullptr;
      if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
        return Error(std::string("copy ") + internal::TableName(table));
      }
      Status status;
      std::vector<std::string> row(internal::BackupColumnCount(table));
      int rc = SQLITE_ROW;
      while (status.ok() && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        for (size_t c = 0; c < row.size(); ++c) {
          const int i = static_cast<int>(c);
          const unsigned char* p = sqlite3_column_text(stmt, i);
          row[c].assign(p ? reinterpret_cast<const char*>(p) : "",
                        p ? static_cast<size_t>(sqlite3_column_bytes(stmt, i)) : 0);
        }
        status = writer.Add(table, row);
      }
      if (status.ok() && rc != SQLITE_DONE) {
        status = Error(std::string("copy ") + internal::TableName(table));
      }
      sqlite3_finalize(stmt);
      if (!status.ok()) return status;
    }
    return Status::Ok();
  }

  // The prunes: two deletes, each taking ?1, in one transaction.
  Status DeleteTwo(const char* first, int64_t first_arg, const char* second, int64_t second_arg) {
    return internal::Guarded("prune", [&]() -> Status {
      if (Status s = Exec("BEGIN IMMEDIATE"); !s.ok()) return s;
      Status s = DeleteBefore(first, first_arg);
      if (s.ok()) s = DeleteBefore(second, second_arg);
      if (s.ok()) s = Exec("COMMIT");
      if (!s.ok()) Rollback();
      return s;
    });
  }

  Status DeleteBefore(const char* sql, int64_t day) {
    sqlite3_stmt* stmt = nullptr;
    if (Status s = Prepare(sql, &stmt); !s.ok()) return s;
    Bound q(stmt);
    q.Int(1, day);
    if (q.Step() != SQLITE_DONE) return Error("prune");
    return Status::Ok();
  }

  // The schema version recorded in the file, 0 for a new one.
  Result<int> CurrentVersion() {
    if (Status s = Exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
        !s.ok()) {
      return s;
    }
    sqlite3_stmt* stmt = nullptr;
    if (Status s = Prepare("SELECT max(version) FROM schema_version", &stmt); !s.ok()) return s;
    Bound q(stmt);
    if (q.Step() != SQLITE_ROW) return Error("read schema_version");
    return static_cast<int>(q.ColumnInt(0));  // NULL (no row) reads as 0
  }

  Status DoMigrate() {
    const auto& migrations = internal::Migrations();
    for (;;) {
      // Each step in its own write transaction, the version re-read under the lock, so two
      // processes migrating the same file at once apply every step exactly once.
      if (Status s = Exec("BEGIN IMMEDIATE"); !s.ok()) return s;
      Result<int> current = CurrentVersion();
      if (!current.ok()) {
        Rollback();
        return current.status();
      }
      if (*current > SchemaVersion()) {
        Rollback();
        return Status(StatusCode::kFailedPrecondition,
                      internal::NewerSchemaMessage("sqlite " + path_, *current));
      }
      if (*current == SchemaVersion()) return Exec("COMMIT");
      Status s = Exec(migrations[static_cast<size_t>(*current)].sqlite);
      if (s.ok()) {
        s = Exec("DELETE FROM schema_version");
      }
      if (s.ok()) {
        std::string record =
            "INSERT INTO schema_version (version) VALUES (" + std::to_string(*current + 1) + ")";
        s = Exec(record.c_str());
      }
      if (s.ok()) s = Exec("COMMIT");
      if (!s.ok()) {
        Rollback();
        return Status(s.code(), "migration " + std::to_string(*current + 1) + ": " + s.message());
      }
    }
  }

  Result<std::vector<bool>> CommitInTransaction(const std::vector<Ingest>& items) {
    sqlite3_stmt* insert_batch = nullptr;
    if (Status s =
            Prepare("INSERT OR IGNORE INTO batches (batch, day) VALUES (?1, ?2)", &insert_batch);
        !s.ok()) {
      return s;
    }
    std::vector<bool> duplicate(items.size(), false);
    // The amounts of every new item, summed per (row, counter) before anything is written.
    std::map<std::pair<TotalsKey, std::string>, int64_t> sums;
    std::vector<const StoredComment*> comments;
    for (size_t i = 0; i < items.size(); ++i) {
      const Ingest& item = items[i];
      {
        Bound q(insert_batch);
        q.Text(1, item.batch);
        q.Int(2, item.day);
        if (q.Step() != SQLITE_DONE) return Error("record a batch id");
      }
      // No change: the id is in the store already, or earlier in `items` (inserted above).
      if (sqlite3_changes(db_) == 0) {
        duplicate[i] = true;
        continue;
      }
      for (const Counter& c : item.counters) sums[{item.key, c.name}] += c.value;
      for (const StoredComment& c : item.comments) comments.push_back(&c);
    }

    sqlite3_stmt* upsert = nullptr;
    if (Status s =
            Prepare("INSERT INTO totals (site, survey, version, day, locale, counter, value) "
                    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) "
                    "ON CONFLICT (survey, day, version, site, locale, counter) "
                    "DO UPDATE SET value = value + excluded.value",
                    &upsert);
        !s.ok()) {
      return s;
    }
    for (const auto& [row, value] : sums) {
      const TotalsKey& key = row.first;
      Bound q(upsert);
      q.Text(1, key.site);
      q.Text(2, key.survey);
      q.Text(3, key.version);
      q.Int(4, key.day);
      q.Text(5, key.locale);
      q.Text(6, row.second);
      q.Int(7, value);
      if (q.Step() != SQLITE_DONE) return Error("add totals of " + key.survey);
    }

    if (!comments.empty()) {
      sqlite3_stmt* insert_comment = nullptr;
      if (Status s =
              Prepare("INSERT INTO comments (survey, version, day, locale, question, grp, text) "
                      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                      &insert_comment);
          !s.ok()) {
        return s;
      }
      for (const StoredComment* c : comments) {
        Bound q(insert_comment);
        q.Text(1, c->survey);
        q.Text(2, c->version);
        q.Int(3, c->day);
        q.Text(4, c->locale);
        q.Text(5, c->question);
        q.Text(6, c->group);
        q.Text(7, c->text);
        if (q.Step() != SQLITE_DONE) return Error("store comment of " + c->survey);
      }
    }
    return duplicate;
  }

  std::string path_;
  sqlite3* db_;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
};

// The SQLite file a backup of another store fills (BackupWriter).
class BackupFile final : public internal::BackupWriter {
 public:
  BackupFile(std::string path, sqlite3* db) : path_(std::move(path)), db_(db) {}
  ~BackupFile() override {
    for (sqlite3_stmt* stmt : inserts_) sqlite3_finalize(stmt);
    if (db_) sqlite3_close_v2(db_);  // an unfinished transaction rolls back
  }

  // The current schema and an open transaction with one insert per table.
  Status Start() {
    std::string schema = "CREATE TABLE schema_version (version INTEGER NOT NULL);";
    for (const internal::Migration& m : internal::Migrations()) schema += m.sqlite;
    schema +=
        "INSERT INTO schema_version (version) VALUES (" + std::to_string(SchemaVersion()) + ");";
    if (Status s = Exec("PRAGMA journal_mode=WAL"); !s.ok()) return s;
    if (Status s = Exec("BEGIN"); !s.ok()) return s;
    if (Status s = Exec(schema.c_str()); !s.ok()) return s;
    for (internal::Table table : internal::kTables) {
      std::string sql = std::string("INSERT INTO ") + internal::TableName(table) + " (" +
                        internal::BackupColumns(table) + ") VALUES (";
      for (size_t i = 0; i < internal::BackupColumnCount(table); ++i) sql += i ? ", ?" : "?";
      sql += ")";
      sqlite3_stmt* stmt = nullptr;
      if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
        return Error("prepare");
      }
      inserts_.push_back(stmt);
    }
    return Status::Ok();
  }

  Status Add(internal::Table table, const std::vector<std::string>& row) override {
    size_t index = static_cast<size_t>(table);
    if (row.size() != internal::BackupColumnCount(table)) {
      return Status(StatusCode::kInternal, std::string("backup: a row of ") +
                                               internal::TableName(table) + " with " +
                                               std::to_string(row.size()) + " columns");
    }
    Bound q(inserts_[index]);
    for (size_t i = 0; i < row.size(); ++i) q.Text(static_cast<int>(i + 1), row[i]);
    if (q.Step() != SQLITE_DONE) {
      return Error(std::string("copy a row of ") + internal::TableName(table));
    }
    return Status::Ok();
  }

  Status Finish() override {
    if (Status s = Exec("COMMIT"); !s.ok()) return s;
    for (sqlite3_stmt* stmt : inserts_) sqlite3_finalize(stmt);
    inserts_.clear();
    int rc = sqlite3_close_v2(db_);
    db_ = nullptr;
    if (rc != SQLITE_OK) return Status(StatusCode::kInternal, "backup " + path_ + ": close failed");
    return Status::Ok();
  }

 private:
  Status Error(const std::string& what) const {
    return Status(StatusCode::kInternal,
                  "backup " + path_ + ": " + what + ": " + sqlite3_errmsg(db_));
  }

  Status Exec(const char* sql) {
    char* message = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &message) != SQLITE_OK) {
      std::string text = message ? message : sqlite3_errmsg(db_);
      sqlite3_free(message);
      return Status(StatusCode::kInternal, "backup " + path_ + ": " + text);
    }
    return Status::Ok();
  }

  std::string path_;
  sqlite3* db_;
  std::vector<sqlite3_stmt*> inserts_;  // by Table
};

}  // namespace

namespace internal {

Result<std::unique_ptr<BackupWriter>> CreateBackupFile(const std::string& path) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) !=
      SQLITE_OK) {
    std::string message = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close_v2(db);
    return Status(StatusCode::kFailedPrecondition, "backup " + path + ": " + message);
  }
  auto file = std::make_unique<BackupFile>(path, db);
  if (Status s = file->Start(); !s.ok()) return s;
  return std::unique_ptr<BackupWriter>(std::move(file));
}

Result<std::unique_ptr<Store>> OpenSqlite(const std::string& path) {
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close_v2(db);
    return Status(StatusCode::kFailedPrecondition,
                  "cannot open " + path + ": " + message +
                      " (does its folder exist, and may this user write there?)");
  }
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, kBusyTimeoutMs);
  auto fail = [&](const std::string& what) -> Status {
    std::string message = sqlite3_errmsg(db);
    sqlite3_close_v2(db);
    return Status(StatusCode::kFailedPrecondition, "cannot open " + path + ": " + what + message);
  };
  // journal_mode answers the mode in force: anything but "wal" means the file cannot do WAL
  // (read-only, or a file system without shared memory), and durability would differ.
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, "PRAGMA journal_mode=WAL", -1, &stmt, nullptr) != SQLITE_OK) {
    return fail("");
  }
  rc = sqlite3_step(stmt);
  std::string mode;
  if (rc == SQLITE_ROW) {
    const unsigned char* text = sqlite3_column_text(stmt, 0);
    mode = text ? reinterpret_cast<const char*>(text) : "";
  }
  sqlite3_finalize(stmt);
  if (rc != SQLITE_ROW) return fail("");
  if (mode != "wal") {
    sqlite3_close_v2(db);
    return Status(StatusCode::kFailedPrecondition,
                  "cannot open " + path + ": WAL journal mode refused (mode is \"" + mode +
                      "\"; is the file or its folder read-only?)");
  }
  // FULL: a commit is fsynced before it returns (the collector acknowledges only then).
  if (sqlite3_exec(db, "PRAGMA synchronous=FULL", nullptr, nullptr, nullptr) != SQLITE_OK) {
    return fail("");
  }
  return std::unique_ptr<Store>(new SqliteStore(path, db));
}

}  // namespace internal
}  // namespace nazar::collector
