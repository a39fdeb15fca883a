#!/usr/bin/env bash
# Craton HSM demo (run by `make demo`): creates a token in a local directory and drives it with
# OpenSC's pkcs11-tool, a real PKCS#11 client.
#
# No configuration file is used: CRATON_HSM_TOKENDIR points the embedded SQLite store at
# <build>/demo-token/tokens (wiped at start); every other setting keeps its built-in default,
# including the production PIN KDF cost. Any failing step stops the demo with a non-zero exit.
#
# Environment: BUILD_DIR (default: <repo>/build), the build tree holding libcratonhsm.so.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=$(cd "${BUILD_DIR:-$root/build}" && pwd)
module=$build/libcratonhsm.so
tool=$build/tools/craton-hsm-util/craton-hsm-util
demo=$build/demo-token

so_pin=87654321
user_pin=123456
token=demo

[[ -f $module ]] || { echo "demo: $module not found; run 'make build' first" >&2; exit 1; }
command -v pkcs11-tool >/dev/null || { echo "demo: pkcs11-tool not found; run 'make deps' (package opensc)" >&2; exit 1; }

rm -rf "$demo"
mkdir -p "$demo/tokens"
cd "$demo"

# Only the token directory is chosen; no configuration file is read from the user's environment.
unset CRATON_HSM_CONF SOFTHSM2_CONF
export XDG_CONFIG_HOME=$demo          # holds no craton-hsm/craton-hsm.conf
export CRATON_HSM_TOKENDIR=$demo/tokens

step=0
if [[ -t 1 ]]; then bold=$'\033[1m' plain=$'\033[0m'; else bold='' plain=''; fi
heading() {
  step=$((step + 1))
  printf '\n%s== %d. %s%s\n' "$bold" "$step" "$1" "$plain"
}

# Runs a command and shows its output (stdout and stderr together). The module's INFO log lines are
# left out to keep the demo readable; on failure everything is shown and the demo stops.
run() {
  printf '$'
  printf ' %q' "$@"
  printf '\n'
  local rc=0
  "$@" >"$demo/output.log" 2>&1 || rc=$?
  if ((rc != 0)); then
    cat "$demo/output.log"
    echo "demo: FAILED (exit $rc): $*" >&2
    exit "$rc"
  fi
  grep -v -E '^[0-9T:.Z-]+ craton-hsm\[[0-9]+\] INFO ' "$demo/output.log" || true
}

p11() { run pkcs11-tool --module "$module" "$@"; }

same() {
  if cmp -s "$1" "$2"; then
    echo "OK: $2 is identical to $1"
  else
    echo "demo: FAILED: $2 differs from $1" >&2
    exit 1
  fi
}

echo "Craton HSM demo"
echo "  module:    $module"
echo "  token dir: $CRATON_HSM_TOKENDIR (CRATON_HSM_TOKENDIR; no configuration file)"
echo "  SO PIN:    $so_pin    user PIN: $user_pin"

heading "Module information"
p11 -I

heading "Slots (a fresh module offers one slot with an uninitialized token)"
p11 -L
free_slot=$(pkcs11-tool --module "$module" -L 2>/dev/null |
  awk '/^Slot [0-9]+ /{ slot = $2 } /token state: +uninitialized/{ print slot; exit }')
[[ -n $free_slot ]] || { echo "demo: FAILED: no slot with an uninitialized token" >&2; exit 1; }
echo "free slot: $free_slot"

heading "Initialize the token in slot $free_slot"
p11 --init-token --slot "$free_slot" --label "$token" --so-pin "$so_pin"

heading "Initialize the user PIN (logged in as SO)"
p11 --token-label "$token" --login --login-type so --so-pin "$so_pin" --init-pin --pin "$user_pin"

heading "Write a data object from a file"
echo "Hello from the Craton HSM demo, $(date -u +%Y-%m-%dT%H:%M:%SZ)" >hello.txt
p11 --token-label "$token" --login --pin "$user_pin" \
  --write-object hello.txt --type data --label demo-data

heading "Create a self-signed X.509 certificate with openssl (the key stays outside the token)"
run openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout demo-key.pem \
  -subj "/CN=Craton HSM demo" -days 365 -outform DER -out cert.der
run openssl x509 -inform DER -in cert.der -noout -subject -fingerprint -sha256

heading "Write the certificate to the token (label demo-cert, id 01)"
p11 --token-label "$token" --login --pin "$user_pin" \
  --write-object cert.der --type cert --label demo-cert --id 01

heading "Read both objects back and compare them with the originals"
p11 --token-label "$token" --login --pin "$user_pin" \
  --read-object --type data --label demo-data --output-file hello.read
same hello.txt hello.read
p11 --token-label "$token" --login --pin "$user_pin" \
  --read-object --type cert --id 01 --output-file cert.read
same cert.der cert.read

heading "Generate an EC P-256 key pair on the token (label demo-ec, id 02)"
p11 --token-label "$token" --login --pin "$user_pin" \
  --keypairgen --key-type EC:prime256v1 --label demo-ec --id 02

heading "Sign with the token key (ECDSA-SHA256), verify on the token and with plain openssl"
echo "message signed inside Craton HSM" >message.txt
p11 --token-label "$token" --login --pin "$user_pin" --sign --id 02 -m ECDSA-SHA256 \
  --signature-format openssl --input-file message.txt --output-file message.sig
p11 --token-label "$token" --login --pin "$user_pin" --verify --id 02 -m ECDSA-SHA256 \
  --signature-format openssl --input-file message.txt --signature-file message.sig
p11 --token-label "$token" --read-object --type pubkey --id 02 --output-file demo-ec.pub.der
run openssl dgst -sha256 -keyform DER -verify demo-ec.pub.der -signature message.sig message.txt

heading "Generate an AES-256 key on the token and encrypt/decrypt with it (AES-CBC-PAD)"
p11 --token-label "$token" --login --pin "$user_pin" --keygen --key-type AES:32 --label demo-aes --id 03
iv=000102030405060708090a0b0c0d0e0f
p11 --token-label "$token" --login --pin "$user_pin" --encrypt --id 03 -m AES-CBC-PAD --iv "$iv" \
  --input-file hello.txt --output-file hello.enc
p11 --token-label "$token" --login --pin "$user_pin" --decrypt --id 03 -m AES-CBC-PAD --iv "$iv" \
  --input-file hello.enc --output-file hello.dec
same hello.txt hello.dec

heading "List the objects on the token"
p11 --token-label "$token" --login --pin "$user_pin" -O

heading "Slots again: the token is initialized and a new free slot appeared"
p11 -L

if [[ -x $tool ]]; then
  heading "The same slots through craton-hsm-util --show-slots"
  run "$tool" --module "$module" --show-slots
else
  echo
  echo "(craton-hsm-util not built; skipping its --show-slots)"
fi

echo
echo "Demo finished: token in $demo"
