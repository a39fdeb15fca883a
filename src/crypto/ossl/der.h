// The few DER (X.690) pieces the key layer needs: reading and writing tag-length-values, and the
// two key containers the post-quantum and hybrid keys travel in (SubjectPublicKeyInfo, RFC 5280,
// and OneAsymmetricKey, RFC 5958) for algorithms whose AlgorithmIdentifier is an OID alone.
// Definite lengths only (DER has no other kind).
// Thread safety: stateless; safe from any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "common/secure_bytes.h"

namespace craton::crypto {

// Public byte strings (points, OIDs, DER structures). Secrets use SecureBytes instead.
using Bytes = std::vector<std::uint8_t>;

inline constexpr std::uint8_t kDerOctetString = 0x04;
inline constexpr std::uint8_t kDerNull = 0x05;
inline constexpr std::uint8_t kDerOid = 0x06;
inline constexpr std::uint8_t kDerPrintableString = 0x13;
inline constexpr std::uint8_t kDerSequence = 0x30;

struct DerTlv {
  std::uint8_t tag = 0;
  std::size_t declared_len = 0;           // the length field's value
  std::span<const std::uint8_t> content;  // at most declared_len bytes (fewer only if truncated)
  std::size_t header_len = 0;             // tag + length octets
};

// Reads the single-byte tag and the definite length at the start of `in`. nullopt when the header
// itself is malformed (no bytes, indefinite or over-long length). The content is clipped to the
// input, so a caller can detect truncation as content.size() < declared_len.
std::optional<DerTlv> der_read_header(std::span<const std::uint8_t> in) noexcept;

// Content of a DER element of type `tag` that spans exactly the whole of `in`; nullopt otherwise.
std::optional<std::span<const std::uint8_t>> der_exact(std::span<const std::uint8_t> in,
                                                       std::uint8_t tag) noexcept;

// DER OCTET STRING around `content`.
Bytes der_octet_string(std::span<const std::uint8_t> content);

// Size of a whole element with `content_len` content bytes (header included).
std::size_t der_tlv_size(std::size_t content_len) noexcept;
// Appends the tag and length octets of an element (content up to 16 MiB).
void der_append_header(Bytes& out, std::uint8_t tag, std::size_t content_len);
void der_append_header(SecureBytes& out, std::uint8_t tag, std::size_t content_len);
// The content of the complete element of type `tag` at the front of `in`; advances `in` past it.
// nullopt (and `in` unchanged) for another tag, a malformed header or a truncated element.
std::optional<std::span<const std::uint8_t>> der_take(std::span<const std::uint8_t>& in, std::uint8_t tag) noexcept;

// SubjectPublicKeyInfo { AlgorithmIdentifier { `oid_der` }, BIT STRING `public_key` }. `oid_der`
// is the whole OBJECT IDENTIFIER element (tag and length included).
Bytes der_subject_public_key_info(std::span<const std::uint8_t> oid_der, std::span<const std::uint8_t> public_key);
// OneAsymmetricKey { version 0, AlgorithmIdentifier { `oid_der` }, privateKey OCTET STRING
// containing `private_key` }.
SecureBytes der_one_asymmetric_key(std::span<const std::uint8_t> oid_der, std::span<const std::uint8_t> private_key);

// The parts of a OneAsymmetricKey: version 0 or 1, then optional [0] attributes (skipped) and,
// in version 1 only, an optional [1] publicKey. Anything else is nullopt.
struct DerOneAsymmetricKey {
  std::span<const std::uint8_t> algorithm;    // AlgorithmIdentifier content (OID, parameters if any)
  std::span<const std::uint8_t> private_key;  // privateKey OCTET STRING content
  std::optional<std::span<const std::uint8_t>> public_key;  // publicKey bits (no unused-bits byte)
};
std::optional<DerOneAsymmetricKey> der_read_one_asymmetric_key(std::span<const std::uint8_t> der) noexcept;

}  // namespace craton::crypto
