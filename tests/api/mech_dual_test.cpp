// The dual-function calls (C_DigestEncryptUpdate, C_DecryptDigestUpdate, C_SignEncryptUpdate,
// C_DecryptVerifyUpdate) and the wrapping of private keys (PKCS#8 inside AES-KWP).
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "module_fixture.h"

namespace craton::test {
namespace {

using Bytes = std::vector<std::uint8_t>;

class MechDual : public TokenTest {
 protected:
  void SetUp() override {
    TokenTest::SetUp();
    ASSERT_EQ(login(rw_, CKU_USER, kUserPin), CKR_OK);
    Template a;
    a.ulong(CKA_CLASS, CKO_SECRET_KEY).ulong(CKA_KEY_TYPE, CKK_AES).bytes(CKA_VALUE, aes_value_);
    ASSERT_EQ(f->C_CreateObject(rw_, a.data(), a.size(), &aes_), CKR_OK);
    Template h;
    h.ulong(CKA_CLASS, CKO_SECRET_KEY).ulong(CKA_KEY_TYPE, CKK_GENERIC_SECRET).bytes(CKA_VALUE, hmac_value_);
    ASSERT_EQ(f->C_CreateObject(rw_, h.data(), h.size(), &hmac_), CKR_OK);
    for (std::size_t i = 0; i < plain_.size(); ++i) plain_[i] = static_cast<std::uint8_t>(i * 7);
  }

  CK_RV init_cbc(bool encrypt) {
    CK_MECHANISM m{CKM_AES_CBC_PAD, iv_.data(), iv_.size()};
    return encrypt ? f->C_EncryptInit(rw_, &m, aes_) : f->C_DecryptInit(rw_, &m, aes_);
  }
  CK_RV init_digest() {
    CK_MECHANISM m{CKM_SHA256, nullptr, 0};
    return f->C_DigestInit(rw_, &m);
  }
  CK_RV init_hmac(bool sign) {
    CK_MECHANISM m{CKM_SHA256_HMAC, nullptr, 0};
    return sign ? f->C_SignInit(rw_, &m, hmac_) : f->C_VerifyInit(rw_, &m, hmac_);
  }
  Bytes cbc_encrypt_single() {
    EXPECT_EQ(init_cbc(true), CKR_OK);
    Bytes out(plain_.size() + 16);
    CK_ULONG n = out.size();
    EXPECT_EQ(f->C_Encrypt(rw_, plain_.data(), plain_.size(), out.data(), &n), CKR_OK);
    out.resize(n);
    return out;
  }
  Bytes sha256(const Bytes& d) {
    Bytes out(32);
    unsigned int n = 0;
    EVP_Digest(d.data(), d.size(), out.data(), &n, EVP_sha256(), nullptr);
    return out;
  }
  Bytes hmac(const Bytes& d) {
    Bytes out(32);
    unsigned int n = 0;
    HMAC(EVP_sha256(), hmac_value_.data(), static_cast<int>(hmac_value_.size()), d.data(), d.size(), out.data(), &n);
    return out;
  }
  // Runs `call` over `in` in parts of 13 bytes, collecting the output.
  template <class F>
  Bytes in_parts(const Bytes& in, F call) {
    Bytes out;
    for (std::size_t off = 0; off < in.size(); off += 13) {
      const std::size_t n = std::min<std::size_t>(13, in.size() - off);
      Bytes part(n + 32);
      CK_ULONG len = part.size();
      EXPECT_EQ(call(const_cast<CK_BYTE*>(in.data() + off), n, part.data(), &len), CKR_OK);
      out.insert(out.end(), part.begin(), part.begin() + static_cast<std::ptrdiff_t>(len));
    }
    return out;
  }

  Bytes aes_value_ = Bytes(32, 0x3c);
  Bytes hmac_value_ = Bytes(32, 0x5d);
  Bytes iv_ = Bytes(16, 0x01);
  Bytes plain_ = Bytes(100);
  CK_OBJECT_HANDLE aes_ = 0, hmac_ = 0;
};

TEST_F(MechDual, DigestEncryptAndDecryptDigest) {
  const Bytes want_ct = cbc_encrypt_single();
  ASSERT_EQ(init_cbc(true), CKR_OK);
  ASSERT_EQ(init_digest(), CKR_OK);
  Bytes ct = in_parts(plain_, [&](CK_BYTE* p, CK_ULONG n, CK_BYTE* o, CK_ULONG* ol) {
    return f->C_DigestEncryptUpdate(rw_, p, n, o, ol);
  });
  Bytes last(16);
  CK_ULONG n = last.size();
  ASSERT_EQ(f->C_EncryptFinal(rw_, last.data(), &n), CKR_OK);
  ct.insert(ct.end(), last.begin(), last.begin() + static_cast<std::ptrdiff_t>(n));
  EXPECT_EQ(ct, want_ct);
  Bytes digest(32);
  n = digest.size();
  ASSERT_EQ(f->C_DigestFinal(rw_, digest.data(), &n), CKR_OK);
  EXPECT_EQ(digest, sha256(plain_));

  // Back again: the digest covers the plaintext that comes out.
  ASSERT_EQ(init_cbc(false), CKR_OK);
  ASSERT_EQ(init_digest(), CKR_OK);
  Bytes pt = in_parts(ct, [&](CK_BYTE* p, CK_ULONG len, CK_BYTE* o, CK_ULONG* ol) {
    return f->C_DecryptDigestUpdate(rw_, p, len, o, ol);
  });
  n = last.size();
  ASSERT_EQ(f->C_DecryptFinal(rw_, last.data(), &n), CKR_OK);
  // The held-back final block's plaintext is not yet digested: the caller digests it (spec).
  ASSERT_EQ(f->C_DigestUpdate(rw_, last.data(), n), CKR_OK);
  pt.insert(pt.end(), last.begin(), last.begin() + static_cast<std::ptrdiff_t>(n));
  EXPECT_EQ(pt, plain_);
  n = digest.size();
  ASSERT_EQ(f->C_DigestFinal(rw_, digest.data(), &n), CKR_OK);
  EXPECT_EQ(digest, sha256(plain_));
}

TEST_F(MechDual, SignEncryptAndDecryptVerify) {
  ASSERT_EQ(init_cbc(true), CKR_OK);
  ASSERT_EQ(init_hmac(true), CKR_OK);
  Bytes ct = in_parts(plain_, [&](CK_BYTE* p, CK_ULONG n, CK_BYTE* o, CK_ULONG* ol) {
    return f->C_SignEncryptUpdate(rw_, p, n, o, ol);
  });
  Bytes last(16), sig(32);
  CK_ULONG n = last.size();
  ASSERT_EQ(f->C_EncryptFinal(rw_, last.data(), &n), CKR_OK);
  ct.insert(ct.end(), last.begin(), last.begin() + static_cast<std::ptrdiff_t>(n));
  n = sig.size();
  ASSERT_EQ(f->C_SignFinal(rw_, sig.data(), &n), CKR_OK);
  EXPECT_EQ(sig, hmac(plain_));

  ASSERT_EQ(init_cbc(false), CKR_OK);
  ASSERT_EQ(init_hmac(false), CKR_OK);
  Bytes pt = in_parts(ct, [&](CK_BYTE* p, CK_ULONG len, CK_BYTE* o, CK_ULONG* ol) {
    return f->C_DecryptVerifyUpdate(rw_, p, len, o, ol);
  });
  n = last.size();
  ASSERT_EQ(f->C_DecryptFinal(rw_, last.data(), &n), CKR_OK);
  ASSERT_EQ(f->C_VerifyUpdate(rw_, last.data(), n), CKR_OK);
  pt.insert(pt.end(), last.begin(), last.begin() + static_cast<std::ptrdiff_t>(n));
  EXPECT_EQ(pt, plain_);
  EXPECT_EQ(f->C_VerifyFinal(rw_, sig.data(), sig.size()), CKR_OK);
}

TEST_F(MechDual, BothOperationsMustBeActiveAndTooSmallIsRepeatable) {
  Bytes out(64);
  CK_ULONG n = out.size();
  EXPECT_EQ(f->C_DigestEncryptUpdate(rw_, plain_.data(), 32, out.data(), &n), CKR_OPERATION_NOT_INITIALIZED);
  ASSERT_EQ(init_cbc(true), CKR_OK);
  n = out.size();
  EXPECT_EQ(f->C_DigestEncryptUpdate(rw_, plain_.data(), 32, out.data(), &n), CKR_OPERATION_NOT_INITIALIZED);
  ASSERT_EQ(init_digest(), CKR_OK);
  // A too-small buffer keeps both operations; the repeated call digests the input once.
  n = 8;
  EXPECT_EQ(f->C_DigestEncryptUpdate(rw_, plain_.data(), 32, out.data(), &n), CKR_BUFFER_TOO_SMALL);
  EXPECT_EQ(n, 32u);
  ASSERT_EQ(f->C_DigestEncryptUpdate(rw_, plain_.data(), 32, out.data(), &n), CKR_OK);
  EXPECT_EQ(n, 32u);
  Bytes digest(32);
  n = digest.size();
  ASSERT_EQ(f->C_DigestFinal(rw_, digest.data(), &n), CKR_OK);
  EXPECT_EQ(digest, sha256(Bytes(plain_.begin(), plain_.begin() + 32)));
  // A NULL length pointer ends the cipher operation.
  EXPECT_EQ(f->C_DigestEncryptUpdate(rw_, plain_.data(), 16, out.data(), nullptr), CKR_ARGUMENTS_BAD);
  n = out.size();
  EXPECT_EQ(f->C_EncryptFinal(rw_, out.data(), &n), CKR_OPERATION_NOT_INITIALIZED);
}

TEST_F(MechDual, PrivateKeysWrapAsPkcs8) {
  // An extractable EC key pair, wrapped under AES-KWP, unwrapped, and the copy signs for the
  // original public key.
  const Bytes p256 = {0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07};
  Template pub;
  pub.bytes(CKA_EC_PARAMS, p256);
  Template priv;
  priv.boolean(CKA_EXTRACTABLE, true).boolean(CKA_SIGN, true);
  CK_MECHANISM gen{CKM_EC_KEY_PAIR_GEN, nullptr, 0};
  CK_OBJECT_HANDLE hpub = 0, hpriv = 0;
  ASSERT_EQ(f->C_GenerateKeyPair(rw_, &gen, pub.data(), pub.size(), priv.data(), priv.size(), &hpub, &hpriv), CKR_OK);
  CK_MECHANISM kwp{CKM_AES_KEY_WRAP_KWP, nullptr, 0};
  CK_ULONG n = 0;
  ASSERT_EQ(f->C_WrapKey(rw_, &kwp, aes_, hpriv, nullptr, &n), CKR_OK);
  Bytes wrapped(n);
  ASSERT_EQ(f->C_WrapKey(rw_, &kwp, aes_, hpriv, wrapped.data(), &n), CKR_OK);
  wrapped.resize(n);
  Template t;
  t.ulong(CKA_CLASS, CKO_PRIVATE_KEY).ulong(CKA_KEY_TYPE, CKK_EC).boolean(CKA_SIGN, true);
  CK_OBJECT_HANDLE copy = 0;
  ASSERT_EQ(f->C_UnwrapKey(rw_, &kwp, aes_, wrapped.data(), wrapped.size(), t.data(), t.size(), &copy), CKR_OK);
  CK_MECHANISM ecdsa{CKM_ECDSA_SHA256, nullptr, 0};
  ASSERT_EQ(f->C_SignInit(rw_, &ecdsa, copy), CKR_OK);
  Bytes sig(64);
  n = sig.size();
  ASSERT_EQ(f->C_Sign(rw_, plain_.data(), plain_.size(), sig.data(), &n), CKR_OK);
  ASSERT_EQ(f->C_VerifyInit(rw_, &ecdsa, hpub), CKR_OK);
  EXPECT_EQ(f->C_Verify(rw_, plain_.data(), plain_.size(), sig.data(), n), CKR_OK);
  // The unwrapped key is a PKCS#8 key of its own type: asking for another type is inconsistent.
  Template rsa;
  rsa.ulong(CKA_CLASS, CKO_PRIVATE_KEY).ulong(CKA_KEY_TYPE, CKK_RSA);
  EXPECT_EQ(f->C_UnwrapKey(rw_, &kwp, aes_, wrapped.data(), wrapped.size(), rsa.data(), rsa.size(), &copy),
            CKR_TEMPLATE_INCONSISTENT);
  // Garbage that unwraps under the key but is no PKCS#8 structure.
  CK_OBJECT_HANDLE junk = 0;
  Template g;
  g.ulong(CKA_VALUE_LEN, 24).boolean(CKA_EXTRACTABLE, true);
  CK_MECHANISM gs{CKM_GENERIC_SECRET_KEY_GEN, nullptr, 0};
  ASSERT_EQ(f->C_GenerateKey(rw_, &gs, g.data(), g.size(), &junk), CKR_OK);
  ASSERT_EQ(f->C_WrapKey(rw_, &kwp, aes_, junk, nullptr, &n), CKR_OK);
  Bytes w2(n);
  ASSERT_EQ(f->C_WrapKey(rw_, &kwp, aes_, junk, w2.data(), &n), CKR_OK);
  w2.resize(n);
  Template as_private;
  as_private.ulong(CKA_CLASS, CKO_PRIVATE_KEY).ulong(CKA_KEY_TYPE, CKK_EC);
  EXPECT_EQ(f->C_UnwrapKey(rw_, &kwp, aes_, w2.data(), w2.size(), as_private.data(), as_private.size(), &copy),
            CKR_WRAPPED_KEY_INVALID);
}

}  // namespace
}  // namespace craton::test
