#!/usr/bin/env bash
# Installs what the UI tests and the demo need, offline-safe: Debian's Chromium and code-server 4.99.4
# (the newest release that runs on Node 20; VS Code 1.99) into .tools/code-server, outside the extension's
# own dependencies so the VSIX stays small. Idempotent: a second run costs nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
CODE_SERVER_VERSION=4.99.4
TOOLS="$PWD/.tools"
BIN="$TOOLS/code-server/node_modules/.bin/code-server"

need_debs=()
for p in chromium libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev ripgrep; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || need_debs+=("$p")
done
if ((${#need_debs[@]})); then
  echo "install-ui-tools: apt-get install ${need_debs[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_debs[@]}" >/dev/null
fi

if [[ -x "$BIN" ]] && "$BIN" --version 2>/dev/null | grep -q "^$CODE_SERVER_VERSION"; then
  echo "install-ui-tools: code-server $CODE_SERVER_VERSION already in $TOOLS/code-server"
  exit 0
fi

# @vscode/ripgrep's postinstall would download rg; hand it Debian's rg in the cache it looks in first.
rg_cache="${TMPDIR:-/tmp}/vscode-ripgrep-cache-1.15.11"
rg_tar="$rg_cache/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"
if [[ ! -f "$rg_tar" ]]; then
  mkdir -p "$rg_cache"
  staging=$(mktemp -d)
  cp /usr/bin/rg "$staging/rg"
  tar -C "$staging" -czf "$rg_tar" rg
  rm -rf "$staging"
fi

mkdir -p "$TOOLS/code-server"
cd "$TOOLS/code-server"
[[ -f package.json ]] || echo '{ "name": "pcx-dev-tools", "private": true }' > package.json
echo "install-ui-tools: npm install code-server@$CODE_SERVER_VERSION (about a minute)"
npm_config_unsafe_perm=true npm_config_yes=true npm install --no-audit --no-fund --foreground-scripts=false \
  "code-server@$CODE_SERVER_VERSION" > "$TOOLS/code-server-install.log" 2>&1 || {
  tail -30 "$TOOLS/code-server-install.log"; echo "install-ui-tools: code-server install failed (log: $TOOLS/code-server-install.log)"; exit 1; }
"$BIN" --version | head -1
