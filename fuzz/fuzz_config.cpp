// fuzz_config: config::parse on arbitrary text. Never crashes, and whatever the text says, every
// setting stays inside the bounds config.h documents (bad values keep their defaults).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "config/config.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace craton::config;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const Config c = parse(text, "fuzz");
  if (c.umask > 0777) std::abort();
  if (c.pin_kdf_iterations < kMinKdfIterations || c.pin_kdf_iterations > kMaxKdfIterations) std::abort();
  if (c.pin_max_failures > 1'000'000) std::abort();
  if (c.pin_min_length < 1 || c.pin_min_length > 1024) std::abort();
  if (c.pin_max_length < c.pin_min_length || c.pin_max_length > 1024) std::abort();
  if (c.source != "fuzz" && !c.source.empty()) std::abort();
  return 0;
}
