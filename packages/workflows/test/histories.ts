import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { WorkflowHandle } from '@temporalio/client'
import { historyFromJSON, historyToJSON } from '@temporalio/common/lib/proto-utils'

/**
 * Committed event histories of every branch of the order workflow. `npm run histories` (in this
 * workspace) re-records them from the workflow suite; the replay test replays them all, so a
 * change that would break running orders fails CI.
 */
const HISTORIES_DIR = join(import.meta.dirname, '..', 'histories')

export async function recordHistory(handle: WorkflowHandle, name: string): Promise<void> {
  if (!process.env.RECORD_HISTORIES) return
  const history = await handle.fetchHistory()
  writeFileSync(join(HISTORIES_DIR, `${name}.json`), historyToJSON(history) + '\n')
}

/**
 * Histories recorded before a change to the workflow, kept (never re-recorded) so the replay test
 * proves that orders which started under the old code still run under the new one.
 */
const OLD_HISTORY_DIRS = ['before-payment-ids', 'before-ratings']

/** Today's recordings (`delivered`), then the kept ones (`before-payment-ids/delivered`). */
export function committedHistories() {
  return ['', ...OLD_HISTORY_DIRS].flatMap((dir) =>
    readdirSync(join(HISTORIES_DIR, dir))
      .filter((file) => file.endsWith('.json'))
      .sort()
      .map((file) => ({
        workflowId: join(dir, file.replace(/\.json$/, '')),
        history: historyFromJSON(JSON.parse(readFileSync(join(HISTORIES_DIR, dir, file), 'utf8'))),
      })),
  )
}
