// The ordered audit writer (docs/AUDIT.md).
//
// Callers hand in Events. The queue is split into shards by session, each with its own short
// lock, so sessions on different threads do not write a shared cache line per call; a new entry
// draws a ticket from one counter, and ticket order (arrival order) becomes the log order. Unless
// every record is synced (kEvery) or written inline, an operation record (Event::countable) that
// is the same call as one still queued for the same session, with nothing else of that session
// queued after it and no non-operation record of any session queued since, is counted into that
// entry instead (one record with "count" and "last"; docs/AUDIT.md): a session's records stay in
// call order, no call moves across a login, a destruction, ..., and a busy module writes a record
// per burst of identical calls rather than per call; a counted call takes no ticket and touches
// only its shard. The module's own operation calls (append_operation) first try their session's
// open record (burst.h), which needs no lock at all. One writer thread takes every shard's entries at a time: those whose ticket
// was handed out before it started (all of them present, see collect()) in ticket order, numbers
// the records, chains and MACs them (chain.h), appends them with one write(2) and, depending on
// `sync`:
//   kEvery  fdatasync, then releases the callers whose records were in that batch: append()
//           returns only once its record is on disk (group commit: one fdatasync per batch);
//   kBatch  fdatasync at most every 20 ms and whenever the queue runs dry; append() never waits;
//   kOff    never fsyncs (the kernel writes back when it likes).
// The sealed head (head.h) is rewritten after a batch at most every kHeadInterval (and on
// flush() and close()), fsynced unless kOff: records of the last interval are "unsealed" — they
// verify, but cutting them off would not be noticed. A log file that would grow past
// `max_file_size` is closed and the next file of the stream starts with an "audit.rotate" record
// naming the previous file; the chain continues across files.
//
// A stream is one writer's life: files <stream>.NNNNNN.jsonl and the head <stream>.head, where
// <stream> = audit-<UTC start>-<pid>-<random>. Processes never share a stream, so several
// processes may audit into one directory.
//
// Failures: open() fails if the directory, key or first file cannot be written (C_Initialize then
// fails: the module does not run unaudited). A later I/O error is logged once; the records of
// that batch are lost and the head stops advancing, which the verifier reports as a broken chain.
//
// Thread safety: append() and flush() may be called from any thread; close() once, after every
// other call has returned.
#pragma once

#include <sys/types.h>

#include <array>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "audit/burst.h"
#include "audit/chain.h"
#include "audit/record.h"
#include "common/result.h"
#include "common/secure_bytes.h"

namespace craton::audit {

enum class Sync { kEvery, kBatch, kOff };

struct WriterOptions {
  std::string dir;                                   // created (0700) if missing
  Sync sync = Sync::kBatch;
  std::uint64_t max_file_size = 64ULL * 1024 * 1024;  // bytes; at least kMinFileSize
  bool threaded = true;  // false: callers write inline (CKF_LIBRARY_CANT_CREATE_OS_THREADS)
};

inline constexpr std::uint64_t kMinFileSize = 64 * 1024;
inline constexpr long kHeadIntervalMs = 100;
inline constexpr std::size_t kMaxTextField = 256;  // object / detail are cut to this length

class Writer {
  struct PassKey {};

 public:
  Writer(PassKey, WriterOptions opts, SecureBytes key, std::string stream);
  ~Writer();
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  // Creates the stream: first file, "audit.start" record, head; starts the writer thread.
  [[nodiscard]] static Result<std::unique_ptr<Writer>> open(WriterOptions opts, SecureBytes key);

  void append(Event event);
  // As append(), for a caller that reuses its event: copied only when it becomes a new queue
  // entry, so a call counted into a queued record costs no allocation.
  void append_copy(const Event& event);
  // An operation record (Event::countable) of the session whose `burst` this is, with that
  // session's lock held (its calls come one at a time): counted into the Burst's record when it is
  // the same call and no barrier was queued since (burst.h), without taking a lock; otherwise
  // appended as append_copy() does, and `burst` then names the record it went into. Only when
  // counts(); a writer that does not count takes append_copy() (which may wait for the disk, not
  // to be done under a session's lock).
  void append_operation(const Event& event, Burst& burst);
  // The two halves of append_operation(), for a caller that compares its call with the Burst's
  // record itself (abi::record_operation, without building an event). count_open(): counts one
  // more call into that record unless a barrier was queued since, the writer has taken it, or
  // there is none (false then). queue_operation(): the rest, through the queue. Same locking rule.
  bool count_open(Burst& burst);
  void queue_operation(const Event& event, Burst& burst);
  // Whether operation records are counted (a writer thread that does not sync every record).
  bool counts() const noexcept { return opts_.threaded && opts_.sync != Sync::kEvery; }
  // Returns once everything appended before the call is written (and synced unless kOff) and the
  // head names it.
  void flush();
  // Flushes and stops the writer thread; later append() calls are dropped.
  void close();

  // fork() support, called by the module's atfork handlers once no PKCS#11 call is inside the
  // library: hold_for_fork() waits until the writer thread is between two rounds of work and keeps
  // it there, so the process is never copied while that thread holds an allocator, OpenSSL or
  // stdio lock (a lock the child would inherit taken, by a thread it does not have).
  // release_after_fork() lets it go again; call it in both the parent and the child.
  void hold_for_fork();
  void release_after_fork();

  // True in a child created by fork() after open(): the object must then be leaked, not
  // destroyed (its condition variables may have had waiters in the parent; destroying them
  // in the child blocks forever).
  bool inherited_by_fork() const noexcept;

  const std::string& stream() const noexcept { return stream_; }
  const std::string& dir() const noexcept { return opts_.dir; }
  std::string head_path() const;

 private:
  struct Queued {
    Queued() = default;
    // A call's entry, made where it is to stay (a queue entry is a few hundred bytes: building it
    // aside and moving it in was most of what queueing a record cost the caller).
    template <class E>
    Queued(E&& e, const timespec& t, std::uint64_t tk, std::shared_ptr<Tally> ty)
        : event(std::forward<E>(e)), time(t), last(t), ticket(tk), tally(std::move(ty)) {}

    Event event;
    timespec time{};          // of the (first) call
    std::uint64_t count = 1;  // identical calls counted into this entry (Event::countable)
    timespec last{};          // of the last of them
    std::uint64_t ticket = 0;  // position in the log
    std::shared_ptr<Tally> tally;  // calls counted by its session's Burst; sealed by collect()
  };
  struct alignas(128) Shard {
    std::mutex mu;
    std::vector<Queued> queue;  // in ticket order
  };
  static constexpr std::size_t kShards = 16;

  template <class E>
  void append_impl(E&& event, Burst* burst = nullptr);
  Status start();
  void run();
  // Writes one batch (REQUIRES: io_mu_); returns false after an I/O error.
  bool write_batch(std::vector<Queued>& batch);
  // The queued entry `event` may be counted into under the rules above, or null (REQUIRES: sh.mu).
  Queued* queued_same_call(Shard& sh, const Event& event);
  Shard& shard_of(const Event& event) noexcept;
  // Moves every queued entry with a ticket up to the counter's value at the start into `batch`,
  // in ticket order; later ones wait in carry_ for the next call (writer thread / close only).
  void collect(std::vector<Queued>& batch);
  Status append_line(const Queued& q, std::string& buf);
  Status open_file(std::uint32_t index);
  Status flush_buffer(std::string& buf);
  Status rotate(std::string& buf);
  Status chain_line(const Queued& q, std::string& buf);
  void update_head(bool force);
  bool sync_data();  // fdatasync if anything is unsynced; false after an I/O error
  void io_failed(const char* what);

  const WriterOptions opts_;
  const std::string stream_;
  const std::uint32_t pid_;

  // Queue state. The shards hold the entries; mu_ only guards the sleeping and waking below.
  std::array<Shard, kShards> shards_;
  std::atomic<std::uint64_t> tickets_{0};   // tickets handed out (the last one's number)
  std::atomic<std::uint64_t> last_barrier_{0};  // ticket of the last non-operation record queued
  std::atomic<std::size_t> pending_{0};     // entries in the shards
  std::atomic<bool> waiting_{false};        // the writer thread sleeps on work_cv_ until woken
  std::atomic<bool> closed_{false};
  std::vector<Queued> carry_;               // collected too early for the last batch (writer only)
  std::vector<Queued> spare_;               // collect()'s working vector, kept between rounds (writer only)
  std::mutex mu_;
  std::condition_variable work_cv_;
  std::condition_variable done_cv_;
  std::uint64_t done_ = 0;        // every ticket up to this one is written (and synced per mode)
  bool flush_requested_ = false;  // flush() or close() wants the queue now, not at the next poll
  bool stop_ = false;

  // Writer-side state (REQUIRES: io_mu_, held by the writer thread or an inline caller).
  std::mutex io_mu_;
  Chain chain_;
  std::uint64_t seq_ = 0;
  int fd_ = -1;
  std::uint32_t file_index_ = 0;
  std::string file_name_;
  std::uint64_t file_size_ = 0;
  bool failed_ = false;
  std::uint32_t unsynced_ = 0;  // inline kBatch: records since the last fdatasync
  std::string out_;             // a batch's encoded records, kept between batches
  timespec head_written_{};     // CLOCK_MONOTONIC time of the last head update
  timespec last_sync_{};        // CLOCK_MONOTONIC time of the last fdatasync
  std::uint64_t head_seq_ = 0;  // record the head names

  std::unique_ptr<std::thread> thread_;
  std::mutex fork_gate_;  // held by the writer thread for each round of work, and across fork()
  const unsigned fork_generation_;  // fork_generation() when opened: a forked child never writes
};

// Incremented in every child created by fork(): the parent's writer thread does not exist there
// and its locks may be held, so the child's copy of a Writer drops records and is abandoned (not
// joined, not flushed) when destroyed. A child that calls C_Initialize starts its own stream.
unsigned fork_generation() noexcept;

}  // namespace craton::audit
