// What the PKCS#11 layer adds to the post-quantum operations (issue 4: under 5%): each operation
// through the module's API (Api_*) next to the same call straight into src/crypto/pqc (Raw_*), in
// one process, same parameter set, same message.
//
//   Api_MlKem768Encaps  C_EncapsulateKey (CKM_ML_KEM) into a session secret key; the objects are
//                       destroyed in batches outside the timed region
//   Api_MlKem768Decaps  C_DecapsulateKey, likewise
//   Api_MlDsa44Sign     C_SignInit + C_Sign, CKM_ML_DSA (hedged, no context), 32-byte message
//   Api_MlDsa44Verify   C_VerifyInit + C_Verify
//   Raw_*               ml_kem_encaps / ml_kem_decaps (prepared keys) / ml_dsa_sign / ml_dsa_verify
// Compare medians of the same run: --benchmark_repetitions=5 --benchmark_enable_random_interleaving=true.
#include <benchmark/benchmark.h>

#include "bench_module.h"
#include "crypto/pqc/ml_dsa.h"
#include "crypto/pqc/ml_kem.h"

namespace {

using craton::bench::BenchModule;
using craton::bench::check;
namespace pqc = craton::crypto::pqc;

struct Keys {
  CK_OBJECT_HANDLE kem_pub = 0, kem_priv = 0, dsa_pub = 0, dsa_priv = 0;
};

Keys make_keys(BenchModule& m) {
  Keys k;
  CK_BBOOL yes = CK_TRUE;
  CK_ULONG kem_set = CKP_ML_KEM_768;
  CK_ULONG dsa_set = CKP_ML_DSA_44;
  CK_ATTRIBUTE kem_pub[] = {{CKA_PARAMETER_SET, &kem_set, sizeof kem_set}};
  CK_ATTRIBUTE dsa_pub[] = {{CKA_PARAMETER_SET, &dsa_set, sizeof dsa_set}};
  CK_ATTRIBUTE priv[] = {{CKA_PRIVATE, &yes, 1}};
  CK_MECHANISM kem_gen{CKM_ML_KEM_KEY_PAIR_GEN, nullptr, 0};
  CK_MECHANISM dsa_gen{CKM_ML_DSA_KEY_PAIR_GEN, nullptr, 0};
  check(m.f->C_GenerateKeyPair(m.login_session, &kem_gen, kem_pub, 1, priv, 1, &k.kem_pub, &k.kem_priv), "ML-KEM keygen");
  check(m.f->C_GenerateKeyPair(m.login_session, &dsa_gen, dsa_pub, 1, priv, 1, &k.dsa_pub, &k.dsa_priv), "ML-DSA keygen");
  return k;
}

struct Fixture {
  BenchModule m;
  Keys keys = make_keys(m);
};
Fixture& fixture() {
  static Fixture f;
  return f;
}

const std::vector<CK_BYTE> kMessage(32, 0x5A);

// Runs `op` (returning the handle of a new session object) and destroys the objects in batches
// with the timer paused, so the timed region is the PKCS#11 call alone.
template <class Op>
void run_producing(benchmark::State& state, CK_SESSION_HANDLE s, Op op) {
  Fixture& fx = fixture();
  std::vector<CK_OBJECT_HANDLE> made;
  made.reserve(256);
  for (auto _ : state) {
    made.push_back(op());
    if (made.size() == 256) {
      state.PauseTiming();
      for (CK_OBJECT_HANDLE h : made) check(fx.m.f->C_DestroyObject(s, h), "C_DestroyObject");
      made.clear();
      state.ResumeTiming();
    }
  }
  for (CK_OBJECT_HANDLE h : made) check(fx.m.f->C_DestroyObject(s, h), "C_DestroyObject");
}

CK_ATTRIBUTE* secret_template() {
  static CK_OBJECT_CLASS cls = CKO_SECRET_KEY;
  static CK_KEY_TYPE kt = CKK_GENERIC_SECRET;
  static CK_ATTRIBUTE t[] = {{CKA_CLASS, &cls, sizeof cls}, {CKA_KEY_TYPE, &kt, sizeof kt}};
  return t;
}

void Api_MlKem768Encaps(benchmark::State& state) {
  Fixture& fx = fixture();
  if (fx.m.f32 == nullptr) return state.SkipWithError("module has no PKCS#11 3.2 interface");
  CK_SESSION_HANDLE s = fx.m.session();
  CK_MECHANISM mech{CKM_ML_KEM, nullptr, 0};
  std::vector<CK_BYTE> ct(1088);
  run_producing(state, s, [&] {
    CK_ULONG n = ct.size();
    CK_OBJECT_HANDLE h = 0;
    check(fx.m.f32->C_EncapsulateKey(s, &mech, fx.keys.kem_pub, secret_template(), 2, ct.data(), &n, &h), "C_EncapsulateKey");
    return h;
  });
  fx.m.f->C_CloseSession(s);
}

void Api_MlKem768Decaps(benchmark::State& state) {
  Fixture& fx = fixture();
  if (fx.m.f32 == nullptr) return state.SkipWithError("module has no PKCS#11 3.2 interface");
  CK_SESSION_HANDLE s = fx.m.session();
  CK_MECHANISM mech{CKM_ML_KEM, nullptr, 0};
  std::vector<CK_BYTE> ct(1088);
  CK_ULONG n = ct.size();
  CK_OBJECT_HANDLE first = 0;
  check(fx.m.f32->C_EncapsulateKey(s, &mech, fx.keys.kem_pub, secret_template(), 2, ct.data(), &n, &first), "C_EncapsulateKey");
  run_producing(state, s, [&] {
    CK_OBJECT_HANDLE h = 0;
    check(fx.m.f32->C_DecapsulateKey(s, &mech, fx.keys.kem_priv, secret_template(), 2, ct.data(), n, &h), "C_DecapsulateKey");
    return h;
  });
  fx.m.f->C_CloseSession(s);
}

void Api_MlDsa44Sign(benchmark::State& state) {
  Fixture& fx = fixture();
  CK_SESSION_HANDLE s = fx.m.session();
  CK_MECHANISM mech{CKM_ML_DSA, nullptr, 0};
  std::vector<CK_BYTE> in = kMessage, sig(2420);
  for (auto _ : state) {
    CK_ULONG n = sig.size();
    check(fx.m.f->C_SignInit(s, &mech, fx.keys.dsa_priv), "C_SignInit");
    check(fx.m.f->C_Sign(s, in.data(), in.size(), sig.data(), &n), "C_Sign");
    benchmark::DoNotOptimize(sig.data());
  }
  fx.m.f->C_CloseSession(s);
}

void Api_MlDsa44Verify(benchmark::State& state) {
  Fixture& fx = fixture();
  CK_SESSION_HANDLE s = fx.m.session();
  CK_MECHANISM mech{CKM_ML_DSA, nullptr, 0};
  std::vector<CK_BYTE> in = kMessage, sig(2420);
  CK_ULONG n = sig.size();
  check(fx.m.f->C_SignInit(s, &mech, fx.keys.dsa_priv), "C_SignInit");
  check(fx.m.f->C_Sign(s, in.data(), in.size(), sig.data(), &n), "C_Sign");
  for (auto _ : state) {
    check(fx.m.f->C_VerifyInit(s, &mech, fx.keys.dsa_pub), "C_VerifyInit");
    check(fx.m.f->C_Verify(s, in.data(), in.size(), sig.data(), n), "C_Verify");
  }
  fx.m.f->C_CloseSession(s);
}

void Raw_MlKem768Encaps(benchmark::State& state) {
  auto kp = pqc::ml_kem_keygen(pqc::kMlKem768);
  if (!kp.ok()) return state.SkipWithError("keygen failed");
  auto key = pqc::MlKemEncapsulationKey::prepare(pqc::kMlKem768, kp->ek);  // as the module prepares its key object
  if (!key.ok()) return state.SkipWithError("prepare failed");
  for (auto _ : state) {
    auto e = pqc::ml_kem_encaps(*key);
    if (!e.ok()) return state.SkipWithError("encaps failed");
    benchmark::DoNotOptimize(e->ciphertext.data());
  }
}

void Raw_MlKem768Decaps(benchmark::State& state) {
  auto kp = pqc::ml_kem_keygen(pqc::kMlKem768);
  if (!kp.ok()) return state.SkipWithError("keygen failed");
  auto e = pqc::ml_kem_encaps(pqc::kMlKem768, kp->ek);
  if (!e.ok()) return state.SkipWithError("encaps failed");
  auto key = pqc::MlKemDecapsulationKey::prepare(pqc::kMlKem768, kp->dk.span());
  if (!key.ok()) return state.SkipWithError("prepare failed");
  for (auto _ : state) {
    auto k = pqc::ml_kem_decaps(*key, e->ciphertext);
    if (!k.ok()) return state.SkipWithError("decaps failed");
    benchmark::DoNotOptimize(k->data());
  }
}

void Raw_MlDsa44Sign(benchmark::State& state) {
  auto kp = pqc::ml_dsa_keygen(pqc::kMlDsa44);
  if (!kp.ok()) return state.SkipWithError("keygen failed");
  for (auto _ : state) {
    auto sig = pqc::ml_dsa_sign(pqc::kMlDsa44, kp->sk.span(), kMessage, {}, pqc::MlDsaHedge::kHedged);
    if (!sig.ok()) return state.SkipWithError("sign failed");
    benchmark::DoNotOptimize(sig->data());
  }
}

void Raw_MlDsa44Verify(benchmark::State& state) {
  auto kp = pqc::ml_dsa_keygen(pqc::kMlDsa44);
  if (!kp.ok()) return state.SkipWithError("keygen failed");
  auto sig = pqc::ml_dsa_sign(pqc::kMlDsa44, kp->sk.span(), kMessage, {}, pqc::MlDsaHedge::kHedged);
  if (!sig.ok()) return state.SkipWithError("sign failed");
  for (auto _ : state) {
    if (!pqc::ml_dsa_verify(pqc::kMlDsa44, kp->pk, kMessage, {}, *sig).ok()) return state.SkipWithError("verify failed");
  }
}

BENCHMARK(Api_MlKem768Encaps)->Unit(benchmark::kMicrosecond);
BENCHMARK(Raw_MlKem768Encaps)->Unit(benchmark::kMicrosecond);
BENCHMARK(Api_MlKem768Decaps)->Unit(benchmark::kMicrosecond);
BENCHMARK(Raw_MlKem768Decaps)->Unit(benchmark::kMicrosecond);
BENCHMARK(Api_MlDsa44Sign)->Unit(benchmark::kMicrosecond);
BENCHMARK(Raw_MlDsa44Sign)->Unit(benchmark::kMicrosecond);
BENCHMARK(Api_MlDsa44Verify)->Unit(benchmark::kMicrosecond);
BENCHMARK(Raw_MlDsa44Verify)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
