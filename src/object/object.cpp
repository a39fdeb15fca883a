#include "object/object.h"

#include <algorithm>
#include <cstring>

#include "object/key_approval.h"
#include "object/key_checks.h"

namespace craton::object {
namespace {

Result<const Schema*> schema_from_template(const AttributeSet& tmpl) {
  const auto cls = tmpl.get_ulong(CKA_CLASS);
  if (!tmpl.contains(CKA_CLASS)) return fail(CKR_TEMPLATE_INCOMPLETE, "CKA_CLASS missing");
  if (!cls) return fail(CKR_ATTRIBUTE_VALUE_INVALID, "CKA_CLASS has the wrong size");
  std::optional<CK_ULONG> sub;
  if (const auto sa = subtype_attribute(*cls)) {
    if (!tmpl.contains(*sa)) return fail(CKR_TEMPLATE_INCOMPLETE, "key or certificate type missing");
    sub = tmpl.get_ulong(*sa);
    if (!sub) return fail(CKR_ATTRIBUTE_VALUE_INVALID, "key or certificate type has the wrong size");
  }
  return schema_for(*cls, sub);
}

// The checks every caller-supplied value goes through, whatever the function.
Status check_supplied(const Schema& schema, const Attribute& a, Actor who) {
  const AttrSpec* spec = schema.find(a.type);
  if (spec == nullptr) return fail(CKR_ATTRIBUTE_TYPE_INVALID, "attribute not valid for this object");
  if (spec->has(kTokenSet)) return fail(CKR_ATTRIBUTE_READ_ONLY, "attribute is set by the token only");
  CRATON_TRY(check_value_shape(a, spec->kind));
  if (spec->has(kSoOnly) && !who.is_so && a.value.size() == 1 && a.value.data()[0] != CK_FALSE) {
    return fail(CKR_ATTRIBUTE_READ_ONLY, "only the SO may set this attribute to true");
  }
  return {};
}

bool bool_of(const AttributeSet& s, CK_ATTRIBUTE_TYPE t) { return s.get_bool_or(t, false); }

bool is_key(const AttributeSet& obj) {
  const auto cls = obj.get_ulong(CKA_CLASS).value_or(CKO_DATA);
  return cls == CKO_SECRET_KEY || cls == CKO_PRIVATE_KEY || cls == CKO_PUBLIC_KEY;
}

// Enforces the one-way attributes (CKA_SENSITIVE only to TRUE, CKA_EXTRACTABLE only to FALSE, ...).
Status check_direction(const AttrSpec& spec, const AttributeSet& current, const Attribute& a) {
  if (a.value.size() != 1) return {};
  const bool now = bool_of(current, a.type);
  const bool next = a.value.data()[0] != CK_FALSE;
  if (spec.has(kOnlyToTrue) && now && !next) return fail(CKR_ATTRIBUTE_READ_ONLY, "attribute may only become true");
  if (spec.has(kOnlyToFalse) && !now && next) return fail(CKR_ATTRIBUTE_READ_ONLY, "attribute may only become false");
  return {};
}

// `inherited_*`: for derived keys, the base key's history; otherwise whether the key was born here.
// The flags have defaults in every key schema, so these overwrite values already in place.
void set_origin_flags(AttributeSet& obj, Origin origin, bool inherited_sensitive, bool inherited_unextracted) {
  const auto cls = obj.get_ulong(CKA_CLASS).value_or(CKO_DATA);
  if (cls != CKO_SECRET_KEY && cls != CKO_PRIVATE_KEY && cls != CKO_PUBLIC_KEY) return;
  obj.set_bool(CKA_LOCAL, origin == Origin::kGenerated);
  if (cls == CKO_PUBLIC_KEY) return;
  const bool sensitive = bool_of(obj, CKA_SENSITIVE);
  const bool extractable = bool_of(obj, CKA_EXTRACTABLE);
  // Only keys whose whole history is inside the token can claim never to have been exposed.
  obj.set_bool(CKA_ALWAYS_SENSITIVE, inherited_sensitive && sensitive);
  obj.set_bool(CKA_NEVER_EXTRACTABLE, inherited_unextracted && !extractable);
}

void set_origin_flags(AttributeSet& obj, Origin origin) {
  const bool local = origin == Origin::kGenerated;
  set_origin_flags(obj, origin, local, local);
}

// Fills defaults and checks required attributes against the schema. Both the schema and `given`
// are in ascending type order (unique types), so one merge pass lays the object's entries down in
// order, each default a copy of a value the schema built once, and the set takes the vector over
// as it is.
Result<AttributeSet> complete_from_schema(const Schema& schema, std::vector<AttributeSet::Entry> given) {
  const auto specs = schema.all();
  std::vector<AttributeSet::Entry> out;
  out.reserve(specs.size() + given.size());
  auto have = given.begin();
  for (std::size_t i = 0; i < specs.size(); ++i) {
    const AttrSpec& spec = specs[i];
    bool present = false;  // the last entry moved over (the largest <= spec.type) is this one
    for (; have != given.end() && have->first <= spec.type; ++have) {
      present = have->first == spec.type;
      out.push_back(std::move(*have));
    }
    if (present) continue;
    if (spec.has(kRequired)) return fail(CKR_TEMPLATE_INCOMPLETE, "a required attribute is missing");
    if (const Attribute* d = schema.default_at(i)) out.emplace_back(spec.type, d->clone());
  }
  for (; have != given.end(); ++have) out.push_back(std::move(*have));
  return AttributeSet::from_sorted(std::move(out));
}

}  // namespace

Result<AttributeSet> template_from(std::vector<AttributeSet::Entry> entries) {
  for (auto& [t, a] : entries) {
    a.type = canonical_type(a.type);
    t = a.type;
  }
  // Sorted once, then a type given twice must carry the same value both times (which copy stays
  // does not matter, so the sort need not be stable).
  std::sort(entries.begin(), entries.end(), [](const AttributeSet::Entry& x, const AttributeSet::Entry& y) {
    return x.first < y.first;
  });
  std::size_t kept = 0;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (kept > 0 && entries[kept - 1].first == entries[i].first) {
      if (!same_value(entries[kept - 1].second, entries[i].second)) {
        return fail(CKR_TEMPLATE_INCONSISTENT, "attribute given twice with different values");
      }
      continue;
    }
    if (kept != i) entries[kept] = std::move(entries[i]);
    ++kept;
  }
  entries.erase(entries.begin() + static_cast<std::ptrdiff_t>(kept), entries.end());
  return AttributeSet::from_sorted(std::move(entries));
}

Result<AttributeSet> build_created(const AttributeSet& tmpl, Actor who) {
  CRATON_ASSIGN_OR_RETURN(const Schema* schema, schema_from_template(tmpl));
  for (const auto& [t, a] : tmpl) CRATON_TRY(check_supplied(*schema, a, who));
  CRATON_ASSIGN_OR_RETURN(AttributeSet obj, complete_from_schema(*schema, tmpl.clone().take_all()));
  set_origin_flags(obj, Origin::kCreated);
  CRATON_TRY(complete_key_material(obj));
  // Importing a key is not a cryptographic service: its indicator says whether its parameters
  // are fit for approved services.
  if (is_key(obj)) set_key_validation(obj, key_parameters_approved(obj));
  return obj;
}

namespace {

// Byte for byte the same, array elements in the same order (same_value() treats an array as a
// set; a reused prototype must give back exactly what the caller's template would have).
bool identical(const Attribute& a, const Attribute& b) {
  if (a.type != b.type || a.value.size() != b.value.size() || a.nested.size() != b.nested.size()) return false;
  if (!a.value.empty() && std::memcmp(a.value.data(), b.value.data(), a.value.size()) != 0) return false;
  for (std::size_t i = 0; i < a.nested.size(); ++i) {
    if (!identical(a.nested[i], b.nested[i])) return false;
  }
  return true;
}

bool identical_sets(const AttributeSet& a, const AttributeSet& b) {
  if (a.same_shared_only(b)) return true;  // a template the caller repeated (abi: the template memo)
  if (a.size() != b.size()) return false;
  return std::equal(a.begin(), a.end(), b.begin(), [](const AttributeSet::Entry& x, const AttributeSet::Entry& y) {
    return x.first == y.first && identical(x.second, y.second);
  });
}

// The last secret key this thread built (see build_produced in object.h). `meta` is the material
// without CKA_VALUE, `value_size` the length of that value; `object` is the result without its
// CKA_VALUE, shared by every key made from it, so no key value outlives its call here.
struct SecretKeyPrototype {
  bool valid = false;
  AttributeSet tmpl;
  AttributeSet meta;
  std::size_t value_size = 0;
  Production how;
  AttributeSet::Shared object;
  // Set when `meta` is exactly what build_produced_secret() would hand over for this key type.
  std::optional<CK_KEY_TYPE> plain_key_type;
  bool uid_slot = false;  // the key has an (empty) CKA_UNIQUE_ID, not shared

  bool matches(const AttributeSet& t, const AttributeSet& material, const Production& h) const {
    if (!valid || !(how == h) || material.size() != meta.size() + 1) return false;
    const Attribute* value = material.find(CKA_VALUE);
    if (value == nullptr || value->value.size() != value_size || !identical_sets(tmpl, t)) return false;
    auto m = meta.begin();
    for (const auto& [type, a] : material) {
      if (type == CKA_VALUE) continue;
      if (m == meta.end() || m->first != type || !identical(m->second, a)) return false;
      ++m;
    }
    return true;
  }
  bool matches_secret(const AttributeSet& t, CK_KEY_TYPE kt, std::size_t n, const Production& h) const {
    return valid && plain_key_type == kt && value_size == n && how == h && identical_sets(tmpl, t);
  }
  // A key over the shared attributes with its own CKA_UNIQUE_ID slot (schemas.cpp: empty, for
  // the token to fill in place) and `value`.
  AttributeSet make(Attribute value) const {
    static_assert(CKA_UNIQUE_ID < CKA_VALUE, "own entries go in type order");
    std::vector<AttributeSet::Entry> own;
    own.reserve(2);
    if (uid_slot) own.emplace_back(std::piecewise_construct, std::forward_as_tuple(CKA_UNIQUE_ID),
                                   std::forward_as_tuple(CKA_UNIQUE_ID, AttrValue()));
    own.emplace_back(CKA_VALUE, std::move(value));
    return AttributeSet::over(object, std::move(own));
  }
};

// Out of line so a call reaches the thread-local storage once (as audit's scratch record).
[[gnu::noinline]] SecretKeyPrototype& secret_key_prototype() {
  thread_local SecretKeyPrototype p;
  return p;
}

bool is_secret_material(const AttributeSet& material) {
  return material.get_ulong(CKA_CLASS) == std::optional<CK_ULONG>(CKO_SECRET_KEY) && material.contains(CKA_VALUE);
}

Result<AttributeSet> build_produced_fresh(const AttributeSet& tmpl, AttributeSet material, const Production& how) {
  // The class and key type come from the material when the mechanism fixes them, else from the template.
  for (CK_ATTRIBUTE_TYPE t : {CKA_CLASS, CKA_KEY_TYPE}) {
    const Attribute* given = tmpl.find(t);
    if (given == nullptr) continue;
    if (const Attribute* made = material.find(t)) {
      if (!same_value(*made, *given)) return fail(CKR_TEMPLATE_INCONSISTENT, "template contradicts the mechanism");
    } else {
      material.set(given->clone());
    }
  }
  CRATON_ASSIGN_OR_RETURN(const Schema* schema, schema_from_template(material));
  // Template and material are both sorted by type: one merge pass gives the object's supplied
  // attributes in order, the material's values moved rather than copied (where both name an
  // attribute they must agree, and the material's copy is kept).
  std::vector<AttributeSet::Entry> made = material.take_all();
  std::vector<AttributeSet::Entry> given;
  given.reserve(tmpl.size() + made.size());
  auto m = made.begin();
  for (const auto& [t, a] : tmpl) {
    if (t == CKA_CLASS || t == CKA_KEY_TYPE) continue;
    CRATON_TRY(check_supplied(*schema, a, how.who));
    for (; m != made.end() && m->first < t; ++m) given.push_back(std::move(*m));
    if (m != made.end() && m->first == t) {
      if (!same_value(m->second, a)) return fail(CKR_TEMPLATE_INCONSISTENT, "template contradicts the produced key");
      given.push_back(std::move(*m++));
      continue;
    }
    given.emplace_back(t, a.clone());
  }
  for (; m != made.end(); ++m) given.push_back(std::move(*m));
  CRATON_ASSIGN_OR_RETURN(AttributeSet obj, complete_from_schema(*schema, std::move(given)));
  set_origin_flags(obj, how.origin, how.origin == Origin::kGenerated || (how.origin == Origin::kDerived && how.base_always_sensitive),
                   how.origin == Origin::kGenerated || (how.origin == Origin::kDerived && how.base_never_extractable));
  if (how.origin == Origin::kGenerated && obj.contains(CKA_KEY_GEN_MECHANISM)) {
    obj.set_ulong(CKA_KEY_GEN_MECHANISM, how.mechanism);
  }
  CRATON_TRY(complete_key_material(obj, how.origin));
  if (is_key(obj)) set_key_validation(obj, how.approved && key_parameters_approved(obj));
  return obj;
}

}  // namespace

Result<AttributeSet> build_produced(const AttributeSet& tmpl, AttributeSet material, const Production& how) {
  // A template may repeat the key's value (it must then equal the material's): such a template
  // is never kept, since the prototype holds no key bytes.
  if (!is_secret_material(material) || tmpl.contains(CKA_VALUE)) {
    return build_produced_fresh(tmpl, std::move(material), how);
  }
  SecretKeyPrototype& proto = secret_key_prototype();
  if (proto.matches(tmpl, material, how)) {
    std::vector<AttributeSet::Entry> entries = material.take_all();
    const auto value = std::find_if(entries.begin(), entries.end(), [](const AttributeSet::Entry& e) {
      return e.first == CKA_VALUE;
    });  // present: matches() looked at it
    return proto.make(std::move(value->second));
  }
  AttributeSet meta;
  std::size_t value_size = 0;
  for (const auto& [type, a] : material) {
    if (type == CKA_VALUE) {
      value_size = a.value.size();
    } else {
      meta.set(a.clone());
    }
  }
  CRATON_ASSIGN_OR_RETURN(AttributeSet obj, build_produced_fresh(tmpl, std::move(material), how));
  proto.valid = false;  // rebuilt below; a clone that throws leaves no half-made prototype behind
  AttributeSet shared = obj.clone();
  shared.erase(CKA_VALUE);  // the key's own
  // Empty in a built key (token-set: no template may give it); filled in by the token, per key.
  proto.uid_slot = shared.contains(CKA_UNIQUE_ID);
  shared.erase(CKA_UNIQUE_ID);
  proto.object = std::move(shared).share();
  proto.tmpl = tmpl.clone();
  proto.plain_key_type.reset();
  if (meta.size() == 3 && meta.get_ulong(CKA_CLASS) == std::optional<CK_ULONG>(CKO_SECRET_KEY) &&
      meta.get_ulong(CKA_VALUE_LEN) == std::optional<CK_ULONG>(value_size)) {
    proto.plain_key_type = meta.get_ulong(CKA_KEY_TYPE);
  }
  proto.meta = std::move(meta);
  proto.value_size = value_size;
  proto.how = how;
  proto.valid = true;
  return obj;
}

AttributeSet secret_key_material(CK_KEY_TYPE kt, std::span<const std::uint8_t> value) {
  AttributeSet m;
  m.reserve(4);
  m.set(Attribute::make_ulong(CKA_CLASS, CKO_SECRET_KEY));
  m.set(Attribute::make_bytes(CKA_VALUE, value));
  m.set(Attribute::make_ulong(CKA_KEY_TYPE, kt));
  m.set(Attribute::make_ulong(CKA_VALUE_LEN, value.size()));
  return m;
}

Result<AttributeSet> build_produced_secret(const AttributeSet& tmpl, CK_KEY_TYPE kt, std::span<const std::uint8_t> value,
                                           const Production& how) {
  const SecretKeyPrototype& proto = secret_key_prototype();
  if (proto.matches_secret(tmpl, kt, value.size(), how)) return proto.make(Attribute::make_bytes(CKA_VALUE, value));
  return build_produced(tmpl, secret_key_material(kt, value), how);
}

Result<AttributeSet> apply_changes(const AttributeSet& current, const AttributeSet& changes, Actor who) {
  if (!current.get_bool_or(CKA_MODIFIABLE, true)) return fail(CKR_ACTION_PROHIBITED, "object is not modifiable");
  const Schema* schema = schema_of(current);
  if (schema == nullptr) return fail(CKR_GENERAL_ERROR, "object without schema");
  AttributeSet next = current.clone();
  for (const auto& [t, a] : changes) {
    CRATON_TRY(check_supplied(*schema, a, who));
    const AttrSpec& spec = *schema->find(t);
    if (spec.has(kFixed)) return fail(CKR_ATTRIBUTE_READ_ONLY, "attribute cannot be changed after creation");
    CRATON_TRY(check_direction(spec, current, a));
    next.set(a.clone());
  }
  return next;
}

Result<AttributeSet> build_copy(const AttributeSet& source, const AttributeSet& tmpl, Actor who) {
  if (!source.get_bool_or(CKA_COPYABLE, true)) return fail(CKR_ACTION_PROHIBITED, "object is not copyable");
  const Schema* schema = schema_of(source);
  if (schema == nullptr) return fail(CKR_GENERAL_ERROR, "object without schema");
  AttributeSet next = source.clone();
  next.erase(CKA_UNIQUE_ID);
  for (const auto& [t, a] : tmpl) {
    CRATON_TRY(check_supplied(*schema, a, who));
    const AttrSpec& spec = *schema->find(t);
    const Attribute* old = source.find(t);
    const bool unchanged = old != nullptr && same_value(*old, a);
    if (spec.has(kFixed) && !spec.has(kCopyChangeable) && !unchanged) {
      return fail(CKR_ATTRIBUTE_READ_ONLY, "attribute cannot be changed by a copy");
    }
    if (t == CKA_MODIFIABLE || t == CKA_TOKEN || t == CKA_PRIVATE) {
      // Allowed freely in a copy (spec: C_CopyObject).
    } else if (!source.get_bool_or(CKA_MODIFIABLE, true) && !unchanged) {
      return fail(CKR_ATTRIBUTE_READ_ONLY, "source object is not modifiable");
    }
    CRATON_TRY(check_direction(spec, source, a));
    next.set(a.clone());
  }
  return next;
}

bool matches(const AttributeSet& obj, const AttributeSet& tmpl) {
  for (const auto& [t, want] : tmpl) {
    const Attribute* have = obj.find(t);
    if (have == nullptr) return false;
    if (readability(obj, t) != Readability::kReadable) return false;
    if (!same_value(*have, want)) return false;
  }
  return true;
}

Readability readability(const AttributeSet& obj, CK_ATTRIBUTE_TYPE t, bool sealed) {
  const Schema* schema = schema_of(obj);
  const AttrSpec* spec = schema == nullptr ? nullptr : schema->find(t);
  if (spec == nullptr) return Readability::kInvalid;
  // Key material of a public object stays sealed until a user logs in: it exists but cannot be
  // revealed now, which is what CKR_ATTRIBUTE_SENSITIVE says.
  if (!obj.contains(t)) return sealed && spec->has(kSecret) ? Readability::kSensitive : Readability::kInvalid;
  if (spec->has(kSensitive) &&
      (obj.get_bool_or(CKA_SENSITIVE, false) || !obj.get_bool_or(CKA_EXTRACTABLE, true))) {
    return Readability::kSensitive;
  }
  return Readability::kReadable;
}

const Schema* schema_of(const AttributeSet& obj) {
  const auto cls = obj.get_ulong(CKA_CLASS);
  if (!cls) return nullptr;
  std::optional<CK_ULONG> sub;
  if (const auto sa = subtype_attribute(*cls)) sub = obj.get_ulong(*sa);
  auto r = schema_for(*cls, sub);
  return r.ok() ? *r : nullptr;
}

CK_ULONG approximate_size(const AttributeSet& obj) {
  CK_ULONG total = 0;
  for (const auto& [t, a] : obj) {
    total += sizeof(CK_ATTRIBUTE) + a.value.size();
    for (const auto& n : a.nested) total += sizeof(CK_ATTRIBUTE) + n.value.size();
  }
  return total;
}

}  // namespace craton::object
