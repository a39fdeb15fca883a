// One token kept in one SQLite database file (<directory>/<token>/token.sqlite).
//
// Schema (PRAGMA user_version = 1):
//   meta(key TEXT PRIMARY KEY, value BLOB)                 token metadata (opaque to us)
//   objects(uid TEXT PRIMARY KEY, gen INTEGER, blob BLOB)  sealed object records
//   tombstones(uid TEXT PRIMARY KEY, gen INTEGER)          deletions, for changes_since()
//   generation(id = 0, value INTEGER)                      the token's generation counter
// Every write transaction that changes anything (objects or meta) takes generation = counter + 1
// and stores it in the same transaction, so the counter, the rows and the tombstones always agree.
// A put removes the object's tombstone; deleting an existing object writes one. Tombstones are
// kept forever (a few bytes per deleted object), so any reader can catch up from any generation.
//
// Sharing: WAL journal, busy_timeout 10 s. Writers serialise on BEGIN IMMEDIATE across processes;
// readers never block writers.
//
// Change detection (changed_since): the store remembers the connection's `PRAGMA data_version`
// and the generation counter seen at its last observation (write, changes_since or a
// changed_since that had to look). data_version changes exactly when another connection commits.
// If it is unchanged, the answer comes from the remembered generation with no page read: the
// pragma costs a shared lock and a read of the WAL index in shared memory. Only after a foreign
// commit is the counter row read again. (data_version is read first, the counter second, so a
// commit in between makes the next call look again: conservative, never stale.)
//
// Token deletion: before each operation the database path is stat()ed and compared with the
// inode opened; a missing or replaced file → CKR_DEVICE_REMOVED.
//
// Fork safety: a connection inherited across fork() is never used for queries. Each operation
// compares getpid() with the pid that opened the connection; in a child, the inherited handle is
// closed (it is idle then: see close_inherited() in the .cpp for why closing is safe and why
// merely abandoning it would let the parent remove the WAL under the child) and a fresh connection
// is opened. The same holds for every store on that file: a handle inherited by a store the child
// never touches keeps the stale lock record alive, so a child should drop (or use) all inherited
// stores, as re-running C_Initialize does. A fork while another thread held the store's mutex cannot be recovered, as with any
// mutex; PKCS#11 children are expected to call C_Initialize again anyway.
// Thread safety: all operations serialise on one mutex per store. REQUIRES: the function passed to
// write() uses only the Transaction it is given, never this store (that would self-deadlock).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "storage/sqlite/sqlite_db.h"
#include "storage/store.h"

namespace craton::storage::sqlite {

class SqliteTokenStore final : public TokenStore {
 public:
  // Opens an existing database file and creates the schema when it is new.
  static Result<std::unique_ptr<SqliteTokenStore>> open(std::string path, bool synchronous_full);

  Status write(const std::function<Status(Transaction&)>& fn) override;
  Result<std::optional<Bytes>> read_meta(std::string_view key) override;
  Result<bool> changed_since(std::uint64_t generation) override;
  Result<ChangeSet> changes_since(std::uint64_t generation) override;
  Result<std::uint64_t> visit_changes_since(std::uint64_t generation, const RowVisitor& on_row,
                                            const DeleteVisitor& on_delete) override;

  SqliteTokenStore(std::string path, bool synchronous_full)
      : path_(std::move(path)), synchronous_full_(synchronous_full) {}

 private:
  // REQUIRES: mu_ held. Detects deletion and fork, (re)connecting as needed.
  Status ensure_connection();
  Status connect();
  void remember(std::int64_t data_version, std::uint64_t generation) noexcept;

  std::mutex mu_;
  const std::string path_;
  const bool synchronous_full_;
  DbPtr db_;
  pid_t pid_ = 0;
  dev_t dev_ = 0;
  ino_t ino_ = 0;
  bool seen_valid_ = false;
  std::int64_t seen_data_version_ = 0;
  std::uint64_t seen_generation_ = 0;
};

}  // namespace craton::storage::sqlite
