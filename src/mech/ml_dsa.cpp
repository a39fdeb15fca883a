// ML-DSA (FIPS 204) through PKCS#11 3.2: CKM_ML_DSA_KEY_PAIR_GEN, CKM_ML_DSA, CKM_HASH_ML_DSA and
// CKM_HASH_ML_DSA_<hash> on CKK_ML_DSA keys. The mechanism rules (hedging, context, pre-hash,
// multi-part) are the generic ones of mech/pqc_common.h; this file binds them to crypto/pqc.
#include "crypto/pqc/ml_dsa.h"

#include "mech/pqc_common.h"
#include "mech/registry.h"

namespace craton::mech {
namespace {

using Span = std::span<const std::uint8_t>;
using crypto::pqc::MlDsaHedge;

MlDsaHedge hedge(bool deterministic) { return deterministic ? MlDsaHedge::kDeterministic : MlDsaHedge::kHedged; }

Result<Bytes> sign(const PqcSpec& s, Span sk, Span msg, Span ctx, bool deterministic) {
  return crypto::pqc::ml_dsa_sign(*s.dsa, sk, msg, ctx, hedge(deterministic));
}
Status verify(const PqcSpec& s, Span pk, Span msg, Span ctx, Span sig) {
  return crypto::pqc::ml_dsa_verify(*s.dsa, pk, msg, ctx, sig);
}
Result<Bytes> hash_sign(const PqcSpec& s, Span sk, Span ph_m, Span ctx, PreHash ph, bool deterministic) {
  return crypto::pqc::hash_ml_dsa_sign(*s.dsa, sk, ph_m, ctx, ph, hedge(deterministic));
}
Status hash_verify(const PqcSpec& s, Span pk, Span ph_m, Span ctx, PreHash ph, Span sig) {
  return crypto::pqc::hash_ml_dsa_verify(*s.dsa, pk, ph_m, ctx, ph, sig);
}

constexpr PqcSigAlgorithm kMlDsa{CKK_ML_DSA, sign, verify, hash_sign, hash_verify};

}  // namespace

std::vector<Registration> ml_dsa_mechanisms() {
  static constexpr std::array<CK_MECHANISM_TYPE, 10> kHashed = {
      CKM_HASH_ML_DSA_SHA224,   CKM_HASH_ML_DSA_SHA256,   CKM_HASH_ML_DSA_SHA384,   CKM_HASH_ML_DSA_SHA512,
      CKM_HASH_ML_DSA_SHA3_224, CKM_HASH_ML_DSA_SHA3_256, CKM_HASH_ML_DSA_SHA3_384, CKM_HASH_ML_DSA_SHA3_512,
      CKM_HASH_ML_DSA_SHAKE128, CKM_HASH_ML_DSA_SHAKE256};
  return pqc_signature_registrations(kMlDsa, CKM_ML_DSA_KEY_PAIR_GEN, CKM_ML_DSA, CKM_HASH_ML_DSA, kHashed);
}

}  // namespace craton::mech
