#include "audit/verify.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>

#include "audit/chain.h"
#include "audit/head.h"
#include "audit/record.h"

namespace craton::audit {
namespace {

std::optional<std::string> stream_name_of(const std::string& file_name);

std::string base_name(const std::string& path) {
  const std::size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string dir_name(const std::string& path) {
  const std::size_t slash = path.rfind('/');
  return slash == std::string::npos ? "." : path.substr(0, slash);
}

// Index of "<stream>.NNNNNN.jsonl".
std::uint32_t file_index(const std::string& name) {
  if (!stream_name_of(name)) return 0;  // not a log file name; verification reports it
  std::uint32_t v = 0;
  for (std::size_t i = name.size() - 12; i < name.size() - 6; ++i) v = v * 10 + static_cast<std::uint32_t>(name[i] - '0');
  return v;
}

// Walks one stream's records; keeps the state between files.
class Walker {
 public:
  Walker(StreamReport& r, std::span<const std::uint8_t> key, const std::optional<Head>& head)
      : r_(r), key_(key), head_(head) {}

  // False once a bad record was found.
  bool file(const std::string& path, const std::string& previous_file);
  Hash last() const { return prev_; }

 private:
  bool bad(const std::string& file, std::size_t line, std::string reason) {
    r_.ok = false;
    r_.first_bad = Finding{file, line, r_.last_seq + 1, std::move(reason)};
    return false;
  }
  bool record(const std::string& file, std::size_t line_no, std::string_view line, const std::string& previous_file);

  StreamReport& r_;
  std::span<const std::uint8_t> key_;
  const std::optional<Head>& head_;
  Hash prev_{};
};

bool Walker::file(const std::string& path, const std::string& previous_file) {
  const std::string name = base_name(path);
  std::ifstream in(path, std::ios::binary);
  if (!in) return bad(name, 0, "cannot read the file");
  std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (content.empty()) return bad(name, 1, "the file is empty (its first record is missing)");
  std::size_t pos = 0, line_no = 0;
  while (pos < content.size()) {
    ++line_no;
    const std::size_t nl = content.find('\n', pos);
    if (nl == std::string::npos) return bad(name, line_no, "the last line is incomplete (truncated mid-record)");
    if (!record(name, line_no, std::string_view(content).substr(pos, nl - pos), previous_file)) return false;
    pos = nl + 1;
  }
  return true;
}

bool Walker::record(const std::string& file, std::size_t line_no, std::string_view line, const std::string& previous_file) {
  auto split = split_line(line);
  if (!split.ok()) return bad(file, line_no, split.error().reason);
  auto f = decode_body(split->body);
  if (!f.ok()) return bad(file, line_no, f.error().reason);
  const std::uint64_t want = r_.last_seq + 1;
  if (f->seq != want) {
    return bad(file, line_no, "sequence number " + std::to_string(f->seq) + " where " + std::to_string(want) +
                                  " was expected (a record was removed, inserted or moved)");
  }
  if (f->prev_hex != to_hex(prev_.data(), prev_.size())) return bad(file, line_no, "does not link to the record before it");
  auto h = next_hash(prev_, split->body);
  if (!h.ok()) return bad(file, line_no, "cannot compute the chain hash");
  auto mac = record_mac(key_, *h);
  Hash given{};
  if (!mac.ok() || !from_hex(split->mac_hex, given.data(), given.size()) || !ct_equal(*mac, given)) {
    return bad(file, line_no, "MAC does not match (the record was altered, or this is not the audit key)");
  }
  if (line_no == 1) {
    const bool first_file = previous_file.empty();
    if (first_file && (f->event != "audit.start" || f->detail != r_.stream)) {
      return bad(file, line_no, "the stream does not begin with its audit.start record (earlier files missing?)");
    }
    if (!first_file && (f->event != "audit.rotate" || f->detail != previous_file)) {
      return bad(file, line_no, "this file does not continue " + previous_file + " (a file in between is missing?)");
    }
  }
  if (head_ && head_->seq == f->seq && !ct_equal(head_->hash, *h)) {
    return bad(file, line_no, "the sealed head names this record with a different hash");
  }
  prev_ = *h;
  r_.last_seq = f->seq;
  ++r_.records;
  return true;
}

std::optional<std::string> stream_name_of(const std::string& file_name) { return stream_of(file_name); }

}  // namespace

std::optional<std::string> stream_of(const std::string& file_name) {
  constexpr std::string_view kExt = ".jsonl";
  if (file_name.size() < kExt.size() + 8 || file_name.compare(file_name.size() - kExt.size(), kExt.size(), kExt) != 0) {
    return std::nullopt;
  }
  const std::size_t dot = file_name.size() - kExt.size() - 7;
  if (file_name[dot] != '.') return std::nullopt;
  for (std::size_t i = dot + 1; i < dot + 7; ++i) {
    if (file_name[i] < '0' || file_name[i] > '9') return std::nullopt;
  }
  return file_name.substr(0, dot);
}

StreamReport verify_stream(std::vector<std::string> files, const std::string& head_path, std::span<const std::uint8_t> key) {
  StreamReport r;
  std::sort(files.begin(), files.end(),
            [](const std::string& a, const std::string& b) { return file_index(base_name(a)) < file_index(base_name(b)); });
  for (const auto& f : files) r.files.push_back(base_name(f));
  if (!files.empty()) r.stream = stream_of(base_name(files.front())).value_or("");
  const std::string head_name = base_name(head_path);
  std::optional<Head> head;
  std::optional<Finding> head_problem;
  auto h = read_head(head_path, key);
  if (h.ok() && h->stream == r.stream) {
    head = *h;
  } else {
    const char* why = h.ok() ? "the sealed head belongs to another stream"
                      : h.rv() == CKR_DATA_INVALID && !std::filesystem::exists(head_path) ? "the sealed head is missing"
                                                                                          : h.error().reason;
    head_problem = Finding{head_name, 0, 0, why};
  }
  Walker w(r, key, head);
  std::string previous;
  for (const auto& f : files) {
    if (!w.file(f, previous)) return r;
    previous = base_name(f);
  }
  if (head_problem) {
    r.ok = false;
    head_problem->seq = r.last_seq + 1;
    r.first_bad = head_problem;
    return r;
  }
  r.sealed_seq = head->seq;
  if (head->seq > r.last_seq) {
    r.ok = false;
    r.first_bad = Finding{previous, 0, r.last_seq + 1,
                          "the log ends at record " + std::to_string(r.last_seq) + " but the sealed head names record " +
                              std::to_string(head->seq) + " in " + head->file + ": records were cut off the end"};
    return r;
  }
  r.unsealed = r.last_seq - head->seq;
  return r;
}

Result<std::vector<StreamReport>> verify_directory(const std::string& dir, std::span<const std::uint8_t> key) {
  std::map<std::string, std::vector<std::string>> streams;
  std::error_code ec;
  std::filesystem::directory_iterator it(dir, ec);
  for (; !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (auto s = stream_of(name)) streams[*s].push_back(dir + "/" + name);
    else if (name.size() > 5 && name.ends_with(".head")) streams[name.substr(0, name.size() - 5)];  // a head without logs
  }
  if (ec) return fail(CKR_DEVICE_ERROR, "cannot read the audit directory");
  std::vector<StreamReport> out;
  for (auto& [stream, files] : streams) {
    StreamReport r = verify_stream(files, dir + "/" + stream + ".head", key);
    r.stream = stream;
    if (files.empty()) {
      r.ok = false;
      r.first_bad = Finding{stream + ".head", 0, 1, "the stream's log files are missing"};
    }
    out.push_back(std::move(r));
  }
  return out;
}

std::vector<StreamReport> verify_files(const std::vector<std::string>& files, std::span<const std::uint8_t> key) {
  std::map<std::string, std::vector<std::string>> streams;
  std::map<std::string, std::string> dirs;
  for (const auto& f : files) {
    const std::string stream = stream_of(base_name(f)).value_or(base_name(f));
    streams[stream].push_back(f);
    dirs[stream] = dir_name(f);
  }
  std::vector<StreamReport> out;
  for (auto& [stream, list] : streams) out.push_back(verify_stream(list, dirs[stream] + "/" + stream + ".head", key));
  return out;
}

std::string describe(const StreamReport& r) {
  std::string s = "stream " + r.stream + ": ";
  if (!r.ok && r.first_bad) {
    const Finding& f = *r.first_bad;
    s += "FIRST BAD RECORD seq " + std::to_string(f.seq) + " at " + f.file;
    if (f.line != 0) s += ":" + std::to_string(f.line);
    return s + ": " + f.reason + " (" + std::to_string(r.records) + " records verified before it)";
  }
  s += "OK, " + std::to_string(r.records) + " records in " + std::to_string(r.files.size()) + " file(s)";
  if (r.unsealed != 0) s += ", " + std::to_string(r.unsealed) + " written after the last sealed head";
  return s;
}

}  // namespace craton::audit
