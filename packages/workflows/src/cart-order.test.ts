import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { WorkflowFailedError, WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client'
import { ApplicationFailure, CancelledFailure } from '@temporalio/common'
import {
  priceCart,
  type OrderLine,
  type OrderOptions,
  type OrderState,
  type OrderStatus,
} from '@durable-delivery/common'
import {
  CUSTOMER_ID,
  ORDER_PRODUCT_ID,
  ORDER_STATE,
  orderStartAttributes,
} from '@durable-delivery/common/search-attributes'
import { waitFor } from '@durable-delivery/toolchain'
import { createOrderHarness, upsertsOf, type OrderHarness } from '../test/order-harness'
import { recordHistory } from '../test/histories'
import {
  CANCEL_WHILE_PREPARING,
  CANCELLED,
  declinedByRestaurant,
  extraTipCharged,
  NOT_ACCEPTED,
  NOT_PICKED_UP,
  READY,
} from './customer-messages'
import {
  acceptOrderUpdate,
  answerShortageUpdate,
  cancelOrderUpdate,
  declineOrderUpdate,
  deliverUpdate,
  getStatusQuery,
  markReadyUpdate,
  ORDER_WORKFLOW_TYPE,
  pickedUpSignal,
  pickUpUpdate,
  rateUpdate,
  type AcceptInput,
  type RateInput,
} from './definitions'

/**
 * A cart's order (issue 18): the restaurant's step, shortages, tips and the extra tip, on the
 * time-skipping test server with the real activities. The tests answer for the restaurant with
 * its Updates, as an operator would from the CLI; the harness's restaurant only receives.
 */
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
  h.switches.cardDeclines = false
  h.switches.random = () => 0.99
})

/** Two Burrata and a Potato: $55.00, the typical cart. */
const TYPICAL = priceCart([
  { productId: 2, quantity: 2 },
  { productId: 3, quantity: 1 },
])
/** Two Burrata and a Poke: the Poke runs out in the shortage tests. */
const WITH_POKE = priceCart([
  { productId: 2, quantity: 2 },
  { productId: 4, quantity: 1 },
])

/** `asApi`: with the search attributes the API gives at start (no memo: the workflow never reads it). */
function startCart(lines: OrderLine[], options: Omit<OrderOptions, 'lines'> = {}, asApi = false) {
  const productId = lines[0]!.productId
  const customerId = options.customerId ?? 'cust-1'
  return h.env.client.workflow.start(ORDER_WORKFLOW_TYPE, {
    taskQueue: h.taskQueue,
    workflowId: `order-${randomUUID()}`,
    args: [productId, { customerId, ...options, lines }],
    ...(asApi ? { typedSearchAttributes: orderStartAttributes(productId, 'Charging card', customerId) } : {}),
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

/** Waits until the restaurant has the order (the send activity ran). */
async function waitForRestaurant(handle: WorkflowHandle): Promise<void> {
  await waitFor(`order ${handle.workflowId} to reach the restaurant`, () =>
    h.ledger.restaurantOrders('all').some((entry) => entry.orderId === handle.workflowId),
  )
}

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

async function refusal(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => expect.fail('expected the Update to be refused'),
    (error: unknown) => error,
  )
  expect(error).toBeInstanceOf(WorkflowUpdateFailedError)
  return (error as WorkflowUpdateFailedError).cause?.message ?? ''
}

async function waitForMessage(handle: WorkflowHandle, message: string): Promise<void> {
  await waitFor(`order ${handle.workflowId} to send "${message}"`, async () =>
    ((await handle.query(getStatusQuery)).notifications ?? []).some((sent) => sent.message === message),
  )
}

const payments = (handle: WorkflowHandle) =>
  h.ledger.payments(handle.workflowId).map(({ kind, cents, purpose }) => ({ kind, cents, purpose }))
const net = (handle: WorkflowHandle) =>
  h.ledger
    .payments(handle.workflowId)
    .reduce((sum, entry) => sum + (entry.kind === 'charge' ? entry.cents : -entry.cents), 0)
const messages = (handle: WorkflowHandle) => h.ledger.notifications(handle.workflowId).map((entry) => entry.message)
const accept = (input: AcceptInput = { readyInMinutes: 10 }) => ({ args: [input] as [AcceptInput] })
const driver = (driverId: string) => ({ args: [{ driverId }] as [{ driverId: string }] })
const rating = (input: RateInput) => ({ args: [input] as [RateInput] })

/** Accepts, marks ready, picks up and delivers: the order is then Delivered. */
async function cookAndDeliver(handle: WorkflowHandle, acceptInput?: AcceptInput): Promise<void> {
  await waitForState(handle, 'Paid')
  await handle.executeUpdate(acceptOrderUpdate, accept(acceptInput))
  await waitForState(handle, 'Preparing')
  await handle.executeUpdate(markReadyUpdate)
  await handle.executeUpdate(pickUpUpdate, driver('d1'))
  await handle.executeUpdate(deliverUpdate, driver('d1'))
}

describe("a cart's order", () => {
  it.each([
    ['the CLI', false, 'cart-delivered-extra-tip'],
    ['the API', true, 'api-cart-delivered-extra-tip'],
  ] as const)(
    'charges the total once, goes through the restaurant to delivery, and charges an extra tip with the rating (started by %s)',
    (_, asApi, name) =>
      h.withWorker(async () => {
        const handle = await startCart(TYPICAL, { tip: { cents: 825, percent: 15 } }, asApi)
        const paid = await waitForState(handle, 'Paid')
        expect(paid).toMatchObject({
          productId: 2,
          state: 'Paid',
          cents: 6325,
          lines: TYPICAL,
          subtotalCents: 5500,
          tip: { cents: 825, percent: 15 },
          restaurant: { acceptDeadline: expect.any(String) },
          refundedCents: 0,
        })
        // Not pickable until the restaurant has cooked it; the pickup window starts when Ready.
        expect(paid).not.toHaveProperty('pickupDeadline')
        expect(await refusal(handle.executeUpdate(pickUpUpdate, driver('d1')))).toBe(
          'The restaurant has not accepted the order yet: it cannot be picked up',
        )
        await waitForRestaurant(handle)
        const accepted = await handle.executeUpdate(acceptOrderUpdate, accept({ readyInMinutes: 12 }))
        expect(accepted.restaurant?.acceptedAt).toEqual(expect.any(String))
        expect(await refusal(handle.executeUpdate(acceptOrderUpdate, accept()))).toBe('The order was already accepted')
        const preparing = await waitForState(handle, 'Preparing')
        expect(
          Date.parse(preparing.restaurant!.readyBy!) - Date.parse(preparing.restaurant!.acceptedAt!),
        ).toBeGreaterThanOrEqual(12 * 60_000 - 1000)
        expect((await handle.describe()).typedSearchAttributes.get(ORDER_STATE)).toBe('Preparing')
        expect(await refusal(handle.executeUpdate(pickUpUpdate, driver('d1')))).toBe(
          'The restaurant is still preparing the order: it cannot be picked up yet',
        )
        expect(await refusal(handle.executeUpdate(cancelOrderUpdate, { args: [{}] }))).toBe(CANCEL_WHILE_PREPARING)
        const ready = await handle.executeUpdate(markReadyUpdate)
        expect(ready).toMatchObject({ state: 'Ready', pickupDeadline: expect.any(String) })
        expect(await refusal(handle.executeUpdate(markReadyUpdate))).toBe('The order is already ready')
        await handle.executeUpdate(pickUpUpdate, driver('d1'))
        await handle.executeUpdate(deliverUpdate, driver('d1'))
        expect(await handle.executeUpdate(rateUpdate, rating({ stars: 5, extraTipCents: 300 }))).toMatchObject({
          stars: 5,
        })
        await handle.result()
        expect(payments(handle)).toEqual([
          { kind: 'charge', cents: 6325, purpose: 'order' },
          { kind: 'charge', cents: 300, purpose: 'extra-tip' },
        ])
        expect(h.ledger.payments(handle.workflowId).map((entry) => entry.idempotencyKey)).toEqual([
          `${handle.workflowId}:${handle.firstExecutionRunId}:charge`,
          `${handle.workflowId}:${handle.firstExecutionRunId}:extra-tip`,
        ])
        expect(messages(handle)).toEqual([
          '🍳 The restaurant accepted your order: ready in about 12 minutes',
          READY,
          '🚗 Order picked up',
          '✅ Order delivered!',
          extraTipCharged('$3.00'),
        ])
        expect(await handle.query(getStatusQuery)).toMatchObject({ state: 'Delivered', extraTipCents: 300 })
        expect((await handle.describe()).memo).toMatchObject({ keptCents: 6325, extraTipCents: 300 })
        // The API gave the dish, the customer and Charging card at start: none is upserted (patch
        // start-search-attributes-once); the CLI's start gave none, and gets them in one upsert.
        expect(await upsertsOf(handle, ORDER_PRODUCT_ID.name)).toBe(asApi ? 0 : 1)
        expect(await upsertsOf(handle, CUSTOMER_ID.name)).toBe(asApi ? 0 : 1)
        expect(await upsertsOf(handle, ORDER_STATE.name)).toBe(asApi ? 5 : 6)
        await recordHistory(handle, name)
      }),
  )

  it('is collected and delivered while its pushes still retry: delivered and charged, never refunded', () =>
    h.withWorker(async () => {
      // Found by the fault suite: the story was still telling the customer "preparing" (the
      // notification service down) when the kitchen, the driver and the delivery all came.
      const handle = await startCart(TYPICAL)
      await waitForState(handle, 'Paid')
      h.switches.notificationsDown = true
      await handle.executeUpdate(acceptOrderUpdate, accept())
      await waitForState(handle, 'Preparing')
      await handle.executeUpdate(markReadyUpdate)
      await handle.executeUpdate(pickUpUpdate, driver('d1'))
      await handle.executeUpdate(deliverUpdate, driver('d1'))
      h.switches.notificationsDown = false
      await handle.result()
      expect(await handle.query(getStatusQuery)).toMatchObject({ state: 'Delivered' })
      expect(net(handle)).toBe(5500)
      expect(payments(handle)).toEqual([{ kind: 'charge', cents: 5500, purpose: 'order' }])
      // "Ready" would come after "picked up": it is not sent once a driver has the order.
      expect(messages(handle)).not.toContain(READY)
    }))

  it('declines a cart that includes a dish of $35 or more, and pays a $55 one', () =>
    h.withWorker(async () => {
      const declined = await startCart(
        priceCart([
          { productId: 3, quantity: 1 },
          { productId: 1, quantity: 1 },
        ]),
      )
      expect(await failureType(declined)).toBe('PaymentFailed')
      expect(payments(declined)).toEqual([])
      const paid = await startCart(TYPICAL)
      expect((await waitForState(paid, 'Paid')).cents).toBe(5500)
      // Ended by its own story, not terminated: a terminated order's activity in flight would
      // keep the test server from skipping time for the tests after it.
      await paid.executeUpdate(cancelOrderUpdate, { args: [{}] })
      await paid.result()
    }))

  it.each([
    ['an empty cart', [2, { lines: [] }]],
    ['a quantity of 10', [2, { lines: [{ productId: 2, quantity: 10, cents: 2000 }] }]],
    ['a line without a price', [2, { lines: [{ productId: 2, quantity: 1 }] }]],
    ['an unknown dish', [99, { lines: [{ productId: 99, quantity: 1, cents: 100 }] }]],
    ['a productId that is not the first line', [3, { lines: TYPICAL }]],
    ['a total that is not the lines plus the tip', [2, { lines: TYPICAL, cents: 5000 }]],
    ['a share tip of the wrong amount', [2, { lines: TYPICAL, tip: { cents: 100, percent: 15 } }]],
    ['a share not on offer', [2, { lines: TYPICAL, tip: { cents: 1375, percent: 25 } }]],
    ['a tip over $50', [2, { lines: TYPICAL, tip: { cents: 5001 } }]],
    ['a tip without a cart', [2, { tip: { cents: 100 } }]],
  ])('fails cleanly, charging nothing, for %s', (_, args) =>
    h.withWorker(async () => {
      const handle = await h.env.client.workflow.start(ORDER_WORKFLOW_TYPE, {
        taskQueue: h.taskQueue,
        workflowId: `order-${randomUUID()}`,
        args,
      })
      expect(await failureType(handle)).toBe((args[0] as number) === 99 ? 'UnknownProduct' : 'InvalidOrderOptions')
      expect(payments(handle)).toEqual([])
    }),
  )
})

describe("the restaurant's answer", () => {
  it('a decline refunds in full and tells the customer why', () =>
    h.withWorker(async () => {
      const handle = await startCart(TYPICAL)
      await waitForState(handle, 'Paid')
      await handle.executeUpdate(declineOrderUpdate, { args: [{ reason: 'Kitchen closed' }] })
      expect(await failureType(handle)).toBe('DeclinedByRestaurant')
      expect(payments(handle)).toEqual([
        { kind: 'charge', cents: 5500, purpose: 'order' },
        { kind: 'refund', cents: 5500, purpose: 'full' },
      ])
      const ending = declinedByRestaurant('Kitchen closed')
      expect(messages(handle)).toEqual([ending.decided, ending.settled('refunded')])
      expect(await handle.query(getStatusQuery)).toMatchObject({
        state: 'Failed',
        failure: 'Declined by the restaurant: Kitchen closed',
        restaurant: { declined: 'Kitchen closed' },
        refundedCents: 5500,
      })
      await recordHistory(handle, 'cart-declined-by-restaurant')
    }))

  it('no answer by the accept deadline refunds in full; a late accept is refused', () =>
    h.withWorker(async () => {
      const handle = await startCart(TYPICAL, { acceptDeadline: '30 seconds' })
      expect(await failureType(handle)).toBe('NotAcceptedInTime')
      expect(payments(handle)).toEqual([
        { kind: 'charge', cents: 5500, purpose: 'order' },
        { kind: 'refund', cents: 5500, purpose: 'full' },
      ])
      expect(messages(handle)).toEqual([NOT_ACCEPTED.decided, NOT_ACCEPTED.settled('refunded')])
      expect((await handle.query(getStatusQuery)).failure).toBe('Not accepted by the restaurant in time')
      await recordHistory(handle, 'cart-not-accepted')
    }))

  it('refuses what the state does not allow, with a sentence', () =>
    h.withWorker(async () => {
      const seed = await h.env.client.workflow.start(ORDER_WORKFLOW_TYPE, {
        taskQueue: h.taskQueue,
        workflowId: `order-${randomUUID()}`,
        args: [2, { customerId: 'cust-1' }],
      })
      await waitForState(seed, 'Paid')
      expect(await refusal(seed.executeUpdate(acceptOrderUpdate, accept()))).toBe(
        'This order has no restaurant step: it was not placed with a cart',
      )
      expect(await refusal(seed.executeUpdate(markReadyUpdate))).toBe(
        'This order has no restaurant step: it was not placed with a cart',
      )
      await seed.executeUpdate(pickUpUpdate, driver('d1'))
      await seed.executeUpdate(deliverUpdate, driver('d1'))
      expect(await refusal(seed.executeUpdate(rateUpdate, rating({ stars: 4, extraTipCents: 100 })))).toBe(
        "An extra tip can only be added to an order placed from the menu's cart",
      )
      await seed.result() // the rating window closes unrated

      const handle = await startCart(WITH_POKE)
      await waitForState(handle, 'Paid')
      expect(await refusal(handle.executeUpdate(markReadyUpdate))).toBe(
        'The order was not accepted yet: it cannot be ready',
      )
      expect(await refusal(handle.executeUpdate(answerShortageUpdate, { args: [{ goAhead: true }] }))).toBe(
        'The restaurant has not reported a shortage for this order',
      )
      expect(await refusal(handle.executeUpdate(acceptOrderUpdate, accept({ unavailable: [3] })))).toBe(
        'These dishes are not in the order: [3]',
      )
      expect(await refusal(handle.executeUpdate(acceptOrderUpdate, accept({ unavailable: [2, 4] })))).toBe(
        'Every dish of the order is unavailable: decline it instead',
      )
      expect(await refusal(handle.executeUpdate(acceptOrderUpdate, accept({ readyInMinutes: 0 })))).toBe(
        'readyInMinutes must be a whole number from 1 to 240',
      )
      expect(await refusal(handle.executeUpdate(rateUpdate, rating({ stars: 5, extraTipCents: 0 })))).toMatch(
        /^A tip must be a whole number of cents/,
      )
      await handle.executeUpdate(declineOrderUpdate, { args: [{}] })
      expect(await failureType(handle)).toBe('DeclinedByRestaurant')
    }))

  it('a restaurant that never marks the order ready: refunded an hour past its estimate', () =>
    h.withWorker(async () => {
      const handle = await startCart(TYPICAL)
      await waitForState(handle, 'Paid')
      await handle.executeUpdate(acceptOrderUpdate, accept({ readyInMinutes: 5 }))
      expect(await failureType(handle)).toBe('NotPreparedInTime')
      expect(net(handle)).toBe(0)
    }))
})

describe('cancelling a cart', () => {
  it('the customer may cancel until the restaurant accepts: a full refund, Cancelled', () =>
    h.withWorker(async () => {
      const handle = await startCart(TYPICAL, { tip: { cents: 500 } })
      await waitForState(handle, 'Paid')
      // The restaurant has it (its send done): no activity in flight when the order closes, which
      // once left the time-skipping server not skipping (a 60 s timeout in CI under load).
      await waitForRestaurant(handle)
      await handle.executeUpdate(cancelOrderUpdate, { args: [{ reason: 'too slow' }] })
      // The restaurant's answer after the cancel is refused: it is told at once.
      expect(await refusal(handle.executeUpdate(acceptOrderUpdate, accept()))).toBe('The customer cancelled this order')
      await handle.result()
      expect(await handle.query(getStatusQuery)).toMatchObject({
        state: 'Cancelled',
        failure: 'Cancelled by the customer: too slow',
        refundedCents: 6000,
      })
      expect(payments(handle)).toEqual([
        { kind: 'charge', cents: 6000, purpose: 'order' },
        { kind: 'refund', cents: 6000, purpose: 'full' },
      ])
      expect(messages(handle)).toEqual([CANCELLED.decided, CANCELLED.settled('refunded')])
      await recordHistory(handle, 'cart-cancelled-before-acceptance')
    }))

  it('an operator cancel while Preparing refunds in full', () =>
    h.withWorker(async () => {
      const handle = await startCart(TYPICAL)
      await waitForState(handle, 'Paid')
      await handle.executeUpdate(acceptOrderUpdate, accept())
      await waitForState(handle, 'Preparing')
      await handle.cancel()
      const error = await handle.result().then(
        () => undefined,
        (error: unknown) => error,
      )
      expect((error as WorkflowFailedError).cause).toBeInstanceOf(CancelledFailure)
      expect(await handle.query(getStatusQuery)).toMatchObject({
        state: 'Cancelled',
        failure: 'Cancelled by an operator',
      })
      expect(payments(handle)).toEqual([
        { kind: 'charge', cents: 5500, purpose: 'order' },
        { kind: 'refund', cents: 5500, purpose: 'full' },
      ])
      await recordHistory(handle, 'cart-cancelled-by-operator-preparing')
    }))
})

describe('a shortage', () => {
  it('go ahead: the line is refunded on its own, the share tip falls with it, and the rest is delivered', () =>
    h.withWorker(async () => {
      // 2 Burrata + 1 Poke = $60.00, a 10% tip of $6.00: without the Poke, $40.00 and $4.00.
      const handle = await startCart(WITH_POKE, { tip: { cents: 600, percent: 10 } })
      await waitForState(handle, 'Paid')
      const asked = await handle.executeUpdate(acceptOrderUpdate, accept({ readyInMinutes: 10, unavailable: [4] }))
      expect(asked).toMatchObject({ state: 'Paid' })
      await waitFor('the shortage question', async () => (await handle.query(getStatusQuery)).shortage !== undefined)
      expect((await handle.query(getStatusQuery)).shortage).toEqual({
        productIds: [4],
        refundCents: 2200,
        deadline: expect.any(String),
      })
      expect(await refusal(handle.executeUpdate(markReadyUpdate))).toBe(
        'The customer has not answered the shortage yet: the order is not being prepared',
      )
      await handle.executeUpdate(answerShortageUpdate, { args: [{ goAhead: true }] })
      expect(await refusal(handle.executeUpdate(answerShortageUpdate, { args: [{ goAhead: false }] }))).toBe(
        'The shortage was already answered',
      )
      const preparing = await waitForState(handle, 'Preparing')
      expect(preparing).toMatchObject({
        cents: 6600,
        lines: [{ productId: 2, quantity: 2, cents: 2000 }],
        subtotalCents: 4000,
        tip: { cents: 400, percent: 10 },
        shortage: { productIds: [4], refundCents: 2200, outcome: 'went ahead' },
        refundedCents: 2200,
      })
      expect(preparing.shortage).not.toHaveProperty('deadline')
      await handle.executeUpdate(markReadyUpdate)
      await handle.signal(pickedUpSignal)
      await waitForState(handle, 'Picked up')
      await handle.executeUpdate(deliverUpdate, driver('d1'))
      await handle.executeUpdate(rateUpdate, rating({ stars: 4 }))
      await handle.result()
      expect(payments(handle)).toEqual([
        { kind: 'charge', cents: 6600, purpose: 'order' },
        { kind: 'refund', cents: 2200, purpose: 'shortage' },
      ])
      expect(net(handle)).toBe(4400)
      expect(messages(handle).slice(0, 3)).toEqual([
        '🤔 The restaurant is out of Poke. Go ahead without it (we refund $22.00) or cancel for a full refund? No answer in 2m goes ahead without it.',
        '💸 Going ahead without Poke: $22.00 has been refunded.',
        '🍳 The restaurant accepted your order: ready in about 10 minutes',
      ])
      expect((await handle.describe()).memo).toMatchObject({ keptCents: 4400 })
      await recordHistory(handle, 'cart-shortage-go-ahead')
    }))

  it('cancel: a full refund, Cancelled', () =>
    h.withWorker(async () => {
      const handle = await startCart(WITH_POKE, { tip: { cents: 500 } })
      await waitForState(handle, 'Paid')
      await handle.executeUpdate(acceptOrderUpdate, accept({ unavailable: [4] }))
      await waitFor('the shortage question', async () => (await handle.query(getStatusQuery)).shortage !== undefined)
      await handle.executeUpdate(answerShortageUpdate, { args: [{ goAhead: false }] })
      await handle.result()
      expect(await handle.query(getStatusQuery)).toMatchObject({
        state: 'Cancelled',
        shortage: { productIds: [4], outcome: 'cancelled' },
        refundedCents: 6500,
      })
      expect(payments(handle)).toEqual([
        { kind: 'charge', cents: 6500, purpose: 'order' },
        { kind: 'refund', cents: 6500, purpose: 'full' },
      ])
      await recordHistory(handle, 'cart-shortage-cancelled')
    }))

  it('no answer by the deadline goes ahead; a later full refund returns only what is left', () =>
    h.withWorker(async () => {
      const handle = await startCart(WITH_POKE, { tip: { cents: 500 }, shortageDeadline: '30 seconds' })
      await waitForState(handle, 'Paid')
      await handle.executeUpdate(acceptOrderUpdate, accept({ readyInMinutes: 1, unavailable: [4] }))
      await h.env.sleep('31 seconds') // skipped by the test server
      await waitForState(handle, 'Preparing')
      expect((await handle.query(getStatusQuery)).shortage).toMatchObject({ outcome: 'timed out', refundCents: 2000 })
      await handle.executeUpdate(markReadyUpdate)
      // Nobody picks it up: the rest is refunded, never the shortage's part twice.
      expect(await failureType(handle)).toBe('NotPickedUpInTime')
      expect(payments(handle)).toEqual([
        { kind: 'charge', cents: 6500, purpose: 'order' },
        { kind: 'refund', cents: 2000, purpose: 'shortage' },
        { kind: 'refund', cents: 4500, purpose: 'full' },
      ])
      expect(messages(handle).slice(-2)).toEqual([NOT_PICKED_UP.decided, NOT_PICKED_UP.settled('refunded')])
      await recordHistory(handle, 'cart-shortage-timed-out')
    }))
})

describe('the extra tip', () => {
  it('retried while the payment service is down: charged once', () =>
    h.withWorker(async () => {
      const handle = await startCart(TYPICAL)
      await cookAndDeliver(handle)
      h.switches.paymentsDown = true
      await handle.executeUpdate(rateUpdate, rating({ stars: 5, extraTipCents: 500 }))
      await waitFor('the extra tip to retry', async () => {
        const pending = (await handle.describe()).raw.pendingActivities ?? []
        return pending.some((activity) => (activity.attempt ?? 0) >= 2)
      })
      h.switches.paymentsDown = false
      await handle.result()
      expect(payments(handle)).toEqual([
        { kind: 'charge', cents: 5500, purpose: 'order' },
        { kind: 'charge', cents: 500, purpose: 'extra-tip' },
      ])
      expect((await handle.query(getStatusQuery)).extraTipCents).toBe(500)
      await recordHistory(handle, 'cart-extra-tip-retried')
    }))

  it('declined: the customer is told, the order still completes with its rating', () =>
    h.withWorker(async () => {
      const handle = await startCart(TYPICAL)
      await cookAndDeliver(handle)
      h.switches.cardDeclines = true
      await handle.executeUpdate(rateUpdate, rating({ stars: 3, extraTipCents: 200 }))
      await handle.result()
      expect(payments(handle)).toEqual([{ kind: 'charge', cents: 5500, purpose: 'order' }])
      await waitForMessage(handle, "⚠️ We could not add $2.00 to your driver's tip: Card declined: insufficient funds")
      const status = await handle.query(getStatusQuery)
      expect(status).toMatchObject({ state: 'Delivered', rating: { stars: 3 } })
      expect(status).not.toHaveProperty('extraTipCents')
      await recordHistory(handle, 'cart-extra-tip-declined')
    }))
})
