// Key-use policy applied by the framework to every mechanism: CKA_ALWAYS_AUTHENTICATE with
// context-specific login, CKA_ALLOWED_MECHANISMS, CKA_WRAP_WITH_TRUSTED, CKA_WRAP_TEMPLATE and
// CKA_UNWRAP_TEMPLATE, CKA_EXTRACTABLE on wrap, and the parsed-key cache following object changes.
#include "module_fixture.h"

namespace craton::test {
namespace {

using Bytes = std::vector<std::uint8_t>;

class MechPolicy : public TokenTest {
 protected:
  void SetUp() override {
    TokenTest::SetUp();
    ASSERT_EQ(login(rw_, CKU_USER, kUserPin), CKR_OK);
  }

  // An RSA-2048 pair; `priv_extra` adds attributes to the private template.
  std::pair<CK_OBJECT_HANDLE, CK_OBJECT_HANDLE> rsa_pair(Template priv_extra = Template(), Template pub_extra = Template()) {
    CK_MECHANISM m{CKM_RSA_PKCS_KEY_PAIR_GEN, nullptr, 0};
    pub_extra.ulong(CKA_MODULUS_BITS, 2048);
    CK_OBJECT_HANDLE pub = 0, priv = 0;
    EXPECT_EQ(f->C_GenerateKeyPair(rw_, &m, pub_extra.data(), pub_extra.size(), priv_extra.data(), priv_extra.size(),
                                   &pub, &priv),
              CKR_OK);
    return {pub, priv};
  }

  CK_OBJECT_HANDLE secret(Template t) {
    CK_MECHANISM m{CKM_GENERIC_SECRET_KEY_GEN, nullptr, 0};
    t.ulong(CKA_VALUE_LEN, 32);
    CK_OBJECT_HANDLE h = 0;
    EXPECT_EQ(f->C_GenerateKey(rw_, &m, t.data(), t.size(), &h), CKR_OK);
    return h;
  }

  CK_RV sign(CK_OBJECT_HANDLE key, CK_MECHANISM_TYPE mech = CKM_SHA256_RSA_PKCS) {
    CK_MECHANISM m{mech, nullptr, 0};
    CK_RV rv = f->C_SignInit(rw_, &m, key);
    if (rv != CKR_OK) return rv;
    Bytes data(16, 1), sig(512);
    CK_ULONG n = sig.size();
    return f->C_Sign(rw_, data.data(), data.size(), sig.data(), &n);
  }

  CK_RV wrap(CK_OBJECT_HANDLE wrapping, CK_OBJECT_HANDLE key, Bytes* out = nullptr) {
    CK_RSA_PKCS_OAEP_PARAMS p{CKM_SHA256, CKG_MGF1_SHA256, 0, nullptr, 0};
    CK_MECHANISM m{CKM_RSA_PKCS_OAEP, &p, sizeof p};
    Bytes buf(512);
    CK_ULONG n = buf.size();
    const CK_RV rv = f->C_WrapKey(rw_, &m, wrapping, key, buf.data(), &n);
    buf.resize(n);
    if (out != nullptr) *out = buf;
    return rv;
  }
};

TEST_F(MechPolicy, AlwaysAuthenticateNeedsAContextLogin) {
  Template priv;
  priv.boolean(CKA_ALWAYS_AUTHENTICATE, true);
  auto [pub, key] = rsa_pair(std::move(priv));
  CK_MECHANISM m{CKM_SHA256_RSA_PKCS, nullptr, 0};
  ASSERT_EQ(f->C_SignInit(rw_, &m, key), CKR_OK);
  Bytes data(16, 1), sig(256);
  CK_ULONG n = sig.size();
  EXPECT_EQ(f->C_Sign(rw_, data.data(), data.size(), sig.data(), &n), CKR_USER_NOT_LOGGED_IN);
  std::string wrong = "not-the-pin";
  EXPECT_EQ(login(rw_, CKU_CONTEXT_SPECIFIC, wrong), CKR_PIN_INCORRECT);
  ASSERT_EQ(login(rw_, CKU_CONTEXT_SPECIFIC, kUserPin), CKR_OK);
  ASSERT_EQ(f->C_Sign(rw_, data.data(), data.size(), sig.data(), &n), CKR_OK);
  // Each operation needs its own context login.
  ASSERT_EQ(f->C_SignInit(rw_, &m, key), CKR_OK);
  EXPECT_EQ(f->C_Sign(rw_, data.data(), data.size(), sig.data(), &n), CKR_USER_NOT_LOGGED_IN);
  // Verification with the public key needs none.
  CK_MECHANISM v{CKM_SHA256_RSA_PKCS, nullptr, 0};
  EXPECT_EQ(f->C_SignInit(rw_, nullptr, key), CKR_OK);
  ASSERT_EQ(login(rw_, CKU_CONTEXT_SPECIFIC, kUserPin), CKR_OPERATION_NOT_INITIALIZED);
  ASSERT_EQ(f->C_SignInit(rw_, &m, key), CKR_OK);
  ASSERT_EQ(login(rw_, CKU_CONTEXT_SPECIFIC, kUserPin), CKR_OK);
  n = sig.size();
  ASSERT_EQ(f->C_Sign(rw_, data.data(), data.size(), sig.data(), &n), CKR_OK);
  ASSERT_EQ(f->C_VerifyInit(rw_, &v, pub), CKR_OK);
  EXPECT_EQ(f->C_Verify(rw_, data.data(), data.size(), sig.data(), n), CKR_OK);
}

TEST_F(MechPolicy, AllowedMechanismsRestrictTheKey) {
  const CK_MECHANISM_TYPE allowed[] = {CKM_SHA256_RSA_PKCS};
  Template priv;
  priv.add(CKA_ALLOWED_MECHANISMS, allowed, sizeof allowed);
  auto [pub, key] = rsa_pair(std::move(priv));
  EXPECT_EQ(sign(key, CKM_SHA256_RSA_PKCS), CKR_OK);
  EXPECT_EQ(sign(key, CKM_SHA384_RSA_PKCS), CKR_MECHANISM_INVALID);
  (void)pub;
}

TEST_F(MechPolicy, UsageAttributesAndClasses) {
  Template priv;
  priv.boolean(CKA_SIGN, false);
  auto [pub, key] = rsa_pair(std::move(priv));
  EXPECT_EQ(sign(key), CKR_KEY_FUNCTION_NOT_PERMITTED);
  EXPECT_EQ(sign(pub), CKR_KEY_TYPE_INCONSISTENT);  // a public key cannot sign at all
  EXPECT_EQ(sign(0xdead), CKR_KEY_HANDLE_INVALID);
  Template hmac;
  hmac.boolean(CKA_SIGN, true);
  EXPECT_EQ(sign(secret(std::move(hmac))), CKR_KEY_TYPE_INCONSISTENT);  // wrong key type for RSA
}

TEST_F(MechPolicy, WrapNeedsAnExtractableKeyAndHonoursTrust) {
  auto [wrapping_pub, unwrapping] = rsa_pair();
  Template unextractable;
  unextractable.boolean(CKA_EXTRACTABLE, false);
  EXPECT_EQ(wrap(wrapping_pub, secret(std::move(unextractable))), CKR_KEY_UNEXTRACTABLE);
  Template trusted_only;
  trusted_only.boolean(CKA_EXTRACTABLE, true).boolean(CKA_WRAP_WITH_TRUSTED, true);
  const CK_OBJECT_HANDLE guarded = secret(std::move(trusted_only));
  EXPECT_EQ(wrap(wrapping_pub, guarded), CKR_KEY_NOT_WRAPPABLE);  // the wrapping key is not CKA_TRUSTED
  Template ok;
  ok.boolean(CKA_EXTRACTABLE, true);
  EXPECT_EQ(wrap(wrapping_pub, secret(std::move(ok))), CKR_OK);
  EXPECT_EQ(wrap(0xdead, guarded), CKR_WRAPPING_KEY_HANDLE_INVALID);
  (void)unwrapping;
}

TEST_F(MechPolicy, WrapAndUnwrapTemplates) {
  // The wrapping key only wraps AES keys; the unwrapping key forces CKA_SENSITIVE on what it makes.
  CK_KEY_TYPE aes = CKK_AES;
  CK_ATTRIBUTE wrap_tmpl[] = {{CKA_KEY_TYPE, &aes, sizeof aes}};
  CK_BBOOL yes = CK_TRUE;
  CK_ATTRIBUTE unwrap_tmpl[] = {{CKA_SENSITIVE, &yes, 1}};
  Template pub_extra, priv_extra;
  pub_extra.add(CKA_WRAP_TEMPLATE, wrap_tmpl, sizeof wrap_tmpl);
  priv_extra.add(CKA_UNWRAP_TEMPLATE, unwrap_tmpl, sizeof unwrap_tmpl);
  auto [pub, priv] = rsa_pair(std::move(priv_extra), std::move(pub_extra));
  Template generic;
  generic.boolean(CKA_EXTRACTABLE, true);
  EXPECT_EQ(wrap(pub, secret(std::move(generic))), CKR_KEY_NOT_WRAPPABLE);
  Template a;
  a.ulong(CKA_CLASS, CKO_SECRET_KEY).ulong(CKA_KEY_TYPE, CKK_AES).bytes(CKA_VALUE, Bytes(16, 9)).boolean(CKA_EXTRACTABLE, true);
  CK_OBJECT_HANDLE aes_key = 0;
  ASSERT_EQ(f->C_CreateObject(rw_, a.data(), a.size(), &aes_key), CKR_OK);
  Bytes wrapped;
  ASSERT_EQ(wrap(pub, aes_key, &wrapped), CKR_OK);
  CK_RSA_PKCS_OAEP_PARAMS p{CKM_SHA256, CKG_MGF1_SHA256, 0, nullptr, 0};
  CK_MECHANISM m{CKM_RSA_PKCS_OAEP, &p, sizeof p};
  Template contradicting;
  contradicting.ulong(CKA_CLASS, CKO_SECRET_KEY).ulong(CKA_KEY_TYPE, CKK_AES).boolean(CKA_SENSITIVE, false);
  CK_OBJECT_HANDLE h = 0;
  EXPECT_EQ(f->C_UnwrapKey(rw_, &m, priv, wrapped.data(), wrapped.size(), contradicting.data(), contradicting.size(), &h),
            CKR_TEMPLATE_INCONSISTENT);
  Template plain;
  plain.ulong(CKA_CLASS, CKO_SECRET_KEY).ulong(CKA_KEY_TYPE, CKK_AES);
  ASSERT_EQ(f->C_UnwrapKey(rw_, &m, priv, wrapped.data(), wrapped.size(), plain.data(), plain.size(), &h), CKR_OK);
  CK_BBOOL sensitive = CK_FALSE, local = CK_TRUE, always = CK_TRUE;
  CK_ATTRIBUTE got[] = {{CKA_SENSITIVE, &sensitive, 1}, {CKA_LOCAL, &local, 1}, {CKA_ALWAYS_SENSITIVE, &always, 1}};
  ASSERT_EQ(f->C_GetAttributeValue(rw_, h, got, 3), CKR_OK);
  EXPECT_EQ(sensitive, CK_TRUE);
  EXPECT_EQ(local, CK_FALSE);   // unwrapped keys are never local
  EXPECT_EQ(always, CK_FALSE);  // ... nor always sensitive
}

TEST_F(MechPolicy, ChangedKeyIsReparsed) {
  // Signing works, the key's usage is changed, and the next Init sees the change at once, in
  // both directions (the usage answer is kept per key version, object/key_facts.h).
  auto [pub, key] = rsa_pair();
  EXPECT_EQ(sign(key), CKR_OK);
  CK_BBOOL no = CK_FALSE, yes = CK_TRUE;
  CK_ATTRIBUTE off[] = {{CKA_SIGN, &no, 1}};
  CK_ATTRIBUTE on[] = {{CKA_SIGN, &yes, 1}};
  ASSERT_EQ(f->C_SetAttributeValue(rw_, key, off, 1), CKR_OK);
  EXPECT_EQ(sign(key), CKR_KEY_FUNCTION_NOT_PERMITTED);
  ASSERT_EQ(f->C_SetAttributeValue(rw_, key, on, 1), CKR_OK);
  EXPECT_EQ(sign(key), CKR_OK);
  ASSERT_EQ(f->C_SetAttributeValue(rw_, key, off, 1), CKR_OK);
  EXPECT_EQ(sign(key), CKR_KEY_FUNCTION_NOT_PERMITTED);
  ASSERT_EQ(f->C_DestroyObject(rw_, key), CKR_OK);
  EXPECT_EQ(sign(key), CKR_KEY_HANDLE_INVALID);
  (void)pub;
}

}  // namespace
}  // namespace craton::test
