// Token: object services (create, copy, destroy, attributes, search) and cache maintenance.
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstring>
#include <mutex>

#include "common/log.h"
#include "common/process.h"
#include "crypto/ossl/random.h"
#include "object/attribute_rules.h"
#include "object/object.h"
#include "object/parsed_cache.h"
#include "storage/object_codec.h"
#include "token/token.h"

namespace craton::token {
namespace {

bool secret_predicate(const object::AttributeSet& all, CK_ATTRIBUTE_TYPE t) {
  return object::is_secret_attribute(all, t);
}

}  // namespace

// A record whose uid is the one we just wrote and whose bytes are the ones we encoded holds
// exactly `own->attrs`: it is taken as verified without decoding. Any other record is only split
// and listed under the posting keys of its public section; it is verified on first use.
void Token::apply_row_locked(std::string_view uid, std::span<const std::uint8_t> blob, OwnWrite* own) {
  auto layout = storage::peek_record(blob);
  if (!layout.ok()) {
    reject_locked(std::string(uid));  // malformed beyond doubt: reported now, as before
    return;
  }
  CachedObject o;
  o.uid.assign(uid);
  o.blob.assign(blob.begin(), blob.end());
  o.is_token = true;
  o.has_sealed = layout->has_sealed;
  if (own != nullptr && uid == own->uid && std::equal(blob.begin(), blob.end(), own->blob.begin(), own->blob.end())) {
    o.is_private = own->attrs.get_bool_or(CKA_PRIVATE, false);
    o.complete = true;  // sealing needs the master key, and we held it (or there is nothing sealed)
    o.attrs = object::make_snapshot(std::move(own->attrs));
    cache_.put(std::move(o));
    return;
  }
  o.is_private = layout->is_private;  // claimed, not verified: decides only what to verify when
  // A private record's public section holds nothing but CKA_PRIVATE: no keys until it is opened.
  PostingKeys keys;
  if (!o.is_private) {
    auto listed = ObjectCache::keys_of_encoded(layout->public_section);
    if (!listed) {
      reject_locked(o.uid.str());
      return;
    }
    keys = *listed;
  }
  if (o.is_private) private_pending_ = true;
  cache_.put(std::move(o), keys);
}

Status Token::refresh_locked(OwnWrite* own) {
  CRATON_ASSIGN_OR_RETURN(bool changed, store_->changed_since(applied_gen_));
  if (!changed && applied_gen_ != 0) return {};
  CRATON_ASSIGN_OR_RETURN(
      const std::uint64_t gen,
      store_->visit_changes_since(
          applied_gen_,
          [&](std::string_view uid, std::span<const std::uint8_t> blob) { apply_row_locked(uid, blob, own); },
          [&](std::string_view uid) { cache_.erase_uid(uid); }));
  applied_gen_ = std::max(applied_gen_, gen);
  return {};
}

bool Token::needs_load_locked(const CachedObject& o) const noexcept {
  return o.is_token && (!o.verified() || (!o.complete && master_key_.has_value()));
}

bool Token::load_locked(CachedObject& o) {
  const SecureBytes* key = master_key_ ? &*master_key_ : nullptr;
  if (!o.verified()) {
    auto decoded = storage::decode_object(o.blob, integrity_key_, key);
    // A valid record filed under another object's uid (a swapped row) is no less a forgery.
    if (!decoded.ok() || decoded->uid != o.uid) return false;
    object::AttributeSet attrs = std::move(decoded->public_attrs);
    if (decoded->secrets) {
      for (const auto& [t, a] : *decoded->secrets) attrs.set(a.clone());
    }
    o.is_private = decoded->is_private;
    o.has_sealed = decoded->has_sealed;
    o.complete = !decoded->has_sealed || decoded->secrets.has_value();
    o.attrs = object::make_snapshot(std::move(attrs));
  } else if (!o.complete && key != nullptr) {
    // Verified before login: the MAC of this very blob was checked then; open the sealed part.
    auto secrets = storage::open_sealed(o.blob, *key);
    if (!secrets.ok()) return false;
    object::AttributeSet attrs = o.attrs->clone();
    for (const auto& [t, a] : *secrets) attrs.set(a.clone());
    o.complete = true;
    o.attrs = object::make_snapshot(std::move(attrs));
  } else {
    return true;
  }
  cache_.reindex(o, ObjectCache::keys_of(*o.attrs));
  cache_.give_handle(o);
  return true;
}

void Token::reject_locked(const std::string& uid) {
  // A record that fails its integrity check is reported and never trusted.
  log::error("token", "object record failed its integrity check and is ignored: ", uid);
  cache_.erase_uid(uid);
}

void Token::open_private_locked() {
  if (!private_pending_ || !master_key_) return;
  std::vector<CachedObject*> sealed;
  cache_.for_each([&](CachedObject& o) {
    if (o.is_private && needs_load_locked(o)) sealed.push_back(&o);
  });
  std::vector<std::string> rejected;
  for (CachedObject* o : sealed) {
    if (!load_locked(*o)) rejected.push_back(o->uid.str());
  }
  for (const auto& uid : rejected) reject_locked(uid);
  private_pending_ = false;
}

// After logout: secret content leaves memory, and handles to private objects become invalid
// (spec: they stay invalid even after a later login), so private objects get new handles.
// Token objects go back to their unverified record (verified again on next use): for a private
// one, nothing of its content stays in memory, not even the posting keys of its attributes.
void Token::seal_away_locked() {
  std::vector<CachedObject> rehandled;
  std::vector<CachedObject*> resealed;
  cache_.for_each([&](CachedObject& o) {
    if (o.is_private) {
      CachedObject copy;
      copy.uid = o.uid;
      copy.is_token = o.is_token;
      copy.is_private = true;
      copy.has_sealed = o.has_sealed;
      copy.owner = o.owner;
      copy.blob = std::move(o.blob);  // o is replaced by copy below
      copy.complete = !o.is_token;
      if (!o.is_token) copy.attrs = o.attrs;  // session objects live in memory only
      rehandled.push_back(std::move(copy));
    } else if (o.is_token && o.has_sealed && o.complete) {
      resealed.push_back(&o);
    }
  });
  for (CachedObject* o : resealed) {
    // Back to the keys of the public section (the verified record parses, so both succeed).
    auto layout = storage::peek_record(o->blob);
    auto keys = layout.ok() ? ObjectCache::keys_of_encoded(layout->public_section) : std::nullopt;
    o->attrs.reset();
    o->complete = false;
    cache_.reindex(*o, keys.value_or(PostingKeys{}));
  }
  for (auto& o : rehandled) {
    cache_.erase_uid(o.uid);
    if (o.is_token) private_pending_ = true;
    cache_.put(std::move(o));  // new handle; a token object's keys come back when it is opened
  }
}

Result<CachedObject*> Token::visible_locked(const Caller& c, CK_OBJECT_HANDLE h) {
  (void)c;
  CachedObject* o = cache_.by_handle(h);
  if (o == nullptr) return fail(CKR_OBJECT_HANDLE_INVALID, "no such object");
  if (needs_load_locked(*o) && !load_locked(*o)) {
    reject_locked(std::string(o->uid));
    return fail(CKR_OBJECT_HANDLE_INVALID, "no such object");
  }
  if (o->is_private && login_ != LoginState::kUser) return fail(CKR_OBJECT_HANDLE_INVALID, "private object needs a user login");
  return o;
}

Status Token::check_write_access(const Caller& c, bool is_token, bool is_private) const {
  if (is_token && !c.rw) return fail(CKR_SESSION_READ_ONLY, "token objects need a R/W session");
  if (is_private && login_ != LoginState::kUser) return fail(CKR_USER_NOT_LOGGED_IN, "private objects need a user login");
  return {};
}

// Writes the record and brings the cache up to date, which lists the object as verified: we know
// what we wrote. (Should another process have rewritten it in between, its record is verified on
// first use like any other.)
Status Token::persist_locked(const std::string& uid, object::AttributeSet attrs) {
  CRATON_ASSIGN_OR_RETURN(auto blob, storage::encode_object(uid, attrs, secret_predicate, integrity_key_,
                                                            master_key_ ? &*master_key_ : nullptr));
  CRATON_TRY(store_->write([&](storage::Transaction& tx) { return tx.put_object(uid, blob); }));
  OwnWrite own{uid, blob, attrs};
  return refresh_locked(&own);
}

// CKA_UNIQUE_ID must never repeat within a token, also across processes sharing it, but need not be
// unpredictable. A DRBG call per object cost more than the rest of building a session key (it
// showed up as a quarter of the C_EncapsulateKey overhead), so each process draws one random
// 64-bit prefix and counts: 32 lowercase hex digits, prefix then counter. Two processes collide
// only if they draw the same prefix (2^-64). A child created by fork() inherits the parent's
// prefix and counter, so the prefix is re-drawn whenever the process id changes.
Result<UniqueIdText> Token::next_uid_locked() {
  static constexpr char kHex[] = "0123456789abcdef";
  const auto hex16 = [](std::uint64_t v, char* out) {
    for (std::size_t i = 0; i < 16; ++i) out[i] = kHex[(v >> (60 - 4 * i)) & 0xF];
  };
  const pid_t pid = current_pid();
  if (uid_pid_ != pid) {
    std::array<std::uint8_t, 8> r{};
    CRATON_TRY(crypto::random_bytes(r));
    std::uint64_t prefix = 0;
    std::memcpy(&prefix, r.data(), r.size());
    hex16(prefix, uid_prefix_.data());  // written once per process, not per object
    uid_pid_ = pid;
    uid_counter_ = 0;
  }
  std::array<char, 32> uid{};
  std::memcpy(uid.data(), uid_prefix_.data(), uid_prefix_.size());
  hex16(uid_counter_++, uid.data() + 16);
  return UniqueIdText(std::string_view(uid.data(), uid.size()));
}

Result<NewObject> Token::store_new_locked(const Caller& c, object::AttributeSet attrs) {
  CachedObject o;
  const auto [token, priv] = attrs.find_each<CKA_TOKEN, CKA_PRIVATE>();  // both sort first: one short pass
  o.is_token = object::AttributeSet::bool_of(token).value_or(false);
  o.is_private = object::AttributeSet::bool_of(priv).value_or(false);
  CRATON_TRY(check_write_access(c, o.is_token, o.is_private));
  CRATON_ASSIGN_OR_RETURN(UniqueIdText uid, next_uid_locked());
  attrs.set_string(CKA_UNIQUE_ID, uid);  // a built object's empty slot takes it in place
  o.complete = true;
  if (o.is_token) {
    CRATON_TRY(persist_locked(uid.str(), std::move(attrs)));
    CachedObject* stored = cache_.by_uid(uid);
    if (stored == nullptr) return fail(CKR_DEVICE_ERROR, "stored object not found again");
    // Normally listed as verified already (persist_locked); if another process rewrote it in the
    // meantime, its record is checked like any other before we hand out a handle.
    if (needs_load_locked(*stored) && !load_locked(*stored)) {
      reject_locked(uid.str());
      return fail(CKR_DEVICE_ERROR, "stored object failed its integrity check");
    }
    return NewObject{stored->handle, std::move(uid)};
  }
  o.uid = uid;
  o.owner = c.session;
  o.attrs = object::make_snapshot(std::move(attrs));
  const CK_OBJECT_HANDLE h = cache_.put_unlisted(std::move(o));  // listed for C_FindObjects by the next search
  return NewObject{h, std::move(uid)};
}

Result<CK_OBJECT_HANDLE> Token::create_object(const Caller& c, const object::AttributeSet& tmpl) {
  std::unique_lock lock(mu_);
  CRATON_ASSIGN_OR_RETURN(object::AttributeSet attrs, object::build_created(tmpl, {login_ == LoginState::kSo}));
  CRATON_ASSIGN_OR_RETURN(NewObject made, store_new_locked(c, std::move(attrs)));
  return made.handle;
}

Result<NewObject> Token::insert_object(const Caller& c, object::AttributeSet attrs) {
  std::unique_lock lock(mu_);
  return store_new_locked(c, std::move(attrs));
}

Result<CK_OBJECT_HANDLE> Token::copy_object(const Caller& c, CK_OBJECT_HANDLE h, const object::AttributeSet& tmpl) {
  std::unique_lock lock(mu_);
  CRATON_TRY(refresh_locked());  // never write back an object another process changed or deleted
  CRATON_ASSIGN_OR_RETURN(CachedObject* src, visible_locked(c, h));
  if (!src->complete) return fail(CKR_USER_NOT_LOGGED_IN, "object content is sealed until login");
  const AttrSnapshot source = src->attrs;
  CRATON_ASSIGN_OR_RETURN(object::AttributeSet attrs, object::build_copy(*source, tmpl, {login_ == LoginState::kSo}));
  CRATON_ASSIGN_OR_RETURN(NewObject made, store_new_locked(c, std::move(attrs)));
  return made.handle;
}

// Never write back or drop an object another process changed or deleted: token objects are
// checked against the store first. Session objects exist only in this process's cache.
Status Token::refresh_unless_session_object_locked(CK_OBJECT_HANDLE h) {
  const CachedObject* o = cache_.by_handle(h);
  if (o != nullptr && !o->is_token) return {};
  return refresh_locked();
}

Status Token::destroy_object(const Caller& c, CK_OBJECT_HANDLE h) {
  std::unique_lock lock(mu_);
  CRATON_TRY(refresh_unless_session_object_locked(h));
  CRATON_ASSIGN_OR_RETURN(CachedObject* o, visible_locked(c, h));
  if (!o->attrs->get_bool_or(CKA_DESTROYABLE, true)) return fail(CKR_ACTION_PROHIBITED, "object is not destroyable");
  if (o->is_token && !c.rw) return fail(CKR_SESSION_READ_ONLY, "token objects need a R/W session");
  const UniqueIdText uid = o->uid;  // a copy: erase_uid() frees the object
  if (o->is_token) CRATON_TRY(store_->write([&](storage::Transaction& tx) { return tx.delete_object(uid.str()); }));
  cache_.erase_uid(uid);
  return {};
}

Result<AttrSnapshot> Token::attributes(const Caller& c, CK_OBJECT_HANDLE h) {
  CRATON_ASSIGN_OR_RETURN(auto v, view(c, h));
  return std::move(v.first);
}

UniqueIdText Token::unique_id(const Caller&, CK_OBJECT_HANDLE h) const {
  TokenMutex::SharedLock lock(mu_);
  const CachedObject* o = cache_.by_handle(h);
  if (o == nullptr || (o->is_private && login_ != LoginState::kUser)) return {};
  return o->uid;
}

Result<std::pair<AttrSnapshot, bool>> Token::view(const Caller& c, CK_OBJECT_HANDLE h) {
  {
    TokenMutex::SharedLock lock(mu_);
    const CachedObject* o = cache_.by_handle(h);
    if (o == nullptr) return fail(CKR_OBJECT_HANDLE_INVALID, "no such object");
    if (!needs_load_locked(*o)) {
      if (o->is_private && login_ != LoginState::kUser) return fail(CKR_OBJECT_HANDLE_INVALID, "private object needs a user login");
      return std::make_pair(o->attrs, !o->complete);
    }
  }
  // First use of this object (or of its sealed part): verified under the exclusive lock, so
  // concurrent first uses load it once and all get the same snapshot. visible_locked looks the
  // handle up again: the object may have changed or gone while no lock was held.
  std::unique_lock lock(mu_);
  CRATON_ASSIGN_OR_RETURN(CachedObject* o, visible_locked(c, h));
  return std::make_pair(o->attrs, !o->complete);
}

Status Token::set_attributes(const Caller& c, CK_OBJECT_HANDLE h, const object::AttributeSet& changes) {
  std::unique_lock lock(mu_);
  CRATON_TRY(refresh_unless_session_object_locked(h));
  CRATON_ASSIGN_OR_RETURN(CachedObject* o, visible_locked(c, h));
  if (o->is_token && !c.rw) return fail(CKR_SESSION_READ_ONLY, "token objects need a R/W session");
  if (!o->complete) return fail(CKR_USER_NOT_LOGGED_IN, "object content is sealed until login");
  CRATON_ASSIGN_OR_RETURN(object::AttributeSet next, object::apply_changes(*o->attrs, changes, {login_ == LoginState::kSo}));
  if (o->is_token) return persist_locked(std::string(o->uid), std::move(next));
  o->attrs = object::make_snapshot(std::move(next));
  cache_.reindex(*o, ObjectCache::keys_of(*o->attrs));
  return {};
}

Result<std::vector<CK_OBJECT_HANDLE>> Token::find(const Caller& c, const object::AttributeSet& tmpl) {
  std::unique_lock lock(mu_);
  CRATON_TRY(refresh_locked());
  if (login_ == LoginState::kUser) open_private_locked();
  std::vector<CK_OBJECT_HANDLE> out;
  std::vector<std::string> rejected;
  // Candidates come from posting keys, which for objects not yet verified were read from their
  // unverified records: that only narrows the search (a record whose keys were altered fails its
  // check anyway). Every candidate is verified before it is matched.
  for (CachedObject* o : cache_.candidates(tmpl)) {
    if (needs_load_locked(*o) && !load_locked(*o)) {
      rejected.push_back(o->uid.str());
      continue;
    }
    if (o->is_private && login_ != LoginState::kUser) continue;
    if (object::matches(*o->attrs, tmpl)) out.push_back(o->handle);
  }
  for (const auto& uid : rejected) reject_locked(uid);
  (void)c;
  std::sort(out.begin(), out.end());
  return out;
}

void Token::drop_session_objects(CK_SESSION_HANDLE session) {
  {
    // Most sessions own no objects: their close takes one shard of the token lock, not all.
    TokenMutex::SharedLock lock(mu_);
    if (!cache_.has_session_objects(session)) return;
  }
  std::unique_lock lock(mu_);
  std::vector<std::string> doomed;
  cache_.for_each([&](CachedObject& o) {
    if (!o.is_token && o.owner == session) doomed.push_back(o.uid.str());
  });
  for (const auto& uid : doomed) cache_.erase_uid(uid);
}

}  // namespace craton::token
