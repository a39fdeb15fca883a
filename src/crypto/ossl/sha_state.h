// SHA-1 and SHA-2 with a running state that can be saved and restored (C_GetOperationState /
// C_SetOperationState of the digest mechanisms). EVP offers no way to export a digest's state,
// so this uses OpenSSL's own SHA code through its low-level interface, whose context structures
// are public; the state is the context image. Saved states are only meaningful inside the same
// process build (the abi layer authenticates them before restore()).
// Thread safety: value type; one object per operation.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <variant>
#include <vector>

#include "common/result.h"
#include "common/secure_bytes.h"

namespace craton::crypto {

class StatefulSha {
 public:
  // CKM_SHA_1, CKM_SHA224, CKM_SHA256, CKM_SHA384, CKM_SHA512, CKM_SHA512_224, CKM_SHA512_256.
  static Result<StatefulSha> create(CK_MECHANISM_TYPE hash);
  static bool supports(CK_MECHANISM_TYPE hash) noexcept;

  std::size_t size() const noexcept { return size_; }
  void update(std::span<const std::uint8_t> data) noexcept;
  std::vector<std::uint8_t> finish() noexcept;  // the object must not be used afterwards

  SecureBytes save() const;
  // CKR_SAVED_STATE_INVALID when `state` is not a state of this hash.
  static Result<StatefulSha> restore(CK_MECHANISM_TYPE hash, std::span<const std::uint8_t> state);

  StatefulSha(StatefulSha&&) noexcept;
  StatefulSha& operator=(StatefulSha&&) noexcept;
  StatefulSha(const StatefulSha&) = delete;
  StatefulSha& operator=(const StatefulSha&) = delete;
  ~StatefulSha();

 private:
  struct Impl;
  explicit StatefulSha(std::unique_ptr<Impl> impl, std::size_t size);
  std::unique_ptr<Impl> impl_;
  std::size_t size_ = 0;
};

}  // namespace craton::crypto
