#!/usr/bin/env bash
# Build check: the module exports exactly the PKCS#11 3.2 entry points and is built hardened.
#
# Usage: export_check.sh MODULE [SANITIZERS]
#   MODULE      the built libcratonhsm.so
#   SANITIZERS  the build's CRATON_SANITIZE value; FORTIFY is off in sanitizer builds (it conflicts
#               with ASan's interceptors), so its check is skipped there.
# Checks: (1) `nm -D --defined-only` lists exactly the 104 C_* functions of PKCS#11 3.2 and nothing
# else; (2) BIND_NOW (full RELRO) and a GNU_RELRO segment; (3) a non-executable stack; (4) stack
# protector (__stack_chk_fail referenced); (5) FORTIFY (__*_chk functions referenced).
set -euo pipefail
export LC_ALL=C

module=${1:?usage: export_check.sh MODULE [SANITIZERS]}
sanitizers=${2:-}
[[ -f $module ]] || { echo "FAIL: $module does not exist"; exit 1; }
for t in nm readelf; do
  command -v "$t" >/dev/null || { echo "FAIL: $t not found (Debian package binutils)"; exit 1; }
done

passed=0
failed=0
pass() { echo "ok:   $1"; passed=$((passed + 1)); }
bad() { echo "FAIL: $1"; failed=$((failed + 1)); }

# The function list of PKCS#11 3.2 (CK_FUNCTION_LIST_3_2), sorted.
expected=$(sort <<'EOF'
C_AsyncComplete C_AsyncGetID C_AsyncJoin C_CancelFunction
C_CloseAllSessions C_CloseSession C_CopyObject C_CreateObject
C_DecapsulateKey C_Decrypt C_DecryptDigestUpdate C_DecryptFinal
C_DecryptInit C_DecryptMessage C_DecryptMessageBegin C_DecryptMessageNext
C_DecryptUpdate C_DecryptVerifyUpdate C_DeriveKey C_DestroyObject
C_Digest C_DigestEncryptUpdate C_DigestFinal C_DigestInit
C_DigestKey C_DigestUpdate C_EncapsulateKey C_Encrypt
C_EncryptFinal C_EncryptInit C_EncryptMessage C_EncryptMessageBegin
C_EncryptMessageNext C_EncryptUpdate C_Finalize C_FindObjects
C_FindObjectsFinal C_FindObjectsInit C_GenerateKey C_GenerateKeyPair
C_GenerateRandom C_GetAttributeValue C_GetFunctionList C_GetFunctionStatus
C_GetInfo C_GetInterface C_GetInterfaceList C_GetMechanismInfo
C_GetMechanismList C_GetObjectSize C_GetOperationState C_GetSessionInfo
C_GetSessionValidationFlags C_GetSlotInfo C_GetSlotList C_GetTokenInfo
C_InitPIN C_InitToken C_Initialize C_Login
C_LoginUser C_Logout C_MessageDecryptFinal C_MessageDecryptInit
C_MessageEncryptFinal C_MessageEncryptInit C_MessageSignFinal C_MessageSignInit
C_MessageVerifyFinal C_MessageVerifyInit C_OpenSession C_SeedRandom
C_SessionCancel C_SetAttributeValue C_SetOperationState C_SetPIN
C_Sign C_SignEncryptUpdate C_SignFinal C_SignInit
C_SignMessage C_SignMessageBegin C_SignMessageNext C_SignRecover
C_SignRecoverInit C_SignUpdate C_UnwrapKey C_UnwrapKeyAuthenticated
C_Verify C_VerifyFinal C_VerifyInit C_VerifyMessage
C_VerifyMessageBegin C_VerifyMessageNext C_VerifyRecover C_VerifyRecoverInit
C_VerifySignature C_VerifySignatureFinal C_VerifySignatureInit C_VerifySignatureUpdate
C_VerifyUpdate C_WaitForSlotEvent C_WrapKey C_WrapKeyAuthenticated
EOF
)
expected=$(tr ' ' '\n' <<<"$expected" | sed '/^$/d' | sort)
[[ $(wc -l <<<"$expected") -eq 104 ]] || { echo "FAIL: the expected list in this test does not have 104 names"; exit 1; }

# (1) exported symbols: name only, version suffix (if any) dropped
actual=$(nm -D --defined-only "$module" | awk 'NF >= 3 { sub(/@.*/, "", $3); print $3 }' | sort)
if [[ $actual == "$expected" ]]; then
  pass "exports exactly the 104 PKCS#11 3.2 functions"
else
  bad "exported symbols differ from the PKCS#11 3.2 list (< missing, > unexpected):"
  diff <(echo "$expected") <(echo "$actual") | grep '^[<>]' | sed 's/^/        /' || true
fi
functions=$(nm -D --defined-only "$module" | awk '$2 == "T" { n++ } END { print n + 0 }')
[[ $functions -eq 104 ]] && pass "all 104 exports are functions (T)" || bad "$functions of the exports are functions, expected 104"

# (2) full RELRO
dynamic=$(readelf -dW "$module")
if grep -Eq '\(FLAGS\).*BIND_NOW' <<<"$dynamic" || grep -Eq '\(FLAGS_1\).*\bNOW\b' <<<"$dynamic"; then
  pass "BIND_NOW / FLAGS_1 NOW (-z now)"
else
  bad "no BIND_NOW or FLAGS_1 NOW in the dynamic section"
fi
segments=$(readelf -lW "$module")
grep -q 'GNU_RELRO' <<<"$segments" && pass "GNU_RELRO segment (-z relro)" || bad "no GNU_RELRO segment"

# (3) non-executable stack
stack=$(grep -E '^ *GNU_STACK' <<<"$segments" || true)
if [[ -n $stack && $stack != *RWE* ]]; then
  pass "non-executable stack (GNU_STACK without E)"
else
  bad "executable or missing GNU_STACK: ${stack:-none}"
fi

# (4), (5) stack protector and FORTIFY
undefined=$(nm -D --undefined-only "$module" | awk '{ sub(/@.*/, "", $2); print $2 }')
grep -qx '__stack_chk_fail' <<<"$undefined" && pass "stack protector (__stack_chk_fail)" ||
  bad "no __stack_chk_fail reference: built without -fstack-protector-strong?"
if [[ -n $sanitizers ]]; then
  echo "skip: FORTIFY check (sanitizer build '$sanitizers' compiles without _FORTIFY_SOURCE)"
else
  fortified=$(grep -E '^__.*_chk$' <<<"$undefined" | grep -vx '__stack_chk_fail' | tr '\n' ' ' || true)
  [[ -n $fortified ]] && pass "FORTIFY_SOURCE (${fortified% })" ||
    bad "no __*_chk function referenced: built without -D_FORTIFY_SOURCE?"
fi

echo "export check: $passed passed, $failed failed"
((failed == 0))
