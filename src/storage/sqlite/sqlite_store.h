// The embedded default backend: one SQLite database per token under a common directory.
//
// Layout: <directory>/<token name>/token.sqlite (+ -wal and -shm while in use), and
// <directory>/.craton.lock for with_backend_lock(). Directories are created with mode
// 0777 & ~umask and files with 0666 & ~umask, where umask is BackendOptions::umask (applied
// exactly, independent of the process umask, which is never touched).
// Thread safety: the backend object is stateless apart from its options; all methods may be
// called concurrently. See sqlite_token.h for the per-token store.
#pragma once

#include <memory>

#include "storage/store.h"

namespace craton::storage::sqlite {

// Creates the top directory if missing (CKR_DEVICE_ERROR "cannot create token directory").
Result<std::unique_ptr<StoreBackend>> make_sqlite_backend(const BackendOptions& opts);

}  // namespace craton::storage::sqlite
