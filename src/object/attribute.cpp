#include "object/attribute.h"

#include <algorithm>
#include <cstring>
#include <tuple>


namespace craton::object {

CK_ATTRIBUTE_TYPE canonical_type(CK_ATTRIBUTE_TYPE t) noexcept {
  if (t == CKA_ENCAPSULATE_TEMPLATE || t == CKA_DECAPSULATE_TEMPLATE) return t | CKF_ARRAY_ATTRIBUTE;
  return t;
}

std::uint8_t* AttrValue::allocate(std::size_t n) { return static_cast<std::uint8_t*>(detail::secure_allocate(n)); }

void AttrValue::deallocate(std::uint8_t* p, std::size_t n) noexcept { detail::secure_deallocate(p, n); }

AttrValue::AttrValue(std::size_t n) : size_(n) {
  if (n > kInline) {
    word_.heap = allocate(n);
    std::memset(word_.heap, 0, n);
  }
}

AttrValue::AttrValue(std::span<const std::uint8_t> v) : size_(v.size()) {
  if (v.size() > kInline) {
    word_.heap = allocate(v.size());
    std::memcpy(word_.heap, v.data(), v.size());
  } else if (!v.empty()) {
    std::memcpy(word_.bytes, v.data(), v.size());
  }
}

std::vector<Attribute> Attribute::clone_nested() const {
  std::vector<Attribute> out;
  out.reserve(nested.size());
  for (const auto& n : nested) out.emplace_back(n, kClone);
  return out;
}

Attribute Attribute::make_bool(CK_ATTRIBUTE_TYPE t, bool v) {
  Attribute a{t, AttrValue(std::size_t{1}), {}};
  a.value.data()[0] = v ? CK_TRUE : CK_FALSE;
  return a;
}

Attribute Attribute::make_ulong(CK_ATTRIBUTE_TYPE t, CK_ULONG v) {
  Attribute a{t, AttrValue(sizeof(CK_ULONG)), {}};
  std::memcpy(a.value.data(), &v, sizeof v);
  return a;
}

Attribute Attribute::make_bytes(CK_ATTRIBUTE_TYPE t, std::span<const std::uint8_t> v) {
  Attribute a;
  a.type = t;
  a.value = AttrValue(v);
  return a;
}

namespace {

AttrValue text_value(std::string_view v) {
  AttrValue out(v.size());
  if (!v.empty()) std::memcpy(out.data(), v.data(), v.size());
  return out;
}

}  // namespace

Attribute Attribute::make_string(CK_ATTRIBUTE_TYPE t, std::string_view v) { return Attribute(t, text_value(v)); }

// Each entry is copied in place: no temporary Attribute moved in and destroyed per entry
// (snapshots and produced keys clone whole objects). Shared entries are not copied at all.
AttributeSet AttributeSet::clone() const {
  AttributeSet s;
  s.shared_ = shared_;
  s.items_.reserve(items_.size());
  for (const auto& [t, a] : items_) {
    s.items_.emplace_back(std::piecewise_construct, std::forward_as_tuple(t), std::forward_as_tuple(a, kClone));
  }
  return s;
}

AttributeSet AttributeSet::over(Shared shared) {
  AttributeSet s;
  if (shared != nullptr && !shared->empty()) s.shared_ = std::move(shared);
  return s;
}

AttributeSet AttributeSet::over(Shared shared, std::vector<Entry> own) {
  AttributeSet s = over(std::move(shared));
  bool fits = true;
  for (std::size_t i = 0; i < own.size() && fits; ++i) {
    fits = (i == 0 || own[i - 1].first < own[i].first) &&
           (s.shared_ == nullptr || find_in(*s.shared_, own[i].first) == nullptr);
  }
  if (fits) {
    s.items_ = std::move(own);
    return s;
  }
  for (auto& e : own) s.set(std::move(e.second));
  return s;
}

AttributeSet::Shared AttributeSet::share() && {
  unshare();
  auto shared = std::make_shared<std::vector<Entry>>(std::move(items_));
  items_.clear();
  return shared;
}

// Merges the shared entries into the set's own (copies; the shared vector is never written, other
// sets read it without a lock).
void AttributeSet::unshare() {
  if (shared_ == nullptr) return;
  std::vector<Entry> merged;
  merged.reserve(size());
  auto own = std::make_move_iterator(items_.begin());
  const auto own_end = std::make_move_iterator(items_.end());
  for (const auto& [t, a] : *shared_) {
    for (; own != own_end && own->first < t; ++own) merged.push_back(*own);
    merged.emplace_back(std::piecewise_construct, std::forward_as_tuple(t), std::forward_as_tuple(a, kClone));
  }
  for (; own != own_end; ++own) merged.push_back(*own);
  items_ = std::move(merged);
  shared_.reset();
}

void AttributeSet::set(Attribute a) {
  const auto t = a.type;
  own(t);
  if (items_.empty() || items_.back().first < t) {  // building in type order: no search, no shifting
    items_.emplace_back(t, std::move(a));
    return;
  }
  auto it = lower_bound(t);
  if (it != items_.end() && it->first == t) {
    it->second = std::move(a);
  } else {
    items_.emplace(it, t, std::move(a));
  }
}

void AttributeSet::set_bool(CK_ATTRIBUTE_TYPE t, bool v) {
  own(t);
  auto it = lower_bound(t);
  if (it != items_.end() && it->first == t && it->second.value.size() == 1 && !it->second.is_array()) {
    it->second.value.data()[0] = v ? CK_TRUE : CK_FALSE;
    return;
  }
  set(Attribute::make_bool(t, v));
}

void AttributeSet::set_ulong(CK_ATTRIBUTE_TYPE t, CK_ULONG v) {
  own(t);
  auto it = lower_bound(t);
  if (it != items_.end() && it->first == t && it->second.value.size() == sizeof v && !it->second.is_array()) {
    std::memcpy(it->second.value.data(), &v, sizeof v);
    return;
  }
  set(Attribute::make_ulong(t, v));
}

void AttributeSet::set_string(CK_ATTRIBUTE_TYPE t, std::string_view v) {
  if (Attribute* a = find_own(t); a != nullptr && !a->is_array()) {
    a->value = text_value(v);
    return;
  }
  set(Attribute(t, text_value(v)));
}

AttributeSet AttributeSet::from_sorted(std::vector<Entry> entries) {
  AttributeSet s;
  const bool ordered = std::adjacent_find(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
                         return !(a.first < b.first);
                       }) == entries.end();
  if (ordered) {
    s.items_ = std::move(entries);
    return s;
  }
  s.items_.reserve(entries.size());  // not in order after all: sorted one by one (a later duplicate wins)
  for (auto& e : entries) s.set(std::move(e.second));
  return s;
}

void AttributeSet::erase(CK_ATTRIBUTE_TYPE t) {
  own(t);
  auto it = lower_bound(t);
  if (it != items_.end() && it->first == t) items_.erase(it);
}

std::optional<bool> AttributeSet::bool_of(const Attribute* a) {
  if (a == nullptr || a->value.size() != 1) return std::nullopt;
  return a->value.data()[0] != CK_FALSE;
}

std::optional<CK_ULONG> AttributeSet::ulong_of(const Attribute* a) {
  if (a == nullptr || a->value.size() != sizeof(CK_ULONG)) return std::nullopt;
  CK_ULONG v = 0;
  std::memcpy(&v, a->value.data(), sizeof v);
  return v;
}

std::optional<bool> AttributeSet::get_bool(CK_ATTRIBUTE_TYPE t) const { return bool_of(find(t)); }

std::optional<CK_ULONG> AttributeSet::get_ulong(CK_ATTRIBUTE_TYPE t) const { return ulong_of(find(t)); }

std::optional<std::span<const std::uint8_t>> AttributeSet::get_bytes(CK_ATTRIBUTE_TYPE t) const {
  const Attribute* a = find(t);
  if (a == nullptr) return std::nullopt;
  return a->value.span();
}

bool same_value(const Attribute& a, const Attribute& b) {
  if (a.type != b.type) return false;
  if (!a.is_array()) {
    return a.value.size() == b.value.size() &&
           (a.value.empty() || std::memcmp(a.value.data(), b.value.data(), a.value.size()) == 0);
  }
  if (a.nested.size() != b.nested.size()) return false;
  for (const auto& x : a.nested) {
    bool found = false;
    for (const auto& y : b.nested) {
      if (same_value(x, y)) { found = true; break; }
    }
    if (!found) return false;
  }
  return true;
}

}  // namespace craton::object
