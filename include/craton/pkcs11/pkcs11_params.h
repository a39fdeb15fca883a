/*
 * Craton HSM - PKCS#11 3.2 interface, part 2 of 6: mechanism parameter structures.
 *
 * Written for Craton HSM from the OASIS PKCS#11 3.2 specification text. Do not include this file
 * directly; include <craton/pkcs11/pkcs11.h>.
 *
 * Each structure is what a caller places in CK_MECHANISM.pParameter for the mechanisms named in its
 * comment. Sizes quoted are for LP64 Linux with natural alignment.
 */
#ifndef CRATON_PKCS11_PKCS11_PARAMS_H
#define CRATON_PKCS11_PKCS11_PARAMS_H

#include "pkcs11_types.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------------------------------
 * Parameter-related code types
 * ---------------------------------------------------------------------------------------------- */

typedef CK_ULONG CK_RSA_PKCS_MGF_TYPE;            /* CKG_MGF1_* */
typedef CK_ULONG CK_RSA_PKCS_OAEP_SOURCE_TYPE;    /* CKZ_DATA_SPECIFIED */
typedef CK_ULONG CK_EC_KDF_TYPE;                  /* CKD_* */
typedef CK_ULONG CK_MAC_GENERAL_PARAMS;           /* requested MAC length in bytes (*_MAC_GENERAL, *_HMAC_GENERAL) */
typedef CK_ULONG CK_EXTRACT_PARAMS;               /* bit offset for CKM_EXTRACT_KEY_FROM_KEY */
typedef CK_ULONG CK_PKCS5_PBKDF2_SALT_SOURCE_TYPE;          /* CKZ_SALT_SPECIFIED */
typedef CK_ULONG CK_PKCS5_PBKD2_PSEUDO_RANDOM_FUNCTION_TYPE; /* CKP_PKCS5_PBKD2_HMAC_* */
typedef CK_MECHANISM_TYPE CK_SP800_108_PRF_TYPE;  /* PRF mechanism, e.g. CKM_SHA256_HMAC or CKM_AES_CMAC */
typedef CK_ULONG CK_PRF_DATA_TYPE;                /* CK_SP800_108_ITERATION_VARIABLE, ... */
typedef CK_ULONG CK_SP800_108_DKM_LENGTH_METHOD;  /* CK_SP800_108_DKM_LENGTH_SUM_OF_* */

/* Per-algorithm spellings of CK_PARAMETER_SET_TYPE used by some client code (3.2) */
typedef CK_PARAMETER_SET_TYPE CK_ML_KEM_PARAMETER_SET_TYPE;
typedef CK_PARAMETER_SET_TYPE CK_ML_DSA_PARAMETER_SET_TYPE;
typedef CK_PARAMETER_SET_TYPE CK_SLH_DSA_PARAMETER_SET_TYPE;
typedef CK_PARAMETER_SET_TYPE CK_XMSS_PARAMETER_SET_TYPE;
typedef CK_PARAMETER_SET_TYPE CK_XMSSMT_PARAMETER_SET_TYPE;

typedef CK_RSA_PKCS_MGF_TYPE *CK_RSA_PKCS_MGF_TYPE_PTR;
typedef CK_EC_KDF_TYPE *CK_EC_KDF_TYPE_PTR;
typedef CK_RSA_PKCS_OAEP_SOURCE_TYPE *CK_RSA_PKCS_OAEP_SOURCE_TYPE_PTR;
typedef CK_MAC_GENERAL_PARAMS *CK_MAC_GENERAL_PARAMS_PTR;
typedef CK_EXTRACT_PARAMS *CK_EXTRACT_PARAMS_PTR;
typedef CK_PKCS5_PBKDF2_SALT_SOURCE_TYPE *CK_PKCS5_PBKDF2_SALT_SOURCE_TYPE_PTR;
typedef CK_PKCS5_PBKD2_PSEUDO_RANDOM_FUNCTION_TYPE *CK_PKCS5_PBKD2_PSEUDO_RANDOM_FUNCTION_TYPE_PTR;

/* ------------------------------------------------------------------------------------------------
 * RSA
 * ---------------------------------------------------------------------------------------------- */

/* CKM_RSA_PKCS_OAEP. 40 bytes. */
typedef struct CK_RSA_PKCS_OAEP_PARAMS {
    CK_MECHANISM_TYPE            hashAlg;
    CK_RSA_PKCS_MGF_TYPE         mgf;
    CK_RSA_PKCS_OAEP_SOURCE_TYPE source;          /* 0 or CKZ_DATA_SPECIFIED */
    CK_VOID_PTR                  pSourceData;     /* the label */
    CK_ULONG                     ulSourceDataLen;
} CK_RSA_PKCS_OAEP_PARAMS;
typedef CK_RSA_PKCS_OAEP_PARAMS *CK_RSA_PKCS_OAEP_PARAMS_PTR;

/* CKM_RSA_PKCS_PSS and CKM_<hash>_RSA_PKCS_PSS. 24 bytes. */
typedef struct CK_RSA_PKCS_PSS_PARAMS {
    CK_MECHANISM_TYPE    hashAlg;
    CK_RSA_PKCS_MGF_TYPE mgf;
    CK_ULONG             sLen;                    /* salt length in bytes */
} CK_RSA_PKCS_PSS_PARAMS;
typedef CK_RSA_PKCS_PSS_PARAMS *CK_RSA_PKCS_PSS_PARAMS_PTR;

/* CKM_RSA_AES_KEY_WRAP. */
typedef struct CK_RSA_AES_KEY_WRAP_PARAMS {
    CK_ULONG                    ulAESKeyBits;
    CK_RSA_PKCS_OAEP_PARAMS_PTR pOAEPParams;
} CK_RSA_AES_KEY_WRAP_PARAMS;
typedef CK_RSA_AES_KEY_WRAP_PARAMS *CK_RSA_AES_KEY_WRAP_PARAMS_PTR;

/* ------------------------------------------------------------------------------------------------
 * Elliptic curves
 * ---------------------------------------------------------------------------------------------- */

/* CKM_ECDH1_DERIVE, CKM_ECDH1_COFACTOR_DERIVE. 40 bytes. pPublicData is the peer's public value. */
typedef struct CK_ECDH1_DERIVE_PARAMS {
    CK_EC_KDF_TYPE kdf;
    CK_ULONG       ulSharedDataLen;
    CK_BYTE_PTR    pSharedData;
    CK_ULONG       ulPublicDataLen;
    CK_BYTE_PTR    pPublicData;
} CK_ECDH1_DERIVE_PARAMS;
typedef CK_ECDH1_DERIVE_PARAMS *CK_ECDH1_DERIVE_PARAMS_PTR;

/* CKM_ECMQV_DERIVE-style two-key derivation. 72 bytes. */
typedef struct CK_ECDH2_DERIVE_PARAMS {
    CK_EC_KDF_TYPE   kdf;
    CK_ULONG         ulSharedDataLen;
    CK_BYTE_PTR      pSharedData;
    CK_ULONG         ulPublicDataLen;
    CK_BYTE_PTR      pPublicData;
    CK_ULONG         ulPrivateDataLen;
    CK_OBJECT_HANDLE hPrivateData;
    CK_ULONG         ulPublicDataLen2;
    CK_BYTE_PTR      pPublicData2;
} CK_ECDH2_DERIVE_PARAMS;
typedef CK_ECDH2_DERIVE_PARAMS *CK_ECDH2_DERIVE_PARAMS_PTR;

/* CKM_ECDH_AES_KEY_WRAP, CKM_ECDH_X_AES_KEY_WRAP, CKM_ECDH_COF_AES_KEY_WRAP. */
typedef struct CK_ECDH_AES_KEY_WRAP_PARAMS {
    CK_ULONG       ulAESKeyBits;
    CK_EC_KDF_TYPE kdf;
    CK_ULONG       ulSharedDataLen;
    CK_BYTE_PTR    pSharedData;
} CK_ECDH_AES_KEY_WRAP_PARAMS;
typedef CK_ECDH_AES_KEY_WRAP_PARAMS *CK_ECDH_AES_KEY_WRAP_PARAMS_PTR;

/* CKM_EDDSA (optional for Ed25519, required for Ed448 and the ctx/ph variants). 24 bytes.
 * Note the order: the length comes before the pointer. */
typedef struct CK_EDDSA_PARAMS {
    CK_BBOOL    phFlag;                           /* TRUE selects the pre-hash variant */
    CK_ULONG    ulContextDataLen;
    CK_BYTE_PTR pContextData;
} CK_EDDSA_PARAMS;
typedef CK_EDDSA_PARAMS *CK_EDDSA_PARAMS_PTR;

/* ------------------------------------------------------------------------------------------------
 * Block-cipher modes and AEAD
 * ---------------------------------------------------------------------------------------------- */

/* CKM_AES_CTR. 24 bytes. */
typedef struct CK_AES_CTR_PARAMS {
    CK_ULONG ulCounterBits;                       /* how many low-order bits of cb form the counter */
    CK_BYTE  cb[16];                              /* initial counter block */
} CK_AES_CTR_PARAMS;
typedef CK_AES_CTR_PARAMS *CK_AES_CTR_PARAMS_PTR;

/* CKM_AES_GCM (single-part API). 48 bytes. ulIvBits is obsolete; the IV length is ulIvLen. */
typedef struct CK_GCM_PARAMS {
    CK_BYTE_PTR pIv;
    CK_ULONG    ulIvLen;
    CK_ULONG    ulIvBits;
    CK_BYTE_PTR pAAD;
    CK_ULONG    ulAADLen;
    CK_ULONG    ulTagBits;
} CK_GCM_PARAMS;
typedef CK_GCM_PARAMS *CK_GCM_PARAMS_PTR;

/* Deprecated name for the same layout as CK_GCM_PARAMS. */
typedef struct CK_AES_GCM_PARAMS {
    CK_BYTE_PTR pIv;
    CK_ULONG    ulIvLen;
    CK_ULONG    ulIvBits;
    CK_BYTE_PTR pAAD;
    CK_ULONG    ulAADLen;
    CK_ULONG    ulTagBits;
} CK_AES_GCM_PARAMS;
typedef CK_AES_GCM_PARAMS *CK_AES_GCM_PARAMS_PTR;

/* CKM_AES_GCM with the message API (C_EncryptMessage ...) and with C_WrapKeyAuthenticated /
 * C_UnwrapKeyAuthenticated. 48 bytes. pIv is written by the token for CKG_GENERATE*; pTag is an
 * output when encrypting and an input when decrypting. */
typedef struct CK_GCM_MESSAGE_PARAMS {
    CK_BYTE_PTR           pIv;
    CK_ULONG              ulIvLen;
    CK_ULONG              ulIvFixedBits;
    CK_GENERATOR_FUNCTION ivGenerator;
    CK_BYTE_PTR           pTag;
    CK_ULONG              ulTagBits;
} CK_GCM_MESSAGE_PARAMS;
typedef CK_GCM_MESSAGE_PARAMS *CK_GCM_MESSAGE_PARAMS_PTR;

/* CKM_AES_GCM with C_WrapKey / C_UnwrapKey (3.2). 56 bytes. */
typedef struct CK_GCM_WRAP_PARAMS {
    CK_BYTE_PTR           pIv;
    CK_ULONG              ulIvLen;
    CK_ULONG              ulIvFixedBits;
    CK_GENERATOR_FUNCTION ivGenerator;
    CK_BYTE_PTR           pAAD;
    CK_ULONG              ulAADLen;
    CK_ULONG              ulTagBits;
} CK_GCM_WRAP_PARAMS;
typedef CK_GCM_WRAP_PARAMS *CK_GCM_WRAP_PARAMS_PTR;

/* CKM_AES_CCM (single-part API). 48 bytes. */
typedef struct CK_CCM_PARAMS {
    CK_ULONG    ulDataLen;                        /* total plaintext length, needed up front */
    CK_BYTE_PTR pNonce;
    CK_ULONG    ulNonceLen;
    CK_BYTE_PTR pAAD;
    CK_ULONG    ulAADLen;
    CK_ULONG    ulMACLen;                         /* bytes */
} CK_CCM_PARAMS;
typedef CK_CCM_PARAMS *CK_CCM_PARAMS_PTR;

/* Deprecated name for the same layout as CK_CCM_PARAMS. */
typedef struct CK_AES_CCM_PARAMS {
    CK_ULONG    ulDataLen;
    CK_BYTE_PTR pNonce;
    CK_ULONG    ulNonceLen;
    CK_BYTE_PTR pAAD;
    CK_ULONG    ulAADLen;
    CK_ULONG    ulMACLen;
} CK_AES_CCM_PARAMS;
typedef CK_AES_CCM_PARAMS *CK_AES_CCM_PARAMS_PTR;

/* CKM_AES_CCM with the message API and the authenticated key-wrap functions. 56 bytes. */
typedef struct CK_CCM_MESSAGE_PARAMS {
    CK_ULONG              ulDataLen;
    CK_BYTE_PTR           pNonce;
    CK_ULONG              ulNonceLen;
    CK_ULONG              ulNonceFixedBits;
    CK_GENERATOR_FUNCTION nonceGenerator;
    CK_BYTE_PTR           pMAC;
    CK_ULONG              ulMACLen;
} CK_CCM_MESSAGE_PARAMS;
typedef CK_CCM_MESSAGE_PARAMS *CK_CCM_MESSAGE_PARAMS_PTR;

/* CKM_AES_CCM with C_WrapKey / C_UnwrapKey (3.2). 64 bytes. */
typedef struct CK_CCM_WRAP_PARAMS {
    CK_ULONG              ulDataLen;
    CK_BYTE_PTR           pNonce;
    CK_ULONG              ulNonceLen;
    CK_ULONG              ulNonceFixedBits;
    CK_GENERATOR_FUNCTION nonceGenerator;
    CK_BYTE_PTR           pAAD;
    CK_ULONG              ulAADLen;
    CK_ULONG              ulMACLen;
} CK_CCM_WRAP_PARAMS;
typedef CK_CCM_WRAP_PARAMS *CK_CCM_WRAP_PARAMS_PTR;

/* CKM_AES_CBC_ENCRYPT_DATA. 32 bytes. */
typedef struct CK_AES_CBC_ENCRYPT_DATA_PARAMS {
    CK_BYTE     iv[16];
    CK_BYTE_PTR pData;
    CK_ULONG    length;
} CK_AES_CBC_ENCRYPT_DATA_PARAMS;
typedef CK_AES_CBC_ENCRYPT_DATA_PARAMS *CK_AES_CBC_ENCRYPT_DATA_PARAMS_PTR;

/* CKM_DES_CBC_ENCRYPT_DATA, CKM_DES3_CBC_ENCRYPT_DATA. 24 bytes. */
typedef struct CK_DES_CBC_ENCRYPT_DATA_PARAMS {
    CK_BYTE     iv[8];
    CK_BYTE_PTR pData;
    CK_ULONG    length;
} CK_DES_CBC_ENCRYPT_DATA_PARAMS;
typedef CK_DES_CBC_ENCRYPT_DATA_PARAMS *CK_DES_CBC_ENCRYPT_DATA_PARAMS_PTR;

/* ------------------------------------------------------------------------------------------------
 * ChaCha20, Salsa20, Poly1305 (3.0)
 * ---------------------------------------------------------------------------------------------- */

/* CKM_CHACHA20. 32 bytes. */
typedef struct CK_CHACHA20_PARAMS {
    CK_BYTE_PTR pBlockCounter;
    CK_ULONG    blockCounterBits;                 /* 32 or 64 */
    CK_BYTE_PTR pNonce;
    CK_ULONG    ulNonceBits;                      /* 64 or 96 */
} CK_CHACHA20_PARAMS;
typedef CK_CHACHA20_PARAMS *CK_CHACHA20_PARAMS_PTR;

/* CKM_SALSA20. The block counter is always 64 bits, so there is no width field. 24 bytes. */
typedef struct CK_SALSA20_PARAMS {
    CK_BYTE_PTR pBlockCounter;
    CK_BYTE_PTR pNonce;
    CK_ULONG    ulNonceBits;
} CK_SALSA20_PARAMS;
typedef CK_SALSA20_PARAMS *CK_SALSA20_PARAMS_PTR;

/* CKM_CHACHA20_POLY1305, CKM_SALSA20_POLY1305 (single-part API). 32 bytes. */
typedef struct CK_SALSA20_CHACHA20_POLY1305_PARAMS {
    CK_BYTE_PTR pNonce;
    CK_ULONG    ulNonceLen;
    CK_BYTE_PTR pAAD;
    CK_ULONG    ulAADLen;
} CK_SALSA20_CHACHA20_POLY1305_PARAMS;
typedef CK_SALSA20_CHACHA20_POLY1305_PARAMS *CK_SALSA20_CHACHA20_POLY1305_PARAMS_PTR;

/* CKM_CHACHA20_POLY1305, CKM_SALSA20_POLY1305 (message API). 24 bytes. pTag holds 16 bytes. */
typedef struct CK_SALSA20_CHACHA20_POLY1305_MSG_PARAMS {
    CK_BYTE_PTR pNonce;
    CK_ULONG    ulNonceLen;
    CK_BYTE_PTR pTag;
} CK_SALSA20_CHACHA20_POLY1305_MSG_PARAMS;
typedef CK_SALSA20_CHACHA20_POLY1305_MSG_PARAMS *CK_SALSA20_CHACHA20_POLY1305_MSG_PARAMS_PTR;

/* ------------------------------------------------------------------------------------------------
 * Key derivation
 * ---------------------------------------------------------------------------------------------- */

/* CKM_CONCATENATE_BASE_AND_DATA, CKM_CONCATENATE_DATA_AND_BASE, CKM_XOR_BASE_AND_DATA,
 * CKM_*_ECB_ENCRYPT_DATA. 16 bytes. */
typedef struct CK_KEY_DERIVATION_STRING_DATA {
    CK_BYTE_PTR pData;
    CK_ULONG    ulLen;
} CK_KEY_DERIVATION_STRING_DATA;
typedef CK_KEY_DERIVATION_STRING_DATA *CK_KEY_DERIVATION_STRING_DATA_PTR;

/* CKM_HKDF_DERIVE, CKM_HKDF_DATA (3.0). 64 bytes. ulSaltType is CKF_HKDF_SALT_NULL, _DATA or _KEY. */
typedef struct CK_HKDF_PARAMS {
    CK_BBOOL          bExtract;
    CK_BBOOL          bExpand;
    CK_MECHANISM_TYPE prfHashMechanism;
    CK_ULONG          ulSaltType;
    CK_BYTE_PTR       pSalt;
    CK_ULONG          ulSaltLen;
    CK_OBJECT_HANDLE  hSaltKey;
    CK_BYTE_PTR       pInfo;
    CK_ULONG          ulInfoLen;
} CK_HKDF_PARAMS;
typedef CK_HKDF_PARAMS *CK_HKDF_PARAMS_PTR;

/* CKM_PKCS5_PBKD2, original form: ulPasswordLen is a POINTER (a long-standing specification quirk).
 * Prefer CK_PKCS5_PBKD2_PARAMS2. 72 bytes. */
typedef struct CK_PKCS5_PBKD2_PARAMS {
    CK_PKCS5_PBKDF2_SALT_SOURCE_TYPE          saltSource;
    CK_VOID_PTR                               pSaltSourceData;
    CK_ULONG                                  ulSaltSourceDataLen;
    CK_ULONG                                  iterations;
    CK_PKCS5_PBKD2_PSEUDO_RANDOM_FUNCTION_TYPE prf;
    CK_VOID_PTR                               pPrfData;
    CK_ULONG                                  ulPrfDataLen;
    CK_UTF8CHAR_PTR                           pPassword;
    CK_ULONG_PTR                              ulPasswordLen;
} CK_PKCS5_PBKD2_PARAMS;
typedef CK_PKCS5_PBKD2_PARAMS *CK_PKCS5_PBKD2_PARAMS_PTR;

/* CKM_PKCS5_PBKD2, corrected form with the password length by value. 72 bytes. */
typedef struct CK_PKCS5_PBKD2_PARAMS2 {
    CK_PKCS5_PBKDF2_SALT_SOURCE_TYPE          saltSource;
    CK_VOID_PTR                               pSaltSourceData;
    CK_ULONG                                  ulSaltSourceDataLen;
    CK_ULONG                                  iterations;
    CK_PKCS5_PBKD2_PSEUDO_RANDOM_FUNCTION_TYPE prf;
    CK_VOID_PTR                               pPrfData;
    CK_ULONG                                  ulPrfDataLen;
    CK_UTF8CHAR_PTR                           pPassword;
    CK_ULONG                                  ulPasswordLen;
} CK_PKCS5_PBKD2_PARAMS2;
typedef CK_PKCS5_PBKD2_PARAMS2 *CK_PKCS5_PBKD2_PARAMS2_PTR;

/* SP 800-108 KDFs (3.0): one input-data element of the PRF input string. 24 bytes. */
typedef struct CK_PRF_DATA_PARAM {
    CK_PRF_DATA_TYPE type;                        /* CK_SP800_108_ITERATION_VARIABLE, ... */
    CK_VOID_PTR      pValue;
    CK_ULONG         ulValueLen;
} CK_PRF_DATA_PARAM;
typedef CK_PRF_DATA_PARAM *CK_PRF_DATA_PARAM_PTR;

/* pValue of CK_SP800_108_ITERATION_VARIABLE (counter mode) and CK_SP800_108_OPTIONAL_COUNTER. */
typedef struct CK_SP800_108_COUNTER_FORMAT {
    CK_BBOOL bLittleEndian;
    CK_ULONG ulWidthInBits;
} CK_SP800_108_COUNTER_FORMAT;
typedef CK_SP800_108_COUNTER_FORMAT *CK_SP800_108_COUNTER_FORMAT_PTR;

/* pValue of CK_SP800_108_DKM_LENGTH. */
typedef struct CK_SP800_108_DKM_LENGTH_FORMAT {
    CK_SP800_108_DKM_LENGTH_METHOD dkmLengthMethod;
    CK_BBOOL                       bLittleEndian;
    CK_ULONG                       ulWidthInBits;
} CK_SP800_108_DKM_LENGTH_FORMAT;
typedef CK_SP800_108_DKM_LENGTH_FORMAT *CK_SP800_108_DKM_LENGTH_FORMAT_PTR;

/* An additional key to derive from the same KDF output stream. */
typedef struct CK_DERIVED_KEY {
    CK_ATTRIBUTE_PTR     pTemplate;
    CK_ULONG             ulAttributeCount;
    CK_OBJECT_HANDLE_PTR phKey;                   /* output */
} CK_DERIVED_KEY;
typedef CK_DERIVED_KEY *CK_DERIVED_KEY_PTR;

/* CKM_SP800_108_COUNTER_KDF, CKM_SP800_108_DOUBLE_PIPELINE_KDF. */
typedef struct CK_SP800_108_KDF_PARAMS {
    CK_SP800_108_PRF_TYPE prfType;
    CK_ULONG              ulNumberOfDataParams;
    CK_PRF_DATA_PARAM_PTR pDataParams;
    CK_ULONG              ulAdditionalDerivedKeys;
    CK_DERIVED_KEY_PTR    pAdditionalDerivedKeys;
} CK_SP800_108_KDF_PARAMS;
typedef CK_SP800_108_KDF_PARAMS *CK_SP800_108_KDF_PARAMS_PTR;

/* CKM_SP800_108_FEEDBACK_KDF. */
typedef struct CK_SP800_108_FEEDBACK_KDF_PARAMS {
    CK_SP800_108_PRF_TYPE prfType;
    CK_ULONG              ulNumberOfDataParams;
    CK_PRF_DATA_PARAM_PTR pDataParams;
    CK_ULONG              ulIVLen;
    CK_BYTE_PTR           pIV;
    CK_ULONG              ulAdditionalDerivedKeys;
    CK_DERIVED_KEY_PTR    pAdditionalDerivedKeys;
} CK_SP800_108_FEEDBACK_KDF_PARAMS;
typedef CK_SP800_108_FEEDBACK_KDF_PARAMS *CK_SP800_108_FEEDBACK_KDF_PARAMS_PTR;

/* ------------------------------------------------------------------------------------------------
 * Post-quantum signatures (3.2)
 * ---------------------------------------------------------------------------------------------- */

/* Optional parameter of CKM_ML_DSA, CKM_SLH_DSA and their CKM_HASH_*_<hash> variants. 24 bytes.
 * Without a parameter: CKH_HEDGE_PREFERRED and an empty context. */
typedef struct CK_SIGN_ADDITIONAL_CONTEXT {
    CK_HEDGE_TYPE hedgeVariant;                   /* CKH_HEDGE_PREFERRED, _REQUIRED, CKH_DETERMINISTIC_REQUIRED */
    CK_BYTE_PTR   pContext;
    CK_ULONG      ulContextLen;                   /* at most 255 */
} CK_SIGN_ADDITIONAL_CONTEXT;
typedef CK_SIGN_ADDITIONAL_CONTEXT *CK_SIGN_ADDITIONAL_CONTEXT_PTR;

/* Required parameter of CKM_HASH_ML_DSA and CKM_HASH_SLH_DSA (caller supplies the digest). 32 bytes. */
typedef struct CK_HASH_SIGN_ADDITIONAL_CONTEXT {
    CK_HEDGE_TYPE     hedgeVariant;
    CK_BYTE_PTR       pContext;
    CK_ULONG          ulContextLen;
    CK_MECHANISM_TYPE hash;                       /* digest mechanism that produced the input, e.g. CKM_SHA256 */
} CK_HASH_SIGN_ADDITIONAL_CONTEXT;
typedef CK_HASH_SIGN_ADDITIONAL_CONTEXT *CK_HASH_SIGN_ADDITIONAL_CONTEXT_PTR;

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* CRATON_PKCS11_PKCS11_PARAMS_H */
