// Tests for the sealing codec (src/storage/object_codec.h): round trips, sealing policy and
// rejection of every kind of damaged record.
#include <gtest/gtest.h>

#include <algorithm>
#include <string_view>
#include <vector>

#include "crypto/ossl/random.h"
#include "storage/object_codec.h"

namespace craton::storage {
namespace {

using object::Attribute;
using object::AttributeSet;

const std::string_view kSecretText = "TOP-SECRET-KEY-MATERIAL-0123456789";

std::vector<std::uint8_t> bytes(std::string_view s) { return {s.begin(), s.end()}; }

bool contains(const Bytes& hay, std::string_view needle) {
  return std::search(hay.begin(), hay.end(), needle.begin(), needle.end()) != hay.end();
}

SecretPredicate value_is_secret() {
  return [](const AttributeSet&, CK_ATTRIBUTE_TYPE t) { return t == CKA_VALUE; };
}

class ObjectCodecTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ikey_ = std::vector<std::uint8_t>(32, 0x11);
    auto mk = crypto::random_secret(32);
    ASSERT_TRUE(mk.ok());
    master_ = std::move(*mk);
  }

  static AttributeSet secret_key(bool is_private) {
    AttributeSet s;
    s.set(Attribute::make_ulong(CKA_CLASS, CKO_SECRET_KEY));
    s.set(Attribute::make_bool(CKA_PRIVATE, is_private));
    s.set(Attribute::make_string(CKA_LABEL, "my label"));
    s.set(Attribute::make_string(CKA_VALUE, kSecretText));
    Attribute tmpl;
    tmpl.type = CKA_WRAP_TEMPLATE;
    tmpl.nested.push_back(Attribute::make_bool(CKA_ENCRYPT, true));
    Attribute inner;  // a template inside a template
    inner.type = CKA_UNWRAP_TEMPLATE;
    inner.nested.push_back(Attribute::make_ulong(CKA_KEY_TYPE, CKK_AES));
    tmpl.nested.push_back(std::move(inner));
    s.set(std::move(tmpl));
    return s;
  }

  Bytes encode(const AttributeSet& a) {
    auto r = encode_object("uid-1", a, value_is_secret(), ikey_, &master_);
    EXPECT_TRUE(r.ok());
    return r.ok() ? *r : Bytes{};
  }

  void expect_corrupted(const Bytes& blob) {
    auto r = decode_object(blob, ikey_, &master_);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.rv(), CKR_DEVICE_ERROR);
    EXPECT_STREQ(r.error().reason, "object record corrupted");
  }

  std::vector<std::uint8_t> ikey_;
  SecureBytes master_;
};

void expect_same(const AttributeSet& a, const AttributeSet& b) {
  ASSERT_EQ(a.size(), b.size());
  for (const auto& [t, attr] : a) {
    const Attribute* other = b.find(t);
    ASSERT_NE(other, nullptr) << t;
    EXPECT_TRUE(object::same_value(attr, *other)) << t;
  }
}

TEST_F(ObjectCodecTest, PublicObjectSealsOnlySecrets) {
  const AttributeSet attrs = secret_key(false);
  const Bytes blob = encode(attrs);
  EXPECT_FALSE(contains(blob, kSecretText));
  EXPECT_TRUE(contains(blob, "my label"));

  auto without_key = decode_object(blob, ikey_, nullptr);
  ASSERT_TRUE(without_key.ok());
  EXPECT_EQ(without_key->uid, "uid-1");
  EXPECT_TRUE(without_key->has_sealed);
  EXPECT_FALSE(without_key->is_private);
  EXPECT_FALSE(without_key->secrets.has_value());
  EXPECT_FALSE(without_key->public_attrs.contains(CKA_VALUE));
  EXPECT_TRUE(without_key->public_attrs.contains(CKA_WRAP_TEMPLATE));

  auto with_key = decode_object(blob, ikey_, &master_);
  ASSERT_TRUE(with_key.ok());
  ASSERT_TRUE(with_key->secrets.has_value());
  EXPECT_EQ(with_key->secrets->size(), 1U);
  auto value = with_key->secrets->get_bytes(CKA_VALUE);
  ASSERT_TRUE(value.has_value());
  EXPECT_EQ(std::vector<std::uint8_t>(value->begin(), value->end()), bytes(kSecretText));

  // Public + secrets together are the original set, nested templates included.
  AttributeSet all = with_key->public_attrs.clone();
  for (const auto& [t, a] : *with_key->secrets) all.set(a.clone());
  expect_same(attrs, all);

  auto opened = open_sealed(blob, master_);
  ASSERT_TRUE(opened.ok());
  EXPECT_TRUE(opened->contains(CKA_VALUE));
}

TEST_F(ObjectCodecTest, PrivateObjectHidesEverything) {
  const Bytes blob = encode(secret_key(true));
  EXPECT_FALSE(contains(blob, kSecretText));
  EXPECT_FALSE(contains(blob, "my label"));
  auto d = decode_object(blob, ikey_, nullptr);
  ASSERT_TRUE(d.ok());
  EXPECT_TRUE(d->is_private);
  EXPECT_EQ(d->public_attrs.size(), 1U);
  EXPECT_EQ(d->public_attrs.get_bool(CKA_PRIVATE), std::optional<bool>(true));
  auto full = decode_object(blob, ikey_, &master_);
  ASSERT_TRUE(full.ok());
  ASSERT_TRUE(full->secrets.has_value());
  EXPECT_TRUE(full->secrets->contains(CKA_LABEL));
  EXPECT_TRUE(full->secrets->contains(CKA_WRAP_TEMPLATE));
  EXPECT_FALSE(full->secrets->contains(CKA_PRIVATE));
}

TEST_F(ObjectCodecTest, NoSecretsNoSealedSectionNoKeyNeeded) {
  AttributeSet a;
  a.set(Attribute::make_ulong(CKA_CLASS, CKO_DATA));
  a.set(Attribute::make_bool(CKA_PRIVATE, false));
  a.set(Attribute::make_string(CKA_LABEL, "public data"));
  auto blob = encode_object("u", a, value_is_secret(), ikey_, nullptr);
  ASSERT_TRUE(blob.ok());
  auto d = decode_object(*blob, ikey_, &master_);
  ASSERT_TRUE(d.ok());
  EXPECT_FALSE(d->has_sealed);
  ASSERT_TRUE(d->secrets.has_value());
  EXPECT_TRUE(d->secrets->empty());
  expect_same(a, d->public_attrs);
}

TEST_F(ObjectCodecTest, SealingWithoutMasterKeyNeedsLogin) {
  auto pub = encode_object("u", secret_key(false), value_is_secret(), ikey_, nullptr);
  EXPECT_EQ(pub.rv(), CKR_USER_NOT_LOGGED_IN);
  EXPECT_STREQ(pub.error().reason, "login required to seal secret material");
  AttributeSet priv;
  priv.set(Attribute::make_bool(CKA_PRIVATE, true));
  EXPECT_EQ(encode_object("u", priv, value_is_secret(), ikey_, nullptr).rv(), CKR_USER_NOT_LOGGED_IN);
}

TEST_F(ObjectCodecTest, NoncesDifferBetweenEncodings) {
  const AttributeSet a = secret_key(true);
  EXPECT_NE(encode(a), encode(a));
}

TEST_F(ObjectCodecTest, EveryFlippedBitIsRejected) {
  for (bool is_private : {false, true}) {
    const Bytes blob = encode(secret_key(is_private));
    for (std::size_t i = 0; i < blob.size(); ++i) {
      for (int bit : {0, 7}) {
        Bytes bad = blob;
        bad[i] ^= static_cast<std::uint8_t>(1U << bit);
        expect_corrupted(bad);
      }
    }
  }
}

TEST_F(ObjectCodecTest, EveryTruncationIsRejected) {
  const Bytes blob = encode(secret_key(false));
  for (std::size_t n = 0; n < blob.size(); ++n) {
    expect_corrupted(Bytes(blob.begin(), blob.begin() + static_cast<std::ptrdiff_t>(n)));
    EXPECT_FALSE(open_sealed(Bytes(blob.begin(), blob.begin() + static_cast<std::ptrdiff_t>(n)),
                             master_).ok());
  }
  Bytes longer = blob;
  longer.push_back(0);
  expect_corrupted(longer);
}

TEST_F(ObjectCodecTest, WrongKeysAreRejected) {
  const Bytes blob = encode(secret_key(false));
  const std::vector<std::uint8_t> other_ikey(32, 0x22);
  auto r = decode_object(blob, other_ikey, &master_);
  EXPECT_EQ(r.rv(), CKR_DEVICE_ERROR);
  const SecureBytes other_master(32);
  auto m = decode_object(blob, ikey_, &other_master);
  EXPECT_EQ(m.rv(), CKR_DEVICE_ERROR);
  EXPECT_EQ(open_sealed(blob, other_master).rv(), CKR_DEVICE_ERROR);
  // Without a master key the public part is still readable.
  EXPECT_TRUE(decode_object(blob, ikey_, nullptr).ok());
}

TEST_F(ObjectCodecTest, GarbageIsRejected) {
  expect_corrupted({});
  expect_corrupted(Bytes(100, 0xff));
  expect_corrupted(bytes("CRO1"));
}

// peek_record: the unauthenticated first look taken when a token is loaded (ADR 0010).
TEST_F(ObjectCodecTest, PeekAgreesWithDecodeOnEveryValidRecord) {
  for (bool is_private : {false, true}) {
    const Bytes blob = encode(secret_key(is_private));
    auto full = decode_object(blob, ikey_, nullptr);
    ASSERT_TRUE(full.ok());
    auto peek = peek_record(blob);
    ASSERT_TRUE(peek.ok());
    EXPECT_EQ(std::string(peek->uid.begin(), peek->uid.end()), full->uid);
    EXPECT_EQ(peek->is_private, full->is_private);
    EXPECT_EQ(peek->has_sealed, full->has_sealed);
    // The cursor yields exactly the decoded public attributes, in order, with the same bytes.
    EncodedAttributeCursor cursor(peek->public_section);
    CK_ATTRIBUTE_TYPE t = 0;
    std::span<const std::uint8_t> v;
    bool is_array = false;
    auto it = full->public_attrs.begin();
    std::size_t n = 0;
    while (cursor.next(t, v, is_array)) {
      ASSERT_NE(it, full->public_attrs.end());
      EXPECT_EQ(t, it->first);
      EXPECT_EQ(is_array, it->second.is_array());
      if (!is_array) {
        EXPECT_TRUE(std::equal(v.begin(), v.end(), it->second.value.span().begin(), it->second.value.span().end()));
      }
      ++it;
      ++n;
    }
    EXPECT_TRUE(cursor.ok());
    EXPECT_EQ(n, full->public_attrs.size());
  }
}

TEST_F(ObjectCodecTest, PeekChecksNoMacButRejectsBrokenFraming) {
  const Bytes blob = encode(secret_key(false));
  // A changed byte in the public section is not the peek's business: decode_object catches it.
  Bytes edited = blob;
  const std::string_view label = "my label";
  auto at = std::search(edited.begin(), edited.end(), label.begin(), label.end());
  ASSERT_NE(at, edited.end());
  *at = 'M';
  EXPECT_TRUE(peek_record(edited).ok());
  expect_corrupted(edited);
  // Anything peek rejects, decode_object rejects too.
  for (std::size_t n = 0; n < blob.size(); ++n) {
    const Bytes cut(blob.begin(), blob.begin() + static_cast<std::ptrdiff_t>(n));
    if (!peek_record(cut).ok()) expect_corrupted(cut);
  }
  EXPECT_FALSE(peek_record({}).ok());
  EXPECT_FALSE(peek_record(Bytes(100, 0xff)).ok());
  Bytes bad_magic = blob;
  bad_magic[0] = 'X';
  EXPECT_FALSE(peek_record(bad_magic).ok());
}

TEST(EncodedAttributeCursor, RejectsWhatDecodeAttributesRejects) {
  AttributeSet a;
  a.set(Attribute::make_ulong(CKA_CLASS, CKO_DATA));
  a.set(Attribute::make_string(CKA_LABEL, "x"));
  const Bytes enc = encode_attributes(a);
  auto walk = [](const Bytes& list) {
    EncodedAttributeCursor c(list);
    CK_ATTRIBUTE_TYPE t = 0;
    std::span<const std::uint8_t> v;
    bool arr = false;
    std::size_t n = 0;
    while (c.next(t, v, arr)) ++n;
    return c.ok() ? static_cast<long>(n) : -1L;
  };
  EXPECT_EQ(walk(enc), 2);
  Bytes bad = enc;
  bad.push_back(0);  // trailing byte
  EXPECT_EQ(walk(bad), -1);
  EXPECT_EQ(walk(Bytes{0xff, 0xff, 0xff, 0xff}), -1);  // count beyond the input
  bad = enc;
  bad[4 + 8] = 1;  // array flag on a plain attribute
  EXPECT_EQ(walk(bad), -1);
  // Types out of order (decode_attributes treats disorder as tampering).
  Bytes swapped;
  AttributeSet one, two;
  one.set(Attribute::make_string(CKA_LABEL, "x"));
  two.set(Attribute::make_ulong(CKA_CLASS, CKO_DATA));
  const Bytes e1 = encode_attributes(one), e2 = encode_attributes(two);
  swapped = {2, 0, 0, 0};
  swapped.insert(swapped.end(), e1.begin() + 4, e1.end());
  swapped.insert(swapped.end(), e2.begin() + 4, e2.end());
  EXPECT_EQ(walk(swapped), -1);
  EXPECT_FALSE(decode_attributes(swapped).ok());
  for (std::size_t n = 0; n < enc.size(); ++n) {
    const Bytes cut(enc.begin(), enc.begin() + static_cast<std::ptrdiff_t>(n));
    EXPECT_EQ(walk(cut), -1) << n;
  }
}

// Attribute encoding parser, fed hostile input directly (no HMAC in front of it).
TEST(AttributeEncoding, RoundTripAndHostileInput) {
  AttributeSet a;
  a.set(Attribute::make_string(CKA_LABEL, "x"));
  a.set(Attribute::make_bytes(CKA_ID, {}));
  const Bytes enc = encode_attributes(a);
  auto back = decode_attributes(enc);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->size(), 2U);
  EXPECT_TRUE(back->get_bytes(CKA_ID)->empty());

  // Huge count with no data behind it must fail fast, not allocate.
  EXPECT_EQ(decode_attributes(Bytes{0xff, 0xff, 0xff, 0xff}).rv(), CKR_DEVICE_ERROR);
  // Declared length beyond the end.
  Bytes bad = enc;
  bad[4 + 8 + 1] = 0xff;
  EXPECT_EQ(decode_attributes(bad).rv(), CKR_DEVICE_ERROR);
  // Wrong is_array flag for the type.
  bad = enc;
  bad[4 + 8] = 1;
  EXPECT_EQ(decode_attributes(bad).rv(), CKR_DEVICE_ERROR);
  // Trailing garbage.
  bad = enc;
  bad.push_back(0);
  EXPECT_EQ(decode_attributes(bad).rv(), CKR_DEVICE_ERROR);
}

TEST(AttributeEncoding, NestingDepthIsLimited) {
  auto nest = [](std::size_t depth) {
    Attribute a = Attribute::make_bool(CKA_ENCRYPT, true);
    for (std::size_t i = 0; i < depth; ++i) {
      Attribute t;
      t.type = CKA_WRAP_TEMPLATE;
      t.nested.push_back(std::move(a));
      a = std::move(t);
    }
    AttributeSet s;
    s.set(std::move(a));
    return s;
  };
  const std::vector<std::uint8_t> ikey(32, 1);
  const auto none = [](const AttributeSet&, CK_ATTRIBUTE_TYPE) { return false; };
  // Four levels of templates are fine; the encoder refuses a fifth, the decoder rejects it too.
  auto ok = encode_object("u", nest(4), none, ikey, nullptr);
  ASSERT_TRUE(ok.ok());
  EXPECT_TRUE(decode_object(*ok, ikey, nullptr).ok());
  EXPECT_EQ(encode_object("u", nest(5), none, ikey, nullptr).rv(), CKR_ATTRIBUTE_VALUE_INVALID);
  EXPECT_TRUE(decode_attributes(encode_attributes(nest(4))).ok());
  EXPECT_EQ(decode_attributes(encode_attributes(nest(5))).rv(), CKR_DEVICE_ERROR);
  // A deep hostile nesting must not exhaust the stack.
  EXPECT_EQ(decode_attributes(encode_attributes(nest(200))).rv(), CKR_DEVICE_ERROR);
}

}  // namespace
}  // namespace craton::storage
