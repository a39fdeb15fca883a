// --import: a PEM private key becomes a CKO_PRIVATE_KEY (and, unless --no-public-key, the matching
// CKO_PUBLIC_KEY) on the token, created with C_CreateObject after logging in as the user.
#include <cstdio>
#include <deque>
#include <span>
#include <string>
#include <vector>

#include "commands.h"
#include "module_client.h"
#include "pem_import.h"
#include "pin_input.h"
#include "token_select.h"
#include "tool_error.h"

namespace craton::tool {
namespace {

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

void common_private(Template& t, const PrivateKeyMaterial& k, const std::string& label, const Bytes& id) {
  t.ulong(CKA_CLASS, CKO_PRIVATE_KEY).ulong(CKA_KEY_TYPE, k.key_type);
  t.flag(CKA_TOKEN, true).flag(CKA_PRIVATE, true).flag(CKA_SENSITIVE, true).flag(CKA_EXTRACTABLE, false);
  t.flag(CKA_SIGN, true).text(CKA_LABEL, label).bytes(CKA_ID, id);
}

void private_template(Template& t, const PrivateKeyMaterial& k, const std::string& label, const Bytes& id) {
  common_private(t, k, label, id);
  if (k.key_type == CKK_RSA) {
    const RsaKey& r = k.rsa;
    t.flag(CKA_DECRYPT, true).bytes(CKA_MODULUS, r.modulus).bytes(CKA_PUBLIC_EXPONENT, r.public_exponent);
    t.secret(CKA_PRIVATE_EXPONENT, r.private_exponent).secret(CKA_PRIME_1, r.prime1).secret(CKA_PRIME_2, r.prime2);
    t.secret(CKA_EXPONENT_1, r.exponent1).secret(CKA_EXPONENT_2, r.exponent2).secret(CKA_COEFFICIENT, r.coefficient);
  } else {
    t.flag(CKA_DERIVE, true).bytes(CKA_EC_PARAMS, k.ec.params).secret(CKA_VALUE, k.ec.value);
  }
}

void public_template(Template& t, const PrivateKeyMaterial& k, const std::string& label, const Bytes& id) {
  t.ulong(CKA_CLASS, CKO_PUBLIC_KEY).ulong(CKA_KEY_TYPE, k.key_type);
  t.flag(CKA_TOKEN, true).flag(CKA_PRIVATE, false).flag(CKA_VERIFY, true).text(CKA_LABEL, label).bytes(CKA_ID, id);
  if (k.key_type == CKK_RSA) {
    t.flag(CKA_ENCRYPT, true).bytes(CKA_MODULUS, k.rsa.modulus).bytes(CKA_PUBLIC_EXPONENT, k.rsa.public_exponent);
  } else {
    t.bytes(CKA_EC_PARAMS, k.ec.params).bytes(CKA_EC_POINT, k.ec.point);
  }
}

}  // namespace

void import_key(const ModuleClient& module, Options& opts) {
  if (!opts.label) throw ToolError("A label for the key objects must be given with --label");
  if (!opts.id_hex) throw ToolError("An ID for the key objects must be given with --id (hexadecimal)");
  const Bytes id = parse_hex_id(*opts.id_hex);

  std::optional<SecureBytes> passphrase;
  if (opts.file_pin) {
    passphrase = SecureBytes::from_string(*opts.file_pin);
    wipe(*opts.file_pin);
  }
  // The file is read before anything else, so a bad file fails before a PIN is asked for.
  const PrivateKeyMaterial key = read_private_key_pem(*opts.import_path, passphrase);

  const CK_SLOT_ID slot = select_slot(module, opts, /*allow_free=*/false);
  const SecureBytes pin = obtain_pin(opts.pin, "user PIN", /*confirm=*/false);
  Session session(module, slot, /*rw=*/true);
  session.login(CKU_USER, pin, "user");
  if (!opts.force && id_in_use(session, id)) {
    throw ToolError("The ID " + *opts.id_hex + " is already assigned to a key on this token (use --force to import anyway)");
  }

  Template priv;
  private_template(priv, key, *opts.label, id);
  const CK_OBJECT_HANDLE priv_handle = session.create(priv.span(), "private key object");
  if (!opts.no_public_key) {
    Template pub;
    public_template(pub, key, *opts.label, id);
    try {
      (void)session.create(pub.span(), "public key object");
    } catch (const ToolError&) {
      try {
        session.destroy(priv_handle);  // all or nothing: do not leave half a key pair behind
      } catch (const ToolError&) {
        // The first error is the one worth reporting.
      }
      throw;
    }
  }
  std::printf(opts.no_public_key ? "The private key has been imported.\n" : "The key pair has been imported.\n");
}

}  // namespace craton::tool
