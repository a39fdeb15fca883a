// The per-class attribute tables (data only). See attribute_rules.h for the meaning of the flags.
#pragma once

#include <optional>

#include "object/attribute_rules.h"

namespace craton::object::schemas {

// Schema for (class, subtype), or null when the module does not support that pair.
const Schema* lookup(CK_OBJECT_CLASS cls, std::optional<CK_ULONG> subtype);
bool class_supported(CK_OBJECT_CLASS cls);
// Any spec for an attribute type, from whichever table lists it (for kind lookups).
const AttrSpec* any_spec(CK_ATTRIBUTE_TYPE t);
// Key types the object layer accepts for a key class.
std::vector<CK_KEY_TYPE> key_types(CK_OBJECT_CLASS cls);

}  // namespace craton::object::schemas
