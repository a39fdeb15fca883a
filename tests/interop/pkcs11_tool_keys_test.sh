#!/usr/bin/env bash
# Interop: OpenSC's pkcs11-tool generates keys on the token and uses them; every result is checked
# independently with the openssl command line (signatures verified against the exported public
# key, ciphertexts made by openssl decrypted on the token and compared byte for byte).
#
# Usage: pkcs11_tool_keys_test.sh MODULE
#   MODULE is our libcratonhsm.so or, to validate the test itself, SoftHSMv2's libsofthsm2.so.
# Steps SoftHSM 2.6.1 cannot do are reported as skipped against SoftHSM only (see interop_lib.sh).
# Exit 77 (ctest: skipped) when pkcs11-tool or openssl is not installed.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/interop_lib.sh"
interop_begin pkcs11-tool-keys "${1:-}" pkcs11-tool openssl

label=keys
make_token "$label" so-pin-1234 user-1234
user=(--token-label "$label" --login --pin user-1234)

step "pkcs11-tool --test --login on the empty token"
ok p11 "${user[@]}" --test
expect '^No errors' "--test summary"
reject 'error:|ERR' "--test output"
done_step

step "generate RSA-2048 (id 01)"
ok p11 "${user[@]}" --keypairgen --key-type rsa:2048 --label rsa2048 --id 01
expect '^Key pair generated' "keygen"
expect 'Public Key Object; RSA 2048 bits' "public key"
expect 'Private Key Object; RSA' "private key"
done_step

step "generate EC P-256 (id 02) and P-384 (id 03)"
ok p11 "${user[@]}" --keypairgen --key-type EC:prime256v1 --label p256 --id 02
expect 'EC_POINT 256 bits' "P-256 public key"
expect 'EC_PARAMS: +06082a8648ce3d030107' "P-256 CKA_EC_PARAMS (OID 1.2.840.10045.3.1.7)"
p256_point=$(ec_point_hex out.txt 65) || fail "P-256 CKA_EC_POINT is neither DER nor a 65-byte point"
ok p11 "${user[@]}" --keypairgen --key-type EC:secp384r1 --label p384 --id 03
expect 'EC_POINT 384 bits' "P-384 public key"
expect 'EC_PARAMS: +06052b81040022' "P-384 CKA_EC_PARAMS (OID 1.3.132.0.34)"
p384_point=$(ec_point_hex out.txt 97) || fail "P-384 CKA_EC_POINT is neither DER nor a 97-byte point"
[[ ${p256_point:0:2} == 04 && ${p384_point:0:2} == 04 ]] || fail "EC points are not uncompressed"
done_step

step "generate Ed25519 (--key-type EC:edwards25519, id 04)"
ok p11 "${user[@]}" --keypairgen --key-type EC:edwards25519 --label ed25519 --id 04
expect 'Private Key Object; EC_EDWARDS' "private key"
expect 'Public Key Object; EC_EDWARDS' "public key"
done_step

step "generate AES-256 (--keygen --key-type AES:32, id 05) and import a known AES-256 key (id 06)"
ok p11 "${user[@]}" --keygen --key-type AES:32 --label aes-gen --id 05
expect 'Secret Key Object; AES length 32' "generated key"
head -c 32 /dev/urandom >aes.key
ok p11 "${user[@]}" --write-object aes.key --type secrkey --key-type AES:32 --label aes-known --id 06
expect 'Secret Key Object; AES length 32' "imported key"
done_step

step "export the public keys (--read-object --type pubkey) and check them with openssl"
ok p11 "${user[@]}" --read-object --type pubkey --id 01 --output-file rsa.der
plain_openssl pkey -pubin -inform DER -in rsa.der -out rsa.pem
plain_openssl pkey -pubin -in rsa.pem -noout -text
grep -q 'Public-Key: (2048 bit)' openssl.txt || fail "openssl does not see a 2048-bit RSA key"
# EC keys: the SubjectPublicKeyInfo is built from CKA_EC_POINT (see ec_spki in interop_lib.sh for
# the pkcs11-tool 0.23 export bugs); pkcs11-tool's own P-256 export is compared with it.
ec_spki p256.der p256 "$p256_point"
plain_openssl pkey -pubin -inform DER -in p256.der -out p256.pem
plain_openssl pkey -pubin -in p256.pem -noout -text
grep -q 'NIST CURVE: P-256' openssl.txt || fail "openssl does not accept the P-256 point"
if [[ -z ${CRATON_TEST_PRELOAD:-} ]]; then
  ok p11 "${user[@]}" --read-object --type pubkey --id 02 --output-file p256-export.der
  cmp -s p256-export.der p256.der || fail "pkcs11-tool's P-256 export differs from CKA_EC_POINT"
else
  echo "    (pkcs11-tool's own EC export not run under the sanitizer preload: heap-use-after-free in pkcs11-tool 0.23)"
fi
ec_spki p384.der p384 "$p384_point"
plain_openssl pkey -pubin -inform DER -in p384.der -out p384.pem
plain_openssl pkey -pubin -in p384.pem -noout -text
grep -q 'NIST CURVE: P-384' openssl.txt || fail "openssl does not accept the P-384 point"
ok p11 "${user[@]}" --read-object --type pubkey --id 04 --output-file ed25519.pub
# pkcs11-tool writes Ed25519 public keys as PEM even to a file (PKCS11-FACTS 5.3).
plain_openssl pkey -pubin -in ed25519.pub -out ed25519.pem
plain_openssl pkey -pubin -in ed25519.pem -noout -text
grep -q 'ED25519 Public-Key' openssl.txt || fail "openssl does not see an Ed25519 key"
done_step

# bad_signature ARGS... WHAT: pkcs11-tool --verify must report an invalid signature (0.23 prints
# "Invalid signature" and exits 0; a later version may exit 1: both are accepted, a crash is not).
bad_signature() {
  local what=${*: -1}
  local rc=0
  run "$work/out.txt" p11 "${@:1:$#-1}" || rc=$?
  ((rc <= 1)) || fail "pkcs11-tool --verify crashed or failed oddly (status $rc)"
  expect '^Invalid signature|CKR_SIGNATURE_INVALID' "$what"
  reject 'Signature is valid' "$what"
}

head -c 1000 /dev/urandom >msg.bin
cp msg.bin tampered.bin
tamper tampered.bin 500
openssl dgst -sha256 -binary msg.bin >msg.sha256
openssl dgst -sha384 -binary msg.bin >msg.sha384

step "RSA-PKCS: sign a DigestInfo on the token, verify with openssl"
# DER DigestInfo for SHA-256 followed by the digest: what CKM_RSA_PKCS signs for RSASSA-PKCS1-v1_5.
{ xxd -r -p <<<3031300d060960864801650304020105000420; cat msg.sha256; } >digestinfo.bin
ok p11 "${user[@]}" --sign --id 01 -m RSA-PKCS --input-file digestinfo.bin --output-file rsa-pkcs.sig
[[ $(stat -c %s rsa-pkcs.sig) -eq 256 ]] || fail "RSA-2048 signature is not 256 bytes"
plain_openssl dgst -sha256 -verify rsa.pem -signature rsa-pkcs.sig msg.bin
grep -q 'Verified OK' openssl.txt || fail "openssl rejects the RSA-PKCS signature"
ok p11 "${user[@]}" --verify --id 01 -m RSA-PKCS --input-file digestinfo.bin --signature-file rsa-pkcs.sig
expect 'Signature is valid'
done_step

step "SHA256-RSA-PKCS: hashing on the token gives the RSA-PKCS signature of the DigestInfo"
ok p11 "${user[@]}" --sign --id 01 -m SHA256-RSA-PKCS --input-file msg.bin --output-file sha256-rsa.sig
cmp -s sha256-rsa.sig rsa-pkcs.sig || fail "SHA256-RSA-PKCS and RSA-PKCS(DigestInfo) signatures differ"
bad_signature "${user[@]}" --verify --id 01 -m SHA256-RSA-PKCS --input-file tampered.bin --signature-file sha256-rsa.sig "verification of a tampered message"
done_step

step "SHA256-RSA-PKCS-PSS: sign on the token, verify with openssl and on the token"
ok p11 "${user[@]}" --sign --id 01 -m SHA256-RSA-PKCS-PSS --input-file msg.bin --output-file pss.sig
expect 'hashAlg=SHA256, mgf=MGF1-SHA256, salt_len=32' "PSS parameters"
plain_openssl dgst -sha256 -verify rsa.pem -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:32 \
  -sigopt rsa_mgf1_md:sha256 -signature pss.sig msg.bin
grep -q 'Verified OK' openssl.txt || fail "openssl rejects the PSS signature"
ok p11 "${user[@]}" --verify --id 01 -m SHA256-RSA-PKCS-PSS --input-file msg.bin --signature-file pss.sig
expect 'Signature is valid'
bad_signature "${user[@]}" --verify --id 01 -m SHA256-RSA-PKCS-PSS --input-file tampered.bin --signature-file pss.sig "verification of a tampered message"
ok p11 "${user[@]}" --sign --id 01 -m SHA256-RSA-PKCS-PSS --input-file msg.bin --output-file pss2.sig
cmp -s pss.sig pss2.sig && fail "two PSS signatures are identical (salt not random)"
done_step

step "ECDSA (raw, over a SHA-256/384 digest) with P-256 and P-384, verified by openssl"
ok p11 "${user[@]}" --sign --id 02 -m ECDSA --input-file msg.sha256 --output-file p256.sig --signature-format openssl
plain_openssl dgst -sha256 -verify p256.pem -signature p256.sig msg.bin
grep -q 'Verified OK' openssl.txt || fail "openssl rejects the P-256 signature"
ok p11 "${user[@]}" --sign --id 02 -m ECDSA --input-file msg.sha256 --output-file p256.raw
[[ $(stat -c %s p256.raw) -eq 64 ]] || fail "raw P-256 signature is not r||s of 64 bytes"
ok p11 "${user[@]}" --verify --id 02 -m ECDSA --input-file msg.sha256 --signature-file p256.raw
expect 'Signature is valid'
ok p11 "${user[@]}" --sign --id 03 -m ECDSA --input-file msg.sha384 --output-file p384.sig --signature-format openssl
plain_openssl dgst -sha384 -verify p384.pem -signature p384.sig msg.bin
grep -q 'Verified OK' openssl.txt || fail "openssl rejects the P-384 signature"
openssl dgst -sha384 -binary tampered.bin >tampered.sha384
ok p11 "${user[@]}" --sign --id 03 -m ECDSA --input-file msg.sha384 --output-file p384.raw
[[ $(stat -c %s p384.raw) -eq 96 ]] || fail "raw P-384 signature is not r||s of 96 bytes"
bad_signature "${user[@]}" --verify --id 03 -m ECDSA --input-file tampered.sha384 --signature-file p384.raw "verification of a tampered digest"
done_step

step "ECDSA-SHA256 (hashing on the token) with P-256, verified by openssl"
if ! gap "SoftHSM 2.6.1 offers raw CKM_ECDSA only (CKR_MECHANISM_INVALID)"; then
  ok p11 "${user[@]}" --sign --id 02 -m ECDSA-SHA256 --input-file msg.bin --output-file p256-sha256.sig \
    --signature-format openssl
  plain_openssl dgst -sha256 -verify p256.pem -signature p256-sha256.sig msg.bin
  grep -q 'Verified OK' openssl.txt || fail "openssl rejects the ECDSA-SHA256 signature"
  ok p11 "${user[@]}" --sign --id 02 -m ECDSA-SHA256 --input-file msg.bin --output-file p256-sha256.raw
  ok p11 "${user[@]}" --verify --id 02 -m ECDSA-SHA256 --input-file msg.bin --signature-file p256-sha256.raw
  expect 'Signature is valid'
  ok p11 "${user[@]}" --verify --id 02 -m ECDSA --input-file msg.sha256 --signature-file p256-sha256.raw
  expect 'Signature is valid'
  done_step
fi

step "EDDSA (Ed25519): sign on the token, verify with openssl and on the token"
ok p11 "${user[@]}" --sign --id 04 -m EDDSA --input-file msg.bin --output-file ed25519.sig
[[ $(stat -c %s ed25519.sig) -eq 64 ]] || fail "Ed25519 signature is not 64 bytes"
plain_openssl pkeyutl -verify -pubin -inkey ed25519.pem -rawin -in msg.bin -sigfile ed25519.sig
grep -q 'Signature Verified Successfully' openssl.txt || fail "openssl rejects the Ed25519 signature"
ok p11 "${user[@]}" --sign --id 04 -m EDDSA --input-file msg.bin --output-file ed25519-2.sig
cmp -s ed25519.sig ed25519-2.sig || fail "Ed25519 signatures of one message differ (must be deterministic)"
ok p11 "${user[@]}" --verify --id 04 -m EDDSA --input-file msg.bin --signature-file ed25519.sig
expect 'Signature is valid'
bad_signature "${user[@]}" --verify --id 04 -m EDDSA --input-file tampered.bin --signature-file ed25519.sig "verification of a tampered message"
done_step

head -c 190 /dev/urandom >secret.bin

step "RSA-PKCS and RSA-PKCS-OAEP (SHA-1): openssl encrypts, the token decrypts"
plain_openssl pkeyutl -encrypt -pubin -inkey rsa.pem -in secret.bin -out v15.ct
ok p11 "${user[@]}" --decrypt --id 01 -m RSA-PKCS --input-file v15.ct --output-file v15.pt
cmp -s v15.pt secret.bin || fail "RSA-PKCS decryption differs from the plaintext"
head -c 64 secret.bin >secret64.bin
plain_openssl pkeyutl -encrypt -pubin -inkey rsa.pem -in secret64.bin -out oaep1.ct \
  -pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:sha1 -pkeyopt rsa_mgf1_md:sha1
ok p11 "${user[@]}" --decrypt --id 01 -m RSA-PKCS-OAEP --hash-algorithm SHA-1 --mgf MGF1-SHA1 \
  --input-file oaep1.ct --output-file oaep1.pt
cmp -s oaep1.pt secret64.bin || fail "OAEP(SHA-1) decryption differs from the plaintext"
done_step

step "RSA-PKCS-OAEP (SHA-256, MGF1-SHA256): openssl encrypts, the token decrypts"
if ! gap "SoftHSM 2.6.1 supports OAEP with SHA-1 only (CKR_ARGUMENTS_BAD)"; then
  plain_openssl pkeyutl -encrypt -pubin -inkey rsa.pem -in secret64.bin -out oaep256.ct \
    -pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:sha256 -pkeyopt rsa_mgf1_md:sha256
  ok p11 "${user[@]}" --decrypt --id 01 -m RSA-PKCS-OAEP --hash-algorithm SHA256 --mgf MGF1-SHA256 \
    --input-file oaep256.ct --output-file oaep256.pt
  cmp -s oaep256.pt secret64.bin || fail "OAEP(SHA-256) decryption differs from the plaintext"
  # a ciphertext made with another hash must not decrypt
  fails p11 "${user[@]}" --decrypt --id 01 -m RSA-PKCS-OAEP --hash-algorithm SHA256 --mgf MGF1-SHA256 \
    --input-file oaep1.ct --output-file wrong.pt
  done_step
fi

iv=000102030405060708090a0b0c0d0e0f
head -c 77 /dev/urandom >plain77.bin

step "AES-CBC-PAD with the generated key: encrypt and decrypt on the token"
ok p11 "${user[@]}" --encrypt --id 05 -m AES-CBC-PAD --iv "$iv" --input-file plain77.bin --output-file gen.ct
[[ $(stat -c %s gen.ct) -eq 80 ]] || fail "77 bytes should pad to 80"
ok p11 "${user[@]}" --decrypt --id 05 -m AES-CBC-PAD --iv "$iv" --input-file gen.ct --output-file gen.pt
cmp -s gen.pt plain77.bin || fail "AES-CBC-PAD round trip differs"
done_step

step "AES-CBC-PAD with the known key: byte-identical to openssl enc, both directions"
ok p11 "${user[@]}" --encrypt --id 06 -m AES-CBC-PAD --iv "$iv" --input-file plain77.bin --output-file known.ct
openssl enc -aes-256-cbc -K "$(xxd -p -c 64 aes.key)" -iv "$iv" -in plain77.bin -out openssl.ct
cmp -s known.ct openssl.ct || fail "token AES-CBC-PAD ciphertext differs from openssl's"
head -c 4096 /dev/urandom >plain4096.bin
openssl enc -aes-256-cbc -K "$(xxd -p -c 64 aes.key)" -iv "$iv" -in plain4096.bin -out openssl4096.ct
ok p11 "${user[@]}" --decrypt --id 06 -m AES-CBC-PAD --iv "$iv" --input-file openssl4096.ct --output-file known4096.pt
cmp -s known4096.pt plain4096.bin || fail "token decryption of openssl's ciphertext differs"
done_step

step "pkcs11-tool --test --login with RSA, EC, Ed25519 and AES keys on the token"
if ! gap "its OAEP test uses SHA-256 with a label; SoftHSM 2.6.1 answers CKR_ARGUMENTS_BAD"; then
  ok p11 "${user[@]}" --test
  expect '^No errors' "--test summary"
  expect 'RSA-PKCS-OAEP' "--test tried OAEP"
  reject 'error:|ERR' "--test output"
  done_step
fi

finish
