// OpenStore's choice between the two stores, the schema both follow, and TotalsKey's order.
#include "store.h"

#include <sys/stat.h>

#include <cstdio>
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

Result<std::unique_ptr<Store>> OpenStore(const std::string& db) {
  return internal::Guarded("open store", [&]() -> Result<std::unique_ptr<Store>> {
    if (db.empty()) {
      return Status(StatusCode::kInvalidArgument,
                    "--db is empty: give a SQLite file path or a postgresql:// URL");
    }
    if (db.rfind("postgresql://", 0) == 0 || db.rfind("postgres://", 0) == 0) {
      return internal::OpenPostgres(db);
    }
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

}  // namespace nazar::collector
