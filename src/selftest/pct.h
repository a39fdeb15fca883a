// Pairwise consistency tests (ISO/IEC 19790 AS10.25, FIPS 140-3 IG 10.3.A) for every key pair the
// module generates. The key-generation code supplies the operations; these functions run them on
// a fixed probe, compare, and on failure enter the error state and return
// CKR_FIPS_SELF_TEST_FAILED (PKCS#11: C_GenerateKeyPair's code for a failed pairwise test), so the
// pair is discarded before any object is made.
// `test` names the family ("pct.rsa", "pct.ecdsa", ...; docs/SELF_TESTS.md lists them).
// Thread safety: stateless apart from the error latch; safe from any thread.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <utility>
#include <vector>

#include "common/result.h"
#include "common/secure_bytes.h"

namespace craton::selftest {

using PctSpan = std::span<const std::uint8_t>;
using PctSign = std::function<Result<std::vector<std::uint8_t>>(PctSpan message)>;
using PctVerify = std::function<Status(PctSpan message, PctSpan signature)>;
// Encapsulation to the new public key: (ciphertext, shared secret).
using PctEncaps = std::function<Result<std::pair<std::vector<std::uint8_t>, SecureBytes>>()>;
using PctDecaps = std::function<Result<SecureBytes>(PctSpan ciphertext)>;

// Signature keys: sign the probe with the private key, verify with the public key.
[[nodiscard]] Status pct_signature(const char* test, const PctSign& sign, const PctVerify& verify);

// KEM keys: encapsulate to the public key, decapsulate with the private key, same secret.
[[nodiscard]] Status pct_kem(const char* test, const PctEncaps& encaps, const PctDecaps& decaps);

// Key-agreement keys (SP 800-56A §5.6.2.1.4): the public key recomputed from the private value
// equals the generated one.
[[nodiscard]] Status pct_public_key(const char* test, PctSpan recomputed, PctSpan generated);

}  // namespace craton::selftest
