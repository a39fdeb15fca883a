#!/usr/bin/env bash
# Build check: `cmake --install` puts every file at the documented path for the prefix given at
# install time (not the configure-time one), and the generated files point at the installed module.
#
# Usage: install_check.sh BUILD_DIR HAVE_TOOL
#   HAVE_TOOL  1 if the craton-hsm-util target exists (then bin/craton-hsm-util must be installed)
# Installs into a temporary prefix and checks:
#   lib/libcratonhsm.so                         the module (an ELF shared object with C_GetInterface)
#   lib/libcratonhsm.so.X.Y.Z.hmac              its integrity value (HMAC-SHA-256, docs/SELF_TESTS.md)
#   bin/craton-hsm-util                         the tool (if built)
#   share/p11-kit/modules/cratonhsm.module      "module:" names <prefix>/lib/libcratonhsm.so
#   lib/pkgconfig/cratonhsm.pc                  pkg-config --variable=modulepath gives the same path
set -euo pipefail
export LC_ALL=C

build=${1:?usage: install_check.sh BUILD_DIR HAVE_TOOL}
have_tool=${2:-0}
for t in cmake pkg-config nm; do
  command -v "$t" >/dev/null || { echo "FAIL: $t not found"; exit 1; }
done

work=$(mktemp -d /tmp/craton-install-XXXXXX)
trap 'rm -rf "$work"' EXIT
prefix=$work/prefix

passed=0
failed=0
pass() { echo "ok:   $1"; passed=$((passed + 1)); }
bad() { echo "FAIL: $1"; failed=$((failed + 1)); }

if ! cmake --install "$build" --prefix "$prefix" >"$work/install.log" 2>&1; then
  cat "$work/install.log"
  echo "FAIL: cmake --install failed"
  exit 1
fi

module=$prefix/lib/libcratonhsm.so
if [[ -f $module ]] && nm -D --defined-only "$module" | grep -qw C_GetInterface; then
  pass "module installed: lib/libcratonhsm.so"
else
  bad "lib/libcratonhsm.so missing or not the PKCS#11 module"
fi

# The integrity value the power-on self-test checks (docs/SELF_TESTS.md) sits beside the real file
# and matches the installed bytes; recomputed here with the openssl CLI, independently of our code.
real=$(readlink -f "$module")
integrity_key=637261746f6e2d68736d206d6f64756c6520696e746567726974792076312e00  # "craton-hsm module integrity v1." and a NUL (integrity.cpp)
if [[ -f $real.hmac ]]; then
  if command -v openssl >/dev/null; then
    want=$(openssl dgst -sha256 -mac HMAC -macopt "hexkey:$integrity_key" -r "$real" | cut -c1-64)
    [[ $(tr -d '\n' <"$real.hmac") == "$want" ]] && pass "integrity value $(basename "$real").hmac matches the installed module" ||
      bad "$(basename "$real").hmac does not match the installed module"
  else
    pass "integrity value installed: lib/$(basename "$real").hmac (openssl CLI missing: not recomputed)"
  fi
else
  bad "integrity value lib/$(basename "$real").hmac missing"
fi

if [[ $have_tool == 1 ]]; then
  [[ -x $prefix/bin/craton-hsm-util ]] && pass "tool installed: bin/craton-hsm-util" ||
    bad "bin/craton-hsm-util missing or not executable"
else
  echo "skip: craton-hsm-util is not built in this tree"
fi

p11kit=$prefix/share/p11-kit/modules/cratonhsm.module
if [[ -f $p11kit ]]; then
  named=$(sed -n 's/^module:[[:space:]]*//p' "$p11kit")
  [[ $named == "$module" ]] && pass "p11-kit module file names $named" ||
    bad "p11-kit module file names '$named', expected '$module'"
else
  bad "share/p11-kit/modules/cratonhsm.module missing"
fi

pc=$prefix/lib/pkgconfig/cratonhsm.pc
if [[ -f $pc ]]; then
  got=$(PKG_CONFIG_PATH=$prefix/lib/pkgconfig pkg-config --variable=modulepath cratonhsm 2>&1 || true)
  [[ $got == "$module" ]] && pass "pkg-config --variable=modulepath cratonhsm = $got" ||
    bad "pkg-config --variable=modulepath gave '$got', expected '$module'"
  version=$(PKG_CONFIG_PATH=$prefix/lib/pkgconfig pkg-config --modversion cratonhsm 2>&1 || true)
  [[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] && pass "pkg-config --modversion = $version" ||
    bad "pkg-config --modversion gave '$version'"
  cflags=$(PKG_CONFIG_PATH=$prefix/lib/pkgconfig pkg-config --cflags cratonhsm 2>&1 || true)
  cflags=${cflags% }
  [[ -f $prefix/include/craton/pkcs11/pkcs11.h && $cflags == "-I$prefix/include" ]] &&
    pass "headers in include/craton/pkcs11, Cflags $cflags" || bad "headers or Cflags wrong ('$cflags')"
else
  bad "lib/pkgconfig/cratonhsm.pc missing"
fi

# The libdir is plain lib/ (GNUInstallDirs would choose lib/<multiarch> for prefix /usr on Debian).
stray=$(cd "$prefix" && find . -path './lib64' -o -path './lib/*-linux-gnu*' | head -n 5)
[[ -z $stray ]] && pass "nothing installed to lib64/ or a multiarch libdir" || bad "multiarch paths installed: $(echo $stray)"

echo "install check: $passed passed, $failed failed"
((failed == 0))
