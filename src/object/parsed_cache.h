// Parsed-key cache: the decoded form of a key (an EVP_PKEY, a key schedule, ...) attached to one
// immutable attribute snapshot, so that a sign or encrypt call does not re-decode the key.
//
// The snapshot's KeyFacts (key_facts.h) are kept the same way, read on first use.
//
// Snapshots made by make_snapshot() carry a deleter that drops their cache entry, so a parsed key
// never outlives the object version it came from (a change, destroy or logout makes a new
// snapshot; the old parse is freed when the last operation using it ends). Entries can only be
// stored for snapshots made by make_snapshot().
// Thread safety: all functions are thread-safe. The entry lives with the snapshot (found through
// its deleter): a lookup takes no lock, a store takes the snapshot's own lock, and no lock is ever
// held while a key is parsed or used.
#pragma once

#include <memory>

#include "object/attribute.h"
#include "object/key_facts.h"

namespace craton::object {

// Base of every cached parsed form.
class ParsedKey {
 public:
  virtual ~ParsedKey() = default;
};

std::shared_ptr<const AttributeSet> make_snapshot(AttributeSet attrs);

std::shared_ptr<const ParsedKey> parsed_lookup(const std::shared_ptr<const AttributeSet>& snapshot);
void parsed_store(const std::shared_ptr<const AttributeSet>& snapshot, std::shared_ptr<const ParsedKey> parsed);

// The snapshot's KeyFacts, read on the first call and kept with the snapshot (so valid as long as
// it lives); null for a snapshot not made by make_snapshot().
const KeyFacts* key_facts(const std::shared_ptr<const AttributeSet>& snapshot);

// Number of snapshots alive (tests).
std::size_t parsed_cache_size();

}  // namespace craton::object
