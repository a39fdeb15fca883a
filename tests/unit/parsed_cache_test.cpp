// The parsed-key cache: entries belong to one attribute snapshot and die with it.
#include <gtest/gtest.h>

#include <memory>
#include <optional>

#include "object/parsed_cache.h"

namespace craton::object {
namespace {

struct Parsed final : ParsedKey {
  explicit Parsed(int v, int* alive) : value(v), alive_count(alive) { ++*alive_count; }
  ~Parsed() override { --*alive_count; }
  int value;
  int* alive_count;
};

AttributeSet attrs(CK_ULONG cls) {
  AttributeSet s;
  s.set(Attribute::make_ulong(CKA_CLASS, cls));
  return s;
}

TEST(ParsedCache, StoredFormIsFoundForItsSnapshotOnly) {
  int alive = 0;
  auto a = make_snapshot(attrs(CKO_SECRET_KEY));
  auto b = make_snapshot(attrs(CKO_SECRET_KEY));
  EXPECT_EQ(parsed_lookup(a), nullptr);
  parsed_store(a, std::make_shared<Parsed>(7, &alive));
  auto hit = std::dynamic_pointer_cast<const Parsed>(parsed_lookup(a));
  ASSERT_NE(hit, nullptr);
  EXPECT_EQ(hit->value, 7);
  EXPECT_EQ(parsed_lookup(b), nullptr);
  // The first stored form wins; a racing second parse is dropped.
  parsed_store(a, std::make_shared<Parsed>(8, &alive));
  EXPECT_EQ(std::dynamic_pointer_cast<const Parsed>(parsed_lookup(a))->value, 7);
  EXPECT_EQ(alive, 1);
}

TEST(ParsedCache, EntryDiesWithTheSnapshot) {
  int alive = 0;
  const std::size_t before = parsed_cache_size();
  {
    auto a = make_snapshot(attrs(CKO_PRIVATE_KEY));
    EXPECT_EQ(parsed_cache_size(), before + 1);
    parsed_store(a, std::make_shared<Parsed>(1, &alive));
    EXPECT_EQ(alive, 1);
  }
  EXPECT_EQ(parsed_cache_size(), before);
  EXPECT_EQ(alive, 0);  // the parsed key was freed with its object version
}

// A snapshot's node shares one allocation with the shared_ptr's control block: copies, aliases and
// weak references keep it valid, the node (and its parsed form) goes with the last owner, and the
// memory with the last weak reference (ASan checks both halves of that).
TEST(ParsedCache, SnapshotOutlivesItsCopiesAndWeakReferences) {
  int alive = 0;
  const std::size_t before = parsed_cache_size();
  std::weak_ptr<const AttributeSet> weak;
  {
    auto a = make_snapshot(attrs(CKO_SECRET_KEY));
    parsed_store(a, std::make_shared<Parsed>(7, &alive));
    auto copy = a;
    weak = a;
    a.reset();
    ASSERT_TRUE(copy);
    EXPECT_EQ(copy->get_ulong(CKA_CLASS), std::optional<CK_ULONG>(CKO_SECRET_KEY));
    EXPECT_NE(parsed_lookup(copy), nullptr);
    EXPECT_NE(key_facts(copy), nullptr);
    EXPECT_EQ(parsed_cache_size(), before + 1);
    EXPECT_FALSE(weak.expired());
  }
  EXPECT_TRUE(weak.expired());
  EXPECT_EQ(parsed_cache_size(), before);
  EXPECT_EQ(alive, 0);
  weak.reset();  // the block is freed now
}

TEST(ParsedCache, OperationsKeepTheParsedFormAliveAfterTheObjectChanges) {
  int alive = 0;
  auto a = make_snapshot(attrs(CKO_PRIVATE_KEY));
  parsed_store(a, std::make_shared<Parsed>(1, &alive));
  auto in_use = parsed_lookup(a);
  a.reset();  // the object changed or was destroyed
  EXPECT_EQ(alive, 1);  // a running operation still holds it
  in_use.reset();
  EXPECT_EQ(alive, 0);
}

TEST(ParsedCache, ForeignSetsAreNeverCached) {
  int alive = 0;
  auto plain = std::make_shared<const AttributeSet>(attrs(CKO_SECRET_KEY));  // not from make_snapshot
  parsed_store(plain, std::make_shared<Parsed>(1, &alive));
  EXPECT_EQ(parsed_lookup(plain), nullptr);
  EXPECT_EQ(alive, 0);
}

}  // namespace
}  // namespace craton::object
