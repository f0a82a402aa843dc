import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import type { WorkflowHandle } from '@temporalio/client'
import { historyFromJSON, historyToJSON } from '@temporalio/common/lib/proto-utils'

/**
 * Committed event histories of every branch of the order workflow, one folder per release of
 * the workflow code (docs/architecture.md, "Versioning"). The replay test replays every one, so
 * a change that would break running orders fails CI. They are append-only: `manifest.json` holds
 * each file's sha256, and a test fails when a file differs from it.
 */
const HISTORIES_DIR = join(import.meta.dirname, '..', 'histories')
const MANIFEST = join(HISTORIES_DIR, 'manifest.json')

/**
 * Where `npm run histories` records: the folder of the workflow code as it is now (v3: the patch
 * start-search-attributes-once, one upsert at most in the first task). A name already committed
 * in an earlier folder is not recorded again: those histories stay, and the new branches get
 * names of their own.
 */
const RECORDING_INTO = 'v3'
const EARLIER = ['v1', 'v2']

export type Manifest = Record<string, string>

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex')

export function readManifest(): Manifest {
  return existsSync(MANIFEST) ? (JSON.parse(readFileSync(MANIFEST, 'utf8')) as Manifest) : {}
}

/**
 * With RECORD_HISTORIES set (`npm run histories`), keeps the order's history under the current
 * folder, unless one of that name is committed already: a committed history is never rewritten.
 * A new file gets its manifest entry.
 */
export async function recordHistory(handle: WorkflowHandle, name: string): Promise<void> {
  if (!process.env.RECORD_HISTORIES) return
  const file = `${RECORDING_INTO}/${name}.json`
  const manifest = readManifest()
  if ([RECORDING_INTO, ...EARLIER].some((folder) => manifest[`${folder}/${name}.json`] !== undefined)) return
  const text = historyToJSON(await handle.fetchHistory()) + '\n'
  mkdirSync(join(HISTORIES_DIR, RECORDING_INTO), { recursive: true })
  writeFileSync(join(HISTORIES_DIR, file), text)
  const sorted = Object.fromEntries(Object.entries({ ...manifest, [file]: sha256(text) }).sort())
  writeFileSync(MANIFEST, JSON.stringify(sorted, null, 2) + '\n')
}

/** Every history file under histories/, as its path there (`v1/delivered.json`), sorted. */
export function historyFiles(): string[] {
  return readdirSync(HISTORIES_DIR, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.json') && join(HISTORIES_DIR, file) !== MANIFEST)
    .map((file) => relative(HISTORIES_DIR, join(HISTORIES_DIR, file)))
    .sort()
}

export function historyText(file: string): string {
  return readFileSync(join(HISTORIES_DIR, file), 'utf8')
}

/** Every committed history, named by its path without `.json` (`v1/delivered`). */
export function committedHistories() {
  return historyFiles().map((file) => ({
    workflowId: file.replace(/\.json$/, ''),
    history: historyFromJSON(JSON.parse(historyText(file))),
  }))
}
