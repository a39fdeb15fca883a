// Decoding of CK_MECHANISM parameters into owned mech::Params (the only code that reads the
// parameter structures' caller pointers), and of the message-API per-message parameters.
#pragma once

#include <vector>

#include "common/result.h"
#include "mech/params.h"

namespace craton::abi {

struct DecodedMechanism {
  mech::Params params;
  // CK_DERIVED_KEY.phKey outputs of SP 800-108 additional keys, in order (written after success).
  std::vector<CK_OBJECT_HANDLE_PTR> extra_key_handles;
};

// Decodes the parameter of `m` as `kind` into `out` (in place: no decoded parameter is moved
// through a Result). CKR_MECHANISM_PARAM_INVALID for a length that does not fit the structure
// `kind`, or for a NULL pointer inside the structure with a non-zero length.
Status decode_mechanism_into(const CK_MECHANISM& m, mech::ParamKind kind, DecodedMechanism& out);

// Per-message AEAD parameters of the message-based API (CK_GCM_MESSAGE_PARAMS,
// CK_CCM_MESSAGE_PARAMS, CK_SALSA20_CHACHA20_POLY1305_MSG_PARAMS). The IV/nonce and tag buffers
// stay caller memory: they are written back after the operation.
struct MessageAeadParams {
  CK_BYTE_PTR iv = nullptr;
  CK_ULONG iv_len = 0;
  CK_ULONG iv_fixed_bits = 0;
  CK_GENERATOR_FUNCTION generator = CKG_NO_GENERATE;
  CK_BYTE_PTR tag = nullptr;
  CK_ULONG tag_len = 0;       // bytes
  CK_ULONG data_len = 0;      // CCM only: the message length announced up front
};

// `mechanism` selects the structure (CKM_AES_GCM, CKM_AES_CCM, CKM_CHACHA20_POLY1305).
Result<MessageAeadParams> decode_message_params(CK_MECHANISM_TYPE mechanism, const void* p, CK_ULONG len);

}  // namespace craton::abi
