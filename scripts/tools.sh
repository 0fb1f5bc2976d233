# shellcheck shell=bash
# Installs, idempotently, what the README's two commands need. Sourced by scripts/serve and
# scripts/test. Each `need_*` checks first and installs only what is missing or of the wrong
# version; nothing downloads a prebuilt binary at run time (tools are built by cargo or come
# from Debian/Homebrew/npm packages).

set -euo pipefail

SVCSCOPE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SVCSCOPE_CACHE="${SVCSCOPE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/svcscope}"
TRUNK_VERSION="0.21.14"
WASM_PACK_VERSION="0.15.1"
BINARYEN_VERSION="132"
TERSER_VERSION="5.51.4"
AXE_VERSION="4.14.1"
MKDOCS_VERSION="1.6.1"
MKDOCS_MATERIAL_VERSION="9.8.2"
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

is_macos() { [ "$(uname -s)" = "Darwin" ]; }

# Runs a command as root: directly when we are root, through sudo otherwise.
as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

APT_UPDATED=""
apt_install() {
  if [ -z "$APT_UPDATED" ]; then
    say "apt-get update"
    as_root apt-get update -qq
    APT_UPDATED=1
  fi
  say "apt-get install $*"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# A C compiler and pkg-config, for the crates that `cargo install` builds.
need_build_tools() {
  if command -v cc >/dev/null && command -v pkg-config >/dev/null; then return; fi
  if is_macos; then
    say "install the Xcode command line tools: xcode-select --install"; return 1
  fi
  apt_install build-essential pkg-config
}

need_wasm_target() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "rustup target add wasm32-unknown-unknown"
    rustup target add wasm32-unknown-unknown
  fi
}

need_trunk() {
  if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
    need_build_tools
    say "cargo install trunk@$TRUNK_VERSION (about 12 minutes, once)"
    cargo install --locked --force "trunk@$TRUNK_VERSION"
  fi
}

# wasm-bindgen-cli at exactly the version Cargo.lock resolved: Trunk and wasm-pack use a system
# wasm-bindgen only when the versions match (otherwise they would try to download one).
wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' \
    "$SVCSCOPE_ROOT/Cargo.lock"
}

need_wasm_bindgen() {
  local version
  version="$(wasm_bindgen_version)"
  [ -n "$version" ] || { say "no wasm-bindgen in Cargo.lock"; return 1; }
  if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $version" ]; then
    need_build_tools
    say "cargo install wasm-bindgen-cli@$version (about 5 minutes, once)"
    # Not --locked: one of its locked dependencies is missing from the registry.
    cargo install --force "wasm-bindgen-cli@$version"
  fi
}

need_node() {
  if command -v npm >/dev/null && command -v node >/dev/null; then return; fi
  if is_macos; then brew install node; else apt_install nodejs npm; fi
}

# wasm-opt from the npm package binaryen@132 (Debian's wasm-opt 108 breaks wasm-bindgen's
# output), kept in a cache outside the repository and put first on PATH for Trunk.
need_wasm_opt() {
  local dir="$SVCSCOPE_CACHE/binaryen-$BINARYEN_VERSION"
  if ! "$dir/node_modules/.bin/wasm-opt" --version 2>/dev/null | grep -q "(version_$BINARYEN_VERSION)"; then
    need_node
    say "npm install binaryen@$BINARYEN_VERSION into $dir"
    mkdir -p "$dir"
    npm install --prefix "$dir" --no-audit --no-fund --silent "binaryen@$BINARYEN_VERSION.0.0"
  fi
  export PATH="$dir/node_modules/.bin:$PATH"
}

# The npm package NAME at VERSION, in the cache outside the repository (installed when it is
# missing or another version): its directory in NPM_PACKAGE_DIR.
need_npm_package() {
  local name="$1" version="$2"
  local dir="$SVCSCOPE_CACHE/$name-$version"
  if [ ! -f "$dir/node_modules/$name/package.json" ] ||
    ! grep -q "\"version\": \"$version\"" "$dir/node_modules/$name/package.json"; then
    need_node
    say "npm install $name@$version into $dir"
    mkdir -p "$dir"
    npm install --prefix "$dir" --no-audit --no-fund --silent "$name@$version"
  fi
  NPM_PACKAGE_DIR="$dir/node_modules/$name"
}

# terser from npm, which scripts/minify-js.mjs (a Trunk post-build hook) runs on the release
# build's JavaScript: Trunk's own minifier fails on wasm-bindgen's glue ("Failed to minify JS")
# and leaves it as it is.
need_terser() {
  need_npm_package terser "$TERSER_VERSION" || return
  export SVCSCOPE_TERSER="$NPM_PACKAGE_DIR"
}

# axe-core from npm, which the end-to-end tests run in the page (accessibility: no violation
# of impact "serious" or "critical"); its path in SVCSCOPE_AXE.
need_axe() {
  need_npm_package axe-core "$AXE_VERSION" || return
  export SVCSCOPE_AXE="$NPM_PACKAGE_DIR/axe.min.js"
}

# MkDocs and Material for MkDocs from PyPI, in a virtual environment in the cache: the
# end-to-end test builds docs/mkdocs/ with them; the binary's path in SVCSCOPE_MKDOCS.
need_mkdocs() {
  local dir="$SVCSCOPE_CACHE/mkdocs-$MKDOCS_VERSION-material-$MKDOCS_MATERIAL_VERSION"
  if ! "$dir/bin/mkdocs" --version 2>/dev/null | grep -q "version $MKDOCS_VERSION "; then
    say "pip install mkdocs==$MKDOCS_VERSION mkdocs-material==$MKDOCS_MATERIAL_VERSION into $dir"
    command -v python3 >/dev/null || apt_install python3
    python3 -m venv "$dir" 2>/dev/null || { apt_install python3-venv && python3 -m venv "$dir"; }
    "$dir/bin/pip" install --quiet --disable-pip-version-check \
      "mkdocs==$MKDOCS_VERSION" "mkdocs-material==$MKDOCS_MATERIAL_VERSION"
  fi
  export SVCSCOPE_MKDOCS="$dir/bin/mkdocs"
}

need_wasm_pack() {
  if [ "$(wasm-pack --version 2>/dev/null)" != "wasm-pack $WASM_PACK_VERSION" ]; then
    need_build_tools
    say "cargo install wasm-pack@$WASM_PACK_VERSION (about 3 minutes, once)"
    cargo install --force "wasm-pack@$WASM_PACK_VERSION"
  fi
}

# Chromium and its matching chromedriver: Debian's packages, or Homebrew's on macOS.
need_browser() {
  if is_macos; then
    command -v chromedriver >/dev/null || brew install --cask chromedriver
    [ -d "/Applications/Google Chrome.app" ] || brew install --cask google-chrome
    export CHROMEDRIVER="${CHROMEDRIVER:-$(command -v chromedriver)}"
    return
  fi
  if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
    apt_install chromium chromium-driver
  fi
  export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
}

# `dig` (BIND 9), the real DNS client the serve-dns test queries the model with.
need_dig() {
  if command -v dig >/dev/null; then return; fi
  if is_macos; then
    brew install bind
    return
  fi
  apt_install dnsutils
}

# nft (Debian's nftables 1.0.6), which the nftables test loads the model's tables into, in a
# network namespace of its own (unshare, from util-linux).
need_nft() {
  if command -v nft >/dev/null || [ -x /usr/sbin/nft ]; then return; fi
  if is_macos; then
    say "the nftables test needs Linux (nft and network namespaces)"
    return
  fi
  apt_install nftables
}

# ipset and iptables (Debian's ipset 7 and iptables 1.8), which the IPVS test restores the
# model's sets and rules into, in a network namespace of its own.
need_ipset_iptables() {
  if { command -v ipset || [ -x /usr/sbin/ipset ]; } >/dev/null &&
     { command -v iptables-restore || [ -x /usr/sbin/iptables-restore ]; } >/dev/null; then
    return
  fi
  if is_macos; then
    say "the IPVS test needs Linux (ipset, iptables and network namespaces)"
    return
  fi
  apt_install ipset iptables
}

# Everything `trunk build` / `trunk serve` needs.
need_web_build_tools() {
  need_wasm_target
  need_trunk
  need_wasm_bindgen
  need_wasm_opt
  need_terser
}
