#include "abi/mech_params.h"

#include <cstring>

#include "abi/marshal.h"

namespace craton::abi {
namespace {

using mech::Bytes;
using mech::ParamKind;

constexpr Error kBadParam = fail(CKR_MECHANISM_PARAM_INVALID, "mechanism parameter malformed");
constexpr CK_ULONG kMaxParamBytes = 16UL * 1024 * 1024;

// Copies a structure out of the parameter when the length matches it exactly.
template <class S>
Result<S> read_struct(const CK_MECHANISM& m) {
  if (m.pParameter == nullptr || m.ulParameterLen != sizeof(S)) return kBadParam;
  S s;
  std::memcpy(&s, m.pParameter, sizeof(S));
  return s;
}

Result<Bytes> copy_bytes(const void* p, CK_ULONG len) {
  if (len > kMaxParamBytes) return kBadParam;
  if (p == nullptr && len != 0) return kBadParam;
  const auto* b = static_cast<const std::uint8_t*>(p);
  return len == 0 ? Bytes{} : Bytes(b, b + len);
}

// The 2.40 *document* described CK_GCM_PARAMS without ulIvBits (40 bytes); some clients still
// send that layout (PKCS11-FACTS §3), so both are accepted.
struct GcmParams240 {
  CK_BYTE_PTR pIv;
  CK_ULONG ulIvLen;
  CK_BYTE_PTR pAAD;
  CK_ULONG ulAADLen;
  CK_ULONG ulTagBits;
};

// The IV goes into the parameter's inline buffer, the AAD into a vector (often empty).
template <class S>
Status decode_gcm_layout(const CK_MECHANISM& m, mech::GcmParams& g) {
  CRATON_ASSIGN_OR_RETURN(const S s, read_struct<S>(m));
  if (s.ulIvLen > kMaxParamBytes || (s.pIv == nullptr && s.ulIvLen != 0)) return kBadParam;
  g.iv.assign(s.pIv, s.ulIvLen);
  CRATON_ASSIGN_OR_RETURN(g.aad, copy_bytes(s.pAAD, s.ulAADLen));
  g.tag_bits = s.ulTagBits;
  return {};
}

Status decode_gcm_fields(const CK_MECHANISM& m, mech::GcmParams& g) {
  if (m.ulParameterLen == sizeof(GcmParams240)) return decode_gcm_layout<GcmParams240>(m, g);
  return decode_gcm_layout<CK_GCM_PARAMS>(m, g);
}

Result<mech::Params> decode_gcm(const CK_MECHANISM& m) {
  mech::GcmParams g;
  CRATON_TRY(decode_gcm_fields(m, g));
  return mech::Params(std::move(g));
}

}  // namespace

// CK_GCM_PARAMS decoded in place (declared in op_helpers.cpp): an AES-GCM Init runs once per
// message, and moving the decoded value out through the Result layers cost more than decoding it.
Status decode_gcm_into(const CK_MECHANISM& m, mech::Params& out) {
  if (m.pParameter == nullptr && m.ulParameterLen != 0) return kBadParam;
  return decode_gcm_fields(m, out.emplace<mech::GcmParams>());
}

namespace {

// CK_PKCS5_PBKD2_PARAMS (password length behind a pointer) and CK_PKCS5_PBKD2_PARAMS2 (by value)
// have the same size. A real password length is small; a pointer never is, so the last word tells
// the layouts apart.
Result<mech::Params> decode_pbkdf2(const CK_MECHANISM& m) {
  CRATON_ASSIGN_OR_RETURN(const CK_PKCS5_PBKD2_PARAMS2 s, read_struct<CK_PKCS5_PBKD2_PARAMS2>(m));
  mech::Pbkdf2Params p;
  p.salt_source = s.saltSource;
  CRATON_ASSIGN_OR_RETURN(p.salt, copy_bytes(s.pSaltSourceData, s.ulSaltSourceDataLen));
  p.iterations = s.iterations;
  p.prf = s.prf;
  CK_ULONG pw_len = s.ulPasswordLen;
  if (pw_len > 0xFFFF) {
    CK_PKCS5_PBKD2_PARAMS v1;
    std::memcpy(&v1, m.pParameter, sizeof v1);
    if (v1.ulPasswordLen == nullptr) return kBadParam;
    pw_len = *v1.ulPasswordLen;
    if (pw_len > 0xFFFF) return kBadParam;
  }
  CRATON_ASSIGN_OR_RETURN(auto pw, in_bytes(s.pPassword, pw_len));
  p.password = SecureBytes(pw);
  return mech::Params(std::move(p));
}

Result<mech::PrfDataParam> decode_prf_data(const CK_PRF_DATA_PARAM& d) {
  mech::PrfDataParam out;
  out.type = d.type;
  switch (d.type) {
    case CK_SP800_108_ITERATION_VARIABLE:
    case CK_SP800_108_COUNTER: {
      if (d.pValue == nullptr && d.ulValueLen == 0) return out;  // feedback mode: no counter format
      if (d.pValue == nullptr || d.ulValueLen != sizeof(CK_SP800_108_COUNTER_FORMAT)) return kBadParam;
      CK_SP800_108_COUNTER_FORMAT f;
      std::memcpy(&f, d.pValue, sizeof f);
      out.present = true;
      out.little_endian = f.bLittleEndian != CK_FALSE;
      out.width_bits = f.ulWidthInBits;
      return out;
    }
    case CK_SP800_108_DKM_LENGTH: {
      if (d.pValue == nullptr || d.ulValueLen != sizeof(CK_SP800_108_DKM_LENGTH_FORMAT)) return kBadParam;
      CK_SP800_108_DKM_LENGTH_FORMAT f;
      std::memcpy(&f, d.pValue, sizeof f);
      out.present = true;
      out.dkm_method = f.dkmLengthMethod;
      out.little_endian = f.bLittleEndian != CK_FALSE;
      out.width_bits = f.ulWidthInBits;
      return out;
    }
    case CK_SP800_108_BYTE_ARRAY: {
      out.present = true;
      CRATON_ASSIGN_OR_RETURN(out.bytes, copy_bytes(d.pValue, d.ulValueLen));
      return out;
    }
    default:
      return kBadParam;
  }
}

constexpr CK_ULONG kMaxSp800108Items = 64;

Status decode_sp800108_common(CK_MECHANISM_TYPE prf, CK_ULONG n_data, const CK_PRF_DATA_PARAM* data, CK_ULONG n_keys,
                              const CK_DERIVED_KEY* keys, mech::Sp800108Params& out,
                              std::vector<CK_OBJECT_HANDLE_PTR>& handles) {
  out.prf = prf;
  if (n_data > kMaxSp800108Items || n_keys > kMaxSp800108Items) return kBadParam;
  if ((n_data != 0 && data == nullptr) || (n_keys != 0 && keys == nullptr)) return kBadParam;
  for (CK_ULONG i = 0; i < n_data; ++i) {
    CRATON_ASSIGN_OR_RETURN(mech::PrfDataParam d, decode_prf_data(data[i]));
    out.data.push_back(std::move(d));
  }
  for (CK_ULONG i = 0; i < n_keys; ++i) {
    if (keys[i].phKey == nullptr) return kBadParam;
    CRATON_ASSIGN_OR_RETURN(object::AttributeSet t, in_template(keys[i].pTemplate, keys[i].ulAttributeCount));
    out.extra_templates.push_back(std::move(t));
    handles.push_back(keys[i].phKey);
  }
  return {};
}

Result<mech::Params> decode_sign_context(const CK_MECHANISM& m, bool with_hash) {
  mech::SignContextParams p;
  if (with_hash) {
    CRATON_ASSIGN_OR_RETURN(const CK_HASH_SIGN_ADDITIONAL_CONTEXT s, read_struct<CK_HASH_SIGN_ADDITIONAL_CONTEXT>(m));
    p.hedge = s.hedgeVariant;
    CRATON_ASSIGN_OR_RETURN(p.context, copy_bytes(s.pContext, s.ulContextLen));
    p.hash = s.hash;
    return mech::Params(std::move(p));
  }
  if (m.ulParameterLen == 0) return mech::Params(std::move(p));
  CRATON_ASSIGN_OR_RETURN(const CK_SIGN_ADDITIONAL_CONTEXT s, read_struct<CK_SIGN_ADDITIONAL_CONTEXT>(m));
  p.hedge = s.hedgeVariant;
  CRATON_ASSIGN_OR_RETURN(p.context, copy_bytes(s.pContext, s.ulContextLen));
  return mech::Params(std::move(p));
}

Result<mech::Params> decode(const CK_MECHANISM& m, ParamKind kind, std::vector<CK_OBJECT_HANDLE_PTR>& handles) {
  switch (kind) {
    case ParamKind::kNone:
      break;  // decode_mechanism_into sets it in place
    case ParamKind::kBytes: {
      CRATON_ASSIGN_OR_RETURN(Bytes b, copy_bytes(m.pParameter, m.ulParameterLen));
      return mech::Params(mech::BytesParam{std::move(b)});
    }
    case ParamKind::kUlong: {
      CRATON_ASSIGN_OR_RETURN(const CK_ULONG v, read_struct<CK_ULONG>(m));
      return mech::Params(mech::UlongParam{v});
    }
    case ParamKind::kObjectHandle: {
      CRATON_ASSIGN_OR_RETURN(const CK_OBJECT_HANDLE h, read_struct<CK_OBJECT_HANDLE>(m));
      return mech::Params(mech::HandleParam{h});
    }
    case ParamKind::kKeyDerivationString: {
      CRATON_ASSIGN_OR_RETURN(const CK_KEY_DERIVATION_STRING_DATA s, read_struct<CK_KEY_DERIVATION_STRING_DATA>(m));
      CRATON_ASSIGN_OR_RETURN(Bytes b, copy_bytes(s.pData, s.ulLen));
      return mech::Params(mech::BytesParam{std::move(b)});
    }
    case ParamKind::kAesCbcEncryptData: {
      CRATON_ASSIGN_OR_RETURN(const CK_AES_CBC_ENCRYPT_DATA_PARAMS s, read_struct<CK_AES_CBC_ENCRYPT_DATA_PARAMS>(m));
      mech::AesCbcEncryptDataParams p;
      p.iv.assign(std::begin(s.iv), std::end(s.iv));
      CRATON_ASSIGN_OR_RETURN(p.data, copy_bytes(s.pData, s.length));
      return mech::Params(std::move(p));
    }
    case ParamKind::kAesCtr: {
      CRATON_ASSIGN_OR_RETURN(const CK_AES_CTR_PARAMS s, read_struct<CK_AES_CTR_PARAMS>(m));
      return mech::Params(mech::AesCtrParams{s.ulCounterBits, Bytes(std::begin(s.cb), std::end(s.cb))});
    }
    case ParamKind::kGcm:
      return decode_gcm(m);
    case ParamKind::kCcm: {
      CRATON_ASSIGN_OR_RETURN(const CK_CCM_PARAMS s, read_struct<CK_CCM_PARAMS>(m));
      mech::CcmParams p;
      p.data_len = s.ulDataLen;
      CRATON_ASSIGN_OR_RETURN(p.nonce, copy_bytes(s.pNonce, s.ulNonceLen));
      CRATON_ASSIGN_OR_RETURN(p.aad, copy_bytes(s.pAAD, s.ulAADLen));
      p.mac_len = s.ulMACLen;
      return mech::Params(std::move(p));
    }
    case ParamKind::kChaCha20Poly1305: {
      CRATON_ASSIGN_OR_RETURN(const CK_SALSA20_CHACHA20_POLY1305_PARAMS s,
                              read_struct<CK_SALSA20_CHACHA20_POLY1305_PARAMS>(m));
      mech::ChaCha20Poly1305Params p;
      CRATON_ASSIGN_OR_RETURN(p.nonce, copy_bytes(s.pNonce, s.ulNonceLen));
      CRATON_ASSIGN_OR_RETURN(p.aad, copy_bytes(s.pAAD, s.ulAADLen));
      return mech::Params(std::move(p));
    }
    case ParamKind::kRsaPss: {
      if (m.ulParameterLen == 0) return mech::Params(mech::NoParams{});
      CRATON_ASSIGN_OR_RETURN(const CK_RSA_PKCS_PSS_PARAMS s, read_struct<CK_RSA_PKCS_PSS_PARAMS>(m));
      return mech::Params(mech::RsaPssParams{s.hashAlg, s.mgf, s.sLen});
    }
    case ParamKind::kRsaOaep: {
      CRATON_ASSIGN_OR_RETURN(const CK_RSA_PKCS_OAEP_PARAMS s, read_struct<CK_RSA_PKCS_OAEP_PARAMS>(m));
      mech::RsaOaepParams p{s.hashAlg, s.mgf, s.source, {}};
      CRATON_ASSIGN_OR_RETURN(p.label, copy_bytes(s.pSourceData, s.ulSourceDataLen));
      return mech::Params(std::move(p));
    }
    case ParamKind::kEcdh1: {
      CRATON_ASSIGN_OR_RETURN(const CK_ECDH1_DERIVE_PARAMS s, read_struct<CK_ECDH1_DERIVE_PARAMS>(m));
      mech::Ecdh1Params p;
      p.kdf = s.kdf;
      CRATON_ASSIGN_OR_RETURN(p.shared_data, copy_bytes(s.pSharedData, s.ulSharedDataLen));
      CRATON_ASSIGN_OR_RETURN(p.public_data, copy_bytes(s.pPublicData, s.ulPublicDataLen));
      return mech::Params(std::move(p));
    }
    case ParamKind::kEddsa: {
      if (m.ulParameterLen == 0) return mech::Params(mech::NoParams{});
      CRATON_ASSIGN_OR_RETURN(const CK_EDDSA_PARAMS s, read_struct<CK_EDDSA_PARAMS>(m));
      mech::EddsaParams p;
      p.ph = s.phFlag != CK_FALSE;
      CRATON_ASSIGN_OR_RETURN(p.context, copy_bytes(s.pContextData, s.ulContextDataLen));
      return mech::Params(std::move(p));
    }
    case ParamKind::kHkdf: {
      CRATON_ASSIGN_OR_RETURN(const CK_HKDF_PARAMS s, read_struct<CK_HKDF_PARAMS>(m));
      mech::HkdfParams p;
      p.extract = s.bExtract != CK_FALSE;
      p.expand = s.bExpand != CK_FALSE;
      p.prf = s.prfHashMechanism;
      p.salt_type = s.ulSaltType;
      CRATON_ASSIGN_OR_RETURN(p.salt, copy_bytes(s.pSalt, s.ulSaltLen));
      p.salt_key = s.hSaltKey;
      CRATON_ASSIGN_OR_RETURN(p.info, copy_bytes(s.pInfo, s.ulInfoLen));
      return mech::Params(std::move(p));
    }
    case ParamKind::kPbkdf2:
      return decode_pbkdf2(m);
    case ParamKind::kSp800108Counter: {
      CRATON_ASSIGN_OR_RETURN(const CK_SP800_108_KDF_PARAMS s, read_struct<CK_SP800_108_KDF_PARAMS>(m));
      mech::Sp800108Params p;
      CRATON_TRY(decode_sp800108_common(s.prfType, s.ulNumberOfDataParams, s.pDataParams, s.ulAdditionalDerivedKeys,
                                        s.pAdditionalDerivedKeys, p, handles));
      return mech::Params(std::move(p));
    }
    case ParamKind::kSp800108Feedback: {
      CRATON_ASSIGN_OR_RETURN(const CK_SP800_108_FEEDBACK_KDF_PARAMS s,
                              read_struct<CK_SP800_108_FEEDBACK_KDF_PARAMS>(m));
      mech::Sp800108Params p;
      CRATON_TRY(decode_sp800108_common(s.prfType, s.ulNumberOfDataParams, s.pDataParams, s.ulAdditionalDerivedKeys,
                                        s.pAdditionalDerivedKeys, p, handles));
      CRATON_ASSIGN_OR_RETURN(p.iv, copy_bytes(s.pIV, s.ulIVLen));
      return mech::Params(std::move(p));
    }
    case ParamKind::kSignContext:
      return decode_sign_context(m, false);
    case ParamKind::kHashSignContext:
      return decode_sign_context(m, true);
  }
  return kBadParam;
}

}  // namespace

Status decode_mechanism_into(const CK_MECHANISM& m, mech::ParamKind kind, DecodedMechanism& out) {
  if (m.pParameter == nullptr && m.ulParameterLen != 0) return kBadParam;
  if (kind == ParamKind::kNone) {  // most mechanisms: nothing to build and move through a Result
    if (m.ulParameterLen != 0) return kBadParam;
    out.params = mech::NoParams{};
    return {};
  }
  CRATON_ASSIGN_OR_RETURN(out.params, decode(m, kind, out.extra_key_handles));
  return {};
}

Result<MessageAeadParams> decode_message_params(CK_MECHANISM_TYPE mechanism, const void* p, CK_ULONG len) {
  if (p == nullptr) return kBadParam;
  MessageAeadParams out;
  switch (mechanism) {
    case CKM_AES_GCM: {
      if (len != sizeof(CK_GCM_MESSAGE_PARAMS)) return kBadParam;
      CK_GCM_MESSAGE_PARAMS s;
      std::memcpy(&s, p, sizeof s);
      if (s.ulTagBits % 8 != 0) return kBadParam;
      out = {s.pIv, s.ulIvLen, s.ulIvFixedBits, s.ivGenerator, s.pTag, s.ulTagBits / 8, 0};
      break;
    }
    case CKM_AES_CCM: {
      if (len != sizeof(CK_CCM_MESSAGE_PARAMS)) return kBadParam;
      CK_CCM_MESSAGE_PARAMS s;
      std::memcpy(&s, p, sizeof s);
      out = {s.pNonce, s.ulNonceLen, s.ulNonceFixedBits, s.nonceGenerator, s.pMAC, s.ulMACLen, s.ulDataLen};
      break;
    }
    case CKM_CHACHA20_POLY1305: {
      if (len != sizeof(CK_SALSA20_CHACHA20_POLY1305_MSG_PARAMS)) return kBadParam;
      CK_SALSA20_CHACHA20_POLY1305_MSG_PARAMS s;
      std::memcpy(&s, p, sizeof s);
      out = {s.pNonce, s.ulNonceLen, 0, CKG_NO_GENERATE, s.pTag, 16, 0};
      break;
    }
    default:
      return kBadParam;
  }
  if (out.iv == nullptr || out.iv_len == 0 || out.iv_len > 1024 || out.tag == nullptr) return kBadParam;
  return out;
}

}  // namespace craton::abi
