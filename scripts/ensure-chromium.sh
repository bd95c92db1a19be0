#!/usr/bin/env bash
# Makes sure Debian's Chromium is installed for the dashboard's browser test
# (test/dashboard/dashboard.test.ts drives /usr/bin/chromium through playwright-core).
# Installs it with apt-get when missing: as root, or through sudo when available;
# otherwise says what to install and fails.
set -euo pipefail

CHROMIUM=/usr/bin/chromium

if [ -x "$CHROMIUM" ]; then
  exit 0
fi

install_cmd='apt-get update && apt-get install -y --no-install-recommends chromium'

if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-chromium: $CHROMIUM is missing and apt-get is not available." >&2
  echo "ensure-chromium: install Chromium so that $CHROMIUM exists (Debian/Ubuntu: $install_cmd)." >&2
  exit 1
fi

echo "ensure-chromium: $CHROMIUM is missing; installing Debian's chromium package" >&2
if [ "$(id -u)" -eq 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update
  apt-get install -y --no-install-recommends chromium
elif command -v sudo >/dev/null 2>&1; then
  sudo env DEBIAN_FRONTEND=noninteractive apt-get update
  sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium
else
  echo "ensure-chromium: not root and sudo is not available." >&2
  echo "ensure-chromium: as root, run: $install_cmd" >&2
  exit 1
fi

if [ ! -x "$CHROMIUM" ]; then
  echo "ensure-chromium: the chromium package installed, but $CHROMIUM is still missing." >&2
  exit 1
fi
