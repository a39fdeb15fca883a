// craton::current_pid — the calling process's id without a system call per use.
//
// getpid() is a real system call in glibc >= 2.25, and on a paravirtualised guest a system call
// costs microseconds: the per-object unique-id generator and the store's "was this connection
// inherited through fork()?" check ask for the pid on every call. The id is read once and kept;
// a pthread_atfork child handler, registered before the first read, refreshes it in every child
// created by fork(), so a child never sees its parent's id.
//
// Thread safety: thread-safe; async-signal-safe after the first call.
#pragma once

#include <sys/types.h>

namespace craton {

pid_t current_pid() noexcept;

}  // namespace craton
