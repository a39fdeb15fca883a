// The sealed head pointer of an audit stream (docs/AUDIT.md).
//
// A small file <stream>.head beside the log holding the last record the writer made durable —
// its sequence number, chain hash and file — MACed under the audit key:
//   {"v":1,"stream":"...","seq":N,"hash":"<64 hex>","file":"...","mac":"<64 hex>"}
//   mac = HMAC-SHA-256(K, "craton-audit-head-v1\n" || text before ,"mac")
// The prefix keeps a head MAC from ever equalling a record MAC. The file is replaced atomically
// (write a temporary, rename), so a reader sees the old or the new head, never a mix. Cutting
// records off the end of the log leaves the head naming a record that no longer exists, which the
// verifier reports; rewriting the head needs the key.
//
// Thread safety: pure functions; concurrent writers of one head are the caller's concern (one
// writer thread per stream).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <span>
#include <string>

#include "audit/chain.h"
#include "common/result.h"

namespace craton::audit {

struct Head {
  std::string stream;
  std::uint64_t seq = 0;
  Hash hash{};
  std::string file;  // base name of the log file holding record `seq`
};

[[nodiscard]] Result<std::string> encode_head(const Head& head, std::span<const std::uint8_t> key);
// Parses and checks the MAC: CKR_SIGNATURE_INVALID for a wrong MAC, CKR_DATA_INVALID for a
// malformed text.
[[nodiscard]] Result<Head> decode_head(std::string_view text, std::span<const std::uint8_t> key);

// Replaces `path` atomically. `durable`: fsync the file before the rename and the directory
// after it.
[[nodiscard]] Status write_head(const std::string& path, const Head& head, std::span<const std::uint8_t> key,
                                bool durable, mode_t mode);
[[nodiscard]] Result<Head> read_head(const std::string& path, std::span<const std::uint8_t> key);

// Small file helpers shared by the audit writer, key and head code.
[[nodiscard]] Result<std::string> read_small_file(const std::string& path, std::size_t max_size);
// Writes `data` to a new temporary file next to `path` with `mode`, optionally fsyncs it, and
// renames it over `path` (or links it, failing with EEXIST, when `exclusive`).
[[nodiscard]] Status write_file_atomic(const std::string& path, std::span<const std::uint8_t> data, mode_t mode,
                                       bool durable, bool exclusive = false);
void sync_dir_of(const std::string& path) noexcept;

}  // namespace craton::audit
