// Digest mechanisms through the module API: results against OpenSSL's EVP digests (an independent
// SHA-3 implementation from ours) and FIPS 180-4/202 "abc" examples, the output-buffer and
// operation-state rules, C_DigestKey, and C_GetOperationState / C_SetOperationState.
#include <openssl/evp.h>

#include <algorithm>
#include <random>

#include "module_fixture.h"

namespace craton::test {
namespace {

using Bytes = std::vector<std::uint8_t>;

struct DigestCase {
  CK_MECHANISM_TYPE mech;
  const char* evp_name;
};

const DigestCase kDigests[] = {
    {CKM_SHA_1, "SHA1"},         {CKM_SHA224, "SHA224"},         {CKM_SHA256, "SHA256"},
    {CKM_SHA384, "SHA384"},      {CKM_SHA512, "SHA512"},         {CKM_SHA512_224, "SHA512-224"},
    {CKM_SHA512_256, "SHA512-256"}, {CKM_SHA3_224, "SHA3-224"}, {CKM_SHA3_256, "SHA3-256"},
    {CKM_SHA3_384, "SHA3-384"},  {CKM_SHA3_512, "SHA3-512"},
};

Bytes evp_digest(const char* name, const Bytes& data) {
  EVP_MD* md = EVP_MD_fetch(nullptr, name, nullptr);
  Bytes out(EVP_MAX_MD_SIZE);
  unsigned int n = 0;
  EXPECT_EQ(EVP_Digest(data.data(), data.size(), out.data(), &n, md, nullptr), 1);
  EVP_MD_free(md);
  out.resize(n);
  return out;
}


class MechDigest : public TokenTest {
 protected:
  CK_RV init(CK_MECHANISM_TYPE m, CK_SESSION_HANDLE s = 0) {
    CK_MECHANISM mech{m, nullptr, 0};
    return f->C_DigestInit(s == 0 ? rw_ : s, &mech);
  }
  Bytes digest_once(CK_MECHANISM_TYPE m, const Bytes& data) {
    EXPECT_EQ(init(m), CKR_OK);
    CK_ULONG n = 0;
    EXPECT_EQ(f->C_Digest(rw_, const_cast<CK_BYTE*>(data.data()), data.size(), nullptr, &n), CKR_OK);
    Bytes out(n);
    EXPECT_EQ(f->C_Digest(rw_, const_cast<CK_BYTE*>(data.data()), data.size(), out.data(), &n), CKR_OK);
    out.resize(n);
    return out;
  }
  Bytes final_digest(CK_SESSION_HANDLE s) {
    CK_ULONG n = 64;
    Bytes out(n);
    EXPECT_EQ(f->C_DigestFinal(s, out.data(), &n), CKR_OK);
    out.resize(n);
    return out;
  }
  Bytes save_state(CK_SESSION_HANDLE s) {
    CK_ULONG n = 0;
    EXPECT_EQ(f->C_GetOperationState(s, nullptr, &n), CKR_OK);
    Bytes st(n);
    EXPECT_EQ(f->C_GetOperationState(s, st.data(), &n), CKR_OK);
    st.resize(n);
    return st;
  }
};

TEST_F(MechDigest, EveryDigestMatchesOpenSslSingleAndMultiPart) {
  std::mt19937 rng(7);
  for (const auto& d : kDigests) {
    for (std::size_t len : {0u, 1u, 55u, 56u, 64u, 127u, 128u, 135u, 136u, 1000u}) {
      Bytes data(len);
      for (auto& b : data) b = static_cast<std::uint8_t>(rng());
      const Bytes want = evp_digest(d.evp_name, data);
      EXPECT_EQ(digest_once(d.mech, data), want) << d.evp_name << " len " << len;
      // Multi-part in uneven pieces.
      ASSERT_EQ(init(d.mech), CKR_OK);
      for (std::size_t off = 0; off < len;) {
        const std::size_t part = std::min<std::size_t>(1 + off % 37, len - off);
        ASSERT_EQ(f->C_DigestUpdate(rw_, data.data() + off, part), CKR_OK);
        off += part;
      }
      EXPECT_EQ(final_digest(rw_), want) << d.evp_name << " multi-part len " << len;
    }
  }
}

TEST_F(MechDigest, StandardExamples) {
  const Bytes abc = {'a', 'b', 'c'};
  EXPECT_EQ(digest_once(CKM_SHA256, abc), from_hex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
  EXPECT_EQ(digest_once(CKM_SHA3_256, abc), from_hex("3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532"));
  EXPECT_EQ(digest_once(CKM_SHA512_256, abc), from_hex("53048e2681941ef99b2e29b76b4c7dabe4c2d0c634fc6d46e0e2f13107e7af23"));
  // (NULL, 0) is an empty message, as PyKCS11 sends it.
  ASSERT_EQ(init(CKM_SHA256), CKR_OK);
  CK_ULONG n = 32;
  Bytes out(32);
  ASSERT_EQ(f->C_Digest(rw_, nullptr, 0, out.data(), &n), CKR_OK);
  EXPECT_EQ(out, from_hex("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
}

TEST_F(MechDigest, OutputBufferRules) {
  Bytes data(10, 0x41);
  ASSERT_EQ(init(CKM_SHA384), CKR_OK);
  CK_ULONG n = 0;
  ASSERT_EQ(f->C_Digest(rw_, data.data(), data.size(), nullptr, &n), CKR_OK);
  EXPECT_EQ(n, 48u);
  n = 47;
  Bytes out(48);
  EXPECT_EQ(f->C_Digest(rw_, data.data(), data.size(), out.data(), &n), CKR_BUFFER_TOO_SMALL);
  EXPECT_EQ(n, 48u);
  // The operation survived; the repeated call succeeds and ends it.
  ASSERT_EQ(f->C_Digest(rw_, data.data(), data.size(), out.data(), &n), CKR_OK);
  EXPECT_EQ(out, evp_digest("SHA384", data));
  EXPECT_EQ(f->C_Digest(rw_, data.data(), data.size(), out.data(), &n), CKR_OPERATION_NOT_INITIALIZED);
  // NULL length pointer: arguments bad, and the operation ends.
  ASSERT_EQ(init(CKM_SHA384), CKR_OK);
  EXPECT_EQ(f->C_Digest(rw_, data.data(), data.size(), out.data(), nullptr), CKR_ARGUMENTS_BAD);
  EXPECT_EQ(f->C_DigestUpdate(rw_, data.data(), data.size()), CKR_OPERATION_NOT_INITIALIZED);
}

TEST_F(MechDigest, InitRules) {
  ASSERT_EQ(init(CKM_SHA256), CKR_OK);
  EXPECT_EQ(init(CKM_SHA256), CKR_OPERATION_ACTIVE);
  EXPECT_EQ(f->C_DigestInit(rw_, nullptr), CKR_OK);  // 3.0 cancel form
  EXPECT_EQ(f->C_DigestUpdate(rw_, nullptr, 0), CKR_OPERATION_NOT_INITIALIZED);
  std::uint8_t param[4] = {};
  CK_MECHANISM with_param{CKM_SHA256, param, sizeof param};
  EXPECT_EQ(f->C_DigestInit(rw_, &with_param), CKR_MECHANISM_PARAM_INVALID);
  CK_MECHANISM not_a_digest{CKM_AES_KEY_GEN, nullptr, 0};
  EXPECT_EQ(f->C_DigestInit(rw_, &not_a_digest), CKR_MECHANISM_INVALID);
  // After an update, the single-part call is refused and the multi-part operation goes on.
  ASSERT_EQ(init(CKM_SHA256), CKR_OK);
  Bytes a = {'a'};
  ASSERT_EQ(f->C_DigestUpdate(rw_, a.data(), 1), CKR_OK);
  CK_ULONG n = 32;
  Bytes out(32);
  EXPECT_EQ(f->C_Digest(rw_, a.data(), 1, out.data(), &n), CKR_OPERATION_ACTIVE);
  Bytes bc = {'b', 'c'};
  ASSERT_EQ(f->C_DigestUpdate(rw_, bc.data(), 2), CKR_OK);
  EXPECT_EQ(final_digest(rw_), from_hex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
}

TEST_F(MechDigest, DigestKeyHashesTheSecretValue) {
  ASSERT_EQ(login(rw_, CKU_USER, kUserPin), CKR_OK);
  const Bytes value(32, 0x5a);
  Template t;
  t.ulong(CKA_CLASS, CKO_SECRET_KEY).ulong(CKA_KEY_TYPE, CKK_AES).bytes(CKA_VALUE, value);
  CK_OBJECT_HANDLE key = 0;
  ASSERT_EQ(f->C_CreateObject(rw_, t.data(), t.size(), &key), CKR_OK);
  Bytes prefix = {1, 2, 3};
  ASSERT_EQ(init(CKM_SHA256), CKR_OK);
  ASSERT_EQ(f->C_DigestUpdate(rw_, prefix.data(), prefix.size()), CKR_OK);
  ASSERT_EQ(f->C_DigestKey(rw_, key), CKR_OK);
  Bytes joined(prefix.size() + value.size());
  std::copy(prefix.begin(), prefix.end(), joined.begin());
  std::copy(value.begin(), value.end(), joined.begin() + static_cast<std::ptrdiff_t>(prefix.size()));
  EXPECT_EQ(final_digest(rw_), evp_digest("SHA256", joined));

  Template d;
  d.ulong(CKA_CLASS, CKO_DATA).bytes(CKA_VALUE, value);
  CK_OBJECT_HANDLE data_obj = 0;
  ASSERT_EQ(f->C_CreateObject(rw_, d.data(), d.size(), &data_obj), CKR_OK);
  ASSERT_EQ(init(CKM_SHA256), CKR_OK);
  EXPECT_EQ(f->C_DigestKey(rw_, data_obj), CKR_KEY_INDIGESTIBLE);
  ASSERT_EQ(init(CKM_SHA256), CKR_OK);
  EXPECT_EQ(f->C_DigestKey(rw_, 0xdead), CKR_KEY_HANDLE_INVALID);
}

TEST_F(MechDigest, SavedStateContinuesInAnotherSession) {
  std::mt19937 rng(3);
  for (const auto& d : kDigests) {
    Bytes data(300);
    for (auto& b : data) b = static_cast<std::uint8_t>(rng());
    ASSERT_EQ(init(d.mech), CKR_OK);
    ASSERT_EQ(f->C_DigestUpdate(rw_, data.data(), 101), CKR_OK);
    const Bytes state = save_state(rw_);
    // The original goes on...
    ASSERT_EQ(f->C_DigestUpdate(rw_, data.data() + 101, 199), CKR_OK);
    const Bytes want = evp_digest(d.evp_name, data);
    EXPECT_EQ(final_digest(rw_), want) << d.evp_name;
    // ...and so does the copy, restored into a fresh session.
    const CK_SESSION_HANDLE other = open(slot_, false);
    ASSERT_EQ(f->C_SetOperationState(other, const_cast<CK_BYTE*>(state.data()), state.size(), 0, 0), CKR_OK);
    ASSERT_EQ(f->C_DigestUpdate(other, data.data() + 101, 199), CKR_OK);
    EXPECT_EQ(final_digest(other), want) << d.evp_name << " restored";
    EXPECT_EQ(f->C_CloseSession(other), CKR_OK);
  }
}

TEST_F(MechDigest, SavedStateIsAuthenticated) {
  CK_ULONG n = 0;
  EXPECT_EQ(f->C_GetOperationState(rw_, nullptr, &n), CKR_OPERATION_NOT_INITIALIZED);
  ASSERT_EQ(init(CKM_SHA3_256), CKR_OK);
  Bytes state = save_state(rw_);
  Bytes tampered = state;
  tampered[20] ^= 1;
  EXPECT_EQ(f->C_SetOperationState(rw_, tampered.data(), tampered.size(), 0, 0), CKR_SAVED_STATE_INVALID);
  Bytes truncated(state.begin(), state.end() - 1);
  EXPECT_EQ(f->C_SetOperationState(rw_, truncated.data(), truncated.size(), 0, 0), CKR_SAVED_STATE_INVALID);
  EXPECT_EQ(f->C_SetOperationState(rw_, state.data(), state.size(), 5, 0), CKR_KEY_NOT_NEEDED);
  EXPECT_EQ(f->C_SetOperationState(rw_, nullptr, 0, 0, 0), CKR_ARGUMENTS_BAD);
  // Too small a buffer reports the size.
  n = 3;
  Bytes small(3);
  EXPECT_EQ(f->C_GetOperationState(rw_, small.data(), &n), CKR_BUFFER_TOO_SMALL);
  EXPECT_EQ(n, state.size());
}

}  // namespace
}  // namespace craton::test

namespace craton::test {
namespace {

// slots.mechanisms removes mechanisms from the list and from every entry point.
class MechFilter : public TokenTest {
 protected:
  std::string extra_config() const override { return "slots.mechanisms = -CKM_SHA256,-CKM_SHA3_256\n"; }
};

TEST_F(MechFilter, FilteredDigestsAreNotOffered) {
  CK_ULONG n = 0;
  ASSERT_EQ(f->C_GetMechanismList(slot_, nullptr, &n), CKR_OK);
  std::vector<CK_MECHANISM_TYPE> list(n);
  ASSERT_EQ(f->C_GetMechanismList(slot_, list.data(), &n), CKR_OK);
  EXPECT_EQ(std::count(list.begin(), list.end(), CKM_SHA256), 0);
  EXPECT_EQ(std::count(list.begin(), list.end(), CKM_SHA3_256), 0);
  EXPECT_EQ(std::count(list.begin(), list.end(), CKM_SHA384), 1);
  CK_MECHANISM_INFO info{};
  EXPECT_EQ(f->C_GetMechanismInfo(slot_, CKM_SHA256, &info), CKR_MECHANISM_INVALID);
  CK_MECHANISM sha256{CKM_SHA256, nullptr, 0};
  EXPECT_EQ(f->C_DigestInit(rw_, &sha256), CKR_MECHANISM_INVALID);
  CK_MECHANISM sha384{CKM_SHA384, nullptr, 0};
  EXPECT_EQ(f->C_DigestInit(rw_, &sha384), CKR_OK);
}

}  // namespace
}  // namespace craton::test
