// Token: object services (create, copy, destroy, attributes, search) and cache maintenance.
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstring>
#include <mutex>

#include "common/log.h"
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

void Token::apply_row_locked(const storage::ObjectRow& row) {
  auto decoded = storage::decode_object(row.blob, integrity_key_, master_key_ ? &*master_key_ : nullptr);
  if (!decoded.ok()) {
    // A record that fails its integrity check is reported and never trusted.
    log::error("token", "object record failed its integrity check and is ignored: ", row.uid);
    cache_.erase_uid(row.uid);
    return;
  }
  CachedObject o;
  o.uid = row.uid;
  o.is_token = true;
  o.is_private = decoded->is_private;
  o.blob = row.blob;
  o.complete = !decoded->has_sealed || decoded->secrets.has_value();
  object::AttributeSet attrs = std::move(decoded->public_attrs);
  if (decoded->secrets) {
    for (const auto& [t, a] : *decoded->secrets) attrs.set(a.clone());
  }
  o.attrs = object::make_snapshot(std::move(attrs));
  cache_.put(std::move(o));
}

Status Token::refresh_locked() {
  CRATON_ASSIGN_OR_RETURN(bool changed, store_->changed_since(applied_gen_));
  if (!changed && applied_gen_ != 0) return {};
  CRATON_ASSIGN_OR_RETURN(storage::ChangeSet cs, store_->changes_since(applied_gen_));
  for (const auto& uid : cs.deletions) cache_.erase_uid(uid);
  for (const auto& row : cs.upserts) apply_row_locked(row);
  applied_gen_ = std::max(applied_gen_, cs.generation);
  return {};
}

Status Token::open_sealed_locked() {
  if (!master_key_) return {};
  std::vector<storage::ObjectRow> sealed;
  cache_.for_each([&](CachedObject& o) {
    if (o.is_token && !o.complete) sealed.push_back({o.uid, o.blob});
  });
  for (const auto& row : sealed) apply_row_locked(row);
  return {};
}

// After logout: secret content leaves memory, and handles to private objects become invalid
// (spec: they stay invalid even after a later login), so private objects get new handles.
void Token::seal_away_locked() {
  std::vector<CachedObject> resealed;
  cache_.for_each([&](CachedObject& o) {
    if (!o.is_private && (o.complete || !o.is_token)) {
      if (o.is_token && !o.blob.empty()) {
        auto d = storage::decode_object(o.blob, integrity_key_, nullptr);
        if (d.ok() && d->has_sealed) {
          o.attrs = object::make_snapshot(std::move(d->public_attrs));
          o.complete = false;
        }
      }
      return;
    }
    CachedObject copy;
    copy.uid = o.uid;
    copy.is_token = o.is_token;
    copy.is_private = o.is_private;
    copy.owner = o.owner;
    copy.blob = o.blob;
    copy.complete = !o.is_token;
    copy.attrs = o.is_token ? object::make_snapshot(object::AttributeSet{}) : o.attrs;
    resealed.push_back(std::move(copy));
  });
  for (auto& o : resealed) {
    cache_.erase_uid(o.uid);
    if (o.is_token) {
      apply_row_locked({o.uid, o.blob});
    } else {
      cache_.put(std::move(o));
    }
  }
}

Result<const CachedObject*> Token::visible_locked(const Caller& c, CK_OBJECT_HANDLE h) const {
  (void)c;
  const CachedObject* o = cache_.by_handle(h);
  if (o == nullptr) return fail(CKR_OBJECT_HANDLE_INVALID, "no such object");
  if (o->is_private && login_ != LoginState::kUser) return fail(CKR_OBJECT_HANDLE_INVALID, "private object needs a user login");
  return o;
}

Status Token::check_write_access(const Caller& c, const object::AttributeSet& attrs) const {
  const bool is_token = attrs.get_bool_or(CKA_TOKEN, false);
  const bool is_private = attrs.get_bool_or(CKA_PRIVATE, false);
  if (is_token && !c.rw) return fail(CKR_SESSION_READ_ONLY, "token objects need a R/W session");
  if (is_private && login_ != LoginState::kUser) return fail(CKR_USER_NOT_LOGGED_IN, "private objects need a user login");
  return {};
}

Status Token::persist_locked(const std::string& uid, const object::AttributeSet& attrs) {
  CRATON_ASSIGN_OR_RETURN(auto blob, storage::encode_object(uid, attrs, secret_predicate, integrity_key_,
                                                            master_key_ ? &*master_key_ : nullptr));
  return store_->write([&](storage::Transaction& tx) { return tx.put_object(uid, blob); });
}

// CKA_UNIQUE_ID must never repeat within a token, also across processes sharing it, but need not be
// unpredictable. A DRBG call per object cost more than the rest of building a session key (it
// showed up as a quarter of the C_EncapsulateKey overhead), so each process draws one random
// 64-bit prefix and counts: 32 lowercase hex digits, prefix then counter. Two processes collide
// only if they draw the same prefix (2^-64). A child created by fork() inherits the parent's
// prefix and counter, so the prefix is re-drawn whenever the process id changes.
Result<std::string> Token::next_uid_locked() {
  const pid_t pid = ::getpid();
  if (uid_pid_ != pid) {
    std::array<std::uint8_t, 8> r{};
    CRATON_TRY(crypto::random_bytes(r));
    std::memcpy(&uid_prefix_, r.data(), r.size());
    uid_pid_ = pid;
    uid_counter_ = 0;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string uid(32, '0');
  const std::uint64_t parts[2] = {uid_prefix_, uid_counter_++};
  for (std::size_t p = 0; p < 2; ++p) {
    for (std::size_t i = 0; i < 16; ++i) uid[p * 16 + i] = kHex[(parts[p] >> (60 - 4 * i)) & 0xF];
  }
  return uid;
}

Result<CK_OBJECT_HANDLE> Token::store_new_locked(const Caller& c, object::AttributeSet attrs) {
  CRATON_TRY(check_write_access(c, attrs));
  CRATON_ASSIGN_OR_RETURN(std::string uid, next_uid_locked());
  attrs.set(object::Attribute::make_string(CKA_UNIQUE_ID, uid));
  CachedObject o;
  o.uid = uid;
  o.is_token = attrs.get_bool_or(CKA_TOKEN, false);
  o.is_private = attrs.get_bool_or(CKA_PRIVATE, false);
  o.complete = true;
  if (o.is_token) {
    CRATON_TRY(persist_locked(uid, attrs));
    CRATON_TRY(refresh_locked());
    const CachedObject* stored = cache_.by_uid(uid);
    if (stored == nullptr) return fail(CKR_DEVICE_ERROR, "stored object not found again");
    return stored->handle;
  }
  o.owner = c.session;
  o.attrs = object::make_snapshot(std::move(attrs));
  return cache_.put(std::move(o));
}

Result<CK_OBJECT_HANDLE> Token::create_object(const Caller& c, const object::AttributeSet& tmpl) {
  std::unique_lock lock(mu_);
  CRATON_ASSIGN_OR_RETURN(object::AttributeSet attrs, object::build_created(tmpl, {login_ == LoginState::kSo}));
  return store_new_locked(c, std::move(attrs));
}

Result<CK_OBJECT_HANDLE> Token::insert_object(const Caller& c, object::AttributeSet attrs) {
  std::unique_lock lock(mu_);
  return store_new_locked(c, std::move(attrs));
}

Result<CK_OBJECT_HANDLE> Token::copy_object(const Caller& c, CK_OBJECT_HANDLE h, const object::AttributeSet& tmpl) {
  std::unique_lock lock(mu_);
  CRATON_TRY(refresh_locked());  // never write back an object another process changed or deleted
  CRATON_ASSIGN_OR_RETURN(const CachedObject* src, visible_locked(c, h));
  if (!src->complete) return fail(CKR_USER_NOT_LOGGED_IN, "object content is sealed until login");
  const AttrSnapshot source = src->attrs;
  CRATON_ASSIGN_OR_RETURN(object::AttributeSet attrs, object::build_copy(*source, tmpl, {login_ == LoginState::kSo}));
  return store_new_locked(c, std::move(attrs));
}

Status Token::destroy_object(const Caller& c, CK_OBJECT_HANDLE h) {
  std::unique_lock lock(mu_);
  CRATON_TRY(refresh_locked());  // never write back an object another process changed or deleted
  CRATON_ASSIGN_OR_RETURN(const CachedObject* o, visible_locked(c, h));
  if (!o->attrs->get_bool_or(CKA_DESTROYABLE, true)) return fail(CKR_ACTION_PROHIBITED, "object is not destroyable");
  if (o->is_token && !c.rw) return fail(CKR_SESSION_READ_ONLY, "token objects need a R/W session");
  const std::string uid = o->uid;
  if (o->is_token) CRATON_TRY(store_->write([&](storage::Transaction& tx) { return tx.delete_object(uid); }));
  cache_.erase_uid(uid);
  return {};
}

Result<AttrSnapshot> Token::attributes(const Caller& c, CK_OBJECT_HANDLE h) {
  std::shared_lock lock(mu_);
  CRATON_ASSIGN_OR_RETURN(const CachedObject* o, visible_locked(c, h));
  return o->attrs;
}

Result<std::pair<AttrSnapshot, bool>> Token::view(const Caller& c, CK_OBJECT_HANDLE h) {
  std::shared_lock lock(mu_);
  CRATON_ASSIGN_OR_RETURN(const CachedObject* o, visible_locked(c, h));
  return std::make_pair(o->attrs, !o->complete);
}

Status Token::set_attributes(const Caller& c, CK_OBJECT_HANDLE h, const object::AttributeSet& changes) {
  std::unique_lock lock(mu_);
  CRATON_TRY(refresh_locked());  // never write back an object another process changed or deleted
  CRATON_ASSIGN_OR_RETURN(const CachedObject* o, visible_locked(c, h));
  if (o->is_token && !c.rw) return fail(CKR_SESSION_READ_ONLY, "token objects need a R/W session");
  if (!o->complete) return fail(CKR_USER_NOT_LOGGED_IN, "object content is sealed until login");
  CRATON_ASSIGN_OR_RETURN(object::AttributeSet next, object::apply_changes(*o->attrs, changes, {login_ == LoginState::kSo}));
  const std::string uid = o->uid;
  if (o->is_token) {
    CRATON_TRY(persist_locked(uid, next));
    return refresh_locked();
  }
  CachedObject* m = cache_.mutable_by_uid(uid);
  const AttrSnapshot before = m->attrs;
  m->attrs = object::make_snapshot(std::move(next));
  cache_.reindex(uid, before);
  return {};
}

Result<std::vector<CK_OBJECT_HANDLE>> Token::find(const Caller& c, const object::AttributeSet& tmpl) {
  std::unique_lock lock(mu_);
  CRATON_TRY(refresh_locked());
  std::vector<CK_OBJECT_HANDLE> out;
  for (const CachedObject* o : cache_.candidates(tmpl)) {
    if (o->is_private && login_ != LoginState::kUser) continue;
    if (object::matches(*o->attrs, tmpl)) out.push_back(o->handle);
  }
  (void)c;
  std::sort(out.begin(), out.end());
  return out;
}

void Token::drop_session_objects(CK_SESSION_HANDLE session) {
  std::unique_lock lock(mu_);
  std::vector<std::string> doomed;
  cache_.for_each([&](CachedObject& o) {
    if (!o.is_token && o.owner == session) doomed.push_back(o.uid);
  });
  for (const auto& uid : doomed) cache_.erase_uid(uid);
}

}  // namespace craton::token
