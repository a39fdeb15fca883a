// craton::log — the diagnostic log of Craton HSM.
//
// One line per message: `<UTC timestamp> craton-hsm[<pid>] <LEVEL> <component>: <parts...>`.
// Targets: stderr (default), syslog, or a file opened once in append mode (O_APPEND|O_CLOEXEC, 0600).
// Levels follow SoftHSM's log.level names: ERROR, WARNING, INFO, DEBUG.
//
// Thread safety: every function here may be called from any thread at any time. Lines written
// concurrently are never interleaved. configure()/reset() may race with log calls; a call sees either
// the old or the new settings.
//
// Log calls never throw and never report I/O errors (a host process must not fail because its HSM
// module cannot write a diagnostic). The level is checked before any formatting, so a disabled
// log::debug(...) costs one relaxed atomic load.
//
// Secrets: the parts of a message are restricted to a closed list of public types (see Loggable).
// Anything else — SecureBytes, spans or vectors of bytes, raw pointers — is rejected at compile time.
#pragma once

#include <charconv>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

#include "common/result.h"

namespace craton::log {

enum class Level : int { Error = 0, Warning = 1, Info = 2, Debug = 3 };
enum class Target { Stderr, Syslog, File };

struct Settings {
  Level level = Level::Warning;
  Target target = Target::Stderr;
  std::string file;  // used only when target == Target::File
};

// Applies `settings`. For Target::File the file is opened (created 0600) now; if that fails the
// previous settings stay in force and CKR_GENERAL_ERROR is returned.
[[nodiscard]] Status configure(const Settings& settings);

// Back to the built-in default (Warning to stderr); closes a log file if one is open.
void reset() noexcept;

// True if a message of `level` would be written.
bool enabled(Level level) noexcept;

std::string_view level_name(Level level) noexcept;               // "ERROR", "WARNING", ...
std::optional<Level> level_from_name(std::string_view name);     // case-insensitive

// Hexadecimal rendering of a public number, e.g. log::info("abi", "rv=", log::Hex{rv}).
struct Hex {
  unsigned long long value;
};

// Why a closed list: a log line leaves the security boundary (files, syslog, terminals) and outlives the
// process. Accepting "anything printable" would let SecureBytes, key spans or PIN buffers be logged by
// accident. Only these types are allowed: string literals / char arrays, std::string, std::string_view,
// integral and enum types, bool, Hex. A secret must never be turned into one of these for logging.
template <class T>
concept Loggable =
    std::same_as<std::remove_cvref_t<T>, std::string> ||
    std::same_as<std::remove_cvref_t<T>, std::string_view> ||
    std::same_as<std::remove_cvref_t<T>, Hex> ||
    (std::is_array_v<std::remove_cvref_t<T>> &&
     std::same_as<std::remove_cv_t<std::remove_extent_t<std::remove_cvref_t<T>>>, char>) ||
    std::is_integral_v<std::remove_cvref_t<T>> || std::is_enum_v<std::remove_cvref_t<T>>;

namespace detail {

void emit(Level level, std::string_view component, std::string_view message) noexcept;

inline void append(std::string& out, std::string_view s) { out.append(s); }
inline void append(std::string& out, Hex h) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof(buf), h.value, 16);
  out.append("0x");
  out.append(buf, r.ptr);
}
template <std::size_t N>
void append(std::string& out, const char (&s)[N]) {
  std::size_t len = 0;  // up to the first NUL, never past the array
  while (len < N && s[len] != '\0') ++len;
  out.append(s, len);
}
template <class T>
  requires(std::is_integral_v<T> || std::is_enum_v<T>)
void append(std::string& out, T v) {
  if constexpr (std::is_same_v<T, bool>) {
    out.append(v ? "true" : "false");
  } else if constexpr (std::is_enum_v<T>) {
    append(out, static_cast<std::underlying_type_t<T>>(v));
  } else {
    char buf[24];
    auto r = std::to_chars(buf, buf + sizeof(buf), v);
    out.append(buf, r.ptr);
  }
}

template <class... Parts>
void write(Level level, std::string_view component, const Parts&... parts) noexcept {
  static_assert((Loggable<Parts> && ...),
                "craton::log accepts only string literals, std::string, std::string_view, integers, "
                "enums, bool and log::Hex; secrets (SecureBytes, key bytes) must never be logged");
  if (!enabled(level)) return;
  try {
    std::string message;
    (append(message, parts), ...);
    emit(level, component, message);
  } catch (...) {
    // Out of memory while formatting a diagnostic: drop the message.
  }
}

}  // namespace detail

template <class... Parts>
void error(std::string_view component, const Parts&... parts) noexcept {
  detail::write(Level::Error, component, parts...);
}
template <class... Parts>
void warning(std::string_view component, const Parts&... parts) noexcept {
  detail::write(Level::Warning, component, parts...);
}
template <class... Parts>
void info(std::string_view component, const Parts&... parts) noexcept {
  detail::write(Level::Info, component, parts...);
}
template <class... Parts>
void debug(std::string_view component, const Parts&... parts) noexcept {
  detail::write(Level::Debug, component, parts...);
}

}  // namespace craton::log
