// Ordered, group-committing audit writer (see writer.h). std::mutex / condition_variable rather
// than craton::Mutex: the writer thread must sleep until work arrives, and the application's
// CK_C_INITIALIZE_ARGS callbacks offer no condition variable. These locks are internal and never
// held while calling back into the application.
#include "audit/writer.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <pthread.h>

#include <algorithm>
#include <atomic>
#include <iterator>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <ctime>

#include "audit/head.h"
#include "audit/audit.h"
#include "common/log.h"
#include "storage/sqlite/file_util.h"

namespace craton::audit {
namespace {

constexpr std::size_t kMaxLine = 2048;         // upper bound of one encoded record
constexpr std::size_t kMaxQueue = 65536;       // callers wait beyond this (backpressure)
constexpr std::uint32_t kInlineBatch = 64;     // inline kBatch: fdatasync every this many records
constexpr std::size_t kWakeQueue = 1024;       // a polling writer is woken early past this

constexpr long kBatchSyncMs = 20;              // kBatch: at most one fdatasync per this interval

long ms_since(const timespec& t) {
  timespec mono{};
  ::clock_gettime(CLOCK_MONOTONIC, &mono);
  return (mono.tv_sec - t.tv_sec) * 1000 + (mono.tv_nsec - t.tv_nsec) / 1'000'000;
}

timespec now() {
  timespec t{};
  ::clock_gettime(CLOCK_REALTIME, &t);
  return t;
}

// The time of a call counted into a queued record ("last"): the kernel's last clock tick, read
// without the clock source (a few ms coarse, like the counting window itself), never before the
// record's previous "last". The coarse clock never runs ahead of CLOCK_REALTIME, so a later
// record's precise time is never before it.
bool earlier(const timespec& a, const timespec& b) {
  return a.tv_sec < b.tv_sec || (a.tv_sec == b.tv_sec && a.tv_nsec < b.tv_nsec);
}

timespec counted_time(const timespec& previous) {
  timespec t{};
  ::clock_gettime(CLOCK_REALTIME_COARSE, &t);
  return earlier(t, previous) ? previous : t;
}

// Whole microseconds from `from` to `to` (0 when `to` is earlier: the coarse clock may lag the
// precise time a record was stamped with by up to a tick).
std::uint64_t micros_after(const timespec& from, const timespec& to) {
  const std::int64_t ns = (static_cast<std::int64_t>(to.tv_sec) - from.tv_sec) * 1'000'000'000 + (to.tv_nsec - from.tv_nsec);
  return ns <= 0 ? 0 : static_cast<std::uint64_t>(ns) / 1000;
}

timespec plus_micros(timespec t, std::uint64_t us) {
  const std::uint64_t ns = static_cast<std::uint64_t>(t.tv_nsec) + (us % 1'000'000) * 1000;
  t.tv_sec += static_cast<std::time_t>(us / 1'000'000 + ns / 1'000'000'000);
  t.tv_nsec = static_cast<long>(ns % 1'000'000'000);
  return t;
}

// Makes `burst` name a queued record (the event copied into its reused buffers).
void name_record(Burst& burst, std::shared_ptr<Tally> tally, std::uint64_t ticket, const timespec& time,
                 const Event& event) {
  burst.tally = std::move(tally);
  burst.ticket = ticket;
  burst.time = time;
  burst.event = event;
}

// Unique per directory without needing the RNG (a stream is opened even when a power-on self-test
// of the DRBG failed): start time, pid and the nanoseconds of the start.
std::string new_stream_name() {
  const timespec t = now();
  std::tm tm{};
  const std::time_t secs = t.tv_sec;
  gmtime_r(&secs, &tm);
  char buf[64];
  const std::size_t n = std::strftime(buf, sizeof(buf), "%Y%m%dT%H%M%SZ", &tm);
  char tail[40];
  std::snprintf(tail, sizeof(tail), "-%d-%09ld", static_cast<int>(::getpid()), static_cast<long>(t.tv_nsec));
  return "audit-" + std::string(buf, n) + tail;
}

bool write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

void clip(std::string& s) {
  if (s.size() > kMaxTextField) s.resize(kMaxTextField);
}
template <std::size_t N>
void clip(SmallString<N>& s) {
  s.truncate(kMaxTextField);
}

// The writer keeps its batch buffers between rounds; one that a burst grew past this many bytes
// (the queue allows kMaxQueue entries) is given back rather than kept for the rest of the stream.
constexpr std::size_t kKeepBuffer = std::size_t{1} << 20;

template <class Buffer>
void release_if_large(Buffer& b) {
  if (b.capacity() * sizeof(typename Buffer::value_type) > kKeepBuffer) Buffer().swap(b);
}

std::atomic<unsigned> g_fork_generation{0};

void after_fork_in_child() { g_fork_generation.fetch_add(1, std::memory_order_relaxed); }

}  // namespace

unsigned fork_generation() noexcept { return g_fork_generation.load(std::memory_order_relaxed); }

Writer::Writer(PassKey, WriterOptions opts, SecureBytes key, std::string stream)
    : opts_(std::move(opts)), stream_(std::move(stream)), pid_(static_cast<std::uint32_t>(::getpid())),
      chain_(std::move(key), Hash{}), fork_generation_(fork_generation()) {}

Writer::~Writer() { close(); }

bool Writer::inherited_by_fork() const noexcept { return fork_generation() != fork_generation_; }

std::string Writer::head_path() const { return opts_.dir + "/" + stream_ + ".head"; }

Result<std::unique_ptr<Writer>> Writer::open(WriterOptions opts, SecureBytes key) {
  if (key.size() != kKeySize) return fail(CKR_GENERAL_ERROR, "audit key must be 32 bytes");
  static std::once_flag atfork_once;
  std::call_once(atfork_once, [] { (void)::pthread_atfork(nullptr, nullptr, after_fork_in_child); });
  if (opts.max_file_size < kMinFileSize) opts.max_file_size = kMinFileSize;
  if (!storage::sqlite::make_directories(opts.dir, 0700).ok()) {
    return fail(CKR_DEVICE_ERROR, "cannot create the audit directory");
  }
  std::string stream = new_stream_name();
  auto w = std::make_unique<Writer>(PassKey{}, std::move(opts), std::move(key), std::move(stream));
  CRATON_TRY(w->start());
  register_writer(w.get());
  return w;
}

Status Writer::start() {
  std::lock_guard io(io_mu_);
  CRATON_TRY(open_file(0));
  std::string buf;
  Queued q;
  q.event.name = "audit.start";
  q.event.detail = stream_;
  q.time = now();
  CRATON_TRY(append_line(q, buf));
  CRATON_TRY(flush_buffer(buf));
  if (opts_.sync != Sync::kOff && ::fdatasync(fd_) != 0) return fail(CKR_DEVICE_ERROR, "cannot sync the audit log");
  CRATON_TRY(write_head(head_path(), Head{stream_, seq_, chain_.last(), file_name_}, chain_.key(),
                        opts_.sync != Sync::kOff, 0600));
  head_seq_ = seq_;
  ::clock_gettime(CLOCK_MONOTONIC, &head_written_);
  if (opts_.threaded) thread_ = std::make_unique<std::thread>([this] { run(); });
  return {};
}

Status Writer::open_file(std::uint32_t index) {
  char suffix[16];
  std::snprintf(suffix, sizeof(suffix), ".%06u.jsonl", index);
  const std::string name = stream_ + suffix;
  const std::string path = opts_.dir + "/" + name;
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return fail(CKR_DEVICE_ERROR, "cannot create an audit log file");
  (void)::fchmod(fd, 0600);  // exactly 0600 whatever the process umask
  if (fd_ >= 0) ::close(fd_);
  fd_ = fd;
  file_index_ = index;
  file_name_ = name;
  file_size_ = 0;
  if (opts_.sync != Sync::kOff) sync_dir_of(path);
  return {};
}

Status Writer::append_line(const Queued& q, std::string& buf) {
  if (file_size_ + buf.size() + kMaxLine > opts_.max_file_size && file_size_ + buf.size() > 0) CRATON_TRY(rotate(buf));
  return chain_line(q, buf);
}

// Numbers, chains and MACs one record onto `buf`.
Status Writer::chain_line(const Queued& q, std::string& buf) {
  Stamp st;
  st.seq = seq_ + 1;
  st.time = q.time;
  st.pid = pid_;
  st.count = q.count;
  st.last = q.last;
  CRATON_ASSIGN_OR_RETURN(std::string line, chain_.append(std::move(st), q.event));
  ++seq_;
  buf += line;
  buf.push_back('\n');
  return {};
}

Status Writer::flush_buffer(std::string& buf) {
  if (buf.empty()) return {};
  if (!write_all(fd_, buf)) return fail(CKR_DEVICE_ERROR, "cannot write the audit log");
  file_size_ += buf.size();
  buf.clear();
  return {};
}

// The next file starts with a record naming the previous one; the chain simply continues.
Status Writer::rotate(std::string& buf) {
  CRATON_TRY(flush_buffer(buf));
  if (opts_.sync != Sync::kOff && ::fdatasync(fd_) != 0) return fail(CKR_DEVICE_ERROR, "cannot sync the audit log");
  const std::string previous = file_name_;
  CRATON_TRY(open_file(file_index_ + 1));
  Queued q;
  q.event.name = "audit.rotate";
  q.event.detail = previous;
  q.time = now();
  return chain_line(q, buf);
}

void Writer::io_failed(const char* what) {
  if (!failed_) log::error("audit", "audit log write failed, records are being lost: ", std::string_view(what));
  failed_ = true;
}

bool Writer::write_batch(std::vector<Queued>& batch) {
  if (failed_) return false;
  std::string& buf = out_;
  buf.clear();
  buf.reserve(batch.size() * 400);
  for (Queued& q : batch) {
    clip(q.event.object);
    clip(q.event.detail);
    if (auto st = append_line(q, buf); !st.ok()) {
      io_failed(st.error().reason);
      return false;
    }
  }
  if (auto st = flush_buffer(buf); !st.ok()) {
    io_failed(st.error().reason);
    return false;
  }
  release_if_large(buf);
  // kBatch: a writer thread syncs at most every kBatchSyncMs (and when the queue runs dry, see
  // run()); inline callers (no thread) every kInlineBatch records.
  unsynced_ += static_cast<std::uint32_t>(batch.size());
  bool sync_now = opts_.sync == Sync::kEvery;
  if (opts_.sync == Sync::kBatch) {
    sync_now = opts_.threaded ? ms_since(last_sync_) >= kBatchSyncMs : unsynced_ >= kInlineBatch;
  }
  return !sync_now || sync_data();
}

bool Writer::sync_data() {
  if (unsynced_ == 0 || failed_) return !failed_;
  unsynced_ = 0;
  ::clock_gettime(CLOCK_MONOTONIC, &last_sync_);
  if (::fdatasync(fd_) != 0) {
    io_failed("fdatasync");
    return false;
  }
  return true;
}

void Writer::update_head(bool force) {
  if (failed_ || head_seq_ == seq_) return;
  if (!force && ms_since(head_written_) < kHeadIntervalMs) return;
  // The head must never name a record that is not on disk yet (a crash would then look like a cut).
  if (opts_.sync != Sync::kOff && !sync_data()) return;
  ::clock_gettime(CLOCK_MONOTONIC, &head_written_);
  head_seq_ = seq_;
  auto st = write_head(head_path(), Head{stream_, seq_, chain_.last(), file_name_}, chain_.key(),
                       opts_.sync != Sync::kOff, 0600);
  if (!st.ok()) io_failed("head");
}

// kBatch / kOff: while records keep coming the writer collects the shards every kPoll instead of
// being woken per record, so an audited call costs a shard push (or a count) and no futex
// wake-up, and identical calls have time to be counted into one record. It collects early when
// flush() or close() asks or when kWakeQueue entries are waiting. After a round that found nothing
// it sleeps until woken (waiting_), and the next append() wakes it. kEvery callers always wake it.
void Writer::hold_for_fork() {
  if (thread_) fork_gate_.lock();
}

void Writer::release_after_fork() {
  if (thread_) fork_gate_.unlock();
}

void Writer::run() {
  constexpr auto kPoll = std::chrono::milliseconds(2);
  std::vector<Queued> batch;
  bool idle = false;
  while (true) {
    bool stopping = false;
    {
      std::unique_lock lock(mu_);
      const auto has_work = [this] { return stop_ || pending_.load() > 0 || !carry_.empty(); };
      if (opts_.sync == Sync::kEvery || idle) {
        waiting_.store(true);
        work_cv_.wait(lock, has_work);
        waiting_.store(false);
      } else {
        work_cv_.wait_for(lock, kPoll, [this] { return stop_ || flush_requested_ || pending_.load() >= kWakeQueue; });
      }
      flush_requested_ = false;
      stopping = stop_;
    }
    // One round of work, never cut in two by fork() (hold_for_fork()).
    std::lock_guard gate(fork_gate_);
    collect(batch);
    if (batch.empty()) {
      if (stopping && carry_.empty() && pending_.load() == 0) return;
      idle = carry_.empty();
      // The queue ran dry: make what was written durable and seal it before sleeping.
      std::lock_guard io(io_mu_);
      if (opts_.sync != Sync::kBatch || sync_data()) update_head(true);
      continue;
    }
    idle = false;
    const std::uint64_t last = batch.back().ticket;
    std::lock_guard io(io_mu_);
    write_batch(batch);
    {
      std::lock_guard lock(mu_);
      done_ = last;
    }
    done_cv_.notify_all();
    batch.clear();
    update_head(false);  // after the release: a kEvery caller waits for its record, not for the head
  }
}

// Every ticket up to `high` was drawn by a caller holding its shard's lock and pushed before that
// lock was released; `high` is read before any shard is locked here, so all of those entries are
// in the shards (or in carry_) by the time each shard is taken. Entries with later tickets may
// have gaps before them: they wait in carry_.
void Writer::collect(std::vector<Queued>& batch) {
  const std::uint64_t high = tickets_.load();
  // The working vector and the batch it becomes are two buffers that take turns, kept from round
  // to round: a batch of a few hundred records is larger than malloc's mmap threshold, and a fresh
  // mapping per round cost this thread a page fault per page and the callers' cores the TLB
  // shoot-downs of unmapping it (docs/PERFORMANCE.md, ninth round).
  std::vector<Queued>& all = spare_;
  all.clear();
  all.insert(all.end(), std::make_move_iterator(carry_.begin()), std::make_move_iterator(carry_.end()));
  carry_.clear();
  std::size_t taken = 0;
  for (Shard& sh : shards_) {
    std::lock_guard lock(sh.mu);
    if (sh.queue.empty()) continue;
    taken += sh.queue.size();
    // Copied out, not moved: moving writes every entry (the source is emptied), so the next
    // caller to append to this shard found those cache lines modified on this core and its
    // push_back waited for them (perf put most of the caller's queueing time there). A copy only
    // reads them. From here on nothing can be counted into these entries: seal what their
    // sessions counted, in the copies.
    for (const Queued& queued : sh.queue) {
      all.push_back(queued);
      Queued& q = all.back();
      if (!q.tally) continue;
      const Tally::Counted c = q.tally->seal();
      q.tally.reset();
      if (c.count == 0) continue;
      q.count += c.count;
      const timespec tail = plus_micros(q.time, c.delta_us);
      if (earlier(q.last, tail)) q.last = tail;
    }
    sh.queue.clear();
  }
  if (taken != 0) {
    pending_.fetch_sub(taken);
    { std::lock_guard lock(mu_); }  // a caller held back by kMaxQueue is asleep or sees the drop
    done_cv_.notify_all();
  }
  const auto by_ticket = [](const Queued& a, const Queued& b) { return a.ticket < b.ticket; };
  if (!std::is_sorted(all.begin(), all.end(), by_ticket)) std::sort(all.begin(), all.end(), by_ticket);
  const auto split = std::partition_point(all.begin(), all.end(), [high](const Queued& q) { return q.ticket <= high; });
  carry_.assign(std::make_move_iterator(split), std::make_move_iterator(all.end()));
  all.erase(split, all.end());
  batch.clear();
  release_if_large(batch);
  std::swap(batch, all);
}

Writer::Shard& Writer::shard_of(const Event& event) noexcept {
  return shards_[event.session ? static_cast<std::size_t>(*event.session % kShards) : 0];
}

void Writer::append(Event event) { append_impl(std::move(event)); }

void Writer::append_copy(const Event& event) { append_impl(event); }

// The Burst's record is its session's latest (every operation record of the session comes through
// append_operation); with no barrier queued after it and the same call, this call is counted there,
// lock-free. A sealed tally (the writer took the record) refuses, and the call becomes a record
// of its own.
bool Writer::count_open(Burst& burst) {
  if (fork_generation() != fork_generation_) return true;  // a forked child writes nothing (fork_generation())
  if (!burst.tally || burst.ticket < last_barrier_.load()) return false;
  timespec now{};
  ::clock_gettime(CLOCK_REALTIME_COARSE, &now);
  return burst.tally->add(micros_after(burst.time, now));
}

void Writer::append_operation(const Event& event, Burst& burst) {
  if (same_call(burst.event, event) && count_open(burst)) return;
  queue_operation(event, burst);
}

void Writer::queue_operation(const Event& event, Burst& burst) {
  burst.tally.reset();
  append_impl(event, &burst);
}

template <class E>
void Writer::append_impl(E&& event, Burst* burst) {
  if (fork_generation() != fork_generation_) return;  // see fork_generation()
  if (!opts_.threaded) {  // no writer thread: the caller writes its record itself
    std::lock_guard io(io_mu_);
    if (closed_.load()) return;
    std::vector<Queued> batch;
    const timespec t = now();
    batch.emplace_back(std::forward<E>(event), t, 0, nullptr);
    write_batch(batch);
    update_head(false);
    return;
  }
  if (pending_.load(std::memory_order_relaxed) >= kMaxQueue) {  // backpressure: wait for the writer
    std::unique_lock lock(mu_);
    flush_requested_ = true;
    work_cv_.notify_one();
    done_cv_.wait(lock, [this] { return pending_.load() < kMaxQueue || closed_.load(); });
  }
  Shard& sh = shard_of(event);
  std::uint64_t ticket = 0;
  std::size_t queued = 0;
  {
    std::lock_guard lock(sh.mu);
    if (closed_.load(std::memory_order_relaxed)) return;
    const bool counting = event.countable && opts_.sync != Sync::kEvery;
    if (counting) {
      if (Queued* same = queued_same_call(sh, event)) {
        ++same->count;
        same->last = counted_time(same->last);
        if (burst != nullptr) {  // the session counts into this entry from now on
          if (!same->tally) same->tally = std::make_shared<Tally>();
          name_record(*burst, same->tally, same->ticket, same->time, same->event);
        }
        return;
      }
    }
    const timespec t = now();  // stamped under the shard lock: a session's times follow its records
    ticket = tickets_.fetch_add(1) + 1;
    if (!event.countable) {
      // Published before the push (and so before this call returns): a call that starts after
      // it cannot be counted into an entry queued before this record.
      std::uint64_t seen = last_barrier_.load();
      while (seen < ticket && !last_barrier_.compare_exchange_weak(seen, ticket)) {
      }
    }
    if (counting && burst != nullptr) {
      auto tally = std::make_shared<Tally>();
      name_record(*burst, tally, ticket, t, event);
      sh.queue.emplace_back(std::forward<E>(event), t, ticket, std::move(tally));
    } else {
      sh.queue.emplace_back(std::forward<E>(event), t, ticket, nullptr);
    }
    queued = pending_.fetch_add(1) + 1;  // under the shard lock: collect() never takes it first
  }
  const bool wake = waiting_.load() || queued == kWakeQueue;  // a polling writer checks the size itself
  if (opts_.sync == Sync::kEvery) {
    std::unique_lock lock(mu_);
    if (wake) work_cv_.notify_one();
    done_cv_.wait(lock, [&] { return done_ >= ticket || closed_.load(); });
    return;
  }
  if (wake) {
    // Taking mu_ orders this wake-up after the writer's check of pending_ (no lost wake-up).
    { std::lock_guard lock(mu_); }
    work_cv_.notify_one();
  }
}

// Looks back over the shard's tail for an entry of the same call on the same session. It stops at
// an entry that is not an operation record and at one queued before the last non-operation
// record of any session (so counting never moves a call across a login, an object's destruction, ...), and
// at another call of the same session (so a session's records stay in call order); entries of
// other sessions sharing the shard are stepped over, a bounded number of them.
Writer::Queued* Writer::queued_same_call(Shard& sh, const Event& event) {
  constexpr std::size_t kLookBack = 16;
  const std::uint64_t barrier = last_barrier_.load();
  std::size_t looked = 0;
  for (auto it = sh.queue.rbegin(); it != sh.queue.rend() && looked < kLookBack; ++it, ++looked) {
    if (!it->event.countable || it->ticket < barrier) return nullptr;
    if (it->event.session != event.session) continue;
    return same_call(it->event, event) ? &*it : nullptr;
  }
  return nullptr;
}

void Writer::flush() {
  if (fork_generation() != fork_generation_) return;
  const std::uint64_t ticket = tickets_.load();
  if (thread_) {
    std::unique_lock lock(mu_);
    flush_requested_ = true;
    work_cv_.notify_one();
    done_cv_.wait(lock, [&] { return done_ >= ticket || stop_; });
  }
  std::lock_guard io(io_mu_);
  if (opts_.sync == Sync::kBatch) (void)sync_data();
  update_head(true);
}

void Writer::close() {
  if (fork_generation() != fork_generation_) {
    (void)thread_.release();  // the thread does not exist in this process: abandon its handle
    unregister_writer(this);
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
    return;
  }
  {
    std::lock_guard lock(mu_);
    if (closed_.exchange(true)) return;
    stop_ = true;
  }
  // A caller past its closed_ check pushes before releasing its shard lock: taking every shard
  // lock once makes sure no push is still under way when the writer drains for the last time.
  for (Shard& sh : shards_) std::lock_guard lock(sh.mu);
  unregister_writer(this);
  work_cv_.notify_all();
  done_cv_.notify_all();
  if (thread_ && thread_->joinable()) thread_->join();
  std::lock_guard io(io_mu_);
  if (thread_) {  // the writer drained before exiting; this only matters if it failed to start
    std::vector<Queued> rest;
    collect(rest);
    if (!rest.empty()) write_batch(rest);
  }
  if (fd_ >= 0) {
    if (opts_.sync != Sync::kOff) (void)sync_data();
    update_head(true);
    ::close(fd_);
    fd_ = -1;
  }
}

}  // namespace craton::audit
