/*
 * Craton HSM - PKCS#11 3.2 interface, part 4 of 6: constants other than attributes and mechanisms.
 *
 * Written for Craton HSM from the OASIS PKCS#11 3.2 specification text. Do not include this file
 * directly; include <craton/pkcs11/pkcs11.h>.
 *
 * Every constant is a plain `unsigned long` literal, so it can be used in `switch` labels and in
 * constant expressions of both C and C++. Several prefixes reuse small numbers (CKH_ is both a
 * hardware-feature type and a hedge type; CKP_ is a profile id, a parameter set and a PBKDF2 PRF;
 * CKS_ is a session state and a validation-flags selector; many CKF_ values are 0x1): always decode a
 * value by the context it was found in.
 */
#ifndef CRATON_PKCS11_PKCS11_CONSTANTS_H
#define CRATON_PKCS11_PKCS11_CONSTANTS_H

/* ------------------------------------------------------------------------------------------------
 * Interface version implemented by this header
 * ---------------------------------------------------------------------------------------------- */

#define CRATON_PKCS11_HEADER_VERSION_MAJOR 3
#define CRATON_PKCS11_HEADER_VERSION_MINOR 2

#define CRYPTOKI_VERSION_MAJOR     3
#define CRYPTOKI_VERSION_MINOR     2
#define CRYPTOKI_VERSION_AMENDMENT 0

/* ------------------------------------------------------------------------------------------------
 * Booleans and special values
 * ---------------------------------------------------------------------------------------------- */

#define CK_FALSE 0
#define CK_TRUE  1

#define CK_INVALID_HANDLE          0x00000000UL  /* never a valid session or object handle */
#define CK_UNAVAILABLE_INFORMATION (~0UL)        /* counter or length that cannot be reported */
#define CK_EFFECTIVELY_INFINITE    0x00000000UL  /* in CK_TOKEN_INFO session/PIN limits */

/* ------------------------------------------------------------------------------------------------
 * CKN_: notifications delivered to CK_NOTIFY
 * ---------------------------------------------------------------------------------------------- */

#define CKN_SURRENDER   0x00000000UL
#define CKN_OTP_CHANGED 0x00000001UL

/* ------------------------------------------------------------------------------------------------
 * CKF_: flag bits. Grouped by the structure or argument they appear in.
 * ---------------------------------------------------------------------------------------------- */

/* CK_SLOT_INFO.flags */
#define CKF_TOKEN_PRESENT    0x00000001UL
#define CKF_REMOVABLE_DEVICE 0x00000002UL
#define CKF_HW_SLOT          0x00000004UL

/* CK_TOKEN_INFO.flags */
#define CKF_RNG                           0x00000001UL
#define CKF_WRITE_PROTECTED               0x00000002UL
#define CKF_LOGIN_REQUIRED                0x00000004UL
#define CKF_USER_PIN_INITIALIZED          0x00000008UL
#define CKF_RESTORE_KEY_NOT_NEEDED        0x00000020UL
#define CKF_CLOCK_ON_TOKEN                0x00000040UL
#define CKF_PROTECTED_AUTHENTICATION_PATH 0x00000100UL
#define CKF_DUAL_CRYPTO_OPERATIONS        0x00000200UL
#define CKF_TOKEN_INITIALIZED             0x00000400UL
#define CKF_SECONDARY_AUTHENTICATION      0x00000800UL
#define CKF_USER_PIN_COUNT_LOW            0x00010000UL
#define CKF_USER_PIN_FINAL_TRY            0x00020000UL
#define CKF_USER_PIN_LOCKED               0x00040000UL
#define CKF_USER_PIN_TO_BE_CHANGED        0x00080000UL
#define CKF_SO_PIN_COUNT_LOW              0x00100000UL
#define CKF_SO_PIN_FINAL_TRY              0x00200000UL
#define CKF_SO_PIN_LOCKED                 0x00400000UL
#define CKF_SO_PIN_TO_BE_CHANGED          0x00800000UL
#define CKF_ERROR_STATE                   0x01000000UL
#define CKF_SEED_RANDOM_REQUIRED          0x02000000UL  /* 3.2 */
#define CKF_ASYNC_SESSION_SUPPORTED       0x04000000UL  /* 3.2 */

/* CK_SESSION_INFO.flags and the flags argument of C_OpenSession */
#define CKF_RW_SESSION     0x00000002UL
#define CKF_SERIAL_SESSION 0x00000004UL  /* must always be set by the caller */
#define CKF_ASYNC_SESSION  0x00000008UL  /* 3.2 */

/* CK_MECHANISM_INFO.flags (the low bits double as C_SessionCancel selectors) */
#define CKF_HW                0x00000001UL
#define CKF_MESSAGE_ENCRYPT   0x00000002UL  /* 3.0 */
#define CKF_MESSAGE_DECRYPT   0x00000004UL  /* 3.0 */
#define CKF_MESSAGE_SIGN      0x00000008UL  /* 3.0 */
#define CKF_MESSAGE_VERIFY    0x00000010UL  /* 3.0 */
#define CKF_MULTI_MESSAGE     0x00000020UL  /* 3.0 */
#define CKF_MULTI_MESSGE      CKF_MULTI_MESSAGE /* misspelt name kept for source compatibility */
#define CKF_FIND_OBJECTS      0x00000040UL  /* 3.0, C_SessionCancel only */
#define CKF_ENCRYPT           0x00000100UL
#define CKF_DECRYPT           0x00000200UL
#define CKF_DIGEST            0x00000400UL
#define CKF_SIGN              0x00000800UL
#define CKF_SIGN_RECOVER      0x00001000UL
#define CKF_VERIFY            0x00002000UL
#define CKF_VERIFY_RECOVER    0x00004000UL
#define CKF_GENERATE          0x00008000UL
#define CKF_GENERATE_KEY_PAIR 0x00010000UL
#define CKF_WRAP              0x00020000UL
#define CKF_UNWRAP            0x00040000UL
#define CKF_DERIVE            0x00080000UL
#define CKF_EC_F_P            0x00100000UL
#define CKF_EC_F_2M           0x00200000UL
#define CKF_EC_ECPARAMETERS   0x00400000UL
#define CKF_EC_OID            0x00800000UL  /* 3.0 name */
#define CKF_EC_NAMEDCURVE     CKF_EC_OID    /* pre-3.0 name */
#define CKF_EC_UNCOMPRESS     0x01000000UL
#define CKF_EC_COMPRESS       0x02000000UL
#define CKF_EC_CURVENAME      0x04000000UL  /* 3.0 */
#define CKF_ENCAPSULATE       0x10000000UL  /* 3.2 */
#define CKF_DECAPSULATE       0x20000000UL  /* 3.2 */
#define CKF_EXTENSION         0x80000000UL  /* reserved; must be 0 */

/* CK_C_INITIALIZE_ARGS.flags */
#define CKF_LIBRARY_CANT_CREATE_OS_THREADS 0x00000001UL
#define CKF_OS_LOCKING_OK                  0x00000002UL

/* flags argument of C_WaitForSlotEvent */
#define CKF_DONT_BLOCK 0x00000001UL

/* flags argument of C_EncryptMessageNext / C_DecryptMessageNext (3.0) */
#define CKF_END_OF_MESSAGE 0x00000001UL

/* CK_INTERFACE.flags (3.0) */
#define CKF_INTERFACE_FORK_SAFE 0x00000001UL

/* CK_HKDF_PARAMS.ulSaltType (3.0) */
#define CKF_HKDF_SALT_NULL 0x00000001UL
#define CKF_HKDF_SALT_DATA 0x00000002UL
#define CKF_HKDF_SALT_KEY  0x00000004UL

/* Set in a CK_ATTRIBUTE_TYPE whose value is an array of CK_ATTRIBUTE */
#define CKF_ARRAY_ATTRIBUTE 0x40000000UL

/* ------------------------------------------------------------------------------------------------
 * CKU_: user types. CKS_: session states and validation-flag selectors.
 * ---------------------------------------------------------------------------------------------- */

#define CKU_SO               0x00000000UL
#define CKU_USER             0x00000001UL
#define CKU_CONTEXT_SPECIFIC 0x00000002UL

#define CKS_RO_PUBLIC_SESSION 0x00000000UL
#define CKS_RO_USER_FUNCTIONS 0x00000001UL
#define CKS_RW_PUBLIC_SESSION 0x00000002UL
#define CKS_RW_USER_FUNCTIONS 0x00000003UL
#define CKS_RW_SO_FUNCTIONS   0x00000004UL

/* type argument of C_GetSessionValidationFlags (3.2) */
#define CKS_LAST_VALIDATION_OK 0x00000001UL

/* ------------------------------------------------------------------------------------------------
 * CKO_: object classes
 * ---------------------------------------------------------------------------------------------- */

#define CKO_DATA              0x00000000UL
#define CKO_CERTIFICATE       0x00000001UL
#define CKO_PUBLIC_KEY        0x00000002UL
#define CKO_PRIVATE_KEY       0x00000003UL
#define CKO_SECRET_KEY        0x00000004UL
#define CKO_HW_FEATURE        0x00000005UL
#define CKO_DOMAIN_PARAMETERS 0x00000006UL
#define CKO_MECHANISM         0x00000007UL
#define CKO_OTP_KEY           0x00000008UL
#define CKO_PROFILE           0x00000009UL  /* 3.0 */
#define CKO_VALIDATION        0x0000000AUL  /* 3.2 */
#define CKO_TRUST             0x0000000BUL  /* 3.2 */
#define CKO_VENDOR_DEFINED    0x80000000UL

/* ------------------------------------------------------------------------------------------------
 * CKH_: hardware-feature types (CK_HW_FEATURE_TYPE) and hedge types (CK_HEDGE_TYPE, 3.2)
 * ---------------------------------------------------------------------------------------------- */

#define CKH_MONOTONIC_COUNTER 0x00000001UL
#define CKH_CLOCK             0x00000002UL
#define CKH_USER_INTERFACE    0x00000003UL
#define CKH_VENDOR_DEFINED    0x80000000UL

#define CKH_HEDGE_PREFERRED        0x00000000UL
#define CKH_HEDGE_REQUIRED         0x00000001UL
#define CKH_DETERMINISTIC_REQUIRED 0x00000002UL

/* ------------------------------------------------------------------------------------------------
 * CKK_: key types
 * ---------------------------------------------------------------------------------------------- */

#define CKK_RSA            0x00000000UL
#define CKK_DSA            0x00000001UL
#define CKK_DH             0x00000002UL
#define CKK_EC             0x00000003UL
#define CKK_ECDSA          CKK_EC        /* deprecated name */
#define CKK_X9_42_DH       0x00000004UL
#define CKK_KEA            0x00000005UL
#define CKK_GENERIC_SECRET 0x00000010UL
#define CKK_RC2            0x00000011UL
#define CKK_RC4            0x00000012UL
#define CKK_DES            0x00000013UL
#define CKK_DES2           0x00000014UL
#define CKK_DES3           0x00000015UL
#define CKK_CAST           0x00000016UL
#define CKK_CAST3          0x00000017UL
#define CKK_CAST128        0x00000018UL
#define CKK_CAST5          CKK_CAST128   /* deprecated name */
#define CKK_RC5            0x00000019UL
#define CKK_IDEA           0x0000001AUL
#define CKK_SKIPJACK       0x0000001BUL
#define CKK_BATON          0x0000001CUL
#define CKK_JUNIPER        0x0000001DUL
#define CKK_CDMF           0x0000001EUL
#define CKK_AES            0x0000001FUL
#define CKK_BLOWFISH       0x00000020UL
#define CKK_TWOFISH        0x00000021UL
#define CKK_SECURID        0x00000022UL
#define CKK_HOTP           0x00000023UL
#define CKK_ACTI           0x00000024UL
#define CKK_CAMELLIA       0x00000025UL
#define CKK_ARIA           0x00000026UL
#define CKK_MD5_HMAC       0x00000027UL
#define CKK_SHA_1_HMAC     0x00000028UL
#define CKK_RIPEMD128_HMAC 0x00000029UL
#define CKK_RIPEMD160_HMAC 0x0000002AUL
#define CKK_SHA256_HMAC    0x0000002BUL
#define CKK_SHA384_HMAC    0x0000002CUL
#define CKK_SHA512_HMAC    0x0000002DUL
#define CKK_SHA224_HMAC    0x0000002EUL
#define CKK_SEED           0x0000002FUL
#define CKK_GOSTR3410      0x00000030UL
#define CKK_GOSTR3411      0x00000031UL
#define CKK_GOST28147      0x00000032UL
/* 3.0 */
#define CKK_CHACHA20          0x00000033UL
#define CKK_POLY1305          0x00000034UL
#define CKK_AES_XTS           0x00000035UL
#define CKK_SHA3_224_HMAC     0x00000036UL
#define CKK_SHA3_256_HMAC     0x00000037UL
#define CKK_SHA3_384_HMAC     0x00000038UL
#define CKK_SHA3_512_HMAC     0x00000039UL
#define CKK_BLAKE2B_160_HMAC  0x0000003AUL
#define CKK_BLAKE2B_256_HMAC  0x0000003BUL
#define CKK_BLAKE2B_384_HMAC  0x0000003CUL
#define CKK_BLAKE2B_512_HMAC  0x0000003DUL
#define CKK_SALSA20           0x0000003EUL
#define CKK_X2RATCHET         0x0000003FUL
#define CKK_EC_EDWARDS        0x00000040UL
#define CKK_EC_MONTGOMERY     0x00000041UL
#define CKK_HKDF              0x00000042UL
#define CKK_SHA512_224_HMAC   0x00000043UL
#define CKK_SHA512_256_HMAC   0x00000044UL
#define CKK_SHA512_T_HMAC     0x00000045UL
/* 3.1 */
#define CKK_HSS               0x00000046UL
/* 3.2 */
#define CKK_XMSS              0x00000047UL
#define CKK_XMSSMT            0x00000048UL
#define CKK_ML_KEM            0x00000049UL
#define CKK_ML_DSA            0x0000004AUL
#define CKK_SLH_DSA           0x0000004BUL

#define CKK_VENDOR_DEFINED    0x80000000UL

/* ------------------------------------------------------------------------------------------------
 * CKC_: certificate types; certificate categories; Java MIDP security domains
 * ---------------------------------------------------------------------------------------------- */

#define CKC_X_509           0x00000000UL
#define CKC_X_509_ATTR_CERT 0x00000001UL
#define CKC_WTLS            0x00000002UL
#define CKC_VENDOR_DEFINED  0x80000000UL

#define CK_CERTIFICATE_CATEGORY_UNSPECIFIED  0x00000000UL
#define CK_CERTIFICATE_CATEGORY_TOKEN_USER   0x00000001UL
#define CK_CERTIFICATE_CATEGORY_AUTHORITY    0x00000002UL
#define CK_CERTIFICATE_CATEGORY_OTHER_ENTITY 0x00000003UL

#define CK_SECURITY_DOMAIN_UNSPECIFIED  0x00000000UL
#define CK_SECURITY_DOMAIN_MANUFACTURER 0x00000001UL
#define CK_SECURITY_DOMAIN_OPERATOR     0x00000002UL
#define CK_SECURITY_DOMAIN_THIRD_PARTY  0x00000003UL

/* ------------------------------------------------------------------------------------------------
 * CKP_: profile ids (CK_PROFILE_ID, 3.0), parameter sets (CK_PARAMETER_SET_TYPE, 3.2) and PBKDF2
 * pseudo-random functions
 * ---------------------------------------------------------------------------------------------- */

#define CKP_INVALID_ID                0x00000000UL
#define CKP_BASELINE_PROVIDER         0x00000001UL
#define CKP_EXTENDED_PROVIDER         0x00000002UL
#define CKP_AUTHENTICATION_TOKEN      0x00000003UL
#define CKP_PUBLIC_CERTIFICATES_TOKEN 0x00000004UL
#define CKP_COMPLETE_PROVIDER         0x00000005UL  /* 3.1 */
#define CKP_HKDF_TLS_TOKEN            0x00000006UL  /* 3.1 */
#define CKP_VENDOR_DEFINED            0x80000000UL

/* ML-KEM (FIPS 203) */
#define CKP_ML_KEM_512  0x00000001UL
#define CKP_ML_KEM_768  0x00000002UL
#define CKP_ML_KEM_1024 0x00000003UL

/* ML-DSA (FIPS 204) */
#define CKP_ML_DSA_44 0x00000001UL
#define CKP_ML_DSA_65 0x00000002UL
#define CKP_ML_DSA_87 0x00000003UL

/* SLH-DSA (FIPS 205) */
#define CKP_SLH_DSA_SHA2_128S  0x00000001UL
#define CKP_SLH_DSA_SHAKE_128S 0x00000002UL
#define CKP_SLH_DSA_SHA2_128F  0x00000003UL
#define CKP_SLH_DSA_SHAKE_128F 0x00000004UL
#define CKP_SLH_DSA_SHA2_192S  0x00000005UL
#define CKP_SLH_DSA_SHAKE_192S 0x00000006UL
#define CKP_SLH_DSA_SHA2_192F  0x00000007UL
#define CKP_SLH_DSA_SHAKE_192F 0x00000008UL
#define CKP_SLH_DSA_SHA2_256S  0x00000009UL
#define CKP_SLH_DSA_SHAKE_256S 0x0000000AUL
#define CKP_SLH_DSA_SHA2_256F  0x0000000BUL
#define CKP_SLH_DSA_SHAKE_256F 0x0000000CUL

/* CK_PKCS5_PBKD2_PARAMS(2).prf */
#define CKP_PKCS5_PBKD2_HMAC_SHA1       0x00000001UL
#define CKP_PKCS5_PBKD2_HMAC_GOSTR3411  0x00000002UL
#define CKP_PKCS5_PBKD2_HMAC_SHA224     0x00000003UL
#define CKP_PKCS5_PBKD2_HMAC_SHA256     0x00000004UL
#define CKP_PKCS5_PBKD2_HMAC_SHA384     0x00000005UL
#define CKP_PKCS5_PBKD2_HMAC_SHA512     0x00000006UL
#define CKP_PKCS5_PBKD2_HMAC_SHA512_224 0x00000007UL
#define CKP_PKCS5_PBKD2_HMAC_SHA512_256 0x00000008UL

/* ------------------------------------------------------------------------------------------------
 * CKZ_: OAEP label source and PBKDF2 salt source
 * ---------------------------------------------------------------------------------------------- */

#define CKZ_DATA_SPECIFIED 0x00000001UL
#define CKZ_SALT_SPECIFIED 0x00000001UL

/* ------------------------------------------------------------------------------------------------
 * CKG_: MGF1 functions (CK_RSA_PKCS_MGF_TYPE) and IV/nonce generators (CK_GENERATOR_FUNCTION, 3.0)
 * ---------------------------------------------------------------------------------------------- */

#define CKG_MGF1_SHA1     0x00000001UL
#define CKG_MGF1_SHA256   0x00000002UL
#define CKG_MGF1_SHA384   0x00000003UL
#define CKG_MGF1_SHA512   0x00000004UL
#define CKG_MGF1_SHA224   0x00000005UL
#define CKG_MGF1_SHA3_224 0x00000006UL
#define CKG_MGF1_SHA3_256 0x00000007UL
#define CKG_MGF1_SHA3_384 0x00000008UL
#define CKG_MGF1_SHA3_512 0x00000009UL

#define CKG_NO_GENERATE          0x00000000UL
#define CKG_GENERATE             0x00000001UL
#define CKG_GENERATE_COUNTER     0x00000002UL
#define CKG_GENERATE_RANDOM      0x00000003UL
#define CKG_GENERATE_COUNTER_XOR 0x00000004UL  /* 3.1 */

/* ------------------------------------------------------------------------------------------------
 * CKD_: key-derivation functions for ECDH/DH shared secrets (CK_EC_KDF_TYPE)
 * ---------------------------------------------------------------------------------------------- */

#define CKD_NULL                 0x00000001UL
#define CKD_SHA1_KDF             0x00000002UL
#define CKD_SHA1_KDF_ASN1        0x00000003UL
#define CKD_SHA1_KDF_CONCATENATE 0x00000004UL
#define CKD_SHA224_KDF           0x00000005UL
#define CKD_SHA256_KDF           0x00000006UL
#define CKD_SHA384_KDF           0x00000007UL
#define CKD_SHA512_KDF           0x00000008UL
#define CKD_CPDIVERSIFY_KDF      0x00000009UL
/* 3.0 */
#define CKD_SHA3_224_KDF         0x0000000AUL
#define CKD_SHA3_256_KDF         0x0000000BUL
#define CKD_SHA3_384_KDF         0x0000000CUL
#define CKD_SHA3_512_KDF         0x0000000DUL
#define CKD_SHA1_KDF_SP800       0x0000000EUL
#define CKD_SHA224_KDF_SP800     0x0000000FUL
#define CKD_SHA256_KDF_SP800     0x00000010UL
#define CKD_SHA384_KDF_SP800     0x00000011UL
#define CKD_SHA512_KDF_SP800     0x00000012UL
#define CKD_SHA3_224_KDF_SP800   0x00000013UL
#define CKD_SHA3_256_KDF_SP800   0x00000014UL
#define CKD_SHA3_384_KDF_SP800   0x00000015UL
#define CKD_SHA3_512_KDF_SP800   0x00000016UL
#define CKD_BLAKE2B_160_KDF      0x00000017UL
#define CKD_BLAKE2B_256_KDF      0x00000018UL
#define CKD_BLAKE2B_384_KDF      0x00000019UL
#define CKD_BLAKE2B_512_KDF      0x0000001AUL

/* ------------------------------------------------------------------------------------------------
 * SP 800-108 KDF data-parameter types and DKM length methods (3.0)
 * ---------------------------------------------------------------------------------------------- */

#define CK_SP800_108_ITERATION_VARIABLE 0x00000001UL
#define CK_SP800_108_COUNTER            0x00000002UL
#define CK_SP800_108_OPTIONAL_COUNTER   CK_SP800_108_COUNTER  /* earlier name */
#define CK_SP800_108_DKM_LENGTH         0x00000003UL
#define CK_SP800_108_BYTE_ARRAY         0x00000004UL
#define CK_SP800_108_KEY_HANDLE         0x00000005UL  /* 3.2 */

#define CK_SP800_108_DKM_LENGTH_SUM_OF_KEYS     0x00000001UL
#define CK_SP800_108_DKM_LENGTH_SUM_OF_SEGMENTS 0x00000002UL

/* ------------------------------------------------------------------------------------------------
 * CKV_: validation object types and authorities (3.2)
 * ---------------------------------------------------------------------------------------------- */

#define CKV_TYPE_UNSPECIFIED 0x00000000UL
#define CKV_TYPE_SOFTWARE    0x00000001UL
#define CKV_TYPE_HARDWARE    0x00000002UL
#define CKV_TYPE_FIRMWARE    0x00000003UL
#define CKV_TYPE_HYBRID      0x00000004UL

#define CKV_AUTHORITY_TYPE_UNSPECIFIED     0x00000000UL
#define CKV_AUTHORITY_TYPE_NIST_CMVP       0x00000001UL
#define CKV_AUTHORITY_TYPE_COMMON_CRITERIA 0x00000002UL

/* ------------------------------------------------------------------------------------------------
 * CKT_: trust values for CKO_TRUST objects (CK_TRUST, 3.2)
 * ---------------------------------------------------------------------------------------------- */

#define CKT_TRUST_UNKNOWN           0x00000000UL
#define CKT_TRUSTED                 0x00000001UL
#define CKT_TRUST_ANCHOR            0x00000002UL
#define CKT_NOT_TRUSTED             0x00000003UL
#define CKT_TRUST_MUST_VERIFY_TRUST 0x00000004UL

/* ------------------------------------------------------------------------------------------------
 * CKR_: return values
 * ---------------------------------------------------------------------------------------------- */

#define CKR_OK                               0x00000000UL
#define CKR_CANCEL                           0x00000001UL
#define CKR_HOST_MEMORY                      0x00000002UL
#define CKR_SLOT_ID_INVALID                  0x00000003UL
#define CKR_GENERAL_ERROR                    0x00000005UL
#define CKR_FUNCTION_FAILED                  0x00000006UL
#define CKR_ARGUMENTS_BAD                    0x00000007UL
#define CKR_NO_EVENT                         0x00000008UL
#define CKR_NEED_TO_CREATE_THREADS           0x00000009UL
#define CKR_CANT_LOCK                        0x0000000AUL
#define CKR_ATTRIBUTE_READ_ONLY              0x00000010UL
#define CKR_ATTRIBUTE_SENSITIVE              0x00000011UL
#define CKR_ATTRIBUTE_TYPE_INVALID           0x00000012UL
#define CKR_ATTRIBUTE_VALUE_INVALID          0x00000013UL
#define CKR_ACTION_PROHIBITED                0x0000001BUL
#define CKR_DATA_INVALID                     0x00000020UL
#define CKR_DATA_LEN_RANGE                   0x00000021UL
#define CKR_DEVICE_ERROR                     0x00000030UL
#define CKR_DEVICE_MEMORY                    0x00000031UL
#define CKR_DEVICE_REMOVED                   0x00000032UL
#define CKR_ENCRYPTED_DATA_INVALID           0x00000040UL
#define CKR_ENCRYPTED_DATA_LEN_RANGE         0x00000041UL
#define CKR_AEAD_DECRYPT_FAILED              0x00000042UL  /* 3.0 */
#define CKR_FUNCTION_CANCELED                0x00000050UL
#define CKR_FUNCTION_NOT_PARALLEL            0x00000051UL
#define CKR_FUNCTION_NOT_SUPPORTED           0x00000054UL
#define CKR_KEY_HANDLE_INVALID               0x00000060UL
#define CKR_KEY_SIZE_RANGE                   0x00000062UL
#define CKR_KEY_TYPE_INCONSISTENT            0x00000063UL
#define CKR_KEY_NOT_NEEDED                   0x00000064UL
#define CKR_KEY_CHANGED                      0x00000065UL
#define CKR_KEY_NEEDED                       0x00000066UL
#define CKR_KEY_INDIGESTIBLE                 0x00000067UL
#define CKR_KEY_FUNCTION_NOT_PERMITTED       0x00000068UL
#define CKR_KEY_NOT_WRAPPABLE                0x00000069UL
#define CKR_KEY_UNEXTRACTABLE                0x0000006AUL
#define CKR_MECHANISM_INVALID                0x00000070UL
#define CKR_MECHANISM_PARAM_INVALID          0x00000071UL
#define CKR_OBJECT_HANDLE_INVALID            0x00000082UL
#define CKR_OPERATION_ACTIVE                 0x00000090UL
#define CKR_OPERATION_NOT_INITIALIZED        0x00000091UL
#define CKR_PIN_INCORRECT                    0x000000A0UL
#define CKR_PIN_INVALID                      0x000000A1UL
#define CKR_PIN_LEN_RANGE                    0x000000A2UL
#define CKR_PIN_EXPIRED                      0x000000A3UL
#define CKR_PIN_LOCKED                       0x000000A4UL
#define CKR_SESSION_CLOSED                   0x000000B0UL
#define CKR_SESSION_COUNT                    0x000000B1UL
#define CKR_SESSION_HANDLE_INVALID           0x000000B3UL
#define CKR_SESSION_PARALLEL_NOT_SUPPORTED   0x000000B4UL
#define CKR_SESSION_READ_ONLY                0x000000B5UL
#define CKR_SESSION_EXISTS                   0x000000B6UL
#define CKR_SESSION_READ_ONLY_EXISTS         0x000000B7UL
#define CKR_SESSION_READ_WRITE_SO_EXISTS     0x000000B8UL
#define CKR_SIGNATURE_INVALID                0x000000C0UL
#define CKR_SIGNATURE_LEN_RANGE              0x000000C1UL
#define CKR_TEMPLATE_INCOMPLETE              0x000000D0UL
#define CKR_TEMPLATE_INCONSISTENT            0x000000D1UL
#define CKR_TOKEN_NOT_PRESENT                0x000000E0UL
#define CKR_TOKEN_NOT_RECOGNIZED             0x000000E1UL
#define CKR_TOKEN_WRITE_PROTECTED            0x000000E2UL
#define CKR_UNWRAPPING_KEY_HANDLE_INVALID    0x000000F0UL
#define CKR_UNWRAPPING_KEY_SIZE_RANGE        0x000000F1UL
#define CKR_UNWRAPPING_KEY_TYPE_INCONSISTENT 0x000000F2UL
#define CKR_USER_ALREADY_LOGGED_IN           0x00000100UL
#define CKR_USER_NOT_LOGGED_IN               0x00000101UL
#define CKR_USER_PIN_NOT_INITIALIZED         0x00000102UL
#define CKR_USER_TYPE_INVALID                0x00000103UL
#define CKR_USER_ANOTHER_ALREADY_LOGGED_IN   0x00000104UL
#define CKR_USER_TOO_MANY_TYPES              0x00000105UL
#define CKR_WRAPPED_KEY_INVALID              0x00000110UL
#define CKR_WRAPPED_KEY_LEN_RANGE            0x00000112UL
#define CKR_WRAPPING_KEY_HANDLE_INVALID      0x00000113UL
#define CKR_WRAPPING_KEY_SIZE_RANGE          0x00000114UL
#define CKR_WRAPPING_KEY_TYPE_INCONSISTENT   0x00000115UL
#define CKR_RANDOM_SEED_NOT_SUPPORTED        0x00000120UL
#define CKR_RANDOM_NO_RNG                    0x00000121UL
#define CKR_DOMAIN_PARAMS_INVALID            0x00000130UL
#define CKR_CURVE_NOT_SUPPORTED              0x00000140UL
#define CKR_BUFFER_TOO_SMALL                 0x00000150UL
#define CKR_SAVED_STATE_INVALID              0x00000160UL
#define CKR_INFORMATION_SENSITIVE            0x00000170UL
#define CKR_STATE_UNSAVEABLE                 0x00000180UL
#define CKR_CRYPTOKI_NOT_INITIALIZED         0x00000190UL
#define CKR_CRYPTOKI_ALREADY_INITIALIZED     0x00000191UL
#define CKR_MUTEX_BAD                        0x000001A0UL
#define CKR_MUTEX_NOT_LOCKED                 0x000001A1UL
#define CKR_NEW_PIN_MODE                     0x000001B0UL
#define CKR_NEXT_OTP                         0x000001B1UL
#define CKR_EXCEEDED_MAX_ITERATIONS          0x000001B5UL
#define CKR_FIPS_SELF_TEST_FAILED            0x000001B6UL
#define CKR_LIBRARY_LOAD_FAILED              0x000001B7UL
#define CKR_PIN_TOO_WEAK                     0x000001B8UL
#define CKR_PUBLIC_KEY_INVALID               0x000001B9UL
#define CKR_FUNCTION_REJECTED                0x00000200UL
#define CKR_TOKEN_RESOURCE_EXCEEDED          0x00000201UL  /* 3.0 */
#define CKR_OPERATION_CANCEL_FAILED          0x00000202UL  /* 3.0 */
#define CKR_KEY_EXHAUSTED                    0x00000203UL  /* 3.1 */
#define CKR_PENDING                          0x00000204UL  /* 3.2 */
#define CKR_SESSION_ASYNC_NOT_SUPPORTED      0x00000205UL  /* 3.2 */
#define CKR_SEED_RANDOM_REQUIRED             0x00000206UL  /* 3.2 */
#define CKR_OPERATION_NOT_VALIDATED          0x00000207UL  /* 3.2 */
#define CKR_TOKEN_NOT_INITIALIZED            0x00000208UL  /* 3.2 */
#define CKR_PARAMETER_SET_NOT_SUPPORTED      0x00000209UL  /* 3.2 */
#define CKR_VENDOR_DEFINED                   0x80000000UL

#include "pkcs11_attributes.h"
#include "pkcs11_mechanisms.h"

#endif /* CRATON_PKCS11_PKCS11_CONSTANTS_H */
