// Mechanism parameters, decoded.
//
// The ABI layer (abi/mech_params.cpp) turns a caller's CK_MECHANISM into one of these owned
// values, chosen by the *parameter structure* the registry entry names (ParamKind), never by the
// mechanism. Families therefore never see caller pointers: they receive copies with checked
// lengths and validate only the values (IV sizes, hash choices, ...).
// Thread safety: plain value types.
#pragma once

#include <cstdint>
#include <optional>
#include <variant>
#include <vector>

#include "common/secure_bytes.h"
#include "common/small_bytes.h"
#include "craton/pkcs11/pkcs11.h"
#include "object/attribute.h"

namespace craton::mech {

using Bytes = std::vector<std::uint8_t>;

// The parameter structure a mechanism takes. A wrong ulParameterLen, or a NULL pointer inside
// the structure with a non-zero length, is CKR_MECHANISM_PARAM_INVALID before any family runs.
enum class ParamKind : std::uint8_t {
  kNone,             // no parameter (pParameter NULL, length 0); anything else is rejected
  kBytes,            // a byte string of any length (IV, nonce, ...), also (NULL, 0)
  kUlong,            // one CK_ULONG (CK_MAC_GENERAL_PARAMS, CK_EXTRACT_PARAMS, ...)
  kObjectHandle,     // one CK_OBJECT_HANDLE (CKM_CONCATENATE_BASE_AND_KEY)
  kKeyDerivationString,  // CK_KEY_DERIVATION_STRING_DATA
  kAesCbcEncryptData,    // CK_AES_CBC_ENCRYPT_DATA_PARAMS
  kAesCtr,           // CK_AES_CTR_PARAMS
  kGcm,              // CK_GCM_PARAMS (48 bytes) or the 40-byte 2.40-document layout
  kCcm,              // CK_CCM_PARAMS
  kChaCha20Poly1305, // CK_SALSA20_CHACHA20_POLY1305_PARAMS
  kRsaPss,           // CK_RSA_PKCS_PSS_PARAMS; optional for the CKM_<hash>_RSA_PKCS_PSS family
  kRsaOaep,          // CK_RSA_PKCS_OAEP_PARAMS
  kEcdh1,            // CK_ECDH1_DERIVE_PARAMS
  kEddsa,            // CK_EDDSA_PARAMS, optional (absent: pure Ed25519)
  kHkdf,             // CK_HKDF_PARAMS
  kPbkdf2,           // CK_PKCS5_PBKD2_PARAMS2 (or the original layout with a length pointer)
  kSp800108Counter,  // CK_SP800_108_KDF_PARAMS
  kSp800108Feedback, // CK_SP800_108_FEEDBACK_KDF_PARAMS
  kSignContext,      // CK_SIGN_ADDITIONAL_CONTEXT, optional
  kHashSignContext,  // CK_HASH_SIGN_ADDITIONAL_CONTEXT
};

struct NoParams {};
struct BytesParam { Bytes data; };
struct UlongParam { CK_ULONG value = 0; };
struct HandleParam { CK_OBJECT_HANDLE handle = CK_INVALID_HANDLE; };
struct AesCbcEncryptDataParams { Bytes iv; Bytes data; };
struct AesCtrParams { CK_ULONG counter_bits = 0; Bytes counter_block; };
// The IV inline up to 16 bytes (12 is the usual size; SmallBytes keeps one Init free of a heap allocation).
struct GcmParams { SmallBytes<16> iv; Bytes aad; CK_ULONG tag_bits = 0; };
struct CcmParams { CK_ULONG data_len = 0; Bytes nonce; Bytes aad; CK_ULONG mac_len = 0; };
struct ChaCha20Poly1305Params { Bytes nonce; Bytes aad; };
struct RsaPssParams { CK_MECHANISM_TYPE hash = 0; CK_RSA_PKCS_MGF_TYPE mgf = 0; CK_ULONG salt_len = 0; };
struct RsaOaepParams { CK_MECHANISM_TYPE hash = 0; CK_RSA_PKCS_MGF_TYPE mgf = 0; CK_ULONG source = 0; Bytes label; };
struct Ecdh1Params { CK_EC_KDF_TYPE kdf = 0; Bytes shared_data; Bytes public_data; };
struct EddsaParams { bool ph = false; Bytes context; };
struct HkdfParams {
  bool extract = false;
  bool expand = false;
  CK_MECHANISM_TYPE prf = 0;
  CK_ULONG salt_type = 0;
  Bytes salt;
  CK_OBJECT_HANDLE salt_key = CK_INVALID_HANDLE;
  Bytes info;
};
struct Pbkdf2Params {
  CK_ULONG salt_source = 0;
  Bytes salt;
  CK_ULONG iterations = 0;
  CK_ULONG prf = 0;
  SecureBytes password;
};
// One element of an SP 800-108 PRF input (CK_PRF_DATA_PARAM), decoded by type.
struct PrfDataParam {
  CK_PRF_DATA_TYPE type = 0;
  bool present = false;         // ITERATION_VARIABLE in feedback mode may carry no format
  bool little_endian = false;   // counter / DKM formats
  CK_ULONG width_bits = 0;      // counter / DKM formats
  CK_ULONG dkm_method = 0;      // DKM_LENGTH only
  Bytes bytes;                  // BYTE_ARRAY only
};
struct Sp800108Params {
  CK_MECHANISM_TYPE prf = 0;
  std::vector<PrfDataParam> data;
  Bytes iv;                                        // feedback mode only
  std::vector<object::AttributeSet> extra_templates;  // CK_DERIVED_KEY templates (handles are written by abi)
};
struct SignContextParams {
  CK_HEDGE_TYPE hedge = CKH_HEDGE_PREFERRED;
  Bytes context;
  CK_MECHANISM_TYPE hash = 0;  // kHashSignContext only
};

using Params = std::variant<NoParams, BytesParam, UlongParam, HandleParam, AesCbcEncryptDataParams, AesCtrParams,
                            GcmParams, CcmParams, ChaCha20Poly1305Params, RsaPssParams, RsaOaepParams, Ecdh1Params,
                            EddsaParams, HkdfParams, Pbkdf2Params, Sp800108Params, SignContextParams>;

// The decoded parameter of type T, or nullptr (the family then answers CKR_MECHANISM_PARAM_INVALID).
template <class T>
const T* param_as(const Params& p) noexcept {
  return std::get_if<T>(&p);
}

}  // namespace craton::mech
