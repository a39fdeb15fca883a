// The spec's attribute rules, as data.
//
// Every attribute an object may carry is described by an AttrSpec: its value kind (for length
// checks), the footnote-style policy flags of the PKCS#11 attribute tables and its default. A
// Schema collects the specs that apply to one (object class, key/certificate type) pair. Adding a
// key type means adding one table in key_types.cpp; nothing else reads the spec tables.
// Thread safety: all tables are immutable after static initialisation.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "common/result.h"
#include "object/attribute.h"

namespace craton::object {

enum class AttrKind : std::uint8_t {
  kBool,       // CK_BBOOL
  kUlong,      // CK_ULONG (and CK_ULONG-typed enums: class, key type, mechanism, ...)
  kBytes,      // byte array, any length
  kUtf8,       // UTF-8 string, any length
  kDate,       // CK_DATE: 0 or 8 bytes
  kAttrArray,  // CK_ATTRIBUTE array (CKA_WRAP_TEMPLATE, ...)
  kMechArray,  // CK_MECHANISM_TYPE array (CKA_ALLOWED_MECHANISMS)
  kVersion,    // CK_VERSION (2 bytes)
};

// Policy flags, named after the spec's attribute-table footnotes.
enum AttrFlag : std::uint32_t {
  kRequired = 1u << 0,         // must be supplied to C_CreateObject (CKR_TEMPLATE_INCOMPLETE)
  kFixed = 1u << 1,            // settable at create/copy only, never by C_SetAttributeValue
  kTokenSet = 1u << 2,         // only the token sets it: any template mention is CKR_ATTRIBUTE_READ_ONLY
  kSensitive = 1u << 3,        // never revealed while CKA_SENSITIVE or !CKA_EXTRACTABLE
  kOnlyToTrue = 1u << 4,       // may change FALSE -> TRUE only (CKA_SENSITIVE, CKA_WRAP_WITH_TRUSTED)
  kOnlyToFalse = 1u << 5,      // may change TRUE -> FALSE only (CKA_EXTRACTABLE, CKA_COPYABLE)
  kSoOnly = 1u << 6,           // only the SO may set it to TRUE (CKA_TRUSTED)
  kSecret = 1u << 7,           // key material: sealed at rest whatever CKA_PRIVATE says
  kCopyChangeable = 1u << 8,   // may appear in a C_CopyObject template although kFixed
  kNotOnCreate = 1u << 9,      // computed at C_CreateObject; may be given only if consistent
};

enum class Default : std::uint8_t { kNone, kFalse, kTrue, kEmpty, kZero, kUnavailable };

struct AttrSpec {
  CK_ATTRIBUTE_TYPE type;
  AttrKind kind;
  std::uint32_t flags;
  Default dflt;
  bool has(AttrFlag f) const noexcept { return (flags & f) != 0; }
};

class Schema {
 public:
  explicit Schema(std::vector<AttrSpec> specs);
  const AttrSpec* find(CK_ATTRIBUTE_TYPE t) const;
  std::span<const AttrSpec> all() const noexcept { return specs_; }  // ascending type order
  // The default value of all()[i], built once; nullptr when the attribute has no default.
  const Attribute* default_at(std::size_t i) const noexcept {
    return has_default_[i] ? &defaults_[i] : nullptr;
  }

 private:
  std::vector<AttrSpec> specs_;  // sorted by type, unique
  std::vector<Attribute> defaults_;  // parallel to specs_
  std::vector<bool> has_default_;
};

// Kind of any attribute the module knows (for decoding caller templates before the class is known,
// e.g. in C_FindObjectsInit). nullopt for unknown types.
std::optional<AttrKind> kind_of(CK_ATTRIBUTE_TYPE t);

// The schema for a class and its sub-type (CKA_KEY_TYPE, CKA_CERTIFICATE_TYPE, ...).
// CKR_TEMPLATE_INCONSISTENT / CKR_ATTRIBUTE_VALUE_INVALID when the pair is not supported.
Result<const Schema*> schema_for(CK_OBJECT_CLASS cls, std::optional<CK_ULONG> subtype);

// The attribute that selects the sub-type of a class (CKA_KEY_TYPE for keys, ...), if any.
std::optional<CK_ATTRIBUTE_TYPE> subtype_attribute(CK_OBJECT_CLASS cls);

// Checks that a value has a legal length/shape for its kind (CKR_ATTRIBUTE_VALUE_INVALID).
Status check_value_shape(const Attribute& a, AttrKind kind);

// Builds the default value for a spec, if it has one.
std::optional<Attribute> default_value(const AttrSpec& spec);

// True when the attribute must be sealed at rest for this object.
bool is_secret_attribute(const AttributeSet& obj, CK_ATTRIBUTE_TYPE t);

}  // namespace craton::object
