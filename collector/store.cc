// OpenStore's choice between the two stores, the schema both follow, and TotalsKey's order.
#include "store.h"

#include <sys/stat.h>

#include <cstdio>
#include <iterator>
#include <tuple>

#include "store_internal.h"

namespace nazar::collector {

bool TotalsKey::operator<(const TotalsKey& o) const {
  return std::tie(site, survey, version, day, locale) <
         std::tie(o.site, o.survey, o.version, o.day, o.locale);
}

bool TotalsKey::operator==(const TotalsKey& o) const {
  return std::tie(site, survey, version, day, locale) ==
         std::tie(o.site, o.survey, o.version, o.day, o.locale);
}

namespace internal {

// Migration 1: the tables of Contract 5. totals' primary key leads with (survey, day) because
// reports read one survey over a range of days; comments have no batch column on purpose (a
// comment cannot be joined to a tally); batches keep only what de-duplication and pruning need.
// surveys.seq and comments' row order are the registration and storage orders.
const std::vector<Migration>& Migrations() {
  static const std::vector<Migration> kMigrations = {
      {
          // SQLite
          "CREATE TABLE surveys ("
          "  seq INTEGER PRIMARY KEY AUTOINCREMENT,"
          "  id TEXT NOT NULL,"
          "  version TEXT NOT NULL,"
          "  definition TEXT NOT NULL,"
          "  UNIQUE (id, version));"
          "CREATE TABLE batches ("
          "  batch TEXT NOT NULL PRIMARY KEY,"
          "  day INTEGER NOT NULL) WITHOUT ROWID;"
          "CREATE INDEX batches_day ON batches (day);"
          "CREATE TABLE totals ("
          "  site TEXT NOT NULL,"
          "  survey TEXT NOT NULL,"
          "  version TEXT NOT NULL,"
          "  day INTEGER NOT NULL,"
          "  locale TEXT NOT NULL,"
          "  counter TEXT NOT NULL,"
          "  value INTEGER NOT NULL,"
          "  PRIMARY KEY (survey, day, version, site, locale, counter)) WITHOUT ROWID;"
          "CREATE TABLE comments ("
          "  survey TEXT NOT NULL,"
          "  version TEXT NOT NULL,"
          "  day INTEGER NOT NULL,"
          "  locale TEXT NOT NULL,"
          "  question TEXT NOT NULL,"
          "  grp TEXT NOT NULL,"
          "  text TEXT NOT NULL);"
          "CREATE INDEX comments_survey_day ON comments (survey, day);",
          // PostgreSQL
          "CREATE TABLE surveys ("
          "  seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
          "  id TEXT NOT NULL,"
          "  version TEXT NOT NULL,"
          "  definition TEXT NOT NULL,"
          "  UNIQUE (id, version));"
          "CREATE TABLE batches ("
          "  batch TEXT NOT NULL PRIMARY KEY,"
          "  day BIGINT NOT NULL);"
          "CREATE INDEX batches_day ON batches (day);"
          "CREATE TABLE totals ("
          "  site TEXT NOT NULL,"
          "  survey TEXT NOT NULL,"
          "  version TEXT NOT NULL,"
          "  day BIGINT NOT NULL,"
          "  locale TEXT NOT NULL,"
          "  counter TEXT NOT NULL,"
          "  value BIGINT NOT NULL,"
          "  PRIMARY KEY (survey, day, version, site, locale, counter));"
          "CREATE TABLE comments ("
          "  seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
          "  survey TEXT NOT NULL,"
          "  version TEXT NOT NULL,"
          "  day BIGINT NOT NULL,"
          "  locale TEXT NOT NULL,"
          "  question TEXT NOT NULL,"
          "  grp TEXT NOT NULL,"
          "  text TEXT NOT NULL);"
          "CREATE INDEX comments_survey_day ON comments (survey, day);",
      },
      // Migration 2 (issue 8): share links and dashboard sessions, each keyed by the SHA-256 of
      // its token (the token itself is never stored). A session names the read token generation
      // it was made under (key_id), so rotating the read token ends every session.
      {
          // SQLite
          "CREATE TABLE shares ("
          "  id TEXT NOT NULL PRIMARY KEY,"
          "  survey TEXT NOT NULL,"
          "  token_hash TEXT NOT NULL UNIQUE,"
          "  comments INTEGER NOT NULL CHECK (comments IN (0, 1)),"
          "  created INTEGER NOT NULL,"
          "  expires INTEGER NOT NULL,"
          "  revoked INTEGER NOT NULL DEFAULT 0);"
          "CREATE TABLE sessions ("
          "  token_hash TEXT NOT NULL PRIMARY KEY,"
          "  key_id TEXT NOT NULL,"
          "  created INTEGER NOT NULL,"
          "  expires INTEGER NOT NULL) WITHOUT ROWID;"
          "CREATE INDEX sessions_expires ON sessions (expires);",
          // PostgreSQL
          "CREATE TABLE shares ("
          "  id TEXT NOT NULL PRIMARY KEY,"
          "  survey TEXT NOT NULL,"
          "  token_hash TEXT NOT NULL UNIQUE,"
          "  comments INTEGER NOT NULL CHECK (comments IN (0, 1)),"
          "  created BIGINT NOT NULL,"
          "  expires BIGINT NOT NULL,"
          "  revoked BIGINT NOT NULL DEFAULT 0);"
          "CREATE TABLE sessions ("
          "  token_hash TEXT NOT NULL PRIMARY KEY,"
          "  key_id TEXT NOT NULL,"
          "  created BIGINT NOT NULL,"
          "  expires BIGINT NOT NULL);"
          "CREATE INDEX sessions_expires ON sessions (expires);",
      },
  };
  return kMigrations;
}

namespace {

// Name and copied columns of each table, indexed by the Table enum (store_internal.h).
struct TableInfo {
  const char* name;
  const char* columns;
  size_t column_count;
};
constexpr TableInfo kTableInfo[] = {
    {"surveys", "seq, id, version, definition", 4},
    {"batches", "batch, day", 2},
    {"totals", "site, survey, version, day, locale, counter, value", 7},
    {"comments", "survey, version, day, locale, question, grp, text", 7},
    {"shares", "id, survey, token_hash, comments, created, expires, revoked", 7},
};

}  // namespace

const char* TableName(Table table) { return kTableInfo[static_cast<size_t>(table)].name; }

const char* BackupColumns(Table table) { return kTableInfo[static_cast<size_t>(table)].columns; }

size_t BackupColumnCount(Table table) {
  return kTableInfo[static_cast<size_t>(table)].column_count;
}

std::string NewerSchemaMessage(const std::string& where, int found) {
  return where + " has schema version " + std::to_string(found) + ", newer than this binary's " +
         std::to_string(SchemaVersion()) +
         ": run a nazar-collector at least as new as the one that last migrated it";
}

}  // namespace internal

int SchemaVersion() { return static_cast<int>(internal::Migrations().size()); }

bool IsPostgresUrl(const std::string& db) {
  return db.rfind("postgresql://", 0) == 0 || db.rfind("postgres://", 0) == 0;
}

Result<std::unique_ptr<Store>> OpenStore(const std::string& db) {
  return internal::Guarded("open store", [&]() -> Result<std::unique_ptr<Store>> {
    if (db.empty()) {
      return Status(StatusCode::kInvalidArgument,
                    "--db is empty: give a SQLite file path or a postgresql:// URL");
    }
    if (IsPostgresUrl(db)) return internal::OpenPostgres(db);
    return internal::OpenSqlite(db);
  });
}

Status BackupTo(Store& store, const std::string& sqlite_path) {
  return internal::Guarded("backup", [&]() -> Status {
    struct stat info;
    if (stat(sqlite_path.c_str(), &info) == 0) {
      return Status(StatusCode::kFailedPrecondition,
                    "backup " + sqlite_path + ": the file exists; a backup never overwrites");
    }
    auto* source = dynamic_cast<internal::BackupSource*>(&store);
    if (!source) {
      return Status(StatusCode::kInternal,
                    std::string("a ") + store.Kind() + " store that cannot be backed up");
    }
    Status s = source->BackupTo(sqlite_path);
    if (!s.ok()) {
      for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
        std::remove((sqlite_path + suffix).c_str());
      }
    }
    return s;
  });
}

namespace {

// Per table: how many rows and a checksum of them, fed by a full read of a store (CopyTo or
// ReadBack). The checksum is the sum (mod 2^64) of a 64-bit FNV-1a hash of each row's
// length-prefixed values; for surveys and comments, whose order is kept, the row's position is
// hashed too. Two reads agree only when every row is there once, with the same bytes.
class TableDigest final : public internal::BackupWriter {
 public:
  Status Add(internal::Table table, const std::vector<std::string>& row) override {
    Entry& e = entries_[static_cast<size_t>(table)];
    uint64_t h = 14695981039346656037ull;
    auto mix = [&h](const void* data, size_t size) {
      const auto* p = static_cast<const unsigned char*>(data);
      for (size_t i = 0; i < size; ++i) h = (h ^ p[i]) * 1099511628211ull;
    };
    if (table == internal::Table::kSurveys || table == internal::Table::kComments) {
      mix(&e.rows, sizeof e.rows);
    }
    for (const std::string& value : row) {
      const uint64_t size = value.size();
      mix(&size, sizeof size);
      mix(value.data(), value.size());
    }
    e.sum += h;
    ++e.rows;
    return Status::Ok();
  }
  Status Finish() override { return Status::Ok(); }

  int64_t Rows(internal::Table table) const { return entries_[static_cast<size_t>(table)].rows; }
  bool SameAs(const TableDigest& o, internal::Table table) const {
    const Entry& a = entries_[static_cast<size_t>(table)];
    const Entry& b = o.entries_[static_cast<size_t>(table)];
    return a.rows == b.rows && a.sum == b.sum;
  }

 private:
  struct Entry {
    int64_t rows = 0;
    uint64_t sum = 0;
  };
  Entry entries_[std::size(internal::kTables)];
};

// Passes every row to two writers: the target and a digest of what was read.
class Tee final : public internal::BackupWriter {
 public:
  Tee(internal::BackupWriter& a, internal::BackupWriter& b) : a_(a), b_(b) {}
  Status Add(internal::Table table, const std::vector<std::string>& row) override {
    if (Status s = a_.Add(table, row); !s.ok()) return s;
    return b_.Add(table, row);
  }
  Status Finish() override { return Status::Ok(); }

 private:
  internal::BackupWriter& a_;
  internal::BackupWriter& b_;
};

// The tables where two digests differ, "totals (source 12 rows, target 11)", or "".
std::string Differences(const TableDigest& source, const TableDigest& target) {
  std::string out;
  for (internal::Table table : internal::kTables) {
    if (source.SameAs(target, table)) continue;
    if (!out.empty()) out += ", ";
    out += std::string(internal::TableName(table)) + " (source " +
           std::to_string(source.Rows(table)) + " rows, target " +
           std::to_string(target.Rows(table)) + " rows" +
           (source.Rows(table) == target.Rows(table) ? ", different values)" : ")");
  }
  return out;
}

}  // namespace

Result<MigrateReport> MigrateTo(Store& source, const std::string& url) {
  return internal::Guarded("migrate", [&]() -> Result<MigrateReport> {
    auto* from = dynamic_cast<internal::BackupSource*>(&source);
    if (!from) {
      return Status(StatusCode::kInternal,
                    std::string("a ") + source.Kind() + " store that cannot be copied");
    }
    if (!IsPostgresUrl(url)) {
      return Status(StatusCode::kInvalidArgument,
                    "--to: expected a postgresql:// URL, got \"" + url + "\"");
    }
    Result<std::unique_ptr<internal::MigrationTarget>> opened = internal::OpenMigrationTarget(url);
    if (!opened.ok()) {
      // OpenPostgres names --db in its URL errors; here the URL came from --to.
      std::string message = opened.status().message();
      if (message.rfind("--db:", 0) == 0) message.replace(0, 4, "--to");
      return Status(opened.status().code(), message);
    }
    internal::MigrationTarget& target = **opened;
    Result<std::vector<int64_t>> held = target.Begin();
    if (!held.ok()) return held.status();
    MigrateReport report;
    TableDigest read;  // the source as copied
    bool empty = true;
    for (int64_t n : *held) empty = empty && n == 0;
    if (empty) {
      Tee tee(target, read);
      if (Status s = from->CopyTo(tee); !s.ok()) return s;
      if (Status s = target.Finish(); !s.ok()) return s;
    } else if (Status s = from->CopyTo(read); !s.ok()) {
      return s;
    }
    // Verification: the target read back inside the transaction, and the source read again
    // (a change to the source since the copy, a collector still writing to it, fails too).
    TableDigest written, again;
    if (Status s = target.ReadBack(written); !s.ok()) return s;
    if (Status s = from->CopyTo(again); !s.ok()) return s;
    if (std::string diff = Differences(read, again); !diff.empty()) {
      return Status(StatusCode::kFailedPrecondition,
                    "the source changed while it was copied (" + diff +
                        "): stop every collector writing to it and run migrate again; the "
                        "target was left unchanged");
    }
    if (std::string diff = Differences(read, written); !diff.empty()) {
      if (!empty) {
        std::string held_text;
        for (size_t i = 0; i < held->size(); ++i) {
          held_text += std::string(i ? ", " : "") + internal::TableName(internal::kTables[i]) +
                       " " + std::to_string((*held)[i]);
        }
        return Status(StatusCode::kFailedPrecondition,
                      url + " already holds rows (" + held_text +
                          ") that are not the source's: migrate copies only into an empty "
                          "database (or one holding exactly the source's rows); it was left "
                          "unchanged");
      }
      return Status(StatusCode::kInternal,
                    "verification failed, the copy differs from the source: " + diff +
                        "; the target was left unchanged");
    }
    if (empty) {
      if (Status s = target.Commit(); !s.ok()) return s;
    }
    report.already_there = !empty;
    for (internal::Table table : internal::kTables) {
      report.rows.emplace_back(internal::TableName(table), written.Rows(table));
    }
    return report;
  });
}

}  // namespace nazar::collector
