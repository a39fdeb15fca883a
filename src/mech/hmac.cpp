// HMAC mechanisms (RFC 2104): CKM_<hash>_HMAC and CKM_<hash>_HMAC_GENERAL for SHA-1, SHA-2 and
// SHA-3. Sign and verify, single- and multi-part; the non-GENERAL ones also through the message
// API (entry_message.cpp makes one ordinary operation per message).
//
// A key is CKK_GENERIC_SECRET or the hash's own HMAC key type (CKK_SHA256_HMAC for
// CKM_SHA256_HMAC, ...), 1 .. kMaxKeyBytes bytes. The keyed MAC template is cached with the key
// object (KeyRef::parsed) and copied per operation.
#include <array>

#include "crypto/ossl/digest.h"
#include "crypto/ossl/hmac.h"
#include "mech/registry.h"

namespace craton::mech {
namespace {

constexpr CK_ULONG kMaxKeyBytes = 4096;

struct HmacSpec {
  CK_MECHANISM_TYPE hmac;
  CK_MECHANISM_TYPE general;
  CK_MECHANISM_TYPE hash;
  CK_KEY_TYPE key_type;
};

constexpr std::array<HmacSpec, 11> kSpecs{{
    {CKM_SHA_1_HMAC, CKM_SHA_1_HMAC_GENERAL, CKM_SHA_1, CKK_SHA_1_HMAC},
    {CKM_SHA224_HMAC, CKM_SHA224_HMAC_GENERAL, CKM_SHA224, CKK_SHA224_HMAC},
    {CKM_SHA256_HMAC, CKM_SHA256_HMAC_GENERAL, CKM_SHA256, CKK_SHA256_HMAC},
    {CKM_SHA384_HMAC, CKM_SHA384_HMAC_GENERAL, CKM_SHA384, CKK_SHA384_HMAC},
    {CKM_SHA512_HMAC, CKM_SHA512_HMAC_GENERAL, CKM_SHA512, CKK_SHA512_HMAC},
    {CKM_SHA512_224_HMAC, CKM_SHA512_224_HMAC_GENERAL, CKM_SHA512_224, CKK_SHA512_224_HMAC},
    {CKM_SHA512_256_HMAC, CKM_SHA512_256_HMAC_GENERAL, CKM_SHA512_256, CKK_SHA512_256_HMAC},
    {CKM_SHA3_224_HMAC, CKM_SHA3_224_HMAC_GENERAL, CKM_SHA3_224, CKK_SHA3_224_HMAC},
    {CKM_SHA3_256_HMAC, CKM_SHA3_256_HMAC_GENERAL, CKM_SHA3_256, CKK_SHA3_256_HMAC},
    {CKM_SHA3_384_HMAC, CKM_SHA3_384_HMAC_GENERAL, CKM_SHA3_384, CKK_SHA3_384_HMAC},
    {CKM_SHA3_512_HMAC, CKM_SHA3_512_HMAC_GENERAL, CKM_SHA3_512, CKK_SHA3_512_HMAC},
}};

// The cached form of a key: the HMAC context for one hash with the key set. A generic secret used
// with two hashes alternates the cache entry; that is rare and only costs a re-key.
class HmacKey final : public object::ParsedKey {
 public:
  HmacKey(CK_MECHANISM_TYPE h, crypto::MacKey m) : hash(h), mac(std::move(m)) {}
  CK_MECHANISM_TYPE hash;
  crypto::MacKey mac;
};

Result<std::shared_ptr<const HmacKey>> make_hmac_key(CK_MECHANISM_TYPE hash, std::span<const std::uint8_t> value) {
  CRATON_ASSIGN_OR_RETURN(crypto::MacKey mac, crypto::MacKey::hmac(hash, value));
  return std::make_shared<const HmacKey>(hash, std::move(mac));
}

// A running HMAC with its key, for one sign or verify operation.
Result<crypto::RunningMac> start_hmac(CK_MECHANISM_TYPE hash, const KeyRef& key) {
  const std::size_t n = key.value().size();
  if (n == 0 || n > kMaxKeyBytes) return fail(CKR_KEY_SIZE_RANGE, "HMAC key size out of range");
  auto cached = key.parsed<HmacKey>([hash](const object::AttributeSet& attrs) {
    return make_hmac_key(hash, attrs.get_bytes(CKA_VALUE).value_or(std::span<const std::uint8_t>{}));
  });
  if (!cached.ok()) return cached.error();
  if ((*cached)->hash == hash) return (*cached)->mac.start();
  CRATON_ASSIGN_OR_RETURN(auto fresh, make_hmac_key(hash, key.value()));
  return fresh->mac.start();
}

Result<Bytes> truncated(Result<SecureBytes> full, std::size_t len) {
  if (!full.ok()) return full.error();
  return Bytes(full->data(), full->data() + len);
}

class HmacSignOp final : public SignOp {
 public:
  HmacSignOp(crypto::RunningMac mac, std::size_t len) : mac_(std::move(mac)), len_(len) {}
  std::size_t signature_size() const override { return len_; }
  Result<Bytes> sign(std::span<const std::uint8_t> data) override {
    CRATON_TRY(mac_.update(data));
    return finish();
  }
  Status update(std::span<const std::uint8_t> data) override { return mac_.update(data); }
  Result<Bytes> finish() override { return truncated(mac_.finish(), len_); }

 private:
  crypto::RunningMac mac_;
  std::size_t len_;
};

class HmacVerifyOp final : public VerifyOp {
 public:
  HmacVerifyOp(crypto::RunningMac mac, std::size_t len) : mac_(std::move(mac)), len_(len) {}
  Status verify(std::span<const std::uint8_t> data, std::span<const std::uint8_t> sig) override {
    CRATON_TRY(mac_.update(data));
    return finish(sig);
  }
  Status update(std::span<const std::uint8_t> data) override { return mac_.update(data); }
  Status finish(std::span<const std::uint8_t> sig) override {
    if (sig.size() != len_) return fail(CKR_SIGNATURE_LEN_RANGE, "MAC has the wrong length");
    CRATON_ASSIGN_OR_RETURN(SecureBytes full, mac_.finish());
    if (!ct_equal(full.span().first(len_), sig)) return fail(CKR_SIGNATURE_INVALID, "MAC mismatch");
    return {};
  }

 private:
  crypto::RunningMac mac_;
  std::size_t len_;
};

class HmacMechanism final : public Mechanism {
 public:
  HmacMechanism(const HmacSpec& spec, bool general) : spec_(spec), general_(general) {}

  bool accepts_key_type(CK_KEY_TYPE kt) const override { return kt == CKK_GENERIC_SECRET || kt == spec_.key_type; }

  Result<std::unique_ptr<SignOp>> sign(const Params& p, const KeyRef& key) const override {
    CRATON_ASSIGN_OR_RETURN(const std::size_t len, mac_length(p));
    CRATON_ASSIGN_OR_RETURN(crypto::RunningMac mac, start_hmac(spec_.hash, key));
    return std::unique_ptr<SignOp>(std::make_unique<HmacSignOp>(std::move(mac), len));
  }

  Result<std::unique_ptr<VerifyOp>> verify(const Params& p, const KeyRef& key) const override {
    CRATON_ASSIGN_OR_RETURN(const std::size_t len, mac_length(p));
    CRATON_ASSIGN_OR_RETURN(crypto::RunningMac mac, start_hmac(spec_.hash, key));
    return std::unique_ptr<VerifyOp>(std::make_unique<HmacVerifyOp>(std::move(mac), len));
  }

 private:
  // The MAC length: the digest size, or CK_MAC_GENERAL_PARAMS (1 .. digest size) for _GENERAL.
  Result<std::size_t> mac_length(const Params& p) const {
    const std::size_t full = crypto::digest_size(spec_.hash);
    if (!general_) return full;
    const auto* len = param_as<UlongParam>(p);
    if (len == nullptr || len->value == 0 || len->value > full) {
      return fail(CKR_MECHANISM_PARAM_INVALID, "HMAC_GENERAL length out of range");
    }
    return static_cast<std::size_t>(len->value);
  }

  HmacSpec spec_;
  bool general_;
};

}  // namespace

std::vector<Registration> hmac_mechanisms() {
  static const std::vector<HmacMechanism> impls = [] {
    std::vector<HmacMechanism> v;
    for (const HmacSpec& s : kSpecs) {
      v.emplace_back(s, false);
      v.emplace_back(s, true);
    }
    return v;
  }();
  constexpr CK_FLAGS kHmacFlags = CKF_SIGN | CKF_VERIFY | CKF_MESSAGE_SIGN | CKF_MESSAGE_VERIFY;
  std::vector<Registration> out;
  for (std::size_t i = 0; i < kSpecs.size(); ++i) {
    out.push_back({kSpecs[i].hmac, CK_MECHANISM_INFO{1, kMaxKeyBytes, kHmacFlags}, ParamKind::kNone, &impls[2 * i]});
    out.push_back({kSpecs[i].general, CK_MECHANISM_INFO{1, kMaxKeyBytes, CKF_SIGN | CKF_VERIFY}, ParamKind::kUlong,
                   &impls[2 * i + 1]});
  }
  return out;
}

}  // namespace craton::mech
