// node:test reporter: writes .results/summary.json {passed, failed, skipped, ...} from the runner's
// own closing counts, and removes the run's logs when everything passed (unless E2E_KEEP_LOGS is set).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const resultsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '.results');

export default async function* summaryReporter(source) {
  // no summary.json while a run is under way: a missing file means the run did not finish
  fs.rmSync(path.join(resultsDir, 'summary.json'), { force: true });
  const counts = {};
  let leafPass = 0;
  let leafFail = 0;
  let leafSkip = 0;
  for await (const event of source) {
    if (event.type === 'test:diagnostic') {
      const m = /^(tests|suites|pass|fail|cancelled|skipped|todo|duration_ms) ([\d.]+)$/.exec(event.data.message);
      if (m) counts[m[1]] = Number(m[2]);
    } else if (event.type === 'test:pass' && event.data.details?.type !== 'suite') {
      if (event.data.skip || event.data.todo) leafSkip++; else leafPass++;
    } else if (event.type === 'test:fail' && event.data.details?.type !== 'suite') {
      leafFail++;
    }
  }
  const haveCounts = 'pass' in counts && 'fail' in counts;
  const summary = {
    passed: haveCounts ? counts.pass : leafPass,
    // a cancelled test (e.g. its setup failed) is not a pass
    failed: haveCounts ? counts.fail + (counts.cancelled || 0) : leafFail,
    skipped: haveCounts ? (counts.skipped || 0) + (counts.todo || 0) : leafSkip,
    tests: counts.tests,
    cancelled: counts.cancelled,
    durationMs: counts.duration_ms,
    complete: haveCounts,
    finishedAt: new Date().toISOString(),
  };
  fs.mkdirSync(resultsDir, { recursive: true });
  fs.writeFileSync(path.join(resultsDir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  const keep = /^(1|true|yes)$/i.test(process.env.E2E_KEEP_LOGS || '');
  if (!keep && summary.failed === 0 && summary.passed > 0) {
    for (const f of fs.readdirSync(resultsDir)) {
      if (/\.(log|jsonl)$/.test(f)) fs.rmSync(path.join(resultsDir, f), { force: true });
    }
  }
  yield '';
}
