// Attribute values as the object model holds them.
//
// An Attribute keeps the exact byte image the PKCS#11 ABI uses for its type (CK_BBOOL: 1 byte,
// CK_ULONG: sizeof(CK_ULONG) bytes in host order, byte/UTF-8 arrays as given, CK_DATE: 8 bytes),
// so C_GetAttributeValue is a copy. Attributes whose type carries CKF_ARRAY_ATTRIBUTE
// (CKA_WRAP_TEMPLATE, ...) hold their elements in `nested` instead. All values live in
// SecureBytes, so every attribute image is wiped when freed.
// Thread safety: value types; no internal locking.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/secure_bytes.h"
#include "craton/pkcs11/pkcs11.h"

namespace craton::object {

// CKA_ENCAPSULATE_TEMPLATE / CKA_DECAPSULATE_TEMPLATE were published without the array flag and
// later corrected (PKCS11-FACTS §4.4). Both numbers are accepted; inside, the flagged one is used.
CK_ATTRIBUTE_TYPE canonical_type(CK_ATTRIBUTE_TYPE t) noexcept;

// The byte image of one attribute value. Most attributes are CK_BBOOL or CK_ULONG, and a new
// object gets 20-40 of them: values of up to kInline bytes live inside the object instead of in a
// heap buffer each. Both forms are wiped when released or moved from, like SecureBytes.
// Unlike a SecureBytes, an inline value moves with its AttrValue: a span from span() is valid only
// while this AttrValue stays where it is (AttributeSet documents when that is).
class AttrValue {
 public:
  static constexpr std::size_t kInline = 8;

  AttrValue() = default;
  explicit AttrValue(std::size_t n);  // n zero bytes
  explicit AttrValue(std::span<const std::uint8_t> v);
  explicit AttrValue(SecureBytes&& v);  // takes over a large buffer without copying
  AttrValue(AttrValue&& o) noexcept : size_(o.size_), inline_(o.inline_), heap_(std::move(o.heap_)) {
    o.wipe_inline();
    o.size_ = 0;
  }
  AttrValue& operator=(AttrValue&& o) noexcept {
    if (this == &o) return *this;
    size_ = o.size_;
    inline_ = o.inline_;
    heap_ = std::move(o.heap_);  // a previous heap buffer is wiped by its SecureBytes
    o.wipe_inline();
    o.size_ = 0;
    return *this;
  }
  AttrValue(const AttrValue&) = delete;
  AttrValue& operator=(const AttrValue&) = delete;
  ~AttrValue() { wipe_inline(); }

  AttrValue clone() const {
    if (size_ > kInline) return AttrValue(span());
    AttrValue v;  // inline: copy the 8-byte image, no branch on the heap buffer
    v.size_ = size_;
    v.inline_ = inline_;
    return v;
  }
  std::size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }
  std::uint8_t* data() noexcept { return size_ <= kInline ? inline_.data() : heap_.data(); }
  const std::uint8_t* data() const noexcept { return size_ <= kInline ? inline_.data() : heap_.data(); }
  std::span<std::uint8_t> span() noexcept { return {data(), size_}; }
  std::span<const std::uint8_t> span() const noexcept { return {data(), size_}; }

 private:
  // Values move often (sets are vectors), so the wipe is one 8-byte store rather than a call to
  // OPENSSL_cleanse; the empty asm with a memory clobber keeps the compiler from dropping it as a
  // dead store before the object dies.
  void wipe_inline() noexcept {
    inline_.fill(0);
    asm volatile("" : : "r"(inline_.data()) : "memory");
  }

  std::size_t size_ = 0;
  std::array<std::uint8_t, kInline> inline_{};
  SecureBytes heap_;  // used when size_ > kInline
};

struct Attribute {
  CK_ATTRIBUTE_TYPE type = 0;
  AttrValue value;                // ABI image; unused when is_array()
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
//
// Held as one vector sorted by type rather than a node-based map: an object has 20-40
// attributes, and building one (every C_CreateObject, C_GenerateKey, C_EncapsulateKey, ...)
// would otherwise cost a heap node and a rebalance per attribute. Consequence for callers: a
// `const Attribute*` from find() is invalidated by set()/erase() on the same set (attribute
// values live in their own heap buffers, so spans from get_bytes() survive a set() of another
// attribute, as they did with the map).
class AttributeSet {
 public:
  using Entry = std::pair<CK_ATTRIBUTE_TYPE, Attribute>;

  AttributeSet() = default;
  AttributeSet(AttributeSet&&) noexcept = default;
  AttributeSet& operator=(AttributeSet&&) noexcept = default;
  AttributeSet(const AttributeSet&) = delete;
  AttributeSet& operator=(const AttributeSet&) = delete;
  AttributeSet clone() const;

  const Attribute* find(CK_ATTRIBUTE_TYPE t) const;
  bool contains(CK_ATTRIBUTE_TYPE t) const { return find(t) != nullptr; }
  void set(Attribute a);  // replaces any existing value
  void erase(CK_ATTRIBUTE_TYPE t);
  // Moves every entry out, leaving the set empty (to rebuild it in one ordered pass with set()).
  std::vector<Entry> take_all() noexcept { return std::move(items_); }
  void reserve(std::size_t n) { items_.reserve(n); }
  std::size_t size() const noexcept { return items_.size(); }
  bool empty() const noexcept { return items_.empty(); }

  // Typed views; nullopt when absent or when the stored image has the wrong size.
  std::optional<bool> get_bool(CK_ATTRIBUTE_TYPE t) const;
  std::optional<CK_ULONG> get_ulong(CK_ATTRIBUTE_TYPE t) const;
  std::optional<std::span<const std::uint8_t>> get_bytes(CK_ATTRIBUTE_TYPE t) const;
  bool get_bool_or(CK_ATTRIBUTE_TYPE t, bool dflt) const { return get_bool(t).value_or(dflt); }

  auto begin() const { return items_.cbegin(); }
  auto end() const { return items_.cend(); }

 private:
  std::vector<Entry>::iterator lower_bound(CK_ATTRIBUTE_TYPE t);
  std::vector<Entry>::const_iterator lower_bound(CK_ATTRIBUTE_TYPE t) const;

  std::vector<Entry> items_;  // sorted by type, unique
};

// True when two attributes have the same type and value (array attributes compare element-wise
// as sets, per the spec's template matching). Not constant-time: never use it on secret values.
bool same_value(const Attribute& a, const Attribute& b);

}  // namespace craton::object
