#include "token/object_cache.h"

#include <algorithm>
#include <atomic>

#include "storage/object_codec.h"

namespace craton::token {
namespace {

// Attributes worth a posting list: the ones clients search by (CKA_UNIQUE_ID goes through by_uid_).
constexpr std::array<CK_ATTRIBUTE_TYPE, PostingKeys::kMax> kIndexed{CKA_CLASS,   CKA_LABEL,  CKA_ID,
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

void PostingKeys::add(std::uint64_t k) noexcept {
  for (std::uint8_t i = 0; i < count; ++i) {
    if (key[i] == k) return;  // two indexed values hashing alike: one listing is enough
  }
  if (count < kMax) key[count++] = k;
}

PostingKeys ObjectCache::keys_of(const object::AttributeSet& attrs) {
  PostingKeys keys;
  for (const auto& [t, a] : attrs) {
    if (is_indexed(t) && !a.is_array()) keys.add(posting_key(t, a.value.span()));
  }
  return keys;
}

std::optional<PostingKeys> ObjectCache::keys_of_encoded(std::span<const std::uint8_t> attribute_list) {
  PostingKeys keys;
  storage::EncodedAttributeCursor cursor(attribute_list);
  CK_ATTRIBUTE_TYPE t = 0;
  std::span<const std::uint8_t> value;
  bool is_array = false;
  while (cursor.next(t, value, is_array)) {
    if (is_indexed(t) && !is_array) keys.add(posting_key(t, value));
  }
  if (!cursor.ok()) return std::nullopt;
  return keys;
}

CK_OBJECT_HANDLE ObjectCache::next_handle() {
  static std::atomic<CK_OBJECT_HANDLE> counter{0};
  return counter.fetch_add(1, std::memory_order_relaxed) + 1;
}

CK_OBJECT_HANDLE ObjectCache::put(CachedObject obj, const PostingKeys& keys) {
  // One hash lookup for the common case (a new uid, e.g. every object of a token being loaded):
  // the object is built first and offered under its own uid.
  auto owned = std::make_unique<CachedObject>(std::move(obj));
  CachedObject* raw = owned.get();
  raw->posted = PostingKeys{};
  auto [it, inserted] = by_uid_.try_emplace(std::string_view(raw->uid), std::move(owned));
  if (!inserted) {
    // Same uid: keep the listed object (its address is in the handle map) and its handle, and
    // take the new content. The entry is taken out meanwhile, since its key views the uid string
    // being replaced, and put back keyed by the new one.
    auto node = by_uid_.extract(it);
    CachedObject& cur = *node.mapped();
    unindex(cur);
    owned->handle = cur.handle;  // try_emplace leaves `owned` alone when it inserts nothing
    cur = std::move(*owned);
    node.key() = std::string_view(cur.uid);
    by_uid_.insert(std::move(node));
    raw = &cur;
  } else if (raw->handle == CK_INVALID_HANDLE && raw->attrs) {
    raw->handle = next_handle();
  }
  if (inserted && raw->handle != CK_INVALID_HANDLE) by_handle_[raw->handle] = raw;
  raw->posted = PostingKeys{};
  index(*raw, keys);
  return raw->handle;
}

void ObjectCache::give_handle(CachedObject& o) {
  if (o.handle != CK_INVALID_HANDLE) return;
  o.handle = next_handle();
  by_handle_[o.handle] = &o;
}

void ObjectCache::erase_uid(std::string_view uid) {
  auto it = by_uid_.find(uid);
  if (it == by_uid_.end()) return;
  unindex(*it->second);
  if (it->second->handle != CK_INVALID_HANDLE) by_handle_.erase(it->second->handle);
  by_uid_.erase(it);  // may free the string `uid` views: not used past this point
}

CachedObject* ObjectCache::by_handle(CK_OBJECT_HANDLE h) const {
  auto it = by_handle_.find(h);
  return it == by_handle_.end() ? nullptr : it->second;
}

CachedObject* ObjectCache::by_uid(std::string_view uid) const {
  auto it = by_uid_.find(uid);
  return it == by_uid_.end() ? nullptr : it->second.get();
}

void ObjectCache::reindex(CachedObject& o, const PostingKeys& keys) {
  unindex(o);
  index(o, keys);
}

void ObjectCache::reserve(std::size_t n) {
  by_uid_.reserve(n);
  by_handle_.reserve(n);
  // Most objects have a value of their own (a label, an id): about one list per object.
  postings_.reserve(n);
}

void ObjectCache::index(CachedObject& o, const PostingKeys& keys) {
  o.posted = keys;
  for (std::uint8_t i = 0; i < keys.count; ++i) {
    auto& list = postings_[keys.key[i]];
    o.slot[i] = static_cast<std::uint32_t>(list.size());
    list.push_back(&o);
  }
}

void ObjectCache::unindex(CachedObject& o) {
  for (std::uint8_t i = 0; i < o.posted.count; ++i) {
    const std::uint64_t k = o.posted.key[i];
    auto it = postings_.find(k);
    if (it == postings_.end()) continue;  // cannot happen: o is listed under every posted key
    auto& list = it->second;
    const std::uint32_t at = o.slot[i];
    CachedObject* last = list.back();
    if (last != &o) {
      // The last entry takes o's place; tell it where it now is in this list.
      list[at] = last;
      for (std::uint8_t j = 0; j < last->posted.count; ++j) {
        if (last->posted.key[j] == k) {
          last->slot[j] = at;
          break;
        }
      }
    }
    list.pop_back();
    if (list.empty()) postings_.erase(it);
  }
  o.posted = PostingKeys{};
}

std::vector<CachedObject*> ObjectCache::candidates(const object::AttributeSet& tmpl) const {
  if (const auto uid = tmpl.get_bytes(CKA_UNIQUE_ID)) {
    auto it = by_uid_.find(std::string_view(reinterpret_cast<const char*>(uid->data()), uid->size()));
    if (it == by_uid_.end()) return {};
    return {it->second.get()};
  }
  const std::vector<CachedObject*>* best = nullptr;
  bool any_indexed = false;
  for (const auto& [t, a] : tmpl) {
    if (!is_indexed(t) || a.is_array()) continue;
    any_indexed = true;
    auto it = postings_.find(posting_key(t, a.value.span()));
    if (it == postings_.end()) return {};  // nothing has this value
    if (best == nullptr || it->second.size() < best->size()) best = &it->second;
  }
  if (any_indexed) return *best;
  std::vector<CachedObject*> out;
  out.reserve(by_uid_.size());
  for (const auto& [uid, o] : by_uid_) out.push_back(o.get());
  return out;
}

void ObjectCache::for_each(const std::function<void(CachedObject&)>& fn) {
  for (auto& [uid, o] : by_uid_) fn(*o);
}

}  // namespace craton::token
