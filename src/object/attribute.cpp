#include "object/attribute.h"

#include <cstring>

namespace craton::object {

CK_ATTRIBUTE_TYPE canonical_type(CK_ATTRIBUTE_TYPE t) noexcept {
  if (t == CKA_ENCAPSULATE_TEMPLATE || t == CKA_DECAPSULATE_TEMPLATE) return t | CKF_ARRAY_ATTRIBUTE;
  return t;
}

Attribute Attribute::clone() const {
  Attribute a;
  a.type = type;
  a.value = value.clone();
  a.nested.reserve(nested.size());
  for (const auto& n : nested) a.nested.push_back(n.clone());
  return a;
}

Attribute Attribute::make_bool(CK_ATTRIBUTE_TYPE t, bool v) {
  Attribute a;
  a.type = t;
  a.value = SecureBytes(1);
  a.value.data()[0] = v ? CK_TRUE : CK_FALSE;
  return a;
}

Attribute Attribute::make_ulong(CK_ATTRIBUTE_TYPE t, CK_ULONG v) {
  Attribute a;
  a.type = t;
  a.value = SecureBytes(sizeof(CK_ULONG));
  std::memcpy(a.value.data(), &v, sizeof v);
  return a;
}

Attribute Attribute::make_bytes(CK_ATTRIBUTE_TYPE t, std::span<const std::uint8_t> v) {
  Attribute a;
  a.type = t;
  a.value = SecureBytes(v);
  return a;
}

Attribute Attribute::make_string(CK_ATTRIBUTE_TYPE t, std::string_view v) {
  Attribute a;
  a.type = t;
  a.value = SecureBytes::from_string(v);
  return a;
}

AttributeSet AttributeSet::clone() const {
  AttributeSet s;
  for (const auto& [t, a] : map_) s.map_.emplace(t, a.clone());
  return s;
}

const Attribute* AttributeSet::find(CK_ATTRIBUTE_TYPE t) const {
  auto it = map_.find(t);
  return it == map_.end() ? nullptr : &it->second;
}

void AttributeSet::set(Attribute a) {
  const auto t = a.type;
  map_.insert_or_assign(t, std::move(a));
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
