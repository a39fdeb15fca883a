// Composite ML-DSA (draft-ietf-lamps-pq-composite-sigs-19); see composite_sig.h.
#include "crypto/hybrid/composite_sig.h"

#include <algorithm>
#include <array>
#include <optional>
#include <utility>

#include "crypto/ossl/der.h"
#include "crypto/ossl/digest.h"
#include "crypto/ossl/ec_ops.h"
#include "crypto/ossl/ec_point.h"
#include "crypto/ossl/pkey_ec.h"
#include "crypto/ossl/random.h"
#include "object/attribute.h"

namespace craton::crypto::hybrid {
namespace {

constexpr std::uint8_t kDerInteger = 0x02;
constexpr std::uint8_t kDerContext0 = 0xA0;
constexpr std::uint8_t kUncompressedPoint = 0x04;

constexpr Error kBadSignature = fail(CKR_SIGNATURE_INVALID, "composite signature does not verify");

constexpr std::array<const CompositeSigParams*, 2> kAll{&kMlDsa65EcdsaP256Sha512, &kMlDsa87EcdsaP384Sha512};

Bytes ascii_bytes(std::string_view s) { return Bytes(s.begin(), s.end()); }

// The DER around the scalar of the ECPrivateKey this module writes and accepts (RFC 5915 §3):
// 30 L 02 01 01 04 N <scalar> A0 M <curve OID>. All lengths stay below 128 (short form).
Bytes ec_private_key_head(const CompositeSigParams& p, const Curve& c) {
  const std::size_t body = 3 + 2 + p.ec_field_bytes + 2 + c.oid_der.size();
  return Bytes{kDerSequence, static_cast<std::uint8_t>(body), kDerInteger, 0x01, 0x01,
               kDerOctetString, static_cast<std::uint8_t>(p.ec_field_bytes)};
}
Bytes ec_private_key_tail(const Curve& c) {
  // Sized first and filled by copy: GCC 12 at -O3 misreads insert() into a 2-element vector as an
  // out-of-bounds memcpy (-Warray-bounds false positive).
  Bytes t(2 + c.oid_der.size());
  t[0] = kDerContext0;
  t[1] = static_cast<std::uint8_t>(c.oid_der.size());
  std::copy(c.oid_der.begin(), c.oid_der.end(), t.begin() + 2);
  return t;
}

Result<const Curve*> curve_of(const CompositeSigParams& p) {
  const Curve* c = p.curve();
  if (c == nullptr || c->key_bytes != p.ec_field_bytes) return fail(CKR_GENERAL_ERROR, "composite curve unavailable");
  return c;
}

// Draft §4.2 DeserializePrivateKey, with the ECPrivateKey framing checked.
struct PrivateParts {
  std::span<const std::uint8_t> seed;    // ξ
  std::span<const std::uint8_t> scalar;  // d, big-endian, field length
};

Result<PrivateParts> split_private(const CompositeSigParams& p, const Curve& c, std::span<const std::uint8_t> sk) {
  if (sk.size() != p.sk_bytes) return fail(CKR_KEY_SIZE_RANGE, "composite private key has the wrong length");
  const Bytes head = ec_private_key_head(p, c);
  const Bytes tail = ec_private_key_tail(c);
  const auto ec = sk.subspan(kCompositeMlDsaSeedBytes);
  if (ec.size() != head.size() + p.ec_field_bytes + tail.size() || !std::equal(head.begin(), head.end(), ec.begin()) ||
      !std::equal(tail.begin(), tail.end(), ec.end() - static_cast<std::ptrdiff_t>(tail.size()))) {
    return fail(CKR_ATTRIBUTE_VALUE_INVALID, "composite private key is not seed || ECPrivateKey");
  }
  return PrivateParts{sk.first(kCompositeMlDsaSeedBytes), ec.subspan(head.size(), p.ec_field_bytes)};
}

// An OpenSSL key pair from the scalar (range-checked to [1, n-1] there).
Result<PkeyPtr> ec_private(const Curve& c, std::span<const std::uint8_t> scalar) {
  object::AttributeSet attrs;
  attrs.set(object::Attribute::make_bytes(CKA_EC_PARAMS, c.oid_der));
  attrs.set(object::Attribute::make_bytes(CKA_VALUE, scalar));
  return ec_private_from_attrs(attrs);
}

// The uncompressed point 04 || X || Y of a key.
Result<Bytes> uncompressed_point(const Curve& c, const EVP_PKEY* key) {
  CRATON_ASSIGN_OR_RETURN(const Bytes attr, ec_point_of_pkey(key));
  CRATON_ASSIGN_OR_RETURN(const auto point, decode_ec_point(c, attr));
  if (point.size() != 1 + 2 * c.key_bytes || point[0] != kUncompressedPoint) {
    return fail(CKR_GENERAL_ERROR, "unexpected EC point encoding");
  }
  return Bytes(point.begin(), point.end());
}

// ---- Ecdsa-Sig-Value (RFC 3279 §2.2.3), strict DER --------------------------------------------
// r and s are public (they are the signature), so branching on them is fine.

void append_der_integer(Bytes& out, std::span<const std::uint8_t> be) {
  std::size_t i = 0;
  while (i + 1 < be.size() && be[i] == 0) ++i;
  const auto v = be.subspan(i);
  const bool pad = (v[0] & 0x80U) != 0;
  out.push_back(kDerInteger);
  out.push_back(static_cast<std::uint8_t>(v.size() + (pad ? 1 : 0)));
  if (pad) out.push_back(0x00);
  out.insert(out.end(), v.begin(), v.end());
}

// r || s (each `field` bytes) → SEQUENCE { INTEGER r, INTEGER s }.
Bytes ecdsa_der_from_raw(std::span<const std::uint8_t> raw, std::size_t field) {
  Bytes body;
  append_der_integer(body, raw.first(field));
  append_der_integer(body, raw.subspan(field, field));
  Bytes out{kDerSequence, static_cast<std::uint8_t>(body.size())};
  out.insert(out.end(), body.begin(), body.end());
  return out;
}

// Reads one minimally encoded, non-negative INTEGER of at most `field` significant bytes at the
// start of `in` and writes it right-aligned into `out` (field bytes). Returns the bytes consumed.
std::optional<std::size_t> read_der_integer(std::span<const std::uint8_t> in, std::span<std::uint8_t> out) {
  if (in.size() < 3 || in[0] != kDerInteger || in[1] == 0 || in[1] >= 0x80) return std::nullopt;
  const std::size_t len = in[1];
  if (in.size() < 2 + len) return std::nullopt;
  auto v = in.subspan(2, len);
  if ((v[0] & 0x80U) != 0) return std::nullopt;                                   // negative
  if (v.size() > 1 && v[0] == 0 && (v[1] & 0x80U) == 0) return std::nullopt;       // not minimal
  if (v.size() > 1 && v[0] == 0) v = v.subspan(1);
  if (v.size() > out.size()) return std::nullopt;
  std::fill(out.begin(), out.end(), std::uint8_t{0});
  std::copy(v.begin(), v.end(), out.end() - static_cast<std::ptrdiff_t>(v.size()));
  return 2 + len;
}

// Strict DER Ecdsa-Sig-Value → r || s; nullopt for anything else.
std::optional<Bytes> ecdsa_raw_from_der(std::span<const std::uint8_t> der, std::size_t field) {
  if (der.size() < 2 || der[0] != kDerSequence || der[1] >= 0x80 || der.size() != 2 + std::size_t{der[1]}) {
    return std::nullopt;
  }
  Bytes raw(2 * field);
  auto body = der.subspan(2);
  const auto r_len = read_der_integer(body, std::span(raw).first(field));
  if (!r_len) return std::nullopt;
  body = body.subspan(*r_len);
  const auto s_len = read_der_integer(body, std::span(raw).subspan(field));
  if (!s_len || *s_len != body.size()) return std::nullopt;
  return raw;
}

}  // namespace

const Curve* CompositeSigParams::curve() const noexcept {
  for (const Curve& c : all_curves()) {
    if (c.name == curve_name) return &c;
  }
  return nullptr;
}

std::span<const CompositeSigParams* const> all_composite_sig_params() noexcept { return kAll; }

const CompositeSigParams* composite_sig_params_by_oid(std::string_view dotted_oid) noexcept {
  for (const CompositeSigParams* p : kAll) {
    if (p->oid == dotted_oid) return p;
  }
  return nullptr;
}

Result<CompositeKeyPair> composite_keygen(const CompositeSigParams& p) {
  CRATON_ASSIGN_OR_RETURN(const Curve* c, curve_of(p));
  CRATON_ASSIGN_OR_RETURN(SecureBytes seed, random_secret(kCompositeMlDsaSeedBytes));
  CRATON_ASSIGN_OR_RETURN(pqc::MlDsaKeyPair ml, pqc::ml_dsa_keygen_internal(*p.mldsa, seed.span()));
  CRATON_ASSIGN_OR_RETURN(PkeyPtr ec, ec_generate(*c));
  CRATON_ASSIGN_OR_RETURN(const object::AttributeSet ec_attrs, ec_attrs_from_pkey(ec.get(), /*private_part=*/true));
  const auto scalar = ec_attrs.get_bytes(CKA_VALUE);
  if (!scalar || scalar->size() != p.ec_field_bytes) return fail(CKR_GENERAL_ERROR, "EC scalar unavailable");
  CRATON_ASSIGN_OR_RETURN(Bytes point, uncompressed_point(*c, ec.get()));

  CompositeKeyPair kp;
  kp.pk = std::move(ml.pk);
  kp.pk.insert(kp.pk.end(), point.begin(), point.end());
  kp.sk = std::move(seed);
  kp.sk.append(ec_private_key_head(p, *c));
  kp.sk.append(*scalar);
  kp.sk.append(ec_private_key_tail(*c));
  return kp;
}

Result<std::vector<std::uint8_t>> composite_public_from_private(const CompositeSigParams& p,
                                                                std::span<const std::uint8_t> sk) {
  CRATON_ASSIGN_OR_RETURN(const Curve* c, curve_of(p));
  CRATON_ASSIGN_OR_RETURN(const PrivateParts parts, split_private(p, *c, sk));
  CRATON_ASSIGN_OR_RETURN(pqc::MlDsaKeyPair ml, pqc::ml_dsa_keygen_internal(*p.mldsa, parts.seed));
  CRATON_ASSIGN_OR_RETURN(const PkeyPtr ec, ec_private(*c, parts.scalar));
  CRATON_ASSIGN_OR_RETURN(const Bytes point, uncompressed_point(*c, ec.get()));
  Bytes pk = std::move(ml.pk);
  pk.insert(pk.end(), point.begin(), point.end());
  return pk;
}

Result<std::vector<std::uint8_t>> composite_prehash(const CompositeSigParams& p, std::span<const std::uint8_t> msg) {
  return digest(p.prehash, msg);
}

Result<std::vector<std::uint8_t>> composite_message_representative(const CompositeSigParams& p,
                                                                   std::span<const std::uint8_t> ph_m,
                                                                   std::span<const std::uint8_t> ctx) {
  if (ctx.size() > pqc::kMlDsaMaxContextBytes) {
    return fail(CKR_MECHANISM_PARAM_INVALID, "composite context longer than 255 bytes");
  }
  if (ph_m.size() != digest_size(p.prehash)) return fail(CKR_DATA_LEN_RANGE, "pre-hash has the wrong length");
  // Sized once and filled by copy: GCC 12 misreads chained insert() calls here as an overflowing
  // memmove (-Wstringop-overflow false positive in some build types).
  Bytes m(kCompositeSigPrefix.size() + p.label.size() + 1 + ctx.size() + ph_m.size());
  auto out = m.begin();
  out = std::copy(kCompositeSigPrefix.begin(), kCompositeSigPrefix.end(), out);
  out = std::copy(p.label.begin(), p.label.end(), out);
  *out++ = static_cast<std::uint8_t>(ctx.size());
  out = std::copy(ctx.begin(), ctx.end(), out);
  std::copy(ph_m.begin(), ph_m.end(), out);
  return m;
}

Result<std::vector<std::uint8_t>> composite_sign_prehashed(const CompositeSigParams& p,
                                                           std::span<const std::uint8_t> sk,
                                                           std::span<const std::uint8_t> ph_m,
                                                           std::span<const std::uint8_t> ctx,
                                                           pqc::MlDsaHedge hedge) {
  CRATON_ASSIGN_OR_RETURN(const Bytes m_prime, composite_message_representative(p, ph_m, ctx));
  CRATON_ASSIGN_OR_RETURN(const Curve* c, curve_of(p));
  CRATON_ASSIGN_OR_RETURN(const PrivateParts parts, split_private(p, *c, sk));

  // ML-DSA component: re-expand ξ (draft §3.2 step 3), sign M' with the label as its context.
  CRATON_ASSIGN_OR_RETURN(const pqc::MlDsaKeyPair ml, pqc::ml_dsa_keygen_internal(*p.mldsa, parts.seed));
  CRATON_ASSIGN_OR_RETURN(Bytes sig, pqc::ml_dsa_sign(*p.mldsa, ml.sk.span(), m_prime, ascii_bytes(p.label), hedge));

  // ECDSA component over M' with the algorithm's hash.
  CRATON_ASSIGN_OR_RETURN(const PkeyPtr ec, ec_private(*c, parts.scalar));
  CRATON_ASSIGN_OR_RETURN(const Bytes hash, digest(p.ecdsa_hash, m_prime));
  CRATON_ASSIGN_OR_RETURN(const Bytes raw, ecdsa_sign(ec.get(), *c, hash));
  if (raw.size() != 2 * p.ec_field_bytes) return fail(CKR_GENERAL_ERROR, "unexpected ECDSA signature size");
  const Bytes der = ecdsa_der_from_raw(raw, p.ec_field_bytes);
  sig.insert(sig.end(), der.begin(), der.end());
  return sig;
}

Result<std::vector<std::uint8_t>> composite_sign(const CompositeSigParams& p, std::span<const std::uint8_t> sk,
                                                 std::span<const std::uint8_t> msg,
                                                 std::span<const std::uint8_t> ctx, pqc::MlDsaHedge hedge) {
  // The context is checked before hashing a possibly large message.
  if (ctx.size() > pqc::kMlDsaMaxContextBytes) {
    return fail(CKR_MECHANISM_PARAM_INVALID, "composite context longer than 255 bytes");
  }
  CRATON_ASSIGN_OR_RETURN(const Bytes ph_m, composite_prehash(p, msg));
  return composite_sign_prehashed(p, sk, ph_m, ctx, hedge);
}

Status composite_verify_prehashed(const CompositeSigParams& p, std::span<const std::uint8_t> pk,
                                  std::span<const std::uint8_t> ph_m, std::span<const std::uint8_t> ctx,
                                  std::span<const std::uint8_t> sig) {
  CRATON_ASSIGN_OR_RETURN(const Bytes m_prime, composite_message_representative(p, ph_m, ctx));
  CRATON_ASSIGN_OR_RETURN(const Curve* c, curve_of(p));
  if (pk.size() != p.pk_bytes) return fail(CKR_KEY_SIZE_RANGE, "composite public key has the wrong length");
  if (sig.size() < p.min_sig_bytes || sig.size() > p.max_sig_bytes) {
    return fail(CKR_SIGNATURE_LEN_RANGE, "composite signature has the wrong length");
  }
  // Draft §4.1 DeserializePublicKey; the EC point must be uncompressed and on the curve.
  const std::size_t ml_pk = p.mldsa->pk_bytes;
  const auto point = pk.subspan(ml_pk);
  if (point[0] != kUncompressedPoint) return fail(CKR_PUBLIC_KEY_INVALID, "EC point is not uncompressed");
  CRATON_ASSIGN_OR_RETURN(const PkeyPtr ec, ec_public_from_point(*c, point, CKR_PUBLIC_KEY_INVALID));
  // Draft §4.3 DeserializeSignatureValue.
  const std::size_t ml_sig = p.mldsa->sig_bytes;
  const auto raw = ecdsa_raw_from_der(sig.subspan(ml_sig), p.ec_field_bytes);
  if (!raw) return kBadSignature;

  if (!pqc::ml_dsa_verify(*p.mldsa, pk.first(ml_pk), m_prime, ascii_bytes(p.label), sig.first(ml_sig)).ok()) {
    return kBadSignature;
  }
  CRATON_ASSIGN_OR_RETURN(const Bytes hash, digest(p.ecdsa_hash, m_prime));
  return ecdsa_verify(ec.get(), *c, hash, *raw);
}

Status composite_verify(const CompositeSigParams& p, std::span<const std::uint8_t> pk,
                        std::span<const std::uint8_t> msg, std::span<const std::uint8_t> ctx,
                        std::span<const std::uint8_t> sig) {
  if (ctx.size() > pqc::kMlDsaMaxContextBytes) {
    return fail(CKR_MECHANISM_PARAM_INVALID, "composite context longer than 255 bytes");
  }
  CRATON_ASSIGN_OR_RETURN(const Bytes ph_m, composite_prehash(p, msg));
  return composite_verify_prehashed(p, pk, ph_m, ctx, sig);
}

}  // namespace craton::crypto::hybrid
