#include "storage/memory/memory_store.h"
#include "storage/sqlite/sqlite_store.h"
#include "storage/store.h"

namespace craton::storage {

Result<std::unique_ptr<StoreBackend>> make_backend(std::string_view kind, const BackendOptions& opts) {
  // "db" is accepted as an alias because SoftHSM configurations name the SQLite backend that way.
  if (kind == "sqlite" || kind == "db") return sqlite::make_sqlite_backend(opts);
  if (kind == "memory") return memory::make_memory_backend(opts);
  return fail(CKR_GENERAL_ERROR, "unknown object store backend");
}

}  // namespace craton::storage
