#include "object/parsed_cache.h"

#include <atomic>
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
  std::default_delete<Node>()(node);  // frees the parsed form unless an operation still holds it
}

// The deleter of every snapshot. It carries the snapshot's node, so whoever holds the shared_ptr
// reaches the entry through std::get_deleter: no global table, no global lock, no lookup. (A
// global table keyed by address was the first design; its lock was taken by every object
// creation and showed up in the cost of C_EncapsulateKey.)
struct SnapshotDeleter {
  Node* node;
  void operator()(const AttributeSet*) const noexcept { destroy(node); }
};

Node* node_of(const std::shared_ptr<const AttributeSet>& snapshot) noexcept {
  const auto* d = std::get_deleter<SnapshotDeleter>(snapshot);
  return d == nullptr ? nullptr : d->node;
}

}  // namespace

std::shared_ptr<const AttributeSet> make_snapshot(AttributeSet attrs) {
  auto node = std::make_unique<Node>(std::move(attrs));
  const AttributeSet* set = &node->attrs;
  std::shared_ptr<const AttributeSet> out(set, SnapshotDeleter{node.get()});  // may throw: node still owned
  (void)node.release();  // now owned by the deleter of `out`
  g_live.fetch_add(1, std::memory_order_relaxed);
  return out;
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
