// Post-quantum primitives measured directly (no PKCS#11 layer), to hold against the reference
// figures of issue 4 (liboqs portable code on the same machine; targets within 1.2x).
//
//   MlKemKeyGen/<set>  : ML-KEM.KeyGen (Alg. 19, d and z from the DRBG)
//   MlKemEncaps/<set>  : ML-KEM.Encaps (Alg. 20: §7.2 check, m from the DRBG)
//   MlKemDecaps/<set>  : ML-KEM.Decaps (Alg. 21: §7.3 checks incl. the hash check)
//   MlKemDecapsInternal/<set> : Alg. 18 alone (key checked once beforehand)
// Argument: 0 = ML-KEM-512, 1 = ML-KEM-768, 2 = ML-KEM-1024.
#include <benchmark/benchmark.h>

#include <stdexcept>

#include "crypto/pqc/ml_kem.h"

namespace {

using craton::crypto::pqc::MlKemParams;

const MlKemParams& ml_kem_set(std::int64_t i) {
  static const MlKemParams kSets[] = {craton::crypto::pqc::kMlKem512, craton::crypto::pqc::kMlKem768,
                                      craton::crypto::pqc::kMlKem1024};
  return kSets[static_cast<std::size_t>(i)];
}

void MlKemKeyGen(benchmark::State& state) {
  const MlKemParams& p = ml_kem_set(state.range(0));
  state.SetLabel(std::string(p.name));
  for (auto _ : state) {
    auto kp = craton::crypto::pqc::ml_kem_keygen(p);
    if (!kp.ok()) throw std::runtime_error("keygen failed");
    benchmark::DoNotOptimize(kp->ek.data());
  }
}

void MlKemEncaps(benchmark::State& state) {
  const MlKemParams& p = ml_kem_set(state.range(0));
  state.SetLabel(std::string(p.name));
  auto kp = craton::crypto::pqc::ml_kem_keygen(p);
  if (!kp.ok()) throw std::runtime_error("keygen failed");
  for (auto _ : state) {
    auto enc = craton::crypto::pqc::ml_kem_encaps(p, kp->ek);
    if (!enc.ok()) throw std::runtime_error("encaps failed");
    benchmark::DoNotOptimize(enc->ciphertext.data());
  }
}

template <bool kChecked>
void MlKemDecapsImpl(benchmark::State& state) {
  const MlKemParams& p = ml_kem_set(state.range(0));
  state.SetLabel(std::string(p.name));
  auto kp = craton::crypto::pqc::ml_kem_keygen(p);
  if (!kp.ok()) throw std::runtime_error("keygen failed");
  auto enc = craton::crypto::pqc::ml_kem_encaps(p, kp->ek);
  if (!enc.ok()) throw std::runtime_error("encaps failed");
  for (auto _ : state) {
    auto k = kChecked ? craton::crypto::pqc::ml_kem_decaps(p, kp->dk.span(), enc->ciphertext)
                      : craton::crypto::pqc::ml_kem_decaps_internal(p, kp->dk.span(), enc->ciphertext);
    if (!k.ok()) throw std::runtime_error("decaps failed");
    benchmark::DoNotOptimize(k->data());
  }
}

void MlKemDecaps(benchmark::State& state) { MlKemDecapsImpl<true>(state); }
void MlKemDecapsInternal(benchmark::State& state) { MlKemDecapsImpl<false>(state); }

BENCHMARK(MlKemKeyGen)->DenseRange(0, 2)->Unit(benchmark::kMicrosecond);
BENCHMARK(MlKemEncaps)->DenseRange(0, 2)->Unit(benchmark::kMicrosecond);
BENCHMARK(MlKemDecaps)->DenseRange(0, 2)->Unit(benchmark::kMicrosecond);
BENCHMARK(MlKemDecapsInternal)->DenseRange(0, 2)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
