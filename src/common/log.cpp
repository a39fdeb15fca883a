// craton::log implementation: one mutex-protected sink, an atomic level for the fast path.
#include "common/log.h"

#include <fcntl.h>
#include <syslog.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <ctime>
#include <mutex>

namespace craton::log {
namespace {

struct Sink {
  std::mutex mu;
  Target target = Target::Stderr;  // guarded by mu
  int fd = -1;                     // guarded by mu; the open log file for Target::File
};

// Function-local statics: safe to use from other static initialisers (no init-order problem).
Sink& sink() {
  static Sink s;  // std::mutex is trivially destructible in libstdc++, so no exit-time teardown
  return s;
}
std::atomic<int>& current_level() {
  static std::atomic<int> level{static_cast<int>(Level::Warning)};
  return level;
}

void write_all(int fd, std::string_view data) noexcept {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return;  // swallowed: logging must not fail the caller
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
}

void close_fd(Sink& s) noexcept {
  if (s.fd >= 0) ::close(s.fd);
  s.fd = -1;
}

int syslog_priority(Level level) noexcept {
  switch (level) {
    case Level::Error: return LOG_ERR;
    case Level::Warning: return LOG_WARNING;
    case Level::Info: return LOG_INFO;
    case Level::Debug: return LOG_DEBUG;
  }
  return LOG_INFO;
}

// "2025-01-31T12:34:56.789Z"
void append_timestamp(std::string& out) {
  timespec ts{};
  ::clock_gettime(CLOCK_REALTIME, &ts);
  std::tm tm{};
  ::gmtime_r(&ts.tv_sec, &tm);
  char buf[32];
  std::size_t n = std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
  out.append(buf, n);
  long ms = ts.tv_nsec / 1000000;
  out.push_back('.');
  out.push_back(static_cast<char>('0' + ms / 100));
  out.push_back(static_cast<char>('0' + ms / 10 % 10));
  out.push_back(static_cast<char>('0' + ms % 10));
  out.push_back('Z');
}

// Control characters (newlines above all) are replaced so that text from a caller — a token label,
// a file name — cannot forge extra log lines.
void append_sanitized(std::string& out, std::string_view text) {
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    out.push_back((u < 0x20 || u == 0x7F) ? '?' : c);
  }
}

}  // namespace

std::string_view level_name(Level level) noexcept {
  switch (level) {
    case Level::Error: return "ERROR";
    case Level::Warning: return "WARNING";
    case Level::Info: return "INFO";
    case Level::Debug: return "DEBUG";
  }
  return "UNKNOWN";
}

std::optional<Level> level_from_name(std::string_view name) {
  std::string upper(name);
  for (char& c : upper) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  for (Level l : {Level::Error, Level::Warning, Level::Info, Level::Debug}) {
    if (upper == level_name(l)) return l;
  }
  return std::nullopt;
}

bool enabled(Level level) noexcept {
  return static_cast<int>(level) <= current_level().load(std::memory_order_relaxed);
}

Status configure(const Settings& settings) {
  int new_fd = -1;
  if (settings.target == Target::File) {
    if (settings.file.empty()) return fail(CKR_GENERAL_ERROR, "log target is file but no log file is set");
    do {
      new_fd = ::open(settings.file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOCTTY, 0600);
    } while (new_fd < 0 && errno == EINTR);
    if (new_fd < 0) return fail(CKR_GENERAL_ERROR, "cannot open log file");
  }
  Sink& s = sink();
  std::lock_guard<std::mutex> lock(s.mu);
  close_fd(s);
  s.fd = new_fd;
  s.target = settings.target;
  current_level().store(static_cast<int>(settings.level), std::memory_order_relaxed);
  return ok_status();
}

void reset() noexcept {
  Sink& s = sink();
  std::lock_guard<std::mutex> lock(s.mu);
  close_fd(s);
  s.target = Target::Stderr;
  current_level().store(static_cast<int>(Level::Warning), std::memory_order_relaxed);
}

namespace detail {

void emit(Level level, std::string_view component, std::string_view message) noexcept {
  try {
    std::string line;
    line.reserve(64 + component.size() + message.size());
    std::string body;  // the part shared by all targets
    body.append(level_name(level));
    body.push_back(' ');
    append_sanitized(body, component);
    body.append(": ");
    append_sanitized(body, message);

    Sink& s = sink();
    std::lock_guard<std::mutex> lock(s.mu);
    if (s.target == Target::Syslog) {
      // syslog adds its own timestamp and pid.
      ::syslog(syslog_priority(level), "craton-hsm: %s", body.c_str());
      return;
    }
    append_timestamp(line);
    line.append(" craton-hsm[");
    char pid[24];
    auto r = std::to_chars(pid, pid + sizeof(pid), static_cast<long>(::getpid()));
    line.append(pid, r.ptr);
    line.append("] ");
    line.append(body);
    line.push_back('\n');
    int fd = (s.target == Target::File && s.fd >= 0) ? s.fd : STDERR_FILENO;
    write_all(fd, line);
  } catch (...) {
    // Formatting failed (out of memory) or the mutex threw: the message is dropped.
  }
}

}  // namespace detail
}  // namespace craton::log
