#include "storage/sqlite/file_util.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

namespace craton::storage::sqlite {

UniqueFd& UniqueFd::operator=(UniqueFd&& o) noexcept {
  if (this != &o) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = o.fd_;
    o.fd_ = -1;
  }
  return *this;
}

UniqueFd::~UniqueFd() {
  if (fd_ >= 0) ::close(fd_);
}

bool make_directory(const std::string& path, mode_t mode) {
  if (::mkdir(path.c_str(), mode) != 0) return false;
  // mkdir honours the process umask; set the configured mode exactly.
  return ::chmod(path.c_str(), mode) == 0;
}

Status make_directories(const std::string& path, mode_t mode) {
  if (path.empty()) return fail(CKR_DEVICE_ERROR, "cannot create token directory");
  // Walk the components left to right, creating the missing ones.
  for (std::size_t pos = 1; pos <= path.size(); ++pos) {
    if (pos != path.size() && path[pos] != '/') continue;
    const std::string prefix = path.substr(0, pos);
    struct stat st {};
    if (::stat(prefix.c_str(), &st) == 0) {
      if (!S_ISDIR(st.st_mode)) return fail(CKR_DEVICE_ERROR, "cannot create token directory");
      continue;
    }
    if (!make_directory(prefix, mode) && errno != EEXIST) {
      return fail(CKR_DEVICE_ERROR, "cannot create token directory");
    }
  }
  return ok_status();
}

bool create_file_exclusive(const std::string& path, mode_t mode) {
  UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode));
  if (!fd.valid()) return false;
  return ::fchmod(fd.get(), mode) == 0;
}

void sync_directory(const std::string& path) noexcept {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.valid()) static_cast<void>(::fsync(fd.get()));
}

Status with_file_lock(const std::string& lock_path, mode_t mode, const std::function<Status()>& fn) {
  // Exclusive creation first, so only a file we created gets its mode set.
  UniqueFd fd(::open(lock_path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode));
  if (fd.valid()) {
    static_cast<void>(::fchmod(fd.get(), mode));
  } else if (errno == EEXIST) {
    fd = UniqueFd(::open(lock_path.c_str(), O_RDWR | O_CLOEXEC | O_NOFOLLOW));
  }
  if (!fd.valid()) return fail(CKR_DEVICE_ERROR, "cannot open token directory lock");
  while (::flock(fd.get(), LOCK_EX) != 0) {
    if (errno != EINTR) return fail(CKR_DEVICE_ERROR, "cannot lock token directory");
  }
  return fn();  // closing fd releases the lock, also if fn throws
}

}  // namespace craton::storage::sqlite
