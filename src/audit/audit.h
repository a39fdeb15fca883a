// craton::audit — the module's entry to the audit log (docs/AUDIT.md).
//
// open_log() turns the configuration into a running Writer (or none when audit.enabled = false).
// token::Library owns it for one C_Initialize..C_Finalize lifetime and records through it.
//
// Self-tests: record_selftest() may be called at any time, also before the log is open (POST
// runs early in C_Initialize): results are then kept (up to 256) and written right after the
// next stream's audit.start record.
//
// The "approved" flag of a record is the service indicator of the call it records (docs/FIPS.md),
// decided by the abi layer (abi/audit_hooks.h); self-test records are not services (false).
//
// Thread safety: every function here is thread-safe.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "audit/writer.h"
#include "common/result.h"
#include "config/config.h"

namespace craton::audit {

// The writer for `cfg`, or nullptr when auditing is off. The key comes from
// <tokendir>/.audit.key (created when missing); the directory is cfg.audit.dir or
// <tokendir>/audit.
[[nodiscard]] Result<std::unique_ptr<Writer>> open_log(const config::Config& cfg);

// Where the configuration puts the audit files and the key (also used by the tool).
std::string audit_dir(const config::Config& cfg);
std::string key_path(const config::Config& cfg);

// Records a self-test result: `test` names it (static string, e.g. "POST", "KAT AES-GCM",
// "pairwise"), `mechanism` the algorithm if one, `result` CKR_OK for a pass.
void record_selftest(std::string_view test, std::optional<CK_MECHANISM_TYPE> mechanism, CK_RV result);

// Used by Writer::open/close: self-test results go to the registered writer.
void register_writer(Writer* w);
void unregister_writer(Writer* w);

}  // namespace craton::audit
