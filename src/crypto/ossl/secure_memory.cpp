#include "common/secure_bytes.h"

#include <openssl/crypto.h>
#include <sys/mman.h>

#include <array>
#include <atomic>
#include <cstdlib>
#include <new>
#include <utility>

namespace craton {
namespace {
std::atomic<std::uint64_t> g_wiped{0};
constexpr std::size_t kPage = 4096;
}  // namespace

namespace detail {

// Large buffers get their own pages so they can be kept out of core dumps and locked in RAM.
// Failure of madvise/mlock is tolerated: they are defences in depth, not correctness.
//
// Locking and unlocking pages costs four system calls, which would dominate a 4 KiB cipher
// operation, so each thread keeps a few wiped, still-locked blocks per size class for reuse.
namespace {

constexpr std::size_t kMaxPooledPages = 16;  // blocks up to 64 KiB are reused
constexpr std::size_t kPerClass = 2;

void* map_pages(std::size_t rounded) {
  void* p = nullptr;
  if (posix_memalign(&p, kPage, rounded) != 0) throw std::bad_alloc();
  (void)madvise(p, rounded, MADV_DONTDUMP);
  (void)mlock(p, rounded);
  return p;
}

void unmap_pages(void* p, std::size_t rounded) noexcept {
  (void)munlock(p, rounded);
  (void)madvise(p, rounded, MADV_DODUMP);
  std::free(p);
}

// blocks[i] holds blocks of i + 1 pages.
struct BlockPool {
  std::array<std::array<void*, kPerClass>, kMaxPooledPages> blocks{};
  ~BlockPool() {
    for (std::size_t i = 0; i < blocks.size(); ++i) {
      for (void*& b : blocks[i]) {
        if (b != nullptr) unmap_pages(b, (i + 1) * kPage);
        b = nullptr;
      }
    }
  }
  void* take(std::size_t pages) noexcept {
    if (pages == 0 || pages > blocks.size()) return nullptr;
    for (void*& b : blocks[pages - 1]) {
      if (b != nullptr) return std::exchange(b, nullptr);
    }
    return nullptr;
  }
  bool give(void* p, std::size_t pages) noexcept {
    if (pages == 0 || pages > blocks.size()) return false;
    for (void*& b : blocks[pages - 1]) {
      if (b == nullptr) {
        b = p;
        return true;
      }
    }
    return false;
  }
};

BlockPool& pool() {
  thread_local BlockPool p;
  return p;
}

}  // namespace

void* secure_allocate(std::size_t bytes) {
  if (bytes == 0) bytes = 1;
  if (bytes >= kPage) {
    const std::size_t pages = (bytes + kPage - 1) / kPage;
    if (void* p = pool().take(pages)) return p;
    return map_pages(pages * kPage);
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
    const std::size_t pages = (bytes + kPage - 1) / kPage;
    if (!pool().give(p, pages)) unmap_pages(p, pages * kPage);
    return;
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
