// The few DER (X.690) pieces the key layer needs: reading one tag-length-value and writing an
// OCTET STRING. Definite lengths only (DER has no other kind).
// Thread safety: stateless; safe from any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

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

}  // namespace craton::crypto
