// One runner per Wycheproof schema. Each imports the keys of the file as session objects, runs
// every test case through the PKCS#11 API and lets FileRun judge the outcome; nothing expected is
// written here, it all comes from the JSON. The CKR_* codes that count as a correct rejection are
// the sets below (documented in docs/TESTING.md, "Wycheproof").
#include <stdexcept>

#include "harness.h"

namespace craton::wycheproof {
namespace {

CK_BYTE g_nothing = 0;
// A non-null pointer for a parameter buffer, also when it is empty.
CK_BYTE_PTR nz(Bytes& b) { return b.empty() ? &g_nothing : b.data(); }

Bytes field(const Json& j, const char* name) { return hex(j.at(name).get<std::string>()); }

Bytes concat(const Bytes& a, const Bytes& b) {
  Bytes out = a;
  out.insert(out.end(), b.begin(), b.end());
  return out;
}

// Operation-call rejection codes (see harness.cpp for the import and Init sets).
const Codes kSignatureRejects = {CKR_SIGNATURE_INVALID, CKR_SIGNATURE_LEN_RANGE};
const Codes kAeadDecryptRejects = {CKR_ENCRYPTED_DATA_INVALID, CKR_ENCRYPTED_DATA_LEN_RANGE, CKR_AEAD_DECRYPT_FAILED};
const Codes kRsaDecryptRejects = {CKR_ENCRYPTED_DATA_INVALID, CKR_ENCRYPTED_DATA_LEN_RANGE};
const Codes kUnwrapRejects = {CKR_WRAPPED_KEY_INVALID, CKR_WRAPPED_KEY_LEN_RANGE};
const Codes kWrapRejects = {CKR_KEY_SIZE_RANGE, CKR_KEY_NOT_WRAPPABLE};
const Codes kEcdhRejects = {CKR_MECHANISM_PARAM_INVALID, CKR_PUBLIC_KEY_INVALID};
const Codes kHkdfRejects = {CKR_ATTRIBUTE_VALUE_INVALID, CKR_TEMPLATE_INCONSISTENT, CKR_KEY_SIZE_RANGE,
                            CKR_MECHANISM_PARAM_INVALID};
const Codes kNone = {};  // encryption, signing: a correct module never rejects these test inputs

struct Hash {
  const char* name;
  CK_MECHANISM_TYPE digest, rsa_pkcs, rsa_pss, ecdsa, hmac, hmac_general;
  CK_RSA_PKCS_MGF_TYPE mgf;
  std::size_t len;
};

const Hash& hash_named(const std::string& name) {
  static const Hash hashes[] = {
      {"SHA-1", CKM_SHA_1, CKM_SHA1_RSA_PKCS, CKM_SHA1_RSA_PKCS_PSS, CKM_ECDSA_SHA1, CKM_SHA_1_HMAC,
       CKM_SHA_1_HMAC_GENERAL, CKG_MGF1_SHA1, 20},
      {"SHA-224", CKM_SHA224, CKM_SHA224_RSA_PKCS, CKM_SHA224_RSA_PKCS_PSS, CKM_ECDSA_SHA224, CKM_SHA224_HMAC,
       CKM_SHA224_HMAC_GENERAL, CKG_MGF1_SHA224, 28},
      {"SHA-256", CKM_SHA256, CKM_SHA256_RSA_PKCS, CKM_SHA256_RSA_PKCS_PSS, CKM_ECDSA_SHA256, CKM_SHA256_HMAC,
       CKM_SHA256_HMAC_GENERAL, CKG_MGF1_SHA256, 32},
      {"SHA-384", CKM_SHA384, CKM_SHA384_RSA_PKCS, CKM_SHA384_RSA_PKCS_PSS, CKM_ECDSA_SHA384, CKM_SHA384_HMAC,
       CKM_SHA384_HMAC_GENERAL, CKG_MGF1_SHA384, 48},
      {"SHA-512", CKM_SHA512, CKM_SHA512_RSA_PKCS, CKM_SHA512_RSA_PKCS_PSS, CKM_ECDSA_SHA512, CKM_SHA512_HMAC,
       CKM_SHA512_HMAC_GENERAL, CKG_MGF1_SHA512, 64},
      {"SHA3-256", CKM_SHA3_256, CKM_SHA3_256_RSA_PKCS, CKM_SHA3_256_RSA_PKCS_PSS, CKM_ECDSA_SHA3_256,
       CKM_SHA3_256_HMAC, CKM_SHA3_256_HMAC_GENERAL, CKG_MGF1_SHA3_256, 32},
      {"SHA3-384", CKM_SHA3_384, CKM_SHA3_384_RSA_PKCS, CKM_SHA3_384_RSA_PKCS_PSS, CKM_ECDSA_SHA3_384,
       CKM_SHA3_384_HMAC, CKM_SHA3_384_HMAC_GENERAL, CKG_MGF1_SHA3_384, 48},
      {"SHA3-512", CKM_SHA3_512, CKM_SHA3_512_RSA_PKCS, CKM_SHA3_512_RSA_PKCS_PSS, CKM_ECDSA_SHA3_512,
       CKM_SHA3_512_HMAC, CKM_SHA3_512_HMAC_GENERAL, CKG_MGF1_SHA3_512, 64},
  };
  for (const Hash& h : hashes) {
    if (name == h.name) return h;
  }
  throw std::runtime_error("hash '" + name + "' is not mapped to PKCS#11 mechanisms");
}

struct Curve {
  const char* name;
  const char* oid_der;  // CKA_EC_PARAMS
  std::size_t bytes;    // field element / scalar / shared-secret length
};

const Curve& curve_named(const std::string& name) {
  static const Curve curves[] = {
      {"secp256r1", "06082a8648ce3d030107", 32}, {"secp384r1", "06052b81040022", 48},
      {"secp521r1", "06052b81040023", 66},       {"edwards25519", "06032b6570", 32},
      {"edwards448", "06032b6571", 57},          {"curve25519", "06032b656e", 32},
      {"curve448", "06032b656f", 56},
  };
  for (const Curve& c : curves) {
    if (name == c.name) return c;
  }
  throw std::runtime_error("curve '" + name + "' is not mapped");
}

Template secret_key(CK_KEY_TYPE type, const Bytes& value) {
  Template t;
  t.ulong(CKA_CLASS, CKO_SECRET_KEY).ulong(CKA_KEY_TYPE, type).boolean(CKA_TOKEN, false).bytes(CKA_VALUE, value);
  return t;
}

Template rsa_public(const Json& key) {
  Template t;
  t.ulong(CKA_CLASS, CKO_PUBLIC_KEY)
      .ulong(CKA_KEY_TYPE, CKK_RSA)
      .boolean(CKA_TOKEN, false)
      .boolean(CKA_VERIFY, true)
      .bytes(CKA_MODULUS, strip_zeros(field(key, "modulus")))
      .bytes(CKA_PUBLIC_EXPONENT, strip_zeros(field(key, "publicExponent")));
  return t;
}

// RSA private key from the JSON fields present (the CRT ones are optional in PKCS#11).
Template rsa_private(const Json& key) {
  Template t;
  t.ulong(CKA_CLASS, CKO_PRIVATE_KEY)
      .ulong(CKA_KEY_TYPE, CKK_RSA)
      .boolean(CKA_TOKEN, false)
      .boolean(CKA_PRIVATE, true)
      .boolean(CKA_SENSITIVE, true)
      .boolean(CKA_SIGN, true)
      .boolean(CKA_DECRYPT, true);
  const std::pair<const char*, CK_ATTRIBUTE_TYPE> fields[] = {
      {"modulus", CKA_MODULUS},   {"publicExponent", CKA_PUBLIC_EXPONENT}, {"privateExponent", CKA_PRIVATE_EXPONENT},
      {"prime1", CKA_PRIME_1},    {"prime2", CKA_PRIME_2},                 {"exponent1", CKA_EXPONENT_1},
      {"exponent2", CKA_EXPONENT_2}, {"coefficient", CKA_COEFFICIENT},
  };
  for (const auto& [name, attr] : fields) {
    if (key.contains(name)) t.bytes(attr, strip_zeros(field(key, name)));
  }
  return t;
}

// Strict DER ECDSA-Sig-Value → r||s with each integer in n bytes. False for anything that is not
// exactly DER (BER lengths, negative or padded integers, trailing data) or an integer that does
// not fit in n bytes: such a signature has no PKCS#11 (raw r||s) form, so the driver rejects it.
bool der_to_raw(const Bytes& der, std::size_t n, Bytes& raw) {
  std::size_t pos = 0;
  auto length = [&](std::size_t& len) -> bool {
    if (pos >= der.size()) return false;
    std::uint8_t b = der[pos++];
    if (b < 0x80) {
      len = b;
      return true;
    }
    std::size_t count = b & 0x7f;
    if (count == 0 || count > 2 || pos + count > der.size() || der[pos] == 0) return false;
    len = 0;
    for (std::size_t i = 0; i < count; ++i) len = (len << 8) | der[pos++];
    return len >= 0x80;  // the long form only where the short form cannot be used
  };
  auto integer = [&](Bytes& out) -> bool {
    if (pos >= der.size() || der[pos++] != 0x02) return false;
    std::size_t len = 0;
    if (!length(len) || len == 0 || pos + len > der.size()) return false;
    const std::uint8_t* p = der.data() + pos;
    pos += len;
    if (p[0] & 0x80) return false;                            // negative
    if (len > 1 && p[0] == 0 && (p[1] & 0x80) == 0) return false;  // not minimal
    while (len > 0 && *p == 0) {
      ++p;
      --len;
    }
    if (len > n) return false;
    out.assign(n - len, 0);
    out.insert(out.end(), p, p + len);
    return true;
  };
  if (der.empty() || der[pos++] != 0x30) return false;
  std::size_t seq = 0;
  if (!length(seq) || pos + seq != der.size()) return false;
  Bytes r, s;
  if (!integer(r) || !integer(s) || pos != der.size()) return false;
  raw = concat(r, s);
  return true;
}

// ---- AEAD: AES-GCM, ChaCha20-Poly1305 -------------------------------------------------------------

void run_aead(const Json& file, FileRun& run) {
  const bool gcm = file.at("algorithm") == "AES-GCM";
  const CK_MECHANISM_TYPE type = gcm ? CKM_AES_GCM : CKM_CHACHA20_POLY1305;
  for (const Json& group : file.at("testGroups")) {
    const CK_ULONG tag_bits = group.at("tagSize").get<CK_ULONG>();
    for (const Json& tc : group.at("tests")) {
      run.begin(tc);
      if (!run.offered({type})) {
        run.end();
        continue;
      }
      Bytes key = field(tc, "key"), iv = field(tc, "iv"), aad = field(tc, "aad"), msg = field(tc, "msg");
      const Bytes sealed = concat(field(tc, "ct"), field(tc, "tag"));
      Template kt = secret_key(gcm ? CKK_AES : CKK_CHACHA20, key);
      kt.boolean(CKA_ENCRYPT, true).boolean(CKA_DECRYPT, true);
      Object k(kt);
      if (!k.ok()) {
        run.judge("key import", k.failure(), nullptr, kNone);
        run.end();
        continue;
      }
      Mech m{type, {}};
      if (gcm) {
        CK_GCM_PARAMS p{nz(iv), iv.size(), iv.size() * 8, nz(aad), aad.size(), tag_bits};
        m = Mech::with(type, p);
      } else {
        CK_SALSA20_CHACHA20_POLY1305_PARAMS p{nz(iv), iv.size(), nz(aad), aad.size()};
        m = Mech::with(type, p);
      }
      // An invalid case is one whose ciphertext must not decrypt (or whose parameters must be
      // refused); encrypting its plaintext proves nothing, so only valid/acceptable cases encrypt.
      if (tc.at("result") != "invalid") {
        run.judge("C_Encrypt", encrypt(m, k.handle(), msg, msg.size() + 64), &sealed, kNone);
      }
      run.judge("C_Decrypt", decrypt(m, k.handle(), sealed, sealed.size() + 64), &msg, kAeadDecryptRejects);
      run.end();
    }
  }
}

// ---- MAC: AES-CMAC, HMAC ----------------------------------------------------------------------------

void run_mac(const Json& file, FileRun& run) {
  const std::string alg = file.at("algorithm").get<std::string>();
  const bool cmac = alg == "AES-CMAC";
  CK_MECHANISM_TYPE full = CKM_AES_CMAC, general = CKM_AES_CMAC_GENERAL;
  std::size_t full_len = 16;
  if (!cmac) {  // "HMACSHA256", "HMACSHA3-256": the hash name without its dash for SHA-2
    std::string h = alg.substr(4);
    if (h.rfind("SHA3-", 0) != 0) h.insert(3, "-");
    const Hash& hash = hash_named(h);
    full = hash.hmac;
    general = hash.hmac_general;
    full_len = hash.len;
  }
  for (const Json& group : file.at("testGroups")) {
    const std::size_t tag_len = group.at("tagSize").get<std::size_t>() / 8;
    Mech m{full, {}};
    if (tag_len != full_len) m = Mech::with(general, CK_MAC_GENERAL_PARAMS{tag_len});
    for (const Json& tc : group.at("tests")) {
      run.begin(tc);
      if (!run.offered({m.type})) {
        run.end();
        continue;
      }
      const Bytes msg = field(tc, "msg"), tag = field(tc, "tag");
      Template kt = secret_key(cmac ? CKK_AES : CKK_GENERIC_SECRET, field(tc, "key"));
      kt.boolean(CKA_SIGN, true).boolean(CKA_VERIFY, true);
      Object k(kt);
      if (!k.ok()) {
        run.judge("key import", k.failure(), nullptr, kNone);
        run.end();
        continue;
      }
      if (tc.at("result") != "invalid") run.judge("C_Sign", sign(m, k.handle(), msg, 128), &tag, kNone);
      run.judge("C_Verify", verify(m, k.handle(), msg, tag), nullptr, kSignatureRejects);
      run.end();
    }
  }
}

// ---- key wrap: AES-KW, AES-KWP ------------------------------------------------------------------------

void run_keywrap(const Json& file, FileRun& run) {
  const bool kwp = file.at("algorithm") == "AES-KWP";
  const Mech m{kwp ? CKM_AES_KEY_WRAP_KWP : CKM_AES_KEY_WRAP, {}};
  for (const Json& group : file.at("testGroups")) {
    for (const Json& tc : group.at("tests")) {
      run.begin(tc);
      if (!run.offered({m.type})) {
        run.end();
        continue;
      }
      const Bytes msg = field(tc, "msg"), ct = field(tc, "ct");
      const bool invalid = tc.at("result") == "invalid";
      Template kt = secret_key(CKK_AES, field(tc, "key"));
      kt.boolean(CKA_WRAP, true).boolean(CKA_UNWRAP, true);
      Object kek(kt);
      if (!kek.ok()) {
        run.judge("wrapping key import", kek.failure(), nullptr, kNone);
        run.end();
        continue;
      }
      // Unwrap ct into a readable generic secret: its value must be msg (or the unwrap must fail).
      Template ut = readable_secret(0);
      run.judge("C_UnwrapKey", unwrap(m, kek.handle(), ct, ut), &msg, kUnwrapRejects);
      // Wrap msg (as a generic secret): valid/acceptable must give ct; an invalid case with no
      // ct is a key that must not be wrappable (wrong size for the mode).
      if (!msg.empty() && (!invalid || ct.empty())) {
        Template wt = secret_key(CKK_GENERIC_SECRET, msg);
        wt.boolean(CKA_EXTRACTABLE, true).boolean(CKA_SENSITIVE, false);
        Object key(wt);
        if (!key.ok()) {
          run.judge("import of the key to wrap", key.failure(), nullptr, kNone);
        } else {
          run.judge("C_WrapKey", wrap(m, kek.handle(), key.handle(), msg.size() + 32), ct.empty() ? nullptr : &ct,
                    kWrapRejects);
        }
      }
      run.end();
    }
  }
}

// ---- ECDH on X9.62 points, X25519/X448 ---------------------------------------------------------------

void run_ecdh(const Json& file, FileRun& run, bool montgomery) {
  for (const Json& group : file.at("testGroups")) {
    const Curve& curve = curve_named(group.at("curve").get<std::string>());
    for (const Json& tc : group.at("tests")) {
      run.begin(tc);
      // X25519/X448 need CKK_EC_MONTGOMERY keys; a module supporting them offers their key-pair
      // generation mechanism, so that is what "offered" means for these files.
      const bool offered = montgomery ? run.offered({CKM_ECDH1_DERIVE, CKM_EC_MONTGOMERY_KEY_PAIR_GEN})
                                      : run.offered({CKM_ECDH1_DERIVE});
      if (!offered) {
        run.end();
        continue;
      }
      Bytes priv = field(tc, "private"), pub = field(tc, "public");
      const Bytes shared = field(tc, "shared");
      if (!montgomery) {  // X9.62 scalar: big-endian, padded to the field length
        priv = strip_zeros(priv);
        if (priv.size() < curve.bytes) priv.insert(priv.begin(), curve.bytes - priv.size(), 0);
      }
      Template kt;
      kt.ulong(CKA_CLASS, CKO_PRIVATE_KEY)
          .ulong(CKA_KEY_TYPE, montgomery ? CKK_EC_MONTGOMERY : CKK_EC)
          .boolean(CKA_TOKEN, false)
          .boolean(CKA_PRIVATE, true)
          .boolean(CKA_SENSITIVE, true)
          .boolean(CKA_DERIVE, true)
          .bytes(CKA_EC_PARAMS, hex(curve.oid_der))
          .bytes(CKA_VALUE, priv);
      Object k(kt);
      if (!k.ok()) {
        run.judge("private key import", k.failure(), nullptr, kNone);
        run.end();
        continue;
      }
      // pPublicData: the peer's raw public value (X9.62 point, or the 32/56-byte u-coordinate).
      CK_ECDH1_DERIVE_PARAMS p{CKD_NULL, 0, nullptr, pub.size(), nz(pub)};
      Template dt = readable_secret(curve.bytes);
      run.judge("C_DeriveKey", derive(Mech::with(CKM_ECDH1_DERIVE, p), k.handle(), dt), &shared, kEcdhRejects);
      run.end();
    }
  }
}

// ---- signature verification: ECDSA, EdDSA, RSA PKCS#1 v1.5, RSA-PSS -----------------------------------

void run_ecdsa(const Json& file, FileRun& run) {
  const bool p1363 = file.at("schema").get<std::string>().find("p1363") != std::string::npos;
  for (const Json& group : file.at("testGroups")) {
    const Json& pk = group.at("publicKey");
    const Curve& curve = curve_named(pk.at("curve").get<std::string>());
    const Hash& hash = hash_named(group.at("sha").get<std::string>());
    Template kt;
    kt.ulong(CKA_CLASS, CKO_PUBLIC_KEY)
        .ulong(CKA_KEY_TYPE, CKK_EC)
        .boolean(CKA_TOKEN, false)
        .boolean(CKA_VERIFY, true)
        .bytes(CKA_EC_PARAMS, hex(curve.oid_der))
        .bytes(CKA_EC_POINT, der_octet_string(field(pk, "uncompressed")));
    Object k(kt);
    for (const Json& tc : group.at("tests")) {
      run.begin(tc);
      // Two paths: the hashing mechanism (CKM_ECDSA_SHA256, ...), and raw CKM_ECDSA over the
      // module's own C_Digest of the message.
      const bool hashing = run.offered({hash.ecdsa});
      const bool raw = run.offered({CKM_ECDSA, hash.digest});
      if (!hashing && !raw) {
        run.end();
        continue;
      }
      if (!k.ok()) {
        run.judge("public key import", k.failure(), nullptr, kNone);
        run.end();
        continue;
      }
      const Bytes msg = field(tc, "msg");
      Bytes sig = field(tc, "sig");
      if (!p1363) {
        Bytes r_s;
        if (!der_to_raw(sig, curve.bytes, r_s)) {
          run.judge("DER signature", Op::fail(CKR_SIGNATURE_INVALID, "driver: not strict DER / not expressible as r||s"),
                    nullptr, kSignatureRejects);
          run.end();
          continue;
        }
        sig = r_s;
      }
      if (hashing) run.judge("C_Verify " + mech_name(hash.ecdsa), verify(Mech{hash.ecdsa, {}}, k.handle(), msg, sig),
                             nullptr, kSignatureRejects);
      if (raw) {
        Op h = digest(Mech{hash.digest, {}}, msg);
        if (!h.ok()) {
          run.judge("C_Digest " + mech_name(hash.digest), h, nullptr, kNone);
        } else {
          run.judge("C_Verify CKM_ECDSA over C_Digest", verify(Mech{CKM_ECDSA, {}}, k.handle(), h.out, sig), nullptr,
                    kSignatureRejects);
        }
      }
      run.end();
    }
  }
}

void run_eddsa(const Json& file, FileRun& run) {
  for (const Json& group : file.at("testGroups")) {
    const Json& pk = group.at("publicKey");
    const Curve& curve = curve_named(pk.at("curve").get<std::string>());
    const bool ed448 = curve.bytes == 57;
    Template kt;
    // CKA_EC_POINT as a DER OCTET STRING: what SoftHSM requires; our module accepts it and the
    // raw form (PKCS11-FACTS 4.6).
    kt.ulong(CKA_CLASS, CKO_PUBLIC_KEY)
        .ulong(CKA_KEY_TYPE, CKK_EC_EDWARDS)
        .boolean(CKA_TOKEN, false)
        .boolean(CKA_VERIFY, true)
        .bytes(CKA_EC_PARAMS, hex(curve.oid_der))
        .bytes(CKA_EC_POINT, der_octet_string(field(pk, "pk")));
    Object k(kt);
    // Ed448 needs CK_EDDSA_PARAMS (pure EdDSA: phFlag false, empty context); Ed25519 takes none.
    const Mech m = ed448 ? Mech::with(CKM_EDDSA, CK_EDDSA_PARAMS{CK_FALSE, 0, nullptr}) : Mech{CKM_EDDSA, {}};
    for (const Json& tc : group.at("tests")) {
      run.begin(tc);
      if (!run.offered({CKM_EDDSA})) {
        run.end();
        continue;
      }
      if (!k.ok()) {
        run.judge("public key import", k.failure(), nullptr, kNone);
      } else {
        run.judge("C_Verify", verify(m, k.handle(), field(tc, "msg"), field(tc, "sig")), nullptr, kSignatureRejects);
      }
      run.end();
    }
  }
}

void run_rsa_verify(const Json& file, FileRun& run, bool pss) {
  for (const Json& group : file.at("testGroups")) {
    const Hash& hash = hash_named(group.at("sha").get<std::string>());
    Template kt = rsa_public(group.at("publicKey"));
    Object k(kt);
    Mech m{hash.rsa_pkcs, {}};
    bool expressible = true;
    if (pss) {
      expressible = group.at("mgf") == "MGF1";  // PKCS#11 defines MGF1 only
      const Hash& mgf = hash_named(group.at("mgfSha").get<std::string>());
      m = Mech::with(hash.rsa_pss, CK_RSA_PKCS_PSS_PARAMS{hash.digest, mgf.mgf, group.at("sLen").get<CK_ULONG>()});
    }
    for (const Json& tc : group.at("tests")) {
      run.begin(tc);
      if (!expressible) {
        run.exclude("mask generation function " + group.at("mgf").get<std::string>() + " has no CKG_ value");
        run.end();
        continue;
      }
      if (!run.offered({m.type})) {
        run.end();
        continue;
      }
      if (!k.ok()) {
        run.judge("public key import", k.failure(), nullptr, kNone);
      } else {
        run.judge("C_Verify", verify(m, k.handle(), field(tc, "msg"), field(tc, "sig")), nullptr, kSignatureRejects);
      }
      run.end();
    }
  }
}

// ---- RSA decryption (OAEP, PKCS#1 v1.5) and deterministic signing ------------------------------------

void run_rsa_decrypt(const Json& file, FileRun& run, bool oaep) {
  for (const Json& group : file.at("testGroups")) {
    Template kt = rsa_private(group.at("privateKey"));
    Object k(kt);
    for (const Json& tc : group.at("tests")) {
      run.begin(tc);
      const CK_MECHANISM_TYPE type = oaep ? CKM_RSA_PKCS_OAEP : CKM_RSA_PKCS;
      if (!run.offered({type})) {
        run.end();
        continue;
      }
      if (!k.ok()) {
        run.judge("private key import", k.failure(), nullptr, kNone);
        run.end();
        continue;
      }
      Bytes label = oaep ? field(tc, "label") : Bytes{};
      Mech m{type, {}};
      if (oaep) {
        // The label goes in pSourceData (CKZ_DATA_SPECIFIED); an empty label is (NULL, 0).
        CK_RSA_PKCS_OAEP_PARAMS p{hash_named(group.at("sha").get<std::string>()).digest,
                                  hash_named(group.at("mgfSha").get<std::string>()).mgf, CKZ_DATA_SPECIFIED,
                                  label.empty() ? nullptr : label.data(), label.size()};
        m = Mech::with(type, p);
      }
      const Bytes msg = field(tc, "msg");
      run.judge("C_Decrypt", decrypt(m, k.handle(), field(tc, "ct"), 1024), &msg, kRsaDecryptRejects);
      run.end();
    }
  }
}

void run_rsa_sign(const Json& file, FileRun& run) {
  for (const Json& group : file.at("testGroups")) {
    const Hash& hash = hash_named(group.at("sha").get<std::string>());
    Template kt = rsa_private(group.at("privateKey"));
    Object k(kt);
    Template pt = rsa_public(group.at("privateKey"));
    Object pub(pt);
    const Mech m{hash.rsa_pkcs, {}};
    for (const Json& tc : group.at("tests")) {
      run.begin(tc);
      if (!run.offered({m.type})) {
        run.end();
        continue;
      }
      const Bytes msg = field(tc, "msg"), sig = field(tc, "sig");
      if (!k.ok()) {
        run.judge("private key import", k.failure(), nullptr, kNone);
      } else {
        run.judge("C_Sign", sign(m, k.handle(), msg, 1024), &sig, kNone);  // PKCS#1 v1.5: deterministic
      }
      if (!pub.ok()) {
        run.judge("public key import", pub.failure(), nullptr, kNone);
      } else {
        run.judge("C_Verify", verify(m, pub.handle(), msg, sig), nullptr, kSignatureRejects);
      }
      run.end();
    }
  }
}

// ---- HKDF ----------------------------------------------------------------------------------------------

void run_hkdf(const Json& file, FileRun& run) {
  const std::string alg = file.at("algorithm").get<std::string>();  // "HKDF-SHA-256"
  const Hash& hash = hash_named(alg.substr(5));
  for (const Json& group : file.at("testGroups")) {
    for (const Json& tc : group.at("tests")) {
      run.begin(tc);
      if (!run.offered({CKM_HKDF_DERIVE})) {
        run.end();
        continue;
      }
      Bytes salt = field(tc, "salt"), info = field(tc, "info");
      const Bytes okm = field(tc, "okm");
      // The base key alternates between CKK_GENERIC_SECRET and CKK_HKDF (both are valid HKDF
      // base keys), so each type sees half of the cases.
      const CK_KEY_TYPE type = tc.at("tcId").get<int>() % 2 != 0 ? CKK_GENERIC_SECRET : CKK_HKDF;
      Template kt = secret_key(type, field(tc, "ikm"));
      kt.boolean(CKA_DERIVE, true);
      Object k(kt);
      if (!k.ok()) {
        run.judge("base key import", k.failure(), nullptr, kNone);
        run.end();
        continue;
      }
      // Extract and expand. An empty salt is CKF_HKDF_SALT_NULL: RFC 5869 treats a missing salt
      // as HashLen zero bytes, which HMAC gives for an empty key too, so both mean the same.
      CK_HKDF_PARAMS p{CK_TRUE,
                       CK_TRUE,
                       hash.digest,
                       salt.empty() ? CKF_HKDF_SALT_NULL : CKF_HKDF_SALT_DATA,
                       salt.empty() ? nullptr : salt.data(),
                       salt.size(),
                       CK_INVALID_HANDLE,
                       info.empty() ? nullptr : info.data(),
                       info.size()};
      Template dt = readable_secret(tc.at("size").get<std::size_t>());
      run.judge("C_DeriveKey", derive(Mech::with(CKM_HKDF_DERIVE, p), k.handle(), dt), &okm, kHkdfRejects);
      run.end();
    }
  }
}

}  // namespace

void run_file(const Json& file, FileRun& run) {
  const std::string schema = file.at("schema").get<std::string>();
  if (schema == "aead_test_schema_v1.json") {
    run_aead(file, run);
  } else if (schema == "mac_test_schema_v1.json") {
    run_mac(file, run);
  } else if (schema == "keywrap_test_schema_v1.json") {
    run_keywrap(file, run);
  } else if (schema == "ecdh_ecpoint_test_schema_v1.json") {
    run_ecdh(file, run, false);
  } else if (schema == "xdh_comp_schema_v1.json") {
    run_ecdh(file, run, true);
  } else if (schema == "ecdsa_verify_schema_v1.json" || schema == "ecdsa_p1363_verify_schema_v1.json") {
    run_ecdsa(file, run);
  } else if (schema == "eddsa_verify_schema_v1.json") {
    run_eddsa(file, run);
  } else if (schema == "rsassa_pkcs1_verify_schema_v1.json") {
    run_rsa_verify(file, run, false);
  } else if (schema == "rsassa_pss_verify_schema_v1.json") {
    run_rsa_verify(file, run, true);
  } else if (schema == "rsaes_oaep_decrypt_schema_v1.json") {
    run_rsa_decrypt(file, run, true);
  } else if (schema == "rsaes_pkcs1_decrypt_schema_v1.json") {
    run_rsa_decrypt(file, run, false);
  } else if (schema == "rsassa_pkcs1_generate_schema_v1.json") {
    run_rsa_sign(file, run);
  } else if (schema == "hkdf_test_schema_v1.json") {
    run_hkdf(file, run);
  } else {
    throw std::runtime_error("no driver for schema " + schema);
  }
}

}  // namespace craton::wycheproof
