// Helpers shared by the library-lifecycle API tests (init_test.cpp, fork_test.cpp).
//
// every_call_after_initialize(): one entry per function of CK_FUNCTION_LIST_3_2 that the spec does
// not allow before C_Initialize (all 104 except C_Initialize, C_GetFunctionList, C_GetInterfaceList
// and C_GetInterface). Each entry calls its function through the correctly typed member of the
// 3.2 table with harmless arguments (well-formed buffers, session/object handle 1, slot 0), and
// records the member's offset so a test can prove the list covers the whole table.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <cstddef>
#include <cstdio>
#include <string>
#include <vector>

#include "craton/pkcs11/pkcs11.h"

namespace craton::test {

struct TableCall {
  const char* name;
  std::size_t offset;  // offsetof(CK_FUNCTION_LIST_3_2, <member>)
  CK_RV (*call)(CK_FUNCTION_LIST_3_2* f);
};

// Harmless argument storage; every call gets a fresh instance.
struct Scratch {
  CK_BYTE data[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
  CK_BYTE out[64] = {};
  CK_ULONG out_len = sizeof(out);
  CK_UTF8CHAR pin[11] = {'s', 'o', '-', 's', 'e', 'c', 'r', 'e', 't', '-', '1'};
  CK_UTF8CHAR label[32] = {};
  CK_UTF8CHAR fn_name[8] = {'C', '_', 'S', 'i', 'g', 'n', '\0', '\0'};
  CK_MECHANISM mech{CKM_SHA256, nullptr, 0};
  CK_OBJECT_CLASS cls = CKO_DATA;
  CK_ATTRIBUTE attr{CKA_CLASS, &cls, sizeof(cls)};
  CK_ULONG count = 0;
  CK_FLAGS flags = 0;
  CK_SLOT_ID slot = 0;
  CK_SESSION_HANDLE session = 0;
  CK_OBJECT_HANDLE obj = 0, obj2 = 0, objs[4] = {};
  CK_INFO info{};
  CK_SLOT_INFO slot_info{};
  CK_TOKEN_INFO token_info{};
  CK_MECHANISM_INFO mech_info{};
  CK_SESSION_INFO session_info{};
  CK_ASYNC_DATA async{};
  Scratch() {
    for (auto& c : label) c = ' ';
  }
};

#define CRATON_TABLE_CALL(Name, ...) \
  TableCall { #Name, offsetof(CK_FUNCTION_LIST_3_2, Name), [](CK_FUNCTION_LIST_3_2* f) -> CK_RV { Scratch s; return f->Name(__VA_ARGS__); } }

inline const std::vector<TableCall>& every_call_after_initialize() {
  static const std::vector<TableCall> calls = {
      CRATON_TABLE_CALL(C_Finalize, nullptr),
      CRATON_TABLE_CALL(C_GetInfo, &s.info),
      CRATON_TABLE_CALL(C_GetSlotList, CK_FALSE, nullptr, &s.count),
      CRATON_TABLE_CALL(C_GetSlotInfo, 0, &s.slot_info),
      CRATON_TABLE_CALL(C_GetTokenInfo, 0, &s.token_info),
      CRATON_TABLE_CALL(C_GetMechanismList, 0, nullptr, &s.count),
      CRATON_TABLE_CALL(C_GetMechanismInfo, 0, CKM_SHA256, &s.mech_info),
      CRATON_TABLE_CALL(C_InitToken, 0, s.pin, sizeof(s.pin), s.label),
      CRATON_TABLE_CALL(C_InitPIN, 1, s.pin, sizeof(s.pin)),
      CRATON_TABLE_CALL(C_SetPIN, 1, s.pin, sizeof(s.pin), s.pin, sizeof(s.pin)),
      CRATON_TABLE_CALL(C_OpenSession, 0, CKF_SERIAL_SESSION | CKF_RW_SESSION, nullptr, nullptr, &s.session),
      CRATON_TABLE_CALL(C_CloseSession, 1),
      CRATON_TABLE_CALL(C_CloseAllSessions, 0),
      CRATON_TABLE_CALL(C_GetSessionInfo, 1, &s.session_info),
      CRATON_TABLE_CALL(C_GetOperationState, 1, nullptr, &s.out_len),
      CRATON_TABLE_CALL(C_SetOperationState, 1, s.data, sizeof(s.data), 0, 0),
      CRATON_TABLE_CALL(C_Login, 1, CKU_USER, s.pin, sizeof(s.pin)),
      CRATON_TABLE_CALL(C_Logout, 1),
      CRATON_TABLE_CALL(C_CreateObject, 1, &s.attr, 1, &s.obj),
      CRATON_TABLE_CALL(C_CopyObject, 1, 1, &s.attr, 1, &s.obj),
      CRATON_TABLE_CALL(C_DestroyObject, 1, 1),
      CRATON_TABLE_CALL(C_GetObjectSize, 1, 1, &s.count),
      CRATON_TABLE_CALL(C_GetAttributeValue, 1, 1, &s.attr, 1),
      CRATON_TABLE_CALL(C_SetAttributeValue, 1, 1, &s.attr, 1),
      CRATON_TABLE_CALL(C_FindObjectsInit, 1, &s.attr, 1),
      CRATON_TABLE_CALL(C_FindObjects, 1, s.objs, 4, &s.count),
      CRATON_TABLE_CALL(C_FindObjectsFinal, 1),
      CRATON_TABLE_CALL(C_EncryptInit, 1, &s.mech, 1),
      CRATON_TABLE_CALL(C_Encrypt, 1, s.data, sizeof(s.data), s.out, &s.out_len),
      CRATON_TABLE_CALL(C_EncryptUpdate, 1, s.data, sizeof(s.data), s.out, &s.out_len),
      CRATON_TABLE_CALL(C_EncryptFinal, 1, s.out, &s.out_len),
      CRATON_TABLE_CALL(C_DecryptInit, 1, &s.mech, 1),
      CRATON_TABLE_CALL(C_Decrypt, 1, s.data, sizeof(s.data), s.out, &s.out_len),
      CRATON_TABLE_CALL(C_DecryptUpdate, 1, s.data, sizeof(s.data), s.out, &s.out_len),
      CRATON_TABLE_CALL(C_DecryptFinal, 1, s.out, &s.out_len),
      CRATON_TABLE_CALL(C_DigestInit, 1, &s.mech),
      CRATON_TABLE_CALL(C_Digest, 1, s.data, sizeof(s.data), s.out, &s.out_len),
      CRATON_TABLE_CALL(C_DigestUpdate, 1, s.data, sizeof(s.data)),
      CRATON_TABLE_CALL(C_DigestKey, 1, 1),
      CRATON_TABLE_CALL(C_DigestFinal, 1, s.out, &s.out_len),
      CRATON_TABLE_CALL(C_SignInit, 1, &s.mech, 1),
      CRATON_TABLE_CALL(C_Sign, 1, s.data, sizeof(s.data), s.out, &s.out_len),
      CRATON_TABLE_CALL(C_SignUpdate, 1, s.data, sizeof(s.data)),
      CRATON_TABLE_CALL(C_SignFinal, 1, s.out, &s.out_len),
      CRATON_TABLE_CALL(C_SignRecoverInit, 1, &s.mech, 1),
      CRATON_TABLE_CALL(C_SignRecover, 1, s.data, sizeof(s.data), s.out, &s.out_len),
      CRATON_TABLE_CALL(C_VerifyInit, 1, &s.mech, 1),
      CRATON_TABLE_CALL(C_Verify, 1, s.data, sizeof(s.data), s.out, sizeof(s.out)),
      CRATON_TABLE_CALL(C_VerifyUpdate, 1, s.data, sizeof(s.data)),
      CRATON_TABLE_CALL(C_VerifyFinal, 1, s.out, sizeof(s.out)),
      CRATON_TABLE_CALL(C_VerifyRecoverInit, 1, &s.mech, 1),
      CRATON_TABLE_CALL(C_VerifyRecover, 1, s.data, sizeof(s.data), s.out, &s.out_len),
      CRATON_TABLE_CALL(C_DigestEncryptUpdate, 1, s.data, sizeof(s.data), s.out, &s.out_len),
      CRATON_TABLE_CALL(C_DecryptDigestUpdate, 1, s.data, sizeof(s.data), s.out, &s.out_len),
      CRATON_TABLE_CALL(C_SignEncryptUpdate, 1, s.data, sizeof(s.data), s.out, &s.out_len),
      CRATON_TABLE_CALL(C_DecryptVerifyUpdate, 1, s.data, sizeof(s.data), s.out, &s.out_len),
      CRATON_TABLE_CALL(C_GenerateKey, 1, &s.mech, &s.attr, 1, &s.obj),
      CRATON_TABLE_CALL(C_GenerateKeyPair, 1, &s.mech, &s.attr, 1, &s.attr, 1, &s.obj, &s.obj2),
      CRATON_TABLE_CALL(C_WrapKey, 1, &s.mech, 1, 2, s.out, &s.out_len),
      CRATON_TABLE_CALL(C_UnwrapKey, 1, &s.mech, 1, s.data, sizeof(s.data), &s.attr, 1, &s.obj),
      CRATON_TABLE_CALL(C_DeriveKey, 1, &s.mech, 1, &s.attr, 1, &s.obj),
      CRATON_TABLE_CALL(C_SeedRandom, 1, s.data, sizeof(s.data)),
      CRATON_TABLE_CALL(C_GenerateRandom, 1, s.out, sizeof(s.out)),
      CRATON_TABLE_CALL(C_GetFunctionStatus, 1),
      CRATON_TABLE_CALL(C_CancelFunction, 1),
      CRATON_TABLE_CALL(C_WaitForSlotEvent, CKF_DONT_BLOCK, &s.slot, nullptr),
      CRATON_TABLE_CALL(C_LoginUser, 1, CKU_USER, s.pin, sizeof(s.pin), s.fn_name, 6),
      CRATON_TABLE_CALL(C_SessionCancel, 1, 0),
      CRATON_TABLE_CALL(C_MessageEncryptInit, 1, &s.mech, 1),
      CRATON_TABLE_CALL(C_EncryptMessage, 1, s.data, 12, s.data, 4, s.data, sizeof(s.data), s.out, &s.out_len),
      CRATON_TABLE_CALL(C_EncryptMessageBegin, 1, s.data, 12, s.data, 4),
      CRATON_TABLE_CALL(C_EncryptMessageNext, 1, s.data, 12, s.data, sizeof(s.data), s.out, &s.out_len, 0),
      CRATON_TABLE_CALL(C_MessageEncryptFinal, 1),
      CRATON_TABLE_CALL(C_MessageDecryptInit, 1, &s.mech, 1),
      CRATON_TABLE_CALL(C_DecryptMessage, 1, s.data, 12, s.data, 4, s.data, sizeof(s.data), s.out, &s.out_len),
      CRATON_TABLE_CALL(C_DecryptMessageBegin, 1, s.data, 12, s.data, 4),
      CRATON_TABLE_CALL(C_DecryptMessageNext, 1, s.data, 12, s.data, sizeof(s.data), s.out, &s.out_len, 0),
      CRATON_TABLE_CALL(C_MessageDecryptFinal, 1),
      CRATON_TABLE_CALL(C_MessageSignInit, 1, &s.mech, 1),
      CRATON_TABLE_CALL(C_SignMessage, 1, nullptr, 0, s.data, sizeof(s.data), s.out, &s.out_len),
      CRATON_TABLE_CALL(C_SignMessageBegin, 1, nullptr, 0),
      CRATON_TABLE_CALL(C_SignMessageNext, 1, nullptr, 0, s.data, sizeof(s.data), s.out, &s.out_len),
      CRATON_TABLE_CALL(C_MessageSignFinal, 1),
      CRATON_TABLE_CALL(C_MessageVerifyInit, 1, &s.mech, 1),
      CRATON_TABLE_CALL(C_VerifyMessage, 1, nullptr, 0, s.data, sizeof(s.data), s.out, sizeof(s.out)),
      CRATON_TABLE_CALL(C_VerifyMessageBegin, 1, nullptr, 0),
      CRATON_TABLE_CALL(C_VerifyMessageNext, 1, nullptr, 0, s.data, sizeof(s.data), s.out, sizeof(s.out)),
      CRATON_TABLE_CALL(C_MessageVerifyFinal, 1),
      CRATON_TABLE_CALL(C_EncapsulateKey, 1, &s.mech, 1, &s.attr, 1, s.out, &s.out_len, &s.obj),
      CRATON_TABLE_CALL(C_DecapsulateKey, 1, &s.mech, 1, &s.attr, 1, s.data, sizeof(s.data), &s.obj),
      CRATON_TABLE_CALL(C_VerifySignatureInit, 1, &s.mech, 1, s.out, sizeof(s.out)),
      CRATON_TABLE_CALL(C_VerifySignature, 1, s.data, sizeof(s.data)),
      CRATON_TABLE_CALL(C_VerifySignatureUpdate, 1, s.data, sizeof(s.data)),
      CRATON_TABLE_CALL(C_VerifySignatureFinal, 1),
      CRATON_TABLE_CALL(C_GetSessionValidationFlags, 1, CKS_LAST_VALIDATION_OK, &s.flags),
      CRATON_TABLE_CALL(C_AsyncComplete, 1, s.fn_name, &s.async),
      CRATON_TABLE_CALL(C_AsyncGetID, 1, s.fn_name, &s.count),
      CRATON_TABLE_CALL(C_AsyncJoin, 1, s.fn_name, 1, s.out, sizeof(s.out)),
      CRATON_TABLE_CALL(C_WrapKeyAuthenticated, 1, &s.mech, 1, 2, s.data, 4, s.out, &s.out_len),
      CRATON_TABLE_CALL(C_UnwrapKeyAuthenticated, 1, &s.mech, 1, s.data, sizeof(s.data), &s.attr, 1, s.data, 4,
                        &s.obj),
  };
  return calls;
}

#undef CRATON_TABLE_CALL

// Calls every entry; returns "" if each returned `expected`, otherwise a list of "name=0x.." lines.
inline std::string calls_not_returning(CK_FUNCTION_LIST_3_2* f, CK_RV expected) {
  std::string bad;
  for (const TableCall& c : every_call_after_initialize()) {
    const CK_RV rv = c.call(f);
    if (rv != expected) {
      char buf[96];
      std::snprintf(buf, sizeof buf, "%s=0x%lx ", c.name, static_cast<unsigned long>(rv));
      bad += buf;
    }
  }
  return bad;
}

// Runs `child` in a forked child process and returns its exit status (or -1 if it did not exit
// normally). The child never returns into the test framework: it always ends with _exit(). Its
// diagnostic text (written to `note_fd`) is returned in `note`.
template <class F>
int run_in_child(F&& child, std::string& note) {
  int fds[2];
  if (pipe(fds) != 0) return -2;
  const pid_t pid = fork();
  if (pid < 0) return -3;
  if (pid == 0) {
    close(fds[0]);
    int code = 99;
    try {
      code = child(fds[1]);
    } catch (...) {
      code = 98;
    }
    _exit(code);
  }
  close(fds[1]);
  char buf[512];
  ssize_t n;
  while ((n = read(fds[0], buf, sizeof buf)) > 0) note.append(buf, static_cast<std::size_t>(n));
  close(fds[0]);
  int status = 0;
  if (waitpid(pid, &status, 0) != pid) return -4;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// For use in a child: writes a note to the parent's pipe (async-signal-safe enough after fork).
inline void child_note(int fd, const std::string& s) { (void)!write(fd, s.data(), s.size()); }

}  // namespace craton::test
