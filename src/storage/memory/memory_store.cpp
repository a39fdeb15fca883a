#include "storage/memory/memory_store.h"

#include <map>
#include <mutex>
#include <utility>

#include "storage/token_name.h"

namespace craton::storage::memory {
namespace {

// Transparent comparator: lookups by string_view without building a std::string.
using Less = std::less<>;

struct TokenState {
  std::uint64_t generation = 0;
  std::map<std::string, Bytes, Less> meta;
  std::map<std::string, std::pair<std::uint64_t, Bytes>, Less> objects;  // uid → (gen, blob)
  std::map<std::string, std::uint64_t, Less> tombstones;                // uid → gen
};

struct Token {
  std::mutex mu;
  bool deleted = false;  // GUARDED_BY(mu)
  TokenState state;      // GUARDED_BY(mu)
};

struct Directory {
  std::mutex mu;                                            // guards tokens
  std::map<std::string, std::shared_ptr<Token>, Less> tokens;
  std::mutex backend_lock;                                  // with_backend_lock()
};

std::shared_ptr<Directory> directory_for(const std::string& path) {
  static std::mutex mu;
  static std::map<std::string, std::shared_ptr<Directory>> registry;
  const std::lock_guard lock(mu);
  auto& d = registry[path];
  if (!d) d = std::make_shared<Directory>();
  return d;
}

// Works on a copy of the token's state; the copy replaces the original only on commit.
class MemoryTransaction final : public Transaction {
 public:
  explicit MemoryTransaction(TokenState staged) : s_(std::move(staged)), base_(s_.generation) {}

  Result<std::optional<Bytes>> get_meta(std::string_view key) override {
    auto it = s_.meta.find(key);
    if (it == s_.meta.end()) return std::optional<Bytes>{};
    return std::optional<Bytes>{it->second};
  }
  Status put_meta(std::string_view key, std::span<const std::uint8_t> value) override {
    bump();
    s_.meta.insert_or_assign(std::string(key), Bytes(value.begin(), value.end()));
    return ok_status();
  }
  Result<std::optional<Bytes>> get_object(std::string_view uid) override {
    auto it = s_.objects.find(uid);
    if (it == s_.objects.end()) return std::optional<Bytes>{};
    return std::optional<Bytes>{it->second.second};
  }
  Status put_object(std::string_view uid, std::span<const std::uint8_t> blob) override {
    const std::uint64_t gen = bump();
    s_.objects.insert_or_assign(std::string(uid), std::pair{gen, Bytes(blob.begin(), blob.end())});
    if (auto it = s_.tombstones.find(uid); it != s_.tombstones.end()) s_.tombstones.erase(it);
    return ok_status();
  }
  Status delete_object(std::string_view uid) override {
    auto it = s_.objects.find(uid);
    if (it == s_.objects.end()) return ok_status();
    s_.objects.erase(it);
    s_.tombstones.insert_or_assign(std::string(uid), bump());
    return ok_status();
  }
  Status delete_all_objects() override {
    const std::uint64_t gen = bump();
    for (const auto& [uid, row] : s_.objects) s_.tombstones.insert_or_assign(uid, gen);
    s_.objects.clear();
    return ok_status();
  }

  TokenState take() && { return std::move(s_); }

 private:
  // One generation per transaction, taken on the first change (as the SQLite backend does).
  std::uint64_t bump() {
    if (s_.generation == base_) ++s_.generation;
    return s_.generation;
  }

  TokenState s_;
  const std::uint64_t base_;
};

class MemoryTokenStore final : public TokenStore {
 public:
  explicit MemoryTokenStore(std::shared_ptr<Token> token) : token_(std::move(token)) {}

  Status write(const std::function<Status(Transaction&)>& fn) override {
    const std::lock_guard lock(token_->mu);
    CRATON_TRY(check_present());
    MemoryTransaction txn(copy(token_->state));
    CRATON_TRY(fn(txn));
    token_->state = std::move(txn).take();
    return ok_status();
  }

  Result<std::optional<Bytes>> read_meta(std::string_view key) override {
    const std::lock_guard lock(token_->mu);
    CRATON_TRY(check_present());
    auto it = token_->state.meta.find(key);
    if (it == token_->state.meta.end()) return std::optional<Bytes>{};
    return std::optional<Bytes>{it->second};
  }

  Result<bool> changed_since(std::uint64_t generation) override {
    const std::lock_guard lock(token_->mu);
    CRATON_TRY(check_present());
    return generation < token_->state.generation;
  }

  Result<ChangeSet> changes_since(std::uint64_t generation) override {
    const std::lock_guard lock(token_->mu);
    CRATON_TRY(check_present());
    ChangeSet out;
    out.generation = token_->state.generation;
    for (const auto& [uid, row] : token_->state.objects) {
      if (row.first > generation) out.upserts.push_back(ObjectRow{uid, row.second});
    }
    for (const auto& [uid, gen] : token_->state.tombstones) {
      if (gen > generation) out.deletions.push_back(uid);
    }
    return out;
  }

  Result<std::uint64_t> visit_changes_since(std::uint64_t generation, const RowVisitor& on_row,
                                            const DeleteVisitor& on_delete) override {
    const std::lock_guard lock(token_->mu);
    CRATON_TRY(check_present());
    for (const auto& [uid, gen] : token_->state.tombstones) {
      if (gen > generation) on_delete(uid);
    }
    for (const auto& [uid, row] : token_->state.objects) {
      if (row.first > generation) on_row(uid, row.second);
    }
    return token_->state.generation;
  }

 private:
  static TokenState copy(const TokenState& s) { return s; }
  // REQUIRES: token_->mu held.
  Status check_present() const {
    if (token_->deleted) return fail(CKR_DEVICE_REMOVED, "token was deleted");
    return ok_status();
  }

  std::shared_ptr<Token> token_;
};

class MemoryBackend final : public StoreBackend {
 public:
  explicit MemoryBackend(std::shared_ptr<Directory> dir) : dir_(std::move(dir)) {}

  Result<std::vector<std::string>> list_tokens() override {
    const std::lock_guard lock(dir_->mu);
    std::vector<std::string> names;
    for (const auto& [name, token] : dir_->tokens) names.push_back(name);
    return names;
  }

  Result<std::unique_ptr<TokenStore>> open_token(std::string_view name) override {
    CRATON_TRY(check_name(name));
    const std::lock_guard lock(dir_->mu);
    auto it = dir_->tokens.find(name);
    if (it == dir_->tokens.end()) return fail(CKR_TOKEN_NOT_PRESENT, "token not found");
    return std::unique_ptr<TokenStore>(std::make_unique<MemoryTokenStore>(it->second));
  }

  Result<std::unique_ptr<TokenStore>> create_token(std::string_view name) override {
    CRATON_TRY(check_name(name));
    const std::lock_guard lock(dir_->mu);
    if (dir_->tokens.contains(name)) return fail(CKR_DEVICE_ERROR, "token already exists");
    auto token = std::make_shared<Token>();
    dir_->tokens.emplace(std::string(name), token);
    return std::unique_ptr<TokenStore>(std::make_unique<MemoryTokenStore>(std::move(token)));
  }

  Status delete_token(std::string_view name) override {
    CRATON_TRY(check_name(name));
    const std::lock_guard lock(dir_->mu);
    auto it = dir_->tokens.find(name);
    if (it == dir_->tokens.end()) return fail(CKR_TOKEN_NOT_PRESENT, "token not found");
    {
      // Stores still holding the token now report CKR_DEVICE_REMOVED.
      const std::lock_guard token_lock(it->second->mu);
      it->second->deleted = true;
    }
    dir_->tokens.erase(it);
    return ok_status();
  }

  Status with_backend_lock(const std::function<Status()>& fn) override {
    const std::lock_guard lock(dir_->backend_lock);
    return fn();
  }

 private:
  static Status check_name(std::string_view name) {
    if (!is_valid_token_name(name)) return fail(CKR_ARGUMENTS_BAD, "invalid token name");
    return ok_status();
  }

  std::shared_ptr<Directory> dir_;
};

}  // namespace

Result<std::unique_ptr<StoreBackend>> make_memory_backend(const BackendOptions& opts) {
  return std::unique_ptr<StoreBackend>(std::make_unique<MemoryBackend>(directory_for(opts.directory)));
}

}  // namespace craton::storage::memory
