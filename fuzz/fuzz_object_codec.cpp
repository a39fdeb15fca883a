// fuzz_object_codec: the storage record codec (storage/object_codec.h) on arbitrary bytes.
//
// The first byte picks a mode (codec_keys.h). Beyond "never crash":
//  - decode_attributes(x) ok  =>  encode_attributes(decoded) == x  (the encoding is canonical, so
//    re-encoding an accepted list reproduces it byte for byte) and decodes again.
//  - decode_object(r) ok  =>  peek_record(r) ok, with the same uid, flags and public attributes.
//  - decode_object(r) ok with the master key  =>  re-encoding the object (public + secret
//    attributes) with encode_object and decoding it gives the same attributes and uid (up to
//    CKA_PRIVATE's byte, which a private record stores as CK_TRUE).
// Modes 2 and 3 compute the MAC (and the GCM seal) themselves, so the parser behind the integrity
// check is reached; mode 1 keeps the MAC check itself under test.
#include <algorithm>
#include <cstdlib>
#include <string>
#include <span>
#include <vector>

#include "codec_keys.h"
#include "crypto/ossl/aead.h"
#include "crypto/ossl/mac.h"
#include "storage/byte_codec.h"
#include "storage/object_codec.h"

namespace {

using namespace craton;
using storage::Bytes;

const SecureBytes& master() {
  static const SecureBytes k{std::span<const std::uint8_t>(fuzz::kMasterKey)};
  return k;
}

void round_trip_list(std::span<const std::uint8_t> in) {
  auto set = storage::decode_attributes(in);
  if (!set.ok()) return;
  const Bytes enc = storage::encode_attributes(*set);
  if (!std::equal(enc.begin(), enc.end(), in.begin(), in.end())) std::abort();
  auto again = storage::decode_attributes(enc);
  if (!again.ok() || storage::encode_attributes(*again) != enc) std::abort();
}

void round_trip_object(const storage::DecodedObject& obj) {
  if (!obj.secrets) return;
  object::AttributeSet all = obj.public_attrs.clone();
  for (const auto& [t, a] : *obj.secrets) all.set(a.clone());
  const storage::SecretPredicate is_secret = [&](const object::AttributeSet&, CK_ATTRIBUTE_TYPE t) {
    return obj.secrets->contains(t);
  };
  auto rec = storage::encode_object(obj.uid, all, is_secret, fuzz::kIntegrityKey, &master());
  if (!rec.ok()) {
    // Only the documented limits may refuse an object the decoder accepted.
    if (rec.rv() != CKR_ATTRIBUTE_VALUE_INVALID) std::abort();
    return;
  }
  auto back = storage::decode_object(*rec, fuzz::kIntegrityKey, &master());
  if (!back.ok() || back->uid != obj.uid || !back->secrets) std::abort();
  object::AttributeSet all2 = back->public_attrs.clone();
  for (const auto& [t, a] : *back->secrets) all2.set(a.clone());
  // A private record's CKA_PRIVATE is rewritten as the canonical CK_TRUE (the object layer only
  // ever stores 0 or 1, so only hand-made records notice).
  if (all.get_bool_or(CKA_PRIVATE, false)) all.set(object::Attribute::make_bool(CKA_PRIVATE, true));
  if (storage::encode_attributes(all) != storage::encode_attributes(all2)) std::abort();
}

// peek_record (the unauthenticated look taken when a token is loaded) never rejects a record
// decode_object accepts, and agrees with it on everything it reports.
void check_peek(std::span<const std::uint8_t> rec, const storage::DecodedObject& full) {
  auto peek = storage::peek_record(rec);
  if (!peek.ok() || peek->is_private != full.is_private || peek->has_sealed != full.has_sealed ||
      std::string(peek->uid.begin(), peek->uid.end()) != full.uid) {
    std::abort();
  }
  storage::EncodedAttributeCursor cursor(peek->public_section);
  CK_ATTRIBUTE_TYPE t = 0;
  std::span<const std::uint8_t> v;
  bool is_array = false;
  auto it = full.public_attrs.begin();
  while (cursor.next(t, v, is_array)) {
    if (it == full.public_attrs.end() || it->first != t) std::abort();
    const auto want = it->second.value.span();
    if (!is_array && !std::equal(v.begin(), v.end(), want.begin(), want.end())) std::abort();
    ++it;
  }
  if (!cursor.ok() || it != full.public_attrs.end()) std::abort();
}

void decode_record(std::span<const std::uint8_t> rec) {
  auto with_key = storage::decode_object(rec, fuzz::kIntegrityKey, &master());
  auto without = storage::decode_object(rec, fuzz::kIntegrityKey, nullptr);
  if (without.ok()) check_peek(rec, *without);
  // Supplying the master key can only add the secrets, never change the public view.
  if (with_key.ok() && !without.ok()) std::abort();
  if (with_key.ok()) {
    if (storage::encode_attributes(with_key->public_attrs) != storage::encode_attributes(without->public_attrs)) std::abort();
    round_trip_object(*with_key);
    auto sealed = storage::open_sealed(rec, master());
    if (!sealed.ok()) std::abort();
  }
}

Bytes with_mac(std::span<const std::uint8_t> body) {
  Bytes rec(body.begin(), body.end());
  auto mac = crypto::hmac_sha256(fuzz::kIntegrityKey, body);
  if (!mac.ok()) std::abort();
  rec.insert(rec.end(), mac->begin(), mac->end());
  return rec;
}

// flags | u16 uid_len | uid | u32 pub_len | pub | secret plaintext -> a sealed, MACed record.
void sealed_parts(std::span<const std::uint8_t> in) {
  storage::ByteReader r(in);
  const auto flags = r.u8();
  const auto uid_len = r.u16();
  if (!flags || !uid_len) return;
  const auto uid = r.take(*uid_len);
  if (!uid) return;
  const auto pub_len = r.u32();
  if (!pub_len) return;
  const auto pub = r.take(*pub_len);
  if (!pub) return;
  const auto plain = r.take(r.remaining());

  Bytes body;
  storage::ByteWriter<Bytes> w(body);
  w.bytes(std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>("CRO1"), 4));
  w.u8(*flags);
  w.u16(*uid_len);
  w.bytes(*uid);
  w.u32(*pub_len);
  w.bytes(*pub);
  if ((*flags & 0x01) == 0) {
    w.u32(static_cast<std::uint32_t>(plain->size()));  // raw bytes where a sealed section would be
    w.bytes(*plain);
  } else {
    static constexpr std::array<std::uint8_t, crypto::kGcmNonceSize> kNonce{};
    w.u32(static_cast<std::uint32_t>(plain->size() + crypto::kGcmNonceSize + crypto::kGcmTagSize));
    auto ct = crypto::aes256gcm_seal(master(), kNonce, body, *plain);
    if (!ct.ok()) std::abort();
    w.bytes(kNonce);
    w.bytes(*ct);
  }
  decode_record(with_mac(body));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::span<const std::uint8_t> in(data + 1, size - 1);
  switch (data[0] % 4) {
    case fuzz::kAttributeList:
      round_trip_list(in);
      break;
    case fuzz::kRawRecord:
      decode_record(in);
      (void)storage::open_sealed(in, master());
      break;
    case fuzz::kRecordBody:
      decode_record(with_mac(in));
      break;
    case fuzz::kSealedParts:
      sealed_parts(in);
      break;
  }
  return 0;
}
