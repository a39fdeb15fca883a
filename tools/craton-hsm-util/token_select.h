// Choosing the slot a command works on: --slot N, --free, --token LABEL or --serial S.
#pragma once

#include "craton/pkcs11/pkcs11.h"
#include "module_client.h"
#include "options.h"

namespace craton::tool {

// The first slot whose token is not initialised (our module always offers exactly one).
CK_SLOT_ID find_free_slot(const ModuleClient& module);

// Resolves the selection in `opts`. With --token / --serial prints "Found slot N with matching
// token label." (or serial number), like softhsm2-util. Several tokens with the same label are an
// error listing their serial numbers. `allow_free` accepts --free.
CK_SLOT_ID select_slot(const ModuleClient& module, const Options& opts, bool allow_free);

}  // namespace craton::tool
