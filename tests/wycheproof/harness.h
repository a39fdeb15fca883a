// Wycheproof through the PKCS#11 API: the module under test, the calls the families make, and the
// per-file bookkeeping that judges each test case against its "result" in the JSON.
//
// The module is dlopen()ed and called only through its function list, as any client would. It is
// our libcratonhsm.so unless CRATON_WYCHEPROOF_MODULE names another one (SoftHSMv2, to validate
// this driver). A fresh token is made in a temporary directory for the process.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <map>
#include <cstring>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "craton/pkcs11/pkcs11.h"
#include "module_fixture.h"  // craton::test::Template, TempHome, label32

namespace craton::wycheproof {

using Bytes = std::vector<std::uint8_t>;
using Json = nlohmann::json;
using craton::test::Template;

Bytes hex(const std::string& s);
std::string to_hex(const Bytes& b, std::size_t max_bytes = 48);
std::string rv_name(CK_RV rv);
std::string mech_name(CK_MECHANISM_TYPE m);
// Big-endian integer without leading zero bytes (at least one byte).
Bytes strip_zeros(const Bytes& b);
// DER OCTET STRING around the bytes (CKA_EC_POINT as SoftHSM and the bookworm clients expect it).
Bytes der_octet_string(const Bytes& b);

// The module under test with a fresh, initialised token and a user-logged-in R/W session.
class Token {
 public:
  // Loads and sets up on first use; throws std::runtime_error with the reason on failure.
  static Token& get();
  // C_Finalize and removal of the temporary token directory (end of the test program).
  static void shutdown();

  CK_FUNCTION_LIST* f() const { return f_; }
  // True when CRATON_WYCHEPROOF_MODULE is unset, i.e. our own module: then every mechanism a file
  // needs must be offered, and a missing one is a test failure, never a skip.
  bool ours() const { return ours_; }
  const std::string& path() const { return path_; }
  CK_SESSION_HANDLE session() const { return session_; }
  // Mechanism number to use for m: m itself, or what CRATON_WYCHEPROOF_MECH_ALIAS maps it to
  // ("0x210B=0x210A,...": a validation aid for a module that numbers a mechanism differently).
  CK_MECHANISM_TYPE alias(CK_MECHANISM_TYPE m) const;
  bool offers(CK_MECHANISM_TYPE m) const { return mechanisms_.count(alias(m)) != 0; }
  // A new session (logged in) for the next file; the previous one's session objects go with it.
  void new_session();

 private:
  Token();
  void setup();

  void* handle_ = nullptr;
  CK_FUNCTION_LIST* f_ = nullptr;
  bool ours_ = true;
  std::string path_;
  std::unique_ptr<craton::test::TempHome> home_;
  CK_SLOT_ID slot_ = 0;
  CK_SESSION_HANDLE session_ = CK_INVALID_HANDLE;
  std::set<CK_MECHANISM_TYPE> mechanisms_;
  std::map<CK_MECHANISM_TYPE, CK_MECHANISM_TYPE> aliases_;
};

// The outcome of one operation: CKR_OK with its output, or the code and the call that failed.
struct Op {
  CK_RV rv = CKR_OK;
  std::string stage;  // e.g. "C_CreateObject", "C_VerifyInit", "C_Verify", "driver: DER decoding"
  Bytes out;
  bool ok() const { return rv == CKR_OK; }
  static Op fail(CK_RV rv, std::string stage) { return Op{rv, std::move(stage), {}}; }
};

// A session object created with C_CreateObject and destroyed when this goes out of scope.
class Object {
 public:
  explicit Object(Template& t);
  ~Object();
  Object(const Object&) = delete;
  Object& operator=(const Object&) = delete;
  bool ok() const { return rv_ == CKR_OK; }
  CK_OBJECT_HANDLE handle() const { return h_; }
  Op failure() const { return Op::fail(rv_, "C_CreateObject"); }

 private:
  CK_RV rv_;
  CK_OBJECT_HANDLE h_ = CK_INVALID_HANDLE;
};

// Mechanism with a parameter block it owns.
struct Mech {
  CK_MECHANISM_TYPE type;
  Bytes param;
  template <class T>
  static Mech with(CK_MECHANISM_TYPE type, const T& p) {
    Mech m{type, Bytes(sizeof(T))};
    std::memcpy(m.param.data(), &p, sizeof(T));
    return m;
  }
  CK_MECHANISM get() const;  // type passed through Token::alias
};

// Single-part operations; out_cap is the output buffer size handed to the module.
Op encrypt(const Mech& m, CK_OBJECT_HANDLE key, const Bytes& in, std::size_t out_cap);
Op decrypt(const Mech& m, CK_OBJECT_HANDLE key, const Bytes& in, std::size_t out_cap);
Op sign(const Mech& m, CK_OBJECT_HANDLE key, const Bytes& in, std::size_t out_cap);
Op verify(const Mech& m, CK_OBJECT_HANDLE key, const Bytes& in, const Bytes& sig);
Op digest(const Mech& m, const Bytes& in);
// C_DeriveKey / C_UnwrapKey into the template, then CKA_VALUE of the new key (destroyed after).
Op derive(const Mech& m, CK_OBJECT_HANDLE base, Template& t);
Op unwrap(const Mech& m, CK_OBJECT_HANDLE unwrapping_key, const Bytes& wrapped, Template& t);
Op wrap(const Mech& m, CK_OBJECT_HANDLE wrapping_key, CK_OBJECT_HANDLE key, std::size_t out_cap);

// Template for a derived/unwrapped generic secret whose value can be read back.
Template readable_secret(std::size_t value_len /* 0: no CKA_VALUE_LEN */);

enum class Expected { Valid, Invalid, Acceptable };

// Which CKR_* codes count as a correct rejection. Import (C_CreateObject) and Init calls have
// fixed sets; each family gives the set for its operation call (C_Verify, C_Decrypt, ...).
using Codes = std::set<CK_RV>;
const Codes& import_rejects();
const Codes& init_rejects();

// One Wycheproof file's run: counts and failures.
class FileRun {
 public:
  explicit FileRun(std::string name) : name_(std::move(name)) {}

  // Starts a test case (tc is its JSON object).
  void begin(const Json& tc);
  // True when every mechanism is offered; otherwise records them as missing for this case's
  // current path (the caller skips that path).
  bool offered(std::initializer_list<CK_MECHANISM_TYPE> mechs);
  // Judges one operation of the case against the expected result. expected: the output a
  // successful call must give (nullptr: no output to compare, e.g. C_Verify).
  void judge(const std::string& what, const Op& op, const Bytes* expected, const Codes& op_rejects);
  // The case cannot be expressed through PKCS#11 (why: the justification, shown in the summary).
  void exclude(const std::string& why);
  void end();

  // Results.
  int total() const { return total_; }
  int checked() const { return checked_[0] + checked_[1] + checked_[2]; }
  int not_offered_cases() const { return not_offered_cases_; }
  int excluded() const { return static_cast<int>(excluded_.size()); }
  int failed() const { return failed_cases_; }
  const std::set<CK_MECHANISM_TYPE>& missing() const { return missing_; }
  const std::vector<std::string>& failures() const { return failures_; }
  std::string summary() const;

 private:
  void failure(const std::string& msg);

  std::string name_;
  int total_ = 0;
  int checked_[3] = {0, 0, 0};  // valid, invalid, acceptable
  int acceptable_accepted_ = 0;
  int acceptable_rejected_ = 0;
  int not_offered_cases_ = 0;
  int not_offered_paths_ = 0;
  int failed_cases_ = 0;
  int failure_lines_ = 0;
  int driver_rejected_ = 0;
  std::set<CK_MECHANISM_TYPE> missing_;
  std::vector<std::string> failures_;
  std::vector<std::string> excluded_;

  // current case
  int id_ = 0;
  Expected expected_ = Expected::Valid;
  std::string label_;
  bool ran_ = false;
  bool case_failed_ = false;
  bool any_accepted_ = false;
  bool any_rejected_ = false;
  bool skipped_path_ = false;
  bool excluded_case_ = false;
};

// Runs every test of one Wycheproof file (dispatching on its "schema"); throws on an unknown one.
void run_file(const Json& file, FileRun& run);

}  // namespace craton::wycheproof
