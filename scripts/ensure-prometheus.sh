#!/usr/bin/env bash
# Makes sure Debian's prometheus package is installed: the /metrics tests run `promtool check metrics` and
# `promtool check rules` on the bot's output and docs, and start a real Prometheus server on loopback to scrape the
# bot (tests/ApprovalBot.IntegrationTests/Metrics). Idempotent: installs with apt only when promtool or prometheus is
# missing. Needs root (or sudo) and the distribution's package mirror the first time; does nothing afterwards.
# The package's own service is not started by the tests (they start their own server on a free port); on a systemd
# machine apt may start it on :9090, which the tests do not use.
set -euo pipefail

if command -v promtool >/dev/null 2>&1 && command -v prometheus >/dev/null 2>&1; then
  exit 0
fi

SUDO=""
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null 2>&1 || { echo "ensure-prometheus: promtool/prometheus missing and installing them needs root" >&2; exit 1; }
  SUDO="sudo"
fi

echo "ensure-prometheus: installing prometheus (apt)" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends prometheus >/dev/null
command -v promtool >/dev/null 2>&1 || { echo "ensure-prometheus: apt finished but promtool is still missing" >&2; exit 1; }
promtool --version 2>&1 | head -1 >&2 || true
