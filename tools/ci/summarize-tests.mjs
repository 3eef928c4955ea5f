// Sums the Vitest JSON reports of every project into the one line CI reads, and names what failed:
// a failed test, and also a file whose tests all passed but whose hooks (beforeAll/afterAll)
// failed, or a project whose run failed with no failed test (an unhandled error: see its log).
import { readdirSync, readFileSync } from 'node:fs';

const dir = '.test-results';
let passed = 0;
let failed = 0;
let skipped = 0;
let brokenRuns = 0;
for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
  const report = JSON.parse(readFileSync(`${dir}/${file}`, 'utf8'));
  const project = file.replace(/\.json$/, '');
  console.log(`  ${project.padEnd(24)} ${report.numPassedTests} passed`);
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + report.numTodoTests;
  for (const suite of report.testResults) {
    for (const test of suite.assertionResults.filter((t) => t.status === 'failed')) {
      console.log(`    FAILED ${test.fullName}: ${(test.failureMessages[0] ?? '').split('\n')[0]}`);
    }
    if (suite.status === 'failed' && suite.message) {
      console.log(`    FAILED ${suite.name}: ${suite.message.split('\n')[0]}`);
    }
  }
  if (!report.success && report.numFailedTests === 0) {
    brokenRuns += 1;
    console.log(`    FAILED ${project}: the run failed with no failed test (see its log above)`);
  }
}
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exitCode = failed > 0 || brokenRuns > 0 || passed === 0 ? 1 : 0;
