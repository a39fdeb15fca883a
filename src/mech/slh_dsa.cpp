// SLH-DSA (FIPS 205) through PKCS#11 3.2: CKM_SLH_DSA_KEY_PAIR_GEN, CKM_SLH_DSA, CKM_HASH_SLH_DSA
// and CKM_HASH_SLH_DSA_<hash> on CKK_SLH_DSA keys, all twelve parameter sets. The mechanism rules
// (hedging, context, pre-hash, multi-part buffering) are the generic ones of mech/pqc_common.h.
// Deterministic signing uses opt_rand = PK.seed (FIPS 205 Alg. 22); hedged signing draws n bytes.
#include "crypto/pqc/slh_dsa.h"

#include "mech/pqc_common.h"
#include "mech/registry.h"

namespace craton::mech {
namespace {

using Span = std::span<const std::uint8_t>;
using crypto::pqc::SlhDsaHedge;

SlhDsaHedge hedge(bool deterministic) { return deterministic ? SlhDsaHedge::kDeterministic : SlhDsaHedge::kHedged; }

Result<Bytes> sign(const PqcSpec& s, Span sk, Span msg, Span ctx, bool deterministic) {
  return crypto::pqc::slh_dsa_sign(*s.slh, sk, msg, ctx, hedge(deterministic));
}
Status verify(const PqcSpec& s, Span pk, Span msg, Span ctx, Span sig) {
  return crypto::pqc::slh_dsa_verify(*s.slh, pk, msg, ctx, sig);
}
Result<Bytes> hash_sign(const PqcSpec& s, Span sk, Span ph_m, Span ctx, PreHash ph, bool deterministic) {
  return crypto::pqc::hash_slh_dsa_sign(*s.slh, sk, ph_m, ctx, ph, hedge(deterministic));
}
Status hash_verify(const PqcSpec& s, Span pk, Span ph_m, Span ctx, PreHash ph, Span sig) {
  return crypto::pqc::hash_slh_dsa_verify(*s.slh, pk, ph_m, ctx, ph, sig);
}

constexpr PqcSigAlgorithm kSlhDsa{CKK_SLH_DSA, sign, verify, hash_sign, hash_verify};

}  // namespace

std::vector<Registration> slh_dsa_mechanisms() {
  static constexpr std::array<CK_MECHANISM_TYPE, 10> kHashed = {
      CKM_HASH_SLH_DSA_SHA224,   CKM_HASH_SLH_DSA_SHA256,   CKM_HASH_SLH_DSA_SHA384,   CKM_HASH_SLH_DSA_SHA512,
      CKM_HASH_SLH_DSA_SHA3_224, CKM_HASH_SLH_DSA_SHA3_256, CKM_HASH_SLH_DSA_SHA3_384, CKM_HASH_SLH_DSA_SHA3_512,
      CKM_HASH_SLH_DSA_SHAKE128, CKM_HASH_SLH_DSA_SHAKE256};
  return pqc_signature_registrations(kSlhDsa, CKM_SLH_DSA_KEY_PAIR_GEN, CKM_SLH_DSA, CKM_HASH_SLH_DSA, kHashed);
}

}  // namespace craton::mech
