// SessionTable: the library's sessions by handle, split into shards by handle.
//
// Every call on a session looks its handle up, from whichever thread the application uses. A
// single table under the library lock made every such lookup write that lock's cache line (the
// reader count), shared by all threads. Here each shard has its own lock on its own cache lines,
// and handles are consecutive, so threads working on different sessions touch different shards.
// The shard lock is exclusive (a plain mutex is cheaper to take than a reader/writer lock, which
// matters to C_OpenSession/C_CloseSession): a shard's lookups normally come from one thread, and
// several threads on one session serialise on the session's own lock right after anyway.
//
// Locking (the owner is token::Library, whose lock is called L here):
//   * find() takes only its shard's lock; it needs no L.
//   * insert(), erase() and clear() REQUIRE L held exclusively; they take the shard's lock too,
//     exclusively, so find() never sees a map being changed.
//   * for_each() and any_of() REQUIRE L (shared or exclusive): every writer holds L exclusively, so no map
//     changes while L is held and for_each needs no shard lock.
// Lock order: L -> shard -> Session -> Token.
#pragma once

#include <array>
#include <cstddef>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "common/mutex.h"
#include "token/session.h"

namespace craton::token {

class SessionTable {
 public:
  static constexpr std::size_t kShards = 8;

  std::shared_ptr<Session> find(CK_SESSION_HANDLE h) const {
    const Shard& s = shard(h);
    std::unique_lock lock(s.mu);
    auto it = s.map.find(h);
    return it == s.map.end() ? nullptr : it->second;
  }

  void insert(CK_SESSION_HANDLE h, std::shared_ptr<Session> session) {
    Shard& s = shard(h);
    std::unique_lock lock(s.mu);
    s.map.emplace(h, std::move(session));
  }

  // The removed session, or null when there is none.
  std::shared_ptr<Session> erase(CK_SESSION_HANDLE h) {
    Shard& s = shard(h);
    std::unique_lock lock(s.mu);
    auto it = s.map.find(h);
    if (it == s.map.end()) return nullptr;
    std::shared_ptr<Session> out = std::move(it->second);
    s.map.erase(it);
    return out;
  }

  // Removes every session and hands them back (destroyed by the caller, outside the shard locks).
  std::vector<std::shared_ptr<Session>> clear() {
    std::vector<std::shared_ptr<Session>> out;
    for (Shard& s : shards_) {
      std::unique_lock lock(s.mu);
      for (auto& [h, session] : s.map) out.push_back(std::move(session));
      s.map.clear();
    }
    return out;
  }

  // Whether `pred` holds for some session; stops at the first. REQUIRES: as for_each.
  template <class P>
  bool any_of(P&& pred) const {
    for (const Shard& s : shards_) {
      for (const auto& [h, session] : s.map) {
        if (pred(session)) return true;
      }
    }
    return false;
  }

  template <class F>
  void for_each(F&& fn) const {
    for (const Shard& s : shards_) {
      for (const auto& [h, session] : s.map) fn(session);
    }
  }

 private:
  struct alignas(128) Shard {
    mutable ExclusiveMutex mu;
    std::unordered_map<CK_SESSION_HANDLE, std::shared_ptr<Session>> map;
  };
  Shard& shard(CK_SESSION_HANDLE h) noexcept { return shards_[h % kShards]; }
  const Shard& shard(CK_SESSION_HANDLE h) const noexcept { return shards_[h % kShards]; }

  std::array<Shard, kShards> shards_;
};

}  // namespace craton::token
