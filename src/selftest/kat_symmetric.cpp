// Known-answer tests of the hashes, HMAC, the AES modes, AES-CMAC and ChaCha20-Poly1305, through
// the same code the mechanisms use (crypto/ossl/sha_state.h, hmac.h, cipher.h; our Keccak for
// SHA-3). Ciphers are tested in both directions (IG 10.3.A: encrypt and decrypt).
#include <vector>

#include "crypto/ossl/cipher.h"
#include "crypto/ossl/hmac.h"
#include "crypto/ossl/sha_state.h"
#include "crypto/pqc/keccak.h"
#include "selftest/kat.h"
#include "selftest/kat_vectors.h"

namespace craton::selftest::detail {
namespace {

namespace v = vectors;
using crypto::CipherKind;
using crypto::Direction;

// SHA-1 and SHA-2 through the digest mechanisms' resumable state (crypto/ossl/sha_state.h).
Status hash_kat(const char* test, CK_MECHANISM_TYPE mech, std::string_view expected) {
  CRATON_ASSIGN_OR_RETURN(crypto::StatefulSha sha, crypto::StatefulSha::create(mech));
  sha.update(unhex(v::kAbc));
  return expect(test, sha.finish(), expected);
}

// One direction of ECB / CBC / CTR over whole blocks.
Result<std::vector<std::uint8_t>> run_block_mode(CipherKind kind, std::string_view iv_hex, Span in, Direction dir) {
  const auto key = unhex(v::kAesKey);
  const auto iv = unhex(iv_hex);
  CRATON_ASSIGN_OR_RETURN(crypto::CipherStream s, crypto::CipherStream::start(kind, key, iv, dir));
  std::vector<std::uint8_t> out(in.size());
  CRATON_TRY(s.update(in, out));
  return out;
}

Status block_mode_kat(const char* test, CipherKind kind, std::string_view iv_hex, std::string_view cipher_hex) {
  const auto plain = unhex(v::kAesPlain);
  CRATON_ASSIGN_OR_RETURN(const auto ct, run_block_mode(kind, iv_hex, plain, Direction::kEncrypt));
  CRATON_TRY(expect(test, ct, cipher_hex));
  CRATON_ASSIGN_OR_RETURN(const auto pt, run_block_mode(kind, iv_hex, unhex(cipher_hex), Direction::kDecrypt));
  return expect(test, pt, v::kAesPlain);
}

struct AeadVector {
  std::string_view key, iv, aad, plain, cipher, tag;
};

// Seal and open through a keyed AEAD context, as CKM_AES_GCM and CKM_CHACHA20_POLY1305 do.
Status aead_kat(const char* test, CipherKind kind, const AeadVector& t) {
  CRATON_ASSIGN_OR_RETURN(const crypto::KeyedAead key, crypto::KeyedAead::create(kind, unhex(t.key)));
  const auto iv = unhex(t.iv);
  const auto aad = unhex(t.aad);
  const auto plain = unhex(t.plain);
  std::vector<std::uint8_t> out(plain.size());
  {
    CRATON_ASSIGN_OR_RETURN(crypto::CipherStream s, key.start(iv, aad, Direction::kEncrypt));
    CRATON_TRY(s.update(plain, out));
    CRATON_ASSIGN_OR_RETURN(const auto tag, s.finish_tag(16));
    CRATON_TRY(expect(test, out, t.cipher));
    CRATON_TRY(expect(test, tag, t.tag));
  }
  const auto cipher = unhex(t.cipher);
  const auto tag = maybe_corrupt(test, unhex(t.tag));
  CRATON_ASSIGN_OR_RETURN(crypto::CipherStream s, key.start(iv, aad, Direction::kDecrypt));
  CRATON_TRY(s.update(cipher, out));
  if (!s.finish_check(tag).ok()) return fail(CKR_FIPS_SELF_TEST_FAILED, "authentic ciphertext refused");
  return expect(test, out, t.plain);
}

}  // namespace

Status kat_sha1() { return hash_kat("kat.sha1", CKM_SHA_1, v::kSha1Abc); }

Status kat_sha2() {
  // SHA-256 and SHA-512: the two compression functions of the SHA-2 family.
  CRATON_TRY(hash_kat("kat.sha2", CKM_SHA256, v::kSha256Abc));
  return hash_kat("kat.sha2", CKM_SHA512, v::kSha512Abc);
}

// SHA3-256 through our Keccak sponge, as CKM_SHA3_256 and the PQC code use it (FIPS 202 §6.1:
// capacity 2·256 bits, domain bits 01 plus padding = 0x06).
Status kat_sha3() {
  crypto::pqc::Sponge sponge(crypto::pqc::kKeccakStateBytes - 64, 0x06);
  sponge.absorb(unhex(v::kAbc));
  std::vector<std::uint8_t> out(32);
  sponge.squeeze(out);
  return expect("kat.sha3", out, v::kSha3_256Abc);
}

Status kat_hmac() {
  CRATON_ASSIGN_OR_RETURN(const crypto::MacKey key, crypto::MacKey::hmac(CKM_SHA256, unhex(v::kHmacKey)));
  CRATON_ASSIGN_OR_RETURN(crypto::RunningMac mac, key.start());
  CRATON_TRY(mac.update(unhex(v::kHmacMsg)));
  CRATON_ASSIGN_OR_RETURN(const SecureBytes tag, mac.finish());
  return expect("kat.hmac", tag.span(), v::kHmacTag);
}

Status kat_aes_ecb() { return block_mode_kat("kat.aes_ecb", CipherKind::kAesEcb, "", v::kAesEcbCipher); }
Status kat_aes_cbc() { return block_mode_kat("kat.aes_cbc", CipherKind::kAesCbc, v::kAesCbcIv, v::kAesCbcCipher); }
Status kat_aes_ctr() { return block_mode_kat("kat.aes_ctr", CipherKind::kAesCtr, v::kAesCtrIv, v::kAesCtrCipher); }

Status kat_aes_gcm() {
  return aead_kat("kat.aes_gcm", CipherKind::kAesGcm,
                  {v::kGcmKey, v::kGcmIv, v::kGcmAad, v::kGcmPlain, v::kGcmCipher, v::kGcmTag});
}

Status kat_chacha20_poly1305() {
  return aead_kat("kat.chacha20_poly1305", CipherKind::kChaCha20Poly1305,
                  {v::kChaChaKey, v::kChaChaNonce, v::kChaChaAad, v::kChaChaPlain, v::kChaChaCipher, v::kChaChaTag});
}

Status kat_aes_ccm() {
  constexpr const char* kTest = "kat.aes_ccm";
  const auto key = unhex(v::kCcmKey);
  const auto nonce = unhex(v::kCcmNonce);
  const auto aad = unhex(v::kCcmAad);
  CRATON_ASSIGN_OR_RETURN(const SecureBytes sealed, crypto::aes_ccm_seal(key, nonce, aad, unhex(v::kCcmPlain), 4));
  CRATON_TRY(expect(kTest, sealed.span(), v::kCcmCipherTag));
  const auto ct_tag = maybe_corrupt(kTest, unhex(v::kCcmCipherTag));
  const Span all(ct_tag);
  auto opened = crypto::aes_ccm_open(key, nonce, aad, all.first(all.size() - 4), all.last(4));
  if (!opened.ok()) return fail(CKR_FIPS_SELF_TEST_FAILED, "authentic ciphertext refused");
  return expect(kTest, opened->span(), v::kCcmPlain);
}

Status kat_aes_kw() {
  constexpr const char* kTest = "kat.aes_kw";
  const auto kek = unhex(v::kKwKek);
  CRATON_ASSIGN_OR_RETURN(const SecureBytes wrapped,
                          crypto::aes_key_wrap(kek, {}, false, unhex(v::kKwKey), Direction::kEncrypt));
  CRATON_TRY(expect(kTest, wrapped.span(), v::kKwWrapped));
  const auto wrapped_in = maybe_corrupt(kTest, unhex(v::kKwWrapped));
  auto unwrapped = crypto::aes_key_wrap(kek, {}, false, wrapped_in, Direction::kDecrypt);
  if (!unwrapped.ok()) return fail(CKR_FIPS_SELF_TEST_FAILED, "authentic wrapped key refused");
  return expect(kTest, unwrapped->span(), v::kKwKey);
}

Status kat_cmac() {
  CRATON_ASSIGN_OR_RETURN(const crypto::CmacKey key, crypto::CmacKey::create(unhex(v::kCmacKey)));
  CRATON_ASSIGN_OR_RETURN(crypto::CmacStream s, key.start());
  CRATON_TRY(s.update(unhex(v::kCmacMsg)));
  CRATON_ASSIGN_OR_RETURN(const auto tag, s.finish());
  return expect("kat.cmac", tag, v::kCmacTag);
}

}  // namespace craton::selftest::detail
