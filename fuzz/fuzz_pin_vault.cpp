// fuzz_pin_vault: token::unwrap_master_key on arbitrary PIN records.
//
// Input: u8 selector | u8 pin_len | pin | blob. Bit 0 of the selector picks the role. A blob whose
// iteration field exceeds kMaxIterations is skipped, so a hostile count cannot stall the fuzzer
// (the real module pays for whatever count its own records carry). Bit 1 selects a round trip:
// wrap a key derived from the blob under the PIN with a small iteration count, then unwrap it with
// the same PIN and role (must give the key back) and with the other role (must be PIN_INCORRECT).
#include <cstdlib>
#include <span>

#include "token/pin_vault.h"

namespace {

using namespace craton;
constexpr std::uint32_t kMaxIterations = 2000;

std::uint32_t iterations_of(std::span<const std::uint8_t> blob) {
  std::uint32_t it = 0;
  for (int i = 0; i < 4; ++i) it |= static_cast<std::uint32_t>(blob[4 + i]) << (8 * i);
  return it;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const std::uint8_t sel = data[0];
  const std::size_t pin_len = std::min<std::size_t>(data[1], size - 2);
  const SecureBytes pin{std::span<const std::uint8_t>(data + 2, pin_len)};
  const std::span<const std::uint8_t> blob(data + 2 + pin_len, size - 2 - pin_len);
  const auto role = (sel & 1) != 0 ? token::PinRole::kSo : token::PinRole::kUser;
  const auto other = (sel & 1) != 0 ? token::PinRole::kUser : token::PinRole::kSo;

  if ((sel & 2) != 0) {
    if (blob.size() < 32) return 0;
    const SecureBytes key{blob.first(32)};
    const std::uint32_t iterations = 1 + (blob.size() > 32 ? blob[32] : 0);
    auto wrapped = token::wrap_master_key(key, pin, role, iterations);
    if (!wrapped.ok()) std::abort();
    auto back = token::unwrap_master_key(*wrapped, pin, role);
    if (!back.ok() || back->size() != key.size() || !std::equal(key.data(), key.data() + 32, back->data())) std::abort();
    if (token::unwrap_master_key(*wrapped, pin, other).rv() != CKR_PIN_INCORRECT) std::abort();
    return 0;
  }

  if (blob.size() >= 8 && iterations_of(blob) > kMaxIterations) return 0;
  auto key = token::unwrap_master_key(blob, pin, role);
  if (key.ok() && key->size() != 32) std::abort();
  if (!key.ok() && key.rv() != CKR_PIN_INCORRECT && key.rv() != CKR_DEVICE_ERROR) std::abort();
  return 0;
}
