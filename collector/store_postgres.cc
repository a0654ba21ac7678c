// The production store: PostgreSQL through plain libpq. Every write is one transaction under
// READ COMMITTED with synchronous_commit on; the batch primary key decides which of two
// concurrent commits adds a batch, and rows are written in one global order (batch ids, then
// totals keys) so two processes never deadlock. A dropped connection is re-opened on the next
// call, so the collector recovers by itself when the server comes back.
#include <libpq-fe.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_set>
#include <utility>

#include "store_internal.h"

namespace nazar::collector {
namespace {

// The advisory lock every migrating process takes, so two starting at once do not race: the
// bytes "nazar-mi" read as an integer.
constexpr const char* kMigrationLock = "7953763360373631849";
// How often a commit is tried: again after PostgreSQL aborted it as a deadlock victim or a
// serialization failure (not expected with the ordered writes; a safety net), or when the
// connection dropped (the batch ids settle whether a commit whose answer was lost went in).
constexpr int kCommitAttempts = 3;

// The statement of a group commit (PostgresStore::CommitOnce), prepared once per session. The
// ids go in first, in the order given; `added` and `noted` read the ids it inserted through an
// aggregate (an InitPlan, run once and to the end before their first row), so every batch row
// is locked before any totals row, and the totals rows in the byte order of their keys. `told`
// notifies nazar_totals once per survey whose completions grew ("<survey>:<count>", delivered
// at commit); the final cross join with its count makes it run.
constexpr const char* kCommitName = "nazar_commit";
constexpr int kCommitParams = 18;
constexpr const char* kCommitSql =
    "WITH fresh AS ("
    " INSERT INTO batches (batch, day)"
    " SELECT b, d FROM unnest($1::text[], $2::bigint[]) WITH ORDINALITY AS t (b, d, n)"
    " ORDER BY n ON CONFLICT (batch) DO NOTHING RETURNING batch),"
    " added AS ("
    " INSERT INTO totals (site, survey, version, day, locale, counter, value)"
    " SELECT s, v, ve, d, l, c, sum(x)::bigint FROM unnest($3::text[], $4::text[],"
    " $5::text[], $6::text[], $7::bigint[], $8::text[], $9::text[], $10::bigint[])"
    " AS t (b, s, v, ve, d, l, c, x)"
    " WHERE b = ANY ((SELECT array_agg(batch) FROM fresh)::text[])"
    " GROUP BY s, v, ve, d, l, c"
    " ORDER BY s COLLATE \"C\", v COLLATE \"C\", ve COLLATE \"C\", d, l COLLATE \"C\","
    " c COLLATE \"C\""
    " ON CONFLICT (survey, day, version, site, locale, counter)"
    " DO UPDATE SET value = totals.value + excluded.value),"
    " noted AS ("
    " INSERT INTO comments (survey, version, day, locale, question, grp, text)"
    " SELECT s, v, d, l, q, g, x FROM unnest($11::text[], $12::text[], $13::text[],"
    " $14::bigint[], $15::text[], $16::text[], $17::text[], $18::text[]) WITH ORDINALITY"
    " AS t (b, s, v, d, l, q, g, x, n)"
    " WHERE b = ANY ((SELECT array_agg(batch) FROM fresh)::text[]) ORDER BY n),"
    " told AS ("
    " SELECT pg_notify('nazar_totals', s || ':' || sum(x)::text)"
    " FROM unnest($3::text[], $5::text[], $9::text[], $10::bigint[]) AS t (b, s, c, x)"
    " WHERE c = 'completions' AND b = ANY ((SELECT array_agg(batch) FROM fresh)::text[])"
    " GROUP BY s HAVING sum(x) > 0)"
    " SELECT batch FROM fresh CROSS JOIN (SELECT count(*) FROM told) AS notified";

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using PgResult = std::unique_ptr<PGresult, ResultDeleter>;

// PostgreSQL's text form of a text[] parameter: {"a","b"} with " and \ escaped.
std::string TextArray(const std::vector<const std::string*>& values) {
  std::string out = "{";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i) out += ',';
    out += '"';
    for (char c : *values[i]) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  out += '}';
  return out;
}

// The text form of a bigint[] parameter.
std::string IntArray(const std::vector<int64_t>& values) {
  std::string out = "{";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i) out += ',';
    out += std::to_string(values[i]);
  }
  out += '}';
  return out;
}

// The start of a statement, for error messages (a migration is pages long).
std::string Head(const char* sql) {
  std::string head(sql, std::min<size_t>(std::char_traits<char>::length(sql), 48));
  return head.size() < std::char_traits<char>::length(sql) ? head + "..." : head;
}

class PostgresTarget;

class PostgresStore final : public Store, public internal::BackupSource {
 public:
  PostgresStore(std::string url, PGconn* conn)
      : url_(std::move(url)), conn_(conn), backend_pid_(PQbackendPID(conn)) {}
  ~PostgresStore() override { PQfinish(conn_); }

  const char* Kind() const override { return "postgresql"; }

  // Settings every session needs, again after a reconnection.
  Status SetUpSession() {
    PQsetNoticeProcessor(
        conn_, [](void*, const char*) {}, nullptr);  // no NOTICE lines on stderr
    if (PQsetClientEncoding(conn_, "UTF8") != 0) return Error("set client encoding");
    // Durable when COMMIT returns, whatever the server's default says.
    return Exec("SET synchronous_commit = on", {}, PGRES_COMMAND_OK).status();
  }

  Status Migrate() override {
    return internal::Guarded(
        "migrate", [&]() -> Status { return Idempotent([&]() -> Status { return DoMigrate(); }); });
  }

  Result<std::vector<bool>> Commit(const std::vector<Ingest>& items) override {
    return internal::Guarded("commit", [&]() -> Result<std::vector<bool>> {
      for (int attempt = 1;; ++attempt) {
        if (Status s = Connected(); !s.ok()) return s;
        bool retry = false;
        Result<std::vector<bool>> result = CommitOnce(items, &retry);
        if (result.ok() || !retry || attempt == kCommitAttempts) return result;
      }
    });
  }

  Result<std::vector<TotalsRow>> Totals(const std::string& survey, int64_t from_day,
                                        int64_t to_day) override {
    return internal::Guarded("totals", [&]() -> Result<std::vector<TotalsRow>> {
      return Idempotent([&]() -> Result<std::vector<TotalsRow>> {
        Result<PgResult> r = Exec(
            "SELECT site, version, day, locale, counter, value FROM totals "
            "WHERE survey = $1 AND day >= $2 AND day <= $3",
            {survey, std::to_string(from_day), std::to_string(to_day)}, PGRES_TUPLES_OK);
        if (!r.ok()) return r.status();
        PGresult* res = r->get();
        std::map<TotalsKey, std::map<std::string, int64_t>> rows;
        for (int i = 0; i < PQntuples(res); ++i) {
          TotalsKey key{Text(res, i, 0), survey, Text(res, i, 1), Int(res, i, 2), Text(res, i, 3)};
          rows[key][Text(res, i, 4)] += Int(res, i, 5);
        }
        std::vector<TotalsRow> out;
        out.reserve(rows.size());
        for (auto& [key, counters] : rows) {
          TotalsRow row{key, {}};
          for (auto& [name, value] : counters) row.counters.push_back({name, value});
          out.push_back(std::move(row));
        }
        return out;
      });
    });
  }

  Status PutSurvey(const SurveyVersion& survey) override {
    return internal::Guarded("put survey", [&]() -> Status {
      return Idempotent([&]() -> Status {
        Result<PgResult> inserted = Exec(
            "INSERT INTO surveys (id, version, definition) VALUES ($1, $2, $3) "
            "ON CONFLICT (id, version) DO NOTHING RETURNING seq",
            {survey.id, survey.version, survey.definition}, PGRES_TUPLES_OK);
        if (!inserted.ok()) return inserted.status();
        if (PQntuples(inserted->get()) == 1) return Status::Ok();
        // Registered before: a version never changes, so its text must be the same.
        Result<PgResult> existing =
            Exec("SELECT definition FROM surveys WHERE id = $1 AND version = $2",
                 {survey.id, survey.version}, PGRES_TUPLES_OK);
        if (!existing.ok()) return existing.status();
        if (PQntuples(existing->get()) != 1) {
          return Status(StatusCode::kInternal, "postgresql: survey " + survey.id + " version " +
                                                   survey.version + " vanished while registering");
        }
        if (Text(existing->get(), 0, 0) != survey.definition) {
          return Status(StatusCode::kFailedPrecondition,
                        "survey " + survey.id + " version " + survey.version +
                            " is already registered with a different definition: a version never "
                            "changes, give the new definition a new version");
        }
        return Status::Ok();
      });
    });
  }

  Result<std::vector<SurveyVersion>> Surveys() override {
    return internal::Guarded("surveys", [&]() -> Result<std::vector<SurveyVersion>> {
      return Idempotent([&]() -> Result<std::vector<SurveyVersion>> {
        Result<PgResult> r =
            Exec("SELECT id, version, definition FROM surveys ORDER BY seq", {}, PGRES_TUPLES_OK);
        if (!r.ok()) return r.status();
        std::vector<SurveyVersion> out;
        for (int i = 0; i < PQntuples(r->get()); ++i) {
          out.push_back({Text(r->get(), i, 0), Text(r->get(), i, 1), Text(r->get(), i, 2)});
        }
        // By id in byte order (not the database's collation, so both stores agree), then
        // registration order within an id.
        std::stable_sort(
            out.begin(), out.end(),
            [](const SurveyVersion& a, const SurveyVersion& b) { return a.id < b.id; });
        return out;
      });
    });
  }

  Result<std::vector<StoredComment>> Comments(const std::string& survey, int64_t from_day,
                                              int64_t to_day) override {
    return internal::Guarded("comments", [&]() -> Result<std::vector<StoredComment>> {
      return Idempotent([&]() -> Result<std::vector<StoredComment>> {
        Result<PgResult> r = Exec(
            "SELECT version, day, locale, question, grp, text FROM comments "
            "WHERE survey = $1 AND day >= $2 AND day <= $3 ORDER BY seq",
            {survey, std::to_string(from_day), std::to_string(to_day)}, PGRES_TUPLES_OK);
        if (!r.ok()) return r.status();
        PGresult* res = r->get();
        std::vector<StoredComment> out;
        for (int i = 0; i < PQntuples(res); ++i) {
          out.push_back({survey, Text(res, i, 0), Int(res, i, 1), Text(res, i, 2), Text(res, i, 3),
                         Text(res, i, 4), Text(res, i, 5)});
        }
        return out;
      });
    });
  }

  Status Prune(int64_t batches_before_day, int64_t comments_before_day) override {
    return DeleteTwo("DELETE FROM batches WHERE day < $1", batches_before_day,
                     "DELETE FROM comments WHERE day < $1", comments_before_day);
  }

  Status PutShare(const Share& share) override {
    return internal::Guarded("put share", [&]() -> Status {
      return Idempotent([&]() -> Status {
        Result<PgResult> r = Exec(
            "INSERT INTO shares (id, survey, token_hash, comments, created, expires, revoked) "
            "VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING",
            {share.id, share.survey, share.token_hash, share.comments ? "1" : "0",
             std::to_string(share.created), std::to_string(share.expires),
             std::to_string(share.revoked)},
            PGRES_COMMAND_OK);
        if (!r.ok()) return r.status();
        if (std::string(PQcmdTuples(r->get())) != "1") {
          return Status(StatusCode::kFailedPrecondition, "share " + share.id + " exists");
        }
        return Status::Ok();
      });
    });
  }

  Result<std::vector<Share>> Shares() override {
    return internal::Guarded("shares", [&]() -> Result<std::vector<Share>> {
      return Idempotent([&]() -> Result<std::vector<Share>> {
        return ReadShares(
            NAZAR_SELECT_SHARES " FROM shares ORDER BY created DESC, id COLLATE \"C\" DESC", {});
      });
    });
  }

  Result<std::optional<Share>> FindShare(const std::string& token_hash) override {
    return internal::Guarded("find share", [&]() -> Result<std::optional<Share>> {
      return Idempotent([&]() -> Result<std::optional<Share>> {
        Result<std::vector<Share>> found =
            ReadShares(NAZAR_SELECT_SHARES " FROM shares WHERE token_hash = $1", {token_hash});
        if (!found.ok()) return found.status();
        if (found->empty()) return std::optional<Share>();
        return std::optional<Share>(found->front());
      });
    });
  }

  Result<bool> RevokeShare(const std::string& id, int64_t now) override {
    return internal::Guarded("revoke share", [&]() -> Result<bool> {
      return Idempotent([&]() -> Result<bool> {
        Result<PgResult> r = Exec(
            "UPDATE shares SET revoked = CASE WHEN revoked = 0 THEN $2::bigint ELSE revoked END "
            "WHERE id = $1",
            {id, std::to_string(now)}, PGRES_COMMAND_OK);
        if (!r.ok()) return r.status();
        return std::string(PQcmdTuples(r->get())) == "1";
      });
    });
  }

  Status PutSession(const Session& session) override {
    return internal::Guarded("put session", [&]() -> Status {
      return Idempotent([&]() -> Status {
        return Exec(
                   "INSERT INTO sessions (token_hash, key_id, created, expires) "
                   "VALUES ($1, $2, $3, $4)",
                   {session.token_hash, session.key_id, std::to_string(session.created),
                    std::to_string(session.expires)},
                   PGRES_COMMAND_OK)
            .status();
      });
    });
  }

  Result<std::optional<Session>> FindSession(const std::string& token_hash) override {
    return internal::Guarded("find session", [&]() -> Result<std::optional<Session>> {
      return Idempotent([&]() -> Result<std::optional<Session>> {
        Result<PgResult> r =
            Exec("SELECT key_id, created, expires FROM sessions WHERE token_hash = $1",
                 {token_hash}, PGRES_TUPLES_OK);
        if (!r.ok()) return r.status();
        if (PQntuples(r->get()) == 0) return std::optional<Session>();
        return std::optional<Session>(
            Session{token_hash, Text(r->get(), 0, 0), Int(r->get(), 0, 1), Int(r->get(), 0, 2)});
      });
    });
  }

  Status DeleteSession(const std::string& token_hash) override {
    return internal::Guarded("delete session", [&]() -> Status {
      return Idempotent([&]() -> Status {
        return Exec("DELETE FROM sessions WHERE token_hash = $1", {token_hash}, PGRES_COMMAND_OK)
            .status();
      });
    });
  }

  Status PruneAuth(int64_t sessions_before, int64_t shares_before) override {
    return DeleteTwo("DELETE FROM sessions WHERE expires < $1", sessions_before,
                     "DELETE FROM shares WHERE expires < $1", shares_before);
  }

  // Every table read in one REPEATABLE READ snapshot, row by row (single-row mode: a large
  // batches table is never held in memory), into a new SQLite file with the same schema.
  Status BackupTo(const std::string& path) override {
    Result<std::unique_ptr<internal::BackupWriter>> writer = internal::CreateBackupFile(path);
    if (!writer.ok()) return writer.status();
    if (Status s = CopyTo(**writer); !s.ok()) return s;
    return (*writer)->Finish();
  }

  // Every table in one REPEATABLE READ snapshot, row by row.
  Status CopyTo(internal::BackupWriter& writer) override {
    return internal::Guarded("copy", [&]() -> Status {
      if (Status s = Connected(); !s.ok()) return s;
      if (Status s = Command("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"); !s.ok()) return s;
      Status s = CopyTables(writer);
      if (s.ok()) s = Command("COMMIT");
      if (!s.ok()) Rollback();
      return s;
    });
  }

  Status Ping() override {
    return internal::Guarded("ping", [&]() -> Status {
      return Idempotent([&]() -> Status { return Exec("SELECT 1", {}, PGRES_TUPLES_OK).status(); });
    });
  }

  void RequestReopen() override { reopen_ = true; }

  int NotifierId() const override { return backend_pid_; }

 private:
  friend class PostgresTarget;  // migrate's target drives this connection's transaction

  Status Error(const std::string& what) const {
    return Status(StatusCode::kInternal, "postgresql " + url_ + ": " + what + ": " +
                                             internal::Trimmed(PQerrorMessage(conn_)));
  }

  // Runs an idempotent call; when it failed because the connection had dropped (a server
  // restart, a proxy closing idle connections), reconnects and runs it once more.
  template <typename Body>
  auto Idempotent(Body&& body) -> decltype(body()) {
    if (Status s = Connected(); !s.ok()) return s;
    auto result = body();
    if (!result.ok() && PQstatus(conn_) == CONNECTION_BAD) {
      if (Status s = Connected(); !s.ok()) return s;
      result = body();
    }
    return result;
  }

  // Re-opens a connection the server dropped (a restart, a failover), or every connection
  // after RequestReopen (SIGHUP). Errors until it answers. A new PQconnectdb, not PQreset:
  // PQreset keeps the password libpq read from PGPASSFILE when it first connected, so a
  // rotated password would never take effect.
  Status Connected() {
    const bool reopen = reopen_.exchange(false);
    if (!reopen && PQstatus(conn_) == CONNECTION_OK) return Status::Ok();
    PGconn* fresh = PQconnectdb(url_.c_str());
    if (!fresh || PQstatus(fresh) != CONNECTION_OK) {
      std::string message = fresh ? internal::Trimmed(PQerrorMessage(fresh)) : "out of memory";
      PQfinish(fresh);
      // Asked to reopen, with the old connection still good: keep it (the next SIGHUP, or a
      // drop, tries again).
      if (PQstatus(conn_) == CONNECTION_OK) return Status::Ok();
      return Status(StatusCode::kInternal, "postgresql " + url_ + ": cannot reconnect: " + message);
    }
    PQfinish(conn_);
    conn_ = fresh;
    backend_pid_ = PQbackendPID(conn_);
    return SetUpSession();
  }

  // Runs one statement with text parameters (the statement `prepared` under that name when
  // given, `sql` then only names it in errors); a result of another status than `expected` is
  // an error naming the statement's first words.
  Result<PgResult> Exec(const char* sql, const std::vector<std::string>& params,
                        ExecStatusType expected, const char* prepared = nullptr) {
    std::vector<const char*> values;
    values.reserve(params.size());
    for (const std::string& p : params) values.push_back(p.c_str());
    const int n = static_cast<int>(values.size());
    const char* const* data = values.empty() ? nullptr : values.data();
    PgResult r(prepared ? PQexecPrepared(conn_, prepared, n, data, nullptr, nullptr, 0)
                        : PQexecParams(conn_, sql, n, nullptr, data, nullptr, nullptr, 0));
    if (!r || PQresultStatus(r.get()) != expected) {
      std::string message = ErrorText(r.get());
      const char* state = r ? PQresultErrorField(r.get(), PG_DIAG_SQLSTATE) : nullptr;
      last_sqlstate_ = state ? state : "";
      return Status(StatusCode::kInternal,
                    "postgresql " + url_ + ": \"" + Head(sql) + "\": " + message);
    }
    return r;
  }

  // A statement without parameters or rows (BEGIN, COMMIT, DDL; several allowed).
  Status Command(const char* sql) {
    PgResult r(PQexec(conn_, sql));
    if (!r || PQresultStatus(r.get()) != PGRES_COMMAND_OK) {
      std::string message = ErrorText(r.get());
      const char* state = r ? PQresultErrorField(r.get(), PG_DIAG_SQLSTATE) : nullptr;
      last_sqlstate_ = state ? state : "";
      return Status(StatusCode::kInternal,
                    "postgresql " + url_ + ": \"" + Head(sql) + "\": " + message);
    }
    return Status::Ok();
  }

  // One line saying why `r` (or the connection, without a result) failed: the server's SQLSTATE,
  // never its message, which may quote the data (`malformed array literal: "{"a...`) and ends
  // in the log (Contract 5: logs carry no body); else libpq's own message about the connection.
  std::string ErrorText(const PGresult* r) const {
    const char* state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
    if (state && *state) return std::string("SQLSTATE ") + state;
    std::string text =
        PQstatus(conn_) == CONNECTION_OK ? "" : internal::Trimmed(PQerrorMessage(conn_));
    if (text.empty()) text = "no answer from the server";
    for (char& c : text) {
      if (c == '\n') c = ' ';
    }
    return text;
  }

  void Rollback() {
    if (PQstatus(conn_) == CONNECTION_OK && PQtransactionStatus(conn_) != PQTRANS_IDLE) {
      PgResult r(PQexec(conn_, "ROLLBACK"));
    }
  }

  static std::string Text(PGresult* r, int row, int column) {
    return std::string(PQgetvalue(r, row, column),
                       static_cast<size_t>(PQgetlength(r, row, column)));
  }
  static int64_t Int(PGresult* r, int row, int column) {
    return std::strtoll(PQgetvalue(r, row, column), nullptr, 10);
  }

  Status DoMigrate() {
    const auto& migrations = internal::Migrations();
    for (;;) {
      // Each step in its own transaction holding the advisory lock, the version re-read under
      // it: two processes starting at once apply every step exactly once.
      if (Status s = Command("BEGIN"); !s.ok()) return s;
      Status s = Exec("SELECT pg_advisory_xact_lock($1::bigint)", {kMigrationLock}, PGRES_TUPLES_OK)
                     .status();
      if (s.ok()) {
        s = Command("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
      }
      Result<PgResult> r = Status();
      if (s.ok()) {
        r = Exec("SELECT COALESCE(max(version), 0) FROM schema_version", {}, PGRES_TUPLES_OK);
        s = r.status();
      }
      if (!s.ok()) {
        Rollback();
        return s;
      }
      int current = static_cast<int>(Int(r->get(), 0, 0));
      if (current > SchemaVersion()) {
        Rollback();
        return Status(StatusCode::kFailedPrecondition,
                      internal::NewerSchemaMessage("postgresql " + url_, current));
      }
      if (current == SchemaVersion()) return Command("COMMIT");
      s = Command(migrations[static_cast<size_t>(current)].postgres);
      if (s.ok()) s = Command("DELETE FROM schema_version");
      if (s.ok()) {
        s = Exec("INSERT INTO schema_version (version) VALUES ($1)", {std::to_string(current + 1)},
                 PGRES_COMMAND_OK)
                .status();
      }
      if (s.ok()) s = Command("COMMIT");
      if (!s.ok()) {
        Rollback();
        return Status(s.code(), "migration " + std::to_string(current + 1) + ": " + s.message());
      }
    }
  }

  // The prunes: two deletes, each taking $1, in one transaction.
  Status DeleteTwo(const char* first, int64_t first_arg, const char* second, int64_t second_arg) {
    return internal::Guarded("prune", [&]() -> Status {
      return Idempotent([&]() -> Status {
        if (Status s = Command("BEGIN"); !s.ok()) return s;
        Status s = Exec(first, {std::to_string(first_arg)}, PGRES_COMMAND_OK).status();
        if (s.ok()) s = Exec(second, {std::to_string(second_arg)}, PGRES_COMMAND_OK).status();
        if (s.ok()) s = Command("COMMIT");
        if (!s.ok()) Rollback();
        return s;
      });
    });
  }

  // Shares read by `sql` (NAZAR_SELECT_SHARES) with `params`.
  Result<std::vector<Share>> ReadShares(const char* sql, const std::vector<std::string>& params) {
    Result<PgResult> r = Exec(sql, params, PGRES_TUPLES_OK);
    if (!r.ok()) return r.status();
    PGresult* res = r->get();
    std::vector<Share> out;
    for (int i = 0; i < PQntuples(res); ++i) {
      out.push_back(Share{Text(res, i, 0), Text(res, i, 1), Text(res, i, 2), Int(res, i, 3) != 0,
                          Int(res, i, 4), Int(res, i, 5), Int(res, i, 6)});
    }
    return out;
  }

  Status CopyTables(internal::BackupWriter& writer) {
    Result<PgResult> version =
        Exec("SELECT COALESCE(max(version), 0) FROM schema_version", {}, PGRES_TUPLES_OK);
    if (!version.ok()) return version.status();
    int found = static_cast<int>(Int(version->get(), 0, 0));
    if (found != SchemaVersion()) {
      return Status(StatusCode::kFailedPrecondition,
                    "postgresql " + url_ + " has schema version " + std::to_string(found) +
                        ", this binary backs up version " + std::to_string(SchemaVersion()) +
                        ": migrate it with this binary first");
    }
    for (internal::Table table : internal::kTables) {
      std::string sql = std::string("SELECT ") + internal::BackupColumns(table) + " FROM " +
                        internal::TableName(table);
      if (table == internal::Table::kSurveys || table == internal::Table::kComments) {
        sql += " ORDER BY seq";
      }
      if (Status s = Stream(sql, table, writer); !s.ok()) return s;
    }
    return Status::Ok();
  }

  // Runs `sql` in single-row mode and adds each row to `writer`.
  Status Stream(const std::string& sql, internal::Table table, internal::BackupWriter& writer) {
    if (!PQsendQueryParams(conn_, sql.c_str(), 0, nullptr, nullptr, nullptr, nullptr, 0)) {
      return Error("backup " + std::string(internal::TableName(table)));
    }
    PQsetSingleRowMode(conn_);
    // Every result is read, even after a failure, so the connection stays usable.
    Status status;
    for (PgResult r(PQgetResult(conn_)); r; r.reset(PQgetResult(conn_))) {
      ExecStatusType type = PQresultStatus(r.get());
      if (type == PGRES_SINGLE_TUPLE && status.ok()) {
        std::vector<std::string> row;
        for (int c = 0; c < PQnfields(r.get()); ++c) row.push_back(Text(r.get(), 0, c));
        status = writer.Add(table, row);
      } else if (type != PGRES_SINGLE_TUPLE && type != PGRES_TUPLES_OK && status.ok()) {
        status = Status(StatusCode::kInternal, "postgresql " + url_ + ": backup " +
                                                   internal::TableName(table) + ": " +
                                                   ErrorText(r.get()));
      }
    }
    return status;
  }

  // One attempt at Commit; *retry tells whether it may simply be tried again: PostgreSQL
  // aborted it as a deadlock victim or a serialization failure, or the connection was lost.
  //
  // The whole group commit is one statement in its own (implicit) transaction, so it costs one
  // round trip and the commit's flush: the batch ids go in first (all of them, in id order),
  // and only the counters and comments of the ids this statement inserted are added, summed
  // per (row, counter) in the byte order of the keys, the same order as ever, so that two
  // collectors never deadlock. libpq returns the result only after the server's ReadyForQuery,
  // which follows the COMMIT, so the ids it names are durable (synchronous_commit is on).
  // A connection lost meanwhile leaves the outcome unknown, and trying again on a new one is
  // what settles it: the batch ids are written in the same transaction as their counters, so
  // a batch that did commit is found as seen (answered as a duplicate) and never added twice.
  Result<std::vector<bool>> CommitOnce(const std::vector<Ingest>& items, bool* retry) {
    last_sqlstate_.clear();
    std::vector<bool> duplicate(items.size(), false);
    // First occurrences only: a later copy in `items` is a duplicate whatever the store says.
    std::map<std::string, int64_t> batches;  // id -> day, sorted: rows locked in one order
    std::vector<size_t> firsts;
    for (size_t i = 0; i < items.size(); ++i) {
      if (batches.emplace(items[i].batch, items[i].day).second) {
        firsts.push_back(i);
      } else {
        duplicate[i] = true;
      }
    }
    if (batches.empty()) return duplicate;
    // A connection the server has closed (a restart) shows here, before anything is sent.
    if (!PQconsumeInput(conn_) || PQstatus(conn_) != CONNECTION_OK) {
      *retry = true;
      return Error("commit");
    }

    std::vector<const std::string*> ids;
    std::vector<int64_t> days;
    for (const auto& [id, day] : batches) {
      ids.push_back(&id);
      days.push_back(day);
    }
    // One row per (item, counter) and per (item, comment), each naming its item's batch id.
    std::vector<const std::string*> t_batch, t_site, t_survey, t_version, t_locale, t_counter;
    std::vector<int64_t> t_day, t_value;
    std::vector<const std::string*> c_batch, c_survey, c_version, c_locale, c_question, c_group,
        c_text;
    std::vector<int64_t> c_day;
    for (size_t i : firsts) {
      const Ingest& item = items[i];
      for (const Counter& c : item.counters) {
        t_batch.push_back(&item.batch);
        t_site.push_back(&item.key.site);
        t_survey.push_back(&item.key.survey);
        t_version.push_back(&item.key.version);
        t_day.push_back(item.key.day);
        t_locale.push_back(&item.key.locale);
        t_counter.push_back(&c.name);
        t_value.push_back(c.value);
      }
      for (const StoredComment& c : item.comments) {
        c_batch.push_back(&item.batch);
        c_survey.push_back(&c.survey);
        c_version.push_back(&c.version);
        c_day.push_back(c.day);
        c_locale.push_back(&c.locale);
        c_question.push_back(&c.question);
        c_group.push_back(&c.group);
        c_text.push_back(&c.text);
      }
    }
    // Prepared once per session (a new connection, after a reset, has a new backend).
    if (prepared_for_ != PQbackendPID(conn_)) {
      PgResult r(PQprepare(conn_, kCommitName, kCommitSql, kCommitParams, nullptr));
      if (!r || PQresultStatus(r.get()) != PGRES_COMMAND_OK) {
        *retry = PQstatus(conn_) == CONNECTION_BAD;
        return Status(StatusCode::kInternal,
                      "postgresql " + url_ + ": preparing the commit: " + ErrorText(r.get()));
      }
      prepared_for_ = PQbackendPID(conn_);
    }
    Result<PgResult> inserted =
        Exec(kCommitSql,
             {TextArray(ids), IntArray(days), TextArray(t_batch), TextArray(t_site),
              TextArray(t_survey), TextArray(t_version), IntArray(t_day), TextArray(t_locale),
              TextArray(t_counter), IntArray(t_value), TextArray(c_batch), TextArray(c_survey),
              TextArray(c_version), IntArray(c_day), TextArray(c_locale), TextArray(c_question),
              TextArray(c_group), TextArray(c_text)},
             PGRES_TUPLES_OK, kCommitName);
    if (!inserted.ok()) {
      // 26000: the prepared statement is gone (a session reset behind our back).
      if (last_sqlstate_ == "26000") prepared_for_ = 0;
      *retry = last_sqlstate_ == "40P01" || last_sqlstate_ == "40001" ||
               last_sqlstate_ == "26000" || PQstatus(conn_) == CONNECTION_BAD;
      return inserted.status();
    }
    std::unordered_set<std::string> fresh;
    for (int i = 0; i < PQntuples(inserted->get()); ++i) fresh.insert(Text(inserted->get(), i, 0));
    for (size_t i : firsts) {
      if (fresh.count(items[i].batch) == 0) duplicate[i] = true;
    }
    return duplicate;
  }

  std::string url_;  // never holds a password (OpenPostgres refuses one)
  PGconn* conn_;
  std::string last_sqlstate_;        // SQLSTATE of the last failed statement
  int prepared_for_ = 0;             // the backend process kCommitName is prepared in, 0 for none
  std::atomic<bool> reopen_{false};  // RequestReopen: open a new connection before the next call
  std::atomic<int> backend_pid_;     // NotifierId: the backend of conn_
};

// The migration target: a PostgresStore's connection holding one transaction. Rows arrive
// through COPY ... FROM STDIN (text format), one COPY per table.
class PostgresTarget final : public internal::MigrationTarget {
 public:
  explicit PostgresTarget(std::unique_ptr<PostgresStore> store) : store_(std::move(store)) {}
  ~PostgresTarget() override {
    if (copying_) PQputCopyEnd(store_->conn_, "migrate abandoned");
    if (copying_) Drain();
    store_->Rollback();
  }

  Result<std::vector<int64_t>> Begin() override {
    if (Status s = store_->Migrate(); !s.ok()) return s;
    if (Status s = store_->Command("BEGIN"); !s.ok()) return s;
    // No collector writes to the target until the copy is committed (readers may still read).
    if (Status s = store_->Command(
            "LOCK TABLE surveys, batches, totals, comments, shares IN EXCLUSIVE MODE");
        !s.ok()) {
      return s;
    }
    std::vector<int64_t> held;
    for (internal::Table table : internal::kTables) {
      std::string sql = std::string("SELECT count(*) FROM ") + internal::TableName(table);
      Result<PgResult> r = store_->Exec(sql.c_str(), {}, PGRES_TUPLES_OK);
      if (!r.ok()) return r.status();
      held.push_back(std::strtoll(PQgetvalue(r->get(), 0, 0), nullptr, 10));
    }
    return held;
  }

  Status Add(internal::Table table, const std::vector<std::string>& row) override {
    if (!copying_ || table_ != table) {
      if (Status s = EndCopy(); !s.ok()) return s;
      std::string sql = std::string("COPY ") + internal::TableName(table) + " (" +
                        internal::BackupColumns(table) + ") FROM STDIN";
      PgResult r(PQexec(store_->conn_, sql.c_str()));
      if (!r || PQresultStatus(r.get()) != PGRES_COPY_IN) {
        return Status(StatusCode::kInternal, "postgresql " + store_->url_ + ": copy " +
                                                 internal::TableName(table) + ": " +
                                                 store_->ErrorText(r.get()));
      }
      copying_ = true;
      table_ = table;
    }
    // COPY's text format: tab between values, a newline after the row, \ escapes.
    line_.clear();
    for (size_t i = 0; i < row.size(); ++i) {
      if (i) line_ += '\t';
      for (char c : row[i]) {
        if (c == '\\') {
          line_ += "\\\\";
        } else if (c == '\t') {
          line_ += "\\t";
        } else if (c == '\n') {
          line_ += "\\n";
        } else if (c == '\r') {
          line_ += "\\r";
        } else {
          line_ += c;
        }
      }
    }
    line_ += '\n';
    if (PQputCopyData(store_->conn_, line_.data(), static_cast<int>(line_.size())) != 1) {
      return Status(StatusCode::kInternal, "postgresql " + store_->url_ + ": copy " +
                                               internal::TableName(table) + ": " +
                                               internal::Trimmed(PQerrorMessage(store_->conn_)));
    }
    return Status::Ok();
  }

  Status Finish() override {
    if (Status s = EndCopy(); !s.ok()) return s;
    // The next registration gets a seq after every copied one.
    return store_
        ->Exec(
            "SELECT setval(pg_get_serial_sequence('surveys', 'seq'), "
            "GREATEST(max(seq), 1), max(seq) IS NOT NULL) FROM surveys",
            {}, PGRES_TUPLES_OK)
        .status();
  }

  Status ReadBack(internal::BackupWriter& out) override {
    if (Status s = EndCopy(); !s.ok()) return s;
    return store_->CopyTables(out);
  }

  Status Commit() override {
    if (Status s = EndCopy(); !s.ok()) return s;
    return store_->Command("COMMIT");
  }

 private:
  // Ends the COPY in progress; its result says whether the server took every row.
  Status EndCopy() {
    if (!copying_) return Status::Ok();
    copying_ = false;
    PGconn* conn = store_->conn_;
    if (PQputCopyEnd(conn, nullptr) != 1) {
      Drain();
      return Status(StatusCode::kInternal, "postgresql " + store_->url_ + ": copy " +
                                               internal::TableName(table_) + ": " +
                                               internal::Trimmed(PQerrorMessage(conn)));
    }
    Status status;
    for (PgResult r(PQgetResult(conn)); r; r.reset(PQgetResult(conn))) {
      if (PQresultStatus(r.get()) != PGRES_COMMAND_OK && status.ok()) {
        status = Status(StatusCode::kInternal, "postgresql " + store_->url_ + ": copy " +
                                                   internal::TableName(table_) + ": " +
                                                   store_->ErrorText(r.get()));
      }
    }
    return status;
  }

  void Drain() {
    for (PgResult r(PQgetResult(store_->conn_)); r; r.reset(PQgetResult(store_->conn_))) {
    }
  }

  std::unique_ptr<PostgresStore> store_;
  bool copying_ = false;
  internal::Table table_ = internal::Table::kSurveys;
  std::string line_;
};

}  // namespace

namespace internal {

std::string Trimmed(const char* message) {
  std::string s = message ? message : "";
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

Result<std::unique_ptr<Store>> OpenPostgres(const std::string& url) {
  // Parse first: the URL is echoed in errors, so one holding a password is refused unechoed.
  char* parse_error = nullptr;
  PQconninfoOption* options = PQconninfoParse(url.c_str(), &parse_error);
  if (!options) {
    std::string message = Trimmed(parse_error ? parse_error : "out of memory");
    PQfreemem(parse_error);
    return Status(StatusCode::kInvalidArgument, "--db: not a valid PostgreSQL URL: " + message);
  }
  bool has_password = false;
  for (PQconninfoOption* o = options; o->keyword; ++o) {
    if (std::string(o->keyword) == "password" && o->val && *o->val) has_password = true;
  }
  PQconninfoFree(options);
  if (has_password) {
    return Status(StatusCode::kInvalidArgument,
                  "--db: the PostgreSQL URL holds a password: put the password in PGPASSWORD or "
                  "PGPASSFILE, never in the URL");
  }
  PGconn* conn = PQconnectdb(url.c_str());
  if (!conn) return Status(StatusCode::kInternal, "cannot connect to " + url + ": out of memory");
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string message = Trimmed(PQerrorMessage(conn));
    PQfinish(conn);
    return Status(StatusCode::kFailedPrecondition, "cannot connect to " + url + ": " + message);
  }
  auto store = std::make_unique<PostgresStore>(url, conn);
  if (Status s = store->SetUpSession(); !s.ok()) {
    return Status(StatusCode::kFailedPrecondition, "cannot set up " + url + ": " + s.message());
  }
  return std::unique_ptr<Store>(std::move(store));
}

Result<std::unique_ptr<MigrationTarget>> OpenMigrationTarget(const std::string& url) {
  Result<std::unique_ptr<Store>> store = OpenPostgres(url);
  if (!store.ok()) return store.status();
  std::unique_ptr<PostgresStore> pg(static_cast<PostgresStore*>(store->release()));
  return std::unique_ptr<MigrationTarget>(new PostgresTarget(std::move(pg)));
}

}  // namespace internal
}  // namespace nazar::collector
