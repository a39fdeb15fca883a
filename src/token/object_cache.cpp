#include "token/object_cache.h"

#include <array>
#include <atomic>

namespace craton::token {
namespace {

// Attributes worth a posting list: the ones clients search by (CKA_UNIQUE_ID goes through by_uid_).
constexpr std::array<CK_ATTRIBUTE_TYPE, 8> kIndexed{CKA_CLASS,   CKA_LABEL,  CKA_ID,
                                                    CKA_KEY_TYPE, CKA_CERTIFICATE_TYPE,
                                                    CKA_SUBJECT, CKA_APPLICATION, CKA_SERIAL_NUMBER};

bool is_indexed(CK_ATTRIBUTE_TYPE t) {
  for (auto k : kIndexed) if (k == t) return true;
  return false;
}

// FNV-1a over the type and the value. Not a defence against chosen collisions, and it needs not
// be: a collision costs one extra template comparison, never a wrong answer.
std::uint64_t posting_key(CK_ATTRIBUTE_TYPE t, std::span<const std::uint8_t> v) {
  constexpr std::uint64_t kPrime = 0x100000001b3ULL;
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned i = 0; i < sizeof t; ++i) h = (h ^ ((static_cast<std::uint64_t>(t) >> (8 * i)) & 0xFF)) * kPrime;
  for (std::uint8_t b : v) h = (h ^ b) * kPrime;
  return h;
}

}  // namespace

CK_OBJECT_HANDLE ObjectCache::next_handle() {
  static std::atomic<CK_OBJECT_HANDLE> counter{0};
  return counter.fetch_add(1, std::memory_order_relaxed) + 1;
}

CK_OBJECT_HANDLE ObjectCache::put(CachedObject obj) {
  auto it = by_uid_.find(obj.uid);
  if (it != by_uid_.end()) {
    CachedObject& cur = *it->second;
    const AttrSnapshot before = cur.attrs;
    obj.handle = cur.handle;
    cur = std::move(obj);
    reindex(cur.uid, before);
    return cur.handle;
  }
  if (obj.handle == CK_INVALID_HANDLE) obj.handle = next_handle();
  auto owned = std::make_unique<CachedObject>(std::move(obj));
  CachedObject* raw = owned.get();
  by_handle_[raw->handle] = raw;
  by_uid_.emplace(raw->uid, std::move(owned));
  index(*raw);
  return raw->handle;
}

void ObjectCache::erase_uid(const std::string& uid) {
  auto it = by_uid_.find(uid);
  if (it == by_uid_.end()) return;
  unindex(*it->second, it->second->attrs);
  by_handle_.erase(it->second->handle);
  by_uid_.erase(it);
}

const CachedObject* ObjectCache::by_handle(CK_OBJECT_HANDLE h) const {
  auto it = by_handle_.find(h);
  return it == by_handle_.end() ? nullptr : it->second;
}

const CachedObject* ObjectCache::by_uid(const std::string& uid) const {
  auto it = by_uid_.find(uid);
  return it == by_uid_.end() ? nullptr : it->second.get();
}

CachedObject* ObjectCache::mutable_by_uid(const std::string& uid) {
  auto it = by_uid_.find(uid);
  return it == by_uid_.end() ? nullptr : it->second.get();
}

void ObjectCache::reindex(const std::string& uid, const AttrSnapshot& before) {
  CachedObject* o = mutable_by_uid(uid);
  if (o == nullptr) return;
  unindex(*o, before);
  index(*o);
}

void ObjectCache::index(const CachedObject& o) {
  if (!o.attrs) return;
  for (const auto& [t, a] : *o.attrs) {
    if (is_indexed(t)) postings_[posting_key(t, a.value.span())].insert(&o);
  }
}

void ObjectCache::unindex(const CachedObject& o, const AttrSnapshot& attrs) {
  if (!attrs) return;
  for (const auto& [t, a] : *attrs) {
    if (!is_indexed(t)) continue;
    auto it = postings_.find(posting_key(t, a.value.span()));
    if (it == postings_.end()) continue;
    it->second.erase(&o);
    if (it->second.empty()) postings_.erase(it);
  }
}

std::vector<const CachedObject*> ObjectCache::candidates(const object::AttributeSet& tmpl) const {
  if (const auto uid = tmpl.get_bytes(CKA_UNIQUE_ID)) {
    auto it = by_uid_.find(std::string(uid->begin(), uid->end()));
    if (it == by_uid_.end()) return {};
    return {it->second.get()};
  }
  const std::unordered_set<const CachedObject*>* best = nullptr;
  bool any_indexed = false;
  for (const auto& [t, a] : tmpl) {
    if (!is_indexed(t)) continue;
    any_indexed = true;
    auto it = postings_.find(posting_key(t, a.value.span()));
    if (it == postings_.end()) return {};  // nothing has this value
    if (best == nullptr || it->second.size() < best->size()) best = &it->second;
  }
  std::vector<const CachedObject*> out;
  if (any_indexed) {
    out.assign(best->begin(), best->end());
  } else {
    out.reserve(by_uid_.size());
    for (const auto& [uid, o] : by_uid_) out.push_back(o.get());
  }
  return out;
}

void ObjectCache::for_each(const std::function<void(CachedObject&)>& fn) {
  for (auto& [uid, o] : by_uid_) fn(*o);
}

}  // namespace craton::token
