// RSA, ECDSA and EdDSA sign / verify / key generation, X25519 key agreement.
// API: C_SignInit + C_Sign (C_VerifyInit + C_Verify) per operation, keys generated on the token;
// key generation makes session keys (destroyed untimed); X25519 is C_DeriveKey (CKM_ECDH1_DERIVE)
// into a session secret key. Raw: OpenSSL 3 EVP with the key parsed once and a fresh context per
// operation, as a careful application does.
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>

#include "rows.h"

namespace craton::bench {
namespace {

using Bytes = std::vector<CK_BYTE>;

struct Family {
  const char* name;        // key-pair cache name and OpenSSL algorithm
  CK_MECHANISM_TYPE gen;   // key-pair generation mechanism
  CK_MECHANISM_TYPE sign;  // signature mechanism
  CK_ULONG rsa_bits;       // RSA only
  Bytes ec_params;         // EC only: CKA_EC_PARAMS
  const char* ossl_alg;    // "RSA", "EC", "ED25519", "X25519"
  const char* ossl_group;  // EC: "P-256" …
  std::size_t input;       // message (RSA, EdDSA) or hash (ECDSA) bytes
  bool prehashed;          // raw: EVP_PKEY_sign over a hash (ECDSA) instead of EVP_DigestSign
};

const Family kRsa2048{"rsa2048", CKM_RSA_PKCS_KEY_PAIR_GEN, CKM_SHA256_RSA_PKCS, 2048, {}, "RSA", nullptr, 32, false};
const Family kRsa3072{"rsa3072", CKM_RSA_PKCS_KEY_PAIR_GEN, CKM_SHA256_RSA_PKCS, 3072, {}, "RSA", nullptr, 32, false};
const Family kP256{"p256", CKM_EC_KEY_PAIR_GEN, CKM_ECDSA, 0,
                   {0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07}, "EC", "P-256", 32, true};
const Family kP384{"p384", CKM_EC_KEY_PAIR_GEN, CKM_ECDSA, 0, {0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x22},
                   "EC", "P-384", 48, true};
const Family kEd25519{"ed25519", CKM_EC_EDWARDS_KEY_PAIR_GEN, CKM_EDDSA, 0,
                      {0x13, 0x0c, 'e', 'd', 'w', 'a', 'r', 'd', 's', '2', '5', '5', '1', '9'},
                      "ED25519", nullptr, 32, false};
const Family kX25519{"x25519", CKM_EC_MONTGOMERY_KEY_PAIR_GEN, CKM_ECDH1_DERIVE, 0,
                     {0x13, 0x0a, 'c', 'u', 'r', 'v', 'e', '2', '5', '5', '1', '9'}, "X25519", nullptr, 0, false};

// Templates for a key pair of `fam` (the values live as long as the returned object).
struct Templates {
  CK_BBOOL yes = CK_TRUE;
  CK_ULONG bits = 0;
  Bytes exponent{0x01, 0x00, 0x01};
  Bytes params;
  std::vector<CK_ATTRIBUTE> pub, priv;
  explicit Templates(const Family& fam, bool derive = false) : bits(fam.rsa_bits), params(fam.ec_params) {
    if (bits != 0) {
      pub = {{CKA_MODULUS_BITS, &bits, sizeof bits}, {CKA_PUBLIC_EXPONENT, exponent.data(), exponent.size()}};
    } else {
      pub = {{CKA_EC_PARAMS, params.data(), params.size()}};
    }
    if (derive) {
      pub.push_back({CKA_DERIVE, &yes, 1});
      priv = {{CKA_DERIVE, &yes, 1}, {CKA_PRIVATE, &yes, 1}, {CKA_SENSITIVE, &yes, 1}};
    } else {
      pub.push_back({CKA_VERIFY, &yes, 1});
      priv = {{CKA_SIGN, &yes, 1}, {CKA_PRIVATE, &yes, 1}, {CKA_SENSITIVE, &yes, 1}};
    }
  }
};

bool supported(Module& m, benchmark::State& state, CK_MECHANISM_TYPE mech, const char* what) {
  if (m.offers(mech)) return true;
  not_supported(state, std::string("the module does not offer ") + what);
  return false;
}

KeyPair token_key(Module& m, const Family& fam, bool derive = false) {
  Templates t(fam, derive);
  return m.key_pair(fam.name, fam.gen, t.pub, t.priv);
}

void api_sign(Module& m, benchmark::State& state, const Family& fam) {
  if (!supported(m, state, fam.gen, fam.name)) return;
  sign_loop(m, state, CK_MECHANISM{fam.sign, nullptr, 0}, token_key(m, fam).priv, fam.input);
}
void api_verify(Module& m, benchmark::State& state, const Family& fam) {
  if (!supported(m, state, fam.gen, fam.name)) return;
  KeyPair k = token_key(m, fam);
  verify_loop(m, state, CK_MECHANISM{fam.sign, nullptr, 0}, k.priv, k.pub, fam.input);
}
void api_keygen(Module& m, benchmark::State& state, const Family& fam) {
  if (!supported(m, state, fam.gen, fam.name)) return;
  Templates t(fam);
  keygen_loop(m, state, fam.gen, t.pub, t.priv);
}

// The peer's public value for CKM_ECDH1_DERIVE: CKA_EC_POINT of a second key pair, without
// its DER OCTET STRING header when it has one.
Bytes ec_point(Module& m, CK_SESSION_HANDLE s, CK_OBJECT_HANDLE pub) {
  CK_ATTRIBUTE a{CKA_EC_POINT, nullptr, 0};
  check(m.f->C_GetAttributeValue(s, pub, &a, 1), "C_GetAttributeValue(CKA_EC_POINT)");
  Bytes point(a.ulValueLen);
  a.pValue = point.data();
  check(m.f->C_GetAttributeValue(s, pub, &a, 1), "C_GetAttributeValue(CKA_EC_POINT)");
  if (point.size() == 34 && point[0] == 0x04 && point[1] == 32) point.erase(point.begin(), point.begin() + 2);
  return point;
}

void api_x25519(Module& m, benchmark::State& state) {
  if (!supported(m, state, kX25519.gen, "X25519 keys") || !supported(m, state, CKM_ECDH1_DERIVE, "ECDH")) return;
  KeyPair ours = token_key(m, kX25519, true);
  Templates t(kX25519, true);
  KeyPair peer = m.key_pair("x25519-peer", kX25519.gen, t.pub, t.priv);
  Session s(m);
  Bytes peer_point = ec_point(m, s.get(), peer.pub);
  CK_ECDH1_DERIVE_PARAMS params{CKD_NULL, 0, nullptr, peer_point.size(), peer_point.data()};
  CK_MECHANISM mech{CKM_ECDH1_DERIVE, &params, sizeof params};
  CK_OBJECT_CLASS cls = CKO_SECRET_KEY;
  CK_KEY_TYPE type = CKK_GENERIC_SECRET;
  CK_ULONG len = 32;
  CK_BBOOL no = CK_FALSE;
  CK_ATTRIBUTE tmpl[] = {{CKA_CLASS, &cls, sizeof cls},
                         {CKA_KEY_TYPE, &type, sizeof type},
                         {CKA_VALUE_LEN, &len, sizeof len},
                         {CKA_TOKEN, &no, 1}};
  run_producing(m, state, s.get(), [&](std::vector<CK_OBJECT_HANDLE>& made) {
    CK_OBJECT_HANDLE h = 0;
    check(m.f->C_DeriveKey(s.get(), &mech, ours.priv, tmpl, 4, &h), "C_DeriveKey");
    made.push_back(h);
  });
  count_items(state);
}

// ---- raw OpenSSL ----

using PkeyPtr = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;

EVP_PKEY* raw_generate(const Family& fam) {
  EVP_PKEY_CTX* c = EVP_PKEY_CTX_new_from_name(nullptr, fam.ossl_alg, nullptr);
  EVP_PKEY* k = nullptr;
  if (c == nullptr || EVP_PKEY_keygen_init(c) <= 0) throw std::runtime_error("keygen init");
  if (fam.rsa_bits != 0) EVP_PKEY_CTX_set_rsa_keygen_bits(c, static_cast<int>(fam.rsa_bits));
  if (fam.ossl_group != nullptr) EVP_PKEY_CTX_set_group_name(c, fam.ossl_group);
  if (EVP_PKEY_generate(c, &k) <= 0) throw std::runtime_error("keygen");
  EVP_PKEY_CTX_free(c);
  return k;
}

// One key per family for the whole process (the floor parses its key once, as we do); the
// throughput rows call this from several threads.
EVP_PKEY* raw_key(const Family& fam) {
  static std::mutex mu;
  static std::map<std::string, PkeyPtr> keys;
  std::lock_guard lock(mu);
  auto it = keys.find(fam.name);
  if (it == keys.end()) it = keys.emplace(fam.name, PkeyPtr(raw_generate(fam), EVP_PKEY_free)).first;
  return it->second.get();
}

const EVP_MD* raw_md(const Family& fam) { return fam.rsa_bits != 0 ? EVP_sha256() : nullptr; }

std::size_t raw_sign_once(const Family& fam, EVP_PKEY* key, const Bytes& in, Bytes& sig) {
  std::size_t n = sig.size();
  if (fam.prehashed) {
    EVP_PKEY_CTX* c = EVP_PKEY_CTX_new(key, nullptr);
    EVP_PKEY_sign_init(c);
    EVP_PKEY_sign(c, sig.data(), &n, in.data(), in.size());
    EVP_PKEY_CTX_free(c);
  } else {
    EVP_MD_CTX* c = EVP_MD_CTX_new();
    EVP_DigestSignInit(c, nullptr, raw_md(fam), nullptr, key);
    EVP_DigestSign(c, sig.data(), &n, in.data(), in.size());
    EVP_MD_CTX_free(c);
  }
  return n;
}

void raw_sign(benchmark::State& state, const Family& fam) {
  EVP_PKEY* key = raw_key(fam);
  Bytes in(fam.input, 0x42), sig(1024);
  for (auto _ : state) benchmark::DoNotOptimize(raw_sign_once(fam, key, in, sig));
  count_items(state);
}

void raw_verify(benchmark::State& state, const Family& fam) {
  EVP_PKEY* key = raw_key(fam);
  Bytes in(fam.input, 0x42), sig(1024);
  sig.resize(raw_sign_once(fam, key, in, sig));
  for (auto _ : state) {
    int ok = 0;
    if (fam.prehashed) {
      EVP_PKEY_CTX* c = EVP_PKEY_CTX_new(key, nullptr);
      EVP_PKEY_verify_init(c);
      ok = EVP_PKEY_verify(c, sig.data(), sig.size(), in.data(), in.size());
      EVP_PKEY_CTX_free(c);
    } else {
      EVP_MD_CTX* c = EVP_MD_CTX_new();
      EVP_DigestVerifyInit(c, nullptr, raw_md(fam), nullptr, key);
      ok = EVP_DigestVerify(c, sig.data(), sig.size(), in.data(), in.size());
      EVP_MD_CTX_free(c);
    }
    if (ok != 1) return state.SkipWithError("raw verify failed");
  }
  count_items(state);
}

void raw_keygen(benchmark::State& state, const Family& fam) {
  for (auto _ : state) EVP_PKEY_free(raw_generate(fam));
  count_items(state);
}

void raw_x25519(benchmark::State& state) {
  EVP_PKEY* ours = raw_key(kX25519);
  PkeyPtr peer(raw_generate(kX25519), EVP_PKEY_free);
  Bytes secret(32);
  for (auto _ : state) {
    std::size_t n = secret.size();
    EVP_PKEY_CTX* c = EVP_PKEY_CTX_new(ours, nullptr);
    EVP_PKEY_derive_init(c);
    EVP_PKEY_derive_set_peer(c, peer.get());
    EVP_PKEY_derive(c, secret.data(), &n);
    EVP_PKEY_CTX_free(c);
    benchmark::DoNotOptimize(secret.data());
  }
  count_items(state);
}

void add_family(std::vector<Row>& rows, const Family& fam, const std::string& label, const std::string& how,
                bool keygen) {
  const std::string group = "Signatures and key agreement";
  rows.push_back({std::string("sign/") + fam.name, group, label + " sign (" + how + ")",
                  [&fam](Module& m, benchmark::State& s) { api_sign(m, s, fam); },
                  [&fam](benchmark::State& s) { raw_sign(s, fam); }});
  rows.push_back({std::string("verify/") + fam.name, group, label + " verify",
                  [&fam](Module& m, benchmark::State& s) { api_verify(m, s, fam); },
                  [&fam](benchmark::State& s) { raw_verify(s, fam); }});
  if (keygen) {
    rows.push_back({std::string("keygen/") + fam.name, group, label + " key-pair generation",
                    [&fam](Module& m, benchmark::State& s) { api_keygen(m, s, fam); },
                    [&fam](benchmark::State& s) { raw_keygen(s, fam); }});
  }
}

}  // namespace

void add_signature_rows(std::vector<Row>& rows) {
  add_family(rows, kRsa2048, "RSA-2048", "CKM_SHA256_RSA_PKCS, 32 B", true);
  add_family(rows, kRsa3072, "RSA-3072", "CKM_SHA256_RSA_PKCS, 32 B", true);
  add_family(rows, kP256, "ECDSA P-256", "CKM_ECDSA, 32-byte hash", true);
  add_family(rows, kP384, "ECDSA P-384", "CKM_ECDSA, 48-byte hash", true);
  add_family(rows, kEd25519, "Ed25519", "CKM_EDDSA, 32 B", false);
  rows.push_back({"derive/x25519", "Signatures and key agreement", "X25519 derive (CKM_ECDH1_DERIVE, 32-byte secret)",
                  api_x25519, raw_x25519});
}

}  // namespace craton::bench
