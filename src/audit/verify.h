// Verification of audit streams, shared by `craton-hsm-util audit verify` and the tests.
//
// For each stream (files <stream>.NNNNNN.jsonl in index order plus <stream>.head) the verifier
// walks every record and stops at the first one that is
//   * not a complete canonical line (truncated mid-line, edited into another shape),
//   * out of sequence (a deleted, inserted or reordered record: seq must be 1, 2, 3, ...),
//   * not linked to the record before it ("prev" differs from the recomputed chain hash),
//   * not MACed under the audit key (an edited record, or another key),
//   * misplaced (the first record of a stream must be "audit.start", the first of every later
//     file an "audit.rotate" naming the file before it: a removed middle file shows here).
// Then it checks the sealed head: its MAC, that the record it names exists with that chain hash,
// and reports records cut off the end (the log ends before the head). Records written after the
// last head update are verified but counted as `unsealed`: their removal would not be noticed.
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/result.h"

namespace craton::audit {

struct Finding {
  std::string file;       // base name of the file (or the head file)
  std::size_t line = 0;   // 1-based line number, 0 for the head
  std::uint64_t seq = 0;  // sequence number the verifier expected there
  std::string reason;
};

struct StreamReport {
  std::string stream;
  bool ok = true;
  std::uint64_t records = 0;  // records that verified
  std::uint64_t last_seq = 0;
  std::optional<std::uint64_t> sealed_seq;  // the head's record
  std::uint64_t unsealed = 0;               // verified records after the head
  std::optional<Finding> first_bad;
  std::vector<std::string> files;
};

// The stream a log file belongs to ("<stream>.NNNNNN.jsonl"), or nullopt if the name is not one.
std::optional<std::string> stream_of(const std::string& file_name);

// Verifies one stream; `files` are paths, sorted here by their index.
StreamReport verify_stream(std::vector<std::string> files, const std::string& head_path,
                           std::span<const std::uint8_t> key);

// Verifies every stream in `dir`. CKR_DEVICE_ERROR if the directory cannot be read.
[[nodiscard]] Result<std::vector<StreamReport>> verify_directory(const std::string& dir,
                                                                 std::span<const std::uint8_t> key);

// Verifies the streams the given log files belong to (heads looked up beside them).
std::vector<StreamReport> verify_files(const std::vector<std::string>& files, std::span<const std::uint8_t> key);

// One human-readable line: "stream S: OK, N records (...)" or "stream S: FIRST BAD RECORD ...".
std::string describe(const StreamReport& r);

}  // namespace craton::audit
