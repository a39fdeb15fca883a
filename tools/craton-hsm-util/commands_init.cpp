// --init-token: C_InitToken, then (as SO) C_InitPIN for the user PIN, like softhsm2-util.
#include <cstdio>

#include "commands.h"
#include "module_client.h"
#include "pin_input.h"
#include "token_select.h"
#include "tool_error.h"

namespace craton::tool {

void init_token(const ModuleClient& module, Options& opts) {
  if (!opts.label) throw ToolError("A token label must be given with --label");
  if (opts.label->size() > 32) throw ToolError("The token label is longer than 32 bytes");
  const CK_SLOT_ID slot = select_slot(module, opts, /*allow_free=*/true);

  const SecureBytes so_pin = obtain_pin(opts.so_pin, "SO PIN", /*confirm=*/true);
  const SecureBytes user_pin = obtain_pin(opts.pin, "user PIN", /*confirm=*/true);

  module.init_token(slot, so_pin, *opts.label);
  {
    Session session(module, slot, /*rw=*/true);
    session.login(CKU_SO, so_pin, "SO");
    session.init_pin(user_pin);
    session.logout();
  }
  std::printf("The token has been initialized in slot %lu\n", static_cast<unsigned long>(slot));
}

}  // namespace craton::tool
