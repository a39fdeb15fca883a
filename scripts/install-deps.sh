#!/usr/bin/env bash
# Installs the Debian packages named on the command line that are not installed yet (used by
# `make deps`). Quick when nothing is missing: only dpkg-query runs. Otherwise it runs
# `apt-get update` first, then `apt-get install`, as root or through sudo. Never asks questions.
#
#   install-deps.sh [--node] PACKAGE...
#
# --node: also make sure `node` (>= 18) and `npm` exist (the crosstest tests run npm and node).
# Whatever provides them already is kept: often NodeSource's nodejs, which bundles npm and
# conflicts with Debian's npm package, so Debian's nodejs/npm are added only when missing. (Blindly
# installing Debian's npm next to NodeSource's nodejs would make apt remove that nodejs.)
set -euo pipefail

want_node=0
if [[ ${1:-} == --node ]]; then
  want_node=1
  shift
fi

missing=()
for pkg in "$@"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [[ $status == "install ok installed" ]] || missing+=("$pkg")
done

# npm is decided after nodejs is in place: NodeSource's nodejs brings its own npm (and conflicts
# with Debian's), Debian's nodejs needs Debian's npm package.
if ((want_node)) && ! command -v node >/dev/null 2>&1; then
  missing+=(nodejs)
fi
npm_needed() {
  ((want_node)) && ! command -v npm >/dev/null 2>&1
}

if ((${#missing[@]} == 0)) && ! npm_needed; then
  echo "deps: all $# Debian packages are installed$( ((want_node)) && echo ", and node + npm")"
  exit 0
fi

if [[ $(id -u) -eq 0 ]]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1; then
  as_root=(sudo)
else
  echo "deps: missing packages (${missing[*]}${missing[*]:+ }$(npm_needed && echo npm)); run as root or install sudo" >&2
  exit 1
fi

apt=("${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -q -y -o DPkg::Lock::Timeout=600)
"${apt[@]}" update
if ((${#missing[@]} > 0)); then
  echo "deps: installing ${missing[*]}"
  "${apt[@]}" install --no-install-recommends "${missing[@]}"
fi
if npm_needed; then
  node_pkg=$(dpkg-query -W -f='${Version}' nodejs 2>/dev/null || true)
  if [[ -z $node_pkg || $node_pkg == *nodesource* ]]; then
    echo "deps: 'node' ($(command -v node), nodejs package '${node_pkg:-none}') has no 'npm' next to it," \
         "and Debian's npm package would conflict with it: reinstall that Node.js with its npm" >&2
    exit 1
  fi
  echo "deps: installing npm (for Debian's nodejs $node_pkg)"
  "${apt[@]}" install --no-install-recommends npm
fi
