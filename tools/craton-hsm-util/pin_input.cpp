#include "pin_input.h"

#include <openssl/crypto.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>

#include "tool_error.h"

namespace craton::tool {
namespace {

// Turns terminal echo off for its lifetime.
class EchoOff {
 public:
  EchoOff() {
    if (tcgetattr(STDIN_FILENO, &saved_) != 0) return;
    termios quiet = saved_;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    quiet.c_lflag |= ECHONL;
    active_ = tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
  }
  ~EchoOff() {
    if (active_) (void)tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_);
  }
  EchoOff(const EchoOff&) = delete;
  EchoOff& operator=(const EchoOff&) = delete;

 private:
  termios saved_{};
  bool active_ = false;
};

// One line from stdin, byte by byte so nothing is buffered outside SecureBytes.
SecureBytes read_line() {
  SecureBytes line;
  for (;;) {
    std::uint8_t c = 0;
    const ssize_t n = ::read(STDIN_FILENO, &c, 1);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0 || c == '\n') break;
    line.append({&c, 1});
  }
  if (!line.empty() && line.data()[line.size() - 1] == '\r') line.resize(line.size() - 1);
  return line;
}

SecureBytes prompt(const std::string& text) {
  std::fputs(text.c_str(), stderr);
  std::fflush(stderr);
  EchoOff quiet;
  return read_line();
}

}  // namespace

void wipe(std::string& s) noexcept {
  if (!s.empty()) OPENSSL_cleanse(s.data(), s.size());
  s.clear();
}

SecureBytes obtain_pin(std::optional<std::string>& given, const char* what, bool confirm) {
  SecureBytes pin;
  if (given) {
    pin = SecureBytes::from_string(*given);
    wipe(*given);
  } else if (isatty(STDIN_FILENO) == 1) {
    pin = prompt(std::string("Please enter the ") + what + ": ");
    if (confirm && !pin.empty()) {
      SecureBytes again = prompt(std::string("Please reenter the ") + what + ": ");
      if (!ct_equal(pin.span(), again.span())) throw ToolError(std::string("The entered ") + what + "s are not equal");
    }
  } else {
    pin = read_line();
  }
  if (pin.empty()) throw ToolError(std::string("No ") + what + " given");
  return pin;
}

}  // namespace craton::tool
