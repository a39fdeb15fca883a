// SmallString (common/small_string.h): text kept inline up to N characters, on the heap beyond;
// the CKA_UNIQUE_ID of audit records and of cached objects.
#include "common/small_string.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>

namespace craton {
namespace {

TEST(SmallString, HoldsEveryLengthAroundTheInlineCapacity) {
  for (std::size_t n = 0; n <= 20; ++n) {
    const std::string text(n, static_cast<char>('a' + n % 26));
    SmallString<8> s(text);
    EXPECT_EQ(s.size(), n);
    EXPECT_EQ(s.empty(), n == 0);
    EXPECT_EQ(s.on_heap(), n > 8) << n;
    EXPECT_EQ(s.view(), text);
    EXPECT_EQ(s.str(), text);
  }
}

TEST(SmallString, OurUniqueIdsStayInline) {
  const UniqueIdText uid("0123456789abcdef0123456789abcdef");
  EXPECT_FALSE(uid.on_heap());
  const UniqueIdText softhsm("8b3d2f4e-1c2a-4e5f-9a8b-7c6d5e4f3a2b");  // 36 characters
  EXPECT_FALSE(softhsm.on_heap());
  const UniqueIdText longer(std::string(41, 'x'));
  EXPECT_TRUE(longer.on_heap());
  EXPECT_EQ(longer.view(), std::string(41, 'x'));
}

TEST(SmallString, ReassignedAcrossInlineAndHeapStorage) {
  SmallString<4> s("ab");
  s = std::string("a much longer text");
  EXPECT_TRUE(s.on_heap());
  EXPECT_EQ(s, "a much longer text");
  s = "xyz";
  EXPECT_FALSE(s.on_heap());
  EXPECT_EQ(s, "xyz");
  s.clear();
  EXPECT_TRUE(s.empty());
  EXPECT_EQ(s, "");
}

// assign() may be given a view of the string's own text (inline or on the heap).
TEST(SmallString, AssignsFromItsOwnText) {
  SmallString<4> a("abcd");
  a.assign(a.view().substr(1));
  EXPECT_EQ(a, "bcd");
  SmallString<4> b("0123456789");
  b.assign(b.view().substr(2, 3));  // heap to inline
  EXPECT_FALSE(b.on_heap());
  EXPECT_EQ(b, "234");
  SmallString<4> c("0123456789");
  c.assign(c.view().substr(1, 7));  // heap to heap
  EXPECT_EQ(c, "1234567");
}

TEST(SmallString, TruncateCutsAtEitherStorage) {
  SmallString<4> s("0123456789");
  s.truncate(20);
  EXPECT_EQ(s, "0123456789");
  s.truncate(6);
  EXPECT_EQ(s, "012345");
  s.truncate(3);
  EXPECT_FALSE(s.on_heap());
  EXPECT_EQ(s, "012");
  s.truncate(0);
  EXPECT_TRUE(s.empty());
}

TEST(SmallString, CopiesAreIndependentAndCompareByContents) {
  SmallString<4> a("0123456789");
  SmallString<4> b = a;
  b = "other";
  EXPECT_EQ(a, "0123456789");
  EXPECT_EQ(b, "other");
  SmallString<4> c = b;
  EXPECT_TRUE(c == b);
  EXPECT_FALSE(c == a);
  EXPECT_TRUE(a == std::string("0123456789"));
  std::ostringstream os;
  os << a;
  EXPECT_EQ(os.str(), "0123456789");
}

}  // namespace
}  // namespace craton
