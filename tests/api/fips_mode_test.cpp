// FIPS 140-3 service indicator, approved-only mode and the crypto backend choice (docs/FIPS.md):
// C_GetSessionValidationFlags after each kind of completed operation, CKA_OBJECT_VALIDATION_FLAGS
// and CKA_CRATON_FIPS_APPROVED on keys by how they were made, the mechanisms and keys
// fips.approved_only hides or refuses (with their CKR_* codes), and crypto.backend.
#include <openssl/crypto.h>
#include <openssl/provider.h>

#include <algorithm>
#include <fstream>
#include <iterator>

#include "craton/pkcs11/craton_vendor.h"
#include "module_fixture.h"

namespace craton::test {
namespace {

using Bytes = std::vector<std::uint8_t>;

const Bytes kOidP256{0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07};
const Bytes kOidSecp256k1{0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x0a};
const Bytes kOidX25519{0x06, 0x03, 0x2b, 0x65, 0x6e};

class FipsBase : public TokenTest {
 protected:
  void SetUp() override {
    TokenTest::SetUp();
    ASSERT_EQ(login(rw_, CKU_USER, kUserPin), CKR_OK);
  }

  CK_FLAGS session_flags() {
    CK_FLAGS flags = 0xFFFF;
    EXPECT_EQ(f->C_GetSessionValidationFlags(rw_, CKS_LAST_VALIDATION_OK, &flags), CKR_OK);
    return flags;
  }

  CK_RV ec_pair(const Bytes& oid, CK_MECHANISM_TYPE mech, CK_OBJECT_HANDLE* pub, CK_OBJECT_HANDLE* priv) {
    CK_MECHANISM m{mech, nullptr, 0};
    Template pt, vt;
    pt.bytes(CKA_EC_PARAMS, oid);
    vt.boolean(CKA_SIGN, true);
    return f->C_GenerateKeyPair(rw_, &m, pt.data(), pt.size(), vt.data(), vt.size(), pub, priv);
  }

  CK_RV rsa_pair(CK_ULONG bits, CK_OBJECT_HANDLE* pub, CK_OBJECT_HANDLE* priv) {
    CK_MECHANISM m{CKM_RSA_PKCS_KEY_PAIR_GEN, nullptr, 0};
    Template pt, vt;
    pt.ulong(CKA_MODULUS_BITS, bits);
    return f->C_GenerateKeyPair(rw_, &m, pt.data(), pt.size(), vt.data(), vt.size(), pub, priv);
  }

  CK_OBJECT_HANDLE import_secret(CK_KEY_TYPE kt, const Bytes& value) {
    const CK_OBJECT_CLASS cls = CKO_SECRET_KEY;
    Template t;
    t.ulong(CKA_CLASS, cls).ulong(CKA_KEY_TYPE, kt).bytes(CKA_VALUE, value).boolean(CKA_DERIVE, true);
    CK_OBJECT_HANDLE h = 0;
    EXPECT_EQ(f->C_CreateObject(rw_, t.data(), t.size(), &h), CKR_OK);
    return h;
  }

  CK_RV sign(CK_MECHANISM_TYPE mech, CK_OBJECT_HANDLE key) {
    CK_MECHANISM m{mech, nullptr, 0};
    CK_RV rv = f->C_SignInit(rw_, &m, key);
    if (rv != CKR_OK) return rv;
    Bytes data(32, 7), sig(1024);
    CK_ULONG n = sig.size();
    return f->C_Sign(rw_, data.data(), data.size(), sig.data(), &n);
  }

  CK_RV digest(CK_MECHANISM_TYPE mech) {
    CK_MECHANISM m{mech, nullptr, 0};
    CK_RV rv = f->C_DigestInit(rw_, &m);
    if (rv != CKR_OK) return rv;
    Bytes data(10, 1), out(64);
    CK_ULONG n = out.size();
    return f->C_Digest(rw_, data.data(), data.size(), out.data(), &n);
  }

  // Both forms of the key indicator, which must agree.
  bool key_approved(CK_OBJECT_HANDLE h) {
    const CK_ULONG flags = attr_ulong(h, CKA_OBJECT_VALIDATION_FLAGS);
    const bool vendor = attr_bool(h, CKA_CRATON_FIPS_APPROVED);
    EXPECT_EQ(flags == CRATON_VALIDATION_FLAG_FIPS, vendor) << "flags " << flags;
    EXPECT_TRUE(flags == 0 || flags == CRATON_VALIDATION_FLAG_FIPS) << flags;
    return vendor;
  }

  std::vector<CK_MECHANISM_TYPE> mechanisms() {
    CK_ULONG n = 0;
    EXPECT_EQ(f->C_GetMechanismList(slot_, nullptr, &n), CKR_OK);
    std::vector<CK_MECHANISM_TYPE> list(n);
    EXPECT_EQ(f->C_GetMechanismList(slot_, list.data(), &n), CKR_OK);
    return list;
  }

  CK_ULONG object_count() {
    EXPECT_EQ(f->C_FindObjectsInit(rw_, nullptr, 0), CKR_OK);
    std::vector<CK_OBJECT_HANDLE> found(64);
    CK_ULONG n = 0;
    EXPECT_EQ(f->C_FindObjects(rw_, found.data(), found.size(), &n), CKR_OK);
    EXPECT_EQ(f->C_FindObjectsFinal(rw_), CKR_OK);
    return n;
  }
};

// ---- the indicator in the default mode ------------------------------------------------------------

class FipsIndicator : public FipsBase {};

TEST_F(FipsIndicator, SessionFlagsFollowTheLastCompletedOperation) {
  EXPECT_EQ(session_flags(), 0u);  // nothing completed yet
  ASSERT_EQ(digest(CKM_SHA256), CKR_OK);
  EXPECT_EQ(session_flags(), CRATON_VALIDATION_FLAG_FIPS);

  CK_OBJECT_HANDLE pub = 0, priv = 0;
  ASSERT_EQ(ec_pair(kOidP256, CKM_EC_KEY_PAIR_GEN, &pub, &priv), CKR_OK);
  EXPECT_EQ(session_flags(), CRATON_VALIDATION_FLAG_FIPS);  // key-pair generation is an operation too
  ASSERT_EQ(sign(CKM_ECDSA_SHA256, priv), CKR_OK);
  EXPECT_EQ(session_flags(), CRATON_VALIDATION_FLAG_FIPS);
  ASSERT_EQ(sign(CKM_ECDSA_SHA1, priv), CKR_OK);  // SHA-1 signatures are not approved
  EXPECT_EQ(session_flags(), 0u);

  CK_OBJECT_HANDLE kpub = 0, kpriv = 0;
  ASSERT_EQ(ec_pair(kOidSecp256k1, CKM_EC_KEY_PAIR_GEN, &kpub, &kpriv), CKR_OK);
  EXPECT_EQ(session_flags(), 0u);  // not a NIST curve
  ASSERT_EQ(sign(CKM_ECDSA_SHA256, priv), CKR_OK);
  EXPECT_EQ(session_flags(), CRATON_VALIDATION_FLAG_FIPS);
  ASSERT_EQ(sign(CKM_ECDSA_SHA256, kpriv), CKR_OK);  // approved mechanism, unapproved key
  EXPECT_EQ(session_flags(), 0u);
}

TEST_F(FipsIndicator, AnUnfinishedOrFailedOperationLeavesTheLastIndicator) {
  ASSERT_EQ(digest(CKM_SHA256), CKR_OK);
  ASSERT_EQ(session_flags(), CRATON_VALIDATION_FLAG_FIPS);
  CK_MECHANISM m{CKM_SHA_1, nullptr, 0};  // approved for hashing, but the next call only asks the length
  ASSERT_EQ(f->C_DigestInit(rw_, &m), CKR_OK);
  Bytes data(5, 2);
  CK_ULONG n = 0;
  ASSERT_EQ(f->C_Digest(rw_, data.data(), data.size(), nullptr, &n), CKR_OK);
  EXPECT_EQ(session_flags(), CRATON_VALIDATION_FLAG_FIPS);
  const CK_OBJECT_HANDLE chacha = import_secret(CKK_CHACHA20, Bytes(32, 3));  // an import is no operation
  CK_MECHANISM hm{CKM_SHA256_HMAC, nullptr, 0};
  EXPECT_EQ(f->C_SignInit(rw_, &hm, chacha), CKR_KEY_TYPE_INCONSISTENT);
  EXPECT_EQ(session_flags(), CRATON_VALIDATION_FLAG_FIPS);
}

TEST_F(FipsIndicator, SessionFlagsArgumentsAreChecked) {
  CK_FLAGS flags = 0;
  EXPECT_EQ(f->C_GetSessionValidationFlags(rw_, CKS_LAST_VALIDATION_OK, nullptr), CKR_ARGUMENTS_BAD);
  EXPECT_EQ(f->C_GetSessionValidationFlags(rw_, CKS_LAST_VALIDATION_OK + 1, &flags), CKR_ARGUMENTS_BAD);
  EXPECT_EQ(f->C_GetSessionValidationFlags(rw_ + 1000, CKS_LAST_VALIDATION_OK, &flags), CKR_SESSION_HANDLE_INVALID);
}

TEST_F(FipsIndicator, KeysCarryTheIndicatorOfHowTheyWereMade) {
  CK_OBJECT_HANDLE pub = 0, priv = 0;
  ASSERT_EQ(rsa_pair(2048, &pub, &priv), CKR_OK);
  EXPECT_TRUE(key_approved(pub));
  EXPECT_TRUE(key_approved(priv));
  ASSERT_EQ(rsa_pair(1024, &pub, &priv), CKR_OK);
  EXPECT_FALSE(key_approved(pub));
  EXPECT_FALSE(key_approved(priv));
  EXPECT_EQ(session_flags(), 0u);
  ASSERT_EQ(ec_pair(kOidX25519, CKM_EC_MONTGOMERY_KEY_PAIR_GEN, &pub, &priv), CKR_OK);
  EXPECT_FALSE(key_approved(priv));

  EXPECT_TRUE(key_approved(import_secret(CKK_AES, Bytes(16, 1))));
  EXPECT_TRUE(key_approved(import_secret(CKK_GENERIC_SECRET, Bytes(14, 1))));   // 112 bits
  EXPECT_FALSE(key_approved(import_secret(CKK_GENERIC_SECRET, Bytes(13, 1))));  // 104 bits
  EXPECT_FALSE(key_approved(import_secret(CKK_CHACHA20, Bytes(32, 1))));
}

TEST_F(FipsIndicator, DerivedKeysInheritTheIndicatorOfTheirInputs) {
  const CK_OBJECT_CLASS cls = CKO_SECRET_KEY;
  const CK_KEY_TYPE kt = CKK_GENERIC_SECRET;
  const CK_ULONG len = 32;
  auto derive = [&](CK_OBJECT_HANDLE base) {
    CK_HKDF_PARAMS p{CK_TRUE, CK_TRUE, CKM_SHA256, CKF_HKDF_SALT_NULL, nullptr, 0, CK_INVALID_HANDLE, nullptr, 0};
    CK_MECHANISM m{CKM_HKDF_DERIVE, &p, sizeof p};
    Template t;
    t.ulong(CKA_CLASS, cls).ulong(CKA_KEY_TYPE, kt).ulong(CKA_VALUE_LEN, len);
    CK_OBJECT_HANDLE h = 0;
    EXPECT_EQ(f->C_DeriveKey(rw_, &m, base, t.data(), t.size(), &h), CKR_OK);
    return h;
  };
  const CK_OBJECT_HANDLE good = derive(import_secret(CKK_GENERIC_SECRET, Bytes(32, 9)));
  EXPECT_TRUE(key_approved(good));
  EXPECT_EQ(session_flags(), CRATON_VALIDATION_FLAG_FIPS);
  const CK_OBJECT_HANDLE weak = derive(import_secret(CKK_GENERIC_SECRET, Bytes(8, 9)));
  EXPECT_FALSE(key_approved(weak));  // a 64-bit input makes the whole chain unapproved
  EXPECT_EQ(session_flags(), 0u);
}

TEST_F(FipsIndicator, TheIndicatorAttributesAreReadOnly) {
  const CK_OBJECT_CLASS cls = CKO_SECRET_KEY;
  const CK_KEY_TYPE kt = CKK_AES;
  Template t;
  t.ulong(CKA_CLASS, cls).ulong(CKA_KEY_TYPE, kt).bytes(CKA_VALUE, Bytes(16, 1));
  t.ulong(CKA_OBJECT_VALIDATION_FLAGS, CRATON_VALIDATION_FLAG_FIPS);
  CK_OBJECT_HANDLE h = 0;
  EXPECT_EQ(f->C_CreateObject(rw_, t.data(), t.size(), &h), CKR_ATTRIBUTE_READ_ONLY);
  Template v;
  v.ulong(CKA_CLASS, cls).ulong(CKA_KEY_TYPE, kt).bytes(CKA_VALUE, Bytes(16, 1)).boolean(CKA_CRATON_FIPS_APPROVED, true);
  EXPECT_EQ(f->C_CreateObject(rw_, v.data(), v.size(), &h), CKR_ATTRIBUTE_READ_ONLY);
  const CK_OBJECT_HANDLE weak = import_secret(CKK_CHACHA20, Bytes(32, 1));
  Template change;
  change.boolean(CKA_CRATON_FIPS_APPROVED, true);
  EXPECT_EQ(f->C_SetAttributeValue(rw_, weak, change.data(), change.size()), CKR_ATTRIBUTE_READ_ONLY);
  EXPECT_FALSE(key_approved(weak));
}

// ---- approved-only mode -----------------------------------------------------------------------------

class FipsApprovedOnly : public FipsBase {
 protected:
  std::string extra_config() const override { return "fips.approved_only = true\n"; }
};

TEST_F(FipsApprovedOnly, UnapprovedMechanismsAreHidden) {
  const auto list = mechanisms();
  auto has = [&](CK_MECHANISM_TYPE t) { return std::find(list.begin(), list.end(), t) != list.end(); };
  for (CK_MECHANISM_TYPE hidden : {CKM_CHACHA20_POLY1305, CKM_CHACHA20_KEY_GEN, CKM_SHA1_RSA_PKCS, CKM_ECDSA_SHA1,
                                   CKM_RSA_X_509, CKM_EC_MONTGOMERY_KEY_PAIR_GEN, CKM_CRATON_XWING,
                                   CKM_CRATON_COMP_SIG, CKM_CONCATENATE_BASE_AND_KEY}) {
    EXPECT_FALSE(has(hidden)) << std::hex << hidden;
    CK_MECHANISM_INFO info{};
    EXPECT_EQ(f->C_GetMechanismInfo(slot_, hidden, &info), CKR_MECHANISM_INVALID) << std::hex << hidden;
  }
  for (CK_MECHANISM_TYPE kept : {CKM_ECDSA_SHA256, CKM_RSA_PKCS_PSS, CKM_AES_GCM, CKM_SHA256, CKM_SHA_1,
                                 CKM_ML_KEM, CKM_ML_DSA, CKM_SLH_DSA, CKM_EDDSA, CKM_HKDF_DERIVE}) {
    EXPECT_TRUE(has(kept)) << std::hex << kept;
  }
}

TEST_F(FipsApprovedOnly, MechanismInfoSaysWhatStaysApproved) {
  CK_MECHANISM_INFO info{};
  ASSERT_EQ(f->C_GetMechanismInfo(slot_, CKM_RSA_PKCS, &info), CKR_OK);
  EXPECT_EQ(info.flags & (CKF_ENCRYPT | CKF_DECRYPT | CKF_WRAP | CKF_UNWRAP), 0u);  // PKCS#1 v1.5 encryption
  EXPECT_NE(info.flags & CKF_SIGN, 0u);
  EXPECT_GE(info.ulMinKeySize, 2048u);
  ASSERT_EQ(f->C_GetMechanismInfo(slot_, CKM_RSA_PKCS_KEY_PAIR_GEN, &info), CKR_OK);
  EXPECT_GE(info.ulMinKeySize, 2048u);
  ASSERT_EQ(f->C_GetMechanismInfo(slot_, CKM_ECDSA, &info), CKR_OK);
  EXPECT_GE(info.ulMinKeySize, 256u);
}

TEST_F(FipsApprovedOnly, UnapprovedKeysAreRefusedWithPreciseCodes) {
  CK_OBJECT_HANDLE pub = 0, priv = 0;
  EXPECT_EQ(rsa_pair(1024, &pub, &priv), CKR_KEY_SIZE_RANGE);
  EXPECT_EQ(ec_pair(kOidSecp256k1, CKM_EC_KEY_PAIR_GEN, &pub, &priv), CKR_CURVE_NOT_SUPPORTED);
  EXPECT_EQ(object_count(), 0u);  // nothing of a refused pair stays behind

  const CK_OBJECT_HANDLE short_hmac = import_secret(CKK_GENERIC_SECRET, Bytes(8, 1));
  CK_MECHANISM hm{CKM_SHA256_HMAC, nullptr, 0};
  EXPECT_EQ(f->C_SignInit(rw_, &hm, short_hmac), CKR_KEY_SIZE_RANGE);

  ASSERT_EQ(rsa_pair(2048, &pub, &priv), CKR_OK);
  CK_MECHANISM enc{CKM_RSA_PKCS, nullptr, 0};
  EXPECT_EQ(f->C_EncryptInit(rw_, &enc, pub), CKR_MECHANISM_INVALID);  // no PKCS#1 v1.5 encryption
  EXPECT_EQ(sign(CKM_RSA_PKCS, priv), CKR_OK);                         // but signing stays
  EXPECT_EQ(session_flags(), CRATON_VALIDATION_FLAG_FIPS);

  CK_MECHANISM gen{CKM_GENERIC_SECRET_KEY_GEN, nullptr, 0};
  const CK_ULONG len = 8;
  Template t;
  t.ulong(CKA_VALUE_LEN, len);
  CK_OBJECT_HANDLE h = 0;
  EXPECT_EQ(f->C_GenerateKey(rw_, &gen, t.data(), t.size(), &h), CKR_KEY_SIZE_RANGE);
}

TEST_F(FipsApprovedOnly, ApprovedServicesWorkAndSaySo) {
  CK_OBJECT_HANDLE pub = 0, priv = 0;
  ASSERT_EQ(ec_pair(kOidP256, CKM_EC_KEY_PAIR_GEN, &pub, &priv), CKR_OK);
  EXPECT_TRUE(key_approved(priv));
  EXPECT_EQ(sign(CKM_ECDSA_SHA256, priv), CKR_OK);
  EXPECT_EQ(session_flags(), CRATON_VALIDATION_FLAG_FIPS);
  EXPECT_EQ(sign(CKM_ECDSA_SHA1, priv), CKR_MECHANISM_INVALID);
}

class FipsConfigFailsClosed : public FipsBase {
 protected:
  std::string extra_config() const override { return "fips.approved_only = perhaps\n"; }
};

TEST_F(FipsConfigFailsClosed, AnUnreadableValueTurnsTheModeOn) {
  const auto list = mechanisms();
  EXPECT_EQ(std::find(list.begin(), list.end(), CKM_CHACHA20_POLY1305), list.end());
}

// ---- crypto.backend -----------------------------------------------------------------------------------

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

bool fips_provider_installed() {
  OSSL_LIB_CTX* ctx = OSSL_LIB_CTX_new();
  OSSL_PROVIDER* p = OSSL_PROVIDER_load(ctx, "fips");
  const bool ok = p != nullptr;
  if (p != nullptr) OSSL_PROVIDER_unload(p);
  OSSL_LIB_CTX_free(ctx);
  return ok;
}

TEST(CryptoBackend, UnknownBackendRefusesToStart) {
  TempHome home("crypto.backend = boringssl\n");
  CK_FUNCTION_LIST_3_2* f = Module::get().fl();
  EXPECT_EQ(f->C_Initialize(nullptr), CKR_GENERAL_ERROR);
  EXPECT_NE(read_file(home.logfile()).find("crypto.backend"), std::string::npos);
  CK_INFO info{};
  EXPECT_EQ(f->C_GetInfo(&info), CKR_CRYPTOKI_NOT_INITIALIZED);
}

TEST(CryptoBackend, FipsProviderIsUsedOrTheModuleRefusesToStart) {
  TempHome home("crypto.backend = openssl-fips\n");
  CK_FUNCTION_LIST_3_2* f = Module::get().fl();
  const CK_RV rv = f->C_Initialize(nullptr);
  if (fips_provider_installed()) {
    ASSERT_EQ(rv, CKR_OK);
    EXPECT_EQ(f->C_Finalize(nullptr), CKR_OK);
  } else {
    // Debian 12 ships no FIPS provider: the module says so and does not fall back.
    EXPECT_EQ(rv, CKR_GENERAL_ERROR);
    EXPECT_NE(read_file(home.logfile()).find("FIPS provider cannot be loaded"), std::string::npos);
  }
}

TEST(CryptoBackend, DefaultBackendByName) {
  TempHome home("crypto.backend = openssl\n");
  CK_FUNCTION_LIST_3_2* f = Module::get().fl();
  ASSERT_EQ(f->C_Initialize(nullptr), CKR_OK);
  CK_INFO info{};
  EXPECT_EQ(f->C_GetInfo(&info), CKR_OK);
  EXPECT_EQ(f->C_Finalize(nullptr), CKR_OK);
}

}  // namespace
}  // namespace craton::test
