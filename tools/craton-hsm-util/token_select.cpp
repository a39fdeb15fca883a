#include "token_select.h"

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "tool_error.h"

namespace craton::tool {
namespace {

bool initialized(const CK_TOKEN_INFO& info) { return (info.flags & CKF_TOKEN_INITIALIZED) != 0; }

bool token_present(const ModuleClient& module, CK_SLOT_ID slot) {
  return (module.slot_info(slot).flags & CKF_TOKEN_PRESENT) != 0;
}

CK_SLOT_ID find_by(const ModuleClient& module, const std::string& wanted, bool by_label) {
  std::vector<CK_SLOT_ID> hits;
  std::vector<std::string> serials;
  for (CK_SLOT_ID slot : module.slots()) {
    if (!token_present(module, slot)) continue;
    const CK_TOKEN_INFO info = module.token_info(slot);
    if (!initialized(info)) continue;
    const std::string value = by_label ? trim_field(info.label) : trim_field(info.serialNumber);
    if (value != wanted) continue;
    hits.push_back(slot);
    serials.push_back(trim_field(info.serialNumber));
  }
  const char* what = by_label ? "label" : "serial number";
  if (hits.empty()) throw ToolError(std::string("Could not find a token with the ") + what + " '" + wanted + "'");
  if (hits.size() > 1) {
    std::string list;
    for (const auto& s : serials) list += (list.empty() ? "" : ", ") + s;
    throw ToolError(std::string("Several tokens have the ") + what + " '" + wanted +
                    "' (serial numbers: " + list + "); select one with --serial or --slot");
  }
  std::printf("Found slot %lu with matching token %s.\n", static_cast<unsigned long>(hits.front()),
              by_label ? "label" : "serial");
  return hits.front();
}

}  // namespace

CK_SLOT_ID find_free_slot(const ModuleClient& module) {
  for (CK_SLOT_ID slot : module.slots()) {
    if (token_present(module, slot) && !initialized(module.token_info(slot))) return slot;
  }
  throw ToolError("The module has no free slot");
}

CK_SLOT_ID select_slot(const ModuleClient& module, const Options& opts, bool allow_free) {
  const int chosen = (opts.slot ? 1 : 0) + (opts.token_label ? 1 : 0) + (opts.serial ? 1 : 0) +
                     (allow_free && opts.free_slot ? 1 : 0);
  const char* choices = allow_free ? "--slot, --free, --token or --serial" : "--slot, --token or --serial";
  if (chosen == 0) throw ToolError(std::string("Select a slot with ") + choices);
  if (chosen > 1) throw ToolError(std::string("Use only one of ") + choices);
  if (allow_free && opts.free_slot) return find_free_slot(module);
  if (opts.token_label) return find_by(module, *opts.token_label, true);
  if (opts.serial) return find_by(module, *opts.serial, false);
  const auto all = module.slots();
  if (std::find(all.begin(), all.end(), *opts.slot) == all.end()) {
    throw ToolError("There is no slot " + std::to_string(*opts.slot) + ": " + describe_rv(CKR_SLOT_ID_INVALID));
  }
  return *opts.slot;
}

}  // namespace craton::tool
