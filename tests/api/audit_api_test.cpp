// The audit log seen from outside the module: a workload through the PKCS#11 API leaves the
// expected records (fields, order, contiguous sequence), the chain and MACs check out under the
// key in the token directory (recomputed here with OpenSSL, independently of src/audit), no PIN
// or key byte reaches the files, and concurrent sessions produce one contiguous chain.
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "module_fixture.h"

namespace craton::test {
namespace {

using Bytes = std::vector<std::uint8_t>;
using Json = nlohmann::json;

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string hex(const unsigned char* p, std::size_t n) {
  static const char* d = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < n; ++i) {
    out.push_back(d[p[i] >> 4]);
    out.push_back(d[p[i] & 15]);
  }
  return out;
}

class AuditApiTest : public TokenTest {
 protected:
  std::string extra_config() const override { return "audit.sync = every\n"; }
  std::string audit_dir() const { return home_->tokendir() + "/audit"; }

  // Every record of every stream, in file order; checks the chain and MACs on the way.
  std::vector<Json> records() {
    const std::string key = slurp(home_->tokendir() + "/.audit.key");
    EXPECT_EQ(key.size(), 32u);
    std::vector<std::string> files;
    for (const auto& e : std::filesystem::directory_iterator(audit_dir())) {
      if (e.path().extension() == ".jsonl") files.push_back(e.path().string());
    }
    std::sort(files.begin(), files.end());
    std::vector<Json> out;
    unsigned char prev[32] = {0};
    for (const auto& file : files) {
      std::istringstream in(slurp(file));
      for (std::string line; std::getline(in, line);) {
        const std::size_t at = line.rfind(",\"mac\":\"");
        EXPECT_NE(at, std::string::npos);
        const std::string body = line.substr(0, at) + "}";
        Json j = Json::parse(line);
        if (j["event"] == "audit.start") std::fill(prev, prev + 32, 0);
        EXPECT_EQ(j["prev"], hex(prev, 32)) << line;
        std::string buf(reinterpret_cast<const char*>(prev), 32);
        buf += body;
        SHA256(reinterpret_cast<const unsigned char*>(buf.data()), buf.size(), prev);
        unsigned char mac[32];
        unsigned int mac_len = 0;
        HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), prev, 32, mac, &mac_len);
        EXPECT_EQ(j["mac"], hex(mac, mac_len)) << line;
        out.push_back(std::move(j));
      }
    }
    return out;
  }

  std::string uid(CK_OBJECT_HANDLE h) {
    const Bytes v = attr(h, CKA_UNIQUE_ID);
    return std::string(v.begin(), v.end());
  }

  CK_OBJECT_HANDLE aes_key(const Bytes& value) {
    Template t;
    t.ulong(CKA_CLASS, CKO_SECRET_KEY).ulong(CKA_KEY_TYPE, CKK_AES).bytes(CKA_VALUE, value);
    t.boolean(CKA_ENCRYPT, true).boolean(CKA_TOKEN, false);
    CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;
    EXPECT_EQ(f->C_CreateObject(rw_, t.data(), t.size(), &h), CKR_OK);
    return h;
  }

  std::pair<CK_OBJECT_HANDLE, CK_OBJECT_HANDLE> ec_pair(CK_SESSION_HANDLE s) {
    const Bytes p256 = from_hex("06082a8648ce3d030107");
    Template pub, priv;
    pub.bytes(CKA_EC_PARAMS, p256).boolean(CKA_VERIFY, true);
    priv.boolean(CKA_SIGN, true);
    CK_MECHANISM m{CKM_EC_KEY_PAIR_GEN, nullptr, 0};
    CK_OBJECT_HANDLE hpub = 0, hpriv = 0;
    EXPECT_EQ(f->C_GenerateKeyPair(s, &m, pub.data(), pub.size(), priv.data(), priv.size(), &hpub, &hpriv), CKR_OK);
    return {hpub, hpriv};
  }

  CK_RV sign(CK_SESSION_HANDLE s, CK_OBJECT_HANDLE key) {
    CK_MECHANISM m{CKM_ECDSA, nullptr, 0};
    if (CK_RV rv = f->C_SignInit(s, &m, key); rv != CKR_OK) return rv;
    Bytes digest(32, 0x5a), sig(64);
    CK_ULONG len = sig.size();
    return f->C_Sign(s, digest.data(), digest.size(), sig.data(), &len);
  }
};

const Json* find(const std::vector<Json>& recs, const std::string& event, std::size_t from = 0) {
  for (std::size_t i = from; i < recs.size(); ++i) {
    if (recs[i]["event"] == event) return &recs[i];
  }
  return nullptr;
}

TEST_F(AuditApiTest, WorkloadLeavesTheExpectedRecords) {
  EXPECT_EQ(login(rw_, CKU_USER, "wrong-pin-9"), CKR_PIN_INCORRECT);
  ASSERT_EQ(login(rw_, CKU_USER, kUserPin), CKR_OK);
  const Bytes key_value = from_hex("00112233445566778899aabbccddeeff0f1e2d3c4b5a69788796a5b4c3d2e1f0");
  const CK_OBJECT_HANDLE aes = aes_key(key_value);
  const std::string aes_uid = uid(aes);
  Bytes iv(16, 7), plain = {'t', 'o', 'p', 's', 'e', 'c', 'r', 'e', 't', '-', 'p', 'l', 'a', 'i', 'n', '!'};
  CK_MECHANISM cbc{CKM_AES_CBC_PAD, iv.data(), static_cast<CK_ULONG>(iv.size())};
  ASSERT_EQ(f->C_EncryptInit(rw_, &cbc, aes), CKR_OK);
  Bytes ct(64);
  CK_ULONG ct_len = 0;
  ASSERT_EQ(f->C_Encrypt(rw_, plain.data(), plain.size(), nullptr, &ct_len), CKR_OK);  // length query: no record
  ASSERT_EQ(f->C_Encrypt(rw_, plain.data(), plain.size(), ct.data(), &ct_len), CKR_OK);
  auto [pub, priv] = ec_pair(rw_);
  const std::string priv_uid = uid(priv);
  ASSERT_EQ(sign(rw_, priv), CKR_OK);
  CK_MECHANISM gen{CKM_AES_KEY_GEN, nullptr, 0};
  Template t;
  t.ulong(CKA_VALUE_LEN, 32);
  CK_OBJECT_HANDLE generated = 0;
  ASSERT_EQ(f->C_GenerateKey(rw_, &gen, t.data(), t.size(), &generated), CKR_OK);
  ASSERT_EQ(f->C_DestroyObject(rw_, aes), CKR_OK);
  CK_MECHANISM bad{CKM_ECDSA, nullptr, 0};
  EXPECT_EQ(f->C_SignInit(rw_, &bad, generated), CKR_KEY_TYPE_INCONSISTENT);  // failed Init: recorded
  ASSERT_EQ(f->C_Logout(rw_), CKR_OK);
  ASSERT_EQ(f->C_Finalize(nullptr), CKR_OK);
  f = nullptr;

  const std::vector<Json> recs = records();
  ASSERT_FALSE(recs.empty());
  // The records of approved services say so (docs/FIPS.md): AES-CBC encryption with an AES key,
  // P-256 key-pair generation, ECDSA signing, AES key generation. Everything else is not a service
  // (object lifecycle, login) or failed.
  const std::set<std::string> approved_events = {"C_Encrypt", "C_GenerateKeyPair", "C_Sign", "C_GenerateKey"};
  for (std::size_t i = 0; i < recs.size(); ++i) {
    EXPECT_EQ(recs[i]["seq"], i + 1);
    const std::string event = recs[i]["event"];
    EXPECT_EQ(recs[i]["approved"], approved_events.count(event) == 1) << event;
    EXPECT_EQ(recs[i]["pid"], static_cast<std::uint64_t>(getpid()));
  }
  EXPECT_EQ(recs.front()["event"], "audit.start");
  // The power-on self-tests ran before the log opened; their result follows audit.start.
  const Json* post = find(recs, "selftest");
  ASSERT_TRUE(post);
  EXPECT_EQ((*post)["detail"], "post");
  EXPECT_EQ((*post)["result"], "CKR_OK");
  EXPECT_EQ((*post)["seq"], 2);
  EXPECT_EQ(recs.back()["event"], "C_Finalize");
  ASSERT_TRUE(find(recs, "C_Initialize"));
  const Json* init = find(recs, "C_InitToken");
  ASSERT_TRUE(init);
  EXPECT_EQ((*init)["slot"], slot_);
  EXPECT_EQ((*init)["result"], "CKR_OK");
  const Json* so_login = find(recs, "C_Login");
  ASSERT_TRUE(so_login);
  EXPECT_EQ((*so_login)["user"], "so");
  ASSERT_TRUE(find(recs, "C_InitPIN"));
  const Json* failed = nullptr;
  for (const auto& r : recs) {
    if (r["event"] == "C_Login" && r["result"] == "CKR_PIN_INCORRECT") failed = &r;
  }
  ASSERT_TRUE(failed) << "the failed login is recorded";
  EXPECT_EQ((*failed)["user"], "user");
  EXPECT_EQ((*failed)["session"], rw_);
  const Json* create = find(recs, "C_CreateObject");
  ASSERT_TRUE(create);
  EXPECT_EQ((*create)["object"], aes_uid);
  const Json* enc = find(recs, "C_Encrypt");
  ASSERT_TRUE(enc);
  EXPECT_EQ((*enc)["mechanism"], "CKM_AES_CBC_PAD");
  EXPECT_EQ((*enc)["object"], aes_uid);
  EXPECT_EQ((*enc)["result"], "CKR_OK");
  EXPECT_EQ((*enc)["user"], "user");
  EXPECT_EQ((*enc)["slot"], slot_);
  EXPECT_EQ((*enc)["session"], rw_);
  EXPECT_EQ(std::count_if(recs.begin(), recs.end(), [](const Json& r) { return r["event"] == "C_Encrypt"; }), 1)
      << "the length query is not an operation";
  const Json* kp = find(recs, "C_GenerateKeyPair");
  ASSERT_TRUE(kp);
  EXPECT_EQ((*kp)["mechanism"], "CKM_EC_KEY_PAIR_GEN");
  EXPECT_EQ((*kp)["object"], priv_uid);
  const Json* sig = find(recs, "C_Sign");
  ASSERT_TRUE(sig);
  EXPECT_EQ((*sig)["mechanism"], "CKM_ECDSA");
  EXPECT_EQ((*sig)["object"], priv_uid);
  EXPECT_EQ((*sig)["result"], "CKR_OK");
  const Json* gk = find(recs, "C_GenerateKey");
  ASSERT_TRUE(gk);
  EXPECT_EQ((*gk)["mechanism"], "CKM_AES_KEY_GEN");
  EXPECT_FALSE((*gk)["object"].get<std::string>().empty());
  const Json* destroy = find(recs, "C_DestroyObject");
  ASSERT_TRUE(destroy);
  EXPECT_EQ((*destroy)["object"], aes_uid);
  const Json* bad_init = find(recs, "C_SignInit");
  ASSERT_TRUE(bad_init);
  EXPECT_EQ((*bad_init)["result"], "CKR_KEY_TYPE_INCONSISTENT");
  EXPECT_EQ((*bad_init)["object"], (*gk)["object"]);
  const Json* logout = find(recs, "C_Logout");
  ASSERT_TRUE(logout);
  EXPECT_EQ((*logout)["user"], "user");

  // Nothing secret in any audit file: PINs, key bytes (raw or hex), plaintext.
  std::string all;
  for (const auto& e : std::filesystem::directory_iterator(audit_dir())) all += slurp(e.path().string());
  for (const std::string& secret : {std::string(kUserPin), std::string(kSoPin), std::string("wrong-pin-9"),
                                    std::string(key_value.begin(), key_value.end()), hex(key_value.data(), 32),
                                    hex(key_value.data(), 8), std::string(plain.begin(), plain.end())}) {
    EXPECT_EQ(all.find(secret), std::string::npos) << "secret found in the audit log";
  }
  // And the key lives in the token directory, not beside the log.
  EXPECT_FALSE(std::filesystem::exists(audit_dir() + "/.audit.key"));
}

// A call that makes a key names it in its record by the CKA_UNIQUE_ID the token gave it (handed
// back with the handle, not looked up again): the same id C_GetAttributeValue reads.
TEST_F(AuditApiTest, KeyProducingCallsNameTheKeyTheyMade) {
  ASSERT_EQ(login(rw_, CKU_USER, kUserPin), CKR_OK);
  CK_MECHANISM gen{CKM_AES_KEY_GEN, nullptr, 0};
  Template aes;
  aes.ulong(CKA_VALUE_LEN, 32).boolean(CKA_WRAP, true).boolean(CKA_UNWRAP, true).boolean(CKA_EXTRACTABLE, true);
  CK_OBJECT_HANDLE kek = 0;
  ASSERT_EQ(f->C_GenerateKey(rw_, &gen, aes.data(), aes.size(), &kek), CKR_OK);
  CK_MECHANISM kp_gen{CKM_ML_KEM_KEY_PAIR_GEN, nullptr, 0};
  Template kem_pub, kem_priv;
  kem_pub.ulong(CKA_PARAMETER_SET, CKP_ML_KEM_768);
  CK_OBJECT_HANDLE ek = 0, dk = 0;
  ASSERT_EQ(f->C_GenerateKeyPair(rw_, &kp_gen, kem_pub.data(), kem_pub.size(), kem_priv.data(), kem_priv.size(), &ek, &dk),
            CKR_OK);
  CK_MECHANISM kem{CKM_ML_KEM, nullptr, 0};
  Template secret;
  secret.ulong(CKA_CLASS, CKO_SECRET_KEY).ulong(CKA_KEY_TYPE, CKK_GENERIC_SECRET).boolean(CKA_EXTRACTABLE, true);
  Bytes ct(1088);
  CK_ULONG ct_len = 0;
  CK_OBJECT_HANDLE unused = 0, encapsulated = 0, decapsulated = 0;
  ASSERT_EQ(f->C_EncapsulateKey(rw_, &kem, ek, secret.data(), secret.size(), nullptr, &ct_len, &unused), CKR_OK);  // no record
  ASSERT_EQ(ct_len, ct.size());
  ASSERT_EQ(f->C_EncapsulateKey(rw_, &kem, ek, secret.data(), secret.size(), ct.data(), &ct_len, &encapsulated), CKR_OK);
  ASSERT_EQ(f->C_DecapsulateKey(rw_, &kem, dk, secret.data(), secret.size(), ct.data(), ct_len, &decapsulated), CKR_OK);
  EXPECT_EQ(f->C_DecapsulateKey(rw_, &kem, dk, secret.data(), secret.size(), ct.data(), ct_len - 1, &unused),
            CKR_ENCRYPTED_DATA_LEN_RANGE);  // recorded, naming no key
  CK_MECHANISM wrap{CKM_AES_KEY_WRAP_KWP, nullptr, 0};
  Bytes wrapped(64);
  CK_ULONG wrapped_len = wrapped.size();
  ASSERT_EQ(f->C_WrapKey(rw_, &wrap, kek, decapsulated, wrapped.data(), &wrapped_len), CKR_OK);
  Template back;
  back.ulong(CKA_CLASS, CKO_SECRET_KEY).ulong(CKA_KEY_TYPE, CKK_GENERIC_SECRET);
  CK_OBJECT_HANDLE unwrapped = 0;
  ASSERT_EQ(f->C_UnwrapKey(rw_, &wrap, kek, wrapped.data(), wrapped_len, back.data(), back.size(), &unwrapped), CKR_OK);
  const std::map<std::string, std::string> expected = {{"C_GenerateKey", uid(kek)},         {"C_GenerateKeyPair", uid(dk)},
                                                       {"C_EncapsulateKey", uid(encapsulated)}, {"C_UnwrapKey", uid(unwrapped)}};
  const std::string decapsulated_uid = uid(decapsulated);
  std::set<std::string> uids = {decapsulated_uid};
  for (const auto& [event, id] : expected) uids.insert(id);
  ASSERT_EQ(uids.size(), 5u) << "five keys, five ids";
  ASSERT_EQ(f->C_Finalize(nullptr), CKR_OK);
  f = nullptr;

  const std::vector<Json> recs = records();
  for (const auto& [event, id] : expected) {
    ASSERT_EQ(std::count_if(recs.begin(), recs.end(), [&](const Json& r) { return r["event"] == event; }), 1) << event;
    const Json* r = find(recs, event);
    EXPECT_EQ((*r)["result"], "CKR_OK") << event;
    EXPECT_EQ((*r)["object"], id) << event;
  }
  std::vector<const Json*> decaps;
  for (const auto& r : recs) {
    if (r["event"] == "C_DecapsulateKey") decaps.push_back(&r);
  }
  ASSERT_EQ(decaps.size(), 2u);
  EXPECT_EQ((*decaps[0])["result"], "CKR_OK");
  EXPECT_EQ((*decaps[0])["object"], decapsulated_uid);
  EXPECT_EQ((*decaps[0])["mechanism"], "CKM_ML_KEM");
  EXPECT_EQ((*decaps[1])["result"], "CKR_ENCRYPTED_DATA_LEN_RANGE");
  EXPECT_EQ((*decaps[1])["object"], "");
}

TEST_F(AuditApiTest, ConcurrentSessionsGiveOneContiguousChain) {
  ASSERT_EQ(login(rw_, CKU_USER, kUserPin), CKR_OK);
  auto [pub, priv] = ec_pair(rw_);
  constexpr int kThreads = 4, kEach = 40;
  std::vector<CK_SESSION_HANDLE> sessions;
  for (int i = 0; i < kThreads; ++i) sessions.push_back(open(slot_, false));
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (CK_SESSION_HANDLE s : sessions) {
    threads.emplace_back([&, s] {
      for (int i = 0; i < kEach; ++i) {
        if (sign(s, priv) != CKR_OK) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  ASSERT_EQ(f->C_Finalize(nullptr), CKR_OK);
  f = nullptr;
  const std::vector<Json> recs = records();
  std::map<std::uint64_t, int> per_session;
  for (std::size_t i = 0; i < recs.size(); ++i) {
    EXPECT_EQ(recs[i]["seq"], i + 1);
    if (recs[i]["event"] == "C_Sign") ++per_session[recs[i]["session"].get<std::uint64_t>()];
  }
  for (CK_SESSION_HANDLE s : sessions) EXPECT_EQ(per_session[s], kEach);
}

// With the default sync (batch), a busy session's identical operations are counted into fewer
// records (docs/AUDIT.md, "Counted records"); every call is still accounted for, in order.
class AuditCountedTest : public AuditApiTest {
 protected:
  std::string extra_config() const override { return "audit.sync = batch\n"; }
};

TEST_F(AuditCountedTest, BusySessionsAreCountedAndEveryCallIsAccounted) {
  ASSERT_EQ(login(rw_, CKU_USER, kUserPin), CKR_OK);
  auto [pub, priv] = ec_pair(rw_);
  constexpr int kThreads = 2, kEach = 300;
  std::vector<CK_SESSION_HANDLE> sessions;
  for (int i = 0; i < kThreads; ++i) sessions.push_back(open(slot_, false));
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (CK_SESSION_HANDLE s : sessions) {
    threads.emplace_back([&, s] {
      for (int i = 0; i < kEach; ++i) {
        if (sign(s, priv) != CKR_OK) ++failures;
      }
      // A failed Init is an operation record too, and a different call: it ends the run.
      CK_MECHANISM bad{CKM_SHA256_RSA_PKCS, nullptr, 0};
      if (f->C_SignInit(s, &bad, priv) != CKR_KEY_TYPE_INCONSISTENT) ++failures;
      if (sign(s, priv) != CKR_OK) ++failures;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  const std::string priv_uid = uid(priv);
  ASSERT_EQ(f->C_Finalize(nullptr), CKR_OK);
  f = nullptr;
  const std::vector<Json> recs = records();
  std::size_t sign_records = 0;
  for (CK_SESSION_HANDLE s : sessions) {
    std::vector<std::string> calls;  // this session's operation calls, records expanded by count
    for (const Json& r : recs) {
      if (r["session"] != s || (r["event"] != "C_Sign" && r["event"] != "C_SignInit")) continue;
      const std::uint64_t n = r.contains("count") ? r["count"].get<std::uint64_t>() : 1;
      if (r.contains("count")) {
        EXPECT_GE(n, 2u);
        EXPECT_LE(r["time"].get<std::string>(), r["last"].get<std::string>());
      } else {
        EXPECT_FALSE(r.contains("last"));
      }
      if (r["event"] == "C_Sign") {
        ++sign_records;
        EXPECT_EQ(r["object"], priv_uid);
        EXPECT_EQ(r["result"], "CKR_OK");
      }
      for (std::uint64_t i = 0; i < n; ++i) calls.push_back(r["event"].get<std::string>() + "/" + r["result"].get<std::string>());
    }
    std::vector<std::string> want(kEach, "C_Sign/CKR_OK");
    want.emplace_back("C_SignInit/CKR_KEY_TYPE_INCONSISTENT");
    want.emplace_back("C_Sign/CKR_OK");
    EXPECT_EQ(calls, want) << "session " << s;
  }
  EXPECT_LT(sign_records, static_cast<std::size_t>(kThreads * kEach)) << "a busy session is counted, not logged per call";
}

// CKF_LIBRARY_CANT_CREATE_OS_THREADS: the writer runs in the calling thread; same log.
TEST_F(AuditApiTest, NoOsThreadsWritesInline) {
  ASSERT_EQ(f->C_Finalize(nullptr), CKR_OK);
  CK_C_INITIALIZE_ARGS args{};
  args.flags = CKF_LIBRARY_CANT_CREATE_OS_THREADS;
  ASSERT_EQ(f->C_Initialize(&args), CKR_OK);
  CK_SESSION_HANDLE s = open(slot_, true);
  EXPECT_EQ(login(s, CKU_USER, "not-the-pin"), CKR_PIN_INCORRECT);
  ASSERT_EQ(f->C_Finalize(nullptr), CKR_OK);
  f = nullptr;
  const std::vector<Json> recs = records();
  EXPECT_EQ(std::count_if(recs.begin(), recs.end(), [](const Json& r) { return r["event"] == "audit.start"; }), 2);
  EXPECT_EQ(recs.back()["event"], "C_Finalize");
  EXPECT_EQ(recs[recs.size() - 2]["result"], "CKR_PIN_INCORRECT");
}

class AuditDisabledTest : public TokenTest {
 protected:
  std::string extra_config() const override { return "audit.enabled = false\n"; }
};

TEST_F(AuditDisabledTest, NothingIsWritten) {
  ASSERT_EQ(login(rw_, CKU_USER, kUserPin), CKR_OK);
  ASSERT_EQ(f->C_Finalize(nullptr), CKR_OK);
  f = nullptr;
  EXPECT_FALSE(std::filesystem::exists(home_->tokendir() + "/audit"));
  EXPECT_FALSE(std::filesystem::exists(home_->tokendir() + "/.audit.key"));
}

class AuditElsewhereTest : public ApiTest {
 protected:
  std::string extra_config() const override { return "audit.dir = " + dir() + "\n"; }
  std::string dir() const { return std::string(::getenv("TMPDIR") ? ::getenv("TMPDIR") : "/tmp") + "/craton-audit-elsewhere-" + std::to_string(getpid()); }
};

TEST_F(AuditElsewhereTest, ConfiguredDirectoryIsUsed) {
  ASSERT_EQ(f->C_Finalize(nullptr), CKR_OK);
  f = nullptr;
  bool found = false;
  for (const auto& e : std::filesystem::directory_iterator(dir())) found |= e.path().extension() == ".jsonl";
  EXPECT_TRUE(found);
  EXPECT_FALSE(std::filesystem::exists(home_->tokendir() + "/audit"));
  std::filesystem::remove_all(dir());
}

}  // namespace
}  // namespace craton::test
