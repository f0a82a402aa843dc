#!/usr/bin/env node
// Adds up the JSON reports that each workspace's vitest wrote (`--outputFile.json=NAME`) and
// prints one closing line for CI, "N passed, N failed", with every suite above it.
// Usage: node scripts/test-summary.mjs [SCRIPT=REPORT_NAME ...]   (default test=.vitest-results.json)
// Every workspace with that npm script is a suite and must have left that report with at least
// one test in it: a suite that crashed before reporting, or ran nothing, fails the summary.
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'

const suites = (process.argv.length > 2 ? process.argv.slice(2) : ['test=.vitest-results.json']).map((arg) => {
  const [script, reportName] = arg.split('=')
  if (!script || !reportName) throw new Error(`Expected SCRIPT=REPORT_NAME, got "${arg}"`)
  return { script, reportName }
})

// The workspaces as the root package.json lists them ("apps/*", "tests/*", ...).
const rootPackage = JSON.parse(readFileSync('package.json', 'utf8'))
const workspaces = rootPackage.workspaces.flatMap((pattern) => {
  const group = pattern.replace(/\/\*$/, '')
  return existsSync(group)
    ? readdirSync(group)
        .sort()
        .map((name) => join(group, name))
        .filter((dir) => existsSync(join(dir, 'package.json')))
    : []
})

const total = { passed: 0, failed: 0, skipped: 0 }
const problems = []
for (const { script, reportName } of suites) {
  for (const workspace of workspaces) {
    const scripts = JSON.parse(readFileSync(join(workspace, 'package.json'), 'utf8')).scripts ?? {}
    if (!scripts[script]) continue
    const name = `${workspace} (${script})`
    const file = join(workspace, reportName)
    if (!existsSync(file)) {
      problems.push(`${name}: no report at ${file} (the suite did not run, or crashed first)`)
      continue
    }
    const report = JSON.parse(readFileSync(file, 'utf8'))
    const passed = report.numPassedTests
    const failed = report.numFailedTests
    const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0)
    console.log(`${name}: ${passed} passed, ${failed} failed, ${skipped} skipped`)
    if (passed + failed === 0) problems.push(`${name}: ran no tests`)
    // A file that fails to load, or a failing hook, fails its suite without failing a test.
    if (failed === 0 && (report.numFailedTestSuites ?? 0) > 0)
      problems.push(`${name}: ${report.numFailedTestSuites} test files or hooks failed`)
    total.passed += passed
    total.failed += failed
    total.skipped += skipped
  }
}
for (const problem of problems) console.log(problem)
console.log(`${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`)
process.exit(total.failed === 0 && problems.length === 0 && total.passed > 0 ? 0 : 1)
