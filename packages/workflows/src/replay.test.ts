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
      ...beforeRatings.slice(0, 3),
      // A decline answered to the waitForPayment Update (the API's placement) as the order ends.
      'declined-while-waited-for',
      ...beforeRatings.slice(3, 9),
      // Sorted by file name: 'rated-before-prompt.json' comes before 'rated.json'.
      'rated-before-prompt',
      'rated',
      'rating-window-expired',
      ...beforeRatings.slice(9),
      // Recorded before patched('payment-id-per-run'): orders that were running when it shipped.
      ...beforePaymentIds.map((name) => `before-payment-ids/${name}`),
      // Recorded before the rating window, notifications and ids: orders running when they shipped,
      // and two placed with customerId (and ratingWindow), which that code ignored.
      ...[
        'api-order-with-customer',
        ...beforeRatings.slice(0, 2),
        'cli-order-with-customer',
        ...beforeRatings.slice(2),
      ].map((name) => `before-ratings/${name}`),
    ])
  })

  /** The patches whose markers a history holds, by id. */
  const patches = (name: string): string[] =>
    (histories.find((history) => history.workflowId === name)!.history.events ?? []).flatMap((event) =>
      (event.markerRecordedEventAttributes?.details?.['patch-data']?.payloads ?? []).map(
        (payload) => (JSON.parse(new TextDecoder().decode(payload.data ?? undefined)) as { id: string }).id,
      ),
    )

  it('records each patch in the histories recorded after it only', () => {
    expect(patches('before-payment-ids/delivered')).toEqual([])
    expect(patches('before-ratings/delivered')).toEqual(['payment-id-per-run'])
    expect(patches('before-ratings/api-order-with-customer')).toEqual(['payment-id-per-run'])
    expect(patches('delivered')).toEqual(['payment-id-per-run', 'driver-list-memo', 'rating-window'])
    // The options' patch is asked only of orders started with one of the new options.
    expect(patches('custom-windows')).toEqual([
      'customer-id-and-rating-window-options',
      'payment-id-per-run',
      'driver-list-memo',
      'rating-window',
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
