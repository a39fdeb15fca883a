// Canonical JSON encoding of audit records and its strict parser (format in record.h).
#include "audit/record.h"

#include <charconv>
#include <cstring>

#include "common/ck_names.h"

namespace craton::audit {
namespace {

constexpr char kHexDigits[] = "0123456789abcdef";
constexpr std::string_view kMacKey = ",\"mac\":\"";
constexpr std::size_t kHashHex = 64;

void append_uint(std::string& out, std::uint64_t v) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof(buf), v);
  out.append(buf, r.ptr);
}

void append_optional(std::string& out, const std::optional<std::uint64_t>& v) {
  if (v) append_uint(out, *v);
  else out.append("null");
}

// "YYYY-MM-DDTHH:MM:SS.uuuuuuZ"
void append_time(std::string& out, const timespec& t) {
  // Records come many per second: the date and time of day are formatted once per second.
  thread_local std::time_t cached_secs = -1;
  thread_local char buf[40];
  thread_local std::size_t n = 0;
  if (t.tv_sec != cached_secs) {
    std::tm tm{};
    const std::time_t secs = t.tv_sec;
    gmtime_r(&secs, &tm);
    n = std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
    cached_secs = secs;
  }
  out.push_back('"');
  out.append(buf, n);
  out.push_back('.');
  long micros = t.tv_nsec / 1000;
  char frac[6];
  for (int i = 5; i >= 0; --i, micros /= 10) frac[i] = static_cast<char>('0' + micros % 10);
  out.append(frac, 6);
  out.append("Z\"");
}

// A cursor over a body that accepts only the canonical shape.
class Parser {
 public:
  explicit Parser(std::string_view s) : s_(s) {}

  bool literal(std::string_view lit) {
    if (s_.substr(pos_, lit.size()) != lit) return false;
    pos_ += lit.size();
    return true;
  }
  bool key(std::string_view name, bool first = false) {
    if (!first && !literal(",")) return false;
    return literal("\"") && literal(name) && literal("\":");
  }
  bool uint(std::uint64_t& out) {
    // Canonical: no sign, no leading zero (except "0 itself").
    const std::size_t start = pos_;
    auto r = std::from_chars(s_.data() + pos_, s_.data() + s_.size(), out);
    if (r.ec != std::errc{}) return false;
    pos_ = static_cast<std::size_t>(r.ptr - s_.data());
    return !(pos_ - start > 1 && s_[start] == '0');
  }
  bool optional_uint(std::optional<std::uint64_t>& out) {
    if (literal("null")) return true;
    std::uint64_t v = 0;
    if (!uint(v)) return false;
    out = v;
    return true;
  }
  bool boolean(bool& out) {
    const bool is_true = literal("true");
    if (!is_true && !literal("false")) return false;
    out = is_true;
    return true;
  }
  bool string(std::string& out);
  bool optional_string(std::optional<std::string>& out) {
    if (literal("null")) return true;
    std::string v;
    if (!string(v)) return false;
    out = std::move(v);
    return true;
  }
  bool at_end() const { return pos_ == s_.size(); }
  bool next_is(std::string_view lit) const { return s_.substr(pos_, lit.size()) == lit; }

 private:
  std::string_view s_;
  std::size_t pos_ = 0;
};

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;  // uppercase is not canonical
}

bool Parser::string(std::string& out) {
  if (!literal("\"")) return false;
  out.clear();
  while (pos_ < s_.size()) {
    const char c = s_[pos_++];
    if (c == '"') return true;
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u >= 0x7f) return false;  // the encoder escapes these
    if (c != '\\') {
      out.push_back(c);
      continue;
    }
    if (pos_ >= s_.size()) return false;
    const char e = s_[pos_++];
    if (e == '"' || e == '\\') {
      out.push_back(e);
    } else if (e == 'u' && pos_ + 4 <= s_.size() && s_.substr(pos_, 2) == "00") {
      const int hi = hex_value(s_[pos_ + 2]), lo = hex_value(s_[pos_ + 3]);
      if (hi < 0 || lo < 0) return false;
      const int v = hi * 16 + lo;
      if (v >= 0x20 && v < 0x7f && v != '"' && v != '\\') return false;  // would have been literal
      out.push_back(static_cast<char>(v));
      pos_ += 4;
    } else {
      return false;
    }
  }
  return false;
}

bool is_hash_hex(std::string_view s) {
  if (s.size() != kHashHex) return false;
  for (char c : s) {
    if (hex_value(c) < 0) return false;
  }
  return true;
}

}  // namespace

std::string_view user_name(User u) noexcept {
  switch (u) {
    case User::kPublic: return "public";
    case User::kUser: return "user";
    case User::kSo: return "so";
    case User::kContextSpecific: return "context-specific";
    case User::kNone: break;
  }
  return "none";
}

void append_json_string(std::string& out, std::string_view s) {
  out.push_back('"');
  // Runs of characters that need no escape (almost all of them) are appended whole.
  std::size_t run = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto u = static_cast<unsigned char>(s[i]);
    if (u >= 0x20 && u < 0x7f && u != '"' && u != '\\') continue;
    out.append(s.substr(run, i - run));
    if (u == '"' || u == '\\') {
      out.push_back('\\');
      out.push_back(s[i]);
    } else {
      out.append("\\u00");
      out.push_back(kHexDigits[u >> 4]);
      out.push_back(kHexDigits[u & 0xf]);
    }
    run = i + 1;
  }
  out.append(s.substr(run));
  out.push_back('"');
}

namespace {

// Equal texts; the event names are static strings, so the same name is usually the same pointer,
// and the detail of an operation record is empty: neither needs a byte comparison then.
// The texts are short (a unique id is 32 characters): compared eight bytes at a time in line
// rather than through a call to memcmp.
bool same_text(std::string_view a, std::string_view b) noexcept {
  const std::size_t n = a.size();
  if (n != b.size()) return false;
  if (a.data() == b.data()) return true;
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    std::uint64_t x = 0, y = 0;
    std::memcpy(&x, a.data() + i, 8);
    std::memcpy(&y, b.data() + i, 8);
    if (x != y) return false;
  }
  for (; i < n; ++i) {
    if (a[i] != b[i]) return false;
  }
  return true;
}

// `e`'s logged fields against `f` and `detail`: numbers first, the strings last.
bool same_logged(const Event& e, const CallFields& f, std::string_view detail) noexcept {
  return e.session == f.session && e.result == f.result && e.mechanism == f.mechanism && e.approved == f.approved &&
         e.user == f.user && e.slot == f.slot && same_text(e.name, f.name) && same_text(e.object, f.object) &&
         same_text(e.detail, detail);
}

}  // namespace

bool same_call(const Event& a, const Event& b) noexcept {
  const CallFields fb{b.name, b.slot, b.session, b.user, b.object, b.mechanism, b.result, b.approved};
  return same_logged(a, fb, b.detail);
}

void fill_call(Event& e, const CallFields& f) {
  e.name = f.name;
  e.slot = f.slot;
  e.session = f.session;
  e.user = f.user;
  e.object.assign(f.object);
  e.mechanism = f.mechanism;
  e.result = f.result;
  e.approved = f.approved;
  e.detail.clear();
}

bool records_call(const Event& e, const CallFields& f) noexcept { return same_logged(e, f, {}); }

void encode_body(const Stamp& st, const Event& ev, std::string& out) {
  out.append("{\"v\":1,\"seq\":");
  append_uint(out, st.seq);
  out.append(",\"time\":");
  append_time(out, st.time);
  out.append(",\"pid\":");
  append_uint(out, st.pid);
  out.append(",\"event\":");
  append_json_string(out, ev.name);
  out.append(",\"slot\":");
  append_optional(out, ev.slot ? std::optional<std::uint64_t>(*ev.slot) : std::nullopt);
  out.append(",\"session\":");
  append_optional(out, ev.session ? std::optional<std::uint64_t>(*ev.session) : std::nullopt);
  out.append(",\"user\":");
  append_json_string(out, user_name(ev.user));
  out.append(",\"object\":");
  append_json_string(out, ev.object);
  out.append(",\"mechanism\":");
  if (ev.mechanism) append_json_string(out, mechanism_name(*ev.mechanism));
  else out.append("null");
  out.append(",\"result\":");
  append_json_string(out, rv_name(ev.result));
  out.append(ev.approved ? ",\"approved\":true" : ",\"approved\":false");
  out.append(",\"detail\":");
  append_json_string(out, ev.detail);
  if (st.count > 1) {
    out.append(",\"count\":");
    append_uint(out, st.count);
    out.append(",\"last\":");
    append_time(out, st.last);
  }
  out.append(",\"prev\":\"");
  out.append(st.prev_hex);
  out.append("\"}");
}

std::string line_from_body(std::string_view body, std::string_view mac_hex) {
  std::string line(body.substr(0, body.size() - 1));  // without the closing brace
  line.append(kMacKey);
  line.append(mac_hex);
  line.append("\"}");
  return line;
}

Result<SplitLine> split_line(std::string_view line) {
  constexpr std::size_t kTail = kMacKey.size() + kHashHex + 2;
  if (line.size() < kTail + 2 || line.substr(line.size() - 2) != "\"}") return fail(CKR_DATA_INVALID, "record is incomplete");
  const std::size_t at = line.size() - kTail;
  if (line.substr(at, kMacKey.size()) != kMacKey) return fail(CKR_DATA_INVALID, "record has no MAC field");
  SplitLine out;
  out.mac_hex = std::string(line.substr(at + kMacKey.size(), kHashHex));
  if (!is_hash_hex(out.mac_hex)) return fail(CKR_DATA_INVALID, "record MAC is not 64 hex digits");
  out.body = std::string(line.substr(0, at));
  out.body.push_back('}');
  return out;
}

Result<Fields> decode_body(std::string_view body) {
  constexpr Error kBad = fail(CKR_DATA_INVALID, "record is not in the canonical format");
  Parser p(body);
  Fields f;
  std::uint64_t v = 0, pid = 0;
  if (!p.literal("{") || !p.key("v", true) || !p.uint(v) || v != 1) return kBad;
  if (!p.key("seq") || !p.uint(f.seq) || !p.key("time") || !p.string(f.time)) return kBad;
  if (!p.key("pid") || !p.uint(pid) || pid > UINT32_MAX || !p.key("event") || !p.string(f.event)) return kBad;
  f.pid = static_cast<std::uint32_t>(pid);
  if (!p.key("slot") || !p.optional_uint(f.slot) || !p.key("session") || !p.optional_uint(f.session)) return kBad;
  if (!p.key("user") || !p.string(f.user) || !p.key("object") || !p.string(f.object)) return kBad;
  if (!p.key("mechanism") || !p.optional_string(f.mechanism) || !p.key("result") || !p.string(f.result)) return kBad;
  if (!p.key("approved") || !p.boolean(f.approved) || !p.key("detail") || !p.string(f.detail)) return kBad;
  if (p.next_is(",\"count\":")) {  // canonical only for 2 or more calls, and then with "last"
    if (!p.key("count") || !p.uint(f.count) || f.count < 2 || !p.key("last") || !p.string(f.last)) return kBad;
    if (f.last.empty()) return kBad;
  }
  if (!p.key("prev") || !p.string(f.prev_hex) || !is_hash_hex(f.prev_hex)) return kBad;
  if (!p.literal("}") || !p.at_end()) return kBad;
  return f;
}

std::string to_hex(const std::uint8_t* data, std::size_t n) {
  std::string out(2 * n, '0');
  for (std::size_t i = 0; i < n; ++i) {
    out[2 * i] = kHexDigits[data[i] >> 4];
    out[2 * i + 1] = kHexDigits[data[i] & 0xf];
  }
  return out;
}

bool from_hex(std::string_view hex, std::uint8_t* out, std::size_t n) {
  if (hex.size() != 2 * n) return false;
  for (std::size_t i = 0; i < n; ++i) {
    const int hi = hex_value(hex[2 * i]), lo = hex_value(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return false;
    out[i] = static_cast<std::uint8_t>(hi * 16 + lo);
  }
  return true;
}

}  // namespace craton::audit
