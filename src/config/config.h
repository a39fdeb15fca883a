// craton::config — the module configuration file (softhsm2.conf syntax).
//
// Syntax: one `key = value` per line; a line whose first non-blank character is '#' is a comment;
// blank lines are ignored; whitespace around keys and values is trimmed (so '#' inside a value, e.g.
// a path, is kept). Unknown keys, malformed lines and bad values never fail loading: each adds a
// message "<file>:<line>: ..." to Config::warnings and the setting keeps its default. The caller
// (C_Initialize) logs the warnings once the logger is configured. Later duplicates win (with a warning).
//
// Search order used by load():
//   1. $CRATON_HSM_CONF   2. $SOFTHSM2_CONF   (an empty variable counts as unset)
//   3. $XDG_CONFIG_HOME/craton-hsm/craton-hsm.conf, else ~/.config/craton-hsm/craton-hsm.conf
//   4. /etc/craton-hsm/craton-hsm.conf
// A file named by an environment variable MUST exist and be readable, otherwise loading fails with
// CKR_GENERAL_ERROR: silently falling back to defaults would put keys in an unexpected place. A file
// found in steps 3-4 that exists but cannot be read fails the same way. If no file exists, built-in
// defaults are used (Config::source == "built-in defaults").
//
// Environment override, applied by load() after the file (or the defaults) was read:
//   $CRATON_HSM_TOKENDIR   if set and non-empty, replaces directories.tokendir, whatever the file
//                          says. Lets a token directory be chosen with no configuration file at all.
//                          A relative value adds a warning (resolved against the working directory).
//
// Keys (defaults in brackets):
//   directories.tokendir   path [$XDG_DATA_HOME/craton-hsm/tokens or ~/.local/share/craton-hsm/tokens].
//                          Not checked here: the object store creates it or reports the problem.
//   objectstore.backend    sqlite | db (SoftHSM's name for SQLite) | file (SoftHSM's file backend; accepted,
//                          mapped to sqlite with a warning) | memory (tests only; nothing persists) [sqlite]
//   objectstore.umask      octal, at most 0777 [077]
//   objectstore.sync       full | normal [full]   (durability of the SQLite store)
//   log.level              ERROR | WARNING | INFO | DEBUG, case-insensitive [WARNING: logging goes to stderr by
//                          default, where routine INFO lines would clutter every client's output]
//   log.file               path. If set, logging goes to this file (append, 0600) and log.target is ignored.
//   log.target             stderr | syslog [stderr]   (our key; SoftHSM has no equivalent)
//   slots.removable        bool [false]
//   slots.mechanisms       ALL | comma list of CKM_* names or 0x hex numbers (only these) | comma list
//                          where every entry starts with '-' (all except these) [ALL]
//   library.reset_on_fork  bool [true]: a child created by fork() must call C_Initialize and starts
//                          afresh (spec). false: the child keeps the parent's sessions and login (SoftHSMv2 habit).
//   pin.kdf_iterations     PBKDF2-HMAC-SHA256 iterations, 1000..10000000 [200000]
//   pin.max_failures       failed logins before lockout, 0 = never lock, 0..1000000 [10]
//   pin.min_length         1..1024 [4]
//   pin.max_length         1..1024 and >= min_length [255]
//   audit.enabled          bool [true]: keep the chained audit log (docs/AUDIT.md)
//   audit.dir              path [<tokendir>/audit]
//   audit.sync             every | batch | off [batch]: fsync before each audited call returns /
//                          by the writer thread at most every 20 ms / never
//   audit.max_file_size    bytes, optional K/M/G suffix, 64K..1T [64M]: rotation size
//   fips.approved_only     bool [false]: offer only FIPS 140-3 approved services (docs/FIPS.md). A value
//                          that is not a boolean turns the mode ON (a security switch fails closed).
//   crypto.backend         openssl | openssl-fips [openssl]: OpenSSL's default provider, or its FIPS
//                          provider loaded in the module's private library context. An unknown value,
//                          or a FIPS provider that cannot be loaded, makes C_Initialize fail: never a
//                          silent fallback.
// Booleans: true/false/yes/no/1/0 (case-insensitive).
//
// Thread safety: all functions are reentrant; load() reads the environment (getenv), so it must not
// race with setenv() in another thread.
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <sys/types.h>
#include <vector>

#include "common/log.h"
#include "common/result.h"
#include "craton/pkcs11/pkcs11.h"

namespace craton::config {

enum class Backend { Sqlite, Memory };
enum class SyncMode { Full, Normal };
enum class CryptoBackend { kOpenSsl, kOpenSslFips, kInvalid };

// Which mechanisms the slots offer.
//   allow_listed_only == true : only the mechanisms in `set`.
//   allow_listed_only == false: every mechanism except those in `set` (empty set = all).
struct MechanismFilter {
  bool allow_listed_only = false;
  std::set<CK_MECHANISM_TYPE> set;

  bool allows(CK_MECHANISM_TYPE type) const { return allow_listed_only == (set.count(type) != 0); }
};

enum class AuditSync { Every, Batch, Off };

struct AuditSettings {
  bool enabled = true;
  std::string dir;  // empty: <tokendir>/audit
  AuditSync sync = AuditSync::Batch;
  unsigned long long max_file_size = 64ULL << 20;
  bool no_threads = false;  // not a file key: C_Initialize's CKF_LIBRARY_CANT_CREATE_OS_THREADS
};

inline constexpr unsigned long kMinKdfIterations = 1000;
inline constexpr unsigned long kMaxKdfIterations = 10'000'000;

struct Config {
  std::string tokendir;
  Backend backend = Backend::Sqlite;
  mode_t umask = 077;
  SyncMode sync = SyncMode::Full;
  log::Settings log{log::Level::Warning, log::Target::Stderr, {}};
  bool slots_removable = false;
  MechanismFilter mechanisms;
  bool reset_on_fork = true;
  unsigned long pin_kdf_iterations = 200'000;
  unsigned long pin_max_failures = 10;
  unsigned long pin_min_length = 4;
  unsigned long pin_max_length = 255;
  AuditSettings audit;
  bool fips_approved_only = false;
  CryptoBackend crypto_backend = CryptoBackend::kOpenSsl;

  std::string source;                 // file the settings came from, or "built-in defaults"
  std::vector<std::string> warnings;  // one human-readable message per problem found
};

inline constexpr std::string_view kBuiltInDefaults = "built-in defaults";

// Built-in defaults, with tokendir resolved from the environment / passwd entry.
Config defaults();

// Parses configuration text on top of defaults(). Pure apart from reading the environment for the
// default tokendir. `origin` names the text in warnings (usually the file path).
Config parse(std::string_view text, std::string_view origin);

// Reads and parses one file. Fails (CKR_GENERAL_ERROR) if it cannot be opened or read.
[[nodiscard]] Result<Config> load_file(const std::string& path);

// Finds and loads the configuration (search order above), then applies the environment override
// ($CRATON_HSM_TOKENDIR). load_file() and parse() do not apply it. On failure `detail` receives a message
// naming the file and the reason, suitable for logging.
[[nodiscard]] Result<Config> load(std::string& detail);

// As above, but logs the failure detail with log::error.
[[nodiscard]] Result<Config> load();

}  // namespace craton::config
