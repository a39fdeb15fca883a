#include "crypto/ossl/error.h"

#include <openssl/err.h>

#include <climits>

namespace craton::crypto {

Error openssl_failure(CK_RV rv, const char* reason) noexcept {
  // Scan the whole queue: the allocation failure is often not the newest entry.
  bool out_of_memory = false;
  for (unsigned long e = ERR_get_error(); e != 0; e = ERR_get_error()) {
    if (ERR_GET_REASON(e) == ERR_R_MALLOC_FAILURE) out_of_memory = true;
  }
  ERR_clear_error();
  if (out_of_memory) return fail(CKR_HOST_MEMORY, "out of memory in OpenSSL");
  return fail(rv, reason);
}

bool fits_int(std::size_t n) noexcept { return n <= static_cast<std::size_t>(INT_MAX); }

}  // namespace craton::crypto
