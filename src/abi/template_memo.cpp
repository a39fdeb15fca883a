#include "abi/template_memo.h"

#include <cstring>

#include "object/attribute_rules.h"

namespace craton::abi {

bool TemplateMemo::eligible(const CK_ATTRIBUTE* p, CK_ULONG count) {
  if (p == nullptr || count == 0 || count > kMaxCount) return false;
  std::size_t bytes = 0;
  for (CK_ULONG i = 0; i < count; ++i) {
    const CK_ATTRIBUTE_TYPE t = object::canonical_type(p[i].type);
    const auto kind = object::kind_of(t);
    if (!kind) return false;
    switch (*kind) {
      case object::AttrKind::kBool:
      case object::AttrKind::kUlong:
      case object::AttrKind::kUtf8:
      case object::AttrKind::kDate:
      case object::AttrKind::kMechArray:
      case object::AttrKind::kVersion:
        break;
      case object::AttrKind::kBytes:
        if (t != CKA_ID && t != CKA_EC_PARAMS && t != CKA_SUBJECT) return false;
        break;
      case object::AttrKind::kAttrArray:
        return false;
    }
    if (p[i].ulValueLen > kMaxBytes - bytes) return false;
    bytes += p[i].ulValueLen;
  }
  return true;
}

bool TemplateMemo::same(const Kept& k, const CK_ATTRIBUTE* p, CK_ULONG count) {
  if (k.parsed == nullptr || k.types.size() != count) return false;
  std::size_t at = 0;
  for (CK_ULONG i = 0; i < count; ++i) {
    const CK_ULONG n = p[i].ulValueLen;
    if (p[i].type != k.types[i] || n != k.lens[i]) return false;
    if (n != 0 && (p[i].pValue == nullptr || std::memcmp(p[i].pValue, k.values.data() + at, n) != 0)) return false;
    at += n;
  }
  return true;
}

object::AttributeSet::Shared TemplateMemo::find(const CK_ATTRIBUTE* p, CK_ULONG count) {
  if (p == nullptr || count == 0 || count > kMaxCount) return nullptr;
  for (std::size_t i = 0; i < kEntries; ++i) {
    const std::size_t at = (last_ + i) % kEntries;
    if (same(kept_[at], p, count)) {
      last_ = at;
      return kept_[at].parsed;
    }
  }
  return nullptr;
}

void TemplateMemo::keep(const CK_ATTRIBUTE* p, CK_ULONG count, object::AttributeSet::Shared parsed) {
  last_ = next_;
  Kept& k = kept_[next_];
  next_ = (next_ + 1) % kEntries;
  k.types.clear();
  k.lens.clear();
  k.values.clear();
  for (CK_ULONG i = 0; i < count; ++i) {
    k.types.push_back(p[i].type);
    k.lens.push_back(p[i].ulValueLen);
    const auto* v = static_cast<const std::uint8_t*>(p[i].pValue);
    if (p[i].ulValueLen != 0) k.values.insert(k.values.end(), v, v + p[i].ulValueLen);
  }
  k.parsed = std::move(parsed);
}

TemplateMemo& this_thread_templates() {
  thread_local TemplateMemo memo;
  return memo;
}

}  // namespace craton::abi
