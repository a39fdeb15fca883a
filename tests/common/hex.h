// Test vectors are written in hexadecimal: one decoder for the unit and the API tests.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace craton::test {

inline std::vector<std::uint8_t> from_hex(std::string_view h) {
  auto nibble = [](char c) -> std::uint8_t {
    if (c >= '0' && c <= '9') return static_cast<std::uint8_t>(c - '0');
    if (c >= 'a' && c <= 'f') return static_cast<std::uint8_t>(c - 'a' + 10);
    return static_cast<std::uint8_t>(c - 'A' + 10);
  };
  std::vector<std::uint8_t> out(h.size() / 2);
  for (std::size_t i = 0; i < out.size(); ++i) {
    out[i] = static_cast<std::uint8_t>((nibble(h[2 * i]) << 4) | nibble(h[2 * i + 1]));
  }
  return out;
}

}  // namespace craton::test
