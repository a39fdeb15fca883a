#include "object/parsed_cache.h"

#include <mutex>
#include <unordered_map>

namespace craton::object {
namespace {

struct Cache {
  std::mutex mu;
  std::unordered_map<const AttributeSet*, std::shared_ptr<const ParsedKey>> entries;
};

// Static storage without an exit-time destructor: snapshots may still be released during static
// destruction (the library state is never destroyed either).
union CacheStorage {
  CacheStorage() : value() {}
  ~CacheStorage() {}
  Cache value;
};

Cache& cache() {
  static CacheStorage storage;
  return storage.value;
}

void drop(const AttributeSet* s) noexcept {
  std::shared_ptr<const ParsedKey> victim;  // released outside the lock
  Cache& c = cache();
  std::lock_guard lock(c.mu);
  auto it = c.entries.find(s);
  if (it == c.entries.end()) return;
  victim = std::move(it->second);
  c.entries.erase(it);
  // The cache is never destroyed (see cache()), so when the last object is gone (C_Finalize) its
  // bucket array is given back too: nothing is left behind when the module is unloaded.
  if (c.entries.empty()) {
    decltype(c.entries) none;
    c.entries.swap(none);
  }
}

}  // namespace

std::shared_ptr<const AttributeSet> make_snapshot(AttributeSet attrs) {
  auto owned = std::make_unique<AttributeSet>(std::move(attrs));
  {
    Cache& c = cache();
    std::lock_guard lock(c.mu);
    c.entries.emplace(owned.get(), nullptr);
  }
  return std::shared_ptr<const AttributeSet>(owned.release(), [](const AttributeSet* p) {
    drop(p);
    std::default_delete<const AttributeSet>()(p);
  });
}

std::shared_ptr<const ParsedKey> parsed_lookup(const AttributeSet* snapshot) {
  Cache& c = cache();
  std::lock_guard lock(c.mu);
  auto it = c.entries.find(snapshot);
  return it == c.entries.end() ? nullptr : it->second;
}

void parsed_store(const AttributeSet* snapshot, std::shared_ptr<const ParsedKey> parsed) {
  Cache& c = cache();
  std::lock_guard lock(c.mu);
  auto it = c.entries.find(snapshot);
  if (it != c.entries.end() && it->second == nullptr) it->second = std::move(parsed);
}

std::size_t parsed_cache_size() {
  Cache& c = cache();
  std::lock_guard lock(c.mu);
  return c.entries.size();
}

}  // namespace craton::object
