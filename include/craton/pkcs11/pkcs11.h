/*
 * Craton HSM - PKCS#11 3.2 (Cryptoki) C interface.
 *
 * Written for Craton HSM from the OASIS "PKCS #11 Specification Version 3.2" text; no other
 * project's header was copied. Usable from C (C99 and later) and C++.
 *
 * Layout:
 *   pkcs11_types.h       base types, core structures, callbacks, CK_INTERFACE, CK_ASYNC_DATA
 *   pkcs11_params.h      mechanism parameter structures
 *   pkcs11_functions.h   C_Xxx prototypes, CK_C_Xxx pointer types, the three function tables
 *   pkcs11_constants.h   CKR_, CKF_, CKU_, CKS_, CKO_, CKH_, CKK_, CKC_, CKP_, CKZ_, CKG_, CKD_,
 *                        CKV_, CKT_ and other constants; includes the two files below
 *   pkcs11_attributes.h  CKA_ attribute types
 *   pkcs11_mechanisms.h  CKM_ mechanism types
 *   craton_vendor.h      Craton's vendor-defined CKK_/CKM_/CKP_ values (hybrid algorithms)
 *
 * Structures use natural alignment (no packing), which is the Linux/Unix ABI used by all clients.
 *
 * Thread safety and ownership: this file only declares the interface. A module's guarantees are those
 * of the specification (C_Initialize with CKF_OS_LOCKING_OK makes every function callable from any
 * thread; buffers passed in remain owned by the caller).
 */
#ifndef CRATON_PKCS11_PKCS11_H
#define CRATON_PKCS11_PKCS11_H

#ifdef __cplusplus
extern "C" {
#endif

#include "pkcs11_types.h"
#include "pkcs11_params.h"
#include "pkcs11_functions.h"
#include "pkcs11_constants.h"

#ifdef __cplusplus
} /* extern "C" */
#endif

/* Craton's vendor-defined key types, mechanisms and parameter sets (macros only). */
#include "craton_vendor.h"

#endif /* CRATON_PKCS11_PKCS11_H */
