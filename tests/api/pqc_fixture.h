// Fixture shared by the PQC and hybrid mechanism tests (mech_pqc_test.cpp, mech_pqc_acvp_test.cpp,
// mech_slh_dsa_test.cpp, mech_hybrid_test.cpp): a token with the user logged in on the R/W session,
// key-pair generation on a parameter set, single- and multi-part sign / verify, key import
// templates and the secret-key template for encapsulation.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "module_fixture.h"

namespace craton::test {

struct Pair {
  CK_OBJECT_HANDLE pub = CK_INVALID_HANDLE;
  CK_OBJECT_HANDLE priv = CK_INVALID_HANDLE;
};

class PqcTest : public TokenTest {
 protected:
  using Bytes = std::vector<std::uint8_t>;

  void SetUp() override {
    TokenTest::SetUp();
    ASSERT_EQ(login(rw_, CKU_USER, kUserPin), CKR_OK);
  }

  // Session key pair on parameter set `set`; the private key is sensitive unless extractable.
  CK_RV gen_pair(CK_MECHANISM_TYPE mech, CK_ULONG set, CK_OBJECT_HANDLE& pub, CK_OBJECT_HANDLE& priv,
                 bool extractable = false) {
    CK_MECHANISM m{mech, nullptr, 0};
    Template pt;
    pt.ulong(CKA_PARAMETER_SET, set).boolean(CKA_TOKEN, false);
    Template kt;
    kt.boolean(CKA_TOKEN, false).boolean(CKA_EXTRACTABLE, extractable).boolean(CKA_SENSITIVE, !extractable);
    return f->C_GenerateKeyPair(rw_, &m, pt.data(), pt.size(), kt.data(), kt.size(), &pub, &priv);
  }
  CK_RV gen_pair(CK_MECHANISM_TYPE mech, CK_ULONG set, Pair& out, bool extractable = false) {
    return gen_pair(mech, set, out.pub, out.priv, extractable);
  }

  // C_Sign; with capacity 0 the length is asked for first, otherwise one call into a buffer of
  // `capacity` bytes.
  CK_RV sign(CK_MECHANISM& m, CK_OBJECT_HANDLE key, const Bytes& data, Bytes& sig, CK_ULONG capacity = 0) {
    CK_RV rv = f->C_SignInit(rw_, &m, key);
    if (rv != CKR_OK) return rv;
    CK_ULONG n = capacity;
    if (capacity == 0) {
      rv = f->C_Sign(rw_, const_cast<CK_BYTE*>(data.data()), data.size(), nullptr, &n);
      if (rv != CKR_OK) return rv;
    }
    sig.assign(n, 0);
    rv = f->C_Sign(rw_, const_cast<CK_BYTE*>(data.data()), data.size(), sig.data(), &n);
    sig.resize(n);
    return rv;
  }
  CK_RV verify(CK_MECHANISM& m, CK_OBJECT_HANDLE key, const Bytes& data, const Bytes& sig) {
    CK_RV rv = f->C_VerifyInit(rw_, &m, key);
    if (rv != CKR_OK) return rv;
    return f->C_Verify(rw_, const_cast<CK_BYTE*>(data.data()), data.size(), const_cast<CK_BYTE*>(sig.data()), sig.size());
  }
  // Multi-part: the data in 7-byte parts, then the length query and C_SignFinal.
  CK_RV sign_multi(CK_MECHANISM& m, CK_OBJECT_HANDLE key, const Bytes& data, Bytes& sig) {
    CK_RV rv = f->C_SignInit(rw_, &m, key);
    for (std::size_t off = 0; rv == CKR_OK && off < data.size(); off += 7) {
      rv = f->C_SignUpdate(rw_, const_cast<CK_BYTE*>(data.data() + off), std::min<std::size_t>(7, data.size() - off));
    }
    if (rv != CKR_OK) return rv;
    CK_ULONG n = 0;
    if ((rv = f->C_SignFinal(rw_, nullptr, &n)) != CKR_OK) return rv;
    sig.resize(n);
    rv = f->C_SignFinal(rw_, sig.data(), &n);
    sig.resize(n);
    return rv;
  }
  // Multi-part: the data in 11-byte parts.
  CK_RV verify_multi(CK_MECHANISM& m, CK_OBJECT_HANDLE key, const Bytes& data, const Bytes& sig) {
    CK_RV rv = f->C_VerifyInit(rw_, &m, key);
    for (std::size_t off = 0; rv == CKR_OK && off < data.size(); off += 11) {
      rv = f->C_VerifyUpdate(rw_, const_cast<CK_BYTE*>(data.data() + off), std::min<std::size_t>(11, data.size() - off));
    }
    if (rv != CKR_OK) return rv;
    return f->C_VerifyFinal(rw_, const_cast<CK_BYTE*>(sig.data()), sig.size());
  }

  CK_RV create(Template& t, CK_OBJECT_HANDLE& h) { return f->C_CreateObject(rw_, t.data(), t.size(), &h); }

  // Session key of class `cls` with `value` in `value_type`; a private key is readable back.
  static Template key_template(CK_OBJECT_CLASS cls, CK_KEY_TYPE kt, CK_ULONG set, const Bytes& value,
                               CK_ATTRIBUTE_TYPE value_type = CKA_VALUE) {
    Template t;
    t.ulong(CKA_CLASS, cls).ulong(CKA_KEY_TYPE, kt).ulong(CKA_PARAMETER_SET, set).boolean(CKA_TOKEN, false).bytes(value_type, value);
    if (cls == CKO_PRIVATE_KEY) t.boolean(CKA_SENSITIVE, false).boolean(CKA_EXTRACTABLE, true);
    return t;
  }
  // Template for a shared secret that the test may read back.
  static Template secret_template() {
    Template t;
    t.ulong(CKA_CLASS, CKO_SECRET_KEY).ulong(CKA_KEY_TYPE, CKK_GENERIC_SECRET).boolean(CKA_TOKEN, false)
        .boolean(CKA_SENSITIVE, false).boolean(CKA_EXTRACTABLE, true);
    return t;
  }
  // A session AES key usable for wrapping and for comparing shared secrets.
  CK_OBJECT_HANDLE aes_key() {
    CK_MECHANISM m{CKM_AES_KEY_GEN, nullptr, 0};
    Template t;
    t.ulong(CKA_VALUE_LEN, 32).boolean(CKA_TOKEN, false).boolean(CKA_WRAP, true).boolean(CKA_UNWRAP, true)
        .boolean(CKA_ENCRYPT, true).boolean(CKA_DECRYPT, true);
    CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;
    EXPECT_EQ(f->C_GenerateKey(rw_, &m, t.data(), t.size(), &h), CKR_OK);
    return h;
  }
};

}  // namespace craton::test
