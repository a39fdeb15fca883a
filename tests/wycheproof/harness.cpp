#include "harness.h"

#include <dlfcn.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace craton::wycheproof {

namespace {

// A non-null address for empty buffers: a few modules treat (NULL, 0) as a bad argument
// (PKCS11-FACTS 5.3); the driver never depends on that corner.
CK_BYTE g_empty = 0;
CK_BYTE_PTR ptr(Bytes& b) { return b.empty() ? &g_empty : b.data(); }
CK_BYTE_PTR cptr(const Bytes& b) { return b.empty() ? &g_empty : const_cast<CK_BYTE_PTR>(b.data()); }

std::string hexnum(unsigned long v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "0x%lX", v);
  return buf;
}

void check(CK_RV rv, const char* what) {
  if (rv != CKR_OK) throw std::runtime_error(std::string(what) + " failed: " + rv_name(rv));
}

}  // namespace

Bytes hex(const std::string& s) {
  if (s.size() % 2 != 0) throw std::runtime_error("odd-length hex string");
  Bytes out(s.size() / 2);
  for (std::size_t i = 0; i < out.size(); ++i) {
    out[i] = static_cast<std::uint8_t>(std::stoul(s.substr(2 * i, 2), nullptr, 16));
  }
  return out;
}

std::string to_hex(const Bytes& b, std::size_t max_bytes) {
  static const char* digits = "0123456789abcdef";
  std::string s;
  for (std::size_t i = 0; i < b.size() && i < max_bytes; ++i) {
    s += digits[b[i] >> 4];
    s += digits[b[i] & 15];
  }
  if (b.size() > max_bytes) s += "...(" + std::to_string(b.size()) + " bytes)";
  if (b.empty()) s = "(empty)";
  return s;
}

std::string rv_name(CK_RV rv) {
  static const std::map<CK_RV, const char*> names = {
      {CKR_OK, "CKR_OK"},
      {CKR_GENERAL_ERROR, "CKR_GENERAL_ERROR"},
      {CKR_FUNCTION_FAILED, "CKR_FUNCTION_FAILED"},
      {CKR_ARGUMENTS_BAD, "CKR_ARGUMENTS_BAD"},
      {CKR_ATTRIBUTE_SENSITIVE, "CKR_ATTRIBUTE_SENSITIVE"},
      {CKR_ATTRIBUTE_TYPE_INVALID, "CKR_ATTRIBUTE_TYPE_INVALID"},
      {CKR_ATTRIBUTE_VALUE_INVALID, "CKR_ATTRIBUTE_VALUE_INVALID"},
      {CKR_DATA_INVALID, "CKR_DATA_INVALID"},
      {CKR_DATA_LEN_RANGE, "CKR_DATA_LEN_RANGE"},
      {CKR_ENCRYPTED_DATA_INVALID, "CKR_ENCRYPTED_DATA_INVALID"},
      {CKR_ENCRYPTED_DATA_LEN_RANGE, "CKR_ENCRYPTED_DATA_LEN_RANGE"},
      {CKR_AEAD_DECRYPT_FAILED, "CKR_AEAD_DECRYPT_FAILED"},
      {CKR_KEY_HANDLE_INVALID, "CKR_KEY_HANDLE_INVALID"},
      {CKR_KEY_SIZE_RANGE, "CKR_KEY_SIZE_RANGE"},
      {CKR_KEY_TYPE_INCONSISTENT, "CKR_KEY_TYPE_INCONSISTENT"},
      {CKR_KEY_FUNCTION_NOT_PERMITTED, "CKR_KEY_FUNCTION_NOT_PERMITTED"},
      {CKR_KEY_NOT_WRAPPABLE, "CKR_KEY_NOT_WRAPPABLE"},
      {CKR_KEY_UNEXTRACTABLE, "CKR_KEY_UNEXTRACTABLE"},
      {CKR_MECHANISM_INVALID, "CKR_MECHANISM_INVALID"},
      {CKR_MECHANISM_PARAM_INVALID, "CKR_MECHANISM_PARAM_INVALID"},
      {CKR_OPERATION_ACTIVE, "CKR_OPERATION_ACTIVE"},
      {CKR_OPERATION_NOT_INITIALIZED, "CKR_OPERATION_NOT_INITIALIZED"},
      {CKR_SIGNATURE_INVALID, "CKR_SIGNATURE_INVALID"},
      {CKR_SIGNATURE_LEN_RANGE, "CKR_SIGNATURE_LEN_RANGE"},
      {CKR_TEMPLATE_INCOMPLETE, "CKR_TEMPLATE_INCOMPLETE"},
      {CKR_TEMPLATE_INCONSISTENT, "CKR_TEMPLATE_INCONSISTENT"},
      {CKR_USER_NOT_LOGGED_IN, "CKR_USER_NOT_LOGGED_IN"},
      {CKR_WRAPPED_KEY_INVALID, "CKR_WRAPPED_KEY_INVALID"},
      {CKR_WRAPPED_KEY_LEN_RANGE, "CKR_WRAPPED_KEY_LEN_RANGE"},
      {CKR_WRAPPING_KEY_SIZE_RANGE, "CKR_WRAPPING_KEY_SIZE_RANGE"},
      {CKR_UNWRAPPING_KEY_SIZE_RANGE, "CKR_UNWRAPPING_KEY_SIZE_RANGE"},
      {CKR_DOMAIN_PARAMS_INVALID, "CKR_DOMAIN_PARAMS_INVALID"},
      {CKR_CURVE_NOT_SUPPORTED, "CKR_CURVE_NOT_SUPPORTED"},
      {CKR_BUFFER_TOO_SMALL, "CKR_BUFFER_TOO_SMALL"},
      {CKR_PUBLIC_KEY_INVALID, "CKR_PUBLIC_KEY_INVALID"},
  };
  auto it = names.find(rv);
  return it != names.end() ? it->second : "CKR_" + hexnum(rv);
}

std::string mech_name(CK_MECHANISM_TYPE m) {
  static const std::map<CK_MECHANISM_TYPE, const char*> names = {
      {CKM_AES_GCM, "CKM_AES_GCM"},
      {CKM_CHACHA20_POLY1305, "CKM_CHACHA20_POLY1305"},
      {CKM_AES_CMAC, "CKM_AES_CMAC"},
      {CKM_AES_CMAC_GENERAL, "CKM_AES_CMAC_GENERAL"},
      {CKM_AES_KEY_WRAP, "CKM_AES_KEY_WRAP"},
      {CKM_AES_KEY_WRAP_KWP, "CKM_AES_KEY_WRAP_KWP"},
      {CKM_ECDH1_DERIVE, "CKM_ECDH1_DERIVE"},
      {CKM_EC_MONTGOMERY_KEY_PAIR_GEN, "CKM_EC_MONTGOMERY_KEY_PAIR_GEN"},
      {CKM_EDDSA, "CKM_EDDSA"},
      {CKM_ECDSA, "CKM_ECDSA"},
      {CKM_ECDSA_SHA1, "CKM_ECDSA_SHA1"},
      {CKM_ECDSA_SHA224, "CKM_ECDSA_SHA224"},
      {CKM_ECDSA_SHA256, "CKM_ECDSA_SHA256"},
      {CKM_ECDSA_SHA384, "CKM_ECDSA_SHA384"},
      {CKM_ECDSA_SHA512, "CKM_ECDSA_SHA512"},
      {CKM_ECDSA_SHA3_256, "CKM_ECDSA_SHA3_256"},
      {CKM_ECDSA_SHA3_384, "CKM_ECDSA_SHA3_384"},
      {CKM_ECDSA_SHA3_512, "CKM_ECDSA_SHA3_512"},
      {CKM_RSA_PKCS, "CKM_RSA_PKCS"},
      {CKM_RSA_PKCS_OAEP, "CKM_RSA_PKCS_OAEP"},
      {CKM_SHA1_RSA_PKCS, "CKM_SHA1_RSA_PKCS"},
      {CKM_SHA224_RSA_PKCS, "CKM_SHA224_RSA_PKCS"},
      {CKM_SHA256_RSA_PKCS, "CKM_SHA256_RSA_PKCS"},
      {CKM_SHA384_RSA_PKCS, "CKM_SHA384_RSA_PKCS"},
      {CKM_SHA512_RSA_PKCS, "CKM_SHA512_RSA_PKCS"},
      {CKM_SHA1_RSA_PKCS_PSS, "CKM_SHA1_RSA_PKCS_PSS"},
      {CKM_SHA224_RSA_PKCS_PSS, "CKM_SHA224_RSA_PKCS_PSS"},
      {CKM_SHA256_RSA_PKCS_PSS, "CKM_SHA256_RSA_PKCS_PSS"},
      {CKM_SHA384_RSA_PKCS_PSS, "CKM_SHA384_RSA_PKCS_PSS"},
      {CKM_SHA512_RSA_PKCS_PSS, "CKM_SHA512_RSA_PKCS_PSS"},
      {CKM_SHA_1, "CKM_SHA_1"},
      {CKM_SHA224, "CKM_SHA224"},
      {CKM_SHA256, "CKM_SHA256"},
      {CKM_SHA384, "CKM_SHA384"},
      {CKM_SHA512, "CKM_SHA512"},
      {CKM_SHA3_256, "CKM_SHA3_256"},
      {CKM_SHA3_384, "CKM_SHA3_384"},
      {CKM_SHA3_512, "CKM_SHA3_512"},
      {CKM_SHA256_HMAC, "CKM_SHA256_HMAC"},
      {CKM_SHA256_HMAC_GENERAL, "CKM_SHA256_HMAC_GENERAL"},
      {CKM_SHA384_HMAC, "CKM_SHA384_HMAC"},
      {CKM_SHA384_HMAC_GENERAL, "CKM_SHA384_HMAC_GENERAL"},
      {CKM_SHA512_HMAC, "CKM_SHA512_HMAC"},
      {CKM_SHA512_HMAC_GENERAL, "CKM_SHA512_HMAC_GENERAL"},
      {CKM_SHA3_256_HMAC, "CKM_SHA3_256_HMAC"},
      {CKM_SHA3_256_HMAC_GENERAL, "CKM_SHA3_256_HMAC_GENERAL"},
      {CKM_SHA3_384_HMAC, "CKM_SHA3_384_HMAC"},
      {CKM_SHA3_384_HMAC_GENERAL, "CKM_SHA3_384_HMAC_GENERAL"},
      {CKM_SHA3_512_HMAC, "CKM_SHA3_512_HMAC"},
      {CKM_SHA3_512_HMAC_GENERAL, "CKM_SHA3_512_HMAC_GENERAL"},
      {CKM_HKDF_DERIVE, "CKM_HKDF_DERIVE"},
  };
  auto it = names.find(m);
  return it != names.end() ? it->second : "CKM_" + hexnum(m);
}

Bytes strip_zeros(const Bytes& b) {
  std::size_t i = 0;
  while (i + 1 < b.size() && b[i] == 0) ++i;
  return Bytes(b.begin() + static_cast<std::ptrdiff_t>(i), b.end());
}

Bytes der_octet_string(const Bytes& b) {
  Bytes out{0x04};
  if (b.size() < 0x80) {
    out.push_back(static_cast<std::uint8_t>(b.size()));
  } else if (b.size() < 0x100) {
    out.push_back(0x81);
    out.push_back(static_cast<std::uint8_t>(b.size()));
  } else {
    out.push_back(0x82);
    out.push_back(static_cast<std::uint8_t>(b.size() >> 8));
    out.push_back(static_cast<std::uint8_t>(b.size()));
  }
  out.insert(out.end(), b.begin(), b.end());
  return out;
}

// ---- Token ------------------------------------------------------------------------------------

namespace {
Token* g_token = nullptr;
std::string g_token_error;
bool g_token_tried = false;
}  // namespace

Token& Token::get() {
  if (!g_token_tried) {  // set up once; a failure is reported again on every later call
    g_token_tried = true;
    try {
      g_token = new Token();
    } catch (const std::exception& e) {
      g_token_error = e.what();
    }
  }
  if (g_token == nullptr) throw std::runtime_error("module set-up failed: " + g_token_error);
  return *g_token;
}

void Token::shutdown() {
  if (g_token == nullptr) return;
  Token* t = g_token;
  g_token = nullptr;
  if (t->session_ != CK_INVALID_HANDLE) t->f_->C_CloseSession(t->session_);
  t->f_->C_Finalize(nullptr);
  delete t;  // removes the temporary token directory; the module stays loaded until exit
}

Token::Token() { setup(); }

CK_MECHANISM_TYPE Token::alias(CK_MECHANISM_TYPE m) const {
  auto it = aliases_.find(m);
  return it != aliases_.end() ? it->second : m;
}

void Token::setup() {
  const char* env = std::getenv("CRATON_WYCHEPROOF_MODULE");
  ours_ = env == nullptr || *env == '\0';
  path_ = ours_ ? CRATON_MODULE_PATH : env;

  if (const char* a = std::getenv("CRATON_WYCHEPROOF_MECH_ALIAS"); a != nullptr && *a != '\0') {
    std::stringstream ss(a);
    std::string item;
    while (std::getline(ss, item, ',')) {
      auto eq = item.find('=');
      if (eq == std::string::npos) throw std::runtime_error("bad CRATON_WYCHEPROOF_MECH_ALIAS item " + item);
      aliases_[std::stoul(item.substr(0, eq), nullptr, 0)] = std::stoul(item.substr(eq + 1), nullptr, 0);
    }
  }

  // Fresh token directory for both modules: CRATON_HSM_CONF for ours (TempHome), a softhsm2.conf
  // on the same directory for SoftHSMv2 (which ignores CRATON_HSM_CONF).
  home_ = std::make_unique<craton::test::TempHome>();
  std::filesystem::create_directories(home_->tokendir());
  const std::string softhsm_conf = home_->dir() + "/softhsm2.conf";
  std::ofstream(softhsm_conf) << "directories.tokendir = " << home_->tokendir() << "\n"
                              << "objectstore.backend = file\nlog.level = ERROR\n";
  setenv("SOFTHSM2_CONF", softhsm_conf.c_str(), 1);
  unsetenv("CRATON_HSM_TOKENDIR");

  handle_ = dlopen(path_.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle_ == nullptr) throw std::runtime_error("dlopen " + path_ + ": " + dlerror());
  // C_GetInterface when the module has it (3.x), else C_GetFunctionList. The driver needs only
  // the 2.40 functions, which every table starts with.
  auto get_interface = reinterpret_cast<CK_C_GetInterface>(dlsym(handle_, "C_GetInterface"));
  CK_INTERFACE_PTR iface = nullptr;
  CK_UTF8CHAR name[] = "PKCS 11";
  if (get_interface != nullptr && get_interface(name, nullptr, &iface, 0) == CKR_OK && iface != nullptr) {
    f_ = static_cast<CK_FUNCTION_LIST*>(iface->pFunctionList);
  } else {
    auto gfl = reinterpret_cast<CK_C_GetFunctionList>(dlsym(handle_, "C_GetFunctionList"));
    if (gfl == nullptr) throw std::runtime_error(path_ + " exports neither C_GetInterface nor C_GetFunctionList");
    check(gfl(&f_), "C_GetFunctionList");
  }
  check(f_->C_Initialize(nullptr), "C_Initialize");

  // The slot whose token is not initialised yet (ours: the free slot; SoftHSM: slot 0).
  CK_ULONG n = 0;
  check(f_->C_GetSlotList(CK_FALSE, nullptr, &n), "C_GetSlotList");
  std::vector<CK_SLOT_ID> slots(n);
  check(f_->C_GetSlotList(CK_FALSE, slots.data(), &n), "C_GetSlotList");
  bool found = false;
  for (CK_SLOT_ID s : slots) {
    CK_TOKEN_INFO ti{};
    if (f_->C_GetTokenInfo(s, &ti) == CKR_OK && (ti.flags & CKF_TOKEN_INITIALIZED) == 0) {
      slot_ = s;
      found = true;
      break;
    }
  }
  if (!found) throw std::runtime_error("no slot with an uninitialised token");
  std::string so = "wycheproof-so", user = "wycheproof-user";
  auto label = craton::test::label32("wycheproof");
  check(f_->C_InitToken(slot_, craton::test::utf8(so), so.size(), label.data()), "C_InitToken");
  // SoftHSM gives the initialised token a new slot id: find it again by label.
  n = 0;
  check(f_->C_GetSlotList(CK_TRUE, nullptr, &n), "C_GetSlotList");
  slots.resize(n);
  check(f_->C_GetSlotList(CK_TRUE, slots.data(), &n), "C_GetSlotList");
  found = false;
  for (CK_SLOT_ID s : slots) {
    CK_TOKEN_INFO ti{};
    if (f_->C_GetTokenInfo(s, &ti) == CKR_OK && std::memcmp(ti.label, label.data(), 32) == 0) {
      slot_ = s;
      found = true;
      break;
    }
  }
  if (!found) throw std::runtime_error("the initialised token is not in the slot list");
  CK_SESSION_HANDLE s = CK_INVALID_HANDLE;
  check(f_->C_OpenSession(slot_, CKF_SERIAL_SESSION | CKF_RW_SESSION, nullptr, nullptr, &s), "C_OpenSession");
  check(f_->C_Login(s, CKU_SO, craton::test::utf8(so), so.size()), "C_Login(SO)");
  check(f_->C_InitPIN(s, craton::test::utf8(user), user.size()), "C_InitPIN");
  check(f_->C_Logout(s), "C_Logout");
  check(f_->C_CloseSession(s), "C_CloseSession");

  n = 0;
  check(f_->C_GetMechanismList(slot_, nullptr, &n), "C_GetMechanismList");
  std::vector<CK_MECHANISM_TYPE> mechs(n);
  check(f_->C_GetMechanismList(slot_, mechs.data(), &n), "C_GetMechanismList");
  mechanisms_.insert(mechs.begin(), mechs.begin() + static_cast<std::ptrdiff_t>(n));
  new_session();
}

void Token::new_session() {
  if (session_ != CK_INVALID_HANDLE) f_->C_CloseSession(session_);
  session_ = CK_INVALID_HANDLE;
  check(f_->C_OpenSession(slot_, CKF_SERIAL_SESSION | CKF_RW_SESSION, nullptr, nullptr, &session_),
        "C_OpenSession");
  std::string user = "wycheproof-user";
  CK_RV rv = f_->C_Login(session_, CKU_USER, craton::test::utf8(user), user.size());
  if (rv != CKR_OK && rv != CKR_USER_ALREADY_LOGGED_IN) check(rv, "C_Login(USER)");
}

// ---- objects and operations ---------------------------------------------------------------------

Object::Object(Template& t) {
  Token& tok = Token::get();
  rv_ = tok.f()->C_CreateObject(tok.session(), t.data(), t.size(), &h_);
}

Object::~Object() {
  if (rv_ == CKR_OK) {
    Token& tok = Token::get();
    tok.f()->C_DestroyObject(tok.session(), h_);
  }
}

CK_MECHANISM Mech::get() const {
  CK_MECHANISM m{Token::get().alias(type), nullptr, 0};
  if (!param.empty()) {
    m.pParameter = const_cast<std::uint8_t*>(param.data());
    m.ulParameterLen = param.size();
  }
  return m;
}

namespace {

using InitFn = CK_RV (*)(CK_SESSION_HANDLE, CK_MECHANISM_PTR, CK_OBJECT_HANDLE);
using RunFn = CK_RV (*)(CK_SESSION_HANDLE, CK_BYTE_PTR, CK_ULONG, CK_BYTE_PTR, CK_ULONG_PTR);

Op single_part(InitFn init, const char* init_name, RunFn run, const char* run_name, const Mech& m,
               CK_OBJECT_HANDLE key, const Bytes& in, std::size_t out_cap) {
  Token& tok = Token::get();
  CK_MECHANISM mech = m.get();
  CK_RV rv = init(tok.session(), &mech, key);
  if (rv != CKR_OK) return Op::fail(rv, init_name);
  Op op;
  op.out.resize(out_cap);
  CK_ULONG len = out_cap;
  rv = run(tok.session(), cptr(in), in.size(), ptr(op.out), &len);
  if (rv != CKR_OK) return Op::fail(rv, run_name);
  if (len > out_cap) return Op::fail(CKR_GENERAL_ERROR, std::string(run_name) + " (length beyond the buffer)");
  op.out.resize(len);
  return op;
}

Op value_of(CK_OBJECT_HANDLE h, const char* made_by) {
  Token& tok = Token::get();
  CK_ATTRIBUTE a{CKA_VALUE, nullptr, 0};
  CK_RV rv = tok.f()->C_GetAttributeValue(tok.session(), h, &a, 1);
  Op op;
  if (rv == CKR_OK) {
    op.out.resize(a.ulValueLen);
    a.pValue = ptr(op.out);
    rv = tok.f()->C_GetAttributeValue(tok.session(), h, &a, 1);
    op.out.resize(a.ulValueLen);
  }
  tok.f()->C_DestroyObject(tok.session(), h);
  if (rv != CKR_OK) return Op::fail(rv, std::string("C_GetAttributeValue(CKA_VALUE) of the key from ") + made_by);
  return op;
}

}  // namespace

Op encrypt(const Mech& m, CK_OBJECT_HANDLE key, const Bytes& in, std::size_t out_cap) {
  CK_FUNCTION_LIST* f = Token::get().f();
  return single_part(f->C_EncryptInit, "C_EncryptInit", f->C_Encrypt, "C_Encrypt", m, key, in, out_cap);
}

Op decrypt(const Mech& m, CK_OBJECT_HANDLE key, const Bytes& in, std::size_t out_cap) {
  CK_FUNCTION_LIST* f = Token::get().f();
  return single_part(f->C_DecryptInit, "C_DecryptInit", f->C_Decrypt, "C_Decrypt", m, key, in, out_cap);
}

Op sign(const Mech& m, CK_OBJECT_HANDLE key, const Bytes& in, std::size_t out_cap) {
  CK_FUNCTION_LIST* f = Token::get().f();
  return single_part(f->C_SignInit, "C_SignInit", f->C_Sign, "C_Sign", m, key, in, out_cap);
}

Op verify(const Mech& m, CK_OBJECT_HANDLE key, const Bytes& in, const Bytes& sig) {
  Token& tok = Token::get();
  CK_MECHANISM mech = m.get();
  CK_RV rv = tok.f()->C_VerifyInit(tok.session(), &mech, key);
  if (rv != CKR_OK) return Op::fail(rv, "C_VerifyInit");
  rv = tok.f()->C_Verify(tok.session(), cptr(in), in.size(), cptr(sig), sig.size());
  if (rv != CKR_OK) return Op::fail(rv, "C_Verify");
  return Op{};
}

Op digest(const Mech& m, const Bytes& in) {
  Token& tok = Token::get();
  CK_MECHANISM mech = m.get();
  CK_RV rv = tok.f()->C_DigestInit(tok.session(), &mech);
  if (rv != CKR_OK) return Op::fail(rv, "C_DigestInit");
  Op op;
  op.out.resize(128);
  CK_ULONG len = op.out.size();
  rv = tok.f()->C_Digest(tok.session(), cptr(in), in.size(), op.out.data(), &len);
  if (rv != CKR_OK) return Op::fail(rv, "C_Digest");
  op.out.resize(len);
  return op;
}

Op derive(const Mech& m, CK_OBJECT_HANDLE base, Template& t) {
  Token& tok = Token::get();
  CK_MECHANISM mech = m.get();
  CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;
  CK_RV rv = tok.f()->C_DeriveKey(tok.session(), &mech, base, t.data(), t.size(), &h);
  if (rv != CKR_OK) return Op::fail(rv, "C_DeriveKey");
  return value_of(h, "C_DeriveKey");
}

Op unwrap(const Mech& m, CK_OBJECT_HANDLE unwrapping_key, const Bytes& wrapped, Template& t) {
  Token& tok = Token::get();
  CK_MECHANISM mech = m.get();
  CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;
  CK_RV rv = tok.f()->C_UnwrapKey(tok.session(), &mech, unwrapping_key, cptr(wrapped), wrapped.size(), t.data(),
                                  t.size(), &h);
  if (rv != CKR_OK) return Op::fail(rv, "C_UnwrapKey");
  return value_of(h, "C_UnwrapKey");
}

Op wrap(const Mech& m, CK_OBJECT_HANDLE wrapping_key, CK_OBJECT_HANDLE key, std::size_t out_cap) {
  Token& tok = Token::get();
  CK_MECHANISM mech = m.get();
  Op op;
  op.out.resize(out_cap);
  CK_ULONG len = out_cap;
  CK_RV rv = tok.f()->C_WrapKey(tok.session(), &mech, wrapping_key, key, ptr(op.out), &len);
  if (rv != CKR_OK) return Op::fail(rv, "C_WrapKey");
  op.out.resize(len);
  return op;
}

Template readable_secret(std::size_t value_len) {
  Template t;
  t.ulong(CKA_CLASS, CKO_SECRET_KEY)
      .ulong(CKA_KEY_TYPE, CKK_GENERIC_SECRET)
      .boolean(CKA_TOKEN, false)
      .boolean(CKA_EXTRACTABLE, true)
      .boolean(CKA_SENSITIVE, false);
  if (value_len != 0) t.ulong(CKA_VALUE_LEN, value_len);
  return t;
}

// ---- judging -------------------------------------------------------------------------------------

const Codes& import_rejects() {
  // C_CreateObject refusing a key the test marks invalid (e.g. an AES key of 5 bytes).
  static const Codes c = {CKR_ATTRIBUTE_VALUE_INVALID, CKR_TEMPLATE_INCONSISTENT, CKR_KEY_SIZE_RANGE,
                          CKR_CURVE_NOT_SUPPORTED, CKR_DOMAIN_PARAMS_INVALID, CKR_PUBLIC_KEY_INVALID};
  return c;
}

const Codes& init_rejects() {
  // C_xxxInit refusing a parameter or key size the test marks invalid (e.g. a 0-byte GCM IV).
  static const Codes c = {CKR_MECHANISM_PARAM_INVALID, CKR_KEY_SIZE_RANGE};
  return c;
}

void FileRun::begin(const Json& tc) {
  ++total_;
  id_ = tc.at("tcId").get<int>();
  const std::string r = tc.at("result").get<std::string>();
  expected_ = r == "valid" ? Expected::Valid : r == "invalid" ? Expected::Invalid : Expected::Acceptable;
  if (r != "valid" && r != "invalid" && r != "acceptable") failure("unknown result '" + r + "'");
  std::string flags;
  for (const auto& fl : tc.value("flags", Json::array())) flags += (flags.empty() ? "" : ",") + fl.get<std::string>();
  label_ = "tcId " + std::to_string(id_) + " [" + r + (flags.empty() ? "" : "; " + flags) + "]";
  if (auto c = tc.value("comment", std::string()); !c.empty()) label_ += " '" + c + "'";
  ran_ = case_failed_ = any_accepted_ = any_rejected_ = skipped_path_ = excluded_case_ = false;
}

bool FileRun::offered(std::initializer_list<CK_MECHANISM_TYPE> mechs) {
  bool all = true;
  for (CK_MECHANISM_TYPE m : mechs) {
    if (!Token::get().offers(m)) {
      missing_.insert(m);
      all = false;
    }
  }
  if (!all) {
    skipped_path_ = true;
    ++not_offered_paths_;
  }
  return all;
}

void FileRun::failure(const std::string& msg) {
  case_failed_ = true;
  ++failure_lines_;
  static const std::size_t shown = [] {
    const char* v = std::getenv("CRATON_WYCHEPROOF_MAX_SHOWN");
    return v != nullptr && *v != '\0' ? std::stoul(v) : std::size_t{25};
  }();
  if (failures_.size() < shown) failures_.push_back(label_ + ": " + msg);
}

void FileRun::judge(const std::string& what, const Op& op, const Bytes* expected, const Codes& op_rejects) {
  ran_ = true;
  if (op.ok()) {
    any_accepted_ = true;
    if (expected_ == Expected::Invalid) {
      failure(what + ": accepted (" + to_hex(op.out) + "), the test is invalid");
    } else if (expected != nullptr && op.out != *expected) {
      failure(what + ": output " + to_hex(op.out) + " expected " + to_hex(*expected));
    }
    return;
  }
  any_rejected_ = true;
  if (expected_ == Expected::Valid) {
    failure(what + ": rejected by " + op.stage + " with " + rv_name(op.rv));
    return;
  }
  const Codes* allowed = &op_rejects;
  if (op.stage == "C_CreateObject") {
    allowed = &import_rejects();
  } else if (op.stage.size() > 4 && op.stage.compare(op.stage.size() - 4, 4, "Init") == 0) {
    allowed = &init_rejects();
  } else if (op.stage.rfind("driver:", 0) == 0) {
    ++driver_rejected_;  // the input has no PKCS#11 form (e.g. malformed DER): rejected before the API
    return;
  }
  if (allowed->count(op.rv) == 0) {
    std::string codes;
    for (CK_RV c : *allowed) codes += (codes.empty() ? "" : " or ") + rv_name(c);
    failure(what + ": rejected by " + op.stage + " with " + rv_name(op.rv) + ", expected " + codes);
  }
}

void FileRun::exclude(const std::string& why) {
  excluded_case_ = true;
  excluded_.push_back("tcId " + std::to_string(id_) + ": " + why);
}

void FileRun::end() {
  if (excluded_case_) return;
  if (!ran_) {
    ++not_offered_cases_;
    if (!skipped_path_) failure("nothing was run for this case (driver bug)");
  } else {
    ++checked_[static_cast<int>(expected_)];
    if (expected_ == Expected::Acceptable) {
      if (any_accepted_) ++acceptable_accepted_;
      if (any_rejected_) ++acceptable_rejected_;
    }
  }
  if (case_failed_) ++failed_cases_;
}

std::string FileRun::summary() const {
  std::ostringstream s;
  s << name_ << ": " << total_ << " cases; checked " << checked() << " (valid " << checked_[0] << ", invalid "
    << checked_[1] << ", acceptable " << checked_[2] << ": " << acceptable_accepted_ << " accepted, "
    << acceptable_rejected_ << " rejected)";
  if (not_offered_cases_ != 0 || not_offered_paths_ != 0) {
    s << "; mechanism not offered: " << not_offered_cases_ << " cases, " << not_offered_paths_ << " paths (";
    bool first = true;
    for (CK_MECHANISM_TYPE m : missing_) {
      s << (first ? "" : ", ") << mech_name(m);
      first = false;
    }
    s << ")";
  }
  if (driver_rejected_ != 0) s << "; rejected by the driver (no PKCS#11 form): " << driver_rejected_;
  if (!excluded_.empty()) {
    s << "; excluded " << excluded_.size() << ":";
    for (const std::string& e : excluded_) s << " [" << e << "]";
  }
  s << "; failed " << failed_cases_;
  return s.str();
}

}  // namespace craton::wycheproof
