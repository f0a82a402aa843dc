import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { WorkflowHandle } from '@temporalio/client'
import { historyFromJSON, historyToJSON } from '@temporalio/common/lib/proto-utils'

/**
 * Committed event histories of every branch of the order workflow. `npm run histories` (in this
 * workspace) re-records them from the workflow suite; the replay test replays them all, so a
 * change that would break running orders fails CI.
 */
export const HISTORIES_DIR = join(import.meta.dirname, '..', 'histories')

export async function recordHistory(handle: WorkflowHandle, name: string): Promise<void> {
  if (!process.env.RECORD_HISTORIES) return
  const history = await handle.fetchHistory()
  writeFileSync(join(HISTORIES_DIR, `${name}.json`), historyToJSON(history) + '\n')
}

export function committedHistories() {
  return readdirSync(HISTORIES_DIR)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => ({
      workflowId: file.replace(/\.json$/, ''),
      history: historyFromJSON(JSON.parse(readFileSync(join(HISTORIES_DIR, file), 'utf8'))),
    }))
}
