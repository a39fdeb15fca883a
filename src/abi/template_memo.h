// The last few templates a thread parsed (in_template, marshal.cpp), kept so that a caller who
// passes the same template again — a loop of C_EncapsulateKey, C_GenerateKey, C_FindObjectsInit
// with one template, the usual case — has it compared with what it parsed before, not parsed
// again (docs/adr/0014-template-memo.md).
//
// A kept template's entries are shared (AttributeSet::over): every set made from it holds the
// same entries, so the object layer sees that a template is the one its prototype was built from
// without comparing a value (object.cpp, identical_sets). Only templates of public values are
// kept (no byte string but an identifier or parameters; no CK_ATTRIBUTE array), and only small
// ones, so no secret a caller passed stays in a thread's memory after its call.
#pragma once

#include <array>
#include <cstddef>
#include <vector>

#include "craton/pkcs11/pkcs11.h"
#include "object/attribute.h"

namespace craton::abi {

class TemplateMemo {
 public:
  static constexpr std::size_t kEntries = 4;      // templates kept (replaced in turn)
  static constexpr std::size_t kMaxCount = 16;    // attributes in a kept template
  static constexpr std::size_t kMaxBytes = 256;   // value bytes in a kept template

  // Whether a template may be kept: count and size within the limits, and every attribute one
  // the module knows, of a kind that never holds a secret (CK_BBOOL, CK_ULONG, text, dates,
  // mechanism lists, versions, and the byte strings CKA_ID, CKA_EC_PARAMS, CKA_SUBJECT).
  static bool eligible(const CK_ATTRIBUTE* p, CK_ULONG count);

  // The entries parsed from a template equal to this one byte for byte (same types, lengths and
  // values, in the same order), or null.
  object::AttributeSet::Shared find(const CK_ATTRIBUTE* p, CK_ULONG count);

  // Keeps `parsed`, the entries of the template (p, count) (eligible()), in place of the entry
  // kept longest.
  void keep(const CK_ATTRIBUTE* p, CK_ULONG count, object::AttributeSet::Shared parsed);

 private:
  struct Kept {
    std::vector<CK_ATTRIBUTE_TYPE> types;
    std::vector<CK_ULONG> lens;
    std::vector<std::uint8_t> values;  // the values one after another
    object::AttributeSet::Shared parsed;
  };
  static bool same(const Kept& k, const CK_ATTRIBUTE* p, CK_ULONG count);

  std::array<Kept, kEntries> kept_;
  std::size_t next_ = 0;  // the entry replaced next
  std::size_t last_ = 0;  // the entry found or kept last, looked at first
};

// This thread's memo.
TemplateMemo& this_thread_templates();

}  // namespace craton::abi
