#include "audit/head.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <vector>

namespace craton::audit {
namespace {

constexpr std::string_view kHeadDomain = "craton-audit-head-v1\n";
constexpr std::string_view kMacKey = ",\"mac\":\"";

Result<Hash> head_mac(std::span<const std::uint8_t> key, std::string_view text) {
  std::vector<std::uint8_t> buf(kHeadDomain.begin(), kHeadDomain.end());
  buf.insert(buf.end(), text.begin(), text.end());
  return crypto::hmac_sha256(key, buf);
}

std::string head_text(const Head& h) {
  std::string out = "{\"v\":1,\"stream\":";
  append_json_string(out, h.stream);
  out += ",\"seq\":" + std::to_string(h.seq) + ",\"hash\":\"" + to_hex(h.hash.data(), h.hash.size()) + "\",\"file\":";
  append_json_string(out, h.file);
  return out;
}

bool write_all(int fd, std::span<const std::uint8_t> data) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data = data.subspan(static_cast<std::size_t>(n));
  }
  return true;
}

}  // namespace

Result<std::string> encode_head(const Head& head, std::span<const std::uint8_t> key) {
  std::string text = head_text(head);
  CRATON_ASSIGN_OR_RETURN(Hash mac, head_mac(key, text));
  return text + std::string(kMacKey) + to_hex(mac.data(), mac.size()) + "\"}\n";
}

Result<Head> decode_head(std::string_view text, std::span<const std::uint8_t> key) {
  constexpr Error kBad = fail(CKR_DATA_INVALID, "head file is malformed");
  if (!text.empty() && text.back() == '\n') text.remove_suffix(1);
  const std::size_t at = text.rfind(kMacKey);
  if (at == std::string_view::npos || text.size() != at + kMacKey.size() + 66 || text.substr(text.size() - 2) != "\"}") return kBad;
  Hash mac{};
  if (!from_hex(text.substr(at + kMacKey.size(), 64), mac.data(), mac.size())) return kBad;
  const std::string_view signed_text = text.substr(0, at);
  CRATON_ASSIGN_OR_RETURN(Hash want, head_mac(key, signed_text));
  if (!ct_equal(want, mac)) return fail(CKR_SIGNATURE_INVALID, "head MAC does not match (edited, or another key)");
  // The MAC is good, so the text is ours: parse it by position.
  Head h;
  std::string s(signed_text);
  auto field = [&s](std::string_view name) -> std::string {
    const std::string k = "\"" + std::string(name) + "\":";
    const std::size_t p = s.find(k);
    if (p == std::string::npos) return {};
    std::size_t b = p + k.size(), e = b;
    if (s[b] == '"') {
      e = s.find('"', b + 1);
      return e == std::string::npos ? std::string() : s.substr(b + 1, e - b - 1);
    }
    while (e < s.size() && s[e] != ',' && s[e] != '}') ++e;
    return s.substr(b, e - b);
  };
  h.stream = field("stream");
  h.file = field("file");
  const std::string seq = field("seq");
  auto r = std::from_chars(seq.data(), seq.data() + seq.size(), h.seq);
  if (r.ec != std::errc{} || !from_hex(field("hash"), h.hash.data(), h.hash.size())) return kBad;
  return h;
}

Status write_head(const std::string& path, const Head& head, std::span<const std::uint8_t> key, bool durable, mode_t mode) {
  CRATON_ASSIGN_OR_RETURN(std::string text, encode_head(head, key));
  const std::vector<std::uint8_t> bytes(text.begin(), text.end());
  return write_file_atomic(path, bytes, mode, durable);
}

Result<Head> read_head(const std::string& path, std::span<const std::uint8_t> key) {
  CRATON_ASSIGN_OR_RETURN(std::string text, read_small_file(path, 4096));
  return decode_head(text, key);
}

Result<std::string> read_small_file(const std::string& path, std::size_t max_size) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return fail(errno == ENOENT ? CKR_DATA_INVALID : CKR_DEVICE_ERROR, "cannot open file");
  std::string out;
  char buf[4096];
  while (true) {
    const ssize_t n = ::read(fd, buf, sizeof(buf));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      ::close(fd);
      return fail(CKR_DEVICE_ERROR, "cannot read file");
    }
    if (n == 0) break;
    out.append(buf, static_cast<std::size_t>(n));
    if (out.size() > max_size) {
      ::close(fd);
      return fail(CKR_DATA_INVALID, "file is larger than expected");
    }
  }
  ::close(fd);
  return out;
}

Status write_file_atomic(const std::string& path, std::span<const std::uint8_t> data, mode_t mode, bool durable,
                         bool exclusive) {
  const std::string tmp = path + ".tmp." + std::to_string(::getpid());
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode);
  if (fd < 0) return fail(CKR_DEVICE_ERROR, "cannot create audit file");
  bool ok = ::fchmod(fd, mode) == 0 && write_all(fd, data);
  if (ok && durable) ok = ::fsync(fd) == 0;
  ok = ::close(fd) == 0 && ok;
  if (ok) {
    if (exclusive) {
      ok = ::link(tmp.c_str(), path.c_str()) == 0;
      const int saved = errno;
      ::unlink(tmp.c_str());
      if (!ok) return fail(saved == EEXIST ? CKR_FUNCTION_REJECTED : CKR_DEVICE_ERROR, "cannot create audit file");
    } else {
      ok = ::rename(tmp.c_str(), path.c_str()) == 0;
    }
  }
  if (!ok) {
    ::unlink(tmp.c_str());
    return fail(CKR_DEVICE_ERROR, "cannot write audit file");
  }
  if (durable) sync_dir_of(path);
  return {};
}

void sync_dir_of(const std::string& path) noexcept {
  const std::size_t slash = path.rfind('/');
  const std::string dir = slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  (void)::fsync(fd);
  ::close(fd);
}

}  // namespace craton::audit
