#include "audit/key.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include "audit/chain.h"
#include "audit/head.h"
#include "crypto/ossl/random.h"

namespace craton::audit {

Result<SecureBytes> read_key(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return fail(errno == ENOENT ? CKR_DATA_INVALID : CKR_DEVICE_ERROR, "cannot open the audit key");
  SecureBytes key(kKeySize + 1);  // one spare byte detects a longer file
  std::size_t got = 0;
  while (got < key.size()) {
    const ssize_t n = ::read(fd, key.data() + got, key.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += static_cast<std::size_t>(n);
  }
  ::close(fd);
  if (got != kKeySize) return fail(CKR_DEVICE_ERROR, "the audit key file is not 32 bytes");
  key.resize(kKeySize);
  return key;
}

Result<SecureBytes> load_or_create_key(const std::string& path) {
  auto existing = read_key(path);
  if (existing.ok() || existing.rv() != CKR_DATA_INVALID) return existing;
  SecureBytes fresh(kKeySize);
  CRATON_TRY(crypto::random_bytes(fresh.span()));
  auto st = write_file_atomic(path, fresh.span(), 0600, true, /*exclusive=*/true);
  // CKR_FUNCTION_REJECTED: another process created it first; use theirs.
  if (!st.ok() && st.rv() != CKR_FUNCTION_REJECTED) return st.error();
  return read_key(path);
}

}  // namespace craton::audit
