#include "common/sharded_mutex.h"

#include <pthread.h>
#include <sched.h>

#include <algorithm>
#include <atomic>
#include <bit>
#include <cstdint>
#include <thread>

namespace craton {
namespace {

// Numbers 0..63 held by live threads; a thread gives its number back when it exits.
std::atomic<std::uint64_t> g_taken{0};
// Handed out round robin from 64 on when 64 threads hold a number each.
std::atomic<std::size_t> g_overflow{0};
// The calling thread's number + 1; 0 = none yet. A constant initialiser keeps the access free of
// a TLS init guard on the hot path, and the initial-exec model keeps it free of __tls_get_addr
// (a dynamically loaded library otherwise resolves it through that call, several times per
// PKCS#11 call). The cost is 8 bytes of glibc's static TLS reserve for dlopen()ed libraries.
__attribute__((tls_model("initial-exec"))) thread_local std::size_t t_number = 0;

constexpr std::size_t kTracked = 64;

// Gives the thread's number back when the thread exits (registered on its first use only).
struct GiveBack {
  ~GiveBack() {
    const std::size_t n = t_number - 1;
    if (t_number != 0 && n < kTracked) g_taken.fetch_and(~(std::uint64_t{1} << n), std::memory_order_release);
  }
};

// In a fork() child only the forking thread exists: the others' numbers are free again.
void forget_other_threads() noexcept {
  const std::size_t n = t_number - 1;
  g_taken.store(t_number != 0 && n < kTracked ? std::uint64_t{1} << n : 0, std::memory_order_relaxed);
}

// The number for a new thread given the numbers taken: one whose value modulo 8 no live thread
// has (then the number itself is below 8 and free), else the lowest free one (header comment).
std::size_t pick(std::uint64_t taken) noexcept {
  std::uint64_t folded = taken;
  folded |= folded >> 32;
  folded |= folded >> 16;
  folded |= folded >> 8;
  const auto residues = static_cast<std::uint8_t>(folded);
  if (residues != 0xFF) return static_cast<std::size_t>(std::countr_one(residues));
  return static_cast<std::size_t>(std::countr_one(taken));
}

std::size_t assign() noexcept {
  static const int registered = ::pthread_atfork(nullptr, nullptr, forget_other_threads);
  (void)registered;
  std::uint64_t taken = g_taken.load(std::memory_order_relaxed);
  std::size_t n = 0;
  while (true) {
    if (taken == ~std::uint64_t{0}) {
      n = kTracked + g_overflow.fetch_add(1, std::memory_order_relaxed);
      break;
    }
    n = pick(taken);
    if (g_taken.compare_exchange_weak(taken, taken | (std::uint64_t{1} << n), std::memory_order_acq_rel,
                                      std::memory_order_relaxed)) {
      break;
    }
  }
  t_number = n + 1;
  thread_local GiveBack give_back;  // its destructor runs when this thread exits
  (void)give_back;
  return n;
}

}  // namespace

std::size_t thread_shard() noexcept { return t_number != 0 ? t_number - 1 : assign(); }

std::uint64_t thread_shard_numbers_taken() noexcept { return g_taken.load(std::memory_order_relaxed); }

std::size_t usable_cpus() noexcept {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof set, &set) == 0) {
    const int n = CPU_COUNT(&set);
    if (n > 0) return static_cast<std::size_t>(n);
  }
  return std::max<std::size_t>(std::thread::hardware_concurrency(), 1);
}

}  // namespace craton
