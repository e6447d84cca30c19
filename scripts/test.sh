#!/usr/bin/env bash
# Runs every test suite of ApprovalBot on a fresh machine of this kind and ends with one line
# "N passed, N failed, N skipped" summed over all suites.
#   - installs the Node packages the card, manifest and end-to-end suites need (npm ci, pinned lock files)
#     and Chromium (apt, only when missing) for the dashboard's browser test;
#   - starts a throwaway PostgreSQL on 127.0.0.1 (scripts/postgres.sh) and stops it afterwards;
#   - builds once (Release), runs the unit and integration tests (TRX results), then the end-to-end suite
#     against the Microsoft 365 Agents Playground.
# With CI=true a skipped test counts as a failure: suites that need a real component must really run.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
RESULTS="$ROOT/.artifacts/test-results"
rm -rf "$RESULTS" && mkdir -p "$RESULTS"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export APPLICATION_INSIGHTS_NO_STATSBEAT=true

log() { printf '\n==> %s\n' "$*"; }
PG_STARTED=0
cleanup() {
  if [[ $PG_STARTED == 1 ]]; then bash "$ROOT/scripts/postgres.sh" stop >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT INT TERM

# 1. Node packages (pinned by package-lock.json) for the suites that check us against official JS tools.
for dir in tests/cards tests/manifest tests/e2e; do
  if [[ -f "$dir/package.json" ]]; then
    log "npm ci in $dir"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error) || { echo "npm ci failed in $dir"; exit 1; }
  fi
done

# 1b. Chromium (apt, only when missing) for the dashboard's browser test in the end-to-end suite.
log "Chromium for the browser tests"
bash scripts/ensure-chromium.sh || { echo "Chromium could not be installed"; echo "0 passed, 1 failed"; exit 1; }
bash scripts/ensure-prometheus.sh || { echo "Prometheus could not be installed"; echo "0 passed, 1 failed"; exit 1; }

# 2. A throwaway PostgreSQL for the storage and scheduling tests.
if [[ -z "${APPROVALBOT_TEST_POSTGRES:-}" ]]; then
  log "starting a throwaway PostgreSQL"
  export APPROVALBOT_PG_STATE="$RESULTS/postgres.env"
  export APPROVALBOT_PG_OWNER_PID=$$     # the server goes away with this script, even if it is killed
  if EXPORT_LINE="$(bash scripts/postgres.sh start)"; then
    PG_STARTED=1
    eval "$EXPORT_LINE"
  else
    echo "PostgreSQL could not be started"; echo "0 passed, 1 failed"; exit 1
  fi
fi

# 3. Build once.
log "dotnet build (Release)"
dotnet build ApprovalBot.sln -c Release -warnaserror --nologo -v quiet || { echo "0 passed, 1 failed"; exit 1; }

# 4. .NET suites. An integration test that fails (at most three of them) runs once more on its own; one that passes
#    then counts as passed and is named as flaky in the summary, with its first failure (scripts/test-results.py).
DOTNET_FAILED=0
for project in tests/ApprovalBot.UnitTests tests/ApprovalBot.IntegrationTests; do
  name="$(basename "$project")"
  log "dotnet test $name"
  if ! dotnet test "$project" -c Release --no-build --nologo \
      --logger "trx;LogFileName=$name.trx" --results-directory "$RESULTS" \
      --logger "console;verbosity=minimal"; then
    filter=""
    [[ $name == ApprovalBot.IntegrationTests ]] && filter="$(python3 scripts/test-results.py rerun-filter "$RESULTS/$name.trx" 3)"
    if [[ -n $filter ]]; then
      log "dotnet test $name: running the failed test(s) again on their own"
      dotnet test "$project" -c Release --no-build --nologo --filter "$filter" \
        --logger "trx;LogFileName=$name.trx" --results-directory "$RESULTS/rerun" \
        --logger "console;verbosity=minimal" || DOTNET_FAILED=1
    else
      DOTNET_FAILED=1
    fi
  fi
done

# 5. End-to-end against the Agents Playground.
E2E_FAILED=0
if [[ -f tests/e2e/package.json ]]; then
  log "end-to-end (Agents Playground)"
  (cd tests/e2e && BOT_DLL="$ROOT/src/ApprovalBot/bin/Release/net10.0/ApprovalBot.dll" npm test) || E2E_FAILED=1
fi

# 6. The failures, then one line for CI.
python3 scripts/test-results.py summary "$RESULTS" "$ROOT/tests/e2e/.results/summary.json" "$DOTNET_FAILED" "$E2E_FAILED"
