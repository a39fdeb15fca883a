// Digest mechanisms: SHA-1, SHA-2 (incl. SHA-512/224, SHA-512/256) and SHA-3, with savable state
// (C_GetOperationState / C_SetOperationState).
#include <array>
#include <variant>

#include "crypto/ossl/sha_state.h"
#include "crypto/pqc/keccak.h"
#include "mech/registry.h"

namespace craton::mech {
namespace {

class ShaOp final : public DigestOp {
 public:
  explicit ShaOp(crypto::StatefulSha sha) : sha_(std::move(sha)) {}
  std::size_t digest_size() const override { return sha_.size(); }
  Status update(std::span<const std::uint8_t> data) override {
    sha_.update(data);
    return {};
  }
  Result<Bytes> finish() override { return sha_.finish(); }
  Result<SecureBytes> save_state() const override { return sha_.save(); }

 private:
  crypto::StatefulSha sha_;
};

// SHA3-n: Keccak with capacity 2n and the SHA-3 domain bits (FIPS 202 §6.1).
class Sha3Op final : public DigestOp {
 public:
  explicit Sha3Op(std::size_t bytes) : sponge_(crypto::pqc::kKeccakStateBytes - 2 * bytes, 0x06), size_(bytes) {}
  std::size_t digest_size() const override { return size_; }
  Status update(std::span<const std::uint8_t> data) override {
    sponge_.absorb(data);
    return {};
  }
  Result<Bytes> finish() override {
    Bytes out(size_);
    sponge_.squeeze(out);
    return out;
  }
  Result<SecureBytes> save_state() const override {
    SecureBytes s(crypto::pqc::Sponge::kSavedSize);
    sponge_.save(std::span<std::uint8_t, crypto::pqc::Sponge::kSavedSize>(s.data(), s.size()));
    return s;
  }
  bool restore(std::span<const std::uint8_t> state) { return sponge_.restore(state); }

 private:
  crypto::pqc::Sponge sponge_;
  std::size_t size_;
};

std::size_t sha3_bytes(CK_MECHANISM_TYPE t) {
  switch (t) {
    case CKM_SHA3_224: return 28;
    case CKM_SHA3_256: return 32;
    case CKM_SHA3_384: return 48;
    case CKM_SHA3_512: return 64;
    default: return 0;
  }
}

class DigestMechanism final : public Mechanism {
 public:
  explicit DigestMechanism(CK_MECHANISM_TYPE type) : type_(type) {}

  Result<std::unique_ptr<DigestOp>> digest(const Params&) const override {
    if (const std::size_t n = sha3_bytes(type_)) return std::unique_ptr<DigestOp>(std::make_unique<Sha3Op>(n));
    CRATON_ASSIGN_OR_RETURN(crypto::StatefulSha sha, crypto::StatefulSha::create(type_));
    return std::unique_ptr<DigestOp>(std::make_unique<ShaOp>(std::move(sha)));
  }

  Result<std::unique_ptr<DigestOp>> restore_digest(std::span<const std::uint8_t> state) const override {
    if (const std::size_t n = sha3_bytes(type_)) {
      auto op = std::make_unique<Sha3Op>(n);
      if (!op->restore(state)) return fail(CKR_SAVED_STATE_INVALID, "saved SHA-3 state is malformed");
      return std::unique_ptr<DigestOp>(std::move(op));
    }
    CRATON_ASSIGN_OR_RETURN(crypto::StatefulSha sha, crypto::StatefulSha::restore(type_, state));
    return std::unique_ptr<DigestOp>(std::make_unique<ShaOp>(std::move(sha)));
  }

 private:
  CK_MECHANISM_TYPE type_;
};

}  // namespace

std::vector<Registration> digest_mechanisms() {
  static const std::array<CK_MECHANISM_TYPE, 11> kTypes = {CKM_SHA_1, CKM_SHA224, CKM_SHA256, CKM_SHA384,
                                                           CKM_SHA512, CKM_SHA512_224, CKM_SHA512_256, CKM_SHA3_224,
                                                           CKM_SHA3_256, CKM_SHA3_384, CKM_SHA3_512};
  static const std::vector<DigestMechanism> impls(kTypes.begin(), kTypes.end());
  std::vector<Registration> out;
  for (std::size_t i = 0; i < kTypes.size(); ++i) {
    out.push_back({kTypes[i], CK_MECHANISM_INFO{0, 0, CKF_DIGEST}, ParamKind::kNone, &impls[i]});
  }
  return out;
}

}  // namespace craton::mech
