// CKM_RSA_PKCS_KEY_PAIR_GEN: CKA_MODULUS_BITS (required) and CKA_PUBLIC_EXPONENT (optional,
// default 65537) from the public-key template; OpenSSL generates the key (pkey_rsa.h), and a
// pairwise-consistency signature checks it before the material is handed out.
#include <algorithm>
#include <tuple>

#include "crypto/ossl/pkcs8.h"
#include "crypto/ossl/pkey_rsa.h"
#include "mech/rsa_common.h"
#include "selftest/pct.h"

namespace craton::mech {
namespace {

using object::Attribute;
using object::AttributeSet;

std::span<const std::uint8_t> without_leading_zeros(std::span<const std::uint8_t> v) {
  const auto* first = std::find_if(v.data(), v.data() + v.size(), [](std::uint8_t b) { return b != 0; });
  return v.subspan(static_cast<std::size_t>(first - v.data()));
}

// The template's encoding of the exponent, when it is the generated number, so that a template
// that wrote it with leading zeros still matches the produced key.
void keep_template_exponent(AttributeSet& material, const AttributeSet& tmpl) {
  const auto want = tmpl.get_bytes(CKA_PUBLIC_EXPONENT);
  const auto made = material.get_bytes(CKA_PUBLIC_EXPONENT);
  if (!want || !made) return;
  const auto a = without_leading_zeros(*want);
  const auto b = without_leading_zeros(*made);
  if (std::equal(a.begin(), a.end(), b.begin(), b.end())) material.set(Attribute::make_bytes(CKA_PUBLIC_EXPONENT, *want));
}

// Pairwise consistency (FIPS 140-3 IG 10.3.A): a PKCS#1 v1.5 signature of selftest's probe (the
// probe as the data block) with the new private key, verified with the public half. A failure
// enters the error state (selftest/pct.h).
Status pairwise_check(EVP_PKEY* pkey) {
  using Span = std::span<const std::uint8_t>;
  const crypto::RsaScheme s = crypto::rsa_scheme(crypto::RsaPad::kPkcs1);
  return selftest::pct_signature(
      "pct.rsa", [&](Span m) { return crypto::rsa_sign(pkey, s, m); },
      [&](Span m, Span sig) { return crypto::rsa_verify(pkey, s, m, sig); });
}

}  // namespace

Result<KeyPairMaterial> rsa_generate_key_pair(const AttributeSet& public_tmpl, const AttributeSet& private_tmpl) {
  if (!public_tmpl.contains(CKA_MODULUS_BITS)) return fail(CKR_TEMPLATE_INCOMPLETE, "CKA_MODULUS_BITS missing");
  const auto bits = public_tmpl.get_ulong(CKA_MODULUS_BITS);
  if (!bits) return fail(CKR_ATTRIBUTE_VALUE_INVALID, "CKA_MODULUS_BITS malformed");
  std::span<const std::uint8_t> exponent;
  if (const auto e = public_tmpl.get_bytes(CKA_PUBLIC_EXPONENT)) {
    exponent = without_leading_zeros(*e);
    if (exponent.empty()) return fail(CKR_ATTRIBUTE_VALUE_INVALID, "CKA_PUBLIC_EXPONENT is zero");
  }
  CRATON_ASSIGN_OR_RETURN(crypto::PkeyPtr pkey, crypto::rsa_generate(*bits, exponent));
  CRATON_TRY(pairwise_check(pkey.get()));
  CRATON_ASSIGN_OR_RETURN(const Bytes spki, crypto::public_key_info_der(pkey.get()));

  KeyPairMaterial m;
  CRATON_ASSIGN_OR_RETURN(m.public_key, crypto::rsa_attrs_from_pkey(pkey.get(), false));
  CRATON_ASSIGN_OR_RETURN(m.private_key, crypto::rsa_attrs_from_pkey(pkey.get(), true));
  for (auto [set, cls, tmpl] : {std::tuple{&m.public_key, CKO_PUBLIC_KEY, &public_tmpl},
                                std::tuple{&m.private_key, CKO_PRIVATE_KEY, &private_tmpl}}) {
    set->set(Attribute::make_ulong(CKA_CLASS, cls));
    set->set(Attribute::make_ulong(CKA_KEY_TYPE, CKK_RSA));
    set->set(Attribute::make_bytes(CKA_PUBLIC_KEY_INFO, spki));
    keep_template_exponent(*set, *tmpl);
  }
  return m;
}

}  // namespace craton::mech
