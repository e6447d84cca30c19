#!/usr/bin/env bash
# Makes sure the system Chromium that tests/e2e/test/dashboard.e2e.test.js drives (through playwright-core, which
# downloads no browser) is installed at /usr/bin/chromium. Idempotent: installs with apt only when it is missing.
# Needs root (or sudo) and the distribution's package mirror the first time; does nothing afterwards.
set -euo pipefail

CHROMIUM=/usr/bin/chromium
if [[ -x "$CHROMIUM" ]]; then
  exit 0
fi

SUDO=""
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null 2>&1 || { echo "ensure-chromium: $CHROMIUM is missing and installing it needs root" >&2; exit 1; }
  SUDO="sudo"
fi

echo "ensure-chromium: installing chromium (apt)" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends chromium >/dev/null
[[ -x "$CHROMIUM" ]] || { echo "ensure-chromium: apt finished but $CHROMIUM is still missing" >&2; exit 1; }
"$CHROMIUM" --version >&2 || true
