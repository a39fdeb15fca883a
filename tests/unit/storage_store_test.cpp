// Behaviour every StoreBackend must share, run against the SQLite backend and its in-memory twin.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <new>
#include <thread>

#include "storage_test_util.h"

namespace craton::storage {
namespace {

using testing::erase;
using testing::generation_of;
using testing::put;
using testing::ScratchDir;
using testing::to_bytes;

class StoreConformance : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override {
    ASSERT_FALSE(dir_.path().empty());
    backend_ = open_backend();
    ASSERT_NE(backend_, nullptr);
  }

  std::unique_ptr<StoreBackend> open_backend() {
    BackendOptions opts;
    opts.directory = dir_.path() + "/tokens";
    auto b = make_backend(GetParam(), opts);
    EXPECT_TRUE(b.ok());
    return b.ok() ? std::move(b).value() : nullptr;
  }

  std::unique_ptr<TokenStore> create(std::string_view name) {
    auto s = backend_->create_token(name);
    EXPECT_TRUE(s.ok());
    return s.ok() ? std::move(s).value() : nullptr;
  }

  ScratchDir dir_;
  std::unique_ptr<StoreBackend> backend_;
};

TEST_P(StoreConformance, CreateListOpenDelete) {
  ASSERT_NE(create("alpha"), nullptr);
  ASSERT_NE(create("beta"), nullptr);
  EXPECT_EQ(backend_->create_token("alpha").rv(), CKR_DEVICE_ERROR);
  auto names = backend_->list_tokens();
  ASSERT_TRUE(names.ok());
  std::sort(names->begin(), names->end());
  EXPECT_EQ(*names, (std::vector<std::string>{"alpha", "beta"}));
  EXPECT_TRUE(backend_->open_token("alpha").ok());
  EXPECT_EQ(backend_->open_token("gamma").rv(), CKR_TOKEN_NOT_PRESENT);
  ASSERT_TRUE(backend_->delete_token("alpha").ok());
  EXPECT_EQ(backend_->delete_token("alpha").rv(), CKR_TOKEN_NOT_PRESENT);
  names = backend_->list_tokens();
  ASSERT_TRUE(names.ok());
  EXPECT_EQ(*names, std::vector<std::string>{"beta"});
  // The name is free again.
  EXPECT_NE(create("alpha"), nullptr);
}

TEST_P(StoreConformance, RejectsUnsafeTokenNames) {
  for (const char* bad : {"", ".", "..", ".hidden", "a/b", "../escape"}) {
    EXPECT_EQ(backend_->create_token(bad).rv(), CKR_ARGUMENTS_BAD) << bad;
    EXPECT_EQ(backend_->open_token(bad).rv(), CKR_ARGUMENTS_BAD) << bad;
    EXPECT_EQ(backend_->delete_token(bad).rv(), CKR_ARGUMENTS_BAD) << bad;
  }
}

TEST_P(StoreConformance, CommitAndRollback) {
  auto s = create("t");
  ASSERT_NE(s, nullptr);
  ASSERT_TRUE(s->write([](Transaction& t) -> Status {
    CRATON_TRY(t.put_object("a", to_bytes("one")));
    return t.put_meta("label", to_bytes("hello"));
  }).ok());
  const std::uint64_t before = generation_of(*s);

  const Status failed = s->write([](Transaction& t) -> Status {
    CRATON_TRY(t.put_object("b", to_bytes("two")));
    CRATON_TRY(t.put_meta("label", to_bytes("changed")));
    CRATON_TRY(t.delete_object("a"));
    return fail(CKR_FUNCTION_FAILED, "caller gave up");
  });
  EXPECT_EQ(failed.rv(), CKR_FUNCTION_FAILED);
  EXPECT_STREQ(failed.error().reason, "caller gave up");

  auto all = s->changes_since(0);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->generation, before);
  ASSERT_EQ(all->upserts.size(), 1U);
  EXPECT_EQ(all->upserts[0].uid, "a");
  EXPECT_EQ(all->upserts[0].blob, to_bytes("one"));
  EXPECT_TRUE(all->deletions.empty());
  auto label = s->read_meta("label");
  ASSERT_TRUE(label.ok());
  EXPECT_EQ(label->value_or(Bytes{}), to_bytes("hello"));
  auto missing = s->read_meta("nope");
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());
}

TEST_P(StoreConformance, ReadsInsideTransactionSeeOwnWrites) {
  auto s = create("t");
  ASSERT_NE(s, nullptr);
  ASSERT_TRUE(s->write([](Transaction& t) -> Status {
    CRATON_TRY(t.put_object("a", to_bytes("x")));
    CRATON_ASSIGN_OR_RETURN(auto got, t.get_object("a"));
    if (!got || *got != to_bytes("x")) return fail(CKR_GENERAL_ERROR, "own write invisible");
    CRATON_TRY(t.put_meta("k", {}));  // empty values are legal
    CRATON_ASSIGN_OR_RETURN(auto meta, t.get_meta("k"));
    if (!meta || !meta->empty()) return fail(CKR_GENERAL_ERROR, "empty meta lost");
    CRATON_ASSIGN_OR_RETURN(auto none, t.get_object("zz"));
    if (none) return fail(CKR_GENERAL_ERROR, "phantom object");
    return ok_status();
  }).ok());
}

TEST_P(StoreConformance, GenerationsAndTombstones) {
  auto s = create("t");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(generation_of(*s), 0U);
  ASSERT_TRUE(put(*s, "a", "1").ok());
  const auto g1 = generation_of(*s);
  ASSERT_TRUE(put(*s, "b", "2").ok());
  const auto g2 = generation_of(*s);
  EXPECT_LT(g1, g2);

  auto c = s->changes_since(g1);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->generation, g2);
  ASSERT_EQ(c->upserts.size(), 1U);
  EXPECT_EQ(c->upserts[0].uid, "b");

  ASSERT_TRUE(erase(*s, "a").ok());
  const auto g3 = generation_of(*s);
  c = s->changes_since(g2);
  ASSERT_TRUE(c.ok());
  EXPECT_TRUE(c->upserts.empty());
  EXPECT_EQ(c->deletions, std::vector<std::string>{"a"});

  // Re-creating the id clears its tombstone.
  ASSERT_TRUE(put(*s, "a", "again").ok());
  c = s->changes_since(g2);
  ASSERT_TRUE(c.ok());
  EXPECT_TRUE(c->deletions.empty());
  ASSERT_EQ(c->upserts.size(), 1U);
  EXPECT_EQ(c->upserts[0].blob, to_bytes("again"));
  EXPECT_GT(c->generation, g3);

  // Deleting an absent id is fine and announces nothing.
  const auto g4 = generation_of(*s);
  ASSERT_TRUE(erase(*s, "never-existed").ok());
  EXPECT_EQ(generation_of(*s), g4);

  ASSERT_TRUE(s->write([](Transaction& t) { return t.delete_all_objects(); }).ok());
  c = s->changes_since(g4);
  ASSERT_TRUE(c.ok());
  std::sort(c->deletions.begin(), c->deletions.end());
  EXPECT_EQ(c->deletions, (std::vector<std::string>{"a", "b"}));
  c = s->changes_since(0);
  ASSERT_TRUE(c.ok());
  EXPECT_TRUE(c->upserts.empty());
}

TEST_P(StoreConformance, OneGenerationPerTransaction) {
  auto s = create("t");
  ASSERT_NE(s, nullptr);
  ASSERT_TRUE(s->write([](Transaction& t) -> Status {
    CRATON_TRY(t.put_object("a", to_bytes("1")));
    CRATON_TRY(t.put_object("b", to_bytes("2")));
    return t.put_meta("m", to_bytes("3"));
  }).ok());
  EXPECT_EQ(generation_of(*s), 1U);
  // A transaction that changes nothing does not advance the generation.
  ASSERT_TRUE(s->write([](Transaction& t) { return t.get_object("a").ok() ? ok_status() : fail(CKR_GENERAL_ERROR); }).ok());
  EXPECT_EQ(generation_of(*s), 1U);
}

TEST_P(StoreConformance, ExceptionInTransactionChangesNothing) {
  auto s = create("t");
  ASSERT_NE(s, nullptr);
  EXPECT_THROW(static_cast<void>(s->write([](Transaction& t) -> Status {
                 static_cast<void>(t.put_object("x", to_bytes("1")));
                 throw std::bad_alloc();
               })),
               std::bad_alloc);
  EXPECT_FALSE(*s->changed_since(0));
  ASSERT_TRUE(put(*s, "y", "2").ok());
  EXPECT_EQ(s->changes_since(0)->upserts.size(), 1U);
}

TEST_P(StoreConformance, ChangedSince) {
  auto s = create("t");
  ASSERT_NE(s, nullptr);
  EXPECT_FALSE(*s->changed_since(0));
  ASSERT_TRUE(put(*s, "a", "1").ok());
  EXPECT_TRUE(*s->changed_since(0));
  const auto g = generation_of(*s);
  EXPECT_FALSE(*s->changed_since(g));
  EXPECT_FALSE(*s->changed_since(g));  // repeated, nothing changed
  ASSERT_TRUE(put(*s, "a", "2").ok());
  EXPECT_TRUE(*s->changed_since(g));
}

TEST_P(StoreConformance, TwoInstancesSeeEachOther) {
  auto first = create("shared");
  ASSERT_NE(first, nullptr);
  auto other_backend = open_backend();  // as another process would
  auto second = other_backend->open_token("shared");
  ASSERT_TRUE(second.ok());
  TokenStore& s2 = **second;

  EXPECT_FALSE(*s2.changed_since(0));
  ASSERT_TRUE(put(*first, "x", "from first").ok());
  auto seen = s2.changed_since(0);
  ASSERT_TRUE(seen.ok());
  EXPECT_TRUE(*seen);
  auto c = s2.changes_since(0);
  ASSERT_TRUE(c.ok());
  ASSERT_EQ(c->upserts.size(), 1U);
  EXPECT_EQ(c->upserts[0].blob, to_bytes("from first"));
  const auto g = c->generation;
  EXPECT_FALSE(*s2.changed_since(g));

  ASSERT_TRUE(erase(s2, "x").ok());
  EXPECT_TRUE(*first->changed_since(g));
  auto c1 = first->changes_since(g);
  ASSERT_TRUE(c1.ok());
  EXPECT_EQ(c1->deletions, std::vector<std::string>{"x"});
  EXPECT_FALSE(*first->changed_since(c1->generation));
  EXPECT_FALSE(*s2.changed_since(c1->generation));
}

TEST_P(StoreConformance, DeletedTokenReportsRemoved) {
  auto s = create("doomed");
  ASSERT_NE(s, nullptr);
  ASSERT_TRUE(put(*s, "a", "1").ok());
  ASSERT_TRUE(backend_->delete_token("doomed").ok());
  EXPECT_EQ(put(*s, "b", "2").rv(), CKR_DEVICE_REMOVED);
  EXPECT_EQ(s->changed_since(0).rv(), CKR_DEVICE_REMOVED);
  EXPECT_EQ(s->changes_since(0).rv(), CKR_DEVICE_REMOVED);
  EXPECT_EQ(s->read_meta("k").rv(), CKR_DEVICE_REMOVED);
  // A new token under the same name is a different token.
  ASSERT_NE(create("doomed"), nullptr);
  EXPECT_EQ(put(*s, "b", "2").rv(), CKR_DEVICE_REMOVED);
}

TEST_P(StoreConformance, BackendLockExcludes) {
  std::atomic<int> inside{0};
  std::atomic<bool> overlap{false};
  auto body = [&] {
    for (int i = 0; i < 20; ++i) {
      const Status st = backend_->with_backend_lock([&] {
        if (inside.fetch_add(1) != 0) overlap = true;
        std::this_thread::sleep_for(std::chrono::microseconds(200));
        inside.fetch_sub(1);
        return ok_status();
      });
      EXPECT_TRUE(st.ok());
    }
  };
  std::thread a(body), b(body);
  a.join();
  b.join();
  EXPECT_FALSE(overlap);
  EXPECT_EQ(backend_->with_backend_lock([] { return Status(fail(CKR_PIN_INCORRECT)); }).rv(),
            CKR_PIN_INCORRECT);
}

TEST_P(StoreConformance, ConcurrentWritersLoseNothing) {
  ASSERT_NE(create("busy"), nullptr);
  constexpr int kThreads = 4;
  constexpr int kIncrements = 25;
  auto worker = [&] {
    auto b = open_backend();
    auto s = b->open_token("busy");
    ASSERT_TRUE(s.ok());
    for (int i = 0; i < kIncrements; ++i) {
      ASSERT_TRUE((*s)->write([](Transaction& t) -> Status {
        CRATON_ASSIGN_OR_RETURN(auto cur, t.get_meta("n"));
        std::uint8_t n = cur && cur->size() == 1 ? (*cur)[0] : 0;
        ++n;
        return t.put_meta("n", std::vector<std::uint8_t>{n});
      }).ok());
    }
  };
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) threads.emplace_back(worker);
  for (auto& t : threads) t.join();
  auto s = backend_->open_token("busy");
  ASSERT_TRUE(s.ok());
  auto n = (*s)->read_meta("n");
  ASSERT_TRUE(n.ok());
  ASSERT_TRUE(n->has_value());
  EXPECT_EQ((**n)[0], kThreads * kIncrements);
}

std::string backend_name(const ::testing::TestParamInfo<const char*>& p) { return p.param; }

INSTANTIATE_TEST_SUITE_P(Backends, StoreConformance, ::testing::Values("sqlite", "memory"),
                         backend_name);

}  // namespace
}  // namespace craton::storage
