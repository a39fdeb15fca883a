#include "abi/produced_key.h"

#include <span>

#include "abi/marshal.h"
#include "mech/approval.h"
#include "object/key_approval.h"

namespace craton::abi {
namespace {

// Implied value length of a key type whose keys have one size.
std::optional<std::size_t> fixed_length(CK_KEY_TYPE kt) {
  if (kt == CKK_CHACHA20) return 32;
  return std::nullopt;
}

struct KeyRequest {
  CK_OBJECT_CLASS cls = CKO_SECRET_KEY;
  CK_KEY_TYPE kt = CKK_GENERIC_SECRET;
  std::optional<std::size_t> len;
};

Result<KeyRequest> request_of(const object::AttributeSet& tmpl, CK_OBJECT_CLASS default_class = CKO_SECRET_KEY) {
  using object::AttributeSet;
  const auto [cls, kt, len] = tmpl.find_each<CKA_CLASS, CKA_KEY_TYPE, CKA_VALUE_LEN>();
  KeyRequest r;
  r.cls = AttributeSet::ulong_of(cls).value_or(default_class);
  r.kt = AttributeSet::ulong_of(kt).value_or(CKK_GENERIC_SECRET);
  if (len != nullptr) {
    const auto v = AttributeSet::ulong_of(len);
    if (!v) return fail(CKR_ATTRIBUTE_VALUE_INVALID, "CKA_VALUE_LEN has the wrong size");
    r.len = *v;
  } else {
    r.len = fixed_length(r.kt);
  }
  return r;
}

// A data object (CKM_HKDF_DATA) has no CKA_VALUE_LEN: it only sized the output.
object::AttributeSet object_template(const object::AttributeSet& tmpl, CK_OBJECT_CLASS cls) {
  object::AttributeSet t = tmpl.clone();
  if (cls == CKO_DATA) t.erase(CKA_VALUE_LEN);
  return t;
}

// Spec (CKM_CONCATENATE_*, CKM_XOR_BASE_AND_DATA): the result is sensitive if a source is, and
// unextractable if a source is.
Status inherit_protection(object::AttributeSet& tmpl, const std::vector<const object::AttributeSet*>& sources) {
  bool sensitive = false, unextractable = false;
  for (const auto* s : sources) {
    sensitive = sensitive || s->get_bool_or(CKA_SENSITIVE, false);
    unextractable = unextractable || !s->get_bool_or(CKA_EXTRACTABLE, true);
  }
  if (sensitive) {
    if (tmpl.get_bool(CKA_SENSITIVE) == std::optional<bool>(false)) return fail(CKR_TEMPLATE_INCONSISTENT, "a source key is sensitive");
    tmpl.set(object::Attribute::make_bool(CKA_SENSITIVE, true));
  }
  if (unextractable) {
    if (tmpl.get_bool(CKA_EXTRACTABLE) == std::optional<bool>(true)) return fail(CKR_TEMPLATE_INCONSISTENT, "a source key is unextractable");
    tmpl.set(object::Attribute::make_bool(CKA_EXTRACTABLE, false));
  }
  return {};
}

// A secret key's CKA_VALUE_LEN comes with its value (object::secret_key_material), so the object
// is laid down in one ordered pass instead of having it inserted afterwards
// (object::complete_key_material checks it).
object::AttributeSet secret_material(const KeyRequest& r, std::span<const std::uint8_t> value) {
  if (r.cls == CKO_SECRET_KEY) return object::secret_key_material(r.kt, value);
  object::AttributeSet m;
  m.reserve(4);
  m.set(object::Attribute::make_ulong(CKA_CLASS, r.cls));
  m.set(object::Attribute::make_bytes(CKA_VALUE, value));
  if (r.cls != CKO_DATA) m.set(object::Attribute::make_ulong(CKA_KEY_TYPE, r.kt));
  return m;
}

object::Production derived_from(const token::Session& s, std::span<const object::AttributeSet* const> sources,
                                CK_MECHANISM_TYPE mechanism) {
  object::Production how = generated(s, mechanism);
  how.origin = object::Origin::kDerived;
  how.base_always_sensitive = true;
  how.base_never_extractable = true;
  for (const auto* k : sources) {
    how.base_always_sensitive = how.base_always_sensitive && k->get_bool_or(CKA_ALWAYS_SENSITIVE, false);
    how.base_never_extractable = how.base_never_extractable && k->get_bool_or(CKA_NEVER_EXTRACTABLE, false);
    how.approved = how.approved && object::key_parameters_approved(*k);  // every input key counts
  }
  return how;
}

}  // namespace

object::Production generated(const token::Session& s, CK_MECHANISM_TYPE mechanism) {
  object::Production how;
  how.origin = object::Origin::kGenerated;
  how.mechanism = mechanism;
  how.who.is_so = s.token()->login_state() == token::LoginState::kSo;
  how.approved = mech::mechanism_approvable(mechanism);
  return how;
}

bool indicator_of(const object::AttributeSet& key) {
  return (key.get_ulong(CKA_OBJECT_VALIDATION_FLAGS).value_or(0) & object::kFipsValidationFlag) != 0;
}

Status admit_produced(const token::Session& s, const object::AttributeSet& key) {
  if (!s.token()->policy().approved_only || indicator_of(key)) return {};
  CRATON_TRY(mech::require_approved_key(key));
  return fail(CKR_OPERATION_NOT_VALIDATED, "approved-only mode: the key was not made by an approved service");
}

Result<object::AttributeSet> merge_key_template(object::AttributeSet tmpl, const object::AttributeSet& key,
                                                CK_ATTRIBUTE_TYPE which) {
  object::AttributeSet out = std::move(tmpl);
  const object::Attribute* forced = key.find(which);
  if (forced == nullptr) return out;
  for (const auto& a : forced->nested) {
    if (const object::Attribute* given = out.find(a.type)) {
      if (!object::same_value(*given, a)) return fail(CKR_TEMPLATE_INCONSISTENT, "template contradicts the key's template attribute");
      continue;
    }
    out.set(a.clone());
  }
  return out;
}

namespace {

// Admits and stores a built key (store_produced, store_shared_secret).
Result<token::NewObject> store_built(token::Session& s, object::AttributeSet obj) {
  CRATON_TRY(admit_produced(s, obj));
  const bool approved = indicator_of(obj);
  CRATON_ASSIGN_OR_RETURN(token::NewObject made, s.token()->insert_object(s.caller(), std::move(obj)));
  record_validation(s, approved);
  return made;
}

}  // namespace

Result<token::NewObject> store_produced(token::Session& s, const object::AttributeSet& tmpl,
                                        object::AttributeSet material, const object::Production& how) {
  CRATON_ASSIGN_OR_RETURN(object::AttributeSet obj, object::build_produced(tmpl, std::move(material), how));
  return store_built(s, std::move(obj));
}

CK_RV derive_and_store(token::Session& s, const Prepared& prepared, const mech::KeyRef& base,
                       const object::AttributeSet& tmpl, CK_MECHANISM_TYPE mechanism, CK_OBJECT_HANDLE_PTR ph_key) {
  auto merged = merge_key_template(tmpl.clone(), base.attrs(), CKA_DERIVE_TEMPLATE);
  if (!merged.ok()) return to_rv(merged, "C_DeriveKey");
  auto main = request_of(*merged);
  if (!main.ok()) return to_rv(main, "C_DeriveKey");
  mech::DeriveRequest req;
  req.object_class = main->cls;
  req.key_type = main->kt;
  req.value_len = main->len;
  req.lookup = key_lookup(s);
  std::vector<object::AttributeSet> extra_tmpls;
  if (const auto* sp = mech::param_as<mech::Sp800108Params>(prepared.decoded.params)) {
    for (const auto& t : sp->extra_templates) {
      auto m = merge_key_template(t.clone(), base.attrs(), CKA_DERIVE_TEMPLATE);
      if (!m.ok()) return to_rv(m, "C_DeriveKey");
      auto r = request_of(*m);
      if (!r.ok()) return to_rv(r, "C_DeriveKey");
      if (r->cls != CKO_SECRET_KEY) return CKR_TEMPLATE_INCONSISTENT;  // additional keys are keys
      req.extra_lens.push_back(r->len);
      extra_tmpls.push_back(std::move(*m));
    }
  }
  auto derived = prepared.reg->impl->derive(prepared.decoded.params, base, req);
  if (!derived.ok()) return to_rv(derived, "C_DeriveKey");
  if (derived->extra.size() != extra_tmpls.size()) return CKR_GENERAL_ERROR;
  KeyRequest main_req = *main;
  if (derived->object_class) {
    if (merged->contains(CKA_CLASS) && main_req.cls != *derived->object_class) return CKR_TEMPLATE_INCONSISTENT;
    main_req.cls = *derived->object_class;
  }
  std::vector<const object::AttributeSet*> sources{&base.attrs()};
  for (const auto& k : derived->other_sources) sources.push_back(&k.attrs());
  const object::Production how = derived_from(s, sources, mechanism);
  // Build everything first, so a template error stores nothing.
  bool all_approved = true;
  std::vector<object::AttributeSet> objects;
  std::vector<object::AttributeSet> tmpls;
  tmpls.push_back(object_template(*merged, main_req.cls));
  for (auto& t : extra_tmpls) tmpls.push_back(std::move(t));
  for (std::size_t i = 0; i < tmpls.size(); ++i) {
    if (derived->inherit_protection) {
      if (auto st = inherit_protection(tmpls[i], sources); !st.ok()) return to_rv(st, "C_DeriveKey");
    }
    KeyRequest r = main_req;
    if (i > 0) {
      auto ri = request_of(tmpls[i]);
      if (!ri.ok()) return to_rv(ri, "C_DeriveKey");
      r = *ri;
    }
    const SecureBytes& value = i == 0 ? derived->value : derived->extra[i - 1];
    auto o = object::build_produced(tmpls[i], secret_material(r, value.span()), how);
    if (!o.ok()) return to_rv(o, "C_DeriveKey");
    if (auto st = admit_produced(s, *o); !st.ok()) return to_rv(st, "C_DeriveKey");
    all_approved = all_approved && indicator_of(*o);
    objects.push_back(std::move(*o));
  }
  std::vector<CK_OBJECT_HANDLE> handles;
  for (auto& o : objects) {
    auto h = s.token()->insert_object(s.caller(), std::move(o));
    if (!h.ok()) {
      for (CK_OBJECT_HANDLE done : handles) (void)s.token()->destroy_object(s.caller(), done);
      return to_rv(h, "C_DeriveKey");
    }
    handles.push_back(h->handle);
  }
  record_validation(s, all_approved);
  *ph_key = handles[0];
  for (std::size_t i = 1; i < handles.size(); ++i) *prepared.decoded.extra_key_handles[i - 1] = handles[i];
  return CKR_OK;
}

Result<token::NewObject> store_shared_secret(token::Session& s, const object::AttributeSet& tmpl,
                                             const SecureBytes& secret, const mech::KeyRef* base,
                                             CK_MECHANISM_TYPE mechanism) {
  CRATON_ASSIGN_OR_RETURN(const KeyRequest r, request_of(tmpl));
  if (r.cls != CKO_SECRET_KEY) return fail(CKR_TEMPLATE_INCONSISTENT, "a shared secret becomes a secret key");
  std::span<const std::uint8_t> value = secret.span();
  if (r.len) {
    if (*r.len > value.size()) return fail(CKR_TEMPLATE_INCONSISTENT, "CKA_VALUE_LEN exceeds the shared secret");
    value = value.first(*r.len);
  }
  const object::AttributeSet* const base_attrs = base != nullptr ? &base->attrs() : nullptr;
  object::Production how = base != nullptr ? derived_from(s, {&base_attrs, 1}, mechanism) : generated(s, mechanism);
  how.origin = object::Origin::kDerived;
  CRATON_ASSIGN_OR_RETURN(object::AttributeSet obj, object::build_produced_secret(tmpl, r.kt, value, how));
  return store_built(s, std::move(obj));
}

}  // namespace craton::abi
