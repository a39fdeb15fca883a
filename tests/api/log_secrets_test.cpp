// No secret ever reaches a log: a full workload at the most verbose level, then every log line and
// every audit file is searched for the PINs, key bytes and plaintext it used (raw, hex and as text).
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>

#include "module_fixture.h"

namespace craton::test {
namespace {

class LogSecrets : public ApiTest {
 protected:
  std::string extra_config() const override { return "log.level = DEBUG\n"; }

  static std::string hex(const std::string& s) {
    static const char* d = "0123456789abcdef";
    std::string out;
    for (unsigned char c : s) {
      out.push_back(d[c >> 4]);
      out.push_back(d[c & 15]);
    }
    return out;
  }

  std::string read_log() const {
    std::ifstream in(home_->logfile(), std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  }
};

TEST_F(LogSecrets, WorkloadAtDebugLevelLeaksNoPinOrKeyByte) {
  const std::string so_pin = "SoPin-Zq7Wx2";
  const std::string user_pin = "UserPin-Kp9Rt4";
  const std::string wrong_pin = "WrongPin-Jh3Vb8";
  const std::string new_pin = "NewPin-Lm5Nc6";
  const std::string key_value = "KEYBYTES-0123456789abcdefghijklm";  // 32 bytes, AES-256
  const std::string secret_data = "PRIVATE-DATA-Ux4Yd9";

  const CK_SLOT_ID slot = free_slot();
  std::string so = so_pin;
  auto label = label32("log test");
  ASSERT_EQ(f->C_InitToken(slot, utf8(so), so.size(), label.data()), CKR_OK);
  CK_SESSION_HANDLE s = open(slot, true);
  ASSERT_EQ(login(s, CKU_SO, so_pin), CKR_OK);
  std::string up = user_pin;
  ASSERT_EQ(f->C_InitPIN(s, utf8(up), up.size()), CKR_OK);
  ASSERT_EQ(f->C_Logout(s), CKR_OK);
  EXPECT_EQ(login(s, CKU_USER, wrong_pin), CKR_PIN_INCORRECT);
  ASSERT_EQ(login(s, CKU_USER, user_pin), CKR_OK);

  Template key;
  key.ulong(CKA_CLASS, CKO_SECRET_KEY).ulong(CKA_KEY_TYPE, CKK_AES).boolean(CKA_TOKEN, true)
      .boolean(CKA_SENSITIVE, false).boolean(CKA_EXTRACTABLE, true).str(CKA_VALUE, key_value);
  CK_OBJECT_HANDLE hkey = 0;
  ASSERT_EQ(f->C_CreateObject(s, key.data(), key.size(), &hkey), CKR_OK);
  Template data;
  data.ulong(CKA_CLASS, CKO_DATA).boolean(CKA_TOKEN, true).boolean(CKA_PRIVATE, true).str(CKA_VALUE, secret_data);
  CK_OBJECT_HANDLE hdata = 0;
  ASSERT_EQ(f->C_CreateObject(s, data.data(), data.size(), &hdata), CKR_OK);

  std::vector<std::uint8_t> buf(64);
  CK_ATTRIBUTE get{CKA_VALUE, buf.data(), static_cast<CK_ULONG>(buf.size())};
  ASSERT_EQ(f->C_GetAttributeValue(s, hkey, &get, 1), CKR_OK);
  CK_ATTRIBUTE tiny{CKA_VALUE, buf.data(), 3};
  EXPECT_EQ(f->C_GetAttributeValue(s, hdata, &tiny, 1), CKR_BUFFER_TOO_SMALL);
  // A cryptographic operation with that key on that data (audited, logged at DEBUG).
  std::vector<std::uint8_t> iv(12, 9), ct(secret_data.size() + 16);
  CK_GCM_PARAMS gcm{iv.data(), static_cast<CK_ULONG>(iv.size()), 96, nullptr, 0, 128};
  CK_MECHANISM m{CKM_AES_GCM, &gcm, sizeof gcm};
  ASSERT_EQ(f->C_EncryptInit(s, &m, hkey), CKR_OK);
  CK_ULONG ct_len = static_cast<CK_ULONG>(ct.size());
  std::string plain = secret_data;
  ASSERT_EQ(f->C_Encrypt(s, reinterpret_cast<CK_BYTE_PTR>(plain.data()), plain.size(), ct.data(), &ct_len), CKR_OK);
  std::string oldp = user_pin, newp = new_pin;
  ASSERT_EQ(f->C_SetPIN(s, utf8(oldp), oldp.size(), utf8(newp), newp.size()), CKR_OK);
  ASSERT_EQ(f->C_Logout(s), CKR_OK);
  ASSERT_EQ(f->C_CloseSession(s), CKR_OK);
  ASSERT_EQ(f->C_Finalize(nullptr), CKR_OK);
  ASSERT_EQ(f->C_Initialize(nullptr), CKR_OK);

  const std::string log = read_log();
  std::string audit;  // every audit file (docs/AUDIT.md): the log and its sealed heads
  for (const auto& e : std::filesystem::directory_iterator(home_->tokendir() + "/audit")) {
    std::ifstream in(e.path(), std::ios::binary);
    audit.append(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  EXPECT_NE(audit.find("\"C_Encrypt\""), std::string::npos) << "the workload was audited";
  // The log is really verbose: it recorded the failed PIN check.
  EXPECT_NE(log.find("DEBUG"), std::string::npos);
  EXPECT_NE(log.find("CKR_PIN_INCORRECT"), std::string::npos);
  for (const std::string& secret : {so_pin, user_pin, wrong_pin, new_pin, key_value, secret_data}) {
    EXPECT_EQ(log.find(secret), std::string::npos) << "secret in log: " << secret;
    EXPECT_EQ(log.find(hex(secret)), std::string::npos) << "hex secret in log: " << secret;
    EXPECT_EQ(log.find(secret.substr(0, 8)), std::string::npos) << "secret prefix in log: " << secret;
    EXPECT_EQ(audit.find(secret), std::string::npos) << "secret in the audit log: " << secret;
    EXPECT_EQ(audit.find(hex(secret)), std::string::npos) << "hex secret in the audit log: " << secret;
    EXPECT_EQ(audit.find(secret.substr(0, 8)), std::string::npos) << "secret prefix in the audit log: " << secret;
  }
}

}  // namespace
}  // namespace craton::test
