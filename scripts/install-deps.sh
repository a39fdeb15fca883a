#!/usr/bin/env bash
# Installs the Debian packages named on the command line that are not installed yet (used by
# `make deps`). Quick when nothing is missing: only dpkg-query runs. Otherwise it runs
# `apt-get update` first, then `apt-get install`, as root or through sudo. Never asks questions.
set -euo pipefail

missing=()
for pkg in "$@"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [[ $status == "install ok installed" ]] || missing+=("$pkg")
done

if ((${#missing[@]} == 0)); then
  echo "deps: all $# Debian packages are installed"
  exit 0
fi

if [[ $(id -u) -eq 0 ]]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1; then
  as_root=(sudo)
else
  echo "deps: missing packages (${missing[*]}); run as root or install sudo" >&2
  exit 1
fi

echo "deps: installing ${missing[*]}"
apt=("${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -q -y -o DPkg::Lock::Timeout=600)
"${apt[@]}" update
"${apt[@]}" install --no-install-recommends "${missing[@]}"
