// Pre-operational software integrity test (ISO/IEC 19790 AS10.03, FIPS 140-3 IG 10.3.B): an
// HMAC-SHA-256 over the module file, compared with the value written beside it at build time.
//
// The module finds its own file with dladdr1() on a function inside it; the expected value lives
// in `<real path of the module>.hmac` (64 hexadecimal digits), written by the build's POST_BUILD
// step (the craton-module-hmac tool, which calls module_file_hmac() below) and installed next to
// the library. A missing, unreadable or different value refuses the start.
//
// Where the test applies: only when this code runs from a shared object (libcratonhsm.so, or the
// test module). Programs that link the internals statically (unit tests, fuzz targets, benchmarks,
// the cross-test driver) have no module file to check — the code lives inside the executable, whose
// link map entry has an empty name — and there the test is skipped (logged at DEBUG). A validated
// module is only ever the shared library, so this exempts nothing that ships.
//
// The HMAC key is a fixed public constant, as is usual for this test: the test detects accidental
// or careless modification, not an attacker who can rewrite both files.
// Thread safety: stateless; safe from any thread.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"
#include "crypto/ossl/mac.h"

namespace craton::selftest {

// The integrity key (32 bytes, public).
std::span<const std::uint8_t> integrity_key() noexcept;

// HMAC-SHA-256 under integrity_key() over the whole file at `path`. A file that cannot be read →
// CKR_GENERAL_ERROR.
Result<crypto::Sha256Digest> module_file_hmac(const std::string& path);

// The real path of the shared object this code was loaded from, or nullopt when it is linked into
// the main program.
std::optional<std::string> own_module_path();

// The test itself: nullopt-module → passes (not applicable); otherwise the file's HMAC must equal
// the sidecar's value. Failure → CKR_FIPS_SELF_TEST_FAILED with the reason (not latched here).
Status run_integrity_test();

// The sidecar's file name for a module path.
inline std::string sidecar_path(std::string_view module_path) { return std::string(module_path) + ".hmac"; }

}  // namespace craton::selftest
