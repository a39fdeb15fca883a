#include "crypto/ossl/edwards.h"

#include "crypto/ossl/digest.h"

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <initializer_list>
#include <string_view>

#include "common/secure_bytes.h"
#include "crypto/ossl/error.h"
#include "crypto/ossl/scopers.h"

namespace craton::crypto::detail {
namespace {

constexpr std::size_t kMaxEncoding = 57;

// One Edwards curve a·x² + y² = 1 + d·x²·y² over GF(p), and the same group as the short Weierstrass
// curve Y² = X³ + aw·X + bw that OpenSSL computes on. With the Montgomery form B·v² = u³ + A·u² + u,
// A = 2(a+d)/(a-d), B = 4/(a-d): u = (1+y)/(1-y), v = u/x, X = (u + A/3)/B, Y = v/B.
struct Model {
  bool ed448 = false;
  std::size_t b = 0;  // encoding length in bytes: 32 or 57
  BnPtr p, a, d, order;
  BnPtr a_third;      // A/3
  BnPtr mont_b;       // B
  BnPtr mont_b_inv;   // 1/B
  EcGroupPtr group;
};

BnPtr new_bn() { return BnPtr(BN_new()); }

// Field arithmetic modulo p; every function reports success.
struct Field {
  const BIGNUM* p;
  BN_CTX* ctx;
  bool mul(BIGNUM* r, const BIGNUM* x, const BIGNUM* y) const { return BN_mod_mul(r, x, y, p, ctx) == 1; }
  bool add(BIGNUM* r, const BIGNUM* x, const BIGNUM* y) const { return BN_mod_add(r, x, y, p, ctx) == 1; }
  bool sub(BIGNUM* r, const BIGNUM* x, const BIGNUM* y) const { return BN_mod_sub(r, x, y, p, ctx) == 1; }
  bool inv(BIGNUM* r, const BIGNUM* x) const { return BN_mod_inverse(r, x, p, ctx) != nullptr; }
  bool div(BIGNUM* r, const BIGNUM* x, const BIGNUM* y) const {
    BnPtr t = new_bn();
    return t && inv(t.get(), y) && mul(r, x, t.get());
  }
};

// The Edwards point (x, y) as a point of the Weierstrass model.
bool to_weierstrass(const Model& m, const BIGNUM* x, const BIGNUM* y, EC_POINT* out, BN_CTX* ctx) {
  const Field f{m.p.get(), ctx};
  BnPtr u = new_bn(), v = new_bn(), t = new_bn(), wx = new_bn(), wy = new_bn();
  if (!u || !v || !t || !wx || !wy) return false;
  if (BN_is_zero(x)) {
    if (BN_is_one(y)) return EC_POINT_set_to_infinity(m.group.get(), out) == 1;  // the neutral element
    BN_zero(u.get());  // (0, -1) is the Montgomery point (0, 0) of order two
    BN_zero(v.get());
  } else {
    if (BN_one(t.get()) != 1 || !f.add(u.get(), t.get(), y) || !f.sub(t.get(), t.get(), y) || !f.div(u.get(), u.get(), t.get()) ||
        !f.div(v.get(), u.get(), x)) {
      return false;
    }
  }
  return f.add(wx.get(), u.get(), m.a_third.get()) && f.mul(wx.get(), wx.get(), m.mont_b_inv.get()) &&
         f.mul(wy.get(), v.get(), m.mont_b_inv.get()) &&
         EC_POINT_set_affine_coordinates(m.group.get(), out, wx.get(), wy.get(), ctx) == 1;
}

// The Edwards coordinates of a point of the Weierstrass model.
bool to_edwards(const Model& m, const EC_POINT* pt, BIGNUM* x, BIGNUM* y, BN_CTX* ctx) {
  if (EC_POINT_is_at_infinity(m.group.get(), pt) == 1) {
    BN_zero(x);
    return BN_one(y) == 1;
  }
  const Field f{m.p.get(), ctx};
  BnPtr wx = new_bn(), wy = new_bn(), u = new_bn(), v = new_bn(), t = new_bn();
  if (!wx || !wy || !u || !v || !t ||
      EC_POINT_get_affine_coordinates(m.group.get(), pt, wx.get(), wy.get(), ctx) != 1 ||
      !f.mul(u.get(), wx.get(), m.mont_b.get()) || !f.sub(u.get(), u.get(), m.a_third.get()) ||
      !f.mul(v.get(), wy.get(), m.mont_b.get())) {
    return false;
  }
  if (BN_is_zero(v.get())) {
    if (!BN_is_zero(u.get())) return false;  // not the image of an Edwards point (complete curves have none)
    BN_zero(x);
    return BN_sub(y, m.p.get(), BN_value_one()) == 1;
  }
  if (BN_one(t.get()) != 1 || !f.add(t.get(), u.get(), t.get()) || BN_is_zero(t.get())) return false;
  BnPtr num = new_bn();
  return num && BN_sub(num.get(), u.get(), BN_value_one()) == 1 && BN_nnmod(num.get(), num.get(), m.p.get(), ctx) == 1 &&
         f.div(y, num.get(), t.get()) && f.div(x, u.get(), v.get());
}

// RFC 8032 §5.1.2 / §5.2.2: y little-endian, the sign of x in the top bit of the last byte.
bool encode(const Model& m, const BIGNUM* x, const BIGNUM* y, std::uint8_t* out) {
  if (BN_bn2lebinpad(y, out, static_cast<int>(m.b)) != static_cast<int>(m.b)) return false;
  if (BN_is_odd(x)) out[m.b - 1] |= 0x80;
  return true;
}

// RFC 8032 §5.1.3 / §5.2.3: false for anything that is not the canonical encoding of a point.
bool decode(const Model& m, std::span<const std::uint8_t> enc, BIGNUM* x, BIGNUM* y, BN_CTX* ctx) {
  if (enc.size() != m.b) return false;
  std::array<std::uint8_t, kMaxEncoding> buf{};
  std::copy(enc.begin(), enc.end(), buf.begin());
  const bool sign = (buf[m.b - 1] & 0x80) != 0;
  buf[m.b - 1] &= 0x7F;
  if (BN_lebin2bn(buf.data(), static_cast<int>(m.b), y) == nullptr || BN_cmp(y, m.p.get()) >= 0) return false;
  const Field f{m.p.get(), ctx};
  BnPtr y2 = new_bn(), num = new_bn(), den = new_bn();
  // x² = (y² - 1) / (d·y² - a)
  if (!y2 || !num || !den || !f.mul(y2.get(), y, y) || BN_sub(num.get(), y2.get(), BN_value_one()) != 1 ||
      BN_nnmod(num.get(), num.get(), m.p.get(), ctx) != 1 || !f.mul(den.get(), m.d.get(), y2.get()) ||
      !f.sub(den.get(), den.get(), m.a.get()) || BN_is_zero(den.get()) || !f.div(num.get(), num.get(), den.get())) {
    return false;
  }
  if (BN_is_zero(num.get())) {
    BN_zero(x);
    return !sign;
  }
  ERR_set_mark();
  const bool root = BN_mod_sqrt(x, num.get(), m.p.get(), ctx) != nullptr;
  ERR_pop_to_mark();  // "not a square" is an answer here, not an error
  if (!root) return false;
  if ((BN_is_odd(x) != 0) != sign) return BN_sub(x, m.p.get(), x) == 1;
  return true;
}

// A curve constant given in hex.
BnPtr from_hex(const char* hex) {
  BIGNUM* raw = nullptr;
  if (BN_hex2bn(&raw, hex) == 0) return nullptr;
  return BnPtr(raw);
}

// Curve constants from RFC 8032 §5.1 (edwards25519) and §5.2 (edwards448).
bool set_constants(Model& m, BN_CTX* ctx) {
  m.p = new_bn();
  m.a = new_bn();
  m.d = new_bn();
  m.order = new_bn();
  BnPtr t = new_bn();
  if (!m.p || !m.a || !m.d || !m.order || !t) return false;
  if (m.ed448) {
    // p = 2^448 - 2^224 - 1, a = 1, d = -39081, L = 2^446 - 0x8335dc16...
    BnPtr sub = from_hex("8335dc163bb124b65129c96fde933d8d723a70aadc873d6d54a7bb0d");
    return sub && BN_set_bit(m.p.get(), 448) == 1 && BN_set_bit(t.get(), 224) == 1 &&
           BN_sub(m.p.get(), m.p.get(), t.get()) == 1 && BN_sub_word(m.p.get(), 1) == 1 && BN_one(m.a.get()) == 1 &&
           BN_set_word(m.d.get(), 39081) == 1 && BN_sub(m.d.get(), m.p.get(), m.d.get()) == 1 &&
           BN_set_bit(m.order.get(), 446) == 1 && BN_sub(m.order.get(), m.order.get(), sub.get()) == 1;
  }
  // p = 2^255 - 19, a = -1, d = -121665/121666, L = 2^252 + 0x14def9de...
  const Field f{m.p.get(), ctx};
  BnPtr l = from_hex("1000000000000000000000000000000014def9dea2f79cd65812631a5cf5d3ed");
  BnPtr n = new_bn();
  if (!l || !n || BN_set_bit(m.p.get(), 255) != 1 || BN_sub_word(m.p.get(), 19) != 1 ||
      BN_sub(m.a.get(), m.p.get(), BN_value_one()) != 1 || BN_set_word(n.get(), 121665) != 1 ||
      BN_set_word(t.get(), 121666) != 1 || !f.div(m.d.get(), n.get(), t.get())) {
    return false;
  }
  m.order = std::move(l);
  return BN_sub(m.d.get(), m.p.get(), m.d.get()) == 1;
}

// The Weierstrass model and its generator (the image of the base point B).
bool build_model(Model& m, BN_CTX* ctx) {
  if (!set_constants(m, ctx)) return false;
  const Field f{m.p.get(), ctx};
  BnPtr amd = new_bn(), apd = new_bn(), ma = new_bn(), t = new_bn(), t2 = new_bn(), aw = new_bn(), bw = new_bn();
  m.a_third = new_bn();
  m.mont_b = new_bn();
  m.mont_b_inv = new_bn();
  if (!amd || !apd || !ma || !t || !t2 || !aw || !bw || !m.a_third || !m.mont_b || !m.mont_b_inv) return false;
  // A = 2(a+d)/(a-d), B = 4/(a-d)
  if (!f.sub(amd.get(), m.a.get(), m.d.get()) || !f.add(apd.get(), m.a.get(), m.d.get()) ||
      !f.add(apd.get(), apd.get(), apd.get()) || !f.div(ma.get(), apd.get(), amd.get()) || BN_set_word(t.get(), 4) != 1 ||
      !f.div(m.mont_b.get(), t.get(), amd.get()) || !f.inv(m.mont_b_inv.get(), m.mont_b.get()) ||
      BN_set_word(t.get(), 3) != 1 || !f.div(m.a_third.get(), ma.get(), t.get())) {
    return false;
  }
  // aw = (3 - A²)/(3B²), bw = (2A³ - 9A)/(27B³)
  if (!f.mul(t.get(), ma.get(), ma.get()) || BN_set_word(t2.get(), 3) != 1 || !f.sub(aw.get(), t2.get(), t.get()) ||
      !f.mul(t.get(), m.mont_b.get(), m.mont_b.get()) || !f.mul(t.get(), t.get(), t2.get()) ||
      !f.div(aw.get(), aw.get(), t.get())) {
    return false;
  }
  BnPtr a3 = new_bn(), b3 = new_bn();
  if (!a3 || !b3 || !f.mul(a3.get(), ma.get(), ma.get()) || !f.mul(a3.get(), a3.get(), ma.get()) ||
      !f.add(a3.get(), a3.get(), a3.get()) || BN_set_word(t.get(), 9) != 1 || !f.mul(t.get(), t.get(), ma.get()) ||
      !f.sub(bw.get(), a3.get(), t.get()) || !f.mul(b3.get(), m.mont_b.get(), m.mont_b.get()) ||
      !f.mul(b3.get(), b3.get(), m.mont_b.get()) || BN_set_word(t.get(), 27) != 1 ||
      !f.mul(b3.get(), b3.get(), t.get()) || !f.div(bw.get(), bw.get(), b3.get())) {
    return false;
  }
  m.group.reset(EC_GROUP_new_curve_GFp(m.p.get(), aw.get(), bw.get(), ctx));
  if (!m.group) return false;
  // Base points: edwards25519 y = 4/5 (encoded 58 66 66 ... 66); edwards448 y from RFC 8032 §5.2.
  std::array<std::uint8_t, kMaxEncoding> enc{};
  if (m.ed448) {
    BIGNUM* raw = nullptr;
    if (BN_dec2bn(&raw,
                  "29881921007848149267601793044393067343754404015408024209592824137233150618983587600353687865541878"
                  "4733982303233503462500531545062832660") == 0) {
      return false;
    }
    const BnPtr y(raw);
    if (BN_bn2lebinpad(y.get(), enc.data(), 57) != 57) return false;
  } else {
    enc.fill(0x66);
    enc[0] = 0x58;
  }
  BnPtr x = new_bn(), y = new_bn(), cofactor = new_bn();
  EcPointPtr g(EC_POINT_new(m.group.get()));
  return x && y && cofactor && g && decode(m, std::span(enc.data(), m.b), x.get(), y.get(), ctx) &&
         to_weierstrass(m, x.get(), y.get(), g.get(), ctx) && BN_set_word(cofactor.get(), m.ed448 ? 4 : 8) == 1 &&
         EC_GROUP_set_generator(m.group.get(), g.get(), m.order.get(), cofactor.get()) == 1;
}

// The model of `curve`, built on first use; nullptr if OpenSSL refused it.
const Model* model_for(const Curve& curve) {
  struct Built {
    Model m;
    bool ok = false;
    explicit Built(bool ed448) {
      m.ed448 = ed448;
      m.b = ed448 ? 57 : 32;
      BnCtxPtr ctx(BN_CTX_new());
      ok = ctx && build_model(m, ctx.get());
      ERR_clear_error();
    }
  };
  if (curve.nid == NID_ED25519) {
    static const Built ed25519(false);
    return ed25519.ok ? &ed25519.m : nullptr;
  }
  if (curve.nid == NID_ED448) {
    static const Built ed448(true);
    return ed448.ok ? &ed448.m : nullptr;
  }
  return nullptr;
}

// H(dom || parts...): SHA-512 for Ed25519, SHAKE256 with 114 bytes for Ed448. `dom` is false only
// for the hash of the private key.
Result<SecureBytes> hash(const Model& m, bool dom, bool prehash, std::span<const std::uint8_t> context,
                         std::initializer_list<std::span<const std::uint8_t>> parts) {
  MdCtxPtr md(EVP_MD_CTX_new());
  const EVP_MD* type = m.ed448 ? shake256_md() : md_for(CKM_SHA512);
  if (!md || EVP_DigestInit_ex2(md.get(), type, nullptr) != 1) return openssl_failure(CKR_FUNCTION_FAILED, "hash unavailable");
  bool ok = true;
  if (dom) {
    constexpr std::string_view kDom2 = "SigEd25519 no Ed25519 collisions";
    constexpr std::string_view kDom4 = "SigEd448";
    const std::string_view prefix = m.ed448 ? kDom4 : kDom2;
    const std::array<std::uint8_t, 2> flags{static_cast<std::uint8_t>(prehash ? 1 : 0),
                                            static_cast<std::uint8_t>(context.size())};
    ok = EVP_DigestUpdate(md.get(), prefix.data(), prefix.size()) == 1 &&
         EVP_DigestUpdate(md.get(), flags.data(), flags.size()) == 1 &&
         EVP_DigestUpdate(md.get(), context.data(), context.size()) == 1;
  }
  for (const auto& part : parts) ok = ok && EVP_DigestUpdate(md.get(), part.data(), part.size()) == 1;
  SecureBytes out(m.ed448 ? 114 : 64);
  unsigned int len = 0;
  ok = ok && (m.ed448 ? EVP_DigestFinalXOF(md.get(), out.data(), out.size()) == 1
                      : EVP_DigestFinal_ex(md.get(), out.data(), &len) == 1);
  if (!ok) return openssl_failure(CKR_FUNCTION_FAILED, "hash failed");
  return out;
}

// A little-endian integer reduced modulo L.
bool scalar_mod_l(const Model& m, std::span<const std::uint8_t> le, BIGNUM* out, BN_CTX* ctx) {
  return BN_lebin2bn(le.data(), static_cast<int>(le.size()), out) != nullptr &&
         BN_nnmod(out, out, m.order.get(), ctx) == 1;
}

// Whether the domain prefix is present: always for Ed448 (dom4), for Ed25519 only in ctx/ph.
bool uses_dom(const Model& m, bool prehash, std::span<const std::uint8_t> context) {
  return m.ed448 || prehash || !context.empty();
}

}  // namespace

Result<Bytes> eddsa_dom_sign(const Curve& curve, std::span<const std::uint8_t> seed,
                             std::span<const std::uint8_t> public_key, bool prehash,
                             std::span<const std::uint8_t> context, std::span<const std::uint8_t> message) {
  const Model* m = model_for(curve);
  if (m == nullptr) return fail(CKR_FUNCTION_FAILED, "Edwards curve model unavailable");
  if (seed.size() != m->b || public_key.size() != m->b || context.size() > 255) {
    return fail(CKR_FUNCTION_FAILED, "bad EdDSA key or context length");
  }
  const bool dom = uses_dom(*m, prehash, context);
  // §5.1.5 / §5.2.5: the secret scalar s (pruned first half of H(seed)) and the prefix.
  CRATON_ASSIGN_OR_RETURN(SecureBytes h, hash(*m, false, false, {}, {seed}));
  if (m->ed448) {
    h.data()[0] &= 0xFC;
    h.data()[56] = 0;
    h.data()[55] |= 0x80;
  } else {
    h.data()[0] &= 0xF8;
    h.data()[31] &= 0x7F;
    h.data()[31] |= 0x40;
  }
  const auto hs = h.span();
  BnCtxPtr ctx(BN_CTX_secure_new());
  BnPtr s(BN_secure_new()), r(BN_secure_new()), k(new_bn()), sig_s(BN_secure_new());
  BnPtr x = new_bn(), y = new_bn();
  EcPointPtr big_r(ctx ? EC_POINT_new(m->group.get()) : nullptr);
  if (!ctx || !s || !r || !k || !sig_s || !x || !y || !big_r) return openssl_failure(CKR_HOST_MEMORY, "out of memory");
  BN_set_flags(s.get(), BN_FLG_CONSTTIME);
  BN_set_flags(r.get(), BN_FLG_CONSTTIME);
  BN_set_flags(sig_s.get(), BN_FLG_CONSTTIME);
  CRATON_ASSIGN_OR_RETURN(SecureBytes rh, hash(*m, dom, prehash, context, {hs.subspan(m->b, m->b), message}));
  Bytes sig(2 * m->b);
  if (BN_lebin2bn(hs.data(), static_cast<int>(m->b), s.get()) == nullptr ||
      !scalar_mod_l(*m, rh.span(), r.get(), ctx.get()) ||
      EC_POINT_mul(m->group.get(), big_r.get(), r.get(), nullptr, nullptr, ctx.get()) != 1 ||
      !to_edwards(*m, big_r.get(), x.get(), y.get(), ctx.get()) || !encode(*m, x.get(), y.get(), sig.data())) {
    return openssl_failure(CKR_FUNCTION_FAILED, "EdDSA signing failed");
  }
  const std::span<const std::uint8_t> r_enc(sig.data(), m->b);
  CRATON_ASSIGN_OR_RETURN(SecureBytes kh, hash(*m, dom, prehash, context, {r_enc, public_key, message}));
  // S = (r + k·s) mod L
  if (!scalar_mod_l(*m, kh.span(), k.get(), ctx.get()) ||
      BN_mod_mul(sig_s.get(), k.get(), s.get(), m->order.get(), ctx.get()) != 1 ||
      BN_mod_add(sig_s.get(), sig_s.get(), r.get(), m->order.get(), ctx.get()) != 1 ||
      BN_bn2lebinpad(sig_s.get(), sig.data() + m->b, static_cast<int>(m->b)) != static_cast<int>(m->b)) {
    return openssl_failure(CKR_FUNCTION_FAILED, "EdDSA signing failed");
  }
  return sig;
}

Result<bool> eddsa_dom_verify(const Curve& curve, std::span<const std::uint8_t> public_key, bool prehash,
                              std::span<const std::uint8_t> context, std::span<const std::uint8_t> message,
                              std::span<const std::uint8_t> signature) {
  const Model* m = model_for(curve);
  if (m == nullptr) return fail(CKR_FUNCTION_FAILED, "Edwards curve model unavailable");
  if (signature.size() != 2 * m->b || context.size() > 255) return false;
  BnCtxPtr ctx(BN_CTX_new());
  BnPtr s = new_bn(), k = new_bn(), x = new_bn(), y = new_bn();
  EcPointPtr a(ctx ? EC_POINT_new(m->group.get()) : nullptr), check(ctx ? EC_POINT_new(m->group.get()) : nullptr);
  if (!ctx || !s || !k || !x || !y || !a || !check) return openssl_failure(CKR_HOST_MEMORY, "out of memory");
  const auto r_enc = signature.first(m->b);
  const auto s_enc = signature.subspan(m->b);
  if (BN_lebin2bn(s_enc.data(), static_cast<int>(s_enc.size()), s.get()) == nullptr) {
    return openssl_failure(CKR_HOST_MEMORY, "out of memory");
  }
  if (BN_cmp(s.get(), m->order.get()) >= 0) return false;
  if (!decode(*m, public_key, x.get(), y.get(), ctx.get()) || !to_weierstrass(*m, x.get(), y.get(), a.get(), ctx.get())) {
    ERR_clear_error();
    return false;
  }
  CRATON_ASSIGN_OR_RETURN(SecureBytes kh, hash(*m, uses_dom(*m, prehash, context), prehash, context,
                                               {r_enc, public_key, message}));
  std::array<std::uint8_t, kMaxEncoding> enc{};
  // [S]B - [k]A, encoded, must be R.
  if (!scalar_mod_l(*m, kh.span(), k.get(), ctx.get()) || EC_POINT_invert(m->group.get(), a.get(), ctx.get()) != 1 ||
      EC_POINT_mul(m->group.get(), check.get(), s.get(), a.get(), k.get(), ctx.get()) != 1 ||
      !to_edwards(*m, check.get(), x.get(), y.get(), ctx.get()) || !encode(*m, x.get(), y.get(), enc.data())) {
    return openssl_failure(CKR_FUNCTION_FAILED, "EdDSA verification failed");
  }
  return std::equal(r_enc.begin(), r_enc.end(), enc.begin());
}

}  // namespace craton::crypto::detail
