// RFC 8032 EdDSA with a domain prefix: Ed25519ctx, Ed25519ph (dom2) and Ed448 with a context,
// Ed448ph (dom4). OpenSSL 3.0's EVP interface offers only pure Ed25519 and context-free Ed448 (the
// "instance" and "context-string" signature parameters arrived in 3.2), so these variants are done
// here, from RFC 8032 §5.1/§5.2, on OpenSSL's generic prime-curve arithmetic: each Edwards curve is
// used through its birationally equivalent short Weierstrass curve (Bernstein et al., "Twisted
// Edwards Curves", §3), where the secret-scalar multiplication r·B runs in OpenSSL's constant-time
// Montgomery ladder. Internal to src/crypto/ossl (used by ec_ops.cpp).
// Thread safety: the curve models are built once and then read-only; safe from any thread.
#pragma once

#include <cstdint>
#include <span>

#include "common/result.h"
#include "crypto/ossl/curves.h"
#include "crypto/ossl/der.h"

namespace craton::crypto::detail {

// The EdDSA signature (R || S) of `message` (M, or PH(M) when `prehash`) under the domain prefix
// dom2(prehash, context) / dom4(prehash, context). `seed` is the raw private key, `public_key` the
// raw public key (both curve.key_bytes long); curve is Ed25519 or Ed448.
Result<Bytes> eddsa_dom_sign(const Curve& curve, std::span<const std::uint8_t> seed,
                             std::span<const std::uint8_t> public_key, bool prehash,
                             std::span<const std::uint8_t> context, std::span<const std::uint8_t> message);

// True when `signature` is valid (RFC 8032 §5.1.7 / §5.2.7: S < L and the encoding of [S]B - [k]A
// equals R). A malformed public key or signature is simply invalid.
Result<bool> eddsa_dom_verify(const Curve& curve, std::span<const std::uint8_t> public_key, bool prehash,
                              std::span<const std::uint8_t> context, std::span<const std::uint8_t> message,
                              std::span<const std::uint8_t> signature);

}  // namespace craton::crypto::detail
