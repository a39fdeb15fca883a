// fuzz_module_api: the whole module in-process, driven through its CK_FUNCTION_LIST_3_2.
//
// Once per process: a scratch token directory and configuration (memory backend so nothing piles
// up on disk, a cheap PIN KDF, no lockout so wrong PINs from the input cannot brick the token),
// C_Initialize, and one initialised token with known SO and user PINs.
// Per input: a sequence of calls decoded from the bytes (open/close session, login with a PIN from
// the input or a real one, logout, create/copy/destroy objects from input templates, find,
// get/set attribute values into caller-shaped buffers, object size, session info), with handles
// taken from earlier results or from the input. Afterwards the token is put back to its baseline
// (all sessions closed, every object destroyed) so inputs do not influence each other.
// The module must never crash, and C_GetAttributeValue must respect the caller's buffer sizes.
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
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

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Module& m = module();
  CK_FUNCTION_LIST_3_2* f = m.f;
  FuzzedDataProvider in(data, size);
  fuzz::Arena arena;
  std::vector<CK_SESSION_HANDLE> sessions;
  std::vector<CK_OBJECT_HANDLE> objects;

  for (int step = 0; step < 48 && in.remaining_bytes() > 0; ++step) {
    switch (in.ConsumeIntegralInRange<int>(0, 12)) {
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
    }
  }
  m.reset();
  return 0;
}
