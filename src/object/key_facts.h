// KeyFacts: what every operation Init asks of its key — the usage flags, the key type, whether
// CKA_ALLOWED_MECHANISMS restricts it, CKA_ALWAYS_AUTHENTICATE, the FIPS parameter check and the
// CKA_UNIQUE_ID the audit record names — read from the attributes in one pass.
//
// A key's attributes live in an immutable snapshot (parsed_cache.h), so these answers cannot
// change while it lives: key_facts() in parsed_cache.h computes them once per snapshot, and a C_*Init
// asks them with a few loads instead of a binary search of the attribute set per question (about
// 500 of the ~3,900 instructions a C_EncryptInit took). Every answer equals the direct query
// (AttributeSet::get_bool / get_ulong, key_parameters_approved), which the unit test checks.
// Thread safety: a value type; read_key_facts is a pure function.
#pragma once

#include <cstdint>
#include <optional>
#include <span>

#include "object/attribute.h"

namespace craton::object {

struct KeyFacts {
  std::optional<CK_ULONG> key_type;
  bool restricts_mechanisms = false;  // CKA_ALLOWED_MECHANISMS present and not empty
  bool always_authenticate = false;   // CKA_ALWAYS_AUTHENTICATE true
  bool parameters_approved = false;   // key_parameters_approved()
  std::span<const std::uint8_t> unique_id;  // CKA_UNIQUE_ID, a view into the attribute set; empty if none

  // As AttributeSet::get_bool for the usage attributes (CKA_ENCRYPT, CKA_DECRYPT, CKA_SIGN,
  // CKA_VERIFY, CKA_SIGN_RECOVER, CKA_VERIFY_RECOVER, CKA_WRAP, CKA_UNWRAP, CKA_DERIVE,
  // CKA_ENCAPSULATE, CKA_DECAPSULATE); nullopt for any other type.
  std::optional<bool> usage(CK_ATTRIBUTE_TYPE t) const noexcept;

  std::uint16_t usage_present = 0;  // bit i: usage attribute i is present as a CK_BBOOL
  std::uint16_t usage_true = 0;     // bit i: ... and true
};

// The facts of `attrs`. Views into `attrs`: valid while it lives and is not changed.
KeyFacts read_key_facts(const AttributeSet& attrs);

}  // namespace craton::object
