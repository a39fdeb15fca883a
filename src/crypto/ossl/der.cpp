#include "crypto/ossl/der.h"

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

}  // namespace craton::crypto
