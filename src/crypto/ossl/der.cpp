#include "crypto/ossl/der.h"

#include <array>

namespace craton::crypto {

std::optional<DerTlv> der_read_header(std::span<const std::uint8_t> in) noexcept {
  if (in.size() < 2) return std::nullopt;
  DerTlv t;
  t.tag = in[0];
  std::size_t pos = 1;
  const std::uint8_t first = in[pos++];
  if (first < 0x80) {
    t.declared_len = first;
  } else {
    const std::size_t n = first & 0x7Fu;
    // 0x80 is BER's indefinite form; more than 4 length octets is never a key-sized value.
    if (n == 0 || n > 4 || in.size() < pos + n) return std::nullopt;
    for (std::size_t i = 0; i < n; ++i) t.declared_len = (t.declared_len << 8) | in[pos++];
  }
  t.header_len = pos;
  const std::size_t avail = in.size() - pos;
  t.content = in.subspan(pos, t.declared_len < avail ? t.declared_len : avail);
  return t;
}

std::optional<std::span<const std::uint8_t>> der_exact(std::span<const std::uint8_t> in,
                                                       std::uint8_t tag) noexcept {
  const auto t = der_read_header(in);
  if (!t || t->tag != tag || t->header_len + t->declared_len != in.size()) return std::nullopt;
  return t->content;
}

Bytes der_octet_string(std::span<const std::uint8_t> content) {
  Bytes out{kDerOctetString};
  const std::size_t n = content.size();
  if (n < 0x80) {
    out.push_back(static_cast<std::uint8_t>(n));
  } else {
    Bytes len;
    for (std::size_t v = n; v != 0; v >>= 8) len.insert(len.begin(), static_cast<std::uint8_t>(v & 0xFFu));
    out.push_back(static_cast<std::uint8_t>(0x80u | len.size()));
    out.insert(out.end(), len.begin(), len.end());
  }
  out.insert(out.end(), content.begin(), content.end());
  return out;
}

namespace {

constexpr std::uint8_t kDerInteger = 0x02;
constexpr std::uint8_t kDerBitString = 0x03;
constexpr std::uint8_t kDerAttributes = 0xA0;  // [0] IMPLICIT Attributes (constructed)
constexpr std::uint8_t kDerPublicKey = 0x81;   // [1] IMPLICIT BIT STRING (primitive)

std::size_t header_size(std::size_t len) noexcept { return len < 0x80 ? 2 : len < 0x100 ? 3 : len < 0x10000 ? 4 : 5; }

// Tag and length octets into `h`; returns how many.
std::size_t encode_header(std::array<std::uint8_t, 5>& h, std::uint8_t tag, std::size_t len) noexcept {
  h[0] = tag;
  const std::size_t n = header_size(len);
  if (n == 2) {
    h[1] = static_cast<std::uint8_t>(len);
    return 2;
  }
  h[1] = static_cast<std::uint8_t>(0x80u + (n - 2));
  for (std::size_t i = n - 1, v = len; i >= 2; --i, v >>= 8) h[i] = static_cast<std::uint8_t>(v & 0xFFu);
  return n;
}

}  // namespace

std::size_t der_tlv_size(std::size_t content_len) noexcept { return header_size(content_len) + content_len; }

void der_append_header(Bytes& out, std::uint8_t tag, std::size_t content_len) {
  std::array<std::uint8_t, 5> h{};
  const std::size_t n = encode_header(h, tag, content_len);
  out.insert(out.end(), h.begin(), h.begin() + static_cast<std::ptrdiff_t>(n));
}

void der_append_header(SecureBytes& out, std::uint8_t tag, std::size_t content_len) {
  std::array<std::uint8_t, 5> h{};
  const std::size_t n = encode_header(h, tag, content_len);
  out.append(std::span<const std::uint8_t>(h.data(), n));
}

std::optional<std::span<const std::uint8_t>> der_take(std::span<const std::uint8_t>& in, std::uint8_t tag) noexcept {
  const auto h = der_read_header(in);
  if (!h || h->tag != tag || h->content.size() != h->declared_len) return std::nullopt;
  in = in.subspan(h->header_len + h->declared_len);
  return h->content;
}

Bytes der_subject_public_key_info(std::span<const std::uint8_t> oid_der, std::span<const std::uint8_t> public_key) {
  const std::size_t alg = der_tlv_size(oid_der.size());
  const std::size_t bits = der_tlv_size(public_key.size() + 1);
  Bytes out;
  out.reserve(der_tlv_size(alg + bits));
  der_append_header(out, kDerSequence, alg + bits);
  der_append_header(out, kDerSequence, oid_der.size());
  out.insert(out.end(), oid_der.begin(), oid_der.end());
  der_append_header(out, kDerBitString, public_key.size() + 1);
  out.push_back(0);  // no unused bits
  out.insert(out.end(), public_key.begin(), public_key.end());
  return out;
}

SecureBytes der_one_asymmetric_key(std::span<const std::uint8_t> oid_der, std::span<const std::uint8_t> private_key) {
  static constexpr std::array<std::uint8_t, 3> kVersion0 = {kDerInteger, 0x01, 0x00};
  const std::size_t body = kVersion0.size() + der_tlv_size(oid_der.size()) + der_tlv_size(private_key.size());
  SecureBytes out;
  der_append_header(out, kDerSequence, body);
  out.append(kVersion0);
  der_append_header(out, kDerSequence, oid_der.size());
  out.append(oid_der);
  der_append_header(out, kDerOctetString, private_key.size());
  out.append(private_key);
  return out;
}

std::optional<DerOneAsymmetricKey> der_read_one_asymmetric_key(std::span<const std::uint8_t> der) noexcept {
  std::span<const std::uint8_t> in = der;
  auto body = der_take(in, kDerSequence);
  if (!body || !in.empty()) return std::nullopt;
  const auto version = der_take(*body, kDerInteger);
  if (!version || version->size() != 1 || (*version)[0] > 1) return std::nullopt;  // v1 or v2 (RFC 5958)
  const auto alg = der_take(*body, kDerSequence);
  const auto priv = alg ? der_take(*body, kDerOctetString) : std::nullopt;
  if (!priv) return std::nullopt;
  DerOneAsymmetricKey out{*alg, *priv, std::nullopt};
  if (!body->empty() && (*body)[0] == kDerAttributes && !der_take(*body, kDerAttributes)) return std::nullopt;
  if (!body->empty() && (*body)[0] == kDerPublicKey) {
    const auto pub = der_take(*body, kDerPublicKey);
    if ((*version)[0] != 1 || !pub || pub->empty() || (*pub)[0] != 0) return std::nullopt;
    out.public_key = pub->subspan(1);
  }
  if (!body->empty()) return std::nullopt;
  return out;
}

}  // namespace craton::crypto
