/*
 * Craton HSM - vendor extensions to the PKCS#11 3.2 interface.
 *
 * Our own numbers for algorithms that OASIS has named but not numbered yet, or not named at all.
 * <craton/pkcs11/pkcs11.h> includes this file at its end; it may also be included on its own (it
 * includes the umbrella header first). Written for Craton HSM; nothing here is copied.
 *
 * Numbering. Every vendor value is CRATON_VENDOR_PREFIX | n:
 *
 *   CRATON_VENDOR_PREFIX = 0x8C5A0000 = CK?_VENDOR_DEFINED (0x80000000) | 0x0C5A0000 ("C5A", Craton)
 *
 * and the low 16 bits group the values by family: 0x00nn key types, 0x01nn composite signatures,
 * 0x02nn X-Wing. Composite parameter sets carry the last arc of the algorithm's OID
 * (1.3.6.1.5.5.7.6.<arc>, draft-ietf-lamps-pq-composite-sigs-19 §6) in their low byte, so the
 * other sixteen composite algorithms have their numbers reserved already. CKK_, CKM_ and CKP_ are
 * separate number spaces (a CKP_ value means something only together with its CKA_KEY_TYPE).
 *
 * Names follow the OASIS working names (CKK_COMP_SIG, CKM_COMP_SIG_KEY_PAIR_GEN, CKM_COMP_SIG,
 * CKM_COMP_SIG_EXTERNAL_HASH, CKP_COMP_SIG_*) with CRATON_ inserted. When OASIS allocates numbers,
 * the standard names will be added next to these; the vendor numbers stay valid for stored keys.
 * The mapping table and the byte formats are in docs/HYBRIDS.md section 4.
 *
 * Wire formats (CKA_VALUE, signatures, ciphertexts) are those of the IETF drafts:
 *   composite  draft-ietf-lamps-pq-composite-sigs-19  public key = ML-DSA pk || 04||X||Y,
 *                                                     private key = ML-DSA seed || ECPrivateKey,
 *                                                     signature = ML-DSA sig || DER Ecdsa-Sig-Value
 *   X-Wing     draft-connolly-cfrg-xwing-kem-10       public key 1216 bytes, private key = 32-byte
 *                                                     seed, ciphertext 1120, shared secret 32
 */
#ifndef CRATON_PKCS11_CRATON_VENDOR_H
#define CRATON_PKCS11_CRATON_VENDOR_H

#include "pkcs11.h"

#define CRATON_VENDOR_PREFIX 0x8C5A0000UL

/* ------------------------------------------------------------------------------------------------
 * Key types (CKA_KEY_TYPE)
 * ---------------------------------------------------------------------------------------------- */

/* Composite ML-DSA + ECDSA signature key (OASIS name CKK_COMP_SIG). CKA_PARAMETER_SET picks the
 * combination; CKA_VALUE holds the draft's public or private key encoding. */
#define CKK_CRATON_COMP_SIG 0x8C5A0001UL
/* X-Wing KEM key (ML-KEM-768 + X25519). CKA_PARAMETER_SET = CKP_CRATON_XWING; CKA_VALUE holds the
 * 1216-byte public key or the 32-byte private seed. */
#define CKK_CRATON_XWING    0x8C5A0002UL

/* ------------------------------------------------------------------------------------------------
 * Composite ML-DSA signatures
 * ---------------------------------------------------------------------------------------------- */

/* C_GenerateKeyPair; no parameter; CKA_PARAMETER_SET in the public (or private) template. */
#define CKM_CRATON_COMP_SIG_KEY_PAIR_GEN  0x8C5A0100UL
/* C_Sign / C_Verify over the message, single- or multi-part. Optional parameter
 * CK_SIGN_ADDITIONAL_CONTEXT: the application context (at most 255 bytes) and the hedge variant
 * (CKH_HEDGE_PREFERRED / CKH_HEDGE_REQUIRED; CKH_DETERMINISTIC_REQUIRED is refused at C_SignInit,
 * the ECDSA half cannot be deterministic). */
#define CKM_CRATON_COMP_SIG               0x8C5A0101UL
/* As CKM_CRATON_COMP_SIG, but the data is PH(M) = SHA-512(M) computed by the caller (64 bytes,
 * single-part only). Signatures are interchangeable with CKM_CRATON_COMP_SIG ones. */
#define CKM_CRATON_COMP_SIG_EXTERNAL_HASH 0x8C5A0102UL

/* Parameter sets (CKA_PARAMETER_SET of CKK_CRATON_COMP_SIG keys): CRATON_VENDOR_PREFIX | 0x0100 |
 * the OID's last arc. */
#define CKP_CRATON_COMP_SIG_MLDSA65_ECDSA_P256_SHA512 0x8C5A012DUL /* id-MLDSA65-ECDSA-P256-SHA512, 1.3.6.1.5.5.7.6.45 */
#define CKP_CRATON_COMP_SIG_MLDSA87_ECDSA_P384_SHA512 0x8C5A0131UL /* id-MLDSA87-ECDSA-P384-SHA512, 1.3.6.1.5.5.7.6.49 */

/* ------------------------------------------------------------------------------------------------
 * X-Wing KEM
 * ---------------------------------------------------------------------------------------------- */

/* C_GenerateKeyPair; no parameter; CKA_PARAMETER_SET (CKP_CRATON_XWING) in a template. */
#define CKM_CRATON_XWING_KEY_PAIR_GEN 0x8C5A0200UL
/* C_EncapsulateKey / C_DecapsulateKey; no parameter. The 32-byte shared secret becomes the
 * CKA_VALUE of the secret key described by the caller's template. */
#define CKM_CRATON_XWING              0x8C5A0201UL

/* The single parameter set (CKA_PARAMETER_SET of CKK_CRATON_XWING keys), id-XWing
 * 1.3.6.1.4.1.62253.25722. */
#define CKP_CRATON_XWING 0x8C5A0201UL

/* ------------------------------------------------------------------------------------------------
 * Attributes
 * ---------------------------------------------------------------------------------------------- */

/* CK_BBOOL, read-only, on every key: CK_TRUE when the key was made by an approved service with
 * approved parameters (docs/FIPS.md), i.e. when bit CRATON_VALIDATION_FLAG_FIPS is set in its
 * CKA_OBJECT_VALIDATION_FLAGS. For clients that predate PKCS#11 3.2. */
#define CKA_CRATON_FIPS_APPROVED 0x8C5A0001UL

/* The validation bit of Craton HSM's FIPS 140-3 service indicator, in CKA_OBJECT_VALIDATION_FLAGS
 * and in C_GetSessionValidationFlags(CKS_LAST_VALIDATION_OK). */
#define CRATON_VALIDATION_FLAG_FIPS 0x00000001UL

#endif /* CRATON_PKCS11_CRATON_VENDOR_H */
