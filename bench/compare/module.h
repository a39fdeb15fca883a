// One PKCS#11 module under benchmark (Craton HSM, SoftHSMv2, or any other by path), driven only
// through its function list. The benchmark gives it a fresh token directory of its own and keeps
// one of two token states at a time:
//   - keys:       an empty token, a user logged in, and the keys the rows ask for (made once, cached);
//   - objects(N): a token holding N durable data objects labelled "object-0" … "object-<N-1>".
// Switching state finalizes the module and starts again in a new directory.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "craton/pkcs11/pkcs11.h"

namespace craton::bench {

// Throws std::runtime_error naming the call and the CKR_* value.
void check(CK_RV rv, const char* what);

struct KeyPair {
  CK_OBJECT_HANDLE pub = 0;
  CK_OBJECT_HANDLE priv = 0;
};

class Module {
 public:
  // `extra_config`: lines appended to the generated configuration file (for example
  // "audit.enabled = false"); both softhsm2.conf readers ignore keys they do not know.
  Module(std::string name, const std::string& path, std::string extra_config);
  ~Module();
  Module(const Module&) = delete;
  Module& operator=(const Module&) = delete;

  const std::string& name() const { return name_; }
  std::string describe();  // "<manufacturer> <library description> <version>" from C_GetInfo

  CK_FUNCTION_LIST* f = nullptr;
  CK_FUNCTION_LIST_3_0* f3 = nullptr;   // message API, when offered
  CK_FUNCTION_LIST_3_2* f32 = nullptr;  // encapsulation API, when offered

  // Puts the module in the "keys" state (no-op when already there). Thread-safe.
  void use_keys();
  // Puts the module in the objects(N) state, creating the objects when needed (always with
  // `fresh`); returns the wall time spent creating them (zero when the state was already there).
  // Thread-safe.
  std::chrono::nanoseconds use_objects(long n, bool fresh = false);

  // A user session on the token (the user is logged in through another session in the keys
  // state; in the objects state nobody is).
  CK_SESSION_HANDLE open_session();
  // Whether the module offers a mechanism (C_GetMechanismInfo answers CKR_OK).
  bool offers(CK_MECHANISM_TYPE mech);

  // Keys, generated on first use and cached by name for the lifetime of the keys state.
  KeyPair key_pair(const std::string& name, CK_MECHANISM_TYPE mech, std::vector<CK_ATTRIBUTE> pub,
                   std::vector<CK_ATTRIBUTE> priv);
  CK_OBJECT_HANDLE secret_key(const std::string& name, CK_MECHANISM_TYPE mech, std::vector<CK_ATTRIBUTE> tmpl);

  // Finalize, then initialize again and find the token (the C_Initialize rows).
  void finalize();
  void initialize();
  CK_SLOT_ID slot() const { return slot_; }
  std::string& pin() { return pin_; }

 private:
  void restart();           // finalize, fresh directory, initialize, init token and user PIN
  void write_config();
  void point_env_at_config();
  CK_SLOT_ID find_token_slot();
  void create_data_object(CK_SESSION_HANDLE s, const std::string& label);

  std::string name_;
  std::string extra_config_;
  void* handle_ = nullptr;
  std::string dir_;
  bool initialized_ = false;
  CK_SLOT_ID slot_ = 0;
  CK_SESSION_HANDLE login_session_ = 0;
  std::string pin_ = "1234";
  long state_ = -2;  // -2 none, -1 keys, N >= 0 objects(N)
  std::recursive_mutex mu_;
  std::map<std::string, KeyPair> keys_;
};

}  // namespace craton::bench
