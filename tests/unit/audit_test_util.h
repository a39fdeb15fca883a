// Helpers shared by the audit unit tests: a scratch directory, a fixed key, line editing.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "audit/verify.h"
#include "audit/writer.h"

namespace craton::audit::test {

inline SecureBytes test_key(std::uint8_t seed = 1) {
  SecureBytes k(kKeySize);
  for (std::size_t i = 0; i < k.size(); ++i) k.data()[i] = static_cast<std::uint8_t>(seed + i);
  return k;
}

inline std::vector<std::string> read_lines(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> out;
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

inline void write_lines(const std::string& path, const std::vector<std::string>& lines) {
  std::ofstream out(path, std::ios::trunc);
  for (const auto& l : lines) out << l << '\n';
}

inline std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class AuditDirTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/craton-audit-XXXXXX";
    dir_ = ::mkdtemp(tmpl);
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  std::unique_ptr<Writer> open_writer(Sync sync = Sync::kOff, std::uint64_t max_size = 1 << 20, bool threaded = true) {
    WriterOptions o;
    o.dir = dir_;
    o.sync = sync;
    o.max_file_size = max_size;
    o.threaded = threaded;
    auto w = Writer::open(o, test_key());
    EXPECT_TRUE(w.ok());
    return w.ok() ? std::move(*w) : nullptr;
  }

  static Event sign_event(std::uint64_t i, std::string detail = "") {
    Event e = named("C_Sign");
    e.slot = 0;
    e.session = i;
    e.user = User::kUser;
    e.object = "0123456789abcdef";
    e.mechanism = CKM_ECDSA;
    e.detail = std::move(detail);
    return e;
  }

  // A closed stream with `n` C_Sign records after its audit.start; returns the first log file.
  std::string write_stream(int n, Sync sync = Sync::kOff) {
    auto w = open_writer(sync);
    for (int i = 0; i < n; ++i) w->append(sign_event(static_cast<std::uint64_t>(i)));
    w->close();
    return logs().front();
  }

  std::vector<std::string> logs() const {
    std::vector<std::string> out;
    for (const auto& e : std::filesystem::directory_iterator(dir_)) {
      if (e.path().extension() == ".jsonl") out.push_back(e.path().string());
    }
    std::sort(out.begin(), out.end());
    return out;
  }
  std::string head() const {
    for (const auto& e : std::filesystem::directory_iterator(dir_)) {
      if (e.path().extension() == ".head") return e.path().string();
    }
    return {};
  }

  StreamReport verify(std::uint8_t key_seed = 1) const {
    auto r = verify_directory(dir_, test_key(key_seed).span());
    EXPECT_TRUE(r.ok());
    EXPECT_EQ(r->size(), 1u);
    return r->empty() ? StreamReport{} : r->front();
  }

  std::string dir_;
};

}  // namespace craton::audit::test
