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
#include <type_traits>
#include <vector>

namespace craton {

// The storage, for any trivially copyable element type: SmallBytes holds bytes, SmallString
// (small_string.h) characters, each with its own element type so that neither needs a cast.
template <class T, std::size_t N>
class SmallBuffer {
  static_assert(std::is_trivially_copyable_v<T>, "elements are copied with memmove");

 public:
  SmallBuffer() = default;
  SmallBuffer(const T* p, std::size_t n) { assign(p, n); }
  explicit SmallBuffer(std::span<const T> s) { assign(s.data(), s.size()); }

  // Replaces the contents with the n elements at p (p may be null when n is 0, and may point into
  // this object's own elements: they are copied before the old storage goes).
  void assign(const T* p, std::size_t n) {
    if (n <= N) {
      if (n != 0) std::memmove(inline_.data(), p, n * sizeof(T));
      std::vector<T>().swap(heap_);
    } else {
      std::vector<T>(p, p + n).swap(heap_);
    }
    size_ = n;
  }

  const T* data() const noexcept { return size_ <= N ? inline_.data() : heap_.data(); }
  T* data() noexcept { return size_ <= N ? inline_.data() : heap_.data(); }
  std::size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }
  const T* begin() const noexcept { return data(); }
  const T* end() const noexcept { return data() + size_; }
  std::span<const T> span() const noexcept { return {data(), size_}; }
  operator std::span<const T>() const noexcept { return span(); }  // NOLINT: as std::vector's

  friend bool operator==(const SmallBuffer& a, const SmallBuffer& b) noexcept {
    return a.size_ == b.size_ && (a.size_ == 0 || std::memcmp(a.data(), b.data(), a.size_ * sizeof(T)) == 0);
  }

 private:
  std::array<T, N> inline_{};
  std::size_t size_ = 0;
  std::vector<T> heap_;  // used only when size_ > N
};

template <std::size_t N>
using SmallBytes = SmallBuffer<std::uint8_t, N>;

}  // namespace craton
