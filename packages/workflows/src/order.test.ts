import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { WorkflowFailedError, type WorkflowHandle } from '@temporalio/client'
import { ApplicationFailure } from '@temporalio/common'
import type { OrderState, OrderStatus } from '@durable-delivery/common'
import { ORDER_STATE } from '@durable-delivery/common/search-attributes'
import { waitFor } from '@durable-delivery/toolchain'
import { createOrderHarness, type OrderHarness } from '../test/order-harness'
import { recordHistory } from '../test/histories'
import { seededRandom } from '../test/seeded-random'
import { deliveredSignal, getStatusQuery, ORDER_WORKFLOW_TYPE, pickedUpSignal } from './definitions'

let h: OrderHarness

beforeAll(async () => {
  h = await createOrderHarness()
})
afterAll(async () => {
  await h?.teardown()
})
beforeEach(() => {
  h.switches.paymentsDown = false
  h.switches.notificationsDown = false
  h.switches.random = () => 0.99
})

function start(...args: unknown[]): Promise<WorkflowHandle> {
  return h.env.client.workflow.start(ORDER_WORKFLOW_TYPE, {
    taskQueue: h.taskQueue,
    workflowId: `order-${randomUUID()}`,
    args,
  })
}

async function waitForState(handle: WorkflowHandle, state: OrderState): Promise<OrderStatus> {
  let status: OrderStatus | undefined
  await waitFor(`order ${handle.workflowId} to be ${state}`, async () => {
    status = await handle.query(getStatusQuery)
    return status.state === state
  })
  return status!
}

/** Sends a signal and waits until the workflow has processed it (a task completed after it). */
async function signalAndSettle(handle: WorkflowHandle, signal: typeof pickedUpSignal | typeof deliveredSignal): Promise<void> {
  const before = (await handle.fetchHistory()).events?.length ?? 0
  await handle.signal(signal)
  await waitFor(`order ${handle.workflowId} to process ${signal.name}`, async () => {
    const events = (await handle.fetchHistory()).events ?? []
    const signaled = events.findIndex((event, i) => i >= before && event.workflowExecutionSignaledEventAttributes)
    return signaled >= 0 && events.slice(signaled).some((event) => event.workflowTaskCompletedEventAttributes)
  })
}

/** The failure a finished order ended with: its ApplicationFailure type. */
async function failureType(handle: WorkflowHandle): Promise<string | undefined> {
  const error = await handle.result().then(
    () => undefined,
    (error: unknown) => error,
  )
  expect(error).toBeInstanceOf(WorkflowFailedError)
  const cause = (error as WorkflowFailedError).cause
  expect(cause).toBeInstanceOf(ApplicationFailure)
  return (cause as ApplicationFailure).type ?? undefined
}

/** The durations (seconds) of the timers the order started so far, in order. */
async function timers(handle: WorkflowHandle): Promise<number[]> {
  return ((await handle.fetchHistory()).events ?? []).flatMap((event) =>
    event.timerStartedEventAttributes ? [Number(event.timerStartedEventAttributes.startToFireTimeout?.seconds)] : [],
  )
}

/**
 * Waits until the order waits for delivery (its second timer). A `delivered` that arrives before
 * then is accepted too, but the delivery timer is never started, and the tests count timers.
 */
async function waitForDeliveryWindow(handle: WorkflowHandle): Promise<void> {
  await waitFor(`order ${handle.workflowId} to wait for delivery`, async () => (await timers(handle)).length === 2)
}

const payments = (handle: WorkflowHandle) =>
  h.ledger.payments(handle.workflowId).map(({ kind, cents }) => ({ kind, cents }))
const messages = (handle: WorkflowHandle) => h.ledger.notifications(handle.workflowId).map((entry) => entry.message)
const stateAttribute = async (handle: WorkflowHandle) => (await handle.describe()).typedSearchAttributes.get(ORDER_STATE)

describe('order workflow', () => {
  it('charges, waits for pickup and delivery, then asks for a rating a minute later', () =>
    h.withWorker(async () => {
      const handle = await start(2)
      expect(await waitForState(handle, 'Paid')).toEqual({ productId: 2, state: 'Paid' })
      await handle.signal(pickedUpSignal)
      await waitForState(handle, 'Picked up')
      await waitForDeliveryWindow(handle)
      await handle.signal(deliveredSignal)
      const delivered = await waitForState(handle, 'Delivered')
      expect(Date.parse(String(delivered.deliveredAt))).not.toBeNaN()

      await handle.result() // the test server skips the minute before the rating prompt
      expect(payments(handle)).toEqual([{ kind: 'charge', cents: 2000 }])
      expect(messages(handle)).toEqual([
        '🚗 Order picked up',
        '✅ Order delivered!',
        '✍️ Rate your meal. How was the burrata?',
      ])
      expect(await timers(handle)).toEqual([60, 60, 60]) // pickup window, delivery window, rating delay
      expect(await stateAttribute(handle)).toBe('Delivered')
      expect(await handle.query(getStatusQuery)).toMatchObject({ productId: 2, state: 'Delivered' })
      await recordHistory(handle, 'delivered')
    }))

  it('declines a dish of $35 or more: the customer is told, nothing is charged, the order fails', () =>
    h.withWorker(async () => {
      const handle = await start(1)
      expect(await failureType(handle)).toBe('PaymentFailed')
      expect(payments(handle)).toEqual([])
      expect(messages(handle)).toEqual([
        'Failed to charge customer for Swordfish. Error: Card declined: insufficient funds',
      ])
      expect(await handle.query(getStatusQuery)).toEqual({ productId: 1, state: 'Failed' })
      expect(await stateAttribute(handle)).toBe('Failed')
      await recordHistory(handle, 'declined')
    }))

  it('refunds and notifies when no driver picks the order up within a minute', () =>
    h.withWorker(async () => {
      const handle = await start(3)
      expect(await failureType(handle)).toBe('NotPickedUpInTime')
      expect(payments(handle)).toEqual([
        { kind: 'charge', cents: 1500 },
        { kind: 'refund', cents: 1500 },
      ])
      expect(messages(handle)).toEqual([
        '⚠️ No drivers were available to pick up your order. Your payment has been refunded.',
      ])
      expect(await handle.query(getStatusQuery)).toEqual({ productId: 3, state: 'Failed' })
      await recordHistory(handle, 'not-picked-up')
    }))

  it('refunds and notifies when a picked-up order is not delivered within a minute', () =>
    h.withWorker(async () => {
      const handle = await start(4)
      await waitForState(handle, 'Paid')
      await handle.signal(pickedUpSignal)
      await waitForState(handle, 'Picked up')
      expect(await failureType(handle)).toBe('NotDeliveredInTime')
      expect(payments(handle)).toEqual([
        { kind: 'charge', cents: 2000 },
        { kind: 'refund', cents: 2000 },
      ])
      expect(messages(handle)).toEqual([
        '🚗 Order picked up',
        '⚠️ Your driver was unable to deliver your order. Your payment has been refunded.',
      ])
      await recordHistory(handle, 'not-delivered')
    }))

  it('answers getStatus in every state and ignores signals sent in the wrong state', () =>
    h.withWorker(async () => {
      // Charging card: the payment service is down, so the charge keeps retrying.
      h.switches.paymentsDown = true
      const handle = await start(2)
      expect(await waitForState(handle, 'Charging card')).toEqual({ productId: 2, state: 'Charging card' })
      await signalAndSettle(handle, pickedUpSignal) // too early: ignored
      await signalAndSettle(handle, deliveredSignal) // too early: ignored
      expect((await handle.query(getStatusQuery)).state).toBe('Charging card')

      h.switches.paymentsDown = false
      await waitForState(handle, 'Paid')
      await signalAndSettle(handle, deliveredSignal) // not picked up yet: ignored
      expect((await handle.query(getStatusQuery)).state).toBe('Paid')
      expect(await stateAttribute(handle)).toBe('Paid')

      await handle.signal(pickedUpSignal)
      await waitForState(handle, 'Picked up')
      await signalAndSettle(handle, pickedUpSignal) // twice: ignored
      expect((await handle.query(getStatusQuery)).state).toBe('Picked up')

      await handle.signal(deliveredSignal)
      await waitForState(handle, 'Delivered')
      await signalAndSettle(handle, pickedUpSignal) // after delivery: ignored
      expect((await handle.query(getStatusQuery)).state).toBe('Delivered')
      await handle.result()
      expect(payments(handle)).toEqual([{ kind: 'charge', cents: 2000 }])
      expect(messages(handle).filter((message) => message === '🚗 Order picked up')).toHaveLength(1)
      await recordHistory(handle, 'wrong-state-signals')

      // Refunding: nobody picks up, and the refund keeps retrying while payments are down.
      const unpicked = await start(3)
      await waitForState(unpicked, 'Paid')
      h.switches.paymentsDown = true
      await h.env.sleep('61 seconds')
      expect(await waitForState(unpicked, 'Refunding')).toEqual({ productId: 3, state: 'Refunding' })
      expect(await stateAttribute(unpicked)).toBe('Refunding')
      h.switches.paymentsDown = false
      expect(await failureType(unpicked)).toBe('NotPickedUpInTime')
      expect(await unpicked.query(getStatusQuery)).toEqual({ productId: 3, state: 'Failed' })
    }))

  it('retries services that fail 70% of the time without charging or notifying twice', () =>
    h.withWorker(async () => {
      h.switches.random = seededRandom(7)
      const handle = await start(3)
      expect(await failureType(handle)).toBe('NotPickedUpInTime')
      expect(payments(handle)).toEqual([
        { kind: 'charge', cents: 1500 },
        { kind: 'refund', cents: 1500 },
      ])
      expect(messages(handle)).toHaveLength(1)
      const attempts = ((await handle.fetchHistory()).events ?? []).flatMap((event) =>
        event.activityTaskStartedEventAttributes ? [event.activityTaskStartedEventAttributes.attempt ?? 1] : [],
      )
      expect(Math.max(...attempts)).toBeGreaterThan(1)
      await recordHistory(handle, 'retried-services')
    }))

  it.each([
    ['an unknown product id', [99], 'UnknownProduct'],
    ['a product id that is not a number', ['2'], 'UnknownProduct'],
    ['a fractional product id', [2.5], 'UnknownProduct'],
    ['no product id at all', [], 'UnknownProduct'],
    ['options that are not an object', [2, 'fast'], 'InvalidOrderOptions'],
    ['a window that is not a duration', [2, { pickupWindow: 'soon' }], 'InvalidOrderOptions'],
    ['a negative window', [2, { deliveryWindow: -5 }], 'InvalidOrderOptions'],
  ])('fails cleanly, charging nothing, for %s', (_, args, type) =>
    h.withWorker(async () => {
      const handle = await start(...args)
      expect(await failureType(handle)).toBe(type)
      expect(payments(handle)).toEqual([])
      expect((await handle.query(getStatusQuery)).state).toBe('Failed')
      if (type === 'UnknownProduct' && args[0] === 99) await recordHistory(handle, 'unknown-product')
    }))

  it('takes its windows from the options argument', () =>
    h.withWorker(async () => {
      const handle = await start(2, { pickupWindow: '5 seconds', deliveryWindow: 2000, ratingDelay: '1 hour' })
      await waitForState(handle, 'Paid')
      await handle.signal(pickedUpSignal)
      await waitForDeliveryWindow(handle)
      await handle.signal(deliveredSignal)
      await handle.result()
      expect(await timers(handle)).toEqual([5, 2, 3600])
      await recordHistory(handle, 'custom-windows')
    }))
})
