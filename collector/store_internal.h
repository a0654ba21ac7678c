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

// Every migration, oldest first. Append only: a released step never changes.
const std::vector<Migration>& Migrations();

// The message Migrate gives for a database newer than the binary.
std::string NewerSchemaMessage(const std::string& where, int found);

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
