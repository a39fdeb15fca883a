#include "pem_import.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>

#include <cstring>
#include <fstream>

#include "crypto/ossl/pkey.h"
#include "crypto/ossl/scopers.h"
#include "pin_input.h"
#include "tool_error.h"

namespace craton::tool {
namespace {

using BioPtr = crypto::OsslPtr<BIO, BIO_free_all>;

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

[[noreturn]] void conversion_failed(const Error& e, const std::string& path) {
  switch (e.rv) {
    case CKR_CURVE_NOT_SUPPORTED:
      throw ToolError("The EC curve of the key in " + path +
                      " is not supported (P-256, P-384, P-521 or secp256k1, as a named curve)");
    case CKR_KEY_TYPE_INCONSISTENT:
      throw ToolError("The key in " + path +
                      " is of a type this tool cannot import (only RSA, EC, Ed25519, Ed448, X25519 and X448)");
    default:
      throw ToolError("The key in " + path + " cannot be imported: " + e.reason + " (" + describe_rv(e.rv) + ")");
  }
}

crypto::PkeyPtr read_pkey(const std::string& path, const std::optional<SecureBytes>& passphrase) {
  BioPtr bio(BIO_new_file(path.c_str(), "r"));
  if (!bio) {
    ERR_clear_error();
    throw ToolError("Could not open the key file " + path);
  }
  const SecureBytes* pass = passphrase ? &*passphrase : nullptr;
  // OpenSSL's callback takes a non-const user pointer; it only reads the passphrase.
  crypto::PkeyPtr pkey(PEM_read_bio_PrivateKey_ex(bio.get(), nullptr, passphrase_cb, const_cast<SecureBytes*>(pass),
                                                  nullptr, nullptr));
  if (pkey) return pkey;
  const std::string why = openssl_reason();
  if (looks_encrypted(path)) {
    throw ToolError(passphrase ? "Could not decrypt the key file " + path + " (wrong --file-pin?)"
                               : "The key file " + path + " is encrypted: give its passphrase with --file-pin");
  }
  throw ToolError("Could not read a private key from " + path + ": not a PEM private key, or a damaged one (" + why +
                  ")");
}

}  // namespace

PrivateKeyMaterial read_private_key_pem(const std::string& path, const std::optional<SecureBytes>& passphrase) {
  const crypto::PkeyPtr pkey = read_pkey(path, passphrase);
  auto priv = crypto::private_key_attrs_from_pkey(pkey.get());
  if (!priv.ok()) conversion_failed(priv.error(), path);
  // The public values are recomputed from the private ones rather than trusted from the file, so
  // the two objects always form a pair (an EC file may carry a public point of its own).
  const auto rebuilt = crypto::private_pkey_from_attrs(*priv);
  if (!rebuilt.ok()) conversion_failed(rebuilt.error(), path);
  auto pub = crypto::public_key_attrs_from_pkey(rebuilt->get());
  if (!pub.ok()) conversion_failed(pub.error(), path);
  pub->erase(CKA_MODULUS_BITS);  // computed by the token; not allowed in a creation template

  PrivateKeyMaterial m;
  m.key_type = priv->get_ulong(CKA_KEY_TYPE).value_or(CKK_RSA);
  m.private_attrs = std::move(*priv);
  m.public_attrs = std::move(*pub);
  return m;
}

}  // namespace craton::tool
