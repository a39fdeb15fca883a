// craton-module-hmac MODULE [OUT]: writes the integrity value of a module file (the HMAC-SHA-256
// the power-on integrity test expects, selftest/integrity.h) as 64 hexadecimal digits and a newline
// to OUT (default: MODULE.hmac). Run by the build after linking the module and by `cmake --install`;
// whoever modifies the file afterwards (strip, objcopy, a packager's debug split) runs it again.
// Exit status 0 on success, 1 on any error. Built from the module's own code so that the value is
// computed exactly as the module will check it.
#include <cstdio>
#include <fstream>
#include <string>

#include "selftest/integrity.h"

int main(int argc, char** argv) {
  if (argc < 2 || argc > 3) {
    std::fprintf(stderr, "usage: craton-module-hmac MODULE [OUT]\n");
    return 1;
  }
  const std::string module = argv[1];
  const std::string out = argc == 3 ? argv[2] : craton::selftest::sidecar_path(module);
  const auto mac = craton::selftest::module_file_hmac(module);
  if (!mac.ok()) {
    std::fprintf(stderr, "craton-module-hmac: cannot read %s\n", module.c_str());
    return 1;
  }
  std::string hex;
  for (const auto b : *mac) {
    constexpr const char* kDigits = "0123456789abcdef";
    hex.push_back(kDigits[b >> 4]);
    hex.push_back(kDigits[b & 0xF]);
  }
  std::ofstream f(out, std::ios::trunc);
  f << hex << '\n';
  if (!f.flush()) {
    std::fprintf(stderr, "craton-module-hmac: cannot write %s\n", out.c_str());
    return 1;
  }
  return 0;
}
