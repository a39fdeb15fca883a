// Tests of craton-hsm-util --import: keys generated here with OpenSSL, imported by the tool, then
// inspected through the module.
#include <openssl/rand.h>

#include <cctype>

#include "tool_fixture.h"

namespace craton::test {
namespace {

// P-256: DER of OID 1.2.840.10045.3.1.7.
const Bytes kP256Oid{0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07};

class ImportTest : public ToolTest {
 protected:
  void SetUp() override {
    ToolTest::SetUp();
    ASSERT_EQ(init("keys").status, 0);
  }

  static PkeyPtr rsa2048() { return PkeyPtr(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", std::size_t{2048}), EVP_PKEY_free); }
  static PkeyPtr p256() { return PkeyPtr(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"), EVP_PKEY_free); }

  // Writes the key and returns the path.
  std::string pem(const EVP_PKEY* key, const std::string& name, PemForm form = PemForm::kPkcs8) {
    const std::string path = key_path(name);
    EXPECT_TRUE(write_pem(key, path, form));
    return path;
  }

  RunResult import(const std::string& path, const std::string& label, const std::string& id,
                   std::vector<std::string> extra = {}) {
    std::vector<std::string> args{"--import", path, "--token", "keys", "--label", label, "--id", id, "--pin", kUser};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_tool(args);
  }

  // A logged-in user session on the token in slot 0.
  struct UserSession : ModuleSession {
    UserSession() {
      EXPECT_EQ(f->C_OpenSession(0, CKF_SERIAL_SESSION, nullptr, nullptr, &h), CKR_OK);
      std::string pin = kUser;
      EXPECT_EQ(f->C_Login(h, CKU_USER, utf8(pin), pin.size()), CKR_OK);
    }
    std::vector<CK_OBJECT_HANDLE> find(CK_OBJECT_CLASS cls, const std::string& label) {
      Template t;
      t.ulong(CKA_CLASS, cls).str(CKA_LABEL, label);
      EXPECT_EQ(f->C_FindObjectsInit(h, t.data(), t.size()), CKR_OK);
      std::array<CK_OBJECT_HANDLE, 8> found{};
      CK_ULONG n = 0;
      EXPECT_EQ(f->C_FindObjects(h, found.data(), found.size(), &n), CKR_OK);
      EXPECT_EQ(f->C_FindObjectsFinal(h), CKR_OK);
      return {found.begin(), found.begin() + static_cast<std::ptrdiff_t>(n)};
    }
    // The attribute's value; `rv` receives C_GetAttributeValue's result.
    Bytes attr(CK_OBJECT_HANDLE o, CK_ATTRIBUTE_TYPE type, CK_RV* rv = nullptr) {
      CK_ATTRIBUTE a{type, nullptr, 0};
      CK_RV r = f->C_GetAttributeValue(h, o, &a, 1);
      Bytes v;
      if (r == CKR_OK) {
        v.resize(a.ulValueLen);
        a.pValue = v.data();
        r = f->C_GetAttributeValue(h, o, &a, 1);
      }
      if (rv != nullptr) *rv = r;
      return v;
    }
    CK_ULONG ulong_attr(CK_OBJECT_HANDLE o, CK_ATTRIBUTE_TYPE type) {
      const Bytes v = attr(o, type);
      CK_ULONG out = ~CK_ULONG{0};
      if (v.size() == sizeof out) std::memcpy(&out, v.data(), sizeof out);
      return out;
    }
    bool flag(CK_OBJECT_HANDLE o, CK_ATTRIBUTE_TYPE type) { return attr(o, type) == Bytes{CK_TRUE}; }
    CK_SESSION_HANDLE h = CK_INVALID_HANDLE;
  };

  static Bytes bytes(const std::string& s) { return {s.begin(), s.end()}; }
};

TEST_F(ImportTest, RsaPkcs8KeyPair) {
  const PkeyPtr key = rsa2048();
  ASSERT_TRUE(key);
  const RunResult r = import(pem(key.get(), "rsa.pem"), "rsa-key", "a1b2");
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_TRUE(contains(r.output, "Found slot 0 with matching token label.")) << r.output;
  EXPECT_TRUE(contains(r.output, "The key pair has been imported.")) << r.output;

  UserSession s;
  const auto priv = s.find(CKO_PRIVATE_KEY, "rsa-key");
  const auto pub = s.find(CKO_PUBLIC_KEY, "rsa-key");
  ASSERT_EQ(priv.size(), 1u);
  ASSERT_EQ(pub.size(), 1u);
  const Bytes n = bn_param(key.get(), OSSL_PKEY_PARAM_RSA_N);
  ASSERT_EQ(n.size(), 256u);
  for (CK_OBJECT_HANDLE o : {priv[0], pub[0]}) {
    EXPECT_EQ(s.ulong_attr(o, CKA_KEY_TYPE), CKK_RSA);
    EXPECT_EQ(s.attr(o, CKA_ID), (Bytes{0xa1, 0xb2}));
    EXPECT_EQ(s.attr(o, CKA_LABEL), bytes("rsa-key"));
    EXPECT_EQ(s.attr(o, CKA_MODULUS), n);
    EXPECT_TRUE(s.flag(o, CKA_TOKEN));
  }
  EXPECT_EQ(s.ulong_attr(priv[0], CKA_CLASS), CKO_PRIVATE_KEY);
  EXPECT_EQ(s.ulong_attr(pub[0], CKA_CLASS), CKO_PUBLIC_KEY);
  EXPECT_EQ(s.attr(pub[0], CKA_PUBLIC_EXPONENT), bn_param(key.get(), OSSL_PKEY_PARAM_RSA_E));
  EXPECT_TRUE(s.flag(priv[0], CKA_SENSITIVE));
  EXPECT_TRUE(s.flag(priv[0], CKA_PRIVATE));
  EXPECT_FALSE(s.flag(priv[0], CKA_EXTRACTABLE));
  EXPECT_TRUE(s.flag(priv[0], CKA_SIGN));
  EXPECT_TRUE(s.flag(priv[0], CKA_DECRYPT));
  EXPECT_FALSE(s.flag(pub[0], CKA_PRIVATE));
  EXPECT_TRUE(s.flag(pub[0], CKA_VERIFY));
  EXPECT_TRUE(s.flag(pub[0], CKA_ENCRYPT));
  CK_RV rv = CKR_OK;
  (void)s.attr(priv[0], CKA_PRIVATE_EXPONENT, &rv);
  EXPECT_EQ(rv, CKR_ATTRIBUTE_SENSITIVE);
}

TEST_F(ImportTest, EcP256Pkcs8KeyPair) {
  const PkeyPtr key = p256();
  ASSERT_TRUE(key);
  const RunResult r = import(pem(key.get(), "ec.pem"), "ec-key", "0102");
  ASSERT_EQ(r.status, 0) << r.output;

  UserSession s;
  const auto priv = s.find(CKO_PRIVATE_KEY, "ec-key");
  const auto pub = s.find(CKO_PUBLIC_KEY, "ec-key");
  ASSERT_EQ(priv.size(), 1u);
  ASSERT_EQ(pub.size(), 1u);
  for (CK_OBJECT_HANDLE o : {priv[0], pub[0]}) {
    EXPECT_EQ(s.ulong_attr(o, CKA_KEY_TYPE), CKK_EC);
    EXPECT_EQ(s.attr(o, CKA_ID), (Bytes{0x01, 0x02}));
    EXPECT_EQ(s.attr(o, CKA_EC_PARAMS), kP256Oid);
  }
  // CKA_EC_POINT: DER OCTET STRING of the uncompressed point OpenSSL reports.
  const Bytes x = bn_param(key.get(), OSSL_PKEY_PARAM_EC_PUB_X);
  const Bytes y = bn_param(key.get(), OSSL_PKEY_PARAM_EC_PUB_Y);
  Bytes point{0x04, 0x41, 0x04};
  point.insert(point.end(), 32 - x.size(), 0);
  point.insert(point.end(), x.begin(), x.end());
  point.insert(point.end(), 32 - y.size(), 0);
  point.insert(point.end(), y.begin(), y.end());
  EXPECT_EQ(s.attr(pub[0], CKA_EC_POINT), point);
  EXPECT_TRUE(s.flag(priv[0], CKA_SENSITIVE));
  EXPECT_TRUE(s.flag(priv[0], CKA_DERIVE));
  CK_RV rv = CKR_OK;
  (void)s.attr(priv[0], CKA_VALUE, &rv);
  EXPECT_EQ(rv, CKR_ATTRIBUTE_SENSITIVE);
}

// RFC 8410 keys: CKA_EC_PARAMS is the curve OID, the public CKA_EC_POINT the raw key in a DER
// OCTET STRING (what bookworm's pkcs11-tool reads); Edwards keys sign, Montgomery keys derive.
TEST_F(ImportTest, EdwardsAndMontgomeryPkcs8KeyPairs) {
  struct Case {
    const char* type;
    CK_KEY_TYPE key_type;
    Bytes oid;
    std::size_t size;
    const char* id;
  };
  const Case cases[] = {
      {"ED25519", CKK_EC_EDWARDS, {0x06, 0x03, 0x2B, 0x65, 0x70}, 32, "e1"},
      {"X25519", CKK_EC_MONTGOMERY, {0x06, 0x03, 0x2B, 0x65, 0x6E}, 32, "e2"},
      {"ED448", CKK_EC_EDWARDS, {0x06, 0x03, 0x2B, 0x65, 0x71}, 57, "e3"},
      {"X448", CKK_EC_MONTGOMERY, {0x06, 0x03, 0x2B, 0x65, 0x6F}, 56, "e4"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.type);
    const PkeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, c.type), EVP_PKEY_free);
    ASSERT_TRUE(key);
    const std::string label = std::string("key-") + c.type;
    const RunResult r = import(pem(key.get(), label + ".pem"), label, c.id);
    ASSERT_EQ(r.status, 0) << r.output;
    EXPECT_TRUE(contains(r.output, "The key pair has been imported.")) << r.output;

    UserSession s;
    const auto priv = s.find(CKO_PRIVATE_KEY, label);
    const auto pub = s.find(CKO_PUBLIC_KEY, label);
    ASSERT_EQ(priv.size(), 1u);
    ASSERT_EQ(pub.size(), 1u);
    for (CK_OBJECT_HANDLE o : {priv[0], pub[0]}) {
      EXPECT_EQ(s.ulong_attr(o, CKA_KEY_TYPE), c.key_type);
      EXPECT_EQ(s.attr(o, CKA_EC_PARAMS), c.oid);
      EXPECT_EQ(s.attr(o, CKA_ID), (Bytes{static_cast<std::uint8_t>(std::stoul(c.id, nullptr, 16))}));
    }
    Bytes raw(c.size);
    std::size_t len = raw.size();
    ASSERT_EQ(EVP_PKEY_get_raw_public_key(key.get(), raw.data(), &len), 1);
    Bytes point{0x04, static_cast<std::uint8_t>(c.size)};
    point.insert(point.end(), raw.begin(), raw.end());
    EXPECT_EQ(s.attr(pub[0], CKA_EC_POINT), point);
    const bool edwards = c.key_type == CKK_EC_EDWARDS;
    EXPECT_EQ(s.flag(priv[0], CKA_SIGN), edwards);
    EXPECT_EQ(s.flag(priv[0], CKA_DERIVE), !edwards);
    EXPECT_EQ(s.flag(pub[0], CKA_VERIFY), edwards);
    EXPECT_TRUE(s.flag(priv[0], CKA_SENSITIVE));
    CK_RV rv = CKR_OK;
    (void)s.attr(priv[0], CKA_VALUE, &rv);
    EXPECT_EQ(rv, CKR_ATTRIBUTE_SENSITIVE);
  }
}

TEST_F(ImportTest, UnsupportedCurveAndKeyType) {
  const PkeyPtr brainpool(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "brainpoolP256r1"), EVP_PKEY_free);
  ASSERT_TRUE(brainpool);
  RunResult r = import(pem(brainpool.get(), "bp.pem"), "bp", "01");
  EXPECT_EQ(r.status, 1);
  EXPECT_TRUE(contains(r.output, "is not supported")) << r.output;
  const PkeyPtr sm2(EVP_PKEY_Q_keygen(nullptr, nullptr, "SM2"), EVP_PKEY_free);
  ASSERT_TRUE(sm2);
  r = import(pem(sm2.get(), "sm2.pem"), "sm2", "01");
  EXPECT_EQ(r.status, 1);
  UserSession s;
  EXPECT_TRUE(s.find(CKO_PRIVATE_KEY, "bp").empty());
  EXPECT_TRUE(s.find(CKO_PRIVATE_KEY, "sm2").empty());
}

TEST_F(ImportTest, TraditionalPemForms) {
  const PkeyPtr rsa = rsa2048();
  const PkeyPtr ec = p256();
  ASSERT_TRUE(rsa && ec);
  const std::string rsa_path = pem(rsa.get(), "rsa-trad.pem", PemForm::kTraditional);
  const std::string ec_path = pem(ec.get(), "ec-trad.pem", PemForm::kTraditional);
  ASSERT_EQ(import(rsa_path, "rsa-trad", "01").status, 0);
  ASSERT_EQ(import(ec_path, "ec-trad", "02").status, 0);
  UserSession s;
  const auto rsa_priv = s.find(CKO_PRIVATE_KEY, "rsa-trad");
  ASSERT_EQ(rsa_priv.size(), 1u);
  EXPECT_EQ(s.attr(rsa_priv[0], CKA_MODULUS), bn_param(rsa.get(), OSSL_PKEY_PARAM_RSA_N));
  EXPECT_EQ(s.find(CKO_PUBLIC_KEY, "ec-trad").size(), 1u);
}

TEST_F(ImportTest, EncryptedPkcs8NeedsItsPassphrase) {
  const PkeyPtr key = p256();
  ASSERT_TRUE(key);
  const std::string path = pem(key.get(), "enc.pem", PemForm::kEncryptedPkcs8);
  RunResult r = import(path, "enc", "01");
  EXPECT_EQ(r.status, 1);
  EXPECT_TRUE(contains(r.output, "--file-pin")) << r.output;
  r = import(path, "enc", "01", {"--file-pin", "not-it"});
  EXPECT_EQ(r.status, 1);
  r = import(path, "enc", "01", {"--file-pin", "file-secret"});
  ASSERT_EQ(r.status, 0) << r.output;
  UserSession s;
  EXPECT_EQ(s.find(CKO_PRIVATE_KEY, "enc").size(), 1u);
}

TEST_F(ImportTest, NoPublicKeyCreatesOnlyThePrivateKey) {
  const PkeyPtr key = p256();
  ASSERT_TRUE(key);
  const RunResult r = import(pem(key.get(), "ec.pem"), "solo", "05", {"--no-public-key"});
  ASSERT_EQ(r.status, 0) << r.output;
  UserSession s;
  EXPECT_EQ(s.find(CKO_PRIVATE_KEY, "solo").size(), 1u);
  EXPECT_TRUE(s.find(CKO_PUBLIC_KEY, "solo").empty());
}

TEST_F(ImportTest, BadPemFails) {
  const std::string path = key_path("bad.pem");
  std::ofstream(path) << "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n";
  const RunResult r = import(path, "bad", "01");
  EXPECT_EQ(r.status, 1);
  EXPECT_TRUE(contains(r.output, "ERROR: Could not read a private key from")) << r.output;
  const RunResult missing = import(key_path("absent.pem"), "bad", "01");
  EXPECT_EQ(missing.status, 1);
  EXPECT_TRUE(contains(missing.output, "Could not open the key file")) << missing.output;
}

TEST_F(ImportTest, WrongPinFails) {
  const PkeyPtr key = p256();
  ASSERT_TRUE(key);
  const RunResult r = run_tool({"--import", pem(key.get(), "ec.pem"), "--token", "keys", "--label", "k", "--id", "01",
                                "--pin", "wrong-pin"});
  EXPECT_EQ(r.status, 1);
  EXPECT_TRUE(contains(r.output, "CKR_PIN_INCORRECT")) << r.output;
  UserSession s;
  EXPECT_TRUE(s.find(CKO_PRIVATE_KEY, "k").empty());
}

TEST_F(ImportTest, DuplicateIdRefusedUnlessForced) {
  const PkeyPtr a = p256();
  const PkeyPtr b = p256();
  ASSERT_TRUE(a && b);
  ASSERT_EQ(import(pem(a.get(), "a.pem"), "first", "77").status, 0);
  const std::string b_path = pem(b.get(), "b.pem");
  const RunResult r = import(b_path, "second", "77");
  EXPECT_EQ(r.status, 1);
  EXPECT_TRUE(contains(r.output, "already assigned")) << r.output;
  {
    UserSession s;
    EXPECT_TRUE(s.find(CKO_PRIVATE_KEY, "second").empty());
  }
  ASSERT_EQ(import(b_path, "second", "77", {"--force"}).status, 0);
  UserSession s;
  EXPECT_EQ(s.find(CKO_PRIVATE_KEY, "second").size(), 1u);
}

TEST_F(ImportTest, RejectsBadIdAndMissingSelection) {
  const PkeyPtr key = p256();
  ASSERT_TRUE(key);
  const std::string path = pem(key.get(), "ec.pem");
  EXPECT_EQ(import(path, "k", "abc").status, 1);  // odd number of digits
  EXPECT_EQ(import(path, "k", "zz").status, 1);
  EXPECT_EQ(run_tool({"--import", path, "--label", "k", "--id", "01", "--pin", kUser}).status, 1);  // no token
  EXPECT_EQ(run_tool({"--import", path, "--token", "none", "--label", "k", "--id", "01", "--pin", kUser}).status, 1);
}

TEST_F(ImportTest, SelectBySlotAndSerial) {
  const PkeyPtr key = p256();
  ASSERT_TRUE(key);
  const std::string path = pem(key.get(), "ec.pem");
  const auto t = tokens();
  ASSERT_EQ(t.size(), 1u);
  RunResult r = run_tool({"--import", path, "--serial", t[0].first, "--label", "by-serial", "--id", "10", "--pin", kUser});
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_TRUE(contains(r.output, "Found slot 0 with matching token serial.")) << r.output;
  r = run_tool({"--import", path, "--slot", "0", "--label", "by-slot", "--id", "11", "--pin", kUser});
  ASSERT_EQ(r.status, 0) << r.output;
  UserSession s;
  EXPECT_EQ(s.find(CKO_PRIVATE_KEY, "by-serial").size(), 1u);
  EXPECT_EQ(s.find(CKO_PRIVATE_KEY, "by-slot").size(), 1u);
}

// ---- secret keys (--aes, --secret-type) -----------------------------------------------------

class SecretImportTest : public ImportTest {
 protected:
  static Bytes random_bytes(std::size_t n) {
    Bytes b(n);
    EXPECT_EQ(RAND_bytes(b.data(), static_cast<int>(b.size())), 1);
    return b;
  }
  static std::string to_hex(const Bytes& b) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    for (std::uint8_t v : b) out.append({kDigits[v >> 4], kDigits[v & 0xF]});
    return out;
  }
  // Writes `content` to a file in the scratch directory and returns its path.
  std::string file(const std::string& name, const std::string& content) {
    const std::string path = key_path(name);
    std::ofstream(path) << content;
    return path;
  }
  // --import with a secret key type option (e.g. {"--aes"} or {"--secret-type", "chacha20"}).
  RunResult import_secret(const std::string& path, const std::string& label, const std::string& id,
                          std::vector<std::string> type_args, std::vector<std::string> extra = {}) {
    type_args.insert(type_args.end(), extra.begin(), extra.end());
    return import(path, label, id, type_args);
  }

  // The single secret key with `label`, with the attributes every imported secret key has.
  CK_OBJECT_HANDLE imported_secret(UserSession& s, const std::string& label, CK_KEY_TYPE kt, const Bytes& id) {
    const auto found = s.find(CKO_SECRET_KEY, label);
    EXPECT_EQ(found.size(), 1u);
    if (found.size() != 1) return CK_INVALID_HANDLE;
    const CK_OBJECT_HANDLE o = found[0];
    EXPECT_EQ(s.ulong_attr(o, CKA_KEY_TYPE), kt);
    EXPECT_EQ(s.attr(o, CKA_ID), id);
    EXPECT_EQ(s.attr(o, CKA_LABEL), bytes(label));
    EXPECT_TRUE(s.flag(o, CKA_TOKEN));
    EXPECT_TRUE(s.flag(o, CKA_PRIVATE));
    EXPECT_TRUE(s.flag(o, CKA_SENSITIVE));
    EXPECT_FALSE(s.flag(o, CKA_EXTRACTABLE));
    CK_RV rv = CKR_OK;
    (void)s.attr(o, CKA_VALUE, &rv);
    EXPECT_EQ(rv, CKR_ATTRIBUTE_SENSITIVE);
    return o;
  }

  // Usage flags: cipher = encrypt/decrypt/wrap/unwrap, mac = sign/verify, derive.
  static void expect_uses(UserSession& s, CK_OBJECT_HANDLE o, bool cipher, bool mac, bool derive) {
    for (CK_ATTRIBUTE_TYPE t : {CKA_ENCRYPT, CKA_DECRYPT, CKA_WRAP, CKA_UNWRAP}) EXPECT_EQ(s.flag(o, t), cipher) << t;
    for (CK_ATTRIBUTE_TYPE t : {CKA_SIGN, CKA_VERIFY}) EXPECT_EQ(s.flag(o, t), mac) << t;
    EXPECT_EQ(s.flag(o, CKA_DERIVE), derive);
  }

  // Nothing with `label` may exist on the token.
  void expect_absent(const std::string& label) {
    UserSession s;
    EXPECT_TRUE(s.find(CKO_SECRET_KEY, label).empty()) << label;
  }
};

// softhsm2-util's format: hex of either case, whitespace and line breaks anywhere between digits.
TEST_F(SecretImportTest, AesKeyFromHexFileEncryptsLikeOpenSsl) {
  const Bytes key = random_bytes(32);
  std::string hex = to_hex(key);
  for (std::size_t i = 0; i < 16; ++i) hex[i] = static_cast<char>(std::toupper(static_cast<unsigned char>(hex[i])));
  const std::string content = "  " + hex.substr(0, 30) + " \n\t" + hex.substr(30, 1) + "\r\n" + hex.substr(31) + "\n\n";
  const RunResult r = import_secret(file("aes.hex", content), "aes-key", "a0", {"--aes"});
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_TRUE(contains(r.output, "Found slot 0 with matching token label.")) << r.output;
  EXPECT_TRUE(contains(r.output, "The AES key has been imported.")) << r.output;

  UserSession s;
  const CK_OBJECT_HANDLE o = imported_secret(s, "aes-key", CKK_AES, Bytes{0xa0});
  ASSERT_NE(o, CK_INVALID_HANDLE);
  EXPECT_EQ(s.ulong_attr(o, CKA_VALUE_LEN), 32u);
  expect_uses(s, o, /*cipher=*/true, /*mac=*/false, /*derive=*/false);
  EXPECT_TRUE(s.find(CKO_PRIVATE_KEY, "aes-key").empty());

  // The FIPS 197 appendix C plaintext block, encrypted by the token and by OpenSSL.
  Bytes block{0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff};
  CK_MECHANISM ecb{CKM_AES_ECB, nullptr, 0};
  ASSERT_EQ(s.f->C_EncryptInit(s.h, &ecb, o), CKR_OK);
  Bytes token_ct(16);
  CK_ULONG len = token_ct.size();
  ASSERT_EQ(s.f->C_Encrypt(s.h, block.data(), block.size(), token_ct.data(), &len), CKR_OK);
  ASSERT_EQ(len, 16u);

  std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)> ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  ASSERT_EQ(EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_ecb(), nullptr, key.data(), nullptr), 1);
  ASSERT_EQ(EVP_CIPHER_CTX_set_padding(ctx.get(), 0), 1);
  Bytes ossl_ct(32);
  int out = 0;
  ASSERT_EQ(EVP_EncryptUpdate(ctx.get(), ossl_ct.data(), &out, block.data(), static_cast<int>(block.size())), 1);
  ossl_ct.resize(static_cast<std::size_t>(out));
  EXPECT_EQ(token_ct, ossl_ct);
}

TEST_F(SecretImportTest, ChaCha20KeyEncryptsLikeOpenSsl) {
  const Bytes key = random_bytes(32);
  const RunResult r = import_secret(file("chacha.hex", to_hex(key) + "\n"), "chacha", "c0c0",
                                    {"--secret-type", "chacha20"});
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_TRUE(contains(r.output, "The ChaCha20 key has been imported.")) << r.output;

  UserSession s;
  const CK_OBJECT_HANDLE o = imported_secret(s, "chacha", CKK_CHACHA20, Bytes{0xc0, 0xc0});
  ASSERT_NE(o, CK_INVALID_HANDLE);
  expect_uses(s, o, /*cipher=*/true, /*mac=*/false, /*derive=*/false);

  Bytes nonce(12, 0x07), aad{'h', 'd', 'r'}, msg{'t', 'o', 'o', ' ', 'm', 'a', 'n', 'y', ' ', 's', 'e', 'c', 'r', 'e', 't', 's'};
  CK_SALSA20_CHACHA20_POLY1305_PARAMS params{nonce.data(), nonce.size(), aad.data(), aad.size()};
  CK_MECHANISM mech{CKM_CHACHA20_POLY1305, &params, sizeof params};
  ASSERT_EQ(s.f->C_EncryptInit(s.h, &mech, o), CKR_OK);
  Bytes token_ct(msg.size() + 16);
  CK_ULONG len = token_ct.size();
  ASSERT_EQ(s.f->C_Encrypt(s.h, msg.data(), msg.size(), token_ct.data(), &len), CKR_OK);
  token_ct.resize(len);

  std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)> ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  ASSERT_EQ(EVP_EncryptInit_ex(ctx.get(), EVP_chacha20_poly1305(), nullptr, key.data(), nonce.data()), 1);
  int out = 0;
  ASSERT_EQ(EVP_EncryptUpdate(ctx.get(), nullptr, &out, aad.data(), static_cast<int>(aad.size())), 1);
  Bytes ossl_ct(msg.size() + 16);
  ASSERT_EQ(EVP_EncryptUpdate(ctx.get(), ossl_ct.data(), &out, msg.data(), static_cast<int>(msg.size())), 1);
  int fin = 0;
  ASSERT_EQ(EVP_EncryptFinal_ex(ctx.get(), ossl_ct.data() + out, &fin), 1);
  ASSERT_EQ(EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_AEAD_GET_TAG, 16, ossl_ct.data() + msg.size()), 1);
  EXPECT_EQ(token_ct, ossl_ct);
}

TEST_F(SecretImportTest, HmacSha256KeySignsLikeOpenSsl) {
  const Bytes key = random_bytes(45);  // any length is a valid HMAC key
  const RunResult r = import_secret(file("hmac.hex", to_hex(key)), "mac", "4d", {"--secret-type", "hmac-sha256"});
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_TRUE(contains(r.output, "The HMAC-SHA256 key has been imported.")) << r.output;

  UserSession s;
  const CK_OBJECT_HANDLE o = imported_secret(s, "mac", CKK_SHA256_HMAC, Bytes{0x4d});
  ASSERT_NE(o, CK_INVALID_HANDLE);
  EXPECT_EQ(s.ulong_attr(o, CKA_VALUE_LEN), 45u);
  expect_uses(s, o, /*cipher=*/false, /*mac=*/true, /*derive=*/false);

  Bytes msg = bytes("The quick brown fox jumps over the lazy dog");
  CK_MECHANISM mech{CKM_SHA256_HMAC, nullptr, 0};
  ASSERT_EQ(s.f->C_SignInit(s.h, &mech, o), CKR_OK);
  Bytes token_mac(32);
  CK_ULONG len = token_mac.size();
  ASSERT_EQ(s.f->C_Sign(s.h, msg.data(), msg.size(), token_mac.data(), &len), CKR_OK);
  token_mac.resize(len);

  Bytes ossl_mac(EVP_MAX_MD_SIZE);
  std::size_t mac_len = 0;
  ASSERT_NE(EVP_Q_mac(nullptr, "HMAC", nullptr, "SHA256", nullptr, key.data(), key.size(), msg.data(), msg.size(),
                      ossl_mac.data(), ossl_mac.size(), &mac_len),
            nullptr);
  ossl_mac.resize(mac_len);
  EXPECT_EQ(token_mac, ossl_mac);
}

// Every --secret-type name: its key type and the usage flags of its kind (case-insensitive names).
TEST_F(SecretImportTest, EverySecretTypeGetsItsKeyTypeAndFlags) {
  struct Case {
    const char* name;
    CK_KEY_TYPE kt;
    bool cipher, mac, derive;
  };
  const Case cases[] = {
      {"AES", CKK_AES, true, false, false},
      {"generic", CKK_GENERIC_SECRET, false, true, true},
      {"hkdf", CKK_HKDF, false, false, true},
      {"hmac-sha1", CKK_SHA_1_HMAC, false, true, false},
      {"hmac-sha224", CKK_SHA224_HMAC, false, true, false},
      {"hmac-sha384", CKK_SHA384_HMAC, false, true, false},
      {"hmac-sha512", CKK_SHA512_HMAC, false, true, false},
      {"hmac-sha512-224", CKK_SHA512_224_HMAC, false, true, false},
      {"hmac-sha512-256", CKK_SHA512_256_HMAC, false, true, false},
      {"hmac-sha3-224", CKK_SHA3_224_HMAC, false, true, false},
      {"HMAC-SHA3-256", CKK_SHA3_256_HMAC, false, true, false},
      {"hmac-sha3-384", CKK_SHA3_384_HMAC, false, true, false},
      {"hmac-sha3-512", CKK_SHA3_512_HMAC, false, true, false},
  };
  std::uint8_t id = 0x30;
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const std::string label = std::string("k-") + c.name;
    const RunResult r = import_secret(file(label + ".hex", to_hex(random_bytes(32))), label, to_hex({id}),
                                      {"--secret-type", c.name});
    ASSERT_EQ(r.status, 0) << r.output;
    UserSession s;
    const CK_OBJECT_HANDLE o = imported_secret(s, label, c.kt, Bytes{id});
    ASSERT_NE(o, CK_INVALID_HANDLE);
    expect_uses(s, o, c.cipher, c.mac, c.derive);
    ++id;
  }
}

// A bad key file fails before the PIN is asked for (no --pin, stdin is /dev/null) and creates nothing.
TEST_F(SecretImportTest, BadHexFilesAreRefused) {
  struct Case {
    const char* name;
    std::string content;
    const char* message;
  };
  const Case cases[] = {
      {"not-hex", "00112233445566778899aabbccddeeffzz", "is not hexadecimal"},
      {"prefixed", "0x00112233445566778899aabbccddeeff", "is not hexadecimal"},
      {"odd", "00112233445566778899aabbccddeeff0", "odd number of hexadecimal digits"},
      {"empty", " \n\n", "holds no key"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const RunResult r = run_tool({"--import", file(std::string(c.name) + ".hex", c.content), "--token", "keys", "--label",
                                  c.name, "--id", "01", "--aes"});
    EXPECT_EQ(r.status, 1);
    EXPECT_TRUE(contains(r.output, std::string("ERROR: The key file ") + key_path(c.name) + ".hex")) << r.output;
    EXPECT_TRUE(contains(r.output, c.message)) << r.output;
    EXPECT_FALSE(contains(r.output, "PIN")) << r.output;
    expect_absent(c.name);
  }
  const RunResult missing = import_secret(key_path("absent.hex"), "absent", "01", {"--aes"});
  EXPECT_EQ(missing.status, 1);
  EXPECT_TRUE(contains(missing.output, "Could not open the key file")) << missing.output;
}

TEST_F(SecretImportTest, WrongKeyLengthsAreRefused) {
  RunResult r = import_secret(file("aes20.hex", to_hex(random_bytes(20))), "aes20", "01", {"--aes"});
  EXPECT_EQ(r.status, 1);
  EXPECT_TRUE(contains(r.output, "An AES key is 16, 24 or 32 bytes")) << r.output;
  EXPECT_TRUE(contains(r.output, "holds 20 bytes")) << r.output;
  r = import_secret(file("chacha16.hex", to_hex(random_bytes(16))), "chacha16", "02", {"--secret-type", "chacha20"});
  EXPECT_EQ(r.status, 1);
  EXPECT_TRUE(contains(r.output, "A ChaCha20 key is 32 bytes")) << r.output;
  expect_absent("aes20");
  expect_absent("chacha16");
  // The accepted AES sizes all import.
  for (std::size_t n : {16u, 24u, 32u}) {
    const std::string label = "aes" + std::to_string(n);
    r = import_secret(file(label + ".hex", to_hex(random_bytes(n))), label, to_hex({static_cast<std::uint8_t>(n)}),
                      {"--aes"});
    EXPECT_EQ(r.status, 0) << r.output;
  }
}

TEST_F(SecretImportTest, DuplicateIdRefusedUnlessForced) {
  const PkeyPtr ec = p256();
  ASSERT_TRUE(ec);
  ASSERT_EQ(import(pem(ec.get(), "ec.pem"), "pair", "99").status, 0);
  const std::string a = file("a.hex", to_hex(random_bytes(16)));
  const std::string b = file("b.hex", to_hex(random_bytes(32)));
  RunResult r = import_secret(a, "clash-with-pair", "99", {"--aes"});  // the id of a key pair
  EXPECT_EQ(r.status, 1);
  EXPECT_TRUE(contains(r.output, "The ID 99 is already assigned")) << r.output;
  ASSERT_EQ(import_secret(a, "first", "42", {"--aes"}).status, 0);
  r = import_secret(b, "second", "42", {"--secret-type", "hmac-sha256"});  // the id of a secret key
  EXPECT_EQ(r.status, 1);
  EXPECT_TRUE(contains(r.output, "already assigned")) << r.output;
  expect_absent("clash-with-pair");
  expect_absent("second");
  r = import_secret(b, "second", "42", {"--secret-type", "hmac-sha256"}, {"--force"});
  ASSERT_EQ(r.status, 0) << r.output;
  UserSession s;
  EXPECT_EQ(s.find(CKO_SECRET_KEY, "second").size(), 1u);
  EXPECT_EQ(s.find(CKO_SECRET_KEY, "first").size(), 1u);
}

TEST_F(SecretImportTest, AesWithPemFileFails) {
  const PkeyPtr ec = p256();
  ASSERT_TRUE(ec);
  const RunResult r = import_secret(pem(ec.get(), "ec.pem"), "pem-as-aes", "01", {"--aes"});
  EXPECT_EQ(r.status, 1);
  EXPECT_TRUE(contains(r.output, "holds a PEM key")) << r.output;
  expect_absent("pem-as-aes");
  UserSession s;
  EXPECT_TRUE(s.find(CKO_PRIVATE_KEY, "pem-as-aes").empty());
}

TEST_F(SecretImportTest, SecretTypeOptionErrors) {
  const std::string path = file("k.hex", to_hex(random_bytes(32)));
  RunResult r = import_secret(path, "k", "01", {"--secret-type", "des3"});
  EXPECT_EQ(r.status, 1);
  EXPECT_TRUE(contains(r.output, "Unknown --secret-type 'des3'")) << r.output;
  EXPECT_TRUE(contains(r.output, "hmac-sha3-512")) << r.output;
  r = import_secret(path, "k", "01", {"--aes", "--secret-type", "hmac-sha256"});
  EXPECT_EQ(r.status, 1);
  EXPECT_TRUE(contains(r.output, "--aes contradicts --secret-type hmac-sha256")) << r.output;
  r = run_tool({"--show-slots", "--aes"});
  EXPECT_EQ(r.status, 1);
  EXPECT_TRUE(contains(r.output, "go with --import")) << r.output;
  expect_absent("k");
  r = import_secret(path, "k", "01", {"--aes", "--secret-type", "aes"});  // redundant but consistent
  EXPECT_EQ(r.status, 0) << r.output;
}

}  // namespace
}  // namespace craton::test
