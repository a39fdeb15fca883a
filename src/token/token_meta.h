// Keys and little-endian encodings of the token metadata table (storage::TokenStore meta).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace craton::token::meta {

inline constexpr std::string_view kFormat = "format";
inline constexpr std::string_view kSlotId = "slot_id";
inline constexpr std::string_view kLabel = "label";
inline constexpr std::string_view kSerial = "serial";
inline constexpr std::string_view kSoPin = "so_pin";
inline constexpr std::string_view kUserPin = "user_pin";
inline constexpr std::string_view kSoFailures = "so_failures";
inline constexpr std::string_view kUserFailures = "user_failures";
inline constexpr std::string_view kIntegrityKey = "integrity_key";
inline constexpr std::uint64_t kFormatVersion = 1;

inline std::vector<std::uint8_t> u64(std::uint64_t v) {
  std::vector<std::uint8_t> b(8);
  for (int i = 0; i < 8; ++i) b[i] = static_cast<std::uint8_t>(v >> (8 * i));
  return b;
}

inline std::optional<std::uint64_t> as_u64(std::span<const std::uint8_t> b) {
  if (b.size() != 8) return std::nullopt;
  std::uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v |= static_cast<std::uint64_t>(b[i]) << (8 * i);
  return v;
}

inline std::vector<std::uint8_t> bytes(std::string_view s) { return {s.begin(), s.end()}; }

inline std::string text(std::span<const std::uint8_t> b) { return {b.begin(), b.end()}; }

}  // namespace craton::token::meta
