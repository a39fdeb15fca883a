// Per-operation cost of the classical mechanisms through the PKCS#11 API of a module (default:
// the one just built; CRATON_BENCH_MODULE=/usr/lib/softhsm/libsofthsm2.so measures SoftHSMv2 on
// the same workload), next to the same operation done directly with OpenSSL 3 EVP ("Raw*").
//
//   Api/RsaSign2048    C_SignInit + C_Sign, CKM_SHA256_RSA_PKCS, 32-byte message
//   Api/EcdsaSignP256  C_SignInit + C_Sign, CKM_ECDSA over a 32-byte hash
//   Api/Ed25519Sign    C_SignInit + C_Sign, CKM_EDDSA, 32-byte message
//   Api/AesGcm4k       C_EncryptInit + C_Encrypt, CKM_AES_GCM, 4 KiB, 256-bit key
//   Api/AesGcm4kMessage one C_EncryptMessage per 4 KiB message after one C_MessageEncryptInit
//   Api/*ParallelN     the same from N threads, one session each (shows no global lock)
// Keys are session keys generated on the token; every iteration includes the Init call, as a
// client does per message. Raw_* do the same work straight on OpenSSL with a fresh context per
// operation; Raw_AesGcm4kKeyed keeps one keyed context and only sets the IV per message (the
// floor for a 4 KiB AES-GCM message on this OpenSSL).
// The machine this runs on is often busy: compare Api_* with Raw_* from the same run, with
// --benchmark_enable_random_interleaving=true and several repetitions (medians), see PERFORMANCE.md.
#include <benchmark/benchmark.h>
#include <dlfcn.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/rand.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include "bench_module.h"

namespace {

using craton::bench::BenchModule;
using craton::bench::check;

struct Keys {
  CK_OBJECT_HANDLE rsa = 0, ec = 0, ed = 0, aes = 0;
};

Keys make_keys(BenchModule& m, CK_SESSION_HANDLE s) {
  Keys k;
  CK_BBOOL yes = CK_TRUE;
  CK_OBJECT_HANDLE pub = 0;
  CK_ULONG bits = 2048;
  CK_ATTRIBUTE rsa_pub[] = {{CKA_MODULUS_BITS, &bits, sizeof bits}, {CKA_VERIFY, &yes, 1}};
  CK_ATTRIBUTE priv[] = {{CKA_SIGN, &yes, 1}, {CKA_PRIVATE, &yes, 1}};
  CK_MECHANISM rsa_gen{CKM_RSA_PKCS_KEY_PAIR_GEN, nullptr, 0};
  check(m.f->C_GenerateKeyPair(s, &rsa_gen, rsa_pub, 2, priv, 2, &pub, &k.rsa), "RSA keygen");
  std::vector<CK_BYTE> p256 = {0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07};
  CK_ATTRIBUTE ec_pub[] = {{CKA_EC_PARAMS, p256.data(), p256.size()}, {CKA_VERIFY, &yes, 1}};
  CK_MECHANISM ec_gen{CKM_EC_KEY_PAIR_GEN, nullptr, 0};
  check(m.f->C_GenerateKeyPair(s, &ec_gen, ec_pub, 2, priv, 2, &pub, &k.ec), "EC keygen");
  std::vector<CK_BYTE> ed25519 = {0x13, 0x0c, 'e', 'd', 'w', 'a', 'r', 'd', 's', '2', '5', '5', '1', '9'};
  CK_ATTRIBUTE ed_pub[] = {{CKA_EC_PARAMS, ed25519.data(), ed25519.size()}, {CKA_VERIFY, &yes, 1}};
  CK_MECHANISM ed_gen{CKM_EC_EDWARDS_KEY_PAIR_GEN, nullptr, 0};
  check(m.f->C_GenerateKeyPair(s, &ed_gen, ed_pub, 2, priv, 2, &pub, &k.ed), "Ed25519 keygen");
  CK_ULONG len = 32;
  CK_ATTRIBUTE aes[] = {{CKA_VALUE_LEN, &len, sizeof len}, {CKA_ENCRYPT, &yes, 1}};
  CK_MECHANISM aes_gen{CKM_AES_KEY_GEN, nullptr, 0};
  check(m.f->C_GenerateKey(s, &aes_gen, aes, 2, &k.aes), "AES keygen");
  return k;
}

// A token with one user, logged in, and the four benchmark keys.
struct Module : BenchModule {
  Keys keys = make_keys(*this, login_session);
};

Module& module() {
  static Module m;
  return m;
}

// One signing or encryption call as a client makes it (Init + single-part call).
struct ApiOp {
  CK_MECHANISM_TYPE mech;
  CK_OBJECT_HANDLE Keys::*key;
  bool encrypt;
  std::size_t input;
};

void run_api(benchmark::State& state, const ApiOp& op) {
  Module& m = module();
  CK_SESSION_HANDLE s = m.session();
  std::vector<CK_BYTE> in(op.input, 0x42), out(op.input + 1024);
  std::vector<CK_BYTE> iv(12, 7);
  CK_GCM_PARAMS gcm{iv.data(), iv.size(), 96, nullptr, 0, 128};
  CK_MECHANISM mech{op.mech, op.encrypt ? &gcm : nullptr, op.encrypt ? sizeof gcm : 0};
  for (auto _ : state) {
    CK_ULONG n = out.size();
    if (op.encrypt) {
      check(m.f->C_EncryptInit(s, &mech, m.keys.*op.key), "C_EncryptInit");
      check(m.f->C_Encrypt(s, in.data(), in.size(), out.data(), &n), "C_Encrypt");
    } else {
      check(m.f->C_SignInit(s, &mech, m.keys.*op.key), "C_SignInit");
      check(m.f->C_Sign(s, in.data(), in.size(), out.data(), &n), "C_Sign");
    }
    benchmark::DoNotOptimize(out.data());
  }
  m.f->C_CloseSession(s);
}

const ApiOp kRsa{CKM_SHA256_RSA_PKCS, &Keys::rsa, false, 32};
const ApiOp kEcdsa{CKM_ECDSA, &Keys::ec, false, 32};
const ApiOp kEd{CKM_EDDSA, &Keys::ed, false, 32};
const ApiOp kGcm{CKM_AES_GCM, &Keys::aes, true, 4096};

void Api_RsaSign2048(benchmark::State& st) { run_api(st, kRsa); }
void Api_EcdsaSignP256(benchmark::State& st) { run_api(st, kEcdsa); }
void Api_Ed25519Sign(benchmark::State& st) { run_api(st, kEd); }
void Api_AesGcm4k(benchmark::State& st) { run_api(st, kGcm); }
BENCHMARK(Api_RsaSign2048)->Unit(benchmark::kMicrosecond);
BENCHMARK(Api_EcdsaSignP256)->Unit(benchmark::kMicrosecond);
BENCHMARK(Api_Ed25519Sign)->Unit(benchmark::kMicrosecond);
BENCHMARK(Api_AesGcm4k)->Unit(benchmark::kMicrosecond);
// The 3.0 message API: one C_MessageEncryptInit, then one C_EncryptMessage per 4 KiB message (the
// AEAD interface PKCS#11 3.0 made for this: no Init per message).
void Api_AesGcm4kMessage(benchmark::State& state) {
  Module& m = module();
  CK_SESSION_HANDLE s = m.session();
  std::vector<CK_BYTE> in(4096, 0x42), out(4096), iv(12, 7), tag(16);
  if (m.f3 == nullptr) {
    state.SkipWithError("the module has no 3.0 interface");
    return;
  }
  CK_MECHANISM mech{CKM_AES_GCM, nullptr, 0};
  check(m.f3->C_MessageEncryptInit(s, &mech, m.keys.aes), "C_MessageEncryptInit");
  for (auto _ : state) {
    CK_GCM_MESSAGE_PARAMS p{iv.data(), iv.size(), 0, CKG_NO_GENERATE, tag.data(), 128};
    CK_ULONG n = out.size();
    check(m.f3->C_EncryptMessage(s, &p, sizeof p, nullptr, 0, in.data(), in.size(), out.data(), &n), "C_EncryptMessage");
    benchmark::DoNotOptimize(out.data());
  }
  m.f->C_CloseSession(s);
}
BENCHMARK(Api_AesGcm4kMessage)->Unit(benchmark::kMicrosecond);

// Two threads, two sessions: with no global lock the per-thread time stays flat.
BENCHMARK(Api_EcdsaSignP256)->Name("Api_EcdsaSignP256/threads")->Threads(2)->UseRealTime()->Unit(benchmark::kMicrosecond);

// ---- the same operations straight on OpenSSL (key generated once, context per operation) -------

EVP_PKEY* raw_key(const char* alg, const char* param, int bits = 0) {
  EVP_PKEY_CTX* c = EVP_PKEY_CTX_new_from_name(nullptr, alg, nullptr);
  EVP_PKEY* k = nullptr;
  EVP_PKEY_keygen_init(c);
  if (bits != 0) EVP_PKEY_CTX_set_rsa_keygen_bits(c, bits);
  if (param != nullptr) EVP_PKEY_CTX_set_group_name(c, param);
  EVP_PKEY_generate(c, &k);
  EVP_PKEY_CTX_free(c);
  return k;
}

void raw_sign(benchmark::State& state, EVP_PKEY* key, const EVP_MD* md, bool prehashed) {
  std::vector<unsigned char> in(32, 0x42), sig(1024);
  for (auto _ : state) {
    std::size_t n = sig.size();
    if (prehashed) {
      EVP_PKEY_CTX* c = EVP_PKEY_CTX_new(key, nullptr);
      EVP_PKEY_sign_init(c);
      EVP_PKEY_sign(c, sig.data(), &n, in.data(), in.size());
      EVP_PKEY_CTX_free(c);
    } else {
      EVP_MD_CTX* c = EVP_MD_CTX_new();
      EVP_DigestSignInit(c, nullptr, md, nullptr, key);
      EVP_DigestSign(c, sig.data(), &n, in.data(), in.size());
      EVP_MD_CTX_free(c);
    }
    benchmark::DoNotOptimize(sig.data());
  }
}

void Raw_RsaSign2048(benchmark::State& st) {
  static EVP_PKEY* k = raw_key("RSA", nullptr, 2048);
  raw_sign(st, k, EVP_sha256(), false);
}
void Raw_EcdsaSignP256(benchmark::State& st) {
  static EVP_PKEY* k = raw_key("EC", "P-256");
  raw_sign(st, k, nullptr, true);
}
void Raw_Ed25519Sign(benchmark::State& st) {
  static EVP_PKEY* k = raw_key("ED25519", nullptr);
  raw_sign(st, k, nullptr, false);
}
void Raw_AesGcm4k(benchmark::State& state) {
  std::vector<unsigned char> key(32, 1), iv(12, 7), in(4096, 0x42), out(4096 + 16), tag(16);
  EVP_CIPHER* cipher = EVP_CIPHER_fetch(nullptr, "AES-256-GCM", nullptr);
  for (auto _ : state) {
    EVP_CIPHER_CTX* c = EVP_CIPHER_CTX_new();
    int n = 0, m = 0;
    EVP_EncryptInit_ex2(c, cipher, key.data(), iv.data(), nullptr);
    EVP_EncryptUpdate(c, out.data(), &n, in.data(), static_cast<int>(in.size()));
    EVP_EncryptFinal_ex(c, out.data() + n, &m);
    EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, 16, tag.data());
    EVP_CIPHER_CTX_free(c);
    benchmark::DoNotOptimize(out.data());
  }
  EVP_CIPHER_free(cipher);
}
void Raw_AesGcm4kKeyed(benchmark::State& state) {
  std::vector<unsigned char> key(32, 1), iv(12, 7), in(4096, 0x42), out(4096 + 16), tag(16);
  EVP_CIPHER* cipher = EVP_CIPHER_fetch(nullptr, "AES-256-GCM", nullptr);
  EVP_CIPHER_CTX* c = EVP_CIPHER_CTX_new();
  EVP_EncryptInit_ex2(c, cipher, key.data(), nullptr, nullptr);
  for (auto _ : state) {
    int n = 0, m = 0;
    EVP_EncryptInit_ex2(c, nullptr, nullptr, iv.data(), nullptr);
    EVP_EncryptUpdate(c, out.data(), &n, in.data(), static_cast<int>(in.size()));
    EVP_EncryptFinal_ex(c, out.data() + n, &m);
    EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, 16, tag.data());
    benchmark::DoNotOptimize(out.data());
  }
  EVP_CIPHER_CTX_free(c);
  EVP_CIPHER_free(cipher);
}
BENCHMARK(Raw_RsaSign2048)->Unit(benchmark::kMicrosecond);
BENCHMARK(Raw_EcdsaSignP256)->Unit(benchmark::kMicrosecond);
BENCHMARK(Raw_Ed25519Sign)->Unit(benchmark::kMicrosecond);
BENCHMARK(Raw_AesGcm4k)->Unit(benchmark::kMicrosecond);
BENCHMARK(Raw_AesGcm4kKeyed)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
