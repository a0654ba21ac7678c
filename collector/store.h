// The collector's storage (DESIGN.md Contract 5): daily totals, batch ids for de-duplication,
// comments apart from everything else, and every registered definition. Nothing per request.
// One interface, two stores: SQLite (the embedded default) and PostgreSQL (production).
#ifndef NAZAR_COLLECTOR_STORE_H_
#define NAZAR_COLLECTOR_STORE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "nazar/result.h"

namespace nazar::collector {

// One totals row: what a tally adds into (Contract 5: site, survey, version, day, locale).
struct TotalsKey {
  std::string site;
  std::string survey;
  std::string version;
  int64_t day = 0;  // days since 1970-01-01 (nazar::DaysFromCivil)
  std::string locale;
  bool operator<(const TotalsKey& o) const;
  bool operator==(const TotalsKey& o) const;
};

// A named counter of a totals row and its value (or the amount to add). Names are the
// collector's flattening of a core Tally (totals.h): "displays", "q/nps/7", "q/nps/skipped", ...
struct Counter {
  std::string name;
  int64_t value = 0;
};

// A scrubbed comment as stored: no batch id and no link to any tally.
struct StoredComment {
  std::string survey;
  std::string version;
  int64_t day = 0;
  std::string locale;
  std::string question;
  std::string group;  // "promoter" | "passive" | "detractor" | ""
  std::string text;
};

// One accepted payload, ready to write: a tally (counters) or a comments payload (comments).
struct Ingest {
  std::string batch;  // 32 hex digits; counted once across all time the store keeps batch ids
  int64_t day = 0;    // the payload's period, for pruning batch ids
  TotalsKey key;      // tally: the row the counters add into
  std::vector<Counter> counters;        // tally: amounts to add (only non-zero ones)
  std::vector<StoredComment> comments;  // comments payload
};

// Totals of one row as stored.
struct TotalsRow {
  TotalsKey key;
  std::vector<Counter> counters;  // sorted by name
};

// A registered definition version (every one ever registered is kept).
struct SurveyVersion {
  std::string id;
  std::string version;
  std::string definition;  // the survey's JSON text as registered
};

// A share link (Contract 5): read-only access to one survey until `expires`. Only the SHA-256 of
// its token is stored; the token itself is shown once, when the share is made.
struct Share {
  std::string id;  // public name of the share (list, revoke), never the token
  std::string survey;
  std::string token_hash;  // hex SHA-256 of the token
  bool comments = false;   // may read the survey's comments
  int64_t created = 0;     // Unix seconds
  int64_t expires = 0;     // Unix seconds: dead from then on
  int64_t revoked = 0;     // Unix seconds of the revocation, 0 while not revoked
};

// A dashboard session (POST /v1/session), stored only as the SHA-256 of its cookie's token.
struct Session {
  std::string token_hash;  // hex SHA-256 of the token
  std::string key_id;      // the read token generation it was made under (auth.h KeyId)
  int64_t created = 0;     // Unix seconds
  int64_t expires = 0;     // Unix seconds
};

// A store is used by one thread at a time: the writer owns one, readers open their own.
// Errors: kFailedPrecondition for what the caller must fix (a schema newer than the binary, a
// changed definition version), kInternal when the store fails or does not answer (the server's
// 503; a PostgreSQL store reconnects by itself on a later call). No call throws.
class Store {
 public:
  virtual ~Store() = default;

  // "sqlite" or "postgresql".
  virtual const char* Kind() const = 0;

  // Applies the versioned migrations up to the binary's schema version, in one transaction
  // each; fails (kFailedPrecondition) on a database whose schema is newer than the binary.
  // Safe when two processes migrate the same database at once.
  virtual Status Migrate() = 0;

  // One transaction, durable when it returns ok (SQLite: WAL, synchronous=FULL; PostgreSQL:
  // synchronous commit). Every item whose batch id is new is recorded and added: its counters
  // summed into its totals row (the amounts of all new items are summed per row and counter
  // first, one upsert each), its comments stored. Returns, per item, true when its batch id was
  // seen before (in the store, or earlier in `items`): that item added nothing. Safe when two
  // processes commit the same batch at once: exactly one adds it. On error nothing is added.
  // PostgreSQL also notifies the channel nazar_totals in that transaction, once per survey whose
  // completions it added, with the payload "<survey>:<completions added>" (ChangeFeed), so the
  // live views of every collector on the database follow.
  virtual Result<std::vector<bool>> Commit(const std::vector<Ingest>& items) = 0;

  // Totals rows of `survey` (every version and site) with from_day <= day <= to_day, ordered
  // by key (TotalsKey::operator<: site, survey, version, day, locale; strings in byte order).
  virtual Result<std::vector<TotalsRow>> Totals(const std::string& survey, int64_t from_day,
                                                int64_t to_day) = 0;

  // Registers a definition version. The same (id, version) again with the same text is ok (no
  // change); with different text it fails (kFailedPrecondition): a version never changes.
  virtual Status PutSurvey(const SurveyVersion& survey) = 0;
  // Every registered version, ordered by id, then registration order.
  virtual Result<std::vector<SurveyVersion>> Surveys() = 0;

  // Comments of `survey` with from_day <= day <= to_day, in storage order.
  virtual Result<std::vector<StoredComment>> Comments(const std::string& survey, int64_t from_day,
                                                      int64_t to_day) = 0;

  // Deletes batch ids of days before `batches_before_day` and comments of days before
  // `comments_before_day`.
  virtual Status Prune(int64_t batches_before_day, int64_t comments_before_day) = 0;

  // Adds a share; kFailedPrecondition when its id or token hash is taken.
  virtual Status PutShare(const Share& share) = 0;
  // Every share (revoked and expired ones until pruned), newest first (created, then id, both
  // descending).
  virtual Result<std::vector<Share>> Shares() = 0;
  // The share whose token has this hash, whatever its state; nullopt when there is none.
  virtual Result<std::optional<Share>> FindShare(const std::string& token_hash) = 0;
  // Marks share `id` revoked at `now` (a revoked share keeps its first revocation time). False
  // when there is no such share.
  virtual Result<bool> RevokeShare(const std::string& id, int64_t now) = 0;

  // Adds a session.
  virtual Status PutSession(const Session& session) = 0;
  // The session whose token has this hash, whatever its state; nullopt when there is none.
  virtual Result<std::optional<Session>> FindSession(const std::string& token_hash) = 0;
  // Deletes the session with this token hash (none is fine).
  virtual Status DeleteSession(const std::string& token_hash) = 0;
  // Deletes sessions that expired before `sessions_before` and shares that expired before
  // `shares_before` (Unix seconds): the server's hourly prune, with Prune.
  virtual Status PruneAuth(int64_t sessions_before, int64_t shares_before) = 0;

  // Ok when the store answers (a trivial query).
  virtual Status Ping() = 0;

  // Safe from any thread, unlike every other call: asks the store to open a new connection
  // before its next call, so a PostgreSQL password rotated in PGPASSFILE takes effect (SIGHUP).
  // The old connection is kept when the new one cannot be opened. A store without connections
  // (SQLite) ignores it.
  virtual void RequestReopen() {}

  // The sender id that this store's own commit notifications carry (PostgreSQL: its
  // connection's backend process id), so a ChangeFeed of the same process can skip what the
  // writer reported already; 0 when the store sends none. Safe from any thread.
  virtual int NotifierId() const { return 0; }
};

// The binary's schema version (the number of migrations).
int SchemaVersion();

// True for a --db that names PostgreSQL ("postgresql://..." or "postgres://..."), false for a
// SQLite path.
bool IsPostgresUrl(const std::string& db);

// Opens a store: "postgresql://..." or "postgres://..." (libpq; the password only from
// PGPASSWORD or PGPASSFILE, never in the URL: a URL with a password is refused), anything else
// is a SQLite file path (created if missing). Does not migrate. Errors say what and where
// ("cannot open /x/nazar.db: unable to open database file"): kInvalidArgument for a URL that
// holds a password or does not parse, kFailedPrecondition when the file cannot be opened or the
// server cannot be reached.
Result<std::unique_ptr<Store>> OpenStore(const std::string& db);

// Writes a consistent copy of every table of `store` (either kind) into the new SQLite file
// `sqlite_path`, for `nazar-collector backup FILE`; the copy opens with OpenStore like any SQLite
// database. Refuses an existing file; after a failure no file is left behind.
Status BackupTo(Store& store, const std::string& sqlite_path);

// What `nazar-collector migrate` did: rows per table ("surveys", "batches", "totals",
// "comments", "shares", in copy order; sessions are not copied), counted on the target after the
// copy.
struct MigrateReport {
  std::vector<std::pair<std::string, int64_t>> rows;
  bool already_there = false;  // the target held exactly the source's rows: nothing was copied
};

// Copies every table of `source` (either kind) into the PostgreSQL database `url` for
// `nazar-collector migrate --to URL`: migrates the target, then in one transaction that locks
// the target's tables copies every row, re-reads both sides independently and compares each
// table's row count and checksum (surveys and comments in order), and commits only when they
// agree. A target that already holds rows is refused (kFailedPrecondition) unless they are
// exactly the source's (already_there). On any error the target's tables hold what they held.
Result<MigrateReport> MigrateTo(Store& source, const std::string& url);

}  // namespace nazar::collector

#endif  // NAZAR_COLLECTOR_STORE_H_
