#include "crypto/ossl/cipher.h"
#include "crypto/ossl/libctx.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <climits>
#include <cstring>
#include <string>

#include "common/sharded_mutex.h"
#include "crypto/ossl/error.h"
#include "crypto/ossl/scopers.h"

namespace craton::crypto {

void CipherCtxFree::operator()(evp_cipher_ctx_st* ctx) const noexcept { EVP_CIPHER_CTX_free(ctx); }
void MacCtxFree::operator()(evp_mac_ctx_st* ctx) const noexcept { EVP_MAC_CTX_free(ctx); }

namespace {

using CtxOwner = std::unique_ptr<evp_cipher_ctx_st, CipherCtxFree>;

// The algorithms, fetched once (thread-safe static initialisation). An algorithm the provider
// lacks stays null and leaves no error behind; using it reports CKR_FUNCTION_FAILED.
enum Alg : std::size_t { kEcb, kCbc, kCtr, kGcm, kCcm, kWrap, kWrapPad, kCts, kAlgCount };
constexpr const char* kAesNames[kAlgCount][3] = {
    {"AES-128-ECB", "AES-192-ECB", "AES-256-ECB"},          {"AES-128-CBC", "AES-192-CBC", "AES-256-CBC"},
    {"AES-128-CTR", "AES-192-CTR", "AES-256-CTR"},          {"AES-128-GCM", "AES-192-GCM", "AES-256-GCM"},
    {"AES-128-CCM", "AES-192-CCM", "AES-256-CCM"},          {"AES-128-WRAP", "AES-192-WRAP", "AES-256-WRAP"},
    {"AES-128-WRAP-PAD", "AES-192-WRAP-PAD", "AES-256-WRAP-PAD"}, {"AES-128-CBC-CTS", "AES-192-CBC-CTS", "AES-256-CBC-CTS"},
};

struct Fetched {
  std::array<std::array<CipherPtr, 3>, kAlgCount> aes;
  CipherPtr chacha20_poly1305;
  MacPtr cmac;
  Fetched() {
    ERR_set_mark();
    for (std::size_t a = 0; a < kAlgCount; ++a) {
      for (std::size_t k = 0; k < 3; ++k) aes[a][k].reset(EVP_CIPHER_fetch(libctx(), kAesNames[a][k], nullptr));
    }
    chacha20_poly1305.reset(EVP_CIPHER_fetch(libctx(), "ChaCha20-Poly1305", nullptr));
    cmac.reset(EVP_MAC_fetch(libctx(), "CMAC", nullptr));
    ERR_pop_to_mark();
  }
};

const Fetched& fetched() {
  static const Fetched f;
  return f;
}

Result<const EVP_CIPHER*> aes_cipher(Alg alg, std::size_t key_len) {
  if (!aes_key_size_ok(key_len)) return fail(CKR_ARGUMENTS_BAD, "AES keys are 16, 24 or 32 bytes");
  const EVP_CIPHER* c = fetched().aes[alg][(key_len - 16) / 8].get();
  if (c == nullptr) return fail(CKR_FUNCTION_FAILED, "AES mode unavailable in the OpenSSL provider");
  return c;
}

Result<CtxOwner> new_ctx() {
  CtxOwner ctx(EVP_CIPHER_CTX_new());
  if (!ctx) return openssl_failure(CKR_HOST_MEMORY, "cannot allocate cipher context");
  return ctx;
}

int enc_flag(Direction dir) { return dir == Direction::kEncrypt ? 1 : 0; }

// EVP_CipherUpdate in int-sized pieces (a multiple of every block size). Returns bytes written.
Result<std::size_t> run(EVP_CIPHER_CTX* ctx, std::span<const std::uint8_t> in, std::uint8_t* out) {
  constexpr std::size_t kChunk = std::size_t{1} << 30;
  std::size_t written = 0;
  for (std::size_t off = 0; off < in.size(); off += kChunk) {
    const std::size_t n = std::min(kChunk, in.size() - off);
    int outl = 0;
    if (EVP_CipherUpdate(ctx, out + written, &outl, in.data() + off, static_cast<int>(n)) != 1 || outl < 0) {
      return openssl_failure(CKR_FUNCTION_FAILED, "cipher update failed");
    }
    written += static_cast<std::size_t>(outl);
  }
  return written;
}

// ---- GCM with IVs longer than OpenSSL takes ---------------------------------------------------
// SP 800-38D §7.1: for an IV other than 96 bits, J0 = GHASH_H(IV || 0^(s+64) || [len(IV)]_64).
// Only J0 matters afterwards, so a 16-byte IV' with the same J0 gives the same GCM output:
// J0 = ((IV'·H) ⊕ L)·H with L = [0]_64 || [128]_64, hence IV' = (J0·H⁻¹ ⊕ L)·H⁻¹.
// Field arithmetic in GCM's bit order (SP 800-38D §6.3), written without secret-dependent branches.
struct Gf128 {
  std::uint64_t hi = 0, lo = 0;
};

Gf128 gf_load(const std::uint8_t* p) {
  Gf128 r;
  for (int i = 0; i < 8; ++i) r.hi = (r.hi << 8) | p[i];
  for (int i = 8; i < 16; ++i) r.lo = (r.lo << 8) | p[i];
  return r;
}

void gf_store(Gf128 v, std::uint8_t* p) {
  for (int i = 7; i >= 0; --i, v.hi >>= 8) p[i] = static_cast<std::uint8_t>(v.hi);
  for (int i = 15; i >= 8; --i, v.lo >>= 8) p[i] = static_cast<std::uint8_t>(v.lo);
}

Gf128 gf_mul(Gf128 x, Gf128 y) {
  Gf128 z, v = y;
  for (int i = 0; i < 128; ++i) {
    const std::uint64_t bit = i < 64 ? (x.hi >> (63 - i)) & 1U : (x.lo >> (127 - i)) & 1U;
    const std::uint64_t take = 0 - bit;
    z.hi ^= v.hi & take;
    z.lo ^= v.lo & take;
    const std::uint64_t reduce = 0 - (v.lo & 1U);
    v.lo = (v.lo >> 1) | (v.hi << 63);
    v.hi = (v.hi >> 1) ^ (0xE100000000000000ULL & reduce);
  }
  return z;
}

// h^(2^128 - 2) = h⁻¹ for h ≠ 0.
Gf128 gf_inverse(Gf128 h) {
  Gf128 t = h;  // h^(2^k - 1), k = 1
  for (int k = 1; k < 127; ++k) t = gf_mul(gf_mul(t, t), h);
  return gf_mul(t, t);
}

Result<std::array<std::uint8_t, 16>> gcm_equivalent_iv(std::span<const std::uint8_t> key, std::span<const std::uint8_t> iv) {
  std::array<std::uint8_t, 16> block{};
  SecureBytes h_bytes(16);
  {
    CRATON_ASSIGN_OR_RETURN(CipherStream ecb, CipherStream::start(CipherKind::kAesEcb, key, {}, Direction::kEncrypt));
    CRATON_TRY(ecb.update(block, h_bytes.span()));
  }
  Gf128 h = gf_load(h_bytes.data());
  if ((h.hi | h.lo) == 0) return fail(CKR_FUNCTION_FAILED, "degenerate GCM hash key");
  Gf128 y;
  for (std::size_t off = 0; off < iv.size(); off += 16) {
    block.fill(0);
    std::memcpy(block.data(), iv.data() + off, std::min<std::size_t>(16, iv.size() - off));
    const Gf128 x = gf_load(block.data());
    y = gf_mul(Gf128{y.hi ^ x.hi, y.lo ^ x.lo}, h);
  }
  const std::uint64_t iv_bits = static_cast<std::uint64_t>(iv.size()) * 8;
  Gf128 j0 = gf_mul(Gf128{y.hi, y.lo ^ iv_bits}, h);
  Gf128 h_inv = gf_inverse(h);
  Gf128 t = gf_mul(j0, h_inv);
  gf_store(gf_mul(Gf128{t.hi, t.lo ^ 128U}, h_inv), block.data());
  for (Gf128* secret : {&h, &y, &j0, &h_inv, &t}) OPENSSL_cleanse(secret, sizeof *secret);
  return block;
}

// OpenSSL keeps GCM IVs of up to 128 bytes.
constexpr std::size_t kOpensslGcmIvMax = 128;

}  // namespace

// ---- CipherStream --------------------------------------------------------------------------------

Result<CipherStream> CipherStream::start(CipherKind kind, std::span<const std::uint8_t> key,
                                         std::span<const std::uint8_t> iv, Direction dir) {
  Alg alg = kEcb;
  switch (kind) {
    case CipherKind::kAesEcb: alg = kEcb; break;
    case CipherKind::kAesCbc: alg = kCbc; break;
    case CipherKind::kAesCtr: alg = kCtr; break;
    default: return fail(CKR_ARGUMENTS_BAD, "not a plain cipher mode");
  }
  if (iv.size() != (alg == kEcb ? 0U : kAesBlockSize)) return fail(CKR_ARGUMENTS_BAD, "wrong IV size for the mode");
  CRATON_ASSIGN_OR_RETURN(const EVP_CIPHER* c, aes_cipher(alg, key.size()));
  CRATON_ASSIGN_OR_RETURN(CtxOwner ctx, new_ctx());
  if (EVP_CipherInit_ex2(ctx.get(), c, key.data(), iv.empty() ? nullptr : iv.data(), enc_flag(dir), nullptr) != 1 ||
      EVP_CIPHER_CTX_set_padding(ctx.get(), 0) != 1) {
    return openssl_failure(CKR_FUNCTION_FAILED, "cipher init failed");
  }
  return CipherStream(std::move(ctx));
}

Result<CipherStream> CipherStream::start_aead(CipherKind kind, std::span<const std::uint8_t> key,
                                              std::span<const std::uint8_t> iv, std::span<const std::uint8_t> aad,
                                              Direction dir) {
  CRATON_ASSIGN_OR_RETURN(const KeyedAead keyed, KeyedAead::create(kind, key));
  return keyed.start_with(iv, aad, dir, /*pooled=*/false);  // the key dies here, the stream lives on
}

// Keyed AEAD contexts whose message completed, ready for the next message of the same key.
// Taking and giving never wait: under contention the caller copies the template or frees the
// context instead, so the pool is only ever a shortcut. The pool is sharded by thread
// (common/sharded_mutex.h): threads encrypting under the same key each use their own shard, so
// they neither write a shared flag nor hand contexts (and their cache lines) to each other.
class AeadContextPool {
 public:
  CtxOwner take() noexcept { return mine().take(); }
  // A context not kept is freed (and wiped by OpenSSL) on return, outside the flag.
  void give(CtxOwner ctx) noexcept { mine().give(std::move(ctx)); }

 private:
  struct alignas(128) Shard {
    CtxOwner take() noexcept {
      CtxOwner ctx;
      if (busy.test_and_set(std::memory_order_acquire)) return ctx;
      ctx = std::move(free);
      busy.clear(std::memory_order_release);
      return ctx;
    }
    void give(CtxOwner ctx) noexcept {
      if (busy.test_and_set(std::memory_order_acquire)) return;
      if (!free) free = std::move(ctx);
      busy.clear(std::memory_order_release);
    }
    std::atomic_flag busy;
    CtxOwner free;  // one context per thread using the key
  };
  static constexpr std::size_t kShards = 8;
  Shard& mine() noexcept { return shards_[thread_shard() % kShards]; }
  std::array<Shard, kShards> shards_;
};

// The IV length a keyed template (and so every pooled context) is set up for.
constexpr std::size_t kAeadDefaultIvBytes = 12;

CipherStream::~CipherStream() {
  if (home_ && complete_ && ctx_) home_->give(std::move(ctx_));
}

Result<KeyedAead> KeyedAead::create(CipherKind kind, std::span<const std::uint8_t> key) {
  const EVP_CIPHER* c = nullptr;
  if (kind == CipherKind::kAesGcm) {
    CRATON_ASSIGN_OR_RETURN(c, aes_cipher(kGcm, key.size()));
  } else if (kind == CipherKind::kChaCha20Poly1305) {
    if (key.size() != 32) return fail(CKR_ARGUMENTS_BAD, "ChaCha20-Poly1305 needs a 32-byte key");
    c = fetched().chacha20_poly1305.get();
    if (c == nullptr) return fail(CKR_FUNCTION_FAILED, "ChaCha20-Poly1305 unavailable in the OpenSSL provider");
  } else {
    return fail(CKR_ARGUMENTS_BAD, "not an AEAD mode");
  }
  CRATON_ASSIGN_OR_RETURN(CtxOwner ctx, new_ctx());
  if (EVP_CipherInit_ex2(ctx.get(), c, key.data(), nullptr, 1, nullptr) != 1) {
    return openssl_failure(CKR_FUNCTION_FAILED, "AEAD key setup failed");
  }
  return KeyedAead(kind, std::move(ctx), SecureBytes(key), std::make_unique<AeadContextPool>());
}

KeyedAead::KeyedAead(CipherKind kind, CtxOwner tmpl, SecureBytes key, std::unique_ptr<AeadContextPool> pool)
    : kind_(kind), tmpl_(std::move(tmpl)), key_(std::move(key)), pool_(std::move(pool)) {}
KeyedAead::KeyedAead(KeyedAead&&) noexcept = default;
KeyedAead& KeyedAead::operator=(KeyedAead&&) noexcept = default;
KeyedAead::~KeyedAead() = default;

Result<CipherStream> KeyedAead::start(std::span<const std::uint8_t> iv, std::span<const std::uint8_t> aad,
                                      Direction dir) const {
  return start_with(iv, aad, dir, /*pooled=*/true);
}

Result<CipherStream> KeyedAead::start_with(std::span<const std::uint8_t> iv, std::span<const std::uint8_t> aad,
                                           Direction dir, bool pooled) const {
  std::array<std::uint8_t, 16> long_iv{};
  if (kind_ == CipherKind::kAesGcm) {
    if (iv.empty() || iv.size() > kGcmMaxIvBytes) return fail(CKR_ARGUMENTS_BAD, "GCM IV size out of range");
    if (iv.size() > kOpensslGcmIvMax) {
      CRATON_ASSIGN_OR_RETURN(long_iv, gcm_equivalent_iv(key_.span(), iv));
      iv = long_iv;
    }
  } else if (iv.size() != kAeadDefaultIvBytes) {
    return fail(CKR_ARGUMENTS_BAD, "ChaCha20-Poly1305 needs a 12-byte nonce");
  }
  if (!fits_int(aad.size())) return fail(CKR_DATA_LEN_RANGE, "AAD too long");
  // Pooled contexts keep the template's IV length, so only default-length IVs use (and refill) the pool.
  const bool poolable = pooled && iv.size() == kAeadDefaultIvBytes;
  CtxOwner ctx = poolable ? pool_->take() : CtxOwner();
  bool ok = true;
  if (!ctx) {
    CRATON_ASSIGN_OR_RETURN(ctx, new_ctx());
    ok = EVP_CIPHER_CTX_copy(ctx.get(), tmpl_.get()) == 1 &&
         (poolable ||
          EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_AEAD_SET_IVLEN, static_cast<int>(iv.size()), nullptr) == 1);
  }
  // A new IV resets every per-message value of the context (counter, GHASH / Poly1305 state, AAD,
  // lengths); a tag for decryption is always set again by finish_check before the final step.
  ok = ok && EVP_CipherInit_ex2(ctx.get(), nullptr, nullptr, iv.data(), enc_flag(dir), nullptr) == 1;
  if (iv.data() == long_iv.data()) OPENSSL_cleanse(long_iv.data(), long_iv.size());
  if (!ok) return openssl_failure(CKR_FUNCTION_FAILED, "AEAD init failed");
  int outl = 0;
  if (!aad.empty() && EVP_CipherUpdate(ctx.get(), nullptr, &outl, aad.data(), static_cast<int>(aad.size())) != 1) {
    return openssl_failure(CKR_FUNCTION_FAILED, "AEAD AAD failed");
  }
  return CipherStream(std::move(ctx), poolable ? pool_.get() : nullptr);
}

Status CipherStream::update(std::span<const std::uint8_t> in, std::span<std::uint8_t> out) {
  if (in.empty()) return {};
  if (out.size() < in.size()) return fail(CKR_GENERAL_ERROR, "cipher output buffer too small");
  CRATON_ASSIGN_OR_RETURN(const std::size_t n, run(ctx_.get(), in, out.data()));
  if (n != in.size()) return fail(CKR_GENERAL_ERROR, "cipher produced an unexpected length");
  return {};
}

Result<std::vector<std::uint8_t>> CipherStream::finish_tag(std::size_t tag_len) {
  if (tag_len == 0 || tag_len > 16) return fail(CKR_ARGUMENTS_BAD, "tag length out of range");
  std::vector<std::uint8_t> tag(tag_len);
  CRATON_TRY(finish_tag_into(tag));
  return tag;
}

Status CipherStream::finish_tag_into(std::span<std::uint8_t> tag) {
  if (tag.empty() || tag.size() > 16) return fail(CKR_ARGUMENTS_BAD, "tag length out of range");
  std::array<std::uint8_t, 16> sink{};
  int outl = 0;
  if (EVP_CipherFinal_ex(ctx_.get(), sink.data(), &outl) != 1 || outl != 0 ||
      EVP_CIPHER_CTX_ctrl(ctx_.get(), EVP_CTRL_AEAD_GET_TAG, static_cast<int>(tag.size()), tag.data()) != 1) {
    return openssl_failure(CKR_FUNCTION_FAILED, "AEAD tag failed");
  }
  complete_ = true;
  return {};
}

Status CipherStream::finish_check(std::span<const std::uint8_t> tag) {
  if (tag.empty() || tag.size() > 16) return fail(CKR_ENCRYPTED_DATA_INVALID, "authentication failed");
  std::array<std::uint8_t, 16> t{};  // the ctrl interface wants a mutable buffer
  std::copy(tag.begin(), tag.end(), t.begin());
  if (EVP_CIPHER_CTX_ctrl(ctx_.get(), EVP_CTRL_AEAD_SET_TAG, static_cast<int>(tag.size()), t.data()) != 1) {
    return openssl_failure(CKR_FUNCTION_FAILED, "AEAD tag failed");
  }
  std::array<std::uint8_t, 16> sink{};
  int outl = 0;
  if (EVP_CipherFinal_ex(ctx_.get(), sink.data(), &outl) != 1) {
    return openssl_failure(CKR_ENCRYPTED_DATA_INVALID, "authentication failed");
  }
  complete_ = true;
  return {};
}

// ---- one-shot modes --------------------------------------------------------------------------------

Result<SecureBytes> aes_cbc_cs3(std::span<const std::uint8_t> key, std::span<const std::uint8_t> iv,
                                std::span<const std::uint8_t> in, Direction dir) {
  if (iv.size() != kAesBlockSize) return fail(CKR_ARGUMENTS_BAD, "CTS needs a 16-byte IV");
  if (in.size() < kAesBlockSize) return fail(CKR_ARGUMENTS_BAD, "CTS needs at least one block");
  if (!fits_int(in.size() + kAesBlockSize)) return fail(CKR_DATA_LEN_RANGE, "input too long");
  CRATON_ASSIGN_OR_RETURN(const EVP_CIPHER* c, aes_cipher(kCts, key.size()));
  CRATON_ASSIGN_OR_RETURN(CtxOwner ctx, new_ctx());
  char mode[] = "CS3";
  const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_CIPHER_PARAM_CTS_MODE, mode, 0),
                               OSSL_PARAM_construct_end()};
  if (EVP_CipherInit_ex2(ctx.get(), c, key.data(), iv.data(), enc_flag(dir), params) != 1) {
    return openssl_failure(CKR_FUNCTION_FAILED, "CTS init failed");
  }
  SecureBytes out(in.size() + kAesBlockSize);  // EVP wants room for a block more than the input
  CRATON_ASSIGN_OR_RETURN(std::size_t n, run(ctx.get(), in, out.data()));
  int outl = 0;
  if (EVP_CipherFinal_ex(ctx.get(), out.data() + n, &outl) != 1) return openssl_failure(CKR_FUNCTION_FAILED, "CTS failed");
  n += static_cast<std::size_t>(outl);
  if (n != in.size()) return fail(CKR_GENERAL_ERROR, "CTS produced an unexpected length");
  out.resize(n);
  return out;
}

namespace {

Result<CtxOwner> ccm_start(std::span<const std::uint8_t> key, std::span<const std::uint8_t> nonce,
                           std::span<const std::uint8_t> aad, std::size_t data_len, std::span<const std::uint8_t> tag,
                           std::size_t tag_len, Direction dir) {
  if (nonce.size() < 7 || nonce.size() > 13 || tag_len < 4 || tag_len > 16 || tag_len % 2 != 0) {
    return fail(CKR_ARGUMENTS_BAD, "CCM nonce or tag size out of range");
  }
  if (!fits_int(aad.size()) || !fits_int(data_len + tag_len)) return fail(CKR_DATA_LEN_RANGE, "CCM input too long");
  CRATON_ASSIGN_OR_RETURN(const EVP_CIPHER* c, aes_cipher(kCcm, key.size()));
  CRATON_ASSIGN_OR_RETURN(CtxOwner ctx, new_ctx());
  const int enc = enc_flag(dir);
  std::array<std::uint8_t, 16> t{};
  std::copy(tag.begin(), tag.end(), t.begin());
  int outl = 0;
  if (EVP_CipherInit_ex2(ctx.get(), c, nullptr, nullptr, enc, nullptr) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_AEAD_SET_IVLEN, static_cast<int>(nonce.size()), nullptr) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_AEAD_SET_TAG, static_cast<int>(tag_len),
                          dir == Direction::kEncrypt ? nullptr : t.data()) != 1 ||
      EVP_CipherInit_ex2(ctx.get(), nullptr, key.data(), nonce.data(), enc, nullptr) != 1 ||
      EVP_CipherUpdate(ctx.get(), nullptr, &outl, nullptr, static_cast<int>(data_len)) != 1) {
    return openssl_failure(CKR_FUNCTION_FAILED, "CCM init failed");
  }
  if (!aad.empty() && EVP_CipherUpdate(ctx.get(), nullptr, &outl, aad.data(), static_cast<int>(aad.size())) != 1) {
    return openssl_failure(CKR_FUNCTION_FAILED, "CCM AAD failed");
  }
  return ctx;
}

}  // namespace

Result<SecureBytes> aes_ccm_seal(std::span<const std::uint8_t> key, std::span<const std::uint8_t> nonce,
                                 std::span<const std::uint8_t> aad, std::span<const std::uint8_t> plaintext,
                                 std::size_t tag_len) {
  CRATON_ASSIGN_OR_RETURN(CtxOwner ctx, ccm_start(key, nonce, aad, plaintext.size(), {}, tag_len, Direction::kEncrypt));
  SecureBytes out(plaintext.size() + tag_len);
  static constexpr std::uint8_t kNone = 0;  // CCM treats a null input as "finish": empty data needs a pointer
  int outl = 0;
  if (EVP_CipherUpdate(ctx.get(), out.data(), &outl, plaintext.empty() ? &kNone : plaintext.data(),
                       static_cast<int>(plaintext.size())) != 1 ||
      static_cast<std::size_t>(outl) != plaintext.size()) {
    return openssl_failure(CKR_FUNCTION_FAILED, "CCM encrypt failed");
  }
  int final_len = 0;
  if (EVP_CipherFinal_ex(ctx.get(), out.data() + outl, &final_len) != 1 || final_len != 0 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_AEAD_GET_TAG, static_cast<int>(tag_len), out.data() + plaintext.size()) != 1) {
    return openssl_failure(CKR_FUNCTION_FAILED, "CCM tag failed");
  }
  return out;
}

Result<SecureBytes> aes_ccm_open(std::span<const std::uint8_t> key, std::span<const std::uint8_t> nonce,
                                 std::span<const std::uint8_t> aad, std::span<const std::uint8_t> ciphertext,
                                 std::span<const std::uint8_t> tag) {
  CRATON_ASSIGN_OR_RETURN(CtxOwner ctx, ccm_start(key, nonce, aad, ciphertext.size(), tag, tag.size(), Direction::kDecrypt));
  SecureBytes out(ciphertext.size() + 1);
  static constexpr std::uint8_t kNone = 0;
  int outl = 0;
  // The tag is checked inside this call; on mismatch OpenSSL wipes its output.
  if (EVP_CipherUpdate(ctx.get(), out.data(), &outl, ciphertext.empty() ? &kNone : ciphertext.data(),
                       static_cast<int>(ciphertext.size())) != 1) {
    return openssl_failure(CKR_ENCRYPTED_DATA_INVALID, "authentication failed");
  }
  out.resize(ciphertext.size());
  return out;
}

Result<SecureBytes> aes_key_wrap(std::span<const std::uint8_t> key, std::span<const std::uint8_t> iv, bool padded,
                                 std::span<const std::uint8_t> in, Direction dir) {
  if (!iv.empty() && iv.size() != (padded ? 4U : 8U)) return fail(CKR_ARGUMENTS_BAD, "wrong key-wrap IV size");
  if (dir == Direction::kEncrypt) {
    if (in.empty() || (!padded && (in.size() % 8 != 0 || in.size() < 16))) return fail(CKR_DATA_LEN_RANGE, "wrong length to wrap");
  } else if (in.size() % 8 != 0 || in.size() < (padded ? 16U : 24U)) {
    return fail(CKR_ENCRYPTED_DATA_LEN_RANGE, "wrong wrapped length");
  }
  if (!fits_int(in.size() + 16)) return fail(CKR_DATA_LEN_RANGE, "input too long");
  CRATON_ASSIGN_OR_RETURN(const EVP_CIPHER* c, aes_cipher(padded ? kWrapPad : kWrap, key.size()));
  CRATON_ASSIGN_OR_RETURN(CtxOwner ctx, new_ctx());
  EVP_CIPHER_CTX_set_flags(ctx.get(), EVP_CIPHER_CTX_FLAG_WRAP_ALLOW);
  if (EVP_CipherInit_ex2(ctx.get(), c, key.data(), iv.empty() ? nullptr : iv.data(), enc_flag(dir), nullptr) != 1) {
    return openssl_failure(CKR_FUNCTION_FAILED, "key wrap init failed");
  }
  // Room for the largest result and for EVP's own output-size estimate.
  SecureBytes out(in.size() + 16);
  int outl = 0;
  if (EVP_CipherUpdate(ctx.get(), out.data(), &outl, in.data(), static_cast<int>(in.size())) != 1 || outl <= 0) {
    return dir == Direction::kEncrypt ? openssl_failure(CKR_FUNCTION_FAILED, "key wrap failed")
                                      : openssl_failure(CKR_ENCRYPTED_DATA_INVALID, "key unwrap integrity check failed");
  }
  int final_len = 0;
  if (EVP_CipherFinal_ex(ctx.get(), out.data() + outl, &final_len) != 1) {
    return openssl_failure(CKR_FUNCTION_FAILED, "key wrap failed");
  }
  out.resize(static_cast<std::size_t>(outl) + static_cast<std::size_t>(final_len));
  return out;
}

// ---- CMAC ----------------------------------------------------------------------------------------

Result<CmacKey> CmacKey::create(std::span<const std::uint8_t> key) {
  if (!aes_key_size_ok(key.size())) return fail(CKR_ARGUMENTS_BAD, "AES keys are 16, 24 or 32 bytes");
  EVP_MAC* mac = fetched().cmac.get();
  if (mac == nullptr) return fail(CKR_FUNCTION_FAILED, "CMAC unavailable in the OpenSSL provider");
  std::unique_ptr<evp_mac_ctx_st, MacCtxFree> ctx(EVP_MAC_CTX_new(mac));
  if (!ctx) return openssl_failure(CKR_HOST_MEMORY, "cannot allocate MAC context");
  static constexpr const char* kCbc[3] = {"AES-128-CBC", "AES-192-CBC", "AES-256-CBC"};
  std::string cipher = kCbc[(key.size() - 16) / 8];  // OSSL_PARAM wants a mutable char*
  const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_CIPHER, cipher.data(), 0), OSSL_PARAM_construct_end()};
  if (EVP_MAC_init(ctx.get(), key.data(), key.size(), params) != 1) return openssl_failure(CKR_FUNCTION_FAILED, "CMAC init failed");
  return CmacKey(std::move(ctx));
}

Result<CmacStream> CmacKey::start() const {
  std::unique_ptr<evp_mac_ctx_st, MacCtxFree> ctx(EVP_MAC_CTX_dup(ctx_.get()));
  if (!ctx) return openssl_failure(CKR_HOST_MEMORY, "cannot copy MAC context");
  return CmacStream(std::move(ctx));
}

Status CmacStream::update(std::span<const std::uint8_t> data) {
  if (!data.empty() && EVP_MAC_update(ctx_.get(), data.data(), data.size()) != 1) {
    return openssl_failure(CKR_FUNCTION_FAILED, "CMAC update failed");
  }
  return {};
}

Result<std::array<std::uint8_t, kAesBlockSize>> CmacStream::finish() {
  std::array<std::uint8_t, kAesBlockSize> out{};
  std::size_t n = 0;
  if (EVP_MAC_final(ctx_.get(), out.data(), &n, out.size()) != 1 || n != out.size()) {
    return openssl_failure(CKR_FUNCTION_FAILED, "CMAC failed");
  }
  return out;
}

}  // namespace craton::crypto
