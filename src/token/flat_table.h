// FlatTable: an open-addressing hash table (linear probing, backward-shift deletion) of slots that
// carry their own hash. The object cache keeps its uid index and posting lists in these instead of
// node-based std::unordered_map: loading a token inserts one entry per object and per indexed
// value, and a node allocation plus a cache miss per entry was most of the cost.
//
// Slot requirements: default-constructible as an empty slot, movable (moving leaves the source
// empty), `bool used() const` and `std::uint64_t hash() const` (valid when used).
// Pointers to slots are invalidated by any insertion or erasure.
// Thread safety: none.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace craton::token {

template <class Slot>
class FlatTable {
 public:
  std::size_t size() const noexcept { return count_; }

  // The used slot with hash `h` that `match` accepts, or null.
  template <class Match>
  Slot* find(std::uint64_t h, Match&& match) {
    if (count_ == 0) return nullptr;
    for (std::size_t i = home(h);; i = (i + 1) & mask_) {
      Slot& s = slots_[i];
      if (!s.used()) return nullptr;
      if (s.hash() == h && match(s)) return &s;
    }
  }
  template <class Match>
  const Slot* find(std::uint64_t h, Match&& match) const {
    return const_cast<FlatTable*>(this)->find(h, std::forward<Match>(match));
  }

  // An empty slot where an entry with hash `h` belongs, to be filled by the caller (so that it
  // then reports hash() == h). REQUIRES: no entry equal to the new one is present.
  Slot& emplace_slot(std::uint64_t h) {
    if ((count_ + 1) * 4 > slots_.size() * 3) grow(slots_.empty() ? 16 : slots_.size() * 2);
    std::size_t i = home(h);
    while (slots_[i].used()) i = (i + 1) & mask_;
    ++count_;
    return slots_[i];
  }

  // Removes a used slot (backward-shift deletion: no tombstones, probes stay short).
  void erase(Slot* s) {
    std::size_t hole = static_cast<std::size_t>(s - slots_.data());
    for (std::size_t j = (hole + 1) & mask_; slots_[j].used(); j = (j + 1) & mask_) {
      const std::size_t want = home(slots_[j].hash());
      // Slot j may fill the hole if its home does not lie in (hole, j] (cyclically).
      const bool stays = hole <= j ? (hole < want && want <= j) : (hole < want || want <= j);
      if (stays) continue;
      slots_[hole] = std::move(slots_[j]);
      hole = j;
    }
    slots_[hole] = Slot{};
    --count_;
  }

  // Room for n entries without growing.
  void reserve(std::size_t n) {
    std::size_t cap = slots_.empty() ? 16 : slots_.size();
    while (n * 4 > cap * 3) cap *= 2;
    if (cap > slots_.size()) grow(cap);
  }

  template <class F>
  void for_each(F&& fn) {
    for (Slot& s : slots_) {
      if (s.used()) fn(s);
    }
  }
  template <class F>
  void for_each(F&& fn) const {
    for (const Slot& s : slots_) {
      if (s.used()) fn(s);
    }
  }

 private:
  // The hashes are FNV-1a or std::hash values; a final mix spreads them over the low bits.
  std::size_t home(std::uint64_t h) const noexcept {
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    return static_cast<std::size_t>(h) & mask_;
  }

  void grow(std::size_t cap) {
    std::vector<Slot> old(cap);
    old.swap(slots_);
    mask_ = cap - 1;
    for (Slot& s : old) {
      if (!s.used()) continue;
      std::size_t i = home(s.hash());
      while (slots_[i].used()) i = (i + 1) & mask_;
      slots_[i] = std::move(s);
    }
  }

  std::vector<Slot> slots_;  // size: zero or a power of two
  std::size_t mask_ = 0;
  std::size_t count_ = 0;
};

}  // namespace craton::token
