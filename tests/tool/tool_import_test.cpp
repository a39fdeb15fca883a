// Tests of craton-hsm-util --import: keys generated here with OpenSSL, imported by the tool, then
// inspected through the module.
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

}  // namespace
}  // namespace craton::test
