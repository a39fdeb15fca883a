// Unit tests for crypto/hybrid/hybrid_keys: the vendor parameter-set table, generation, import and
// public-key checks with their CKR_* codes, SubjectPublicKeyInfo, and the OneAsymmetricKey
// encoder/parser with its optional fields and malformed inputs. The API-level behaviour (and the
// drafts' vectors through C_CreateObject) is in tests/api/mech_hybrid_test.cpp.
#include "crypto/hybrid/hybrid_keys.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "crypto/hybrid/composite_sig.h"
#include "crypto/hybrid/xwing.h"

namespace craton::crypto::hybrid {
namespace {

using Bytes = std::vector<std::uint8_t>;

const HybridKeySpec& spec(CK_KEY_TYPE kt, CK_ULONG set) {
  auto s = hybrid_key_spec(kt, set);
  EXPECT_TRUE(s.ok());
  return **s;
}
Bytes bytes(const SecureBytes& s) { return Bytes(s.span().begin(), s.span().end()); }

TEST(HybridKeys, Table) {
  EXPECT_TRUE(is_hybrid_key_type(CKK_CRATON_COMP_SIG));
  EXPECT_TRUE(is_hybrid_key_type(CKK_CRATON_XWING));
  EXPECT_FALSE(is_hybrid_key_type(CKK_ML_DSA));
  ASSERT_EQ(hybrid_key_specs(CKK_CRATON_COMP_SIG).size(), 2U);
  ASSERT_EQ(hybrid_key_specs(CKK_CRATON_XWING).size(), 1U);
  EXPECT_EQ(hybrid_key_spec(CKK_CRATON_COMP_SIG, CKP_CRATON_XWING).rv(), CKR_PARAMETER_SET_NOT_SUPPORTED);
  EXPECT_EQ(hybrid_key_spec(CKK_ML_DSA, CKP_ML_DSA_65).rv(), CKR_PARAMETER_SET_NOT_SUPPORTED);
  const auto& p256 = spec(CKK_CRATON_COMP_SIG, CKP_CRATON_COMP_SIG_MLDSA65_ECDSA_P256_SHA512);
  EXPECT_EQ(p256.composite, &kMlDsa65EcdsaP256Sha512);
  EXPECT_EQ(p256.public_bytes, 2017U);
  EXPECT_EQ(p256.private_bytes, 83U);
  const auto& p384 = spec(CKK_CRATON_COMP_SIG, CKP_CRATON_COMP_SIG_MLDSA87_ECDSA_P384_SHA512);
  EXPECT_EQ(p384.composite, &kMlDsa87EcdsaP384Sha512);
  EXPECT_EQ(p384.max_output_bytes, 4731U);
  const auto& xw = spec(CKK_CRATON_XWING, CKP_CRATON_XWING);
  EXPECT_EQ(xw.composite, nullptr);
  EXPECT_EQ(xw.public_bytes, kXWingPublicKeyBytes);
  EXPECT_EQ(xw.private_bytes, kXWingSeedBytes);
  // The composite parameter sets carry the OID's last arc.
  EXPECT_EQ(CKP_CRATON_COMP_SIG_MLDSA65_ECDSA_P256_SHA512 & 0xFFU, 45U);
  EXPECT_EQ(CKP_CRATON_COMP_SIG_MLDSA87_ECDSA_P384_SHA512 & 0xFFU, 49U);
}

TEST(HybridKeys, GenerateImportAndCheckEverySet) {
  for (CK_KEY_TYPE kt : {CKK_CRATON_COMP_SIG, CKK_CRATON_XWING}) {
    for (const HybridKeySpec* s : hybrid_key_specs(kt)) {
      SCOPED_TRACE(s->name);
      auto key = hybrid_generate(*s);
      ASSERT_TRUE(key.ok());
      ASSERT_EQ(key->value.size(), s->private_bytes);
      ASSERT_EQ(key->public_key.size(), s->public_bytes);
      EXPECT_TRUE(hybrid_check_public(*s, key->public_key).ok());
      auto imported = hybrid_import_private(*s, key->value.span());
      ASSERT_TRUE(imported.ok());
      EXPECT_EQ(imported->public_key, key->public_key);
      EXPECT_TRUE(hybrid_pairwise_test(*s, key->public_key, key->value.span()).ok());

      Bytes shorter = bytes(key->value);
      shorter.pop_back();
      EXPECT_EQ(hybrid_import_private(*s, shorter).rv(), CKR_ATTRIBUTE_VALUE_INVALID);
      Bytes pk = key->public_key;
      pk.push_back(0);
      EXPECT_EQ(hybrid_check_public(*s, pk).rv(), CKR_ATTRIBUTE_VALUE_INVALID);

      // The SPKI is SEQUENCE { SEQUENCE { OID }, BIT STRING 00 || pk }.
      const Bytes spki = hybrid_public_key_info(*s, key->public_key);
      const Bytes head = {0x30, 0x82};
      EXPECT_TRUE(std::equal(head.begin(), head.end(), spki.begin()));
      EXPECT_TRUE(std::search(spki.begin(), spki.end(), s->oid_der.begin(), s->oid_der.end()) != spki.end());
      EXPECT_TRUE(std::equal(key->public_key.rbegin(), key->public_key.rend(), spki.rbegin()));
    }
  }
}

TEST(HybridKeys, CompositeImportRefusals) {
  const auto& s = spec(CKK_CRATON_COMP_SIG, CKP_CRATON_COMP_SIG_MLDSA87_ECDSA_P384_SHA512);
  auto key = hybrid_generate(s);
  ASSERT_TRUE(key.ok());
  Bytes framing = bytes(key->value);
  framing[32 + 5] ^= 1;  // the OCTET STRING tag of the scalar
  EXPECT_EQ(hybrid_import_private(s, framing).rv(), CKR_ATTRIBUTE_VALUE_INVALID);
  Bytes big = bytes(key->value);
  std::fill(big.begin() + 39, big.begin() + 39 + 48, std::uint8_t{0xFF});  // d ≥ n
  EXPECT_EQ(hybrid_import_private(s, big).rv(), CKR_ATTRIBUTE_VALUE_INVALID);
  Bytes point = key->public_key;
  point[2592] = 0x03;  // compressed form
  EXPECT_EQ(hybrid_check_public(s, point).rv(), CKR_ATTRIBUTE_VALUE_INVALID);
}

TEST(HybridKeys, OneAsymmetricKeyRoundTripAndOptionalFields) {
  const auto& s = spec(CKK_CRATON_XWING, CKP_CRATON_XWING);
  auto key = hybrid_generate(s);
  ASSERT_TRUE(key.ok());
  const Bytes der = bytes(hybrid_private_key_info(s, key->value.span()));
  // 30 34 | 02 01 00 | 30 0D <13-byte OID> | 04 20 <seed>
  ASSERT_EQ(der.size(), 2U + 3U + 15U + 34U);
  EXPECT_EQ(der[1], der.size() - 2);
  EXPECT_TRUE(hybrid_is_private_key_info(der));
  auto parsed = hybrid_parse_private_key_info(der);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->spec, &s);
  EXPECT_EQ(bytes(parsed->value), bytes(key->value));
  EXPECT_TRUE(parsed->public_key.empty());

  // Version 1 with attributes [0] and publicKey [1].
  Bytes v1(der.begin() + 2, der.end());
  v1[2] = 0x01;
  const Bytes attrs = {0xA0, 0x00};
  v1.insert(v1.end(), attrs.begin(), attrs.end());
  const std::size_t pub_len = key->public_key.size() + 1;
  v1.insert(v1.end(), {0x81, 0x82, static_cast<std::uint8_t>(pub_len >> 8), static_cast<std::uint8_t>(pub_len), 0x00});
  v1.insert(v1.end(), key->public_key.begin(), key->public_key.end());
  Bytes full = {0x30, 0x82, static_cast<std::uint8_t>(v1.size() >> 8), static_cast<std::uint8_t>(v1.size())};
  full.insert(full.end(), v1.begin(), v1.end());
  auto with_pub = hybrid_parse_private_key_info(full);
  ASSERT_TRUE(with_pub.ok());
  EXPECT_EQ(with_pub->public_key, key->public_key);
  // publicKey [1] needs version 1.
  Bytes v0_pub = full;
  v0_pub[4 + 2] = 0x00;
  EXPECT_EQ(hybrid_parse_private_key_info(v0_pub).rv(), CKR_WRAPPED_KEY_INVALID);

  // Malformed: trailing bytes, version 2, parameters in the AlgorithmIdentifier, truncation.
  Bytes trailing = der;
  trailing.push_back(0);
  EXPECT_FALSE(hybrid_is_private_key_info(trailing));
  EXPECT_EQ(hybrid_parse_private_key_info(trailing).rv(), CKR_WRAPPED_KEY_INVALID);
  Bytes v2 = der;
  v2[4] = 0x02;
  EXPECT_EQ(hybrid_parse_private_key_info(v2).rv(), CKR_WRAPPED_KEY_INVALID);
  Bytes params(der.begin() + 2, der.end());
  params[4] = static_cast<std::uint8_t>(params[4] + 2);  // AlgorithmIdentifier length
  params.insert(params.begin() + 5 + 13, {0x05, 0x00});  // NULL parameters after the OID
  params.insert(params.begin(), {0x30, static_cast<std::uint8_t>(params.size())});
  EXPECT_FALSE(hybrid_is_private_key_info(params));
  EXPECT_EQ(hybrid_parse_private_key_info(params).rv(), CKR_WRAPPED_KEY_INVALID);
  EXPECT_EQ(hybrid_parse_private_key_info(Bytes(der.begin(), der.end() - 1)).rv(), CKR_WRAPPED_KEY_INVALID);
  EXPECT_EQ(hybrid_parse_private_key_info({}).rv(), CKR_WRAPPED_KEY_INVALID);
}

}  // namespace
}  // namespace craton::crypto::hybrid
