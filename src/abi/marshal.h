// The only code that reads or writes caller memory.
//
// (pointer, length) pairs become spans or owned copies here, once; the PKCS#11 output-buffer rule
// (NULL buffer -> report the length; too small -> CKR_BUFFER_TOO_SMALL with the length) is
// written once; caller templates are copied into owned attributes; C_GetAttributeValue's
// per-attribute semantics live in write_attributes().
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "common/secure_bytes.h"
#include "object/attribute.h"

namespace craton::abi {

// Largest attribute value or data buffer we accept from a caller (defence against absurd lengths).
inline constexpr CK_ULONG kMaxValueLen = 64UL * 1024 * 1024;
inline constexpr CK_ULONG kMaxTemplateCount = 4096;

// A caller input buffer is acceptable: NULL only together with length 0.
inline bool in_ok(const void* p, CK_ULONG len) noexcept { return p != nullptr || len == 0; }

// NULL with a non-zero length is CKR_ARGUMENTS_BAD; (NULL, 0) is an empty buffer.
Result<std::span<const std::uint8_t>> in_bytes(const void* p, CK_ULONG len);
Result<SecureBytes> in_secret(const CK_UTF8CHAR* p, CK_ULONG len);

// Output buffer rule for a byte result.
CK_RV out_bytes(std::span<const std::uint8_t> value, CK_BYTE_PTR out, CK_ULONG_PTR out_len);
// Output rule for a CK_ULONG list (C_GetSlotList, C_GetMechanismList).
CK_RV out_ulongs(std::span<const CK_ULONG> values, CK_ULONG_PTR out, CK_ULONG_PTR count);

// Copies a caller template (NULL with count > 0 is CKR_ARGUMENTS_BAD, a value pointer NULL with
// a length is CKR_ARGUMENTS_BAD, array attributes are copied recursively).
Result<object::AttributeSet> in_template(const CK_ATTRIBUTE* p, CK_ULONG count);

// C_GetAttributeValue semantics over an attribute set (readability decided by the object rules).
// `sealed`: the object's key material is not available until login (reported as sensitive).
CK_RV write_attributes(const object::AttributeSet& obj, bool sealed, CK_ATTRIBUTE* tmpl, CK_ULONG count);

// Copies text into a blank-padded fixed field.
void blank_copy(std::span<CK_UTF8CHAR> dst, std::string_view src);

}  // namespace craton::abi
