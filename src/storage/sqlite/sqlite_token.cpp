#include "storage/sqlite/sqlite_token.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>

#include "common/process.h"
#include "storage/sqlite/sqlite_transaction.h"

namespace craton::storage::sqlite {
namespace {

constexpr int kSchemaVersion = 1;
constexpr int kBusyTimeoutMs = 10000;

constexpr const char* kCreateSchema = R"sql(
BEGIN IMMEDIATE;
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS objects(uid TEXT PRIMARY KEY, gen INTEGER NOT NULL, blob BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS tombstones(uid TEXT PRIMARY KEY, gen INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS generation(id INTEGER PRIMARY KEY CHECK (id = 0), value INTEGER NOT NULL);
INSERT OR IGNORE INTO generation(id, value) VALUES (0, 0);
CREATE INDEX IF NOT EXISTS objects_by_gen ON objects(gen);
CREATE INDEX IF NOT EXISTS tombstones_by_gen ON tombstones(gen);
PRAGMA user_version = 1;
COMMIT;
)sql";

// A connection inherited across fork() must not be used for queries. It is closed, not kept:
// SQLite's unix VFS shares one lock record per inode among all handles of a process, so an
// abandoned handle would leave the child's new connection believing it holds the parent's
// SHARED/DMS locks without holding them at the OS level. The parent could then, as "last user",
// checkpoint and remove the WAL and shm files under the child, losing the child's later commits
// (reproduced in SqliteStore.ForkedChildSurvivesParentClosing). Closing is safe because the handle
// is idle (the store's mutex is free, so no transaction is open): fcntl locks are per process, so
// the child's unlocks never release the parent's, and the close-time checkpoint only runs if the
// exclusive lock succeeds, i.e. when no other process has the database open.
void close_inherited(DbPtr db) { db.reset(); }

Result<int> read_user_version(sqlite3* db) {
  CRATON_ASSIGN_OR_RETURN(Statement st, Statement::prepare(db, "PRAGMA user_version"));
  CRATON_ASSIGN_OR_RETURN(const bool row, st.step());
  if (!row) return fail(CKR_DEVICE_ERROR, "token database corrupted");
  return static_cast<int>(st.column_int(0));
}

Status ensure_schema(sqlite3* db) {
  CRATON_ASSIGN_OR_RETURN(const int version, read_user_version(db));
  if (version == kSchemaVersion) return ok_status();
  if (version > kSchemaVersion) return fail(CKR_DEVICE_ERROR, "token database from a newer version");
  // Idempotent script: two processes racing to initialise the same file both succeed.
  const TransactionGuard guard(db);
  return exec(db, kCreateSchema);
}

}  // namespace

Result<std::unique_ptr<SqliteTokenStore>> SqliteTokenStore::open(std::string path,
                                                                 bool synchronous_full) {
  auto store = std::make_unique<SqliteTokenStore>(std::move(path), synchronous_full);
  CRATON_TRY(store->connect());
  return store;
}

Status SqliteTokenStore::connect() {
  struct stat st {};
  if (::stat(path_.c_str(), &st) != 0) {
    return errno == ENOENT ? fail(CKR_DEVICE_REMOVED, "token was deleted")
                           : fail(CKR_DEVICE_ERROR, "cannot open token database");
  }
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path_.c_str(), &raw,
                                 SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE,
                                 nullptr);
  DbPtr db(raw);  // a handle comes back even on failure and must be closed
  if (rc != SQLITE_OK) return sqlite_failure(rc, "cannot open token database");
  sqlite3_busy_timeout(db.get(), kBusyTimeoutMs);
  // Defensive mode refuses SQL that could corrupt the file (writable_schema and the like).
  sqlite3_db_config(db.get(), SQLITE_DBCONFIG_DEFENSIVE, 1, static_cast<int*>(nullptr));
  // journal_mode is persistent in the file; setting it again on later opens is a cheap no-op.
  CRATON_TRY(exec(db.get(), "PRAGMA journal_mode = WAL"));
  CRATON_TRY(exec(db.get(), synchronous_full_ ? "PRAGMA synchronous = FULL"
                                              : "PRAGMA synchronous = NORMAL"));
  CRATON_TRY(ensure_schema(db.get()));

  db_ = std::move(db);
  pid_ = current_pid();
  dev_ = st.st_dev;
  ino_ = st.st_ino;
  seen_valid_ = false;
  return ok_status();
}

Status SqliteTokenStore::ensure_connection() {
  if (db_ && pid_ != current_pid()) close_inherited(std::move(db_));
  if (!db_) return connect();
  struct stat st {};
  if (::stat(path_.c_str(), &st) != 0) {
    return errno == ENOENT ? fail(CKR_DEVICE_REMOVED, "token was deleted")
                           : fail(CKR_DEVICE_ERROR, "cannot access token database");
  }
  if (st.st_dev != dev_ || st.st_ino != ino_) return fail(CKR_DEVICE_REMOVED, "token was deleted");
  return ok_status();
}

void SqliteTokenStore::remember(std::int64_t data_version, std::uint64_t generation) noexcept {
  seen_valid_ = true;
  seen_data_version_ = data_version;
  seen_generation_ = generation;
}

Status SqliteTokenStore::write(const std::function<Status(Transaction&)>& fn) {
  const std::lock_guard lock(mu_);
  CRATON_TRY(ensure_connection());
  sqlite3* db = db_.get();
  CRATON_TRY(exec(db, "BEGIN IMMEDIATE"));  // waits up to busy_timeout for other writers
  TransactionGuard guard(db);
  // Both read inside the transaction, so they describe the same snapshot.
  CRATON_ASSIGN_OR_RETURN(const std::int64_t data_version, read_data_version(db));
  CRATON_ASSIGN_OR_RETURN(const std::uint64_t base, read_generation(db));
  SqliteTransaction txn(db, base);
  CRATON_TRY(fn(txn));
  CRATON_TRY(exec(db, "COMMIT"));
  guard.dismiss();
  // Our own commit does not change this connection's data_version.
  remember(data_version, txn.generation());
  return ok_status();
}

Result<std::optional<Bytes>> SqliteTokenStore::read_meta(std::string_view key) {
  const std::lock_guard lock(mu_);
  CRATON_TRY(ensure_connection());
  return select_blob(db_.get(), "SELECT value FROM meta WHERE key = ?1", key);
}

Result<bool> SqliteTokenStore::changed_since(std::uint64_t generation) {
  const std::lock_guard lock(mu_);
  CRATON_TRY(ensure_connection());
  CRATON_ASSIGN_OR_RETURN(const std::int64_t data_version, read_data_version(db_.get()));
  if (seen_valid_ && data_version == seen_data_version_) return generation < seen_generation_;
  CRATON_ASSIGN_OR_RETURN(const std::uint64_t current, read_generation(db_.get()));
  remember(data_version, current);
  return generation < current;
}

Result<ChangeSet> SqliteTokenStore::changes_since(std::uint64_t generation) {
  ChangeSet out;
  CRATON_ASSIGN_OR_RETURN(
      out.generation,
      visit_changes_since(
          generation,
          [&](std::string_view uid, std::span<const std::uint8_t> blob) {
            out.upserts.push_back(ObjectRow{std::string(uid), Bytes(blob.begin(), blob.end())});
          },
          [&](std::string_view uid) { out.deletions.emplace_back(uid); }));
  return out;
}

Result<std::uint64_t> SqliteTokenStore::visit_changes_since(std::uint64_t generation, const RowVisitor& on_row,
                                                            const DeleteVisitor& on_delete) {
  const std::lock_guard lock(mu_);
  CRATON_TRY(ensure_connection());
  sqlite3* db = db_.get();
  // A read transaction gives one snapshot for the counter, the rows and the tombstones.
  CRATON_TRY(exec(db, "BEGIN"));
  TransactionGuard guard(db);
  CRATON_ASSIGN_OR_RETURN(const std::int64_t data_version, read_data_version(db));
  CRATON_ASSIGN_OR_RETURN(const std::uint64_t current, read_generation(db));
  // Generations are stored as SQLite's signed 64-bit integers; clamp instead of wrapping.
  const auto since = static_cast<std::int64_t>(std::min<std::uint64_t>(generation, INT64_MAX));

  // From generation 0 every row qualifies (rows carry generations >= 1): a plain table scan reads
  // them in storage order, where going through objects_by_gen would add a b-tree search per row
  // (a quarter of the time of loading a large token).
  CRATON_ASSIGN_OR_RETURN(Statement rows,
                          Statement::prepare(db, since <= 0 ? "SELECT uid, blob FROM objects"
                                                            : "SELECT uid, blob FROM objects WHERE gen > ?1"));
  if (since > 0) CRATON_TRY(rows.bind_int(1, since));
  for (;;) {
    CRATON_ASSIGN_OR_RETURN(const bool row, rows.step());
    if (!row) break;
    on_row(rows.column_text_view(0), rows.column_blob_view(1));
  }
  CRATON_ASSIGN_OR_RETURN(Statement dels,
                          Statement::prepare(db, "SELECT uid FROM tombstones WHERE gen > ?1"));
  CRATON_TRY(dels.bind_int(1, since));
  for (;;) {
    CRATON_ASSIGN_OR_RETURN(const bool row, dels.step());
    if (!row) break;
    on_delete(dels.column_text_view(0));
  }
  CRATON_TRY(exec(db, "COMMIT"));
  guard.dismiss();
  remember(data_version, current);
  return current;
}

}  // namespace craton::storage::sqlite
