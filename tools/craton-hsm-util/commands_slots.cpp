// --show-slots: every slot with its token, in the shape of softhsm2-util --show-slots.
#include <cstdio>
#include <string>

#include "commands.h"
#include "module_client.h"

namespace craton::tool {
namespace {

const char* yes_no(bool b) { return b ? "yes" : "no"; }

std::string version(const CK_VERSION& v) { return std::to_string(v.major) + "." + std::to_string(v.minor); }

void line(const char* key, const std::string& value) { std::printf("        %-22s%s\n", key, value.c_str()); }

void print_token(const CK_TOKEN_INFO& t) {
  const CK_FLAGS f = t.flags;
  std::printf("    Token info:\n");
  line("Manufacturer ID:", trim_field(t.manufacturerID));
  line("Model:", trim_field(t.model));
  line("Hardware version:", version(t.hardwareVersion));
  line("Firmware version:", version(t.firmwareVersion));
  line("Serial number:", trim_field(t.serialNumber));
  line("Initialized:", yes_no((f & CKF_TOKEN_INITIALIZED) != 0));
  line("User PIN init.:", yes_no((f & CKF_USER_PIN_INITIALIZED) != 0));
  line("User PIN locked:", yes_no((f & CKF_USER_PIN_LOCKED) != 0));
  line("User PIN count low:", yes_no((f & CKF_USER_PIN_COUNT_LOW) != 0));
  line("User PIN final try:", yes_no((f & CKF_USER_PIN_FINAL_TRY) != 0));
  line("SO PIN locked:", yes_no((f & CKF_SO_PIN_LOCKED) != 0));
  line("SO PIN count low:", yes_no((f & CKF_SO_PIN_COUNT_LOW) != 0));
  line("SO PIN final try:", yes_no((f & CKF_SO_PIN_FINAL_TRY) != 0));
  line("Label:", trim_field(t.label));
}

}  // namespace

void show_slots(const ModuleClient& module) {
  const auto slots = module.slots();
  std::printf("Available slots:\n");
  for (CK_SLOT_ID slot : slots) {
    const CK_SLOT_INFO s = module.slot_info(slot);
    const bool present = (s.flags & CKF_TOKEN_PRESENT) != 0;
    std::printf("Slot %lu\n", static_cast<unsigned long>(slot));
    std::printf("    Slot info:\n");
    line("Description:", trim_field(s.slotDescription));
    line("Manufacturer ID:", trim_field(s.manufacturerID));
    line("Hardware version:", version(s.hardwareVersion));
    line("Firmware version:", version(s.firmwareVersion));
    line("Token present:", yes_no(present));
    if (!present) continue;
    print_token(module.token_info(slot));
  }
}

}  // namespace craton::tool
