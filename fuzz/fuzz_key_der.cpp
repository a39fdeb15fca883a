// Key encodings that reach the module from outside: PKCS#8 PrivateKeyInfo (C_UnwrapKey of a
// private key, craton-hsm-util --import), the post-quantum and hybrid OneAsymmetricKey forms
// (C_UnwrapKey), SubjectPublicKeyInfo (CKA_PUBLIC_KEY_INFO), CKA_EC_PARAMS and CKA_EC_POINT / ECDH
// peer values for every curve. Whatever parses is also converted to attributes and back, or run
// through the import checks, the path C_UnwrapKey and C_CreateObject take.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "crypto/ossl/curves.h"
#include "crypto/ossl/ec_point.h"
#include "crypto/ossl/pkcs8.h"
#include "crypto/ossl/pkey.h"
#include "crypto/hybrid/hybrid_keys.h"
#include "crypto/pqc/pqc_keys.h"

using namespace craton;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> in(data, size);
  if (auto key = crypto::private_key_from_pkcs8(in); key.ok()) {
    if (auto attrs = crypto::private_key_attrs_from_pkey(key->get()); attrs.ok()) {
      (void)crypto::private_pkey_from_attrs(*attrs);
    }
    (void)crypto::private_key_to_pkcs8(key->get());
  }
  if (auto pub = crypto::public_key_from_spki(in); pub.ok()) {
    if (auto attrs = crypto::public_key_attrs_from_pkey(pub->get()); attrs.ok()) {
      (void)crypto::public_pkey_from_attrs(*attrs);
    }
  }
  if (crypto::pqc::pqc_is_private_key_info(in)) {
    if (auto d = crypto::pqc::pqc_parse_private_key_info(in); d.ok() && d->spec->slh == nullptr) {
      // The import checks (seed expansion, expanded-key consistency) on whatever parsed; SLH-DSA's
      // check is a full key generation, too slow to fuzz usefully, and sees only fixed-size input.
      using Span = std::span<const std::uint8_t>;
      const auto seed = d->has_seed ? std::optional<Span>(d->seed.span()) : std::nullopt;
      const auto value = d->has_value ? std::optional<Span>(d->value.span()) : std::nullopt;
      (void)crypto::pqc::pqc_import_private(*d->spec, seed, value);
    }
  }
  if (crypto::hybrid::hybrid_is_private_key_info(in)) {
    if (auto d = crypto::hybrid::hybrid_parse_private_key_info(in); d.ok()) {
      (void)crypto::hybrid::hybrid_import_private(*d->spec, d->value.span());
    }
  }
  (void)crypto::curve_from_ec_params(in);
  for (const crypto::Curve& c : crypto::all_curves()) {
    (void)crypto::decode_ec_point(c, in);
    (void)crypto::decode_ecdh_public_data(c, in);
  }
  return 0;
}
