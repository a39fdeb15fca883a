// The list of mechanisms. Issue-by-issue, families are added here with one line each.
#include <algorithm>

#include "mech/registry.h"

namespace craton::mech {
namespace {

std::vector<MechanismEntry> build() {
  std::vector<MechanismEntry> all;
  // (mechanism families register here)
  std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.type < b.type; });
  return all;
}

}  // namespace

std::span<const MechanismEntry> all_mechanisms() {
  static const std::vector<MechanismEntry> list = build();
  return list;
}

std::optional<CK_MECHANISM_INFO> mechanism_info(CK_MECHANISM_TYPE type) {
  for (const auto& e : all_mechanisms()) {
    if (e.type == type) return e.info;
  }
  return std::nullopt;
}

}  // namespace craton::mech
