#!/usr/bin/env bash
# Installs the pinned @noble/post-quantum (package.json + package-lock.json next to this script)
# into a directory of the build tree, with noble_crosstest.mjs beside its node_modules (Node
# resolves the script's imports from the script's own folder). The ctest fixture setup of the
# crosstest tests; a missing or too old node/npm is a failure, never a skip.
#   usage: npm_install.sh <install dir>
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
dest=${1:?usage: npm_install.sh <install dir>}

fail() { echo "crosstest setup: $*" >&2; exit 1; }
for cmd in node npm; do
  command -v "$cmd" >/dev/null ||
    fail "'$cmd' not found: install Node.js >= 18 with npm (\`make deps\` installs Debian's nodejs and npm when node is missing)"
done
node_major=$(node -p 'process.versions.node.split(".")[0]')
((node_major >= 18)) || fail "Node.js $(node --version) is too old; the cross-test needs Node.js >= 18"
echo "crosstest setup: node $(node --version), npm $(npm --version)"

mkdir -p "$dest"
cp "$here/package.json" "$here/package-lock.json" "$here/noble_crosstest.mjs" "$dest/"
cd "$dest"
# Exactly the locked versions (integrity-checked); the npm cache lives in the build tree, so a
# rerun needs no network and nothing is written to $HOME.
export npm_config_cache="$dest/.npm-cache" npm_config_update_notifier=false
npm ci --no-audit --no-fund --prefer-offline --loglevel=error
installed=$(node -p 'require("./node_modules/@noble/post-quantum/package.json").version')
wanted=$(node -p 'require("./package.json").dependencies["@noble/post-quantum"]')
[[ $installed == "$wanted" ]] || fail "installed @noble/post-quantum $installed, package.json pins $wanted"
echo "crosstest setup: @noble/post-quantum $installed installed in $dest/node_modules"
