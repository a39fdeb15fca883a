/*
 * Craton HSM - PKCS#11 3.2 interface, part 1 of 6: base types and core structures.
 *
 * Written for Craton HSM from the OASIS PKCS#11 3.2 specification text. Do not include this file
 * directly; include <craton/pkcs11/pkcs11.h>.
 *
 * ABI notes (Linux, LP64):
 *   - CK_ULONG is `unsigned long` (8 bytes); every handle, flag word, type code and CK_RV is a CK_ULONG.
 *   - Structures use the compiler's natural alignment. The specification asks for 1-byte packing, but on
 *     Linux/Unix every deployed client and module uses natural alignment; only Windows builds pack. A
 *     CK_BBOOL followed by a CK_ULONG therefore has 7 padding bytes in between.
 *   - Fixed-width text fields (labels, manufacturer ids, ...) are blank-padded and NOT NUL-terminated.
 */
#ifndef CRATON_PKCS11_PKCS11_TYPES_H
#define CRATON_PKCS11_PKCS11_TYPES_H

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------------------------------
 * Client-compatibility helpers
 * ---------------------------------------------------------------------------------------------- */

/* Pointer decoration used by older client code (`CK_BYTE CK_PTR p`). */
#ifndef CK_PTR
#define CK_PTR *
#endif

#ifndef NULL_PTR
#if defined(__cplusplus) && __cplusplus >= 201103L
#define NULL_PTR nullptr
#elif defined(__cplusplus)
#define NULL_PTR 0
#else
#define NULL_PTR ((void *)0)
#endif
#endif

/* ------------------------------------------------------------------------------------------------
 * Scalar types
 * ---------------------------------------------------------------------------------------------- */

typedef unsigned char CK_BYTE;      /* unsigned 8-bit value */
typedef CK_BYTE       CK_CHAR;      /* character from the restricted PKCS#11 character set */
typedef CK_BYTE       CK_UTF8CHAR;  /* one byte of UTF-8 text */
typedef CK_BYTE       CK_BBOOL;     /* CK_TRUE or CK_FALSE */
typedef unsigned long CK_ULONG;     /* at least 32 bits; 64 bits on LP64 */
typedef long          CK_LONG;      /* signed counterpart of CK_ULONG */
typedef CK_ULONG      CK_FLAGS;     /* bit set */

typedef CK_BYTE     *CK_BYTE_PTR;
typedef CK_CHAR     *CK_CHAR_PTR;
typedef CK_UTF8CHAR *CK_UTF8CHAR_PTR;
typedef CK_BBOOL    *CK_BBOOL_PTR;
typedef CK_ULONG    *CK_ULONG_PTR;
typedef CK_LONG     *CK_LONG_PTR;
typedef CK_FLAGS    *CK_FLAGS_PTR;
typedef void        *CK_VOID_PTR;
typedef CK_VOID_PTR *CK_VOID_PTR_PTR;

/* Identifier and handle types. All are CK_ULONG-sized codes. */
typedef CK_ULONG CK_NOTIFICATION;        /* CKN_* */
typedef CK_ULONG CK_SLOT_ID;
typedef CK_ULONG CK_SESSION_HANDLE;      /* 0 is CK_INVALID_HANDLE */
typedef CK_ULONG CK_USER_TYPE;           /* CKU_* */
typedef CK_ULONG CK_STATE;               /* CKS_* session states */
typedef CK_ULONG CK_OBJECT_HANDLE;       /* 0 is CK_INVALID_HANDLE */
typedef CK_ULONG CK_OBJECT_CLASS;        /* CKO_* */
typedef CK_ULONG CK_HW_FEATURE_TYPE;     /* CKH_* (hardware features) */
typedef CK_ULONG CK_KEY_TYPE;            /* CKK_* */
typedef CK_ULONG CK_CERTIFICATE_TYPE;    /* CKC_* */
typedef CK_ULONG CK_CERTIFICATE_CATEGORY;/* CK_CERTIFICATE_CATEGORY_* */
typedef CK_ULONG CK_JAVA_MIDP_SECURITY_DOMAIN; /* CK_SECURITY_DOMAIN_* */
typedef CK_ULONG CK_ATTRIBUTE_TYPE;      /* CKA_* */
typedef CK_ULONG CK_MECHANISM_TYPE;      /* CKM_* */
typedef CK_ULONG CK_RV;                  /* CKR_* */
typedef CK_ULONG CK_PROFILE_ID;          /* CKP_* profile ids (3.0) */
typedef CK_ULONG CK_GENERATOR_FUNCTION;  /* CKG_* IV/nonce generators (3.0) */
typedef CK_ULONG CK_PARAMETER_SET_TYPE;  /* CKP_* parameter sets for ML-KEM, ML-DSA, SLH-DSA (3.2) */
typedef CK_ULONG CK_HEDGE_TYPE;          /* CKH_* hedging choices (3.2) */
typedef CK_ULONG CK_SESSION_VALIDATION_FLAGS_TYPE; /* CKS_LAST_VALIDATION_OK (3.2) */
typedef CK_ULONG CK_VALIDATION_TYPE;     /* CKV_TYPE_* (3.2) */
typedef CK_ULONG CK_VALIDATION_AUTHORITY_TYPE; /* CKV_AUTHORITY_TYPE_* (3.2) */
typedef CK_ULONG CK_TRUST;               /* CKT_* (3.2) */

typedef CK_SLOT_ID        *CK_SLOT_ID_PTR;
typedef CK_SESSION_HANDLE *CK_SESSION_HANDLE_PTR;
typedef CK_USER_TYPE      *CK_USER_TYPE_PTR;
typedef CK_OBJECT_HANDLE  *CK_OBJECT_HANDLE_PTR;
typedef CK_OBJECT_CLASS   *CK_OBJECT_CLASS_PTR;
typedef CK_KEY_TYPE       *CK_KEY_TYPE_PTR;
typedef CK_ATTRIBUTE_TYPE *CK_ATTRIBUTE_TYPE_PTR;
typedef CK_MECHANISM_TYPE *CK_MECHANISM_TYPE_PTR;
typedef CK_RV             *CK_RV_PTR;
typedef CK_PROFILE_ID     *CK_PROFILE_ID_PTR;
typedef CK_GENERATOR_FUNCTION *CK_GENERATOR_FUNCTION_PTR;
typedef CK_PARAMETER_SET_TYPE *CK_PARAMETER_SET_TYPE_PTR;
typedef CK_HEDGE_TYPE     *CK_HEDGE_TYPE_PTR;
typedef CK_VALIDATION_TYPE *CK_VALIDATION_TYPE_PTR;
typedef CK_VALIDATION_AUTHORITY_TYPE *CK_VALIDATION_AUTHORITY_TYPE_PTR;

/* ------------------------------------------------------------------------------------------------
 * Core structures
 * ---------------------------------------------------------------------------------------------- */

/* A version number: 3.2 is {3, 2}; 2.40 is {2, 40}. */
typedef struct CK_VERSION {
    CK_BYTE major;
    CK_BYTE minor;
} CK_VERSION;
typedef CK_VERSION *CK_VERSION_PTR;

/* Returned by C_GetInfo. Text fields are blank-padded. */
typedef struct CK_INFO {
    CK_VERSION  cryptokiVersion;        /* interface version the library implements */
    CK_UTF8CHAR manufacturerID[32];
    CK_FLAGS    flags;                  /* reserved, must be 0 */
    CK_UTF8CHAR libraryDescription[32];
    CK_VERSION  libraryVersion;
} CK_INFO;
typedef CK_INFO *CK_INFO_PTR;

/* Returned by C_GetSlotInfo. */
typedef struct CK_SLOT_INFO {
    CK_UTF8CHAR slotDescription[64];
    CK_UTF8CHAR manufacturerID[32];
    CK_FLAGS    flags;                  /* CKF_TOKEN_PRESENT, CKF_REMOVABLE_DEVICE, CKF_HW_SLOT */
    CK_VERSION  hardwareVersion;
    CK_VERSION  firmwareVersion;
} CK_SLOT_INFO;
typedef CK_SLOT_INFO *CK_SLOT_INFO_PTR;

/* Returned by C_GetTokenInfo. Counters a token cannot report hold CK_UNAVAILABLE_INFORMATION. */
typedef struct CK_TOKEN_INFO {
    CK_UTF8CHAR label[32];
    CK_UTF8CHAR manufacturerID[32];
    CK_UTF8CHAR model[16];
    CK_CHAR     serialNumber[16];
    CK_FLAGS    flags;                  /* CKF_RNG, CKF_LOGIN_REQUIRED, ... */
    CK_ULONG    ulMaxSessionCount;
    CK_ULONG    ulSessionCount;
    CK_ULONG    ulMaxRwSessionCount;
    CK_ULONG    ulRwSessionCount;
    CK_ULONG    ulMaxPinLen;
    CK_ULONG    ulMinPinLen;
    CK_ULONG    ulTotalPublicMemory;
    CK_ULONG    ulFreePublicMemory;
    CK_ULONG    ulTotalPrivateMemory;
    CK_ULONG    ulFreePrivateMemory;
    CK_VERSION  hardwareVersion;
    CK_VERSION  firmwareVersion;
    CK_CHAR     utcTime[16];            /* "YYYYMMDDhhmmss00" when CKF_CLOCK_ON_TOKEN is set */
} CK_TOKEN_INFO;
typedef CK_TOKEN_INFO *CK_TOKEN_INFO_PTR;

/* Returned by C_GetSessionInfo. */
typedef struct CK_SESSION_INFO {
    CK_SLOT_ID slotID;
    CK_STATE   state;                   /* CKS_RO_PUBLIC_SESSION ... CKS_RW_SO_FUNCTIONS */
    CK_FLAGS   flags;                   /* CKF_RW_SESSION, CKF_SERIAL_SESSION, CKF_ASYNC_SESSION */
    CK_ULONG   ulDeviceError;           /* module-specific error detail */
} CK_SESSION_INFO;
typedef CK_SESSION_INFO *CK_SESSION_INFO_PTR;

/* One attribute of a template. pValue == NULL asks for the length only. */
typedef struct CK_ATTRIBUTE {
    CK_ATTRIBUTE_TYPE type;
    CK_VOID_PTR       pValue;
    CK_ULONG          ulValueLen;       /* bytes; CK_UNAVAILABLE_INFORMATION on per-attribute failure */
} CK_ATTRIBUTE;
typedef CK_ATTRIBUTE *CK_ATTRIBUTE_PTR;

/* A calendar date as ASCII digits, no terminator. */
typedef struct CK_DATE {
    CK_CHAR year[4];                    /* "1900" ... "9999" */
    CK_CHAR month[2];                   /* "01" ... "12" */
    CK_CHAR day[2];                     /* "01" ... "31" */
} CK_DATE;

/* A mechanism together with its (mechanism-specific) parameter block. */
typedef struct CK_MECHANISM {
    CK_MECHANISM_TYPE mechanism;
    CK_VOID_PTR       pParameter;
    CK_ULONG          ulParameterLen;   /* bytes */
} CK_MECHANISM;
typedef CK_MECHANISM *CK_MECHANISM_PTR;

/* Returned by C_GetMechanismInfo. Key sizes are in bits or bytes depending on the mechanism. */
typedef struct CK_MECHANISM_INFO {
    CK_ULONG ulMinKeySize;
    CK_ULONG ulMaxKeySize;
    CK_FLAGS flags;                     /* CKF_ENCRYPT, CKF_SIGN, CKF_MESSAGE_*, CKF_ENCAPSULATE, ... */
} CK_MECHANISM_INFO;
typedef CK_MECHANISM_INFO *CK_MECHANISM_INFO_PTR;

/* ------------------------------------------------------------------------------------------------
 * Callbacks and C_Initialize arguments
 * ---------------------------------------------------------------------------------------------- */

/* Session notification callback passed to C_OpenSession (event is a CKN_* code). */
typedef CK_RV (*CK_NOTIFY)(CK_SESSION_HANDLE hSession, CK_NOTIFICATION event,
                           CK_VOID_PTR pApplication);

/* Application-supplied mutex primitives (see CK_C_INITIALIZE_ARGS). */
typedef CK_RV (*CK_CREATEMUTEX)(CK_VOID_PTR_PTR ppMutex);
typedef CK_RV (*CK_DESTROYMUTEX)(CK_VOID_PTR pMutex);
typedef CK_RV (*CK_LOCKMUTEX)(CK_VOID_PTR pMutex);
typedef CK_RV (*CK_UNLOCKMUTEX)(CK_VOID_PTR pMutex);

/* Optional argument of C_Initialize. Either all four mutex callbacks are set or none. */
typedef struct CK_C_INITIALIZE_ARGS {
    CK_CREATEMUTEX  CreateMutex;
    CK_DESTROYMUTEX DestroyMutex;
    CK_LOCKMUTEX    LockMutex;
    CK_UNLOCKMUTEX  UnlockMutex;
    CK_FLAGS        flags;              /* CKF_LIBRARY_CANT_CREATE_OS_THREADS, CKF_OS_LOCKING_OK */
    CK_VOID_PTR     pReserved;          /* NULL per the specification */
} CK_C_INITIALIZE_ARGS;
typedef CK_C_INITIALIZE_ARGS *CK_C_INITIALIZE_ARGS_PTR;

/* ------------------------------------------------------------------------------------------------
 * Interfaces (3.0) and asynchronous results (3.2)
 * ---------------------------------------------------------------------------------------------- */

/* One named function table. pFunctionList points at a table whose first member is a CK_VERSION
 * describing its layout (CK_FUNCTION_LIST, CK_FUNCTION_LIST_3_0 or CK_FUNCTION_LIST_3_2 for the
 * standard "PKCS 11" interface). */
typedef struct CK_INTERFACE {
    CK_UTF8CHAR_PTR pInterfaceName;     /* NUL-terminated, e.g. "PKCS 11" */
    CK_VOID_PTR     pFunctionList;
    CK_FLAGS        flags;              /* CKF_INTERFACE_FORK_SAFE */
} CK_INTERFACE;
typedef CK_INTERFACE *CK_INTERFACE_PTR;
typedef CK_INTERFACE_PTR *CK_INTERFACE_PTR_PTR;

/* Result of an asynchronous operation, filled in by C_AsyncComplete. */
typedef struct CK_ASYNC_DATA {
    CK_ULONG         ulVersion;         /* structure version, currently 1 */
    CK_BYTE_PTR      pValue;
    CK_ULONG         ulValue;
    CK_OBJECT_HANDLE hObject;
    CK_OBJECT_HANDLE hAdditionalObject;
} CK_ASYNC_DATA;
typedef CK_ASYNC_DATA *CK_ASYNC_DATA_PTR;

/* The function tables are defined in pkcs11_functions.h; the pointer types are needed earlier. */
typedef struct CK_FUNCTION_LIST CK_FUNCTION_LIST;
typedef struct CK_FUNCTION_LIST_3_0 CK_FUNCTION_LIST_3_0;
typedef struct CK_FUNCTION_LIST_3_2 CK_FUNCTION_LIST_3_2;
typedef CK_FUNCTION_LIST *CK_FUNCTION_LIST_PTR;
typedef CK_FUNCTION_LIST_PTR *CK_FUNCTION_LIST_PTR_PTR;
typedef CK_FUNCTION_LIST_3_0 *CK_FUNCTION_LIST_3_0_PTR;
typedef CK_FUNCTION_LIST_3_0_PTR *CK_FUNCTION_LIST_3_0_PTR_PTR;
typedef CK_FUNCTION_LIST_3_2 *CK_FUNCTION_LIST_3_2_PTR;
typedef CK_FUNCTION_LIST_3_2_PTR *CK_FUNCTION_LIST_3_2_PTR_PTR;

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* CRATON_PKCS11_PKCS11_TYPES_H */
