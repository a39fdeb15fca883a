// Shared by fuzz_template and fuzz_module_api: turns fuzz bytes into caller-shaped CK_ATTRIBUTE
// arrays. Types and lengths come from the input; every pointer handed to the code under test
// points into memory we own and that is at least as large as the length next to it (we fuzz the
// parsing, not invalid caller pointers). Every buffer is its own exact-size heap block, so ASan
// reports any read or write past a declared length.
#pragma once

#include <fuzzer/FuzzedDataProvider.h>

#include <array>
#include <cstdint>
#include <cstring>
#include <memory>
#include <vector>

#include "craton/pkcs11/pkcs11.h"

namespace craton::fuzz {

// Types worth hitting often: classes, key types, the booleans with special rules, the array
// attributes, and some values the object rules compute themselves.
inline constexpr std::array<CK_ATTRIBUTE_TYPE, 48> kTypes = {
    CKA_CLASS, CKA_TOKEN, CKA_PRIVATE, CKA_LABEL, CKA_APPLICATION, CKA_VALUE, CKA_OBJECT_ID,
    CKA_CERTIFICATE_TYPE, CKA_ISSUER, CKA_SERIAL_NUMBER, CKA_TRUSTED, CKA_CERTIFICATE_CATEGORY,
    CKA_KEY_TYPE, CKA_SUBJECT, CKA_ID, CKA_SENSITIVE, CKA_ENCRYPT, CKA_DECRYPT, CKA_WRAP, CKA_UNWRAP,
    CKA_SIGN, CKA_VERIFY, CKA_DERIVE, CKA_START_DATE, CKA_END_DATE, CKA_MODULUS, CKA_MODULUS_BITS,
    CKA_PUBLIC_EXPONENT, CKA_VALUE_LEN, CKA_EXTRACTABLE, CKA_LOCAL, CKA_NEVER_EXTRACTABLE,
    CKA_ALWAYS_SENSITIVE, CKA_KEY_GEN_MECHANISM, CKA_MODIFIABLE, CKA_COPYABLE, CKA_DESTROYABLE,
    CKA_EC_PARAMS, CKA_EC_POINT, CKA_WRAP_WITH_TRUSTED, CKA_WRAP_TEMPLATE, CKA_UNWRAP_TEMPLATE,
    CKA_DERIVE_TEMPLATE, CKA_ENCAPSULATE_TEMPLATE, CKA_ENCAPSULATE_TEMPLATE | CKF_ARRAY_ATTRIBUTE,
    CKA_ALLOWED_MECHANISMS, CKA_UNIQUE_ID, CKA_VALUE_BITS};

inline constexpr std::array<CK_ULONG, 12> kUlongs = {
    CKO_DATA, CKO_CERTIFICATE, CKO_PUBLIC_KEY, CKO_PRIVATE_KEY, CKO_SECRET_KEY, CKK_AES,
    CKK_GENERIC_SECRET, CKK_RSA, CKK_EC, 16, 32, CK_UNAVAILABLE_INFORMATION};

inline bool is_template_type(CK_ATTRIBUTE_TYPE t) {
  return t == CKA_WRAP_TEMPLATE || t == CKA_UNWRAP_TEMPLATE || t == CKA_DERIVE_TEMPLATE ||
         t == CKA_ENCAPSULATE_TEMPLATE || t == (CKA_ENCAPSULATE_TEMPLATE | CKF_ARRAY_ATTRIBUTE) ||
         t == CKA_DECAPSULATE_TEMPLATE || t == (CKA_DECAPSULATE_TEMPLATE | CKF_ARRAY_ATTRIBUTE) ||
         ((t & CKF_ARRAY_ATTRIBUTE) != 0 && t != CKA_ALLOWED_MECHANISMS);
}

// Owns every block a built template points at.
class Arena {
 public:
  void* block(std::size_t n) {
    if (n == 0) return nullptr;
    blocks_.push_back(std::make_unique<std::uint8_t[]>(n));
    return blocks_.back().get();
  }
  CK_ATTRIBUTE* attrs(std::size_t n) { return static_cast<CK_ATTRIBUTE*>(block(n * sizeof(CK_ATTRIBUTE))); }

 private:
  std::vector<std::unique_ptr<std::uint8_t[]>> blocks_;
};

inline CK_ATTRIBUTE_TYPE pick_type(FuzzedDataProvider& in) {
  if (in.ConsumeIntegralInRange<int>(0, 7) != 0) return kTypes[in.ConsumeIntegralInRange<std::size_t>(0, kTypes.size() - 1)];
  return in.ConsumeIntegral<CK_ATTRIBUTE_TYPE>();
}

// One input attribute (caller -> module).
inline void build_in_attr(FuzzedDataProvider& in, Arena& arena, CK_ATTRIBUTE& a, int depth) {
  a.type = pick_type(in);
  a.pValue = nullptr;
  a.ulValueLen = 0;
  if (is_template_type(a.type) && in.ConsumeIntegralInRange<int>(0, 7) != 0) {
    // A nested template; up to depth 3, one deeper than the module accepts.
    const std::size_t n = depth >= 3 ? 0 : in.ConsumeIntegralInRange<std::size_t>(0, 4);
    CK_ATTRIBUTE* elems = arena.attrs(n + 1);  // one spare element: room for a ragged length
    for (std::size_t i = 0; i < n; ++i) build_in_attr(in, arena, elems[i], depth + 1);
    elems[n] = CK_ATTRIBUTE{0, nullptr, 0};
    a.pValue = elems;
    a.ulValueLen = n * sizeof(CK_ATTRIBUTE);
    if (in.ConsumeIntegralInRange<int>(0, 15) == 0) a.ulValueLen += in.ConsumeIntegralInRange<CK_ULONG>(1, sizeof(CK_ATTRIBUTE) - 1);
    if (n == 0 && in.ConsumeBool()) a.pValue = nullptr;
    return;
  }
  switch (in.ConsumeIntegralInRange<int>(0, 6)) {
    case 0: {  // CK_BBOOL
      auto* p = static_cast<CK_BBOOL*>(arena.block(1));
      *p = in.ConsumeIntegralInRange<int>(0, 3) == 0 ? in.ConsumeIntegral<CK_BBOOL>() : (in.ConsumeBool() ? CK_TRUE : CK_FALSE);
      a.pValue = p;
      a.ulValueLen = 1;
      return;
    }
    case 1: {  // CK_ULONG
      const CK_ULONG v = in.ConsumeBool() ? kUlongs[in.ConsumeIntegralInRange<std::size_t>(0, kUlongs.size() - 1)]
                                          : in.ConsumeIntegral<CK_ULONG>();
      a.pValue = arena.block(sizeof v);
      std::memcpy(a.pValue, &v, sizeof v);
      a.ulValueLen = sizeof v;
      return;
    }
    case 2:  // (NULL, n): CKR_ARGUMENTS_BAD unless n == 0
      a.ulValueLen = in.ConsumeIntegralInRange<CK_ULONG>(0, 2);
      return;
    case 3: {  // a length the module must refuse before touching the buffer
      a.ulValueLen = in.ConsumeBool() ? (64UL << 20) + 1 : ~CK_ULONG{0};
      a.pValue = arena.block(1);
      return;
    }
    default: {  // raw bytes
      auto bytes = in.ConsumeBytes<std::uint8_t>(in.ConsumeIntegralInRange<std::size_t>(0, 80));
      // A template type whose length is a whole number of CK_ATTRIBUTEs would make the module read
      // these bytes as element pointers: that is an invalid caller pointer, not a parser bug.
      if (is_template_type(a.type) && !bytes.empty() && bytes.size() % sizeof(CK_ATTRIBUTE) == 0) bytes.pop_back();
      a.pValue = arena.block(bytes.size());
      if (!bytes.empty()) std::memcpy(a.pValue, bytes.data(), bytes.size());
      a.ulValueLen = bytes.size();
      return;
    }
  }
}

inline std::vector<CK_ATTRIBUTE> build_in_template(FuzzedDataProvider& in, Arena& arena, std::size_t max_count = 12) {
  std::vector<CK_ATTRIBUTE> t(in.ConsumeIntegralInRange<std::size_t>(0, max_count));
  for (auto& a : t) build_in_attr(in, arena, a, 0);
  return t;
}

// One output attribute (C_GetAttributeValue): NULL to ask for the length, or a buffer of a
// fuzz-chosen size; for template types, an array of output elements of fuzz-chosen sizes.
inline void build_out_attr(FuzzedDataProvider& in, Arena& arena, CK_ATTRIBUTE& a, CK_ATTRIBUTE_TYPE type, bool nested) {
  a.type = type;
  a.pValue = nullptr;
  a.ulValueLen = in.ConsumeIntegral<std::uint8_t>();  // ignored when pValue is NULL
  if (in.ConsumeIntegralInRange<int>(0, 3) == 0) return;
  if (!nested && is_template_type(type) && in.ConsumeBool()) {
    const std::size_t n = in.ConsumeIntegralInRange<std::size_t>(0, 6);
    CK_ATTRIBUTE* elems = arena.attrs(n);
    for (std::size_t i = 0; i < n; ++i) build_out_attr(in, arena, elems[i], pick_type(in), true);
    a.pValue = elems;
    a.ulValueLen = n * sizeof(CK_ATTRIBUTE);
    return;
  }
  const std::size_t n = in.ConsumeIntegralInRange<std::size_t>(0, 96);
  a.pValue = arena.block(n == 0 ? 1 : n);
  a.ulValueLen = n;
}

// Output template: the types of `known` (attributes the object likely has) mixed with random ones.
inline std::vector<CK_ATTRIBUTE> build_out_template(FuzzedDataProvider& in, Arena& arena,
                                                    const std::vector<CK_ATTRIBUTE_TYPE>& known) {
  std::vector<CK_ATTRIBUTE> t(in.ConsumeIntegralInRange<std::size_t>(0, 16));
  for (auto& a : t) {
    const CK_ATTRIBUTE_TYPE type = !known.empty() && in.ConsumeBool()
                                       ? known[in.ConsumeIntegralInRange<std::size_t>(0, known.size() - 1)]
                                       : pick_type(in);
    build_out_attr(in, arena, a, type, false);
  }
  return t;
}

// Where the module may have written: the declared length of every output buffer, for checking the
// lengths it reports back.
struct OutShape {
  CK_ATTRIBUTE_TYPE type;
  void* p;
  CK_ULONG cap;
};

inline std::vector<OutShape> shape_of(const std::vector<CK_ATTRIBUTE>& t) {
  std::vector<OutShape> s;
  for (const auto& a : t) s.push_back({a.type, a.pValue, a.ulValueLen});
  return s;
}

// After C_GetAttributeValue: a buffer given by the caller never reports more bytes than it held
// (except CK_UNAVAILABLE_INFORMATION), and with rv == CKR_OK every entry is filled.
inline bool lengths_sane(const std::vector<CK_ATTRIBUTE>& t, const std::vector<OutShape>& before, CK_RV rv) {
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (t[i].pValue != before[i].p || t[i].type != before[i].type) return false;
    if (t[i].ulValueLen == CK_UNAVAILABLE_INFORMATION) {
      if (rv == CKR_OK) return false;
      continue;
    }
    if (t[i].pValue != nullptr && t[i].ulValueLen > before[i].cap) return false;
  }
  return true;
}

}  // namespace craton::fuzz
