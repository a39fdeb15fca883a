// Mechanism registry: the one list of mechanisms the module offers (all_mechanisms.cpp), each with
// its CK_MECHANISM_INFO, its parameter structure and its implementation. A family adds one file
// and one line there.
// Thread safety: immutable after static initialisation.
#pragma once

#include <span>
#include <vector>

#include "mech/mechanism.h"

namespace craton::mech {

// Every mechanism compiled into the module, sorted by type.
std::span<const Registration> all_mechanisms();
// nullptr when the module does not implement `type`.
const Registration* find_mechanism(CK_MECHANISM_TYPE type);

// Family registration functions (one per family file).
std::vector<Registration> digest_mechanisms();
std::vector<Registration> hmac_mechanisms();
std::vector<Registration> secret_keygen_mechanisms();
std::vector<Registration> hkdf_mechanisms();
std::vector<Registration> pbkdf2_mechanisms();
std::vector<Registration> sp800_108_mechanisms();
std::vector<Registration> concatenate_mechanisms();
std::vector<Registration> aes_mode_mechanisms();
std::vector<Registration> aes_aead_mechanisms();
std::vector<Registration> aes_wrap_mechanisms();
std::vector<Registration> aes_cmac_mechanisms();
std::vector<Registration> chacha20_mechanisms();
std::vector<Registration> rsa_mechanisms();
std::vector<Registration> ec_keygen_mechanisms();
std::vector<Registration> ecdsa_mechanisms();
std::vector<Registration> eddsa_mechanisms();
std::vector<Registration> ecdh_mechanisms();
std::vector<Registration> ml_kem_mechanisms();
std::vector<Registration> ml_dsa_mechanisms();
std::vector<Registration> slh_dsa_mechanisms();
std::vector<Registration> composite_sig_mechanisms();
std::vector<Registration> xwing_mechanisms();

}  // namespace craton::mech
