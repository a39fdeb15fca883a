// Errors of craton-hsm-util.
//
// The tool is its own process, so failures travel as one exception type up to main(), which prints
// "ERROR: <message>" on stderr and exits with status 1. Messages may contain labels, serials, slot
// numbers and CKR_ names — never PINs or key bytes.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

#include "common/ck_names.h"
#include "craton/pkcs11/pkcs11.h"

namespace craton::tool {

class ToolError : public std::runtime_error {
 public:
  explicit ToolError(const std::string& message) : std::runtime_error(message) {}
};

// "CKR_PIN_INCORRECT (0xa0)"
inline std::string describe_rv(CK_RV rv) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (CK_RV v = rv; v != 0; v >>= 4) hex.insert(hex.begin(), kHex[v & 0xF]);
  if (hex.empty()) hex = "0";
  return std::string(rv_name(rv)) + " (0x" + hex + ")";
}

// Throws ToolError("<what>: CKR_..." ) unless rv is CKR_OK.
inline void check_rv(CK_RV rv, std::string_view what) {
  if (rv != CKR_OK) throw ToolError(std::string(what) + ": " + describe_rv(rv));
}

}  // namespace craton::tool
