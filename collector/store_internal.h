// What the two stores share and nobody else sees: the schema migrations, the factories, and the
// guard that keeps exceptions inside the collector's storage.
#ifndef NAZAR_COLLECTOR_STORE_INTERNAL_H_
#define NAZAR_COLLECTOR_STORE_INTERNAL_H_

#include <exception>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "store.h"

namespace nazar::collector::internal {

// One schema step, written once per dialect. Step N takes a database from version N-1 to N; the
// two texts must create the same tables with the same meaning.
struct Migration {
  const char* sqlite;
  const char* postgres;
};

// The start of a statement reading shares, their columns in Share's order (store.h). A macro, so
// both stores can append their own clauses to one string literal.
#define NAZAR_SELECT_SHARES "SELECT id, survey, token_hash, comments, created, expires, revoked"

// Every migration, oldest first. Append only: a released step never changes.
const std::vector<Migration>& Migrations();

// The message Migrate gives for a database newer than the binary.
std::string NewerSchemaMessage(const std::string& where, int found);

// A libpq message (PQerrorMessage and the like) without its trailing newline and spaces; "" for
// null. Defined with the PostgreSQL store.
std::string Trimmed(const char* message);

// The tables a backup copies, in the order it copies them. Sessions are never copied: a copy
// (backup, migrate) signs every dashboard in again.
enum class Table { kSurveys, kBatches, kTotals, kComments, kShares };
constexpr Table kTables[] = {Table::kSurveys, Table::kBatches, Table::kTotals, Table::kComments,
                             Table::kShares};
// The table's name.
const char* TableName(Table table);
// The columns a backup copies, as an SQL list, in the order BackupWriter::Add takes them;
// surveys.seq keeps the registration order, comments are copied in storage order.
const char* BackupColumns(Table table);
// How many columns BackupColumns lists.
size_t BackupColumnCount(Table table);

// A new SQLite file being filled by a backup: the current schema, then every row in one
// transaction. Values come as text; SQLite's INTEGER column affinity stores numbers as numbers.
class BackupWriter {
 public:
  virtual ~BackupWriter() = default;
  // Adds one row of `table` (BackupColumnCount values).
  virtual Status Add(Table table, const std::vector<std::string>& row) = 0;
  // Commits and closes the file; without it the file holds no rows.
  virtual Status Finish() = 0;
};

// Creates the SQLite file `path` (which must not exist) for a backup.
Result<std::unique_ptr<BackupWriter>> CreateBackupFile(const std::string& path);

// What both stores implement besides Store: a consistent copy of every table into the new
// SQLite file `path` (BackupTo in store.h checks the path and cleans up after a failure), and
// every row of every table read in one snapshot into any BackupWriter (migrate).
class BackupSource {
 public:
  virtual ~BackupSource() = default;
  virtual Status BackupTo(const std::string& path) = 0;
  // Adds every row of every table to `writer` (kTables order, BackupColumns values as text;
  // surveys by seq, comments in storage order), all read in one snapshot. Refuses a database
  // whose schema version is not the binary's. Does not call writer.Finish().
  virtual Status CopyTo(BackupWriter& writer) = 0;
};

// The PostgreSQL database `nazar-collector migrate --to` fills: migrated, then one open
// transaction that holds every target table locked against writers until Commit. Destroying it
// without Commit rolls everything back.
class MigrationTarget : public BackupWriter {
 public:
  // Migrates the target, begins the transaction, locks the tables; returns the rows each
  // table already holds (kTables order).
  virtual Result<std::vector<int64_t>> Begin() = 0;
  // Add (BackupWriter) copies rows; Finish ends the copy (without committing) and moves the
  // surveys.seq identity past the copied values.
  // Reads every row of the target back, inside the transaction, into `out` (as CopyTo does).
  virtual Status ReadBack(BackupWriter& out) = 0;
  // Commits the transaction: the copy becomes visible at once.
  virtual Status Commit() = 0;
};

// Connects to the migration target `url` (no password in it, like OpenPostgres).
Result<std::unique_ptr<MigrationTarget>> OpenMigrationTarget(const std::string& url);

// Opens the SQLite file `path` (created if missing), in WAL mode with synchronous=FULL.
Result<std::unique_ptr<Store>> OpenSqlite(const std::string& path);

// Connects to PostgreSQL with a libpq URL that carries no password.
Result<std::unique_ptr<Store>> OpenPostgres(const std::string& url);

// Runs `body`, turning an exception (bad_alloc, mostly) into a kInternal status: no exception
// leaves the store.
template <typename Body>
auto Guarded(const char* what, Body&& body) -> decltype(body()) {
  try {
    return body();
  } catch (const std::exception& e) {
    return Status(StatusCode::kInternal, std::string(what) + ": " + e.what());
  } catch (...) {
    return Status(StatusCode::kInternal, std::string(what) + ": unknown exception");
  }
}

}  // namespace nazar::collector::internal

#endif  // NAZAR_COLLECTOR_STORE_INTERNAL_H_
