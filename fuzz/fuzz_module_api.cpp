// fuzz_module_api: the whole module in-process, driven through its CK_FUNCTION_LIST_3_2.
//
// Once per process: a scratch token directory and configuration (memory backend so nothing piles
// up on disk, a cheap PIN KDF, no lockout so wrong PINs from the input cannot brick the token),
// C_Initialize, and one initialised token with known SO and user PINs.
// Per input: a sequence of calls decoded from the bytes (open/close session, login with a PIN from
// the input or a real one, logout, create/copy/destroy objects from input templates, find,
// get/set attribute values into caller-shaped buffers, object size, session info, key generation,
// encrypt/decrypt/sign/verify/digest single- and multi-part with fuzzed mechanism parameters
// (structures with pointers point at exact-size input copies), derive, wrap and unwrap), with handles
// taken from earlier results or from the input. Afterwards the token is put back to its baseline
// (all sessions closed, every object destroyed) so inputs do not influence each other.
// The module must never crash, and C_GetAttributeValue and the crypto calls must respect the
// caller's buffer sizes.
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <tuple>
#include <vector>

#include "template_builder.h"

namespace {

using namespace craton;

const std::string kSoPin = "so-pin-fuzz";
const std::string kUserPin = "user-pin-fuzz";

CK_UTF8CHAR_PTR utf8(const std::string& s) {
  return reinterpret_cast<CK_UTF8CHAR_PTR>(const_cast<char*>(s.data()));
}

void check(bool ok) {
  if (!ok) std::abort();
}

struct Module {
  CK_FUNCTION_LIST_3_2* f = nullptr;
  CK_SLOT_ID slot = 0;
  std::string dir;

  Module() {
    char tmpl[] = "/tmp/craton-fuzz-XXXXXX";
    check(mkdtemp(tmpl) != nullptr);
    dir = tmpl;
    const std::string conf = dir + "/craton.conf";
    std::ofstream(conf) << "directories.tokendir = " << dir << "/tokens\n"
                        << "objectstore.backend = memory\n"
                        << "pin.kdf_iterations = 1000\n"
                        << "pin.max_failures = 0\n"
                        << "log.level = ERROR\n"
                        << "log.file = /dev/null\n";
    setenv("CRATON_HSM_CONF", conf.c_str(), 1);

    CK_INTERFACE_PTR iface = nullptr;
    CK_UTF8CHAR name[] = "PKCS 11";
    CK_VERSION v{3, 2};
    check(C_GetInterface(name, &v, &iface, 0) == CKR_OK);
    f = static_cast<CK_FUNCTION_LIST_3_2*>(iface->pFunctionList);
    check(f->C_Initialize(nullptr) == CKR_OK);

    CK_ULONG n = 0;
    check(f->C_GetSlotList(CK_FALSE, nullptr, &n) == CKR_OK && n > 0);
    std::vector<CK_SLOT_ID> slots(n);
    check(f->C_GetSlotList(CK_FALSE, slots.data(), &n) == CKR_OK);
    slot = slots.back();
    std::vector<CK_UTF8CHAR> label(32, ' ');
    check(f->C_InitToken(slot, utf8(kSoPin), kSoPin.size(), label.data()) == CKR_OK);
    CK_SESSION_HANDLE s = CK_INVALID_HANDLE;
    check(f->C_OpenSession(slot, CKF_SERIAL_SESSION | CKF_RW_SESSION, nullptr, nullptr, &s) == CKR_OK);
    check(f->C_Login(s, CKU_SO, utf8(kSoPin), kSoPin.size()) == CKR_OK);
    check(f->C_InitPIN(s, utf8(kUserPin), kUserPin.size()) == CKR_OK);
    check(f->C_CloseSession(s) == CKR_OK);
  }
  ~Module() {
    f->C_Finalize(nullptr);
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }

  // Back to the baseline: no sessions, nobody logged in, no objects.
  void reset() {
    check(f->C_CloseAllSessions(slot) == CKR_OK);
    CK_SESSION_HANDLE s = CK_INVALID_HANDLE;
    check(f->C_OpenSession(slot, CKF_SERIAL_SESSION | CKF_RW_SESSION, nullptr, nullptr, &s) == CKR_OK);
    check(f->C_Login(s, CKU_USER, utf8(kUserPin), kUserPin.size()) == CKR_OK);
    check(f->C_FindObjectsInit(s, nullptr, 0) == CKR_OK);
    std::vector<CK_OBJECT_HANDLE> all;
    CK_OBJECT_HANDLE buf[64];
    CK_ULONG got = 0;
    do {
      check(f->C_FindObjects(s, buf, 64, &got) == CKR_OK && got <= 64);
      all.insert(all.end(), buf, buf + got);
    } while (got != 0);
    check(f->C_FindObjectsFinal(s) == CKR_OK);
    for (CK_OBJECT_HANDLE h : all) f->C_DestroyObject(s, h);  // some may be non-destroyable
    check(f->C_CloseAllSessions(slot) == CKR_OK);
  }
};

Module& module() {
  static Module m;
  return m;
}

template <class T>
T pick(FuzzedDataProvider& in, const std::vector<T>& from) {
  if (from.empty() || in.ConsumeIntegralInRange<int>(0, 9) == 0) return in.ConsumeIntegral<T>();
  return from[in.ConsumeIntegralInRange<std::size_t>(0, from.size() - 1)];
}

std::vector<CK_ATTRIBUTE_TYPE> kKnownTypes(fuzz::kTypes.begin(), fuzz::kTypes.end());

// Bytes of a fuzzed length in their own exact-size block (ASan sees any overread).
std::pair<CK_BYTE_PTR, CK_ULONG> fuzzed_bytes(FuzzedDataProvider& in, fuzz::Arena& arena, std::size_t max) {
  const std::string b = in.ConsumeRandomLengthString(max);
  auto* p = static_cast<CK_BYTE_PTR>(arena.block(b.size()));
  if (!b.empty()) std::memcpy(p, b.data(), b.size());
  return {p, static_cast<CK_ULONG>(b.size())};
}

// A mechanism with a parameter built the way a client builds it: pointer-free structures and
// byte strings come straight from the input, structures with pointers point into the arena.
CK_MECHANISM fuzzed_mechanism(FuzzedDataProvider& in, fuzz::Arena& arena) {
  static const std::vector<CK_MECHANISM_TYPE> kMechs = {
      CKM_SHA256, CKM_SHA3_256, CKM_SHA256_HMAC, CKM_SHA256_HMAC_GENERAL, CKM_AES_ECB, CKM_AES_CBC, CKM_AES_CBC_PAD,
      CKM_AES_CTR, CKM_AES_CTS, CKM_AES_GCM, CKM_AES_CCM, CKM_AES_KEY_WRAP, CKM_AES_KEY_WRAP_KWP, CKM_AES_CMAC,
      CKM_AES_CMAC_GENERAL, CKM_CHACHA20_POLY1305, CKM_ECDSA, CKM_ECDSA_SHA256, CKM_EDDSA, CKM_RSA_PKCS,
      CKM_SHA256_RSA_PKCS_PSS, CKM_HKDF_DERIVE, CKM_ECDH1_DERIVE, CKM_CONCATENATE_BASE_AND_DATA,
      CKM_AES_ECB_ENCRYPT_DATA, CKM_SP800_108_COUNTER_KDF};
  CK_MECHANISM m{pick(in, kMechs), nullptr, 0};
  switch (m.mechanism) {
    case CKM_AES_GCM: {
      auto* g = static_cast<CK_GCM_PARAMS*>(arena.block(sizeof(CK_GCM_PARAMS)));
      std::tie(g->pIv, g->ulIvLen) = fuzzed_bytes(in, arena, 32);
      g->ulIvBits = in.ConsumeIntegral<CK_ULONG>();
      std::tie(g->pAAD, g->ulAADLen) = fuzzed_bytes(in, arena, 64);
      g->ulTagBits = in.ConsumeIntegralInRange<CK_ULONG>(0, 200);
      m.pParameter = g;
      m.ulParameterLen = in.ConsumeIntegralInRange<int>(0, 7) == 0 ? 40 : sizeof(CK_GCM_PARAMS);
      break;
    }
    case CKM_AES_CCM: {
      auto* c = static_cast<CK_CCM_PARAMS*>(arena.block(sizeof(CK_CCM_PARAMS)));
      c->ulDataLen = in.ConsumeIntegralInRange<CK_ULONG>(0, 300);
      std::tie(c->pNonce, c->ulNonceLen) = fuzzed_bytes(in, arena, 16);
      std::tie(c->pAAD, c->ulAADLen) = fuzzed_bytes(in, arena, 64);
      c->ulMACLen = in.ConsumeIntegralInRange<CK_ULONG>(0, 20);
      m.pParameter = c;
      m.ulParameterLen = sizeof *c;
      break;
    }
    case CKM_CHACHA20_POLY1305: {
      auto* c = static_cast<CK_SALSA20_CHACHA20_POLY1305_PARAMS*>(arena.block(sizeof(CK_SALSA20_CHACHA20_POLY1305_PARAMS)));
      std::tie(c->pNonce, c->ulNonceLen) = fuzzed_bytes(in, arena, 16);
      std::tie(c->pAAD, c->ulAADLen) = fuzzed_bytes(in, arena, 64);
      m.pParameter = c;
      m.ulParameterLen = sizeof *c;
      break;
    }
    case CKM_HKDF_DERIVE: {
      auto* h = static_cast<CK_HKDF_PARAMS*>(arena.block(sizeof(CK_HKDF_PARAMS)));
      h->bExtract = in.ConsumeBool();
      h->bExpand = in.ConsumeBool();
      h->prfHashMechanism = in.ConsumeBool() ? CKM_SHA256 : in.ConsumeIntegral<CK_ULONG>();
      h->ulSaltType = in.ConsumeIntegralInRange<CK_ULONG>(0, 5);
      std::tie(h->pSalt, h->ulSaltLen) = fuzzed_bytes(in, arena, 32);
      h->hSaltKey = in.ConsumeIntegral<CK_OBJECT_HANDLE>();
      std::tie(h->pInfo, h->ulInfoLen) = fuzzed_bytes(in, arena, 32);
      m.pParameter = h;
      m.ulParameterLen = sizeof *h;
      break;
    }
    case CKM_ECDH1_DERIVE: {
      auto* e = static_cast<CK_ECDH1_DERIVE_PARAMS*>(arena.block(sizeof(CK_ECDH1_DERIVE_PARAMS)));
      e->kdf = in.ConsumeIntegralInRange<CK_ULONG>(0, 0x20);
      std::tie(e->pSharedData, e->ulSharedDataLen) = fuzzed_bytes(in, arena, 16);
      std::tie(e->pPublicData, e->ulPublicDataLen) = fuzzed_bytes(in, arena, 140);
      m.pParameter = e;
      m.ulParameterLen = sizeof *e;
      break;
    }
    case CKM_CONCATENATE_BASE_AND_DATA:
    case CKM_AES_ECB_ENCRYPT_DATA: {
      auto* d = static_cast<CK_KEY_DERIVATION_STRING_DATA*>(arena.block(sizeof(CK_KEY_DERIVATION_STRING_DATA)));
      std::tie(d->pData, d->ulLen) = fuzzed_bytes(in, arena, 64);
      m.pParameter = d;
      m.ulParameterLen = sizeof *d;
      break;
    }
    case CKM_SP800_108_COUNTER_KDF: {
      auto* fmt = static_cast<CK_SP800_108_COUNTER_FORMAT*>(arena.block(sizeof(CK_SP800_108_COUNTER_FORMAT)));
      fmt->bLittleEndian = in.ConsumeBool();
      fmt->ulWidthInBits = in.ConsumeIntegralInRange<CK_ULONG>(0, 70);
      auto* dp = static_cast<CK_PRF_DATA_PARAM*>(arena.block(2 * sizeof(CK_PRF_DATA_PARAM)));
      dp[0] = {CK_SP800_108_ITERATION_VARIABLE, fmt, sizeof *fmt};
      auto [label, n] = fuzzed_bytes(in, arena, 32);
      dp[1] = {CK_SP800_108_BYTE_ARRAY, label, n};
      auto* k = static_cast<CK_SP800_108_KDF_PARAMS*>(arena.block(sizeof(CK_SP800_108_KDF_PARAMS)));
      *k = {in.ConsumeBool() ? CKM_SHA256_HMAC : CKM_AES_CMAC, in.ConsumeIntegralInRange<CK_ULONG>(0, 2), dp, 0, nullptr};
      m.pParameter = k;
      m.ulParameterLen = sizeof *k;
      break;
    }
    default: {  // no parameter, a byte string (IV), or a pointer-free structure (CTR, PSS, MAC length)
      auto [p, n] = fuzzed_bytes(in, arena, 40);
      m.pParameter = p;
      m.ulParameterLen = n;
      break;
    }
  }
  return m;
}

// An output buffer of a fuzzed size (or none, for the length query).
std::pair<CK_BYTE_PTR, CK_ULONG> fuzzed_out(FuzzedDataProvider& in, fuzz::Arena& arena) {
  if (in.ConsumeIntegralInRange<int>(0, 4) == 0) return {nullptr, 0};
  const auto n = in.ConsumeIntegralInRange<CK_ULONG>(0, 600);
  return {static_cast<CK_BYTE_PTR>(arena.block(n)), n};
}

// One cryptographic operation: Init, then single-part or a few Update calls and Final.
void crypto_operation(CK_FUNCTION_LIST_3_2* f, FuzzedDataProvider& in, fuzz::Arena& arena, CK_SESSION_HANDLE s,
                      CK_OBJECT_HANDLE key) {
  CK_MECHANISM m = fuzzed_mechanism(in, arena);
  const int kind = in.ConsumeIntegralInRange<int>(0, 4);
  CK_RV rv = CKR_OK;
  switch (kind) {
    case 0: rv = f->C_EncryptInit(s, &m, key); break;
    case 1: rv = f->C_DecryptInit(s, &m, key); break;
    case 2: rv = f->C_SignInit(s, &m, key); break;
    case 3: rv = f->C_VerifyInit(s, &m, key); break;
    default: rv = f->C_DigestInit(s, &m); break;
  }
  if (rv != CKR_OK) return;
  const int parts = in.ConsumeIntegralInRange<int>(0, 3);
  for (int i = 0; i <= parts; ++i) {
    auto [data, len] = fuzzed_bytes(in, arena, 300);
    auto [out, cap] = fuzzed_out(in, arena);
    CK_ULONG out_len = cap;
    const bool last = i == parts;
    switch (kind) {
      case 0:
        rv = parts == 0 ? f->C_Encrypt(s, data, len, out, &out_len)
                        : (last ? f->C_EncryptFinal(s, out, &out_len) : f->C_EncryptUpdate(s, data, len, out, &out_len));
        break;
      case 1:
        rv = parts == 0 ? f->C_Decrypt(s, data, len, out, &out_len)
                        : (last ? f->C_DecryptFinal(s, out, &out_len) : f->C_DecryptUpdate(s, data, len, out, &out_len));
        break;
      case 2:
        rv = parts == 0 ? f->C_Sign(s, data, len, out, &out_len)
                        : (last ? f->C_SignFinal(s, out, &out_len) : f->C_SignUpdate(s, data, len));
        break;
      case 3:
        rv = parts == 0 ? f->C_Verify(s, data, len, out, cap)
                        : (last ? f->C_VerifyFinal(s, out, cap) : f->C_VerifyUpdate(s, data, len));
        break;
      default:
        rv = parts == 0 ? f->C_Digest(s, data, len, out, &out_len)
                        : (last ? f->C_DigestFinal(s, out, &out_len) : f->C_DigestUpdate(s, data, len));
        break;
    }
    // A length reported for a buffer must never exceed what was given, except to ask for more.
    if (rv == CKR_OK && out != nullptr && kind != 3) check(out_len <= cap);
    if (rv != CKR_OK && rv != CKR_BUFFER_TOO_SMALL) break;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Module& m = module();
  CK_FUNCTION_LIST_3_2* f = m.f;
  FuzzedDataProvider in(data, size);
  fuzz::Arena arena;
  std::vector<CK_SESSION_HANDLE> sessions;
  std::vector<CK_OBJECT_HANDLE> objects;

  for (int step = 0; step < 48 && in.remaining_bytes() > 0; ++step) {
    switch (in.ConsumeIntegralInRange<int>(0, 16)) {
      case 0: {  // C_OpenSession
        CK_FLAGS flags = CKF_SERIAL_SESSION | (in.ConsumeBool() ? CKF_RW_SESSION : 0);
        if (in.ConsumeIntegralInRange<int>(0, 15) == 0) flags = in.ConsumeIntegral<CK_FLAGS>();
        CK_SESSION_HANDLE h = CK_INVALID_HANDLE;
        if (f->C_OpenSession(m.slot, flags, nullptr, nullptr, &h) == CKR_OK) sessions.push_back(h);
        break;
      }
      case 1:  // C_CloseSession
        f->C_CloseSession(pick(in, sessions));
        break;
      case 2: {  // C_Login
        CK_USER_TYPE who = in.ConsumeBool() ? CKU_USER : CKU_SO;
        if (in.ConsumeIntegralInRange<int>(0, 7) == 0) who = in.ConsumeIntegral<CK_USER_TYPE>();
        std::string pin;
        switch (in.ConsumeIntegralInRange<int>(0, 3)) {
          case 0: pin = kUserPin; break;
          case 1: pin = kSoPin; break;
          default: pin = in.ConsumeRandomLengthString(40);
        }
        // An exact-size copy, so ASan sees any read past the PIN length.
        auto* p = static_cast<CK_UTF8CHAR*>(arena.block(pin.size()));
        if (!pin.empty()) std::memcpy(p, pin.data(), pin.size());
        f->C_Login(pick(in, sessions), who, p, pin.size());
        break;
      }
      case 3:  // C_Logout
        f->C_Logout(pick(in, sessions));
        break;
      case 4: {  // C_CreateObject
        auto t = fuzz::build_in_template(in, arena);
        CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;
        if (f->C_CreateObject(pick(in, sessions), t.data(), t.size(), &h) == CKR_OK) objects.push_back(h);
        break;
      }
      case 5: {  // C_CopyObject
        auto t = fuzz::build_in_template(in, arena, 6);
        CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;
        if (f->C_CopyObject(pick(in, sessions), pick(in, objects), t.data(), t.size(), &h) == CKR_OK) {
          objects.push_back(h);
        }
        break;
      }
      case 6:  // C_DestroyObject
        f->C_DestroyObject(pick(in, sessions), pick(in, objects));
        break;
      case 7: {  // C_FindObjectsInit / C_FindObjects / C_FindObjectsFinal
        const CK_SESSION_HANDLE s = pick(in, sessions);
        auto t = fuzz::build_in_template(in, arena, 4);
        if (f->C_FindObjectsInit(s, t.data(), t.size()) != CKR_OK) break;
        const auto max = in.ConsumeIntegralInRange<CK_ULONG>(0, 8);
        auto* out = static_cast<CK_OBJECT_HANDLE*>(arena.block(max * sizeof(CK_OBJECT_HANDLE)));
        CK_ULONG got = 0;
        if (f->C_FindObjects(s, out, max, &got) == CKR_OK) {
          check(got <= max);
          objects.insert(objects.end(), out, out + got);
        }
        if (in.ConsumeBool()) f->C_FindObjectsFinal(s);
        break;
      }
      case 8: {  // C_GetAttributeValue
        auto t = fuzz::build_out_template(in, arena, kKnownTypes);
        const auto before = fuzz::shape_of(t);
        const CK_RV rv = f->C_GetAttributeValue(pick(in, sessions), pick(in, objects), t.data(), t.size());
        if (rv == CKR_OK || rv == CKR_ATTRIBUTE_SENSITIVE || rv == CKR_ATTRIBUTE_TYPE_INVALID ||
            rv == CKR_BUFFER_TOO_SMALL) {
          check(fuzz::lengths_sane(t, before, rv));
        }
        break;
      }
      case 9: {  // C_SetAttributeValue
        auto t = fuzz::build_in_template(in, arena, 4);
        f->C_SetAttributeValue(pick(in, sessions), pick(in, objects), t.data(), t.size());
        break;
      }
      case 10: {  // C_GetObjectSize
        CK_ULONG n = 0;
        f->C_GetObjectSize(pick(in, sessions), pick(in, objects), &n);
        break;
      }
      case 11: {  // C_GetSessionInfo / C_GetTokenInfo
        CK_SESSION_INFO si{};
        f->C_GetSessionInfo(pick(in, sessions), &si);
        CK_TOKEN_INFO ti{};
        check(f->C_GetTokenInfo(m.slot, &ti) == CKR_OK);
        break;
      }
      case 12:  // C_CloseAllSessions
        f->C_CloseAllSessions(m.slot);
        break;
      case 13: {  // C_GenerateKey / C_GenerateKeyPair with a fuzzed template
        auto t = fuzz::build_in_template(in, arena, 4);
        const CK_SESSION_HANDLE s = pick(in, sessions);
        CK_OBJECT_HANDLE h = CK_INVALID_HANDLE, h2 = CK_INVALID_HANDLE;
        static const CK_BYTE kP256[] = {0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07};
        static const CK_BYTE kEd25519[] = {0x06, 0x03, 0x2b, 0x65, 0x70};
        switch (in.ConsumeIntegralInRange<int>(0, 3)) {
          case 0: {
            CK_MECHANISM g{CKM_AES_KEY_GEN, nullptr, 0};
            if (f->C_GenerateKey(s, &g, t.data(), t.size(), &h) == CKR_OK) objects.push_back(h);
            break;
          }
          case 1: {
            CK_MECHANISM g{CKM_GENERIC_SECRET_KEY_GEN, nullptr, 0};
            if (f->C_GenerateKey(s, &g, t.data(), t.size(), &h) == CKR_OK) objects.push_back(h);
            break;
          }
          default: {
            const bool ec = in.ConsumeBool();
            CK_MECHANISM g{ec ? CKM_EC_KEY_PAIR_GEN : CKM_EC_EDWARDS_KEY_PAIR_GEN, nullptr, 0};
            CK_ATTRIBUTE pub[] = {{CKA_EC_PARAMS, const_cast<CK_BYTE*>(ec ? kP256 : kEd25519),
                                   static_cast<CK_ULONG>(ec ? sizeof kP256 : sizeof kEd25519)}};
            if (f->C_GenerateKeyPair(s, &g, pub, 1, t.data(), t.size(), &h, &h2) == CKR_OK) {
              objects.push_back(h);
              objects.push_back(h2);
            }
            break;
          }
        }
        break;
      }
      case 14:  // a cryptographic operation with a fuzzed mechanism parameter and buffers
        crypto_operation(f, in, arena, pick(in, sessions), pick(in, objects));
        break;
      case 15: {  // C_DeriveKey with a fuzzed mechanism and template
        CK_MECHANISM mech = fuzzed_mechanism(in, arena);
        auto t = fuzz::build_in_template(in, arena, 4);
        CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;
        if (f->C_DeriveKey(pick(in, sessions), &mech, pick(in, objects), t.data(), t.size(), &h) == CKR_OK) {
          objects.push_back(h);
        }
        break;
      }
      case 16: {  // C_WrapKey / C_UnwrapKey with fuzzed wrapped bytes
        CK_MECHANISM mech = fuzzed_mechanism(in, arena);
        const CK_SESSION_HANDLE s = pick(in, sessions);
        if (in.ConsumeBool()) {
          auto [out, cap] = fuzzed_out(in, arena);
          CK_ULONG n = cap;
          if (f->C_WrapKey(s, &mech, pick(in, objects), pick(in, objects), out, &n) == CKR_OK && out != nullptr) {
            check(n <= cap);
          }
        } else {
          auto [wrapped, n] = fuzzed_bytes(in, arena, 200);
          auto t = fuzz::build_in_template(in, arena, 4);
          CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;
          if (f->C_UnwrapKey(s, &mech, pick(in, objects), wrapped, n, t.data(), t.size(), &h) == CKR_OK) {
            objects.push_back(h);
          }
        }
        break;
      }
    }
  }
  m.reset();
  return 0;
}
