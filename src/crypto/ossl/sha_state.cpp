#define OPENSSL_SUPPRESS_DEPRECATED  // the low-level SHA interface is the only one with a visible state
#include "crypto/ossl/sha_state.h"

#include <openssl/crypto.h>
#include <openssl/sha.h>

#include <cstring>
#include <memory>

namespace craton::crypto {

// FIPS 180-4 §5.3.6: initial hash values of SHA-512/224 and SHA-512/256.
namespace {
constexpr std::uint64_t kSha512_224Iv[8] = {0x8C3D37C819544DA2, 0x73E1996689DCD4D6, 0x1DFAB7AE32FF9C82,
                                            0x679DD514582F9FCF, 0x0F6D2B697BD44DA8, 0x77E36F7304C48942,
                                            0x3F9D85A86A1D36C8, 0x1112E6AD91D692A1};
constexpr std::uint64_t kSha512_256Iv[8] = {0x22312194FC2BF72C, 0x9F555FA3C84C64C2, 0x2393B86B6F53B151,
                                            0x963877195940EABD, 0x96283EE2A88EFFE3, 0xBE5E1E2553863992,
                                            0x2B0199FC2C85B8AA, 0x0EB72DDC81C52CA2};
}  // namespace

struct StatefulSha::Impl {
  CK_MECHANISM_TYPE hash = 0;
  std::variant<SHA_CTX, SHA256_CTX, SHA512_CTX> ctx;
  ~Impl() { std::visit([](auto& c) { OPENSSL_cleanse(&c, sizeof c); }, ctx); }
};

bool StatefulSha::supports(CK_MECHANISM_TYPE hash) noexcept {
  switch (hash) {
    case CKM_SHA_1: case CKM_SHA224: case CKM_SHA256: case CKM_SHA384: case CKM_SHA512:
    case CKM_SHA512_224: case CKM_SHA512_256: return true;
    default: return false;
  }
}

StatefulSha::StatefulSha(std::unique_ptr<Impl> impl, std::size_t size) : impl_(std::move(impl)), size_(size) {}
StatefulSha::StatefulSha(StatefulSha&&) noexcept = default;
StatefulSha& StatefulSha::operator=(StatefulSha&&) noexcept = default;
StatefulSha::~StatefulSha() = default;

Result<StatefulSha> StatefulSha::create(CK_MECHANISM_TYPE hash) {
  auto impl = std::make_unique<Impl>();
  impl->hash = hash;
  std::size_t size = 0;
  switch (hash) {
    case CKM_SHA_1: { SHA_CTX c; SHA1_Init(&c); impl->ctx = c; size = 20; break; }
    case CKM_SHA224: { SHA256_CTX c; SHA224_Init(&c); impl->ctx = c; size = 28; break; }
    case CKM_SHA256: { SHA256_CTX c; SHA256_Init(&c); impl->ctx = c; size = 32; break; }
    case CKM_SHA384: { SHA512_CTX c; SHA384_Init(&c); impl->ctx = c; size = 48; break; }
    case CKM_SHA512: { SHA512_CTX c; SHA512_Init(&c); impl->ctx = c; size = 64; break; }
    case CKM_SHA512_224:
    case CKM_SHA512_256: {
      SHA512_CTX c;
      SHA512_Init(&c);
      const auto& iv = hash == CKM_SHA512_224 ? kSha512_224Iv : kSha512_256Iv;
      for (int i = 0; i < 8; ++i) c.h[i] = iv[i];
      size = hash == CKM_SHA512_224 ? 28 : 32;
      c.md_len = static_cast<unsigned int>(size);
      impl->ctx = c;
      break;
    }
    default:
      return fail(CKR_MECHANISM_INVALID, "not a SHA-1/SHA-2 digest");
  }
  return StatefulSha(std::move(impl), size);
}

void StatefulSha::update(std::span<const std::uint8_t> data) noexcept {
  if (data.empty()) return;
  std::visit(
      [&](auto& c) {
        using C = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<C, SHA_CTX>) SHA1_Update(&c, data.data(), data.size());
        if constexpr (std::is_same_v<C, SHA256_CTX>) SHA256_Update(&c, data.data(), data.size());
        if constexpr (std::is_same_v<C, SHA512_CTX>) SHA512_Update(&c, data.data(), data.size());
      },
      impl_->ctx);
}

std::vector<std::uint8_t> StatefulSha::finish() noexcept {
  std::uint8_t out[SHA512_DIGEST_LENGTH];
  std::visit(
      [&](auto& c) {
        using C = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<C, SHA_CTX>) SHA1_Final(out, &c);
        // SHA224_Final and SHA256_Final both write md_len bytes; SHA512_Final likewise (28/32/48/64).
        if constexpr (std::is_same_v<C, SHA256_CTX>) SHA256_Final(out, &c);
        if constexpr (std::is_same_v<C, SHA512_CTX>) SHA512_Final(out, &c);
      },
      impl_->ctx);
  return std::vector<std::uint8_t>(out, out + size_);
}

SecureBytes StatefulSha::save() const {
  return std::visit(
      [](const auto& c) {
        return SecureBytes(std::span<const std::uint8_t>(static_cast<const std::uint8_t*>(static_cast<const void*>(&c)), sizeof c));
      },
      impl_->ctx);
}

Result<StatefulSha> StatefulSha::restore(CK_MECHANISM_TYPE hash, std::span<const std::uint8_t> state) {
  CRATON_ASSIGN_OR_RETURN(StatefulSha s, create(hash));
  bool ok = false;
  std::visit(
      [&](auto& c) {
        using C = std::decay_t<decltype(c)>;
        if (state.size() != sizeof(C)) return;
        C copy;
        std::memcpy(&copy, state.data(), sizeof copy);
        // The block position must lie inside the block, and the output length must be this hash's.
        if constexpr (std::is_same_v<C, SHA512_CTX>) {
          ok = copy.num < SHA512_CBLOCK && copy.md_len == s.size_;
        } else if constexpr (std::is_same_v<C, SHA256_CTX>) {
          ok = copy.num < SHA256_CBLOCK && copy.md_len == s.size_;
        } else {
          ok = copy.num < SHA_CBLOCK;
        }
        if (ok) c = copy;
        OPENSSL_cleanse(&copy, sizeof copy);
      },
      s.impl_->ctx);
  if (!ok) return fail(CKR_SAVED_STATE_INVALID, "saved digest state is malformed");
  return s;
}

}  // namespace craton::crypto
