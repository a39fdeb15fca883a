#include "pem_import.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/pem.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <fstream>
#include <string_view>

#include "crypto/ossl/scopers.h"
#include "pin_input.h"
#include "tool_error.h"

namespace craton::tool {
namespace {

using BioPtr = crypto::OsslPtr<BIO, BIO_free_all>;
using BnPtr = crypto::OsslPtr<BIGNUM, BN_clear_free>;

struct Curve {
  std::array<std::string_view, 3> names;  // OpenSSL group names and aliases
  Bytes oid_der;                          // DER of the curve OID
};

// OIDs: P-256 1.2.840.10045.3.1.7, P-384 1.3.132.0.34, P-521 1.3.132.0.35, secp256k1 1.3.132.0.10.
const Curve* find_curve(std::string_view group) {
  static const std::array<Curve, 4> kCurves{{
      {{"prime256v1", "P-256", "secp256r1"}, {0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07}},
      {{"secp384r1", "P-384", "secp384r1"}, {0x06, 0x05, 0x2B, 0x81, 0x04, 0x00, 0x22}},
      {{"secp521r1", "P-521", "secp521r1"}, {0x06, 0x05, 0x2B, 0x81, 0x04, 0x00, 0x23}},
      {{"secp256k1", "secp256k1", "secp256k1"}, {0x06, 0x05, 0x2B, 0x81, 0x04, 0x00, 0x0A}},
  }};
  for (const auto& c : kCurves) {
    if (std::find(c.names.begin(), c.names.end(), group) != c.names.end()) return &c;
  }
  return nullptr;
}

// Supplies the passphrase to OpenSSL; with none, decryption fails instead of OpenSSL prompting.
int passphrase_cb(char* buf, int size, int /*rwflag*/, void* user) {
  const auto* pass = static_cast<const SecureBytes*>(user);
  if (pass == nullptr || size < 0 || pass->size() > static_cast<std::size_t>(size)) return -1;
  std::memcpy(buf, pass->data(), pass->size());
  return static_cast<int>(pass->size());
}

std::string openssl_reason() {
  const unsigned long e = ERR_peek_last_error();
  const char* why = e != 0 ? ERR_reason_error_string(e) : nullptr;
  ERR_clear_error();
  return why != nullptr ? why : "no key found";
}

BnPtr get_bn(const EVP_PKEY* pkey, const char* param, const std::string& path) {
  BIGNUM* raw = nullptr;
  if (EVP_PKEY_get_bn_param(pkey, param, &raw) != 1 || raw == nullptr) {
    ERR_clear_error();
    throw ToolError("The key in " + path + " lacks the component " + param);
  }
  return BnPtr(raw);
}

SecureBytes secret_bn(const EVP_PKEY* pkey, const char* param, const std::string& path, int pad_to = 0) {
  BnPtr bn = get_bn(pkey, param, path);
  const int len = std::max(pad_to, BN_num_bytes(bn.get()));
  SecureBytes out(static_cast<std::size_t>(len));
  if (BN_bn2binpad(bn.get(), out.data(), len) != len) throw ToolError("Could not encode a key component");
  return out;
}

Bytes public_bn(const EVP_PKEY* pkey, const char* param, const std::string& path, int pad_to = 0) {
  const SecureBytes b = secret_bn(pkey, param, path, pad_to);
  return {b.data(), b.data() + b.size()};
}

RsaKey rsa_from(const EVP_PKEY* pkey, const std::string& path) {
  RsaKey k;
  k.modulus = public_bn(pkey, OSSL_PKEY_PARAM_RSA_N, path);
  k.public_exponent = public_bn(pkey, OSSL_PKEY_PARAM_RSA_E, path);
  k.private_exponent = secret_bn(pkey, OSSL_PKEY_PARAM_RSA_D, path);
  k.prime1 = secret_bn(pkey, OSSL_PKEY_PARAM_RSA_FACTOR1, path);
  k.prime2 = secret_bn(pkey, OSSL_PKEY_PARAM_RSA_FACTOR2, path);
  k.exponent1 = secret_bn(pkey, OSSL_PKEY_PARAM_RSA_EXPONENT1, path);
  k.exponent2 = secret_bn(pkey, OSSL_PKEY_PARAM_RSA_EXPONENT2, path);
  k.coefficient = secret_bn(pkey, OSSL_PKEY_PARAM_RSA_COEFFICIENT1, path);
  return k;
}

EcKey ec_from(const EVP_PKEY* pkey, const std::string& path) {
  std::array<char, 80> group{};
  std::size_t group_len = 0;
  if (EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME, group.data(), group.size(), &group_len) != 1) {
    ERR_clear_error();
    throw ToolError("The EC key in " + path + " does not use a named curve");
  }
  const std::string_view name(group.data(), group_len);
  const Curve* curve = find_curve(name);
  if (curve == nullptr) throw ToolError("The EC curve " + std::string(name) + " is not supported");

  const int field_bytes = (EVP_PKEY_get_bits(pkey) + 7) / 8;
  EcKey k;
  k.params = curve->oid_der;
  k.value = secret_bn(pkey, OSSL_PKEY_PARAM_PRIV_KEY, path, field_bytes);
  // Built from the affine coordinates, so the point is uncompressed whatever the file's format.
  Bytes point{0x04};
  const Bytes x = public_bn(pkey, OSSL_PKEY_PARAM_EC_PUB_X, path, field_bytes);
  const Bytes y = public_bn(pkey, OSSL_PKEY_PARAM_EC_PUB_Y, path, field_bytes);
  point.insert(point.end(), x.begin(), x.end());
  point.insert(point.end(), y.begin(), y.end());
  k.point = der_octet_string(point);
  return k;
}

// Looks only at PEM boundary and header lines; every line read is wiped (the body may be key data).
bool looks_encrypted(const std::string& path) {
  std::ifstream in(path);
  bool encrypted = false;
  for (std::string line; !encrypted && std::getline(in, line);) {
    const bool header = line.rfind("-----BEGIN", 0) == 0 || line.rfind("Proc-Type:", 0) == 0;
    encrypted = header && line.find("ENCRYPTED") != std::string::npos;
    wipe(line);
  }
  return encrypted;
}

}  // namespace

Bytes der_octet_string(const Bytes& content) {
  Bytes out{0x04};
  const std::size_t n = content.size();
  if (n < 0x80) {
    out.push_back(static_cast<std::uint8_t>(n));
  } else {
    Bytes len;
    for (std::size_t v = n; v != 0; v >>= 8) len.insert(len.begin(), static_cast<std::uint8_t>(v & 0xFF));
    out.push_back(static_cast<std::uint8_t>(0x80 | len.size()));
    out.insert(out.end(), len.begin(), len.end());
  }
  out.insert(out.end(), content.begin(), content.end());
  return out;
}

PrivateKeyMaterial read_private_key_pem(const std::string& path, const std::optional<SecureBytes>& passphrase) {
  BioPtr bio(BIO_new_file(path.c_str(), "r"));
  if (!bio) {
    ERR_clear_error();
    throw ToolError("Could not open the key file " + path);
  }
  const SecureBytes* pass = passphrase ? &*passphrase : nullptr;
  // OpenSSL's callback takes a non-const user pointer; it only reads the passphrase.
  crypto::PkeyPtr pkey(PEM_read_bio_PrivateKey_ex(bio.get(), nullptr, passphrase_cb, const_cast<SecureBytes*>(pass),
                                                  nullptr, nullptr));
  if (!pkey) {
    const std::string why = openssl_reason();
    if (looks_encrypted(path)) {
      throw ToolError(passphrase ? "Could not decrypt the key file " + path + " (wrong --file-pin?)"
                                 : "The key file " + path + " is encrypted: give its passphrase with --file-pin");
    }
    throw ToolError("Could not read a private key from " + path + ": not a PEM private key, or a damaged one (" +
                    why + ")");
  }
  PrivateKeyMaterial m;
  switch (EVP_PKEY_get_base_id(pkey.get())) {
    case EVP_PKEY_RSA:
      m.key_type = CKK_RSA;
      m.rsa = rsa_from(pkey.get(), path);
      break;
    case EVP_PKEY_EC:
      m.key_type = CKK_EC;
      m.ec = ec_from(pkey.get(), path);
      break;
    default:
      throw ToolError("The key in " + path + " is of a type this tool cannot import (only RSA and EC)");
  }
  return m;
}

}  // namespace craton::tool
