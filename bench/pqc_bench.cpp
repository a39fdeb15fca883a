// Post-quantum primitives measured directly (no PKCS#11 layer), to hold against the reference
// figures of issue 4 (liboqs portable code on the same machine; targets within 1.2x).
//
//   MlKemKeyGen/<set>  : ML-KEM.KeyGen (Alg. 19, d and z from the DRBG)
//   MlKemEncaps/<set>  : ML-KEM.Encaps (Alg. 20: §7.2 check, m from the DRBG)
//   MlKemDecaps/<set>  : ML-KEM.Decaps (Alg. 21: §7.3 checks incl. the hash check)
//   MlKemDecapsInternal/<set> : Alg. 18 alone (key checked once beforehand)
// Argument: 0 = ML-KEM-512, 1 = ML-KEM-768, 2 = ML-KEM-1024.
//
//   MlDsaKeyGen/<set>  : ML-DSA.KeyGen (Alg. 1, ξ from the DRBG)
//   MlDsaSign/<set>    : ML-DSA.Sign (Alg. 2, hedged, 32-byte message, empty context)
//   MlDsaVerify/<set>  : ML-DSA.Verify (Alg. 3)
// Argument: 0 = ML-DSA-44, 1 = ML-DSA-65, 2 = ML-DSA-87.
//
//   SlhDsaKeyGen/<i>   : SLH-DSA KeyGen (Alg. 21, seeds from the DRBG)
//   SlhDsaSign/<i>     : SLH-DSA Sign (Alg. 22, hedged, 32-byte message, empty context)
//   SlhDsaVerify/<i>   : SLH-DSA Verify (Alg. 24)
// Argument: index into slh_dsa_all_params() (CKP order: 0 SHA2-128s, 1 SHAKE-128s, 2 SHA2-128f,
// 3 SHAKE-128f, ... 11 SHAKE-256f). The 's' sets sign slowly: run them with few iterations, e.g.
//   craton_pqc_bench --benchmark_filter='SlhDsa' --benchmark_min_time=2
#include <benchmark/benchmark.h>

#include <stdexcept>
#include <vector>

#include "crypto/pqc/ml_dsa.h"
#include "crypto/pqc/ml_kem.h"
#include "crypto/pqc/slh_dsa.h"

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

// With keys prepared once (checked and expanded: H(ek), t̂, Âᵀ, ŝ), as a token uses its key
// objects; preparation itself is outside the loop.
void MlKemEncapsPrepared(benchmark::State& state) {
  const MlKemParams& p = ml_kem_set(state.range(0));
  state.SetLabel(std::string(p.name));
  auto kp = craton::crypto::pqc::ml_kem_keygen(p);
  if (!kp.ok()) throw std::runtime_error("keygen failed");
  auto key = craton::crypto::pqc::MlKemEncapsulationKey::prepare(p, kp->ek);
  if (!key.ok()) throw std::runtime_error("prepare failed");
  for (auto _ : state) {
    auto enc = craton::crypto::pqc::ml_kem_encaps(*key);
    if (!enc.ok()) throw std::runtime_error("encaps failed");
    benchmark::DoNotOptimize(enc->ciphertext.data());
  }
}

void MlKemDecapsPrepared(benchmark::State& state) {
  const MlKemParams& p = ml_kem_set(state.range(0));
  state.SetLabel(std::string(p.name));
  auto kp = craton::crypto::pqc::ml_kem_keygen(p);
  if (!kp.ok()) throw std::runtime_error("keygen failed");
  auto enc = craton::crypto::pqc::ml_kem_encaps(p, kp->ek);
  auto key = craton::crypto::pqc::MlKemDecapsulationKey::prepare(p, kp->dk.span());
  if (!enc.ok() || !key.ok()) throw std::runtime_error("setup failed");
  for (auto _ : state) {
    auto k = craton::crypto::pqc::ml_kem_decaps(*key, enc->ciphertext);
    if (!k.ok()) throw std::runtime_error("decaps failed");
    benchmark::DoNotOptimize(k->data());
  }
}

BENCHMARK(MlKemKeyGen)->DenseRange(0, 2)->Unit(benchmark::kMicrosecond);
BENCHMARK(MlKemEncaps)->DenseRange(0, 2)->Unit(benchmark::kMicrosecond);
BENCHMARK(MlKemDecaps)->DenseRange(0, 2)->Unit(benchmark::kMicrosecond);
BENCHMARK(MlKemDecapsInternal)->DenseRange(0, 2)->Unit(benchmark::kMicrosecond);
BENCHMARK(MlKemEncapsPrepared)->DenseRange(0, 2)->Unit(benchmark::kMicrosecond);
BENCHMARK(MlKemDecapsPrepared)->DenseRange(0, 2)->Unit(benchmark::kMicrosecond);

using craton::crypto::pqc::MlDsaParams;

const MlDsaParams& ml_dsa_set(std::int64_t i) {
  static const MlDsaParams* const kSets[] = {&craton::crypto::pqc::kMlDsa44, &craton::crypto::pqc::kMlDsa65,
                                             &craton::crypto::pqc::kMlDsa87};
  return *kSets[static_cast<std::size_t>(i)];
}

const std::vector<std::uint8_t> kDsaMessage(32, 0x5A);

void MlDsaKeyGen(benchmark::State& state) {
  const MlDsaParams& p = ml_dsa_set(state.range(0));
  state.SetLabel(std::string(p.name));
  for (auto _ : state) {
    auto kp = craton::crypto::pqc::ml_dsa_keygen(p);
    if (!kp.ok()) throw std::runtime_error("keygen failed");
    benchmark::DoNotOptimize(kp->pk.data());
  }
}

// Hedged signing (rnd from the DRBG), the PKCS#11 default, with an empty context.
void MlDsaSign(benchmark::State& state) {
  const MlDsaParams& p = ml_dsa_set(state.range(0));
  state.SetLabel(std::string(p.name));
  auto kp = craton::crypto::pqc::ml_dsa_keygen(p);
  if (!kp.ok()) throw std::runtime_error("keygen failed");
  for (auto _ : state) {
    auto sig = craton::crypto::pqc::ml_dsa_sign(p, kp->sk.span(), kDsaMessage, {}, craton::crypto::pqc::MlDsaHedge::kHedged);
    if (!sig.ok()) throw std::runtime_error("sign failed");
    benchmark::DoNotOptimize(sig->data());
  }
}

void MlDsaVerify(benchmark::State& state) {
  const MlDsaParams& p = ml_dsa_set(state.range(0));
  state.SetLabel(std::string(p.name));
  auto kp = craton::crypto::pqc::ml_dsa_keygen(p);
  if (!kp.ok()) throw std::runtime_error("keygen failed");
  auto sig = craton::crypto::pqc::ml_dsa_sign(p, kp->sk.span(), kDsaMessage, {}, craton::crypto::pqc::MlDsaHedge::kHedged);
  if (!sig.ok()) throw std::runtime_error("sign failed");
  for (auto _ : state) {
    auto st = craton::crypto::pqc::ml_dsa_verify(p, kp->pk, kDsaMessage, {}, *sig);
    if (!st.ok()) throw std::runtime_error("verify failed");
    benchmark::ClobberMemory();
  }
}

BENCHMARK(MlDsaKeyGen)->DenseRange(0, 2)->Unit(benchmark::kMicrosecond);
BENCHMARK(MlDsaSign)->DenseRange(0, 2)->Unit(benchmark::kMicrosecond);
BENCHMARK(MlDsaVerify)->DenseRange(0, 2)->Unit(benchmark::kMicrosecond);

using craton::crypto::pqc::SlhDsaParams;

const SlhDsaParams& slh_dsa_set(std::int64_t i) {
  return *craton::crypto::pqc::slh_dsa_all_params()[static_cast<std::size_t>(i)];
}

const std::vector<std::uint8_t> kSlhMessage(32, 0x5A);

void SlhDsaKeyGen(benchmark::State& state) {
  const SlhDsaParams& p = slh_dsa_set(state.range(0));
  state.SetLabel(std::string(p.name));
  for (auto _ : state) {
    auto kp = craton::crypto::pqc::slh_dsa_keygen(p);
    if (!kp.ok()) throw std::runtime_error("keygen failed");
    benchmark::DoNotOptimize(kp->pk.data());
  }
}

void SlhDsaSign(benchmark::State& state) {
  const SlhDsaParams& p = slh_dsa_set(state.range(0));
  state.SetLabel(std::string(p.name));
  auto kp = craton::crypto::pqc::slh_dsa_keygen(p);
  if (!kp.ok()) throw std::runtime_error("keygen failed");
  for (auto _ : state) {
    auto sig = craton::crypto::pqc::slh_dsa_sign(p, kp->sk.span(), kSlhMessage, {},
                                                 craton::crypto::pqc::SlhDsaHedge::kHedged);
    if (!sig.ok()) throw std::runtime_error("sign failed");
    benchmark::DoNotOptimize(sig->data());
  }
}

void SlhDsaVerify(benchmark::State& state) {
  const SlhDsaParams& p = slh_dsa_set(state.range(0));
  state.SetLabel(std::string(p.name));
  auto kp = craton::crypto::pqc::slh_dsa_keygen(p);
  if (!kp.ok()) throw std::runtime_error("keygen failed");
  auto sig = craton::crypto::pqc::slh_dsa_sign(p, kp->sk.span(), kSlhMessage, {},
                                               craton::crypto::pqc::SlhDsaHedge::kHedged);
  if (!sig.ok()) throw std::runtime_error("sign failed");
  for (auto _ : state) {
    auto st = craton::crypto::pqc::slh_dsa_verify(p, kp->pk, kSlhMessage, {}, *sig);
    if (!st.ok()) throw std::runtime_error("verify failed");
    benchmark::ClobberMemory();
  }
}

// On a shared machine read the CPU column (this thread's CPU time), not the wall time.
BENCHMARK(SlhDsaKeyGen)->DenseRange(0, 11)->Unit(benchmark::kMicrosecond);
BENCHMARK(SlhDsaSign)->DenseRange(0, 11)->Unit(benchmark::kMicrosecond);
BENCHMARK(SlhDsaVerify)->DenseRange(0, 11)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
