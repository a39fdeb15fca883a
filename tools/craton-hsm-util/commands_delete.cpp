// --delete-token: PKCS#11 has no function to delete a token, so this command opens the object store
// the configuration names (the same one the module uses) and removes the token's directory.
//
// Everything runs under the backend lock, the lock the module takes to create tokens and allocate
// slot ids, so a token cannot appear or change slot while we choose which one to delete.
#include <cstdio>
#include <string>
#include <vector>

#include "commands.h"
#include "config/config.h"
#include "storage/store.h"
#include "token/token_meta.h"
#include "tool_error.h"

namespace craton::tool {
namespace {

struct TokenEntry {
  std::string name;  // directory name
  std::string label;
  std::string serial;
};

std::string trim_right(std::string s) {
  const auto end = s.find_last_not_of(std::string_view(" \0", 2));
  s.erase(end == std::string::npos ? 0 : end + 1);
  return s;
}

// Reads label and serial of every token; tokens whose metadata cannot be read are skipped (the
// module skips them too).
std::vector<TokenEntry> list_entries(storage::StoreBackend& backend, Status& st) {
  std::vector<TokenEntry> out;
  auto names = backend.list_tokens();
  if (!names.ok()) {
    st = names.error();
    return out;
  }
  for (const auto& name : *names) {
    auto store = backend.open_token(name);
    if (!store.ok()) continue;
    auto label = (*store)->read_meta(token::meta::kLabel);
    auto serial = (*store)->read_meta(token::meta::kSerial);
    if (!label.ok() || !serial.ok() || !*label || !*serial) continue;
    out.push_back({name, trim_right(token::meta::text(**label)), trim_right(token::meta::text(**serial))});
  }
  return out;
}

storage::BackendOptions backend_options(const config::Config& cfg) {
  storage::BackendOptions o;
  o.directory = cfg.tokendir;
  o.umask = static_cast<unsigned>(cfg.umask);
  o.synchronous_full = cfg.sync == config::SyncMode::Full;
  return o;
}

}  // namespace

void delete_token(const Options& opts) {
  if (opts.token_label.has_value() == opts.serial.has_value()) {
    throw ToolError("Select the token to delete with either --token or --serial");
  }
  const bool by_label = opts.token_label.has_value();
  const std::string wanted = trim_right(by_label ? *opts.token_label : *opts.serial);

  std::string detail;
  auto cfg = config::load(detail);
  if (!cfg.ok()) throw ToolError("Could not load the configuration: " + detail);
  if (cfg->backend == config::Backend::Memory) {
    throw ToolError("The configured object store (memory) keeps no tokens that could be deleted");
  }
  auto backend = storage::make_backend("sqlite", backend_options(*cfg));
  if (!backend.ok()) {
    throw ToolError("Could not open the token directory " + cfg->tokendir + ": " + describe_rv(backend.rv()));
  }

  // Formatted messages cannot travel in a Status (static reasons only), so they are kept here.
  std::string message;
  bool selection_failed = false;
  TokenEntry victim;
  const Status st = (*backend)->with_backend_lock([&]() -> Status {
    Status listed;
    const auto entries = list_entries(**backend, listed);
    if (!listed.ok()) {
      message = "Could not list the tokens in " + cfg->tokendir;
      return listed;
    }
    std::vector<TokenEntry> hits;
    for (const auto& e : entries) {
      if ((by_label ? e.label : e.serial) == wanted) hits.push_back(e);
    }
    if (hits.size() != 1) {
      if (hits.empty()) {
        message = std::string("Could not find a token with the ") + (by_label ? "label '" : "serial number '") +
                  wanted + "'";
      } else {
        message = "Several tokens have the label '" + wanted + "' (serial numbers: ";
        for (std::size_t i = 0; i < hits.size(); ++i) message += (i == 0 ? "" : ", ") + hits[i].serial;
        message += "); select one with --serial";
      }
      selection_failed = true;
      return fail(CKR_ARGUMENTS_BAD, "token selection failed");
    }
    victim = hits.front();
    std::printf("Found token (%s) with matching token %s.\n", victim.serial.c_str(), by_label ? "label" : "serial");
    message = "Could not delete the token " + victim.serial;
    return (*backend)->delete_token(victim.name);
  });
  if (!st.ok()) {
    if (message.empty()) message = "Could not lock the token directory " + cfg->tokendir;
    if (!selection_failed) message += ": " + describe_rv(st.rv());
    throw ToolError(message);
  }
  std::printf("The token (%s/%s) has been deleted.\n", cfg->tokendir.c_str(), victim.name.c_str());
}

}  // namespace craton::tool
