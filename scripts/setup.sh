#!/usr/bin/env bash
# Installs what building and testing need, from the package registries only. Idempotent: each step
# is skipped when its tool already answers with the right version, so a warm run takes a second.
#
#   - the wasm32-unknown-unknown rustup target
#   - wasm-bindgen-cli (wasm-bindgen + wasm-bindgen-test-runner) at exactly the wasm-bindgen version
#     in Cargo.lock
#   - worker-build 0.8.7
#   - wrangler (and its workerd binary) from package-lock.json via `npm ci`
#   - the sqlite3 CLI (Debian), which the end-to-end tests use to read the local D1 file
#   - Chromium (Debian), in which the replay tool's HTML report is rendered and checked
#   - the web client's own node_modules (client/package-lock.json via `npm ci` in client/: Vite,
#     Preact, TypeScript, Vitest, playwright-core; no browser download, Debian's chromium is used)
set -euo pipefail
cd "$(dirname "$0")/.."

WORKER_BUILD_VERSION=0.8.7
CARGO_BIN="${CARGO_HOME:-$HOME/.cargo}/bin"
export PATH="$CARGO_BIN:$PATH"

log() { printf '[setup] %s\n' "$*"; }

# 1. wasm target
if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "wasm32-unknown-unknown target: present"
else
  log "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# 2. wasm-bindgen CLI, pinned to Cargo.lock. (Not --locked: its own lockfile pins a crate version
#    the registry no longer serves.)
wb_version=$(awk '$0 == "name = \"wasm-bindgen\"" { getline; gsub(/^version = "|"$/, ""); print; exit }' Cargo.lock)
if [ -z "$wb_version" ]; then
  echo "[setup] cannot read the wasm-bindgen version from Cargo.lock" >&2
  exit 1
fi
have_wb=$(wasm-bindgen --version 2>/dev/null | awk '{ print $NF }' || true)
have_runner=$(command -v wasm-bindgen-test-runner || true)
if [ "$have_wb" = "$wb_version" ] && [ -n "$have_runner" ]; then
  log "wasm-bindgen-cli $wb_version: present"
else
  log "installing wasm-bindgen-cli $wb_version (found: '${have_wb:-none}'; ~4 min cold)"
  cargo install wasm-bindgen-cli --version "$wb_version" --force
fi

# 3. worker-build
# (`worker-build --version` prints the bare version, e.g. "0.8.7".)
have_wbuild=$(worker-build --version 2>/dev/null | awk '{ print $NF }' || true)
if [ "$have_wbuild" = "$WORKER_BUILD_VERSION" ]; then
  log "worker-build $WORKER_BUILD_VERSION: present"
else
  log "installing worker-build $WORKER_BUILD_VERSION (found: '${have_wbuild:-none}'; ~6.5 min cold)"
  cargo install worker-build --version "$WORKER_BUILD_VERSION" --force
fi

# 4. wrangler: `npm ci`, skipped while node_modules was installed from this very lockfile.
stamp=node_modules/.setup-stamp
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -x node_modules/.bin/wrangler ]; then
  log "node_modules (wrangler): current"
else
  log "npm ci (wrangler)"
  npm ci --no-audit --no-fund
  echo "$want" > "$stamp"
fi
# 5. sqlite3 CLI (the end-to-end tests read the local D1 database file with it), from Debian.
if command -v sqlite3 >/dev/null; then
  log "sqlite3: present"
elif command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
  log "installing sqlite3 (apt)"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq sqlite3 >/dev/null
else
  echo "[setup] sqlite3 is missing: install it (e.g. sudo apt-get install sqlite3)" >&2
  exit 1
fi
# 6. Chromium (the replay report test renders the HTML page headless and checks its DOM).
if command -v chromium >/dev/null || command -v chromium-browser >/dev/null; then
  log "chromium: present"
elif command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
  log "installing chromium (apt, ~1-2 min)"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
else
  echo "[setup] chromium is missing: the replay report test will skip (sudo apt-get install chromium)" >&2
fi
# 7. The web client's toolchain: `npm ci` in client/ (its own package-lock.json and node_modules, not
#    the shared root ones), skipped while client/node_modules was installed from this very lockfile.
#    playwright-core never downloads a browser (the browser test uses Debian's /usr/bin/chromium).
cstamp=client/node_modules/.setup-stamp
cwant=$(sha256sum client/package-lock.json | cut -d' ' -f1)
if [ -f "$cstamp" ] && [ "$(cat "$cstamp")" = "$cwant" ] && [ -x client/node_modules/.bin/vite ]; then
  log "client/node_modules (vite, preact, playwright-core): current"
else
  log "npm ci in client/ (web client toolchain)"
  (cd client && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
  echo "$cwant" > "$cstamp"
fi
log "done"
