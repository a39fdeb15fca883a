// In-memory view of one token's objects (token objects loaded from the store, plus this process's
// session objects), with the indexes that make C_FindObjects cost grow with the matches rather than
// with the number of objects.
//
// Attribute sets are immutable snapshots (shared_ptr<const AttributeSet>): a change installs a new
// snapshot, so readers that took one keep a consistent view without holding the token lock.
// Thread safety: none; the owning Token serialises access.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "object/attribute.h"
#include "storage/store.h"

namespace craton::token {

using AttrSnapshot = std::shared_ptr<const object::AttributeSet>;

struct CachedObject {
  std::string uid;
  CK_OBJECT_HANDLE handle = CK_INVALID_HANDLE;
  bool is_token = false;
  bool is_private = false;
  bool complete = false;             // false: private/secret content still sealed (no login yet)
  CK_SESSION_HANDLE owner = 0;       // session objects: the session that created them
  storage::Bytes blob;               // token objects: the sealed record (to open at login)
  AttrSnapshot attrs;
};

class ObjectCache {
 public:
  // Inserts or replaces an object; assigns a handle when the uid is new. Returns the handle.
  CK_OBJECT_HANDLE put(CachedObject obj);
  void erase_uid(const std::string& uid);
  const CachedObject* by_handle(CK_OBJECT_HANDLE h) const;
  const CachedObject* by_uid(const std::string& uid) const;
  CachedObject* mutable_by_uid(const std::string& uid);
  // Reindexes an object whose attributes were replaced through mutable_by_uid.
  void reindex(const std::string& uid, const AttrSnapshot& before);

  // Candidates for a template: the smallest posting list of an indexed attribute in the template,
  // or every object when the template names no indexed attribute. The caller still filters.
  std::vector<const CachedObject*> candidates(const object::AttributeSet& tmpl) const;
  void for_each(const std::function<void(CachedObject&)>& fn);
  std::size_t size() const noexcept { return by_uid_.size(); }

  // Handles are never reused; this counter is shared by all tokens of the process.
  static CK_OBJECT_HANDLE next_handle();

 private:
  void index(const CachedObject& o);
  void unindex(const CachedObject& o, const AttrSnapshot& attrs);

  std::unordered_map<std::string, std::unique_ptr<CachedObject>> by_uid_;
  std::unordered_map<CK_OBJECT_HANDLE, CachedObject*> by_handle_;
  // Posting lists keyed by a 64-bit hash of (attribute type, value). A collision only adds
  // candidates, which the caller filters with object::matches anyway. CKA_UNIQUE_ID has no
  // posting list: by_uid_ answers it.
  std::unordered_map<std::uint64_t, std::unordered_set<const CachedObject*>> postings_;
};

}  // namespace craton::token
