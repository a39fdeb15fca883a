// Raw persistence interface: one TokenStore per token, one StoreBackend per token directory.
//
// The raw layer stores opaque, already-sealed object blobs keyed by the object's unique id, plus a
// small key/value table of token metadata. It knows nothing about PKCS#11 attributes; sealing and
// integrity live one layer up (storage/object_codec.h).
//
// Consistency: every change runs in one transaction (all or nothing, crash-safe). Every committed
// write transaction that touches objects gets a new, strictly increasing generation number; an
// object row remembers the generation that last wrote it and deletions leave a tombstone with
// theirs. A reader that has applied everything up to generation G asks changes_since(G) and gets
// exactly the rows written and the ids deleted after G, by any process.
//
// Thread safety: a TokenStore may be used from several threads; implementations serialise
// internally. Several processes may open the same token at once.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace craton::storage {

using Bytes = std::vector<std::uint8_t>;

struct ObjectRow {
  std::string uid;  // CKA_UNIQUE_ID of the object
  Bytes blob;       // sealed record (object_codec)
};

struct ChangeSet {
  std::uint64_t generation = 0;        // highest generation included
  std::vector<ObjectRow> upserts;      // rows written after the asked generation
  std::vector<std::string> deletions;  // ids deleted after the asked generation
};

// Operations available inside one write transaction.
class Transaction {
 public:
  virtual ~Transaction() = default;
  virtual Result<std::optional<Bytes>> get_meta(std::string_view key) = 0;
  virtual Status put_meta(std::string_view key, std::span<const std::uint8_t> value) = 0;
  virtual Result<std::optional<Bytes>> get_object(std::string_view uid) = 0;
  virtual Status put_object(std::string_view uid, std::span<const std::uint8_t> blob) = 0;
  // Deleting an absent id is not an error (another process may have deleted it first).
  virtual Status delete_object(std::string_view uid) = 0;
  virtual Status delete_all_objects() = 0;
};

class TokenStore {
 public:
  virtual ~TokenStore() = default;

  // Runs fn inside one write transaction (exclusive across processes). Commits when fn returns
  // ok; rolls back and returns fn's error otherwise. Errors of the store itself map to
  // CKR_DEVICE_ERROR (I/O), CKR_DEVICE_MEMORY (disk full) or CKR_DEVICE_REMOVED (token deleted).
  virtual Status write(const std::function<Status(Transaction&)>& fn) = 0;

  virtual Result<std::optional<Bytes>> read_meta(std::string_view key) = 0;

  // True when some transaction was committed after `generation` (by this or another process).
  // Cheap: no disk I/O when nothing changed (uses SQLite's data_version / shared memory).
  virtual Result<bool> changed_since(std::uint64_t generation) = 0;

  // Everything committed after `generation` (0 = the whole token).
  virtual Result<ChangeSet> changes_since(std::uint64_t generation) = 0;

  // The same changes, handed over one at a time instead of collected (loading a large token
  // without copying every record twice): on_row(uid, blob) for each row written, on_delete(uid)
  // for each id deleted, from one consistent snapshot; returns the generation included. The views
  // are valid only during the call. The callbacks run under the store's lock and must not use the
  // store. The default goes through changes_since().
  using RowVisitor = std::function<void(std::string_view uid, std::span<const std::uint8_t> blob)>;
  using DeleteVisitor = std::function<void(std::string_view uid)>;
  virtual Result<std::uint64_t> visit_changes_since(std::uint64_t generation, const RowVisitor& on_row,
                                                    const DeleteVisitor& on_delete) {
    CRATON_ASSIGN_OR_RETURN(ChangeSet cs, changes_since(generation));
    for (const auto& uid : cs.deletions) on_delete(uid);
    for (const auto& row : cs.upserts) on_row(row.uid, row.blob);
    return cs.generation;
  }
};

// Where tokens live: one sub-directory (or database namespace) per token.
class StoreBackend {
 public:
  virtual ~StoreBackend() = default;
  // Names of the tokens present (directory names), in no particular order.
  virtual Result<std::vector<std::string>> list_tokens() = 0;
  virtual Result<std::unique_ptr<TokenStore>> open_token(std::string_view name) = 0;
  // Creates an empty token; fails with CKR_DEVICE_ERROR if it exists already.
  virtual Result<std::unique_ptr<TokenStore>> create_token(std::string_view name) = 0;
  virtual Status delete_token(std::string_view name) = 0;
  // Runs fn while holding an exclusive cross-process lock on the whole backend (token creation,
  // slot-id allocation, deletion).
  virtual Status with_backend_lock(const std::function<Status()>& fn) = 0;
};

struct BackendOptions {
  std::string directory;        // token directory (created if missing)
  unsigned umask = 077;         // applied to files and directories we create
  bool synchronous_full = true; // fsync on every commit (durable) vs. NORMAL
};

// Factory: "sqlite" (default, embedded) or "memory" (tests; nothing persisted, shared per process).
Result<std::unique_ptr<StoreBackend>> make_backend(std::string_view kind, const BackendOptions& opts);

}  // namespace craton::storage
