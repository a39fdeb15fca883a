#include "object/parsed_cache.h"

#include <atomic>
#include <mutex>
#include <unordered_map>

namespace craton::object {
namespace {

// One snapshot's entry. `parsed` is written at most once, under the cache lock and before `ready`
// is set, and only read afterwards: a lookup through the snapshot's shared_ptr needs no lock.
struct Slot {
  std::atomic<bool> ready{false};
  std::shared_ptr<const ParsedKey> parsed;
};

struct Cache {
  std::mutex mu;
  std::unordered_map<const AttributeSet*, std::unique_ptr<Slot>> entries;  // every live snapshot
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
  std::unique_ptr<Slot> slot;
  Cache& c = cache();
  std::lock_guard lock(c.mu);
  auto it = c.entries.find(s);
  if (it == c.entries.end()) return;
  slot = std::move(it->second);
  victim = std::move(slot->parsed);
  c.entries.erase(it);
  // The cache is never destroyed (see cache()), so when the last object is gone (C_Finalize) its
  // bucket array is given back too: nothing is left behind when the module is unloaded.
  if (c.entries.empty()) {
    decltype(c.entries) none;
    c.entries.swap(none);
  }
}

// The deleter of every snapshot. It carries the snapshot's slot, so whoever holds the shared_ptr
// reaches the entry through std::get_deleter: no global lock and no map lookup per use.
struct SnapshotDeleter {
  Slot* slot;
  void operator()(const AttributeSet* p) const noexcept {
    drop(p);  // frees *slot
    std::default_delete<const AttributeSet>()(p);
  }
};

Slot* slot_of(const std::shared_ptr<const AttributeSet>& snapshot) noexcept {
  const auto* d = std::get_deleter<SnapshotDeleter>(snapshot);
  return d == nullptr ? nullptr : d->slot;
}

// REQUIRES: cache().mu held.
void fill(Slot& slot, std::shared_ptr<const ParsedKey> parsed) {
  if (slot.ready.load(std::memory_order_relaxed)) return;  // the first stored form wins
  slot.parsed = std::move(parsed);
  slot.ready.store(true, std::memory_order_release);
}

}  // namespace

std::shared_ptr<const AttributeSet> make_snapshot(AttributeSet attrs) {
  auto owned = std::make_unique<AttributeSet>(std::move(attrs));
  auto slot = std::make_unique<Slot>();
  Slot* raw = slot.get();
  {
    Cache& c = cache();
    std::lock_guard lock(c.mu);
    c.entries.emplace(owned.get(), std::move(slot));
  }
  return std::shared_ptr<const AttributeSet>(owned.release(), SnapshotDeleter{raw});
}

std::shared_ptr<const ParsedKey> parsed_lookup(const AttributeSet* snapshot) {
  Cache& c = cache();
  std::lock_guard lock(c.mu);
  auto it = c.entries.find(snapshot);
  return it == c.entries.end() ? nullptr : it->second->parsed;
}

std::shared_ptr<const ParsedKey> parsed_lookup(const std::shared_ptr<const AttributeSet>& snapshot) {
  Slot* slot = slot_of(snapshot);
  if (slot == nullptr || !slot->ready.load(std::memory_order_acquire)) return nullptr;
  return slot->parsed;
}

void parsed_store(const AttributeSet* snapshot, std::shared_ptr<const ParsedKey> parsed) {
  Cache& c = cache();
  std::lock_guard lock(c.mu);
  auto it = c.entries.find(snapshot);
  if (it != c.entries.end()) fill(*it->second, std::move(parsed));
}

void parsed_store(const std::shared_ptr<const AttributeSet>& snapshot, std::shared_ptr<const ParsedKey> parsed) {
  Slot* slot = slot_of(snapshot);
  if (slot == nullptr) return;
  Cache& c = cache();
  std::lock_guard lock(c.mu);
  fill(*slot, std::move(parsed));
}

std::size_t parsed_cache_size() {
  Cache& c = cache();
  std::lock_guard lock(c.mu);
  return c.entries.size();
}

}  // namespace craton::object
