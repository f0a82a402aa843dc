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

  const beforePaymentIds = [
    'custom-windows',
    'declined',
    'delivered',
    'not-delivered',
    'not-picked-up',
    'retried-services',
    'unknown-product',
    'wrong-state-signals',
  ]

  const beforeRatings = [
    'cancelled-by-customer',
    'cancelled-by-operator',
    'custom-windows',
    'declined',
    'delivered-by-updates',
    'delivered',
    'not-delivered',
    'not-picked-up',
    'payment-timed-out',
    'refund-failed',
    'retried-services',
    'unknown-product',
    'wrong-state-signals',
  ]

  it('has a history for every branch of the order, and keeps those recorded before earlier changes', () => {
    expect(histories.map((history) => history.workflowId)).toEqual([
      ...beforeRatings,
      // Recorded before patched('payment-id-per-run'): orders that were running when it shipped.
      ...beforePaymentIds.map((name) => `before-payment-ids/${name}`),
      // Recorded before the rating window, notifications and ids: orders running when they shipped.
      ...beforeRatings.map((name) => `before-ratings/${name}`),
    ])
  })

  it('records the payment-id patch in new histories only', () => {
    // The patch is the only marker the order records.
    const marked = (name: string) =>
      (histories.find((history) => history.workflowId === name)!.history.events ?? []).some(
        (event) => event.markerRecordedEventAttributes,
      )
    expect(marked('delivered')).toBe(true)
    expect(marked('before-payment-ids/delivered')).toBe(false)
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
