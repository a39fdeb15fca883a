// The Transaction handed to TokenStore::write() callbacks, plus the small queries shared with the
// store. See sqlite_token.h for the schema and the generation rules.
// Thread safety: used only while SqliteTokenStore holds its mutex.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "storage/sqlite/sqlite_db.h"
#include "storage/store.h"

namespace craton::storage::sqlite {

// PRAGMA data_version of this connection.
Result<std::int64_t> read_data_version(sqlite3* db);
// The committed (or, inside a write transaction, current) generation counter.
Result<std::uint64_t> read_generation(sqlite3* db);
// First column of the first row of `sql` with `key` bound to ?1, or nullopt without rows.
Result<std::optional<Bytes>> select_blob(sqlite3* db, std::string_view sql, std::string_view key);

class SqliteTransaction final : public Transaction {
 public:
  // REQUIRES: a write transaction is open on db; `base` is its generation counter.
  SqliteTransaction(sqlite3* db, std::uint64_t base) : db_(db), generation_(base) {}

  Result<std::optional<Bytes>> get_meta(std::string_view key) override;
  Status put_meta(std::string_view key, std::span<const std::uint8_t> value) override;
  Result<std::optional<Bytes>> get_object(std::string_view uid) override;
  Status put_object(std::string_view uid, std::span<const std::uint8_t> blob) override;
  Status delete_object(std::string_view uid) override;
  Status delete_all_objects() override;

  // The counter value this transaction commits (unchanged if nothing was modified).
  std::uint64_t generation() const noexcept { return generation_; }

 private:
  // The generation of this transaction's changes; bumps and stores the counter on first use.
  Result<std::int64_t> bump();

  sqlite3* db_;
  std::uint64_t generation_;
  bool bumped_ = false;
};

}  // namespace craton::storage::sqlite
