# Shared helpers for the interop shell tests (sourced, not run). Bash only.
#
#   interop_begin NAME MODULE CLIENT...  checks the module, exits 77 if a client binary is missing,
#                                        makes the work dir ($work, cwd) and the configuration
#   run OUT CMD...        runs CMD with the sanitizer preload, stdout+stderr in OUT; returns its status
#   ok CMD... / fails CMD...   CMD must succeed / must fail cleanly (status 1..125, not a crash)
#   stdout_to FILE CMD... like ok, CMD's stdout to FILE (binary output)
#   expect REGEX [what] / reject REGEX [what]   on the last output (out.txt)
#   step NAME / done_step / gap REASON / fail MESSAGE / finish
#   p11 ARGS...           pkcs11-tool --module $module ARGS... (output in out.txt)
#   make_token LABEL SO_PIN USER_PIN   initialises the free slot's token with pkcs11-tool
#
# Both modules are configured at once: CRATON_HSM_CONF for Craton HSM (which reads it first) and
# SOFTHSM2_CONF for SoftHSMv2 (which ignores CRATON_HSM_CONF), so a script runs unchanged against
# either and never touches the user's real tokens.
#
# SoftHSMv2 validation: a step that exercises something SoftHSM 2.6.1 cannot do calls
# `gap "reason"` first. Against SoftHSM the step is then reported as skipped with the reason;
# against any other module (ours) `gap` does nothing and the step must pass. Nothing else is ever
# skipped.
#
# Environment: CRATON_TEST_PRELOAD, if set, goes into LD_PRELOAD of every client process (sanitizer
# builds preload their runtime into the uninstrumented clients). CRATON_INTEROP_KEEP=1 keeps the
# temporary directory (tokens, client output, module log) for debugging.

interop_begin() {
  test_name=$1
  module=$2
  shift 2
  [[ -n $module ]] || { echo "usage: $0 MODULE"; exit 2; }
  [[ -f $module ]] || { echo "FAIL: module $module does not exist"; exit 1; }
  module=$(readlink -f "$module")
  local client
  for client in "$@"; do
    if ! command -v "$client" >/dev/null; then
      echo "SKIP: $client not installed"
      exit 77
    fi
  done
  work=$(mktemp -d "/tmp/craton-$test_name-XXXXXX")
  if [[ -n ${CRATON_INTEROP_KEEP:-} ]]; then
    trap 'echo "work directory kept: $work"' EXIT
  else
    trap 'rm -rf "$work"' EXIT
  fi
  mkdir -p "$work/tokens"
  cat >"$work/craton.conf" <<EOF
directories.tokendir = $work/tokens
pin.kdf_iterations = 1000
log.file = $work/craton.log
EOF
  cat >"$work/softhsm2.conf" <<EOF
directories.tokendir = $work/tokens
objectstore.backend = file
log.level = ERROR
EOF
  export CRATON_HSM_CONF=$work/craton.conf
  export SOFTHSM2_CONF=$work/softhsm2.conf
  unset CRATON_HSM_TOKENDIR
  cd "$work" || exit 1
  passed=0
  skipped=0
  current=""
  softhsm=0
  if [[ $(basename "$module") == libsofthsm2.so ]]; then softhsm=1; fi
}

step() {
  current=$1
  echo "--- $current"
}

fail() {
  echo "FAIL [$current]: $1"
  if [[ -f $work/out.txt ]]; then
    echo "----- last client output:"
    tail -n 40 "$work/out.txt"
  fi
  if [[ -f $work/craton.log ]]; then
    echo "----- module log (last 20 lines):"
    tail -n 20 "$work/craton.log"
  fi
  echo "$test_name: $passed passed, 1 failed, $skipped skipped"
  exit 1
}

# gap REASON: returns 0 (the caller skips the step) against SoftHSMv2, 1 otherwise.
gap() {
  if ((softhsm)); then
    echo "    not validated on SoftHSMv2: $1"
    skipped=$((skipped + 1))
    return 0
  fi
  return 1
}

done_step() {
  passed=$((passed + 1))
}

finish() {
  echo "$test_name: $passed passed, 0 failed, $skipped skipped"
  exit 0
}

# tmo CMD...: CMD with a time limit, so that a hung client fails its step instead of the whole
# test's ctest TIMEOUT (seen: p11tool under the ASan preload hangs in exit() after an error).
client_timeout=${CRATON_INTEROP_CMD_TIMEOUT:-120}
tmo() {
  timeout -k 10 "$client_timeout" "$@"
}

run() {
  local out=$1 rc=0
  shift
  if [[ $(type -t "$1") == file ]]; then set -- tmo "$@"; fi  # shell functions (p11, ...) use tmo
  if [[ -n ${CRATON_TEST_PRELOAD:-} ]]; then
    LD_PRELOAD=$CRATON_TEST_PRELOAD "$@" >"$out" 2>&1 </dev/null || rc=$?
  else
    "$@" >"$out" 2>&1 </dev/null || rc=$?
  fi
  return "$rc"
}

# stdout_to FILE CMD...: like ok, but CMD's stdout (binary, e.g. a DER dump) goes to FILE and only
# its stderr to out.txt.
stdout_to() {
  local file=$1 rc=0
  shift
  if [[ $(type -t "$1") == file ]]; then set -- tmo "$@"; fi
  if [[ -n ${CRATON_TEST_PRELOAD:-} ]]; then
    LD_PRELOAD=$CRATON_TEST_PRELOAD "$@" >"$file" 2>"$work/out.txt" </dev/null || rc=$?
  else
    "$@" >"$file" 2>"$work/out.txt" </dev/null || rc=$?
  fi
  ((rc == 0)) || fail "$* $(status_text "$rc")"
}

status_text() {
  case $1 in
    124 | 137) echo "timed out after ${client_timeout}s (hung?)" ;;
    *) echo "exited with status $1" ;;
  esac
}

ok() {
  local rc=0
  run "$work/out.txt" "$@" || rc=$?
  ((rc == 0)) || fail "$* $(status_text "$rc")"
}

fails() {
  local rc=0
  run "$work/out.txt" "$@" || rc=$?
  ((rc != 0)) || fail "$* succeeded but should have failed"
  ((rc < 124)) || fail "$* should have failed cleanly, but $(status_text "$rc") (crash?)"
}

expect() {
  grep -Eq -- "$1" "$work/out.txt" || fail "${2:-output} does not match /$1/"
}

reject() {
  if grep -Eq -- "$1" "$work/out.txt"; then fail "${2:-output} unexpectedly matches /$1/"; fi
}

p11() {
  tmo pkcs11-tool --module "$module" "$@"
}

# openssl without the preload (it never loads the module unless through the engine).
plain_openssl() {
  local rc=0
  openssl "$@" >"$work/openssl.txt" 2>&1 || rc=$?
  if ((rc != 0)); then
    cp "$work/openssl.txt" "$work/out.txt"
    fail "openssl $* exited with status $rc"
  fi
}

# make_token LABEL SO_PIN USER_PIN: C_InitToken on the slot whose token is uninitialised, then
# C_InitPIN as SO, both through pkcs11-tool (the same commands work for Craton HSM and SoftHSMv2).
make_token() {
  local label=$1 so_pin=$2 user_pin=$3 slot
  ok p11 -L
  slot=$(awk '/^Slot [0-9]+ /{ s = $2 } /token state: +uninitialized/{ print s; exit }' "$work/out.txt")
  [[ -n $slot ]] || fail "no slot with an uninitialized token"
  ok p11 --init-token --slot "$slot" --label "$label" --so-pin "$so_pin"
  expect 'Token successfully initialized'
  ok p11 --token-label "$label" --login --login-type so --so-pin "$so_pin" --init-pin --pin "$user_pin"
  expect 'User PIN successfully initialized'
}

# ec_spki OUT.der CURVE HEXPOINT: the SubjectPublicKeyInfo (id-ecPublicKey, named CURVE: p256 or
# p384) of a raw uncompressed point, for openssl. The scripts build EC public keys this way instead
# of exporting them with pkcs11-tool 0.23, whose EC export is broken: P-384 fails ("cannot create
# EVP_PKEY") and, under the ASan preload, P-256 shows a heap-use-after-free inside pkcs11-tool
# (EVP_PKEY_fromdata after a free), with SoftHSMv2 as well.
ec_spki() {
  local prefix
  case $2 in
    p256) prefix=3059301306072a8648ce3d020106082a8648ce3d030107034200 ;;
    p384) prefix=3076301006072a8648ce3d020106052b81040022036200 ;;
    *) fail "ec_spki: unknown curve $2" ;;
  esac
  xxd -r -p <<<"$prefix$3" >"$1"
}

# ec_point_hex FILE RAWLEN: the CKA_EC_POINT (hex) of the first key in a pkcs11-tool listing or
# key-generation output in FILE, as the raw point of RAWLEN bytes: modules return either a DER
# OCTET STRING (SoftHSM, our default) or the raw bytes, so a 2- or 3-byte DER header is removed.
ec_point_hex() {
  local hex rawlen=$2
  hex=$(awk '/EC_POINT:/{ print $2; exit }' "$1")
  local len=$(( ${#hex} / 2 ))
  if ((len == rawlen + 2)); then hex=${hex:4}
  elif ((len == rawlen + 3)); then hex=${hex:6}
  elif ((len != rawlen)); then return 1
  fi
  echo "$hex"
}

# tamper FILE OFFSET: flips the lowest bit of the byte at OFFSET, so the copy always differs from
# the original (writing a fixed byte left a random message unchanged one time in 256).
tamper() {
  local b
  b=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
  printf "\\$(printf '%03o' $((b ^ 1)))" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}
