#include "selftest/integrity.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <link.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <utility>

#include "common/log.h"
#include "common/secure_bytes.h"
#include "crypto/ossl/hmac.h"
#include "selftest/inject.h"

namespace craton::selftest {
namespace {

constexpr Error kUnreadable = fail(CKR_GENERAL_ERROR, "module file unreadable");
constexpr Error kNoSidecar = fail(CKR_FIPS_SELF_TEST_FAILED, "integrity value (.hmac file) missing or malformed");
constexpr Error kMismatch = fail(CKR_FIPS_SELF_TEST_FAILED, "module file does not match its integrity value");

// "craton-hsm module integrity v1.\0": public by design (see the header).
constexpr std::array<std::uint8_t, 32> kKey = {0x63, 0x72, 0x61, 0x74, 0x6f, 0x6e, 0x2d, 0x68, 0x73, 0x6d, 0x20,
                                               0x6d, 0x6f, 0x64, 0x75, 0x6c, 0x65, 0x20, 0x69, 0x6e, 0x74, 0x65,
                                               0x67, 0x72, 0x69, 0x74, 0x79, 0x20, 0x76, 0x31, 0x2e, 0x00};

// A read-only mapping of a whole file, unmapped on destruction.
class MappedFile {
 public:
  static Result<MappedFile> open(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return kUnreadable;
    struct stat st {};
    void* p = MAP_FAILED;
    if (::fstat(fd, &st) == 0 && st.st_size > 0) {
      p = ::mmap(nullptr, static_cast<std::size_t>(st.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
    }
    ::close(fd);
    if (p == MAP_FAILED) return kUnreadable;
    return MappedFile(p, static_cast<std::size_t>(st.st_size));
  }
  MappedFile(MappedFile&& o) noexcept : p_(std::exchange(o.p_, nullptr)), n_(o.n_) {}
  MappedFile& operator=(MappedFile&&) = delete;
  ~MappedFile() {
    if (p_ != nullptr) ::munmap(p_, n_);
  }
  std::span<const std::uint8_t> bytes() const noexcept { return {static_cast<const std::uint8_t*>(p_), n_}; }

 private:
  MappedFile(void* p, std::size_t n) : p_(p), n_(n) {}
  void* p_;
  std::size_t n_;
};

int hex_digit(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The sidecar: 64 hexadecimal digits, optionally followed by white space.
std::optional<crypto::Sha256Digest> read_sidecar(const std::string& path) {
  std::ifstream in(path);
  std::string text;
  crypto::Sha256Digest d{};
  if (!in || !(in >> text) || text.size() != 2 * d.size()) return std::nullopt;
  for (std::size_t i = 0; i < d.size(); ++i) {
    const int hi = hex_digit(text[2 * i]);
    const int lo = hex_digit(text[2 * i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    d[i] = static_cast<std::uint8_t>(hi * 16 + lo);
  }
  return d;
}

}  // namespace

std::span<const std::uint8_t> integrity_key() noexcept { return kKey; }

Result<crypto::Sha256Digest> module_file_hmac(const std::string& path) {
  CRATON_ASSIGN_OR_RETURN(const MappedFile file, MappedFile::open(path));
  CRATON_ASSIGN_OR_RETURN(const crypto::MacKey key, crypto::MacKey::hmac(CKM_SHA256, kKey));
  CRATON_ASSIGN_OR_RETURN(crypto::RunningMac mac, key.start());
  CRATON_TRY(mac.update(file.bytes()));
  CRATON_ASSIGN_OR_RETURN(const SecureBytes tag, mac.finish());
  crypto::Sha256Digest d{};
  std::copy(tag.span().begin(), tag.span().end(), d.begin());
  return d;
}

std::optional<std::string> own_module_path() {
  Dl_info info{};
  void* extra = nullptr;
  // Any object of this file identifies the shared object (or program) it was linked into.
  if (dladdr1(&kKey, &info, &extra, RTLD_DL_LINKMAP) == 0 || extra == nullptr) return std::nullopt;
  const auto* map = static_cast<const link_map*>(extra);
  // The main program's link map entry has an empty name; a shared object's is the path it was
  // loaded from (possibly a symlink such as libcratonhsm.so -> libcratonhsm.so.0.1.0).
  if (map->l_name == nullptr || map->l_name[0] == '\0') return std::nullopt;
  std::unique_ptr<char, decltype(&std::free)> real(::realpath(map->l_name, nullptr), &std::free);
  if (!real) return std::string(map->l_name);
  return std::string(real.get());
}

Status run_integrity_test() {
  const auto path = own_module_path();
  if (!path) {
    log::debug("selftest", "integrity test not applicable: linked into the program, not loaded as a module");
    return ok_status();
  }
  const auto expected = read_sidecar(sidecar_path(*path));
  if (!expected) return kNoSidecar;
  auto actual = module_file_hmac(*path);
  if (!actual.ok()) return fail(CKR_FIPS_SELF_TEST_FAILED, "module file unreadable");
  if (CRATON_SELFTEST_INJECTED("integrity")) (*actual)[0] ^= 0x01;
  return ct_equal(*actual, *expected) ? ok_status() : Status(kMismatch);
}

}  // namespace craton::selftest
