// Post-quantum rows: ML-KEM (FIPS 203) key generation / C_EncapsulateKey / C_DecapsulateKey,
// ML-DSA (FIPS 204) and SLH-DSA (FIPS 205) key generation / sign / verify, pure, hedged, no
// context, 32-byte message. Produced objects (keys, shared secrets) are destroyed untimed. The
// floor is our own implementation in src/crypto/pqc called directly (no Debian library has
// these algorithms); a module without the mechanism (SoftHSMv2) shows n/a.
#include "crypto/pqc/ml_dsa.h"
#include "crypto/pqc/ml_kem.h"
#include "crypto/pqc/slh_dsa.h"
#include "rows.h"

namespace craton::bench {
namespace {

namespace pqc = craton::crypto::pqc;
using Bytes = std::vector<CK_BYTE>;
const Bytes kMessage(32, 0x5A);

struct PqcKey {
  const char* name;
  CK_MECHANISM_TYPE gen;
  CK_ULONG parameter_set;
};

bool offered(Module& m, benchmark::State& state, CK_MECHANISM_TYPE mech) {
  if (m.offers(mech)) return true;
  not_supported(state, "no post-quantum mechanisms");
  return false;
}

KeyPair pqc_key(Module& m, const PqcKey& k) {
  CK_ULONG set = k.parameter_set;
  CK_BBOOL yes = CK_TRUE;
  return m.key_pair(k.name, k.gen, {{CKA_PARAMETER_SET, &set, sizeof set}}, {{CKA_PRIVATE, &yes, 1}});
}

void api_keygen(Module& m, benchmark::State& state, const PqcKey& k) {
  if (!offered(m, state, k.gen)) return;
  CK_ULONG set = k.parameter_set;
  CK_BBOOL yes = CK_TRUE;
  keygen_loop(m, state, k.gen, {{CKA_PARAMETER_SET, &set, sizeof set}}, {{CKA_PRIVATE, &yes, 1}});
}

std::vector<CK_ATTRIBUTE> secret_template() {
  static CK_OBJECT_CLASS cls = CKO_SECRET_KEY;
  static CK_KEY_TYPE type = CKK_GENERIC_SECRET;
  return {{CKA_CLASS, &cls, sizeof cls}, {CKA_KEY_TYPE, &type, sizeof type}};
}

void api_kem(Module& m, benchmark::State& state, const PqcKey& k, bool encaps) {
  if (!offered(m, state, CKM_ML_KEM)) return;
  if (m.f32 == nullptr) return not_supported(state, "no PKCS#11 3.2 interface");
  KeyPair kp = pqc_key(m, k);
  Session s(m);
  CK_MECHANISM mech{CKM_ML_KEM, nullptr, 0};
  auto tmpl = secret_template();
  Bytes ct(1568);
  CK_ULONG ct_len = ct.size();
  CK_OBJECT_HANDLE first = 0;
  check(m.f32->C_EncapsulateKey(s.get(), &mech, kp.pub, tmpl.data(), tmpl.size(), ct.data(), &ct_len, &first),
        "C_EncapsulateKey");
  check(m.f->C_DestroyObject(s.get(), first), "C_DestroyObject");
  run_producing(m, state, s.get(), [&](std::vector<CK_OBJECT_HANDLE>& made) {
    CK_OBJECT_HANDLE h = 0;
    if (encaps) {
      CK_ULONG n = ct.size();
      check(m.f32->C_EncapsulateKey(s.get(), &mech, kp.pub, tmpl.data(), tmpl.size(), ct.data(), &n, &h),
            "C_EncapsulateKey");
    } else {
      check(m.f32->C_DecapsulateKey(s.get(), &mech, kp.priv, tmpl.data(), tmpl.size(), ct.data(), ct_len, &h),
            "C_DecapsulateKey");
    }
    made.push_back(h);
  });
  count_items(state);
}

void api_sign(Module& m, benchmark::State& state, const PqcKey& k, CK_MECHANISM_TYPE mech, bool verify) {
  if (!offered(m, state, mech)) return;
  KeyPair kp = pqc_key(m, k);
  if (verify) {
    verify_loop(m, state, CK_MECHANISM{mech, nullptr, 0}, kp.priv, kp.pub, kMessage.size());
  } else {
    sign_loop(m, state, CK_MECHANISM{mech, nullptr, 0}, kp.priv, kMessage.size());
  }
}

template <class R>
const auto& value_of(const R& r) {
  if (!r.ok()) throw std::runtime_error("post-quantum floor operation failed");
  return *r;
}

// ---- the floor: src/crypto/pqc directly ----

// Encapsulation and decapsulation use keys prepared once (FIPS 203 key checks done, H(ek), t̂,
// Âᵀ and ŝ computed), as the module prepares each key object on its first use; keygen is one shot.
void raw_kem(benchmark::State& state, const pqc::MlKemParams& p, int what) {  // 0 keygen, 1 encaps, 2 decaps
  auto kp = pqc::ml_kem_keygen(p);
  const auto& keys = value_of(kp);
  auto e = pqc::ml_kem_encaps(p, keys.ek);
  const auto& enc = value_of(e);
  auto ek = pqc::MlKemEncapsulationKey::prepare(p, keys.ek);
  auto dk = pqc::MlKemDecapsulationKey::prepare(p, keys.dk.span());
  const auto& ek_key = value_of(ek);
  const auto& dk_key = value_of(dk);
  for (auto _ : state) {
    if (what == 0) {
      auto k = pqc::ml_kem_keygen(p);
      benchmark::DoNotOptimize(value_of(k).ek.data());
    } else if (what == 1) {
      auto x = pqc::ml_kem_encaps(ek_key);
      benchmark::DoNotOptimize(value_of(x).ciphertext.data());
    } else {
      auto x = pqc::ml_kem_decaps(dk_key, enc.ciphertext);
      benchmark::DoNotOptimize(value_of(x).data());
    }
  }
  count_items(state);
}

void raw_ml_dsa(benchmark::State& state, const pqc::MlDsaParams& p, int what) {  // 0 keygen, 1 sign, 2 verify
  auto kp = pqc::ml_dsa_keygen(p);
  const auto& keys = value_of(kp);
  auto sig = pqc::ml_dsa_sign(p, keys.sk.span(), kMessage, {}, pqc::MlDsaHedge::kHedged);
  const auto& signature = value_of(sig);
  for (auto _ : state) {
    if (what == 0) {
      auto k = pqc::ml_dsa_keygen(p);
      benchmark::DoNotOptimize(value_of(k).pk.data());
    } else if (what == 1) {
      auto s = pqc::ml_dsa_sign(p, keys.sk.span(), kMessage, {}, pqc::MlDsaHedge::kHedged);
      benchmark::DoNotOptimize(value_of(s).data());
    } else if (!pqc::ml_dsa_verify(p, keys.pk, kMessage, {}, signature).ok()) {
      return state.SkipWithError("verify failed");
    }
  }
  count_items(state);
}

void raw_slh_dsa(benchmark::State& state, const pqc::SlhDsaParams& p, bool verify) {
  auto kp = pqc::slh_dsa_keygen(p);
  const auto& keys = value_of(kp);
  auto sig = pqc::slh_dsa_sign(p, keys.sk.span(), kMessage, {}, pqc::SlhDsaHedge::kHedged);
  const auto& signature = value_of(sig);
  for (auto _ : state) {
    if (!verify) {
      auto s = pqc::slh_dsa_sign(p, keys.sk.span(), kMessage, {}, pqc::SlhDsaHedge::kHedged);
      benchmark::DoNotOptimize(value_of(s).data());
    } else if (!pqc::slh_dsa_verify(p, keys.pk, kMessage, {}, signature).ok()) {
      return state.SkipWithError("verify failed");
    }
  }
  count_items(state);
}

}  // namespace

void add_pqc_rows(std::vector<Row>& rows) {
  const std::string group = "Post-quantum";
  static const std::vector<std::pair<PqcKey, const pqc::MlKemParams*>> kems = {
      {{"ml-kem-512", CKM_ML_KEM_KEY_PAIR_GEN, CKP_ML_KEM_512}, &pqc::kMlKem512},
      {{"ml-kem-768", CKM_ML_KEM_KEY_PAIR_GEN, CKP_ML_KEM_768}, &pqc::kMlKem768},
      {{"ml-kem-1024", CKM_ML_KEM_KEY_PAIR_GEN, CKP_ML_KEM_1024}, &pqc::kMlKem1024}};
  for (const auto& [key, params] : kems) {
    const std::string label(params->name);
    const PqcKey* k = &key;
    const pqc::MlKemParams* p = params;
    rows.push_back({std::string("keygen/") + k->name, group, label + " key-pair generation",
                    [k](Module& m, benchmark::State& s) { api_keygen(m, s, *k); },
                    [p](benchmark::State& s) { raw_kem(s, *p, 0); }});
    rows.push_back({std::string("encaps/") + k->name, group, label + " encapsulate (C_EncapsulateKey)",
                    [k](Module& m, benchmark::State& s) { api_kem(m, s, *k, true); },
                    [p](benchmark::State& s) { raw_kem(s, *p, 1); }});
    rows.push_back({std::string("decaps/") + k->name, group, label + " decapsulate (C_DecapsulateKey)",
                    [k](Module& m, benchmark::State& s) { api_kem(m, s, *k, false); },
                    [p](benchmark::State& s) { raw_kem(s, *p, 2); }});
  }
  static const std::vector<std::pair<PqcKey, const pqc::MlDsaParams*>> dsas = {
      {{"ml-dsa-44", CKM_ML_DSA_KEY_PAIR_GEN, CKP_ML_DSA_44}, &pqc::kMlDsa44},
      {{"ml-dsa-65", CKM_ML_DSA_KEY_PAIR_GEN, CKP_ML_DSA_65}, &pqc::kMlDsa65},
      {{"ml-dsa-87", CKM_ML_DSA_KEY_PAIR_GEN, CKP_ML_DSA_87}, &pqc::kMlDsa87}};
  for (const auto& [key, params] : dsas) {
    const std::string label(params->name);
    const PqcKey* k = &key;
    const pqc::MlDsaParams* p = params;
    rows.push_back({std::string("keygen/") + k->name, group, label + " key-pair generation",
                    [k](Module& m, benchmark::State& s) { api_keygen(m, s, *k); },
                    [p](benchmark::State& s) { raw_ml_dsa(s, *p, 0); }});
    rows.push_back({std::string("sign/") + k->name, group, label + " sign (CKM_ML_DSA, 32 B)",
                    [k](Module& m, benchmark::State& s) { api_sign(m, s, *k, CKM_ML_DSA, false); },
                    [p](benchmark::State& s) { raw_ml_dsa(s, *p, 1); }});
    rows.push_back({std::string("verify/") + k->name, group, label + " verify",
                    [k](Module& m, benchmark::State& s) { api_sign(m, s, *k, CKM_ML_DSA, true); },
                    [p](benchmark::State& s) { raw_ml_dsa(s, *p, 2); }});
  }
  static const std::vector<std::pair<PqcKey, const pqc::SlhDsaParams*>> slhs = {
      {{"slh-dsa-sha2-128f", CKM_SLH_DSA_KEY_PAIR_GEN, CKP_SLH_DSA_SHA2_128F}, &pqc::kSlhDsaSha2_128f},
      {{"slh-dsa-sha2-128s", CKM_SLH_DSA_KEY_PAIR_GEN, CKP_SLH_DSA_SHA2_128S}, &pqc::kSlhDsaSha2_128s}};
  for (const auto& [key, params] : slhs) {
    const std::string label(params->name);
    const PqcKey* k = &key;
    const pqc::SlhDsaParams* p = params;
    rows.push_back({std::string("sign/") + k->name, group, label + " sign (CKM_SLH_DSA, 32 B)",
                    [k](Module& m, benchmark::State& s) { api_sign(m, s, *k, CKM_SLH_DSA, false); },
                    [p](benchmark::State& s) { raw_slh_dsa(s, *p, false); }});
    rows.push_back({std::string("verify/") + k->name, group, label + " verify",
                    [k](Module& m, benchmark::State& s) { api_sign(m, s, *k, CKM_SLH_DSA, true); },
                    [p](benchmark::State& s) { raw_slh_dsa(s, *p, true); }});
  }
}

}  // namespace craton::bench
