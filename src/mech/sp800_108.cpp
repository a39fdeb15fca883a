// NIST SP 800-108r1 key-based KDFs: CKM_SP800_108_COUNTER_KDF (§4.1) and
// CKM_SP800_108_FEEDBACK_KDF (§4.2), with the PKCS#11 3.0 data-parameter layout.
//
// The PRF input of iteration i is the caller's CK_PRF_DATA_PARAM list, in order:
//   ITERATION_VARIABLE  counter mode: i in the given CK_SP800_108_COUNTER_FORMAT (exactly once);
//                       feedback mode: K(i-1), K(0) = IV (exactly once, without a format)
//   COUNTER             feedback mode only, at most once: i in the given format
//   DKM_LENGTH          at most once: L in bits, in the given CK_SP800_108_DKM_LENGTH_FORMAT
//   BYTE_ARRAY          the bytes as given (label, 0x00 separator, context, ...)
// Counter widths are 8, 16, 24 or 32 bits, DKM widths 8 .. 64 in steps of 8, either endianness.
// The PRF is HMAC over SHA-1/SHA-2/SHA-3 (prfType CKM_<hash>_HMAC; base key CKK_GENERIC_SECRET or
// that hash's HMAC key type) or AES-CMAC (CKM_AES_CMAC; base key CKK_AES).
//
// Several keys (the template's key, then each CK_DERIVED_KEY in order) never share the output of
// one PRF call: each key starts at a new h-byte segment. L is the sum of the key lengths
// (CK_SP800_108_DKM_LENGTH_SUM_OF_KEYS) or of the segments produced, i.e. n·h
// (CK_SP800_108_DKM_LENGTH_SUM_OF_SEGMENTS).
#include <algorithm>
#include <array>
#include <optional>

#include "crypto/ossl/hmac.h"
#include "mech/registry.h"

namespace craton::mech {
namespace {

constexpr Error kBadParam = fail(CKR_MECHANISM_PARAM_INVALID, "SP 800-108 parameter invalid");
constexpr std::size_t kMaxOutputBytes = 64 * 1024;

struct PrfSpec {
  CK_MECHANISM_TYPE prf;
  CK_MECHANISM_TYPE hash;  // 0: AES-CMAC
  CK_KEY_TYPE hmac_key_type;
};

constexpr std::array<PrfSpec, 12> kPrfs{{
    {CKM_SHA_1_HMAC, CKM_SHA_1, CKK_SHA_1_HMAC},
    {CKM_SHA224_HMAC, CKM_SHA224, CKK_SHA224_HMAC},
    {CKM_SHA256_HMAC, CKM_SHA256, CKK_SHA256_HMAC},
    {CKM_SHA384_HMAC, CKM_SHA384, CKK_SHA384_HMAC},
    {CKM_SHA512_HMAC, CKM_SHA512, CKK_SHA512_HMAC},
    {CKM_SHA512_224_HMAC, CKM_SHA512_224, CKK_SHA512_224_HMAC},
    {CKM_SHA512_256_HMAC, CKM_SHA512_256, CKK_SHA512_256_HMAC},
    {CKM_SHA3_224_HMAC, CKM_SHA3_224, CKK_SHA3_224_HMAC},
    {CKM_SHA3_256_HMAC, CKM_SHA3_256, CKK_SHA3_256_HMAC},
    {CKM_SHA3_384_HMAC, CKM_SHA3_384, CKK_SHA3_384_HMAC},
    {CKM_SHA3_512_HMAC, CKM_SHA3_512, CKK_SHA3_512_HMAC},
    {CKM_AES_CMAC, 0, CKK_AES},
}};

// The keyed PRF for `prf` over the base key, checking that the key fits the PRF.
Result<crypto::MacKey> prf_key(CK_MECHANISM_TYPE prf, const KeyRef& base) {
  for (const PrfSpec& s : kPrfs) {
    if (s.prf != prf) continue;
    const CK_KEY_TYPE kt = base.key_type();
    if (s.hash == 0) {
      if (kt != CKK_AES) return fail(CKR_KEY_TYPE_INCONSISTENT, "AES-CMAC needs an AES key");
      return crypto::MacKey::aes_cmac(base.value());
    }
    if (kt != CKK_GENERIC_SECRET && kt != s.hmac_key_type) return fail(CKR_KEY_TYPE_INCONSISTENT, "key does not fit the HMAC PRF");
    if (base.value().empty()) return fail(CKR_KEY_SIZE_RANGE, "empty PRF key");
    return crypto::MacKey::hmac(s.hash, base.value());
  }
  return fail(CKR_MECHANISM_PARAM_INVALID, "unsupported SP 800-108 PRF");
}

bool counter_width_ok(CK_ULONG bits) { return bits == 8 || bits == 16 || bits == 24 || bits == 32; }
bool dkm_width_ok(CK_ULONG bits) { return bits != 0 && bits <= 64 && bits % 8 == 0; }

// `value` in `bits` bits (a multiple of 8), big- or little-endian. The caller checked it fits.
void append_integer(Bytes& out, std::uint64_t value, CK_ULONG bits, bool little_endian) {
  const std::size_t n = bits / 8;
  for (std::size_t k = 0; k < n; ++k) {
    const std::size_t shift = 8 * (little_endian ? k : n - 1 - k);
    out.push_back(static_cast<std::uint8_t>(value >> shift));
  }
}

// The validated data-parameter list.
struct Layout {
  const std::vector<PrfDataParam>* items = nullptr;
  CK_ULONG counter_bits = 32;  // r: bounds the number of iterations
  std::optional<CK_ULONG> dkm_bits;
  CK_ULONG dkm_method = 0;
};

Result<Layout> check_layout(const Sp800108Params& sp, bool feedback) {
  Layout l;
  l.items = &sp.data;
  int iteration = 0;
  int counter = 0;
  for (const PrfDataParam& d : sp.data) {
    switch (d.type) {
      case CK_SP800_108_ITERATION_VARIABLE:
        ++iteration;
        if (feedback ? d.present : (!d.present || !counter_width_ok(d.width_bits))) return kBadParam;
        if (!feedback) l.counter_bits = d.width_bits;
        break;
      case CK_SP800_108_COUNTER:
        ++counter;
        if (!feedback || !d.present || !counter_width_ok(d.width_bits)) return kBadParam;
        l.counter_bits = d.width_bits;
        break;
      case CK_SP800_108_DKM_LENGTH:
        if (l.dkm_bits || !dkm_width_ok(d.width_bits)) return kBadParam;
        if (d.dkm_method != CK_SP800_108_DKM_LENGTH_SUM_OF_KEYS && d.dkm_method != CK_SP800_108_DKM_LENGTH_SUM_OF_SEGMENTS) {
          return kBadParam;
        }
        l.dkm_bits = d.width_bits;
        l.dkm_method = d.dkm_method;
        break;
      case CK_SP800_108_BYTE_ARRAY:
        break;
      default:
        return kBadParam;
    }
  }
  if (iteration != 1 || counter > 1) return kBadParam;
  return l;
}

// Runs the KDF loop for n iterations of the keyed PRF; returns K(1) || ... || K(n).
Result<SecureBytes> run(const crypto::MacKey& prf, const Layout& l, bool feedback, std::span<const std::uint8_t> iv,
                        std::size_t n, std::uint64_t dkm_length_bits) {
  const std::size_t h = prf.size();
  SecureBytes out(n * h);
  Bytes encoded;
  for (std::size_t i = 1; i <= n; ++i) {
    CRATON_ASSIGN_OR_RETURN(crypto::RunningMac mac, prf.start());
    const std::span<const std::uint8_t> previous = i == 1 ? iv : out.span().subspan((i - 2) * h, h);
    for (const PrfDataParam& d : *l.items) {
      encoded.clear();
      std::span<const std::uint8_t> part;
      if (d.type == CK_SP800_108_ITERATION_VARIABLE && feedback) {
        part = previous;
      } else if (d.type == CK_SP800_108_ITERATION_VARIABLE || d.type == CK_SP800_108_COUNTER) {
        append_integer(encoded, i, d.width_bits, d.little_endian);
        part = encoded;
      } else if (d.type == CK_SP800_108_DKM_LENGTH) {
        append_integer(encoded, dkm_length_bits, d.width_bits, d.little_endian);
        part = encoded;
      } else {
        part = d.bytes;
      }
      CRATON_TRY(mac.update(part));
    }
    CRATON_ASSIGN_OR_RETURN(SecureBytes k, mac.finish());
    std::copy(k.data(), k.data() + h, out.data() + (i - 1) * h);
  }
  return out;
}

class Sp800108Mechanism final : public Mechanism {
 public:
  explicit Sp800108Mechanism(bool feedback) : feedback_(feedback) {}

  bool accepts_key_type(CK_KEY_TYPE kt) const override {
    if (kt == CKK_GENERIC_SECRET) return true;
    for (const PrfSpec& s : kPrfs) {
      if (s.hmac_key_type == kt) return true;
    }
    return false;
  }

  Result<Derived> derive(const Params& p, const KeyRef& base, const DeriveRequest& req) const override {
    const auto* sp = param_as<Sp800108Params>(p);
    if (sp == nullptr) return kBadParam;
    CRATON_ASSIGN_OR_RETURN(const Layout layout, check_layout(*sp, feedback_));
    CRATON_ASSIGN_OR_RETURN(const crypto::MacKey prf, prf_key(sp->prf, base));
    if (req.object_class != CKO_SECRET_KEY) return fail(CKR_TEMPLATE_INCONSISTENT, "SP 800-108 derives secret keys");
    // Key lengths: the template's key first, then the additional keys in order.
    std::vector<std::size_t> lens;
    if (!req.value_len) return fail(CKR_TEMPLATE_INCOMPLETE, "CKA_VALUE_LEN is required");
    lens.push_back(*req.value_len);
    for (const auto& e : req.extra_lens) {
      if (!e) return fail(CKR_TEMPLATE_INCOMPLETE, "CKA_VALUE_LEN is required for every additional key");
      lens.push_back(*e);
    }
    const std::size_t h = prf.size();
    std::size_t segments = 0;
    std::size_t key_bytes = 0;
    for (std::size_t len : lens) {
      if (len == 0) return fail(CKR_ATTRIBUTE_VALUE_INVALID, "CKA_VALUE_LEN must be positive");
      if (len > kMaxOutputBytes) return fail(CKR_KEY_SIZE_RANGE, "derived key too long");
      segments += (len + h - 1) / h;
      key_bytes += len;
    }
    if (segments * h > kMaxOutputBytes) return fail(CKR_KEY_SIZE_RANGE, "derived keying material too long");
    // SP 800-108r1: n must not exceed 2^r - 1.
    if (segments > (std::uint64_t{1} << layout.counter_bits) - 1) return fail(CKR_MECHANISM_PARAM_INVALID, "counter too narrow");
    const std::uint64_t dkm_bits =
        8 * static_cast<std::uint64_t>(layout.dkm_method == CK_SP800_108_DKM_LENGTH_SUM_OF_SEGMENTS ? segments * h : key_bytes);
    if (layout.dkm_bits && *layout.dkm_bits < 64 && (dkm_bits >> *layout.dkm_bits) != 0) {
      return fail(CKR_MECHANISM_PARAM_INVALID, "DKM length does not fit its width");
    }
    CRATON_ASSIGN_OR_RETURN(SecureBytes dkm, run(prf, layout, feedback_, sp->iv, segments, dkm_bits));
    Derived out;
    std::size_t offset = 0;
    for (std::size_t k = 0; k < lens.size(); ++k) {
      SecureBytes key(dkm.span().subspan(offset, lens[k]));
      offset += (lens[k] + h - 1) / h * h;
      if (k == 0) {
        out.value = std::move(key);
      } else {
        out.extra.push_back(std::move(key));
      }
    }
    return out;
  }

 private:
  bool feedback_;
};

}  // namespace

std::vector<Registration> sp800_108_mechanisms() {
  static const Sp800108Mechanism counter(false);
  static const Sp800108Mechanism feedback(true);
  return {
      {CKM_SP800_108_COUNTER_KDF, CK_MECHANISM_INFO{0, 0, CKF_DERIVE}, ParamKind::kSp800108Counter, &counter},
      {CKM_SP800_108_FEEDBACK_KDF, CK_MECHANISM_INFO{0, 0, CKF_DERIVE}, ParamKind::kSp800108Feedback, &feedback},
  };
}

}  // namespace craton::mech
