// Symmetric rows: AES-256-GCM and AES-256-CBC encryption, SHA-256, HMAC-SHA-256, random bytes.
// API: C_EncryptInit + C_Encrypt (C_DigestInit + C_Digest, C_SignInit + C_Sign) per message, the
// AES and HMAC keys generated on the token; C_GenerateRandom. Raw: OpenSSL 3 EVP with a fresh
// context per message (EVP_Digest, EVP_MAC, EVP_EncryptInit_ex2), RAND_bytes.
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "rows.h"

namespace craton::bench {
namespace {

using Bytes = std::vector<CK_BYTE>;
constexpr std::size_t k4K = 4096;
constexpr std::size_t k1M = 1 << 20;

CK_OBJECT_HANDLE aes_key(Module& m) {
  CK_ULONG len = 32;
  CK_BBOOL yes = CK_TRUE;
  return m.secret_key("aes256", CKM_AES_KEY_GEN,
                      {{CKA_VALUE_LEN, &len, sizeof len}, {CKA_ENCRYPT, &yes, 1}, {CKA_DECRYPT, &yes, 1}});
}

CK_OBJECT_HANDLE hmac_key(Module& m) {
  CK_ULONG len = 32;
  CK_BBOOL yes = CK_TRUE;
  CK_KEY_TYPE type = CKK_GENERIC_SECRET;
  return m.secret_key("hmac", CKM_GENERIC_SECRET_KEY_GEN,
                      {{CKA_VALUE_LEN, &len, sizeof len}, {CKA_KEY_TYPE, &type, sizeof type},
                       {CKA_SIGN, &yes, 1}, {CKA_VERIFY, &yes, 1}});
}

void api_encrypt(Module& m, benchmark::State& state, bool gcm, std::size_t size) {
  CK_OBJECT_HANDLE key = aes_key(m);
  Session s(m);
  Bytes in(size, 0x42), out(size + 64), iv(gcm ? 12 : 16, 7);
  CK_GCM_PARAMS gcm_params{iv.data(), iv.size(), 96, nullptr, 0, 128};
  CK_MECHANISM mech = gcm ? CK_MECHANISM{CKM_AES_GCM, &gcm_params, sizeof gcm_params}
                          : CK_MECHANISM{CKM_AES_CBC, iv.data(), iv.size()};
  for (auto _ : state) {
    CK_ULONG n = out.size();
    check(m.f->C_EncryptInit(s.get(), &mech, key), "C_EncryptInit");
    check(m.f->C_Encrypt(s.get(), in.data(), in.size(), out.data(), &n), "C_Encrypt");
    benchmark::DoNotOptimize(out.data());
  }
  count_items(state);
}

void raw_encrypt(benchmark::State& state, bool gcm, std::size_t size) {
  Bytes key(32, 1), iv(gcm ? 12 : 16, 7), in(size, 0x42), out(size + 32), tag(16);
  EVP_CIPHER* cipher = EVP_CIPHER_fetch(nullptr, gcm ? "AES-256-GCM" : "AES-256-CBC", nullptr);
  for (auto _ : state) {
    EVP_CIPHER_CTX* c = EVP_CIPHER_CTX_new();
    int n = 0, last = 0;
    EVP_EncryptInit_ex2(c, cipher, key.data(), iv.data(), nullptr);
    if (!gcm) EVP_CIPHER_CTX_set_padding(c, 0);
    EVP_EncryptUpdate(c, out.data(), &n, in.data(), static_cast<int>(in.size()));
    EVP_EncryptFinal_ex(c, out.data() + n, &last);
    if (gcm) EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, 16, tag.data());
    EVP_CIPHER_CTX_free(c);
    benchmark::DoNotOptimize(out.data());
  }
  EVP_CIPHER_free(cipher);
  count_items(state);
}

// The PKCS#11 3.0 message API: one C_MessageEncryptInit, then one C_EncryptMessage per message.
// Its floor keeps one keyed OpenSSL context and only sets the IV per message.
void api_gcm_message(Module& m, benchmark::State& state) {
  CK_OBJECT_HANDLE key = aes_key(m);
  if (m.f3 == nullptr) return not_supported(state, "no PKCS#11 3.0 message API");
  Session s(m);
  Bytes in(k4K, 0x42), out(k4K), iv(12, 7), tag(16);
  CK_MECHANISM mech{CKM_AES_GCM, nullptr, 0};
  check(m.f3->C_MessageEncryptInit(s.get(), &mech, key), "C_MessageEncryptInit");
  for (auto _ : state) {
    CK_GCM_MESSAGE_PARAMS p{iv.data(), iv.size(), 0, CKG_NO_GENERATE, tag.data(), 128};
    CK_ULONG n = out.size();
    check(m.f3->C_EncryptMessage(s.get(), &p, sizeof p, nullptr, 0, in.data(), in.size(), out.data(), &n),
          "C_EncryptMessage");
    benchmark::DoNotOptimize(out.data());
  }
  check(m.f3->C_MessageEncryptFinal(s.get()), "C_MessageEncryptFinal");
  count_items(state);
}

void raw_gcm_keyed(benchmark::State& state) {
  Bytes key(32, 1), iv(12, 7), in(k4K, 0x42), out(k4K + 16), tag(16);
  EVP_CIPHER* cipher = EVP_CIPHER_fetch(nullptr, "AES-256-GCM", nullptr);
  EVP_CIPHER_CTX* c = EVP_CIPHER_CTX_new();
  EVP_EncryptInit_ex2(c, cipher, key.data(), nullptr, nullptr);
  for (auto _ : state) {
    int n = 0, last = 0;
    EVP_EncryptInit_ex2(c, nullptr, nullptr, iv.data(), nullptr);
    EVP_EncryptUpdate(c, out.data(), &n, in.data(), static_cast<int>(in.size()));
    EVP_EncryptFinal_ex(c, out.data() + n, &last);
    EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, 16, tag.data());
    benchmark::DoNotOptimize(out.data());
  }
  EVP_CIPHER_CTX_free(c);
  EVP_CIPHER_free(cipher);
  count_items(state);
}

void api_digest(Module& m, benchmark::State& state, std::size_t size) {
  m.use_keys();
  Session s(m);
  Bytes in(size, 0x42), out(32);
  CK_MECHANISM mech{CKM_SHA256, nullptr, 0};
  for (auto _ : state) {
    CK_ULONG n = out.size();
    check(m.f->C_DigestInit(s.get(), &mech), "C_DigestInit");
    check(m.f->C_Digest(s.get(), in.data(), in.size(), out.data(), &n), "C_Digest");
    benchmark::DoNotOptimize(out.data());
  }
  count_items(state);
}

void raw_digest(benchmark::State& state, std::size_t size) {
  Bytes in(size, 0x42), out(32);
  for (auto _ : state) {
    unsigned n = 0;
    EVP_Digest(in.data(), in.size(), out.data(), &n, EVP_sha256(), nullptr);
    benchmark::DoNotOptimize(out.data());
  }
  count_items(state);
}

void api_hmac(Module& m, benchmark::State& state) {
  sign_loop(m, state, CK_MECHANISM{CKM_SHA256_HMAC, nullptr, 0}, hmac_key(m), k4K);
}

void raw_hmac(benchmark::State& state) {
  Bytes key(32, 3), in(k4K, 0x42), out(32);
  EVP_MAC* mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  char digest[] = "SHA256";
  OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0), OSSL_PARAM_construct_end()};
  for (auto _ : state) {
    EVP_MAC_CTX* c = EVP_MAC_CTX_new(mac);
    std::size_t n = 0;
    EVP_MAC_init(c, key.data(), key.size(), params);
    EVP_MAC_update(c, in.data(), in.size());
    EVP_MAC_final(c, out.data(), &n, out.size());
    EVP_MAC_CTX_free(c);
    benchmark::DoNotOptimize(out.data());
  }
  EVP_MAC_free(mac);
  count_items(state);
}

void api_random(Module& m, benchmark::State& state) {
  m.use_keys();
  Session s(m);
  Bytes out(32);
  for (auto _ : state) {
    check(m.f->C_GenerateRandom(s.get(), out.data(), out.size()), "C_GenerateRandom");
    benchmark::DoNotOptimize(out.data());
  }
  count_items(state);
}

void raw_random(benchmark::State& state) {
  Bytes out(32);
  for (auto _ : state) {
    RAND_bytes(out.data(), static_cast<int>(out.size()));
    benchmark::DoNotOptimize(out.data());
  }
  count_items(state);
}

}  // namespace

void add_cipher_rows(std::vector<Row>& rows) {
  const std::string group = "Ciphers, digests, MACs, random";
  for (bool gcm : {true, false}) {
    for (std::size_t size : {k4K, k1M}) {
      const std::string name = gcm ? "aes256gcm" : "aes256cbc";
      const std::string sz = size == k4K ? "4k" : "1m";
      const std::string title = std::string(gcm ? "AES-256-GCM" : "AES-256-CBC") + " encrypt " +
                                (size == k4K ? "4 KiB" : "1 MiB") + (gcm ? " (CKM_AES_GCM)" : " (CKM_AES_CBC)");
      rows.push_back({"encrypt/" + name + "/" + sz, group, title,
                      [gcm, size](Module& m, benchmark::State& s) { api_encrypt(m, s, gcm, size); },
                      [gcm, size](benchmark::State& s) { raw_encrypt(s, gcm, size); }});
    }
  }
  rows.push_back({"encrypt-message/aes256gcm/4k", group,
                  "AES-256-GCM 4 KiB, one C_EncryptMessage per message (3.0 message API; raw: keyed context)",
                  api_gcm_message, raw_gcm_keyed});
  for (std::size_t size : {k4K, k1M}) {
    rows.push_back({std::string("digest/sha256/") + (size == k4K ? "4k" : "1m"), group,
                    std::string("SHA-256 ") + (size == k4K ? "4 KiB" : "1 MiB") + " (CKM_SHA256)",
                    [size](Module& m, benchmark::State& s) { api_digest(m, s, size); },
                    [size](benchmark::State& s) { raw_digest(s, size); }});
  }
  rows.push_back({"mac/hmac-sha256/4k", group, "HMAC-SHA-256 4 KiB (CKM_SHA256_HMAC)", api_hmac, raw_hmac});
  rows.push_back({"random/32", group, "random 32 bytes (C_GenerateRandom)", api_random, raw_random});
}

}  // namespace craton::bench
