#include "object/attribute.h"

#include <algorithm>
#include <cstring>


namespace craton::object {

CK_ATTRIBUTE_TYPE canonical_type(CK_ATTRIBUTE_TYPE t) noexcept {
  if (t == CKA_ENCAPSULATE_TEMPLATE || t == CKA_DECAPSULATE_TEMPLATE) return t | CKF_ARRAY_ATTRIBUTE;
  return t;
}

AttrValue::AttrValue(std::size_t n) : size_(n) {
  if (n > kInline) heap_ = SecureBytes(n);
}

AttrValue::AttrValue(std::span<const std::uint8_t> v) : size_(v.size()) {
  if (v.size() > kInline) {
    heap_ = SecureBytes(v);
  } else if (!v.empty()) {
    std::memcpy(inline_.data(), v.data(), v.size());
  }
}

AttrValue::AttrValue(SecureBytes&& v) : size_(v.size()) {
  if (v.size() > kInline) {
    heap_ = std::move(v);
  } else if (!v.empty()) {
    std::memcpy(inline_.data(), v.data(), v.size());  // `v` wipes its own buffer when it dies
  }
}

Attribute Attribute::clone() const {
  if (nested.empty()) return Attribute{type, value.clone(), {}};  // every attribute but the templates
  Attribute a{type, value.clone(), {}};
  a.nested.reserve(nested.size());
  for (const auto& n : nested) a.nested.push_back(n.clone());
  return a;
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

Attribute Attribute::make_string(CK_ATTRIBUTE_TYPE t, std::string_view v) {
  Attribute a;
  a.type = t;
  a.value = AttrValue(v.size());
  if (!v.empty()) std::memcpy(a.value.data(), v.data(), v.size());
  return a;
}

AttributeSet AttributeSet::clone() const {
  AttributeSet s;
  s.items_.reserve(items_.size());
  for (const auto& [t, a] : items_) s.items_.emplace_back(t, a.clone());
  return s;
}

std::vector<AttributeSet::Entry>::iterator AttributeSet::lower_bound(CK_ATTRIBUTE_TYPE t) {
  return std::lower_bound(items_.begin(), items_.end(), t, [](const Entry& e, CK_ATTRIBUTE_TYPE x) { return e.first < x; });
}

std::vector<AttributeSet::Entry>::const_iterator AttributeSet::lower_bound(CK_ATTRIBUTE_TYPE t) const {
  return std::lower_bound(items_.begin(), items_.end(), t, [](const Entry& e, CK_ATTRIBUTE_TYPE x) { return e.first < x; });
}

const Attribute* AttributeSet::find(CK_ATTRIBUTE_TYPE t) const {
  auto it = lower_bound(t);
  return it == items_.end() || it->first != t ? nullptr : &it->second;
}

void AttributeSet::set(Attribute a) {
  const auto t = a.type;
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

void AttributeSet::erase(CK_ATTRIBUTE_TYPE t) {
  auto it = lower_bound(t);
  if (it != items_.end() && it->first == t) items_.erase(it);
}

std::optional<bool> AttributeSet::get_bool(CK_ATTRIBUTE_TYPE t) const {
  const Attribute* a = find(t);
  if (a == nullptr || a->value.size() != 1) return std::nullopt;
  return a->value.data()[0] != CK_FALSE;
}

std::optional<CK_ULONG> AttributeSet::get_ulong(CK_ATTRIBUTE_TYPE t) const {
  const Attribute* a = find(t);
  if (a == nullptr || a->value.size() != sizeof(CK_ULONG)) return std::nullopt;
  CK_ULONG v = 0;
  std::memcpy(&v, a->value.data(), sizeof v);
  return v;
}

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
