#include "token/library.h"

#include <algorithm>
#include <cstring>
#include <mutex>

#include "audit/audit.h"
#include "common/log.h"
#include "crypto/ossl/random.h"
#include "selftest/error_state.h"
#include "mech/registry.h"
#include "selftest/error_state.h"

namespace craton::token {
namespace {

constexpr char kManufacturer[] = "Craton HSM Project";
constexpr char kModel[] = "Craton HSM";

template <std::size_t N>
void blank_fill(CK_UTF8CHAR (&dst)[N], std::string_view s) {
  std::memset(dst, ' ', N);
  std::memcpy(dst, s.data(), std::min(N, s.size()));
}

TokenPolicy policy_from(const config::Config& c) {
  TokenPolicy p;
  p.kdf_iterations = static_cast<std::uint32_t>(c.pin_kdf_iterations);
  p.max_failures = static_cast<std::uint32_t>(c.pin_max_failures);
  p.min_pin = c.pin_min_length;
  p.max_pin = c.pin_max_length;
  p.approved_only = c.fips_approved_only;
  return p;
}

CK_VERSION module_version() {
  return CK_VERSION{static_cast<CK_BYTE>(CRATON_VERSION_MAJOR), static_cast<CK_BYTE>(CRATON_VERSION_MINOR)};
}

}  // namespace

Library::Library(PassKey, config::Config cfg) : cfg_(std::move(cfg)), policy_(policy_from(cfg_)) {}

Library::~Library() {
  {
    std::unique_lock lock(mu_);
    sessions_.for_each([](const std::shared_ptr<Session>& s) { s->token()->forget_login(); });
    (void)sessions_.clear();
  }
  if (audit_ && audit_->inherited_by_fork()) {
    audit_->close();              // drops the stream without touching the parent's locks
    (void)audit_.release();       // deliberately leaked: see Writer::inherited_by_fork()
  } else if (audit_) {
    audit(audit::named("C_Finalize"));
    audit_->close();
  }
}

void Library::audit(audit::Event ev) const {
  if (audit_) audit_->append(std::move(ev));
}

void Library::audit_copy(const audit::Event& ev) const {
  if (audit_) audit_->append_copy(ev);
}

void Library::audit_operation(const audit::Event& ev, Session& s) const {
  if (audit_) audit_->queue_operation(ev, s.audit_burst);
}

audit::Event Library::session_event(std::string_view name, const Session& s) {
  audit::Event ev;
  fill_session_event(ev, name, s);
  return ev;
}

audit::User Library::session_user(const Session& s) {
  switch (s.token()->login_state()) {
    case LoginState::kPublic: return audit::User::kPublic;
    case LoginState::kUser: return audit::User::kUser;
    case LoginState::kSo: return audit::User::kSo;
  }
  return audit::User::kNone;
}

void Library::fill_session_event(audit::Event& ev, std::string_view name, const Session& s) {
  ev.name = name;
  ev.slot = s.slot();
  ev.session = s.handle();
  ev.user = session_user(s);
}

Result<std::unique_ptr<Library>> Library::create(config::Config cfg) {
  storage::BackendOptions opts;
  opts.directory = cfg.tokendir;
  opts.umask = static_cast<unsigned>(cfg.umask);
  opts.synchronous_full = cfg.sync == config::SyncMode::Full;
  const char* kind = cfg.backend == config::Backend::Memory ? "memory" : "sqlite";
  auto lib = std::make_unique<Library>(PassKey{}, std::move(cfg));
  CRATON_ASSIGN_OR_RETURN(lib->backend_, storage::make_backend(kind, opts));
  auto audit_log = audit::open_log(lib->cfg_);
  if (audit_log.ok()) {
    lib->audit_ = std::move(*audit_log);
  } else if (selftest::in_error_state()) {
    // A failed self-test (e.g. of the DRBG the audit key needs) leaves the module in the error
    // state, where no cryptographic service runs; it still starts so the state can be reported.
    log::error("audit", "audit log unavailable in the self-test error state: ", std::string_view(audit_log.error().reason));
  } else {
    log::error("audit", "cannot open the audit log: ", std::string_view(audit_log.error().reason));
    return audit_log.error();
  }
  {
    std::unique_lock lock(lib->mu_);
    CRATON_TRY(lib->rescan_locked());
  }
  lib->audit(audit::named("C_Initialize"));
  return lib;
}

Status Library::rescan_locked() {
  CRATON_ASSIGN_OR_RETURN(std::vector<std::string> names, backend_->list_tokens());
  std::sort(names.begin(), names.end());
  std::map<std::string, std::shared_ptr<Token>> known;
  for (const auto& [slot, t] : tokens_) known[t->name()] = t;
  std::map<CK_SLOT_ID, std::shared_ptr<Token>> next;
  for (const auto& name : names) {
    std::shared_ptr<Token> t;
    if (auto it = known.find(name); it != known.end()) {
      t = it->second;
    } else {
      auto store = backend_->open_token(name);
      if (!store.ok()) { log::warning("library", "cannot open token ", name); continue; }
      auto opened = Token::open(std::move(store).value(), name, policy_);
      if (!opened.ok()) { log::warning("library", "token metadata unreadable, skipped: ", name); continue; }
      t = std::move(opened).value();
    }
    if (next.count(t->slot_id()) != 0) {
      log::error("library", "two tokens claim slot ", t->slot_id(), "; ignoring ", name);
      continue;
    }
    next.emplace(t->slot_id(), t);
  }
  // Tokens deleted underneath us disappear from the list; open sessions keep their token object.
  tokens_ = std::move(next);
  return {};
}

std::shared_ptr<Token> Library::token_locked(CK_SLOT_ID slot) const {
  auto it = tokens_.find(slot);
  return it == tokens_.end() ? nullptr : it->second;
}

CK_SLOT_ID Library::free_slot_locked() const { return tokens_.empty() ? 0 : tokens_.rbegin()->first + 1; }

Result<std::vector<CK_SLOT_ID>> Library::slot_list() {
  std::unique_lock lock(mu_);
  CRATON_TRY(rescan_locked());
  std::vector<CK_SLOT_ID> out;
  for (const auto& [slot, t] : tokens_) out.push_back(slot);
  out.push_back(free_slot_locked());
  return out;
}

Status Library::check_slot(CK_SLOT_ID slot) {
  std::unique_lock lock(mu_);
  if (token_locked(slot) || slot == free_slot_locked()) return {};
  CRATON_TRY(rescan_locked());
  if (token_locked(slot) || slot == free_slot_locked()) return {};
  return fail(CKR_SLOT_ID_INVALID, "no such slot");
}

Result<CK_SLOT_INFO> Library::slot_info(CK_SLOT_ID slot) {
  CRATON_TRY(check_slot(slot));
  CK_SLOT_INFO info{};
  blank_fill(info.slotDescription, "Craton HSM slot " + std::to_string(slot));
  blank_fill(info.manufacturerID, kManufacturer);
  info.flags = CKF_TOKEN_PRESENT | (cfg_.slots_removable ? CKF_REMOVABLE_DEVICE : 0);
  info.hardwareVersion = module_version();
  info.firmwareVersion = module_version();
  return info;
}

Result<CK_TOKEN_INFO> Library::token_info(CK_SLOT_ID slot) {
  CRATON_TRY(check_slot(slot));
  std::shared_ptr<Token> t;
  CK_ULONG sessions = 0, rw_sessions = 0;
  {
    std::unique_lock lock(mu_);
    t = token_locked(slot);
    sessions_.for_each([&](const std::shared_ptr<Session>& s) {
      if (s->slot() != slot) return;
      ++sessions;
      if (s->rw()) ++rw_sessions;
    });
  }
  CK_TOKEN_INFO info{};
  blank_fill(info.manufacturerID, kManufacturer);
  blank_fill(info.model, kModel);
  info.ulMaxSessionCount = CK_EFFECTIVELY_INFINITE;
  info.ulMaxRwSessionCount = CK_EFFECTIVELY_INFINITE;
  info.ulSessionCount = sessions;
  info.ulRwSessionCount = rw_sessions;
  info.ulMaxPinLen = policy_.max_pin;
  info.ulMinPinLen = policy_.min_pin;
  info.ulTotalPublicMemory = info.ulFreePublicMemory = CK_UNAVAILABLE_INFORMATION;
  info.ulTotalPrivateMemory = info.ulFreePrivateMemory = CK_UNAVAILABLE_INFORMATION;
  info.hardwareVersion = module_version();
  info.firmwareVersion = module_version();
  blank_fill(info.utcTime, "");
  info.flags = CKF_RNG | CKF_LOGIN_REQUIRED;
  if (selftest::in_error_state()) info.flags |= CKF_ERROR_STATE;  // a self-test failed (FIPS 140-3)
  if (!t) {
    blank_fill(info.label, "");
    blank_fill(info.serialNumber, "");
    return info;
  }
  blank_fill(info.label, t->label());
  blank_fill(info.serialNumber, t->serial());
  info.flags |= CKF_TOKEN_INITIALIZED | CKF_RESTORE_KEY_NOT_NEEDED;
  CRATON_ASSIGN_OR_RETURN(PinStatus pins, t->pin_status());
  if (pins.user_pin_initialized) info.flags |= CKF_USER_PIN_INITIALIZED;
  const std::uint32_t max = policy_.max_failures;
  auto pin_flags = [max](std::uint32_t failures, CK_FLAGS low, CK_FLAGS final_try, CK_FLAGS locked) -> CK_FLAGS {
    if (failures == 0) return 0;
    if (max != 0 && failures >= max) return locked;
    if (max != 0 && failures + 1 == max) return low | final_try;
    return low;
  };
  info.flags |= pin_flags(pins.user_failures, CKF_USER_PIN_COUNT_LOW, CKF_USER_PIN_FINAL_TRY, CKF_USER_PIN_LOCKED);
  info.flags |= pin_flags(pins.so_failures, CKF_SO_PIN_COUNT_LOW, CKF_SO_PIN_FINAL_TRY, CKF_SO_PIN_LOCKED);
  return info;
}

Status Library::create_token_locked(CK_SLOT_ID slot, const SecureBytes& so_pin, std::span<const std::uint8_t> label32) {
  CRATON_ASSIGN_OR_RETURN(std::string name, crypto::random_hex(8, crypto::HexCase::kUpper));
  CRATON_ASSIGN_OR_RETURN(auto store, backend_->create_token(name));
  auto created = Token::create(std::move(store), name, slot, so_pin, label32, policy_);
  if (!created.ok()) {
    (void)backend_->delete_token(name);  // leave no half-made token behind
    return created.error();
  }
  tokens_.emplace(slot, std::move(created).value());
  log::info("library", "token created in slot ", slot);
  return {};
}

Status Library::init_token(CK_SLOT_ID slot, const SecureBytes& so_pin, std::span<const std::uint8_t> label32) {
  Status st = init_token_unaudited(slot, so_pin, label32);
  audit::Event ev = audit::named("C_InitToken");
  ev.slot = slot;
  ev.user = audit::User::kSo;
  ev.result = st.rv();
  audit(std::move(ev));
  return st;
}

Status Library::init_token_unaudited(CK_SLOT_ID slot, const SecureBytes& so_pin, std::span<const std::uint8_t> label32) {
  if (so_pin.size() < policy_.min_pin || so_pin.size() > policy_.max_pin) return fail(CKR_PIN_LEN_RANGE, "SO PIN length out of range");
  std::shared_ptr<Token> existing;
  {
    std::unique_lock lock(mu_);
    bool made = false;
    CRATON_TRY(backend_->with_backend_lock([&]() -> Status {
      CRATON_TRY(rescan_locked());
      existing = token_locked(slot);
      if (existing) return {};
      if (slot != free_slot_locked()) return fail(CKR_SLOT_ID_INVALID, "no such slot");
      made = true;
      return create_token_locked(slot, so_pin, label32);
    }));
    if (made) return {};
    if (has_sessions_locked(*existing, false)) return fail(CKR_SESSION_EXISTS, "sessions are open on the token");
  }
  return existing->reinitialize(so_pin, label32);
}

}  // namespace craton::token
