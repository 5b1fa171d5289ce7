#!/usr/bin/env bash
# Installs what the integration and UI tests need into .tools/ (outside the extension's node_modules and
# out of the .vsix): code-server 4.100.3 (VS Code 1.100.3, the newest release for Node 20), Debian
# chromium, and playwright-core; and the Debian Python packages the Python component tests run with
# (/usr/bin/python3 with numpy, Pillow, boto3 and pip, docs/python.md). Idempotent; a no-op in well under a
# second when everything is present.
set -euo pipefail
cd "$(dirname "$0")/.."
TOOLS="$PWD/.tools"
CS_VERSION=4.100.3
PLAYWRIGHT_VERSION=1.65.1
CS_BIN="$TOOLS/code-server/node_modules/.bin/code-server"
PW_PKG="$TOOLS/playwright/node_modules/playwright-core/package.json"

# Debian packages: chromium to drive the workbench; build-essential to pkg-config to build code-server's
# native modules (kerberos needs libkrb5-dev); rg to seed @vscode/ripgrep (no GitHub download here); the
# python3-* packages for the embedded platform's Python functions (numpy and Pillow handlers, boto3 for the
# result sink, pip for requirements.txt vendoring), which it runs with /usr/bin/python3.
apt_packages=(build-essential python3 pkg-config libkrb5-dev libsecret-1-dev libx11-dev libxkbfile-dev ripgrep chromium fonts-dejavu-core
  python3-pil python3-numpy python3-boto3 python3-pip)
missing=()
for p in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "[install-test-tools] apt-get install ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then echo "[install-test-tools] need root for apt-get (missing: ${missing[*]})" >&2; exit 1; fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

installed_cs_version() { [ -x "$CS_BIN" ] && node -p "require('$TOOLS/code-server/node_modules/code-server/package.json').version" 2>/dev/null || true; }
if [ "$(installed_cs_version)" != "$CS_VERSION" ]; then
  echo "[install-test-tools] code-server $CS_VERSION -> $TOOLS/code-server"
  # @vscode/ripgrep's postinstall downloads rg from GitHub; its cache (under TMPDIR, named by the ripgrep
  # package version) is pre-seeded with Debian's rg so the install works offline.
  RG_CACHE="${TMPDIR:-/tmp}/vscode-ripgrep-cache-1.15.11"
  RG_TAR="$RG_CACHE/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"
  if [ ! -f "$RG_TAR" ]; then
    mkdir -p "$RG_CACHE"; d=$(mktemp -d); cp /usr/bin/rg "$d/rg"; tar czf "$RG_TAR" -C "$d" rg; rm -rf "$d"
  fi
  mkdir -p "$TOOLS/code-server"
  [ -f "$TOOLS/code-server/package.json" ] || echo '{"name":"propack-test-code-server","private":true}' > "$TOOLS/code-server/package.json"
  # unsafe_perm: code-server's postinstall refuses root otherwise; yes: node-pty runs `npx node-gyp`
  # non-interactively; nodedir: node-gyp uses the distro's headers instead of downloading them.
  (cd "$TOOLS/code-server" && npm_config_unsafe_perm=true npm_config_yes=true npm_config_nodedir=/usr \
    npm install --no-audit --no-fund --no-save --loglevel=error "code-server@$CS_VERSION")
fi

if [ ! -f "$PW_PKG" ] || [ "$(node -p "require('$PW_PKG').version")" != "$PLAYWRIGHT_VERSION" ]; then
  echo "[install-test-tools] playwright-core $PLAYWRIGHT_VERSION -> $TOOLS/playwright"
  mkdir -p "$TOOLS/playwright"
  [ -f "$TOOLS/playwright/package.json" ] || echo '{"name":"propack-test-playwright","private":true}' > "$TOOLS/playwright/package.json"
  (cd "$TOOLS/playwright" && npm install --no-audit --no-fund --no-save --loglevel=error "playwright-core@$PLAYWRIGHT_VERSION")
fi

echo "[install-test-tools] ready: code-server $(installed_cs_version), playwright-core $PLAYWRIGHT_VERSION, $(chromium --version 2>/dev/null | head -1)"
