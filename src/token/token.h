// Token: one initialised token — its metadata, PINs and login state, and its objects.
//
// Login state is per process (PKCS#11: per application) and shared by all its sessions. Objects
// live in the store (token objects) and in the ObjectCache; the cache is brought up to date from
// the store before every search and every change (cheap check, no disk I/O when nothing changed),
// so an object created by another process is found by our next search and a change never writes
// back a stale copy. Plain reads by handle (C_GetAttributeValue) use the cached view.
//
// Lazy loading (ADR 0010, docs/STORAGE.md "What is loaded when"): bringing the cache up to date
// only splits each new record and lists it under the posting keys of its public section, without
// checking its MAC. A token object's record is verified (and its sealed part opened, once the
// master key is there) on its first real use: when a search yields it as a candidate, when its
// handle is used, or, for private objects, before the first search of a logged-in user. Until
// then nothing read from its record is trusted; a record that fails the check is reported and
// dropped at that moment, as it was at load time before. Loading happens under the exclusive
// token lock, so it happens once even when several sessions touch the object at the same time.
//
// Thread safety: all public members are thread-safe. Lock order: Library -> Session -> Token.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <sys/types.h>
#include <optional>
#include <string>
#include <vector>

#include "common/mutex.h"
#include "common/sharded_mutex.h"
#include "common/result.h"
#include "common/secure_bytes.h"
#include "common/small_string.h"
#include "object/attribute.h"
#include "storage/store.h"
#include "token/object_cache.h"

namespace craton::token {

struct TokenPolicy {
  std::uint32_t kdf_iterations = 200000;
  std::uint32_t max_failures = 10;  // 0: no lockout
  std::size_t min_pin = 4;
  std::size_t max_pin = 255;
  bool approved_only = false;  // fips.approved_only: refuse keys that are not FIPS-approved
};

enum class LoginState { kPublic, kUser, kSo };

struct PinStatus {
  std::uint32_t so_failures = 0;
  std::uint32_t user_failures = 0;
  bool user_pin_initialized = false;
};

// What an object operation needs to know about the calling session.
struct Caller {
  CK_SESSION_HANDLE session = 0;
  bool rw = false;
};

// An object just stored: its handle, and its CKA_UNIQUE_ID (the call's audit record names it
// without looking the handle up again).
struct NewObject {
  CK_OBJECT_HANDLE handle = CK_INVALID_HANDLE;
  UniqueIdText uid;
};

class Token {
  struct PassKey {};  // lets make_shared call the constructor while keeping it private to users

 public:
  Token(PassKey, std::unique_ptr<storage::TokenStore> store, std::string name, const TokenPolicy& policy);

  // Creates a new token in the store and wraps a fresh master key under the SO PIN.
  static Result<std::shared_ptr<Token>> create(std::unique_ptr<storage::TokenStore> store, std::string name,
                                               CK_SLOT_ID slot, const SecureBytes& so_pin,
                                               std::span<const std::uint8_t> label32, const TokenPolicy& policy);
  static Result<std::shared_ptr<Token>> open(std::unique_ptr<storage::TokenStore> store, std::string name,
                                             const TokenPolicy& policy);

  CK_SLOT_ID slot_id() const noexcept { return slot_id_; }
  const std::string& name() const noexcept { return name_; }
  const TokenPolicy& policy() const noexcept { return policy_; }
  std::string label() const;   // 32 bytes, blank padded
  std::string serial() const;  // 16 characters
  Result<PinStatus> pin_status();
  LoginState login_state() const;

  // PIN services (spec chapter 5.6 / 5.7). `sessions_ro` tells whether R/O sessions are open.
  Status login(LoginState who, const SecureBytes& pin, bool ro_sessions_open);
  Status verify_context_pin(const SecureBytes& pin);
  Status logout();
  void forget_login();  // last session closed / finalize: drop login without error checks
  Status reinitialize(const SecureBytes& so_pin, std::span<const std::uint8_t> label32);
  Status init_user_pin(const SecureBytes& pin);
  Status set_pin(const SecureBytes& old_pin, const SecureBytes& new_pin);
  Status check_pin_length(const SecureBytes& pin) const;

  // Objects.
  Result<CK_OBJECT_HANDLE> create_object(const Caller& c, const object::AttributeSet& tmpl);
  Result<CK_OBJECT_HANDLE> copy_object(const Caller& c, CK_OBJECT_HANDLE h, const object::AttributeSet& tmpl);
  Status destroy_object(const Caller& c, CK_OBJECT_HANDLE h);
  Result<AttrSnapshot> attributes(const Caller& c, CK_OBJECT_HANDLE h);
  // As attributes(), plus whether the object's key material is still sealed (not logged in).
  Result<std::pair<AttrSnapshot, bool>> view(const Caller& c, CK_OBJECT_HANDLE h);
  // The CKA_UNIQUE_ID of an object the caller could view(), "" otherwise (audit records name
  // objects by it; no snapshot is taken and nothing is loaded).
  UniqueIdText unique_id(const Caller& c, CK_OBJECT_HANDLE h) const;
  Status set_attributes(const Caller& c, CK_OBJECT_HANDLE h, const object::AttributeSet& changes);
  Result<std::vector<CK_OBJECT_HANDLE>> find(const Caller& c, const object::AttributeSet& tmpl);
  void drop_session_objects(CK_SESSION_HANDLE session);
  // Stores a fully built object (generation, unwrap, derive paths of later mechanisms).
  Result<NewObject> insert_object(const Caller& c, object::AttributeSet attrs);

 private:
  // A record this process has just written, with the attributes it encodes: when the store hands
  // back exactly these bytes, they need not be decoded and verified again.
  struct OwnWrite {
    const std::string& uid;
    const storage::Bytes& blob;
    object::AttributeSet& attrs;  // moved into the cache when the record is recognised
  };

  // All members named *_locked REQUIRE mu_; those that change the cache REQUIRE it exclusively.
  Status load_meta();
  Status refresh_locked(OwnWrite* own = nullptr);
  // Before changing or destroying object `h`: refresh_locked() unless `h` is a session object of
  // this process, which no other process can have changed (and a refresh would cost store I/O).
  Status refresh_unless_session_object_locked(CK_OBJECT_HANDLE h);
  void apply_row_locked(std::string_view uid, std::span<const std::uint8_t> blob, OwnWrite* own);
  bool needs_load_locked(const CachedObject& o) const noexcept;
  // Verifies the record of a token object not yet verified (and opens its sealed part when the
  // master key is there). False: the record failed its check; the caller reports and drops it
  // with reject_locked() (not right away, so that callers iterating candidates stay valid).
  bool load_locked(CachedObject& o);
  void reject_locked(const std::string& uid);
  void open_private_locked();  // before a search of a logged-in user: every private object
  void seal_away_locked();
  Result<CachedObject*> visible_locked(const Caller& c, CK_OBJECT_HANDLE h);
  Status check_write_access(const Caller& c, bool is_token, bool is_private) const;
  Result<NewObject> store_new_locked(const Caller& c, object::AttributeSet attrs);
  Status persist_locked(const std::string& uid, object::AttributeSet attrs);
  Result<UniqueIdText> next_uid_locked();
  Status count_failure(LoginState who, std::uint32_t* failures_after);

  std::unique_ptr<storage::TokenStore> store_;
  const std::string name_;
  const TokenPolicy policy_;
  CK_SLOT_ID slot_id_ = 0;
  std::string serial_;
  storage::Bytes integrity_key_;

  // Taken shared by every operation's key lookup (view()) from every thread: sharded, so that
  // readers on different threads do not write one reader count (docs/ARCHITECTURE.md,
  // "Concurrency"); changes lock every shard.
  using TokenMutex = ShardedSharedMutex<Mutex>;
  mutable TokenMutex mu_;
  std::string label_;
  // Changed only under mu_ (exclusively); atomic so that login_state() reads it without the lock
  // (every audited call asks for it).
  std::atomic<LoginState> login_{LoginState::kPublic};
  std::optional<SecureBytes> master_key_;
  ObjectCache cache_;
  std::uint64_t applied_gen_ = 0;
  // Some private token object may not be opened yet (set when one is listed, cleared by the first
  // search of a logged-in user, which opens them all: their attributes are all sealed, so they
  // have no posting keys until then).
  bool private_pending_ = false;
  // CKA_UNIQUE_ID source: a random 64-bit prefix drawn per process (re-drawn after fork) and a
  // counter. See next_uid_locked().
  std::array<char, 16> uid_prefix_{};  // the prefix as it is written: 16 lowercase hex digits
  pid_t uid_pid_ = 0;
  std::uint64_t uid_counter_ = 0;
};

}  // namespace craton::token
