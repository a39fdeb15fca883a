#include "common/process.h"

#include <pthread.h>
#include <unistd.h>

#include <atomic>
#include <mutex>

namespace craton {
namespace {

std::atomic<pid_t> g_pid{0};

void refresh_in_child() noexcept { g_pid.store(::getpid(), std::memory_order_relaxed); }

}  // namespace

pid_t current_pid() noexcept {
  pid_t pid = g_pid.load(std::memory_order_relaxed);
  if (pid != 0) return pid;
  // The handler is registered before the id is first cached, so no fork() can come between
  // caching it and being told about the fork.
  static std::once_flag once;
  std::call_once(once, [] { (void)::pthread_atfork(nullptr, nullptr, refresh_in_child); });
  pid = ::getpid();
  pid_t expected = 0;
  g_pid.compare_exchange_strong(expected, pid, std::memory_order_relaxed);
  return g_pid.load(std::memory_order_relaxed);
}

}  // namespace craton
