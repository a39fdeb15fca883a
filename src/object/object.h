// Object-level rules: building a new object from a caller template, applying C_SetAttributeValue
// and C_CopyObject changes, template matching and attribute read permission.
// Pure functions over AttributeSets; no locking, no storage.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "common/result.h"
#include "object/attribute.h"
#include "object/attribute_rules.h"

namespace craton::object {

// How the object came to be; decides CKA_LOCAL, CKA_ALWAYS_SENSITIVE, ... (spec §4.x).
enum class Origin { kCreated, kCopied, kGenerated, kUnwrapped, kDerived };

// Who acts: only the SO may set CKA_TRUSTED.
struct Actor {
  bool is_so = false;
  bool operator==(const Actor&) const = default;
};

// Turns the attributes of a caller template into a set (the entries' keys need not be set: each
// takes its attribute's canonical type). A type given twice with different values is
// CKR_TEMPLATE_INCONSISTENT; the same value twice is accepted.
Result<AttributeSet> template_from(std::vector<AttributeSet::Entry> entries);

// Validates a C_CreateObject template and completes it with defaults and computed attributes.
// The returned set has no CKA_UNIQUE_ID; the token assigns one.
Result<AttributeSet> build_created(const AttributeSet& tmpl, Actor who);

// How a key made by a mechanism (generate, derive, unwrap, decapsulate) came to be.
struct Production {
  Origin origin = Origin::kGenerated;
  CK_MECHANISM_TYPE mechanism = 0;  // recorded as CKA_KEY_GEN_MECHANISM for generated keys
  Actor who;
  // Derived keys inherit the history of their base key (spec: CKA_ALWAYS_SENSITIVE and
  // CKA_NEVER_EXTRACTABLE of a derived key are FALSE unless they were TRUE for the base).
  bool base_always_sensitive = false;
  bool base_never_extractable = false;
  // The service indicator of the operation that made the key (FIPS 140-3, docs/FIPS.md): with
  // approved key parameters it sets CKA_OBJECT_VALIDATION_FLAGS (object/key_approval.h).
  bool approved = false;
  bool operator==(const Production&) const = default;
};

// Builds a key made by a mechanism: `material` (CKA_CLASS, CKA_KEY_TYPE and the value attributes
// the mechanism produced) completed by the caller's template. A template attribute that the
// material also sets must agree with it (CKR_TEMPLATE_INCONSISTENT); token-set attributes are
// CKR_ATTRIBUTE_READ_ONLY as in C_CreateObject.
//
// A secret key's attributes other than CKA_VALUE depend only on the template, the rest of the
// material (CKA_CLASS, CKA_KEY_TYPE, CKA_VALUE_LEN), the value's length and `how`, never on the
// key bytes. So each thread keeps the last secret key it built, without its CKA_VALUE, as entries
// shared between sets (AttributeSet::share()), and answers the next request with the same inputs
// by a set over them that holds just the new value: an application that makes its session keys
// from one template (C_EncapsulateKey, C_DeriveKey, C_GenerateKey) skips the merge with the
// schema and the checks, and its keys hold their 30-odd common attributes once. Failed builds,
// and templates that name CKA_VALUE, are not kept. The results are the same either way (tests:
// BuildProduced.Prototype*).
Result<AttributeSet> build_produced(const AttributeSet& tmpl, AttributeSet material, const Production& how);

// The material of a secret key of type `kt` with `value`: CKA_CLASS, CKA_KEY_TYPE, CKA_VALUE and
// CKA_VALUE_LEN (the value's length).
AttributeSet secret_key_material(CK_KEY_TYPE kt, std::span<const std::uint8_t> value);

// build_produced(tmpl, secret_key_material(kt, value), how), without building the material when
// the thread's prototype answers the request (C_EncapsulateKey and C_DecapsulateKey, per call).
Result<AttributeSet> build_produced_secret(const AttributeSet& tmpl, CK_KEY_TYPE kt, std::span<const std::uint8_t> value,
                                           const Production& how);

// Applies C_SetAttributeValue changes to a copy of `current`.
Result<AttributeSet> apply_changes(const AttributeSet& current, const AttributeSet& changes, Actor who);

// Builds the attributes of a C_CopyObject copy.
Result<AttributeSet> build_copy(const AttributeSet& source, const AttributeSet& tmpl, Actor who);

// Template matching for C_FindObjects: every template attribute present with the same value.
// Attributes the caller could not read (sensitive) never match.
bool matches(const AttributeSet& obj, const AttributeSet& tmpl);

enum class Readability { kReadable, kSensitive, kInvalid };
// Whether C_GetAttributeValue may reveal attribute `t` of `obj`. `sealed`: the object's key
// material is still sealed (no user logged in), so an absent secret attribute may well exist.
Readability readability(const AttributeSet& obj, CK_ATTRIBUTE_TYPE t, bool sealed = false);

// The schema of an existing object (its class and sub-type are known to be valid).
const Schema* schema_of(const AttributeSet& obj);

// Size C_GetObjectSize reports: the sum of the attribute images (an estimate the spec allows).
CK_ULONG approximate_size(const AttributeSet& obj);

}  // namespace craton::object
