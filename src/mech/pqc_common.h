// Shared pieces of the post-quantum families (ml_kem, ml_dsa, slh_dsa): key access, key-pair
// generation, the mechanism-info sizes, and the generic signature mechanisms that ML-DSA and
// SLH-DSA instantiate with their algorithm functions.
//
// Signature mechanisms (PKCS#11 3.2 §6.67–6.68, docs/MECHANISMS.md "Post-quantum"):
//   pure (CKM_ML_DSA, CKM_SLH_DSA)        optional CK_SIGN_ADDITIONAL_CONTEXT; the message is
//                                         signed as FIPS 204 Alg. 2 / FIPS 205 Alg. 22 sign it;
//   caller pre-hash (CKM_HASH_ML_DSA, …)  required CK_HASH_SIGN_ADDITIONAL_CONTEXT naming the hash;
//                                         the data is PH(M) (Alg. 4 / Alg. 23);
//   token hash (CKM_HASH_ML_DSA_SHA256 …) optional CK_SIGN_ADDITIONAL_CONTEXT; the token computes PH.
// Hedging: CKH_HEDGE_PREFERRED and CKH_HEDGE_REQUIRED sign hedged, CKH_DETERMINISTIC_REQUIRED
// deterministically; any other value, or a context over 255 bytes, is CKR_MECHANISM_PARAM_INVALID
// at Init. Multi-part calls are accepted by every variant; pure and caller-pre-hash input is
// buffered (the algorithms read the message twice), token-hash input is streamed into PH.
// Thread safety: mechanisms are immutable; operations belong to one session.
#pragma once

#include <cstddef>
#include <memory>
#include <span>

#include "crypto/pqc/ml_dsa.h"
#include "crypto/pqc/pqc_keys.h"
#include "mech/mechanism.h"

namespace craton::mech {

using PqcSpec = crypto::pqc::PqcKeySpec;
using PreHash = crypto::pqc::MlDsaPreHash;

// A PQC key of a given class with its parameter set resolved. Keeps the snapshot alive.
class PqcKeyView {
 public:
  PqcKeyView(KeyRef ref, const PqcSpec* spec) : ref_(std::move(ref)), spec_(spec) {}
  const PqcSpec& spec() const noexcept { return *spec_; }
  std::span<const std::uint8_t> value() const { return ref_.value(); }

 private:
  KeyRef ref_;
  const PqcSpec* spec_;
};

// The key's parameter set and value, checked against its class (another class →
// CKR_KEY_TYPE_INCONSISTENT) and the parameter set's sizes (a stored key of the wrong size →
// CKR_KEY_TYPE_INCONSISTENT; unknown parameter set → CKR_PARAMETER_SET_NOT_SUPPORTED).
Result<PqcKeyView> pqc_key(const KeyRef& key, CK_OBJECT_CLASS cls);

// C_GenerateKeyPair for `key_type`: CKA_PARAMETER_SET from the public template (or, if only there,
// the private one; both given and different → CKR_TEMPLATE_INCONSISTENT; missing →
// CKR_TEMPLATE_INCOMPLETE). The pair passes its pairwise test before it is returned.
Result<KeyPairMaterial> pqc_generate_pair(CK_KEY_TYPE key_type, const object::AttributeSet& public_tmpl,
                                          const object::AttributeSet& private_tmpl);

// CK_MECHANISM_INFO for `key_type`: key sizes are public-key sizes in bytes (PKCS#11 3.2).
CK_MECHANISM_INFO pqc_info(CK_KEY_TYPE key_type, CK_FLAGS flags);

// Building blocks shared with the hybrid families (mech/hybrid_common.*), whose keys follow the
// same CKA_PARAMETER_SET + CKA_VALUE layout:
// the parameter set a key-pair template pair asks for (rules as for pqc_generate_pair);
Result<CK_ULONG> pair_parameter_set(const object::AttributeSet& public_tmpl, const object::AttributeSet& private_tmpl);
// the material of a generated pair (CKA_SEED only when `seed` is not empty);
KeyPairMaterial parameter_set_pair(CK_KEY_TYPE key_type, CK_ULONG set, std::span<const std::uint8_t> public_key,
                                   std::span<const std::uint8_t> private_value, std::span<const std::uint8_t> seed,
                                   std::span<const std::uint8_t> spki);
// the key's CKA_PARAMETER_SET, after the class check of pqc_key;
Result<CK_ULONG> key_parameter_set(const KeyRef& key, CK_OBJECT_CLASS cls);
// the size check of pqc_key: CKA_VALUE must have the size its class has in the parameter set;
Status check_key_value_size(const KeyRef& key, CK_OBJECT_CLASS cls, std::size_t public_bytes, std::size_t private_bytes);
// CK_MECHANISM_INFO whose key sizes span `public_sizes`.
CK_MECHANISM_INFO public_size_info(std::span<const std::size_t> public_sizes, CK_FLAGS flags);

// The FIPS 204 §5.4 / FIPS 205 §10.2 pre-hash named by a digest mechanism (CKM_SHA256, …,
// CKM_SHA3_512, CKM_SHAKE_128_KEY_DERIVATION, CKM_SHAKE_256_KEY_DERIVATION); nullopt otherwise.
std::optional<PreHash> prehash_of_digest(CK_MECHANISM_TYPE digest);

// What a signature family plugs into the generic mechanisms.
struct PqcSigAlgorithm {
  CK_KEY_TYPE key_type;
  Result<Bytes> (*sign)(const PqcSpec&, std::span<const std::uint8_t> sk, std::span<const std::uint8_t> msg,
                        std::span<const std::uint8_t> ctx, bool deterministic);
  Status (*verify)(const PqcSpec&, std::span<const std::uint8_t> pk, std::span<const std::uint8_t> msg,
                   std::span<const std::uint8_t> ctx, std::span<const std::uint8_t> sig);
  Result<Bytes> (*hash_sign)(const PqcSpec&, std::span<const std::uint8_t> sk, std::span<const std::uint8_t> ph_m,
                             std::span<const std::uint8_t> ctx, PreHash ph, bool deterministic);
  Status (*hash_verify)(const PqcSpec&, std::span<const std::uint8_t> pk, std::span<const std::uint8_t> ph_m,
                        std::span<const std::uint8_t> ctx, PreHash ph, std::span<const std::uint8_t> sig);
};

// Registrations of the key-pair generator, the pure and caller-pre-hash mechanisms and the ten
// token-hash mechanisms of one signature family. `hashed` lists the CKM_HASH_*_<h> numbers in the
// order SHA224, SHA256, SHA384, SHA512, SHA3_224, SHA3_256, SHA3_384, SHA3_512, SHAKE128, SHAKE256.
std::vector<Registration> pqc_signature_registrations(const PqcSigAlgorithm& alg, CK_MECHANISM_TYPE keygen,
                                                      CK_MECHANISM_TYPE pure, CK_MECHANISM_TYPE caller_prehash,
                                                      std::span<const CK_MECHANISM_TYPE, 10> hashed);

}  // namespace craton::mech
