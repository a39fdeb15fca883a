// SecureBytes: the only container for secret material (keys, PINs, seeds, intermediate secrets).
//
// Move-only, no implicit copy (use clone()), no operator== (use ct_equal), no stream support.
// Memory is wiped with OPENSSL_cleanse before it is released and, where the OS allows, excluded
// from core dumps. Thread safety: like std::vector (no internal locking).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace craton {

// Allocator that scrubs memory before freeing it. Every block lives in memory marked MADV_DONTDUMP
// and, where RLIMIT_MEMLOCK allows, locked in RAM: small blocks in dedicated slab regions, large
// ones in pages of their own (crypto/ossl/secure_memory.cpp). AddressSanitizer builds serve small
// blocks from malloc so that ASan keeps checking them.
template <class T>
struct ZeroizingAllocator {
  using value_type = T;
  ZeroizingAllocator() noexcept = default;
  template <class U>
  ZeroizingAllocator(const ZeroizingAllocator<U>&) noexcept {}  // NOLINT(implicit)
  T* allocate(std::size_t n);
  void deallocate(T* p, std::size_t n) noexcept;
  template <class U>
  bool operator==(const ZeroizingAllocator<U>&) const noexcept { return true; }
};

namespace detail {
void* secure_allocate(std::size_t bytes);
void secure_deallocate(void* p, std::size_t bytes) noexcept;
}  // namespace detail

template <class T>
T* ZeroizingAllocator<T>::allocate(std::size_t n) {
  return static_cast<T*>(detail::secure_allocate(n * sizeof(T)));
}
template <class T>
void ZeroizingAllocator<T>::deallocate(T* p, std::size_t n) noexcept {
  detail::secure_deallocate(p, n * sizeof(T));
}

class SecureBytes {
 public:
  SecureBytes() = default;
  explicit SecureBytes(std::size_t n) : data_(n) {}
  explicit SecureBytes(std::span<const std::uint8_t> src) : data_(src.begin(), src.end()) {}
  static SecureBytes from_string(std::string_view s) {
    SecureBytes b(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) b.data_[i] = static_cast<std::uint8_t>(s[i]);
    return b;
  }

  SecureBytes(SecureBytes&&) noexcept = default;
  SecureBytes& operator=(SecureBytes&&) noexcept = default;
  SecureBytes(const SecureBytes&) = delete;
  SecureBytes& operator=(const SecureBytes&) = delete;
  ~SecureBytes() = default;

  SecureBytes clone() const { return SecureBytes(span()); }

  std::size_t size() const noexcept { return data_.size(); }
  bool empty() const noexcept { return data_.empty(); }
  std::uint8_t* data() noexcept { return data_.data(); }
  const std::uint8_t* data() const noexcept { return data_.data(); }
  std::span<std::uint8_t> span() noexcept { return {data_.data(), data_.size()}; }
  std::span<const std::uint8_t> span() const noexcept { return {data_.data(), data_.size()}; }
  void resize(std::size_t n) { data_.resize(n); }
  void clear() noexcept { data_.clear(); }
  void append(std::span<const std::uint8_t> more) { data_.insert(data_.end(), more.begin(), more.end()); }

 private:
  std::vector<std::uint8_t, ZeroizingAllocator<std::uint8_t>> data_;
};

// Constant-time equality of two byte ranges (length is not secret).
bool ct_equal(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b) noexcept;

// Observability hook for tests: count of bytes handed back through secure_deallocate whose
// contents were wiped. Used to prove that secret buffers are scrubbed.
std::uint64_t secure_wiped_bytes() noexcept;
// Bytes of slab regions taken from the OS for small blocks (0 in AddressSanitizer builds).
std::uint64_t secure_slab_bytes() noexcept;

}  // namespace craton
