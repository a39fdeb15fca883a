// pqc_crosstest_tool: our FIPS 203 / 204 / 205 implementations behind a JSON interface, so that
// noble_crosstest.mjs can drive them against @noble/post-quantum (see tests/crosstest/CMakeLists.txt).
//
// Input (stdin): one request object, or an array of them (answered by an array in the same order).
// Output (stdout): one response object per request. Every byte string is lower-case hex.
//
//   {"op":"list"}                                   -> {"ml_kem":[names], "ml_dsa":[...], "slh_dsa":[...]}
//   {"op":"ml_kem_keygen","set":S,"seed":d||z}      -> {"ek","dk"}   (seed absent: ML-KEM.KeyGen, DRBG)
//   {"op":"ml_kem_encaps","set":S,"ek","m"?}        -> {"c","k"}     (m absent: ML-KEM.Encaps, §7.2 check)
//   {"op":"ml_kem_decaps","set":S,"dk","c"}         -> {"k"}         (ML-KEM.Decaps, §7.3 checks)
//   {"op":"ml_dsa_keygen","set":S,"seed":ξ?}        -> {"pk","sk"}
//   {"op":"ml_dsa_sign","set":S,"sk","msg","ctx","rnd"?|"deterministic":true}  -> {"sig"}
//   {"op":"ml_dsa_verify","set":S,"pk","msg","ctx","sig"}                      -> {"valid","rv"}
//   {"op":"slh_dsa_keygen","set":S,"sk_seed","sk_prf","pk_seed"} (all absent: DRBG) -> {"pk","sk"}
//   {"op":"slh_dsa_sign","set":S,"sk","msg","ctx","addrnd"?|"deterministic":true} -> {"sig"}
//   {"op":"slh_dsa_verify","set":S,"pk","msg","ctx","sig"}                     -> {"valid","rv"}
//
// A request that fails gives {"error": reason, "rv": CK_RV} (and exit status 1); a signature that
// does not verify is not a failure: {"valid": false, "rv": <the CKR_* of the refusal>}.
#include <cstdint>
#include <exception>
#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "crypto/pqc/ml_dsa.h"
#include "crypto/pqc/ml_kem.h"
#include "crypto/pqc/slh_dsa.h"

namespace craton::crypto::pqc {
namespace {

using Json = nlohmann::json;
using Bytes = std::vector<std::uint8_t>;

// A request the tool cannot serve: reported as {"error": ...}.
struct RequestError : std::runtime_error {
  CK_RV rv;
  RequestError(const std::string& what, CK_RV r) : std::runtime_error(what), rv(r) {}
};

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Bytes from_hex(const std::string& s) {
  if (s.size() % 2 != 0) throw RequestError("odd-length hex string", CKR_ARGUMENTS_BAD);
  Bytes out(s.size() / 2);
  for (std::size_t i = 0; i < out.size(); ++i) {
    const int hi = hex_digit(s[2 * i]);
    const int lo = hex_digit(s[2 * i + 1]);
    if (hi < 0 || lo < 0) throw RequestError("bad hex digit", CKR_ARGUMENTS_BAD);
    out[i] = static_cast<std::uint8_t>(hi << 4 | lo);
  }
  return out;
}

std::string to_hex(std::span<const std::uint8_t> b) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string s;
  s.reserve(2 * b.size());
  for (const std::uint8_t x : b) {
    s.push_back(kDigits[x >> 4]);
    s.push_back(kDigits[x & 15]);
  }
  return s;
}

Bytes hex_field(const Json& req, const char* key) {
  if (!req.contains(key) || !req[key].is_string())
    throw RequestError(std::string("missing hex field '") + key + "'", CKR_ARGUMENTS_BAD);
  return from_hex(req[key].get<std::string>());
}

std::optional<Bytes> optional_hex_field(const Json& req, const char* key) {
  if (!req.contains(key) || req[key].is_null()) return std::nullopt;
  return hex_field(req, key);
}

bool flag(const Json& req, const char* key) { return req.value(key, false); }

std::string set_name(const Json& req) {
  if (!req.contains("set") || !req["set"].is_string())
    throw RequestError("missing field 'set'", CKR_ARGUMENTS_BAD);
  return req["set"].get<std::string>();
}

template <class T>
T take(Result<T> r) {
  if (!r.ok()) throw RequestError(r.error().reason, r.rv());
  return std::move(r).value();
}

// ---- ML-KEM (FIPS 203) ----

const MlKemParams& ml_kem_set(const Json& req) {
  static constexpr const MlKemParams* kAll[] = {&kMlKem512, &kMlKem768, &kMlKem1024};
  const std::string name = set_name(req);
  for (const MlKemParams* p : kAll)
    if (p->name == name) return *p;
  throw RequestError("unknown ML-KEM parameter set " + name, CKR_MECHANISM_PARAM_INVALID);
}

Json ml_kem_keygen(const Json& req) {
  const MlKemParams& p = ml_kem_set(req);
  const std::optional<Bytes> seed = optional_hex_field(req, "seed");
  MlKemKeyPair kp = seed ? take(ml_kem_keygen_from_seed(p, *seed)) : take(ml_kem_keygen(p));
  return {{"ek", to_hex(kp.ek)}, {"dk", to_hex(kp.dk.span())}};
}

Json ml_kem_encaps(const Json& req) {
  const MlKemParams& p = ml_kem_set(req);
  const Bytes ek = hex_field(req, "ek");
  const std::optional<Bytes> m = optional_hex_field(req, "m");
  // With m given: the §7.2 check first (as ML-KEM.Encaps does), then Alg. 17 with that m.
  if (m) {
    const Status check = ml_kem_check_encapsulation_key(p, ek);
    if (!check.ok()) throw RequestError(check.error().reason, check.rv());
  }
  MlKemEncapsulation e = m ? take(ml_kem_encaps_internal(p, ek, *m)) : take(ml_kem_encaps(p, ek));
  return {{"c", to_hex(e.ciphertext)}, {"k", to_hex(e.shared_secret.span())}};
}

Json ml_kem_decaps(const Json& req) {
  const MlKemParams& p = ml_kem_set(req);
  const SecureBytes k = take(ml_kem_decaps(p, hex_field(req, "dk"), hex_field(req, "c")));
  return {{"k", to_hex(k.span())}};
}

// ---- ML-DSA (FIPS 204) ----

const MlDsaParams& ml_dsa_set(const Json& req) {
  static constexpr const MlDsaParams* kAll[] = {&kMlDsa44, &kMlDsa65, &kMlDsa87};
  const std::string name = set_name(req);
  for (const MlDsaParams* p : kAll)
    if (p->name == name) return *p;
  throw RequestError("unknown ML-DSA parameter set " + name, CKR_MECHANISM_PARAM_INVALID);
}

Json ml_dsa_keygen(const Json& req) {
  const MlDsaParams& p = ml_dsa_set(req);
  const std::optional<Bytes> seed = optional_hex_field(req, "seed");
  MlDsaKeyPair kp = seed ? take(ml_dsa_keygen_internal(p, *seed)) : take(ml_dsa_keygen(p));
  return {{"pk", to_hex(kp.pk)}, {"sk", to_hex(kp.sk.span())}};
}

Json ml_dsa_sign(const Json& req) {
  const MlDsaParams& p = ml_dsa_set(req);
  const Bytes sk = hex_field(req, "sk");
  const Bytes msg = hex_field(req, "msg");
  const Bytes ctx = hex_field(req, "ctx");
  const std::optional<Bytes> rnd = optional_hex_field(req, "rnd");
  const Bytes sig =
      rnd ? take(pqc::ml_dsa_sign(p, sk, msg, ctx, std::span<const std::uint8_t>(*rnd)))
          : take(pqc::ml_dsa_sign(p, sk, msg, ctx,
                                  flag(req, "deterministic") ? MlDsaHedge::kDeterministic
                                                             : MlDsaHedge::kHedged));
  return {{"sig", to_hex(sig)}};
}

Json ml_dsa_verify(const Json& req) {
  const MlDsaParams& p = ml_dsa_set(req);
  const Status s = pqc::ml_dsa_verify(p, hex_field(req, "pk"), hex_field(req, "msg"),
                                      hex_field(req, "ctx"), hex_field(req, "sig"));
  return {{"valid", s.ok()}, {"rv", s.rv()}};
}

// ---- SLH-DSA (FIPS 205) ----

const SlhDsaParams& slh_dsa_set(const Json& req) {
  const std::string name = set_name(req);
  for (const SlhDsaParams* p : slh_dsa_all_params())
    if (p->name == name) return *p;
  throw RequestError("unknown SLH-DSA parameter set " + name, CKR_MECHANISM_PARAM_INVALID);
}

Json slh_dsa_keygen(const Json& req) {
  const SlhDsaParams& p = slh_dsa_set(req);
  const std::optional<Bytes> sk_seed = optional_hex_field(req, "sk_seed");
  SlhDsaKeyPair kp = sk_seed ? take(slh_dsa_keygen_internal(p, *sk_seed, hex_field(req, "sk_prf"),
                                                            hex_field(req, "pk_seed")))
                             : take(pqc::slh_dsa_keygen(p));
  return {{"pk", to_hex(kp.pk)}, {"sk", to_hex(kp.sk.span())}};
}

Json slh_dsa_sign(const Json& req) {
  const SlhDsaParams& p = slh_dsa_set(req);
  const Bytes sk = hex_field(req, "sk");
  const Bytes msg = hex_field(req, "msg");
  const Bytes ctx = hex_field(req, "ctx");
  const std::optional<Bytes> addrnd = optional_hex_field(req, "addrnd");
  const Bytes sig =
      addrnd ? take(pqc::slh_dsa_sign(p, sk, msg, ctx, std::span<const std::uint8_t>(*addrnd)))
             : take(pqc::slh_dsa_sign(p, sk, msg, ctx,
                                      flag(req, "deterministic") ? SlhDsaHedge::kDeterministic
                                                                 : SlhDsaHedge::kHedged));
  return {{"sig", to_hex(sig)}};
}

Json slh_dsa_verify(const Json& req) {
  const SlhDsaParams& p = slh_dsa_set(req);
  const Status s = pqc::slh_dsa_verify(p, hex_field(req, "pk"), hex_field(req, "msg"),
                                       hex_field(req, "ctx"), hex_field(req, "sig"));
  return {{"valid", s.ok()}, {"rv", s.rv()}};
}

Json list_sets() {
  Json out = {{"ml_kem", Json::array()}, {"ml_dsa", Json::array()}, {"slh_dsa", Json::array()}};
  for (const MlKemParams* p : {&kMlKem512, &kMlKem768, &kMlKem1024}) out["ml_kem"].push_back(p->name);
  for (const MlDsaParams* p : {&kMlDsa44, &kMlDsa65, &kMlDsa87}) out["ml_dsa"].push_back(p->name);
  for (const SlhDsaParams* p : slh_dsa_all_params()) out["slh_dsa"].push_back(p->name);
  return out;
}

Json handle(const Json& req) {
  if (!req.is_object() || !req.contains("op") || !req["op"].is_string())
    throw RequestError("a request is an object with an 'op' string", CKR_ARGUMENTS_BAD);
  const std::string op = req["op"].get<std::string>();
  if (op == "list") return list_sets();
  if (op == "ml_kem_keygen") return ml_kem_keygen(req);
  if (op == "ml_kem_encaps") return ml_kem_encaps(req);
  if (op == "ml_kem_decaps") return ml_kem_decaps(req);
  if (op == "ml_dsa_keygen") return ml_dsa_keygen(req);
  if (op == "ml_dsa_sign") return ml_dsa_sign(req);
  if (op == "ml_dsa_verify") return ml_dsa_verify(req);
  if (op == "slh_dsa_keygen") return slh_dsa_keygen(req);
  if (op == "slh_dsa_sign") return slh_dsa_sign(req);
  if (op == "slh_dsa_verify") return slh_dsa_verify(req);
  throw RequestError("unknown op " + op, CKR_ARGUMENTS_BAD);
}

// One request; a failure becomes an {"error"} object and clears `all_ok`.
Json answer(const Json& req, bool& all_ok) {
  try {
    return handle(req);
  } catch (const RequestError& e) {
    all_ok = false;
    return {{"error", e.what()}, {"rv", e.rv}};
  } catch (const Json::exception& e) {
    all_ok = false;
    return {{"error", std::string("bad request: ") + e.what()}, {"rv", CKR_ARGUMENTS_BAD}};
  }
}

int run() {
  const std::string input{std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>()};
  Json req;
  try {
    req = Json::parse(input);
  } catch (const Json::exception& e) {
    std::cout << Json{{"error", std::string("input is not JSON: ") + e.what()}}.dump() << '\n';
    return 2;
  }
  bool all_ok = true;
  Json out;
  if (req.is_array()) {
    out = Json::array();
    for (const Json& r : req) out.push_back(answer(r, all_ok));
  } else {
    out = answer(req, all_ok);
  }
  std::cout << out.dump() << '\n';
  return all_ok ? 0 : 1;
}

}  // namespace
}  // namespace craton::crypto::pqc

int main() {
  try {
    return craton::crypto::pqc::run();
  } catch (const std::exception& e) {
    std::cerr << "pqc_crosstest_tool: " << e.what() << '\n';
    return 3;
  }
}
