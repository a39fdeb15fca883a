// Key hygiene through the allocator (common/secure_bytes.h): every SecureBytes buffer, small or
// large, lives in memory the kernel leaves out of core dumps (VmFlags "dd" in /proc/self/smaps),
// and every buffer is wiped when it is released.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "common/secure_bytes.h"

namespace craton {
namespace {

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kAsan = true;
#else
constexpr bool kAsan = false;
#endif

// The VmFlags of the mapping that contains `p`, from /proc/self/smaps ("" if not found).
std::string vm_flags_of(const void* p) {
  const auto addr = reinterpret_cast<std::uintptr_t>(p);
  std::ifstream smaps("/proc/self/smaps");
  std::string line;
  bool inside = false;
  while (std::getline(smaps, line)) {
    std::uintptr_t lo = 0, hi = 0;
    char dash = 0;
    std::istringstream head(line);
    if (head >> std::hex >> lo >> dash >> hi && dash == '-' && line.find(':') > line.find(' ')) {
      inside = addr >= lo && addr < hi;
      continue;
    }
    if (inside && line.rfind("VmFlags:", 0) == 0) return line.substr(8);
  }
  return "";
}

bool has_flag(const std::string& flags, const std::string& flag) {
  std::istringstream in(flags);
  std::string f;
  while (in >> f) {
    if (f == flag) return true;
  }
  return false;
}

TEST(SecureMemory, SmallSecretsStayOutOfCoreDumps) {
  SecureBytes key(32);
  std::fill(key.data(), key.data() + key.size(), 0x5A);
  const std::string flags = vm_flags_of(key.data());
  ASSERT_FALSE(flags.empty()) << "no mapping found for the buffer";
  if (kAsan) {
    // AddressSanitizer builds serve small blocks from malloc so that ASan checks them.
    EXPECT_EQ(secure_slab_bytes(), 0u);
  } else {
    EXPECT_TRUE(has_flag(flags, "dd")) << flags;
    EXPECT_GT(secure_slab_bytes(), 0u);
  }
}

TEST(SecureMemory, LargeSecretsStayOutOfCoreDumps) {
  SecureBytes big(3 * 4096 + 5);
  std::fill(big.data(), big.data() + big.size(), 0x33);
  const std::string flags = vm_flags_of(big.data() + big.size() - 1);
  EXPECT_TRUE(has_flag(flags, "dd")) << flags;
}

TEST(SecureMemory, EveryReleasedByteIsWiped) {
  for (std::size_t n : {std::size_t{1}, std::size_t{16}, std::size_t{48}, std::size_t{2048}, std::size_t{2049},
                        std::size_t{5000}}) {
    const std::uint64_t before = secure_wiped_bytes();
    void* p = detail::secure_allocate(n);
    std::memset(p, 0xA5, n);
    detail::secure_deallocate(p, n);
    EXPECT_EQ(secure_wiped_bytes() - before, n) << n;
    if (!kAsan && n <= 2048) {
      // A freed small block stays in its slab (mapped, never returned to the heap): after its
      // free-list link (the first 8 bytes) nothing of the secret is left.
      const auto* bytes = static_cast<const std::uint8_t*>(p);
      EXPECT_TRUE(std::all_of(bytes + sizeof(void*), bytes + n, [](std::uint8_t b) { return b == 0; })) << n;
    }
  }
}

TEST(SecureMemory, ConcurrentUseNeverSharesABlock) {
  constexpr int kThreads = 4, kRounds = 2000;
  std::vector<std::thread> threads;
  std::vector<int> bad(kThreads, 0);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([t, &bad] {
      std::vector<SecureBytes> held;
      for (int i = 0; i < kRounds; ++i) {
        SecureBytes b(static_cast<std::size_t>(16 + (i % 7) * 40));
        std::fill(b.data(), b.data() + b.size(), static_cast<std::uint8_t>(t + 1));
        held.push_back(std::move(b));
        if (held.size() == 50) {
          for (const auto& h : held) {
            if (std::any_of(h.data(), h.data() + h.size(), [t](std::uint8_t x) { return x != t + 1; })) ++bad[t];
          }
          held.clear();
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(bad[t], 0) << "thread " << t;
}

}  // namespace
}  // namespace craton
