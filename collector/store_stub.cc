// Stand-in for the stores while they are built apart (collector/CMakeLists.txt links it only
// when nazar_collector_store does not exist): OpenStore refuses every --db, so the binary builds,
// answers --help and fails clearly at start. The store library replaces this file.
#include <tuple>

#include "collector/store.h"

namespace nazar::collector {

bool TotalsKey::operator<(const TotalsKey& o) const {
  return std::tie(site, survey, version, day, locale) <
         std::tie(o.site, o.survey, o.version, o.day, o.locale);
}

bool TotalsKey::operator==(const TotalsKey& o) const {
  return std::tie(site, survey, version, day, locale) ==
         std::tie(o.site, o.survey, o.version, o.day, o.locale);
}

int SchemaVersion() { return 0; }

Result<std::unique_ptr<Store>> OpenStore(const std::string& db) {
  return Status(StatusCode::kFailedPrecondition,
                "cannot open " + db + ": this build has no store (SQLite/PostgreSQL) linked");
}

}  // namespace nazar::collector
