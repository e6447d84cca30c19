#!/usr/bin/env bash
# The benchmark of issue 8 (docs/benchmarks.md): builds Release, starts what it needs, runs the built bot as a child
# process against the fake Bot Framework login, Entra and Teams connector, prints the table of figures and writes
# results.csv, samples.csv, table.txt and one SVG chart per figure into the output folder. Not part of the tests.
#
#   scripts/bench.sh [--quick] [--sqlite-only|--postgres-only] [--out DIR] [--only FIGURES] [--concurrency L] [--escalations L] [--recipients L] [--timers N,N] [--timer-window S] [--setup-per-timer SECONDS] [--bot-setting K=V] [--verbose]
#
#   --quick          a small-scale smoke run (a few minutes) instead of the full one (an hour or more per database)
#   --sqlite-only    only SQLite;  --postgres-only: only PostgreSQL (default: both)
#   --out DIR        output folder (default bench/results/<UTC timestamp>/, git-ignored)
#   --only a,b       only these figures: command, card-action, footprint (memory + start-up), timers, fan-out, fan-out-gate
#   --concurrency L  the concurrent users of the card-action and command figures (default 25,50,100; quick 10,20)
#   --escalations L  the open escalations of the footprint figure (default 10000,...,100000; quick 2000)
#   --recipients L   the digest recipients of the fan-out figure (default 2500,5000,10000; quick 500)
#   --timers N,N     the timer figure runs only these counts of deadlines (figure timers-scaling), e.g. 10000,20000
#   --timer-window S each over S seconds (default 120; quick 15)
#   --setup-per-timer SECONDS  seeding + arming time a timer, measured before (the lead before the first deadline)
#   --bot-setting K=V  a setting for every bot (repeatable), e.g. Scheduling:MaxConcurrency=16, to try a tuning
#   --verbose        echo every line the bots log to stderr
#
# PostgreSQL: APPROVALBOT_TEST_POSTGRES when set, else a throwaway server (scripts/postgres.sh with a state file of its
# own), stopped on exit. Every process this script starts is stopped by its PID on exit, Ctrl-C included; the bots are
# children of the benchmark, which kills them (and a watchdog per bot kills them if the benchmark itself dies).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

ARGS=()
NEED_PG=1
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick|--verbose|--postgres-only) ARGS+=("$1") ;;
    --sqlite-only) ARGS+=("$1"); NEED_PG=0 ;;
    --out|--only|--concurrency|--escalations|--recipients|--timers|--timer-window|--setup-per-timer|--bot-setting)
      [[ $# -ge 2 ]] || { echo "bench.sh: $1 needs a value" >&2; exit 2; }
      ARGS+=("$1" "$2"); shift ;;
    -h|--help) sed -n '2,22p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
  shift
done

PG_STATE=""
BENCH_PID=""
cleanup() {
  local status=$?
  if [[ -n "$BENCH_PID" ]] && kill -0 "$BENCH_PID" 2>/dev/null; then
    kill -TERM "$BENCH_PID" 2>/dev/null || true
    for _ in $(seq 1 20); do kill -0 "$BENCH_PID" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$BENCH_PID" 2>/dev/null || true
  fi
  if [[ -n "$PG_STATE" ]]; then
    APPROVALBOT_PG_STATE="$PG_STATE" bash "$ROOT/scripts/postgres.sh" stop >/dev/null 2>&1 || true
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "==> building Release" >&2
dotnet build bench/ApprovalBot.Benchmarks -c Release -v q --nologo >&2
# The bots run as they are deployed: published with ReadyToRun (docs/deployment.md), which takes a third off the CPU
# the bot spends before it is healthy. Publishing is incremental, so a second run costs seconds.
echo "==> publishing the bot (Release, ReadyToRun)" >&2
BOT_OUT="$ROOT/bench/results/.bot"
RID="$(dotnet --info | awk '/RID:/ {print $2; exit}')"
dotnet publish src/ApprovalBot -c Release -r "${RID:-linux-x64}" --self-contained false \
  -o "$BOT_OUT" -v q --nologo >&2
export APPROVALBOT_BOT_DLL="$BOT_OUT/ApprovalBot.dll"

if [[ $NEED_PG == 1 && -z "${APPROVALBOT_TEST_POSTGRES:-}" ]]; then
  echo "==> starting a throwaway PostgreSQL" >&2
  PG_STATE="$(mktemp -u "${TMPDIR:-/tmp}/approvalbot-bench-pg.XXXXXX").env"
  # The server stops itself once this script is gone, even if it is killed (the script's watchdog).
  # Durable, as deployed: fsync and synchronous commit on (the tests' throwaway server has them off).
  eval "$(APPROVALBOT_PG_DURABLE=1 APPROVALBOT_PG_STATE="$PG_STATE" APPROVALBOT_PG_OWNER_PID=$$ bash scripts/postgres.sh start)"
  export APPROVALBOT_TEST_POSTGRES
fi

echo "==> running the benchmark" >&2
dotnet bench/ApprovalBot.Benchmarks/bin/Release/net10.0/ApprovalBot.Benchmarks.dll ${ARGS[@]+"${ARGS[@]}"} &
BENCH_PID=$!
set +e
wait "$BENCH_PID"
STATUS=$?
set -e
BENCH_PID=""
exit "$STATUS"
