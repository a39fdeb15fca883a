#!/usr/bin/env bash
# Interop: Java 17's SunPKCS11 provider (openjdk-17-jdk-headless) uses the token through the JCA:
# KeyStore login, EC and RSA key pairs from KeyPairGenerator, SHA256withECDSA / SHA256withRSA,
# AES/GCM/NoPadding with a KeyGenerator key, all checked against the JDK's software providers.
# java/SunPkcs11Test.java is compiled with javac at test time into the temp dir.
#
# Usage: java_test.sh MODULE   (our libcratonhsm.so, or libsofthsm2.so to validate)
# The provider configuration names the slot by slotListIndex (its position in C_GetSlotList, the
# "Slot N" number pkcs11-tool -L prints), which sidesteps SoftHSM's large renumbered slot ids.
# Exit 77 (ctest: skipped) when java, javac or pkcs11-tool is missing.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/interop_lib.sh"
interop_begin java "${1:-}" java javac pkcs11-tool

label=java-token
pin="user-1234"
make_token "$label" so-pin-1234 "$pin"

step "find the token's slot list index"
ok p11 -L
index=$(awk -v l="$label" '/^Slot [0-9]+ /{ s = $2 } $0 ~ "token label +: " l "$" { print s; exit }' out.txt)
[[ $index =~ ^[0-9]+$ ]] || fail "no slot shows token label $label"
cat >sunpkcs11.cfg <<CFG
name = Craton
library = $module
slotListIndex = $index
CFG
done_step

step "compile SunPkcs11Test.java"
mkdir classes
# javac runs without the preload: it does not load the module.
javac -d classes "$here/java/SunPkcs11Test.java" >out.txt 2>&1 || fail "javac failed"
done_step

step "run SunPkcs11Test against the token"
rm -f out.txt  # the Java output is printed whole below; fail() need not repeat it
rc=0
run java.txt java -cp classes SunPkcs11Test "$work/sunpkcs11.cfg" "$pin" || rc=$?
cat java.txt
((rc == 0)) || fail "SunPkcs11Test exited with status $rc"
grep -Eq '^SunPKCS11: [1-9][0-9]* passed, 0 failed$' java.txt || fail "no clean SunPkcs11Test summary"
done_step

finish
