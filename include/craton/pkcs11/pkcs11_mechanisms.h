/*
 * Craton HSM - PKCS#11 3.2 interface, part 6 of 6: mechanism types (CKM_).
 *
 * Written for Craton HSM from the OASIS PKCS#11 3.2 specification text. Do not include this file
 * directly; include <craton/pkcs11/pkcs11.h>.
 *
 * Grouped by algorithm family; the version in a trailing comment marks mechanisms added after 2.40.
 * Legacy families that a software HSM will not offer (RC2/RC4/RC5, CAST, IDEA, Skipjack, Baton,
 * Juniper, KEA, FORTEZZA, WTLS, KIP, OTP, GOST, Camellia, ARIA, SEED, Blowfish/Twofish) are omitted.
 */
#ifndef CRATON_PKCS11_PKCS11_MECHANISMS_H
#define CRATON_PKCS11_PKCS11_MECHANISMS_H

/* ------------------------------------------------------------------------------------------------
 * RSA
 * ---------------------------------------------------------------------------------------------- */

#define CKM_RSA_PKCS_KEY_PAIR_GEN  0x00000000UL
#define CKM_RSA_PKCS               0x00000001UL
#define CKM_RSA_9796               0x00000002UL
#define CKM_RSA_X_509              0x00000003UL
#define CKM_MD5_RSA_PKCS           0x00000005UL
#define CKM_SHA1_RSA_PKCS          0x00000006UL
#define CKM_RSA_PKCS_OAEP          0x00000009UL
#define CKM_RSA_X9_31_KEY_PAIR_GEN 0x0000000AUL
#define CKM_RSA_X9_31              0x0000000BUL
#define CKM_SHA1_RSA_X9_31         0x0000000CUL
#define CKM_RSA_PKCS_PSS           0x0000000DUL
#define CKM_SHA1_RSA_PKCS_PSS      0x0000000EUL
#define CKM_SHA256_RSA_PKCS        0x00000040UL
#define CKM_SHA384_RSA_PKCS        0x00000041UL
#define CKM_SHA512_RSA_PKCS        0x00000042UL
#define CKM_SHA256_RSA_PKCS_PSS    0x00000043UL
#define CKM_SHA384_RSA_PKCS_PSS    0x00000044UL
#define CKM_SHA512_RSA_PKCS_PSS    0x00000045UL
#define CKM_SHA224_RSA_PKCS        0x00000046UL
#define CKM_SHA224_RSA_PKCS_PSS    0x00000047UL
#define CKM_SHA3_256_RSA_PKCS      0x00000060UL  /* 3.0 */
#define CKM_SHA3_384_RSA_PKCS      0x00000061UL  /* 3.0 */
#define CKM_SHA3_512_RSA_PKCS      0x00000062UL  /* 3.0 */
#define CKM_SHA3_256_RSA_PKCS_PSS  0x00000063UL  /* 3.0 */
#define CKM_SHA3_384_RSA_PKCS_PSS  0x00000064UL  /* 3.0 */
#define CKM_SHA3_512_RSA_PKCS_PSS  0x00000065UL  /* 3.0 */
#define CKM_SHA3_224_RSA_PKCS      0x00000066UL  /* 3.0 */
#define CKM_SHA3_224_RSA_PKCS_PSS  0x00000067UL  /* 3.0 */
#define CKM_RSA_PKCS_TPM_1_1       0x00004001UL
#define CKM_RSA_PKCS_OAEP_TPM_1_1  0x00004002UL
#define CKM_RSA_AES_KEY_WRAP       0x00001054UL

/* ------------------------------------------------------------------------------------------------
 * DSA and Diffie-Hellman
 * ---------------------------------------------------------------------------------------------- */

#define CKM_DSA_KEY_PAIR_GEN                0x00000010UL
#define CKM_DSA                             0x00000011UL
#define CKM_DSA_SHA1                        0x00000012UL
#define CKM_DSA_SHA224                      0x00000013UL
#define CKM_DSA_SHA256                      0x00000014UL
#define CKM_DSA_SHA384                      0x00000015UL
#define CKM_DSA_SHA512                      0x00000016UL
#define CKM_DSA_SHA3_224                    0x00000018UL  /* 3.0 */
#define CKM_DSA_SHA3_256                    0x00000019UL  /* 3.0 */
#define CKM_DSA_SHA3_384                    0x0000001AUL  /* 3.0 */
#define CKM_DSA_SHA3_512                    0x0000001BUL  /* 3.0 */
#define CKM_DH_PKCS_KEY_PAIR_GEN            0x00000020UL
#define CKM_DH_PKCS_DERIVE                  0x00000021UL
#define CKM_X9_42_DH_KEY_PAIR_GEN           0x00000030UL
#define CKM_X9_42_DH_DERIVE                 0x00000031UL
#define CKM_X9_42_DH_HYBRID_DERIVE          0x00000032UL
#define CKM_X9_42_MQV_DERIVE                0x00000033UL
#define CKM_DSA_PARAMETER_GEN               0x00002000UL
#define CKM_DH_PKCS_PARAMETER_GEN           0x00002001UL
#define CKM_X9_42_DH_PARAMETER_GEN          0x00002002UL
#define CKM_DSA_PROBABILISTIC_PARAMETER_GEN 0x00002003UL
#define CKM_DSA_PROBABLISTIC_PARAMETER_GEN  CKM_DSA_PROBABILISTIC_PARAMETER_GEN /* misspelt name */
#define CKM_DSA_SHAWE_TAYLOR_PARAMETER_GEN  0x00002004UL
#define CKM_DSA_FIPS_G_GEN                  0x00002005UL  /* 3.0 */

/* ------------------------------------------------------------------------------------------------
 * Elliptic curves: ECDSA, ECDH, EdDSA, XEdDSA
 * ---------------------------------------------------------------------------------------------- */

#define CKM_EC_KEY_PAIR_GEN               0x00001040UL
#define CKM_ECDSA_KEY_PAIR_GEN            CKM_EC_KEY_PAIR_GEN  /* deprecated name */
#define CKM_ECDSA                         0x00001041UL
#define CKM_ECDSA_SHA1                    0x00001042UL
#define CKM_ECDSA_SHA224                  0x00001043UL
#define CKM_ECDSA_SHA256                  0x00001044UL
#define CKM_ECDSA_SHA384                  0x00001045UL
#define CKM_ECDSA_SHA512                  0x00001046UL
#define CKM_ECDSA_SHA3_224                0x00001047UL  /* 3.0 */
#define CKM_ECDSA_SHA3_256                0x00001048UL  /* 3.0 */
#define CKM_ECDSA_SHA3_384                0x00001049UL  /* 3.0 */
#define CKM_ECDSA_SHA3_512                0x0000104AUL  /* 3.0 */
#define CKM_ECDH1_DERIVE                  0x00001050UL
#define CKM_ECDH1_COFACTOR_DERIVE         0x00001051UL
#define CKM_ECMQV_DERIVE                  0x00001052UL
#define CKM_ECDH_AES_KEY_WRAP             0x00001053UL
#define CKM_EC_EDWARDS_KEY_PAIR_GEN       0x00001055UL  /* 3.0 */
#define CKM_EC_MONTGOMERY_KEY_PAIR_GEN    0x00001056UL  /* 3.0 */
#define CKM_EDDSA                         0x00001057UL  /* 3.0 */
#define CKM_EC_KEY_PAIR_GEN_W_EXTRA_BITS  0x0000140BUL  /* 3.0 */
#define CKM_XEDDSA                        0x00004029UL  /* 3.0 */
#define CKM_ECDH_X_AES_KEY_WRAP           0x00004038UL  /* 3.2 */
#define CKM_ECDH_COF_AES_KEY_WRAP         0x00004039UL  /* 3.2 */

/* ------------------------------------------------------------------------------------------------
 * AES
 * ---------------------------------------------------------------------------------------------- */

#define CKM_AES_KEY_GEN          0x00001080UL
#define CKM_AES_ECB              0x00001081UL
#define CKM_AES_CBC              0x00001082UL
#define CKM_AES_MAC              0x00001083UL
#define CKM_AES_MAC_GENERAL      0x00001084UL
#define CKM_AES_CBC_PAD          0x00001085UL
#define CKM_AES_CTR              0x00001086UL
#define CKM_AES_GCM              0x00001087UL
#define CKM_AES_CCM              0x00001088UL
#define CKM_AES_CTS              0x00001089UL
#define CKM_AES_CMAC             0x0000108AUL
#define CKM_AES_CMAC_GENERAL     0x0000108BUL
#define CKM_AES_XCBC_MAC         0x0000108CUL
#define CKM_AES_XCBC_MAC_96      0x0000108DUL
#define CKM_AES_GMAC             0x0000108EUL
#define CKM_AES_XTS              0x00001071UL  /* 3.0 */
#define CKM_AES_XTS_KEY_GEN      0x00001072UL  /* 3.0 */
#define CKM_AES_ECB_ENCRYPT_DATA 0x00001104UL
#define CKM_AES_CBC_ENCRYPT_DATA 0x00001105UL
#define CKM_AES_OFB              0x00002104UL
#define CKM_AES_CFB64            0x00002105UL
#define CKM_AES_CFB8             0x00002106UL
#define CKM_AES_CFB128           0x00002107UL
#define CKM_AES_CFB1             0x00002108UL
#define CKM_AES_KEY_WRAP         0x00002109UL  /* RFC 3394 */
#define CKM_AES_KEY_WRAP_PAD     0x0000210AUL  /* deprecated in 3.2; use KWP or PKCS7 */
#define CKM_AES_KEY_WRAP_KWP     0x0000210BUL  /* 3.0, RFC 5649 */
#define CKM_AES_KEY_WRAP_PKCS7   0x0000210CUL  /* 3.1 */

/* ------------------------------------------------------------------------------------------------
 * DES and triple DES
 * ---------------------------------------------------------------------------------------------- */

#define CKM_DES_KEY_GEN           0x00000120UL
#define CKM_DES_ECB               0x00000121UL
#define CKM_DES_CBC               0x00000122UL
#define CKM_DES_MAC               0x00000123UL
#define CKM_DES_MAC_GENERAL       0x00000124UL
#define CKM_DES_CBC_PAD           0x00000125UL
#define CKM_DES2_KEY_GEN          0x00000130UL
#define CKM_DES3_KEY_GEN          0x00000131UL
#define CKM_DES3_ECB              0x00000132UL
#define CKM_DES3_CBC              0x00000133UL
#define CKM_DES3_MAC              0x00000134UL
#define CKM_DES3_MAC_GENERAL      0x00000135UL
#define CKM_DES3_CBC_PAD          0x00000136UL
#define CKM_DES3_CMAC_GENERAL     0x00000137UL
#define CKM_DES3_CMAC             0x00000138UL
#define CKM_DES_ECB_ENCRYPT_DATA  0x00001100UL
#define CKM_DES_CBC_ENCRYPT_DATA  0x00001101UL
#define CKM_DES3_ECB_ENCRYPT_DATA 0x00001102UL
#define CKM_DES3_CBC_ENCRYPT_DATA 0x00001103UL

/* ------------------------------------------------------------------------------------------------
 * ChaCha20, Salsa20, Poly1305 (3.0)
 * ---------------------------------------------------------------------------------------------- */

#define CKM_CHACHA20_KEY_GEN   0x00001225UL
#define CKM_CHACHA20           0x00001226UL
#define CKM_POLY1305_KEY_GEN   0x00001227UL
#define CKM_POLY1305           0x00001228UL
#define CKM_SALSA20            0x00004020UL
#define CKM_CHACHA20_POLY1305  0x00004021UL
#define CKM_SALSA20_POLY1305   0x00004022UL
#define CKM_SALSA20_KEY_GEN    0x0000402DUL

/* ------------------------------------------------------------------------------------------------
 * Digests, HMACs and digest-based key derivation: MD5, SHA-1, SHA-2
 * ---------------------------------------------------------------------------------------------- */

#define CKM_MD5                         0x00000210UL
#define CKM_MD5_HMAC                    0x00000211UL
#define CKM_MD5_HMAC_GENERAL            0x00000212UL
#define CKM_SHA_1                       0x00000220UL
#define CKM_SHA_1_HMAC                  0x00000221UL
#define CKM_SHA_1_HMAC_GENERAL          0x00000222UL
#define CKM_SHA256                      0x00000250UL
#define CKM_SHA256_HMAC                 0x00000251UL
#define CKM_SHA256_HMAC_GENERAL         0x00000252UL
#define CKM_SHA224                      0x00000255UL
#define CKM_SHA224_HMAC                 0x00000256UL
#define CKM_SHA224_HMAC_GENERAL         0x00000257UL
#define CKM_SHA384                      0x00000260UL
#define CKM_SHA384_HMAC                 0x00000261UL
#define CKM_SHA384_HMAC_GENERAL         0x00000262UL
#define CKM_SHA512                      0x00000270UL
#define CKM_SHA512_HMAC                 0x00000271UL
#define CKM_SHA512_HMAC_GENERAL         0x00000272UL
#define CKM_SHA512_224                  0x00000048UL
#define CKM_SHA512_224_HMAC             0x00000049UL
#define CKM_SHA512_224_HMAC_GENERAL     0x0000004AUL
#define CKM_SHA512_224_KEY_DERIVATION   0x0000004BUL
#define CKM_SHA512_256                  0x0000004CUL
#define CKM_SHA512_256_HMAC             0x0000004DUL
#define CKM_SHA512_256_HMAC_GENERAL     0x0000004EUL
#define CKM_SHA512_256_KEY_DERIVATION   0x0000004FUL
#define CKM_SHA512_T                    0x00000050UL
#define CKM_SHA512_T_HMAC               0x00000051UL
#define CKM_SHA512_T_HMAC_GENERAL       0x00000052UL
#define CKM_SHA512_T_KEY_DERIVATION     0x00000053UL
#define CKM_MD5_KEY_DERIVATION          0x00000390UL
#define CKM_MD2_KEY_DERIVATION          0x00000391UL
#define CKM_SHA1_KEY_DERIVATION         0x00000392UL
#define CKM_SHA256_KEY_DERIVATION       0x00000393UL
#define CKM_SHA384_KEY_DERIVATION       0x00000394UL
#define CKM_SHA512_KEY_DERIVATION       0x00000395UL
#define CKM_SHA224_KEY_DERIVATION       0x00000396UL
/* HMAC key generation (3.0) */
#define CKM_SHA_1_KEY_GEN               0x00004003UL
#define CKM_SHA224_KEY_GEN              0x00004004UL
#define CKM_SHA256_KEY_GEN              0x00004005UL
#define CKM_SHA384_KEY_GEN              0x00004006UL
#define CKM_SHA512_KEY_GEN              0x00004007UL
#define CKM_SHA512_224_KEY_GEN          0x00004008UL
#define CKM_SHA512_256_KEY_GEN          0x00004009UL
#define CKM_SHA512_T_KEY_GEN            0x0000400AUL

/* ------------------------------------------------------------------------------------------------
 * SHA-3 and SHAKE (3.0)
 * ---------------------------------------------------------------------------------------------- */

#define CKM_SHA3_256                    0x000002B0UL
#define CKM_SHA3_256_HMAC               0x000002B1UL
#define CKM_SHA3_256_HMAC_GENERAL       0x000002B2UL
#define CKM_SHA3_256_KEY_GEN            0x000002B3UL
#define CKM_SHA3_224                    0x000002B5UL
#define CKM_SHA3_224_HMAC               0x000002B6UL
#define CKM_SHA3_224_HMAC_GENERAL       0x000002B7UL
#define CKM_SHA3_224_KEY_GEN            0x000002B8UL
#define CKM_SHA3_384                    0x000002C0UL
#define CKM_SHA3_384_HMAC               0x000002C1UL
#define CKM_SHA3_384_HMAC_GENERAL       0x000002C2UL
#define CKM_SHA3_384_KEY_GEN            0x000002C3UL
#define CKM_SHA3_512                    0x000002D0UL
#define CKM_SHA3_512_HMAC               0x000002D1UL
#define CKM_SHA3_512_HMAC_GENERAL       0x000002D2UL
#define CKM_SHA3_512_KEY_GEN            0x000002D3UL
#define CKM_SHA3_256_KEY_DERIVATION     0x00000397UL
#define CKM_SHA3_256_KEY_DERIVE         CKM_SHA3_256_KEY_DERIVATION
#define CKM_SHA3_224_KEY_DERIVATION     0x00000398UL
#define CKM_SHA3_224_KEY_DERIVE         CKM_SHA3_224_KEY_DERIVATION
#define CKM_SHA3_384_KEY_DERIVATION     0x00000399UL
#define CKM_SHA3_384_KEY_DERIVE         CKM_SHA3_384_KEY_DERIVATION
#define CKM_SHA3_512_KEY_DERIVATION     0x0000039AUL
#define CKM_SHA3_512_KEY_DERIVE         CKM_SHA3_512_KEY_DERIVATION
#define CKM_SHAKE_128_KEY_DERIVATION    0x0000039BUL
#define CKM_SHAKE_128_KEY_DERIVE        CKM_SHAKE_128_KEY_DERIVATION
#define CKM_SHAKE_256_KEY_DERIVATION    0x0000039CUL
#define CKM_SHAKE_256_KEY_DERIVE        CKM_SHAKE_256_KEY_DERIVATION

/* ------------------------------------------------------------------------------------------------
 * BLAKE2b (3.0)
 * ---------------------------------------------------------------------------------------------- */

#define CKM_BLAKE2B_160              0x0000400CUL
#define CKM_BLAKE2B_160_HMAC         0x0000400DUL
#define CKM_BLAKE2B_160_HMAC_GENERAL 0x0000400EUL
#define CKM_BLAKE2B_160_KEY_DERIVE   0x0000400FUL
#define CKM_BLAKE2B_160_KEY_GEN      0x00004010UL
#define CKM_BLAKE2B_256              0x00004011UL
#define CKM_BLAKE2B_256_HMAC         0x00004012UL
#define CKM_BLAKE2B_256_HMAC_GENERAL 0x00004013UL
#define CKM_BLAKE2B_256_KEY_DERIVE   0x00004014UL
#define CKM_BLAKE2B_256_KEY_GEN      0x00004015UL
#define CKM_BLAKE2B_384              0x00004016UL
#define CKM_BLAKE2B_384_HMAC         0x00004017UL
#define CKM_BLAKE2B_384_HMAC_GENERAL 0x00004018UL
#define CKM_BLAKE2B_384_KEY_DERIVE   0x00004019UL
#define CKM_BLAKE2B_384_KEY_GEN      0x0000401AUL
#define CKM_BLAKE2B_512              0x0000401BUL
#define CKM_BLAKE2B_512_HMAC         0x0000401CUL
#define CKM_BLAKE2B_512_HMAC_GENERAL 0x0000401DUL
#define CKM_BLAKE2B_512_KEY_DERIVE   0x0000401EUL
#define CKM_BLAKE2B_512_KEY_GEN      0x0000401FUL

/* ------------------------------------------------------------------------------------------------
 * Generic secrets and simple key derivation
 * ---------------------------------------------------------------------------------------------- */

#define CKM_GENERIC_SECRET_KEY_GEN    0x00000350UL
#define CKM_CONCATENATE_BASE_AND_KEY  0x00000360UL
#define CKM_CONCATENATE_BASE_AND_DATA 0x00000362UL
#define CKM_CONCATENATE_DATA_AND_BASE 0x00000363UL
#define CKM_XOR_BASE_AND_DATA         0x00000364UL
#define CKM_EXTRACT_KEY_FROM_KEY      0x00000365UL
#define CKM_NULL                      0x0000400BUL  /* 3.0 */

/* ------------------------------------------------------------------------------------------------
 * Password-based and standard KDFs
 * ---------------------------------------------------------------------------------------------- */

#define CKM_PKCS5_PBKD2                   0x000003B0UL
#define CKM_SP800_108_COUNTER_KDF         0x000003ACUL  /* 3.0 */
#define CKM_SP800_108_FEEDBACK_KDF        0x000003ADUL  /* 3.0 */
#define CKM_SP800_108_DOUBLE_PIPELINE_KDF 0x000003AEUL  /* 3.0 */
#define CKM_HKDF_DERIVE                   0x0000402AUL  /* 3.0 */
#define CKM_HKDF_DATA                     0x0000402BUL  /* 3.0 */
#define CKM_HKDF_KEY_GEN                  0x0000402CUL  /* 3.0 */

/* ------------------------------------------------------------------------------------------------
 * SSL 3.0 / TLS key derivation and PRFs
 * ---------------------------------------------------------------------------------------------- */

#define CKM_SSL3_PRE_MASTER_KEY_GEN              0x00000370UL
#define CKM_SSL3_MASTER_KEY_DERIVE               0x00000371UL
#define CKM_SSL3_KEY_AND_MAC_DERIVE              0x00000372UL
#define CKM_SSL3_MASTER_KEY_DERIVE_DH            0x00000373UL
#define CKM_TLS_PRE_MASTER_KEY_GEN               0x00000374UL
#define CKM_TLS_MASTER_KEY_DERIVE                0x00000375UL
#define CKM_TLS_KEY_AND_MAC_DERIVE               0x00000376UL
#define CKM_TLS_MASTER_KEY_DERIVE_DH             0x00000377UL
#define CKM_TLS_PRF                              0x00000378UL
#define CKM_SSL3_MD5_MAC                         0x00000380UL
#define CKM_SSL3_SHA1_MAC                        0x00000381UL
#define CKM_TLS10_MAC_SERVER                     0x000003D6UL
#define CKM_TLS10_MAC_CLIENT                     0x000003D7UL
#define CKM_TLS12_MAC                            0x000003D8UL
#define CKM_TLS12_KDF                            0x000003D9UL
#define CKM_TLS12_MASTER_KEY_DERIVE              0x000003E0UL
#define CKM_TLS12_KEY_AND_MAC_DERIVE             0x000003E1UL
#define CKM_TLS12_MASTER_KEY_DERIVE_DH           0x000003E2UL
#define CKM_TLS12_KEY_SAFE_DERIVE                0x000003E3UL
#define CKM_TLS_MAC                              0x000003E4UL
#define CKM_TLS_KDF                              0x000003E5UL
#define CKM_TLS12_EXTENDED_MASTER_KEY_DERIVE     0x00000056UL  /* 3.2 */
#define CKM_TLS12_EXTENDED_MASTER_KEY_DERIVE_DH  0x00000057UL  /* 3.2 */

/* ------------------------------------------------------------------------------------------------
 * IKE key derivation (3.1)
 * ---------------------------------------------------------------------------------------------- */

#define CKM_IKE2_PRF_PLUS_DERIVE  0x0000402EUL
#define CKM_IKE_PRF_DERIVE        0x0000402FUL
#define CKM_IKE1_PRF_DERIVE       0x00004030UL
#define CKM_IKE1_EXTENDED_DERIVE  0x00004031UL

/* ------------------------------------------------------------------------------------------------
 * X3DH and Double Ratchet (3.0)
 * ---------------------------------------------------------------------------------------------- */

#define CKM_X3DH_INITIALIZE       0x00004023UL
#define CKM_X3DH_RESPOND          0x00004024UL
#define CKM_X2RATCHET_INITIALIZE  0x00004025UL
#define CKM_X2RATCHET_RESPOND     0x00004026UL
#define CKM_X2RATCHET_ENCRYPT     0x00004027UL
#define CKM_X2RATCHET_DECRYPT     0x00004028UL

/* ------------------------------------------------------------------------------------------------
 * Stateful hash-based signatures: HSS (3.1), XMSS / XMSS^MT (3.2)
 * ---------------------------------------------------------------------------------------------- */

#define CKM_HSS_KEY_PAIR_GEN     0x00004032UL
#define CKM_HSS                  0x00004033UL
#define CKM_XMSS_KEY_PAIR_GEN    0x00004034UL
#define CKM_XMSSMT_KEY_PAIR_GEN  0x00004035UL
#define CKM_XMSS                 0x00004036UL
#define CKM_XMSSMT               0x00004037UL

/* ------------------------------------------------------------------------------------------------
 * ML-KEM (FIPS 203), 3.2
 * ---------------------------------------------------------------------------------------------- */

#define CKM_ML_KEM_KEY_PAIR_GEN 0x0000000FUL
#define CKM_ML_KEM              0x00000017UL  /* C_EncapsulateKey / C_DecapsulateKey only */

/* ------------------------------------------------------------------------------------------------
 * ML-DSA (FIPS 204), 3.2
 * ---------------------------------------------------------------------------------------------- */

#define CKM_ML_DSA_KEY_PAIR_GEN     0x0000001CUL
#define CKM_ML_DSA                  0x0000001DUL  /* pure; optional CK_SIGN_ADDITIONAL_CONTEXT */
#define CKM_HASH_ML_DSA             0x0000001FUL  /* caller pre-hashes; CK_HASH_SIGN_ADDITIONAL_CONTEXT */
#define CKM_HASH_ML_DSA_SHA224      0x00000023UL
#define CKM_HASH_ML_DSA_SHA256      0x00000024UL
#define CKM_HASH_ML_DSA_SHA384      0x00000025UL
#define CKM_HASH_ML_DSA_SHA512      0x00000026UL
#define CKM_HASH_ML_DSA_SHA3_224    0x00000027UL
#define CKM_HASH_ML_DSA_SHA3_256    0x00000028UL
#define CKM_HASH_ML_DSA_SHA3_384    0x00000029UL
#define CKM_HASH_ML_DSA_SHA3_512    0x0000002AUL
#define CKM_HASH_ML_DSA_SHAKE128    0x0000002BUL
#define CKM_HASH_ML_DSA_SHAKE256    0x0000002CUL

/* PROVISIONAL: allocated by OASIS after 3.2 (for 3.3) and not in any published header yet. Keep
 * these out of mechanism lists offered to third-party clients until the numbers are published. */
#define CKM_ML_DSA_EXTERNAL_MU_GEN  0x0000403BUL
#define CKM_ML_DSA_EXTERNAL_MU      0x0000403CUL

/* ------------------------------------------------------------------------------------------------
 * SLH-DSA (FIPS 205), 3.2
 * ---------------------------------------------------------------------------------------------- */

#define CKM_SLH_DSA_KEY_PAIR_GEN    0x0000002DUL
#define CKM_SLH_DSA                 0x0000002EUL
#define CKM_HASH_SLH_DSA            0x00000034UL
#define CKM_HASH_SLH_DSA_SHA224     0x00000036UL
#define CKM_HASH_SLH_DSA_SHA256     0x00000037UL
#define CKM_HASH_SLH_DSA_SHA384     0x00000038UL
#define CKM_HASH_SLH_DSA_SHA512     0x00000039UL
#define CKM_HASH_SLH_DSA_SHA3_224   0x0000003AUL
#define CKM_HASH_SLH_DSA_SHA3_256   0x0000003BUL
#define CKM_HASH_SLH_DSA_SHA3_384   0x0000003CUL
#define CKM_HASH_SLH_DSA_SHA3_512   0x0000003DUL
#define CKM_HASH_SLH_DSA_SHAKE128   0x0000003EUL
#define CKM_HASH_SLH_DSA_SHAKE256   0x0000003FUL

/* ------------------------------------------------------------------------------------------------
 * Miscellaneous
 * ---------------------------------------------------------------------------------------------- */

#define CKM_PUB_KEY_FROM_PRIV_KEY 0x0000403AUL  /* 3.2 */

#define CKM_VENDOR_DEFINED 0x80000000UL

#endif /* CRATON_PKCS11_PKCS11_MECHANISMS_H */
