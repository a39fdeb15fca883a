// Attribute values as the object model holds them.
//
// An Attribute keeps the exact byte image the PKCS#11 ABI uses for its type (CK_BBOOL: 1 byte,
// CK_ULONG: sizeof(CK_ULONG) bytes in host order, byte/UTF-8 arrays as given, CK_DATE: 8 bytes),
// so C_GetAttributeValue is a copy. Attributes whose type carries CKF_ARRAY_ATTRIBUTE
// (CKA_WRAP_TEMPLATE, ...) hold their elements in `nested` instead. All values live in
// SecureBytes, so every attribute image is wiped when freed.
// Thread safety: value types; no internal locking.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <memory>
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

// Selects the constructors that copy a value: attribute values are secrets often enough that
// copies are spelled out (clone(), or construction with kClone), never implicit.
struct CloneTag {
  explicit CloneTag() = default;
};
inline constexpr CloneTag kClone{};

// The byte image of one attribute value. Most attributes are CK_BBOOL or CK_ULONG, and a new
// object gets 20-40 of them: values of up to kInline bytes live inside the object instead of in a
// heap buffer each, and a longer one in a buffer from the zeroizing allocator (the one SecureBytes
// uses). Either form is wiped when released or moved from, like SecureBytes.
// Sixteen bytes (the length, then the inline image or the buffer pointer in the same eight bytes):
// objects are vectors of these, and every build, clone and move of an object touches each one.
// Unlike a SecureBytes, an inline value moves with its AttrValue: a span from span() is valid only
// while this AttrValue stays where it is (AttributeSet documents when that is).
class AttrValue {
 public:
  static constexpr std::size_t kInline = 8;

  AttrValue() = default;
  AttrValue(const AttrValue& o, CloneTag) : size_(o.size_) {
    if (o.size_ > kInline) {
      word_.heap = allocate(o.size_);
      std::memcpy(word_.heap, o.word_.heap, o.size_);
    } else {
      word_ = o.word_;
    }
  }
  explicit AttrValue(std::size_t n);  // n zero bytes
  explicit AttrValue(std::span<const std::uint8_t> v);
  AttrValue(AttrValue&& o) noexcept : size_(o.size_), word_(o.word_) { o.forget(); }
  AttrValue& operator=(AttrValue&& o) noexcept {
    if (this == &o) return *this;
    release();
    size_ = o.size_;
    word_ = o.word_;
    o.forget();
    return *this;
  }
  AttrValue(const AttrValue&) = delete;
  AttrValue& operator=(const AttrValue&) = delete;
  ~AttrValue() { release(); }

  AttrValue clone() const { return AttrValue(*this, kClone); }
  std::size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }
  std::uint8_t* data() noexcept { return size_ <= kInline ? word_.bytes : word_.heap; }
  const std::uint8_t* data() const noexcept { return size_ <= kInline ? word_.bytes : word_.heap; }
  std::span<std::uint8_t> span() noexcept { return {data(), size_}; }
  std::span<const std::uint8_t> span() const noexcept { return {data(), size_}; }

 private:
  union Word {
    std::uint8_t bytes[kInline];
    std::uint8_t* heap;
  };
  static std::uint8_t* allocate(std::size_t n);        // secure_allocate
  static void deallocate(std::uint8_t* p, std::size_t n) noexcept;  // wipes, then frees

  // Leaves this value empty, its eight bytes zero. The empty asm with a memory clobber keeps the
  // compiler from dropping the wipe of an inline image as a dead store before the object dies.
  void forget() noexcept {
    word_.heap = nullptr;
    size_ = 0;
    asm volatile("" : : "r"(&word_) : "memory");
  }
  // Wipes and frees what this value holds, leaving it empty.
  void release() noexcept {
    if (size_ > kInline) deallocate(word_.heap, size_);
    forget();
  }

  std::size_t size_ = 0;
  Word word_{};
};

struct Attribute {
  CK_ATTRIBUTE_TYPE type = 0;
  AttrValue value;                // ABI image; unused when is_array()
  std::vector<Attribute> nested;  // elements of an array attribute

  Attribute() = default;
  Attribute(CK_ATTRIBUTE_TYPE t, AttrValue v, std::vector<Attribute> n = {})
      : type(t), value(std::move(v)), nested(std::move(n)) {}
  // A copy made in place (AttributeSet::clone builds whole objects this way).
  Attribute(const Attribute& o, CloneTag) : type(o.type), value(o.value, kClone) {
    if (!o.nested.empty()) nested = o.clone_nested();
  }
  Attribute(Attribute&&) noexcept = default;
  Attribute& operator=(Attribute&&) noexcept = default;

  // CKA_ALLOWED_MECHANISMS carries CKF_ARRAY_ATTRIBUTE too, but its value is a CK_MECHANISM_TYPE
  // array, not a template: it is held as a plain byte image.
  bool is_array() const noexcept {
    return (type & CKF_ARRAY_ATTRIBUTE) != 0 && type != CKA_ALLOWED_MECHANISMS;
  }
  Attribute clone() const { return Attribute(*this, kClone); }

  static Attribute make_bool(CK_ATTRIBUTE_TYPE t, bool v);
  static Attribute make_ulong(CK_ATTRIBUTE_TYPE t, CK_ULONG v);
  static Attribute make_bytes(CK_ATTRIBUTE_TYPE t, std::span<const std::uint8_t> v);
  static Attribute make_string(CK_ATTRIBUTE_TYPE t, std::string_view v);

 private:
  std::vector<Attribute> clone_nested() const;
};

// An ordered set of attributes keyed by type. Iteration order is by type, so encodings are stable.
//
// Held as one vector sorted by type rather than a node-based map: an object has 20-40
// attributes, and building one (every C_CreateObject, C_GenerateKey, C_EncapsulateKey, ...)
// would otherwise cost a heap node and a rebalance per attribute. Consequence for callers: a
// `const Attribute*` from find() is invalidated by set()/erase() on the same set (attribute
// values longer than AttrValue::kInline live in their own heap buffers, so spans of those from
// get_bytes() survive a set() of another attribute, as they did with the map; not, though, the
// first change of a shared attribute in a set made by over(), after which the set holds copies).
//
// A set may also hold part of its entries in common with other sets (over(), share()): the
// produced secret keys of one template then cost their value and unique id each, not a copy of
// 30-odd attributes each. Iteration, lookups and size() see the union; the set's own entries and
// the shared ones never have a type in common.
class AttributeSet {
 public:
  using Entry = std::pair<CK_ATTRIBUTE_TYPE, Attribute>;
  // Entries that several sets hold in common, immutable once shared (see over()).
  using Shared = std::shared_ptr<const std::vector<Entry>>;

  // Visits the entries in type order. A set over shared entries yields them merged with its own.
  class const_iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = Entry;
    using difference_type = std::ptrdiff_t;
    using pointer = const Entry*;
    using reference = const Entry&;

    const_iterator() = default;
    reference operator*() const { return *current(); }
    pointer operator->() const { return current(); }
    const_iterator& operator++() {
      if (from_own()) {
        ++own_;
      } else {
        ++shared_;
      }
      return *this;
    }
    const_iterator operator++(int) {
      const_iterator was = *this;
      ++*this;
      return was;
    }
    friend bool operator==(const const_iterator& a, const const_iterator& b) noexcept {
      return a.own_ == b.own_ && a.shared_ == b.shared_;
    }

   private:
    friend class AttributeSet;
    const_iterator(const Entry* own, const Entry* own_end, const Entry* shared, const Entry* shared_end)
        : own_(own), own_end_(own_end), shared_(shared), shared_end_(shared_end) {}
    // The two sequences never hold the same type (the invariant of AttributeSet).
    bool from_own() const noexcept {
      return shared_ == shared_end_ || (own_ != own_end_ && own_->first < shared_->first);
    }
    const Entry* current() const noexcept { return from_own() ? own_ : shared_; }

    const Entry* own_ = nullptr;
    const Entry* own_end_ = nullptr;
    const Entry* shared_ = nullptr;
    const Entry* shared_end_ = nullptr;
  };

  AttributeSet() = default;
  AttributeSet(AttributeSet&&) noexcept = default;
  AttributeSet& operator=(AttributeSet&&) noexcept = default;
  AttributeSet(const AttributeSet&) = delete;
  AttributeSet& operator=(const AttributeSet&) = delete;
  // A copy; shared entries stay shared (only the set's own entries are copied).
  AttributeSet clone() const;

  // A set whose entries are, to begin with, `shared` (sorted by type, unique; may be empty). Every
  // produced secret key of one thread's prototype is such a set (object.h, build_produced): its
  // 30-odd common attributes are held once, and the key adds its value and unique id. Reading
  // such a set is reading the union; changing a shared attribute first gives the set copies of
  // all of them (the shared entries are never written).
  static AttributeSet over(Shared shared);
  // over(shared) that holds `own` from the start: entries sorted by type, unique, none of a type
  // in `shared` (checked; entries that break the rule are added one by one instead, so the result
  // is a valid set either way). A produced key is its prototype's shared part and these.
  static AttributeSet over(Shared shared, std::vector<Entry> own);
  // This set's entries, to be shared (for over()); the set is left empty.
  Shared share() &&;
  // Whether this set and `other` hold their shared entries in common (tests).
  bool shares_with(const AttributeSet& other) const noexcept { return shared_ != nullptr && shared_ == other.shared_; }
  // Whether both sets are the same shared entries and nothing else, and so equal without a look
  // at any value (a template this thread parsed before and the prototype made from it).
  bool same_shared_only(const AttributeSet& other) const noexcept {
    return items_.empty() && other.items_.empty() && shares_with(other);
  }

  const Attribute* find(CK_ATTRIBUTE_TYPE t) const {
    if (const Attribute* a = find_in(items_, t)) return a;
    return shared_ == nullptr ? nullptr : find_in(*shared_, t);
  }
  bool contains(CK_ATTRIBUTE_TYPE t) const { return find(t) != nullptr; }
  // The set's own value of `t`, to be written where it is; null when `t` is absent or shared.
  Attribute* find_own(CK_ATTRIBUTE_TYPE t) noexcept {
    const std::size_t i = index_in(items_, t);
    return i < items_.size() && items_[i].first == t ? &items_[i].second : nullptr;
  }
  void set(Attribute a);  // replaces any existing value
  // set(make_bool(t, v)) / set(make_ulong(t, v)), but an existing value of the same size is
  // overwritten where it is (no Attribute built, nothing moved): the token-set flags and counters
  // a new object gets after its defaults are in place.
  void set_bool(CK_ATTRIBUTE_TYPE t, bool v);
  void set_ulong(CK_ATTRIBUTE_TYPE t, CK_ULONG v);
  // set(make_string(t, v)), but the set's own entry of that type, if any, takes the new value
  // where it is (a new object's CKA_UNIQUE_ID slot, filled by the token).
  void set_string(CK_ATTRIBUTE_TYPE t, std::string_view v);
  void erase(CK_ATTRIBUTE_TYPE t);
  // A set that takes over entries a merge pass produced in strictly ascending type order, without
  // re-inserting them. The order is checked; entries out of order are inserted one by one (a
  // later duplicate replacing an earlier one), so the result is a valid set either way.
  static AttributeSet from_sorted(std::vector<Entry> entries);
  // Moves every entry out (shared ones copied), leaving the set empty (to rebuild it in one
  // ordered pass with set()).
  std::vector<Entry> take_all() {
    unshare();
    return std::move(items_);
  }
  // Room for n entries of the set's own.
  void reserve(std::size_t n) { items_.reserve(n); }
  std::size_t size() const noexcept { return items_.size() + (shared_ == nullptr ? 0 : shared_->size()); }
  bool empty() const noexcept { return size() == 0; }

  // Typed views; nullopt when absent or when the stored image has the wrong size.
  std::optional<bool> get_bool(CK_ATTRIBUTE_TYPE t) const;
  std::optional<CK_ULONG> get_ulong(CK_ATTRIBUTE_TYPE t) const;
  std::optional<std::span<const std::uint8_t>> get_bytes(CK_ATTRIBUTE_TYPE t) const;
  bool get_bool_or(CK_ATTRIBUTE_TYPE t, bool dflt) const { return get_bool(t).value_or(dflt); }
  // The same views of an attribute already found (null: nullopt).
  static std::optional<bool> bool_of(const Attribute* a);
  static std::optional<CK_ULONG> ulong_of(const Attribute* a);

  // find() of each of `Ts` (ascending, checked at compile time) in one pass over the entries up to
  // the last of them: for a few types near the front of the order, cheaper than as many binary
  // searches (a new object's CKA_TOKEN and CKA_PRIVATE; a key template's class, key type and
  // length).
  template <CK_ATTRIBUTE_TYPE... Ts>
  std::array<const Attribute*, sizeof...(Ts)> find_each() const {
    static constexpr std::array<CK_ATTRIBUTE_TYPE, sizeof...(Ts)> kTypes{Ts...};
    static_assert(sizeof...(Ts) > 0 && std::is_sorted(kTypes.begin(), kTypes.end()) &&
                      std::adjacent_find(kTypes.begin(), kTypes.end()) == kTypes.end(),
                  "types in ascending order, each once");
    std::array<const Attribute*, sizeof...(Ts)> found{};
    visit_upto(kTypes.back(), [&found](const Entry& e) {
      for (std::size_t i = 0; i < kTypes.size(); ++i) {
        if (e.first == kTypes[i]) found[i] = &e.second;
      }
    });
    return found;
  }

  // Calls f(entry) for each entry whose type is at most `last`: the set's own entries in type
  // order, then the shared ones in type order, not merged (for a caller to whom the order does
  // not matter, such as the posting keys of a new object: cheaper than iterating).
  template <class F>
  void visit_upto(CK_ATTRIBUTE_TYPE last, F&& f) const {
    for (const Entry& e : items_) {
      if (e.first > last) break;
      f(e);
    }
    if (shared_ == nullptr) return;
    for (const Entry& e : *shared_) {
      if (e.first > last) break;
      f(e);
    }
  }

  const_iterator begin() const noexcept {
    const Entry* own = items_.data();
    const Entry* sh = shared_ == nullptr ? nullptr : shared_->data();
    return {own, own + items_.size(), sh, sh + (shared_ == nullptr ? 0 : shared_->size())};
  }
  const_iterator end() const noexcept {
    const Entry* own_end = items_.data() + items_.size();
    const Entry* sh_end = shared_ == nullptr ? nullptr : shared_->data() + shared_->size();
    return {own_end, own_end, sh_end, sh_end};
  }

 private:
  // The position in `v` of the first entry whose type is not below `t` (v.size() if none). Every
  // lookup goes through here, a few dozen per object built or used, so it is a binary search the
  // compiler inlines, each halving step a conditional move rather than a hard-to-predict branch.
  static std::size_t index_in(const std::vector<Entry>& v, CK_ATTRIBUTE_TYPE t) noexcept {
    std::size_t n = v.size();
    if (n == 0) return 0;
    const Entry* base = v.data();
    while (n > 1) {
      const std::size_t half = n / 2;
      base = base[half].first < t ? base + half : base;
      n -= half;
    }
    return static_cast<std::size_t>(base - v.data()) + (base->first < t ? 1 : 0);
  }
  static const Attribute* find_in(const std::vector<Entry>& v, CK_ATTRIBUTE_TYPE t) noexcept {
    const std::size_t i = index_in(v, t);
    return i < v.size() && v[i].first == t ? &v[i].second : nullptr;
  }
  std::vector<Entry>::iterator lower_bound(CK_ATTRIBUTE_TYPE t) {
    return items_.begin() + static_cast<std::ptrdiff_t>(index_in(items_, t));
  }
  // Before `t` is written: a shared attribute of that type makes the set take copies of all of them.
  void own(CK_ATTRIBUTE_TYPE t) {
    if (shared_ != nullptr && find_in(*shared_, t) != nullptr) unshare();
  }
  void unshare();

  std::vector<Entry> items_;  // the set's own entries: sorted by type, unique, no type of shared_
  Shared shared_;             // entries held in common with other sets; null for most sets
};

// True when two attributes have the same type and value (array attributes compare element-wise
// as sets, per the spec's template matching). Not constant-time: never use it on secret values.
bool same_value(const Attribute& a, const Attribute& b);

}  // namespace craton::object
