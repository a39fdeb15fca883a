#include "common/secure_bytes.h"

#include <openssl/crypto.h>
#include <sys/mman.h>

#include <atomic>
#include <cstdlib>
#include <new>

namespace craton {
namespace {
std::atomic<std::uint64_t> g_wiped{0};
constexpr std::size_t kPage = 4096;
}  // namespace

namespace detail {

// Large buffers get their own pages so they can be kept out of core dumps and locked in RAM.
// Failure of madvise/mlock is tolerated: they are defences in depth, not correctness.
void* secure_allocate(std::size_t bytes) {
  if (bytes == 0) bytes = 1;
  if (bytes >= kPage) {
    void* p = nullptr;
    const std::size_t rounded = (bytes + kPage - 1) / kPage * kPage;
    if (posix_memalign(&p, kPage, rounded) != 0) throw std::bad_alloc();
    (void)madvise(p, rounded, MADV_DONTDUMP);
    (void)mlock(p, rounded);
    return p;
  }
  void* p = std::malloc(bytes);
  if (p == nullptr) throw std::bad_alloc();
  return p;
}

void secure_deallocate(void* p, std::size_t bytes) noexcept {
  if (p == nullptr) return;
  OPENSSL_cleanse(p, bytes);
  g_wiped.fetch_add(bytes, std::memory_order_relaxed);
  if (bytes >= kPage) {
    const std::size_t rounded = (bytes + kPage - 1) / kPage * kPage;
    (void)munlock(p, rounded);
    (void)madvise(p, rounded, MADV_DODUMP);
  }
  std::free(p);
}

}  // namespace detail

bool ct_equal(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b) noexcept {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::uint64_t secure_wiped_bytes() noexcept { return g_wiped.load(std::memory_order_relaxed); }

}  // namespace craton
