// Key-derivation mechanisms through the module API: HKDF (RFC 5869 vectors, salt keys, data
// objects), PBKDF2 (RFC 6070 vectors, other PRFs against OpenSSL), SP 800-108 counter and feedback
// KDFs (NIST CAVP KATs, OpenSSL KBKDF cross-checks, additional keys, DKM length methods, counter
// formats), the concatenate/XOR derivations, and the attributes of derived keys.
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

#include <deque>
#include <string>

#include "module_fixture.h"

namespace craton::test {
namespace {

using Bytes = std::vector<std::uint8_t>;

Bytes str(const std::string& s) { return Bytes(s.begin(), s.end()); }
Bytes range(std::uint8_t from, std::uint8_t to) {  // from .. to inclusive
  Bytes out;
  for (unsigned b = from; b <= to; ++b) out.push_back(static_cast<std::uint8_t>(b));
  return out;
}
Bytes cat(Bytes a, const Bytes& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}
Bytes slice(const Bytes& b, std::size_t off, std::size_t len) {
  return Bytes(b.begin() + static_cast<long>(off), b.begin() + static_cast<long>(off + len));
}

// ---- independent computations with OpenSSL --------------------------------------------------------

Bytes evp_hmac(const char* digest, const Bytes& key, const Bytes& data) {
  Bytes out(EVP_MAX_MD_SIZE);
  std::size_t n = 0;
  EXPECT_NE(EVP_Q_mac(nullptr, "HMAC", nullptr, digest, nullptr, key.data(), key.size(), data.data(), data.size(), out.data(),
                      out.size(), &n),
            nullptr);
  out.resize(n);
  return out;
}

OSSL_PARAM octets(const char* name, const Bytes& b) {
  return OSSL_PARAM_construct_octet_string(name, const_cast<std::uint8_t*>(b.data()), b.size());
}

Bytes evp_kdf(const char* alg, std::vector<OSSL_PARAM> params, std::size_t len) {
  params.push_back(OSSL_PARAM_construct_end());
  EVP_KDF* kdf = EVP_KDF_fetch(nullptr, alg, nullptr);
  EVP_KDF_CTX* ctx = EVP_KDF_CTX_new(kdf);
  Bytes out(len);
  EXPECT_EQ(EVP_KDF_derive(ctx, out.data(), out.size(), params.data()), 1) << alg;
  EVP_KDF_CTX_free(ctx);
  EVP_KDF_free(kdf);
  return out;
}

Bytes evp_hkdf(const char* digest, const Bytes& ikm, const Bytes& salt, const Bytes& info, std::size_t len) {
  return evp_kdf("HKDF",
                 {OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, const_cast<char*>(digest), 0),
                  octets(OSSL_KDF_PARAM_KEY, ikm), octets(OSSL_KDF_PARAM_SALT, salt), octets(OSSL_KDF_PARAM_INFO, info)},
                 len);
}

// OpenSSL's KBKDF: [i]_32 (after K(i-1) in feedback mode) || label || 0x00 || context || [L]_32.
Bytes evp_kbkdf(const char* mode, const char* mac, const char* digest_or_cipher, const Bytes& key, const Bytes& label,
                const Bytes& context, const Bytes& iv, std::size_t len) {
  const bool cmac = std::string(mac) == "CMAC";
  std::vector<OSSL_PARAM> p{
      OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_MODE, const_cast<char*>(mode), 0),
      OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_MAC, const_cast<char*>(mac), 0),
      OSSL_PARAM_construct_utf8_string(cmac ? OSSL_KDF_PARAM_CIPHER : OSSL_KDF_PARAM_DIGEST, const_cast<char*>(digest_or_cipher), 0),
      octets(OSSL_KDF_PARAM_KEY, key), octets(OSSL_KDF_PARAM_SALT, label), octets(OSSL_KDF_PARAM_INFO, context)};
  if (!iv.empty()) p.push_back(octets(OSSL_KDF_PARAM_SEED, iv));
  return evp_kdf("KBKDF", p, len);
}

// ---- SP 800-108 parameter builder (owns everything the CK_ structures point at) -------------------

class PrfData {
 public:
  PrfData& iteration(bool little_endian, CK_ULONG bits) { return counter_like(CK_SP800_108_ITERATION_VARIABLE, little_endian, bits); }
  PrfData& iteration_feedback() {
    items_.push_back({CK_SP800_108_ITERATION_VARIABLE, nullptr, 0});
    return *this;
  }
  PrfData& counter(bool little_endian, CK_ULONG bits) { return counter_like(CK_SP800_108_COUNTER, little_endian, bits); }
  PrfData& dkm(CK_ULONG method, bool little_endian, CK_ULONG bits) {
    dkms_.push_back({method, static_cast<CK_BBOOL>(little_endian ? CK_TRUE : CK_FALSE), bits});
    items_.push_back({CK_SP800_108_DKM_LENGTH, &dkms_.back(), sizeof(CK_SP800_108_DKM_LENGTH_FORMAT)});
    return *this;
  }
  PrfData& bytes(const Bytes& b) {
    arrays_.push_back(b);
    items_.push_back({CK_SP800_108_BYTE_ARRAY, arrays_.back().data(), static_cast<CK_ULONG>(arrays_.back().size())});
    return *this;
  }
  PrfData& raw(CK_PRF_DATA_PARAM p) {
    items_.push_back(p);
    return *this;
  }
  CK_PRF_DATA_PARAM* data() { return items_.data(); }
  CK_ULONG size() const { return static_cast<CK_ULONG>(items_.size()); }

 private:
  PrfData& counter_like(CK_PRF_DATA_TYPE type, bool little_endian, CK_ULONG bits) {
    counters_.push_back({static_cast<CK_BBOOL>(little_endian ? CK_TRUE : CK_FALSE), bits});
    items_.push_back({type, &counters_.back(), sizeof(CK_SP800_108_COUNTER_FORMAT)});
    return *this;
  }
  std::deque<CK_SP800_108_COUNTER_FORMAT> counters_;
  std::deque<CK_SP800_108_DKM_LENGTH_FORMAT> dkms_;
  std::deque<Bytes> arrays_;
  std::vector<CK_PRF_DATA_PARAM> items_;
};

Bytes le(std::uint64_t v, std::size_t bytes) {
  Bytes out;
  for (std::size_t i = 0; i < bytes; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
  return out;
}
Bytes be(std::uint64_t v, std::size_t bytes) {
  Bytes out = le(v, bytes);
  return Bytes(out.rbegin(), out.rend());
}

class MechKdf : public TokenTest {
 protected:
  void SetUp() override {
    TokenTest::SetUp();
    ASSERT_EQ(login(rw_, CKU_USER, kUserPin), CKR_OK);
  }

  // A secret key usable as a KDF base (and readable, so tests can compare values).
  CK_OBJECT_HANDLE secret(const Bytes& value, CK_KEY_TYPE kt = CKK_GENERIC_SECRET, bool derive = true, bool sensitive = false,
                          bool extractable = true) {
    Template t;
    t.ulong(CKA_CLASS, CKO_SECRET_KEY).ulong(CKA_KEY_TYPE, kt).bytes(CKA_VALUE, value).boolean(CKA_DERIVE, derive)
        .boolean(CKA_SENSITIVE, sensitive).boolean(CKA_EXTRACTABLE, extractable);
    CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;
    EXPECT_EQ(f->C_CreateObject(rw_, t.data(), t.size(), &h), CKR_OK);
    return h;
  }

  // Template of a readable derived key of `len` bytes (0: no CKA_VALUE_LEN).
  static Template readable(CK_ULONG len, CK_KEY_TYPE kt = CKK_GENERIC_SECRET) {
    Template t;
    t.ulong(CKA_CLASS, CKO_SECRET_KEY).ulong(CKA_KEY_TYPE, kt).boolean(CKA_SENSITIVE, false).boolean(CKA_EXTRACTABLE, true);
    if (len != 0) t.ulong(CKA_VALUE_LEN, len);
    return t;
  }

  CK_RV derive(CK_MECHANISM_TYPE m, void* param, CK_ULONG param_len, CK_OBJECT_HANDLE base, Template t, CK_OBJECT_HANDLE* out) {
    CK_MECHANISM mech{m, param, param_len};
    return f->C_DeriveKey(rw_, &mech, base, t.data(), t.size(), out);
  }
  // The derived value, or empty on failure (with the return value checked).
  Bytes derive_value(CK_MECHANISM_TYPE m, void* param, CK_ULONG param_len, CK_OBJECT_HANDLE base, Template t) {
    CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;
    EXPECT_EQ(derive(m, param, param_len, base, std::move(t), &h), CKR_OK);
    return h == CK_INVALID_HANDLE ? Bytes{} : value(h);
  }

  Bytes value(CK_OBJECT_HANDLE h) {
    CK_ATTRIBUTE a{CKA_VALUE, nullptr, 0};
    EXPECT_EQ(f->C_GetAttributeValue(rw_, h, &a, 1), CKR_OK);
    Bytes v(a.ulValueLen);
    a.pValue = v.data();
    EXPECT_EQ(f->C_GetAttributeValue(rw_, h, &a, 1), CKR_OK);
    return v;
  }
  CK_ULONG get_ulong(CK_OBJECT_HANDLE h, CK_ATTRIBUTE_TYPE t) {
    CK_ULONG v = 0;
    CK_ATTRIBUTE a{t, &v, sizeof v};
    EXPECT_EQ(f->C_GetAttributeValue(rw_, h, &a, 1), CKR_OK);
    return v;
  }
  bool get_bool(CK_OBJECT_HANDLE h, CK_ATTRIBUTE_TYPE t) {
    CK_BBOOL v = CK_FALSE;
    CK_ATTRIBUTE a{t, &v, sizeof v};
    EXPECT_EQ(f->C_GetAttributeValue(rw_, h, &a, 1), CKR_OK);
    return v != CK_FALSE;
  }

  static CK_HKDF_PARAMS hkdf(bool extract, bool expand, CK_MECHANISM_TYPE hash, CK_ULONG salt_type, Bytes& salt, Bytes& info,
                             CK_OBJECT_HANDLE salt_key = CK_INVALID_HANDLE) {
    return CK_HKDF_PARAMS{static_cast<CK_BBOOL>(extract ? CK_TRUE : CK_FALSE),
                          static_cast<CK_BBOOL>(expand ? CK_TRUE : CK_FALSE),
                          hash,
                          salt_type,
                          salt.empty() ? nullptr : salt.data(),
                          static_cast<CK_ULONG>(salt.size()),
                          salt_key,
                          info.empty() ? nullptr : info.data(),
                          static_cast<CK_ULONG>(info.size())};
  }

  Bytes pbkdf2(CK_ULONG prf, const Bytes& password, const Bytes& salt, CK_ULONG iterations, CK_ULONG len) {
    CK_PKCS5_PBKD2_PARAMS2 p{CKZ_SALT_SPECIFIED, const_cast<std::uint8_t*>(salt.data()), static_cast<CK_ULONG>(salt.size()),
                             iterations, prf, nullptr, 0, const_cast<std::uint8_t*>(password.data()),
                             static_cast<CK_ULONG>(password.size())};
    CK_MECHANISM m{CKM_PKCS5_PBKD2, &p, sizeof p};
    Template t = readable(len);
    CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;
    EXPECT_EQ(f->C_GenerateKey(rw_, &m, t.data(), t.size(), &h), CKR_OK);
    return h == CK_INVALID_HANDLE ? Bytes{} : value(h);
  }
};

// ---- HKDF -----------------------------------------------------------------------------------------

struct Rfc5869 {
  Bytes ikm, salt, info;
  CK_ULONG len;
  const char* prk;
  const char* okm;
};

std::vector<Rfc5869> rfc5869() {
  return {
      {Bytes(22, 0x0b), range(0x00, 0x0c), range(0xf0, 0xf9), 42,
       "077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5",
       "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865"},
      {range(0x00, 0x4f), range(0x60, 0xaf), range(0xb0, 0xff), 82,
       "06a6b88c5853361a06104c9ceb35b45cef760014904671014a193f40c15fc244",
       "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c59045a99cac7827271cb41c65e590e09da3275600c2f0"
       "9b8367793a9aca3db71cc30c58179ec3e87c14c01d5c1f3434f1d87"},
      {Bytes(22, 0x0b), Bytes{}, Bytes{}, 42, "19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04",
       "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8"},
  };
}

TEST_F(MechKdf, HkdfRfc5869Vectors) {
  int n = 0;
  for (auto tc : rfc5869()) {
    ++n;
    const CK_OBJECT_HANDLE base = secret(tc.ikm, n == 2 ? CKK_HKDF : CKK_GENERIC_SECRET);
    const CK_ULONG salt_type = tc.salt.empty() ? CKF_HKDF_SALT_NULL : CKF_HKDF_SALT_DATA;
    CK_HKDF_PARAMS both = hkdf(true, true, CKM_SHA256, salt_type, tc.salt, tc.info);
    EXPECT_EQ(derive_value(CKM_HKDF_DERIVE, &both, sizeof both, base, readable(tc.len)), from_hex(tc.okm)) << "case " << n;
    // Extract alone gives the PRK (no CKA_VALUE_LEN needed) ...
    CK_HKDF_PARAMS extract = hkdf(true, false, CKM_SHA256, salt_type, tc.salt, tc.info);
    const Bytes prk = derive_value(CKM_HKDF_DERIVE, &extract, sizeof extract, base, readable(0));
    EXPECT_EQ(prk, from_hex(tc.prk)) << "case " << n;
    // ... and expanding the PRK gives the OKM.
    CK_HKDF_PARAMS expand = hkdf(false, true, CKM_SHA256, CKF_HKDF_SALT_NULL, tc.salt, tc.info);
    EXPECT_EQ(derive_value(CKM_HKDF_DERIVE, &expand, sizeof expand, secret(prk, CKK_HKDF), readable(tc.len)), from_hex(tc.okm))
        << "case " << n;
  }
  // Case 3 with an explicitly empty CKF_HKDF_SALT_DATA salt is the same as no salt.
  auto tc = rfc5869()[2];
  CK_HKDF_PARAMS empty_data = hkdf(true, true, CKM_SHA256, CKF_HKDF_SALT_DATA, tc.salt, tc.info);
  EXPECT_EQ(derive_value(CKM_HKDF_DERIVE, &empty_data, sizeof empty_data, secret(tc.ikm), readable(tc.len)), from_hex(tc.okm));
}

TEST_F(MechKdf, HkdfOtherHashesMatchOpenSsl) {
  const struct {
    CK_MECHANISM_TYPE hash;
    const char* name;
    CK_ULONG len;
  } hashes[] = {{CKM_SHA_1, "SHA1", 50}, {CKM_SHA224, "SHA224", 28}, {CKM_SHA384, "SHA384", 100},
                {CKM_SHA512, "SHA512", 64}, {CKM_SHA512_256, "SHA512-256", 33}, {CKM_SHA3_256, "SHA3-256", 77},
                {CKM_SHA3_512, "SHA3-512", 130}};
  Bytes ikm = range(1, 40), salt = str("some salt"), info = str("context info");
  const CK_OBJECT_HANDLE base = secret(ikm);
  for (const auto& h : hashes) {
    CK_HKDF_PARAMS p = hkdf(true, true, h.hash, CKF_HKDF_SALT_DATA, salt, info);
    EXPECT_EQ(derive_value(CKM_HKDF_DERIVE, &p, sizeof p, base, readable(h.len)), evp_hkdf(h.name, ikm, salt, info, h.len))
        << h.name;
  }
}

TEST_F(MechKdf, HkdfSaltFromKey) {
  auto tc = rfc5869()[0];
  const CK_OBJECT_HANDLE base = secret(tc.ikm);
  Bytes no_salt;
  CK_HKDF_PARAMS p = hkdf(true, true, CKM_SHA256, CKF_HKDF_SALT_KEY, no_salt, tc.info, secret(tc.salt));
  EXPECT_EQ(derive_value(CKM_HKDF_DERIVE, &p, sizeof p, base, readable(tc.len)), from_hex(tc.okm));
  p.hSaltKey = secret(tc.salt, CKK_HKDF);
  EXPECT_EQ(derive_value(CKM_HKDF_DERIVE, &p, sizeof p, base, readable(tc.len)), from_hex(tc.okm));
  CK_OBJECT_HANDLE h = 0;
  p.hSaltKey = secret(tc.salt, CKK_GENERIC_SECRET, false);  // no CKA_DERIVE
  EXPECT_EQ(derive(CKM_HKDF_DERIVE, &p, sizeof p, base, readable(tc.len), &h), CKR_KEY_FUNCTION_NOT_PERMITTED);
  p.hSaltKey = secret(Bytes(16, 1), CKK_AES);
  EXPECT_EQ(derive(CKM_HKDF_DERIVE, &p, sizeof p, base, readable(tc.len), &h), CKR_KEY_TYPE_INCONSISTENT);
  p.hSaltKey = 0xdead;
  EXPECT_EQ(derive(CKM_HKDF_DERIVE, &p, sizeof p, base, readable(tc.len), &h), CKR_KEY_HANDLE_INVALID);
}

TEST_F(MechKdf, HkdfDataMakesADataObject) {
  auto tc = rfc5869()[0];
  const CK_OBJECT_HANDLE base = secret(tc.ikm);
  CK_HKDF_PARAMS p = hkdf(true, false, CKM_SHA256, CKF_HKDF_SALT_DATA, tc.salt, tc.info);
  Template t;
  t.ulong(CKA_CLASS, CKO_DATA).str(CKA_LABEL, "prk");
  CK_OBJECT_HANDLE h = 0;
  ASSERT_EQ(derive(CKM_HKDF_DATA, &p, sizeof p, base, t, &h), CKR_OK);
  EXPECT_EQ(get_ulong(h, CKA_CLASS), CKO_DATA);
  EXPECT_EQ(value(h), from_hex(tc.prk));
  // The mechanism fixes the class of what it makes.
  EXPECT_EQ(derive(CKM_HKDF_DATA, &p, sizeof p, base, readable(0), &h), CKR_TEMPLATE_INCONSISTENT);
  EXPECT_EQ(derive(CKM_HKDF_DERIVE, &p, sizeof p, base, t, &h), CKR_TEMPLATE_INCONSISTENT);
}

// Expanding into a data object: CKA_VALUE_LEN sizes the output and is not kept on the data object;
// without CKA_CLASS the mechanism makes a data object anyway.
TEST_F(MechKdf, HkdfDataExpandTakesValueLen) {
  auto tc = rfc5869()[0];
  CK_HKDF_PARAMS p = hkdf(true, true, CKM_SHA256, CKF_HKDF_SALT_DATA, tc.salt, tc.info);
  Template t;
  t.ulong(CKA_CLASS, CKO_DATA).ulong(CKA_VALUE_LEN, tc.len);
  CK_OBJECT_HANDLE h = 0;
  ASSERT_EQ(derive(CKM_HKDF_DATA, &p, sizeof p, secret(tc.ikm), t, &h), CKR_OK);
  EXPECT_EQ(value(h), from_hex(tc.okm));
  CK_ATTRIBUTE len{CKA_VALUE_LEN, nullptr, 0};
  EXPECT_EQ(f->C_GetAttributeValue(rw_, h, &len, 1), CKR_ATTRIBUTE_TYPE_INVALID);
  Template classless;
  classless.ulong(CKA_VALUE_LEN, tc.len);
  ASSERT_EQ(derive(CKM_HKDF_DATA, &p, sizeof p, secret(tc.ikm), classless, &h), CKR_OK);
  EXPECT_EQ(get_ulong(h, CKA_CLASS), CKO_DATA);
  EXPECT_EQ(value(h), from_hex(tc.okm));
  // A malformed CKA_VALUE_LEN is named as such.
  std::uint8_t short_len[3] = {1, 2, 3};
  Template bad_len;
  bad_len.ulong(CKA_CLASS, CKO_DATA).add(CKA_VALUE_LEN, short_len, sizeof short_len);
  EXPECT_EQ(derive(CKM_HKDF_DATA, &p, sizeof p, secret(tc.ikm), bad_len, &h), CKR_ATTRIBUTE_VALUE_INVALID);
}

TEST_F(MechKdf, HkdfRefusals) {
  Bytes salt = str("salt"), info = str("info");
  const CK_OBJECT_HANDLE base = secret(Bytes(32, 7));
  CK_OBJECT_HANDLE h = 0;
  auto rv = [&](CK_HKDF_PARAMS p, Template t) { return derive(CKM_HKDF_DERIVE, &p, sizeof p, base, std::move(t), &h); };
  EXPECT_EQ(rv(hkdf(false, false, CKM_SHA256, CKF_HKDF_SALT_DATA, salt, info), readable(32)), CKR_MECHANISM_PARAM_INVALID);
  EXPECT_EQ(rv(hkdf(true, true, CKM_SHA256_HMAC, CKF_HKDF_SALT_DATA, salt, info), readable(32)), CKR_MECHANISM_PARAM_INVALID);
  EXPECT_EQ(rv(hkdf(true, true, CKM_MD5, CKF_HKDF_SALT_DATA, salt, info), readable(32)), CKR_MECHANISM_PARAM_INVALID);
  EXPECT_EQ(rv(hkdf(true, true, CKM_SHA256, 0, salt, info), readable(32)), CKR_MECHANISM_PARAM_INVALID);
  EXPECT_EQ(rv(hkdf(true, true, CKM_SHA256, CKF_HKDF_SALT_DATA | CKF_HKDF_SALT_NULL, salt, info), readable(32)),
            CKR_MECHANISM_PARAM_INVALID);
  EXPECT_EQ(rv(hkdf(true, true, CKM_SHA256, CKF_HKDF_SALT_DATA, salt, info), readable(0)), CKR_TEMPLATE_INCOMPLETE);
  EXPECT_EQ(rv(hkdf(true, true, CKM_SHA256, CKF_HKDF_SALT_DATA, salt, info), readable(255 * 32 + 1)), CKR_KEY_SIZE_RANGE);
  EXPECT_EQ(rv(hkdf(true, true, CKM_SHA256, CKF_HKDF_SALT_DATA, salt, info), readable(255 * 32)), CKR_OK);
  EXPECT_EQ(rv(hkdf(true, false, CKM_SHA256, CKF_HKDF_SALT_DATA, salt, info), readable(16)), CKR_TEMPLATE_INCONSISTENT);
  EXPECT_EQ(rv(hkdf(true, false, CKM_SHA256, CKF_HKDF_SALT_DATA, salt, info), readable(32)), CKR_OK);
  // Structure of the wrong size; base keys of the wrong type or without CKA_DERIVE.
  CK_HKDF_PARAMS p = hkdf(true, true, CKM_SHA256, CKF_HKDF_SALT_DATA, salt, info);
  EXPECT_EQ(derive(CKM_HKDF_DERIVE, &p, sizeof p - 8, base, readable(32), &h), CKR_MECHANISM_PARAM_INVALID);
  EXPECT_EQ(derive(CKM_HKDF_DERIVE, nullptr, 0, base, readable(32), &h), CKR_MECHANISM_PARAM_INVALID);
  EXPECT_EQ(derive(CKM_HKDF_DERIVE, &p, sizeof p, secret(Bytes(32, 7), CKK_AES), readable(32), &h), CKR_KEY_TYPE_INCONSISTENT);
  EXPECT_EQ(derive(CKM_HKDF_DERIVE, &p, sizeof p, secret(Bytes(32, 7), CKK_SHA256_HMAC), readable(32), &h),
            CKR_KEY_TYPE_INCONSISTENT);
  EXPECT_EQ(derive(CKM_HKDF_DERIVE, &p, sizeof p, secret(Bytes(32, 7), CKK_GENERIC_SECRET, false), readable(32), &h),
            CKR_KEY_FUNCTION_NOT_PERMITTED);
  // The derived key's own type and length rules still apply.
  EXPECT_EQ(derive(CKM_HKDF_DERIVE, &p, sizeof p, base, readable(20, CKK_AES), &h), CKR_ATTRIBUTE_VALUE_INVALID);
  ASSERT_EQ(derive(CKM_HKDF_DERIVE, &p, sizeof p, base, readable(24, CKK_AES), &h), CKR_OK);
  EXPECT_EQ(get_ulong(h, CKA_KEY_TYPE), CKK_AES);
}

// ---- PBKDF2 ---------------------------------------------------------------------------------------

TEST_F(MechKdf, Pbkdf2Rfc6070Vectors) {
  const CK_ULONG sha1 = CKP_PKCS5_PBKD2_HMAC_SHA1;
  EXPECT_EQ(pbkdf2(sha1, str("password"), str("salt"), 1, 20), from_hex("0c60c80f961f0e71f3a9b524af6012062fe037a6"));
  EXPECT_EQ(pbkdf2(sha1, str("password"), str("salt"), 2, 20), from_hex("ea6c014dc72d6f8ccd1ed92ace1d41f0d8de8957"));
  EXPECT_EQ(pbkdf2(sha1, str("password"), str("salt"), 4096, 20), from_hex("4b007901b765489abead49d926f721d065a429c1"));
  EXPECT_EQ(pbkdf2(sha1, str("passwordPASSWORDpassword"), str("saltSALTsaltSALTsaltSALTsaltSALTsalt"), 4096, 25),
            from_hex("3d2eec4fe41c849b80c8d83662c0e44a8b291a964cf2f07038"));
  EXPECT_EQ(pbkdf2(sha1, Bytes{'p', 'a', 's', 's', 0, 'w', 'o', 'r', 'd'}, Bytes{'s', 'a', 0, 'l', 't'}, 4096, 16),
            from_hex("56fa6aa75548099dcc37d7f03425e0c3"));
  // The original CK_PKCS5_PBKD2_PARAMS, with the password length behind a pointer.
  Bytes pw = str("password"), salt = str("salt");
  CK_ULONG pw_len = pw.size();
  CK_PKCS5_PBKD2_PARAMS v1{CKZ_SALT_SPECIFIED, salt.data(), salt.size(), 2, sha1, nullptr, 0, pw.data(), &pw_len};
  CK_MECHANISM m{CKM_PKCS5_PBKD2, &v1, sizeof v1};
  Template t = readable(20);
  CK_OBJECT_HANDLE h = 0;
  ASSERT_EQ(f->C_GenerateKey(rw_, &m, t.data(), t.size(), &h), CKR_OK);
  EXPECT_EQ(value(h), from_hex("ea6c014dc72d6f8ccd1ed92ace1d41f0d8de8957"));
}

TEST_F(MechKdf, Pbkdf2OtherPrfsMatchOpenSsl) {
  const struct {
    CK_ULONG prf;
    const char* name;
  } prfs[] = {{CKP_PKCS5_PBKD2_HMAC_SHA224, "SHA224"}, {CKP_PKCS5_PBKD2_HMAC_SHA256, "SHA256"},
              {CKP_PKCS5_PBKD2_HMAC_SHA384, "SHA384"}, {CKP_PKCS5_PBKD2_HMAC_SHA512, "SHA512"},
              {CKP_PKCS5_PBKD2_HMAC_SHA512_224, "SHA512-224"}, {CKP_PKCS5_PBKD2_HMAC_SHA512_256, "SHA512-256"}};
  const Bytes pw = str("correct horse battery staple"), salt = range(0x10, 0x2f);
  for (const auto& p : prfs) {
    Bytes want(70);
    ASSERT_EQ(PKCS5_PBKDF2_HMAC(reinterpret_cast<const char*>(pw.data()), static_cast<int>(pw.size()), salt.data(),
                                static_cast<int>(salt.size()), 300, EVP_get_digestbyname(p.name), static_cast<int>(want.size()),
                                want.data()),
              1);
    EXPECT_EQ(pbkdf2(p.prf, pw, salt, 300, 70), want) << p.name;
  }
}

TEST_F(MechKdf, Pbkdf2KeyTypesAndRefusals) {
  Bytes pw = str("pw"), salt = str("salt");
  CK_PKCS5_PBKD2_PARAMS2 p{CKZ_SALT_SPECIFIED, salt.data(), salt.size(), 10, CKP_PKCS5_PBKD2_HMAC_SHA256, nullptr, 0, pw.data(), pw.size()};
  CK_MECHANISM m{CKM_PKCS5_PBKD2, &p, sizeof p};
  CK_OBJECT_HANDLE h = 0;
  auto gen = [&](Template t) { return f->C_GenerateKey(rw_, &m, t.data(), t.size(), &h); };
  ASSERT_EQ(gen(readable(32, CKK_AES)), CKR_OK);
  EXPECT_EQ(get_ulong(h, CKA_KEY_TYPE), CKK_AES);
  EXPECT_EQ(get_ulong(h, CKA_VALUE_LEN), 32u);
  EXPECT_EQ(gen(readable(0, CKK_AES)), CKR_TEMPLATE_INCOMPLETE);
  EXPECT_EQ(gen(readable(0, CKK_GENERIC_SECRET)), CKR_TEMPLATE_INCOMPLETE);
  ASSERT_EQ(gen(readable(0, CKK_CHACHA20)), CKR_OK);  // a fixed-length key type
  EXPECT_EQ(get_ulong(h, CKA_VALUE_LEN), 32u);
  EXPECT_EQ(gen(readable(20, CKK_AES)), CKR_ATTRIBUTE_VALUE_INVALID);
  Template data_obj;
  data_obj.ulong(CKA_CLASS, CKO_DATA);
  EXPECT_EQ(gen(data_obj), CKR_TEMPLATE_INCONSISTENT);

  auto with = [&](auto change) {
    CK_PKCS5_PBKD2_PARAMS2 q = p;
    change(q);
    CK_MECHANISM mq{CKM_PKCS5_PBKD2, &q, sizeof q};
    Template t = readable(16);
    return f->C_GenerateKey(rw_, &mq, t.data(), t.size(), &h);
  };
  EXPECT_EQ(with([](auto& q) { q.saltSource = 2; }), CKR_MECHANISM_PARAM_INVALID);
  EXPECT_EQ(with([](auto& q) { q.iterations = 0; }), CKR_MECHANISM_PARAM_INVALID);
  EXPECT_EQ(with([](auto& q) { q.prf = CKP_PKCS5_PBKD2_HMAC_GOSTR3411; }), CKR_MECHANISM_PARAM_INVALID);
  EXPECT_EQ(with([](auto& q) { q.prf = 99; }), CKR_MECHANISM_PARAM_INVALID);
  EXPECT_EQ(with([](auto&) {}), CKR_OK);
  CK_MECHANISM short_param{CKM_PKCS5_PBKD2, &p, sizeof p - 8};
  Template t = readable(16);
  EXPECT_EQ(f->C_GenerateKey(rw_, &short_param, t.data(), t.size(), &h), CKR_MECHANISM_PARAM_INVALID);
}

// ---- SP 800-108 -----------------------------------------------------------------------------------

TEST_F(MechKdf, Sp800108CounterNistKats) {
  // CAVP KDFCTR_gen.rsp: PRF HMAC_SHA256, counter before the fixed data, r = 32, L = 128.
  {
    PrfData d;
    d.iteration(false, 32).bytes(from_hex("01322b96b30acd197979444e468e1c5c6859bf1b1cf951b7e725303e237e46b864a145fab25e517b08f8683d"
                                          "0315bb2911d80a0e8aba17f3b413faac"));
    CK_SP800_108_KDF_PARAMS p{CKM_SHA256_HMAC, d.size(), d.data(), 0, nullptr};
    const CK_OBJECT_HANDLE base = secret(from_hex("dd1d91b7d90b2bd3138533ce92b272fbf8a369316aefe242e659cc0ae238afe0"));
    EXPECT_EQ(derive_value(CKM_SP800_108_COUNTER_KDF, &p, sizeof p, base, readable(16)), from_hex("10621342bfb0fd40046c0e29f2cfdbf0"));
  }
  // CAVP KDFCTR_gen.rsp: PRF CMAC_AES128, counter before the fixed data, r = 8, L = 128.
  {
    PrfData d;
    d.iteration(false, 8).bytes(from_hex("c16e6e02c5a3dcc8d78b9ac1306877761310455b4e41469951d9e6c2245a064b33fd8c3b01203a7824485bf0a6"
                                         "4060c4648b707d2607935699316ea5"));
    CK_SP800_108_KDF_PARAMS p{CKM_AES_CMAC, d.size(), d.data(), 0, nullptr};
    const CK_OBJECT_HANDLE base = secret(from_hex("dff1e50ac0b69dc40f1051d46c2b069c"), CKK_AES);
    EXPECT_EQ(derive_value(CKM_SP800_108_COUNTER_KDF, &p, sizeof p, base, readable(16)), from_hex("8be8f0869b3c0ba97b71863d1b9f7813"));
  }
}

TEST_F(MechKdf, Sp800108MatchesOpenSslKbkdf) {
  const Bytes label = str("label"), context = str("some context");
  const struct {
    CK_MECHANISM_TYPE prf;
    const char* mac;
    const char* alg;
    CK_KEY_TYPE kt;
    std::size_t key_len;
    std::size_t h;  // PRF output size: OpenSSL wants an IV of exactly that length
  } prfs[] = {{CKM_SHA_1_HMAC, "HMAC", "SHA1", CKK_GENERIC_SECRET, 20, 20},
              {CKM_SHA256_HMAC, "HMAC", "SHA256", CKK_SHA256_HMAC, 32, 32},
              {CKM_SHA512_HMAC, "HMAC", "SHA512", CKK_GENERIC_SECRET, 64, 64},
              {CKM_SHA3_384_HMAC, "HMAC", "SHA3-384", CKK_SHA3_384_HMAC, 48, 48},
              {CKM_AES_CMAC, "CMAC", "AES-128-CBC", CKK_AES, 16, 16}, {CKM_AES_CMAC, "CMAC", "AES-256-CBC", CKK_AES, 32, 16}};
  for (const auto& prf : prfs) {
    const Bytes key = range(1, static_cast<std::uint8_t>(prf.key_len));
    const Bytes iv = range(0x40, static_cast<std::uint8_t>(0x40 + prf.h - 1));
    const CK_OBJECT_HANDLE base = secret(key, prf.kt);
    for (CK_ULONG len : {16ul, 42ul, 100ul}) {
      PrfData c;
      c.iteration(false, 32).bytes(label).bytes(Bytes{0}).bytes(context).dkm(CK_SP800_108_DKM_LENGTH_SUM_OF_KEYS, false, 32);
      CK_SP800_108_KDF_PARAMS cp{prf.prf, c.size(), c.data(), 0, nullptr};
      EXPECT_EQ(derive_value(CKM_SP800_108_COUNTER_KDF, &cp, sizeof cp, base, readable(len)),
                evp_kbkdf("COUNTER", prf.mac, prf.alg, key, label, context, {}, len))
          << prf.alg << " counter " << len;
      PrfData fb;
      fb.iteration_feedback().counter(false, 32).bytes(label).bytes(Bytes{0}).bytes(context).dkm(
          CK_SP800_108_DKM_LENGTH_SUM_OF_KEYS, false, 32);
      CK_SP800_108_FEEDBACK_KDF_PARAMS fp{prf.prf, fb.size(), fb.data(), iv.size(), const_cast<std::uint8_t*>(iv.data()), 0, nullptr};
      EXPECT_EQ(derive_value(CKM_SP800_108_FEEDBACK_KDF, &fp, sizeof fp, base, readable(len)),
                evp_kbkdf("FEEDBACK", prf.mac, prf.alg, key, label, context, iv, len))
          << prf.alg << " feedback " << len;
    }
  }
}

TEST_F(MechKdf, Sp800108AdditionalKeysStartOnSegments) {
  const Bytes key = range(0x20, 0x3f), label = str("L"), context = str("C");
  const CK_OBJECT_HANDLE base = secret(key);
  // Keys of 20, 16 and 40 bytes with a 32-byte PRF: segments 1 + 1 + 2, keys at offsets 0, 32, 64.
  Template t1 = readable(16, CKK_AES), t2 = readable(40);
  CK_OBJECT_HANDLE h1 = CK_INVALID_HANDLE, h2 = CK_INVALID_HANDLE;
  CK_DERIVED_KEY extra[] = {{t1.data(), t1.size(), &h1}, {t2.data(), t2.size(), &h2}};

  // SUM_OF_SEGMENTS: L = 4·256 bits, which is what OpenSSL uses for a 128-byte output.
  {
    PrfData d;
    d.iteration(false, 32).bytes(label).bytes(Bytes{0}).bytes(context).dkm(CK_SP800_108_DKM_LENGTH_SUM_OF_SEGMENTS, false, 32);
    CK_SP800_108_KDF_PARAMS p{CKM_SHA256_HMAC, d.size(), d.data(), 2, extra};
    const Bytes stream = evp_kbkdf("COUNTER", "HMAC", "SHA256", key, label, context, {}, 128);
    EXPECT_EQ(derive_value(CKM_SP800_108_COUNTER_KDF, &p, sizeof p, base, readable(20)), slice(stream, 0, 20));
    ASSERT_NE(h1, CK_INVALID_HANDLE);
    ASSERT_NE(h2, CK_INVALID_HANDLE);
    EXPECT_EQ(value(h1), slice(stream, 32, 16));
    EXPECT_EQ(get_ulong(h1, CKA_KEY_TYPE), CKK_AES);
    EXPECT_EQ(value(h2), slice(stream, 64, 40));
    EXPECT_FALSE(get_bool(h2, CKA_LOCAL));
  }
  // SUM_OF_KEYS with a little-endian 16-bit counter and a little-endian 64-bit L, computed by hand.
  {
    PrfData d;
    d.bytes(label).iteration(true, 16).dkm(CK_SP800_108_DKM_LENGTH_SUM_OF_KEYS, true, 64).bytes(context);
    CK_SP800_108_KDF_PARAMS p{CKM_SHA256_HMAC, d.size(), d.data(), 2, extra};
    Bytes stream;
    for (std::uint64_t i = 1; i <= 4; ++i) stream = cat(stream, evp_hmac("SHA256", key, cat(cat(cat(label, le(i, 2)), le(76 * 8, 8)), context)));
    EXPECT_EQ(derive_value(CKM_SP800_108_COUNTER_KDF, &p, sizeof p, base, readable(20)), slice(stream, 0, 20));
    EXPECT_EQ(value(h1), slice(stream, 32, 16));
    EXPECT_EQ(value(h2), slice(stream, 64, 40));
  }
  // A single key with SUM_OF_SEGMENTS: L counts the whole segment (256 bits for 20 bytes), 24-bit big-endian.
  {
    PrfData d;
    d.iteration(false, 8).dkm(CK_SP800_108_DKM_LENGTH_SUM_OF_SEGMENTS, false, 24).bytes(label);
    CK_SP800_108_KDF_PARAMS p{CKM_SHA256_HMAC, d.size(), d.data(), 0, nullptr};
    const Bytes want = slice(evp_hmac("SHA256", key, cat(cat(be(1, 1), be(256, 3)), label)), 0, 20);
    EXPECT_EQ(derive_value(CKM_SP800_108_COUNTER_KDF, &p, sizeof p, base, readable(20)), want);
  }
  // Every additional key needs a known length.
  Template no_len = readable(0);
  CK_DERIVED_KEY unknown[] = {{no_len.data(), no_len.size(), &h1}};
  PrfData d;
  d.iteration(false, 32);
  CK_SP800_108_KDF_PARAMS p{CKM_SHA256_HMAC, d.size(), d.data(), 1, unknown};
  CK_OBJECT_HANDLE h = 0;
  EXPECT_EQ(derive(CKM_SP800_108_COUNTER_KDF, &p, sizeof p, base, readable(16), &h), CKR_TEMPLATE_INCOMPLETE);
  // A fixed-length key type is fine without CKA_VALUE_LEN.
  Template chacha = readable(0, CKK_CHACHA20);
  CK_DERIVED_KEY fixed[] = {{chacha.data(), chacha.size(), &h1}};
  p.pAdditionalDerivedKeys = fixed;
  ASSERT_EQ(derive(CKM_SP800_108_COUNTER_KDF, &p, sizeof p, base, readable(16), &h), CKR_OK);
  EXPECT_EQ(value(h1), slice(cat(evp_hmac("SHA256", key, be(1, 4)), evp_hmac("SHA256", key, be(2, 4))), 32, 32));
}

TEST_F(MechKdf, Sp800108FeedbackWithoutCounterOrIv) {
  const Bytes key = range(0x01, 0x30), label = str("feedback");
  PrfData d;
  d.bytes(label).iteration_feedback();
  CK_SP800_108_FEEDBACK_KDF_PARAMS p{CKM_SHA384_HMAC, d.size(), d.data(), 0, nullptr, 0, nullptr};
  // K(1) = PRF(label || IV) with an empty IV, K(2) = PRF(label || K(1)).
  const Bytes k1 = evp_hmac("SHA384", key, label);
  const Bytes k2 = evp_hmac("SHA384", key, cat(label, k1));
  EXPECT_EQ(derive_value(CKM_SP800_108_FEEDBACK_KDF, &p, sizeof p, secret(key), readable(60)), slice(cat(k1, k2), 0, 60));
}

TEST_F(MechKdf, Sp800108Refusals) {
  const CK_OBJECT_HANDLE base = secret(Bytes(32, 9));
  CK_OBJECT_HANDLE h = 0;
  auto counter_rv = [&](PrfData& d, CK_MECHANISM_TYPE prf = CKM_SHA256_HMAC, CK_ULONG len = 32, CK_OBJECT_HANDLE key = 0) {
    CK_SP800_108_KDF_PARAMS p{prf, d.size(), d.data(), 0, nullptr};
    return derive(CKM_SP800_108_COUNTER_KDF, &p, sizeof p, key == 0 ? base : key, readable(len), &h);
  };
  auto feedback_rv = [&](PrfData& d) {
    CK_SP800_108_FEEDBACK_KDF_PARAMS p{CKM_SHA256_HMAC, d.size(), d.data(), 0, nullptr, 0, nullptr};
    return derive(CKM_SP800_108_FEEDBACK_KDF, &p, sizeof p, base, readable(32), &h);
  };
  {
    PrfData d;  // no iteration variable
    d.bytes(str("x"));
    EXPECT_EQ(counter_rv(d), CKR_MECHANISM_PARAM_INVALID);
  }
  {
    PrfData d;  // two
    d.iteration(false, 32).iteration(false, 32);
    EXPECT_EQ(counter_rv(d), CKR_MECHANISM_PARAM_INVALID);
  }
  for (CK_ULONG bits : {0ul, 12ul, 40ul, 64ul}) {
    PrfData d;
    d.iteration(false, bits);
    EXPECT_EQ(counter_rv(d), CKR_MECHANISM_PARAM_INVALID) << bits;
  }
  {
    PrfData d;  // counter mode: the iteration variable needs its format
    d.iteration_feedback();
    EXPECT_EQ(counter_rv(d), CKR_MECHANISM_PARAM_INVALID);
  }
  {
    PrfData d;  // counter mode takes no separate counter
    d.iteration(false, 32).counter(false, 32);
    EXPECT_EQ(counter_rv(d), CKR_MECHANISM_PARAM_INVALID);
  }
  for (CK_ULONG bits : {0ul, 4ul, 72ul}) {
    PrfData d;
    d.iteration(false, 32).dkm(CK_SP800_108_DKM_LENGTH_SUM_OF_KEYS, false, bits);
    EXPECT_EQ(counter_rv(d), CKR_MECHANISM_PARAM_INVALID) << bits;
  }
  {
    PrfData d;
    d.iteration(false, 32).dkm(3, false, 32);
    EXPECT_EQ(counter_rv(d), CKR_MECHANISM_PARAM_INVALID);
  }
  {
    PrfData d;  // two DKM lengths
    d.iteration(false, 32).dkm(CK_SP800_108_DKM_LENGTH_SUM_OF_KEYS, false, 32).dkm(CK_SP800_108_DKM_LENGTH_SUM_OF_KEYS, false, 32);
    EXPECT_EQ(counter_rv(d), CKR_MECHANISM_PARAM_INVALID);
  }
  {
    PrfData d;  // an unknown data type
    d.iteration(false, 32).raw({0x99, nullptr, 0});
    EXPECT_EQ(counter_rv(d), CKR_MECHANISM_PARAM_INVALID);
  }
  {
    PrfData d;  // feedback: the iteration variable carries no format ...
    d.iteration(false, 32);
    EXPECT_EQ(feedback_rv(d), CKR_MECHANISM_PARAM_INVALID);
    PrfData two;  // ... there is at most one counter
    two.iteration_feedback().counter(false, 32).counter(false, 32);
    EXPECT_EQ(feedback_rv(two), CKR_MECHANISM_PARAM_INVALID);
    PrfData ok;
    ok.iteration_feedback().counter(true, 24);
    EXPECT_EQ(feedback_rv(ok), CKR_OK);
  }
  PrfData d;
  d.iteration(false, 8).dkm(CK_SP800_108_DKM_LENGTH_SUM_OF_KEYS, false, 8);
  EXPECT_EQ(counter_rv(d, CKM_SHA256), CKR_MECHANISM_PARAM_INVALID);  // not a PRF
  EXPECT_EQ(counter_rv(d, CKM_AES_CMAC), CKR_KEY_TYPE_INCONSISTENT);  // CMAC on a generic secret
  EXPECT_EQ(counter_rv(d, CKM_SHA512_HMAC, 31, secret(Bytes(32, 9), CKK_SHA256_HMAC)), CKR_KEY_TYPE_INCONSISTENT);
  EXPECT_EQ(counter_rv(d, CKM_SHA256_HMAC, 31), CKR_OK);                // L = 248 fits 8 bits
  EXPECT_EQ(counter_rv(d, CKM_SHA256_HMAC, 32), CKR_MECHANISM_PARAM_INVALID);  // L = 256 does not
  PrfData narrow;
  narrow.iteration(false, 8);
  EXPECT_EQ(counter_rv(narrow, CKM_SHA256_HMAC, 255 * 32), CKR_OK);       // n = 255 = 2^8 - 1
  EXPECT_EQ(counter_rv(narrow, CKM_SHA256_HMAC, 255 * 32 + 1), CKR_MECHANISM_PARAM_INVALID);
  EXPECT_EQ(counter_rv(narrow, CKM_SHA256_HMAC, 0), CKR_TEMPLATE_INCOMPLETE);
  CK_SP800_108_KDF_PARAMS p{CKM_SHA256_HMAC, narrow.size(), narrow.data(), 0, nullptr};
  EXPECT_EQ(derive(CKM_SP800_108_COUNTER_KDF, &p, sizeof p - 8, base, readable(32), &h), CKR_MECHANISM_PARAM_INVALID);
  EXPECT_EQ(derive(CKM_SP800_108_COUNTER_KDF, &p, sizeof p, secret(Bytes(32, 9), CKK_HKDF), readable(32), &h),
            CKR_KEY_TYPE_INCONSISTENT);
  Template data_obj;
  data_obj.ulong(CKA_CLASS, CKO_DATA);
  EXPECT_EQ(derive(CKM_SP800_108_COUNTER_KDF, &p, sizeof p, base, data_obj, &h), CKR_TEMPLATE_INCONSISTENT);
}

// ---- concatenate / XOR ----------------------------------------------------------------------------

TEST_F(MechKdf, ConcatenateAndXor) {
  const Bytes a = range(0x00, 0x0f), b = range(0xa0, 0xa7);
  const CK_OBJECT_HANDLE base = secret(a), other = secret(b);
  CK_OBJECT_HANDLE other_handle = other;
  EXPECT_EQ(derive_value(CKM_CONCATENATE_BASE_AND_KEY, &other_handle, sizeof other_handle, base, readable(0)), cat(a, b));
  EXPECT_EQ(derive_value(CKM_CONCATENATE_BASE_AND_KEY, &other_handle, sizeof other_handle, base, readable(10)), slice(a, 0, 10));
  CK_OBJECT_HANDLE h = 0;
  EXPECT_EQ(derive(CKM_CONCATENATE_BASE_AND_KEY, &other_handle, sizeof other_handle, base, readable(25), &h),
            CKR_TEMPLATE_INCONSISTENT);
  ASSERT_EQ(derive(CKM_CONCATENATE_BASE_AND_KEY, &other_handle, sizeof other_handle, base, readable(24, CKK_AES), &h), CKR_OK);
  EXPECT_EQ(get_ulong(h, CKA_KEY_TYPE), CKK_AES);
  EXPECT_EQ(value(h), cat(a, b));

  Bytes data = str("0123456789");
  CK_KEY_DERIVATION_STRING_DATA s{data.data(), data.size()};
  EXPECT_EQ(derive_value(CKM_CONCATENATE_BASE_AND_DATA, &s, sizeof s, base, readable(0)), cat(a, data));
  EXPECT_EQ(derive_value(CKM_CONCATENATE_DATA_AND_BASE, &s, sizeof s, base, readable(0)), cat(data, a));
  Bytes xored(10);
  for (std::size_t i = 0; i < 10; ++i) xored[i] = static_cast<std::uint8_t>(a[i] ^ data[i]);
  EXPECT_EQ(derive_value(CKM_XOR_BASE_AND_DATA, &s, sizeof s, base, readable(0)), xored);  // as long as the data
  EXPECT_EQ(derive_value(CKM_XOR_BASE_AND_DATA, &s, sizeof s, base, readable(4)), slice(xored, 0, 4));
  Bytes longer(40, 0xff);
  CK_KEY_DERIVATION_STRING_DATA ls{longer.data(), longer.size()};
  Bytes inverted(a);
  for (auto& x : inverted) x = static_cast<std::uint8_t>(~x);
  EXPECT_EQ(derive_value(CKM_XOR_BASE_AND_DATA, &ls, sizeof ls, base, readable(0)), inverted);  // as long as the key
  // An empty string concatenates to the key itself but cannot be XORed with.
  CK_KEY_DERIVATION_STRING_DATA empty{nullptr, 0};
  EXPECT_EQ(derive_value(CKM_CONCATENATE_BASE_AND_DATA, &empty, sizeof empty, base, readable(0)), a);
  EXPECT_EQ(derive(CKM_XOR_BASE_AND_DATA, &empty, sizeof empty, base, readable(0), &h), CKR_MECHANISM_PARAM_INVALID);
  EXPECT_EQ(derive(CKM_CONCATENATE_BASE_AND_DATA, &s, sizeof s - 1, base, readable(0), &h), CKR_MECHANISM_PARAM_INVALID);
}

TEST_F(MechKdf, ConcatenateProtectsLikeItsSources) {
  const Bytes a = range(0x00, 0x0f);
  const CK_OBJECT_HANDLE base = secret(a);
  Bytes data = str("data");
  CK_KEY_DERIVATION_STRING_DATA s{data.data(), data.size()};
  CK_OBJECT_HANDLE h = 0;
  // A sensitive or unextractable source could otherwise be read back through the result: the
  // result is protected the same way, and a template asking otherwise is inconsistent.
  const CK_OBJECT_HANDLE sensitive = secret(a, CKK_GENERIC_SECRET, true, true);
  EXPECT_EQ(derive(CKM_CONCATENATE_BASE_AND_DATA, &s, sizeof s, sensitive, readable(0), &h), CKR_TEMPLATE_INCONSISTENT);
  Template plain;
  plain.ulong(CKA_CLASS, CKO_SECRET_KEY).ulong(CKA_KEY_TYPE, CKK_GENERIC_SECRET).boolean(CKA_SENSITIVE, false);
  EXPECT_EQ(derive(CKM_CONCATENATE_BASE_AND_DATA, &s, sizeof s, sensitive, plain, &h), CKR_TEMPLATE_INCONSISTENT);
  Template open_class;
  open_class.ulong(CKA_CLASS, CKO_SECRET_KEY).ulong(CKA_KEY_TYPE, CKK_GENERIC_SECRET);
  ASSERT_EQ(derive(CKM_CONCATENATE_BASE_AND_DATA, &s, sizeof s, sensitive, open_class, &h), CKR_OK);
  EXPECT_TRUE(get_bool(h, CKA_SENSITIVE));
  const CK_OBJECT_HANDLE unextractable = secret(a, CKK_GENERIC_SECRET, true, false, false);
  EXPECT_EQ(derive(CKM_XOR_BASE_AND_DATA, &s, sizeof s, unextractable, readable(0), &h), CKR_TEMPLATE_INCONSISTENT);
  Template readable_but_kept;
  readable_but_kept.ulong(CKA_CLASS, CKO_SECRET_KEY).ulong(CKA_KEY_TYPE, CKK_GENERIC_SECRET).boolean(CKA_SENSITIVE, false);
  ASSERT_EQ(derive(CKM_XOR_BASE_AND_DATA, &s, sizeof s, unextractable, readable_but_kept, &h), CKR_OK);
  EXPECT_FALSE(get_bool(h, CKA_EXTRACTABLE));
  // The second key of BASE_AND_KEY counts too, and needs CKA_DERIVE itself.
  CK_OBJECT_HANDLE sensitive_other = secret(a, CKK_GENERIC_SECRET, true, true);
  EXPECT_EQ(derive(CKM_CONCATENATE_BASE_AND_KEY, &sensitive_other, sizeof sensitive_other, base, readable(0), &h),
            CKR_TEMPLATE_INCONSISTENT);
  ASSERT_EQ(derive(CKM_CONCATENATE_BASE_AND_KEY, &sensitive_other, sizeof sensitive_other, base, open_class, &h), CKR_OK);
  EXPECT_TRUE(get_bool(h, CKA_SENSITIVE));
  CK_OBJECT_HANDLE no_derive = secret(a, CKK_GENERIC_SECRET, false);
  EXPECT_EQ(derive(CKM_CONCATENATE_BASE_AND_KEY, &no_derive, sizeof no_derive, base, readable(0), &h),
            CKR_KEY_FUNCTION_NOT_PERMITTED);
  CK_OBJECT_HANDLE missing = 0xdead;
  EXPECT_EQ(derive(CKM_CONCATENATE_BASE_AND_KEY, &missing, sizeof missing, base, readable(0), &h), CKR_KEY_HANDLE_INVALID);
  Template d;
  d.ulong(CKA_CLASS, CKO_DATA).bytes(CKA_VALUE, a);
  CK_OBJECT_HANDLE data_obj = 0;
  ASSERT_EQ(f->C_CreateObject(rw_, d.data(), d.size(), &data_obj), CKR_OK);
  EXPECT_EQ(derive(CKM_CONCATENATE_BASE_AND_KEY, &data_obj, sizeof data_obj, base, readable(0), &h), CKR_KEY_TYPE_INCONSISTENT);
  // The base key needs CKA_DERIVE; the result is a secret key.
  EXPECT_EQ(derive(CKM_CONCATENATE_BASE_AND_DATA, &s, sizeof s, secret(a, CKK_GENERIC_SECRET, false), readable(0), &h),
            CKR_KEY_FUNCTION_NOT_PERMITTED);
  Template to_data;
  to_data.ulong(CKA_CLASS, CKO_DATA);
  EXPECT_EQ(derive(CKM_CONCATENATE_BASE_AND_DATA, &s, sizeof s, base, to_data, &h), CKR_TEMPLATE_INCONSISTENT);
}

// ---- attributes of derived keys, mechanism info ----------------------------------------------------

TEST_F(MechKdf, DerivedKeyAttributes) {
  // A base generated on the token is CKA_ALWAYS_SENSITIVE / CKA_NEVER_EXTRACTABLE.
  CK_MECHANISM gen{CKM_GENERIC_SECRET_KEY_GEN, nullptr, 0};
  Template g;
  g.ulong(CKA_VALUE_LEN, 32).boolean(CKA_DERIVE, true);
  CK_OBJECT_HANDLE generated = 0;
  ASSERT_EQ(f->C_GenerateKey(rw_, &gen, g.data(), g.size(), &generated), CKR_OK);
  ASSERT_TRUE(get_bool(generated, CKA_ALWAYS_SENSITIVE));
  Bytes salt = str("s"), info = str("i");
  CK_HKDF_PARAMS p = hkdf(true, true, CKM_SHA256, CKF_HKDF_SALT_DATA, salt, info);
  Template protected_tmpl;
  protected_tmpl.ulong(CKA_CLASS, CKO_SECRET_KEY).ulong(CKA_KEY_TYPE, CKK_GENERIC_SECRET).ulong(CKA_VALUE_LEN, 32);
  CK_OBJECT_HANDLE h = 0;
  ASSERT_EQ(derive(CKM_HKDF_DERIVE, &p, sizeof p, generated, protected_tmpl, &h), CKR_OK);
  EXPECT_FALSE(get_bool(h, CKA_LOCAL));
  EXPECT_TRUE(get_bool(h, CKA_SENSITIVE));
  EXPECT_TRUE(get_bool(h, CKA_ALWAYS_SENSITIVE));
  EXPECT_TRUE(get_bool(h, CKA_NEVER_EXTRACTABLE));
  CK_ATTRIBUTE v{CKA_VALUE, nullptr, 0};
  EXPECT_EQ(f->C_GetAttributeValue(rw_, h, &v, 1), CKR_ATTRIBUTE_SENSITIVE);
  // Made readable: no longer "always sensitive".
  ASSERT_EQ(derive(CKM_HKDF_DERIVE, &p, sizeof p, generated, readable(32), &h), CKR_OK);
  EXPECT_FALSE(get_bool(h, CKA_ALWAYS_SENSITIVE));
  EXPECT_FALSE(get_bool(h, CKA_NEVER_EXTRACTABLE));
  // A base imported with C_CreateObject was never "always sensitive", so neither is anything from it.
  const CK_OBJECT_HANDLE imported = secret(Bytes(32, 4), CKK_GENERIC_SECRET, true, true, false);
  ASSERT_EQ(derive(CKM_HKDF_DERIVE, &p, sizeof p, imported, protected_tmpl, &h), CKR_OK);
  EXPECT_TRUE(get_bool(h, CKA_SENSITIVE));
  EXPECT_FALSE(get_bool(h, CKA_ALWAYS_SENSITIVE));
  EXPECT_FALSE(get_bool(h, CKA_LOCAL));
  // The same through SP 800-108.
  PrfData d;
  d.iteration(false, 32);
  CK_SP800_108_KDF_PARAMS sp{CKM_SHA256_HMAC, d.size(), d.data(), 0, nullptr};
  ASSERT_EQ(derive(CKM_SP800_108_COUNTER_KDF, &sp, sizeof sp, generated, protected_tmpl, &h), CKR_OK);
  EXPECT_TRUE(get_bool(h, CKA_ALWAYS_SENSITIVE));
  EXPECT_FALSE(get_bool(h, CKA_LOCAL));
}

TEST_F(MechKdf, MechanismInfo) {
  for (CK_MECHANISM_TYPE m : {CKM_HKDF_DERIVE, CKM_HKDF_DATA, CKM_SP800_108_COUNTER_KDF, CKM_SP800_108_FEEDBACK_KDF,
                              CKM_CONCATENATE_BASE_AND_KEY, CKM_CONCATENATE_BASE_AND_DATA, CKM_CONCATENATE_DATA_AND_BASE,
                              CKM_XOR_BASE_AND_DATA}) {
    CK_MECHANISM_INFO info{};
    ASSERT_EQ(f->C_GetMechanismInfo(slot_, m, &info), CKR_OK) << m;
    EXPECT_EQ(info.flags, CKF_DERIVE) << m;
  }
  CK_MECHANISM_INFO info{};
  ASSERT_EQ(f->C_GetMechanismInfo(slot_, CKM_PKCS5_PBKD2, &info), CKR_OK);
  EXPECT_EQ(info.flags, CKF_GENERATE);
  EXPECT_EQ(f->C_GetMechanismInfo(slot_, CKM_SP800_108_DOUBLE_PIPELINE_KDF, &info), CKR_MECHANISM_INVALID);
}

}  // namespace
}  // namespace craton::test
