// The pre-hash functions of HashML-DSA (FIPS 204 §5.4, Alg. 4/5) and HashSLH-DSA (FIPS 205 §10.2,
// Alg. 23/25), shared by both: the caller computes PH(M) and passes it in; these tables give its
// length and the DER encoding of the hash function's OID that is put in front of it in M'.
//
// Status (2026-11-27): DONE — the twelve hash functions the ACVP servers test (SHA2-224/256/384/512,
//   SHA2-512/224, SHA2-512/256, SHA3-224/256/384/512, SHAKE128, SHAKE256). TESTED through the
//   ML-DSA and SLH-DSA ACVP pre-hash groups and tests/unit/{ml,slh}_dsa_test.cpp.
// Errors: none (total functions over the enumeration).
// Constant time: tables indexed by the public choice of hash.
// Thread safety: pure functions.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace craton::crypto::pqc {

enum class PreHash {
  kSha224, kSha256, kSha384, kSha512, kSha512_224, kSha512_256,
  kSha3_224, kSha3_256, kSha3_384, kSha3_512, kShake128, kShake256,
};

// Length of PH(M) for `ph`. The XOFs have fixed output lengths here: SHAKE128 → 256 bits,
// SHAKE256 → 512 bits (FIPS 204 §5.4.1, FIPS 205 §10.2.1).
std::size_t prehash_bytes(PreHash ph) noexcept;

// The 11-byte DER encoding of the hash function's OID, 06 09 60 86 48 01 65 03 04 02 xx
// (id-sha256 .. id-shake256 = 2.16.840.1.101.3.4.2.{1..12}, NIST's hash algorithm arc).
std::array<std::uint8_t, 11> prehash_oid(PreHash ph) noexcept;

}  // namespace craton::crypto::pqc
