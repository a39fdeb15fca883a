// The audit key: 32 random bytes that key the record MACs and the head MAC (docs/AUDIT.md).
//
// It lives in the token directory (default <tokendir>/.audit.key, mode 0600), next to the token
// databases and never in the audit directory: whoever may only write the audit files cannot
// recompute a MAC. The first process that audits creates it; creation is atomic (write a
// temporary, link() it into place), so concurrent processes agree on one key.
//
// Thread safety: pure functions.
#pragma once

#include <string>

#include "common/result.h"
#include "common/secure_bytes.h"

namespace craton::audit {

inline constexpr const char* kKeyFileName = ".audit.key";

// Reads the key; CKR_DATA_INVALID if missing, CKR_DEVICE_ERROR if unreadable or not 32 bytes.
[[nodiscard]] Result<SecureBytes> read_key(const std::string& path);

// Reads the key, creating it first if the file does not exist.
[[nodiscard]] Result<SecureBytes> load_or_create_key(const std::string& path);

}  // namespace craton::audit
