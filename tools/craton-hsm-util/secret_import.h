// Reading a secret key for --import with --aes / --secret-type.
//
// The file holds the key in hexadecimal, as softhsm2-util expects for --aes: hex digits of either
// case, with whitespace (blanks, tabs, line breaks) allowed anywhere between them. The file's
// content and the decoded key live only in self-wiping buffers; error messages never quote them.
#pragma once

#include <string>
#include <string_view>

#include "common/secure_bytes.h"
#include "craton/pkcs11/pkcs11.h"

namespace craton::tool {

// What a key of the type is for; decides the usage flags of the created object.
enum class SecretKeyUse {
  kCipher,   // encrypt, decrypt, wrap, unwrap (AES, ChaCha20)
  kMac,      // sign, verify (HMAC keys)
  kGeneric,  // derive, sign, verify (generic secrets)
  kDerive,   // derive only (HKDF keys)
};

struct SecretKeyType {
  std::string_view name;     // the --secret-type spelling, lower case: "aes", "hmac-sha256"
  std::string_view display;  // for messages: "AES", "HMAC-SHA256"
  CK_KEY_TYPE key_type;
  SecretKeyUse use;
};

// The type spelled `name` (case-insensitive). Throws ToolError listing the known names otherwise.
const SecretKeyType& secret_key_type(std::string_view name);

// "aes, chacha20, generic, ...": every accepted --secret-type, for help and error texts.
std::string secret_key_type_names();

// Reads the hexadecimal key from `path` and checks its length against the type (AES: 16, 24 or
// 32 bytes; ChaCha20: 32 bytes; others: not empty). Throws ToolError naming the file and the
// problem: unreadable, a PEM file, a non-hex character, an odd number of digits, a bad length.
SecureBytes read_secret_key_hex(const std::string& path, const SecretKeyType& type);

}  // namespace craton::tool
