import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { DeterminismViolationError } from '@temporalio/workflow'
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker'
import { committedHistories } from '../test/histories'

// Replay logs every nondeterminism at WARN; the assertions below say what matters.
Runtime.install({
  logger: new DefaultLogger('ERROR'),
  telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' } } },
})

describe('replay of committed order histories', () => {
  // Every history under histories/, whatever its folder: a new release's folder needs no index.
  const histories = committedHistories()

  it('replays every one with the current workflow code', async () => {
    // Each release's folder, v3 holding the patch start-search-attributes-once's histories.
    expect(new Set(histories.map(({ workflowId }) => workflowId.split('/')[0]))).toEqual(new Set(['v1', 'v2', 'v3']))
    const results = Worker.runReplayHistories({ workflowsPath: join(import.meta.dirname, 'index.ts') }, histories)
    const failures: string[] = []
    for await (const result of results) {
      if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`)
    }
    expect(failures).toEqual([])
  })

  it('rejects a workflow change that running orders could not survive', async () => {
    const delivered = histories.find((history) => history.workflowId === 'v1/delivered')!
    await expect(
      Worker.runReplayHistory(
        { workflowsPath: join(import.meta.dirname, '..', 'test', 'fixtures', 'changed-order.ts') },
        delivered.history,
        delivered.workflowId,
      ),
    ).rejects.toBeInstanceOf(DeterminismViolationError)
  })
})
