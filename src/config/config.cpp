// Configuration file parsing and discovery. See config.h for the syntax and the keys.
#include "config/config.h"

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>

#include "common/ck_names.h"

namespace craton::config {
namespace {

constexpr std::string_view kBlank = " \t\r\n\f\v";

std::string_view trim(std::string_view s) {
  auto b = s.find_first_not_of(kBlank);
  if (b == std::string_view::npos) return {};
  auto e = s.find_last_not_of(kBlank);
  return s.substr(b, e - b + 1);
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

std::optional<bool> parse_bool(std::string_view v) {
  std::string l = lower(v);
  if (l == "true" || l == "yes" || l == "1") return true;
  if (l == "false" || l == "no" || l == "0") return false;
  return std::nullopt;
}

// Digits only (no sign, no spaces) in the given base; the whole string must be consumed.
std::optional<unsigned long> parse_unsigned(std::string_view v, int base) {
  if (v.empty()) return std::nullopt;
  unsigned long out = 0;
  auto r = std::from_chars(v.data(), v.data() + v.size(), out, base);
  if (r.ec != std::errc{} || r.ptr != v.data() + v.size()) return std::nullopt;
  return out;
}

std::optional<std::string> env(const char* name) {
  const char* v = std::getenv(name);  // NOLINT(concurrency-mt-unsafe): documented in config.h
  if (v == nullptr || *v == '\0') return std::nullopt;
  return std::string(v);
}

std::string home_dir() {
  if (auto h = env("HOME")) return *h;
  long size = ::sysconf(_SC_GETPW_R_SIZE_MAX);
  std::string buf(size > 0 ? static_cast<std::size_t>(size) : 16384, '\0');
  passwd pw{};
  passwd* found = nullptr;
  if (::getpwuid_r(::getuid(), &pw, buf.data(), buf.size(), &found) == 0 && found != nullptr &&
      found->pw_dir != nullptr) {
    return found->pw_dir;
  }
  return {};
}

// XDG base directory rule: a relative $XDG_* value is invalid and must be ignored.
std::optional<std::string> xdg_dir(const char* var, std::string_view home_relative) {
  if (auto v = env(var); v && v->front() == '/') return *v;
  std::string home = home_dir();
  if (home.empty()) return std::nullopt;
  return home + "/" + std::string(home_relative);
}

class Parser {
 public:
  Parser(Config& cfg, std::string_view origin) : cfg_(cfg), origin_(origin) {}

  void run(std::string_view text) {
    std::size_t pos = 0;
    while (pos < text.size()) {
      auto nl = text.find('\n', pos);
      std::size_t end = nl == std::string_view::npos ? text.size() : nl;
      ++line_;
      parse_line(trim(text.substr(pos, end - pos)));
      pos = end + 1;
    }
    finish();
  }

 private:
  void warn(std::string_view what) {
    std::string w(origin_);
    w += ':';
    w += std::to_string(line_);
    w += ": ";
    w += what;
    cfg_.warnings.push_back(std::move(w));
  }
  void bad_value(std::string_view key, std::string_view value, std::string_view expected) {
    warn(std::string("invalid value '") + std::string(value) + "' for " + std::string(key) + " (expected " +
         std::string(expected) + "); ignored");
  }

  void parse_line(std::string_view line) {
    if (line.empty() || line.front() == '#') return;
    auto eq = line.find('=');
    if (eq == std::string_view::npos) {
      warn("malformed line (no '='); ignored");
      return;
    }
    std::string_view key = trim(line.substr(0, eq));
    std::string_view value = trim(line.substr(eq + 1));
    if (key.empty()) {
      warn("malformed line (empty key); ignored");
      return;
    }
    if (!seen_.emplace(std::string(key), line_).second) {
      warn(std::string("duplicate key ") + std::string(key) + "; the last value wins");
    }
    apply(key, value);
  }

  void apply(std::string_view key, std::string_view v);
  void set_ulong(std::string_view key, std::string_view v, unsigned long lo, unsigned long hi, unsigned long& out);
  void set_mechanisms(std::string_view v);
  void apply_audit(std::string_view key, std::string_view v);
  void finish();

  Config& cfg_;
  std::string_view origin_;
  std::size_t line_ = 0;
  std::map<std::string, std::size_t> seen_;
  std::optional<log::Target> target_;
};

void Parser::set_ulong(std::string_view key, std::string_view v, unsigned long lo, unsigned long hi,
                       unsigned long& out) {
  auto n = parse_unsigned(v, 10);
  if (!n || *n < lo || *n > hi) {
    bad_value(key, v, "a number from " + std::to_string(lo) + " to " + std::to_string(hi));
    return;
  }
  out = *n;
}

void Parser::apply(std::string_view key, std::string_view v) {
  if (key == "directories.tokendir") {
    if (v.empty()) return bad_value(key, v, "a directory path");
    cfg_.tokendir = std::string(v);
    if (v.front() != '/') warn("directories.tokendir is relative; it is resolved against the working directory");
  } else if (key == "objectstore.backend") {
    std::string b = lower(v);
    if (b == "sqlite" || b == "db") {
      cfg_.backend = Backend::Sqlite;
    } else if (b == "file") {
      cfg_.backend = Backend::Sqlite;
      warn("objectstore.backend = file (SoftHSM's file backend) is not implemented; using sqlite. "
           "Existing SoftHSM tokens must be imported, they are not read in place");
    } else if (b == "memory") {
      cfg_.backend = Backend::Memory;
    } else {
      bad_value(key, v, "sqlite, db, file or memory");
    }
  } else if (key == "objectstore.umask") {
    auto n = parse_unsigned(v, 8);
    if (!n || *n > 0777) return bad_value(key, v, "an octal mode such as 0077");
    cfg_.umask = static_cast<mode_t>(*n);
  } else if (key == "objectstore.sync") {
    std::string s = lower(v);
    if (s == "full") cfg_.sync = SyncMode::Full;
    else if (s == "normal") cfg_.sync = SyncMode::Normal;
    else bad_value(key, v, "full or normal");
  } else if (key == "log.level") {
    auto l = log::level_from_name(v);
    if (!l) return bad_value(key, v, "ERROR, WARNING, INFO or DEBUG");
    cfg_.log.level = *l;
  } else if (key == "log.file") {
    if (v.empty()) return bad_value(key, v, "a file path");
    cfg_.log.file = std::string(v);
  } else if (key == "log.target") {
    std::string t = lower(v);
    if (t == "stderr") target_ = log::Target::Stderr;
    else if (t == "syslog") target_ = log::Target::Syslog;
    else bad_value(key, v, "stderr or syslog; set log.file to log to a file");
  } else if (key == "slots.removable" || key == "library.reset_on_fork") {
    auto b = parse_bool(v);
    if (!b) return bad_value(key, v, "true or false");
    (key == "slots.removable" ? cfg_.slots_removable : cfg_.reset_on_fork) = *b;
  } else if (key == "slots.mechanisms") {
    set_mechanisms(v);
  } else if (key == "fips.approved_only") {
    auto b = parse_bool(v);
    // A security switch fails closed: a value we cannot read turns approved-only mode on.
    if (!b) {
      warn("fips.approved_only = '" + std::string(v) + "' is not true or false; approved-only mode is ON");
      cfg_.fips_approved_only = true;
      return;
    }
    cfg_.fips_approved_only = *b;
  } else if (key == "crypto.backend") {
    std::string b = lower(v);
    if (b == "openssl") {
      cfg_.crypto_backend = CryptoBackend::kOpenSsl;
    } else if (b == "openssl-fips") {
      cfg_.crypto_backend = CryptoBackend::kOpenSslFips;
    } else {
      // Never a silent fallback to another backend: C_Initialize refuses to start.
      warn("crypto.backend = '" + std::string(v) + "' is not openssl or openssl-fips; the module will not start");
      cfg_.crypto_backend = CryptoBackend::kInvalid;
    }
  } else if (key == "pin.kdf_iterations") {
    set_ulong(key, v, kMinKdfIterations, kMaxKdfIterations, cfg_.pin_kdf_iterations);
  } else if (key == "pin.max_failures") {
    set_ulong(key, v, 0, 1'000'000, cfg_.pin_max_failures);
  } else if (key == "pin.min_length") {
    set_ulong(key, v, 1, 1024, cfg_.pin_min_length);
  } else if (key == "pin.max_length") {
    set_ulong(key, v, 1, 1024, cfg_.pin_max_length);
  } else if (key.starts_with("audit.")) {
    apply_audit(key, v);
  } else {
    warn(std::string("unknown key ") + std::string(key) + "; ignored");
  }
}

// "64M" style sizes: a number with an optional K, M or G (powers of 1024).
std::optional<unsigned long long> parse_size(std::string_view v) {
  unsigned shift = 0;
  if (!v.empty()) {
    const char last = v.back();
    if (last == 'K' || last == 'k') shift = 10;
    else if (last == 'M' || last == 'm') shift = 20;
    else if (last == 'G' || last == 'g') shift = 30;
    if (shift != 0) v.remove_suffix(1);
  }
  auto n = parse_unsigned(v, 10);
  if (!n || *n > (1ULL << 40) >> shift) return std::nullopt;
  return static_cast<unsigned long long>(*n) << shift;
}

void Parser::apply_audit(std::string_view key, std::string_view v) {
  AuditSettings& a = cfg_.audit;
  if (key == "audit.enabled") {
    auto b = parse_bool(v);
    if (!b) return bad_value(key, v, "true or false");
    a.enabled = *b;
  } else if (key == "audit.dir") {
    if (v.empty()) return bad_value(key, v, "a directory path");
    a.dir = std::string(v);
  } else if (key == "audit.sync") {
    std::string s = lower(v);
    if (s == "every") a.sync = AuditSync::Every;
    else if (s == "batch") a.sync = AuditSync::Batch;
    else if (s == "off") a.sync = AuditSync::Off;
    else bad_value(key, v, "every, batch or off");
  } else if (key == "audit.max_file_size") {
    auto n = parse_size(v);
    if (!n || *n < (64ULL << 10)) return bad_value(key, v, "a size from 64K to 1024G");
    a.max_file_size = *n;
  } else {
    warn(std::string("unknown key ") + std::string(key) + "; ignored");
  }
}

void Parser::set_mechanisms(std::string_view v) {
  MechanismFilter f;
  if (upper(v) == "ALL") {
    cfg_.mechanisms = f;
    return;
  }
  bool first = true;
  while (true) {
    auto comma = v.find(',');
    std::string_view entry = trim(v.substr(0, comma));
    if (entry.empty()) {
      warn("slots.mechanisms has an empty entry; ignored");
    } else {
      bool minus = entry.front() == '-';
      if (first) f.allow_listed_only = !minus;
      first = false;
      std::string_view name = trim(minus ? entry.substr(1) : entry);
      std::optional<CK_MECHANISM_TYPE> m;
      if (name.size() > 2 && name[0] == '0' && (name[1] == 'x' || name[1] == 'X')) {
        m = parse_unsigned(name.substr(2), 16);
      } else {
        m = mechanism_from_name(upper(name));
      }
      if (minus == f.allow_listed_only) {
        warn("slots.mechanisms entry '" + std::string(entry) + "' mixes '-' and plain entries; ignored");
      } else if (!m) {
        warn("slots.mechanisms entry '" + std::string(entry) + "' is not a known mechanism; ignored");
      } else {
        f.set.insert(*m);
      }
    }
    if (comma == std::string_view::npos) break;
    v.remove_prefix(comma + 1);
  }
  if (f.allow_listed_only && f.set.empty()) {
    warn("slots.mechanisms lists no known mechanism; no mechanism will be available");
  }
  cfg_.mechanisms = std::move(f);
}

// Checks that need several keys; run once after the last line.
void Parser::finish() {
  const Config def;
  if (cfg_.pin_max_length < cfg_.pin_min_length) {
    if (auto it = seen_.find("pin.max_length"); it != seen_.end()) line_ = it->second;
    warn("pin.max_length is smaller than pin.min_length; using the defaults for both");
    cfg_.pin_min_length = def.pin_min_length;
    cfg_.pin_max_length = def.pin_max_length;
  }
  if (!cfg_.log.file.empty()) {
    cfg_.log.target = log::Target::File;
  } else if (target_) {
    cfg_.log.target = *target_;
  }
}

enum class ReadOutcome { Ok, Missing, Unreadable };

ReadOutcome read_file(const std::string& path, std::string& out) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return errno == ENOENT ? ReadOutcome::Missing : ReadOutcome::Unreadable;
  if (!S_ISREG(st.st_mode)) return ReadOutcome::Unreadable;
  std::ifstream in(path, std::ios::binary);
  if (!in) return ReadOutcome::Unreadable;
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return ReadOutcome::Unreadable;
  out = ss.str();
  return ReadOutcome::Ok;
}

Result<Config> from_file(const std::string& path, std::string& detail, const char* named_by) {
  std::string text;
  switch (read_file(path, text)) {
    case ReadOutcome::Ok: {
      Config cfg = parse(text, path);
      cfg.source = path;
      struct stat st {};
      if (::stat(path.c_str(), &st) == 0 && (st.st_mode & S_IWOTH) != 0) {
        cfg.warnings.push_back(path + ": the configuration file is world-writable; "
                               "anyone can redirect the token store");
      }
      return cfg;
    }
    case ReadOutcome::Missing:
      detail = "configuration file " + path + " (named by " + named_by + ") does not exist";
      return fail(CKR_GENERAL_ERROR, "configuration file does not exist");
    case ReadOutcome::Unreadable:
      break;
  }
  detail = "configuration file " + path + " (named by " + named_by + ") cannot be read";
  return fail(CKR_GENERAL_ERROR, "configuration file cannot be read");
}

}  // namespace

Config defaults() {
  Config cfg;
  cfg.source = std::string(kBuiltInDefaults);
  if (auto data = xdg_dir("XDG_DATA_HOME", ".local/share")) {
    cfg.tokendir = *data + "/craton-hsm/tokens";
  } else {
    cfg.warnings.emplace_back("no home directory found; set directories.tokendir in the configuration file");
  }
  return cfg;
}

Config parse(std::string_view text, std::string_view origin) {
  Config cfg = defaults();
  cfg.source = std::string(origin);
  Parser(cfg, origin).run(text);
  return cfg;
}

Result<Config> load_file(const std::string& path) {
  std::string detail;
  return from_file(path, detail, "caller");
}

namespace {

// Steps 1-4 of the search order in config.h.
Result<Config> find_and_load(std::string& detail) {
  for (const char* var : {"CRATON_HSM_CONF", "SOFTHSM2_CONF"}) {
    if (auto path = env(var)) return from_file(*path, detail, var);
  }
  std::vector<std::string> candidates;
  if (auto cfg_home = xdg_dir("XDG_CONFIG_HOME", ".config")) {
    candidates.push_back(*cfg_home + "/craton-hsm/craton-hsm.conf");
  }
  candidates.emplace_back("/etc/craton-hsm/craton-hsm.conf");
  for (const std::string& path : candidates) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0 && errno == ENOENT) continue;
    return from_file(path, detail, "the default search path");
  }
  return defaults();
}

// $CRATON_HSM_TOKENDIR beats directories.tokendir from any source, so a token directory can be
// chosen without writing a configuration file (the demo and quick experiments use this).
void apply_environment_overrides(Config& cfg) {
  auto dir = env("CRATON_HSM_TOKENDIR");
  if (!dir) return;
  cfg.tokendir = *dir;
  if (dir->front() != '/') {
    cfg.warnings.emplace_back("CRATON_HSM_TOKENDIR is relative; it is resolved against the working directory");
  }
}

}  // namespace

Result<Config> load(std::string& detail) {
  auto r = find_and_load(detail);
  if (r.ok()) apply_environment_overrides(*r);
  return r;
}

Result<Config> load() {
  std::string detail;
  auto r = load(detail);
  if (!r.ok()) log::error("config", detail);
  return r;
}

}  // namespace craton::config
