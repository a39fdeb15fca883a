// PINs and passphrases: from the command line, or read from the terminal with echo off (like
// softhsm2-util), or — when stdin is not a terminal — one line from stdin (for scripts).
#pragma once

#include <optional>
#include <string>

#include "common/secure_bytes.h"

namespace craton::tool {

// Returns the PIN given on the command line (and wipes the string), or asks for it.
// `what` names it in prompts ("SO PIN", "user PIN"). On a terminal, `confirm` asks twice and fails
// if the two entries differ. Fails on an empty PIN.
SecureBytes obtain_pin(std::optional<std::string>& given, const char* what, bool confirm);

// Overwrites the characters of `s` and clears it.
void wipe(std::string& s) noexcept;

}  // namespace craton::tool
