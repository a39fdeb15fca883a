// Token objects at rest: sealing (no secret bytes in any file), integrity (tampered or truncated
// records are dropped and logged, never trusted), damaged metadata, persistence across library
// lifetimes and across processes.
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <functional>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>

#include "module_fixture.h"

namespace craton::test {
namespace {

using Bytes = std::vector<std::uint8_t>;
namespace fs = std::filesystem;

Bytes text(const std::string& s) { return Bytes(s.begin(), s.end()); }

const Bytes kKeyPattern = text("K3y!SEALED#PATTERN@craton-0x5EA1");   // 32 bytes
const Bytes kPrivPattern = text("PRIVATE-DATA:do-not-store-in-clear");
const Bytes kPubPattern = text("public-data:stored-in-clear-ok");

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Every regular file under `dir` whose bytes contain `pattern`.
std::vector<std::string> files_containing(const std::string& dir, const Bytes& pattern) {
  std::vector<std::string> hits;
  const std::string needle(pattern.begin(), pattern.end());
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (!e.is_regular_file()) continue;
    if (read_file(e.path()).find(needle) != std::string::npos) hits.push_back(e.path().filename().string());
  }
  return hits;
}

std::vector<std::string> all_files(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.is_regular_file()) out.push_back(e.path().filename().string());
  }
  return out;
}

fs::path database(const std::string& tokendir) {
  for (const auto& e : fs::recursive_directory_iterator(tokendir)) {
    if (e.path().filename() == "token.sqlite") return e.path();
  }
  return {};
}

// Runs one SQL statement with an optional blob parameter ?1 and text parameter ?2.
int exec_sql(const fs::path& db_path, const std::string& sql, const Bytes* blob = nullptr,
             const std::string* text_param = nullptr) {
  sqlite3* db = nullptr;
  int rc = sqlite3_open(db_path.c_str(), &db);
  if (rc == SQLITE_OK) {
    sqlite3_stmt* st = nullptr;
    rc = sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr);
    if (rc == SQLITE_OK) {
      if (blob != nullptr) sqlite3_bind_blob(st, 1, blob->data(), static_cast<int>(blob->size()), SQLITE_TRANSIENT);
      if (text_param != nullptr) sqlite3_bind_text(st, 2, text_param->c_str(), -1, SQLITE_TRANSIENT);
      rc = sqlite3_step(st);
      if (rc == SQLITE_DONE || rc == SQLITE_ROW) rc = sqlite3_changes(db) > 0 ? SQLITE_OK : SQLITE_NOTFOUND;
      sqlite3_finalize(st);
    }
  }
  sqlite3_close(db);
  return rc;
}

Bytes read_blob(const fs::path& db_path, const std::string& uid) {
  Bytes out;
  sqlite3* db = nullptr;
  if (sqlite3_open(db_path.c_str(), &db) == SQLITE_OK) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db, "SELECT blob FROM objects WHERE uid = ?1", -1, &st, nullptr) == SQLITE_OK) {
      sqlite3_bind_text(st, 1, uid.c_str(), -1, SQLITE_TRANSIENT);
      if (sqlite3_step(st) == SQLITE_ROW) {
        const auto* p = static_cast<const std::uint8_t*>(sqlite3_column_blob(st, 0));
        out.assign(p, p + sqlite3_column_bytes(st, 0));
      }
      sqlite3_finalize(st);
    }
  }
  sqlite3_close(db);
  return out;
}

class ObjStorage : public TokenTest {
 protected:
  CK_OBJECT_HANDLE create(Template& t) {
    CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;
    EXPECT_EQ(f->C_CreateObject(rw_, t.data(), t.size(), &h), CKR_OK);
    return h;
  }
  CK_OBJECT_HANDLE public_data(const std::string& label) {
    Template t;
    t.ulong(CKA_CLASS, CKO_DATA).boolean(CKA_TOKEN, true).str(CKA_LABEL, label).bytes(CKA_VALUE, kPubPattern);
    return create(t);
  }
  Bytes get(CK_OBJECT_HANDLE h, CK_ATTRIBUTE_TYPE t) {
    CK_ATTRIBUTE a{t, nullptr, 0};
    EXPECT_EQ(f->C_GetAttributeValue(rw_, h, &a, 1), CKR_OK);
    Bytes v(a.ulValueLen);
    a.pValue = v.data();
    EXPECT_EQ(f->C_GetAttributeValue(rw_, h, &a, 1), CKR_OK);
    return v;
  }
  std::vector<CK_OBJECT_HANDLE> find_label(const std::string& label) {
    Template q;
    if (!label.empty()) q.str(CKA_LABEL, label);
    EXPECT_EQ(f->C_FindObjectsInit(rw_, q.data(), q.size()), CKR_OK);
    std::vector<CK_OBJECT_HANDLE> h(64);
    CK_ULONG n = 0;
    EXPECT_EQ(f->C_FindObjects(rw_, h.data(), h.size(), &n), CKR_OK);
    EXPECT_EQ(f->C_FindObjectsFinal(rw_), CKR_OK);
    h.resize(n);
    return h;
  }
  void restart() {
    ASSERT_EQ(f->C_Finalize(nullptr), CKR_OK);
    ASSERT_EQ(f->C_Initialize(nullptr), CKR_OK);
    rw_ = open(slot_, true);
  }
  std::string log_text() const { return read_file(home_->logfile()); }

  // Creates three public token objects, damages the middle one's record with `damage`, restarts.
  void damaged_record_is_dropped(const std::function<Bytes(Bytes)>& damage) {
    public_data("first");
    const CK_OBJECT_HANDLE victim = public_data("victim");
    public_data("third");
    const Bytes uid_bytes = get(victim, CKA_UNIQUE_ID);
    const std::string uid(uid_bytes.begin(), uid_bytes.end());
    ASSERT_EQ(f->C_Finalize(nullptr), CKR_OK);

    const fs::path db = database(home_->tokendir());
    ASSERT_FALSE(db.empty());
    const Bytes blob = read_blob(db, uid);
    ASSERT_FALSE(blob.empty()) << "record of the victim not found by uid";
    const Bytes bad = damage(blob);
    ASSERT_NE(bad, blob);
    ASSERT_EQ(exec_sql(db, "UPDATE objects SET blob = ?1 WHERE uid = ?2", &bad, &uid), SQLITE_OK);

    ASSERT_EQ(f->C_Initialize(nullptr), CKR_OK);
    rw_ = open(slot_, true);
    EXPECT_TRUE(find_label("victim").empty());
    EXPECT_EQ(find_label("first").size(), 1u);
    const auto third = find_label("third");
    ASSERT_EQ(third.size(), 1u);
    EXPECT_EQ(get(third[0], CKA_VALUE), kPubPattern);
    EXPECT_EQ(find_label("").size(), 2u);
    Template by_uid;
    by_uid.str(CKA_UNIQUE_ID, uid);
    ASSERT_EQ(f->C_FindObjectsInit(rw_, by_uid.data(), by_uid.size()), CKR_OK);
    CK_OBJECT_HANDLE h = 0;
    CK_ULONG n = 9;
    EXPECT_EQ(f->C_FindObjects(rw_, &h, 1, &n), CKR_OK);
    EXPECT_EQ(n, 0u);
    EXPECT_EQ(f->C_FindObjectsFinal(rw_), CKR_OK);
    const std::string log = log_text();
    EXPECT_NE(log.find("integrity"), std::string::npos) << log;
    EXPECT_NE(log.find(uid), std::string::npos) << "the log names the damaged record";
  }
};

TEST_F(ObjStorage, SecretsAreSealedInEveryFile) {
  ASSERT_EQ(login(rw_, CKU_USER, kUserPin), CKR_OK);
  Template key;
  key.ulong(CKA_CLASS, CKO_SECRET_KEY).ulong(CKA_KEY_TYPE, CKK_AES).boolean(CKA_TOKEN, true);
  key.boolean(CKA_PRIVATE, false).str(CKA_LABEL, "public-key-label").bytes(CKA_VALUE, kKeyPattern);
  create(key);
  Template priv;
  priv.ulong(CKA_CLASS, CKO_DATA).boolean(CKA_TOKEN, true).boolean(CKA_PRIVATE, true);
  priv.str(CKA_LABEL, "hidden-label-of-private-object").bytes(CKA_VALUE, kPrivPattern);
  create(priv);
  public_data("control");  // the scan must be able to see clear data

  // While the library is live (WAL and shared-memory files present) ...
  EXPECT_TRUE(files_containing(home_->tokendir(), kKeyPattern).empty());
  EXPECT_TRUE(files_containing(home_->tokendir(), kPrivPattern).empty());
  ASSERT_EQ(f->C_Finalize(nullptr), CKR_OK);
  // ... and after it has closed the database.
  const auto files = all_files(home_->tokendir());
  EXPECT_NE(std::find(files.begin(), files.end(), "token.sqlite"), files.end());
  EXPECT_TRUE(files_containing(home_->tokendir(), kKeyPattern).empty());
  EXPECT_TRUE(files_containing(home_->tokendir(), kPrivPattern).empty());
  EXPECT_TRUE(files_containing(home_->tokendir(), text("hidden-label-of-private-object")).empty());
  EXPECT_FALSE(files_containing(home_->tokendir(), kPubPattern).empty()) << "control pattern not found: scan broken";
  EXPECT_FALSE(files_containing(home_->tokendir(), text("public-key-label")).empty());
  ASSERT_EQ(f->C_Initialize(nullptr), CKR_OK);
}

TEST_F(ObjStorage, FlippedByteDropsOnlyThatObject) {
  damaged_record_is_dropped([](Bytes b) {
    b[b.size() / 2] ^= 0x01;
    return b;
  });
}

TEST_F(ObjStorage, TruncatedRecordDropsOnlyThatObject) {
  damaged_record_is_dropped([](Bytes b) {
    b.resize(b.size() / 2);
    return b;
  });
}

// Objects are verified on first use (ADR 0010): a record whose MAC was damaged is reported when
// a search first considers it, not by C_Initialize or by searches for other objects, and is
// never returned, also not to a search listing everything.
TEST_F(ObjStorage, DamagedRecordIsReportedAtFirstUse) {
  public_data("first");
  const CK_OBJECT_HANDLE victim = public_data("victim");
  const Bytes uid_bytes = get(victim, CKA_UNIQUE_ID);
  const std::string uid(uid_bytes.begin(), uid_bytes.end());
  ASSERT_EQ(f->C_Finalize(nullptr), CKR_OK);
  const fs::path db = database(home_->tokendir());
  Bytes bad = read_blob(db, uid);
  ASSERT_FALSE(bad.empty());
  bad.back() ^= 0x01;  // the MAC: the record still parses and is still listed under "victim"
  ASSERT_EQ(exec_sql(db, "UPDATE objects SET blob = ?1 WHERE uid = ?2", &bad, &uid), SQLITE_OK);

  ASSERT_EQ(f->C_Initialize(nullptr), CKR_OK);
  rw_ = open(slot_, true);
  EXPECT_EQ(find_label("first").size(), 1u);
  EXPECT_EQ(log_text().find(uid), std::string::npos) << "reported before its first use";
  EXPECT_TRUE(find_label("victim").empty());
  EXPECT_NE(log_text().find(uid), std::string::npos) << log_text();
  EXPECT_EQ(find_label("").size(), 1u);
}

TEST_F(ObjStorage, MissingIntegrityKeyMakesTokenUnusable) {
  public_data("before-damage");
  ASSERT_EQ(f->C_Finalize(nullptr), CKR_OK);
  const fs::path db = database(home_->tokendir());
  ASSERT_EQ(exec_sql(db, "DELETE FROM meta WHERE key = 'integrity_key'"), SQLITE_OK);

  ASSERT_EQ(f->C_Initialize(nullptr), CKR_OK);  // other tokens would still be served
  CK_ULONG n = 0;
  ASSERT_EQ(f->C_GetSlotList(CK_FALSE, nullptr, &n), CKR_OK);
  std::vector<CK_SLOT_ID> slots(n);
  ASSERT_EQ(f->C_GetSlotList(CK_FALSE, slots.data(), &n), CKR_OK);
  const auto damaged_label = label32("test token");
  for (CK_SLOT_ID s : slots) {
    CK_TOKEN_INFO info{};
    ASSERT_EQ(f->C_GetTokenInfo(s, &info), CKR_OK);
    const bool same_label = std::equal(damaged_label.begin(), damaged_label.end(), info.label);
    EXPECT_FALSE((info.flags & CKF_TOKEN_INITIALIZED) != 0 && same_label) << "damaged token still offered";
  }
  CK_SESSION_HANDLE h = CK_INVALID_HANDLE;
  const CK_RV rv = f->C_OpenSession(slot_, CKF_SERIAL_SESSION | CKF_RW_SESSION, nullptr, nullptr, &h);
  EXPECT_TRUE(rv == CKR_TOKEN_NOT_RECOGNIZED || rv == CKR_SLOT_ID_INVALID) << std::hex << rv;
  EXPECT_NE(log_text().find("token metadata"), std::string::npos) << log_text();
}

TEST_F(ObjStorage, ObjectsPersistAcrossLifetimes) {
  ASSERT_EQ(login(rw_, CKU_USER, kUserPin), CKR_OK);
  Template key;
  key.ulong(CKA_CLASS, CKO_SECRET_KEY).ulong(CKA_KEY_TYPE, CKK_AES).boolean(CKA_TOKEN, true).boolean(CKA_PRIVATE, false);
  key.boolean(CKA_SENSITIVE, false).boolean(CKA_EXTRACTABLE, true).str(CKA_LABEL, "kept-key").bytes(CKA_VALUE, kKeyPattern);
  create(key);
  Template priv;
  priv.ulong(CKA_CLASS, CKO_DATA).boolean(CKA_TOKEN, true).boolean(CKA_PRIVATE, true);
  priv.str(CKA_LABEL, "kept-private").bytes(CKA_VALUE, kPrivPattern);
  create(priv);
  public_data("kept-public");
  Template ses;
  ses.ulong(CKA_CLASS, CKO_DATA).str(CKA_LABEL, "not-kept");
  create(ses);

  restart();
  EXPECT_TRUE(find_label("not-kept").empty());
  const auto pub = find_label("kept-public");
  ASSERT_EQ(pub.size(), 1u);
  EXPECT_EQ(get(pub[0], CKA_VALUE), kPubPattern);
  EXPECT_TRUE(find_label("kept-private").empty());  // invisible before login
  const auto k = find_label("kept-key");
  ASSERT_EQ(k.size(), 1u);  // public key object: visible, its value still sealed

  ASSERT_EQ(login(rw_, CKU_USER, kUserPin), CKR_OK);
  const auto p = find_label("kept-private");
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(get(p[0], CKA_VALUE), kPrivPattern);
  const auto k2 = find_label("kept-key");
  ASSERT_EQ(k2.size(), 1u);
  EXPECT_EQ(get(k2[0], CKA_VALUE), kKeyPattern);
  Bytes len_bytes = get(k2[0], CKA_VALUE_LEN);
  CK_ULONG len = 0;
  ASSERT_EQ(len_bytes.size(), sizeof len);
  std::memcpy(&len, len_bytes.data(), sizeof len);
  EXPECT_EQ(len, 32u);
}

class ObjStorageFork : public ObjStorage {
 protected:
  std::string extra_config() const override { return "library.reset_on_fork = true\n"; }
};

// The child's result, as an exit code: 0 = success, otherwise the failing step.
int child_creates_object(CK_FUNCTION_LIST_3_2* f, CK_SLOT_ID slot) {
  CK_ULONG n = 0;
  if (f->C_GetSlotList(CK_FALSE, nullptr, &n) != CKR_CRYPTOKI_NOT_INITIALIZED) return 10;
  if (f->C_Initialize(nullptr) != CKR_OK) return 11;
  CK_SESSION_HANDLE s = CK_INVALID_HANDLE;
  if (f->C_OpenSession(slot, CKF_SERIAL_SESSION | CKF_RW_SESSION, nullptr, nullptr, &s) != CKR_OK) return 12;
  Template t;
  t.ulong(CKA_CLASS, CKO_DATA).boolean(CKA_TOKEN, true).str(CKA_LABEL, "from-child").str(CKA_VALUE, "hello parent");
  CK_OBJECT_HANDLE h = 0;
  if (f->C_CreateObject(s, t.data(), t.size(), &h) != CKR_OK) return 13;
  if (f->C_Finalize(nullptr) != CKR_OK) return 14;
  return 0;
}

TEST_F(ObjStorageFork, ChildObjectVisibleToParentWithoutReinit) {
  public_data("from-parent");
  ASSERT_EQ(find_label("").size(), 1u);  // the parent's cache is populated before the fork

  const pid_t pid = fork();
  ASSERT_NE(pid, -1);
  if (pid == 0) _exit(child_creates_object(f, slot_));
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  ASSERT_EQ(WEXITSTATUS(status), 0) << "child failed at step " << WEXITSTATUS(status);

  const auto found = find_label("from-child");  // same library lifetime, same session
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(get(found[0], CKA_VALUE), text("hello parent"));
  EXPECT_EQ(find_label("").size(), 2u);
  public_data("after-fork");  // and the parent still writes normally
  EXPECT_EQ(find_label("").size(), 3u);
}

}  // namespace
}  // namespace craton::test
