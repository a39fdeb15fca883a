#include "config/config.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <optional>
#include <string>

namespace craton::config {
namespace {

bool has_warning(const Config& c, std::string_view needle) {
  for (const auto& w : c.warnings) {
    if (w.find(needle) != std::string::npos) return true;
  }
  return false;
}

TEST(ConfigParse, Defaults) {
  Config c = parse("", "empty.conf");
  EXPECT_TRUE(c.warnings.empty());
  EXPECT_EQ(c.backend, Backend::Sqlite);
  EXPECT_EQ(c.umask, 077u);
  EXPECT_EQ(c.sync, SyncMode::Full);
  EXPECT_EQ(c.log.level, log::Level::Warning);
  EXPECT_EQ(c.log.target, log::Target::Stderr);
  EXPECT_TRUE(c.log.file.empty());
  EXPECT_FALSE(c.slots_removable);
  EXPECT_FALSE(c.mechanisms.allow_listed_only);
  EXPECT_TRUE(c.mechanisms.set.empty());
  EXPECT_TRUE(c.mechanisms.allows(CKM_SHA256));
  EXPECT_TRUE(c.reset_on_fork);
  EXPECT_EQ(c.pin_kdf_iterations, 200000u);
  EXPECT_EQ(c.pin_max_failures, 10u);
  EXPECT_EQ(c.pin_min_length, 4u);
  EXPECT_EQ(c.pin_max_length, 255u);
  EXPECT_TRUE(c.tokendir.ends_with("/craton-hsm/tokens")) << c.tokendir;
  EXPECT_EQ(c.source, "empty.conf");
  EXPECT_EQ(defaults().source, kBuiltInDefaults);
}

TEST(ConfigParse, EveryKey) {
  Config c = parse(
      "# full configuration\n"
      "directories.tokendir = /var/lib/hsm/tokens\n"
      "objectstore.backend = memory\n"
      "objectstore.umask = 0027\n"
      "objectstore.sync = normal\n"
      "log.level = debug\n"
      "log.target = syslog\n"
      "slots.removable = yes\n"
      "slots.mechanisms = CKM_RSA_PKCS, CKM_SHA256\n"
      "library.reset_on_fork = no\n"
      "pin.kdf_iterations = 1000\n"
      "pin.max_failures = 0\n"
      "pin.min_length = 6\n"
      "pin.max_length = 64\n",
      "full.conf");
  EXPECT_TRUE(c.warnings.empty()) << c.warnings.front();
  EXPECT_EQ(c.tokendir, "/var/lib/hsm/tokens");
  EXPECT_EQ(c.backend, Backend::Memory);
  EXPECT_EQ(c.umask, 027u);
  EXPECT_EQ(c.sync, SyncMode::Normal);
  EXPECT_EQ(c.log.level, log::Level::Debug);
  EXPECT_EQ(c.log.target, log::Target::Syslog);
  EXPECT_TRUE(c.slots_removable);
  EXPECT_TRUE(c.mechanisms.allow_listed_only);
  EXPECT_EQ(c.mechanisms.set.size(), 2u);
  EXPECT_FALSE(c.reset_on_fork);
  EXPECT_EQ(c.pin_kdf_iterations, 1000u);
  EXPECT_EQ(c.pin_max_failures, 0u);
  EXPECT_EQ(c.pin_min_length, 6u);
  EXPECT_EQ(c.pin_max_length, 64u);
}

TEST(ConfigParse, CommentsWhitespaceAndCrlf) {
  Config c = parse("\n   # indented comment\n\t\n  log.level\t=\tERROR  \r\n#log.level = DEBUG\n"
                   "directories.tokendir = /path/with#hash  \n",
                   "ws.conf");
  EXPECT_TRUE(c.warnings.empty());
  EXPECT_EQ(c.log.level, log::Level::Error);
  EXPECT_EQ(c.tokendir, "/path/with#hash");
}

TEST(ConfigParse, MalformedLinesWarnWithLineNumbers) {
  Config c = parse("log.level = INFO\njust some words\n= value\npin.min_length = 8\n", "bad.conf");
  ASSERT_EQ(c.warnings.size(), 2u);
  EXPECT_NE(c.warnings[0].find("bad.conf:2:"), std::string::npos) << c.warnings[0];
  EXPECT_NE(c.warnings[1].find("bad.conf:3:"), std::string::npos) << c.warnings[1];
  EXPECT_EQ(c.pin_min_length, 8u);  // lines after the bad ones still apply
}

TEST(ConfigParse, UnknownKeyWarns) {
  Config c = parse("\nfoo.bar = 1\n", "u.conf");
  ASSERT_EQ(c.warnings.size(), 1u);
  EXPECT_TRUE(has_warning(c, "u.conf:2: unknown key foo.bar"));
}

TEST(ConfigParse, BadValuesWarnAndKeepDefaults) {
  Config c = parse(
      "objectstore.backend = oracle\n"
      "objectstore.umask = 0999\n"
      "objectstore.sync = sometimes\n"
      "log.level = LOUD\n"
      "log.target = printer\n"
      "slots.removable = maybe\n"
      "library.reset_on_fork =\n"
      "pin.kdf_iterations = 999\n"
      "pin.max_failures = -1\n"
      "pin.min_length = 0\n"
      "pin.max_length = 12abc\n",
      "v.conf");
  EXPECT_EQ(c.warnings.size(), 11u);
  for (int line = 1; line <= 11; ++line) {
    EXPECT_TRUE(has_warning(c, "v.conf:" + std::to_string(line) + ":")) << line;
  }
  Config d = defaults();
  EXPECT_EQ(c.backend, d.backend);
  EXPECT_EQ(c.umask, d.umask);
  EXPECT_EQ(c.sync, d.sync);
  EXPECT_EQ(c.log.level, log::Level::Warning);
  EXPECT_EQ(c.log.target, log::Target::Stderr);
  EXPECT_FALSE(c.slots_removable);
  EXPECT_TRUE(c.reset_on_fork);
  EXPECT_EQ(c.pin_kdf_iterations, 200000u);
  EXPECT_EQ(c.pin_max_failures, 10u);
  EXPECT_EQ(c.pin_min_length, 4u);
  EXPECT_EQ(c.pin_max_length, 255u);
}

TEST(ConfigParse, RangeLimits) {
  EXPECT_EQ(parse("pin.kdf_iterations = 10000000", "r").pin_kdf_iterations, 10000000u);
  EXPECT_EQ(parse("pin.kdf_iterations = 10000001", "r").pin_kdf_iterations, 200000u);
  Config c = parse("pin.min_length = 10\npin.max_length = 8\n", "r");
  EXPECT_TRUE(has_warning(c, "r:2: pin.max_length is smaller"));
  EXPECT_EQ(c.pin_min_length, 4u);
  EXPECT_EQ(c.pin_max_length, 255u);
}

TEST(ConfigParse, BooleanSpellings) {
  for (const char* t : {"true", "Yes", "1", "TRUE"}) {
    EXPECT_TRUE(parse(std::string("slots.removable = ") + t, "b").slots_removable) << t;
  }
  for (const char* f : {"false", "NO", "0", "False"}) {
    EXPECT_FALSE(parse(std::string("slots.removable = true\nslots.removable = ") + f, "b").slots_removable) << f;
  }
}

TEST(ConfigParse, DuplicateKeyLastWins) {
  Config c = parse("log.level = ERROR\nlog.level = DEBUG\n", "d.conf");
  EXPECT_EQ(c.log.level, log::Level::Debug);
  EXPECT_TRUE(has_warning(c, "d.conf:2: duplicate key log.level"));
}

TEST(ConfigParse, SoftHsmBackendNames) {
  Config db = parse("objectstore.backend = db", "s");
  EXPECT_EQ(db.backend, Backend::Sqlite);
  EXPECT_TRUE(db.warnings.empty());
  Config file = parse("objectstore.backend = file", "s");
  EXPECT_EQ(file.backend, Backend::Sqlite);
  EXPECT_TRUE(has_warning(file, "file"));
}

TEST(ConfigParse, LogFileWinsOverTarget) {
  Config c = parse("log.target = syslog\nlog.file = /tmp/x.log\n", "l");
  EXPECT_EQ(c.log.target, log::Target::File);
  EXPECT_EQ(c.log.file, "/tmp/x.log");
  EXPECT_EQ(parse("log.target = STDERR", "l").log.target, log::Target::Stderr);
}

TEST(ConfigParse, RelativeTokendirWarns) {
  Config c = parse("directories.tokendir = tokens", "t");
  EXPECT_EQ(c.tokendir, "tokens");
  EXPECT_TRUE(has_warning(c, "relative"));
}

TEST(MechanismFilter, All) {
  Config c = parse("slots.mechanisms = all", "m");
  EXPECT_TRUE(c.warnings.empty());
  EXPECT_TRUE(c.mechanisms.allows(CKM_RSA_PKCS));
  EXPECT_TRUE(c.mechanisms.allows(CKM_ML_DSA));
}

TEST(MechanismFilter, AllowList) {
  Config c = parse("slots.mechanisms = CKM_RSA_PKCS,ckm_sha256 , 0x1087", "m");
  EXPECT_TRUE(c.warnings.empty()) << c.warnings.front();
  EXPECT_TRUE(c.mechanisms.allows(CKM_RSA_PKCS));
  EXPECT_TRUE(c.mechanisms.allows(CKM_SHA256));
  EXPECT_TRUE(c.mechanisms.allows(CKM_AES_GCM));
  EXPECT_FALSE(c.mechanisms.allows(CKM_SHA_1));
  EXPECT_FALSE(c.mechanisms.allows(CKM_ML_KEM));
}

TEST(MechanismFilter, DenyList) {
  Config c = parse("slots.mechanisms = -CKM_RSA_X_509, -CKM_SHA_1", "m");
  EXPECT_TRUE(c.warnings.empty()) << c.warnings.front();
  EXPECT_FALSE(c.mechanisms.allow_listed_only);
  EXPECT_FALSE(c.mechanisms.allows(CKM_RSA_X_509));
  EXPECT_FALSE(c.mechanisms.allows(CKM_SHA_1));
  EXPECT_TRUE(c.mechanisms.allows(CKM_SHA256));
}

TEST(MechanismFilter, UnknownAndMixedEntriesWarn) {
  Config c = parse("\nslots.mechanisms = CKM_SHA256, CKM_FROBNICATE, -CKM_SHA_1, 0xZZ,\n", "m.conf");
  EXPECT_TRUE(has_warning(c, "m.conf:2: slots.mechanisms entry 'CKM_FROBNICATE' is not a known mechanism"));
  EXPECT_TRUE(has_warning(c, "'-CKM_SHA_1' mixes"));
  EXPECT_TRUE(has_warning(c, "'0xZZ'"));
  EXPECT_TRUE(has_warning(c, "empty entry"));
  EXPECT_TRUE(c.mechanisms.allows(CKM_SHA256));
  EXPECT_FALSE(c.mechanisms.allows(CKM_SHA_1));
}

TEST(MechanismFilter, NothingKnownAllowsNothing) {
  Config c = parse("slots.mechanisms = CKM_NOPE", "m");
  EXPECT_TRUE(has_warning(c, "no mechanism will be available"));
  EXPECT_FALSE(c.mechanisms.allows(CKM_SHA256));
}

// ---- discovery --------------------------------------------------------------------------------

class ConfigLoad : public ::testing::Test {
 protected:
  static constexpr const char* kVars[] = {"CRATON_HSM_CONF", "SOFTHSM2_CONF", "CRATON_HSM_TOKENDIR",
                                          "XDG_CONFIG_HOME", "XDG_DATA_HOME", "HOME"};
  void SetUp() override {
    for (const char* v : kVars) {
      const char* cur = std::getenv(v);
      saved_[v] = cur ? std::optional<std::string>(cur) : std::nullopt;
      ::unsetenv(v);
    }
    dir_ = ::testing::TempDir() + "craton_cfg_" + std::to_string(::getpid());
    ::mkdir(dir_.c_str(), 0700);
    ::setenv("XDG_CONFIG_HOME", dir_.c_str(), 1);  // keep the real ~/.config out of the test
  }
  void TearDown() override {
    for (const auto& [k, v] : saved_) {
      if (v) ::setenv(k.c_str(), v->c_str(), 1);
      else ::unsetenv(k.c_str());
    }
    for (const auto& f : files_) ::unlink(f.c_str());
    ::rmdir((dir_ + "/craton-hsm").c_str());
    ::rmdir(dir_.c_str());
  }
  std::string write(const std::string& rel, const std::string& text) {
    std::string path = dir_ + "/" + rel;
    std::ofstream(path) << text;
    files_.push_back(path);
    return path;
  }
  std::map<std::string, std::optional<std::string>> saved_;
  std::vector<std::string> files_;
  std::string dir_;
};

TEST_F(ConfigLoad, CratonVariableWinsOverSoftHsm) {
  auto a = write("a.conf", "log.level = ERROR\n");
  auto b = write("b.conf", "log.level = DEBUG\n");
  ::setenv("CRATON_HSM_CONF", a.c_str(), 1);
  ::setenv("SOFTHSM2_CONF", b.c_str(), 1);
  std::string detail;
  auto r = load(detail);
  ASSERT_TRUE(r.ok()) << detail;
  EXPECT_EQ(r->source, a);
  EXPECT_EQ(r->log.level, log::Level::Error);

  ::unsetenv("CRATON_HSM_CONF");
  r = load(detail);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->source, b);
  EXPECT_EQ(r->log.level, log::Level::Debug);
}

TEST_F(ConfigLoad, EnvPointingAtMissingFileIsAnError) {
  std::string missing = dir_ + "/does-not-exist.conf";
  ::setenv("SOFTHSM2_CONF", missing.c_str(), 1);
  std::string detail;
  auto r = load(detail);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.rv(), CKR_GENERAL_ERROR);
  EXPECT_NE(detail.find(missing), std::string::npos) << detail;
  EXPECT_NE(detail.find("SOFTHSM2_CONF"), std::string::npos) << detail;
}

TEST_F(ConfigLoad, EnvPointingAtDirectoryIsAnError) {
  ::setenv("CRATON_HSM_CONF", dir_.c_str(), 1);
  std::string detail;
  auto r = load(detail);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(detail.find("cannot be read"), std::string::npos) << detail;
}

TEST_F(ConfigLoad, XdgConfigHome) {
  ::mkdir((dir_ + "/craton-hsm").c_str(), 0700);
  auto p = write("craton-hsm/craton-hsm.conf", "slots.removable = true\n");
  std::string detail;
  auto r = load(detail);
  ASSERT_TRUE(r.ok()) << detail;
  EXPECT_EQ(r->source, p);
  EXPECT_TRUE(r->slots_removable);
}

TEST_F(ConfigLoad, HomeFallbackForConfigAndTokens) {
  ::unsetenv("XDG_CONFIG_HOME");
  ::setenv("HOME", dir_.c_str(), 1);
  EXPECT_EQ(defaults().tokendir, dir_ + "/.local/share/craton-hsm/tokens");
  ::setenv("XDG_DATA_HOME", "/data", 1);
  EXPECT_EQ(defaults().tokendir, "/data/craton-hsm/tokens");
  ::setenv("XDG_DATA_HOME", "relative/ignored", 1);
  EXPECT_EQ(defaults().tokendir, dir_ + "/.local/share/craton-hsm/tokens");
}

TEST_F(ConfigLoad, NoFileMeansBuiltInDefaults) {
  struct stat st {};
  if (::stat("/etc/craton-hsm/craton-hsm.conf", &st) == 0) GTEST_SKIP() << "system config present";
  std::string detail;
  auto r = load(detail);
  ASSERT_TRUE(r.ok()) << detail;
  EXPECT_EQ(r->source, kBuiltInDefaults);
}

TEST_F(ConfigLoad, TokendirVariableWithoutConfigFile) {
  struct stat st {};
  if (::stat("/etc/craton-hsm/craton-hsm.conf", &st) == 0) GTEST_SKIP() << "system config present";
  ::setenv("CRATON_HSM_TOKENDIR", "/srv/demo-token", 1);
  std::string detail;
  auto r = load(detail);
  ASSERT_TRUE(r.ok()) << detail;
  EXPECT_EQ(r->source, kBuiltInDefaults);
  EXPECT_EQ(r->tokendir, "/srv/demo-token");
  EXPECT_TRUE(r->warnings.empty());
}

TEST_F(ConfigLoad, TokendirVariableBeatsConfigFile) {
  auto p = write("t.conf", "directories.tokendir = /from/file\npin.max_failures = 3\n");
  ::setenv("CRATON_HSM_CONF", p.c_str(), 1);
  ::setenv("CRATON_HSM_TOKENDIR", "/from/env", 1);
  std::string detail;
  auto r = load(detail);
  ASSERT_TRUE(r.ok()) << detail;
  EXPECT_EQ(r->source, p);
  EXPECT_EQ(r->tokendir, "/from/env");
  EXPECT_EQ(r->pin_max_failures, 3u);  // the rest of the file still applies

  ::setenv("CRATON_HSM_TOKENDIR", "", 1);  // empty counts as unset
  r = load(detail);
  ASSERT_TRUE(r.ok()) << detail;
  EXPECT_EQ(r->tokendir, "/from/file");

  ::setenv("CRATON_HSM_TOKENDIR", "relative/tokens", 1);
  r = load(detail);
  ASSERT_TRUE(r.ok()) << detail;
  EXPECT_EQ(r->tokendir, "relative/tokens");
  EXPECT_TRUE(has_warning(*r, "CRATON_HSM_TOKENDIR is relative"));

  EXPECT_EQ(load_file(p)->tokendir, "/from/file");  // load_file() reads only the file
}

TEST_F(ConfigLoad, LoadFile) {
  auto p = write("x.conf", "pin.max_failures = 3\n");
  auto r = load_file(p);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->pin_max_failures, 3u);
  EXPECT_FALSE(load_file(dir_ + "/nope.conf").ok());
  EXPECT_TRUE(r->warnings.empty());
  ::chmod(p.c_str(), 0666);
  auto w = load_file(p);
  ASSERT_TRUE(w.ok());
  EXPECT_TRUE(has_warning(*w, "world-writable"));
}

TEST(ConfigParse, AuditDefaults) {
  Config c = parse("", "empty.conf");
  EXPECT_TRUE(c.audit.enabled);
  EXPECT_TRUE(c.audit.dir.empty());
  EXPECT_EQ(c.audit.sync, AuditSync::Batch);
  EXPECT_EQ(c.audit.max_file_size, 64ULL << 20);
}

TEST(ConfigParse, AuditKeys) {
  Config c = parse(
      "audit.enabled = no\n"
      "audit.dir = /var/log/craton-audit\n"
      "audit.sync = EVERY\n"
      "audit.max_file_size = 128K\n",
      "audit.conf");
  EXPECT_TRUE(c.warnings.empty()) << c.warnings.front();
  EXPECT_FALSE(c.audit.enabled);
  EXPECT_EQ(c.audit.dir, "/var/log/craton-audit");
  EXPECT_EQ(c.audit.sync, AuditSync::Every);
  EXPECT_EQ(c.audit.max_file_size, 128ULL << 10);
  EXPECT_EQ(parse("audit.sync = off\n", "x").audit.sync, AuditSync::Off);
  EXPECT_EQ(parse("audit.max_file_size = 2G\n", "x").audit.max_file_size, 2ULL << 30);
  EXPECT_EQ(parse("audit.max_file_size = 1048576\n", "x").audit.max_file_size, 1ULL << 20);
}

TEST(ConfigParse, AuditBadValuesWarnAndKeepDefaults) {
  for (const char* line : {"audit.enabled = maybe", "audit.sync = sometimes", "audit.max_file_size = 1K",
                           "audit.max_file_size = 2000G", "audit.max_file_size = 12X", "audit.dir =",
                           "audit.colour = blue"}) {
    Config c = parse(std::string(line) + "\n", "bad.conf");
    EXPECT_EQ(c.warnings.size(), 1u) << line;
    EXPECT_TRUE(has_warning(c, "bad.conf:1:")) << line;
    EXPECT_TRUE(c.audit.enabled);
    EXPECT_EQ(c.audit.sync, AuditSync::Batch);
    EXPECT_EQ(c.audit.max_file_size, 64ULL << 20);
    EXPECT_TRUE(c.audit.dir.empty());
  }
}

}  // namespace
}  // namespace craton::config

namespace craton::config {
namespace {

TEST(ConfigParse, FipsAndCryptoBackendKeys) {
  const Config d = parse("", "empty.conf");
  EXPECT_FALSE(d.fips_approved_only);
  EXPECT_EQ(d.crypto_backend, CryptoBackend::kOpenSsl);

  const Config on = parse("fips.approved_only = yes\ncrypto.backend = OpenSSL-FIPS\n", "fips.conf");
  EXPECT_TRUE(on.warnings.empty()) << on.warnings.front();
  EXPECT_TRUE(on.fips_approved_only);
  EXPECT_EQ(on.crypto_backend, CryptoBackend::kOpenSslFips);

  const Config off = parse("fips.approved_only = false\ncrypto.backend = openssl\n", "plain.conf");
  EXPECT_TRUE(off.warnings.empty()) << off.warnings.front();
  EXPECT_FALSE(off.fips_approved_only);
  EXPECT_EQ(off.crypto_backend, CryptoBackend::kOpenSsl);
}

TEST(ConfigParse, FipsKeysFailClosed) {
  const Config c = parse("fips.approved_only = maybe\ncrypto.backend = libressl\n", "bad.conf");
  ASSERT_EQ(c.warnings.size(), 2u);
  EXPECT_NE(c.warnings[0].find("bad.conf:1"), std::string::npos) << c.warnings[0];
  EXPECT_NE(c.warnings[0].find("approved-only mode is ON"), std::string::npos) << c.warnings[0];
  EXPECT_TRUE(c.fips_approved_only);  // a typo never switches the protection off
  EXPECT_NE(c.warnings[1].find("will not start"), std::string::npos) << c.warnings[1];
  EXPECT_EQ(c.crypto_backend, CryptoBackend::kInvalid);  // and never picks another backend
}

}  // namespace
}  // namespace craton::config
