// The actions of craton-hsm-util. Each prints its result on stdout and throws ToolError on failure.
#pragma once

#include "options.h"

namespace craton::tool {

class ModuleClient;

void show_slots(const ModuleClient& module);
void init_token(const ModuleClient& module, Options& opts);
void import_key(const ModuleClient& module, Options& opts);
// Works on the object store named by the configuration, not through the module.
void delete_token(const Options& opts);
// `audit verify`: 0 when every stream verifies, 2 when one does not (the first bad record is
// printed). Reads the key named by --key-file or by the configuration; no module is loaded.
int audit_verify(const Options& opts);

}  // namespace craton::tool
