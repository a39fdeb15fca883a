#include "object/attribute_rules.h"

#include <algorithm>
#include <cstring>

#include "object/schemas.h"

namespace craton::object {

Schema::Schema(std::vector<AttrSpec> specs) : specs_(std::move(specs)) {
  // Sorted by type (a later duplicate wins, as the tables intend when a class entry is refined by a
  // key-type entry), so lookups are a binary search and defaults merge in one pass.
  std::stable_sort(specs_.begin(), specs_.end(), [](const AttrSpec& a, const AttrSpec& b) { return a.type < b.type; });
  std::vector<AttrSpec> unique;
  unique.reserve(specs_.size());
  for (const AttrSpec& s : specs_) {
    if (!unique.empty() && unique.back().type == s.type) {
      unique.back() = s;
    } else {
      unique.push_back(s);
    }
  }
  specs_ = std::move(unique);
  defaults_.reserve(specs_.size());
  for (const AttrSpec& s : specs_) {
    auto d = default_value(s);
    has_default_.push_back(d.has_value());
    defaults_.push_back(d ? std::move(*d) : Attribute{});
  }
}

const AttrSpec* Schema::find(CK_ATTRIBUTE_TYPE t) const {
  auto it = std::lower_bound(specs_.begin(), specs_.end(), t, [](const AttrSpec& s, CK_ATTRIBUTE_TYPE x) { return s.type < x; });
  return it == specs_.end() || it->type != t ? nullptr : &*it;
}

std::optional<AttrKind> kind_of(CK_ATTRIBUTE_TYPE t) {
  const AttrSpec* s = schemas::any_spec(t);
  if (s == nullptr) return std::nullopt;
  return s->kind;
}

std::optional<CK_ATTRIBUTE_TYPE> subtype_attribute(CK_OBJECT_CLASS cls) {
  switch (cls) {
    case CKO_SECRET_KEY:
    case CKO_PUBLIC_KEY:
    case CKO_PRIVATE_KEY:
      return CKA_KEY_TYPE;
    case CKO_CERTIFICATE:
      return CKA_CERTIFICATE_TYPE;
    default:
      return std::nullopt;
  }
}

Result<const Schema*> schema_for(CK_OBJECT_CLASS cls, std::optional<CK_ULONG> subtype) {
  const Schema* s = schemas::lookup(cls, subtype);
  if (s != nullptr) return s;
  if (!schemas::class_supported(cls)) return fail(CKR_ATTRIBUTE_VALUE_INVALID, "unsupported object class");
  if (!subtype) return fail(CKR_TEMPLATE_INCOMPLETE, "key or certificate type missing");
  return fail(CKR_ATTRIBUTE_VALUE_INVALID, "unsupported key or certificate type");
}

Status check_value_shape(const Attribute& a, AttrKind kind) {
  const std::size_t n = a.value.size();
  switch (kind) {
    case AttrKind::kBool:
      if (n != sizeof(CK_BBOOL)) return fail(CKR_ATTRIBUTE_VALUE_INVALID, "boolean must be 1 byte");
      if (a.value.data()[0] > 1) return fail(CKR_ATTRIBUTE_VALUE_INVALID, "boolean must be 0 or 1");
      return {};
    case AttrKind::kUlong:
      if (n != sizeof(CK_ULONG)) return fail(CKR_ATTRIBUTE_VALUE_INVALID, "CK_ULONG has the wrong size");
      return {};
    case AttrKind::kDate:
      if (n != 0 && n != sizeof(CK_DATE)) return fail(CKR_ATTRIBUTE_VALUE_INVALID, "CK_DATE has the wrong size");
      for (std::size_t i = 0; i < n; ++i) {
        const auto c = a.value.data()[i];
        if (c < '0' || c > '9') return fail(CKR_ATTRIBUTE_VALUE_INVALID, "CK_DATE must be digits");
      }
      return {};
    case AttrKind::kMechArray:
      if (n % sizeof(CK_MECHANISM_TYPE) != 0) return fail(CKR_ATTRIBUTE_VALUE_INVALID, "mechanism array length");
      return {};
    case AttrKind::kVersion:
      if (n != sizeof(CK_VERSION)) return fail(CKR_ATTRIBUTE_VALUE_INVALID, "CK_VERSION has the wrong size");
      return {};
    case AttrKind::kAttrArray:
      for (const auto& e : a.nested) {
        const auto k = kind_of(e.type);
        if (!k) return fail(CKR_ATTRIBUTE_VALUE_INVALID, "unknown attribute inside a template attribute");
        CRATON_TRY(check_value_shape(e, *k));
      }
      return {};
    case AttrKind::kBytes:
    case AttrKind::kUtf8:
      return {};
  }
  return fail(CKR_ATTRIBUTE_VALUE_INVALID, "unknown attribute kind");
}

std::optional<Attribute> default_value(const AttrSpec& spec) {
  switch (spec.dflt) {
    case Default::kNone:
      return std::nullopt;
    case Default::kFalse:
      return Attribute::make_bool(spec.type, false);
    case Default::kTrue:
      return Attribute::make_bool(spec.type, true);
    case Default::kEmpty: {
      Attribute a;
      a.type = spec.type;
      return a;
    }
    case Default::kZero:
      return Attribute::make_ulong(spec.type, 0);
    case Default::kUnavailable:
      return Attribute::make_ulong(spec.type, CK_UNAVAILABLE_INFORMATION);
  }
  return std::nullopt;
}

bool is_secret_attribute(const AttributeSet& obj, CK_ATTRIBUTE_TYPE t) {
  const auto cls = obj.get_ulong(CKA_CLASS);
  if (!cls) return false;
  std::optional<CK_ULONG> sub;
  if (const auto sa = subtype_attribute(*cls)) sub = obj.get_ulong(*sa);
  const Schema* s = schemas::lookup(*cls, sub);
  if (s == nullptr) return false;
  const AttrSpec* spec = s->find(t);
  return spec != nullptr && spec->has(kSecret);
}

}  // namespace craton::object
