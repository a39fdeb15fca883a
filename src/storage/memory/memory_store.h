// In-memory twin of the SQLite backend, for tests: the same semantics (transactions, generations,
// tombstones, change detection, deletion → CKR_DEVICE_REMOVED) without touching the disk.
//
// State lives in a process-wide registry keyed by BackendOptions::directory, so two backends (or
// two TokenStores) opened on the same directory see the same tokens, as two processes sharing a
// directory would. Nothing survives the process.
// Thread safety: every token has its own mutex; write() holds it while fn runs. REQUIRES: fn uses
// only the Transaction it is given.
#pragma once

#include <memory>

#include "storage/store.h"

namespace craton::storage::memory {

Result<std::unique_ptr<StoreBackend>> make_memory_backend(const BackendOptions& opts);

}  // namespace craton::storage::memory
