// Memory-backend specifics and the backend factory.
#include <gtest/gtest.h>

#include "storage_test_util.h"

namespace craton::storage {
namespace {

using testing::put;
using testing::to_bytes;

BackendOptions at(std::string dir) {
  BackendOptions opts;
  opts.directory = std::move(dir);
  return opts;
}

TEST(MemoryStore, SameDirectorySharesTokensOthersDoNot) {
  auto a = make_backend("memory", at("/memory-test/shared"));
  auto b = make_backend("memory", at("/memory-test/shared"));
  auto other = make_backend("memory", at("/memory-test/other"));
  ASSERT_TRUE(a.ok() && b.ok() && other.ok());
  auto s = (*a)->create_token("t");
  ASSERT_TRUE(s.ok());
  ASSERT_TRUE(put(**s, "x", "1").ok());

  auto seen = (*b)->open_token("t");
  ASSERT_TRUE(seen.ok());
  auto c = (*seen)->changes_since(0);
  ASSERT_TRUE(c.ok());
  ASSERT_EQ(c->upserts.size(), 1U);
  EXPECT_EQ(c->upserts[0].blob, to_bytes("1"));
  EXPECT_EQ((*other)->open_token("t").rv(), CKR_TOKEN_NOT_PRESENT);
  ASSERT_TRUE((*a)->delete_token("t").ok());
}

TEST(BackendFactory, UnknownKind) {
  auto b = make_backend("file", at("/memory-test/x"));
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.rv(), CKR_GENERAL_ERROR);
  EXPECT_STREQ(b.error().reason, "unknown object store backend");
}

}  // namespace
}  // namespace craton::storage
