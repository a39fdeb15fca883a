#include "secret_import.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdint>
#include <span>

#include "tool_error.h"

namespace craton::tool {
namespace {

using Use = SecretKeyUse;

// Every secret key type the module can hold (src/object/schemas.cpp), by the name users type.
constexpr std::array<SecretKeyType, 16> kTypes{{
    {"aes", "AES", CKK_AES, Use::kCipher},
    {"chacha20", "ChaCha20", CKK_CHACHA20, Use::kCipher},
    {"generic", "generic secret", CKK_GENERIC_SECRET, Use::kGeneric},
    {"hkdf", "HKDF", CKK_HKDF, Use::kDerive},
    {"hmac-sha1", "HMAC-SHA1", CKK_SHA_1_HMAC, Use::kMac},
    {"hmac-sha224", "HMAC-SHA224", CKK_SHA224_HMAC, Use::kMac},
    {"hmac-sha256", "HMAC-SHA256", CKK_SHA256_HMAC, Use::kMac},
    {"hmac-sha384", "HMAC-SHA384", CKK_SHA384_HMAC, Use::kMac},
    {"hmac-sha512", "HMAC-SHA512", CKK_SHA512_HMAC, Use::kMac},
    {"hmac-sha512-224", "HMAC-SHA512/224", CKK_SHA512_224_HMAC, Use::kMac},
    {"hmac-sha512-256", "HMAC-SHA512/256", CKK_SHA512_256_HMAC, Use::kMac},
    {"hmac-sha3-224", "HMAC-SHA3-224", CKK_SHA3_224_HMAC, Use::kMac},
    {"hmac-sha3-256", "HMAC-SHA3-256", CKK_SHA3_256_HMAC, Use::kMac},
    {"hmac-sha3-384", "HMAC-SHA3-384", CKK_SHA3_384_HMAC, Use::kMac},
    {"hmac-sha3-512", "HMAC-SHA3-512", CKK_SHA3_512_HMAC, Use::kMac},
    {"generic-secret", "generic secret", CKK_GENERIC_SECRET, Use::kGeneric},  // alias, not listed
}};
constexpr std::size_t kListedTypes = kTypes.size() - 1;

// A secret key file is a few lines of hex; anything much larger is the wrong file.
constexpr std::size_t kMaxFileBytes = 64 * 1024;

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool is_space(std::uint8_t c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }

int nibble(std::uint8_t c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Closes the descriptor on every path out.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) (void)close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

// The whole file, read straight into wiped memory (no stdio or iostream buffer holds a copy).
SecureBytes read_file(const std::string& path) {
  const Fd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) throw ToolError("Could not open the key file " + path);
  SecureBytes buf(kMaxFileBytes + 1);
  std::size_t used = 0;
  while (used < buf.size()) {
    const ssize_t n = read(fd.get(), buf.data() + used, buf.size() - used);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw ToolError("Could not read the key file " + path);
    if (n == 0) break;
    used += static_cast<std::size_t>(n);
  }
  if (used > kMaxFileBytes) throw ToolError("The key file " + path + " is too large for a hexadecimal secret key");
  buf.resize(used);  // shrinking never reallocates
  return buf;
}

bool looks_like_pem(std::span<const std::uint8_t> text) {
  constexpr std::string_view kBegin = "-----BEGIN";
  return std::search(text.begin(), text.end(), kBegin.begin(), kBegin.end(),
                     [](std::uint8_t a, char b) { return a == static_cast<std::uint8_t>(b); }) != text.end();
}

// Counts the hex digits, or throws when the text holds anything but hex digits and whitespace.
std::size_t count_digits(std::span<const std::uint8_t> text, const std::string& path) {
  if (looks_like_pem(text)) {
    throw ToolError("The file " + path + " holds a PEM key, but --aes / --secret-type import a secret key written in "
                    "hexadecimal (leave them out to import a PEM private key)");
  }
  std::size_t digits = 0;
  for (const std::uint8_t c : text) {
    if (is_space(c)) continue;
    if (nibble(c) < 0) {
      throw ToolError("The key file " + path + " is not hexadecimal: it holds a character that is neither a hex digit "
                      "nor whitespace");
    }
    ++digits;
  }
  if (digits == 0) throw ToolError("The key file " + path + " holds no key");
  if (digits % 2 != 0) throw ToolError("The key file " + path + " has an odd number of hexadecimal digits");
  return digits;
}

SecureBytes decode_hex(std::span<const std::uint8_t> text, std::size_t digits) {
  SecureBytes key(digits / 2);
  const std::span<std::uint8_t> out = key.span();
  std::size_t i = 0;
  for (const std::uint8_t c : text) {
    if (is_space(c)) continue;
    const auto v = static_cast<std::uint8_t>(nibble(c));
    if (i % 2 == 0) {
      out[i / 2] = static_cast<std::uint8_t>(v << 4);
    } else {
      out[i / 2] |= v;
    }
    ++i;
  }
  return key;
}

void check_length(const SecretKeyType& type, std::size_t n, const std::string& path) {
  const std::string got = " (the file holds " + std::to_string(n) + " bytes)";
  if (type.key_type == CKK_AES && n != 16 && n != 24 && n != 32) {
    throw ToolError("An AES key is 16, 24 or 32 bytes (32, 48 or 64 hex digits); wrong length in " + path + got);
  }
  if (type.key_type == CKK_CHACHA20 && n != 32) {
    throw ToolError("A ChaCha20 key is 32 bytes (64 hex digits); wrong length in " + path + got);
  }
}

}  // namespace

const SecretKeyType& secret_key_type(std::string_view name) {
  for (const SecretKeyType& t : kTypes) {
    if (std::equal(name.begin(), name.end(), t.name.begin(), t.name.end(),
                   [](char a, char b) { return lower(a) == b; })) {
      return t;
    }
  }
  throw ToolError("Unknown --secret-type '" + std::string(name) + "'; use one of: " + secret_key_type_names());
}

std::string secret_key_type_names() {
  std::string out;
  for (std::size_t i = 0; i < kListedTypes; ++i) out.append(i == 0 ? "" : ", ").append(kTypes[i].name);
  return out;
}

SecureBytes read_secret_key_hex(const std::string& path, const SecretKeyType& type) {
  const SecureBytes text = read_file(path);
  SecureBytes key = decode_hex(text.span(), count_digits(text.span(), path));
  check_length(type, key.size(), path);
  return key;
}

}  // namespace craton::tool
