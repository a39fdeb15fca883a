// The AES mechanism families through the module API: key generation, ECB / CBC / CBC_PAD / CTR /
// CTS, GCM and CCM (single, multi-part and message-based), key wrap (RFC 3394 / RFC 5649, GCM,
// CBC_PAD), CMAC and the ECB/CBC_ENCRYPT_DATA derivations.
//
// Facts: SP 800-38A Appendix F (ECB, CBC, CTR), RFC 3962 Appendix B (CBC-CS3), the GCM
// specification's test cases 4 and 6 (as used by SP 800-38D validation), SP 800-38C Appendix C
// and RFC 3610 (CCM), RFC 3394 §4 and RFC 5649 §6 (key wrap), RFC 4493 §4 (CMAC). Random inputs
// are cross-checked against OpenSSL EVP computed here.
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <cstring>
#include <functional>
#include <optional>

#include "mech_sym_helpers.h"

namespace craton::test {
namespace {

class AesTest : public SymTest {
 protected:
  void expect_single(CK_MECHANISM m, CK_OBJECT_HANDLE k, const Bytes& pt, const Bytes& ct) {
    Bytes out;
    ASSERT_EQ(run(kEnc, m, k, pt, out), CKR_OK);
    EXPECT_EQ(out, ct);
    ASSERT_EQ(run(kDec, m, k, ct, out), CKR_OK);
    EXPECT_EQ(out, pt);
  }
  Bytes sign(CK_MECHANISM m, CK_OBJECT_HANDLE k, const Bytes& msg) {
    EXPECT_EQ(f->C_SignInit(rw_, &m, k), CKR_OK);
    CK_ULONG n = 0;
    EXPECT_EQ(f->C_Sign(rw_, ptr(msg), msg.size(), nullptr, &n), CKR_OK);
    Bytes sig(n);
    EXPECT_EQ(f->C_Sign(rw_, ptr(msg), msg.size(), sig.data(), &n), CKR_OK);
    sig.resize(n);
    return sig;
  }
  Bytes sign_parts(CK_MECHANISM m, CK_OBJECT_HANDLE k, const Bytes& msg, std::size_t chunk) {
    EXPECT_EQ(f->C_SignInit(rw_, &m, k), CKR_OK);
    for (std::size_t off = 0; off < msg.size(); off += chunk) {
      EXPECT_EQ(f->C_SignUpdate(rw_, ptr(msg) + off, std::min(chunk, msg.size() - off)), CKR_OK);
    }
    CK_ULONG n = 0;
    EXPECT_EQ(f->C_SignFinal(rw_, nullptr, &n), CKR_OK);
    Bytes sig(n);
    EXPECT_EQ(f->C_SignFinal(rw_, sig.data(), &n), CKR_OK);
    sig.resize(n);
    return sig;
  }
  CK_RV verify(CK_MECHANISM m, CK_OBJECT_HANDLE k, const Bytes& msg, const Bytes& sig) {
    EXPECT_EQ(f->C_VerifyInit(rw_, &m, k), CKR_OK);
    return f->C_Verify(rw_, ptr(msg), msg.size(), ptr(sig), sig.size());
  }
  CK_RV verify_parts(CK_MECHANISM m, CK_OBJECT_HANDLE k, const Bytes& msg, const Bytes& sig, std::size_t chunk) {
    EXPECT_EQ(f->C_VerifyInit(rw_, &m, k), CKR_OK);
    for (std::size_t off = 0; off < msg.size(); off += chunk) {
      EXPECT_EQ(f->C_VerifyUpdate(rw_, ptr(msg) + off, std::min(chunk, msg.size() - off)), CKR_OK);
    }
    return f->C_VerifyFinal(rw_, ptr(sig), sig.size());
  }
};

// SP 800-38A Appendix F.
const Bytes kKey128 = hex("2b7e151628aed2a6abf7158809cf4f3c");
const Bytes kKey256 = hex("603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4");
const Bytes kPlain = hex(
    "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e5130c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710");
const Bytes kIv = hex("000102030405060708090a0b0c0d0e0f");

// Cross-check: an EVP cipher computed in the test.
Bytes evp(const char* name, const Bytes& key, const Bytes& iv, const Bytes& in, bool enc, bool pad) {
  EVP_CIPHER* c = EVP_CIPHER_fetch(nullptr, name, nullptr);
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  Bytes out(in.size() + 32);
  int n1 = 0, n2 = 0;
  EXPECT_EQ(EVP_CipherInit_ex2(ctx, c, key.data(), iv.empty() ? nullptr : iv.data(), enc ? 1 : 0, nullptr), 1);
  EVP_CIPHER_CTX_set_padding(ctx, pad ? 1 : 0);
  EXPECT_EQ(EVP_CipherUpdate(ctx, out.data(), &n1, in.data(), static_cast<int>(in.size())), 1);
  EXPECT_EQ(EVP_CipherFinal_ex(ctx, out.data() + n1, &n2), 1);
  out.resize(static_cast<std::size_t>(n1 + n2));
  EVP_CIPHER_CTX_free(ctx);
  EVP_CIPHER_free(c);
  return out;
}

Bytes evp_gcm(const Bytes& key, const Bytes& iv, const Bytes& aad, const Bytes& pt, std::size_t tag_len) {
  EVP_CIPHER* c = EVP_CIPHER_fetch(nullptr, key.size() == 16 ? "AES-128-GCM" : "AES-256-GCM", nullptr);
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  EXPECT_EQ(EVP_EncryptInit_ex2(ctx, c, nullptr, nullptr, nullptr), 1);
  EXPECT_EQ(EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_IVLEN, static_cast<int>(iv.size()), nullptr), 1);
  EXPECT_EQ(EVP_EncryptInit_ex2(ctx, nullptr, key.data(), iv.data(), nullptr), 1);
  int n = 0;
  if (!aad.empty()) {
    EXPECT_EQ(EVP_EncryptUpdate(ctx, nullptr, &n, aad.data(), static_cast<int>(aad.size())), 1);
  }
  Bytes out(pt.size() + tag_len);
  if (!pt.empty()) {
    EXPECT_EQ(EVP_EncryptUpdate(ctx, out.data(), &n, pt.data(), static_cast<int>(pt.size())), 1);
  }
  EXPECT_EQ(EVP_EncryptFinal_ex(ctx, out.data() + pt.size(), &n), 1);
  EXPECT_EQ(EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, static_cast<int>(tag_len), out.data() + pt.size()), 1);
  EVP_CIPHER_CTX_free(ctx);
  EVP_CIPHER_free(c);
  return out;
}

Bytes random_bytes(std::size_t n) {
  Bytes b(n);
  if (n != 0) {
    EXPECT_EQ(RAND_bytes(b.data(), static_cast<int>(n)), 1);
  }
  return b;
}

// ---- mechanism list and key generation -------------------------------------------------------------

TEST_F(AesTest, MechanismInfoIsExact) {
  constexpr CK_FLAGS kED = CKF_ENCRYPT | CKF_DECRYPT;
  constexpr CK_FLAGS kMsg = CKF_MESSAGE_ENCRYPT | CKF_MESSAGE_DECRYPT;
  constexpr CK_FLAGS kWU = CKF_WRAP | CKF_UNWRAP;
  const std::vector<std::pair<CK_MECHANISM_TYPE, CK_FLAGS>> expected = {
      {CKM_AES_KEY_GEN, CKF_GENERATE},
      {CKM_AES_ECB, kED},
      {CKM_AES_CBC, kED},
      {CKM_AES_CBC_PAD, kED | kWU},
      {CKM_AES_CTR, kED},
      {CKM_AES_CTS, kED},
      {CKM_AES_GCM, kED | kMsg | kWU},
      {CKM_AES_CCM, kED | kMsg},
      {CKM_AES_KEY_WRAP, kED | kWU},
      {CKM_AES_KEY_WRAP_KWP, kED | kWU},
      {CKM_AES_CMAC, CKF_SIGN | CKF_VERIFY},
      {CKM_AES_CMAC_GENERAL, CKF_SIGN | CKF_VERIFY},
      {CKM_AES_ECB_ENCRYPT_DATA, CKF_DERIVE},
      {CKM_AES_CBC_ENCRYPT_DATA, CKF_DERIVE},
  };
  const auto list = mechanism_list();
  for (const auto& [type, flags] : expected) {
    CK_MECHANISM_INFO info{};
    ASSERT_EQ(f->C_GetMechanismInfo(slot_, type, &info), CKR_OK) << std::hex << type;
    EXPECT_EQ(info.ulMinKeySize, 16u) << std::hex << type;
    EXPECT_EQ(info.ulMaxKeySize, 32u) << std::hex << type;
    EXPECT_EQ(info.flags, flags) << std::hex << type;
    EXPECT_NE(std::find(list.begin(), list.end(), type), list.end()) << std::hex << type;
  }
}

TEST_F(AesTest, KeyGenerationSizesAndAttributes) {
  for (CK_ULONG len : {16UL, 24UL, 32UL}) {
    Template t;
    t.ulong(CKA_VALUE_LEN, len).boolean(CKA_ENCRYPT, true).boolean(CKA_DECRYPT, true).boolean(CKA_SENSITIVE, true)
        .boolean(CKA_EXTRACTABLE, false);
    CK_MECHANISM m{CKM_AES_KEY_GEN, nullptr, 0};
    CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;
    ASSERT_EQ(f->C_GenerateKey(rw_, &m, t.data(), t.size(), &h), CKR_OK) << len;
    EXPECT_EQ(get_ulong(h, CKA_CLASS), CKO_SECRET_KEY);
    EXPECT_EQ(get_ulong(h, CKA_KEY_TYPE), CKK_AES);
    EXPECT_EQ(get_ulong(h, CKA_VALUE_LEN), len);
    EXPECT_EQ(get_ulong(h, CKA_KEY_GEN_MECHANISM), CKM_AES_KEY_GEN);
    EXPECT_TRUE(get_bool(h, CKA_LOCAL));
    EXPECT_TRUE(get_bool(h, CKA_ALWAYS_SENSITIVE));
    EXPECT_TRUE(get_bool(h, CKA_NEVER_EXTRACTABLE));
    // The key works: CBC_PAD round trip.
    CbcParam iv(kIv);
    CK_MECHANISM cbc = iv.mech(CKM_AES_CBC_PAD);
    Bytes ct, pt;
    ASSERT_EQ(run(kEnc, cbc, h, kPlain, ct), CKR_OK);
    ASSERT_EQ(run(kDec, cbc, h, ct, pt), CKR_OK);
    EXPECT_EQ(pt, kPlain);
  }
  // Extractable, non-sensitive key: ALWAYS_SENSITIVE false, NEVER_EXTRACTABLE false.
  Template t;
  t.ulong(CKA_VALUE_LEN, 16).boolean(CKA_SENSITIVE, false).boolean(CKA_EXTRACTABLE, true);
  CK_MECHANISM m{CKM_AES_KEY_GEN, nullptr, 0};
  CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;
  ASSERT_EQ(f->C_GenerateKey(rw_, &m, t.data(), t.size(), &h), CKR_OK);
  EXPECT_FALSE(get_bool(h, CKA_ALWAYS_SENSITIVE));
  EXPECT_FALSE(get_bool(h, CKA_NEVER_EXTRACTABLE));
  EXPECT_EQ(get_bytes(h, CKA_VALUE).size(), 16u);
}

TEST_F(AesTest, KeyGenerationTemplateErrors) {
  CK_MECHANISM m{CKM_AES_KEY_GEN, nullptr, 0};
  CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;
  Template none;
  none.boolean(CKA_ENCRYPT, true);
  EXPECT_EQ(f->C_GenerateKey(rw_, &m, none.data(), none.size(), &h), CKR_TEMPLATE_INCOMPLETE);
  for (CK_ULONG bad : {0UL, 8UL, 20UL, 33UL, 64UL}) {
    Template t;
    t.ulong(CKA_VALUE_LEN, bad);
    EXPECT_EQ(f->C_GenerateKey(rw_, &m, t.data(), t.size(), &h), CKR_ATTRIBUTE_VALUE_INVALID) << bad;
  }
  Template wrong_type;
  wrong_type.ulong(CKA_VALUE_LEN, 16).ulong(CKA_KEY_TYPE, CKK_GENERIC_SECRET);
  EXPECT_EQ(f->C_GenerateKey(rw_, &m, wrong_type.data(), wrong_type.size(), &h), CKR_TEMPLATE_INCONSISTENT);
  std::uint8_t param = 1;
  CK_MECHANISM with_param{CKM_AES_KEY_GEN, &param, 1};
  Template ok;
  ok.ulong(CKA_VALUE_LEN, 16);
  EXPECT_EQ(f->C_GenerateKey(rw_, &with_param, ok.data(), ok.size(), &h), CKR_MECHANISM_PARAM_INVALID);
}

// ---- ECB, CBC, CBC_PAD ---------------------------------------------------------------------------------

TEST_F(AesTest, EcbKnownAnswerSingleAndMultiPart) {
  const CK_OBJECT_HANDLE k = key(kKey128);
  CK_MECHANISM ecb{CKM_AES_ECB, nullptr, 0};
  const Bytes expected = hex(
      "3ad77bb40d7a3660a89ecaf32466ef97f5d3d58503b9699de785895a96fdbaaf43b1cd7f598ece23881b00e3ed0306887b0c785e27e8ad3f8223207104725dd4");
  expect_cipher(ecb, k, kPlain, expected);
  const CK_OBJECT_HANDLE k256 = key(kKey256);
  Bytes ct;
  ASSERT_EQ(run(kEnc, ecb, k256, Bytes(kPlain.begin(), kPlain.begin() + 16), ct), CKR_OK);
  EXPECT_EQ(ct, hex("f3eed1bdb5d2a03c064b5a7e3db181f8"));
}

TEST_F(AesTest, CbcKnownAnswerSingleAndMultiPart) {
  const CK_OBJECT_HANDLE k = key(kKey128);
  CbcParam iv(kIv);
  const Bytes expected = hex(
      "7649abac8119b246cee98e9b12e9197d5086cb9b507219ee95db113a917678b273bed6b8e3c1743b7116e69e222295163ff1caa1681fac09120eca307586e1a7");
  expect_cipher(iv.mech(CKM_AES_CBC), k, kPlain, expected);
}

TEST_F(AesTest, BlockModesRejectPartialBlocks) {
  const CK_OBJECT_HANDLE k = key(kKey128);
  CbcParam iv(kIv);
  for (CK_MECHANISM m : {CK_MECHANISM{CKM_AES_ECB, nullptr, 0}, iv.mech(CKM_AES_CBC)}) {
    Bytes out;
    EXPECT_EQ(run(kEnc, m, k, Bytes(15, 1), out), CKR_DATA_LEN_RANGE);
    EXPECT_EQ(run(kDec, m, k, Bytes(17, 1), out), CKR_ENCRYPTED_DATA_LEN_RANGE);
    EXPECT_EQ(run_parts(kEnc, m, k, Bytes(33, 1), {20, 13}, out), CKR_DATA_LEN_RANGE);
    EXPECT_EQ(run_parts(kDec, m, k, Bytes(31, 1), {7}, out), CKR_ENCRYPTED_DATA_LEN_RANGE);
    // The failed final ended the operation.
    CK_ULONG n = 0;
    EXPECT_EQ(f->C_DecryptFinal(rw_, nullptr, &n), CKR_OPERATION_NOT_INITIALIZED);
    // Empty input is a whole number of blocks.
    EXPECT_EQ(run(kEnc, m, k, Bytes(), out), CKR_OK);
    EXPECT_TRUE(out.empty());
  }
  CK_MECHANISM short_iv{CKM_AES_CBC, iv.iv.data(), 8};
  CK_MECHANISM no_iv{CKM_AES_CBC, nullptr, 0};
  for (CK_MECHANISM* m : {&short_iv, &no_iv}) {
    EXPECT_EQ(f->C_EncryptInit(rw_, m, k), CKR_MECHANISM_PARAM_INVALID);
  }
  CK_MECHANISM ecb_param{CKM_AES_ECB, iv.iv.data(), 16};
  EXPECT_EQ(f->C_EncryptInit(rw_, &ecb_param, k), CKR_MECHANISM_PARAM_INVALID);
}

TEST_F(AesTest, CbcPadMatchesOpenSslForEveryLength) {
  const Bytes key_bytes = random_bytes(32);
  const CK_OBJECT_HANDLE k = key(key_bytes);
  CbcParam iv(random_bytes(16));
  const CK_MECHANISM m = iv.mech(CKM_AES_CBC_PAD);
  for (std::size_t len = 0; len <= 50; ++len) {
    const Bytes pt = random_bytes(len);
    const Bytes expected = evp("AES-256-CBC", key_bytes, iv.iv, pt, true, true);
    ASSERT_EQ(expected.size(), (len / 16 + 1) * 16);
    expect_cipher(m, k, pt, expected);
  }
}

TEST_F(AesTest, CbcPadDecryptHoldsBackTheLastBlock) {
  const CK_OBJECT_HANDLE k = key(kKey128);
  CbcParam iv(kIv);
  CK_MECHANISM m = iv.mech(CKM_AES_CBC_PAD);
  Bytes ct;
  ASSERT_EQ(run(kEnc, m, k, Bytes(kPlain.begin(), kPlain.begin() + 32), ct), CKR_OK);
  ASSERT_EQ(ct.size(), 48u);
  ASSERT_EQ(f->C_DecryptInit(rw_, &m, k), CKR_OK);
  Bytes out(64);
  CK_ULONG n = out.size();
  ASSERT_EQ(f->C_DecryptUpdate(rw_, ct.data(), 32, out.data(), &n), CKR_OK);
  EXPECT_EQ(n, 16u);  // the second block might be the padding block
  n = out.size();
  ASSERT_EQ(f->C_DecryptUpdate(rw_, ct.data() + 32, 16, out.data() + 16, &n), CKR_OK);
  EXPECT_EQ(n, 16u);
  n = out.size() - 32;
  ASSERT_EQ(f->C_DecryptFinal(rw_, out.data() + 32, &n), CKR_OK);
  EXPECT_EQ(n, 0u);
  EXPECT_EQ(Bytes(out.begin(), out.begin() + 32), Bytes(kPlain.begin(), kPlain.begin() + 32));
}

TEST_F(AesTest, CbcPadRejectsBadPaddingAndLengths) {
  const CK_OBJECT_HANDLE k = key(kKey128);
  CbcParam iv(kIv);
  // Raw CBC ciphertexts of blocks whose last bytes are no valid PKCS#7 padding.
  for (const Bytes& last : {hex("00112233445566778899aabbccddee00"), hex("00112233445566778899aabbccddee11"),
                            hex("00112233445566778899aabbccdd0303"), hex("10101010101010101010101010101020")}) {
    Bytes ct;
    ASSERT_EQ(run(kEnc, iv.mech(CKM_AES_CBC), k, last, ct), CKR_OK);
    Bytes out;
    EXPECT_EQ(run(kDec, iv.mech(CKM_AES_CBC_PAD), k, ct, out), CKR_ENCRYPTED_DATA_INVALID);
    EXPECT_EQ(run_parts(kDec, iv.mech(CKM_AES_CBC_PAD), k, ct, {5}, out), CKR_ENCRYPTED_DATA_INVALID);
  }
  // A full padding block (16 x 0x10) is valid.
  Bytes ct, out;
  ASSERT_EQ(run(kEnc, iv.mech(CKM_AES_CBC), k, Bytes(16, 0x10), ct), CKR_OK);
  EXPECT_EQ(run(kDec, iv.mech(CKM_AES_CBC_PAD), k, ct, out), CKR_OK);
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(run(kDec, iv.mech(CKM_AES_CBC_PAD), k, Bytes(), out), CKR_ENCRYPTED_DATA_LEN_RANGE);
  EXPECT_EQ(run(kDec, iv.mech(CKM_AES_CBC_PAD), k, Bytes(20, 0), out), CKR_ENCRYPTED_DATA_LEN_RANGE);
  EXPECT_EQ(run_parts(kDec, iv.mech(CKM_AES_CBC_PAD), k, Bytes(20, 0), {3}, out), CKR_ENCRYPTED_DATA_LEN_RANGE);
}

// A single-part call whose buffer is large enough is written straight into that buffer (no
// intermediate copy): in place (output = input) it must still read every input byte before
// overwriting it, and a failure must leave nothing it wrote (the unpadded plaintext of a
// rejected CBC_PAD message, the padding bytes of an accepted one).
TEST_F(AesTest, SinglePartInPlaceAndNothingLeftBehindInTheCallersBuffer) {
  const Bytes key_bytes = random_bytes(32);
  const CK_OBJECT_HANDLE k = key(key_bytes);
  CbcParam iv(random_bytes(16));
  CtrParam ctr(random_bytes(16), 128);
  struct Case {
    CK_MECHANISM m;
    const char* evp_name;
    std::size_t len;
    bool pad;
  };
  for (const Case& c : {Case{iv.mech(CKM_AES_CBC_PAD), "AES-256-CBC", 37, true},
                        Case{iv.mech(CKM_AES_CBC_PAD), "AES-256-CBC", 48, true},
                        Case{iv.mech(CKM_AES_CBC), "AES-256-CBC", 64, false},
                        Case{CK_MECHANISM{CKM_AES_ECB, nullptr, 0}, "AES-256-ECB", 32, false},
                        Case{ctr.mech(), "AES-256-CTR", 45, false}}) {
    SCOPED_TRACE(c.len);
    const Bytes pt = random_bytes(c.len);
    const Bytes expected = evp(c.evp_name, key_bytes, c.m.mechanism == CKM_AES_ECB ? Bytes() : iv.iv, pt, true, c.pad);
    if (c.m.mechanism == CKM_AES_CTR) {
      // evp() is keyed with the CBC IV; CTR is compared through a second, out-of-place call.
      Bytes out;
      ASSERT_EQ(run(kEnc, c.m, k, pt, out), CKR_OK);
      Bytes buf = pt;
      ASSERT_EQ(init(kEnc, c.m, k), CKR_OK);
      CK_ULONG n = static_cast<CK_ULONG>(buf.size());
      ASSERT_EQ(f->C_Encrypt(rw_, buf.data(), static_cast<CK_ULONG>(pt.size()), buf.data(), &n), CKR_OK);
      EXPECT_EQ(Bytes(buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(n)), out);
      continue;
    }
    Bytes buf(expected.size() + 16, 0);
    std::copy(pt.begin(), pt.end(), buf.begin());
    ASSERT_EQ(init(kEnc, c.m, k), CKR_OK);
    CK_ULONG n = static_cast<CK_ULONG>(buf.size());
    ASSERT_EQ(f->C_Encrypt(rw_, buf.data(), static_cast<CK_ULONG>(pt.size()), buf.data(), &n), CKR_OK);
    ASSERT_EQ(n, expected.size());
    EXPECT_EQ(Bytes(buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(n)), expected);
    ASSERT_EQ(init(kDec, c.m, k), CKR_OK);
    CK_ULONG m = static_cast<CK_ULONG>(buf.size());
    ASSERT_EQ(f->C_Decrypt(rw_, buf.data(), n, buf.data(), &m), CKR_OK);
    ASSERT_EQ(m, pt.size());
    EXPECT_EQ(Bytes(buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(m)), pt);
    if (c.pad) {
      // The padding bytes that followed the plaintext were wiped.
      EXPECT_EQ(Bytes(buf.begin() + static_cast<std::ptrdiff_t>(m), buf.begin() + static_cast<std::ptrdiff_t>(n)),
                Bytes(n - m, 0));
    }
  }
  // A CBC_PAD message whose padding is wrong: nothing of its decryption stays in the buffer.
  const Bytes bad_pt = hex("00112233445566778899aabbccddee11ffeeddccbbaa99887766554433221100");
  Bytes ct;
  ASSERT_EQ(run(kEnc, iv.mech(CKM_AES_CBC), k, bad_pt, ct), CKR_OK);
  CK_MECHANISM pad = iv.mech(CKM_AES_CBC_PAD);
  ASSERT_EQ(init(kDec, pad, k), CKR_OK);
  Bytes out(ct.size(), 0xAA);
  CK_ULONG n = static_cast<CK_ULONG>(out.size());
  EXPECT_EQ(f->C_Decrypt(rw_, ct.data(), static_cast<CK_ULONG>(ct.size()), out.data(), &n), CKR_ENCRYPTED_DATA_INVALID);
  for (std::size_t block = 0; block < bad_pt.size(); block += 16) {
    const auto first = bad_pt.begin() + static_cast<std::ptrdiff_t>(block);
    EXPECT_EQ(std::search(out.begin(), out.end(), first, first + 16), out.end()) << "plaintext block " << block / 16;
  }
  EXPECT_EQ(f->C_DecryptFinal(rw_, nullptr, &n), CKR_OPERATION_NOT_INITIALIZED);  // the failure ended it
}

// ---- output-buffer rules -----------------------------------------------------------------------------

TEST_F(AesTest, BufferTooSmallKeepsTheOperation) {
  const CK_OBJECT_HANDLE k = key(kKey128);
  CbcParam iv(kIv);
  CK_MECHANISM m = iv.mech(CKM_AES_CBC_PAD);
  const Bytes expected = evp("AES-128-CBC", kKey128, kIv, kPlain, true, true);
  // Single part: the length query is an upper bound, a short buffer reports the size, the
  // repeated call delivers.
  ASSERT_EQ(f->C_EncryptInit(rw_, &m, k), CKR_OK);
  CK_ULONG n = 0;
  ASSERT_EQ(f->C_Encrypt(rw_, const_cast<CK_BYTE*>(kPlain.data()), kPlain.size(), nullptr, &n), CKR_OK);
  EXPECT_GE(n, expected.size());
  Bytes out(expected.size());
  n = 10;
  ASSERT_EQ(f->C_Encrypt(rw_, const_cast<CK_BYTE*>(kPlain.data()), kPlain.size(), out.data(), &n), CKR_BUFFER_TOO_SMALL);
  EXPECT_EQ(n, expected.size());
  ASSERT_EQ(f->C_Encrypt(rw_, const_cast<CK_BYTE*>(kPlain.data()), kPlain.size(), out.data(), &n), CKR_OK);
  EXPECT_EQ(out, expected);
  // Multi-part: a short buffer on update and final.
  ASSERT_EQ(f->C_EncryptInit(rw_, &m, k), CKR_OK);
  n = 1;
  ASSERT_EQ(f->C_EncryptUpdate(rw_, const_cast<CK_BYTE*>(kPlain.data()), 40, out.data(), &n), CKR_BUFFER_TOO_SMALL);
  EXPECT_EQ(n, 32u);
  ASSERT_EQ(f->C_EncryptUpdate(rw_, const_cast<CK_BYTE*>(kPlain.data()), 40, out.data(), &n), CKR_OK);
  n = out.size() - 32;
  ASSERT_EQ(f->C_EncryptUpdate(rw_, const_cast<CK_BYTE*>(kPlain.data()) + 40, 24, out.data() + 32, &n), CKR_OK);
  EXPECT_EQ(n, 32u);
  Bytes last(16);
  n = 15;
  ASSERT_EQ(f->C_EncryptFinal(rw_, last.data(), &n), CKR_BUFFER_TOO_SMALL);
  EXPECT_EQ(n, 16u);
  ASSERT_EQ(f->C_EncryptFinal(rw_, last.data(), &n), CKR_OK);
  out.insert(out.begin() + 64, last.begin(), last.end());
  out.resize(80);
  EXPECT_EQ(out, expected);
}

TEST_F(AesTest, GcmBufferTooSmallOnDecryptFinal) {
  const Bytes k_bytes = hex("feffe9928665731c6d6a8f9467308308");
  const CK_OBJECT_HANDLE k = key(k_bytes);
  GcmParam g(hex("cafebabefacedbaddecaf888"), Bytes(), 128);
  CK_MECHANISM m = g.mech();
  const Bytes pt = random_bytes(37);
  Bytes ct;
  ASSERT_EQ(run(kEnc, m, k, pt, ct), CKR_OK);
  ASSERT_EQ(f->C_DecryptInit(rw_, &m, k), CKR_OK);
  Bytes out(64);
  CK_ULONG n = out.size();
  ASSERT_EQ(f->C_DecryptUpdate(rw_, ct.data(), ct.size(), out.data(), &n), CKR_OK);
  EXPECT_EQ(n, 0u);  // nothing before the tag is checked
  n = 0;
  ASSERT_EQ(f->C_DecryptFinal(rw_, nullptr, &n), CKR_OK);
  EXPECT_GE(n, pt.size());
  n = 36;
  ASSERT_EQ(f->C_DecryptFinal(rw_, out.data(), &n), CKR_BUFFER_TOO_SMALL);
  EXPECT_EQ(n, 37u);
  ASSERT_EQ(f->C_DecryptFinal(rw_, out.data(), &n), CKR_OK);
  out.resize(n);
  EXPECT_EQ(out, pt);
}

// ---- CTR -----------------------------------------------------------------------------------------

TEST_F(AesTest, CtrKnownAnswerSingleAndMultiPart) {
  const CK_OBJECT_HANDLE k = key(kKey128);
  CtrParam ctr(hex("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff"), 128);
  const Bytes expected = hex(
      "874d6191b620e3261bef6864990db6ce9806f66b7970fdff8617187bb9fffdff5ae4df3edbd5d35e5b4f09020db03eab1e031dda2fbe03d1792170a0f3009cee");
  expect_cipher(ctr.mech(), k, kPlain, expected);
  // Partial blocks are fine.
  expect_cipher(ctr.mech(), k, Bytes(kPlain.begin(), kPlain.begin() + 23), Bytes(expected.begin(), expected.begin() + 23));
}

TEST_F(AesTest, CtrRefusesToWrapTheCounter) {
  const CK_OBJECT_HANDLE k = key(kKey128);
  Bytes cb(16, 0x5a);
  cb[15] = 0xfe;  // an 8-bit counter at 0xfe leaves two blocks
  CtrParam ctr(cb, 8);
  Bytes out;
  EXPECT_EQ(run(kEnc, ctr.mech(), k, Bytes(32, 0), out), CKR_OK);
  // Within the counter space the result is plain CTR.
  EXPECT_EQ(out, evp("AES-128-CTR", kKey128, cb, Bytes(32, 0), true, false));
  EXPECT_EQ(run(kEnc, ctr.mech(), k, Bytes(33, 0), out), CKR_DATA_LEN_RANGE);
  EXPECT_EQ(run_parts(kEnc, ctr.mech(), k, Bytes(40, 0), {17, 15}, out), CKR_DATA_LEN_RANGE);
  // A 64-bit counter whose low half is all ones: one block only.
  Bytes cb64(16, 0xff);
  CtrParam ctr64(cb64, 64);
  EXPECT_EQ(run(kDec, ctr64.mech(), k, Bytes(16, 0), out), CKR_OK);
  EXPECT_EQ(run(kDec, ctr64.mech(), k, Bytes(17, 0), out), CKR_DATA_LEN_RANGE);
  // A 128-bit counter about to wrap likewise.
  CtrParam ctr128(cb64, 128);
  EXPECT_EQ(run(kEnc, ctr128.mech(), k, Bytes(17, 0), out), CKR_DATA_LEN_RANGE);
  for (CK_ULONG bits : {0UL, 129UL, 1000UL}) {
    CtrParam bad(cb, bits);
    CK_MECHANISM m = bad.mech();
    EXPECT_EQ(f->C_EncryptInit(rw_, &m, k), CKR_MECHANISM_PARAM_INVALID) << bits;
  }
  CK_MECHANISM short_param{CKM_AES_CTR, cb.data(), 16};
  EXPECT_EQ(f->C_EncryptInit(rw_, &short_param, k), CKR_MECHANISM_PARAM_INVALID);
}

// ---- CTS (CBC-CS3) -----------------------------------------------------------------------------------

TEST_F(AesTest, CtsKnownAnswersRfc3962) {
  const CK_OBJECT_HANDLE k = key(hex("636869636b656e207465726979616b69"));
  CbcParam iv(Bytes(16, 0));
  const std::string text = "I would like the General Gau's Chicken, please, and wonton soup.";
  const Bytes all(text.begin(), text.end());
  const std::vector<std::pair<std::size_t, const char*>> cases = {
      {17, "c6353568f2bf8cb4d8a580362da7ff7f97"},
      {31, "fc00783e0efdb2c1d445d4c8eff7ed2297687268d6ecccc0c07b25e25ecfe5"},
      {32, "39312523a78662d5be7fcbcc98ebf5a897687268d6ecccc0c07b25e25ecfe584"},
      {47, "97687268d6ecccc0c07b25e25ecfe584b3fffd940c16a18c1b5549d2f838029e39312523a78662d5be7fcbcc98ebf5"},
      {48, "97687268d6ecccc0c07b25e25ecfe5849dad8bbb96c4cdc03bc103e1a194bbd839312523a78662d5be7fcbcc98ebf5a8"},
      {64, "97687268d6ecccc0c07b25e25ecfe58439312523a78662d5be7fcbcc98ebf5a84807efe836ee89a526730dbc2f7bc840"
           "9dad8bbb96c4cdc03bc103e1a194bbd8"},
  };
  for (const auto& [len, ct] : cases) {
    SCOPED_TRACE(len);
    expect_cipher(iv.mech(CKM_AES_CTS), k, Bytes(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(len)), hex(ct));
  }
}

TEST_F(AesTest, CtsLengthsAndLongMessages) {
  const Bytes key_bytes = random_bytes(24);
  const CK_OBJECT_HANDLE k = key(key_bytes);
  CbcParam iv(random_bytes(16));
  // Exactly one block is plain CBC.
  const Bytes one = random_bytes(16);
  expect_cipher(iv.mech(CKM_AES_CTS), k, one, evp("AES-192-CBC", key_bytes, iv.iv, one, true, false));
  // Whole-block messages longer than one block equal CBC with the last two blocks swapped.
  const Bytes pt = random_bytes(80);
  Bytes cbc = evp("AES-192-CBC", key_bytes, iv.iv, pt, true, false);
  std::swap_ranges(cbc.end() - 32, cbc.end() - 16, cbc.end() - 16);
  expect_cipher(iv.mech(CKM_AES_CTS), k, pt, cbc);
  // Long odd lengths round-trip through single and multi-part in both directions.
  for (std::size_t len : {33u, 100u, 257u}) {
    const Bytes p = random_bytes(len);
    Bytes c1, c2, back;
    ASSERT_EQ(run(kEnc, iv.mech(CKM_AES_CTS), k, p, c1), CKR_OK);
    ASSERT_EQ(run_parts(kEnc, iv.mech(CKM_AES_CTS), k, p, {1, 40, 3, 17}, c2), CKR_OK);
    EXPECT_EQ(c1, c2);
    ASSERT_EQ(run_parts(kDec, iv.mech(CKM_AES_CTS), k, c1, {31, 2, 64}, back), CKR_OK);
    EXPECT_EQ(back, p);
  }
  Bytes out;
  EXPECT_EQ(run(kEnc, iv.mech(CKM_AES_CTS), k, Bytes(15, 0), out), CKR_DATA_LEN_RANGE);
  EXPECT_EQ(run(kDec, iv.mech(CKM_AES_CTS), k, Bytes(15, 0), out), CKR_ENCRYPTED_DATA_LEN_RANGE);
  EXPECT_EQ(run_parts(kEnc, iv.mech(CKM_AES_CTS), k, Bytes(10, 0), {4}, out), CKR_DATA_LEN_RANGE);
}

// ---- GCM -----------------------------------------------------------------------------------------

// The GCM specification's test cases 4 (96-bit IV) and 6 (60-byte IV), AES-128.
const Bytes kGcmKey = hex("feffe9928665731c6d6a8f9467308308");
const Bytes kGcmPlain = hex(
    "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39");
const Bytes kGcmAad = hex("feedfacedeadbeeffeedfacedeadbeefabaddad2");
const Bytes kGcmIv4 = hex("cafebabefacedbaddecaf888");
const Bytes kGcmCt4 = hex(
    "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091");
const Bytes kGcmTag4 = hex("5bc94fbc3221a5db94fae95ae7121a47");

Bytes cat(Bytes a, const Bytes& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

TEST_F(AesTest, GcmKnownAnswers) {
  const CK_OBJECT_HANDLE k = key(kGcmKey);
  {
    GcmParam g(kGcmIv4, kGcmAad, 128);
    expect_cipher(g.mech(), k, kGcmPlain, cat(kGcmCt4, kGcmTag4));
  }
  {
    const Bytes iv6 = hex(
        "9313225df88406e555909c5aff5269aa6a7a9538534f7da1e4c303d2a318a728c3c0c95156809539fcf0e2429a6b525416aedbf5a0de6a57a637b39b");
    GcmParam g(iv6, kGcmAad, 128);
    expect_cipher(g.mech(), k, kGcmPlain,
                  hex("8ce24998625615b603a033aca13fb894be9112a5c3a211a8ba262a3cca7e2ca701e4a9a4fba43c90ccdcb281d48c7c6fd62875d2aca417034c34aee5"
                      "619cc5aefffe0bfa462af43c1699d050"));
  }
  {
    // A truncated tag is the tag's prefix (SP 800-38D §7.1 step 6).
    GcmParam g(kGcmIv4, kGcmAad, 96);
    expect_cipher(g.mech(), k, kGcmPlain, cat(kGcmCt4, Bytes(kGcmTag4.begin(), kGcmTag4.begin() + 12)));
  }
}

// A running operation holds its key: destroying the key object (or changing it, which makes a
// new snapshot) between Init and the last call changes nothing for the operation, single-part or
// multi-part, in either direction; under ASan this also checks that the keyed context's pool the
// operation returns its context to is still there.
TEST_F(AesTest, GcmOperationOutlivesItsKeyObject) {
  GcmParam g(kGcmIv4, kGcmAad, 128);
  CK_MECHANISM m = g.mech();
  const Bytes sealed = cat(kGcmCt4, kGcmTag4);
  for (int round = 0; round < 3; ++round) {  // later rounds start from a pooled context
    {  // single-part encryption
      const CK_OBJECT_HANDLE k = key(kGcmKey);
      ASSERT_EQ(f->C_EncryptInit(rw_, &m, k), CKR_OK);
      ASSERT_EQ(f->C_DestroyObject(rw_, k), CKR_OK);
      Bytes out(sealed.size());
      CK_ULONG n = out.size();
      ASSERT_EQ(f->C_Encrypt(rw_, ptr(kGcmPlain), kGcmPlain.size(), out.data(), &n), CKR_OK);
      out.resize(n);
      EXPECT_EQ(out, sealed);
    }
    {  // multi-part decryption, the key destroyed between the parts
      const CK_OBJECT_HANDLE k = key(kGcmKey);
      ASSERT_EQ(f->C_DecryptInit(rw_, &m, k), CKR_OK);
      Bytes out(sealed.size());
      CK_ULONG n = out.size();
      ASSERT_EQ(f->C_DecryptUpdate(rw_, ptr(sealed), 20, out.data(), &n), CKR_OK);
      ASSERT_EQ(f->C_DestroyObject(rw_, k), CKR_OK);
      CK_ULONG n2 = out.size() - n;
      ASSERT_EQ(f->C_DecryptUpdate(rw_, ptr(sealed) + 20, sealed.size() - 20, out.data() + n, &n2), CKR_OK);
      CK_ULONG n3 = out.size() - n - n2;
      ASSERT_EQ(f->C_DecryptFinal(rw_, out.data() + n + n2, &n3), CKR_OK);
      out.resize(n + n2 + n3);
      EXPECT_EQ(out, kGcmPlain);
    }
  }
}

TEST_F(AesTest, GcmIvLengthsAndTagSizesMatchOpenSsl) {
  const Bytes key_bytes = random_bytes(32);
  const CK_OBJECT_HANDLE k = key(key_bytes);
  const Bytes pt = random_bytes(45);
  const Bytes aad = random_bytes(17);
  for (std::size_t iv_len : {1u, 8u, 12u, 16u, 17u, 64u, 128u}) {
    for (CK_ULONG tag_bits : {32UL, 64UL, 96UL, 104UL, 112UL, 120UL, 128UL}) {
      SCOPED_TRACE(testing::Message() << iv_len << "/" << tag_bits);
      GcmParam g(random_bytes(iv_len), aad, tag_bits);
      expect_cipher(g.mech(), k, pt, evp_gcm(key_bytes, g.iv, aad, pt, tag_bits / 8));
    }
  }
  // Empty plaintext and empty AAD (GMAC-like use).
  GcmParam g(random_bytes(12), Bytes(), 128);
  expect_cipher(g.mech(), k, Bytes(), evp_gcm(key_bytes, g.iv, Bytes(), Bytes(), 16));
}

TEST_F(AesTest, GcmIvLongerThan128Bytes) {
  // Computed with an independent GHASH reference that reproduces every valid Wycheproof AES-GCM
  // case, including the 2056-bit IVs: IV = 00 01 .. c7 (200 bytes), plaintext = 00 .. 27.
  const CK_OBJECT_HANDLE k = key(kGcmKey);
  Bytes iv(200), pt(40);
  for (std::size_t i = 0; i < iv.size(); ++i) iv[i] = static_cast<std::uint8_t>(i);
  for (std::size_t i = 0; i < pt.size(); ++i) pt[i] = static_cast<std::uint8_t>(i);
  GcmParam g(iv, hex("feedfacedeadbeef"), 128);
  expect_cipher(g.mech(), k, pt,
                hex("3307cfdd4c4d583bc6719f36295bb86bc811ad65416e946344d15078f2d3853a4a6da6c0f04e8f89"
                    "d66d01102e553a2dce49814437d52650"));
  GcmParam g256(Bytes(256, 0xa5), Bytes(), 128);
  Bytes ct, back;
  ASSERT_EQ(run(kEnc, g256.mech(), k, pt, ct), CKR_OK);
  ASSERT_EQ(run(kDec, g256.mech(), k, ct, back), CKR_OK);
  EXPECT_EQ(back, pt);
}

TEST_F(AesTest, GcmParameterLayouts) {
  const CK_OBJECT_HANDLE k = key(kGcmKey);
  const Bytes expected = cat(kGcmCt4, kGcmTag4);
  // PyKCS11 sends ulIvBits = 0; others send 8 * ulIvLen. Both are the 48-byte layout.
  for (CK_ULONG iv_bits : {0UL, 96UL}) {
    GcmParam g(kGcmIv4, kGcmAad, 128);
    g.p.ulIvBits = iv_bits;
    Bytes out;
    ASSERT_EQ(run(kEnc, g.mech(), k, kGcmPlain, out), CKR_OK);
    EXPECT_EQ(out, expected);
  }
  // The 40-byte layout of the 2.40 document (no ulIvBits).
  struct Gcm240 {
    CK_BYTE_PTR pIv;
    CK_ULONG ulIvLen;
    CK_BYTE_PTR pAAD;
    CK_ULONG ulAADLen;
    CK_ULONG ulTagBits;
  } legacy{ptr(kGcmIv4), 12, ptr(kGcmAad), static_cast<CK_ULONG>(kGcmAad.size()), 128};
  static_assert(sizeof(Gcm240) == 40);
  CK_MECHANISM m{CKM_AES_GCM, &legacy, sizeof legacy};
  Bytes out;
  ASSERT_EQ(run(kEnc, m, k, kGcmPlain, out), CKR_OK);
  EXPECT_EQ(out, expected);
}

TEST_F(AesTest, GcmParameterValuesChecked) {
  const CK_OBJECT_HANDLE k = key(kGcmKey);
  for (CK_ULONG tag_bits : {0UL, 8UL, 24UL, 100UL, 136UL, 256UL}) {
    GcmParam g(kGcmIv4, Bytes(), tag_bits);
    CK_MECHANISM m = g.mech();
    EXPECT_EQ(f->C_EncryptInit(rw_, &m, k), CKR_MECHANISM_PARAM_INVALID) << tag_bits;
    EXPECT_EQ(f->C_DecryptInit(rw_, &m, k), CKR_MECHANISM_PARAM_INVALID) << tag_bits;
  }
  GcmParam no_iv(Bytes(), Bytes(), 128);
  CK_MECHANISM m = no_iv.mech();
  EXPECT_EQ(f->C_EncryptInit(rw_, &m, k), CKR_MECHANISM_PARAM_INVALID);
  GcmParam g(kGcmIv4, Bytes(), 128);
  CK_MECHANISM wrong_len{CKM_AES_GCM, &g.p, 44};
  EXPECT_EQ(f->C_EncryptInit(rw_, &wrong_len, k), CKR_MECHANISM_PARAM_INVALID);
  CK_MECHANISM none{CKM_AES_GCM, nullptr, 0};
  EXPECT_EQ(f->C_EncryptInit(rw_, &none, k), CKR_MECHANISM_PARAM_INVALID);
}

TEST_F(AesTest, GcmRejectsTamperedInput) {
  const CK_OBJECT_HANDLE k = key(kGcmKey);
  GcmParam g(kGcmIv4, kGcmAad, 128);
  const Bytes good = cat(kGcmCt4, kGcmTag4);
  for (std::size_t pos : {std::size_t{0}, std::size_t{30}, good.size() - 16, good.size() - 1}) {
    Bytes bad = good;
    bad[pos] ^= 0x01;
    Bytes out;
    EXPECT_EQ(run(kDec, g.mech(), k, bad, out), CKR_ENCRYPTED_DATA_INVALID) << pos;
    EXPECT_EQ(run_parts(kDec, g.mech(), k, bad, {13}, out), CKR_ENCRYPTED_DATA_INVALID) << pos;
  }
  GcmParam other_aad(kGcmIv4, Bytes(kGcmAad.begin(), kGcmAad.end() - 1), 128);
  Bytes out;
  EXPECT_EQ(run(kDec, other_aad.mech(), k, good, out), CKR_ENCRYPTED_DATA_INVALID);
  EXPECT_EQ(run(kDec, g.mech(), k, Bytes(15, 0), out), CKR_ENCRYPTED_DATA_LEN_RANGE);
}

// ---- CCM -----------------------------------------------------------------------------------------

TEST_F(AesTest, CcmKnownAnswers) {
  {
    // SP 800-38C Appendix C, example 1.
    const CK_OBJECT_HANDLE k = key(hex("404142434445464748494a4b4c4d4e4f"));
    CcmParam c(4, hex("10111213141516"), hex("0001020304050607"), 4);
    expect_cipher(c.mech(), k, hex("20212223"), hex("7162015b4dac255d"));
  }
  {
    // RFC 3610 packet vector #1.
    const CK_OBJECT_HANDLE k = key(hex("c0c1c2c3c4c5c6c7c8c9cacbcccdcecf"));
    CcmParam c(23, hex("00000003020100a0a1a2a3a4a5"), hex("0001020304050607"), 8);
    expect_cipher(c.mech(), k, hex("08090a0b0c0d0e0f101112131415161718191a1b1c1d1e"),
                  hex("588c979a61c663d2f066d0c2c0f989806d5f6b61dac38417e8d12cfdf926e0"));
  }
}

TEST_F(AesTest, CcmLengthAndParameterChecks) {
  const CK_OBJECT_HANDLE k = key(hex("404142434445464748494a4b4c4d4e4f"));
  const Bytes nonce = hex("10111213141516");
  Bytes out;
  {
    CcmParam c(5, nonce, Bytes(), 8);
    EXPECT_EQ(run(kEnc, c.mech(), k, Bytes(4, 0), out), CKR_DATA_LEN_RANGE);
    EXPECT_EQ(run(kEnc, c.mech(), k, Bytes(6, 0), out), CKR_DATA_LEN_RANGE);
    EXPECT_EQ(run_parts(kEnc, c.mech(), k, Bytes(7, 0), {3}, out), CKR_DATA_LEN_RANGE);
    EXPECT_EQ(run_parts(kEnc, c.mech(), k, Bytes(4, 0), {3}, out), CKR_DATA_LEN_RANGE);
    EXPECT_EQ(run(kDec, c.mech(), k, Bytes(12, 0), out), CKR_ENCRYPTED_DATA_LEN_RANGE);
    Bytes ct;
    ASSERT_EQ(run(kEnc, c.mech(), k, Bytes(5, 7), ct), CKR_OK);
    ct[2] ^= 0x80;
    EXPECT_EQ(run(kDec, c.mech(), k, ct, out), CKR_ENCRYPTED_DATA_INVALID);
    EXPECT_EQ(run_parts(kDec, c.mech(), k, ct, {4}, out), CKR_ENCRYPTED_DATA_INVALID);
  }
  for (std::size_t nonce_len : {0u, 6u, 14u}) {
    CcmParam c(4, Bytes(nonce_len, 1), Bytes(), 8);
    CK_MECHANISM m = c.mech();
    EXPECT_EQ(f->C_EncryptInit(rw_, &m, k), CKR_MECHANISM_PARAM_INVALID) << nonce_len;
  }
  for (CK_ULONG mac : {0UL, 2UL, 3UL, 5UL, 18UL}) {
    CcmParam c(4, nonce, Bytes(), mac);
    CK_MECHANISM m = c.mech();
    EXPECT_EQ(f->C_EncryptInit(rw_, &m, k), CKR_MECHANISM_PARAM_INVALID) << mac;
  }
  // A 13-byte nonce leaves 2 bytes for the length: 65536 does not fit.
  CcmParam big(65536, Bytes(13, 1), Bytes(), 8);
  CK_MECHANISM m = big.mech();
  EXPECT_EQ(f->C_EncryptInit(rw_, &m, k), CKR_MECHANISM_PARAM_INVALID);
}

// ---- key wrap -------------------------------------------------------------------------------------

TEST_F(AesTest, KeyWrapKnownAnswersAsData) {
  CK_MECHANISM kw{CKM_AES_KEY_WRAP, nullptr, 0};
  CK_MECHANISM kwp{CKM_AES_KEY_WRAP_KWP, nullptr, 0};
  // RFC 3394 §4.1 and §4.6.
  expect_single(kw, key(hex("000102030405060708090a0b0c0d0e0f")), hex("00112233445566778899aabbccddeeff"),
                hex("1fa68b0a8112b447aef34bd8fb5a7b829d3e862371d2cfe5"));
  expect_single(kw, key(hex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f")),
                hex("00112233445566778899aabbccddeeff000102030405060708090a0b0c0d0e0f"),
                hex("28c9f404c4b810f4cbccb35cfb87f8263f5786e2d80ed326cbc7f0e71a99f43bfb988b9b7a02dd21"));
  // RFC 5649 §6.
  const CK_OBJECT_HANDLE kek = key(hex("5840df6e29b02af1ab493b705bf16ea1ae8338f4dcc176a8"));
  expect_single(kwp, kek, hex("c37b7e6492584340bed12207808941155068f738"),
                hex("138bdeaa9b8fa7fc61f97742e72248ee5ae6ae5360d1ae6a5f54f373fa543b6a"));
  expect_single(kwp, kek, hex("466f7250617369"), hex("afbeb0f07dfbf5419200f2ccb50bb24f"));
  // Multi-part calls collect the input.
  Bytes out;
  ASSERT_EQ(run_parts(kEnc, kwp, kek, hex("c37b7e6492584340bed12207808941155068f738"), {3, 7}, out), CKR_OK);
  EXPECT_EQ(out, hex("138bdeaa9b8fa7fc61f97742e72248ee5ae6ae5360d1ae6a5f54f373fa543b6a"));
}

TEST_F(AesTest, KeyWrapIntegrityLengthsAndIv) {
  const CK_OBJECT_HANDLE k = key(hex("000102030405060708090a0b0c0d0e0f"));
  CK_MECHANISM kw{CKM_AES_KEY_WRAP, nullptr, 0};
  CK_MECHANISM kwp{CKM_AES_KEY_WRAP_KWP, nullptr, 0};
  Bytes out;
  Bytes bad = hex("1fa68b0a8112b447aef34bd8fb5a7b829d3e862371d2cfe5");
  bad[5] ^= 1;
  EXPECT_EQ(run(kDec, kw, k, bad, out), CKR_ENCRYPTED_DATA_INVALID);
  EXPECT_EQ(run(kDec, kwp, k, bad, out), CKR_ENCRYPTED_DATA_INVALID);
  EXPECT_EQ(run(kEnc, kw, k, Bytes(12, 0), out), CKR_DATA_LEN_RANGE);
  EXPECT_EQ(run(kEnc, kw, k, Bytes(8, 0), out), CKR_DATA_LEN_RANGE);
  EXPECT_EQ(run(kEnc, kwp, k, Bytes(), out), CKR_DATA_LEN_RANGE);
  EXPECT_EQ(run(kDec, kw, k, Bytes(16, 0), out), CKR_ENCRYPTED_DATA_LEN_RANGE);
  EXPECT_EQ(run(kDec, kwp, k, Bytes(20, 0), out), CKR_ENCRYPTED_DATA_LEN_RANGE);
  // An explicit IV: the RFC default gives the default result, another IV a different one that
  // only that IV unwraps.
  Bytes default_iv = hex("a6a6a6a6a6a6a6a6"), other_iv = hex("0123456789abcdef");
  CK_MECHANISM kw_default{CKM_AES_KEY_WRAP, default_iv.data(), 8};
  CK_MECHANISM kw_other{CKM_AES_KEY_WRAP, other_iv.data(), 8};
  const Bytes data = hex("00112233445566778899aabbccddeeff");
  expect_single(kw_default, k, data, hex("1fa68b0a8112b447aef34bd8fb5a7b829d3e862371d2cfe5"));
  Bytes ct;
  ASSERT_EQ(run(kEnc, kw_other, k, data, ct), CKR_OK);
  EXPECT_NE(ct, hex("1fa68b0a8112b447aef34bd8fb5a7b829d3e862371d2cfe5"));
  EXPECT_EQ(run(kDec, kw, k, ct, out), CKR_ENCRYPTED_DATA_INVALID);
  ASSERT_EQ(run(kDec, kw_other, k, ct, out), CKR_OK);
  EXPECT_EQ(out, data);
  Bytes kwp_iv = hex("a65959a6");
  CK_MECHANISM kwp_default{CKM_AES_KEY_WRAP_KWP, kwp_iv.data(), 4};
  ASSERT_EQ(run(kEnc, kwp_default, k, data, ct), CKR_OK);
  ASSERT_EQ(run(kEnc, kwp, k, data, out), CKR_OK);
  EXPECT_EQ(ct, out);
  CK_MECHANISM kw_bad_iv{CKM_AES_KEY_WRAP, other_iv.data(), 4};
  CK_MECHANISM kwp_bad_iv{CKM_AES_KEY_WRAP_KWP, other_iv.data(), 8};
  EXPECT_EQ(f->C_EncryptInit(rw_, &kw_bad_iv, k), CKR_MECHANISM_PARAM_INVALID);
  EXPECT_EQ(f->C_EncryptInit(rw_, &kwp_bad_iv, k), CKR_MECHANISM_PARAM_INVALID);
}

// C_WrapKey / C_UnwrapKey of an AES-256 key with every wrapping mechanism; the unwrapped key
// must work like the original.
TEST_F(AesTest, WrapUnwrapRoundTrips) {
  const Bytes secret = random_bytes(32);
  const CK_OBJECT_HANDLE target = key(secret, CKK_AES, {{CKA_SENSITIVE, true}});
  const CK_OBJECT_HANDLE kek = key(random_bytes(16));
  CbcParam iv(random_bytes(16));
  GcmParam gcm(random_bytes(12), hex("0badc0de"), 128);
  Bytes kw_iv = hex("0123456789abcdef");
  std::vector<std::pair<CK_MECHANISM, std::size_t>> mechs = {
      {CK_MECHANISM{CKM_AES_KEY_WRAP, nullptr, 0}, 40},
      {CK_MECHANISM{CKM_AES_KEY_WRAP, kw_iv.data(), 8}, 40},
      {CK_MECHANISM{CKM_AES_KEY_WRAP_KWP, nullptr, 0}, 40},
      {iv.mech(CKM_AES_CBC_PAD), 48},
      {gcm.mech(), 48},
  };
  CbcParam data_iv(random_bytes(16));
  Bytes reference;
  ASSERT_EQ(run(kEnc, data_iv.mech(CKM_AES_CBC_PAD), target, kPlain, reference), CKR_OK);
  for (auto& [m, wrapped_len] : mechs) {
    SCOPED_TRACE(testing::Message() << std::hex << m.mechanism);
    CK_ULONG n = 0;
    ASSERT_EQ(f->C_WrapKey(rw_, &m, kek, target, nullptr, &n), CKR_OK);
    EXPECT_EQ(n, wrapped_len);
    Bytes wrapped(n);
    n = 3;
    ASSERT_EQ(f->C_WrapKey(rw_, &m, kek, target, wrapped.data(), &n), CKR_BUFFER_TOO_SMALL);
    ASSERT_EQ(f->C_WrapKey(rw_, &m, kek, target, wrapped.data(), &n), CKR_OK);
    ASSERT_EQ(n, wrapped_len);
    Template t;
    t.ulong(CKA_CLASS, CKO_SECRET_KEY).ulong(CKA_KEY_TYPE, CKK_AES).boolean(CKA_DECRYPT, true)
        .boolean(CKA_ENCRYPT, true).boolean(CKA_SENSITIVE, true);
    CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;
    ASSERT_EQ(f->C_UnwrapKey(rw_, &m, kek, wrapped.data(), n, t.data(), t.size(), &h), CKR_OK);
    EXPECT_EQ(get_ulong(h, CKA_VALUE_LEN), 32u);
    EXPECT_FALSE(get_bool(h, CKA_LOCAL));
    Bytes pt;
    ASSERT_EQ(run(kDec, data_iv.mech(CKM_AES_CBC_PAD), h, reference, pt), CKR_OK);
    EXPECT_EQ(pt, kPlain);
    // Tampering is detected (for CBC_PAD only when the padding breaks, so not tested there).
    if (m.mechanism != CKM_AES_CBC_PAD) {
      wrapped[wrapped.size() - 1] ^= 0x40;
      EXPECT_EQ(f->C_UnwrapKey(rw_, &m, kek, wrapped.data(), n, t.data(), t.size(), &h), CKR_WRAPPED_KEY_INVALID);
    }
    EXPECT_EQ(f->C_UnwrapKey(rw_, &m, kek, wrapped.data(), 7, t.data(), t.size(), &h), CKR_WRAPPED_KEY_LEN_RANGE);
  }
}

TEST_F(AesTest, WrapKeyPolicy) {
  const CK_OBJECT_HANDLE kek = key(random_bytes(32));
  const CK_OBJECT_HANDLE locked = key(random_bytes(16), CKK_AES, {{CKA_EXTRACTABLE, false}, {CKA_SENSITIVE, true}});
  const CK_OBJECT_HANDLE target = key(random_bytes(16));
  CK_MECHANISM kw{CKM_AES_KEY_WRAP, nullptr, 0};
  Bytes out(64);
  CK_ULONG n = out.size();
  EXPECT_EQ(f->C_WrapKey(rw_, &kw, kek, locked, out.data(), &n), CKR_KEY_UNEXTRACTABLE);
  const CK_OBJECT_HANDLE no_wrap = key(random_bytes(32), CKK_AES, {{CKA_WRAP, false}});
  n = out.size();
  EXPECT_EQ(f->C_WrapKey(rw_, &kw, no_wrap, target, out.data(), &n), CKR_KEY_FUNCTION_NOT_PERMITTED);
  const CK_OBJECT_HANDLE hmac = key(random_bytes(32), CKK_GENERIC_SECRET);
  n = out.size();
  EXPECT_EQ(f->C_WrapKey(rw_, &kw, hmac, target, out.data(), &n), CKR_WRAPPING_KEY_TYPE_INCONSISTENT);
  // A 20-byte generic secret is no multiple of 8: KW cannot wrap it, KWP can.
  const CK_OBJECT_HANDLE odd = key(random_bytes(20), CKK_GENERIC_SECRET);
  n = out.size();
  EXPECT_EQ(f->C_WrapKey(rw_, &kw, kek, odd, out.data(), &n), CKR_KEY_SIZE_RANGE);
  CK_MECHANISM kwp{CKM_AES_KEY_WRAP_KWP, nullptr, 0};
  n = out.size();
  ASSERT_EQ(f->C_WrapKey(rw_, &kwp, kek, odd, out.data(), &n), CKR_OK);
  EXPECT_EQ(n, 32u);
  Template t;
  t.ulong(CKA_CLASS, CKO_SECRET_KEY).ulong(CKA_KEY_TYPE, CKK_GENERIC_SECRET).boolean(CKA_SENSITIVE, false)
      .boolean(CKA_EXTRACTABLE, true);
  CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;
  ASSERT_EQ(f->C_UnwrapKey(rw_, &kwp, kek, out.data(), n, t.data(), t.size(), &h), CKR_OK);
  EXPECT_EQ(get_bytes(h, CKA_VALUE), get_bytes(odd, CKA_VALUE));
}

// ---- CMAC -----------------------------------------------------------------------------------------

TEST_F(AesTest, CmacKnownAnswersRfc4493) {
  const CK_OBJECT_HANDLE k = key(kKey128);
  const std::vector<std::pair<std::size_t, const char*>> cases = {
      {0, "bb1d6929e95937287fa37d129b756746"},
      {16, "070a16b46b4d4144f79bdd9dd04a287c"},
      {40, "dfa66747de9ae63030ca32611497c827"},
      {64, "51f0bebf7e3b9d92fc49741779363cfe"},
  };
  CK_MECHANISM m{CKM_AES_CMAC, nullptr, 0};
  for (const auto& [len, mac] : cases) {
    SCOPED_TRACE(len);
    const Bytes msg(kPlain.begin(), kPlain.begin() + static_cast<std::ptrdiff_t>(len));
    const Bytes expected = hex(mac);
    EXPECT_EQ(sign(m, k, msg), expected);
    EXPECT_EQ(sign_parts(m, k, msg, 7), expected);
    EXPECT_EQ(verify(m, k, msg, expected), CKR_OK);
    EXPECT_EQ(verify_parts(m, k, msg, expected, 5), CKR_OK);
  }
}

TEST_F(AesTest, CmacGeneralAndVerificationFailures) {
  const CK_OBJECT_HANDLE k = key(kKey128);
  const Bytes msg(kPlain.begin(), kPlain.begin() + 40);
  const Bytes full = hex("dfa66747de9ae63030ca32611497c827");
  CK_MECHANISM cmac{CKM_AES_CMAC, nullptr, 0};
  Bytes bad = full;
  bad[0] ^= 1;
  EXPECT_EQ(verify(cmac, k, msg, bad), CKR_SIGNATURE_INVALID);
  EXPECT_EQ(verify_parts(cmac, k, msg, bad, 9), CKR_SIGNATURE_INVALID);
  EXPECT_EQ(verify(cmac, k, msg, Bytes(full.begin(), full.begin() + 15)), CKR_SIGNATURE_LEN_RANGE);
  EXPECT_EQ(verify_parts(cmac, k, msg, Bytes(17, 0), 9), CKR_SIGNATURE_LEN_RANGE);
  for (CK_ULONG len : {1UL, 4UL, 8UL, 16UL}) {
    CK_MAC_GENERAL_PARAMS p = len;
    CK_MECHANISM general{CKM_AES_CMAC_GENERAL, &p, sizeof p};
    const Bytes expected(full.begin(), full.begin() + static_cast<std::ptrdiff_t>(len));
    EXPECT_EQ(sign(general, k, msg), expected) << len;
    EXPECT_EQ(verify(general, k, msg, expected), CKR_OK) << len;
    EXPECT_EQ(verify(general, k, msg, full), len == 16 ? CKR_OK : CKR_SIGNATURE_LEN_RANGE) << len;
  }
  for (CK_ULONG len : {0UL, 17UL}) {
    CK_MAC_GENERAL_PARAMS p = len;
    CK_MECHANISM general{CKM_AES_CMAC_GENERAL, &p, sizeof p};
    EXPECT_EQ(f->C_SignInit(rw_, &general, k), CKR_MECHANISM_PARAM_INVALID) << len;
  }
  CK_MECHANISM no_param{CKM_AES_CMAC_GENERAL, nullptr, 0};
  EXPECT_EQ(f->C_SignInit(rw_, &no_param, k), CKR_MECHANISM_PARAM_INVALID);
  // AES-256 cross-check against a second call with the same key object (cached subkeys).
  const CK_OBJECT_HANDLE k256 = key(kKey256);
  EXPECT_EQ(sign(cmac, k256, msg), sign_parts(cmac, k256, msg, 3));
}

// ---- derivation -----------------------------------------------------------------------------------

TEST_F(AesTest, EncryptDataDerivation) {
  const CK_OBJECT_HANDLE base = key(kKey128);
  Bytes data(kPlain.begin(), kPlain.begin() + 32);
  CK_KEY_DERIVATION_STRING_DATA ecb_p{data.data(), static_cast<CK_ULONG>(data.size())};
  CK_MECHANISM ecb{CKM_AES_ECB_ENCRYPT_DATA, &ecb_p, sizeof ecb_p};
  CK_AES_CBC_ENCRYPT_DATA_PARAMS cbc_p{};
  std::copy(kIv.begin(), kIv.end(), cbc_p.iv);
  cbc_p.pData = data.data();
  cbc_p.length = static_cast<CK_ULONG>(data.size());
  CK_MECHANISM cbc{CKM_AES_CBC_ENCRYPT_DATA, &cbc_p, sizeof cbc_p};
  auto derive = [&](CK_MECHANISM m, std::optional<CK_ULONG> len, CK_OBJECT_HANDLE& h) {
    Template t;
    t.ulong(CKA_CLASS, CKO_SECRET_KEY).ulong(CKA_KEY_TYPE, CKK_AES).boolean(CKA_SENSITIVE, false)
        .boolean(CKA_EXTRACTABLE, true).boolean(CKA_ENCRYPT, true);
    if (len) t.ulong(CKA_VALUE_LEN, *len);
    return f->C_DeriveKey(rw_, &m, base, t.data(), t.size(), &h);
  };
  CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;
  ASSERT_EQ(derive(ecb, std::nullopt, h), CKR_OK);
  EXPECT_EQ(get_bytes(h, CKA_VALUE), hex("3ad77bb40d7a3660a89ecaf32466ef97f5d3d58503b9699de785895a96fdbaaf"));
  ASSERT_EQ(derive(ecb, 16, h), CKR_OK);
  EXPECT_EQ(get_bytes(h, CKA_VALUE), hex("3ad77bb40d7a3660a89ecaf32466ef97"));
  ASSERT_EQ(derive(cbc, std::nullopt, h), CKR_OK);
  EXPECT_EQ(get_bytes(h, CKA_VALUE), hex("7649abac8119b246cee98e9b12e9197d5086cb9b507219ee95db113a917678b2"));
  EXPECT_FALSE(get_bool(h, CKA_LOCAL));
  ASSERT_EQ(derive(cbc, 24, h), CKR_OK);
  EXPECT_EQ(get_ulong(h, CKA_VALUE_LEN), 24u);
  EXPECT_EQ(derive(cbc, 48, h), CKR_TEMPLATE_INCONSISTENT);
  ecb_p.ulLen = 15;
  EXPECT_EQ(derive(ecb, std::nullopt, h), CKR_MECHANISM_PARAM_INVALID);
  ecb_p.ulLen = 0;
  EXPECT_EQ(derive(ecb, std::nullopt, h), CKR_MECHANISM_PARAM_INVALID);
  const CK_OBJECT_HANDLE no_derive = key(kKey128, CKK_AES, {{CKA_DERIVE, false}});
  Template t;
  t.ulong(CKA_CLASS, CKO_SECRET_KEY).ulong(CKA_KEY_TYPE, CKK_AES);
  EXPECT_EQ(f->C_DeriveKey(rw_, &cbc, no_derive, t.data(), t.size(), &h), CKR_KEY_FUNCTION_NOT_PERMITTED);
}

// ---- key policy ------------------------------------------------------------------------------------

TEST_F(AesTest, KeyTypeUsageAndAllowedMechanisms) {
  CbcParam iv(kIv);
  CK_MECHANISM cbc = iv.mech(CKM_AES_CBC);
  GcmParam g(kGcmIv4, Bytes(), 128);
  CK_MECHANISM gcm = g.mech();
  CK_MECHANISM cmac{CKM_AES_CMAC, nullptr, 0};
  const CK_OBJECT_HANDLE hmac = key(random_bytes(16), CKK_GENERIC_SECRET);
  EXPECT_EQ(f->C_EncryptInit(rw_, &cbc, hmac), CKR_KEY_TYPE_INCONSISTENT);
  EXPECT_EQ(f->C_DecryptInit(rw_, &gcm, hmac), CKR_KEY_TYPE_INCONSISTENT);
  EXPECT_EQ(f->C_SignInit(rw_, &cmac, hmac), CKR_KEY_TYPE_INCONSISTENT);
  const CK_OBJECT_HANDLE chacha = key(random_bytes(32), CKK_CHACHA20);
  EXPECT_EQ(f->C_EncryptInit(rw_, &gcm, chacha), CKR_KEY_TYPE_INCONSISTENT);
  const CK_OBJECT_HANDLE no_encrypt = key(kKey128, CKK_AES, {{CKA_ENCRYPT, false}, {CKA_SIGN, false}});
  EXPECT_EQ(f->C_EncryptInit(rw_, &cbc, no_encrypt), CKR_KEY_FUNCTION_NOT_PERMITTED);
  EXPECT_EQ(f->C_SignInit(rw_, &cmac, no_encrypt), CKR_KEY_FUNCTION_NOT_PERMITTED);
  EXPECT_EQ(f->C_DecryptInit(rw_, &cbc, no_encrypt), CKR_OK);
  EXPECT_EQ(f->C_DecryptInit(rw_, nullptr, no_encrypt), CKR_OK);  // cancel
  const CK_OBJECT_HANDLE gcm_only = key(kKey128, CKK_AES, {}, {CKM_AES_GCM});
  EXPECT_EQ(f->C_EncryptInit(rw_, &cbc, gcm_only), CKR_MECHANISM_INVALID);
  EXPECT_EQ(f->C_SignInit(rw_, &cmac, gcm_only), CKR_MECHANISM_INVALID);
  Bytes out;
  EXPECT_EQ(run(kEnc, gcm, gcm_only, kPlain, out), CKR_OK);
  // Mechanisms refuse functions they do not offer.
  CK_MECHANISM ecb{CKM_AES_ECB, nullptr, 0};
  EXPECT_EQ(f->C_SignInit(rw_, &ecb, gcm_only), CKR_MECHANISM_INVALID);
  EXPECT_EQ(f->C_MessageEncryptInit(rw_, &cbc, gcm_only), CKR_MECHANISM_INVALID);
}

// ---- message-based encryption -----------------------------------------------------------------------

class AesMessageTest : public AesTest {
 protected:
  CK_RV encrypt_message(CK_GCM_MESSAGE_PARAMS& p, const Bytes& aad, const Bytes& pt, Bytes& ct) {
    CK_ULONG n = 0;
    CK_RV rv = f->C_EncryptMessage(rw_, &p, sizeof p, ptr(aad), aad.size(), ptr(pt), pt.size(), nullptr, &n);
    if (rv != CKR_OK) return rv;
    ct.assign(n + 1, 0);
    n = static_cast<CK_ULONG>(ct.size());
    rv = f->C_EncryptMessage(rw_, &p, sizeof p, ptr(aad), aad.size(), ptr(pt), pt.size(), ct.data(), &n);
    ct.resize(rv == CKR_OK ? n : 0);
    return rv;
  }
  CK_RV decrypt_message(CK_GCM_MESSAGE_PARAMS& p, const Bytes& aad, const Bytes& ct, Bytes& pt) {
    pt.assign(ct.size() + 1, 0);
    CK_ULONG n = static_cast<CK_ULONG>(pt.size());
    const CK_RV rv = f->C_DecryptMessage(rw_, &p, sizeof p, ptr(aad), aad.size(), ptr(ct), ct.size(), pt.data(), &n);
    pt.resize(rv == CKR_OK ? n : 0);
    return rv;
  }
};

TEST_F(AesMessageTest, GcmMessagesWithCallerIv) {
  const CK_OBJECT_HANDLE k = key(kGcmKey);
  CK_MECHANISM m{CKM_AES_GCM, nullptr, 0};
  ASSERT_EQ(f->C_MessageEncryptInit(rw_, &m, k), CKR_OK);
  Bytes iv = kGcmIv4, tag(16);
  CK_GCM_MESSAGE_PARAMS p{iv.data(), 12, 0, CKG_NO_GENERATE, tag.data(), 128};
  Bytes ct;
  ASSERT_EQ(encrypt_message(p, kGcmAad, kGcmPlain, ct), CKR_OK);
  EXPECT_EQ(ct, kGcmCt4);
  EXPECT_EQ(tag, kGcmTag4);
  ASSERT_EQ(f->C_MessageEncryptFinal(rw_), CKR_OK);

  ASSERT_EQ(f->C_MessageDecryptInit(rw_, &m, k), CKR_OK);
  Bytes pt;
  ASSERT_EQ(decrypt_message(p, kGcmAad, kGcmCt4, pt), CKR_OK);
  EXPECT_EQ(pt, kGcmPlain);
  tag[3] ^= 1;
  EXPECT_EQ(decrypt_message(p, kGcmAad, kGcmCt4, pt), CKR_AEAD_DECRYPT_FAILED);
  tag[3] ^= 1;
  // The context survives a failed message.
  ASSERT_EQ(decrypt_message(p, kGcmAad, kGcmCt4, pt), CKR_OK);
  ASSERT_EQ(f->C_MessageDecryptFinal(rw_), CKR_OK);
}

TEST_F(AesMessageTest, GcmGeneratedIvs) {
  const CK_OBJECT_HANDLE k = key(random_bytes(32));
  CK_MECHANISM m{CKM_AES_GCM, nullptr, 0};
  ASSERT_EQ(f->C_MessageEncryptInit(rw_, &m, k), CKR_OK);
  ASSERT_EQ(f->C_MessageDecryptInit(rw_, &m, k), CKR_OK);
  const Bytes pt = random_bytes(33), aad = random_bytes(5);
  // Random IVs differ from message to message and decrypt.
  Bytes iv1(12, 0), iv2(12, 0), tag(16);
  CK_GCM_MESSAGE_PARAMS p1{iv1.data(), 12, 0, CKG_GENERATE_RANDOM, tag.data(), 128};
  Bytes ct, back;
  ASSERT_EQ(encrypt_message(p1, aad, pt, ct), CKR_OK);
  CK_GCM_MESSAGE_PARAMS p2{iv2.data(), 12, 0, CKG_GENERATE_RANDOM, tag.data(), 128};
  Bytes ct2;
  ASSERT_EQ(encrypt_message(p2, aad, pt, ct2), CKR_OK);
  EXPECT_NE(iv1, iv2);
  CK_GCM_MESSAGE_PARAMS d{iv2.data(), 12, 0, CKG_NO_GENERATE, tag.data(), 128};
  ASSERT_EQ(decrypt_message(d, aad, ct2, back), CKR_OK);
  EXPECT_EQ(back, pt);
  // Counter IVs: the fixed 32-bit prefix stays, the counter part counts up.
  Bytes civ = hex("deadbeef0000000000000000");
  CK_GCM_MESSAGE_PARAMS c{civ.data(), 12, 32, CKG_GENERATE_COUNTER, tag.data(), 128};
  std::vector<Bytes> seen;
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(encrypt_message(c, aad, pt, ct), CKR_OK);
    EXPECT_EQ(Bytes(civ.begin(), civ.begin() + 4), hex("deadbeef"));
    seen.push_back(civ);
    CK_GCM_MESSAGE_PARAMS dc{civ.data(), 12, 0, CKG_NO_GENERATE, tag.data(), 128};
    ASSERT_EQ(decrypt_message(dc, aad, ct, back), CKR_OK);
    EXPECT_EQ(back, pt);
  }
  EXPECT_NE(seen[0], seen[1]);
  EXPECT_NE(seen[1], seen[2]);
  // 96-bit tags through the message API.
  Bytes tag12(12);
  CK_GCM_MESSAGE_PARAMS short_tag{iv1.data(), 12, 0, CKG_GENERATE_RANDOM, tag12.data(), 96};
  ASSERT_EQ(encrypt_message(short_tag, aad, pt, ct), CKR_OK);
  CK_GCM_MESSAGE_PARAMS short_dec{iv1.data(), 12, 0, CKG_NO_GENERATE, tag12.data(), 96};
  ASSERT_EQ(decrypt_message(short_dec, aad, ct, back), CKR_OK);
  EXPECT_EQ(back, pt);
}

TEST_F(AesMessageTest, GcmMultiPartMessages) {
  const CK_OBJECT_HANDLE k = key(kGcmKey);
  CK_MECHANISM m{CKM_AES_GCM, nullptr, 0};
  ASSERT_EQ(f->C_MessageEncryptInit(rw_, &m, k), CKR_OK);
  Bytes iv = kGcmIv4, tag(16);
  CK_GCM_MESSAGE_PARAMS p{iv.data(), 12, 0, CKG_NO_GENERATE, tag.data(), 128};
  ASSERT_EQ(f->C_EncryptMessageBegin(rw_, &p, sizeof p, ptr(kGcmAad), kGcmAad.size()), CKR_OK);
  Bytes ct;
  for (std::size_t off = 0; off < kGcmPlain.size(); off += 25) {
    const std::size_t n = std::min<std::size_t>(25, kGcmPlain.size() - off);
    const bool last = off + n == kGcmPlain.size();
    Bytes out(64);
    CK_ULONG out_len = static_cast<CK_ULONG>(out.size());
    ASSERT_EQ(f->C_EncryptMessageNext(rw_, &p, sizeof p, ptr(kGcmPlain) + off, n, out.data(), &out_len,
                                      last ? CKF_END_OF_MESSAGE : 0),
              CKR_OK);
    ct.insert(ct.end(), out.begin(), out.begin() + out_len);
  }
  EXPECT_EQ(ct, kGcmCt4);
  EXPECT_EQ(tag, kGcmTag4);
  ASSERT_EQ(f->C_MessageEncryptFinal(rw_), CKR_OK);

  ASSERT_EQ(f->C_MessageDecryptInit(rw_, &m, k), CKR_OK);
  for (bool tamper : {false, true}) {
    if (tamper) tag[0] ^= 0x80;
    ASSERT_EQ(f->C_DecryptMessageBegin(rw_, &p, sizeof p, ptr(kGcmAad), kGcmAad.size()), CKR_OK);
    Bytes out(64), pt;
    CK_ULONG out_len = static_cast<CK_ULONG>(out.size());
    ASSERT_EQ(f->C_DecryptMessageNext(rw_, &p, sizeof p, ptr(kGcmCt4), 30, out.data(), &out_len, 0), CKR_OK);
    EXPECT_EQ(out_len, 0u);  // nothing released before the tag is checked
    out_len = static_cast<CK_ULONG>(out.size());
    const CK_RV rv = f->C_DecryptMessageNext(rw_, &p, sizeof p, ptr(kGcmCt4) + 30, kGcmCt4.size() - 30, out.data(),
                                             &out_len, CKF_END_OF_MESSAGE);
    if (tamper) {
      EXPECT_EQ(rv, CKR_AEAD_DECRYPT_FAILED);
    } else {
      ASSERT_EQ(rv, CKR_OK);
      EXPECT_EQ(Bytes(out.begin(), out.begin() + out_len), kGcmPlain);
    }
  }
  ASSERT_EQ(f->C_MessageDecryptFinal(rw_), CKR_OK);
}

TEST_F(AesMessageTest, CcmMessages) {
  const CK_OBJECT_HANDLE k = key(hex("c0c1c2c3c4c5c6c7c8c9cacbcccdcecf"));
  CK_MECHANISM m{CKM_AES_CCM, nullptr, 0};
  const Bytes pt = hex("08090a0b0c0d0e0f101112131415161718191a1b1c1d1e");
  const Bytes aad = hex("0001020304050607");
  Bytes nonce = hex("00000003020100a0a1a2a3a4a5"), mac(8);
  CK_CCM_MESSAGE_PARAMS p{static_cast<CK_ULONG>(pt.size()), nonce.data(), 13, 0, CKG_NO_GENERATE, mac.data(), 8};
  ASSERT_EQ(f->C_MessageEncryptInit(rw_, &m, k), CKR_OK);
  Bytes ct(pt.size());
  CK_ULONG n = static_cast<CK_ULONG>(ct.size());
  ASSERT_EQ(f->C_EncryptMessage(rw_, &p, sizeof p, ptr(aad), aad.size(), ptr(pt), pt.size(), ct.data(), &n), CKR_OK);
  EXPECT_EQ(cat(ct, mac), hex("588c979a61c663d2f066d0c2c0f989806d5f6b61dac38417e8d12cfdf926e0"));
  ASSERT_EQ(f->C_MessageEncryptFinal(rw_), CKR_OK);
  ASSERT_EQ(f->C_MessageDecryptInit(rw_, &m, k), CKR_OK);
  Bytes back(pt.size());
  n = static_cast<CK_ULONG>(back.size());
  ASSERT_EQ(f->C_DecryptMessage(rw_, &p, sizeof p, ptr(aad), aad.size(), ptr(ct), ct.size(), back.data(), &n), CKR_OK);
  EXPECT_EQ(back, pt);
  mac[7] ^= 1;
  n = static_cast<CK_ULONG>(back.size());
  EXPECT_EQ(f->C_DecryptMessage(rw_, &p, sizeof p, ptr(aad), aad.size(), ptr(ct), ct.size(), back.data(), &n),
            CKR_AEAD_DECRYPT_FAILED);
  ASSERT_EQ(f->C_MessageDecryptFinal(rw_), CKR_OK);
}

// The length query for the last part of a multi-part message must cover everything that part
// releases: all the plaintext of a GCM decryption, all the ciphertext of a CCM encryption.
TEST_F(AesMessageTest, LastPartLengthQueryIsAnUpperBound) {
  {
    const CK_OBJECT_HANDLE k = key(kGcmKey);
    CK_MECHANISM m{CKM_AES_GCM, nullptr, 0};
    ASSERT_EQ(f->C_MessageDecryptInit(rw_, &m, k), CKR_OK);
    Bytes iv = kGcmIv4, tag = kGcmTag4;
    CK_GCM_MESSAGE_PARAMS p{iv.data(), 12, 0, CKG_NO_GENERATE, tag.data(), 128};
    ASSERT_EQ(f->C_DecryptMessageBegin(rw_, &p, sizeof p, ptr(kGcmAad), kGcmAad.size()), CKR_OK);
    CK_ULONG n = 0;
    ASSERT_EQ(f->C_DecryptMessageNext(rw_, &p, sizeof p, ptr(kGcmCt4), kGcmCt4.size(), nullptr, &n, CKF_END_OF_MESSAGE),
              CKR_OK);
    EXPECT_GE(n, kGcmPlain.size());
    Bytes out(std::max<CK_ULONG>(n, 1));
    EXPECT_EQ(f->C_DecryptMessageNext(rw_, &p, sizeof p, ptr(kGcmCt4), kGcmCt4.size(), out.data(), &n, CKF_END_OF_MESSAGE),
              CKR_OK);
    EXPECT_EQ(Bytes(out.begin(), out.begin() + n), kGcmPlain);
  }
  {
    const CK_OBJECT_HANDLE k = key(hex("c0c1c2c3c4c5c6c7c8c9cacbcccdcecf"));
    CK_MECHANISM m{CKM_AES_CCM, nullptr, 0};
    ASSERT_EQ(f->C_MessageEncryptInit(rw_, &m, k), CKR_OK);
    const Bytes pt = hex("08090a0b0c0d0e0f101112131415161718191a1b1c1d1e");
    const Bytes aad = hex("0001020304050607");
    Bytes nonce = hex("00000003020100a0a1a2a3a4a5"), mac(8);
    CK_CCM_MESSAGE_PARAMS p{static_cast<CK_ULONG>(pt.size()), nonce.data(), 13, 0, CKG_NO_GENERATE, mac.data(), 8};
    ASSERT_EQ(f->C_EncryptMessageBegin(rw_, &p, sizeof p, ptr(aad), aad.size()), CKR_OK);
    Bytes out(64);
    CK_ULONG n = static_cast<CK_ULONG>(out.size());
    ASSERT_EQ(f->C_EncryptMessageNext(rw_, &p, sizeof p, ptr(pt), 10, out.data(), &n, 0), CKR_OK);
    EXPECT_EQ(n, 0u);  // CCM releases nothing before it has the whole message
    n = 0;
    ASSERT_EQ(f->C_EncryptMessageNext(rw_, &p, sizeof p, ptr(pt) + 10, pt.size() - 10, nullptr, &n, CKF_END_OF_MESSAGE),
              CKR_OK);
    EXPECT_GE(n, pt.size());
    n = std::max<CK_ULONG>(n, 1);
    ASSERT_EQ(f->C_EncryptMessageNext(rw_, &p, sizeof p, ptr(pt) + 10, pt.size() - 10, out.data(), &n, CKF_END_OF_MESSAGE),
              CKR_OK);
    out.resize(n);
    EXPECT_EQ(cat(out, mac), hex("588c979a61c663d2f066d0c2c0f989806d5f6b61dac38417e8d12cfdf926e0"));
  }
}

}  // namespace
}  // namespace craton::test
