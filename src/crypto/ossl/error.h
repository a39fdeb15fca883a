// The one place where OpenSSL failures become Craton errors.
//
// OpenSSL reports details through a thread-local error queue. Left alone, stale entries would be
// blamed on the next unrelated call in the same thread, so every failure path goes through
// openssl_failure(), which inspects and then empties the queue.
#pragma once

#include <cstddef>

#include "common/result.h"

namespace craton::crypto {

// Drains the calling thread's OpenSSL error queue and returns an Error carrying `rv` and `reason`
// (a string literal). An allocation failure recorded in the queue is reported as CKR_HOST_MEMORY
// instead, because callers can act on it differently. Never throws.
Error openssl_failure(CK_RV rv, const char* reason) noexcept;

// OpenSSL's EVP layer takes `int` lengths; this checks that a size fits before it is narrowed.
bool fits_int(std::size_t n) noexcept;

}  // namespace craton::crypto
