#!/usr/bin/env bash
# Interop: GnuTLS p11tool and certtool (Debian package gnutls-bin, through p11-kit) list the token,
# generate ECDSA and RSA keys, test-sign with them, export their public keys, store a certificate,
# and certtool makes a self-signed certificate with a token key. Results are cross-checked with
# plain openssl.
#
# Usage: p11tool_test.sh MODULE   (our libcratonhsm.so, or libsofthsm2.so to validate)
# `--provider MODULE` makes p11-kit load only that module (no system modules from
# /usr/share/p11-kit/modules). The PIN is given with --set-pin on some commands and GNUTLS_PIN on
# others, so both ways are exercised.
# Exit 77 (ctest: skipped) when p11tool, certtool, pkcs11-tool or openssl is missing.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/interop_lib.sh"
interop_begin p11tool "${1:-}" p11tool certtool pkcs11-tool openssl

label=gnutls
pin="user-1234"
make_token "$label" so-pin-1234 "$pin"
token="pkcs11:token=$label"
unset GNUTLS_PIN GNUTLS_SO_PIN

pt() {
  tmo p11tool --provider "$module" "$@"
}

step "p11tool --list-tokens shows the token"
ok pt --list-tokens
expect "^	Label: $label\$" "token label"
expect "^	URL: pkcs11:.*token=$label" "token URL"
expect 'Flags:.*Requires login' "token flags"
done_step

step "p11tool --list-all on the empty token (without and with login)"
# p11tool exits 2 with "No matching objects found" for an empty list
fails pt --list-all "$token"
expect '^No matching objects found' "object list of the empty token"
fails pt --login --set-pin "$pin" --list-all "$token"
expect '^No matching objects found' "object list of the empty token after login"
done_step

step "a wrong PIN is refused"
fails pt --login --set-pin wrong-pin --list-all "$token"
expect 'Wrong PIN' "error of the failed login"
done_step

step "generate an ECDSA secp256r1 key (--generate-privkey ECDSA --curve secp256r1 --login)"
ok pt --login --set-pin "$pin" --generate-privkey ECDSA --curve secp256r1 --label gt-ec --id 0a \
  --outfile ec-gen.pem "$token"
plain_openssl pkey -pubin -in ec-gen.pem -noout -text
grep -q 'NIST CURVE: P-256' openssl.txt || fail "generated public key is not P-256"
done_step

step "generate an RSA-2048 key (--generate-privkey RSA --bits 2048), PIN from GNUTLS_PIN"
export GNUTLS_PIN=$pin
ok pt --login --generate-privkey RSA --bits 2048 --label gt-rsa --id 0b --outfile rsa-gen.pem "$token"
plain_openssl pkey -pubin -in rsa-gen.pem -noout -text
grep -q 'Public-Key: (2048 bit)' openssl.txt || fail "generated public key is not RSA-2048"
done_step

step "p11tool --list-all / --list-privkeys show both key pairs"
ok pt --login --list-privkeys "$token"
expect 'Type: Private key \(EC/ECDSA-SECP256R1\)' "EC private key"
expect 'Type: Private key \(RSA-2048\)' "RSA private key"
expect 'Label: gt-ec' "EC label"
expect 'Label: gt-rsa' "RSA label"
ok pt --list-all "$token"
expect 'Type: Public key \(EC/ECDSA-SECP256R1\)' "EC public key (no login)"
expect 'Type: Public key \(RSA-2048\)' "RSA public key (no login)"
reject 'Type: Private key' "private keys listed without login"
done_step

step "--test-sign with the ECDSA key (SHA-256 and SHA-384)"
ok pt --login --test-sign "$token;object=gt-ec;type=private"
expect 'Signing using ECDSA-SHA256\.\.\. ok'
expect 'Verifying against public key in the token\.\.\. ok'
ok pt --login --test-sign --hash SHA384 "$token;object=gt-ec;type=private"
expect 'Signing using ECDSA-SHA384\.\.\. ok'
expect 'Verifying against public key in the token\.\.\. ok'
done_step

step "--test-sign with the RSA key (PKCS#1 v1.5 and RSA-PSS)"
ok pt --login --test-sign "$token;object=gt-rsa;type=private"
expect 'Signing using RSA-SHA256\.\.\. ok'
expect 'Verifying against public key in the token\.\.\. ok'
ok pt --login --test-sign --sign-params RSA-PSS "$token;object=gt-rsa;type=private"
expect 'Signing using RSA-PSS-SHA256\.\.\. ok'
expect 'Verifying against public key in the token\.\.\. ok'
done_step

step "--export-pubkey gives the keys that generation printed, also readable by pkcs11-tool"
ok pt --login --export-pubkey "$token;object=gt-ec;type=private" --outfile ec-exp.pem
cmp -s ec-exp.pem ec-gen.pem || fail "exported EC public key differs from the generated one"
ok pt --export-pubkey "$token;object=gt-rsa;type=public" --outfile rsa-exp.pem
cmp -s rsa-exp.pem rsa-gen.pem || fail "exported RSA public key differs from the generated one"
ok p11 --token-label "$label" --read-object --type pubkey --label gt-rsa --output-file rsa-p11.der
openssl pkey -pubin -in rsa-exp.pem -outform DER -out rsa-exp.der
cmp -s rsa-p11.der rsa-exp.der || fail "pkcs11-tool and p11tool export different RSA public keys"
done_step

step "certtool --generate-self-signed with each token key; openssl verifies the certificates"
cat >cert.tmpl <<EOF
cn = "Craton p11tool"
serial = 7
expiration_days = 2
ca
cert_signing_key
EOF
for kind in ec rsa; do
  ok certtool --provider "$module" --generate-self-signed \
    --load-privkey "$token;object=gt-$kind;type=private" --template cert.tmpl --outfile "$kind-cert.pem"
  plain_openssl verify -CAfile "$kind-cert.pem" "$kind-cert.pem"
  grep -q ": OK" openssl.txt || fail "openssl does not verify the $kind certificate"
  openssl x509 -in "$kind-cert.pem" -noout -pubkey | cmp -s - "$kind-gen.pem" ||
    fail "the $kind certificate does not hold the token's public key"
done
done_step

step "p11tool --write stores a certificate; --list-all-certs, --list-certs and pkcs11-tool read it back"
ok pt --login --write --load-certificate ec-cert.pem --label gt-cert "$token"
expect 'will re-use ID' "p11tool links the certificate to the key pair by CKA_ID"
unset GNUTLS_PIN
# --list-certs shows only certificates with a private key (needs login); --list-all-certs all.
ok pt --list-all-certs "$token"
expect 'Type: X\.509 Certificate \(EC/ECDSA-SECP256R1\)' "certificate type"
expect 'Label: gt-cert' "certificate label"
ok pt --login --set-pin "$pin" --list-certs "$token"
expect 'Label: gt-cert' "certificate with its private key"
ok p11 --token-label "$label" --read-object --type cert --label gt-cert --output-file cert.der
openssl x509 -in ec-cert.pem -outform DER -out ec-cert.der
cmp -s cert.der ec-cert.der || fail "certificate read back differs"
done_step

step "--delete removes the RSA key pair"
export GNUTLS_PIN=$pin
ok pt --login --batch --delete "$token;object=gt-rsa"
ok pt --login --list-privkeys "$token"
reject 'Label: gt-rsa' "private keys after the delete"
expect 'Label: gt-ec' "private keys after the delete"
done_step

finish
