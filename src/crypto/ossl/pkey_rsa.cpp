#include "crypto/ossl/pkey_rsa.h"
#include "crypto/ossl/libctx.h"

#include <openssl/core_names.h>
#include <openssl/rsa.h>

#include <array>
#include <optional>

#include "crypto/ossl/error.h"
#include "crypto/ossl/pkey_params.h"
#include "selftest/deferred.h"

namespace craton::crypto {
namespace {

using object::Attribute;
using object::AttributeSet;

struct CrtParts {
  BnPtr p, q, dp, dq, qinv;
};

Result<BnPtr> required_bn(const AttributeSet& attrs, CK_ATTRIBUTE_TYPE type, bool secret, const char* missing) {
  const auto v = attrs.get_bytes(type);
  if (!v || v->empty()) return fail(CKR_TEMPLATE_INCOMPLETE, missing);
  return detail::bn_from_bytes(*v, secret);
}

// Absent or empty attribute → a null BnPtr.
Result<BnPtr> optional_bn(const AttributeSet& attrs, CK_ATTRIBUTE_TYPE type, bool secret) {
  const auto v = attrs.get_bytes(type);
  if (!v || v->empty()) return BnPtr();
  return detail::bn_from_bytes(*v, secret);
}

Status check_exponent(const BIGNUM* e, const BIGNUM* n) {
  if (!BN_is_odd(e) || BN_is_one(e) || (n != nullptr && BN_cmp(e, n) >= 0)) {
    return fail(CKR_ATTRIBUTE_VALUE_INVALID, "RSA public exponent must be odd, > 1 and < n");
  }
  return {};
}

// x mod (p - 1), where p is odd.
Result<BnPtr> mod_pminus1(const BIGNUM* x, const BIGNUM* p, BN_CTX* ctx) {
  BnPtr pm1(BN_dup(p));
  BnPtr r(BN_secure_new());
  if (!pm1 || !r || BN_sub_word(pm1.get(), 1) != 1 || BN_mod(r.get(), x, pm1.get(), ctx) != 1) {
    return openssl_failure(CKR_HOST_MEMORY, "RSA CRT computation failed");
  }
  return r;
}

// Fills in dP = d mod (p-1), dQ = d mod (q-1) and qInv = q^-1 mod p where the caller gave none.
Status complete_crt(CrtParts& crt, const BIGNUM* d, BN_CTX* ctx) {
  if (!crt.dp) { CRATON_ASSIGN_OR_RETURN(crt.dp, mod_pminus1(d, crt.p.get(), ctx)); }
  if (!crt.dq) { CRATON_ASSIGN_OR_RETURN(crt.dq, mod_pminus1(d, crt.q.get(), ctx)); }
  if (!crt.qinv) {
    crt.qinv.reset(BN_secure_new());
    if (!crt.qinv || BN_mod_inverse(crt.qinv.get(), crt.q.get(), crt.p.get(), ctx) == nullptr) {
      return openssl_failure(CKR_ATTRIBUTE_VALUE_INVALID, "RSA primes are not coprime");
    }
  }
  return {};
}

// e = d^-1 mod lcm(p-1, q-1): a valid public exponent for the key whatever d was reduced by.
Result<BnPtr> exponent_from_primes(const CrtParts& crt, const BIGNUM* d, BN_CTX* ctx) {
  BnPtr pm1(BN_dup(crt.p.get())), qm1(BN_dup(crt.q.get())), g(BN_new()), phi(BN_secure_new()),
      lambda(BN_secure_new()), e(BN_new());
  if (!pm1 || !qm1 || !g || !phi || !lambda || !e || BN_sub_word(pm1.get(), 1) != 1 ||
      BN_sub_word(qm1.get(), 1) != 1 || BN_gcd(g.get(), pm1.get(), qm1.get(), ctx) != 1 ||
      BN_mul(phi.get(), pm1.get(), qm1.get(), ctx) != 1 || BN_div(lambda.get(), nullptr, phi.get(), g.get(), ctx) != 1) {
    return openssl_failure(CKR_HOST_MEMORY, "RSA exponent computation failed");
  }
  if (BN_mod_inverse(e.get(), d, lambda.get(), ctx) == nullptr) {
    return openssl_failure(CKR_ATTRIBUTE_VALUE_INVALID, "RSA private exponent does not fit the primes");
  }
  return e;
}

// Without e or primes: try the exponents seen in practice, each checked by (2^e)^d = 2 mod n.
Result<BnPtr> guess_exponent(const BIGNUM* n, const BIGNUM* d, BN_CTX* ctx) {
  static constexpr std::array<unsigned long, 5> kCandidates{65537, 3, 5, 17, 257};
  BnPtr two(BN_new()), c(BN_new()), m(BN_new());
  if (!two || !c || !m || BN_set_word(two.get(), 2) != 1) return openssl_failure(CKR_HOST_MEMORY, "out of memory");
  for (unsigned long cand : kCandidates) {
    BnPtr e(BN_new());
    if (!e || BN_set_word(e.get(), cand) != 1 || BN_mod_exp(c.get(), two.get(), e.get(), n, ctx) != 1 ||
        BN_mod_exp(m.get(), c.get(), d, n, ctx) != 1) {
      return openssl_failure(CKR_FUNCTION_FAILED, "RSA exponent check failed");
    }
    if (BN_cmp(m.get(), two.get()) == 0) return e;
  }
  return fail(CKR_TEMPLATE_INCOMPLETE, "CKA_PUBLIC_EXPONENT missing and not recoverable");
}

Result<CrtParts> read_crt(const AttributeSet& attrs, const BIGNUM* n, const BIGNUM* d, BN_CTX* ctx) {
  CrtParts crt;
  CRATON_ASSIGN_OR_RETURN(crt.p, optional_bn(attrs, CKA_PRIME_1, true));
  CRATON_ASSIGN_OR_RETURN(crt.q, optional_bn(attrs, CKA_PRIME_2, true));
  if (!crt.p || !crt.q) return CrtParts{};  // n and d alone are enough
  BnPtr pq(BN_new());
  if (!pq || BN_mul(pq.get(), crt.p.get(), crt.q.get(), ctx) != 1) return openssl_failure(CKR_HOST_MEMORY, "out of memory");
  if (BN_cmp(pq.get(), n) != 0 || !BN_is_odd(crt.p.get()) || !BN_is_odd(crt.q.get())) {
    return fail(CKR_ATTRIBUTE_VALUE_INVALID, "CKA_PRIME_1 * CKA_PRIME_2 is not CKA_MODULUS");
  }
  CRATON_ASSIGN_OR_RETURN(crt.dp, optional_bn(attrs, CKA_EXPONENT_1, true));
  CRATON_ASSIGN_OR_RETURN(crt.dq, optional_bn(attrs, CKA_EXPONENT_2, true));
  CRATON_ASSIGN_OR_RETURN(crt.qinv, optional_bn(attrs, CKA_COEFFICIENT, true));
  CRATON_TRY(complete_crt(crt, d, ctx));
  return crt;
}

Status push_bn(OSSL_PARAM_BLD* bld, const char* key, const BIGNUM* bn) {
  if (OSSL_PARAM_BLD_push_BN(bld, key, bn) != 1) return openssl_failure(CKR_HOST_MEMORY, "cannot build RSA parameters");
  return {};
}

Status push_private(OSSL_PARAM_BLD* bld, const BIGNUM* n, const BIGNUM* e, const BIGNUM* d, const CrtParts& crt) {
  CRATON_TRY(push_bn(bld, OSSL_PKEY_PARAM_RSA_N, n));
  CRATON_TRY(push_bn(bld, OSSL_PKEY_PARAM_RSA_E, e));
  CRATON_TRY(push_bn(bld, OSSL_PKEY_PARAM_RSA_D, d));
  if (!crt.p) return {};
  CRATON_TRY(push_bn(bld, OSSL_PKEY_PARAM_RSA_FACTOR1, crt.p.get()));
  CRATON_TRY(push_bn(bld, OSSL_PKEY_PARAM_RSA_FACTOR2, crt.q.get()));
  CRATON_TRY(push_bn(bld, OSSL_PKEY_PARAM_RSA_EXPONENT1, crt.dp.get()));
  CRATON_TRY(push_bn(bld, OSSL_PKEY_PARAM_RSA_EXPONENT2, crt.dq.get()));
  return push_bn(bld, OSSL_PKEY_PARAM_RSA_COEFFICIENT1, crt.qinv.get());
}

bool is_rsa(const EVP_PKEY* pkey) { return EVP_PKEY_is_a(pkey, "RSA") || EVP_PKEY_is_a(pkey, "RSA-PSS"); }

Status add_secret(AttributeSet& out, const EVP_PKEY* pkey, CK_ATTRIBUTE_TYPE type, const char* param) {
  CRATON_ASSIGN_OR_RETURN(SecureBytes v, detail::secret_bn_param(pkey, param, 0, CKR_ARGUMENTS_BAD));
  out.set(Attribute::make_bytes(type, v.span()));
  return {};
}

}  // namespace

Result<PkeyPtr> rsa_public_from_attrs(const AttributeSet& attrs) {
  CRATON_ASSIGN_OR_RETURN(BnPtr n, required_bn(attrs, CKA_MODULUS, false, "CKA_MODULUS missing"));
  CRATON_ASSIGN_OR_RETURN(BnPtr e, required_bn(attrs, CKA_PUBLIC_EXPONENT, false, "CKA_PUBLIC_EXPONENT missing"));
  if (!BN_is_odd(n.get())) return fail(CKR_ATTRIBUTE_VALUE_INVALID, "RSA modulus must be odd");
  CRATON_TRY(check_exponent(e.get(), n.get()));
  ParamBldPtr bld(OSSL_PARAM_BLD_new());
  if (!bld) return openssl_failure(CKR_HOST_MEMORY, "cannot build RSA parameters");
  CRATON_TRY(push_bn(bld.get(), OSSL_PKEY_PARAM_RSA_N, n.get()));
  CRATON_TRY(push_bn(bld.get(), OSSL_PKEY_PARAM_RSA_E, e.get()));
  return detail::pkey_from_params("RSA", EVP_PKEY_PUBLIC_KEY, bld.get(), CKR_ATTRIBUTE_VALUE_INVALID,
                                  "RSA public key rejected");
}

Result<PkeyPtr> rsa_private_from_attrs(const AttributeSet& attrs) {
  CRATON_ASSIGN_OR_RETURN(BnPtr n, required_bn(attrs, CKA_MODULUS, false, "CKA_MODULUS missing"));
  CRATON_ASSIGN_OR_RETURN(BnPtr d, required_bn(attrs, CKA_PRIVATE_EXPONENT, true, "CKA_PRIVATE_EXPONENT missing"));
  if (!BN_is_odd(n.get()) || BN_is_zero(d.get()) || BN_cmp(d.get(), n.get()) >= 0) {
    return fail(CKR_ATTRIBUTE_VALUE_INVALID, "RSA modulus or private exponent invalid");
  }
  BN_set_flags(d.get(), BN_FLG_CONSTTIME);
  BnCtxPtr ctx(BN_CTX_secure_new());
  if (!ctx) return openssl_failure(CKR_HOST_MEMORY, "cannot allocate BN_CTX");
  CRATON_ASSIGN_OR_RETURN(CrtParts crt, read_crt(attrs, n.get(), d.get(), ctx.get()));
  CRATON_ASSIGN_OR_RETURN(BnPtr e, optional_bn(attrs, CKA_PUBLIC_EXPONENT, false));
  if (!e && crt.p) { CRATON_ASSIGN_OR_RETURN(e, exponent_from_primes(crt, d.get(), ctx.get())); }
  if (!e) { CRATON_ASSIGN_OR_RETURN(e, guess_exponent(n.get(), d.get(), ctx.get())); }
  CRATON_TRY(check_exponent(e.get(), n.get()));
  ParamBldPtr bld(OSSL_PARAM_BLD_new());
  if (!bld) return openssl_failure(CKR_HOST_MEMORY, "cannot build RSA parameters");
  CRATON_TRY(push_private(bld.get(), n.get(), e.get(), d.get(), crt));
  return detail::pkey_from_params("RSA", EVP_PKEY_KEYPAIR, bld.get(), CKR_ATTRIBUTE_VALUE_INVALID,
                                  "RSA private key rejected");
}

Result<AttributeSet> rsa_attrs_from_pkey(const EVP_PKEY* pkey, bool private_part) {
  if (!is_rsa(pkey)) return fail(CKR_KEY_TYPE_INCONSISTENT, "not an RSA key");
  AttributeSet out;
  CRATON_ASSIGN_OR_RETURN(Bytes n, detail::public_bn_param(pkey, OSSL_PKEY_PARAM_RSA_N, 0, CKR_FUNCTION_FAILED));
  CRATON_ASSIGN_OR_RETURN(Bytes e, detail::public_bn_param(pkey, OSSL_PKEY_PARAM_RSA_E, 0, CKR_FUNCTION_FAILED));
  out.set(Attribute::make_bytes(CKA_MODULUS, n));
  out.set(Attribute::make_bytes(CKA_PUBLIC_EXPONENT, e));
  if (!private_part) {
    out.set(Attribute::make_ulong(CKA_MODULUS_BITS, static_cast<CK_ULONG>(EVP_PKEY_get_bits(pkey))));
    return out;
  }
  CRATON_TRY(add_secret(out, pkey, CKA_PRIVATE_EXPONENT, OSSL_PKEY_PARAM_RSA_D));
  if (!detail::has_bn_param(pkey, OSSL_PKEY_PARAM_RSA_FACTOR1)) return out;
  CRATON_TRY(add_secret(out, pkey, CKA_PRIME_1, OSSL_PKEY_PARAM_RSA_FACTOR1));
  CRATON_TRY(add_secret(out, pkey, CKA_PRIME_2, OSSL_PKEY_PARAM_RSA_FACTOR2));
  CRATON_TRY(add_secret(out, pkey, CKA_EXPONENT_1, OSSL_PKEY_PARAM_RSA_EXPONENT1));
  CRATON_TRY(add_secret(out, pkey, CKA_EXPONENT_2, OSSL_PKEY_PARAM_RSA_EXPONENT2));
  CRATON_TRY(add_secret(out, pkey, CKA_COEFFICIENT, OSSL_PKEY_PARAM_RSA_COEFFICIENT1));
  return out;
}

Result<PkeyPtr> rsa_generate(CK_ULONG bits, std::span<const std::uint8_t> public_exponent) {
  CRATON_TRY(selftest::before_use(selftest::Algorithm::kRsa));  // deferred CAST (selftest/deferred.h)
  if (bits < kRsaMinGenerateBits || bits > kRsaMaxGenerateBits) return fail(CKR_KEY_SIZE_RANGE, "RSA modulus size");
  static constexpr std::array<std::uint8_t, 3> kF4{0x01, 0x00, 0x01};
  CRATON_ASSIGN_OR_RETURN(BnPtr e, detail::bn_from_bytes(public_exponent.empty() ? std::span<const std::uint8_t>(kF4) : public_exponent,
                                                         false));
  if (BN_num_bits(e.get()) > 256) return fail(CKR_ATTRIBUTE_VALUE_INVALID, "RSA public exponent too large");
  CRATON_TRY(check_exponent(e.get(), nullptr));
  PkeyCtxPtr ctx(provider_pkey_ctx("RSA"));
  if (!ctx) return openssl_failure(CKR_FUNCTION_FAILED, "RSA unavailable");
  if (EVP_PKEY_keygen_init(ctx.get()) != 1 ||
      EVP_PKEY_CTX_set_rsa_keygen_bits(ctx.get(), static_cast<int>(bits)) != 1 ||
      EVP_PKEY_CTX_set1_rsa_keygen_pubexp(ctx.get(), e.get()) != 1) {
    return openssl_failure(CKR_FUNCTION_FAILED, "RSA key generation setup failed");
  }
  return detail::generate_with(ctx.get());
}

}  // namespace craton::crypto
