// The mechanism registry lookup and the approval table (mech/registry.h, mech/approval.h): the
// lookups every C_*Init makes must give the same answers as a plain scan of the lists.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "mech/approval.h"
#include "mech/registry.h"

namespace craton::mech {
namespace {

TEST(MechRegistry, FindsEveryRegisteredMechanismAndNothingElse) {
  const auto all = all_mechanisms();
  ASSERT_GT(all.size(), 100U);
  ASSERT_TRUE(std::is_sorted(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.type < b.type; }));
  std::set<CK_MECHANISM_TYPE> registered;
  for (const Registration& r : all) {
    registered.insert(r.type);
    const Registration* found = find_mechanism(r.type);
    ASSERT_NE(found, nullptr) << std::hex << r.type;
    EXPECT_EQ(found, &r) << std::hex << r.type;  // the entry itself, not a copy
  }
  EXPECT_EQ(registered.size(), all.size()) << "a mechanism is registered twice";
  // Every value around a registered one, and the edges of the type range.
  for (const Registration& r : all) {
    for (CK_MECHANISM_TYPE t : {r.type - 1, r.type + 1}) {
      if (registered.count(t) == 0) {
        EXPECT_EQ(find_mechanism(t), nullptr) << std::hex << t;
      }
    }
  }
  for (CK_MECHANISM_TYPE t : {CK_MECHANISM_TYPE{0xFFFFFFFF}, CK_MECHANISM_TYPE{0x7FFFFFFF}, ~CK_MECHANISM_TYPE{0}}) {
    if (registered.count(t) == 0) {
      EXPECT_EQ(find_mechanism(t), nullptr) << std::hex << t;
    }
  }
  EXPECT_EQ(find_mechanism(CKM_MD5), nullptr);  // never offered
}

TEST(MechApproval, ApprovedTableAnswersPerMechanism) {
  for (CK_MECHANISM_TYPE t : {CKM_AES_GCM, CKM_AES_CBC_PAD, CKM_AES_KEY_WRAP_KWP, CKM_ECDSA_SHA256, CKM_EDDSA,
                              CKM_SHA256_HMAC, CKM_SHA3_512, CKM_RSA_PKCS_PSS, CKM_HKDF_DERIVE, CKM_PKCS5_PBKD2,
                              CKM_ML_KEM, CKM_ML_DSA, CKM_HASH_SLH_DSA_SHAKE256, CKM_SP800_108_COUNTER_KDF}) {
    EXPECT_TRUE(mechanism_approvable(t)) << std::hex << t;
  }
  for (CK_MECHANISM_TYPE t : {CKM_MD5, CKM_DES3_CBC, CKM_RSA_X_509, CKM_CHACHA20_POLY1305, CKM_AES_XTS,
                              CK_MECHANISM_TYPE{0x7FFF}, CK_MECHANISM_TYPE{0x8000}, CKM_VENDOR_DEFINED,
                              CKM_VENDOR_DEFINED + 1, CK_MECHANISM_TYPE{0xFFFFFFFF}, ~CK_MECHANISM_TYPE{0}}) {
    EXPECT_FALSE(mechanism_approvable(t)) << std::hex << t;
  }
  // Approved for one function, not for another (SP 800-131A: no PKCS#1 v1.5 encryption).
  EXPECT_TRUE(mechanism_approved_for(CKM_RSA_PKCS, KeyUse::kSign));
  EXPECT_TRUE(mechanism_approved_for(CKM_RSA_PKCS, KeyUse::kVerify));
  EXPECT_FALSE(mechanism_approved_for(CKM_RSA_PKCS, KeyUse::kEncrypt));
  EXPECT_TRUE(mechanism_approved_for(CKM_AES_GCM, KeyUse::kEncrypt));
  EXPECT_FALSE(mechanism_approved_for(CKM_CHACHA20_POLY1305, KeyUse::kEncrypt));
}

TEST(MechApproval, EveryApprovableMechanismIsRegistered) {
  // Scans the whole standard range (where the table is a bitmap) and the vendor range's start: an
  // approved type the module does not implement would be a claim about nothing.
  std::size_t approvable = 0;
  for (CK_MECHANISM_TYPE t = 0; t < 0x10000; ++t) {
    if (!mechanism_approvable(t)) continue;
    ++approvable;
    EXPECT_NE(find_mechanism(t), nullptr) << std::hex << t;
  }
  EXPECT_GT(approvable, 100U);
  for (CK_MECHANISM_TYPE t = CKM_VENDOR_DEFINED; t < CKM_VENDOR_DEFINED + 0x100; ++t) {
    if (mechanism_approvable(t)) {
      EXPECT_NE(find_mechanism(t), nullptr) << std::hex << t;
    }
  }
}

}  // namespace
}  // namespace craton::mech
