#include "storage/sqlite/sqlite_store.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <system_error>

#include "storage/sqlite/file_util.h"
#include "storage/sqlite/sqlite_token.h"
#include "storage/token_name.h"

namespace craton::storage::sqlite {
namespace {

constexpr const char* kDatabaseFile = "token.sqlite";
constexpr const char* kLockFile = ".craton.lock";

bool exists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

class SqliteBackend final : public StoreBackend {
 public:
  explicit SqliteBackend(const BackendOptions& opts)
      : dir_(opts.directory),
        dir_mode_(static_cast<mode_t>(0777U & ~opts.umask)),
        file_mode_(static_cast<mode_t>(0666U & ~opts.umask)),
        synchronous_full_(opts.synchronous_full) {}

  Result<std::vector<std::string>> list_tokens() override {
    std::vector<std::string> names;
    std::error_code ec;
    std::filesystem::directory_iterator it(dir_, ec);
    for (; !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
      const std::string name = it->path().filename().string();
      if (is_valid_token_name(name) && exists(db_path(name))) names.push_back(name);
    }
    if (ec) return fail(CKR_DEVICE_ERROR, "cannot list token directory");
    return names;
  }

  Result<std::unique_ptr<TokenStore>> open_token(std::string_view name) override {
    CRATON_TRY(check_name(name));
    const std::string path = db_path(name);
    if (!exists(path)) return fail(CKR_TOKEN_NOT_PRESENT, "token not found");
    CRATON_ASSIGN_OR_RETURN(auto store, SqliteTokenStore::open(path, synchronous_full_));
    return std::unique_ptr<TokenStore>(std::move(store));
  }

  Result<std::unique_ptr<TokenStore>> create_token(std::string_view name) override {
    CRATON_TRY(check_name(name));
    const std::string token_dir = token_path(name);
    // An existing directory without a database is a creation interrupted earlier: reuse it.
    if (!make_directory(token_dir, dir_mode_) && errno != EEXIST) {
      return fail(CKR_DEVICE_ERROR, "cannot create token directory");
    }
    const std::string path = db_path(name);
    if (!create_file_exclusive(path, file_mode_)) {
      return errno == EEXIST ? fail(CKR_DEVICE_ERROR, "token already exists")
                             : fail(CKR_DEVICE_ERROR, "cannot create token database");
    }
    auto store = SqliteTokenStore::open(path, synchronous_full_);
    if (!store.ok()) {
      remove_files(token_dir);
      return store.error();
    }
    sync_directory(token_dir);
    sync_directory(dir_);
    return std::unique_ptr<TokenStore>(std::move(store).value());
  }

  Status delete_token(std::string_view name) override {
    CRATON_TRY(check_name(name));
    const std::string token_dir = token_path(name);
    if (!exists(token_dir)) return fail(CKR_TOKEN_NOT_PRESENT, "token not found");
    // The database goes first, so other processes see the token vanish as early as possible.
    if (::unlink(db_path(name).c_str()) != 0 && errno != ENOENT) {
      return fail(CKR_DEVICE_ERROR, "cannot remove token");
    }
    if (!remove_files(token_dir)) return fail(CKR_DEVICE_ERROR, "cannot remove token");
    sync_directory(dir_);
    return ok_status();
  }

  Status with_backend_lock(const std::function<Status()>& fn) override {
    return with_file_lock(dir_ + "/" + kLockFile, file_mode_, fn);
  }

 private:
  static Status check_name(std::string_view name) {
    if (!is_valid_token_name(name)) return fail(CKR_ARGUMENTS_BAD, "invalid token name");
    return ok_status();
  }
  std::string token_path(std::string_view name) const { return dir_ + "/" + std::string(name); }
  std::string db_path(std::string_view name) const { return token_path(name) + "/" + kDatabaseFile; }

  // Removes a token directory with the WAL/SHM files and anything else left in it.
  static bool remove_files(const std::string& token_dir) {
    std::error_code ec;
    std::filesystem::remove_all(token_dir, ec);
    return !ec;
  }

  const std::string dir_;
  const mode_t dir_mode_;
  const mode_t file_mode_;
  const bool synchronous_full_;
};

}  // namespace

Result<std::unique_ptr<StoreBackend>> make_sqlite_backend(const BackendOptions& opts) {
  CRATON_TRY(make_directories(opts.directory, static_cast<mode_t>(0777U & ~opts.umask)));
  return std::unique_ptr<StoreBackend>(std::make_unique<SqliteBackend>(opts));
}

}  // namespace craton::storage::sqlite
