// Sealing layer: turns an object's AttributeSet into the blob the raw store keeps, and back.
//
// Record layout (all integers little-endian), version 1:
//   "CRO1" | u8 flags | u16 uid_len | uid | u32 pub_len | public section | u32 sealed_len |
//   sealed section | 32-byte HMAC-SHA-256(integrity key, all preceding bytes)
// public section : the encoded attributes that may be read without login.
// sealed section : 12-byte nonce | AES-256-GCM(token master key, encoded secret attributes) | 16-byte tag,
//                  AAD = every byte of the record before the sealed section.
// A private object (CKA_PRIVATE = TRUE) keeps only CKA_PRIVATE in the public section; everything
// else is sealed. A public object keeps its secret attributes (those `is_secret` selects, e.g.
// CKA_VALUE of a secret key) sealed and the rest public. Sealing needs the token master key, which
// exists only after login: encoding an object with secret content without it fails with
// CKR_USER_NOT_LOGGED_IN.
//
// Decoding verifies the HMAC first; any mismatch, truncation or malformed field yields
// CKR_DEVICE_ERROR with reason "object record corrupted", never a crash. The sealed part is only opened when a master key is supplied; a failed GCM tag check is
// reported the same way.
#pragma once

#include <functional>
#include <optional>
#include <span>
#include <string>

#include "common/result.h"
#include "common/secure_bytes.h"
#include "object/attribute.h"
#include "storage/store.h"

namespace craton::storage {

// Selects the attributes that must never be stored in clear (decided by the object layer's rules).
using SecretPredicate = std::function<bool(const object::AttributeSet& all, CK_ATTRIBUTE_TYPE)>;

struct DecodedObject {
  std::string uid;
  object::AttributeSet public_attrs;             // always present
  std::optional<object::AttributeSet> secrets;   // present when the master key was supplied
  bool has_sealed = false;                       // the record carries a sealed section
  bool is_private = false;                       // CKA_PRIVATE = TRUE
};

// `master_key` may be null when no user is logged in; then objects with secret content cannot be
// encoded (CKR_USER_NOT_LOGGED_IN).
Result<Bytes> encode_object(std::string_view uid, const object::AttributeSet& attrs,
                            const SecretPredicate& is_secret,
                            std::span<const std::uint8_t> integrity_key,
                            const SecureBytes* master_key);

Result<DecodedObject> decode_object(std::span<const std::uint8_t> blob,
                                    std::span<const std::uint8_t> integrity_key,
                                    const SecureBytes* master_key);

// Opens only the sealed section of an already-verified record (used at login, for objects loaded
// before the master key was available). REQUIRES: decode_object accepted this very blob; the
// HMAC is not checked again. The result never shares a type with the public section (a record
// claiming otherwise is reported as corrupted, as decode_object does).
Result<object::AttributeSet> open_sealed(std::span<const std::uint8_t> blob,
                                         const SecureBytes& master_key);

// The layout of a record, split WITHOUT checking its MAC (the cheap first look the token takes at
// C_Initialize time, docs/STORAGE.md "What is loaded when"). Nothing in it is authenticated: it
// may only be used to narrow a search (an index), never to answer a caller, decide access or use
// a key. decode_object() on the same blob is the check that makes its content trustworthy.
// Every record it rejects (CKR_DEVICE_ERROR, "object record corrupted": bad magic, flags or
// section lengths) decode_object rejects too; the converse does not hold (the MAC, the attribute
// lists and the agreement of the private flag with the content are left to decode_object; walk
// the public section with EncodedAttributeCursor to check its list).
struct RecordLayout {
  std::span<const std::uint8_t> uid;         // views into the blob
  std::span<const std::uint8_t> public_section;
  bool has_sealed = false;
  bool is_private = false;
};
Result<RecordLayout> peek_record(std::span<const std::uint8_t> blob);

// Walks the top-level entries of an encoded attribute list (a RecordLayout::public_section)
// without allocating. Nested templates are reported as one opaque entry (is_array = true). It
// stops at the first malformation decode_attributes would reject at the top level (count, entry
// framing, array flag, types not strictly ascending, trailing bytes); ok() then turns false.
class EncodedAttributeCursor {
 public:
  explicit EncodedAttributeCursor(std::span<const std::uint8_t> list);
  // The next entry; false at the end or on malformation (then ok() is false).
  bool next(CK_ATTRIBUTE_TYPE& type, std::span<const std::uint8_t>& value, bool& is_array);
  bool ok() const noexcept { return ok_; }

 private:
  std::span<const std::uint8_t> rest_;
  std::uint32_t counted_ = 0;  // entries announced
  std::uint32_t left_ = 0;     // entries not yet returned
  CK_ATTRIBUTE_TYPE last_ = 0;  // types must ascend strictly, as decode_attributes requires
  bool ok_ = true;
};

// Attribute-set encoding used inside records (also handy for tests):
//   u32 count | { u64 type | u8 is_array | u32 len | value or nested encoding }*
Bytes encode_attributes(const object::AttributeSet& attrs);
Result<object::AttributeSet> decode_attributes(std::span<const std::uint8_t> data);

}  // namespace craton::storage
