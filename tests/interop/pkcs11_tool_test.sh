#!/usr/bin/env bash
# Interop: OpenSC's pkcs11-tool drives the module through a token's whole basic life cycle.
#
# Usage: pkcs11_tool_test.sh MODULE
# Runs against a fresh temporary token directory (CRATON_HSM_CONF names a temporary config file
# with a cheap PIN KDF). Each step checks pkcs11-tool's exit status and greps its output; the first
# failing step stops the test with a message and the output it saw. Exit 77 (ctest: skipped) when
# pkcs11-tool is not installed.
#
# Environment: CRATON_TEST_PRELOAD, if set, is put in LD_PRELOAD for pkcs11-tool only (sanitizer
# builds preload their runtime into the uninstrumented client).
set -euo pipefail

module=${1:?usage: pkcs11_tool_test.sh MODULE}
[[ -f $module ]] || { echo "FAIL: module $module does not exist"; exit 1; }
if ! command -v pkcs11-tool >/dev/null; then
  echo "SKIP: pkcs11-tool not installed (Debian package opensc)"
  exit 77
fi

work=$(mktemp -d /tmp/craton-pkcs11-tool-XXXXXX)
trap 'rm -rf "$work"' EXIT
cat >"$work/craton.conf" <<EOF
directories.tokendir = $work/tokens
pin.kdf_iterations = 1000
log.file = $work/craton.log
EOF
export CRATON_HSM_CONF=$work/craton.conf
unset SOFTHSM2_CONF CRATON_HSM_TOKENDIR
cd "$work"

so_pin=so-pin-1234
user_pin=user-1234
new_pin=user-5678
label=interop
passed=0
current=""

step() {
  current=$1
  echo "--- $current"
}

fail() {
  echo "FAIL [$current]: $1"
  if [[ -f out.txt ]]; then
    echo "----- pkcs11-tool output:"
    cat out.txt
  fi
  if [[ -f craton.log ]]; then
    echo "----- module log (last 20 lines):"
    tail -n 20 craton.log
  fi
  echo "$passed passed, 1 failed"
  exit 1
}

# p11 ARGS...: runs pkcs11-tool on the module, output (stdout+stderr) in out.txt; returns its status.
p11() {
  local rc=0
  if [[ -n ${CRATON_TEST_PRELOAD:-} ]]; then
    LD_PRELOAD=$CRATON_TEST_PRELOAD pkcs11-tool --module "$module" "$@" >out.txt 2>&1 || rc=$?
  else
    pkcs11-tool --module "$module" "$@" >out.txt 2>&1 || rc=$?
  fi
  return "$rc"
}

ok() {  # ok ARGS...: pkcs11-tool must succeed
  p11 "$@" || fail "pkcs11-tool $* exited with status $?"
}

fails() {  # fails ARGS...: pkcs11-tool must fail cleanly (exit 1, not a crash)
  local rc=0
  p11 "$@" || rc=$?
  ((rc != 0)) || fail "pkcs11-tool $* succeeded but should have failed"
  ((rc == 1)) || fail "pkcs11-tool $* should have failed with status 1, got $rc"
}

expect() {  # expect REGEX [what]: the last output matches REGEX (extended)
  grep -Eq -- "$1" out.txt || fail "${2:-output} does not match /$1/"
}

reject() {  # reject REGEX [what]: the last output does not match REGEX
  if grep -Eq -- "$1" out.txt; then fail "${2:-output} unexpectedly matches /$1/"; fi
}

done_step() {
  passed=$((passed + 1))
}

user=(--token-label "$label" --login --pin "$user_pin")

step "module info (-I)"
ok -I
expect '^Cryptoki version 3\.2$' "Cryptoki version"
expect '^Manufacturer +Craton HSM Project' "manufacturer"
expect '^Library +Craton HSM PKCS#11 module' "library description"
done_step

step "slot list shows an uninitialized token (-L)"
ok -L
expect 'token state: +uninitialized'
free_slot=$(awk '/^Slot [0-9]+ /{ slot = $2 } /token state: +uninitialized/{ print slot; exit }' out.txt)
[[ -n $free_slot ]] || fail "no slot number found for the uninitialized token"
done_step

step "interfaces (--list-interfaces)"
help=$(pkcs11-tool --help 2>&1 || true)  # prints its usage (and exits 1: "--help" is not an option)
if grep -q -- '--list-interfaces' <<<"$help"; then
  ok --list-interfaces
  [[ $(grep -c "^Interface 'PKCS 11'" out.txt) -eq 3 ]] || fail "expected 3 'PKCS 11' interfaces"
  expect '^ +version: 3\.2$' "3.2 interface"
  expect '^ +version: 3\.0$' "3.0 interface"
  expect '^ +version: 2\.40$' "2.40 interface"
  done_step
else
  echo "skipped: this pkcs11-tool has no --list-interfaces option (OpenSC older than 0.22)"
fi

step "initialize the token in slot $free_slot (--init-token)"
ok --init-token --slot "$free_slot" --label "$label" --so-pin "$so_pin"
expect 'Token successfully initialized'
ok -L
expect "token label +: $label\$" "token label in -L"
expect 'token flags +:.*token initialized' "token flags"
reject 'token flags +:.*PIN initialized' "token flags before --init-pin"
done_step

step "initialize the user PIN (--init-pin as SO)"
ok --token-label "$label" --login --login-type so --so-pin "$so_pin" --init-pin --pin "$user_pin"
expect 'User PIN successfully initialized'
ok -L
expect 'token flags +:.*PIN initialized' "token flags after --init-pin"
done_step

step "log in and list objects of the empty token (--login -O)"
ok "${user[@]}" -O
reject 'Data object|Certificate Object' "object list of the new token"
done_step

step "write and read back data objects (--write-object/--read-object --type data)"
printf 'first data object\n' >data1.txt
head -c 3000 /dev/urandom >data2.bin
ok "${user[@]}" --write-object data1.txt --type data --label data-one
expect 'Created Data Object' "write data-one"
ok "${user[@]}" --write-object data2.bin --type data --label data-two --application-label craton-test
expect "label: +'data-two'" "write data-two"
ok "${user[@]}" --read-object --type data --label data-one --output-file data1.read
cmp -s data1.txt data1.read || fail "data-one read back differs from what was written"
ok "${user[@]}" --read-object --type data --label data-two --output-file data2.read
cmp -s data2.bin data2.read || fail "data-two read back differs from what was written"
done_step

step "a private data object is invisible without login (--private)"
printf 'secret data\n' >private.txt
ok "${user[@]}" --write-object private.txt --type data --label data-private --private
expect 'private' "flags of the private object"
ok --token-label "$label" -O
expect "label: +'data-one'" "public objects without login"
reject "data-private" "object list without login"
ok "${user[@]}" -O
expect "label: +'data-private'" "object list with login"
done_step

step "write and read back a certificate (--type cert --id 01)"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout key.pem \
  -subj "/CN=Craton interop/O=Craton HSM" -days 30 -outform DER -out cert.der >openssl.log 2>&1 ||
  fail "openssl could not make a certificate: $(cat openssl.log)"
ok "${user[@]}" --write-object cert.der --type cert --label interop-cert --id 01
expect 'Created certificate' "write certificate"
expect 'subject: +DN: CN=Craton interop' "certificate subject"
expect '^ +ID: +01$' "certificate id"
ok "${user[@]}" --read-object --type cert --id 01 --output-file cert.read
cmp -s cert.der cert.read || fail "certificate read back (by id) differs"
ok "${user[@]}" --read-object --type cert --label interop-cert --output-file cert.read2
cmp -s cert.der cert.read2 || fail "certificate read back (by label) differs"
done_step

step "list all objects (-O)"
ok "${user[@]}" -O
[[ $(grep -c '^Data object' out.txt) -eq 3 ]] || fail "expected 3 data objects"
[[ $(grep -c '^Certificate Object' out.txt) -eq 1 ]] || fail "expected 1 certificate"
expect 'label: +interop-cert' "certificate in the list"
ok "${user[@]}" -O --type cert
reject '^Data object' "list filtered by --type cert"
done_step

step "delete a data object (--delete-object --type data --label)"
ok "${user[@]}" --delete-object --type data --label data-one
ok "${user[@]}" -O
reject "label: +'data-one'" "object list after deleting data-one"
expect "label: +'data-two'" "object list after deleting data-one"
fails "${user[@]}" --read-object --type data --label data-one --output-file gone.read
done_step

step "delete the certificate (--delete-object --type cert --id 01)"
ok "${user[@]}" --delete-object --type cert --id 01
ok "${user[@]}" -O
reject 'Certificate Object' "object list after deleting the certificate"
fails "${user[@]}" --read-object --type cert --id 01 --output-file gone.der
done_step

step "login with a wrong PIN fails"
fails --token-label "$label" --login --pin wrong-pin -O
expect 'CKR_PIN_INCORRECT' "error of the failed login"
ok -L
expect 'token flags +:.*user PIN count low' "token flags after a failed login"
ok "${user[@]}" -O  # a good login resets the counter
ok -L
reject 'user PIN count low' "token flags after a good login"
done_step

step "change the user PIN (--change-pin)"
ok --token-label "$label" --login --pin "$user_pin" --change-pin --new-pin "$new_pin"
expect 'PIN successfully changed'
ok --token-label "$label" --login --pin "$new_pin" -O
expect "label: +'data-two'" "objects after logging in with the new PIN"
fails --token-label "$label" --login --pin "$user_pin" -O
expect 'CKR_PIN_INCORRECT' "login with the old PIN"
done_step

echo "pkcs11-tool interop: $passed passed, 0 failed"
