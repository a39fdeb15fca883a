#include "object/key_facts.h"

#include <array>

#include "object/key_approval.h"

namespace craton::object {
namespace {

constexpr std::array<CK_ATTRIBUTE_TYPE, 11> kUsage = {
    CKA_ENCRYPT, CKA_DECRYPT, CKA_SIGN,   CKA_VERIFY,      CKA_SIGN_RECOVER, CKA_VERIFY_RECOVER,
    CKA_WRAP,    CKA_UNWRAP,  CKA_DERIVE, CKA_ENCAPSULATE, CKA_DECAPSULATE};

}  // namespace

std::optional<bool> KeyFacts::usage(CK_ATTRIBUTE_TYPE t) const noexcept {
  for (std::size_t i = 0; i < kUsage.size(); ++i) {
    if (kUsage[i] != t) continue;
    const auto bit = static_cast<std::uint16_t>(1U << i);
    if ((usage_present & bit) == 0) return std::nullopt;
    return (usage_true & bit) != 0;
  }
  return std::nullopt;
}

KeyFacts read_key_facts(const AttributeSet& attrs) {
  KeyFacts f;
  for (std::size_t i = 0; i < kUsage.size(); ++i) {
    const auto v = attrs.get_bool(kUsage[i]);
    if (!v) continue;
    const auto bit = static_cast<std::uint16_t>(1U << i);
    f.usage_present = static_cast<std::uint16_t>(f.usage_present | bit);
    if (*v) f.usage_true = static_cast<std::uint16_t>(f.usage_true | bit);
  }
  f.key_type = attrs.get_ulong(CKA_KEY_TYPE);
  const auto allowed = attrs.get_bytes(CKA_ALLOWED_MECHANISMS);
  f.restricts_mechanisms = allowed && !allowed->empty();
  f.always_authenticate = attrs.get_bool_or(CKA_ALWAYS_AUTHENTICATE, false);
  f.parameters_approved = key_parameters_approved(attrs);
  if (const auto uid = attrs.get_bytes(CKA_UNIQUE_ID)) f.unique_id = *uid;
  return f;
}

}  // namespace craton::object
