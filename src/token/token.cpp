#include "token/token.h"

#include <mutex>

#include "common/log.h"
#include "crypto/ossl/random.h"
#include "token/pin_vault.h"
#include "token/token_meta.h"

namespace craton::token {

using storage::Transaction;

Token::Token(PassKey, std::unique_ptr<storage::TokenStore> store, std::string name, const TokenPolicy& policy)
    : store_(std::move(store)), name_(std::move(name)), policy_(policy) {}

Result<std::shared_ptr<Token>> Token::create(std::unique_ptr<storage::TokenStore> store, std::string name,
                                             CK_SLOT_ID slot, const SecureBytes& so_pin,
                                             std::span<const std::uint8_t> label32, const TokenPolicy& policy) {
  CRATON_ASSIGN_OR_RETURN(SecureBytes tmk, crypto::random_secret(32));
  CRATON_ASSIGN_OR_RETURN(auto so_blob, wrap_master_key(tmk, so_pin, PinRole::kSo, policy.kdf_iterations));
  storage::Bytes ikey(32);
  CRATON_TRY(crypto::random_bytes(ikey));
  CRATON_TRY(store->write([&](Transaction& tx) -> Status {
    CRATON_TRY(tx.put_meta(meta::kFormat, meta::u64(meta::kFormatVersion)));
    CRATON_TRY(tx.put_meta(meta::kSlotId, meta::u64(slot)));
    CRATON_TRY(tx.put_meta(meta::kLabel, label32));
    CRATON_TRY(tx.put_meta(meta::kSerial, meta::bytes(name)));
    CRATON_TRY(tx.put_meta(meta::kSoPin, so_blob));
    CRATON_TRY(tx.put_meta(meta::kSoFailures, meta::u64(0)));
    CRATON_TRY(tx.put_meta(meta::kUserFailures, meta::u64(0)));
    return tx.put_meta(meta::kIntegrityKey, ikey);
  }));
  return open(std::move(store), std::move(name), policy);
}

Result<std::shared_ptr<Token>> Token::open(std::unique_ptr<storage::TokenStore> store, std::string name,
                                           const TokenPolicy& policy) {
  auto t = std::make_shared<Token>(PassKey{}, std::move(store), std::move(name), policy);
  CRATON_TRY(t->load_meta());
  return t;
}

Status Token::load_meta() {
  CRATON_ASSIGN_OR_RETURN(auto slot, store_->read_meta(meta::kSlotId));
  CRATON_ASSIGN_OR_RETURN(auto label, store_->read_meta(meta::kLabel));
  CRATON_ASSIGN_OR_RETURN(auto serial, store_->read_meta(meta::kSerial));
  CRATON_ASSIGN_OR_RETURN(auto ikey, store_->read_meta(meta::kIntegrityKey));
  if (!slot || !label || !serial || !ikey || !meta::as_u64(*slot) || label->size() != 32 || ikey->size() != 32) {
    return fail(CKR_DEVICE_ERROR, "token metadata missing or corrupted");
  }
  slot_id_ = *meta::as_u64(*slot);
  label_ = meta::text(*label);
  serial_ = meta::text(*serial);
  integrity_key_ = std::move(*ikey);
  return {};
}

std::string Token::label() const {
  std::shared_lock lock(mu_);
  return label_;
}

std::string Token::serial() const { return serial_; }

LoginState Token::login_state() const { return login_.load(std::memory_order_acquire); }

Result<PinStatus> Token::pin_status() {
  PinStatus st;
  CRATON_ASSIGN_OR_RETURN(auto so, store_->read_meta(meta::kSoFailures));
  CRATON_ASSIGN_OR_RETURN(auto user, store_->read_meta(meta::kUserFailures));
  CRATON_ASSIGN_OR_RETURN(auto user_pin, store_->read_meta(meta::kUserPin));
  st.so_failures = static_cast<std::uint32_t>(so ? meta::as_u64(*so).value_or(0) : 0);
  st.user_failures = static_cast<std::uint32_t>(user ? meta::as_u64(*user).value_or(0) : 0);
  st.user_pin_initialized = user_pin.has_value() && !user_pin->empty();
  return st;
}

Status Token::check_pin_length(const SecureBytes& pin) const {
  if (pin.size() < policy_.min_pin || pin.size() > policy_.max_pin) return fail(CKR_PIN_LEN_RANGE, "PIN length out of range");
  return {};
}

// Counts a failed attempt *before* the PIN is checked, so killing the process during the slow KDF
// cannot be used to try PINs for free. A successful check resets the counter afterwards.
Status Token::count_failure(LoginState who, std::uint32_t* failures_after) {
  const auto key = who == LoginState::kSo ? meta::kSoFailures : meta::kUserFailures;
  return store_->write([&](Transaction& tx) -> Status {
    CRATON_ASSIGN_OR_RETURN(auto cur, tx.get_meta(key));
    const std::uint64_t n = cur ? meta::as_u64(*cur).value_or(0) : 0;
    if (policy_.max_failures != 0 && n >= policy_.max_failures) return fail(CKR_PIN_LOCKED, "PIN locked");
    *failures_after = static_cast<std::uint32_t>(n + 1);
    return tx.put_meta(key, meta::u64(n + 1));
  });
}

namespace {

Result<SecureBytes> check_pin_blob(storage::TokenStore& store, LoginState who, const SecureBytes& pin) {
  const auto key = who == LoginState::kSo ? meta::kSoPin : meta::kUserPin;
  CRATON_ASSIGN_OR_RETURN(auto blob, store.read_meta(key));
  if (!blob || blob->empty()) {
    if (who == LoginState::kUser) return fail(CKR_USER_PIN_NOT_INITIALIZED, "user PIN not initialised");
    return fail(CKR_DEVICE_ERROR, "SO PIN record missing");
  }
  return unwrap_master_key(*blob, pin, who == LoginState::kSo ? PinRole::kSo : PinRole::kUser);
}

}  // namespace

// Verifies a PIN with lockout accounting and returns the master key it unwraps.
static Result<SecureBytes> verify_pin(Token& t, storage::TokenStore& store, LoginState who, const SecureBytes& pin,
                                      const std::function<Status(LoginState, std::uint32_t*)>& count) {
  if (who == LoginState::kUser) {
    CRATON_ASSIGN_OR_RETURN(auto present, store.read_meta(meta::kUserPin));
    if (!present || present->empty()) return fail(CKR_USER_PIN_NOT_INITIALIZED, "user PIN not initialised");
  }
  std::uint32_t failures = 0;
  CRATON_TRY(count(who, &failures));
  auto key = pin.size() < t.policy().min_pin || pin.size() > t.policy().max_pin
                 ? Result<SecureBytes>(fail(CKR_PIN_INCORRECT, "wrong PIN"))
                 : check_pin_blob(store, who, pin);
  if (!key.ok()) {
    if (key.rv() == CKR_PIN_INCORRECT) log::warning("token", "PIN verification failed, failures now ", failures);
    return key.error();
  }
  CRATON_TRY(store.write([&](Transaction& tx) {
    return tx.put_meta(who == LoginState::kSo ? meta::kSoFailures : meta::kUserFailures, meta::u64(0));
  }));
  return std::move(key).value();
}

Status Token::login(LoginState who, const SecureBytes& pin, bool ro_sessions_open) {
  {
    std::shared_lock lock(mu_);
    if (login_ == who) return fail(CKR_USER_ALREADY_LOGGED_IN, "already logged in");
    if (login_ != LoginState::kPublic) return fail(CKR_USER_ANOTHER_ALREADY_LOGGED_IN, "another user is logged in");
  }
  if (who == LoginState::kSo && ro_sessions_open) return fail(CKR_SESSION_READ_ONLY_EXISTS, "R/O session open");
  // The slow KDF runs without the token lock so other sessions keep working meanwhile.
  CRATON_ASSIGN_OR_RETURN(SecureBytes tmk, verify_pin(*this, *store_, who, pin,
                                                      [this](LoginState w, std::uint32_t* f) { return count_failure(w, f); }));
  std::unique_lock lock(mu_);
  if (login_ == who) return fail(CKR_USER_ALREADY_LOGGED_IN, "already logged in");
  if (login_ != LoginState::kPublic) return fail(CKR_USER_ANOTHER_ALREADY_LOGGED_IN, "another user is logged in");
  login_ = who;
  master_key_ = std::move(tmk);
  // Nothing is opened here: sealed content is opened on first use, private objects before the
  // next search (see open_private_locked), so a login costs the same with 10 or 100,000 objects.
  return {};
}

Status Token::verify_context_pin(const SecureBytes& pin) {
  if (login_state() != LoginState::kUser) return fail(CKR_USER_NOT_LOGGED_IN, "context login needs a user login");
  auto r = verify_pin(*this, *store_, LoginState::kUser, pin,
                      [this](LoginState w, std::uint32_t* f) { return count_failure(w, f); });
  return r.ok() ? Status{} : Status{r.error()};
}

Status Token::logout() {
  std::unique_lock lock(mu_);
  if (login_ == LoginState::kPublic) return fail(CKR_USER_NOT_LOGGED_IN, "not logged in");
  login_ = LoginState::kPublic;
  master_key_.reset();
  seal_away_locked();
  return {};
}

void Token::forget_login() {
  // Nobody logged in (the usual case when a last session closes): no need to lock every shard.
  // login_ only changes under the exclusive lock; a login that lands after this check was made
  // on a session the caller did not close, and stays, as it would had it come after the call.
  if (login_.load(std::memory_order_acquire) == LoginState::kPublic) return;
  std::unique_lock lock(mu_);
  if (login_ == LoginState::kPublic) return;
  login_ = LoginState::kPublic;
  master_key_.reset();
  seal_away_locked();
}

Status Token::reinitialize(const SecureBytes& so_pin, std::span<const std::uint8_t> label32) {
  CRATON_ASSIGN_OR_RETURN(SecureBytes old_tmk, verify_pin(*this, *store_, LoginState::kSo, so_pin,
                                                          [this](LoginState w, std::uint32_t* f) { return count_failure(w, f); }));
  CRATON_ASSIGN_OR_RETURN(SecureBytes tmk, crypto::random_secret(32));
  CRATON_ASSIGN_OR_RETURN(auto so_blob, wrap_master_key(tmk, so_pin, PinRole::kSo, policy_.kdf_iterations));
  std::unique_lock lock(mu_);
  CRATON_TRY(store_->write([&](Transaction& tx) -> Status {
    CRATON_TRY(tx.delete_all_objects());
    CRATON_TRY(tx.put_meta(meta::kSoPin, so_blob));
    CRATON_TRY(tx.put_meta(meta::kUserPin, {}));
    CRATON_TRY(tx.put_meta(meta::kUserFailures, meta::u64(0)));
    return tx.put_meta(meta::kLabel, label32);
  }));
  // An empty user PIN record means "not initialised".
  label_.assign(label32.begin(), label32.end());
  login_ = LoginState::kPublic;
  master_key_.reset();
  cache_ = ObjectCache();
  applied_gen_ = 0;
  private_pending_ = false;
  return refresh_locked();
}

Status Token::init_user_pin(const SecureBytes& pin) {
  CRATON_TRY(check_pin_length(pin));
  std::unique_lock lock(mu_);
  if (login_ != LoginState::kSo || !master_key_) return fail(CKR_USER_NOT_LOGGED_IN, "SO login required");
  CRATON_ASSIGN_OR_RETURN(auto blob, wrap_master_key(*master_key_, pin, PinRole::kUser, policy_.kdf_iterations));
  return store_->write([&](Transaction& tx) -> Status {
    CRATON_TRY(tx.put_meta(meta::kUserPin, blob));
    return tx.put_meta(meta::kUserFailures, meta::u64(0));
  });
}

Status Token::set_pin(const SecureBytes& old_pin, const SecureBytes& new_pin) {
  const LoginState who = login_state() == LoginState::kSo ? LoginState::kSo : LoginState::kUser;
  CRATON_ASSIGN_OR_RETURN(SecureBytes tmk, verify_pin(*this, *store_, who, old_pin,
                                                      [this](LoginState w, std::uint32_t* f) { return count_failure(w, f); }));
  CRATON_TRY(check_pin_length(new_pin));
  const PinRole role = who == LoginState::kSo ? PinRole::kSo : PinRole::kUser;
  CRATON_ASSIGN_OR_RETURN(auto blob, wrap_master_key(tmk, new_pin, role, policy_.kdf_iterations));
  return store_->write([&](Transaction& tx) {
    return tx.put_meta(who == LoginState::kSo ? meta::kSoPin : meta::kUserPin, blob);
  });
}

}  // namespace craton::token
