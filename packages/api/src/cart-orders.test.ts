import { randomUUID } from 'node:crypto'
import { WorkflowNotFoundError } from '@temporalio/client'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { loadTemporalConfig, type TemporalConfig } from '@durable-delivery/common/config'
import { startTestWorker, waitFor, type WorkerProcess } from '@durable-delivery/test-harness'
import { callersFor, codeOf, messageOf, type Caller } from '../test/callers'
import { CARTS_NAMESPACE } from '../test/stack'
import { fixedIdentity } from './auth/identity'
import type { OrderStatusView } from './read-model/order-status'
import { createProcessShared, NO_LIMITS } from './process-shared'
import { closeTemporalClient, getTemporalClient } from './temporal-client'

/**
 * Carts through `createCaller`, against the suite's real dev server and the real compiled Worker
 * with its simulated restaurant: quick to accept, a second and a half a dish to cook (long enough
 * to see an order Preparing), out of Poke (a shortage for any cart with it and another dish).
 */
const RESTAURANT = {
  RESTAURANT_MODE: 'auto',
  RESTAURANT_ACCEPT_MS: '300',
  RESTAURANT_PREP_MS_PER_ITEM: '1500',
  RESTAURANT_DECLINE_RATE: '0',
  RESTAURANT_FAILURE_RATE: '0',
  RESTAURANT_SOLD_OUT: '4',
}
const CUSTOMER = 'c_cart-customer-000000'

let worker: WorkerProcess | undefined
let config: TemporalConfig
let caller: Caller
let stranger: Caller
let driver: Caller

async function statusWhen(orderId: string, what: string, ok: (status: OrderStatusView) => boolean) {
  let last: OrderStatusView | undefined
  await waitFor(
    `order ${orderId}: ${what}`,
    async () => ok((last = await caller.order.getOrderStatus(orderId))),
    30_000,
    100,
  )
  return last!
}

async function readyRow(orderId: string) {
  let cursor: string | undefined
  do {
    const page = await driver.driverList.listSection({ section: 'ready', cursor })
    const row = page.rows.find((r) => r.orderId === orderId)
    if (row) return row
    cursor = page.nextCursor
  } while (cursor)
  return undefined
}

async function notStarted(orderId: string) {
  const client = await getTemporalClient(config)
  await expect(client.workflow.getHandle(orderId).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError)
}

beforeAll(async () => {
  config = loadTemporalConfig({
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    TEMPORAL_NAMESPACE: CARTS_NAMESPACE,
  })
  worker = await startTestWorker(inject('temporalAddress'), CARTS_NAMESPACE, RESTAURANT)
  const as = callersFor(config, createProcessShared(NO_LIMITS))
  // The rating is asked for at once, so a delivered order can be rated (and tipped) here.
  const waits = { orderWaits: { ratingDelay: 10 } }
  caller = as(fixedIdentity({ customerId: CUSTOMER }), undefined, { ...waits, paymentWaitMs: 20_000 })
  stranger = as(fixedIdentity({ customerId: 'c_cart-stranger-000000' }), undefined, waits)
  driver = as(fixedIdentity({ driverId: 'ana' }))
})

afterAll(async () => {
  await closeTemporalClient()
  await worker?.stop()
})

describe('a cart that cannot be placed', () => {
  it.each([
    ['an empty cart', { items: [] }, 'The cart is empty'],
    ['a quantity of 0', { items: [{ productId: 2, quantity: 0 }] }, 'from 1 to 9'],
    ['a quantity of 10', { items: [{ productId: 2, quantity: 10 }] }, 'from 1 to 9'],
    ['a fractional quantity', { items: [{ productId: 2, quantity: 1.5 }] }, 'from 1 to 9'],
    ['a quantity that is not a number', { items: [{ productId: 2, quantity: '2' }] }, 'quantity must be a number'],
    ['an unknown dish', { items: [{ productId: 99, quantity: 1 }] }, 'There is no dish 99 on the menu'],
    [
      'a dish twice',
      {
        items: [
          { productId: 2, quantity: 1 },
          { productId: 2, quantity: 1 },
        ],
      },
      'Burrata is in the cart twice',
    ],
    [
      '21 items',
      {
        items: [
          { productId: 2, quantity: 9 },
          { productId: 3, quantity: 9 },
          { productId: 4, quantity: 3 },
        ],
      },
      'at most 20 items',
    ],
    [
      'more lines than items allowed',
      { items: Array.from({ length: 21 }, (_, index) => ({ productId: index + 1, quantity: 1 })) },
      'at most 20 items',
    ],
    ['a negative tip', { items: [{ productId: 2, quantity: 1 }], tip: { kind: 'amount', cents: -500 } }, 'A tip must'],
    ['a tip of nothing', { items: [{ productId: 2, quantity: 1 }], tip: { kind: 'amount', cents: 0 } }, 'A tip must'],
    [
      'an absurd tip',
      { items: [{ productId: 2, quantity: 1 }], tip: { kind: 'amount', cents: 1_000_000_000 } },
      'from 1 to 5000',
    ],
    [
      'a fractional tip',
      { items: [{ productId: 2, quantity: 1 }], tip: { kind: 'amount', cents: 99.5 } },
      'A tip must',
    ],
    [
      'a share not on offer',
      { items: [{ productId: 2, quantity: 1 }], tip: { kind: 'percent', percent: 50 } },
      'one of 10, 15, 20 percent',
    ],
    [
      'an unknown tip kind',
      { items: [{ productId: 2, quantity: 1 }], tip: { kind: 'bribe', cents: 100 } },
      'tip must be',
    ],
    ['a dish and a cart at once', { productId: 2, items: [{ productId: 3, quantity: 1 }] }, 'not both'],
    ['a tip without a cart', { productId: 2, tip: { kind: 'amount', cents: 100 } }, 'A tip goes with a cart'],
  ])('refuses %s with BAD_REQUEST, says what is wrong, and starts no workflow', async (_, input, message) => {
    const orderId = randomUUID()
    const order = { orderId, ...input } as never
    expect(await codeOf(caller.order.createOrder(order))).toBe('BAD_REQUEST')
    expect(await messageOf(caller.order.createOrder(order))).toContain(message)
    await notStarted(orderId)
  })
})

describe('a typical cart', () => {
  const items = [
    { productId: 2, quantity: 2 },
    { productId: 3, quantity: 1 },
  ]
  const lines = [
    { productId: 2, quantity: 2, cents: 2000 },
    { productId: 3, quantity: 1, cents: 1500 },
  ]

  it('is priced on the server, charged once for lines and tip, and a retry is the same order', async () => {
    const orderId = randomUUID()
    const placed = await caller.order.createOrder({ orderId, items, tip: { kind: 'percent', percent: 15 } })
    // 2 × $20 + $15 = $55.00, and 15 % of it.
    expect(placed).toMatchObject({
      orderId,
      productId: 2,
      created: true,
      lines,
      tip: { cents: 825, percent: 15 },
      cents: 6325,
    })
    expect(await caller.order.createOrder({ orderId, items, tip: { kind: 'percent', percent: 15 } })).toMatchObject({
      orderId,
      created: false,
    })
    // The same id for another cart, tip or dish is not a retry.
    for (const other of [
      { items: [{ productId: 2, quantity: 1 }, items[1]!], tip: { kind: 'percent', percent: 15 } as const },
      { items, tip: { kind: 'percent', percent: 20 } as const },
      { items },
      { productId: 2 },
    ]) {
      expect(await codeOf(caller.order.createOrder({ orderId, ...other }))).toBe('CONFLICT')
    }
    expect(await codeOf(stranger.order.createOrder({ orderId, items, tip: { kind: 'percent', percent: 15 } }))).toBe(
      'CONFLICT',
    )
    const client = await getTemporalClient(config)
    const description = await client.workflow.getHandle(orderId).describe()
    expect(description.memo).toMatchObject({ lines, tipCents: 825 })
    const status = await statusWhen(orderId, 'paid', (s) => s.state !== 'Charging card')
    expect(status).toMatchObject({ productId: 2, cents: 6325, lines, subtotalCents: 5500, tip: { cents: 825 } })
    expect((await caller.order.myOrders({})).orders.find((o) => o.orderId === orderId)).toMatchObject({ lines })
  })

  it('goes through the restaurant to the driver: Pick up only once Ready, then delivered, rated and tipped again', async () => {
    const orderId = randomUUID()
    await caller.order.createOrder({ orderId, items, tip: { kind: 'amount', cents: 500 } })
    const preparing = await statusWhen(orderId, 'accepted', (s) => s.state === 'Preparing')
    expect(preparing.restaurant?.readyBy).toEqual(expect.any(String))
    await waitFor(
      'the driver list to show it preparing, not yet pickable',
      async () => {
        const row = await readyRow(orderId)
        return row?.ok === true && (row.state === 'Preparing' || row.state === 'Ready')
      },
      20_000,
    )
    const row = await readyRow(orderId)
    if (row?.ok && row.state === 'Preparing') {
      expect(row).toMatchObject({ pickable: false, tipCents: 500, productName: 'Burrata' })
      expect(row.lines?.map((line) => `${line.quantity} × ${line.name}`)).toEqual(['2 × Burrata', '1 × Potato'])
    }
    await statusWhen(orderId, 'ready', (s) => s.state === 'Ready')
    await waitFor(
      'the driver list to offer it for pickup',
      async () => {
        const ready = await readyRow(orderId)
        return ready?.ok === true && ready.state === 'Ready' && ready.pickable
      },
      20_000,
    )
    expect(await driver.driverList.pickUp(orderId)).toEqual({ orderId, state: 'Picked up' })
    expect(await driver.driverList.deliver(orderId)).toEqual({ orderId, state: 'Delivered' })
    await statusWhen(orderId, 'open for a rating', (s) => s.ratingDeadline !== undefined)

    expect(await codeOf(stranger.order.rate({ orderId, stars: 5, extraTipCents: 300 }))).toBe('NOT_FOUND')
    expect(await codeOf(caller.order.rate({ orderId, stars: 5, extraTipCents: -300 }))).toBe('BAD_REQUEST')
    expect(await messageOf(caller.order.rate({ orderId, stars: 5, extraTipCents: 5001 }))).toContain('A tip must')
    expect(await caller.order.rate({ orderId, stars: 5, extraTipCents: 300 })).toMatchObject({
      orderId,
      rating: { stars: 5 },
    })
    const tipped = await statusWhen(orderId, 'the extra tip charged', (s) => s.extraTipCents !== undefined)
    expect(tipped).toMatchObject({ extraTipCents: 300, tip: { cents: 500 }, cents: 6000, rating: { stars: 5 } })
  })
})

describe('the seed order beside carts', () => {
  it('is pickable once Paid, and refuses an extra tip with its rating', async () => {
    const orderId = randomUUID()
    await caller.order.createOrder({ orderId, productId: 3 })
    await statusWhen(orderId, 'paid', (s) => s.state === 'Paid')
    await waitFor('it to be listed', async () => (await readyRow(orderId)) !== undefined, 20_000)
    expect(await readyRow(orderId)).toMatchObject({ ok: true, state: 'Paid', pickable: true })
    expect((await readyRow(orderId)) as object).not.toHaveProperty('lines')
    await driver.driverList.pickUp(orderId)
    await driver.driverList.deliver(orderId)
    await statusWhen(orderId, 'open for a rating', (s) => s.ratingDeadline !== undefined)
    expect(await codeOf(caller.order.rate({ orderId, stars: 4, extraTipCents: 200 }))).toBe('PRECONDITION_FAILED')
  })
})

describe('a shortage', () => {
  it("is the customer's to answer: another customer's answer is NOT_FOUND, theirs goes ahead with a partial refund", async () => {
    const orderId = randomUUID()
    await caller.order.createOrder({
      orderId,
      items: [
        { productId: 2, quantity: 1 },
        { productId: 4, quantity: 2 },
      ],
      tip: { kind: 'percent', percent: 10 },
    })
    const asked = await statusWhen(orderId, 'a shortage asked', (s) => s.shortage?.deadline !== undefined)
    // Two Poke ($40) and their share of the 10 % tip ($4) go back.
    expect(asked.shortage).toMatchObject({ productIds: [4], refundCents: 4400 })
    expect(await codeOf(stranger.order.answerShortage({ orderId, goAhead: true }))).toBe('NOT_FOUND')
    expect(await messageOf(stranger.order.answerShortage({ orderId, goAhead: true }))).toBe(
      `Order ${orderId}: no such order`,
    )
    expect(await codeOf(caller.order.answerShortage({ orderId, goAhead: 'yes' } as never))).toBe('BAD_REQUEST')
    expect(await codeOf(caller.order.answerShortage({ orderId: 'nope', goAhead: true }))).toBe('BAD_REQUEST')
    expect(await codeOf(caller.order.answerShortage({ orderId: randomUUID(), goAhead: true }))).toBe('NOT_FOUND')
    await caller.order.answerShortage({ orderId, goAhead: true })
    const settled = await statusWhen(orderId, 'going ahead', (s) => s.shortage?.outcome !== undefined)
    expect(settled).toMatchObject({
      shortage: { outcome: 'went ahead' },
      lines: [{ productId: 2, quantity: 1, cents: 2000 }],
      subtotalCents: 2000,
      tip: { cents: 200, percent: 10 },
      refundedCents: 4400,
    })
    // Asked once: a second answer is the workflow's refusal, as a sentence.
    expect(await codeOf(caller.order.answerShortage({ orderId, goAhead: false }))).toBe('PRECONDITION_FAILED')
    // Once Ready, the driver sees what is really in the bag: the Burrata, and the tip as it fell.
    await waitFor(
      'the driver list to show the order ready, without the Poke',
      async () => {
        const row = await readyRow(orderId)
        return row?.ok === true && row.state === 'Ready' && row.lines?.length === 1
      },
      20_000,
    )
    expect(await readyRow(orderId)).toMatchObject({
      pickable: true,
      lines: [{ productId: 2, quantity: 1, name: 'Burrata' }],
      tipCents: 200,
    })
  })

  it('cancelled by the customer: the whole order is refunded', async () => {
    const orderId = randomUUID()
    await caller.order.createOrder({
      orderId,
      items: [
        { productId: 3, quantity: 1 },
        { productId: 4, quantity: 1 },
      ],
    })
    await statusWhen(orderId, 'a shortage asked', (s) => s.shortage?.deadline !== undefined)
    await caller.order.answerShortage({ orderId, goAhead: false })
    const cancelled = await statusWhen(orderId, 'cancelled', (s) => s.state === 'Cancelled')
    expect(cancelled).toMatchObject({ refundedCents: 3500, shortage: { outcome: 'cancelled' } })
  })
})
