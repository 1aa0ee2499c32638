#!/usr/bin/env bash
# Makes sure Debian's Chromium is installed for the browser tests (Playwright's own browser
# download cannot reach its servers here). Installs it with apt-get when run as root.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "Chromium is missing: run 'sudo apt-get update && sudo apt-get install -y chromium' (Debian/Ubuntu)." >&2
  exit 1
fi
echo "Installing Debian's chromium for the browser tests..."
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
