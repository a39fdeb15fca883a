#include "token/object_cache.h"

#include <algorithm>
#include <atomic>
#include <cstring>

#include "storage/object_codec.h"

namespace craton::token {
namespace {

// Attributes worth a posting list: the ones clients search by (CKA_UNIQUE_ID goes through by_uid_).
constexpr std::array<CK_ATTRIBUTE_TYPE, PostingKeys::kMax> kIndexed{CKA_CLASS,   CKA_LABEL,  CKA_ID,
                                                                    CKA_KEY_TYPE, CKA_CERTIFICATE_TYPE,
                                                                    CKA_SUBJECT, CKA_APPLICATION, CKA_SERIAL_NUMBER};

// The largest indexed type: a set is sorted by type, so keys_of() stops after it (a secret key
// has 15 of its 34 attributes at or below it).
constexpr CK_ATTRIBUTE_TYPE kLastIndexed = *std::max_element(kIndexed.begin(), kIndexed.end());

bool is_indexed(CK_ATTRIBUTE_TYPE t) {
  static_assert(kIndexed.size() == 8, "is_indexed lists the types of kIndexed");
  switch (t) {  // the types of kIndexed (a switch: this runs for every attribute of every record loaded)
    case CKA_CLASS:
    case CKA_LABEL:
    case CKA_ID:
    case CKA_KEY_TYPE:
    case CKA_CERTIFICATE_TYPE:
    case CKA_SUBJECT:
    case CKA_APPLICATION:
    case CKA_SERIAL_NUMBER:
      return true;
    default:
      return false;
  }
}

// A multiplicative hash over the type, the length and the value, eight bytes at a time (it runs
// for every indexed attribute of every record when a token is loaded). Not a defence against
// chosen collisions, and it needs not be: a collision costs one extra template comparison, never
// a wrong answer. Kept in memory only; nothing stores these keys.
std::uint64_t posting_key(CK_ATTRIBUTE_TYPE t, std::span<const std::uint8_t> v) {
  constexpr std::uint64_t kMul = 0x9e3779b97f4a7c15ULL;
  const auto mix = [](std::uint64_t h, std::uint64_t w) {
    h = (h ^ w) * kMul;
    return h ^ (h >> 29);
  };
  std::uint64_t h = mix(static_cast<std::uint64_t>(t), v.size());
  std::size_t i = 0;
  for (; i + 8 <= v.size(); i += 8) {
    std::uint64_t w = 0;
    std::memcpy(&w, v.data() + i, 8);
    h = mix(h, w);
  }
  if (i < v.size()) {
    std::uint64_t w = 0;
    std::memcpy(&w, v.data() + i, v.size() - i);
    h = mix(h, w);
  }
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
  attrs.visit_upto(kLastIndexed, [&keys](const object::AttributeSet::Entry& e) {
    if (is_indexed(e.first) && !e.second.is_array()) keys.add(posting_key(e.first, e.second.value.span()));
  });
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

void ObjectCache::PostingList::push_back(CachedObject* o) {
  if (size_ == 0) {
    first_ = o;
  } else {
    if (!rest_) rest_ = std::make_unique<std::vector<CachedObject*>>();
    rest_->push_back(o);
  }
  ++size_;
}

void ObjectCache::PostingList::pop_back() {
  if (size_ > 1) {
    rest_->pop_back();
  } else {
    first_ = nullptr;
  }
  --size_;
}

void ObjectCache::PostingList::append_to(std::vector<CachedObject*>& out) const {
  if (size_ == 0) return;
  out.push_back(first_);
  if (rest_) out.insert(out.end(), rest_->begin(), rest_->end());
}

ObjectCache::UidSlot* ObjectCache::find_uid(std::string_view uid) const {
  const std::uint64_t h = std::hash<std::string_view>{}(uid);
  return const_cast<UidSlot*>(by_uid_.find(h, [&](const UidSlot& s) { return s.obj->uid == uid; }));
}

CK_OBJECT_HANDLE ObjectCache::put(CachedObject obj, const PostingKeys& keys) {
  const std::uint64_t h = std::hash<std::string_view>{}(obj.uid);
  CachedObject* raw = nullptr;
  if (UidSlot* slot = by_uid_.find(h, [&](const UidSlot& s) { return s.obj->uid == obj.uid; })) {
    // Same uid: keep the object (its address is in the handle map) and its handle; take the new
    // content.
    raw = slot->obj.get();
    unindex(*raw);
    count_session_object(*raw, false);
    obj.handle = raw->handle;
    *raw = std::move(obj);
  } else {
    raw = &emplace_new(h, std::move(obj));
    if (raw->handle != CK_INVALID_HANDLE) set_handle_entry(*raw);
  }
  count_session_object(*raw, true);
  raw->posted = PostingKeys{};
  raw->unlisted_at = CachedObject::kListed;
  if (raw->attrs) give_handle(*raw);  // verified: reachable from now on (no-op if it has one)
  index(*raw, keys);
  return raw->handle;
}

CachedObject& ObjectCache::emplace_new(std::uint64_t uid_hash, CachedObject obj) {
  UidSlot& fresh = by_uid_.emplace_slot(uid_hash);
  fresh.uid_hash = uid_hash;
  fresh.obj = std::make_unique<CachedObject>(std::move(obj));
  return *fresh.obj;
}

CK_OBJECT_HANDLE ObjectCache::put_unlisted(CachedObject obj) {
  const std::uint64_t h = std::hash<std::string_view>{}(obj.uid);
  // A uid already here (not one the token's counter gives out twice; another process's record
  // drawing the same 2^-64 prefix): replaced and listed as put() does.
  if (by_uid_.find(h, [&](const UidSlot& s) { return s.obj->uid == obj.uid; }) != nullptr) return put(std::move(obj));
  CachedObject& o = emplace_new(h, std::move(obj));
  o.posted = PostingKeys{};
  count_session_object(o, true);
  give_handle(o);
  o.unlisted_at = static_cast<std::uint32_t>(unlisted_.size());
  unlisted_.push_back(&o);
  return o.handle;
}

void ObjectCache::list_unlisted() {
  for (CachedObject* o : unlisted_) {
    o->unlisted_at = CachedObject::kListed;
    index(*o, keys_of(*o->attrs));
  }
  unlisted_.clear();
}

void ObjectCache::give_handle(CachedObject& o) {
  if (o.handle != CK_INVALID_HANDLE) return;
  o.handle = next_handle();
  set_handle_entry(o);
}

ObjectCache::HandleSlot* ObjectCache::find_handle(CK_OBJECT_HANDLE h) const {
  if (h == CK_INVALID_HANDLE) return nullptr;
  return const_cast<HandleSlot*>(by_handle_.find(h, [h](const HandleSlot& s) { return s.handle == h; }));
}

void ObjectCache::set_handle_entry(CachedObject& o) {
  if (HandleSlot* s = find_handle(o.handle)) {
    s->obj = &o;
    return;
  }
  HandleSlot& fresh = by_handle_.emplace_slot(o.handle);
  fresh.handle = o.handle;
  fresh.obj = &o;
}

void ObjectCache::erase_uid(std::string_view uid) {
  UidSlot* slot = find_uid(uid);
  if (slot == nullptr) return;
  unindex(*slot->obj);
  count_session_object(*slot->obj, false);
  if (HandleSlot* hs = find_handle(slot->obj->handle)) by_handle_.erase(hs);
  by_uid_.erase(slot);  // frees the object, and with it the string `uid` may view
}

void ObjectCache::count_session_object(const CachedObject& o, bool in) {
  if (o.is_token) return;
  if (in) {
    ++session_objects_[o.owner];
    return;
  }
  auto it = session_objects_.find(o.owner);
  if (it != session_objects_.end() && --it->second == 0) session_objects_.erase(it);
}

CachedObject* ObjectCache::by_handle(CK_OBJECT_HANDLE h) const {
  const HandleSlot* s = find_handle(h);
  return s == nullptr ? nullptr : s->obj;
}

CachedObject* ObjectCache::by_uid(std::string_view uid) const {
  UidSlot* slot = find_uid(uid);
  return slot == nullptr ? nullptr : slot->obj.get();
}

void ObjectCache::reindex(CachedObject& o, const PostingKeys& keys) {
  unindex(o);
  index(o, keys);
}

void ObjectCache::reserve(std::size_t n) {
  by_uid_.reserve(n);
  // Most objects have a value of their own (a label, an id): about one list per object.
  postings_.reserve(n);
}

void ObjectCache::index(CachedObject& o, const PostingKeys& keys) {
  o.posted = keys;
  for (std::uint8_t i = 0; i < keys.count; ++i) {
    const std::uint64_t k = keys.key[i];
    PostingSlot* ps = postings_.find(k, [](const PostingSlot&) { return true; });
    if (ps == nullptr) {
      ps = &postings_.emplace_slot(k);
      ps->key = k;
    }
    o.slot[i] = static_cast<std::uint32_t>(ps->list.size());
    ps->list.push_back(&o);
  }
}

void ObjectCache::unindex(CachedObject& o) {
  if (o.unlisted_at != CachedObject::kListed) {
    // Not in any posting list: only off unlisted_, its place taken by the last entry.
    CachedObject* last = unlisted_.back();
    unlisted_[o.unlisted_at] = last;
    last->unlisted_at = o.unlisted_at;
    unlisted_.pop_back();
    o.unlisted_at = CachedObject::kListed;
    return;
  }
  for (std::uint8_t i = 0; i < o.posted.count; ++i) {
    const std::uint64_t k = o.posted.key[i];
    PostingSlot* ps = postings_.find(k, [](const PostingSlot&) { return true; });
    if (ps == nullptr) continue;  // cannot happen: o is listed under every posted key
    PostingList& list = ps->list;
    const std::uint32_t at = o.slot[i];
    CachedObject* last = list.at(list.size() - 1);
    if (last != &o) {
      // The last entry takes o's place; tell it where it now is in this list.
      list.set(at, last);
      for (std::uint8_t j = 0; j < last->posted.count; ++j) {
        if (last->posted.key[j] == k) {
          last->slot[j] = at;
          break;
        }
      }
    }
    list.pop_back();
    if (list.size() == 0) postings_.erase(ps);
  }
  o.posted = PostingKeys{};
}

std::vector<CachedObject*> ObjectCache::candidates(const object::AttributeSet& tmpl) {
  list_unlisted();
  if (const auto uid = tmpl.get_bytes(CKA_UNIQUE_ID)) {
    // A search by unique id is rare: a copy of the value keeps the bytes-to-text step cast-free.
    CachedObject* o = by_uid(std::string(uid->begin(), uid->end()));
    if (o == nullptr) return {};
    return {o};
  }
  const PostingList* best = nullptr;
  bool any_indexed = false;
  for (const auto& [t, a] : tmpl) {
    if (!is_indexed(t) || a.is_array()) continue;
    any_indexed = true;
    const std::uint64_t k = posting_key(t, a.value.span());
    const PostingSlot* ps = postings_.find(k, [](const PostingSlot&) { return true; });
    if (ps == nullptr) return {};  // nothing has this value
    if (best == nullptr || ps->list.size() < best->size()) best = &ps->list;
  }
  std::vector<CachedObject*> out;
  if (any_indexed) {
    out.reserve(best->size());
    best->append_to(out);
    return out;
  }
  out.reserve(by_uid_.size());
  by_uid_.for_each([&](const UidSlot& s) { out.push_back(s.obj.get()); });
  return out;
}

void ObjectCache::for_each(const std::function<void(CachedObject&)>& fn) {
  by_uid_.for_each([&](UidSlot& s) { fn(*s.obj); });
}

}  // namespace craton::token
