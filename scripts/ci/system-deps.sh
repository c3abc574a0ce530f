#!/usr/bin/env bash
# The Debian packages lvdao's test suites start as real peers: PostgreSQL (the relay journal's PostgreSQL backend),
# setpriv from util-linux (runs that server as the postgres user when CI is root), chromium (the web app's browser
# tests), systemd (`systemd-analyze verify` of ops/systemd's units) and prometheus (its `promtool` tests the alert
# rules; the server scrapes a running relay in the dashboard test). Installs only what is missing, so a machine that
# has them does not touch apt at all.
# Go (>= 1.24) builds btcd, lnd and tapd; `npm run regtest:install` checks its version and says what to install.
set -euo pipefail

packages=(postgresql-15 util-linux chromium chromium-driver systemd prometheus)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "system packages: all present (${packages[*]})"
  exit 0
fi

echo "system packages: installing ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "system packages: need root or sudo to install ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
$sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
