// Mechanism registry: the one list of mechanisms the module offers (all_mechanisms.cpp), each
// described by its CK_MECHANISM_INFO. Mechanism families add one file and one line there.
// Every operation a mechanism does not implement answers CKR_MECHANISM_INVALID.
// Thread safety: immutable after static initialisation.
#pragma once

#include <optional>
#include <span>
#include <vector>

#include "craton/pkcs11/pkcs11.h"

namespace craton::mech {

struct MechanismEntry {
  CK_MECHANISM_TYPE type;
  CK_MECHANISM_INFO info;
};

// Every mechanism compiled into the module, sorted by type.
std::span<const MechanismEntry> all_mechanisms();
std::optional<CK_MECHANISM_INFO> mechanism_info(CK_MECHANISM_TYPE type);

}  // namespace craton::mech
