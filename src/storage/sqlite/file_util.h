// POSIX file helpers for the file-backed store: creation with an explicit mode, directory trees,
// advisory locks. Modes are applied exactly (chmod after creation), so the configured object-store
// umask wins over whatever umask the host process happens to run with, and the process umask is
// never modified (it is process-global state shared with the application).
#pragma once

#include <sys/types.h>

#include <functional>
#include <string>

#include "common/result.h"

namespace craton::storage::sqlite {

// Owns a file descriptor.
class UniqueFd {
 public:
  explicit UniqueFd(int fd = -1) noexcept : fd_(fd) {}
  UniqueFd(UniqueFd&& o) noexcept : fd_(o.fd_) { o.fd_ = -1; }
  UniqueFd& operator=(UniqueFd&& o) noexcept;
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd();
  int get() const noexcept { return fd_; }
  bool valid() const noexcept { return fd_ >= 0; }

 private:
  int fd_;
};

// Creates `path` and any missing parents with `mode`. Existing directories are left as they are.
// Failure → CKR_DEVICE_ERROR "cannot create token directory".
Status make_directories(const std::string& path, mode_t mode);

// Creates one directory with `mode`; returns false with errno set on failure (EEXIST included).
bool make_directory(const std::string& path, mode_t mode);

// Creates a new empty file with exactly `mode`. An existing file → errno EEXIST, returns false.
bool create_file_exclusive(const std::string& path, mode_t mode);

// Flushes a directory entry change (new token directory) to disk; best effort.
void sync_directory(const std::string& path) noexcept;

// Runs fn while holding flock(LOCK_EX) on `lock_path` (created with `mode` if missing). flock
// locks belong to the open file description, so this excludes other threads of this process too.
Status with_file_lock(const std::string& lock_path, mode_t mode, const std::function<Status()>& fn);

}  // namespace craton::storage::sqlite
