#!/usr/bin/env bash
# Interop: OpenSSL 3 uses token keys through libp11's PKCS#11 engine (Debian package
# libengine-pkcs11-openssl): signing and decryption with `pkcs11:` URIs, and a self-signed
# certificate made by `openssl req -x509 -engine pkcs11`. Every engine result is checked with plain
# openssl (no engine) against the public key pkcs11-tool exported from the token.
#
# Usage: openssl_engine_test.sh MODULE   (our libcratonhsm.so, or libsofthsm2.so to validate)
# The engine gets the module from MODULE_PATH in an openssl.cnf generated in the temp dir
# (OPENSSL_CONF), and the PIN from that file too.
#
# No Ed25519 key goes on this token: libp11 0.4.12 segfaults enumerating a token that holds one
# (PKCS11-FACTS 5.3), a client bug unrelated to the module.
# Exit 77 (ctest: skipped) when openssl, pkcs11-tool or the engine is not installed.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/interop_lib.sh"
interop_begin openssl-engine "${1:-}" openssl pkcs11-tool

engines_dir=$(openssl version -e | sed -n 's/^ENGINESDIR: "\(.*\)"$/\1/p')
engine_so=$engines_dir/pkcs11.so
if [[ ! -f $engine_so ]]; then
  echo "SKIP: $engine_so missing (Debian package libengine-pkcs11-openssl)"
  exit 77
fi

label=engine
pin="user-1234"
make_token "$label" so-pin-1234 "$pin"
user=(--token-label "$label" --login --pin "$pin")

cat >openssl.cnf <<EOF
openssl_conf = openssl_init

[openssl_init]
engines = engine_section

[engine_section]
pkcs11 = pkcs11_section

[pkcs11_section]
engine_id = pkcs11
dynamic_path = $engine_so
MODULE_PATH = $module
PIN = $pin
init = 0

[req]
distinguished_name = req_dn

[req_dn]
EOF

# eng ARGS...: openssl with our openssl.cnf (the engine loads the module into this process).
eng() {
  OPENSSL_CONF=$work/openssl.cnf tmo openssl "$@"
}

rsa_uri="pkcs11:token=$label;id=%01;type=private"
ec_uri="pkcs11:token=$label;object=ec-p256;type=private"

step "generate RSA-2048 and EC P-256 keys with pkcs11-tool, export the public keys"
ok p11 "${user[@]}" --keypairgen --key-type rsa:2048 --label rsa-2048 --id 01
expect 'Public Key Object; RSA 2048 bits'
ok p11 "${user[@]}" --keypairgen --key-type EC:prime256v1 --label ec-p256 --id 02
expect 'EC_POINT 256 bits'
point=$(ec_point_hex out.txt 65) || fail "CKA_EC_POINT is neither DER nor a 65-byte point"
ok p11 "${user[@]}" --read-object --type pubkey --id 01 --output-file rsa.der
plain_openssl pkey -pubin -inform DER -in rsa.der -out rsa.pem
ec_spki ec.der p256 "$point"  # not pkcs11-tool's EC export: see ec_spki in interop_lib.sh
plain_openssl pkey -pubin -inform DER -in ec.der -out ec.pem
done_step

head -c 3000 /dev/urandom >msg.bin
openssl dgst -sha256 -binary msg.bin >msg.sha256
cp msg.bin tampered.bin
tamper tampered.bin 100

step "the engine loads and finds the keys"
ok eng engine -t pkcs11
expect '\[ available \]' "engine status"
done_step

step "RSA PKCS#1 v1.5 signature by URI (openssl dgst -engine), verified by plain openssl"
ok eng dgst -engine pkcs11 -keyform engine -sign "$rsa_uri" -sha256 -out rsa.sig msg.bin
plain_openssl dgst -sha256 -verify rsa.pem -signature rsa.sig msg.bin
grep -q 'Verified OK' openssl.txt || fail "plain openssl rejects the engine's RSA signature"
fails openssl dgst -sha256 -verify rsa.pem -signature rsa.sig tampered.bin
expect 'Verification failure' "verification of a tampered message"
done_step

step "RSA-PSS signature by URI (openssl pkeyutl -engine), verified by plain openssl"
ok eng pkeyutl -engine pkcs11 -keyform engine -sign -inkey "$rsa_uri" -in msg.sha256 -out pss.sig \
  -pkeyopt digest:sha256 -pkeyopt rsa_padding_mode:pss -pkeyopt rsa_pss_saltlen:32
plain_openssl pkeyutl -verify -pubin -inkey rsa.pem -in msg.sha256 -sigfile pss.sig \
  -pkeyopt digest:sha256 -pkeyopt rsa_padding_mode:pss -pkeyopt rsa_pss_saltlen:32
grep -q 'Signature Verified Successfully' openssl.txt || fail "plain openssl rejects the PSS signature"
done_step

step "ECDSA P-256 signature by URI (object= label), verified by plain openssl"
ok eng dgst -engine pkcs11 -keyform engine -sign "$ec_uri" -sha256 -out ec.sig msg.bin
plain_openssl dgst -sha256 -verify ec.pem -signature ec.sig msg.bin
grep -q 'Verified OK' openssl.txt || fail "plain openssl rejects the engine's ECDSA signature"
fails openssl dgst -sha256 -verify ec.pem -signature ec.sig tampered.bin
done_step

step "RSA decryption by URI (PKCS#1 v1.5 and OAEP): plain openssl encrypts, the engine decrypts"
head -c 100 /dev/urandom >secret.bin
plain_openssl pkeyutl -encrypt -pubin -inkey rsa.pem -in secret.bin -out v15.ct
ok eng pkeyutl -engine pkcs11 -keyform engine -decrypt -inkey "$rsa_uri" -in v15.ct -out v15.pt
cmp -s v15.pt secret.bin || fail "PKCS#1 v1.5 decryption differs"
plain_openssl pkeyutl -encrypt -pubin -inkey rsa.pem -in secret.bin -out oaep.ct -pkeyopt rsa_padding_mode:oaep
ok eng pkeyutl -engine pkcs11 -keyform engine -decrypt -inkey "$rsa_uri" -in oaep.ct -out oaep.pt \
  -pkeyopt rsa_padding_mode:oaep
cmp -s oaep.pt secret.bin || fail "OAEP decryption differs"
done_step

# check_cert PEM PUBDER: openssl verify accepts the self-signed PEM, and its key is the token's.
check_cert() {
  plain_openssl verify -CAfile "$1" "$1"
  grep -q "^$1: OK" openssl.txt || fail "openssl verify does not accept $1"
  plain_openssl x509 -in "$1" -noout -text
  grep -q 'Version: 3' openssl.txt || fail "$1 is not an X.509 v3 certificate"
  grep -q "Subject: CN = $3" openssl.txt || fail "$1 has the wrong subject"
  grep -q "Signature Algorithm: $4" openssl.txt || fail "$1 is not signed with $4"
  grep -q 'CA:TRUE' openssl.txt || fail "$1 lost its basicConstraints"
  openssl x509 -in "$1" -noout -pubkey | openssl pkey -pubin -outform DER >"$1.pub.der"
  cmp -s "$1.pub.der" "$2" || fail "the public key in $1 is not the token's"
}

step "openssl req -new -x509 -engine pkcs11 with the EC key: self-signed certificate verifies"
ok eng req -new -x509 -engine pkcs11 -keyform engine -key "pkcs11:token=$label;id=%02;type=private" \
  -subj "/CN=Craton engine EC" -days 2 -sha256 -out ec-cert.pem \
  -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,digitalSignature
check_cert ec-cert.pem ec.der "Craton engine EC" ecdsa-with-SHA256
done_step

step "openssl req -new -x509 -engine pkcs11 with the RSA key: self-signed certificate verifies"
ok eng req -new -x509 -engine pkcs11 -keyform engine -key "$rsa_uri" \
  -subj "/CN=Craton engine RSA" -days 2 -sha256 -out rsa-cert.pem \
  -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,digitalSignature
check_cert rsa-cert.pem rsa.der "Craton engine RSA" sha256WithRSAEncryption
done_step

# No negative test with a URI that names no key: openssl 3.0 + libp11 0.4.12 print "private key was
# not found" and then segfault (exit 139) with SoftHSMv2 too, a client bug.

finish
