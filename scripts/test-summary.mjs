#!/usr/bin/env node
// Adds up the JSON reports that each workspace's vitest wrote (`--outputFile.json=NAME`) and
// prints one closing line for CI, "N passed, N failed", with the counts per suite above it.
// Usage: node scripts/test-summary.mjs [REPORT_NAME ...]   (default .vitest-results.json)
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'

const reportNames = process.argv.length > 2 ? process.argv.slice(2) : ['.vitest-results.json']
const workspaces = ['apps', 'packages'].flatMap((group) =>
  existsSync(group)
    ? readdirSync(group)
        .sort()
        .map((name) => join(group, name))
    : [],
)
const reports = workspaces.flatMap((workspace) =>
  reportNames
    .map((reportName) => join(workspace, reportName))
    .filter((file) => existsSync(file))
    .map((file) => ({ file, report: JSON.parse(readFileSync(file, 'utf8')) })),
)

const total = { passed: 0, failed: 0, skipped: 0 }
for (const { file, report } of reports) {
  const passed = report.numPassedTests
  const failed = report.numFailedTests
  const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0)
  console.log(`${file}: ${passed} passed, ${failed} failed, ${skipped} skipped`)
  total.passed += passed
  total.failed += failed
  total.skipped += skipped
}
console.log(`${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`)
process.exit(total.failed === 0 && total.passed > 0 ? 0 : 1)
