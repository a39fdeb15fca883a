// SmallBytes<N> (common/small_bytes.h): contents, sizes either side of the inline capacity, and
// reuse of one value across both storages.
#include "common/small_bytes.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <numeric>
#include <vector>

namespace craton {
namespace {

std::vector<std::uint8_t> counting(std::size_t n, std::uint8_t first) {
  std::vector<std::uint8_t> v(n);
  std::iota(v.begin(), v.end(), first);
  return v;
}

void expect_holds(const SmallBytes<16>& b, const std::vector<std::uint8_t>& want) {
  ASSERT_EQ(b.size(), want.size());
  EXPECT_EQ(b.empty(), want.empty());
  EXPECT_EQ(std::vector<std::uint8_t>(b.begin(), b.end()), want);
  const std::span<const std::uint8_t> s = b;
  EXPECT_EQ(std::vector<std::uint8_t>(s.begin(), s.end()), want);
}

TEST(SmallBytes, HoldsEverySizeAroundTheInlineCapacity) {
  for (std::size_t n : {0u, 1u, 12u, 15u, 16u, 17u, 64u, 4096u}) {
    const auto want = counting(n, static_cast<std::uint8_t>(n));
    expect_holds(SmallBytes<16>(want.data(), want.size()), want);
    expect_holds(SmallBytes<16>(std::span<const std::uint8_t>(want)), want);
  }
}

TEST(SmallBytes, EmptyFromNullPointer) {
  const SmallBytes<16> b(nullptr, 0);
  expect_holds(b, {});
  EXPECT_EQ(b, SmallBytes<16>());
}

TEST(SmallBytes, ReassignedAcrossInlineAndHeapStorage) {
  SmallBytes<16> b;
  const auto long1 = counting(40, 1), short1 = counting(12, 100), long2 = counting(17, 200);
  b.assign(long1.data(), long1.size());
  expect_holds(b, long1);
  b.assign(short1.data(), short1.size());
  expect_holds(b, short1);
  b.assign(long2.data(), long2.size());
  expect_holds(b, long2);
  b.assign(nullptr, 0);
  expect_holds(b, {});
}

TEST(SmallBytes, CopiesAreIndependentAndCompareByContents) {
  for (std::size_t n : {12u, 33u}) {
    const auto v = counting(n, 7);
    SmallBytes<16> a(v.data(), v.size());
    SmallBytes<16> copy = a;
    EXPECT_EQ(copy, a);
    copy.data()[0] ^= 0xFF;
    EXPECT_NE(copy, a);
    expect_holds(a, v);  // the original is untouched
    SmallBytes<16> moved = std::move(copy);
    EXPECT_EQ(moved.size(), n);
    EXPECT_EQ(moved.data()[0], static_cast<std::uint8_t>(7 ^ 0xFF));
  }
  const auto x = counting(12, 0), y = counting(13, 0);
  EXPECT_NE(SmallBytes<16>(x.data(), x.size()), SmallBytes<16>(y.data(), y.size()));
}

}  // namespace
}  // namespace craton
