// Attribute values as the object model holds them.
//
// An Attribute keeps the exact byte image the PKCS#11 ABI uses for its type (CK_BBOOL: 1 byte,
// CK_ULONG: sizeof(CK_ULONG) bytes in host order, byte/UTF-8 arrays as given, CK_DATE: 8 bytes),
// so C_GetAttributeValue is a copy. Attributes whose type carries CKF_ARRAY_ATTRIBUTE
// (CKA_WRAP_TEMPLATE, ...) hold their elements in `nested` instead. All values live in
// SecureBytes, so every attribute image is wiped when freed.
// Thread safety: value types; no internal locking.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/secure_bytes.h"
#include "craton/pkcs11/pkcs11.h"

namespace craton::object {

// CKA_ENCAPSULATE_TEMPLATE / CKA_DECAPSULATE_TEMPLATE were published without the array flag and
// later corrected (PKCS11-FACTS §4.4). Both numbers are accepted; inside, the flagged one is used.
CK_ATTRIBUTE_TYPE canonical_type(CK_ATTRIBUTE_TYPE t) noexcept;

struct Attribute {
  CK_ATTRIBUTE_TYPE type = 0;
  SecureBytes value;              // ABI image; unused when is_array()
  std::vector<Attribute> nested;  // elements of an array attribute

  // CKA_ALLOWED_MECHANISMS carries CKF_ARRAY_ATTRIBUTE too, but its value is a CK_MECHANISM_TYPE
  // array, not a template: it is held as a plain byte image.
  bool is_array() const noexcept {
    return (type & CKF_ARRAY_ATTRIBUTE) != 0 && type != CKA_ALLOWED_MECHANISMS;
  }
  Attribute clone() const;

  static Attribute make_bool(CK_ATTRIBUTE_TYPE t, bool v);
  static Attribute make_ulong(CK_ATTRIBUTE_TYPE t, CK_ULONG v);
  static Attribute make_bytes(CK_ATTRIBUTE_TYPE t, std::span<const std::uint8_t> v);
  static Attribute make_string(CK_ATTRIBUTE_TYPE t, std::string_view v);
};

// An ordered set of attributes keyed by type. Iteration order is by type, so encodings are stable.
class AttributeSet {
 public:
  AttributeSet() = default;
  AttributeSet(AttributeSet&&) noexcept = default;
  AttributeSet& operator=(AttributeSet&&) noexcept = default;
  AttributeSet(const AttributeSet&) = delete;
  AttributeSet& operator=(const AttributeSet&) = delete;
  AttributeSet clone() const;

  const Attribute* find(CK_ATTRIBUTE_TYPE t) const;
  bool contains(CK_ATTRIBUTE_TYPE t) const { return find(t) != nullptr; }
  void set(Attribute a);  // replaces any existing value
  void erase(CK_ATTRIBUTE_TYPE t) { map_.erase(t); }
  std::size_t size() const noexcept { return map_.size(); }
  bool empty() const noexcept { return map_.empty(); }

  // Typed views; nullopt when absent or when the stored image has the wrong size.
  std::optional<bool> get_bool(CK_ATTRIBUTE_TYPE t) const;
  std::optional<CK_ULONG> get_ulong(CK_ATTRIBUTE_TYPE t) const;
  std::optional<std::span<const std::uint8_t>> get_bytes(CK_ATTRIBUTE_TYPE t) const;
  bool get_bool_or(CK_ATTRIBUTE_TYPE t, bool dflt) const { return get_bool(t).value_or(dflt); }

  auto begin() const { return map_.begin(); }
  auto end() const { return map_.end(); }

 private:
  std::map<CK_ATTRIBUTE_TYPE, Attribute> map_;
};

// True when two attributes have the same type and value (array attributes compare element-wise
// as sets, per the spec's template matching). Not constant-time: never use it on secret values.
bool same_value(const Attribute& a, const Attribute& b);

}  // namespace craton::object
