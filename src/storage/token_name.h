// Token names become directory names, so they must be one harmless path component.
#pragma once

#include <string_view>

namespace craton::storage {

// True for 1..255 characters without '/', NUL or a leading '.' (which also excludes "." and ".."
// and keeps our own dot-files, like the backend lock, out of the token namespace).
inline bool is_valid_token_name(std::string_view name) noexcept {
  if (name.empty() || name.size() > 255 || name.front() == '.') return false;
  for (char c : name) {
    if (c == '/' || c == '\0') return false;
  }
  return true;
}

}  // namespace craton::storage
