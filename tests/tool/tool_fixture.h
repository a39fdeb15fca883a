// Fixture for the craton-hsm-util tests: the tool runs as a subprocess against a scratch token
// directory (CRATON_HSM_CONF, see module_fixture.h); results are checked through the module's
// function list, loaded into the test process with dlopen.
#pragma once

#include <fcntl.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "module_fixture.h"

extern char** environ;

namespace craton::test {

using Bytes = std::vector<std::uint8_t>;

struct RunResult {
  int status = -1;     // exit status, or -1 if the tool did not exit normally
  std::string output;  // stdout and stderr, interleaved
};

// Runs the tool with `args`; `input` is written to its stdin (empty: stdin is /dev/null).
inline RunResult run_tool(const std::vector<std::string>& args, const std::string& input = "") {
  std::vector<std::string> argv_store{CRATON_TOOL_PATH};
  argv_store.insert(argv_store.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_store) argv.push_back(a.data());
  argv.push_back(nullptr);

  std::array<int, 2> out{-1, -1}, in{-1, -1};
  if (pipe(out.data()) != 0 || pipe(in.data()) != 0) return {};
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, out[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&fa, out[1], STDERR_FILENO);
  if (input.empty()) {
    posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  } else {
    posix_spawn_file_actions_adddup2(&fa, in[0], STDIN_FILENO);
  }
  for (int fd : {out[0], out[1], in[0], in[1]}) posix_spawn_file_actions_addclose(&fa, fd);
  pid_t pid = -1;
  const int spawned = posix_spawn(&pid, CRATON_TOOL_PATH, &fa, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  close(out[1]);
  close(in[0]);
  RunResult r;
  if (spawned == 0 && !input.empty()) {
    (void)!write(in[1], input.data(), input.size());  // small: fits in the pipe buffer
  }
  close(in[1]);
  std::array<char, 4096> buf{};
  for (ssize_t n; (n = read(out[0], buf.data(), buf.size())) > 0;) r.output.append(buf.data(), static_cast<std::size_t>(n));
  close(out[0]);
  if (spawned != 0) return r;
  int ws = 0;
  if (waitpid(pid, &ws, 0) == pid && WIFEXITED(ws)) r.status = WEXITSTATUS(ws);
  return r;
}

inline bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

using PkeyPtr = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using BioPtr = std::unique_ptr<BIO, decltype(&BIO_free_all)>;

inline Bytes bn_param(const EVP_PKEY* pkey, const char* name) {
  BIGNUM* bn = nullptr;
  if (EVP_PKEY_get_bn_param(pkey, name, &bn) != 1) return {};
  Bytes out(static_cast<std::size_t>(BN_num_bytes(bn)));
  BN_bn2bin(bn, out.data());
  BN_free(bn);
  return out;
}

enum class PemForm { kPkcs8, kTraditional, kEncryptedPkcs8 };

// Writes `pkey` as PEM; the encrypted form uses the passphrase "file-secret".
inline bool write_pem(const EVP_PKEY* pkey, const std::string& path, PemForm form) {
  BioPtr bio(BIO_new_file(path.c_str(), "w"), BIO_free_all);
  if (!bio) return false;
  switch (form) {
    case PemForm::kPkcs8:
      return PEM_write_bio_PrivateKey(bio.get(), pkey, nullptr, nullptr, 0, nullptr, nullptr) == 1;
    case PemForm::kTraditional:
      return PEM_write_bio_PrivateKey_traditional(bio.get(), pkey, nullptr, nullptr, 0, nullptr, nullptr) == 1;
    case PemForm::kEncryptedPkcs8: {
      static constexpr unsigned char kPass[] = "file-secret";
      return PEM_write_bio_PrivateKey(bio.get(), pkey, EVP_aes_256_cbc(), kPass, sizeof(kPass) - 1, nullptr,
                                      nullptr) == 1;
    }
  }
  return false;
}

class ToolTest : public ::testing::Test {
 protected:
  static constexpr const char* kSo = "so-pin-123";
  static constexpr const char* kUser = "user-pin-1";

  void SetUp() override { home_ = std::make_unique<TempHome>(); }

  // Initialises the free slot's token; returns the tool's result.
  RunResult init(const std::string& label, const std::string& so = kSo, const std::string& user = kUser) {
    return run_tool({"--init-token", "--free", "--label", label, "--so-pin", so, "--pin", user});
  }

  // Serial numbers and labels of the initialised tokens, read through the module.
  std::vector<std::pair<std::string, std::string>> tokens() {
    ModuleSession m;
    std::vector<std::pair<std::string, std::string>> out;
    for (CK_SLOT_ID s : m.slots()) {
      CK_TOKEN_INFO ti{};
      EXPECT_EQ(m.f->C_GetTokenInfo(s, &ti), CKR_OK);
      if ((ti.flags & CKF_TOKEN_INITIALIZED) == 0) continue;
      out.emplace_back(trim(ti.serialNumber, 16), trim(ti.label, 32));
    }
    return out;
  }

  static std::string trim(const CK_UTF8CHAR* p, std::size_t n) {
    std::string s(p, p + n);
    s.erase(s.find_last_not_of(' ') + 1);
    return s;
  }

  std::string key_path(const std::string& name) const { return home_->dir() + "/" + name; }

  // The module, initialised in this process for as long as the object lives.
  struct ModuleSession {
    ModuleSession() : f(Module::get().fl()) { EXPECT_EQ(f->C_Initialize(nullptr), CKR_OK); }
    ~ModuleSession() { f->C_Finalize(nullptr); }
    std::vector<CK_SLOT_ID> slots() {
      CK_ULONG n = 0;
      EXPECT_EQ(f->C_GetSlotList(CK_FALSE, nullptr, &n), CKR_OK);
      std::vector<CK_SLOT_ID> v(n);
      EXPECT_EQ(f->C_GetSlotList(CK_FALSE, v.data(), &n), CKR_OK);
      return v;
    }
    CK_FUNCTION_LIST_3_2* f;
  };

  std::unique_ptr<TempHome> home_;
};

}  // namespace craton::test
