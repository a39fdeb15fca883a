// Unit tests for composite ML-DSA (draft-ietf-lamps-pq-composite-sigs-19): the draft's Appendix D
// message representatives and Appendix E test vectors, round trips, tampering of each component,
// malformed encodings, lengths, contexts and the private → public derivation.
//
// The Appendix E vectors (test cases "id-MLDSA65-ECDSA-P256-SHA512" and "id-MLDSA87-ECDSA-P384-SHA512":
// pk, sk, s over the empty context, sWithContext, and the draft's message and context) are in
// tests/common/hybrid_draft_vectors.h, shared with the API tests.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/hybrid/composite_sig.h"
#include "crypto/ossl/digest.h"
#include "hex.h"
#include "hybrid_draft_vectors.h"

namespace craton::crypto::hybrid {
namespace {

using Bytes = std::vector<std::uint8_t>;
using pqc::MlDsaHedge;
using test::from_hex;
namespace dv = test::hybrid_draft_vectors;

Bytes ascii(std::string_view s) { return Bytes(s.begin(), s.end()); }

const Bytes kDraftMsg = ascii(dv::kCompMessage);
const Bytes kDraftCtx = ascii(dv::kCompContext);
const Bytes kMsg = ascii("craton composite");
const Bytes kCtx = {1, 2, 3};

// ---- Appendix E vectors (tests/common/hybrid_draft_vectors.h) ---------------------------------
struct DraftVector {
  std::string_view pk, sk, sig, sig_ctx;
};

DraftVector draft_vector(const CompositeSigParams& p) {
  if (&p == &kMlDsa65EcdsaP256Sha512) return {dv::kCompP256Pk, dv::kCompP256Sk, dv::kCompP256Sig, dv::kCompP256SigCtx};
  return {dv::kCompP384Pk, dv::kCompP384Sk, dv::kCompP384Sig, dv::kCompP384SigCtx};
}

// ---- Appendix D --------------------------------------------------------------------------------

TEST(CompositeSig, MessageRepresentativeMatchesDraftAppendixD) {
  const auto& p = kMlDsa65EcdsaP256Sha512;
  const Bytes m = from_hex("00010203040506070809");
  auto ph = composite_prehash(p, m);
  ASSERT_TRUE(ph.ok());
  EXPECT_EQ(*ph, from_hex("0f89ee1fcb7b0a4f7809d1267a029719004c5a5e5ec323a7c3523a20974f9a3f"
                     "202f56fadba4cd9e8d654ab9f2e96dc5c795ea176fa20ede8d854c342f903533"));
  const std::string_view head =
      "436f6d706f73697465416c676f726974686d5369676e61747572657332303235"  // Prefix
      "434f4d505349472d4d4c44534136352d45434453412d503235362d534841353132";  // Label
  auto no_ctx = composite_message_representative(p, *ph, {});
  ASSERT_TRUE(no_ctx.ok());
  EXPECT_EQ(*no_ctx, from_hex(std::string(head) + "00" + "0f89ee1fcb7b0a4f7809d1267a029719004c5a5e5ec323a7c3523a20974f9a3f"
                                                    "202f56fadba4cd9e8d654ab9f2e96dc5c795ea176fa20ede8d854c342f903533"));
  auto with_ctx = composite_message_representative(p, *ph, from_hex("0813061205162623"));
  ASSERT_TRUE(with_ctx.ok());
  EXPECT_EQ(*with_ctx, from_hex(std::string(head) + "08" + "0813061205162623" +
                           "0f89ee1fcb7b0a4f7809d1267a029719004c5a5e5ec323a7c3523a20974f9a3f"
                           "202f56fadba4cd9e8d654ab9f2e96dc5c795ea176fa20ede8d854c342f903533"));
}

TEST(CompositeSig, ParameterTable) {
  ASSERT_EQ(all_composite_sig_params().size(), 2U);
  EXPECT_EQ(composite_sig_params_by_oid("1.3.6.1.5.5.7.6.45"), &kMlDsa65EcdsaP256Sha512);
  EXPECT_EQ(composite_sig_params_by_oid("1.3.6.1.5.5.7.6.49"), &kMlDsa87EcdsaP384Sha512);
  EXPECT_EQ(composite_sig_params_by_oid("1.3.6.1.5.5.7.6.46"), nullptr);
  // DER of the dotted OIDs: 06 08 2B 06 01 05 05 07 06 <arc>.
  EXPECT_EQ(Bytes(kMlDsa65EcdsaP256Sha512.oid_der.begin(), kMlDsa65EcdsaP256Sha512.oid_der.end()),
            from_hex("06082b0601050507062d"));
  EXPECT_EQ(Bytes(kMlDsa87EcdsaP384Sha512.oid_der.begin(), kMlDsa87EcdsaP384Sha512.oid_der.end()),
            from_hex("06082b06010505070631"));
  for (const CompositeSigParams* p : all_composite_sig_params()) {
    const Curve* c = p->curve();
    ASSERT_NE(c, nullptr) << p->name;
    EXPECT_EQ(c->key_bytes, p->ec_field_bytes);
    EXPECT_EQ(p->pk_bytes, p->mldsa->pk_bytes + 1 + 2 * p->ec_field_bytes);
  }
}

// ---- Per parameter set -------------------------------------------------------------------------

class CompositeSigTest : public ::testing::TestWithParam<const CompositeSigParams*> {
 protected:
  const CompositeSigParams& p() const { return *GetParam(); }
  CompositeKeyPair keys() const {
    auto kp = composite_keygen(p());
    EXPECT_TRUE(kp.ok());
    return std::move(kp).value();
  }
  Bytes sign(const CompositeKeyPair& kp, const Bytes& msg, const Bytes& ctx) const {
    auto sig = composite_sign(p(), kp.sk.span(), msg, ctx, MlDsaHedge::kHedged);
    EXPECT_TRUE(sig.ok());
    return sig.ok() ? *sig : Bytes{};
  }
  CK_RV verify(const Bytes& pk, const Bytes& msg, const Bytes& ctx, const Bytes& sig) const {
    return composite_verify(p(), pk, msg, ctx, sig).rv();
  }
  std::size_t ml_sig() const { return p().mldsa->sig_bytes; }
};

TEST_P(CompositeSigTest, DraftVectorsVerify) {
  const DraftVector v = draft_vector(p());
  const Bytes pk = from_hex(v.pk), sig = from_hex(v.sig), sig_ctx = from_hex(v.sig_ctx);
  ASSERT_EQ(pk.size(), p().pk_bytes);
  EXPECT_EQ(verify(pk, kDraftMsg, {}, sig), CKR_OK);
  EXPECT_EQ(verify(pk, kDraftMsg, kDraftCtx, sig_ctx), CKR_OK);
  // Each signature is bound to its context and to the message.
  EXPECT_EQ(verify(pk, kDraftMsg, kDraftCtx, sig), CKR_SIGNATURE_INVALID);
  EXPECT_EQ(verify(pk, kDraftMsg, {}, sig_ctx), CKR_SIGNATURE_INVALID);
  EXPECT_EQ(verify(pk, kMsg, {}, sig), CKR_SIGNATURE_INVALID);
}

TEST_P(CompositeSigTest, DraftPrivateKeyReproducesPublicKey) {
  const DraftVector v = draft_vector(p());
  const Bytes sk = from_hex(v.sk);
  ASSERT_EQ(sk.size(), p().sk_bytes);
  auto pk = composite_public_from_private(p(), sk);
  ASSERT_TRUE(pk.ok()) << pk.error().reason;
  EXPECT_EQ(*pk, from_hex(v.pk));
}

TEST_P(CompositeSigTest, SignaturesWithTheDraftKeyVerifyUnderTheDraftPublicKey) {
  const DraftVector v = draft_vector(p());
  const Bytes sk = from_hex(v.sk), pk = from_hex(v.pk);
  for (const auto hedge : {MlDsaHedge::kHedged, MlDsaHedge::kDeterministic}) {
    auto sig = composite_sign(p(), sk, kDraftMsg, kDraftCtx, hedge);
    ASSERT_TRUE(sig.ok());
    EXPECT_EQ(verify(pk, kDraftMsg, kDraftCtx, *sig), CKR_OK);
  }
  // Deterministic fixes ML-DSA's rnd only: the ML-DSA parts agree, the ECDSA nonces do not.
  auto d1 = composite_sign(p(), sk, kDraftMsg, {}, MlDsaHedge::kDeterministic);
  auto d2 = composite_sign(p(), sk, kDraftMsg, {}, MlDsaHedge::kDeterministic);
  ASSERT_TRUE(d1.ok() && d2.ok());
  EXPECT_TRUE(std::equal(d1->begin(), d1->begin() + static_cast<std::ptrdiff_t>(ml_sig()), d2->begin()));
  EXPECT_NE(*d1, *d2);
}

TEST_P(CompositeSigTest, KeyGenSizesRoundTripAndPublicFromPrivate) {
  const CompositeKeyPair kp = keys();
  EXPECT_EQ(kp.pk.size(), p().pk_bytes);
  EXPECT_EQ(kp.sk.size(), p().sk_bytes);
  EXPECT_EQ(kp.pk[p().mldsa->pk_bytes], 0x04);  // uncompressed point
  auto pub = composite_public_from_private(p(), kp.sk.span());
  ASSERT_TRUE(pub.ok());
  EXPECT_EQ(*pub, kp.pk);

  const Bytes sig = sign(kp, kMsg, kCtx);
  EXPECT_GE(sig.size(), p().min_sig_bytes);
  EXPECT_LE(sig.size(), p().max_sig_bytes);
  EXPECT_EQ(verify(kp.pk, kMsg, kCtx, sig), CKR_OK);
  const Bytes empty_sig = sign(kp, {}, {});
  EXPECT_EQ(verify(kp.pk, {}, {}, empty_sig), CKR_OK);

  const CompositeKeyPair other = keys();
  EXPECT_NE(other.pk, kp.pk);
  EXPECT_EQ(verify(other.pk, kMsg, kCtx, sig), CKR_SIGNATURE_INVALID);
}

TEST_P(CompositeSigTest, ComponentsAreMlDsaWithLabelContextAndDerEcdsa) {
  const CompositeKeyPair kp = keys();
  const Bytes sig = sign(kp, kMsg, kCtx);
  auto ph = composite_prehash(p(), kMsg);
  ASSERT_TRUE(ph.ok());
  auto m_prime = composite_message_representative(p(), *ph, kCtx);
  ASSERT_TRUE(m_prime.ok());
  const auto pk_m = std::span(kp.pk).first(p().mldsa->pk_bytes);
  const auto sig_m = std::span(sig).first(ml_sig());
  EXPECT_EQ(pqc::ml_dsa_verify(*p().mldsa, pk_m, *m_prime, ascii(p().label), sig_m).rv(), CKR_OK);
  EXPECT_EQ(pqc::ml_dsa_verify(*p().mldsa, pk_m, *m_prime, {}, sig_m).rv(), CKR_SIGNATURE_INVALID);
  // The ECDSA part is exactly one DER SEQUENCE.
  EXPECT_EQ(sig[ml_sig()], 0x30);
  EXPECT_EQ(std::size_t{sig[ml_sig() + 1]} + 2, sig.size() - ml_sig());
}

TEST_P(CompositeSigTest, TamperingEitherComponentInvalidates) {
  const CompositeKeyPair kp = keys();
  const Bytes sig = sign(kp, kMsg, kCtx);
  // A bit in the ML-DSA part (first byte of c̃ and a byte in the middle).
  for (const std::size_t pos : {std::size_t{0}, ml_sig() / 2, ml_sig() - 1}) {
    Bytes bad = sig;
    bad[pos] ^= 0x01;
    EXPECT_EQ(verify(kp.pk, kMsg, kCtx, bad), CKR_SIGNATURE_INVALID) << "ML-DSA byte " << pos;
  }
  // The lowest bit of r and of s (the DER stays well formed: 30 L 02 lr r 02 ls s).
  const std::size_t r_last = ml_sig() + 4 + sig[ml_sig() + 3] - 1;
  for (const std::size_t pos : {r_last, sig.size() - 1}) {
    Bytes bad = sig;
    bad[pos] ^= 0x01;
    EXPECT_EQ(verify(kp.pk, kMsg, kCtx, bad), CKR_SIGNATURE_INVALID) << "ECDSA byte " << pos;
  }
  // Mixing components of two valid signatures over different messages: each half verifies for
  // its own message, the composite for neither.
  const Bytes other = sign(kp, kDraftMsg, kCtx);
  Bytes ml_from_other(other.begin(), other.begin() + static_cast<std::ptrdiff_t>(ml_sig()));
  ml_from_other.insert(ml_from_other.end(), sig.begin() + static_cast<std::ptrdiff_t>(ml_sig()), sig.end());
  EXPECT_EQ(verify(kp.pk, kMsg, kCtx, ml_from_other), CKR_SIGNATURE_INVALID);
  EXPECT_EQ(verify(kp.pk, kDraftMsg, kCtx, ml_from_other), CKR_SIGNATURE_INVALID);
  Bytes ec_from_other(sig.begin(), sig.begin() + static_cast<std::ptrdiff_t>(ml_sig()));
  ec_from_other.insert(ec_from_other.end(), other.begin() + static_cast<std::ptrdiff_t>(ml_sig()), other.end());
  EXPECT_EQ(verify(kp.pk, kMsg, kCtx, ec_from_other), CKR_SIGNATURE_INVALID);
  EXPECT_EQ(verify(kp.pk, kDraftMsg, kCtx, ec_from_other), CKR_SIGNATURE_INVALID);
  // A signature from another key pair's ECDSA half.
  const CompositeKeyPair kp2 = keys();
  const Bytes sig2 = sign(kp2, kMsg, kCtx);
  Bytes foreign_ec(sig.begin(), sig.begin() + static_cast<std::ptrdiff_t>(ml_sig()));
  foreign_ec.insert(foreign_ec.end(), sig2.begin() + static_cast<std::ptrdiff_t>(ml_sig()), sig2.end());
  EXPECT_EQ(verify(kp.pk, kMsg, kCtx, foreign_ec), CKR_SIGNATURE_INVALID);
}

TEST_P(CompositeSigTest, MalformedEcdsaDerIsAnInvalidSignature) {
  const CompositeKeyPair kp = keys();
  const Bytes sig = sign(kp, kMsg, kCtx);
  const std::ptrdiff_t ec = static_cast<std::ptrdiff_t>(ml_sig());
  Bytes wrong_tag = sig;
  wrong_tag[ml_sig()] = 0x31;
  EXPECT_EQ(verify(kp.pk, kMsg, kCtx, wrong_tag), CKR_SIGNATURE_INVALID);
  // Encodings that grow the signature are refused by length once they pass the maximum.
  auto invalid_or_too_long = [&](const Bytes& bad) {
    return bad.size() > p().max_sig_bytes ? CKR_SIGNATURE_LEN_RANGE : CKR_SIGNATURE_INVALID;
  };
  Bytes trailing = sig;
  trailing.push_back(0x00);
  EXPECT_EQ(verify(kp.pk, kMsg, kCtx, trailing), invalid_or_too_long(trailing));
  // r with a superfluous leading zero (BER, not DER; r is minimal to begin with, so the new
  // leading 00 is always followed by a byte below 0x80).
  const std::size_t r_len = sig[ml_sig() + 3];
  Bytes padded(sig.begin(), sig.begin() + ec);
  padded.push_back(0x30);
  padded.push_back(static_cast<std::uint8_t>(sig[ml_sig() + 1] + 1));
  padded.push_back(0x02);
  padded.push_back(static_cast<std::uint8_t>(r_len + 1));
  padded.push_back(0x00);
  padded.insert(padded.end(), sig.begin() + ec + 4, sig.end());
  EXPECT_EQ(verify(kp.pk, kMsg, kCtx, padded), invalid_or_too_long(padded));
  // A long-form SEQUENCE length (81 xx) is not DER either.
  Bytes long_form(sig.begin(), sig.begin() + ec);
  long_form.push_back(0x30);
  long_form.push_back(0x81);
  long_form.insert(long_form.end(), sig.begin() + ec + 1, sig.end());
  EXPECT_EQ(verify(kp.pk, kMsg, kCtx, long_form), invalid_or_too_long(long_form));
  // Minimal but meaningless: SEQUENCE { INTEGER 0, INTEGER 0 }.
  Bytes zeros(sig.begin(), sig.begin() + ec);
  for (const std::uint8_t b : {0x30, 0x06, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00}) zeros.push_back(b);
  EXPECT_EQ(verify(kp.pk, kMsg, kCtx, zeros), CKR_SIGNATURE_INVALID);
}

TEST_P(CompositeSigTest, WrongLengths) {
  const CompositeKeyPair kp = keys();
  const Bytes sig = sign(kp, kMsg, kCtx);
  const auto sk_span = kp.sk.span();
  const Bytes sk(sk_span.begin(), sk_span.end());
  Bytes short_sk(sk.begin(), sk.end() - 1), long_sk = sk;
  long_sk.push_back(0);
  for (const Bytes* bad : {&short_sk, &long_sk}) {
    EXPECT_EQ(composite_sign(p(), *bad, kMsg, kCtx, MlDsaHedge::kHedged).rv(), CKR_KEY_SIZE_RANGE);
    EXPECT_EQ(composite_public_from_private(p(), *bad).rv(), CKR_KEY_SIZE_RANGE);
  }
  EXPECT_EQ(composite_sign(p(), {}, kMsg, kCtx, MlDsaHedge::kHedged).rv(), CKR_KEY_SIZE_RANGE);
  Bytes short_pk(kp.pk.begin(), kp.pk.end() - 1), long_pk = kp.pk;
  long_pk.push_back(0);
  EXPECT_EQ(verify(short_pk, kMsg, kCtx, sig), CKR_KEY_SIZE_RANGE);
  EXPECT_EQ(verify(long_pk, kMsg, kCtx, sig), CKR_KEY_SIZE_RANGE);
  // The ML-DSA part alone, or anything outside [min, max], is refused by length.
  EXPECT_EQ(verify(kp.pk, kMsg, kCtx, Bytes(sig.begin(), sig.begin() + static_cast<std::ptrdiff_t>(ml_sig()))),
            CKR_SIGNATURE_LEN_RANGE);
  EXPECT_EQ(verify(kp.pk, kMsg, kCtx, Bytes(p().min_sig_bytes - 1, 0x30)), CKR_SIGNATURE_LEN_RANGE);
  EXPECT_EQ(verify(kp.pk, kMsg, kCtx, Bytes(p().max_sig_bytes + 1, 0x30)), CKR_SIGNATURE_LEN_RANGE);
  EXPECT_EQ(verify(kp.pk, kMsg, kCtx, {}), CKR_SIGNATURE_LEN_RANGE);
  // A signature of the other parameter set never has a possible length here.
  const auto& q = &p() == &kMlDsa65EcdsaP256Sha512 ? kMlDsa87EcdsaP384Sha512 : kMlDsa65EcdsaP256Sha512;
  const DraftVector other = draft_vector(q);
  EXPECT_EQ(verify(kp.pk, kDraftMsg, {}, from_hex(other.sig)), CKR_SIGNATURE_LEN_RANGE);
  // The pre-hashed entry points want exactly PH's output length.
  EXPECT_EQ(composite_sign_prehashed(p(), kp.sk.span(), Bytes(63), kCtx, MlDsaHedge::kHedged).rv(),
            CKR_DATA_LEN_RANGE);
  EXPECT_EQ(composite_verify_prehashed(p(), kp.pk, Bytes(65), kCtx, sig).rv(), CKR_DATA_LEN_RANGE);
}

TEST_P(CompositeSigTest, InvalidPublicKeys) {
  const CompositeKeyPair kp = keys();
  const Bytes sig = sign(kp, kMsg, kCtx);
  const std::size_t point = p().mldsa->pk_bytes;
  Bytes compressed_tag = kp.pk;
  compressed_tag[point] = 0x02;
  EXPECT_EQ(verify(compressed_tag, kMsg, kCtx, sig), CKR_PUBLIC_KEY_INVALID);
  Bytes off_curve = kp.pk;
  off_curve.back() ^= 0x01;  // y changed: (x, y') is not on the curve
  EXPECT_EQ(verify(off_curve, kMsg, kCtx, sig), CKR_PUBLIC_KEY_INVALID);
  Bytes zero_point = kp.pk;
  std::fill(zero_point.begin() + static_cast<std::ptrdiff_t>(point) + 1, zero_point.end(), std::uint8_t{0});
  EXPECT_EQ(verify(zero_point, kMsg, kCtx, sig), CKR_PUBLIC_KEY_INVALID);
  // Another ML-DSA key with the right EC key: a clean CKR_SIGNATURE_INVALID.
  Bytes other_ml = kp.pk;
  other_ml[0] ^= 0x01;
  EXPECT_EQ(verify(other_ml, kMsg, kCtx, sig), CKR_SIGNATURE_INVALID);
}

TEST_P(CompositeSigTest, InvalidPrivateKeys) {
  const CompositeKeyPair kp = keys();
  const auto sk_span = kp.sk.span();
  const Bytes sk(sk_span.begin(), sk_span.end());
  const std::size_t scalar = kCompositeMlDsaSeedBytes + 7;  // 30 L 02 01 01 04 N
  Bytes bad_version = sk;
  bad_version[kCompositeMlDsaSeedBytes + 4] = 0x02;
  Bytes bad_oid = sk;
  bad_oid.back() ^= 0x01;
  Bytes zero_scalar = sk;
  std::fill(zero_scalar.begin() + static_cast<std::ptrdiff_t>(scalar),
            zero_scalar.begin() + static_cast<std::ptrdiff_t>(scalar + p().ec_field_bytes), std::uint8_t{0});
  Bytes big_scalar = sk;  // 0xFF…FF exceeds the group order of P-256 and P-384
  std::fill(big_scalar.begin() + static_cast<std::ptrdiff_t>(scalar),
            big_scalar.begin() + static_cast<std::ptrdiff_t>(scalar + p().ec_field_bytes), std::uint8_t{0xFF});
  for (const Bytes* bad : {&bad_version, &bad_oid, &zero_scalar, &big_scalar}) {
    EXPECT_EQ(composite_sign(p(), *bad, kMsg, kCtx, MlDsaHedge::kHedged).rv(), CKR_ATTRIBUTE_VALUE_INVALID);
    EXPECT_EQ(composite_public_from_private(p(), *bad).rv(), CKR_ATTRIBUTE_VALUE_INVALID);
  }
  // The other parameter set's private key has another length.
  const auto& q = &p() == &kMlDsa65EcdsaP256Sha512 ? kMlDsa87EcdsaP384Sha512 : kMlDsa65EcdsaP256Sha512;
  EXPECT_EQ(composite_public_from_private(p(), from_hex(draft_vector(q).sk)).rv(), CKR_KEY_SIZE_RANGE);
}

TEST_P(CompositeSigTest, ContextHandling) {
  const CompositeKeyPair kp = keys();
  const Bytes max_ctx(255, 0xA5), long_ctx(256, 0xA5);
  const Bytes sig = sign(kp, kMsg, max_ctx);
  EXPECT_EQ(verify(kp.pk, kMsg, max_ctx, sig), CKR_OK);
  EXPECT_EQ(verify(kp.pk, kMsg, Bytes(254, 0xA5), sig), CKR_SIGNATURE_INVALID);
  EXPECT_EQ(composite_sign(p(), kp.sk.span(), kMsg, long_ctx, MlDsaHedge::kHedged).rv(), CKR_MECHANISM_PARAM_INVALID);
  EXPECT_EQ(verify(kp.pk, kMsg, long_ctx, sig), CKR_MECHANISM_PARAM_INVALID);
  // The empty context and a one-byte zero context are different contexts.
  const Bytes empty_sig = sign(kp, kMsg, {});
  EXPECT_EQ(verify(kp.pk, kMsg, {}, empty_sig), CKR_OK);
  EXPECT_EQ(verify(kp.pk, kMsg, Bytes{0x00}, empty_sig), CKR_SIGNATURE_INVALID);
}

TEST_P(CompositeSigTest, PrehashedEntryPointsMatchTheOneShotOnes) {
  const CompositeKeyPair kp = keys();
  auto ph = composite_prehash(p(), kMsg);
  ASSERT_TRUE(ph.ok());
  EXPECT_EQ(*ph, *digest(CKM_SHA512, kMsg));
  auto sig = composite_sign_prehashed(p(), kp.sk.span(), *ph, kCtx, MlDsaHedge::kHedged);
  ASSERT_TRUE(sig.ok());
  EXPECT_EQ(verify(kp.pk, kMsg, kCtx, *sig), CKR_OK);
  const Bytes one_shot = sign(kp, kMsg, kCtx);
  EXPECT_EQ(composite_verify_prehashed(p(), kp.pk, *ph, kCtx, one_shot).rv(), CKR_OK);
  const DraftVector v = draft_vector(p());
  auto draft_ph = composite_prehash(p(), kDraftMsg);
  ASSERT_TRUE(draft_ph.ok());
  EXPECT_EQ(composite_verify_prehashed(p(), from_hex(v.pk), *draft_ph, kDraftCtx, from_hex(v.sig_ctx)).rv(), CKR_OK);
}

INSTANTIATE_TEST_SUITE_P(Both, CompositeSigTest,
                         ::testing::Values(&kMlDsa65EcdsaP256Sha512, &kMlDsa87EcdsaP384Sha512),
                         [](const ::testing::TestParamInfo<const CompositeSigParams*>& param_info) {
                           return param_info.param == &kMlDsa65EcdsaP256Sha512 ? std::string("MlDsa65P256")
                                                                               : std::string("MlDsa87P384");
                         });

}  // namespace
}  // namespace craton::crypto::hybrid
