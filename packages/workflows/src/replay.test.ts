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
  const histories = committedHistories()

  it('has a history for every branch of the order', () => {
    expect(histories.map((history) => history.workflowId)).toEqual([
      'custom-windows',
      'declined',
      'delivered',
      'not-delivered',
      'not-picked-up',
      'retried-services',
      'unknown-product',
      'wrong-state-signals',
    ])
  })

  it('replays every one with the current workflow code', async () => {
    const results = Worker.runReplayHistories({ workflowsPath: join(import.meta.dirname, 'index.ts') }, histories)
    const failures: string[] = []
    for await (const result of results) {
      if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`)
    }
    expect(failures).toEqual([])
  })

  it('rejects a workflow change that running orders could not survive', async () => {
    const delivered = histories.find((history) => history.workflowId === 'delivered')!
    await expect(
      Worker.runReplayHistory(
        { workflowsPath: join(import.meta.dirname, '..', 'test', 'fixtures', 'changed-order.ts') },
        delivered.history,
        delivered.workflowId,
      ),
    ).rejects.toBeInstanceOf(DeterminismViolationError)
  })
})
