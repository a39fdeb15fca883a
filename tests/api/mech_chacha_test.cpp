// ChaCha20 key generation and ChaCha20-Poly1305 through the module API: RFC 8439 §2.8.2 as the
// known answer, single / multi-part / message-based use, nonce checks and tamper detection.
#include "mech_sym_helpers.h"

namespace craton::test {
namespace {

class ChaChaTest : public SymTest {};

// RFC 8439 §2.8.2.
const Bytes kKey = hex("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f");
const Bytes kNonce = hex("070000004041424344454647");
const Bytes kAad = hex("50515253c0c1c2c3c4c5c6c7");
const std::string kText =
    "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.";
const Bytes kPlain(kText.begin(), kText.end());
const Bytes kCipher = hex(
    "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d63dbea45e8ca9671282fafb69da92728b1a71de0a9e060b29"
    "05d6a5b67ecd3b3692ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc3ff4def08e4b7a9de576d26586cec64b6116");
const Bytes kTag = hex("1ae10b594f09e26a7e902ecbd0600691");

Bytes with_tag() {
  Bytes b = kCipher;
  b.insert(b.end(), kTag.begin(), kTag.end());
  return b;
}

TEST_F(ChaChaTest, MechanismInfo) {
  CK_MECHANISM_INFO info{};
  ASSERT_EQ(f->C_GetMechanismInfo(slot_, CKM_CHACHA20_KEY_GEN, &info), CKR_OK);
  EXPECT_EQ(info.ulMinKeySize, 32u);
  EXPECT_EQ(info.ulMaxKeySize, 32u);
  EXPECT_EQ(info.flags, CKF_GENERATE);
  ASSERT_EQ(f->C_GetMechanismInfo(slot_, CKM_CHACHA20_POLY1305, &info), CKR_OK);
  EXPECT_EQ(info.ulMinKeySize, 32u);
  EXPECT_EQ(info.ulMaxKeySize, 32u);
  EXPECT_EQ(info.flags, CKF_ENCRYPT | CKF_DECRYPT | CKF_MESSAGE_ENCRYPT | CKF_MESSAGE_DECRYPT);
}

TEST_F(ChaChaTest, KeyGeneration) {
  CK_MECHANISM m{CKM_CHACHA20_KEY_GEN, nullptr, 0};
  for (bool with_len : {false, true}) {
    Template t;
    t.boolean(CKA_ENCRYPT, true).boolean(CKA_DECRYPT, true).boolean(CKA_SENSITIVE, true).boolean(CKA_EXTRACTABLE, false);
    if (with_len) t.ulong(CKA_VALUE_LEN, 32);
    CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;
    ASSERT_EQ(f->C_GenerateKey(rw_, &m, t.data(), t.size(), &h), CKR_OK);
    EXPECT_EQ(get_ulong(h, CKA_KEY_TYPE), CKK_CHACHA20);
    EXPECT_EQ(get_ulong(h, CKA_VALUE_LEN), 32u);
    EXPECT_EQ(get_ulong(h, CKA_KEY_GEN_MECHANISM), CKM_CHACHA20_KEY_GEN);
    EXPECT_TRUE(get_bool(h, CKA_LOCAL));
    EXPECT_TRUE(get_bool(h, CKA_ALWAYS_SENSITIVE));
    EXPECT_TRUE(get_bool(h, CKA_NEVER_EXTRACTABLE));
    ChaChaParam p(kNonce, kAad);
    Bytes ct, pt;
    ASSERT_EQ(run(kEnc, p.mech(), h, kPlain, ct), CKR_OK);
    ASSERT_EQ(run(kDec, p.mech(), h, ct, pt), CKR_OK);
    EXPECT_EQ(pt, kPlain);
  }
  Template bad;
  bad.ulong(CKA_VALUE_LEN, 16);
  CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;
  EXPECT_EQ(f->C_GenerateKey(rw_, &m, bad.data(), bad.size(), &h), CKR_ATTRIBUTE_VALUE_INVALID);
  Template aes;
  aes.ulong(CKA_KEY_TYPE, CKK_AES);
  EXPECT_EQ(f->C_GenerateKey(rw_, &m, aes.data(), aes.size(), &h), CKR_TEMPLATE_INCONSISTENT);
}

TEST_F(ChaChaTest, Rfc8439KnownAnswer) {
  const CK_OBJECT_HANDLE k = key(kKey, CKK_CHACHA20);
  ChaChaParam p(kNonce, kAad);
  expect_cipher(p.mech(), k, kPlain, with_tag());
}

TEST_F(ChaChaTest, EmptyMessageAndNoAad) {
  const CK_OBJECT_HANDLE k = key(kKey, CKK_CHACHA20);
  ChaChaParam p(kNonce, Bytes());
  Bytes ct, pt;
  ASSERT_EQ(run(kEnc, p.mech(), k, Bytes(), ct), CKR_OK);
  EXPECT_EQ(ct.size(), 16u);
  ASSERT_EQ(run(kDec, p.mech(), k, ct, pt), CKR_OK);
  EXPECT_TRUE(pt.empty());
}

TEST_F(ChaChaTest, TamperingAndLengths) {
  const CK_OBJECT_HANDLE k = key(kKey, CKK_CHACHA20);
  ChaChaParam p(kNonce, kAad);
  for (std::size_t pos : {std::size_t{0}, kCipher.size() - 1, kCipher.size(), kCipher.size() + 15}) {
    Bytes bad = with_tag();
    bad[pos] ^= 0x20;
    Bytes out;
    EXPECT_EQ(run(kDec, p.mech(), k, bad, out), CKR_ENCRYPTED_DATA_INVALID) << pos;
    EXPECT_EQ(run_parts(kDec, p.mech(), k, bad, {50}, out), CKR_ENCRYPTED_DATA_INVALID) << pos;
  }
  ChaChaParam other_aad(kNonce, hex("50515253"));
  Bytes out;
  EXPECT_EQ(run(kDec, other_aad.mech(), k, with_tag(), out), CKR_ENCRYPTED_DATA_INVALID);
  EXPECT_EQ(run(kDec, p.mech(), k, Bytes(15, 0), out), CKR_ENCRYPTED_DATA_LEN_RANGE);
}

TEST_F(ChaChaTest, ParameterAndKeyChecks) {
  const CK_OBJECT_HANDLE k = key(kKey, CKK_CHACHA20);
  for (std::size_t n : {0u, 8u, 11u, 13u, 16u, 24u}) {
    ChaChaParam p(Bytes(n, 7), Bytes());
    CK_MECHANISM m = p.mech();
    EXPECT_EQ(f->C_EncryptInit(rw_, &m, k), CKR_MECHANISM_PARAM_INVALID) << n;
  }
  ChaChaParam p(kNonce, kAad);
  CK_MECHANISM wrong_len{CKM_CHACHA20_POLY1305, &p.p, 24};
  EXPECT_EQ(f->C_EncryptInit(rw_, &wrong_len, k), CKR_MECHANISM_PARAM_INVALID);
  CK_MECHANISM m = p.mech();
  const CK_OBJECT_HANDLE aes = key(kKey, CKK_AES);
  EXPECT_EQ(f->C_EncryptInit(rw_, &m, aes), CKR_KEY_TYPE_INCONSISTENT);
  const CK_OBJECT_HANDLE no_decrypt = key(kKey, CKK_CHACHA20, {{CKA_DECRYPT, false}});
  EXPECT_EQ(f->C_DecryptInit(rw_, &m, no_decrypt), CKR_KEY_FUNCTION_NOT_PERMITTED);
  const CK_OBJECT_HANDLE gcm_only = key(kKey, CKK_CHACHA20, {}, {CKM_AES_GCM});
  EXPECT_EQ(f->C_EncryptInit(rw_, &m, gcm_only), CKR_MECHANISM_INVALID);
}

TEST_F(ChaChaTest, BufferTooSmallKeepsTheOperation) {
  const CK_OBJECT_HANDLE k = key(kKey, CKK_CHACHA20);
  ChaChaParam p(kNonce, kAad);
  CK_MECHANISM m = p.mech();
  ASSERT_EQ(f->C_EncryptInit(rw_, &m, k), CKR_OK);
  Bytes out(200);
  CK_ULONG n = 10;
  ASSERT_EQ(f->C_Encrypt(rw_, ptr(kPlain), kPlain.size(), out.data(), &n), CKR_BUFFER_TOO_SMALL);
  EXPECT_EQ(n, kPlain.size() + 16);
  ASSERT_EQ(f->C_Encrypt(rw_, ptr(kPlain), kPlain.size(), out.data(), &n), CKR_OK);
  out.resize(n);
  EXPECT_EQ(out, with_tag());
}

TEST_F(ChaChaTest, MessageApi) {
  const CK_OBJECT_HANDLE k = key(kKey, CKK_CHACHA20);
  CK_MECHANISM m{CKM_CHACHA20_POLY1305, nullptr, 0};
  Bytes nonce = kNonce, tag(16);
  CK_SALSA20_CHACHA20_POLY1305_MSG_PARAMS p{nonce.data(), 12, tag.data()};
  ASSERT_EQ(f->C_MessageEncryptInit(rw_, &m, k), CKR_OK);
  Bytes ct(kPlain.size());
  CK_ULONG n = static_cast<CK_ULONG>(ct.size());
  ASSERT_EQ(f->C_EncryptMessage(rw_, &p, sizeof p, ptr(kAad), kAad.size(), ptr(kPlain), kPlain.size(), ct.data(), &n),
            CKR_OK);
  EXPECT_EQ(ct, kCipher);
  EXPECT_EQ(tag, kTag);
  // Begin / Next with the tag produced on the last part.
  std::fill(tag.begin(), tag.end(), 0);
  ASSERT_EQ(f->C_EncryptMessageBegin(rw_, &p, sizeof p, ptr(kAad), kAad.size()), CKR_OK);
  Bytes parts;
  for (std::size_t off = 0; off < kPlain.size(); off += 40) {
    const std::size_t len = std::min<std::size_t>(40, kPlain.size() - off);
    Bytes out(64);
    n = static_cast<CK_ULONG>(out.size());
    ASSERT_EQ(f->C_EncryptMessageNext(rw_, &p, sizeof p, ptr(kPlain) + off, len, out.data(), &n,
                                      off + len == kPlain.size() ? CKF_END_OF_MESSAGE : 0),
              CKR_OK);
    parts.insert(parts.end(), out.begin(), out.begin() + n);
  }
  EXPECT_EQ(parts, kCipher);
  EXPECT_EQ(tag, kTag);
  ASSERT_EQ(f->C_MessageEncryptFinal(rw_), CKR_OK);

  ASSERT_EQ(f->C_MessageDecryptInit(rw_, &m, k), CKR_OK);
  Bytes pt(kCipher.size());
  n = static_cast<CK_ULONG>(pt.size());
  ASSERT_EQ(f->C_DecryptMessage(rw_, &p, sizeof p, ptr(kAad), kAad.size(), ptr(kCipher), kCipher.size(), pt.data(), &n),
            CKR_OK);
  EXPECT_EQ(pt, kPlain);
  tag[15] ^= 1;
  n = static_cast<CK_ULONG>(pt.size());
  EXPECT_EQ(f->C_DecryptMessage(rw_, &p, sizeof p, ptr(kAad), kAad.size(), ptr(kCipher), kCipher.size(), pt.data(), &n),
            CKR_AEAD_DECRYPT_FAILED);
  ASSERT_EQ(f->C_MessageDecryptFinal(rw_), CKR_OK);
}

}  // namespace
}  // namespace craton::test
