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
//   Paired_MlKem768*    the Raw_ and the Api_ call in turn within one iteration, each timed on its
//                       own; counters raw_us and api_us (medians of the single calls) and
//                       overhead_pct (api_us / raw_us - 1). A host whose speed drifts while the
//                       benchmark runs (a busy VM) then slows both alike, where separately run
//                       benchmarks, even interleaved, can be a few per cent apart from the drift
//                       alone.
// Compare medians of the same run: --benchmark_repetitions=5 --benchmark_enable_random_interleaving=true.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <optional>
#include <stdexcept>
#include <vector>

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

// Session objects made by timed calls, destroyed 256 at a time with the timer paused, so that the
// timed region holds the calls alone.
class MadeObjects {
 public:
  MadeObjects(benchmark::State& state, CK_SESSION_HANDLE s) : state_(state), s_(s) { made_.reserve(kBatch); }
  void add(CK_OBJECT_HANDLE h) {
    made_.push_back(h);
    if (made_.size() < kBatch) return;
    state_.PauseTiming();
    destroy();
    state_.ResumeTiming();
  }
  void destroy() {
    for (CK_OBJECT_HANDLE h : made_) check(fixture().m.f->C_DestroyObject(s_, h), "C_DestroyObject");
    made_.clear();
  }

 private:
  static constexpr std::size_t kBatch = 256;
  benchmark::State& state_;
  CK_SESSION_HANDLE s_;
  std::vector<CK_OBJECT_HANDLE> made_;
};

// Runs `op` (returning the handle of a new session object) as the timed call.
template <class Op>
void run_producing(benchmark::State& state, CK_SESSION_HANDLE s, Op op) {
  MadeObjects made(state, s);
  for (auto _ : state) made.add(op());
  made.destroy();
}

CK_ATTRIBUTE* secret_template() {
  static CK_OBJECT_CLASS cls = CKO_SECRET_KEY;
  static CK_KEY_TYPE kt = CKK_GENERIC_SECRET;
  static CK_ATTRIBUTE t[] = {{CKA_CLASS, &cls, sizeof cls}, {CKA_KEY_TYPE, &kt, sizeof kt}};
  return t;
}

// ML-KEM-768 through the module: C_EncapsulateKey into `ct`, C_DecapsulateKey of it, each making
// a session secret key (whose handle it returns).
struct KemCalls {
  Fixture& fx = fixture();
  CK_SESSION_HANDLE s = fx.m.session();
  CK_MECHANISM mech{CKM_ML_KEM, nullptr, 0};
  std::vector<CK_BYTE> ct = std::vector<CK_BYTE>(1088);
  CK_ULONG ct_len = 0;

  ~KemCalls() { fx.m.f->C_CloseSession(s); }
  CK_OBJECT_HANDLE encapsulate() {
    ct_len = ct.size();
    CK_OBJECT_HANDLE h = 0;
    check(fx.m.f32->C_EncapsulateKey(s, &mech, fx.keys.kem_pub, secret_template(), 2, ct.data(), &ct_len, &h), "C_EncapsulateKey");
    return h;
  }
  CK_OBJECT_HANDLE decapsulate() {
    CK_OBJECT_HANDLE h = 0;
    check(fx.m.f32->C_DecapsulateKey(s, &mech, fx.keys.kem_priv, secret_template(), 2, ct.data(), ct_len, &h), "C_DecapsulateKey");
    return h;
  }
};

void Api_MlKem768Encaps(benchmark::State& state) {
  if (fixture().m.f32 == nullptr) return state.SkipWithError("module has no PKCS#11 3.2 interface");
  KemCalls k;
  run_producing(state, k.s, [&] { return k.encapsulate(); });
}

void Api_MlKem768Decaps(benchmark::State& state) {
  if (fixture().m.f32 == nullptr) return state.SkipWithError("module has no PKCS#11 3.2 interface");
  KemCalls k;
  MadeObjects first(state, k.s);
  first.add(k.encapsulate());  // the ciphertext
  run_producing(state, k.s, [&] { return k.decapsulate(); });
  first.destroy();
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

// ML-KEM-768 called directly, on keys prepared as the module prepares its key objects.
class RawKem {
 public:
  static std::optional<RawKem> make() {
    auto kp = pqc::ml_kem_keygen(pqc::kMlKem768);
    if (!kp.ok()) return std::nullopt;
    auto ek = pqc::MlKemEncapsulationKey::prepare(pqc::kMlKem768, kp->ek);
    auto dk = pqc::MlKemDecapsulationKey::prepare(pqc::kMlKem768, kp->dk.span());
    if (!ek.ok() || !dk.ok()) return std::nullopt;
    RawKem k(std::move(*ek), std::move(*dk));
    k.encapsulate();
    return k;
  }
  void encapsulate() {
    auto e = pqc::ml_kem_encaps(ek_);
    if (!e.ok()) throw std::runtime_error("ml_kem_encaps failed");
    ct_ = std::move(e->ciphertext);
  }
  void decapsulate() const {
    auto k = pqc::ml_kem_decaps(dk_, ct_);
    if (!k.ok()) throw std::runtime_error("ml_kem_decaps failed");
    benchmark::DoNotOptimize(k->data());
  }

 private:
  RawKem(pqc::MlKemEncapsulationKey ek, pqc::MlKemDecapsulationKey dk) : ek_(std::move(ek)), dk_(std::move(dk)) {}
  pqc::MlKemEncapsulationKey ek_;
  pqc::MlKemDecapsulationKey dk_;
  std::vector<std::uint8_t> ct_;
};

void Raw_MlKem768Encaps(benchmark::State& state) {
  auto k = RawKem::make();
  if (!k) return state.SkipWithError("ML-KEM key set-up failed");
  for (auto _ : state) k->encapsulate();
}

void Raw_MlKem768Decaps(benchmark::State& state) {
  auto k = RawKem::make();
  if (!k) return state.SkipWithError("ML-KEM key set-up failed");
  for (auto _ : state) k->decapsulate();
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

// The Paired_ rows: `raw` and `api` (the latter returning the handle of a new session object) in
// turn, their order swapped every iteration so that neither always runs on the other's warm
// caches; each call timed alone; objects destroyed in batches outside the timed calls.
template <class Raw, class Api>
void run_paired(benchmark::State& state, CK_SESSION_HANDLE s, Raw raw, Api api) {
  using Clock = std::chrono::steady_clock;
  const auto timed = [](auto&& f) {
    const auto t0 = Clock::now();
    f();
    return std::chrono::duration<double, std::nano>(Clock::now() - t0).count();
  };
  MadeObjects made(state, s);
  std::vector<double> raw_ns, api_ns;
  bool api_first = false;
  for (auto _ : state) {
    api_first = !api_first;
    if (api_first) api_ns.push_back(timed([&] { made.add(api()); }));
    raw_ns.push_back(timed(raw));
    if (!api_first) api_ns.push_back(timed([&] { made.add(api()); }));
  }
  made.destroy();
  if (raw_ns.empty()) return;
  const auto median = [](std::vector<double>& v) {
    std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2), v.end());
    return v[v.size() / 2];
  };
  const double raw_med = median(raw_ns), api_med = median(api_ns);
  state.counters["raw_us"] = raw_med / 1000;
  state.counters["api_us"] = api_med / 1000;
  state.counters["overhead_pct"] = (api_med / raw_med - 1) * 100;
}

void Paired_MlKem768Encaps(benchmark::State& state) {
  if (fixture().m.f32 == nullptr) return state.SkipWithError("module has no PKCS#11 3.2 interface");
  auto raw = RawKem::make();
  if (!raw) return state.SkipWithError("ML-KEM key set-up failed");
  KemCalls k;
  run_paired(state, k.s, [&] { raw->encapsulate(); }, [&] { return k.encapsulate(); });
}

void Paired_MlKem768Decaps(benchmark::State& state) {
  if (fixture().m.f32 == nullptr) return state.SkipWithError("module has no PKCS#11 3.2 interface");
  auto raw = RawKem::make();
  if (!raw) return state.SkipWithError("ML-KEM key set-up failed");
  KemCalls k;
  MadeObjects first(state, k.s);
  first.add(k.encapsulate());  // the ciphertext
  run_paired(state, k.s, [&] { raw->decapsulate(); }, [&] { return k.decapsulate(); });
  first.destroy();
}

BENCHMARK(Api_MlKem768Encaps)->Unit(benchmark::kMicrosecond);
BENCHMARK(Raw_MlKem768Encaps)->Unit(benchmark::kMicrosecond);
BENCHMARK(Api_MlKem768Decaps)->Unit(benchmark::kMicrosecond);
BENCHMARK(Raw_MlKem768Decaps)->Unit(benchmark::kMicrosecond);
BENCHMARK(Api_MlDsa44Sign)->Unit(benchmark::kMicrosecond);
BENCHMARK(Raw_MlDsa44Sign)->Unit(benchmark::kMicrosecond);
BENCHMARK(Api_MlDsa44Verify)->Unit(benchmark::kMicrosecond);
BENCHMARK(Raw_MlDsa44Verify)->Unit(benchmark::kMicrosecond);
BENCHMARK(Paired_MlKem768Encaps)->Unit(benchmark::kMicrosecond);
BENCHMARK(Paired_MlKem768Decaps)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
