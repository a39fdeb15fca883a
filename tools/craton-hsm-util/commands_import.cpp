// --import: a PEM private key becomes a CKO_PRIVATE_KEY (and, unless --no-public-key, the matching
// CKO_PUBLIC_KEY) on the token; with --aes / --secret-type, a hexadecimal secret key becomes a
// CKO_SECRET_KEY. Objects are created with C_CreateObject after logging in as the user.
#include <cstdint>
#include <cstdio>
#include <deque>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "commands.h"
#include "module_client.h"
#include "pem_import.h"
#include "pin_input.h"
#include "secret_import.h"
#include "token_select.h"
#include "tool_error.h"

namespace craton::tool {
namespace {

using Bytes = std::vector<std::uint8_t>;

constexpr CK_BBOOL kTrue = CK_TRUE;
constexpr CK_BBOOL kFalse = CK_FALSE;

// A CK_ATTRIBUTE array pointing at values that outlive it (the key material, the label, the id);
// numbers are copied into stable storage of its own. Not copyable: it points into itself.
class Template {
 public:
  Template() = default;
  Template(const Template&) = delete;
  Template& operator=(const Template&) = delete;

  Template& flag(CK_ATTRIBUTE_TYPE t, bool v) { return add(t, v ? &kTrue : &kFalse, sizeof(CK_BBOOL)); }
  Template& ulong(CK_ATTRIBUTE_TYPE t, CK_ULONG v) { return add(t, &numbers_.emplace_back(v), sizeof(CK_ULONG)); }
  Template& bytes(CK_ATTRIBUTE_TYPE t, const Bytes& v) { return add(t, v.data(), v.size()); }
  Template& secret(CK_ATTRIBUTE_TYPE t, const SecureBytes& v) { return add(t, v.data(), v.size()); }
  Template& text(CK_ATTRIBUTE_TYPE t, const std::string& v) { return add(t, v.data(), v.size()); }
  // Every attribute of `set` (plain values only), pointing at the set's own buffers.
  Template& attributes(const object::AttributeSet& set) {
    for (const auto& [type, a] : set) add(type, a.value.data(), a.value.size());
    return *this;
  }
  std::span<CK_ATTRIBUTE> span() { return attrs_; }

 private:
  // C_CreateObject / C_FindObjectsInit take CK_ATTRIBUTE with non-const pValue but only read it.
  Template& add(CK_ATTRIBUTE_TYPE t, const void* p, std::size_t n) {
    attrs_.push_back(CK_ATTRIBUTE{t, const_cast<void*>(p), n});
    return *this;
  }
  std::vector<CK_ATTRIBUTE> attrs_;
  std::deque<CK_ULONG> numbers_;  // deque: push_back never moves earlier elements
};

Bytes parse_hex_id(const std::string& hex) {
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  Bytes out;
  bool ok = !hex.empty() && hex.size() % 2 == 0;
  for (std::size_t i = 0; ok && i < hex.size(); i += 2) {
    const int hi = nibble(hex[i]), lo = nibble(hex[i + 1]);
    ok = hi >= 0 && lo >= 0;
    out.push_back(static_cast<std::uint8_t>((hi << 4) | (lo & 0xF)));
  }
  if (!ok) throw ToolError("The --id must be a non-empty hexadecimal string with an even number of digits");
  return out;
}

// softhsm2-util refuses an id that a key on the token already has; so do we.
bool id_in_use(Session& session, const Bytes& id) {
  for (CK_OBJECT_CLASS cls : {CKO_PRIVATE_KEY, CKO_PUBLIC_KEY, CKO_SECRET_KEY}) {
    Template q;
    q.ulong(CKA_CLASS, cls).bytes(CKA_ID, id);
    if (!session.find(q.span()).empty()) return true;
  }
  return false;
}

// Flags by use: RSA signs and decrypts, EC signs and derives, Edwards keys only sign, Montgomery
// keys only derive.
void private_template(Template& t, const PrivateKeyMaterial& k, const std::string& label, const Bytes& id) {
  t.ulong(CKA_CLASS, CKO_PRIVATE_KEY).attributes(k.private_attrs);
  t.flag(CKA_TOKEN, true).flag(CKA_PRIVATE, true).flag(CKA_SENSITIVE, true).flag(CKA_EXTRACTABLE, false);
  t.flag(CKA_SIGN, k.key_type != CKK_EC_MONTGOMERY).text(CKA_LABEL, label).bytes(CKA_ID, id);
  if (k.key_type == CKK_RSA) t.flag(CKA_DECRYPT, true);
  if (k.key_type == CKK_EC || k.key_type == CKK_EC_MONTGOMERY) t.flag(CKA_DERIVE, true);
}

void public_template(Template& t, const PrivateKeyMaterial& k, const std::string& label, const Bytes& id) {
  t.ulong(CKA_CLASS, CKO_PUBLIC_KEY).attributes(k.public_attrs);
  t.flag(CKA_TOKEN, true).flag(CKA_PRIVATE, false).flag(CKA_VERIFY, k.key_type != CKK_EC_MONTGOMERY);
  t.text(CKA_LABEL, label).bytes(CKA_ID, id);
  if (k.key_type == CKK_RSA) t.flag(CKA_ENCRYPT, true);
}

// Flags by use: ciphers encrypt, decrypt, wrap and unwrap; HMAC keys sign and verify; generic
// secrets derive, sign and verify; HKDF keys only derive. Every flag is given explicitly, since the
// PKCS#11 defaults for secret keys allow every use.
void secret_template(Template& t, const SecretKeyType& type, const SecureBytes& value, const std::string& label,
                     const Bytes& id) {
  const bool cipher = type.use == SecretKeyUse::kCipher;
  const bool mac = type.use == SecretKeyUse::kMac || type.use == SecretKeyUse::kGeneric;
  const bool derive = type.use == SecretKeyUse::kGeneric || type.use == SecretKeyUse::kDerive;
  t.ulong(CKA_CLASS, CKO_SECRET_KEY).ulong(CKA_KEY_TYPE, type.key_type).secret(CKA_VALUE, value);
  t.flag(CKA_TOKEN, true).flag(CKA_PRIVATE, true).flag(CKA_SENSITIVE, true).flag(CKA_EXTRACTABLE, false);
  t.flag(CKA_ENCRYPT, cipher).flag(CKA_DECRYPT, cipher).flag(CKA_WRAP, cipher).flag(CKA_UNWRAP, cipher);
  t.flag(CKA_SIGN, mac).flag(CKA_VERIFY, mac).flag(CKA_DERIVE, derive);
  t.text(CKA_LABEL, label).bytes(CKA_ID, id);
}

// --aes is --secret-type aes; nullptr when neither is given (the file is a PEM private key).
const SecretKeyType* requested_secret_type(const Options& opts) {
  if (!opts.aes && !opts.secret_type) return nullptr;
  const SecretKeyType& type = secret_key_type(opts.secret_type ? *opts.secret_type : "aes");
  if (opts.aes && type.key_type != CKK_AES) {
    throw ToolError("--aes contradicts --secret-type " + *opts.secret_type + " (give one of them)");
  }
  return &type;
}

// Logs in as the user on the selected token and refuses an --id already in use (unless --force).
std::unique_ptr<Session> user_session(const ModuleClient& module, Options& opts, const Bytes& id) {
  const CK_SLOT_ID slot = select_slot(module, opts, /*allow_free=*/false);
  const SecureBytes pin = obtain_pin(opts.pin, "user PIN", /*confirm=*/false);
  auto session = std::make_unique<Session>(module, slot, /*rw=*/true);
  session->login(CKU_USER, pin, "user");
  if (!opts.force && id_in_use(*session, id)) {
    throw ToolError("The ID " + *opts.id_hex + " is already assigned to a key on this token (use --force to import anyway)");
  }
  return session;
}

void import_key_pair(const ModuleClient& module, Options& opts, const Bytes& id) {
  std::optional<SecureBytes> passphrase;
  if (opts.file_pin) {
    passphrase = SecureBytes::from_string(*opts.file_pin);
    wipe(*opts.file_pin);
  }
  // The file is read before anything else, so a bad file fails before a PIN is asked for.
  const PrivateKeyMaterial key = read_private_key_pem(*opts.import_path, passphrase);
  const auto session = user_session(module, opts, id);

  Template priv;
  private_template(priv, key, *opts.label, id);
  const CK_OBJECT_HANDLE priv_handle = session->create(priv.span(), "private key object");
  if (!opts.no_public_key) {
    Template pub;
    public_template(pub, key, *opts.label, id);
    try {
      (void)session->create(pub.span(), "public key object");
    } catch (const ToolError&) {
      try {
        session->destroy(priv_handle);  // all or nothing: do not leave half a key pair behind
      } catch (const ToolError&) {
        // The first error is the one worth reporting.
      }
      throw;
    }
  }
  std::printf(opts.no_public_key ? "The private key has been imported.\n" : "The key pair has been imported.\n");
}

// --file-pin and --no-public-key mean nothing for a secret key and are ignored, as softhsm2-util does.
void import_secret_key(const ModuleClient& module, Options& opts, const SecretKeyType& type, const Bytes& id) {
  const SecureBytes value = read_secret_key_hex(*opts.import_path, type);  // before the PIN, as above
  const auto session = user_session(module, opts, id);

  Template t;
  secret_template(t, type, value, *opts.label, id);
  CK_OBJECT_HANDLE handle = CK_INVALID_HANDLE;
  const CK_RV rv = session->try_create(t.span(), handle);
  const std::string what(type.display);
  if (rv == CKR_ATTRIBUTE_VALUE_INVALID) {
    throw ToolError("The token refused the " + what + " key from " + *opts.import_path +
                    " (wrong length for this key type?): " + describe_rv(rv));
  }
  check_rv(rv, "Could not create the " + what + " key object");
  std::printf("The %s key has been imported.\n", what.c_str());
}

}  // namespace

void import_key(const ModuleClient& module, Options& opts) {
  if (!opts.label) throw ToolError("A label for the key objects must be given with --label");
  if (!opts.id_hex) throw ToolError("An ID for the key objects must be given with --id (hexadecimal)");
  const Bytes id = parse_hex_id(*opts.id_hex);
  if (const SecretKeyType* type = requested_secret_type(opts)) {
    import_secret_key(module, opts, *type, id);
  } else {
    import_key_pair(module, opts, id);
  }
}

}  // namespace craton::tool
