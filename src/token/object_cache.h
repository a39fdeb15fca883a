// In-memory view of one token's objects (token objects loaded from the store, plus this process's
// session objects), with the indexes that make C_FindObjects cost grow with the matches rather than
// with the number of objects.
//
// Token objects are held in two stages (docs/STORAGE.md, "What is loaded when"; ADR 0010):
//  - not yet verified: only the sealed record (`blob`) and the posting keys of its public section,
//    read without checking the record's MAC. Such an object has no attributes (`attrs` is null)
//    and, unless it had been verified before (its record changed since), no handle; the keys may
//    only narrow a search, never answer one.
//  - verified: the record passed its integrity check and `attrs` holds its content (public part,
//    plus the sealed part once the master key is there: `complete`).
// The owning Token moves an object from the first stage to the second on its first real use.
//
// Attribute sets are immutable snapshots (shared_ptr<const AttributeSet>): a change installs a new
// snapshot, so readers that took one keep a consistent view without holding the token lock.
// Thread safety: none; the owning Token serialises access.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "common/small_string.h"
#include "object/attribute.h"
#include "storage/store.h"
#include "token/flat_table.h"

namespace craton::token {

using AttrSnapshot = std::shared_ptr<const object::AttributeSet>;

// The posting keys of one object: one per indexed attribute it has (at most one per type).
struct PostingKeys {
  static constexpr std::size_t kMax = 8;  // the number of indexed attribute types
  std::array<std::uint64_t, kMax> key{};
  std::uint8_t count = 0;

  void add(std::uint64_t k) noexcept;  // ignores duplicates (and keys beyond kMax, never reached)
};

struct CachedObject {
  UniqueIdText uid;  // never changed while the object is in a cache (the uid index hashes it)
  CK_OBJECT_HANDLE handle = CK_INVALID_HANDLE;  // none until first verified (see ObjectCache::put)
  bool is_token = false;
  // Verified objects: CKA_PRIVATE. Token objects not yet verified: what the record's flags claim
  // (unauthenticated; only used to decide what to verify, never to grant anything).
  bool is_private = false;
  bool has_sealed = false;           // token objects: the record has a sealed section
  bool complete = false;             // false: private/secret content still sealed (no login yet)
  CK_SESSION_HANDLE owner = 0;       // session objects: the session that created them
  storage::Bytes blob;               // token objects: the sealed record (verified or opened on use)
  AttrSnapshot attrs;                // null: a token object whose record is not verified yet

  bool verified() const noexcept { return attrs != nullptr; }

  // Maintained by ObjectCache: the keys the object is listed under, and its position in each list;
  // or, for an object put without its keys (ObjectCache::put_unlisted), its position in the list
  // of objects to be listed at the next search.
  static constexpr std::uint32_t kListed = UINT32_MAX;
  PostingKeys posted;
  std::array<std::uint32_t, PostingKeys::kMax> slot{};
  std::uint32_t unlisted_at = kListed;
};

class ObjectCache {
 public:
  // The posting keys of a set of attributes, and of an encoded attribute list (a record's public
  // section: the same keys its decoded attributes would have; nullopt when the list is malformed).
  static PostingKeys keys_of(const object::AttributeSet& attrs);
  static std::optional<PostingKeys> keys_of_encoded(std::span<const std::uint8_t> attribute_list);

  // Inserts or replaces an object, listed under `keys` (for a verified object: keys_of(*attrs)).
  // A replaced object keeps its handle. A new one gets a handle if it is verified; one that is
  // not gets none until give_handle() (a handle is what callers reach an object by, and no
  // caller can reach an object before its record was verified). Returns the handle.
  CK_OBJECT_HANDLE put(CachedObject obj, const PostingKeys& keys);
  CK_OBJECT_HANDLE put(CachedObject obj) {
    const PostingKeys keys = obj.attrs ? keys_of(*obj.attrs) : PostingKeys{};
    return put(std::move(obj), keys);
  }
  // A new verified object (a session object just made) whose posting keys are worked out by the
  // next search instead of now: objects made and destroyed between two searches, such as the
  // secret of every C_EncapsulateKey of a client that never searches for it, are never listed
  // (ADR 0015). It is reachable by handle and uid at once. A uid already in the cache is replaced
  // and listed as put() does. Returns the handle.
  CK_OBJECT_HANDLE put_unlisted(CachedObject obj);
  // Assigns a handle to an object in the cache that has none yet.
  void give_handle(CachedObject& o);
  void erase_uid(std::string_view uid);
  CachedObject* by_handle(CK_OBJECT_HANDLE h) const;
  CachedObject* by_uid(std::string_view uid) const;
  // Lists an object already in the cache under new keys (after its attributes changed).
  void reindex(CachedObject& o, const PostingKeys& keys);
  // Makes room for n objects in all, so a bulk load does not rehash.
  void reserve(std::size_t n);

  // Candidates for a template: the smallest posting list of an indexed attribute in the template,
  // or every object when the template names no indexed attribute. The caller still filters (and
  // verifies objects not yet verified: their keys are unauthenticated). Lists the objects put
  // without their keys first.
  std::vector<CachedObject*> candidates(const object::AttributeSet& tmpl);
  void for_each(const std::function<void(CachedObject&)>& fn);
  std::size_t size() const noexcept { return by_uid_.size(); }
  // Whether session `s` owns a session object here (C_CloseSession skips the walk when not).
  bool has_session_objects(CK_SESSION_HANDLE s) const { return session_objects_.count(s) != 0; }

  // Handles are never reused; this counter is shared by all tokens of the process.
  static CK_OBJECT_HANDLE next_handle();

 private:
  // A posting list: the objects listed under one key. Most keys (a label, an id) list a single
  // object, which is held inline; only longer lists allocate.
  class PostingList {
   public:
    PostingList() = default;
    PostingList(PostingList&& o) noexcept : first_(o.first_), rest_(std::move(o.rest_)), size_(o.size_) {
      o.first_ = nullptr;
      o.size_ = 0;
    }
    PostingList& operator=(PostingList&& o) noexcept {
      first_ = o.first_;
      rest_ = std::move(o.rest_);
      size_ = o.size_;
      o.first_ = nullptr;
      o.size_ = 0;
      return *this;
    }
    std::size_t size() const noexcept { return size_; }
    CachedObject* at(std::size_t i) const { return i == 0 ? first_ : (*rest_)[i - 1]; }
    void set(std::size_t i, CachedObject* o) { (i == 0 ? first_ : (*rest_)[i - 1]) = o; }
    void push_back(CachedObject* o);
    void pop_back();
    void append_to(std::vector<CachedObject*>& out) const;

   private:
    CachedObject* first_ = nullptr;
    std::unique_ptr<std::vector<CachedObject*>> rest_;  // elements 1.. when there are several
    std::uint32_t size_ = 0;
  };
  struct PostingSlot {
    std::uint64_t key = 0;
    PostingList list;  // never empty while the slot is used
    bool used() const noexcept { return list.size() != 0; }
    std::uint64_t hash() const noexcept { return key; }
  };
  // The handle index: handles are never 0 (CK_INVALID_HANDLE marks an unused slot) and never
  // reused, and their value is the hash (FlatTable mixes it). A node-based map cost an allocation
  // per new object and a division per lookup.
  struct HandleSlot {
    CK_OBJECT_HANDLE handle = CK_INVALID_HANDLE;
    CachedObject* obj = nullptr;
    HandleSlot() = default;
    HandleSlot(HandleSlot&& o) noexcept : handle(std::exchange(o.handle, CK_INVALID_HANDLE)), obj(o.obj) {}
    HandleSlot& operator=(HandleSlot&& o) noexcept {
      handle = std::exchange(o.handle, CK_INVALID_HANDLE);
      obj = o.obj;
      return *this;
    }
    bool used() const noexcept { return handle != CK_INVALID_HANDLE; }
    std::uint64_t hash() const noexcept { return handle; }
  };
  struct UidSlot {
    std::uint64_t uid_hash = 0;
    std::unique_ptr<CachedObject> obj;  // owns the object; null: slot unused
    bool used() const noexcept { return obj != nullptr; }
    std::uint64_t hash() const noexcept { return uid_hash; }
  };

  CachedObject& emplace_new(std::uint64_t uid_hash, CachedObject obj);  // REQUIRES: a uid not in by_uid_
  void index(CachedObject& o, const PostingKeys& keys);
  void unindex(CachedObject& o);  // also takes an unlisted object off unlisted_
  void list_unlisted();           // indexes every object of unlisted_ under keys_of(its attributes)
  UidSlot* find_uid(std::string_view uid) const;

  // Session objects per owning session, kept by put() and erase_uid() (the only ways in and out).
  void count_session_object(const CachedObject& o, bool in);

  FlatTable<UidSlot> by_uid_;  // owns every object
  std::unordered_map<CK_SESSION_HANDLE, std::size_t> session_objects_;  // no entry: none
  FlatTable<HandleSlot> by_handle_;
  HandleSlot* find_handle(CK_OBJECT_HANDLE h) const;  // null for CK_INVALID_HANDLE or no such handle
  void set_handle_entry(CachedObject& o);  // lists o under o.handle (REQUIRES: o.handle valid)
  // Posting lists keyed by a 64-bit hash of (attribute type, value). A collision only adds
  // candidates, which the caller filters with object::matches anyway. CKA_UNIQUE_ID has no
  // posting list: by_uid_ answers it. An object remembers its position in each of its lists
  // (CachedObject::slot), so removing it is O(1) even from a list holding every object.
  FlatTable<PostingSlot> postings_;
  // Objects put by put_unlisted() and in no posting list yet (CachedObject::unlisted_at is their
  // position here). candidates() lists them before it looks anything up.
  std::vector<CachedObject*> unlisted_;
};

}  // namespace craton::token
