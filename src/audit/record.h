// craton::audit — one audit record and its JSON-line encoding (docs/AUDIT.md).
//
// An Event is what a hook reports: only public values — a static event name, numbers, enums and
// two public strings (an object's CKA_UNIQUE_ID and a short public detail such as a self-test or
// file name). There is deliberately no field for bytes: key material, PINs and plaintexts have
// no way into a record (SecureBytes and byte spans do not convert to any field type).
//
// The writer adds the sequence number, the UTC time, the process id and the previous record's
// chain hash, and encodes the record as one JSON object with a fixed field order:
//   {"v":1,"seq":N,"time":"YYYY-MM-DDTHH:MM:SS.uuuuuuZ","pid":N,"event":"...","slot":N|null,
//    "session":N|null,"user":"...","object":"...","mechanism":"CKM_..."|null,"result":"CKR_...",
//    "approved":true|false,"detail":"...",["count":N,"last":"<time>",]"prev":"<64 hex>"}
// "count" and "last" appear only in a record that stands for N >= 2 identical calls (see
// Event::countable): "time" is the first call's, "last" the last one's (to the kernel's clock tick).
// That text is the record's *body*; the stored line is the body with ,"mac":"<64 hex>" inserted
// before the closing brace. decode_body() accepts exactly this shape and nothing else, so the
// verifier works on the very bytes the writer chained and MACed.
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <ctime>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"
#include "common/small_string.h"
#include "craton/pkcs11/pkcs11.h"

namespace craton::audit {

enum class User : std::uint8_t { kNone, kPublic, kUser, kSo, kContextSpecific };

std::string_view user_name(User u) noexcept;  // "none", "public", "user", "so", "context-specific"

struct Event {
  std::string_view name;  // static storage: "C_Sign", "audit.start", "selftest", ...
  std::optional<CK_SLOT_ID> slot;
  std::optional<CK_SESSION_HANDLE> session;
  User user = User::kNone;
  // CKA_UNIQUE_ID of the object acted on or produced; empty if none. Inline (small_string.h): a
  // record is made on the calling thread and freed on the writer's, and a heap block handed over
  // like that on every call slowed the caller's own allocations.
  UniqueIdText object;
  std::optional<CK_MECHANISM_TYPE> mechanism;
  CK_RV result = CKR_OK;
  bool approved = false;
  std::string detail;  // public text only (self-test name, previous file name, stream name)
  // An operation record (the end of a sign/encrypt/... operation, a failed C_*Init): a writer that
  // is not syncing every record may count identical calls of one session that arrive while it is
  // busy into one record (docs/AUDIT.md, "Counted records"). Lifecycle, login, key-management and
  // self-test records are never counted.
  bool countable = false;
};

// Same call as far as the log can tell: every field but `countable` is equal.
bool same_call(const Event& a, const Event& b) noexcept;

// The logged fields of a call on a session, as its call site knows them (the detail of such a
// record is empty): enough to fill an Event, or to ask whether a queued Event records this very
// call without building one.
struct CallFields {
  std::string_view name;  // static storage
  std::optional<CK_SLOT_ID> slot;
  std::optional<CK_SESSION_HANDLE> session;
  User user = User::kNone;
  std::string_view object;
  std::optional<CK_MECHANISM_TYPE> mechanism;
  CK_RV result = CKR_OK;
  bool approved = false;
};
// Sets every logged field of `e` from `f` (detail emptied; `countable` left as it is); the
// strings keep their capacity.
void fill_call(Event& e, const CallFields& f);
// Whether same_call(e, x) holds for the Event x that fill_call(x, f) would make.
bool records_call(const Event& e, const CallFields& f) noexcept;

// An Event with only its name set.
inline Event named(std::string_view name) {
  Event e;
  e.name = name;
  return e;
}

// The writer's additions.
struct Stamp {
  std::uint64_t seq = 0;
  timespec time{};  // CLOCK_REALTIME
  std::uint32_t pid = 0;
  std::string prev_hex;  // 64 lowercase hex digits
  std::uint64_t count = 1;  // identical calls this record stands for
  timespec last{};          // time of the last of them (count >= 2)
};

// A decoded record: every field as it appears in the line.
struct Fields {
  std::uint64_t seq = 0;
  std::string time;
  std::uint32_t pid = 0;
  std::string event;
  std::optional<std::uint64_t> slot;
  std::optional<std::uint64_t> session;
  std::string user;
  std::string object;
  std::optional<std::string> mechanism;
  std::string result;
  bool approved = false;
  std::string detail;
  std::uint64_t count = 1;  // 1 when the record has no "count" field
  std::string last;         // empty when the record has no "last" field
  std::string prev_hex;
};

// Appends the canonical body of (stamp, event) to `out`.
void encode_body(const Stamp& stamp, const Event& event, std::string& out);

// Turns a body into the stored line (without the trailing newline).
std::string line_from_body(std::string_view body, std::string_view mac_hex);

// Splits a stored line into its body and MAC (hex); fails if the line does not end in
// ,"mac":"<64 hex>"}.
struct SplitLine {
  std::string body;
  std::string mac_hex;
};
[[nodiscard]] Result<SplitLine> split_line(std::string_view line);

// Strict parser of a body (exact field order and types).
[[nodiscard]] Result<Fields> decode_body(std::string_view body);

// Lowercase hex of bytes / back; from_hex fails on odd length or a non-hex digit.
std::string to_hex(const std::uint8_t* data, std::size_t n);
[[nodiscard]] bool from_hex(std::string_view hex, std::uint8_t* out, std::size_t n);

// Appends `s` as a JSON string literal (quotes included), escaping '"', '\\' and bytes < 0x20
// or >= 0x7f (as \u00XX), so a line is always printable ASCII.
void append_json_string(std::string& out, std::string_view s);

}  // namespace craton::audit
