// Little-endian byte writer and bounds-checked reader for the storage record formats.
//
// The reader never reads past its input: every accessor checks the remaining length first and
// reports shortage as std::nullopt, so parsers of untrusted records need no pointer arithmetic.
// Thread safety: value types; no internal locking.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace craton::storage {

// Appends to any byte container offering insert(end, first, last) or append(span) (SecureBytes).
template <class Container>
class ByteWriter {
 public:
  explicit ByteWriter(Container& out) : out_(out) {}

  void u8(std::uint8_t v) { put_le(v, 1); }
  void u16(std::uint16_t v) { put_le(v, 2); }
  void u32(std::uint32_t v) { put_le(v, 4); }
  void u64(std::uint64_t v) { put_le(v, 8); }
  void text(std::string_view s) {
    const std::vector<std::uint8_t> b(s.begin(), s.end());
    bytes(b);
  }
  void bytes(std::span<const std::uint8_t> b) {
    if constexpr (requires(Container& c) { c.append(b); }) {
      out_.append(b);
    } else {
      out_.insert(out_.end(), b.begin(), b.end());
    }
  }

 private:
  void put_le(std::uint64_t v, std::size_t n) {
    std::array<std::uint8_t, 8> buf{};
    for (std::size_t i = 0; i < n; ++i) buf[i] = static_cast<std::uint8_t>(v >> (8 * i));
    bytes(std::span<const std::uint8_t>(buf).first(n));
  }

  Container& out_;
};

class ByteReader {
 public:
  explicit ByteReader(std::span<const std::uint8_t> in) : in_(in) {}

  std::size_t remaining() const noexcept { return in_.size(); }
  bool empty() const noexcept { return in_.empty(); }

  std::optional<std::uint8_t> u8() { return get_le<std::uint8_t>(1); }
  std::optional<std::uint16_t> u16() { return get_le<std::uint16_t>(2); }
  std::optional<std::uint32_t> u32() { return get_le<std::uint32_t>(4); }
  std::optional<std::uint64_t> u64() { return get_le<std::uint64_t>(8); }

  // The next n bytes as a view into the input, or nullopt when fewer remain.
  std::optional<std::span<const std::uint8_t>> take(std::size_t n) {
    if (n > in_.size()) return std::nullopt;
    auto out = in_.first(n);
    in_ = in_.subspan(n);
    return out;
  }

 private:
  template <class T>
  std::optional<T> get_le(std::size_t n) {
    auto b = take(n);
    if (!b) return std::nullopt;
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < n; ++i) v |= static_cast<std::uint64_t>((*b)[i]) << (8 * i);
    return static_cast<T>(v);
  }

  std::span<const std::uint8_t> in_;
};

}  // namespace craton::storage
