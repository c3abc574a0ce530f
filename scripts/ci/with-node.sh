#!/usr/bin/env bash
# Runs a command under a given Node.js major, taken from the registry's `node` package like the pinned runtime in
# package.json, so CI runs the suites on every supported major (22 and 24) on a machine with any system node.
#
#   bash scripts/ci/with-node.sh <major> npm-test      the vitest parts of `npm test` (both configs)
#   bash scripts/ci/with-node.sh <major> regtest [..]  the regtest suites (`npm run test:regtest`), files optional;
#                                                      the daemons must be built (`npm run regtest:install`)
#   bash scripts/ci/with-node.sh <major> <command...>  anything else, e.g. `node -v`
#
# A major other than the pinned one is installed once into a cache outside the repository
# ($XDG_CACHE_HOME/lvdao/node/<major>, ~/.cache by default). For the run, that runtime comes first on PATH and
# node_modules/.bin/node points at it: `npm run` and `npx` put node_modules/.bin first on their children's PATH, so
# without that a test spawning `npm run ...` would silently run its child under the pinned major; on exit it points
# back. better-sqlite3's prebuilt Node-API binding loads under any supported major, so nothing is rebuilt;
# scripts/check-runtime.mjs checks that before the run. Do not run npm commands in the same checkout meanwhile.
set -euo pipefail
cd "$(dirname "$0")/../.."

usage() {
  echo "usage: bash scripts/ci/with-node.sh <major> (npm-test | regtest [vitest args...] | <command...>)" >&2
  exit 2
}
[ $# -ge 2 ] || usage
major=$1
shift
[[ $major =~ ^[0-9]+$ ]] || usage

pinned=node_modules/.bin/node
pinned_link=../node/bin/node # what npm links for the `node` package
[ -x node_modules/node/bin/node ] || { echo "with-node: node_modules/node is missing: run npm ci first" >&2; exit 1; }
# Points back at the pinned runtime first, in case an earlier run was killed before it could.
ln -sfn "$pinned_link" "$pinned"
pinned_major=$("$pinned" -p 'process.versions.node.split(".")[0]')

if [ "$major" = "$pinned_major" ]; then
  runtime=$(realpath "$pinned")
else
  cache="${XDG_CACHE_HOME:-$HOME/.cache}/lvdao/node/$major"
  runtime="$cache/node_modules/node/bin/node"
  if [ ! -x "$runtime" ]; then
    echo "with-node: installing the registry's node@$major into $cache"
    mkdir -p "$cache"
    npm install --prefix "$cache" --no-audit --no-fund --silent "node@$major"
  fi
  [ -x "$runtime" ] || { echo "with-node: node@$major did not install a runtime at $runtime" >&2; exit 1; }
  restore() {
    ln -sfn "$pinned_link" "$pinned"
    echo "with-node: node_modules/.bin/node is node $("$pinned" -v) again"
  }
  trap restore EXIT
  ln -sfn "$runtime" "$pinned"
fi

version=$("$runtime" -v)
[ "${version%%.*}" = "v$major" ] || { echo "with-node: $runtime is $version, not node $major" >&2; exit 1; }
"$runtime" scripts/check-runtime.mjs --node "$runtime"
export PATH="$(dirname "$runtime"):$PWD/node_modules/.bin:$PATH"

vitest=(node node_modules/vitest/vitest.mjs run)
case "$1" in
  npm-test)
    [ $# -eq 1 ] || usage
    echo "with-node: node $version: vitest run, then the web app's unit project"
    "${vitest[@]}"
    "${vitest[@]}" --config offchain/web/vitest.config.ts --project web
    ;;
  regtest)
    shift
    echo "with-node: node $version: the regtest suites"
    "${vitest[@]}" --config offchain/regtest/vitest.config.ts "$@"
    ;;
  *)
    echo "with-node: node $version: $*"
    "$@"
    ;;
esac
