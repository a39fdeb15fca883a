// Minimal RAII layer over the SQLite C API, and the one function that translates SQLite errors.
//
// Ownership: DbPtr owns a connection, Statement owns a prepared statement. Neither is thread-safe;
// the token store serialises access with its own mutex.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "common/result.h"
#include "storage/store.h"

namespace craton::storage::sqlite {

struct DbCloser {
  void operator()(sqlite3* db) const noexcept { sqlite3_close_v2(db); }
};
using DbPtr = std::unique_ptr<sqlite3, DbCloser>;

struct StmtFinalizer {
  void operator()(sqlite3_stmt* s) const noexcept { sqlite3_finalize(s); }
};

// THE translation of SQLite result codes (extended codes welcome): disk full → CKR_DEVICE_MEMORY,
// database file unlinked under us → CKR_DEVICE_REMOVED, out of memory → CKR_HOST_MEMORY,
// everything else → CKR_DEVICE_ERROR. `reason` (a literal) is used when no better one is known.
Error sqlite_failure(int rc, const char* reason) noexcept;

// Runs SQL without results (may hold several statements).
Status exec(sqlite3* db, const char* sql);

// A prepared statement. Bound spans/strings must stay alive until the statement is stepped to
// completion or destroyed (they are bound without copying).
class Statement {
 public:
  static Result<Statement> prepare(sqlite3* db, std::string_view sql);

  Status bind_text(int index, std::string_view text);
  Status bind_blob(int index, std::span<const std::uint8_t> blob);
  Status bind_int(int index, std::int64_t value);

  // true: a row is available; false: done.
  Result<bool> step();
  // Steps to completion, ignoring rows.
  Status run();

  std::int64_t column_int(int col);
  Bytes column_blob(int col);
  std::string column_text(int col);
  // Views valid until the next step(), reset or destruction of the statement.
  std::span<const std::uint8_t> column_blob_view(int col);
  std::string_view column_text_view(int col);

 private:
  explicit Statement(sqlite3_stmt* s) : stmt_(s) {}
  std::unique_ptr<sqlite3_stmt, StmtFinalizer> stmt_;
};

// Rolls back an open transaction when it goes out of scope without dismiss(): covers early
// returns and exceptions (bad_alloc) thrown by the caller's transaction body.
class TransactionGuard {
 public:
  explicit TransactionGuard(sqlite3* db) : db_(db) {}
  TransactionGuard(const TransactionGuard&) = delete;
  TransactionGuard& operator=(const TransactionGuard&) = delete;
  ~TransactionGuard();
  void dismiss() noexcept { db_ = nullptr; }

 private:
  sqlite3* db_;
};

}  // namespace craton::storage::sqlite
