#include "object/parsed_cache.h"

#include <atomic>
#include <new>
#include <mutex>

namespace craton::object {
namespace {

// One snapshot and its entry, in one allocation. `parsed` is written at most once, under `mu` and
// before `ready` is set, and only read afterwards: a lookup needs no lock. `facts` likewise, with
// `facts_ready` (not a std::once_flag: libstdc++'s call_once writes two thread-locals on every
// call, even once done, and every C_*Init asks for the facts).
struct Node {
  explicit Node(AttributeSet a) : attrs(std::move(a)) {}
  AttributeSet attrs;
  std::mutex mu;
  std::atomic<bool> ready{false};
  std::shared_ptr<const ParsedKey> parsed;
  std::atomic<bool> facts_ready{false};
  KeyFacts facts;
};

std::atomic<std::size_t> g_live{0};

// Out of line: inlined into shared_ptr's disposal, GCC 12 takes the destruction of the node that
// contains the snapshot for a use after free (-Wuse-after-free false positive).
[[gnu::noinline]] void destroy(Node* node) noexcept {
  g_live.fetch_sub(1, std::memory_order_relaxed);
  node->~Node();  // frees the parsed form unless an operation still holds it; InBlock frees the memory
}

// The deleter of every snapshot. It carries the snapshot's node, so whoever holds the shared_ptr
// reaches the entry through std::get_deleter: no global table, no global lock, no lookup. (A
// global table keyed by address was the first design; its lock was taken by every object
// creation and showed up in the cost of C_EncapsulateKey.)
struct SnapshotDeleter {
  Node* node;
  void operator()(const AttributeSet*) const noexcept { destroy(node); }
};

// The node and shared_ptr's control block share one allocation (two were a tenth of what storing
// a new session key costs): the block's first kControlSpace bytes hold the control block, the
// rest the node. The control block is allocated through InBlock, which hands out that first part;
// the deleter destroys the node in place, and the control block, destroyed last, frees the block
// through its copy of InBlock.
constexpr std::size_t kControlSpace = 64;
static_assert(alignof(Node) <= __STDCPP_DEFAULT_NEW_ALIGNMENT__ && kControlSpace % alignof(Node) == 0);

template <class T>
struct InBlock {
  using value_type = T;
  void* block;
  explicit InBlock(void* b) noexcept : block(b) {}
  // Implicit, as std::allocator's: the rebinding conversion of the allocator requirements.
  template <class U>
  // cppcheck-suppress noExplicitConstructor
  InBlock(const InBlock<U>& o) noexcept : block(o.block) {}  // NOLINT(google-explicit-constructor)
  T* allocate(std::size_t n) {
    static_assert(sizeof(T) <= kControlSpace && alignof(T) <= __STDCPP_DEFAULT_NEW_ALIGNMENT__,
                  "the control block does not fit its part of the block");
    if (n != 1) throw std::bad_alloc();  // only the one control block is allocated through this
    return static_cast<T*>(block);
  }
  void deallocate(T*, std::size_t) noexcept { ::operator delete(block); }
  template <class U>
  friend bool operator==(const InBlock& a, const InBlock<U>& b) noexcept {
    return a.block == b.block;
  }
};

Node* node_of(const std::shared_ptr<const AttributeSet>& snapshot) noexcept {
  const auto* d = std::get_deleter<SnapshotDeleter>(snapshot);
  return d == nullptr ? nullptr : d->node;
}

}  // namespace

std::shared_ptr<const AttributeSet> make_snapshot(AttributeSet attrs) {
  void* block = ::operator new(kControlSpace + sizeof(Node));
  Node* node = nullptr;
  try {
    node = ::new (static_cast<unsigned char*>(block) + kControlSpace) Node(std::move(attrs));
  } catch (...) {
    ::operator delete(block);
    throw;
  }
  g_live.fetch_add(1, std::memory_order_relaxed);
  // InBlock::allocate cannot fail here, so from now on `out` owns the node and the block.
  return std::shared_ptr<const AttributeSet>(&node->attrs, SnapshotDeleter{node}, InBlock<Node>(block));
}

std::shared_ptr<const ParsedKey> parsed_lookup(const std::shared_ptr<const AttributeSet>& snapshot) {
  Node* node = node_of(snapshot);
  if (node == nullptr || !node->ready.load(std::memory_order_acquire)) return nullptr;
  return node->parsed;
}

void parsed_store(const std::shared_ptr<const AttributeSet>& snapshot, std::shared_ptr<const ParsedKey> parsed) {
  Node* node = node_of(snapshot);
  if (node == nullptr) return;
  std::lock_guard lock(node->mu);
  if (node->ready.load(std::memory_order_relaxed)) return;  // the first stored form wins
  node->parsed = std::move(parsed);
  node->ready.store(true, std::memory_order_release);
}

const KeyFacts* key_facts(const std::shared_ptr<const AttributeSet>& snapshot) {
  Node* node = node_of(snapshot);
  if (node == nullptr) return nullptr;
  if (!node->facts_ready.load(std::memory_order_acquire)) {
    std::lock_guard lock(node->mu);
    if (!node->facts_ready.load(std::memory_order_relaxed)) {
      node->facts = read_key_facts(node->attrs);  // may throw: then not ready, read again next time
      node->facts_ready.store(true, std::memory_order_release);
    }
  }
  return &node->facts;
}

std::size_t parsed_cache_size() { return g_live.load(std::memory_order_relaxed); }

}  // namespace craton::object
