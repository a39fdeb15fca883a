// A session's open operation record (docs/AUDIT.md, "Counted records").
//
// The writer counts identical operation calls of one session into the record of the first one
// while that record still waits in its queue. Doing that through the queue costs every call the
// queue shard's lock and a look back over it. A session instead keeps a Burst (under its own lock,
// which its calls already hold): the record its latest operation call went into, and that
// record's Tally, a word the calls count into and the writer seals when it takes the record.
// A call that is the same as the Burst's record and finds no barrier queued since (a record that
// is not an operation record, of any session) counts with one compare-and-swap and no lock;
// anything else goes through the queue as before and makes the Burst name its record.
//
// Thread safety: a Tally is shared by the queue entry and one session; add() is called with that
// session's lock held, seal() by the writer thread; both are single atomic steps. A Burst is
// guarded by its session's lock.
#pragma once

#include <atomic>
#include <cstdint>
#include <ctime>
#include <memory>

#include "audit/record.h"

namespace craton::audit {

class Tally {
 public:
  static constexpr std::uint64_t kMaxCount = 0xFFFFFFFFULL;              // calls counted here
  static constexpr std::uint64_t kMaxDelta = (std::uint64_t{1} << 31) - 1;  // µs after the record's time (35 min)

  // Counts one more call, made `delta_us` after the record's time (the last call's time never goes
  // back: the larger of this and the previous one is kept). False once sealed, or when the count or
  // the delta would not fit: the call must then become a record of its own.
  bool add(std::uint64_t delta_us) noexcept;

  struct Counted {
    std::uint64_t count = 0;     // calls added (the record's own call not included)
    std::uint64_t delta_us = 0;  // of the last of them
  };
  // Stops counting and returns what was counted; later add() calls fail.
  Counted seal() noexcept;

 private:
  // Bit 63: sealed; bits 32..62: delta_us; bits 0..31: count.
  static constexpr std::uint64_t kSealed = std::uint64_t{1} << 63;
  std::atomic<std::uint64_t> state_{0};
};

struct Burst {
  std::shared_ptr<Tally> tally;  // null: nothing to count into
  std::uint64_t ticket = 0;      // the record's place in the log
  timespec time{};               // the record's time (its first call's)
  Event event;                   // what the record says
};

}  // namespace craton::audit
