// The cryptographic entry points with no mechanism families registered: every *Init and every
// key-management call refuses the mechanism, continuations without an Init are
// CKR_OPERATION_NOT_INITIALIZED, argument and session checks come first, and the RNG works.
#include <functional>
#include <string>

#include "module_fixture.h"

namespace craton::test {
namespace {

using Bytes = std::vector<std::uint8_t>;
using Call = std::function<CK_RV(CK_SESSION_HANDLE)>;
struct Named {
  std::string name;
  Call call;
};

constexpr CK_MECHANISM_TYPE kUnknownMech = CKM_VENDOR_DEFINED + 0x4242;

class ObjCryptoEntry : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    slot_ = make_token();
    s_ = open(slot_, true);
    ASSERT_EQ(login(s_, CKU_USER, kUserPin), CKR_OK);
    Template t;
    t.ulong(CKA_CLASS, CKO_SECRET_KEY).ulong(CKA_KEY_TYPE, CKK_AES).bytes(CKA_VALUE, Bytes(32, 0x24));
    ASSERT_EQ(f->C_CreateObject(s_, t.data(), t.size(), &key_), CKR_OK);
  }

  // The Init functions, applied to a mechanism pointer (NULL allowed) and the test key.
  std::vector<std::pair<std::string, std::function<CK_RV(CK_SESSION_HANDLE, CK_MECHANISM*)>>> inits() {
    using P = std::pair<std::string, std::function<CK_RV(CK_SESSION_HANDLE, CK_MECHANISM*)>>;
    const CK_OBJECT_HANDLE k = key_;
    auto f3 = [this, k](auto fn) { return [this, k, fn](CK_SESSION_HANDLE s, CK_MECHANISM* m) { return (f->*fn)(s, m, k); }; };
    return {
        P{"C_EncryptInit", f3(&CK_FUNCTION_LIST_3_2::C_EncryptInit)},
        P{"C_DecryptInit", f3(&CK_FUNCTION_LIST_3_2::C_DecryptInit)},
        P{"C_SignInit", f3(&CK_FUNCTION_LIST_3_2::C_SignInit)},
        P{"C_VerifyInit", f3(&CK_FUNCTION_LIST_3_2::C_VerifyInit)},
        P{"C_SignRecoverInit", f3(&CK_FUNCTION_LIST_3_2::C_SignRecoverInit)},
        P{"C_VerifyRecoverInit", f3(&CK_FUNCTION_LIST_3_2::C_VerifyRecoverInit)},
        P{"C_MessageEncryptInit", f3(&CK_FUNCTION_LIST_3_2::C_MessageEncryptInit)},
        P{"C_MessageDecryptInit", f3(&CK_FUNCTION_LIST_3_2::C_MessageDecryptInit)},
        P{"C_MessageSignInit", f3(&CK_FUNCTION_LIST_3_2::C_MessageSignInit)},
        P{"C_MessageVerifyInit", f3(&CK_FUNCTION_LIST_3_2::C_MessageVerifyInit)},
        P{"C_DigestInit", [this](CK_SESSION_HANDLE s, CK_MECHANISM* m) { return f->C_DigestInit(s, m); }},
        P{"C_VerifySignatureInit",
          [this, k](CK_SESSION_HANDLE s, CK_MECHANISM* m) { return f->C_VerifySignatureInit(s, m, k, sig_, sizeof sig_); }},
    };
  }

  // Every call that continues an operation, with well-formed arguments.
  std::vector<Named> continuations() {
    return {
        {"C_Encrypt", [this](CK_SESSION_HANDLE s) { return f->C_Encrypt(s, in_, sizeof in_, out_, &out_len_); }},
        {"C_EncryptUpdate", [this](CK_SESSION_HANDLE s) { return f->C_EncryptUpdate(s, in_, sizeof in_, out_, &out_len_); }},
        {"C_EncryptFinal", [this](CK_SESSION_HANDLE s) { return f->C_EncryptFinal(s, out_, &out_len_); }},
        {"C_Decrypt", [this](CK_SESSION_HANDLE s) { return f->C_Decrypt(s, in_, sizeof in_, out_, &out_len_); }},
        {"C_DecryptUpdate", [this](CK_SESSION_HANDLE s) { return f->C_DecryptUpdate(s, in_, sizeof in_, out_, &out_len_); }},
        {"C_DecryptFinal", [this](CK_SESSION_HANDLE s) { return f->C_DecryptFinal(s, out_, &out_len_); }},
        {"C_Digest", [this](CK_SESSION_HANDLE s) { return f->C_Digest(s, in_, sizeof in_, out_, &out_len_); }},
        {"C_DigestUpdate", [this](CK_SESSION_HANDLE s) { return f->C_DigestUpdate(s, in_, sizeof in_); }},
        {"C_DigestKey", [this](CK_SESSION_HANDLE s) { return f->C_DigestKey(s, key_); }},
        {"C_DigestFinal", [this](CK_SESSION_HANDLE s) { return f->C_DigestFinal(s, out_, &out_len_); }},
        {"C_Sign", [this](CK_SESSION_HANDLE s) { return f->C_Sign(s, in_, sizeof in_, out_, &out_len_); }},
        {"C_SignUpdate", [this](CK_SESSION_HANDLE s) { return f->C_SignUpdate(s, in_, sizeof in_); }},
        {"C_SignFinal", [this](CK_SESSION_HANDLE s) { return f->C_SignFinal(s, out_, &out_len_); }},
        {"C_SignRecover", [this](CK_SESSION_HANDLE s) { return f->C_SignRecover(s, in_, sizeof in_, out_, &out_len_); }},
        {"C_Verify", [this](CK_SESSION_HANDLE s) { return f->C_Verify(s, in_, sizeof in_, sig_, sizeof sig_); }},
        {"C_VerifyUpdate", [this](CK_SESSION_HANDLE s) { return f->C_VerifyUpdate(s, in_, sizeof in_); }},
        {"C_VerifyFinal", [this](CK_SESSION_HANDLE s) { return f->C_VerifyFinal(s, sig_, sizeof sig_); }},
        {"C_VerifyRecover", [this](CK_SESSION_HANDLE s) { return f->C_VerifyRecover(s, sig_, sizeof sig_, out_, &out_len_); }},
        {"C_DigestEncryptUpdate", [this](CK_SESSION_HANDLE s) { return f->C_DigestEncryptUpdate(s, in_, sizeof in_, out_, &out_len_); }},
        {"C_DecryptDigestUpdate", [this](CK_SESSION_HANDLE s) { return f->C_DecryptDigestUpdate(s, in_, sizeof in_, out_, &out_len_); }},
        {"C_SignEncryptUpdate", [this](CK_SESSION_HANDLE s) { return f->C_SignEncryptUpdate(s, in_, sizeof in_, out_, &out_len_); }},
        {"C_DecryptVerifyUpdate", [this](CK_SESSION_HANDLE s) { return f->C_DecryptVerifyUpdate(s, in_, sizeof in_, out_, &out_len_); }},
        {"C_EncryptMessage", [this](CK_SESSION_HANDLE s) { return f->C_EncryptMessage(s, param_, sizeof param_, in_, sizeof in_, in_, sizeof in_, out_, &out_len_); }},
        {"C_EncryptMessageBegin", [this](CK_SESSION_HANDLE s) { return f->C_EncryptMessageBegin(s, param_, sizeof param_, in_, sizeof in_); }},
        {"C_EncryptMessageNext", [this](CK_SESSION_HANDLE s) { return f->C_EncryptMessageNext(s, param_, sizeof param_, in_, sizeof in_, out_, &out_len_, 0); }},
        {"C_MessageEncryptFinal", [this](CK_SESSION_HANDLE s) { return f->C_MessageEncryptFinal(s); }},
        {"C_DecryptMessage", [this](CK_SESSION_HANDLE s) { return f->C_DecryptMessage(s, param_, sizeof param_, in_, sizeof in_, in_, sizeof in_, out_, &out_len_); }},
        {"C_DecryptMessageBegin", [this](CK_SESSION_HANDLE s) { return f->C_DecryptMessageBegin(s, param_, sizeof param_, in_, sizeof in_); }},
        {"C_DecryptMessageNext", [this](CK_SESSION_HANDLE s) { return f->C_DecryptMessageNext(s, param_, sizeof param_, in_, sizeof in_, out_, &out_len_, 0); }},
        {"C_MessageDecryptFinal", [this](CK_SESSION_HANDLE s) { return f->C_MessageDecryptFinal(s); }},
        {"C_SignMessage", [this](CK_SESSION_HANDLE s) { return f->C_SignMessage(s, param_, sizeof param_, in_, sizeof in_, out_, &out_len_); }},
        {"C_SignMessageBegin", [this](CK_SESSION_HANDLE s) { return f->C_SignMessageBegin(s, param_, sizeof param_); }},
        {"C_SignMessageNext", [this](CK_SESSION_HANDLE s) { return f->C_SignMessageNext(s, param_, sizeof param_, in_, sizeof in_, out_, &out_len_); }},
        {"C_MessageSignFinal", [this](CK_SESSION_HANDLE s) { return f->C_MessageSignFinal(s); }},
        {"C_VerifyMessage", [this](CK_SESSION_HANDLE s) { return f->C_VerifyMessage(s, param_, sizeof param_, in_, sizeof in_, sig_, sizeof sig_); }},
        {"C_VerifyMessageBegin", [this](CK_SESSION_HANDLE s) { return f->C_VerifyMessageBegin(s, param_, sizeof param_); }},
        {"C_VerifyMessageNext", [this](CK_SESSION_HANDLE s) { return f->C_VerifyMessageNext(s, param_, sizeof param_, in_, sizeof in_, sig_, sizeof sig_); }},
        {"C_MessageVerifyFinal", [this](CK_SESSION_HANDLE s) { return f->C_MessageVerifyFinal(s); }},
        {"C_VerifySignature", [this](CK_SESSION_HANDLE s) { return f->C_VerifySignature(s, in_, sizeof in_); }},
        {"C_VerifySignatureUpdate", [this](CK_SESSION_HANDLE s) { return f->C_VerifySignatureUpdate(s, in_, sizeof in_); }},
        {"C_VerifySignatureFinal", [this](CK_SESSION_HANDLE s) { return f->C_VerifySignatureFinal(s); }},
    };
  }

  // Key-management calls with a mechanism pointer (NULL allowed) and all out-pointers valid.
  std::vector<std::pair<std::string, std::function<CK_RV(CK_SESSION_HANDLE, CK_MECHANISM*)>>> key_calls() {
    using P = std::pair<std::string, std::function<CK_RV(CK_SESSION_HANDLE, CK_MECHANISM*)>>;
    return {
        P{"C_GenerateKey", [this](CK_SESSION_HANDLE s, CK_MECHANISM* m) { return f->C_GenerateKey(s, m, tmpl_.data(), tmpl_.size(), &h_); }},
        P{"C_GenerateKeyPair", [this](CK_SESSION_HANDLE s, CK_MECHANISM* m) {
            return f->C_GenerateKeyPair(s, m, tmpl_.data(), tmpl_.size(), tmpl_.data(), tmpl_.size(), &h_, &h2_); }},
        P{"C_WrapKey", [this](CK_SESSION_HANDLE s, CK_MECHANISM* m) { return f->C_WrapKey(s, m, key_, key_, out_, &out_len_); }},
        P{"C_UnwrapKey", [this](CK_SESSION_HANDLE s, CK_MECHANISM* m) {
            return f->C_UnwrapKey(s, m, key_, in_, sizeof in_, tmpl_.data(), tmpl_.size(), &h_); }},
        P{"C_DeriveKey", [this](CK_SESSION_HANDLE s, CK_MECHANISM* m) { return f->C_DeriveKey(s, m, key_, tmpl_.data(), tmpl_.size(), &h_); }},
        P{"C_EncapsulateKey", [this](CK_SESSION_HANDLE s, CK_MECHANISM* m) {
            return f->C_EncapsulateKey(s, m, key_, tmpl_.data(), tmpl_.size(), out_, &out_len_, &h_); }},
        P{"C_DecapsulateKey", [this](CK_SESSION_HANDLE s, CK_MECHANISM* m) {
            return f->C_DecapsulateKey(s, m, key_, tmpl_.data(), tmpl_.size(), in_, sizeof in_, &h_); }},
        P{"C_WrapKeyAuthenticated", [this](CK_SESSION_HANDLE s, CK_MECHANISM* m) {
            return f->C_WrapKeyAuthenticated(s, m, key_, key_, in_, sizeof in_, out_, &out_len_); }},
        P{"C_UnwrapKeyAuthenticated", [this](CK_SESSION_HANDLE s, CK_MECHANISM* m) {
            return f->C_UnwrapKeyAuthenticated(s, m, key_, in_, sizeof in_, tmpl_.data(), tmpl_.size(), in_, sizeof in_, &h_); }},
    };
  }

  // The same calls with one required output (or input) pointer NULL.
  std::vector<Named> key_calls_missing_pointer(CK_MECHANISM* m) {
    return {
        {"C_GenerateKey", [=, this](CK_SESSION_HANDLE s) { return f->C_GenerateKey(s, m, tmpl_.data(), tmpl_.size(), nullptr); }},
        {"C_GenerateKeyPair/pub", [=, this](CK_SESSION_HANDLE s) {
           return f->C_GenerateKeyPair(s, m, tmpl_.data(), tmpl_.size(), tmpl_.data(), tmpl_.size(), nullptr, &h2_); }},
        {"C_GenerateKeyPair/priv", [=, this](CK_SESSION_HANDLE s) {
           return f->C_GenerateKeyPair(s, m, tmpl_.data(), tmpl_.size(), tmpl_.data(), tmpl_.size(), &h_, nullptr); }},
        {"C_GenerateKeyPair/tmpl", [=, this](CK_SESSION_HANDLE s) {
           return f->C_GenerateKeyPair(s, m, tmpl_.data(), tmpl_.size(), nullptr, 2, &h_, &h2_); }},
        {"C_GenerateKey/tmpl", [=, this](CK_SESSION_HANDLE s) { return f->C_GenerateKey(s, m, nullptr, 3, &h_); }},
        {"C_WrapKey", [=, this](CK_SESSION_HANDLE s) { return f->C_WrapKey(s, m, key_, key_, out_, nullptr); }},
        {"C_UnwrapKey/out", [=, this](CK_SESSION_HANDLE s) {
           return f->C_UnwrapKey(s, m, key_, in_, sizeof in_, tmpl_.data(), tmpl_.size(), nullptr); }},
        {"C_UnwrapKey/in", [=, this](CK_SESSION_HANDLE s) {
           return f->C_UnwrapKey(s, m, key_, nullptr, 16, tmpl_.data(), tmpl_.size(), &h_); }},
        {"C_DeriveKey/tmpl", [=, this](CK_SESSION_HANDLE s) { return f->C_DeriveKey(s, m, key_, nullptr, 1, &h_); }},
        {"C_EncapsulateKey/len", [=, this](CK_SESSION_HANDLE s) {
           return f->C_EncapsulateKey(s, m, key_, tmpl_.data(), tmpl_.size(), out_, nullptr, &h_); }},
        {"C_EncapsulateKey/key", [=, this](CK_SESSION_HANDLE s) {
           return f->C_EncapsulateKey(s, m, key_, tmpl_.data(), tmpl_.size(), out_, &out_len_, nullptr); }},
        {"C_DecapsulateKey/key", [=, this](CK_SESSION_HANDLE s) {
           return f->C_DecapsulateKey(s, m, key_, tmpl_.data(), tmpl_.size(), in_, sizeof in_, nullptr); }},
        {"C_DecapsulateKey/in", [=, this](CK_SESSION_HANDLE s) {
           return f->C_DecapsulateKey(s, m, key_, tmpl_.data(), tmpl_.size(), nullptr, 8, &h_); }},
        {"C_WrapKeyAuthenticated/len", [=, this](CK_SESSION_HANDLE s) {
           return f->C_WrapKeyAuthenticated(s, m, key_, key_, in_, sizeof in_, out_, nullptr); }},
        {"C_WrapKeyAuthenticated/ad", [=, this](CK_SESSION_HANDLE s) {
           return f->C_WrapKeyAuthenticated(s, m, key_, key_, nullptr, 4, out_, &out_len_); }},
        {"C_UnwrapKeyAuthenticated/key", [=, this](CK_SESSION_HANDLE s) {
           return f->C_UnwrapKeyAuthenticated(s, m, key_, in_, sizeof in_, tmpl_.data(), tmpl_.size(), in_, sizeof in_, nullptr); }},
        {"C_UnwrapKeyAuthenticated/in", [=, this](CK_SESSION_HANDLE s) {
           return f->C_UnwrapKeyAuthenticated(s, m, key_, nullptr, 4, tmpl_.data(), tmpl_.size(), in_, sizeof in_, &h_); }},
    };
  }

  CK_SLOT_ID slot_ = 0;
  CK_SESSION_HANDLE s_ = CK_INVALID_HANDLE;
  CK_OBJECT_HANDLE key_ = CK_INVALID_HANDLE;
  CK_OBJECT_HANDLE h_ = CK_INVALID_HANDLE, h2_ = CK_INVALID_HANDLE;
  CK_BYTE in_[16] = {1, 2, 3};
  CK_BYTE out_[64] = {};
  CK_ULONG out_len_ = sizeof out_;
  CK_BYTE sig_[32] = {9};
  CK_BYTE param_[12] = {};
  Template tmpl_ = [] {
    Template t;
    t.ulong(CKA_CLASS, CKO_SECRET_KEY).ulong(CKA_KEY_TYPE, CKK_AES).ulong(CKA_VALUE_LEN, 32);
    return t;
  }();
};

TEST_F(ObjCryptoEntry, MechanismListIsSortedAndDescribed) {
  CK_ULONG n = 0;
  ASSERT_EQ(f->C_GetMechanismList(slot_, nullptr, &n), CKR_OK);
  ASSERT_GT(n, 0u);
  std::vector<CK_MECHANISM_TYPE> list(n);
  ASSERT_EQ(f->C_GetMechanismList(slot_, list.data(), &n), CKR_OK);
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (i > 0) {
      EXPECT_LT(list[i - 1], list[i]);
    }
    CK_MECHANISM_INFO info{};
    ASSERT_EQ(f->C_GetMechanismInfo(slot_, list[i], &info), CKR_OK);
    EXPECT_NE(info.flags, 0u) << std::hex << list[i];
    EXPECT_LE(info.ulMinKeySize, info.ulMaxKeySize) << std::hex << list[i];
  }
  CK_MECHANISM_INFO info{};
  EXPECT_EQ(f->C_GetMechanismInfo(slot_, kUnknownMech, &info), CKR_MECHANISM_INVALID);
}

TEST_F(ObjCryptoEntry, InitWithUnknownMechanism) {
  CK_MECHANISM unknown{kUnknownMech, nullptr, 0};
  for (auto& [name, init] : inits()) EXPECT_EQ(init(s_, &unknown), CKR_MECHANISM_INVALID) << name;
  // A mechanism that exists but does not offer the function (a digest used to encrypt, sign, ...).
  CK_MECHANISM digest{CKM_SHA256, nullptr, 0};
  for (auto& [name, init] : inits()) {
    if (name != "C_DigestInit") {
      EXPECT_EQ(init(s_, &digest), CKR_MECHANISM_INVALID) << name;
    }
  }
  // Nothing was started: every continuation still finds no operation.
  for (auto& [name, call] : continuations()) EXPECT_EQ(call(s_), CKR_OPERATION_NOT_INITIALIZED) << name;
}

TEST_F(ObjCryptoEntry, InitWithNullMechanismAndNoOperation) {
  for (auto& [name, init] : inits()) EXPECT_EQ(init(s_, nullptr), CKR_ARGUMENTS_BAD) << name;
}

TEST_F(ObjCryptoEntry, InitWithBadMechanismParameter) {
  CK_MECHANISM m{kUnknownMech, nullptr, 16};  // NULL parameter with a length
  for (auto& [name, init] : inits()) EXPECT_EQ(init(s_, &m), CKR_MECHANISM_PARAM_INVALID) << name;
  CK_MECHANISM ok{kUnknownMech, nullptr, 0};
  EXPECT_EQ(f->C_VerifySignatureInit(s_, &ok, key_, nullptr, 16), CKR_ARGUMENTS_BAD);
}

TEST_F(ObjCryptoEntry, ContinuationsWithoutInit) {
  for (auto& [name, call] : continuations()) EXPECT_EQ(call(s_), CKR_OPERATION_NOT_INITIALIZED) << name;
}

TEST_F(ObjCryptoEntry, KeyManagementRefusesTheMechanism) {
  CK_MECHANISM m{kUnknownMech, nullptr, 0};
  for (auto& [name, call] : key_calls()) {
    EXPECT_EQ(call(s_, &m), CKR_MECHANISM_INVALID) << name;
    EXPECT_EQ(call(s_, nullptr), CKR_ARGUMENTS_BAD) << name << " (NULL mechanism)";
  }
  for (auto& [name, call] : key_calls_missing_pointer(&m)) EXPECT_EQ(call(s_), CKR_ARGUMENTS_BAD) << name;
  CK_OBJECT_HANDLE none = CK_INVALID_HANDLE;
  EXPECT_EQ(f->C_FindObjectsInit(s_, nullptr, 0), CKR_OK);  // no key object was produced
  CK_OBJECT_HANDLE found[4];
  CK_ULONG n = 0;
  ASSERT_EQ(f->C_FindObjects(s_, found, 4, &n), CKR_OK);
  EXPECT_EQ(n, 1u);
  EXPECT_EQ(f->C_FindObjectsFinal(s_), CKR_OK);
  EXPECT_EQ(h_, none);
  EXPECT_EQ(h2_, none);
}

TEST_F(ObjCryptoEntry, InvalidSessionHandle) {
  const CK_SESSION_HANDLE bad = s_ + 1000;
  CK_MECHANISM m{kUnknownMech, nullptr, 0};
  for (auto& [name, init] : inits()) {
    EXPECT_EQ(init(bad, &m), CKR_SESSION_HANDLE_INVALID) << name;
    EXPECT_EQ(init(bad, nullptr), CKR_SESSION_HANDLE_INVALID) << name;
  }
  for (auto& [name, call] : continuations()) EXPECT_EQ(call(bad), CKR_SESSION_HANDLE_INVALID) << name;
  for (auto& [name, call] : key_calls()) EXPECT_EQ(call(bad, &m), CKR_SESSION_HANDLE_INVALID) << name;
  for (auto& [name, call] : key_calls_missing_pointer(&m)) EXPECT_EQ(call(bad), CKR_SESSION_HANDLE_INVALID) << name;
  CK_BYTE buf[8];
  EXPECT_EQ(f->C_GenerateRandom(bad, buf, sizeof buf), CKR_SESSION_HANDLE_INVALID);
  EXPECT_EQ(f->C_SeedRandom(bad, buf, sizeof buf), CKR_SESSION_HANDLE_INVALID);
  // A closed session's handle is invalid too.
  CK_SESSION_HANDLE closed = open(slot_, false);
  ASSERT_EQ(f->C_CloseSession(closed), CKR_OK);
  EXPECT_EQ(f->C_EncryptInit(closed, &m, key_), CKR_SESSION_HANDLE_INVALID);
  EXPECT_EQ(f->C_GenerateRandom(closed, buf, sizeof buf), CKR_SESSION_HANDLE_INVALID);
}

TEST_F(ObjCryptoEntry, NotInitialized) {
  ASSERT_EQ(f->C_Finalize(nullptr), CKR_OK);
  CK_MECHANISM m{kUnknownMech, nullptr, 0};
  EXPECT_EQ(f->C_EncryptInit(s_, &m, key_), CKR_CRYPTOKI_NOT_INITIALIZED);
  EXPECT_EQ(f->C_DigestInit(s_, &m), CKR_CRYPTOKI_NOT_INITIALIZED);
  EXPECT_EQ(f->C_Encrypt(s_, in_, sizeof in_, out_, &out_len_), CKR_CRYPTOKI_NOT_INITIALIZED);
  EXPECT_EQ(f->C_GenerateKey(s_, &m, nullptr, 0, &h_), CKR_CRYPTOKI_NOT_INITIALIZED);
  EXPECT_EQ(f->C_GenerateRandom(s_, out_, 8), CKR_CRYPTOKI_NOT_INITIALIZED);
  ASSERT_EQ(f->C_Initialize(nullptr), CKR_OK);
}

TEST_F(ObjCryptoEntry, GenerateRandom) {
  Bytes a(64, 0), b(64, 0);
  ASSERT_EQ(f->C_GenerateRandom(s_, a.data(), a.size()), CKR_OK);
  ASSERT_EQ(f->C_GenerateRandom(s_, b.data(), b.size()), CKR_OK);
  EXPECT_NE(a, Bytes(64, 0));
  EXPECT_NE(a, b);
  EXPECT_EQ(f->C_GenerateRandom(s_, nullptr, 0), CKR_OK);
  EXPECT_EQ(f->C_GenerateRandom(s_, a.data(), 0), CKR_OK);
  EXPECT_EQ(f->C_GenerateRandom(s_, nullptr, 16), CKR_ARGUMENTS_BAD);
  Bytes big(100000, 0);  // larger than one DRBG request
  ASSERT_EQ(f->C_GenerateRandom(s_, big.data(), big.size()), CKR_OK);
  EXPECT_NE(Bytes(big.end() - 64, big.end()), Bytes(64, 0));
  // Works in a R/O public session as well.
  CK_SESSION_HANDLE ro = open(slot_, false);
  EXPECT_EQ(f->C_GenerateRandom(ro, a.data(), a.size()), CKR_OK);
}

TEST_F(ObjCryptoEntry, SeedRandom) {
  CK_BYTE seed[32] = {1, 2, 3, 4};
  EXPECT_EQ(f->C_SeedRandom(s_, seed, sizeof seed), CKR_OK);
  EXPECT_EQ(f->C_SeedRandom(s_, nullptr, 0), CKR_OK);
  EXPECT_EQ(f->C_SeedRandom(s_, nullptr, 8), CKR_ARGUMENTS_BAD);
  Bytes a(32, 0), b(32, 0);  // seeding never makes the output repeat
  ASSERT_EQ(f->C_SeedRandom(s_, seed, sizeof seed), CKR_OK);
  ASSERT_EQ(f->C_GenerateRandom(s_, a.data(), a.size()), CKR_OK);
  ASSERT_EQ(f->C_SeedRandom(s_, seed, sizeof seed), CKR_OK);
  ASSERT_EQ(f->C_GenerateRandom(s_, b.data(), b.size()), CKR_OK);
  EXPECT_NE(a, b);
}

}  // namespace
}  // namespace craton::test
