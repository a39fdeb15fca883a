// Known-answer and misuse tests for the OpenSSL wrappers in src/crypto/ossl.
#include <gtest/gtest.h>
#include <openssl/err.h>

#include <string>
#include <string_view>
#include <vector>

#include "crypto/ossl/aead.h"
#include "crypto/ossl/hmac.h"
#include "crypto/ossl/kdf.h"
#include "crypto/ossl/mac.h"
#include "crypto/ossl/random.h"

namespace craton::crypto {
namespace {

std::vector<std::uint8_t> hex(std::string_view h) {
  std::vector<std::uint8_t> out;
  for (std::size_t i = 0; i + 1 < h.size(); i += 2) {
    out.push_back(static_cast<std::uint8_t>(std::stoul(std::string(h.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

std::vector<std::uint8_t> bytes(std::string_view s) { return {s.begin(), s.end()}; }

template <class C>
std::vector<std::uint8_t> vec(const C& c) {
  return {c.data(), c.data() + c.size()};
}

TEST(CryptoRandom, FillsAndDiffers) {
  std::vector<std::uint8_t> a(64), b(64);
  ASSERT_TRUE(random_bytes(a).ok());
  ASSERT_TRUE(random_bytes(b).ok());
  EXPECT_NE(a, b);
  auto s = random_secret(32);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->size(), 32U);
  EXPECT_TRUE(random_bytes({}).ok());
}

// RFC 4231, test cases 1 and 2.
TEST(CryptoHmac, Rfc4231) {
  auto r1 = hmac_sha256(std::vector<std::uint8_t>(20, 0x0b), bytes("Hi There"));
  ASSERT_TRUE(r1.ok());
  EXPECT_EQ(vec(*r1), hex("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"));
  auto r2 = hmac_sha256(bytes("Jefe"), bytes("what do ya want for nothing?"));
  ASSERT_TRUE(r2.ok());
  EXPECT_EQ(vec(*r2), hex("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"));
}

TEST(CryptoHmac, EmptyKeyAndData) {
  // HMAC-SHA-256 with empty key and message (widely published value).
  auto r = hmac_sha256({}, {});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(vec(*r), hex("b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad"));
}

// One context restarted per message gives what a fresh HMAC gives, message after message
// (RFC 4231 cases 1 and 2 with the same key twice, then the one-shot function on other inputs).
TEST(CryptoHmac, ReusableMacRestartsFromTheKeyEveryTime) {
  auto mac = ReusableMac::hmac(CKM_SHA256, bytes("Jefe"));
  ASSERT_TRUE(mac.ok());
  ASSERT_EQ(mac->size(), 32U);
  std::vector<std::uint8_t> out(32);
  for (int round = 0; round < 3; ++round) {
    ASSERT_TRUE(mac->compute(bytes("what do ya want for nothing?"), out).ok());
    EXPECT_EQ(out, hex("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")) << round;
  }
  // Other messages on the same context, each equal to the one-shot MAC.
  for (std::string_view m : {"", "a", "Hi There", "a longer message that spans more than one SHA-256 block of "
                                                 "sixty-four bytes, so the restart must drop every buffered byte"}) {
    ASSERT_TRUE(mac->compute(bytes(m), out).ok());
    auto want = hmac_sha256(bytes("Jefe"), bytes(m));
    ASSERT_TRUE(want.ok());
    EXPECT_EQ(out, vec(*want)) << m;
  }
  // A key longer than the block and the empty key (RFC 4231 case 6; the published empty-key value).
  auto long_key = ReusableMac::hmac(CKM_SHA256, std::vector<std::uint8_t>(131, 0xaa));
  ASSERT_TRUE(long_key.ok());
  ASSERT_TRUE(long_key->compute(bytes("Test Using Larger Than Block-Size Key - Hash Key First"), out).ok());
  EXPECT_EQ(out, hex("60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"));
  auto empty = ReusableMac::hmac(CKM_SHA256, {});
  ASSERT_TRUE(empty.ok());
  ASSERT_TRUE(empty->compute({}, out).ok());
  EXPECT_EQ(out, hex("b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad"));
}

TEST(CryptoHmac, ReusableMacRejectsWrongOutputSizeAndUnknownHash) {
  auto mac = ReusableMac::hmac(CKM_SHA256, bytes("k"));
  ASSERT_TRUE(mac.ok());
  std::vector<std::uint8_t> short_out(31), long_out(33);
  EXPECT_EQ(mac->compute(bytes("m"), short_out).rv(), CKR_GENERAL_ERROR);
  EXPECT_EQ(mac->compute(bytes("m"), long_out).rv(), CKR_GENERAL_ERROR);
  std::vector<std::uint8_t> out(32);
  ASSERT_TRUE(mac->compute(bytes("m"), out).ok());  // still usable after a refused call
  auto want = hmac_sha256(bytes("k"), bytes("m"));
  ASSERT_TRUE(want.ok());
  EXPECT_EQ(out, vec(*want));
  EXPECT_EQ(ReusableMac::hmac(CKM_AES_GCM, bytes("k")).rv(), CKR_MECHANISM_INVALID);
}

TEST(CryptoSha256, Abc) {
  auto r = sha256(bytes("abc"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(vec(*r), hex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
}

// PBKDF2-HMAC-SHA-256 vectors for P="password", S="salt" (c below OpenSSL's SP 800-132 floor).
TEST(CryptoPbkdf2, KnownAnswers) {
  struct Case {
    std::uint32_t c;
    const char* dk;
  };
  const Case cases[] = {
      {1, "120fb6cffcf8b32c43e7225256c4f837a86548c92ccc35480805987cb70be17b"},
      {2, "ae4d0c95af6b46d32d0adff928f06dd02a303f8ef3c251dfd6e2d85a95474c43"},
      {4096, "c5e478d59288c841aa530db6845c4c8d962893a001ce4e11a4963873aa98134a"},
  };
  for (const auto& tc : cases) {
    auto dk = pbkdf2_hmac_sha256(bytes("password"), bytes("salt"), tc.c, 32);
    ASSERT_TRUE(dk.ok()) << tc.c;
    EXPECT_EQ(vec(*dk), hex(tc.dk)) << tc.c;
  }
}

TEST(CryptoPbkdf2, RejectsZeroIterations) {
  EXPECT_EQ(pbkdf2_hmac_sha256(bytes("p"), bytes("s"), 0, 32).rv(), CKR_ARGUMENTS_BAD);
  EXPECT_EQ(pbkdf2_hmac_sha256(bytes("p"), bytes("s"), 1, 0).rv(), CKR_ARGUMENTS_BAD);
}

// "The Galois/Counter Mode of Operation" (McGrew, Viega), test cases 14 and 16 (AES-256).
TEST(CryptoGcm, KnownAnswers) {
  const SecureBytes zero_key(32);
  auto c14 = aes256gcm_seal(zero_key, std::vector<std::uint8_t>(12, 0), {},
                            std::vector<std::uint8_t>(16, 0));
  ASSERT_TRUE(c14.ok());
  EXPECT_EQ(*c14, hex("cea7403d4d606b6e074ec5d3baf39d18d0d1c8a799996bf0265b98b5d48ab919"));

  const SecureBytes key(hex("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308"));
  const auto iv = hex("cafebabefacedbaddecaf888");
  const auto aad = hex("feedfacedeadbeeffeedfacedeadbeefabaddad2");
  const auto pt = hex(
      "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
      "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39");
  const auto expected = hex(
      "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
      "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662"
      "76fc6ece0f4e1768cddf8853bb2d551b");
  auto c16 = aes256gcm_seal(key, iv, aad, pt);
  ASSERT_TRUE(c16.ok());
  EXPECT_EQ(*c16, expected);
  auto back = aes256gcm_open(key, iv, aad, expected);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(vec(*back), pt);
}

TEST(CryptoGcm, TamperingIsDetected) {
  auto key = random_secret(32);
  ASSERT_TRUE(key.ok());
  const auto iv = hex("000102030405060708090a0b");
  const auto aad = bytes("header");
  auto ct = aes256gcm_seal(*key, iv, aad, bytes("secret message"));
  ASSERT_TRUE(ct.ok());
  for (std::size_t i = 0; i < ct->size(); ++i) {
    auto bad = *ct;
    bad[i] ^= 0x01;
    auto r = aes256gcm_open(*key, iv, aad, bad);
    EXPECT_EQ(r.rv(), CKR_ENCRYPTED_DATA_INVALID) << i;
  }
  EXPECT_EQ(aes256gcm_open(*key, iv, bytes("other"), *ct).rv(), CKR_ENCRYPTED_DATA_INVALID);
  EXPECT_EQ(aes256gcm_open(*key, iv, aad, std::vector<std::uint8_t>(5)).rv(),
            CKR_ENCRYPTED_DATA_INVALID);
  // Failures leave nothing behind in OpenSSL's per-thread error queue.
  EXPECT_EQ(ERR_peek_error(), 0UL);
}

TEST(CryptoGcm, EmptyPlaintextRoundTrip) {
  auto key = random_secret(32);
  ASSERT_TRUE(key.ok());
  const std::vector<std::uint8_t> iv(12, 7);
  auto ct = aes256gcm_seal(*key, iv, {}, {});
  ASSERT_TRUE(ct.ok());
  EXPECT_EQ(ct->size(), kGcmTagSize);
  auto pt = aes256gcm_open(*key, iv, {}, *ct);
  ASSERT_TRUE(pt.ok());
  EXPECT_TRUE(pt->empty());
}

TEST(CryptoGcm, RejectsBadSizes) {
  const SecureBytes short_key(16);
  const std::vector<std::uint8_t> iv(12);
  EXPECT_EQ(aes256gcm_seal(short_key, iv, {}, {}).rv(), CKR_ARGUMENTS_BAD);
  const SecureBytes key(32);
  EXPECT_EQ(aes256gcm_seal(key, std::vector<std::uint8_t>(8), {}, {}).rv(), CKR_ARGUMENTS_BAD);
}

}  // namespace
}  // namespace craton::crypto
