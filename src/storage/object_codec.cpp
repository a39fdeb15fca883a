#include "storage/object_codec.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>
#include <cstdint>
#include <limits>
#include <vector>

#include "crypto/ossl/aead.h"
#include "crypto/ossl/mac.h"
#include "crypto/ossl/random.h"
#include "storage/byte_codec.h"

namespace craton::storage {
namespace {

using object::Attribute;
using object::AttributeSet;

constexpr std::array<std::uint8_t, 4> kMagic = {'C', 'R', 'O', '1'};
constexpr std::uint8_t kFlagSealed = 0x01;
constexpr std::uint8_t kFlagPrivate = 0x02;
constexpr std::uint8_t kKnownFlags = kFlagSealed | kFlagPrivate;
// Array attributes hold templates; templates holding templates are legal but never deep. The
// limit bounds the parser's recursion on hostile input.
constexpr std::size_t kMaxDepth = 4;
constexpr std::uint32_t kMaxCount = 4096;
constexpr std::size_t kEntryHeader = 8 + 1 + 4;  // u64 type | u8 is_array | u32 len
constexpr std::size_t kMacSize = crypto::kSha256Size;
constexpr std::size_t kSealOverhead = crypto::kGcmNonceSize + crypto::kGcmTagSize;
constexpr std::size_t kMinRecord = kMagic.size() + 1 + 2 + 4 + 4 + kMacSize;

Error corrupted() { return fail(CKR_DEVICE_ERROR, "object record corrupted"); }

// Little-endian loads in one instruction (the record format is little-endian; see STORAGE.md).
std::uint64_t load_le64(const std::uint8_t* p) noexcept {
  std::uint64_t v = 0;
  std::memcpy(&v, p, sizeof v);
  if constexpr (std::endian::native == std::endian::big) v = __builtin_bswap64(v);
  return v;
}
std::uint32_t load_le32(const std::uint8_t* p) noexcept {
  std::uint32_t v = 0;
  std::memcpy(&v, p, sizeof v);
  if constexpr (std::endian::native == std::endian::big) v = __builtin_bswap32(v);
  return v;
}

// Attribute::is_array() without building an Attribute (the cursor runs once per attribute of
// every record at load time).
bool holds_template(CK_ATTRIBUTE_TYPE t) noexcept {
  return (t & CKF_ARRAY_ATTRIBUTE) != 0 && t != CKA_ALLOWED_MECHANISMS;
}

template <class C>
std::span<const std::uint8_t> view(const C& c) {
  return {c.data(), c.size()};
}

// ---- attribute lists --------------------------------------------------------------------------

Status validate(const Attribute& a, std::size_t depth) {
  if (!a.is_array()) {
    if (a.value.size() > std::numeric_limits<std::uint32_t>::max()) {
      return fail(CKR_ATTRIBUTE_VALUE_INVALID, "attribute value too large");
    }
    return ok_status();
  }
  if (depth >= kMaxDepth) return fail(CKR_ATTRIBUTE_VALUE_INVALID, "attribute nesting too deep");
  if (a.nested.size() > kMaxCount) return fail(CKR_ATTRIBUTE_VALUE_INVALID, "too many attributes");
  for (const auto& n : a.nested) CRATON_TRY(validate(n, depth + 1));
  return ok_status();
}

template <class C>
void encode_list(C& out, const std::vector<const Attribute*>& items);

template <class C>
void encode_one(C& out, const Attribute& a) {
  ByteWriter<C> w(out);
  w.u64(a.type);
  w.u8(a.is_array() ? 1 : 0);
  if (!a.is_array()) {
    w.u32(static_cast<std::uint32_t>(a.value.size()));
    w.bytes(a.value.span());
    return;
  }
  std::vector<const Attribute*> items;
  for (const auto& n : a.nested) items.push_back(&n);
  C inner;
  encode_list(inner, items);
  w.u32(static_cast<std::uint32_t>(inner.size()));
  w.bytes(view(inner));
}

template <class C>
void encode_list(C& out, const std::vector<const Attribute*>& items) {
  ByteWriter<C>(out).u32(static_cast<std::uint32_t>(items.size()));
  for (const Attribute* a : items) encode_one(out, *a);
}

template <class C>
void encode_set(C& out, const AttributeSet& set) {
  std::vector<const Attribute*> items;
  for (const auto& [type, a] : set) items.push_back(&a);
  encode_list(out, items);
}

// Returns false on any malformation. Recursion is bounded by kMaxDepth; allocation by the input
// size (every entry consumes at least kEntryHeader bytes).
bool decode_list(std::span<const std::uint8_t> data, std::size_t depth, std::vector<Attribute>& out) {
  if (depth > kMaxDepth) return false;
  ByteReader r(data);
  const auto count = r.u32();
  if (!count || *count > kMaxCount || *count > r.remaining() / kEntryHeader) return false;
  out.reserve(*count);
  for (std::uint32_t i = 0; i < *count; ++i) {
    const auto type = r.u64();
    const auto array_flag = r.u8();
    const auto len = r.u32();
    if (!type || !array_flag || !len) return false;
    if (*type > std::numeric_limits<CK_ATTRIBUTE_TYPE>::max()) return false;
    Attribute a;
    a.type = static_cast<CK_ATTRIBUTE_TYPE>(*type);
    if (*array_flag > 1 || (*array_flag == 1) != a.is_array()) return false;
    const auto body = r.take(*len);
    if (!body) return false;
    if (a.is_array()) {
      if (!decode_list(*body, depth + 1, a.nested)) return false;
    } else {
      a.value = object::AttrValue(*body);
    }
    out.push_back(std::move(a));
  }
  return r.empty();
}

// ---- records ----------------------------------------------------------------------------------

struct RecordView {
  std::uint8_t flags = 0;
  std::span<const std::uint8_t> uid;
  std::span<const std::uint8_t> pub;
  std::span<const std::uint8_t> sealed;  // nonce | ciphertext | tag; empty when absent
  std::span<const std::uint8_t> aad;     // every byte before the sealed section
};

// Splits a record body (the record without its MAC) into its fields.
Result<RecordView> parse_record(std::span<const std::uint8_t> body) {
  ByteReader r(body);
  RecordView v;
  const auto magic = r.take(kMagic.size());
  const auto flags = r.u8();
  const auto uid_len = r.u16();
  if (!magic || !flags || !uid_len || !std::equal(magic->begin(), magic->end(), kMagic.begin())) {
    return corrupted();
  }
  v.flags = *flags;
  const auto uid = r.take(*uid_len);
  const auto pub_len = r.u32();
  if (!uid || !pub_len) return corrupted();
  const auto pub = r.take(*pub_len);
  const auto sealed_len = r.u32();
  if (!pub || !sealed_len) return corrupted();
  v.aad = body.first(body.size() - r.remaining());
  const auto sealed = r.take(*sealed_len);
  if (!sealed || !r.empty()) return corrupted();
  const bool has_sealed = (v.flags & kFlagSealed) != 0;
  if ((v.flags & ~kKnownFlags) != 0 || has_sealed != !sealed->empty() ||
      (has_sealed && sealed->size() < kSealOverhead) ||
      ((v.flags & kFlagPrivate) != 0 && !has_sealed)) {
    return corrupted();
  }
  v.uid = *uid;
  v.pub = *pub;
  v.sealed = *sealed;
  return v;
}

Result<AttributeSet> open_view(const RecordView& v, const SecureBytes& master_key) {
  if (v.sealed.empty()) return AttributeSet{};
  const auto nonce = v.sealed.first(crypto::kGcmNonceSize);
  const auto ct = v.sealed.subspan(crypto::kGcmNonceSize);
  auto plain = crypto::aes256gcm_open(master_key, nonce, v.aad, ct);
  if (!plain.ok()) {
    if (plain.rv() == CKR_HOST_MEMORY) return plain.error();
    return corrupted();  // wrong key and tampering are indistinguishable by design
  }
  return decode_attributes(plain->span());
}

// A private record's public section is exactly {CKA_PRIVATE = TRUE}; a public one never claims
// to be private. Anything else means the flags and the content disagree.
bool privacy_consistent(const AttributeSet& pub, bool is_private) {
  const auto claimed = pub.get_bool(CKA_PRIVATE);
  if (is_private) return pub.size() == 1 && claimed.value_or(false);
  return !claimed.value_or(false);
}

}  // namespace

Bytes encode_attributes(const AttributeSet& attrs) {
  Bytes out;
  encode_set(out, attrs);
  return out;
}

Result<AttributeSet> decode_attributes(std::span<const std::uint8_t> data) {
  std::vector<Attribute> list;
  if (!decode_list(data, 0, list)) return corrupted();
  AttributeSet set;
  set.reserve(list.size());
  for (std::size_t i = 0; i < list.size(); ++i) {
    // The writer emits types in ascending order; duplicates or disorder mean tampering.
    if (i > 0 && list[i].type <= list[i - 1].type) return corrupted();
    set.set(std::move(list[i]));
  }
  return set;
}

Result<Bytes> encode_object(std::string_view uid, const AttributeSet& attrs,
                            const SecretPredicate& is_secret,
                            std::span<const std::uint8_t> integrity_key,
                            const SecureBytes* master_key) {
  if (uid.size() > std::numeric_limits<std::uint16_t>::max()) {
    return fail(CKR_ARGUMENTS_BAD, "object id too long");
  }
  if (attrs.size() > kMaxCount) return fail(CKR_ATTRIBUTE_VALUE_INVALID, "too many attributes");
  for (const auto& [type, a] : attrs) CRATON_TRY(validate(a, 0));

  // An object without CKA_PRIVATE is treated as public: the object layer always sets it.
  const bool is_private = attrs.get_bool_or(CKA_PRIVATE, false);
  AttributeSet pub;
  AttributeSet sec;
  if (is_private) pub.set(Attribute::make_bool(CKA_PRIVATE, true));
  for (const auto& [type, a] : attrs) {
    if (is_private) {
      if (type != CKA_PRIVATE) sec.set(a.clone());
    } else {
      (is_secret && is_secret(attrs, type) ? sec : pub).set(a.clone());
    }
  }
  const bool sealed = is_private || !sec.empty();
  if (sealed && master_key == nullptr) {
    return fail(CKR_USER_NOT_LOGGED_IN, "login required to seal secret material");
  }

  const Bytes pub_enc = encode_attributes(pub);
  SecureBytes sec_enc;
  if (sealed) encode_set(sec_enc, sec);
  const std::size_t sealed_len = sealed ? sec_enc.size() + kSealOverhead : 0;
  if (pub_enc.size() > std::numeric_limits<std::uint32_t>::max() ||
      sealed_len > std::numeric_limits<std::uint32_t>::max()) {
    return fail(CKR_ATTRIBUTE_VALUE_INVALID, "object too large");
  }

  Bytes rec;
  ByteWriter<Bytes> w(rec);
  w.bytes(kMagic);
  w.u8(static_cast<std::uint8_t>((sealed ? kFlagSealed : 0) | (is_private ? kFlagPrivate : 0)));
  w.u16(static_cast<std::uint16_t>(uid.size()));
  w.text(uid);
  w.u32(static_cast<std::uint32_t>(pub_enc.size()));
  w.bytes(pub_enc);
  w.u32(static_cast<std::uint32_t>(sealed_len));
  if (sealed) {
    std::array<std::uint8_t, crypto::kGcmNonceSize> nonce{};
    CRATON_TRY(crypto::random_bytes(nonce));
    CRATON_ASSIGN_OR_RETURN(auto ct, crypto::aes256gcm_seal(*master_key, nonce, rec, sec_enc.span()));
    w.bytes(nonce);
    w.bytes(ct);
  }
  CRATON_ASSIGN_OR_RETURN(const auto mac, crypto::hmac_sha256(integrity_key, rec));
  w.bytes(mac);
  return rec;
}

Result<DecodedObject> decode_object(std::span<const std::uint8_t> blob,
                                    std::span<const std::uint8_t> integrity_key,
                                    const SecureBytes* master_key) {
  if (blob.size() < kMinRecord) return corrupted();
  const auto body = blob.first(blob.size() - kMacSize);
  CRATON_ASSIGN_OR_RETURN(const auto mac, crypto::hmac_sha256(integrity_key, body));
  if (!ct_equal(mac, blob.last(kMacSize))) return corrupted();

  CRATON_ASSIGN_OR_RETURN(const RecordView v, parse_record(body));
  DecodedObject out;
  out.uid.assign(v.uid.begin(), v.uid.end());
  out.has_sealed = !v.sealed.empty();
  out.is_private = (v.flags & kFlagPrivate) != 0;
  CRATON_ASSIGN_OR_RETURN(out.public_attrs, decode_attributes(v.pub));
  if (!privacy_consistent(out.public_attrs, out.is_private)) return corrupted();
  if (master_key != nullptr) {
    CRATON_ASSIGN_OR_RETURN(AttributeSet secrets, open_view(v, *master_key));
    for (const auto& [type, a] : secrets) {
      if (out.public_attrs.contains(type)) return corrupted();
    }
    out.secrets = std::move(secrets);
  }
  return out;
}

Result<AttributeSet> open_sealed(std::span<const std::uint8_t> blob, const SecureBytes& master_key) {
  if (blob.size() < kMinRecord) return corrupted();
  CRATON_ASSIGN_OR_RETURN(const RecordView v, parse_record(blob.first(blob.size() - kMacSize)));
  CRATON_ASSIGN_OR_RETURN(AttributeSet secrets, open_view(v, master_key));
  // As decode_object: a type in both sections means the record was made to disagree with itself.
  EncodedAttributeCursor pub(v.pub);
  CK_ATTRIBUTE_TYPE type = 0;
  std::span<const std::uint8_t> value;
  bool is_array = false;
  while (pub.next(type, value, is_array)) {
    if (secrets.contains(type)) return corrupted();
  }
  if (!pub.ok()) return corrupted();
  return secrets;
}

Result<RecordLayout> peek_record(std::span<const std::uint8_t> blob) {
  if (blob.size() < kMinRecord) return corrupted();
  CRATON_ASSIGN_OR_RETURN(const RecordView v, parse_record(blob.first(blob.size() - kMacSize)));
  RecordLayout out;
  out.uid = v.uid;
  out.public_section = v.pub;
  out.has_sealed = !v.sealed.empty();
  out.is_private = (v.flags & kFlagPrivate) != 0;
  return out;
}

EncodedAttributeCursor::EncodedAttributeCursor(std::span<const std::uint8_t> list) : rest_(list) {
  ByteReader r(rest_);
  const auto count = r.u32();
  // The bounds decode_list applies: a count the input cannot hold is malformed.
  if (!count || *count > kMaxCount || *count > r.remaining() / kEntryHeader) {
    ok_ = false;
    left_ = 0;
    rest_ = {};
    return;
  }
  counted_ = left_ = *count;
  rest_ = rest_.subspan(4);
}

bool EncodedAttributeCursor::next(CK_ATTRIBUTE_TYPE& type, std::span<const std::uint8_t>& value, bool& is_array) {
  if (!ok_) return false;
  if (left_ == 0) {
    if (!rest_.empty()) ok_ = false;  // trailing bytes
    return false;
  }
  // The same checks as decode_list, on the bytes in place (this runs for every attribute of
  // every record when a token is loaded, so no optional<> per field).
  if (rest_.size() < kEntryHeader) return ok_ = false;
  const std::uint8_t* p = rest_.data();
  const std::uint64_t t = load_le64(p);
  const std::uint8_t array_flag = p[8];
  const std::uint64_t len = load_le32(p + 9);
  if (len > rest_.size() - kEntryHeader || t > std::numeric_limits<CK_ATTRIBUTE_TYPE>::max() || array_flag > 1 ||
      (left_ != counted_ && static_cast<CK_ATTRIBUTE_TYPE>(t) <= last_) ||
      (array_flag == 1) != holds_template(static_cast<CK_ATTRIBUTE_TYPE>(t))) {
    return ok_ = false;
  }
  type = static_cast<CK_ATTRIBUTE_TYPE>(t);
  value = rest_.subspan(kEntryHeader, static_cast<std::size_t>(len));
  is_array = array_flag == 1;
  last_ = type;
  --left_;
  rest_ = rest_.subspan(kEntryHeader + static_cast<std::size_t>(len));
  return true;
}

}  // namespace craton::storage
