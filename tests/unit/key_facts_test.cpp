// KeyFacts (object/key_facts.h): every answer equals the direct attribute query it replaces, and a
// snapshot's facts are read once and shared by every reference to it.
#include <gtest/gtest.h>

#include <array>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "mech/mechanism.h"
#include "object/key_approval.h"
#include "object/key_facts.h"
#include "object/parsed_cache.h"

namespace craton::object {
namespace {

constexpr std::array<CK_ATTRIBUTE_TYPE, 11> kUsage = {
    CKA_ENCRYPT, CKA_DECRYPT, CKA_SIGN,   CKA_VERIFY,      CKA_SIGN_RECOVER, CKA_VERIFY_RECOVER,
    CKA_WRAP,    CKA_UNWRAP,  CKA_DERIVE, CKA_ENCAPSULATE, CKA_DECAPSULATE};

AttributeSet secret(CK_KEY_TYPE type, std::size_t value_len) {
  AttributeSet s;
  s.set(Attribute::make_ulong(CKA_CLASS, CKO_SECRET_KEY));
  s.set(Attribute::make_ulong(CKA_KEY_TYPE, type));
  s.set(Attribute::make_bytes(CKA_VALUE, std::vector<std::uint8_t>(value_len, 0x11)));
  return s;
}

void expect_same_answers(const AttributeSet& a) {
  const KeyFacts f = read_key_facts(a);
  for (CK_ATTRIBUTE_TYPE t : kUsage) EXPECT_EQ(f.usage(t), a.get_bool(t)) << "usage attribute " << t;
  EXPECT_EQ(f.key_type, a.get_ulong(CKA_KEY_TYPE));
  const auto allowed = a.get_bytes(CKA_ALLOWED_MECHANISMS);
  EXPECT_EQ(f.restricts_mechanisms, allowed && !allowed->empty());
  EXPECT_EQ(f.always_authenticate, a.get_bool_or(CKA_ALWAYS_AUTHENTICATE, false));
  EXPECT_EQ(f.parameters_approved, key_parameters_approved(a));
  const auto uid = a.get_bytes(CKA_UNIQUE_ID);
  EXPECT_EQ(std::vector<std::uint8_t>(f.unique_id.begin(), f.unique_id.end()),
            uid ? std::vector<std::uint8_t>(uid->begin(), uid->end()) : std::vector<std::uint8_t>());
}

// Each usage attribute absent, false, true, or with a malformed (2-byte) image, one at a time,
// next to a mix of the others.
TEST(KeyFacts, UsageAnswersEqualTheAttributeSet) {
  for (std::size_t i = 0; i < kUsage.size(); ++i) {
    for (int form = 0; form < 4; ++form) {
      AttributeSet a = secret(CKK_AES, 32);
      for (std::size_t j = 0; j < kUsage.size(); ++j) {
        if (j != i && j % 3 != 0) a.set(Attribute::make_bool(kUsage[j], j % 2 == 0));
      }
      if (form == 1) a.set(Attribute::make_bool(kUsage[i], false));
      if (form == 2) a.set(Attribute::make_bool(kUsage[i], true));
      if (form == 3) a.set(Attribute::make_bytes(kUsage[i], std::vector<std::uint8_t>{1, 1}));
      expect_same_answers(a);
      const KeyFacts f = read_key_facts(a);
      if (form == 0 || form == 3) {
        EXPECT_FALSE(f.usage(kUsage[i]).has_value());
      } else {
        EXPECT_EQ(f.usage(kUsage[i]), form == 2);
      }
    }
  }
  EXPECT_FALSE(read_key_facts(secret(CKK_AES, 32)).usage(CKA_LABEL).has_value()) << "not a usage attribute";
}

TEST(KeyFacts, TypeMechanismListAuthenticationApprovalAndIdEqualTheAttributeSet) {
  AttributeSet plain = secret(CKK_AES, 32);
  expect_same_answers(plain);
  EXPECT_TRUE(read_key_facts(plain).parameters_approved);
  EXPECT_FALSE(read_key_facts(plain).restricts_mechanisms);

  AttributeSet short_hmac = secret(CKK_GENERIC_SECRET, 8);  // 64 bits: not approved
  expect_same_answers(short_hmac);
  EXPECT_FALSE(read_key_facts(short_hmac).parameters_approved);

  AttributeSet rich = secret(CKK_GENERIC_SECRET, 32);
  const CK_MECHANISM_TYPE mechs[] = {CKM_SHA256_HMAC, CKM_SHA384_HMAC};
  std::vector<std::uint8_t> list(sizeof mechs);
  std::memcpy(list.data(), mechs, sizeof mechs);
  rich.set(Attribute::make_bytes(CKA_ALLOWED_MECHANISMS, list));
  rich.set(Attribute::make_bool(CKA_ALWAYS_AUTHENTICATE, true));
  rich.set(Attribute::make_string(CKA_UNIQUE_ID, "0123456789abcdef0123456789abcdef"));
  expect_same_answers(rich);
  const KeyFacts f = read_key_facts(rich);
  EXPECT_TRUE(f.restricts_mechanisms);
  EXPECT_TRUE(f.always_authenticate);
  EXPECT_EQ(std::string(f.unique_id.begin(), f.unique_id.end()), "0123456789abcdef0123456789abcdef");

  AttributeSet empty_list = secret(CKK_GENERIC_SECRET, 32);
  empty_list.set(Attribute::make_bytes(CKA_ALLOWED_MECHANISMS, {}));  // empty: no restriction
  expect_same_answers(empty_list);
  EXPECT_FALSE(read_key_facts(empty_list).restricts_mechanisms);

  AttributeSet no_type;
  no_type.set(Attribute::make_ulong(CKA_CLASS, CKO_DATA));
  expect_same_answers(no_type);
  EXPECT_FALSE(read_key_facts(no_type).key_type.has_value());
}

// Read once per snapshot: every reference gets the same facts; another snapshot (a changed
// object) gets its own; a snapshot not made by make_snapshot has none cached, and a KeyRef on it
// reads its own.
TEST(ParsedCacheKeyFacts, ReadOncePerSnapshotAndSharedByItsReferences) {
  AttributeSet a = secret(CKK_AES, 32);
  a.set(Attribute::make_bool(CKA_ENCRYPT, true));
  auto snap = make_snapshot(std::move(a));
  const KeyFacts* first = key_facts(snap);
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(key_facts(snap), first);
  const auto copy = snap;
  EXPECT_EQ(key_facts(copy), first);
  EXPECT_EQ(first->usage(CKA_ENCRYPT), true);

  AttributeSet changed = snap->clone();
  changed.set(Attribute::make_bool(CKA_ENCRYPT, false));
  auto next = make_snapshot(std::move(changed));
  ASSERT_NE(key_facts(next), nullptr);
  EXPECT_NE(key_facts(next), first);
  EXPECT_EQ(key_facts(next)->usage(CKA_ENCRYPT), false);

  const mech::KeyRef cached(1, snap);
  EXPECT_EQ(&cached.facts(), first);
  auto plain = std::make_shared<const AttributeSet>(secret(CKK_AES, 16));
  EXPECT_EQ(key_facts(plain), nullptr);
  const mech::KeyRef own(2, plain);
  EXPECT_EQ(own.facts().key_type, CKK_AES);
  const mech::KeyRef copied = own;  // a copy shares the reference's own facts
  EXPECT_EQ(&copied.facts(), &own.facts());
}

// Threads asking for a new snapshot's facts at once all get the one copy (run under TSan in CI).
TEST(ParsedCacheKeyFacts, ConcurrentFirstReadsAgree) {
  for (int round = 0; round < 20; ++round) {
    auto snap = make_snapshot(secret(CKK_AES, 32));
    std::vector<const KeyFacts*> seen(4, nullptr);
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < seen.size(); ++t) {
      threads.emplace_back([&, t] { seen[t] = key_facts(snap); });
    }
    for (auto& th : threads) th.join();
    for (const KeyFacts* f : seen) {
      EXPECT_EQ(f, seen[0]);
      ASSERT_NE(f, nullptr);
      EXPECT_EQ(f->key_type, CKK_AES);
    }
  }
}

}  // namespace
}  // namespace craton::object
