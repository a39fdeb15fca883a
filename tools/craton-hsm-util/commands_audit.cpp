// `craton-hsm-util audit verify`: checks audit streams with the same code the tests use
// (src/audit/verify.h) and the key the module uses (same configuration search, or --key-file).
#include <cstdio>
#include <string>

#include "audit/audit.h"
#include "audit/key.h"
#include "audit/verify.h"
#include "commands.h"
#include "config/config.h"
#include "tool_error.h"

namespace craton::tool {

int audit_verify(const Options& opts) {
  if (opts.audit_dir && !opts.audit_files.empty()) throw ToolError("Give either --dir or log files, not both");
  std::optional<config::Config> cfg;
  if (!opts.audit_key_file || (!opts.audit_dir && opts.audit_files.empty())) {
    std::string detail;
    auto loaded = config::load(detail);
    if (!loaded.ok()) throw ToolError("Could not load the configuration: " + detail);
    cfg = std::move(*loaded);
  }
  const std::string key_path = opts.audit_key_file ? *opts.audit_key_file : audit::key_path(*cfg);
  auto key = audit::read_key(key_path);
  if (!key.ok()) throw ToolError("Could not read the audit key " + key_path + ": " + key.error().reason);

  std::vector<audit::StreamReport> reports;
  if (!opts.audit_files.empty()) {
    reports = audit::verify_files(opts.audit_files, key->span());
  } else {
    const std::string dir = opts.audit_dir ? *opts.audit_dir : audit::audit_dir(*cfg);
    auto r = audit::verify_directory(dir, key->span());
    if (!r.ok()) throw ToolError("Could not read the audit directory " + dir);
    reports = std::move(*r);
    if (reports.empty()) throw ToolError("No audit log found in " + dir);
  }
  const audit::StreamReport* first_bad = nullptr;
  for (const auto& r : reports) {
    std::printf("%s\n", audit::describe(r).c_str());
    if (!r.ok && first_bad == nullptr) first_bad = &r;
  }
  if (first_bad == nullptr) return 0;
  std::fprintf(stderr, "ERROR: audit verification failed: %s\n", audit::describe(*first_bad).c_str());
  return 2;
}

}  // namespace craton::tool
