// Names of PKCS#11 constants, for logs, the audit log, the configuration file and tools.
//
// value → name returns the canonical spelling of the PKCS#11 3.2 header; where the header has aliases
// (e.g. CKM_ECDSA_KEY_PAIR_GEN == CKM_EC_KEY_PAIR_GEN) the current name is returned. Unknown values map
// to a fixed placeholder ("CKR_UNKNOWN", "CKM_UNKNOWN", ...) so callers never format numbers into
// names; log the number separately (log::Hex) if it matters.
// name → value accepts canonical names and aliases, exact spelling (case-sensitive).
//
// Thread safety: all functions are pure lookups in constant tables. The returned views point to
// static storage.
#pragma once

#include <optional>
#include <string_view>

#include "craton/pkcs11/pkcs11.h"

namespace craton {

std::string_view rv_name(CK_RV rv) noexcept;                              // "CKR_OK" / "CKR_UNKNOWN"
std::string_view mechanism_name(CK_MECHANISM_TYPE type) noexcept;         // "CKM_SHA256" / "CKM_UNKNOWN"
std::string_view attribute_name(CK_ATTRIBUTE_TYPE type) noexcept;         // "CKA_CLASS" / "CKA_UNKNOWN"
std::string_view object_class_name(CK_OBJECT_CLASS cls) noexcept;         // "CKO_DATA" / "CKO_UNKNOWN"
std::string_view key_type_name(CK_KEY_TYPE type) noexcept;                // "CKK_RSA" / "CKK_UNKNOWN"
std::string_view user_type_name(CK_USER_TYPE type) noexcept;              // "CKU_SO" / "CKU_UNKNOWN"

std::optional<CK_RV> rv_from_name(std::string_view name) noexcept;
std::optional<CK_MECHANISM_TYPE> mechanism_from_name(std::string_view name) noexcept;
std::optional<CK_ATTRIBUTE_TYPE> attribute_from_name(std::string_view name) noexcept;

}  // namespace craton
