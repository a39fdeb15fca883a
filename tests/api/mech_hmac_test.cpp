// HMAC and secret-key generation mechanisms through the module API: RFC 4231 (SHA-224..512) and
// RFC 2202 (SHA-1) vectors, SHA-3 and SHA-512/t against OpenSSL's EVP HMAC, HMAC_GENERAL
// truncation, verification failures, multi-part, output-buffer rules, key policy, the message API,
// mechanism info and CKM_*_KEY_GEN.
#include <openssl/evp.h>

#include <algorithm>
#include <random>

#include "module_fixture.h"

namespace craton::test {
namespace {

using Bytes = std::vector<std::uint8_t>;

Bytes str(const std::string& s) { return Bytes(s.begin(), s.end()); }

struct HmacCase {
  CK_MECHANISM_TYPE mech;
  CK_MECHANISM_TYPE general;
  CK_KEY_TYPE key_type;
  const char* evp_name;
  std::size_t size;
};

const HmacCase kHmacs[] = {
    {CKM_SHA_1_HMAC, CKM_SHA_1_HMAC_GENERAL, CKK_SHA_1_HMAC, "SHA1", 20},
    {CKM_SHA224_HMAC, CKM_SHA224_HMAC_GENERAL, CKK_SHA224_HMAC, "SHA224", 28},
    {CKM_SHA256_HMAC, CKM_SHA256_HMAC_GENERAL, CKK_SHA256_HMAC, "SHA256", 32},
    {CKM_SHA384_HMAC, CKM_SHA384_HMAC_GENERAL, CKK_SHA384_HMAC, "SHA384", 48},
    {CKM_SHA512_HMAC, CKM_SHA512_HMAC_GENERAL, CKK_SHA512_HMAC, "SHA512", 64},
    {CKM_SHA512_224_HMAC, CKM_SHA512_224_HMAC_GENERAL, CKK_SHA512_224_HMAC, "SHA512-224", 28},
    {CKM_SHA512_256_HMAC, CKM_SHA512_256_HMAC_GENERAL, CKK_SHA512_256_HMAC, "SHA512-256", 32},
    {CKM_SHA3_224_HMAC, CKM_SHA3_224_HMAC_GENERAL, CKK_SHA3_224_HMAC, "SHA3-224", 28},
    {CKM_SHA3_256_HMAC, CKM_SHA3_256_HMAC_GENERAL, CKK_SHA3_256_HMAC, "SHA3-256", 32},
    {CKM_SHA3_384_HMAC, CKM_SHA3_384_HMAC_GENERAL, CKK_SHA3_384_HMAC, "SHA3-384", 48},
    {CKM_SHA3_512_HMAC, CKM_SHA3_512_HMAC_GENERAL, CKK_SHA3_512_HMAC, "SHA3-512", 64},
};

Bytes evp_hmac(const char* digest, const Bytes& key, const Bytes& data) {
  Bytes out(EVP_MAX_MD_SIZE);
  std::size_t n = 0;
  static const std::uint8_t kNone = 0;
  EXPECT_NE(EVP_Q_mac(nullptr, "HMAC", nullptr, digest, nullptr, key.empty() ? &kNone : key.data(), key.size(),
                      data.data(), data.size(), out.data(), out.size(), &n),
            nullptr);
  out.resize(n);
  return out;
}

class MechHmac : public TokenTest {
 protected:
  void SetUp() override {
    TokenTest::SetUp();
    ASSERT_EQ(login(rw_, CKU_USER, kUserPin), CKR_OK);
  }

  CK_OBJECT_HANDLE secret(const Bytes& value, CK_KEY_TYPE kt = CKK_GENERIC_SECRET, bool sign = true) {
    Template t;
    t.ulong(CKA_CLASS, CKO_SECRET_KEY).ulong(CKA_KEY_TYPE, kt).bytes(CKA_VALUE, value).boolean(CKA_SIGN, sign).boolean(CKA_VERIFY, true);
    CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;
    EXPECT_EQ(f->C_CreateObject(rw_, t.data(), t.size(), &h), CKR_OK);
    return h;
  }

  Bytes sign(CK_MECHANISM mech, CK_OBJECT_HANDLE key, const Bytes& data) {
    EXPECT_EQ(f->C_SignInit(rw_, &mech, key), CKR_OK);
    CK_ULONG n = 0;
    EXPECT_EQ(f->C_Sign(rw_, const_cast<CK_BYTE*>(data.data()), data.size(), nullptr, &n), CKR_OK);
    Bytes out(n);
    EXPECT_EQ(f->C_Sign(rw_, const_cast<CK_BYTE*>(data.data()), data.size(), out.data(), &n), CKR_OK);
    out.resize(n);
    return out;
  }
  Bytes sign(CK_MECHANISM_TYPE m, CK_OBJECT_HANDLE key, const Bytes& data) { return sign(CK_MECHANISM{m, nullptr, 0}, key, data); }

  CK_RV verify(CK_MECHANISM mech, CK_OBJECT_HANDLE key, const Bytes& data, const Bytes& sig) {
    EXPECT_EQ(f->C_VerifyInit(rw_, &mech, key), CKR_OK);
    return f->C_Verify(rw_, const_cast<CK_BYTE*>(data.data()), data.size(), const_cast<CK_BYTE*>(sig.data()), sig.size());
  }
  CK_RV verify(CK_MECHANISM_TYPE m, CK_OBJECT_HANDLE key, const Bytes& data, const Bytes& sig) {
    return verify(CK_MECHANISM{m, nullptr, 0}, key, data, sig);
  }

  CK_ULONG get_ulong(CK_OBJECT_HANDLE h, CK_ATTRIBUTE_TYPE t) {
    CK_ULONG v = 0;
    CK_ATTRIBUTE a{t, &v, sizeof v};
    EXPECT_EQ(f->C_GetAttributeValue(rw_, h, &a, 1), CKR_OK);
    return v;
  }
  bool get_bool(CK_OBJECT_HANDLE h, CK_ATTRIBUTE_TYPE t) {
    CK_BBOOL v = CK_FALSE;
    CK_ATTRIBUTE a{t, &v, sizeof v};
    EXPECT_EQ(f->C_GetAttributeValue(rw_, h, &a, 1), CKR_OK);
    return v != CK_FALSE;
  }
};

// RFC 4231 §4.2-4.8 (test case 5 is the truncated one).
struct Rfc4231 {
  Bytes key;
  Bytes data;
  const char* sha224;
  const char* sha256;
  const char* sha384;
  const char* sha512;
};

std::vector<Rfc4231> rfc4231() {
  Bytes k4;
  for (std::uint8_t b = 1; b <= 25; ++b) k4.push_back(b);
  return {
      {Bytes(20, 0x0b), str("Hi There"), "896fb1128abbdf196832107cd49df33f47b4b1169912ba4f53684b22",
       "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
       "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59cfaea9ea9076ede7f4af152e8b2fa9cb6",
       "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cdedaa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854"},
      {str("Jefe"), str("what do ya want for nothing?"), "a30e01098bc6dbbf45690f3a7e9e6d0f8bbea2a39e6148008fd05e44",
       "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
       "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e8e2240ca5e69e2c78b3239ecfab21649",
       "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737"},
      {Bytes(20, 0xaa), Bytes(50, 0xdd), "7fb3cb3588c6c1f6ffa9694d7d6ad2649365b0c1f65d69d1ec8333ea",
       "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe",
       "88062608d3e6ad8a0aa2ace014c8a86f0aa635d947ac9febe83ef4e55966144b2a5ab39dc13814b94e3ab6e101a34f27",
       "fa73b0089d56a284efb0f0756c890be9b1b5dbdd8ee81a3655f83e33b2279d39bf3e848279a722c806b485a47e67c807b946a337bee8942674278859e13292fb"},
      {k4, Bytes(50, 0xcd), "6c11506874013cac6a2abc1bb382627cec6a90d86efc012de7afec5a",
       "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b",
       "3e8a69b7783c25851933ab6290af6ca77a9981480850009cc5577c6e1f573b4e6801dd23c4a7d679ccf8a386c674cffb",
       "b0ba465637458c6990e5a8c5f61d4af7e576d97ff94b872de76f8050361ee3dba91ca5c11aa25eb4d679275cc5788063a5f19741120c4f2de2adebeb10a298dd"},
      {Bytes(20, 0x0c), str("Test With Truncation"), "0e2aea68a90c8d37c988bcdb9fca6fa8", "a3b6167473100ee06e0c796c2955552b",
       "3abf34c3503b2a23a46efc619baef897", "415fad6271580a531d4179bc891d87a6"},
      {Bytes(131, 0xaa), str("Test Using Larger Than Block-Size Key - Hash Key First"),
       "95e9a0db962095adaebe9b2d6f0dbce2d499f112f2d2b7273fa6870e",
       "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
       "4ece084485813e9088d2c63a041bc5b44f9ef1012a2b588f3cd11f05033ac4c60c2ef6ab4030fe8296248df163f44952",
       "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f3526b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598"},
      {Bytes(131, 0xaa),
       str("This is a test using a larger than block-size key and a larger than block-size data. The key needs to be "
           "hashed before being used by the HMAC algorithm."),
       "3a854166ac5d9f023f54d517d0b39dbd946770db9c2b95c9f6f565d1",
       "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2",
       "6617178e941f020d351e2f254e8fd32c602420feb0b8fb9adccebb82461e99c5a678cc31e799176d3860e6110c46523e",
       "e37b6a775dc87dbaa4dfa9f96e5e3ffddebd71f8867289865df5a32d20cdc944b6022cac3c4982b10d5eeb55c3e4de15134676fb6de0446065c97440fa8c6a58"},
  };
}

TEST_F(MechHmac, Rfc4231Vectors) {
  struct Alg {
    CK_MECHANISM_TYPE mech, general;
    CK_KEY_TYPE kt;
    const char* Rfc4231::*want;
  };
  const Alg algs[] = {{CKM_SHA224_HMAC, CKM_SHA224_HMAC_GENERAL, CKK_SHA224_HMAC, &Rfc4231::sha224},
                      {CKM_SHA256_HMAC, CKM_SHA256_HMAC_GENERAL, CKK_SHA256_HMAC, &Rfc4231::sha256},
                      {CKM_SHA384_HMAC, CKM_SHA384_HMAC_GENERAL, CKK_SHA384_HMAC, &Rfc4231::sha384},
                      {CKM_SHA512_HMAC, CKM_SHA512_HMAC_GENERAL, CKK_SHA512_HMAC, &Rfc4231::sha512}};
  int n = 0;
  for (const auto& tc : rfc4231()) {
    ++n;
    for (const auto& a : algs) {
      // Alternate the generic and the hash's own key type.
      const CK_OBJECT_HANDLE key = secret(tc.key, n % 2 == 0 ? a.kt : CKK_GENERIC_SECRET);
      const Bytes want = from_hex(tc.*a.want);
      if (n == 5) {  // truncated to 128 bits: HMAC_GENERAL
        CK_ULONG len = 16;
        EXPECT_EQ(sign(CK_MECHANISM{a.general, &len, sizeof len}, key, tc.data), want) << "case 5";
        EXPECT_EQ(verify(CK_MECHANISM{a.general, &len, sizeof len}, key, tc.data, want), CKR_OK);
      } else {
        EXPECT_EQ(sign(a.mech, key, tc.data), want) << "case " << n;
        EXPECT_EQ(verify(a.mech, key, tc.data, want), CKR_OK) << "case " << n;
      }
    }
  }
}

TEST_F(MechHmac, Rfc2202Sha1Vectors) {
  Bytes k4;
  for (std::uint8_t b = 1; b <= 25; ++b) k4.push_back(b);
  const struct {
    Bytes key, data;
    const char* want;
  } cases[] = {
      {Bytes(20, 0x0b), str("Hi There"), "b617318655057264e28bc0b6fb378c8ef146be00"},
      {str("Jefe"), str("what do ya want for nothing?"), "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"},
      {Bytes(20, 0xaa), Bytes(50, 0xdd), "125d7342b9ac11cd91a39af48aa17b4f63f175d3"},
      {k4, Bytes(50, 0xcd), "4c9007f4026250c6bc8414f9bf50c86c2d7235da"},
      {Bytes(20, 0x0c), str("Test With Truncation"), "4c1a03424b55e07fe7f27be1d58bb9324a9a5a04"},
      {Bytes(80, 0xaa), str("Test Using Larger Than Block-Size Key - Hash Key First"), "aa4ae5e15272d00e95705637ce8a3b55ed402112"},
      {Bytes(80, 0xaa), str("Test Using Larger Than Block-Size Key and Larger Than One Block-Size Data"),
       "e8e99d0f45237d786d6bbaa7965c7808bbff1a91"},
  };
  for (const auto& c : cases) {
    const CK_OBJECT_HANDLE key = secret(c.key, CKK_SHA_1_HMAC);
    EXPECT_EQ(sign(CKM_SHA_1_HMAC, key, c.data), from_hex(c.want));
  }
  // Test case 5's 96-bit truncation.
  CK_ULONG len = 12;
  EXPECT_EQ(sign(CK_MECHANISM{CKM_SHA_1_HMAC_GENERAL, &len, sizeof len}, secret(Bytes(20, 0x0c)), str("Test With Truncation")),
            from_hex("4c1a03424b55e07fe7f27be1"));
}

TEST_F(MechHmac, EveryHashMatchesOpenSsl) {
  std::mt19937 rng(11);
  for (const auto& h : kHmacs) {
    for (std::size_t key_len : {1u, 20u, 64u, 200u}) {
      Bytes key(key_len), data(3 * key_len + 5);
      for (auto& b : key) b = static_cast<std::uint8_t>(rng());
      for (auto& b : data) b = static_cast<std::uint8_t>(rng());
      const CK_OBJECT_HANDLE k = secret(key, key_len % 2 == 0 ? h.key_type : CKK_GENERIC_SECRET);
      const Bytes want = evp_hmac(h.evp_name, key, data);
      ASSERT_EQ(want.size(), h.size);
      EXPECT_EQ(sign(h.mech, k, data), want) << h.evp_name << " key " << key_len;
      EXPECT_EQ(verify(h.mech, k, data, want), CKR_OK) << h.evp_name;
    }
  }
}

TEST_F(MechHmac, GeneralTruncatesAndChecksItsLength) {
  const Bytes key(32, 0x42), data = str("general");
  const CK_OBJECT_HANDLE k = secret(key);
  const Bytes full = evp_hmac("SHA3-256", key, data);
  for (CK_ULONG len : {1ul, 16ul, 31ul, 32ul}) {
    CK_MECHANISM m{CKM_SHA3_256_HMAC_GENERAL, &len, sizeof len};
    EXPECT_EQ(sign(m, k, data), Bytes(full.begin(), full.begin() + static_cast<long>(len))) << len;
    EXPECT_EQ(verify(m, k, data, Bytes(full.begin(), full.begin() + static_cast<long>(len))), CKR_OK);
  }
  for (CK_ULONG len : {0ul, 33ul}) {
    CK_MECHANISM m{CKM_SHA3_256_HMAC_GENERAL, &len, sizeof len};
    EXPECT_EQ(f->C_SignInit(rw_, &m, k), CKR_MECHANISM_PARAM_INVALID) << len;
    EXPECT_EQ(f->C_VerifyInit(rw_, &m, k), CKR_MECHANISM_PARAM_INVALID) << len;
  }
  CK_MECHANISM none{CKM_SHA3_256_HMAC_GENERAL, nullptr, 0};
  EXPECT_EQ(f->C_SignInit(rw_, &none, k), CKR_MECHANISM_PARAM_INVALID);
  CK_ULONG len = 16;
  CK_MECHANISM plain_with_param{CKM_SHA256_HMAC, &len, sizeof len};
  EXPECT_EQ(f->C_SignInit(rw_, &plain_with_param, k), CKR_MECHANISM_PARAM_INVALID);
}

TEST_F(MechHmac, VerifyFailures) {
  const Bytes key(24, 0x11), data = str("verify me");
  const CK_OBJECT_HANDLE k = secret(key);
  Bytes mac = sign(CKM_SHA384_HMAC, k, data);
  ASSERT_EQ(mac.size(), 48u);
  Bytes flipped = mac;
  flipped[17] ^= 0x04;
  EXPECT_EQ(verify(CKM_SHA384_HMAC, k, data, flipped), CKR_SIGNATURE_INVALID);
  // The failure ended the operation.
  EXPECT_EQ(f->C_Verify(rw_, const_cast<CK_BYTE*>(data.data()), data.size(), mac.data(), mac.size()),
            CKR_OPERATION_NOT_INITIALIZED);
  EXPECT_EQ(verify(CKM_SHA384_HMAC, k, data, Bytes(mac.begin(), mac.end() - 1)), CKR_SIGNATURE_LEN_RANGE);
  Bytes longer = mac;
  longer.push_back(0);
  EXPECT_EQ(verify(CKM_SHA384_HMAC, k, data, longer), CKR_SIGNATURE_LEN_RANGE);
  EXPECT_EQ(verify(CKM_SHA384_HMAC, k, str("verify mE"), mac), CKR_SIGNATURE_INVALID);
  // Multi-part verification fails the same way.
  CK_MECHANISM m{CKM_SHA384_HMAC, nullptr, 0};
  ASSERT_EQ(f->C_VerifyInit(rw_, &m, k), CKR_OK);
  ASSERT_EQ(f->C_VerifyUpdate(rw_, const_cast<CK_BYTE*>(data.data()), data.size()), CKR_OK);
  EXPECT_EQ(f->C_VerifyFinal(rw_, flipped.data(), flipped.size()), CKR_SIGNATURE_INVALID);
  ASSERT_EQ(f->C_VerifyInit(rw_, &m, k), CKR_OK);
  ASSERT_EQ(f->C_VerifyUpdate(rw_, const_cast<CK_BYTE*>(data.data()), data.size()), CKR_OK);
  EXPECT_EQ(f->C_VerifyFinal(rw_, mac.data(), 10), CKR_SIGNATURE_LEN_RANGE);
  // GENERAL: the length is the parameter's, not the digest's.
  CK_ULONG len = 20;
  CK_MECHANISM g{CKM_SHA384_HMAC_GENERAL, &len, sizeof len};
  EXPECT_EQ(verify(g, k, data, mac), CKR_SIGNATURE_LEN_RANGE);
  EXPECT_EQ(verify(g, k, data, Bytes(mac.begin(), mac.begin() + 20)), CKR_OK);
}

TEST_F(MechHmac, MultiPartEqualsSinglePart) {
  std::mt19937 rng(5);
  Bytes key(48), data(1000);
  for (auto& b : key) b = static_cast<std::uint8_t>(rng());
  for (auto& b : data) b = static_cast<std::uint8_t>(rng());
  const CK_OBJECT_HANDLE k = secret(key);
  for (const auto& h : kHmacs) {
    const Bytes single = sign(h.mech, k, data);
    CK_MECHANISM m{h.mech, nullptr, 0};
    ASSERT_EQ(f->C_SignInit(rw_, &m, k), CKR_OK);
    for (std::size_t off = 0; off < data.size();) {
      const std::size_t part = std::min<std::size_t>(1 + off % 97, data.size() - off);
      ASSERT_EQ(f->C_SignUpdate(rw_, data.data() + off, part), CKR_OK);
      off += part;
    }
    CK_ULONG n = 0;
    ASSERT_EQ(f->C_SignFinal(rw_, nullptr, &n), CKR_OK);
    EXPECT_EQ(n, h.size);
    Bytes multi(n);
    ASSERT_EQ(f->C_SignFinal(rw_, multi.data(), &n), CKR_OK);
    EXPECT_EQ(multi, single) << h.evp_name;
    ASSERT_EQ(f->C_VerifyInit(rw_, &m, k), CKR_OK);
    ASSERT_EQ(f->C_VerifyUpdate(rw_, data.data(), 400), CKR_OK);
    ASSERT_EQ(f->C_VerifyUpdate(rw_, data.data() + 400, 600), CKR_OK);
    EXPECT_EQ(f->C_VerifyFinal(rw_, multi.data(), multi.size()), CKR_OK) << h.evp_name;
  }
}

TEST_F(MechHmac, LengthQueryAndBufferTooSmall) {
  const CK_OBJECT_HANDLE k = secret(Bytes(32, 0x33));
  const Bytes data = str("abc");
  const Bytes want = evp_hmac("SHA512", Bytes(32, 0x33), data);
  CK_MECHANISM m{CKM_SHA512_HMAC, nullptr, 0};
  ASSERT_EQ(f->C_SignInit(rw_, &m, k), CKR_OK);
  CK_ULONG n = 0;
  ASSERT_EQ(f->C_Sign(rw_, const_cast<CK_BYTE*>(data.data()), data.size(), nullptr, &n), CKR_OK);
  EXPECT_EQ(n, 64u);
  Bytes out(64);
  n = 63;
  EXPECT_EQ(f->C_Sign(rw_, const_cast<CK_BYTE*>(data.data()), data.size(), out.data(), &n), CKR_BUFFER_TOO_SMALL);
  EXPECT_EQ(n, 64u);
  ASSERT_EQ(f->C_Sign(rw_, const_cast<CK_BYTE*>(data.data()), data.size(), out.data(), &n), CKR_OK);
  EXPECT_EQ(out, want);
  EXPECT_EQ(f->C_Sign(rw_, const_cast<CK_BYTE*>(data.data()), data.size(), out.data(), &n), CKR_OPERATION_NOT_INITIALIZED);
  // The same for SignFinal.
  ASSERT_EQ(f->C_SignInit(rw_, &m, k), CKR_OK);
  ASSERT_EQ(f->C_SignUpdate(rw_, const_cast<CK_BYTE*>(data.data()), data.size()), CKR_OK);
  n = 10;
  EXPECT_EQ(f->C_SignFinal(rw_, out.data(), &n), CKR_BUFFER_TOO_SMALL);
  EXPECT_EQ(n, 64u);
  ASSERT_EQ(f->C_SignFinal(rw_, out.data(), &n), CKR_OK);
  EXPECT_EQ(out, want);
}

TEST_F(MechHmac, KeyTypeSizeAndUsageRefusals) {
  CK_MECHANISM m{CKM_SHA256_HMAC, nullptr, 0};
  // An AES key, or another hash's HMAC key, is not an HMAC-SHA-256 key.
  EXPECT_EQ(f->C_SignInit(rw_, &m, secret(Bytes(32, 1), CKK_AES)), CKR_KEY_TYPE_INCONSISTENT);
  EXPECT_EQ(f->C_SignInit(rw_, &m, secret(Bytes(32, 1), CKK_SHA512_HMAC)), CKR_KEY_TYPE_INCONSISTENT);
  EXPECT_EQ(f->C_VerifyInit(rw_, &m, secret(Bytes(32, 1), CKK_HKDF)), CKR_KEY_TYPE_INCONSISTENT);
  // CKA_SIGN false.
  EXPECT_EQ(f->C_SignInit(rw_, &m, secret(Bytes(32, 1), CKK_GENERIC_SECRET, false)), CKR_KEY_FUNCTION_NOT_PERMITTED);
  // CKA_ALLOWED_MECHANISMS without the mechanism.
  const CK_MECHANISM_TYPE allowed[] = {CKM_SHA384_HMAC};
  Template t;
  t.ulong(CKA_CLASS, CKO_SECRET_KEY).ulong(CKA_KEY_TYPE, CKK_GENERIC_SECRET).bytes(CKA_VALUE, Bytes(32, 2))
      .add(CKA_ALLOWED_MECHANISMS, allowed, sizeof allowed);
  CK_OBJECT_HANDLE restricted = 0;
  ASSERT_EQ(f->C_CreateObject(rw_, t.data(), t.size(), &restricted), CKR_OK);
  EXPECT_EQ(f->C_SignInit(rw_, &m, restricted), CKR_MECHANISM_INVALID);
  CK_MECHANISM m384{CKM_SHA384_HMAC, nullptr, 0};
  EXPECT_EQ(f->C_SignInit(rw_, &m384, restricted), CKR_OK);
  CK_ULONG n = 0;
  EXPECT_EQ(f->C_Sign(rw_, nullptr, 0, nullptr, &n), CKR_OK);
  EXPECT_EQ(f->C_SignInit(rw_, nullptr, restricted), CKR_OK);  // cancel
  // Key size above the advertised maximum.
  EXPECT_EQ(f->C_SignInit(rw_, &m, secret(Bytes(4097, 3))), CKR_KEY_SIZE_RANGE);
  EXPECT_EQ(f->C_SignInit(rw_, &m, secret(Bytes(4096, 3))), CKR_OK);
  EXPECT_EQ(f->C_SignInit(rw_, nullptr, 0), CKR_OK);
  // A data object or a bad handle.
  EXPECT_EQ(f->C_SignInit(rw_, &m, 0xdead), CKR_KEY_HANDLE_INVALID);
}

TEST_F(MechHmac, OneKeyWithSeveralHashes) {
  // The parsed-key cache keeps one hash per key object; alternating hashes must still be right.
  const Bytes key(40, 0x5c), data = str("alternate");
  const CK_OBJECT_HANDLE k = secret(key);
  for (int round = 0; round < 2; ++round) {
    EXPECT_EQ(sign(CKM_SHA256_HMAC, k, data), evp_hmac("SHA256", key, data));
    EXPECT_EQ(sign(CKM_SHA512_HMAC, k, data), evp_hmac("SHA512", key, data));
    EXPECT_EQ(sign(CKM_SHA3_384_HMAC, k, data), evp_hmac("SHA3-384", key, data));
  }
}

TEST_F(MechHmac, MessageApiSignAndVerify) {
  const Bytes key(32, 0x77);
  const CK_OBJECT_HANDLE k = secret(key);
  CK_MECHANISM m{CKM_SHA256_HMAC, nullptr, 0};
  const Bytes m1 = str("first message"), m2 = str("second, longer message");
  ASSERT_EQ(f->C_MessageSignInit(rw_, &m, k), CKR_OK);
  CK_ULONG n = 0;
  ASSERT_EQ(f->C_SignMessage(rw_, nullptr, 0, const_cast<CK_BYTE*>(m1.data()), m1.size(), nullptr, &n), CKR_OK);
  EXPECT_EQ(n, 32u);
  Bytes sig1(n);
  ASSERT_EQ(f->C_SignMessage(rw_, nullptr, 0, const_cast<CK_BYTE*>(m1.data()), m1.size(), sig1.data(), &n), CKR_OK);
  EXPECT_EQ(sig1, evp_hmac("SHA256", key, m1));
  // A second message in the same context, in two parts.
  ASSERT_EQ(f->C_SignMessageBegin(rw_, nullptr, 0), CKR_OK);
  ASSERT_EQ(f->C_SignMessageNext(rw_, nullptr, 0, const_cast<CK_BYTE*>(m2.data()), 7, nullptr, nullptr), CKR_OK);
  Bytes sig2(32);
  n = 32;
  ASSERT_EQ(f->C_SignMessageNext(rw_, nullptr, 0, const_cast<CK_BYTE*>(m2.data()) + 7, m2.size() - 7, sig2.data(), &n), CKR_OK);
  EXPECT_EQ(sig2, evp_hmac("SHA256", key, m2));
  ASSERT_EQ(f->C_MessageSignFinal(rw_), CKR_OK);

  ASSERT_EQ(f->C_MessageVerifyInit(rw_, &m, k), CKR_OK);
  EXPECT_EQ(f->C_VerifyMessage(rw_, nullptr, 0, const_cast<CK_BYTE*>(m1.data()), m1.size(), sig1.data(), sig1.size()), CKR_OK);
  EXPECT_EQ(f->C_VerifyMessage(rw_, nullptr, 0, const_cast<CK_BYTE*>(m2.data()), m2.size(), sig1.data(), sig1.size()),
            CKR_SIGNATURE_INVALID);
  EXPECT_EQ(f->C_VerifyMessage(rw_, nullptr, 0, const_cast<CK_BYTE*>(m1.data()), m1.size(), sig1.data(), 31),
            CKR_SIGNATURE_LEN_RANGE);
  // The context survives failed messages.
  ASSERT_EQ(f->C_VerifyMessageBegin(rw_, nullptr, 0), CKR_OK);
  ASSERT_EQ(f->C_VerifyMessageNext(rw_, nullptr, 0, const_cast<CK_BYTE*>(m2.data()), 5, nullptr, 0), CKR_OK);
  EXPECT_EQ(f->C_VerifyMessageNext(rw_, nullptr, 0, const_cast<CK_BYTE*>(m2.data()) + 5, m2.size() - 5, sig2.data(), sig2.size()),
            CKR_OK);
  ASSERT_EQ(f->C_MessageVerifyFinal(rw_), CKR_OK);

  // HMAC_GENERAL does not offer the message API.
  CK_ULONG len = 16;
  CK_MECHANISM g{CKM_SHA256_HMAC_GENERAL, &len, sizeof len};
  EXPECT_EQ(f->C_MessageSignInit(rw_, &g, k), CKR_MECHANISM_INVALID);
}

TEST_F(MechHmac, MechanismInfo) {
  CK_ULONG count = 0;
  ASSERT_EQ(f->C_GetMechanismList(slot_, nullptr, &count), CKR_OK);
  std::vector<CK_MECHANISM_TYPE> list(count);
  ASSERT_EQ(f->C_GetMechanismList(slot_, list.data(), &count), CKR_OK);
  auto listed = [&](CK_MECHANISM_TYPE t) { return std::find(list.begin(), list.end(), t) != list.end(); };
  for (const auto& h : kHmacs) {
    EXPECT_TRUE(listed(h.mech) && listed(h.general)) << h.evp_name;
    CK_MECHANISM_INFO info{};
    ASSERT_EQ(f->C_GetMechanismInfo(slot_, h.mech, &info), CKR_OK);
    EXPECT_EQ(info.flags, CKF_SIGN | CKF_VERIFY | CKF_MESSAGE_SIGN | CKF_MESSAGE_VERIFY);
    EXPECT_EQ(info.ulMinKeySize, 1u);
    EXPECT_EQ(info.ulMaxKeySize, 4096u);
    ASSERT_EQ(f->C_GetMechanismInfo(slot_, h.general, &info), CKR_OK);
    EXPECT_EQ(info.flags, CKF_SIGN | CKF_VERIFY);
  }
  CK_MECHANISM_INFO info{};
  ASSERT_EQ(f->C_GetMechanismInfo(slot_, CKM_GENERIC_SECRET_KEY_GEN, &info), CKR_OK);
  EXPECT_EQ(info.flags, CKF_GENERATE);
  EXPECT_EQ(info.ulMinKeySize, 8u);  // bits, for this mechanism
  EXPECT_EQ(info.ulMaxKeySize, 8u * 4096);
  ASSERT_EQ(f->C_GetMechanismInfo(slot_, CKM_SHA3_256_KEY_GEN, &info), CKR_OK);
  EXPECT_EQ(info.flags, CKF_GENERATE);
  EXPECT_EQ(info.ulMaxKeySize, 4096u);
  ASSERT_EQ(f->C_GetMechanismInfo(slot_, CKM_HKDF_KEY_GEN, &info), CKR_OK);
  EXPECT_EQ(info.flags, CKF_GENERATE);
}

TEST_F(MechHmac, SecretKeyGeneration) {
  CK_MECHANISM gen{CKM_GENERIC_SECRET_KEY_GEN, nullptr, 0};
  Template t;
  t.ulong(CKA_VALUE_LEN, 32).boolean(CKA_SIGN, true).boolean(CKA_VERIFY, true);
  CK_OBJECT_HANDLE k = 0;
  ASSERT_EQ(f->C_GenerateKey(rw_, &gen, t.data(), t.size(), &k), CKR_OK);
  EXPECT_EQ(get_ulong(k, CKA_CLASS), CKO_SECRET_KEY);
  EXPECT_EQ(get_ulong(k, CKA_KEY_TYPE), CKK_GENERIC_SECRET);
  EXPECT_EQ(get_ulong(k, CKA_VALUE_LEN), 32u);
  EXPECT_EQ(get_ulong(k, CKA_KEY_GEN_MECHANISM), CKM_GENERIC_SECRET_KEY_GEN);
  EXPECT_TRUE(get_bool(k, CKA_LOCAL));
  EXPECT_TRUE(get_bool(k, CKA_ALWAYS_SENSITIVE));
  const Bytes data = str("generated");
  EXPECT_EQ(verify(CKM_SHA256_HMAC, k, data, sign(CKM_SHA256_HMAC, k, data)), CKR_OK);

  // Two generated keys differ (the value is random): compare their MACs over the same data.
  CK_OBJECT_HANDLE k2 = 0;
  ASSERT_EQ(f->C_GenerateKey(rw_, &gen, t.data(), t.size(), &k2), CKR_OK);
  EXPECT_NE(sign(CKM_SHA256_HMAC, k, data), sign(CKM_SHA256_HMAC, k2, data));

  // The hash key generators make the hash's own HMAC key type.
  const struct {
    CK_MECHANISM_TYPE gen, hmac;
    CK_KEY_TYPE kt;
  } hashes[] = {{CKM_SHA_1_KEY_GEN, CKM_SHA_1_HMAC, CKK_SHA_1_HMAC},
                {CKM_SHA224_KEY_GEN, CKM_SHA224_HMAC, CKK_SHA224_HMAC},
                {CKM_SHA256_KEY_GEN, CKM_SHA256_HMAC, CKK_SHA256_HMAC},
                {CKM_SHA384_KEY_GEN, CKM_SHA384_HMAC, CKK_SHA384_HMAC},
                {CKM_SHA512_KEY_GEN, CKM_SHA512_HMAC, CKK_SHA512_HMAC},
                {CKM_SHA512_224_KEY_GEN, CKM_SHA512_224_HMAC, CKK_SHA512_224_HMAC},
                {CKM_SHA512_256_KEY_GEN, CKM_SHA512_256_HMAC, CKK_SHA512_256_HMAC},
                {CKM_SHA3_224_KEY_GEN, CKM_SHA3_224_HMAC, CKK_SHA3_224_HMAC},
                {CKM_SHA3_256_KEY_GEN, CKM_SHA3_256_HMAC, CKK_SHA3_256_HMAC},
                {CKM_SHA3_384_KEY_GEN, CKM_SHA3_384_HMAC, CKK_SHA3_384_HMAC},
                {CKM_SHA3_512_KEY_GEN, CKM_SHA3_512_HMAC, CKK_SHA3_512_HMAC}};
  for (const auto& h : hashes) {
    CK_MECHANISM g{h.gen, nullptr, 0};
    CK_OBJECT_HANDLE hk = 0;
    ASSERT_EQ(f->C_GenerateKey(rw_, &g, t.data(), t.size(), &hk), CKR_OK);
    EXPECT_EQ(get_ulong(hk, CKA_KEY_TYPE), h.kt);
    EXPECT_EQ(get_ulong(hk, CKA_KEY_GEN_MECHANISM), h.gen);
    EXPECT_EQ(verify(h.hmac, hk, data, sign(h.hmac, hk, data)), CKR_OK);
  }
  CK_MECHANISM hkdf_gen{CKM_HKDF_KEY_GEN, nullptr, 0};
  Template ht;
  ht.ulong(CKA_VALUE_LEN, 48).boolean(CKA_DERIVE, true);
  ASSERT_EQ(f->C_GenerateKey(rw_, &hkdf_gen, ht.data(), ht.size(), &k), CKR_OK);
  EXPECT_EQ(get_ulong(k, CKA_KEY_TYPE), CKK_HKDF);
  EXPECT_EQ(get_ulong(k, CKA_VALUE_LEN), 48u);
}

TEST_F(MechHmac, SecretKeyGenerationTemplateErrors) {
  CK_MECHANISM gen{CKM_SHA256_KEY_GEN, nullptr, 0};
  CK_OBJECT_HANDLE k = 0;
  Template none;
  none.boolean(CKA_SIGN, true);
  EXPECT_EQ(f->C_GenerateKey(rw_, &gen, none.data(), none.size(), &k), CKR_TEMPLATE_INCOMPLETE);
  Template zero;
  zero.ulong(CKA_VALUE_LEN, 0);
  EXPECT_EQ(f->C_GenerateKey(rw_, &gen, zero.data(), zero.size(), &k), CKR_ATTRIBUTE_VALUE_INVALID);
  Template big;
  big.ulong(CKA_VALUE_LEN, 4097);
  EXPECT_EQ(f->C_GenerateKey(rw_, &gen, big.data(), big.size(), &k), CKR_KEY_SIZE_RANGE);
  Template wrong_type;
  wrong_type.ulong(CKA_VALUE_LEN, 32).ulong(CKA_KEY_TYPE, CKK_SHA512_HMAC);
  EXPECT_EQ(f->C_GenerateKey(rw_, &gen, wrong_type.data(), wrong_type.size(), &k), CKR_TEMPLATE_INCONSISTENT);
  Template right_type;
  right_type.ulong(CKA_VALUE_LEN, 32).ulong(CKA_KEY_TYPE, CKK_SHA256_HMAC).ulong(CKA_CLASS, CKO_SECRET_KEY);
  EXPECT_EQ(f->C_GenerateKey(rw_, &gen, right_type.data(), right_type.size(), &k), CKR_OK);
  std::uint8_t param = 0;
  CK_MECHANISM with_param{CKM_GENERIC_SECRET_KEY_GEN, &param, 1};
  EXPECT_EQ(f->C_GenerateKey(rw_, &with_param, right_type.data(), right_type.size(), &k), CKR_MECHANISM_PARAM_INVALID);
  // HMAC mechanisms do not generate.
  CK_MECHANISM hmac{CKM_SHA256_HMAC, nullptr, 0};
  EXPECT_EQ(f->C_GenerateKey(rw_, &hmac, right_type.data(), right_type.size(), &k), CKR_MECHANISM_INVALID);
}

}  // namespace
}  // namespace craton::test
