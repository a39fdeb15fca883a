// SmallBytes<N>: an owned byte string kept inline up to N bytes, on the heap beyond.
//
// For short values copied out of a caller's structure on a hot path: an AES-GCM IV (12 bytes)
// is decoded on every C_EncryptInit, and a std::vector there cost a heap allocation and release
// per message. Longer values (a 2^16-byte GCM IV is legal) take the heap as before.
// Not for secrets (nothing is wiped): use SecureBytes for those.
// Thread safety: a plain value type.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <vector>

namespace craton {

template <std::size_t N>
class SmallBytes {
 public:
  SmallBytes() = default;
  SmallBytes(const std::uint8_t* p, std::size_t n) { assign(p, n); }
  explicit SmallBytes(std::span<const std::uint8_t> s) { assign(s.data(), s.size()); }

  // Replaces the contents with the n bytes at p (p may be null when n is 0, and may point into
  // this object's own bytes: they are copied before the old storage goes).
  void assign(const std::uint8_t* p, std::size_t n) {
    if (n <= N) {
      if (n != 0) std::memmove(inline_.data(), p, n);
      std::vector<std::uint8_t>().swap(heap_);
    } else {
      std::vector<std::uint8_t>(p, p + n).swap(heap_);
    }
    size_ = n;
  }

  const std::uint8_t* data() const noexcept { return size_ <= N ? inline_.data() : heap_.data(); }
  std::uint8_t* data() noexcept { return size_ <= N ? inline_.data() : heap_.data(); }
  std::size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }
  const std::uint8_t* begin() const noexcept { return data(); }
  const std::uint8_t* end() const noexcept { return data() + size_; }
  std::span<const std::uint8_t> span() const noexcept { return {data(), size_}; }
  operator std::span<const std::uint8_t>() const noexcept { return span(); }  // NOLINT: as std::vector's

  friend bool operator==(const SmallBytes& a, const SmallBytes& b) noexcept {
    return a.size_ == b.size_ && (a.size_ == 0 || std::memcmp(a.data(), b.data(), a.size_) == 0);
  }

 private:
  std::array<std::uint8_t, N> inline_{};
  std::size_t size_ = 0;
  std::vector<std::uint8_t> heap_;  // used only when size_ > N
};

}  // namespace craton
