// The symmetric EVP wrappers (src/crypto/ossl/cipher.h): argument checks, the long-IV GCM path,
// CBC-CS3 edge cases, key-wrap lengths, and CMAC keys shared between threads.
#include <gtest/gtest.h>
#include <openssl/err.h>

#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "crypto/ossl/cipher.h"

namespace craton::crypto {
namespace {

using Bytes = std::vector<std::uint8_t>;

Bytes hex(std::string_view h) {
  Bytes out;
  for (std::size_t i = 0; i + 1 < h.size(); i += 2) {
    out.push_back(static_cast<std::uint8_t>(std::stoul(std::string(h.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

Bytes vec(std::span<const std::uint8_t> s) { return {s.begin(), s.end()}; }

Bytes seal(const Bytes& key, const Bytes& iv, const Bytes& aad, const Bytes& pt, std::size_t tag_len) {
  auto s = CipherStream::start_aead(CipherKind::kAesGcm, key, iv, aad, Direction::kEncrypt);
  EXPECT_TRUE(s.ok());
  Bytes out(pt.size());
  EXPECT_TRUE(s->update(pt, out).ok());
  auto tag = s->finish_tag(tag_len);
  EXPECT_TRUE(tag.ok());
  out.insert(out.end(), tag->begin(), tag->end());
  return out;
}

TEST(CryptoCipher, ArgumentChecks) {
  const Bytes key(16, 1);
  EXPECT_EQ(CipherStream::start(CipherKind::kAesCbc, key, Bytes(8, 0), Direction::kEncrypt).rv(), CKR_ARGUMENTS_BAD);
  EXPECT_EQ(CipherStream::start(CipherKind::kAesEcb, key, Bytes(16, 0), Direction::kEncrypt).rv(), CKR_ARGUMENTS_BAD);
  EXPECT_EQ(CipherStream::start(CipherKind::kAesEcb, Bytes(20, 1), {}, Direction::kEncrypt).rv(), CKR_ARGUMENTS_BAD);
  EXPECT_EQ(CipherStream::start(CipherKind::kAesGcm, key, Bytes(12, 0), Direction::kEncrypt).rv(), CKR_ARGUMENTS_BAD);
  EXPECT_EQ(CipherStream::start_aead(CipherKind::kAesGcm, key, {}, {}, Direction::kEncrypt).rv(), CKR_ARGUMENTS_BAD);
  EXPECT_EQ(CipherStream::start_aead(CipherKind::kChaCha20Poly1305, Bytes(32, 1), Bytes(8, 0), {}, Direction::kEncrypt).rv(),
            CKR_ARGUMENTS_BAD);
  EXPECT_EQ(CmacKey::create(Bytes(15, 0)).rv(), CKR_ARGUMENTS_BAD);
  EXPECT_EQ(ERR_peek_error(), 0UL);
}

TEST(CryptoCipher, GcmIvsLongerThanOpenSslTakes) {
  // Reference from an independent GHASH implementation (checked against Wycheproof's 2056-bit
  // IV cases): AES-128, IV 00..c7, AAD feedfacedeadbeef, plaintext 00..27.
  const Bytes key = hex("feffe9928665731c6d6a8f9467308308");
  Bytes iv(200), pt(40);
  for (std::size_t i = 0; i < iv.size(); ++i) iv[i] = static_cast<std::uint8_t>(i);
  for (std::size_t i = 0; i < pt.size(); ++i) pt[i] = static_cast<std::uint8_t>(i);
  EXPECT_EQ(seal(key, iv, hex("feedfacedeadbeef"), pt, 16),
            hex("3307cfdd4c4d583bc6719f36295bb86bc811ad65416e946344d15078f2d3853a4a6da6c0f04e8f89"
                "d66d01102e553a2dce49814437d52650"));
  // Around the 128-byte boundary both paths agree with decryption.
  for (std::size_t n : {127u, 128u, 129u, 1000u}) {
    const Bytes long_iv(n, 0x3c);
    const Bytes sealed = seal(key, long_iv, {}, pt, 16);
    auto d = CipherStream::start_aead(CipherKind::kAesGcm, key, long_iv, {}, Direction::kDecrypt);
    ASSERT_TRUE(d.ok());
    Bytes out(pt.size());
    ASSERT_TRUE(d->update(std::span(sealed).first(pt.size()), out).ok());
    EXPECT_TRUE(d->finish_check(std::span(sealed).subspan(pt.size())).ok()) << n;
    EXPECT_EQ(out, pt);
  }
  EXPECT_EQ(CipherStream::start_aead(CipherKind::kAesGcm, key, Bytes(kGcmMaxIvBytes + 1, 0), {}, Direction::kEncrypt).rv(),
            CKR_ARGUMENTS_BAD);
}

TEST(CryptoCipher, GcmTagMismatch) {
  const Bytes key(32, 7), iv(12, 9), pt(33, 1);
  Bytes sealed = seal(key, iv, {}, pt, 12);
  sealed.back() ^= 1;
  auto d = CipherStream::start_aead(CipherKind::kAesGcm, key, iv, {}, Direction::kDecrypt);
  ASSERT_TRUE(d.ok());
  Bytes out(pt.size());
  ASSERT_TRUE(d->update(std::span(sealed).first(pt.size()), out).ok());
  EXPECT_EQ(d->finish_check(std::span(sealed).subspan(pt.size())).rv(), CKR_ENCRYPTED_DATA_INVALID);
  EXPECT_EQ(ERR_peek_error(), 0UL);  // the failure left no stale OpenSSL errors
}

TEST(CryptoCipher, CtsEdgeCases) {
  const Bytes key = hex("636869636b656e207465726979616b69"), iv(16, 0);
  const Bytes one = hex("4920776f756c64206c696b6520746865");
  auto cbc = CipherStream::start(CipherKind::kAesCbc, key, iv, Direction::kEncrypt);
  ASSERT_TRUE(cbc.ok());
  Bytes expected(16);
  ASSERT_TRUE(cbc->update(one, expected).ok());
  auto cts = aes_cbc_cs3(key, iv, one, Direction::kEncrypt);
  ASSERT_TRUE(cts.ok());
  EXPECT_EQ(vec(cts->span()), expected);
  EXPECT_EQ(aes_cbc_cs3(key, iv, Bytes(15, 0), Direction::kEncrypt).rv(), CKR_ARGUMENTS_BAD);
  // RFC 3962: 17 bytes.
  auto r = aes_cbc_cs3(key, iv, hex("4920776f756c64206c696b65207468652047"), Direction::kEncrypt);
  ASSERT_TRUE(r.ok());
  auto back = aes_cbc_cs3(key, iv, r->span(), Direction::kDecrypt);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(vec(back->span()), hex("4920776f756c64206c696b65207468652047"));
}

TEST(CryptoCipher, KeyWrapLengths) {
  const Bytes kek(16, 0x42);
  EXPECT_EQ(aes_key_wrap(kek, {}, false, Bytes(8, 0), Direction::kEncrypt).rv(), CKR_DATA_LEN_RANGE);
  EXPECT_EQ(aes_key_wrap(kek, {}, false, Bytes(20, 0), Direction::kEncrypt).rv(), CKR_DATA_LEN_RANGE);
  EXPECT_EQ(aes_key_wrap(kek, {}, true, Bytes(), Direction::kEncrypt).rv(), CKR_DATA_LEN_RANGE);
  EXPECT_EQ(aes_key_wrap(kek, {}, false, Bytes(16, 0), Direction::kDecrypt).rv(), CKR_ENCRYPTED_DATA_LEN_RANGE);
  EXPECT_EQ(aes_key_wrap(kek, {}, true, Bytes(12, 0), Direction::kDecrypt).rv(), CKR_ENCRYPTED_DATA_LEN_RANGE);
  EXPECT_EQ(aes_key_wrap(kek, Bytes(4, 0), false, Bytes(16, 0), Direction::kEncrypt).rv(), CKR_ARGUMENTS_BAD);
  for (std::size_t n : {1u, 7u, 8u, 9u, 16u, 31u}) {
    const Bytes in(n, 0x5a);
    auto w = aes_key_wrap(kek, {}, true, in, Direction::kEncrypt);
    ASSERT_TRUE(w.ok()) << n;
    EXPECT_EQ(w->size(), aes_key_wrap_size(n, true)) << n;
    auto u = aes_key_wrap(kek, {}, true, w->span(), Direction::kDecrypt);
    ASSERT_TRUE(u.ok()) << n;
    EXPECT_EQ(vec(u->span()), in);
  }
  auto w = aes_key_wrap(kek, {}, false, Bytes(24, 1), Direction::kEncrypt);
  ASSERT_TRUE(w.ok());
  Bytes bad = vec(w->span());
  bad[3] ^= 1;
  EXPECT_EQ(aes_key_wrap(kek, {}, false, bad, Direction::kDecrypt).rv(), CKR_ENCRYPTED_DATA_INVALID);
  EXPECT_EQ(ERR_peek_error(), 0UL);
}

TEST(CryptoCipher, CmacKeySharedBetweenThreads) {
  // RFC 4493 example 2.
  auto key = CmacKey::create(hex("2b7e151628aed2a6abf7158809cf4f3c"));
  ASSERT_TRUE(key.ok());
  const Bytes msg = hex("6bc1bee22e409f96e93d7e117393172a");
  const Bytes expected = hex("070a16b46b4d4144f79bdd9dd04a287c");
  std::vector<std::thread> threads;
  std::vector<int> good(4, 0);
  for (std::size_t t = 0; t < good.size(); ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        auto s = key->start();
        if (!s.ok() || !s->update(std::span(msg).first(7)).ok() || !s->update(std::span(msg).subspan(7)).ok()) return;
        auto mac = s->finish();
        if (mac.ok() && Bytes(mac->begin(), mac->end()) == expected) ++good[t];
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int g : good) EXPECT_EQ(g, 200);
}

}  // namespace
}  // namespace craton::crypto
