#!/usr/bin/env python3
"""Reads the test suites' results for scripts/test.sh.

  test-results.py rerun-filter TRX MAX
      The `dotnet test --filter` that runs again each test that failed in TRX, when 1..MAX failed (else nothing).
  test-results.py summary RESULTS E2E_SUMMARY DOTNET_FAILED E2E_FAILED
      Prints each failure (name, message, the top of its stack) and each test that failed once and then passed on its
      rerun, then the one line CI reads: "N passed, N failed[, N skipped]". Exits 1 when anything failed.

A rerun's results (RESULTS/rerun/*.trx) stand in for the first results of the tests they ran: a test counts as passed
when every case of it passed on the rerun, and is named as flaky with its first failure, so it is seen and fixed.
"""
import glob
import json
import os
import sys
import xml.etree.ElementTree as ET

NS = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
FAILED = {"Failed", "Error", "Timeout", "Aborted"}


def results(path):
    """(fully qualified method name, display name, outcome, message, stack) for every result in a TRX file."""
    root = ET.parse(path).getroot()
    methods = {}
    for unit in root.iterfind("t:TestDefinitions/t:UnitTest", NS):
        method = unit.find("t:TestMethod", NS)
        methods[unit.get("id")] = f"{method.get('className')}.{method.get('name')}"
    for result in root.iterfind("t:Results/t:UnitTestResult", NS):
        message = result.findtext("t:Output/t:ErrorInfo/t:Message", default="", namespaces=NS)
        stack = result.findtext("t:Output/t:ErrorInfo/t:StackTrace", default="", namespaces=NS)
        yield methods.get(result.get("testId"), result.get("testName")), result.get("testName"), result.get("outcome"), message, stack


def rerun_filter(trx, most):
    if not os.path.exists(trx):
        return
    failed = sorted({fqn for fqn, _, outcome, _, _ in results(trx) if outcome in FAILED})
    if 1 <= len(failed) <= most:
        print("|".join(f"FullyQualifiedName={name}" for name in failed))


def show(title, name, message, stack):
    print(f"--- {title}: {name}")
    print(message.strip()[:4000])
    lines = [line for line in stack.strip().splitlines() if line.strip()]
    for line in lines[:8]:
        print(f"    {line.strip()}")


def summary(results_dir, e2e, dotnet_failed, e2e_failed):
    passed = failed = skipped = 0
    trx = sorted(glob.glob(os.path.join(results_dir, "*.trx")))
    rerun = {}
    for path in glob.glob(os.path.join(results_dir, "rerun", "*.trx")):
        for fqn, _, outcome, _, _ in results(path):
            rerun.setdefault(fqn, []).append(outcome)
    recovered = {fqn for fqn, outcomes in rerun.items() if outcomes and all(o == "Passed" for o in outcomes)}
    failures, flaky = [], []
    for path in trx:
        counters = ET.parse(path).getroot().find("t:ResultSummary/t:Counters", NS)
        passed += int(counters.get("passed", 0))
        failed += sum(int(counters.get(k, 0)) for k in ("failed", "error", "timeout", "aborted"))
        skipped += int(counters.get("notExecuted", 0)) + int(counters.get("inconclusive", 0))
        for fqn, name, outcome, message, stack in results(path):
            if outcome not in FAILED:
                continue
            if fqn in recovered:
                flaky.append((name, message, stack))
                failed -= 1
                passed += 1
            else:
                failures.append((name, message, stack))
    if len(trx) < 2:
        failed += 2 - len(trx)  # a suite that produced no results is a failure
    if dotnet_failed and failed == 0 and not flaky:
        failed += 1  # the runner failed without a failed test (crash, build)
    if os.path.exists(e2e):
        with open(e2e, encoding="utf-8") as f:
            s = json.load(f)
        passed += s.get("passed", 0)
        failed += s.get("failed", 0)
        skipped += s.get("skipped", 0)
        if e2e_failed and s.get("failed", 0) == 0:
            failed += 1
    elif os.path.exists(os.path.dirname(os.path.dirname(e2e)) + "/package.json"):
        failed += 1

    if failures or flaky:
        print()
    for name, message, stack in flaky:
        show("FLAKY (failed, then passed when run again on its own)", name, message, stack)
    for name, message, stack in failures:
        show("FAILED", name, message, stack)
    if os.environ.get("CI") == "true" and skipped:
        print(f"CI requires every suite to run: {skipped} test(s) were skipped")
        failed += skipped
    if flaky:
        print(f"{len(flaky)} test(s) failed once and passed on their rerun; they count as passed and are named above.")
    print(f"{passed} passed, {failed} failed" + (f", {skipped} skipped" if skipped else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    if sys.argv[1] == "rerun-filter":
        rerun_filter(sys.argv[2], int(sys.argv[3]))
    elif sys.argv[1] == "summary":
        sys.exit(summary(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])))
    else:
        sys.exit(f"unknown command {sys.argv[1]}")
