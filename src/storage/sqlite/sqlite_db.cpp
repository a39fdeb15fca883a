#include "storage/sqlite/sqlite_db.h"

namespace craton::storage::sqlite {

Error sqlite_failure(int rc, const char* reason) noexcept {
  // SQLite notices (on some writes) that its file was unlinked or renamed: the token is gone.
  if (rc == SQLITE_READONLY_DBMOVED) return fail(CKR_DEVICE_REMOVED, "token was deleted");
  if (rc == SQLITE_IOERR_NOMEM) return fail(CKR_HOST_MEMORY, "out of memory in SQLite");
  switch (rc & 0xff) {
    case SQLITE_FULL:
      return fail(CKR_DEVICE_MEMORY, "token storage full");
    case SQLITE_NOMEM:
      return fail(CKR_HOST_MEMORY, "out of memory in SQLite");
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return fail(CKR_DEVICE_ERROR, "token database busy");
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return fail(CKR_DEVICE_ERROR, "token database corrupted");
    case SQLITE_CANTOPEN:
      return fail(CKR_DEVICE_ERROR, "cannot open token database");
    case SQLITE_IOERR:
      return fail(CKR_DEVICE_ERROR, "token database I/O error");
    default:
      return fail(CKR_DEVICE_ERROR, reason);
  }
}

Status exec(sqlite3* db, const char* sql) {
  const int rc = sqlite3_exec(db, sql, nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return sqlite_failure(rc, "database statement failed");
  return ok_status();
}

Result<Statement> Statement::prepare(sqlite3* db, std::string_view sql) {
  sqlite3_stmt* raw = nullptr;
  const int rc = sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &raw, nullptr);
  Statement s(raw);  // owns raw even on failure
  if (rc != SQLITE_OK) return sqlite_failure(rc, "cannot prepare database statement");
  return s;
}

// Binding with a null destructor (SQLITE_STATIC) avoids copies; see the lifetime rule in the header.
Status Statement::bind_text(int index, std::string_view text) {
  // A null pointer would bind SQL NULL; an empty string must stay an empty string.
  const char* p = text.empty() ? "" : text.data();
  const int rc = sqlite3_bind_text(stmt_.get(), index, p, static_cast<int>(text.size()), nullptr);
  if (rc != SQLITE_OK) return sqlite_failure(rc, "cannot bind database parameter");
  return ok_status();
}

Status Statement::bind_blob(int index, std::span<const std::uint8_t> blob) {
  const int rc = blob.empty()
                     ? sqlite3_bind_zeroblob(stmt_.get(), index, 0)
                     : sqlite3_bind_blob64(stmt_.get(), index, blob.data(), blob.size(), nullptr);
  if (rc != SQLITE_OK) return sqlite_failure(rc, "cannot bind database parameter");
  return ok_status();
}

Status Statement::bind_int(int index, std::int64_t value) {
  const int rc = sqlite3_bind_int64(stmt_.get(), index, value);
  if (rc != SQLITE_OK) return sqlite_failure(rc, "cannot bind database parameter");
  return ok_status();
}

Result<bool> Statement::step() {
  const int rc = sqlite3_step(stmt_.get());
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return sqlite_failure(rc, "database statement failed");
}

Status Statement::run() {
  for (;;) {
    CRATON_ASSIGN_OR_RETURN(const bool row, step());
    if (!row) return ok_status();
  }
}

std::int64_t Statement::column_int(int col) { return sqlite3_column_int64(stmt_.get(), col); }

Bytes Statement::column_blob(int col) {
  const auto v = column_blob_view(col);
  return Bytes(v.begin(), v.end());
}

std::string Statement::column_text(int col) { return std::string(column_text_view(col)); }

std::span<const std::uint8_t> Statement::column_blob_view(int col) {
  // column_blob before column_bytes, as SQLite documents, so the length matches the pointer.
  const auto* p = static_cast<const std::uint8_t*>(sqlite3_column_blob(stmt_.get(), col));
  const int n = sqlite3_column_bytes(stmt_.get(), col);
  if (p == nullptr || n <= 0) return {};
  return {p, static_cast<std::size_t>(n)};
}

std::string_view Statement::column_text_view(int col) {
  const auto* p = static_cast<const char*>(sqlite3_column_blob(stmt_.get(), col));
  const int n = sqlite3_column_bytes(stmt_.get(), col);
  if (p == nullptr || n <= 0) return {};
  return {p, static_cast<std::size_t>(n)};
}

TransactionGuard::~TransactionGuard() {
  // SQLite may already have rolled back by itself (e.g. after SQLITE_FULL); then autocommit is on.
  if (db_ != nullptr && sqlite3_get_autocommit(db_) == 0) {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  }
}

}  // namespace craton::storage::sqlite
