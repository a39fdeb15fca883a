// The per-thread template memo of the ABI layer (src/abi/template_memo.h): which templates it
// keeps, that only a template equal byte for byte finds what was kept, and that it keeps the
// last kEntries templates.
#include "abi/template_memo.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <thread>
#include <vector>

namespace craton::abi {
namespace {

using object::Attribute;
using object::AttributeSet;

// A caller's template: CK_ATTRIBUTEs pointing at values this object owns.
class Tmpl {
 public:
  Tmpl& bytes(CK_ATTRIBUTE_TYPE t, std::vector<std::uint8_t> v) {
    types_.push_back(t);
    values_.push_back(std::move(v));
    return *this;
  }
  Tmpl& ulong(CK_ATTRIBUTE_TYPE t, CK_ULONG v) {
    std::vector<std::uint8_t> b(sizeof v);
    std::memcpy(b.data(), &v, sizeof v);
    return bytes(t, std::move(b));
  }
  Tmpl& boolean(CK_ATTRIBUTE_TYPE t, bool v) { return bytes(t, {static_cast<std::uint8_t>(v ? CK_TRUE : CK_FALSE)}); }
  Tmpl& text(CK_ATTRIBUTE_TYPE t, const std::string& s) { return bytes(t, std::vector<std::uint8_t>(s.begin(), s.end())); }
  // The CK_ATTRIBUTE array (rebuilt on each call: the values may have moved).
  CK_ATTRIBUTE* data() {
    attrs_.clear();
    for (std::size_t i = 0; i < types_.size(); ++i) {
      attrs_.push_back({types_[i], values_[i].empty() ? nullptr : values_[i].data(), static_cast<CK_ULONG>(values_[i].size())});
    }
    return attrs_.data();
  }
  CK_ULONG size() const { return static_cast<CK_ULONG>(types_.size()); }
  std::vector<std::uint8_t>& value(std::size_t i) { return values_[i]; }

 private:
  std::vector<CK_ATTRIBUTE_TYPE> types_;
  std::vector<std::vector<std::uint8_t>> values_;
  std::vector<CK_ATTRIBUTE> attrs_;
};

Tmpl secret_key_template(const std::string& label = "session key") {
  Tmpl t;
  t.ulong(CKA_CLASS, CKO_SECRET_KEY).ulong(CKA_KEY_TYPE, CKK_GENERIC_SECRET).boolean(CKA_EXTRACTABLE, false).text(CKA_LABEL, label);
  return t;
}

// Some parsed entries to keep (the memo does not look at them).
AttributeSet::Shared parsed(CK_ULONG marker) {
  AttributeSet s;
  s.set(Attribute::make_ulong(CKA_CLASS, marker));
  return std::move(s).share();
}

TEST(TemplateMemo, KeepsOnlySmallTemplatesOfPublicValues) {
  Tmpl ok = secret_key_template();
  ok.bytes(CKA_ID, {1, 2, 3}).ulong(CKA_VALUE_LEN, 32);
  EXPECT_TRUE(TemplateMemo::eligible(ok.data(), ok.size()));

  Tmpl with_value = secret_key_template();
  with_value.bytes(CKA_VALUE, std::vector<std::uint8_t>(16, 0xAB));  // key material: never kept
  EXPECT_FALSE(TemplateMemo::eligible(with_value.data(), with_value.size()));

  Tmpl private_part;
  private_part.ulong(CKA_CLASS, CKO_PRIVATE_KEY).bytes(CKA_PRIVATE_EXPONENT, {1, 2, 3});
  EXPECT_FALSE(TemplateMemo::eligible(private_part.data(), private_part.size()));

  Tmpl nested;  // a CK_ATTRIBUTE array holds pointers of its own: not kept
  nested.ulong(CKA_CLASS, CKO_SECRET_KEY).bytes(CKA_WRAP_TEMPLATE, std::vector<std::uint8_t>(sizeof(CK_ATTRIBUTE), 0));
  EXPECT_FALSE(TemplateMemo::eligible(nested.data(), nested.size()));

  Tmpl unknown;
  unknown.ulong(CKA_CLASS, CKO_SECRET_KEY).ulong(CKA_VENDOR_DEFINED + 0x777, 1);
  EXPECT_FALSE(TemplateMemo::eligible(unknown.data(), unknown.size()));

  Tmpl many;
  for (CK_ULONG i = 0; i <= TemplateMemo::kMaxCount; ++i) many.boolean(CKA_TOKEN, false);
  EXPECT_FALSE(TemplateMemo::eligible(many.data(), many.size()));

  Tmpl large = secret_key_template(std::string(TemplateMemo::kMaxBytes, 'x'));
  EXPECT_FALSE(TemplateMemo::eligible(large.data(), large.size()));

  EXPECT_FALSE(TemplateMemo::eligible(nullptr, 0));
  EXPECT_FALSE(TemplateMemo::eligible(ok.data(), 0));
}

TEST(TemplateMemo, FindsOnlyATemplateEqualByteForByte) {
  TemplateMemo memo;
  Tmpl t = secret_key_template();
  const AttributeSet::Shared kept = parsed(1);
  memo.keep(t.data(), t.size(), kept);
  EXPECT_EQ(memo.find(t.data(), t.size()), kept);

  Tmpl copy = secret_key_template();  // other memory, same bytes
  EXPECT_EQ(memo.find(copy.data(), copy.size()), kept);

  // Each kind of difference misses.
  Tmpl other_value = secret_key_template();
  other_value.value(2)[0] = CK_TRUE;
  EXPECT_EQ(memo.find(other_value.data(), other_value.size()), nullptr);
  Tmpl other_length = secret_key_template("session key ");
  EXPECT_EQ(memo.find(other_length.data(), other_length.size()), nullptr);
  Tmpl other_type;
  other_type.ulong(CKA_CLASS, CKO_SECRET_KEY).ulong(CKA_KEY_TYPE, CKK_GENERIC_SECRET).boolean(CKA_SENSITIVE, false)
      .text(CKA_LABEL, "session key");
  EXPECT_EQ(memo.find(other_type.data(), other_type.size()), nullptr);
  Tmpl other_order;
  other_order.ulong(CKA_KEY_TYPE, CKK_GENERIC_SECRET).ulong(CKA_CLASS, CKO_SECRET_KEY).boolean(CKA_EXTRACTABLE, false)
      .text(CKA_LABEL, "session key");
  EXPECT_EQ(memo.find(other_order.data(), other_order.size()), nullptr);
  EXPECT_EQ(memo.find(t.data(), t.size() - 1), nullptr);  // a prefix
  // The same template whose caller changed a value in place since.
  t.value(3)[0] = 'S';
  EXPECT_EQ(memo.find(t.data(), t.size()), nullptr);
  // A value pointer that became NULL (the parse would refuse it): no match, no read.
  Tmpl cleared = secret_key_template();
  CK_ATTRIBUTE* raw = cleared.data();
  raw[3].pValue = nullptr;
  EXPECT_EQ(memo.find(raw, cleared.size()), nullptr);
  EXPECT_EQ(memo.find(nullptr, 4), nullptr);
}

TEST(TemplateMemo, KeepsTheLastFewTemplates) {
  TemplateMemo memo;
  std::vector<Tmpl> templates;
  for (std::size_t i = 0; i <= TemplateMemo::kEntries; ++i) templates.push_back(secret_key_template("key " + std::to_string(i)));
  std::vector<AttributeSet::Shared> kept;
  for (std::size_t i = 0; i < templates.size(); ++i) {
    kept.push_back(parsed(i));
    memo.keep(templates[i].data(), templates[i].size(), kept.back());
  }
  // The oldest made room for the last one; the others are all found, whatever the order of asking.
  EXPECT_EQ(memo.find(templates[0].data(), templates[0].size()), nullptr);
  for (std::size_t i = templates.size() - 1; i >= 1; --i) {
    EXPECT_EQ(memo.find(templates[i].data(), templates[i].size()), kept[i]) << i;
  }
  for (std::size_t i = 1; i < templates.size(); ++i) {
    EXPECT_EQ(memo.find(templates[i].data(), templates[i].size()), kept[i]) << i;
  }
}

TEST(TemplateMemo, EachThreadHasItsOwn) {
  Tmpl t = secret_key_template();
  this_thread_templates().keep(t.data(), t.size(), parsed(7));
  EXPECT_NE(this_thread_templates().find(t.data(), t.size()), nullptr);
  AttributeSet::Shared seen = parsed(0);
  std::thread([&] { seen = this_thread_templates().find(t.data(), t.size()); }).join();
  EXPECT_EQ(seen, nullptr);
}

}  // namespace
}  // namespace craton::abi
