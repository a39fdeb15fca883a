#include "storage/sqlite/sqlite_transaction.h"

namespace craton::storage::sqlite {

Result<std::int64_t> read_data_version(sqlite3* db) {
  CRATON_ASSIGN_OR_RETURN(Statement st, Statement::prepare(db, "PRAGMA data_version"));
  CRATON_ASSIGN_OR_RETURN(const bool row, st.step());
  if (!row) return fail(CKR_DEVICE_ERROR, "token database data_version unavailable");
  return st.column_int(0);
}

Result<std::uint64_t> read_generation(sqlite3* db) {
  CRATON_ASSIGN_OR_RETURN(Statement st,
                          Statement::prepare(db, "SELECT value FROM generation WHERE id = 0"));
  CRATON_ASSIGN_OR_RETURN(const bool row, st.step());
  if (!row) return fail(CKR_DEVICE_ERROR, "token database corrupted");
  const std::int64_t v = st.column_int(0);
  if (v < 0) return fail(CKR_DEVICE_ERROR, "token database corrupted");
  return static_cast<std::uint64_t>(v);
}

Result<std::optional<Bytes>> select_blob(sqlite3* db, std::string_view sql, std::string_view key) {
  CRATON_ASSIGN_OR_RETURN(Statement st, Statement::prepare(db, sql));
  CRATON_TRY(st.bind_text(1, key));
  CRATON_ASSIGN_OR_RETURN(const bool row, st.step());
  if (!row) return std::optional<Bytes>{};
  return std::optional<Bytes>{st.column_blob(0)};
}

Result<std::int64_t> SqliteTransaction::bump() {
  if (!bumped_) {
    CRATON_ASSIGN_OR_RETURN(Statement st,
                            Statement::prepare(db_, "UPDATE generation SET value = ?1 WHERE id = 0"));
    CRATON_TRY(st.bind_int(1, static_cast<std::int64_t>(generation_ + 1)));
    CRATON_TRY(st.run());
    ++generation_;
    bumped_ = true;
  }
  return static_cast<std::int64_t>(generation_);
}

Result<std::optional<Bytes>> SqliteTransaction::get_meta(std::string_view key) {
  return select_blob(db_, "SELECT value FROM meta WHERE key = ?1", key);
}

Status SqliteTransaction::put_meta(std::string_view key, std::span<const std::uint8_t> value) {
  CRATON_TRY(bump());
  CRATON_ASSIGN_OR_RETURN(
      Statement st, Statement::prepare(db_, "INSERT OR REPLACE INTO meta(key, value) VALUES (?1, ?2)"));
  CRATON_TRY(st.bind_text(1, key));
  CRATON_TRY(st.bind_blob(2, value));
  return st.run();
}

Result<std::optional<Bytes>> SqliteTransaction::get_object(std::string_view uid) {
  return select_blob(db_, "SELECT blob FROM objects WHERE uid = ?1", uid);
}

Status SqliteTransaction::put_object(std::string_view uid, std::span<const std::uint8_t> blob) {
  CRATON_ASSIGN_OR_RETURN(const std::int64_t gen, bump());
  CRATON_ASSIGN_OR_RETURN(
      Statement put,
      Statement::prepare(db_, "INSERT OR REPLACE INTO objects(uid, gen, blob) VALUES (?1, ?2, ?3)"));
  CRATON_TRY(put.bind_text(1, uid));
  CRATON_TRY(put.bind_int(2, gen));
  CRATON_TRY(put.bind_blob(3, blob));
  CRATON_TRY(put.run());
  CRATON_ASSIGN_OR_RETURN(Statement unmark,
                          Statement::prepare(db_, "DELETE FROM tombstones WHERE uid = ?1"));
  CRATON_TRY(unmark.bind_text(1, uid));
  return unmark.run();
}

Status SqliteTransaction::delete_object(std::string_view uid) {
  CRATON_ASSIGN_OR_RETURN(Statement del, Statement::prepare(db_, "DELETE FROM objects WHERE uid = ?1"));
  CRATON_TRY(del.bind_text(1, uid));
  CRATON_TRY(del.run());
  if (sqlite3_changes(db_) == 0) return ok_status();  // already gone: nothing to announce
  CRATON_ASSIGN_OR_RETURN(const std::int64_t gen, bump());
  CRATON_ASSIGN_OR_RETURN(
      Statement mark,
      Statement::prepare(db_, "INSERT OR REPLACE INTO tombstones(uid, gen) VALUES (?1, ?2)"));
  CRATON_TRY(mark.bind_text(1, uid));
  CRATON_TRY(mark.bind_int(2, gen));
  return mark.run();
}

Status SqliteTransaction::delete_all_objects() {
  CRATON_ASSIGN_OR_RETURN(const std::int64_t gen, bump());
  CRATON_ASSIGN_OR_RETURN(
      Statement mark,
      Statement::prepare(db_, "INSERT OR REPLACE INTO tombstones(uid, gen) SELECT uid, ?1 FROM objects"));
  CRATON_TRY(mark.bind_int(1, gen));
  CRATON_TRY(mark.run());
  return exec(db_, "DELETE FROM objects");
}

}  // namespace craton::storage::sqlite
