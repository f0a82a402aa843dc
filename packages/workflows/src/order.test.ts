import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { WorkflowFailedError, WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client'
import { ApplicationFailure, CancelledFailure } from '@temporalio/common'
import type { OrderState, OrderStatus } from '@durable-delivery/common'
import {
  CUSTOMER_ID,
  DRIVER_ID,
  ORDER_PRODUCT_ID,
  ORDER_STATE,
  ORDER_UPDATED_AT,
  orderStartAttributes,
} from '@durable-delivery/common/search-attributes'
import { waitFor } from '@durable-delivery/toolchain'
import { createOrderHarness, upsertedFields, upsertsOf, type OrderHarness } from '../test/order-harness'
import { recordHistory } from '../test/histories'
import { seededRandom } from '@durable-delivery/test-harness/seeded-random'
import { CHANGE_VERSION_ATTRIBUTE } from './billed-actions'
import { CANCELLED, DELIVERED, NOT_DELIVERED, NOT_PICKED_UP, paymentNotConfirmed, PICKED_UP } from './customer-messages'
import {
  cancelOrderUpdate,
  deliveredSignal,
  deliverUpdate,
  getStatusQuery,
  ORDER_WORKFLOW_TYPE,
  pickedUpSignal,
  pickUpUpdate,
  rateUpdate,
  waitForPaymentUpdate,
  type RateInput,
} from './definitions'

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

/** Starts a one-dish order as the API does: its search attributes given at start. */
function startAsApi(productId: number, options: { customerId: string } & Record<string, unknown>) {
  return h.env.client.workflow.start(ORDER_WORKFLOW_TYPE, {
    taskQueue: h.taskQueue,
    workflowId: `order-${randomUUID()}`,
    args: [productId, options],
    typedSearchAttributes: orderStartAttributes(productId, 'Charging card', options.customerId),
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
async function signalAndSettle(
  handle: WorkflowHandle,
  signal: typeof pickedUpSignal | typeof deliveredSignal,
): Promise<void> {
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
  return (await timerEnds(handle)).map((timer) => timer.seconds)
}

/** The timers the order started so far: their durations and when each ends (ms since epoch). */
async function timerEnds(handle: WorkflowHandle): Promise<{ seconds: number; endsAt: number }[]> {
  return ((await handle.fetchHistory()).events ?? []).flatMap((event) => {
    const seconds = Number(event.timerStartedEventAttributes?.startToFireTimeout?.seconds ?? NaN)
    return Number.isNaN(seconds) ? [] : [{ seconds, endsAt: Number(event.eventTime?.seconds) * 1000 + seconds * 1000 }]
  })
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
const stateAttribute = async (handle: WorkflowHandle) =>
  (await handle.describe()).typedSearchAttributes.get(ORDER_STATE)

describe('order workflow', () => {
  it('charges, waits for pickup and delivery, asks for a rating a minute later and completes (a CLI order, no options: the seed)', () =>
    h.withWorker(async () => {
      const handle = await start(2)
      expect(await waitForState(handle, 'Paid')).toEqual({
        productId: 2,
        state: 'Paid',
        cents: 2000,
        pickupDeadline: expect.any(String),
      })
      await handle.signal(pickedUpSignal)
      await waitForState(handle, 'Picked up')
      await waitForDeliveryWindow(handle)
      await handle.signal(deliveredSignal)
      const delivered = await waitForState(handle, 'Delivered')
      expect(Date.parse(String(delivered.deliveredAt))).not.toBeNaN()
      // Nobody owns the order, so nobody can rate it: no window after the prompt.
      expect(await refusal(handle.executeUpdate(rateUpdate, rate(5)))).toBe(
        'The order has no customer: nobody can rate it',
      )

      await handle.result() // the test server skips the minute before the rating prompt
      expect(payments(handle)).toEqual([{ kind: 'charge', cents: 2000 }])
      expect(messages(handle)).toEqual([
        '🚗 Order picked up',
        '✅ Order delivered!',
        '✍️ Rate your meal. How was the burrata?',
      ])
      // pickup window, delivery window, rating delay
      expect(await timers(handle)).toEqual([60, 60, 60])
      expect(await stateAttribute(handle)).toBe('Delivered')
      const status = await handle.query(getStatusQuery)
      expect(status).toMatchObject({ productId: 2, state: 'Delivered' })
      expect(status.notifications?.map((notification) => notification.message)).toEqual(messages(handle))
      // Nobody was named: no customer, no driver (a signal), no rating.
      expect(status).not.toHaveProperty('customerId')
      expect(status).not.toHaveProperty('driverId')
      expect(status).not.toHaveProperty('rating')
      expect(status).not.toHaveProperty('ratingDeadline')
      const attributes = (await handle.describe()).typedSearchAttributes
      expect(attributes.get(CUSTOMER_ID)).toBeUndefined()
      expect(attributes.get(DRIVER_ID)).toBeUndefined()
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
      expect(await handle.query(getStatusQuery)).toMatchObject({
        productId: 1,
        state: 'Failed',
        failure: expect.stringContaining('Card declined'),
      })
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
        NOT_PICKED_UP.decided,
        '⚠️ No drivers were available to pick up your order. Your payment has been refunded.',
      ])
      expect(await handle.query(getStatusQuery)).toMatchObject({
        productId: 3,
        state: 'Failed',
        failure: 'Not picked up in time',
      })
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
        NOT_DELIVERED.decided,
        '⚠️ Your driver was unable to deliver your order. Your payment has been refunded.',
      ])
      await recordHistory(handle, 'not-delivered')
    }))

  it('answers getStatus in every state and ignores signals sent in the wrong state', () =>
    h.withWorker(async () => {
      // Charging card: the payment service is down, so the charge keeps retrying.
      h.switches.paymentsDown = true
      const handle = await start(2)
      expect(await waitForState(handle, 'Charging card')).toEqual({ productId: 2, state: 'Charging card', cents: 2000 })
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
      expect(await waitForState(unpicked, 'Refunding')).toMatchObject({
        productId: 3,
        state: 'Refunding',
        cents: 1500,
        failure: 'Not picked up in time',
      })
      expect(await stateAttribute(unpicked)).toBe('Refunding')
      // Told at once, while the refund still retries.
      await waitForMessage(unpicked, NOT_PICKED_UP.decided)
      expect(payments(unpicked)).toEqual([{ kind: 'charge', cents: 1500 }])
      h.switches.paymentsDown = false
      expect(await failureType(unpicked)).toBe('NotPickedUpInTime')
      expect(await unpicked.query(getStatusQuery)).toMatchObject({
        productId: 3,
        state: 'Failed',
        failure: 'Not picked up in time',
      })
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
      expect(messages(handle)).toHaveLength(2)
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
    ['a price that is not a whole number of cents', [2, { cents: 19.99 }], 'InvalidOrderOptions'],
    ['a payment deadline that is not a duration', [2, { paymentDeadline: 'never' }], 'InvalidOrderOptions'],
    ['a rating window that is not a duration', [2, { ratingWindow: 'forever' }], 'InvalidOrderOptions'],
    ['a zero rating window', [2, { ratingWindow: 0 }], 'InvalidOrderOptions'],
    ['an empty customer id', [2, { customerId: ' ' }], 'InvalidOrderOptions'],
    ['a customer id that is not a string', [2, { customerId: 42 }], 'InvalidOrderOptions'],
    ['a customer id of 101 characters', [2, { customerId: 'c'.repeat(101) }], 'InvalidOrderOptions'],
  ])('fails cleanly, charging nothing, for %s', (_, args, type) =>
    h.withWorker(async () => {
      const handle = await start(...args)
      expect(await failureType(handle)).toBe(type)
      expect(payments(handle)).toEqual([])
      expect((await handle.query(getStatusQuery)).state).toBe('Failed')
      if (type === 'UnknownProduct' && args[0] === 99) await recordHistory(handle, 'unknown-product')
    }),
  )

  it('takes its windows from the options argument', () =>
    h.withWorker(async () => {
      const handle = await start(2, {
        pickupWindow: '5 seconds',
        deliveryWindow: 2000,
        ratingDelay: '1 hour',
        ratingWindow: '10s',
        customerId: 'cust-1',
      })
      await waitForState(handle, 'Paid')
      await handle.signal(pickedUpSignal)
      await waitForDeliveryWindow(handle)
      await handle.signal(deliveredSignal)
      await handle.result()
      expect(await timers(handle)).toEqual([5, 2, 3600, 10])
      await recordHistory(handle, 'custom-windows')
    }))
})

/** The sentence an Update's validator (or handler) refused with. */
async function refusal(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => expect.fail('expected the Update to be refused'),
    (error: unknown) => error,
  )
  expect(error).toBeInstanceOf(WorkflowUpdateFailedError)
  return (error as WorkflowUpdateFailedError).cause?.message ?? ''
}

/** How an order closed after an operator's cancel: Temporal's status and the customer's view. */
async function cancelledByOperator(
  handle: WorkflowHandle,
): Promise<{ status: string; state: OrderState; failure?: string }> {
  const error = await handle.result().then(
    () => undefined,
    (error: unknown) => error,
  )
  expect(error).toBeInstanceOf(WorkflowFailedError)
  expect((error as WorkflowFailedError).cause).toBeInstanceOf(CancelledFailure)
  const { state, failure } = await handle.query(getStatusQuery)
  return { status: (await handle.describe()).status.name, state, ...(failure ? { failure } : {}) }
}

/** Waits until getStatus lists `message` among the notifications sent. */
async function waitForMessage(handle: WorkflowHandle, message: string): Promise<void> {
  await waitFor(`order ${handle.workflowId} to send "${message}"`, async () =>
    ((await handle.query(getStatusQuery)).notifications ?? []).some((sent) => sent.message === message),
  )
}

/** Waits until the pending activity (by default the charge) has failed at least once and is being retried. */
async function waitForRetrying(handle: WorkflowHandle, activityType = 'chargeCustomer'): Promise<void> {
  await waitFor(`order ${handle.workflowId} to retry ${activityType}`, async () => {
    const pending = (await handle.describe()).raw.pendingActivities ?? []
    return pending.some((activity) => activity.activityType?.name === activityType && (activity.attempt ?? 0) >= 2)
  })
}

const driver = (driverId: string) => ({ args: [{ driverId }] as [{ driverId: string }] })
const rate = (stars: unknown, comment?: unknown) => ({
  args: [comment === undefined ? { stars } : { stars, comment }] as [RateInput],
})

describe('every ending settles the money', () => {
  it('an operator cancel during a charge that keeps retrying stops it: nothing charged, the payment voided, Cancelled', () =>
    h.withWorker(async () => {
      h.switches.paymentsDown = true
      const handle = await start(2)
      await waitForRetrying(handle)
      await handle.cancel()
      // Told at once, while the void waits for the service to come back.
      await waitForMessage(handle, CANCELLED.decided)
      expect(payments(handle)).toEqual([])
      h.switches.paymentsDown = false
      expect(await cancelledByOperator(handle)).toEqual({
        status: 'CANCELLED',
        state: 'Cancelled',
        failure: 'Cancelled by an operator',
      })
      // The void (a refund of nothing) makes a late answer of the charge harmless.
      expect(payments(handle)).toEqual([{ kind: 'refund', cents: 0 }])
      expect(messages(handle)).toEqual([CANCELLED.decided, '❌ Your order was cancelled. Nothing was charged.'])
      expect(await stateAttribute(handle)).toBe('Cancelled')
    }))

  it.each([
    ['Paid', false],
    ['Picked up', true],
  ] as const)('an operator cancel when %s refunds the charge and tells the customer', (state, pickUp) =>
    h.withWorker(async () => {
      const handle = await start(3)
      await waitForState(handle, 'Paid')
      if (pickUp) {
        await handle.executeUpdate(pickUpUpdate, driver('d1'))
        await waitForDeliveryWindow(handle)
      }
      expect((await handle.query(getStatusQuery)).state).toBe(state)
      await handle.cancel()
      expect(await cancelledByOperator(handle)).toEqual({
        status: 'CANCELLED',
        state: 'Cancelled',
        failure: 'Cancelled by an operator',
      })
      expect(payments(handle)).toEqual([
        { kind: 'charge', cents: 1500 },
        { kind: 'refund', cents: 1500 },
      ])
      expect(messages(handle).at(-1)).toBe('❌ Your order was cancelled. Your payment has been refunded.')
      if (!pickUp) await recordHistory(handle, 'cancelled-by-operator')
    }),
  )

  it('an operator cancel after delivery keeps the meal paid for and only skips the rating prompt', () =>
    h.withWorker(async () => {
      const handle = await start(4)
      await waitForState(handle, 'Paid')
      await handle.executeUpdate(pickUpUpdate, driver('d1'))
      await waitForDeliveryWindow(handle)
      await handle.executeUpdate(deliverUpdate, driver('d1'))
      await waitFor('the rating timer', async () => (await timers(handle)).length === 3)
      await handle.cancel()
      expect(await cancelledByOperator(handle)).toEqual({ status: 'CANCELLED', state: 'Delivered' })
      expect(await handle.query(getStatusQuery)).not.toHaveProperty('ratingDeadline') // closed: no rating now
      expect(payments(handle)).toEqual([{ kind: 'charge', cents: 2000 }])
      expect(messages(handle)).toEqual(['🚗 Order picked up', '✅ Order delivered!'])
    }))

  it("a customer cancel before pickup is accepted with the workflow's answer, refunded, and the order completes Cancelled", () =>
    h.withWorker(async () => {
      const handle = await start(2)
      await waitForState(handle, 'Paid')
      expect(await handle.executeUpdate(cancelOrderUpdate, { args: [{ reason: 'changed my mind' }] })).toEqual({
        accepted: true,
        message: 'Your order is cancelled. Anything charged will be refunded.',
      })
      await handle.result() // completes: the order did what the customer asked
      expect(await handle.query(getStatusQuery)).toMatchObject({
        state: 'Cancelled',
        failure: 'Cancelled by the customer: changed my mind',
      })
      expect(payments(handle)).toEqual([
        { kind: 'charge', cents: 2000 },
        { kind: 'refund', cents: 2000 },
      ])
      expect(messages(handle)).toEqual([
        CANCELLED.decided,
        '❌ Your order was cancelled. Your payment has been refunded.',
      ])
      // Once cancelled, nothing more: a driver is refused, and so is a second cancel.
      expect((await handle.describe()).status.name).toBe('COMPLETED')
      await recordHistory(handle, 'cancelled-by-customer')
    }))

  it('a customer cancel during a retrying charge stops the charge; after pickup it is refused with a sentence', () =>
    h.withWorker(async () => {
      h.switches.paymentsDown = true
      const paying = await start(2)
      await waitForRetrying(paying)
      await paying.executeUpdate(cancelOrderUpdate, { args: [{}] })
      expect(await refusal(paying.executeUpdate(cancelOrderUpdate, { args: [{}] }))).toBe(
        'The order is already cancelled',
      )
      expect(await refusal(paying.executeUpdate(pickUpUpdate, driver('d1')))).toBe('The customer cancelled this order')
      h.switches.paymentsDown = false // the void below needs the service back
      await paying.result()
      expect((await paying.query(getStatusQuery)).state).toBe('Cancelled')
      expect(payments(paying)).toEqual([{ kind: 'refund', cents: 0 }])

      const picked = await start(3)
      await waitForState(picked, 'Paid')
      await picked.executeUpdate(pickUpUpdate, driver('d1'))
      expect(await refusal(picked.executeUpdate(cancelOrderUpdate, { args: [{}] }))).toBe(
        'The order was already picked up: it can no longer be cancelled',
      )
      expect((await picked.query(getStatusQuery)).state).toBe('Picked up')
      await picked.terminate('test over')
    }))

  it('a charge with no answer by the deadline fails the order, tells the customer, and refunds what went through', () =>
    h.withWorker(async () => {
      h.switches.random = () => 0.5 // the service charges, then its answer is lost, every time
      const handle = await start(2, { paymentDeadline: '3 seconds' })
      await waitForState(handle, 'Refunding')
      h.switches.random = () => 0.99
      expect(await failureType(handle)).toBe('PaymentTimedOut')
      expect(await handle.query(getStatusQuery)).toMatchObject({
        state: 'Failed',
        failure: expect.stringContaining('Payment not confirmed within 3 seconds'),
      })
      expect(payments(handle)).toEqual([
        { kind: 'charge', cents: 2000 },
        { kind: 'refund', cents: 2000 },
      ])
      expect(messages(handle)).toEqual([
        paymentNotConfirmed('Burrata').decided,
        '⚠️ We could not confirm your payment for Burrata in time, so the order was cancelled. Your payment has been refunded.',
      ])
      await recordHistory(handle, 'payment-timed-out')
    }))

  it('a payment service down past the deadline: the customer is told at once, and again once the void lands', () =>
    h.withWorker(async () => {
      h.switches.paymentsDown = true
      const handle = await start(2, { paymentDeadline: '3 seconds' })
      const { decided } = paymentNotConfirmed('Burrata')
      let status: OrderStatus | undefined
      await waitFor(
        'the customer to be told',
        async () => {
          status = await handle.query(getStatusQuery)
          return status.notifications !== undefined
        },
        10_000,
      )
      expect(status).toMatchObject({ state: 'Refunding', notifications: [{ message: decided }] })
      const started = Number((await handle.describe()).startTime)
      expect(Date.parse(status!.notifications![0]!.at) - started).toBeLessThan(3_000 + 5_000)
      // The void keeps retrying for as long as the outage lasts (up to an hour): nothing more is sent.
      await h.env.sleep('10 minutes')
      expect((await handle.query(getStatusQuery)).state).toBe('Refunding')
      expect(payments(handle)).toEqual([])
      expect(messages(handle)).toEqual([decided])

      h.switches.paymentsDown = false
      expect(await failureType(handle)).toBe('PaymentTimedOut')
      expect(payments(handle)).toEqual([{ kind: 'refund', cents: 0 }])
      expect(messages(handle)).toEqual([
        decided,
        '⚠️ We could not confirm your payment for Burrata in time, so the order was cancelled. Nothing was charged.',
      ])
    }))

  it('a refund the payment service rejects ends the order Failed with the reason, and the customer is told', () =>
    h.withWorker(async () => {
      const handle = await start(3)
      await waitForState(handle, 'Paid')
      h.ledger.forgetPayments(handle.workflowId) // as a ledger file lost in a deploy would
      expect(await failureType(handle)).toBe('RefundFailed')
      expect((await handle.query(getStatusQuery)).failure).toMatch(/^Refund failed: No charge to refund for order/)
      expect(messages(handle)).toEqual([
        NOT_PICKED_UP.decided,
        '⚠️ We could not refund your payment automatically. Our support team has been alerted and will refund you.',
      ])
      await recordHistory(handle, 'refund-failed')
    }))

  it('charges the price fixed at placement, whatever the menu says', () =>
    h.withWorker(async () => {
      const handle = await start(3, { cents: 1234 })
      expect(await waitForState(handle, 'Paid')).toEqual({
        productId: 3,
        state: 'Paid',
        cents: 1234,
        pickupDeadline: expect.any(String),
      })
      expect(await failureType(handle)).toBe('NotPickedUpInTime')
      expect(payments(handle)).toEqual([
        { kind: 'charge', cents: 1234 },
        { kind: 'refund', cents: 1234 },
      ])
    }))

  it('a reused order id is a new order, charged under its own payment id', () =>
    h.withWorker(async () => {
      const workflowId = `order-${randomUUID()}`
      const runs: string[] = []
      for (let i = 0; i < 2; i++) {
        const handle = await h.env.client.workflow.start(ORDER_WORKFLOW_TYPE, {
          taskQueue: h.taskQueue,
          workflowId,
          args: [3],
        })
        runs.push(handle.firstExecutionRunId)
        await waitForState(handle, 'Paid')
        await handle.terminate('test over')
      }
      expect(h.ledger.payments(workflowId).map(({ kind, paymentId, cents }) => ({ kind, paymentId, cents }))).toEqual(
        runs.map((paymentId) => ({ kind: 'charge', paymentId, cents: 1500 })),
      )
    }))
})

describe('driver Updates', () => {
  it('exactly one of two racing drivers picks the order up; only that driver can deliver it', () =>
    h.withWorker(async () => {
      const handle = await start(2)
      await waitForState(handle, 'Paid')
      const results = await Promise.allSettled([
        handle.executeUpdate(pickUpUpdate, driver('alice')),
        handle.executeUpdate(pickUpUpdate, driver('bob')),
      ])
      const won = results.filter((result) => result.status === 'fulfilled')
      const lost = results.filter((result) => result.status === 'rejected')
      expect(won).toHaveLength(1)
      expect(lost).toHaveLength(1)
      const winner = (won[0] as PromiseFulfilledResult<OrderStatus>).value.driverId!
      expect((lost[0] as PromiseRejectedResult).reason).toBeInstanceOf(WorkflowUpdateFailedError)
      expect(((lost[0] as PromiseRejectedResult).reason as WorkflowUpdateFailedError).cause?.message).toBe(
        `The order was already picked up by ${winner}`,
      )
      const loser = winner === 'alice' ? 'bob' : 'alice'
      await waitForDeliveryWindow(handle)
      expect(await refusal(handle.executeUpdate(deliverUpdate, driver(loser)))).toBe(
        `The order was picked up by another driver (${winner})`,
      )
      expect(await handle.executeUpdate(deliverUpdate, driver(winner))).toMatchObject({
        state: 'Delivered',
        driverId: winner,
      })
      expect(await refusal(handle.executeUpdate(deliverUpdate, driver(winner)))).toBe('The order was already delivered')
      expect(await refusal(handle.executeUpdate(pickUpUpdate, driver('')))).toBe(
        'driverId must be a non-empty string of at most 100 characters',
      )
      await handle.result()
      expect(payments(handle)).toEqual([{ kind: 'charge', cents: 2000 }])
      expect(messages(handle)).toHaveLength(3)
      await recordHistory(handle, 'delivered-by-updates')
    }))

  it('refuses a pickup once the window has closed, while the refund is under way', () =>
    h.withWorker(async () => {
      const handle = await start(3, { pickupWindow: '3 seconds' })
      expect(await refusal(handle.executeUpdate(deliverUpdate, driver('d1')))).toMatch(/not (paid|picked up) yet/)
      await waitFor('the charge', () => payments(handle).length === 1)
      h.switches.paymentsDown = true // the refund keeps retrying: the order stays Refunding
      await waitForState(handle, 'Refunding')
      expect(await refusal(handle.executeUpdate(pickUpUpdate, driver('d1')))).toBe(
        'The order can no longer be picked up (Not picked up in time)',
      )
      expect(await refusal(handle.executeUpdate(rateUpdate, rate(5)))).toBe(
        'The order can no longer be rated (Not picked up in time)',
      )
      h.switches.paymentsDown = false
      expect(await failureType(handle)).toBe('NotPickedUpInTime')
    }))
})

/** Delivers a fresh Burrata order by Updates and waits until its rating prompt's timer runs. */
async function deliveredOrder(
  options: Record<string, unknown> = {},
  begin: (productId: number, options: { customerId: string }) => Promise<WorkflowHandle> = start,
): Promise<WorkflowHandle> {
  const handle = await begin(2, { customerId: 'cust-1', ...options })
  await waitForState(handle, 'Paid')
  await handle.executeUpdate(pickUpUpdate, driver('d1'))
  await waitForDeliveryWindow(handle)
  await handle.executeUpdate(deliverUpdate, driver('d1'))
  await waitFor('the rating prompt timer', async () => (await timers(handle)).length === 3)
  return handle
}

/** A delivered order past its rating prompt, in a ten-minute rating window (v1/rated's story). */
async function promptedOrder(begin?: Parameters<typeof deliveredOrder>[1]): Promise<WorkflowHandle> {
  const handle = await deliveredOrder({ ratingWindow: '10 minutes' }, begin)
  await h.env.sleep('61 seconds') // past the prompt
  await waitFor('the rating window timer', async () => (await timers(handle)).length === 4)
  return handle
}

const PROMPT = '✍️ Rate your meal. How was the burrata?'

describe('what the customer was sent', () => {
  it('records a notification once it was sent, with the time it went out; a failed attempt records nothing', () =>
    h.withWorker(async () => {
      const handle = await start(2)
      await waitForState(handle, 'Paid')
      h.switches.notificationsDown = true
      await handle.executeUpdate(pickUpUpdate, driver('d1'))
      await waitForRetrying(handle, 'sendPushNotification')
      expect(await handle.query(getStatusQuery)).not.toHaveProperty('notifications')

      h.switches.notificationsDown = false
      await waitForDeliveryWindow(handle)
      const { notifications } = await handle.query(getStatusQuery)
      expect(notifications).toEqual([{ message: '🚗 Order picked up', at: expect.any(String) }])
      // Its time is when the send succeeded, after the failed attempts, not when it was asked for.
      const scheduled = ((await handle.fetchHistory()).events ?? []).find(
        (event) => event.activityTaskScheduledEventAttributes?.activityType?.name === 'sendPushNotification',
      )
      expect(Date.parse(notifications![0]!.at)).toBeGreaterThanOrEqual(
        Number(scheduled?.eventTime?.seconds) * 1000 + 1000,
      )

      await handle.executeUpdate(deliverUpdate, driver('d1'))
      await handle.result()
      const sent = (await handle.query(getStatusQuery)).notifications!
      expect(sent.map((notification) => notification.message)).toEqual(messages(handle))
      expect(sent.map((notification) => notification.message)).toEqual([
        '🚗 Order picked up',
        '✅ Order delivered!',
        PROMPT,
      ])
      const times = sent.map((notification) => Date.parse(notification.at))
      expect(times).toEqual([...times].sort((a, b) => a - b))
    }))

  it('shows the deadline of each wait while it runs, and no other', () =>
    h.withWorker(async () => {
      const handle = await start(2, {
        pickupWindow: '30s',
        deliveryWindow: '40s',
        ratingDelay: '50s',
        ratingWindow: '60s',
        customerId: 'cust-1',
      })
      const paid = await waitForState(handle, 'Paid')
      const [pickup] = await timerEnds(handle)
      expect(Math.abs(Date.parse(paid.pickupDeadline!) - pickup!.endsAt)).toBeLessThan(1000)
      // The driver list reads it from the memo, with the order's row: no Query per order.
      expect((await handle.describe()).memo).toEqual({ pickupDeadline: paid.pickupDeadline })
      expect(paid).not.toHaveProperty('deliveryDeadline')
      expect(paid).not.toHaveProperty('ratingDeadline')

      await handle.executeUpdate(pickUpUpdate, driver('d1'))
      await waitForDeliveryWindow(handle)
      const pickedUp = await handle.query(getStatusQuery)
      const delivery = (await timerEnds(handle))[1]!
      expect(Math.abs(Date.parse(pickedUp.deliveryDeadline!) - delivery.endsAt)).toBeLessThan(1000)
      expect((await handle.describe()).memo).toMatchObject({ deliveryDeadline: pickedUp.deliveryDeadline })
      expect(pickedUp).not.toHaveProperty('pickupDeadline')

      await handle.executeUpdate(deliverUpdate, driver('d1'))
      await waitFor('the rating prompt timer', async () => (await timers(handle)).length === 3)
      const delivered = await handle.query(getStatusQuery)
      const prompt = (await timerEnds(handle))[2]!
      // Before the prompt: the prompt's delay and the window after it.
      expect(Math.abs(Date.parse(delivered.ratingDeadline!) - (prompt.endsAt + 60_000))).toBeLessThan(1000)
      expect(delivered).not.toHaveProperty('deliveryDeadline')

      await h.env.sleep('51 seconds') // the prompt goes out; the window starts after it
      await waitFor('the rating window timer', async () => (await timers(handle)).length === 4)
      const prompted = await handle.query(getStatusQuery)
      const window = (await timerEnds(handle))[3]!
      expect(window.seconds).toBe(60)
      expect(Math.abs(Date.parse(prompted.ratingDeadline!) - window.endsAt)).toBeLessThan(1000)

      await handle.result()
      expect(await handle.query(getStatusQuery)).not.toHaveProperty('ratingDeadline')
    }))
})

describe('the waitForPayment Update', () => {
  it('answers once the charge has settled, and at once after: the status getStatus gives', () =>
    h.withWorker(async () => {
      h.switches.paymentsDown = true
      const handle = await start(2)
      const answer = handle.executeUpdate(waitForPaymentUpdate)
      let answered = false
      void answer.then(() => (answered = true))
      await waitForRetrying(handle)
      expect(answered).toBe(false) // still charging: nothing to answer yet
      h.switches.paymentsDown = false
      expect(await answer).toMatchObject({ productId: 2, state: 'Paid', cents: 2000 })
      // Asked again, it answers at once, the same as the query, and changes nothing.
      expect(await handle.executeUpdate(waitForPaymentUpdate)).toEqual(await handle.query(getStatusQuery))
      expect((await handle.query(getStatusQuery)).state).toBe('Paid')
      await handle.terminate('test over')
    }))

  it('answers Cancelled for an order cancelled while its charge was retrying', () =>
    h.withWorker(async () => {
      h.switches.paymentsDown = true
      const handle = await start(3)
      const answer = handle.executeUpdate(waitForPaymentUpdate)
      await waitForRetrying(handle)
      await handle.executeUpdate(cancelOrderUpdate, { args: [{}] })
      h.switches.paymentsDown = false // the void needs the service back
      expect((await answer).state).toMatch(/^(Refunding|Cancelled)$/)
      await handle.result()
    }))

  it('answers Failed with the reason for a declined card, as the order ends', () =>
    h.withWorker(async () => {
      const handle = await start(1)
      expect(await handle.executeUpdate(waitForPaymentUpdate)).toMatchObject({
        state: 'Failed',
        failure: expect.stringContaining('Card declined'),
      })
      expect(await failureType(handle)).toBe('PaymentFailed')
      await recordHistory(handle, 'declined-while-waited-for')
    }))

  it('a decline is decided at once: Failed, and a cancel refused, while the customer is still being told', () =>
    h.withWorker(async () => {
      h.switches.notificationsDown = true
      const handle = await start(1, { customerId: 'cust-1' })
      expect(await handle.executeUpdate(waitForPaymentUpdate)).toMatchObject({ state: 'Failed' })
      await waitForRetrying(handle, 'sendPushNotification')
      expect(await refusal(handle.executeUpdate(cancelOrderUpdate, { args: [{}] }))).toMatch(
        /^The order has already ended \(Failed to charge customer for Swordfish/,
      )
      h.switches.notificationsDown = false
      expect(await failureType(handle)).toBe('PaymentFailed')
      expect(messages(handle)).toEqual([
        'Failed to charge customer for Swordfish. Error: Card declined: insufficient funds',
      ])
    }))
})

describe('the rate Update', () => {
  it('is offered with the delivery, while the delivered push still retries', () =>
    h.withWorker(async () => {
      const handle = await start(2, { customerId: 'cust-1' })
      await waitForState(handle, 'Paid')
      await handle.executeUpdate(pickUpUpdate, driver('d1'))
      await waitForDeliveryWindow(handle)
      h.switches.notificationsDown = true
      const answer = await handle.executeUpdate(deliverUpdate, driver('d1'))
      expect(answer).toMatchObject({ state: 'Delivered', ratingDeadline: expect.any(String) })
      expect((await handle.query(getStatusQuery)).ratingDeadline).toBe(answer.ratingDeadline)
      await waitForRetrying(handle, 'sendPushNotification')
      expect(await handle.executeUpdate(rateUpdate, rate(5))).toMatchObject({ stars: 5 })
      expect(messages(handle)).toEqual(['🚗 Order picked up'])
      h.switches.notificationsDown = false
      await handle.result() // once the delivered push is out: rated, no prompt
      expect(messages(handle)).toEqual(['🚗 Order picked up', '✅ Order delivered!'])
    }))

  it('refuses a rating before delivery, in every state, with a sentence', () =>
    h.withWorker(async () => {
      const notDelivered = 'The order was not delivered yet: it cannot be rated'
      h.switches.paymentsDown = true
      const handle = await start(2)
      await waitForRetrying(handle)
      expect(await refusal(handle.executeUpdate(rateUpdate, rate(5)))).toBe(notDelivered) // Charging card
      h.switches.paymentsDown = false
      await waitForState(handle, 'Paid')
      expect(await refusal(handle.executeUpdate(rateUpdate, rate(5)))).toBe(notDelivered)
      await handle.executeUpdate(pickUpUpdate, driver('d1'))
      expect(await refusal(handle.executeUpdate(rateUpdate, rate(5)))).toBe(notDelivered) // Picked up
      expect(await handle.query(getStatusQuery)).not.toHaveProperty('rating')
      await handle.terminate('test over')
    }))

  it('takes a rating after the prompt, answers it, and the order completes', () =>
    h.withWorker(async () => {
      const handle = await promptedOrder()
      expect(messages(handle).at(-1)).toBe(PROMPT)

      for (const [input, sentence] of [
        [rate(0), 'stars must be a whole number from 1 to 5'],
        [rate(6), 'stars must be a whole number from 1 to 5'],
        [rate(4.5), 'stars must be a whole number from 1 to 5'],
        [rate('5'), 'stars must be a whole number from 1 to 5'],
        [{ args: [{}] as unknown as [RateInput] }, 'stars must be a whole number from 1 to 5'],
        [{ args: ['five'] as unknown as [RateInput] }, 'rate takes an object like { stars: 5, comment: "..." }'],
        [rate(5, 42), 'comment must be a string of at most 500 characters'],
        [rate(5, 'x'.repeat(501)), 'comment must be a string of at most 500 characters'],
      ] as const) {
        expect(await refusal(handle.executeUpdate(rateUpdate, input))).toBe(sentence)
      }

      const answer = await handle.executeUpdate(rateUpdate, rate(4, '  Crisp and warm.  '))
      expect(answer).toEqual({ stars: 4, comment: 'Crisp and warm.', at: expect.any(String) })
      await handle.result() // at once: the window's ten minutes are not waited out
      // The stars for the driver list, beside the pickup deadline it kept from before.
      expect((await handle.describe()).memo).toMatchObject({ rating: 4, pickupDeadline: expect.any(String) })
      const status = await handle.query(getStatusQuery)
      expect(status.rating).toEqual(answer)
      expect(status).not.toHaveProperty('ratingDeadline')
      expect(Date.parse(answer.at)).toBeLessThan(Date.parse(status.notifications!.at(-1)!.at) + 10 * 60_000)
      await recordHistory(handle, 'rated')
    }))

  it('a rating before the prompt skips it, and an empty comment is left out', () =>
    h.withWorker(async () => {
      const handle = await deliveredOrder()
      expect(await handle.executeUpdate(rateUpdate, rate(5, '   '))).toEqual({ stars: 5, at: expect.any(String) })
      await handle.result()
      expect(messages(handle)).toEqual(['🚗 Order picked up', '✅ Order delivered!'])
      const status = await handle.query(getStatusQuery)
      expect(status.notifications?.map((notification) => notification.message)).not.toContain(PROMPT)
      expect(status.rating).toEqual({ stars: 5, at: expect.any(String) })
      expect(await timers(handle)).toEqual([60, 60, 60]) // the prompt's timer, cancelled; no window
      await recordHistory(handle, 'rated-before-prompt')
    }))

  it('refuses a second rating, while the order is still open sending the prompt', () =>
    h.withWorker(async () => {
      const handle = await deliveredOrder()
      // The delivered push first: still retrying, it would hold the prompt back, and the rating
      // below would then come before the prompt and skip it.
      await waitForMessage(handle, DELIVERED)
      h.switches.notificationsDown = true // the prompt keeps retrying: the order stays open
      await h.env.sleep('61 seconds')
      await waitForRetrying(handle, 'sendPushNotification')
      const first = await handle.executeUpdate(rateUpdate, rate(3))
      expect(await refusal(handle.executeUpdate(rateUpdate, rate(5)))).toBe('The order was already rated')
      h.switches.notificationsDown = false
      await handle.result() // once the prompt is out: rated already, no window to wait for
      expect(await timers(handle)).toEqual([60, 60, 60])
      expect(messages(handle).at(-1)).toBe(PROMPT)
      expect((await handle.query(getStatusQuery)).rating).toEqual(first)
    }))

  it('the order completes when the rating window closes unrated; a rating then is too late', () =>
    h.withWorker(async () => {
      const handle = await deliveredOrder({ ratingWindow: '2 minutes' })
      await handle.result()
      expect(await timers(handle)).toEqual([60, 60, 60, 120])
      expect(messages(handle).at(-1)).toBe(PROMPT)
      const status = await handle.query(getStatusQuery)
      expect(status).not.toHaveProperty('rating')
      expect(status).not.toHaveProperty('ratingDeadline')
      expect((await handle.describe()).status.name).toBe('COMPLETED')
      // The order has closed: Temporal itself refuses the Update.
      await expect(handle.executeUpdate(rateUpdate, rate(5))).rejects.toThrow()
      await recordHistory(handle, 'rating-window-expired')
    }))
})

describe('who ordered and who delivers', () => {
  it('an order started with a customer id alone (the CLI) shows it and upserts CustomerId once', () =>
    h.withWorker(async () => {
      const handle = await start(3, { customerId: 'cust-1' })
      expect(await waitForState(handle, 'Paid')).toMatchObject({ customerId: 'cust-1' })
      expect((await handle.describe()).typedSearchAttributes.get(CUSTOMER_ID)).toBe('cust-1')
      expect(await upsertsOf(handle, CUSTOMER_ID.name)).toBe(1)
      await handle.terminate('test over')
    }))

  it('an order started with CustomerId set (the API) is not upserted again', () =>
    h.withWorker(async () => {
      const handle = await h.env.client.workflow.start(ORDER_WORKFLOW_TYPE, {
        taskQueue: h.taskQueue,
        workflowId: `order-${randomUUID()}`,
        args: [3, { customerId: 'cust-2' }],
        typedSearchAttributes: [{ key: CUSTOMER_ID, value: 'cust-2' }],
      })
      expect(await waitForState(handle, 'Paid')).toMatchObject({ customerId: 'cust-2' })
      expect((await handle.describe()).typedSearchAttributes.get(CUSTOMER_ID)).toBe('cust-2')
      expect(await upsertsOf(handle, CUSTOMER_ID.name)).toBe(0)
      await handle.terminate('test over')
    }))

  it('a pickUp Update records the driver in DriverId, with the state and its time, in one upsert; a pickedUp signal names nobody', () =>
    h.withWorker(async () => {
      const byUpdate = await start(3)
      await waitForState(byUpdate, 'Paid')
      await byUpdate.executeUpdate(pickUpUpdate, driver('d7'))
      const attributes = (await byUpdate.describe()).typedSearchAttributes
      expect(attributes.get(DRIVER_ID)).toBe('d7')
      expect(attributes.get(ORDER_STATE)).toBe('Picked up')
      const upserts = (await upsertedFields(byUpdate)).filter((names) => names.includes(DRIVER_ID.name))
      expect(upserts).toEqual([[DRIVER_ID.name, ORDER_STATE.name, ORDER_UPDATED_AT.name].sort()])
      // Terminated with its picked-up push still out, the test server skipped no more time for
      // the tests after this one (their env.sleep waited in real time): the push goes out first.
      await waitForMessage(byUpdate, PICKED_UP)
      await byUpdate.terminate('test over')

      const bySignal = await start(3)
      await waitForState(bySignal, 'Paid')
      await bySignal.signal(pickedUpSignal)
      await waitForState(bySignal, 'Picked up')
      expect((await bySignal.describe()).typedSearchAttributes.get(DRIVER_ID)).toBeUndefined()
      expect(await upsertsOf(bySignal, DRIVER_ID.name)).toBe(0)
      await waitForMessage(bySignal, PICKED_UP)
      await bySignal.terminate('test over')
    }))
})

describe('what the Web UI shows', () => {
  it('names each activity and timer, and keeps the current details in one line', () =>
    h.withWorker(async () => {
      const handle = await start(2, {
        pickupWindow: '1m',
        deliveryWindow: '90s',
        ratingDelay: '2s',
        ratingWindow: '1h',
        customerId: 'cust-1',
      })
      await waitForState(handle, 'Paid')
      const details = async () =>
        (await handle.query<{ currentDetails?: string }>('__temporal_workflow_metadata')).currentDetails
      expect(await details()).toMatch(/^\*\*Paid\*\* · Burrata · \$20\.00 · pickup by \d\d:\d\d:\d\d UTC$/)
      await handle.executeUpdate(pickUpUpdate, driver('d1'))
      await waitForDeliveryWindow(handle)
      expect(await details()).toMatch(/^\*\*Picked up\*\* · Burrata · \$20\.00 · driver `d1` · delivery by /)
      await handle.executeUpdate(deliverUpdate, driver('d1'))
      await waitFor('the rating window timer', async () => (await timers(handle)).length === 4)
      await handle.executeUpdate(rateUpdate, rate(4))
      await handle.result()
      expect(await details()).toBe('**Delivered** · Burrata · $20.00 · driver `d1` · rated ★★★★☆')

      const converter = h.env.client.options.loadedDataConverter.payloadConverter
      const summaries = ((await handle.fetchHistory()).events ?? []).flatMap((event) =>
        event.userMetadata?.summary ? [converter.fromPayload<string>(event.userMetadata.summary)] : [],
      )
      expect(summaries).toEqual([
        'charge $20.00 for Burrata',
        'pickup window 1m',
        'notify: 🚗 Order picked up',
        'delivery window 1m30s',
        'notify: ✅ Order delivered!',
        'rating prompt in 2s',
        'notify: ✍️ Rate your meal. How was the burrata?',
        'rating window 1h',
      ])
    }))
})

describe("the first task's search attributes (patch start-search-attributes-once)", () => {
  /** How many patch markers the order's history holds (`patched()` records one, in the first task). */
  const patchMarkers = async (handle: WorkflowHandle) =>
    ((await handle.fetchHistory()).events ?? []).filter(
      (event) => event.markerRecordedEventAttributes?.markerName === 'core_patch',
    ).length

  it('an order the API started with its search attributes upserts none of them: only its state changes', () =>
    h.withWorker(async () => {
      const handle = await promptedOrder(startAsApi)
      expect(await handle.executeUpdate(rateUpdate, rate(4, '  Crisp and warm.  '))).toMatchObject({ stars: 4 })
      await handle.result()
      expect(await patchMarkers(handle)).toBe(1)
      // The SDK's own record of the patch (free), then Paid, Picked up (with the driver) and
      // Delivered, each with its time: Charging card, the dish and the customer were given at start.
      const changed = [ORDER_STATE.name, ORDER_UPDATED_AT.name].sort()
      expect(await upsertedFields(handle)).toEqual([
        [CHANGE_VERSION_ATTRIBUTE],
        changed,
        [DRIVER_ID.name, ...changed].sort(),
        changed,
      ])
      const attributes = (await handle.describe()).typedSearchAttributes
      expect(attributes.get(ORDER_PRODUCT_ID)).toBe(2)
      expect(attributes.get(CUSTOMER_ID)).toBe('cust-1')
      expect(attributes.get(ORDER_STATE)).toBe('Delivered')
      await recordHistory(handle, 'api-rated')
    }))

  it('an order the CLI started (no search attributes) upserts the dish, the state and its customer in one', () =>
    h.withWorker(async () => {
      const handle = await promptedOrder()
      expect(await handle.executeUpdate(rateUpdate, rate(4, '  Crisp and warm.  '))).toMatchObject({ stars: 4 })
      await handle.result()
      expect(await patchMarkers(handle)).toBe(1)
      expect((await upsertedFields(handle)).slice(0, 2)).toEqual([
        [CHANGE_VERSION_ATTRIBUTE],
        [CUSTOMER_ID.name, ORDER_PRODUCT_ID.name, ORDER_STATE.name],
      ])
      expect(await upsertsOf(handle, ORDER_PRODUCT_ID.name)).toBe(1)
      expect(await upsertsOf(handle, CUSTOMER_ID.name)).toBe(1)
      const attributes = (await handle.describe()).typedSearchAttributes
      expect(attributes.get(ORDER_PRODUCT_ID)).toBe(2)
      expect(attributes.get(CUSTOMER_ID)).toBe('cust-1')
      await recordHistory(handle, 'cli-rated')
    }))

  it('an order that fails in its first task sends its Failed state in the same one upsert', () =>
    h.withWorker(async () => {
      const handle = await start(99)
      expect(await failureType(handle)).toBe('UnknownProduct')
      expect(await upsertedFields(handle)).toEqual([
        [CHANGE_VERSION_ATTRIBUTE],
        [ORDER_PRODUCT_ID.name, ORDER_STATE.name],
      ])
      expect((await handle.describe()).typedSearchAttributes.get(ORDER_STATE)).toBe('Failed')
      await recordHistory(handle, 'cli-unknown-product')
    }))
})
