// Helpers shared by the storage tests: scratch directories and short-hands for store calls.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "storage/store.h"

namespace craton::storage::testing {

// A fresh directory under $TMPDIR, removed with everything in it at scope exit.
class ScratchDir {
 public:
  ScratchDir() {
    const char* base = std::getenv("TMPDIR");
    std::string tmpl = std::string(base != nullptr ? base : "/tmp") + "/craton-store-XXXXXX";
    std::vector<char> buf(tmpl.begin(), tmpl.end());
    buf.push_back('\0');
    if (::mkdtemp(buf.data()) != nullptr) path_ = buf.data();
  }
  ~ScratchDir() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

inline Bytes to_bytes(std::string_view s) { return Bytes(s.begin(), s.end()); }

inline Status put(TokenStore& s, std::string_view uid, std::string_view blob) {
  return s.write([&](Transaction& t) { return t.put_object(uid, to_bytes(blob)); });
}

inline Status erase(TokenStore& s, std::string_view uid) {
  return s.write([&](Transaction& t) { return t.delete_object(uid); });
}

inline std::uint64_t generation_of(TokenStore& s) {
  auto c = s.changes_since(0);
  EXPECT_TRUE(c.ok());
  return c.ok() ? c->generation : 0;
}

}  // namespace craton::storage::testing
