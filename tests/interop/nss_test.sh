#!/usr/bin/env bash
# Interop: NSS 3.87 tools (Debian package libnss3-tools) load the module into a fresh NSS database
# (modutil, which takes the module through C_GetInterface, PKCS11-FACTS 5.2), list the token's
# certificate, read it back byte for byte, and make a key pair and a self-signed certificate on the
# token with certutil -S, which openssl then verifies.
#
# Usage: nss_test.sh MODULE   (our libcratonhsm.so, or libsofthsm2.so to validate)
# The token PIN reaches certutil through a password file (-f); without a terminal NSS cannot ask.
# Exit 77 (ctest: skipped) when certutil, modutil, pkcs11-tool or openssl is missing.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/interop_lib.sh"
interop_begin nss "${1:-}" certutil modutil pkcs11-tool openssl

label=nss-token
pin="user-1234"
make_token "$label" so-pin-1234 "$pin"
db=sql:$work/nssdb
mkdir nssdb
printf '%s\n' "$pin" >pwfile
head -c 64 /dev/urandom >noise

step "fresh NSS database (certutil -N --empty-password)"
ok certutil -N -d "$db" --empty-password
ok certutil -L -d "$db"
[[ $(grep -cE '^[^ ].* [a-zA-Z]*,[a-zA-Z]*,[a-zA-Z]*$' out.txt) -eq 0 ]] || fail "the new database lists certificates"
done_step

step "modutil -add craton -libfile MODULE -force"
ok modutil -add craton -libfile "$module" -dbdir "$db" -force
expect 'Module "craton" added to database' "modutil -add"
done_step

step "modutil -list shows the module loaded with the token"
ok modutil -list -dbdir "$db"
expect '^ *[0-9]+\. craton$' "module entry"
expect "library name: $module\$" "library path"
expect 'status: loaded' "module status"
expect "token: $label\$" "token label"
ok modutil -list craton -dbdir "$db"
expect "Token Name: $label" "token details"
done_step

step "put a certificate on the token (pkcs11-tool --write-object --type cert)"
openssl req -x509 -newkey rsa:2048 -nodes -keyout cert-key.pem -subj "/CN=Craton NSS interop/O=Craton HSM" \
  -days 30 -outform DER -out cert.der >openssl.txt 2>&1 || fail "openssl req failed: $(cat openssl.txt)"
ok p11 --token-label "$label" --login --pin "$pin" --write-object cert.der --type cert --label nss-cert --id 01
expect 'Created certificate'
done_step

step "certutil -L -h all lists the token's certificate"
ok certutil -L -h all -d "$db" -f pwfile
expect "^$label:nss-cert +" "token certificate in certutil -L -h all"
ok certutil -L -h "$label" -d "$db" -f pwfile
expect "^$label:nss-cert +" "token certificate in certutil -L -h $label"
done_step

step "certutil -L -n TOKEN:LABEL -r reads the same DER back"
stdout_to nss-read.der certutil -L -n "$label:nss-cert" -h "$label" -d "$db" -f pwfile -r
cmp -s nss-read.der cert.der || fail "certificate read by NSS differs from the one written"
ok certutil -L -n "$label:nss-cert" -h "$label" -d "$db" -f pwfile
expect 'Subject: "O=Craton HSM,CN=Craton NSS interop"' "certificate subject as NSS prints it"
done_step

step "certutil -S makes an EC P-256 key pair and a self-signed certificate on the token"
ok certutil -S -s "CN=NSS on token" -n nss-self -x -t "CT,," -k ec -q nistp256 -h "$label" \
  -d "$db" -f pwfile -z noise -v 2
ok certutil -K -h "$label" -d "$db" -f pwfile
expect "ec +[0-9a-f]+ +$label:nss-self\$|ec +[0-9a-f]+ +nss-self\$" "the new private key in certutil -K"
ok certutil -L -h "$label" -d "$db" -f pwfile
expect "^$label:nss-self +CTu,u,u" "the new certificate and its trust"
stdout_to self.der certutil -L -n "$label:nss-self" -h "$label" -d "$db" -f pwfile -r
plain_openssl x509 -inform DER -in self.der -out self.pem
plain_openssl verify -CAfile self.pem self.pem
grep -q 'self.pem: OK' openssl.txt || fail "openssl does not verify NSS's token-signed certificate"
plain_openssl x509 -in self.pem -noout -text
grep -q 'NIST CURVE: P-256' openssl.txt || fail "the certificate key is not P-256"
grep -q 'Signature Algorithm: ecdsa-with-SHA256' openssl.txt || fail "not signed with ECDSA-SHA256"
done_step

step "pkcs11-tool sees what NSS created"
ok p11 --token-label "$label" --login --pin "$pin" -O
expect 'Private Key Object; EC' "NSS's private key"
expect 'label: +nss-self' "NSS's certificate label"
done_step

finish
