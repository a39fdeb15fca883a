// Helpers for the symmetric mechanism API tests (mech_aes_test.cpp, mech_chacha_test.cpp):
// mechanism parameters that own their buffers, secret-key creation, and single / multi-part
// cipher runs that follow the PKCS#11 length-query protocol.
#pragma once

#include <algorithm>
#include <map>
#include <string_view>
#include <vector>

#include "module_fixture.h"

namespace craton::test {

using Bytes = std::vector<std::uint8_t>;

inline Bytes hex(std::string_view s) {
  auto nibble = [](char c) { return static_cast<std::uint8_t>(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10); };
  Bytes out(s.size() / 2);
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = static_cast<std::uint8_t>(nibble(s[2 * i]) << 4 | nibble(s[2 * i + 1]));
  return out;
}

inline CK_BYTE_PTR ptr(const Bytes& b) { return b.empty() ? nullptr : const_cast<CK_BYTE_PTR>(b.data()); }

enum class Dir { kEnc, kDec };
inline constexpr Dir kEnc = Dir::kEnc;
inline constexpr Dir kDec = Dir::kDec;

// Parameters pointing into their own members: construct in place, never copy.
struct NoCopy {
  NoCopy() = default;
  NoCopy(const NoCopy&) = delete;
  NoCopy& operator=(const NoCopy&) = delete;
};

struct CbcParam : NoCopy {
  explicit CbcParam(Bytes v) : iv(std::move(v)) {}
  CK_MECHANISM mech(CK_MECHANISM_TYPE t) { return {t, iv.data(), static_cast<CK_ULONG>(iv.size())}; }
  Bytes iv;
};

struct CtrParam : NoCopy {
  CtrParam(const Bytes& cb, CK_ULONG bits) {
    p.ulCounterBits = bits;
    std::copy(cb.begin(), cb.end(), p.cb);
  }
  CK_MECHANISM mech() { return {CKM_AES_CTR, &p, sizeof p}; }
  CK_AES_CTR_PARAMS p{};
};

struct GcmParam : NoCopy {
  GcmParam(Bytes iv_, Bytes aad_, CK_ULONG tag_bits) : iv(std::move(iv_)), aad(std::move(aad_)) {
    p = {ptr(iv), static_cast<CK_ULONG>(iv.size()), 0, ptr(aad), static_cast<CK_ULONG>(aad.size()), tag_bits};
  }
  CK_MECHANISM mech() { return {CKM_AES_GCM, &p, sizeof p}; }
  Bytes iv, aad;
  CK_GCM_PARAMS p{};
};

struct CcmParam : NoCopy {
  CcmParam(CK_ULONG data_len, Bytes nonce_, Bytes aad_, CK_ULONG mac_len) : nonce(std::move(nonce_)), aad(std::move(aad_)) {
    p = {data_len, ptr(nonce), static_cast<CK_ULONG>(nonce.size()), ptr(aad), static_cast<CK_ULONG>(aad.size()), mac_len};
  }
  CK_MECHANISM mech() { return {CKM_AES_CCM, &p, sizeof p}; }
  Bytes nonce, aad;
  CK_CCM_PARAMS p{};
};

struct ChaChaParam : NoCopy {
  ChaChaParam(Bytes nonce_, Bytes aad_) : nonce(std::move(nonce_)), aad(std::move(aad_)) {
    p = {ptr(nonce), static_cast<CK_ULONG>(nonce.size()), ptr(aad), static_cast<CK_ULONG>(aad.size())};
  }
  CK_MECHANISM mech() { return {CKM_CHACHA20_POLY1305, &p, sizeof p}; }
  Bytes nonce, aad;
  CK_SALSA20_CHACHA20_POLY1305_PARAMS p{};
};

// A user-logged-in token session with helpers for secret keys and cipher calls.
class SymTest : public TokenTest {
 protected:
  void SetUp() override {
    TokenTest::SetUp();
    ASSERT_EQ(login(rw_, CKU_USER, kUserPin), CKR_OK);
  }

  // A session secret key; every usage attribute TRUE and CKA_EXTRACTABLE TRUE / CKA_SENSITIVE
  // FALSE unless `flags` says otherwise; `allowed` becomes CKA_ALLOWED_MECHANISMS when non-empty.
  CK_OBJECT_HANDLE key(const Bytes& value, CK_KEY_TYPE kt = CKK_AES, std::map<CK_ATTRIBUTE_TYPE, bool> flags = {},
                       const std::vector<CK_MECHANISM_TYPE>& allowed = {}) {
    std::map<CK_ATTRIBUTE_TYPE, bool> all = {{CKA_ENCRYPT, true}, {CKA_DECRYPT, true}, {CKA_SIGN, true},
                                             {CKA_VERIFY, true},  {CKA_WRAP, true},    {CKA_UNWRAP, true},
                                             {CKA_DERIVE, true},  {CKA_EXTRACTABLE, true}, {CKA_SENSITIVE, false}};
    for (const auto& [t, v] : flags) all[t] = v;
    Template t;
    t.ulong(CKA_CLASS, CKO_SECRET_KEY).ulong(CKA_KEY_TYPE, kt).bytes(CKA_VALUE, value);
    for (const auto& [a, v] : all) t.boolean(a, v);
    if (!allowed.empty()) t.add(CKA_ALLOWED_MECHANISMS, allowed.data(), allowed.size() * sizeof(CK_MECHANISM_TYPE));
    CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;
    EXPECT_EQ(f->C_CreateObject(rw_, t.data(), t.size(), &h), CKR_OK);
    return h;
  }

  CK_RV init(Dir d, CK_MECHANISM m, CK_OBJECT_HANDLE k) {
    return d == kEnc ? f->C_EncryptInit(rw_, &m, k) : f->C_DecryptInit(rw_, &m, k);
  }

  // Init, length query, call. The buffer is one byte larger than asked for, so an empty result
  // is still a real call (a NULL buffer would be another length query).
  CK_RV run(Dir d, CK_MECHANISM m, CK_OBJECT_HANDLE k, const Bytes& in, Bytes& out) {
    out.clear();
    if (CK_RV rv = init(d, m, k); rv != CKR_OK) return rv;
    const auto single = d == kEnc ? f->C_Encrypt : f->C_Decrypt;
    CK_ULONG n = 0;
    if (CK_RV rv = single(rw_, ptr(in), static_cast<CK_ULONG>(in.size()), nullptr, &n); rv != CKR_OK) return rv;
    Bytes buf(n + 1);
    n = static_cast<CK_ULONG>(buf.size());
    const CK_RV rv = single(rw_, ptr(in), static_cast<CK_ULONG>(in.size()), buf.data(), &n);
    if (rv == CKR_OK) out.assign(buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(n));
    return rv;
  }

  // Init, then updates of the given sizes (cycled) and a final, each after a length query.
  CK_RV run_parts(Dir d, CK_MECHANISM m, CK_OBJECT_HANDLE k, const Bytes& in, const std::vector<std::size_t>& splits,
                  Bytes& out) {
    out.clear();
    if (CK_RV rv = init(d, m, k); rv != CKR_OK) return rv;
    const auto update = d == kEnc ? f->C_EncryptUpdate : f->C_DecryptUpdate;
    const auto final = d == kEnc ? f->C_EncryptFinal : f->C_DecryptFinal;
    std::size_t off = 0;
    for (std::size_t i = 0; off < in.size(); ++i) {
      const std::size_t chunk = std::min(std::max<std::size_t>(splits[i % splits.size()], 1), in.size() - off);
      auto* p = const_cast<CK_BYTE_PTR>(in.data()) + off;
      CK_ULONG n = 0;
      if (CK_RV rv = update(rw_, p, static_cast<CK_ULONG>(chunk), nullptr, &n); rv != CKR_OK) return rv;
      Bytes buf(n + 1);
      n = static_cast<CK_ULONG>(buf.size());
      if (CK_RV rv = update(rw_, p, static_cast<CK_ULONG>(chunk), buf.data(), &n); rv != CKR_OK) return rv;
      out.insert(out.end(), buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(n));
      off += chunk;
    }
    CK_ULONG n = 0;
    if (CK_RV rv = final(rw_, nullptr, &n); rv != CKR_OK) return rv;
    Bytes buf(n + 1);
    n = static_cast<CK_ULONG>(buf.size());
    if (CK_RV rv = final(rw_, buf.data(), &n); rv != CKR_OK) return rv;
    out.insert(out.end(), buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(n));
    return CKR_OK;
  }

  // Encryption of `pt` gives `ct` and decryption gives `pt` back, single-part and multi-part with
  // several (odd) split patterns.
  void expect_cipher(CK_MECHANISM m, CK_OBJECT_HANDLE k, const Bytes& pt, const Bytes& ct) {
    Bytes out;
    ASSERT_EQ(run(kEnc, m, k, pt, out), CKR_OK);
    EXPECT_EQ(out, ct) << "single-part encryption";
    ASSERT_EQ(run(kDec, m, k, ct, out), CKR_OK);
    EXPECT_EQ(out, pt) << "single-part decryption";
    for (const std::vector<std::size_t>& splits :
         {std::vector<std::size_t>{1}, {15, 1, 17}, {16}, {7, 33}, {1000}}) {
      ASSERT_EQ(run_parts(kEnc, m, k, pt, splits, out), CKR_OK) << splits[0];
      EXPECT_EQ(out, ct) << "multi-part encryption, first split " << splits[0];
      ASSERT_EQ(run_parts(kDec, m, k, ct, splits, out), CKR_OK) << splits[0];
      EXPECT_EQ(out, pt) << "multi-part decryption, first split " << splits[0];
    }
  }

  CK_ULONG get_ulong(CK_OBJECT_HANDLE h, CK_ATTRIBUTE_TYPE t) {
    CK_ULONG v = 0;
    CK_ATTRIBUTE a{t, &v, sizeof v};
    EXPECT_EQ(f->C_GetAttributeValue(rw_, h, &a, 1), CKR_OK) << std::hex << t;
    return v;
  }
  bool get_bool(CK_OBJECT_HANDLE h, CK_ATTRIBUTE_TYPE t) {
    CK_BBOOL v = 0x55;
    CK_ATTRIBUTE a{t, &v, sizeof v};
    EXPECT_EQ(f->C_GetAttributeValue(rw_, h, &a, 1), CKR_OK) << std::hex << t;
    return v == CK_TRUE;
  }
  Bytes get_bytes(CK_OBJECT_HANDLE h, CK_ATTRIBUTE_TYPE t) {
    CK_ATTRIBUTE a{t, nullptr, 0};
    EXPECT_EQ(f->C_GetAttributeValue(rw_, h, &a, 1), CKR_OK) << std::hex << t;
    Bytes v(a.ulValueLen);
    a.pValue = v.data();
    EXPECT_EQ(f->C_GetAttributeValue(rw_, h, &a, 1), CKR_OK) << std::hex << t;
    return v;
  }
  std::vector<CK_MECHANISM_TYPE> mechanism_list() {
    CK_ULONG n = 0;
    EXPECT_EQ(f->C_GetMechanismList(slot_, nullptr, &n), CKR_OK);
    std::vector<CK_MECHANISM_TYPE> list(n);
    EXPECT_EQ(f->C_GetMechanismList(slot_, list.data(), &n), CKR_OK);
    return list;
  }
};

}  // namespace craton::test
