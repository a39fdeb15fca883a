/*
 * Craton HSM - PKCS#11 3.2 interface, part 5 of 6: attribute types (CKA_).
 *
 * Written for Craton HSM from the OASIS PKCS#11 3.2 specification text. Do not include this file
 * directly; include <craton/pkcs11/pkcs11.h>.
 *
 * Attributes whose value is itself an array of CK_ATTRIBUTE carry CKF_ARRAY_ATTRIBUTE (0x40000000)
 * in their type code.
 */
#ifndef CRATON_PKCS11_PKCS11_ATTRIBUTES_H
#define CRATON_PKCS11_PKCS11_ATTRIBUTES_H

/* ------------------------------------------------------------------------------------------------
 * Common object attributes
 * ---------------------------------------------------------------------------------------------- */

#define CKA_CLASS       0x00000000UL
#define CKA_TOKEN       0x00000001UL
#define CKA_PRIVATE     0x00000002UL
#define CKA_LABEL       0x00000003UL
#define CKA_UNIQUE_ID   0x00000004UL  /* 3.0; token-assigned, read-only */
#define CKA_APPLICATION 0x00000010UL
#define CKA_VALUE       0x00000011UL
#define CKA_OBJECT_ID   0x00000012UL

/* ------------------------------------------------------------------------------------------------
 * Certificates
 * ---------------------------------------------------------------------------------------------- */

#define CKA_CERTIFICATE_TYPE           0x00000080UL
#define CKA_ISSUER                     0x00000081UL
#define CKA_SERIAL_NUMBER              0x00000082UL
#define CKA_AC_ISSUER                  0x00000083UL
#define CKA_OWNER                      0x00000084UL
#define CKA_ATTR_TYPES                 0x00000085UL
#define CKA_TRUSTED                    0x00000086UL
#define CKA_CERTIFICATE_CATEGORY       0x00000087UL
#define CKA_JAVA_MIDP_SECURITY_DOMAIN  0x00000088UL
#define CKA_URL                        0x00000089UL
#define CKA_HASH_OF_SUBJECT_PUBLIC_KEY 0x0000008AUL
#define CKA_HASH_OF_ISSUER_PUBLIC_KEY  0x0000008BUL
#define CKA_NAME_HASH_ALGORITHM        0x0000008CUL
#define CKA_CHECK_VALUE                0x00000090UL

/* ------------------------------------------------------------------------------------------------
 * Keys: common, usage and life-cycle attributes
 * ---------------------------------------------------------------------------------------------- */

#define CKA_KEY_TYPE          0x00000100UL
#define CKA_SUBJECT           0x00000101UL
#define CKA_ID                0x00000102UL
#define CKA_SENSITIVE         0x00000103UL
#define CKA_ENCRYPT           0x00000104UL
#define CKA_DECRYPT           0x00000105UL
#define CKA_WRAP              0x00000106UL
#define CKA_UNWRAP            0x00000107UL
#define CKA_SIGN              0x00000108UL
#define CKA_SIGN_RECOVER      0x00000109UL
#define CKA_VERIFY            0x0000010AUL
#define CKA_VERIFY_RECOVER    0x0000010BUL
#define CKA_DERIVE            0x0000010CUL
#define CKA_START_DATE        0x00000110UL
#define CKA_END_DATE          0x00000111UL

/* RSA */
#define CKA_MODULUS           0x00000120UL
#define CKA_MODULUS_BITS      0x00000121UL
#define CKA_PUBLIC_EXPONENT   0x00000122UL
#define CKA_PRIVATE_EXPONENT  0x00000123UL
#define CKA_PRIME_1           0x00000124UL
#define CKA_PRIME_2           0x00000125UL
#define CKA_EXPONENT_1        0x00000126UL
#define CKA_EXPONENT_2        0x00000127UL
#define CKA_COEFFICIENT       0x00000128UL
#define CKA_PUBLIC_KEY_INFO   0x00000129UL  /* DER SubjectPublicKeyInfo */

/* DSA / DH domain parameters */
#define CKA_PRIME             0x00000130UL
#define CKA_SUBPRIME          0x00000131UL
#define CKA_BASE              0x00000132UL
#define CKA_PRIME_BITS        0x00000133UL
#define CKA_SUBPRIME_BITS     0x00000134UL
#define CKA_SUB_PRIME_BITS    CKA_SUBPRIME_BITS

/* Secret keys and key life cycle */
#define CKA_VALUE_BITS        0x00000160UL
#define CKA_VALUE_LEN         0x00000161UL
#define CKA_EXTRACTABLE       0x00000162UL
#define CKA_LOCAL             0x00000163UL
#define CKA_NEVER_EXTRACTABLE 0x00000164UL
#define CKA_ALWAYS_SENSITIVE  0x00000165UL
#define CKA_KEY_GEN_MECHANISM 0x00000166UL
#define CKA_MODIFIABLE        0x00000170UL
#define CKA_COPYABLE          0x00000171UL
#define CKA_DESTROYABLE       0x00000172UL

/* Elliptic curves (Weierstrass, Edwards, Montgomery) */
#define CKA_EC_PARAMS         0x00000180UL
#define CKA_ECDSA_PARAMS      CKA_EC_PARAMS  /* deprecated name */
#define CKA_EC_POINT          0x00000181UL

/* Authentication and wrapping policy */
#define CKA_SECONDARY_AUTH       0x00000200UL  /* deprecated */
#define CKA_AUTH_PIN_FLAGS       0x00000201UL  /* deprecated */
#define CKA_ALWAYS_AUTHENTICATE  0x00000202UL
#define CKA_WRAP_WITH_TRUSTED    0x00000210UL
#define CKA_WRAP_TEMPLATE        (CKF_ARRAY_ATTRIBUTE | 0x00000211UL)
#define CKA_UNWRAP_TEMPLATE      (CKF_ARRAY_ATTRIBUTE | 0x00000212UL)
#define CKA_DERIVE_TEMPLATE      (CKF_ARRAY_ATTRIBUTE | 0x00000213UL)

/* ------------------------------------------------------------------------------------------------
 * OTP keys
 * ---------------------------------------------------------------------------------------------- */

#define CKA_OTP_FORMAT                0x00000220UL
#define CKA_OTP_LENGTH                0x00000221UL
#define CKA_OTP_TIME_INTERVAL         0x00000222UL
#define CKA_OTP_USER_FRIENDLY_MODE    0x00000223UL
#define CKA_OTP_CHALLENGE_REQUIREMENT 0x00000224UL
#define CKA_OTP_TIME_REQUIREMENT      0x00000225UL
#define CKA_OTP_COUNTER_REQUIREMENT   0x00000226UL
#define CKA_OTP_PIN_REQUIREMENT       0x00000227UL
#define CKA_OTP_COUNTER               0x0000022EUL
#define CKA_OTP_TIME                  0x0000022FUL
#define CKA_OTP_USER_IDENTIFIER       0x0000022AUL
#define CKA_OTP_SERVICE_IDENTIFIER    0x0000022BUL
#define CKA_OTP_SERVICE_LOGO          0x0000022CUL
#define CKA_OTP_SERVICE_LOGO_TYPE     0x0000022DUL

/* ------------------------------------------------------------------------------------------------
 * GOST keys
 * ---------------------------------------------------------------------------------------------- */

#define CKA_GOSTR3410_PARAMS 0x00000250UL
#define CKA_GOSTR3411_PARAMS 0x00000251UL
#define CKA_GOST28147_PARAMS 0x00000252UL

/* ------------------------------------------------------------------------------------------------
 * Hardware features and user-interface objects
 * ---------------------------------------------------------------------------------------------- */

#define CKA_HW_FEATURE_TYPE 0x00000300UL
#define CKA_RESET_ON_INIT   0x00000301UL
#define CKA_HAS_RESET       0x00000302UL

#define CKA_PIXEL_X          0x00000400UL
#define CKA_PIXEL_Y          0x00000401UL
#define CKA_RESOLUTION       0x00000402UL
#define CKA_CHAR_ROWS        0x00000403UL
#define CKA_CHAR_COLUMNS     0x00000404UL
#define CKA_COLOR            0x00000405UL
#define CKA_BITS_PER_PIXEL   0x00000406UL
#define CKA_CHAR_SETS        0x00000480UL
#define CKA_ENCODING_METHODS 0x00000481UL
#define CKA_MIME_TYPES       0x00000482UL

/* ------------------------------------------------------------------------------------------------
 * Mechanism objects and mechanism restrictions
 * ---------------------------------------------------------------------------------------------- */

#define CKA_MECHANISM_TYPE           0x00000500UL
#define CKA_REQUIRED_CMS_ATTRIBUTES  0x00000501UL
#define CKA_DEFAULT_CMS_ATTRIBUTES   0x00000502UL
#define CKA_SUPPORTED_CMS_ATTRIBUTES 0x00000503UL
#define CKA_ALLOWED_MECHANISMS       (CKF_ARRAY_ATTRIBUTE | 0x00000600UL)  /* array of CK_MECHANISM_TYPE */

/* ------------------------------------------------------------------------------------------------
 * 3.0 and later
 * ---------------------------------------------------------------------------------------------- */

#define CKA_PROFILE_ID 0x00000601UL  /* CK_PROFILE_ID of a CKO_PROFILE object */

/* X3DH / Double Ratchet keys (3.0) */
#define CKA_X2RATCHET_BAG        0x00000602UL
#define CKA_X2RATCHET_BAGSIZE    0x00000603UL
#define CKA_X2RATCHET_BOBS1STMSG 0x00000604UL
#define CKA_X2RATCHET_CKR       0x00000605UL
#define CKA_X2RATCHET_CKS       0x00000606UL
#define CKA_X2RATCHET_DHP       0x00000607UL
#define CKA_X2RATCHET_DHR       0x00000608UL
#define CKA_X2RATCHET_DHS       0x00000609UL
#define CKA_X2RATCHET_HKR       0x0000060AUL
#define CKA_X2RATCHET_HKS       0x0000060BUL
#define CKA_X2RATCHET_ISALICE   0x0000060CUL
#define CKA_X2RATCHET_NHKR      0x0000060DUL
#define CKA_X2RATCHET_NHKS      0x0000060EUL
#define CKA_X2RATCHET_NR        0x0000060FUL
#define CKA_X2RATCHET_NS        0x00000610UL
#define CKA_X2RATCHET_PNS       0x00000611UL
#define CKA_X2RATCHET_RK        0x00000612UL

/* HSS / LMS stateful hash-based signatures (3.1) */
#define CKA_HSS_LEVELS          0x00000617UL
#define CKA_HSS_LMS_TYPE        0x00000618UL
#define CKA_HSS_LMOTS_TYPE      0x00000619UL
#define CKA_HSS_LMS_TYPES       0x0000061AUL
#define CKA_HSS_LMOTS_TYPES     0x0000061BUL
#define CKA_KEYS_REMAINING      0x0000061CUL  /* signatures left in a stateful key */
#define CKA_HSS_KEYS_REMAINING  CKA_KEYS_REMAINING  /* earlier name */

/* Post-quantum keys and validation (3.2) */
#define CKA_PARAMETER_SET           0x0000061DUL  /* CK_PARAMETER_SET_TYPE; meaning depends on CKA_KEY_TYPE */
#define CKA_OBJECT_VALIDATION_FLAGS 0x0000061EUL  /* CK_FLAGS */

/* Attributes of CKO_VALIDATION objects (3.2) */
#define CKA_VALIDATION_TYPE                   0x0000061FUL
#define CKA_VALIDATION_VERSION                0x00000620UL
#define CKA_VALIDATION_LEVEL                  0x00000621UL
#define CKA_VALIDATION_MODULE_ID              0x00000622UL
#define CKA_VALIDATION_FLAG                   0x00000623UL
#define CKA_VALIDATION_AUTHORITY_TYPE         0x00000624UL
#define CKA_VALIDATION_COUNTRY                0x00000625UL
#define CKA_VALIDATION_CERTIFICATE_IDENTIFIER 0x00000626UL
#define CKA_VALIDATION_CERTIFICATE_URI        0x00000627UL
#define CKA_VALIDATION_VENDOR_URI             0x00000628UL
#define CKA_VALIDATION_PROFILE                0x00000629UL

/* Key-encapsulation templates (3.2).
 * The published 3.2 header gives these the plain values below, without CKF_ARRAY_ATTRIBUTE, although
 * their values are CK_ATTRIBUTE arrays. The OASIS working header corrects this to 0x4000062A and
 * 0x4000062B. A module MUST accept both spellings of each; these names carry the published values. */
#define CKA_ENCAPSULATE_TEMPLATE 0x0000062AUL
#define CKA_DECAPSULATE_TEMPLATE 0x0000062BUL

/* Attributes of CKO_TRUST objects (3.2); values are CK_TRUST */
#define CKA_TRUST_SERVER_AUTH      0x0000062CUL
#define CKA_TRUST_CLIENT_AUTH      0x0000062DUL
#define CKA_TRUST_CODE_SIGNING     0x0000062EUL
#define CKA_TRUST_EMAIL_PROTECTION 0x0000062FUL
#define CKA_TRUST_IPSEC_IKE        0x00000630UL
#define CKA_TRUST_TIME_STAMPING    0x00000631UL
#define CKA_TRUST_OCSP_SIGNING     0x00000632UL

#define CKA_ENCAPSULATE          0x00000633UL  /* CK_BBOOL on KEM public keys */
#define CKA_DECAPSULATE          0x00000634UL  /* CK_BBOOL on KEM private keys */
#define CKA_HASH_OF_CERTIFICATE  0x00000635UL
#define CKA_PUBLIC_CRC64_VALUE   0x00000636UL
#define CKA_SEED                 0x00000637UL  /* ML-KEM d||z (64 bytes), ML-DSA xi (32 bytes) */

#define CKA_VENDOR_DEFINED 0x80000000UL

#endif /* CRATON_PKCS11_PKCS11_ATTRIBUTES_H */
