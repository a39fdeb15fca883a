// Parsed command line of craton-hsm-util (see docs/TOOL.md for the meaning of every flag).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "craton/pkcs11/pkcs11.h"

namespace craton::tool {

struct Options {
  // Actions: exactly one is set.
  bool show_slots = false;
  bool init_token = false;
  bool delete_token = false;
  std::optional<std::string> import_path;

  // Token selection.
  std::optional<CK_SLOT_ID> slot;
  bool free_slot = false;
  std::optional<std::string> token_label;  // --token
  std::optional<std::string> serial;

  // Secrets given on the command line (visible in the process list; prompting is safer). main()
  // wipes these strings once the command has run.
  std::optional<std::string> so_pin;
  std::optional<std::string> pin;
  std::optional<std::string> file_pin;

  // Objects.
  std::optional<std::string> label;
  std::optional<std::string> id_hex;
  bool no_public_key = false;
  bool force = false;
  // --import of a hexadecimal secret key: --aes, or --secret-type NAME (see secret_import.h).
  bool aes = false;
  std::optional<std::string> secret_type;

  std::optional<std::string> module_path;

  // `audit verify [--dir D | FILE...] [--key-file F]` (commands_audit.cpp).
  bool audit_verify = false;
  std::optional<std::string> audit_dir;
  std::vector<std::string> audit_files;
  std::optional<std::string> audit_key_file;
};

}  // namespace craton::tool
