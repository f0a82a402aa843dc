import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs'
import { loadavg } from 'node:os'
import { join } from 'node:path'

/** Where each scenario leaves its figures (git-ignored): the charts and docs/benchmarks.md are made from them. */
const RESULTS_DIR = join(import.meta.dirname, '..', 'results')

export type Scenario = 'list' | 'place' | 'throughput' | 'memory' | 'weight' | 'cost' | 'live' | 'cluster'

/** Prints the scenario's one line and writes its figures, with when and where they were taken, as JSON. */
export function report(scenario: Scenario, line: string, figures: object): void {
  console.log(`${scenario}: ${line}`)
  mkdirSync(RESULTS_DIR, { recursive: true })
  // The machine is shared: a load average well above its cores means the figures are pessimistic.
  const record = { scenario, line, takenAt: new Date().toISOString(), loadAverage1m: loadavg()[0], ...figures }
  writeFileSync(join(RESULTS_DIR, `${scenario}.json`), `${JSON.stringify(record, null, 2)}\n`)
}

/** The figures a scenario wrote last, if it ran on this machine. */
export function readReport<T>(scenario: Scenario): T | undefined {
  const path = join(RESULTS_DIR, `${scenario}.json`)
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as T) : undefined
}
