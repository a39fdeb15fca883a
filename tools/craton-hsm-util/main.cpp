// craton-hsm-util: token administration for Craton HSM, a drop-in for softhsm2-util.
// Usage and flags: docs/TOOL.md.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <exception>
#include <memory>
#include <string>

#include "commands.h"
#include "module_client.h"
#include "options.h"
#include "pin_input.h"
#include "secret_import.h"
#include "tool_error.h"

namespace craton::tool {
namespace {

void define_options(CLI::App& app, Options& o) {
  app.set_version_flag("-v,--version", std::string("craton-hsm-util ") + CRATON_VERSION);
  app.add_flag("--show-slots", o.show_slots, "Display all the available slots");
  app.add_flag("--init-token", o.init_token, "Initialize the token in a slot (with --slot or --free)");
  app.add_flag("--delete-token", o.delete_token, "Delete the token selected by --token or --serial");
  app.add_option("--import", o.import_path,
                 "Import a private key from a PEM file (PKCS#8 or traditional), or a secret key from a "
                 "hexadecimal file (with --aes or --secret-type)")
      ->type_name("<path>");

  app.add_option("--slot", o.slot, "The slot the action works on")->type_name("<number>");
  app.add_flag("--free", o.free_slot, "Use the slot with no initialized token (--init-token)");
  app.add_option("--token", o.token_label, "Select the token by its label")->type_name("<label>");
  app.add_option("--serial", o.serial, "Select the token by its serial number")->type_name("<number>");
  app.add_option("--label", o.label, "The label of the new token (--init-token) or key (--import)")
      ->type_name("<text>");
  app.add_option("--so-pin", o.so_pin, "The SO PIN (prompted for when not given)")->type_name("<PIN>");
  app.add_option("--pin", o.pin, "The user PIN (prompted for when not given)")->type_name("<PIN>");
  app.add_option("--id", o.id_hex, "The ID of the imported key objects, in hexadecimal")->type_name("<hex>");
  app.add_option("--file-pin,--import-pin", o.file_pin, "Passphrase of an encrypted PKCS#8 key file")
      ->type_name("<passphrase>");
  app.add_flag("--no-public-key", o.no_public_key, "Import only the private key, no public key object");
  app.add_flag("--force", o.force, "Import even if a key with the same ID exists on the token");
  app.add_flag("--aes", o.aes, "The --import file holds an AES key in hexadecimal (same as --secret-type aes)");
  app.add_option("--secret-type", o.secret_type,
                 "The --import file holds a secret key of this type in hexadecimal: " + secret_key_type_names())
      ->type_name("<type>");
  app.add_option("--module", o.module_path, "The PKCS#11 module to load (default: the Craton HSM module)")
      ->type_name("<path>");

  CLI::App* audit = app.add_subcommand("audit", "Work with the audit log (docs/AUDIT.md)");
  audit->require_subcommand(1);
  CLI::App* verify = audit->add_subcommand("verify", "Verify the audit log's chain, MACs and sealed heads");
  verify->add_option("--dir", o.audit_dir, "The audit directory (default: from the configuration)")->type_name("<dir>");
  verify->add_option("files", o.audit_files, "Log files to verify instead of a whole directory")->type_name("FILE");
  verify->add_option("--key-file", o.audit_key_file, "The audit key (default: <tokendir>/.audit.key)")
      ->type_name("<path>");
  verify->callback([&o] { o.audit_verify = true; });
}

void wipe_secrets(Options& o) noexcept {
  for (auto* s : {&o.so_pin, &o.pin, &o.file_pin}) {
    if (s->has_value()) wipe(**s);
  }
}

int run(Options& o) {
  if (o.audit_verify) return audit_verify(o);
  const int actions = (o.show_slots ? 1 : 0) + (o.init_token ? 1 : 0) + (o.delete_token ? 1 : 0) +
                      (o.import_path ? 1 : 0);
  if (actions != 1) {
    throw ToolError(actions == 0 ? "No action given: use --show-slots, --init-token, --delete-token or --import "
                                   "(see --help)"
                                 : "Give only one action at a time");
  }
  if ((o.aes || o.secret_type) && !o.import_path) throw ToolError("--aes and --secret-type go with --import");
  if (o.delete_token) {
    delete_token(o);
    return 0;
  }
  const ModuleClient module(o.module_path ? *o.module_path : default_module_path());
  if (o.show_slots) show_slots(module);
  if (o.init_token) init_token(module, o);
  if (o.import_path) import_key(module, o);
  return 0;
}

}  // namespace
}  // namespace craton::tool

// Only construction of the CLI definition (a programming error) or bad_alloc can escape; terminating
// is the right outcome then.
int main(int argc, char** argv) {  // NOLINT(bugprone-exception-escape)
  using craton::tool::Options;
  // Line-buffered, so progress lines and an error on stderr keep their order in a shared pipe.
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  Options opts;
  CLI::App app{"craton-hsm-util: manage the tokens of Craton HSM (compatible with softhsm2-util)",
               "craton-hsm-util"};
  craton::tool::define_options(app, opts);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    craton::tool::wipe_secrets(opts);
    return app.exit(e) == 0 ? 0 : 1;  // --help / --version exit 0, usage errors 1
  }
  int rc = 1;
  try {
    rc = craton::tool::run(opts);
  } catch (const craton::tool::ToolError& e) {
    std::fprintf(stderr, "ERROR: %s\n", e.what());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "ERROR: internal error: %s\n", e.what());
  }
  std::fflush(stdout);
  craton::tool::wipe_secrets(opts);
  return rc;
}
