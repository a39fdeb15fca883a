#include "common/secure_bytes.h"

#include <openssl/crypto.h>
#include <sys/mman.h>

#include <array>
#include <atomic>
#include <cstdlib>
#include <mutex>
#include <new>
#include <utility>

namespace craton {
namespace {
std::atomic<std::uint64_t> g_wiped{0};
std::atomic<std::uint64_t> g_protected{0};  // bytes of slab regions (MADV_DONTDUMP)
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

// Small blocks (up to kMaxSlab bytes: keys, seeds, PINs, attribute values) come from slabs: 64 KiB
// regions taken from the OS once, marked MADV_DONTDUMP and locked when permitted, and cut into
// blocks of one size class (16 ... 2048 bytes). A freed block is wiped, then kept on its class's
// free list; the regions are never given back, so memory that held a secret is never handed to
// the rest of the process. Under AddressSanitizer blocks come from malloc instead, so ASan keeps
// checking every access to them.
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kSlabs = false;
#else
constexpr bool kSlabs = true;
#endif

constexpr std::size_t kMinSlab = 16;
constexpr std::size_t kMaxSlab = 2048;
constexpr std::size_t kClasses = 8;  // 16, 32, ..., 2048
constexpr std::size_t kRegion = 64 * 1024;

std::size_t class_of(std::size_t bytes) noexcept {
  std::size_t c = 0;
  for (std::size_t size = kMinSlab; size < bytes; size <<= 1) ++c;
  return c;
}

struct FreeBlock {
  FreeBlock* next;
};

class SlabClass {
 public:
  void* take(std::size_t block) {
    std::lock_guard lock(mu_);
    if (free_ == nullptr) refill(block);
    FreeBlock* b = free_;
    free_ = b->next;
    b->next = nullptr;  // the caller receives zeroed memory, like a fresh region
    return b;
  }
  void give(void* p) noexcept {
    std::lock_guard lock(mu_);
    auto* b = static_cast<FreeBlock*>(p);
    b->next = free_;
    free_ = b;
  }

 private:
  // REQUIRES: mu_ held.
  void refill(std::size_t block) {
    void* region = map_pages(kRegion);
    g_protected.fetch_add(kRegion, std::memory_order_relaxed);
    auto* base = static_cast<std::uint8_t*>(region);
    for (std::size_t off = kRegion; off >= block; off -= block) {  // the list ends up in address order
      auto* b = static_cast<FreeBlock*>(static_cast<void*>(base + off - block));
      b->next = free_;
      free_ = b;
    }
  }

  std::mutex mu_;
  FreeBlock* free_ = nullptr;
};

// Never destroyed: blocks may be released during static destruction (the library state is never
// destroyed either), and the regions must outlive every block.
SlabClass* slabs() {
  static std::array<SlabClass, kClasses>* classes = [] {
    static union Storage {
      Storage() : value() {}
      ~Storage() {}
      std::array<SlabClass, kClasses> value;
    } storage;
    return &storage.value;
  }();
  return classes->data();
}

}  // namespace

void* secure_allocate(std::size_t bytes) {
  if (bytes == 0) bytes = 1;
  if (kSlabs && bytes <= kMaxSlab) {
    const std::size_t c = class_of(bytes);
    return slabs()[c].take(kMinSlab << c);
  }
  if (bytes > kMaxSlab && (kSlabs || bytes >= kPage)) {
    const std::size_t pages = (bytes + kPage - 1) / kPage;
    if (void* p = pool().take(pages)) return p;
    return map_pages(pages * kPage);
  }
  void* p = std::malloc(bytes);  // AddressSanitizer builds, small blocks
  if (p == nullptr) throw std::bad_alloc();
  return p;
}

void secure_deallocate(void* p, std::size_t bytes) noexcept {
  if (p == nullptr) return;
  if (bytes == 0) bytes = 1;
  OPENSSL_cleanse(p, bytes);
  g_wiped.fetch_add(bytes, std::memory_order_relaxed);
  if (kSlabs && bytes <= kMaxSlab) {
    slabs()[class_of(bytes)].give(p);
    return;
  }
  if (bytes > kMaxSlab && (kSlabs || bytes >= kPage)) {
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

std::uint64_t secure_slab_bytes() noexcept { return g_protected.load(std::memory_order_relaxed); }

}  // namespace craton
