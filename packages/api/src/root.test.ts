import { randomUUID } from 'node:crypto'
import { TRPCError } from '@trpc/server'
import { WorkflowNotFoundError } from '@temporalio/client'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { loadTemporalConfig } from '@durable-delivery/common/config'
import { ORDER_PRODUCT_ID, ORDER_STATE } from '@durable-delivery/common/search-attributes'
import {
  forwardPort,
  freePort,
  startTestWorker,
  waitFor,
  type ForwardedPort,
  type WorkerProcess,
} from '@durable-delivery/test-harness'
import { callersFor, codeOf, messageOf, type Caller } from '../test/callers'
import { ROUTERS_NAMESPACE } from '../test/stack'
import { fixedIdentity } from './auth/identity'
import { createProcessShared, NO_LIMITS } from './process-shared'
import { closeTemporalClient, getTemporalClient } from './temporal-client'

/**
 * The routers through `createCaller`, against the suite's real dev server (a namespace of this
 * file's own) and the real compiled Worker, with the shared lazy client the sites use. The
 * client's address answers only after the first requests (a port forwarded to the server from
 * then on), so the suite also shows that an unreachable server answers SERVICE_UNAVAILABLE
 * quickly and that the client connects on a later request once the server is up.
 */
let port: number
let server: ForwardedPort | undefined
let worker: WorkerProcess | undefined
/** The customer of most tests, and a driver; `as` gives anyone else (another customer, nobody). */
let caller: Caller
let driver: Caller
let as: ReturnType<typeof callersFor>
const CUSTOMER = 'c_customer-one-0000000'

/** An order's row in a section of the driver list, read through every page. */
async function sectionRow(section: 'ready' | 'mine' | 'closed', orderId: string, who: Caller = driver) {
  let cursor: string | undefined
  do {
    const page = await who.driverList.listSection({ section, cursor })
    const row = page.rows.find((r) => r.orderId === orderId)
    if (row) return row
    cursor = page.nextCursor
  } while (cursor)
  return undefined
}
const closedRow = (orderId: string) => sectionRow('closed', orderId)

async function waitForState(orderId: string, state: string) {
  await waitFor(
    `order ${orderId} to be ${state}`,
    async () => (await caller.order.getOrderStatus(orderId)).state === state,
    30_000,
    100,
  )
}

beforeAll(async () => {
  port = await freePort()
  const config = loadTemporalConfig({
    TEMPORAL_ADDRESS: `127.0.0.1:${port}`,
    TEMPORAL_NAMESPACE: ROUTERS_NAMESPACE,
    TEMPORAL_UI_URL: 'http://ui.test:8233',
  })
  const shared = createProcessShared(NO_LIMITS)
  as = callersFor(config, shared)
  caller = as(fixedIdentity({ customerId: CUSTOMER }))
  driver = as(fixedIdentity({ driverId: 'ana' }))
})

afterAll(async () => {
  await closeTemporalClient()
  await worker?.stop()
  await server?.close()
})

describe('before the Temporal server is up', () => {
  it('answers SERVICE_UNAVAILABLE within seconds instead of hanging, without naming the address', async () => {
    const started = Date.now()
    const error = await driver.driverList.listSection({ section: 'ready' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TRPCError)
    expect((error as TRPCError).code).toBe('SERVICE_UNAVAILABLE')
    // The address is for the server's log, not for the page.
    expect((error as TRPCError).message).toBe('Cannot reach the Temporal server')
    expect((error as TRPCError).message).not.toContain(String(port))
    expect(Date.now() - started).toBeLessThan(10_000)
    expect(await codeOf(caller.order.createOrder({ productId: 2, orderId: randomUUID() }))).toBe('SERVICE_UNAVAILABLE')
  })

  it('connects on a later request once the server answers (a failed connection is not cached)', async () => {
    server = await forwardPort(inject('temporalAddress'), port)
    worker = await startTestWorker(inject('temporalAddress'), ROUTERS_NAMESPACE)
    // gRPC may still be backing off from the failed attempts (3 s each): a later request connects.
    let page: unknown
    await waitFor(
      'a request to connect once the server answers',
      async () => {
        page = await driver.driverList.listSection({ section: 'ready' })
        return true
      },
      30_000,
      200,
    )
    expect(page).toEqual({ rows: [], total: 0 })
  })
})

describe('menu: order router', () => {
  it('refuses an unknown product with BAD_REQUEST and starts no workflow', async () => {
    const orderId = randomUUID()
    const error = caller.order.createOrder({ productId: 99, orderId })
    expect(await codeOf(error)).toBe('BAD_REQUEST')
    expect(await messageOf(caller.order.createOrder({ productId: 99, orderId }))).toContain('Unknown product: 99')
    const client = await getTemporalClient()
    await expect(client.workflow.getHandle(orderId).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError)
  })

  it.each([
    ['a non-UUID order id', { productId: 2, orderId: 'order-1' }],
    ['a product id that is not a number', { productId: '2', orderId: randomUUID() }],
    ['a fractional product id', { productId: 2.5, orderId: randomUUID() }],
    ['a missing product id', { orderId: randomUUID() }],
  ])('refuses %s with BAD_REQUEST', async (_, input) => {
    expect(await codeOf(caller.order.createOrder(input as never))).toBe('BAD_REQUEST')
  })

  it('places an order id once: the same request twice is the same order, another dish is a CONFLICT', async () => {
    const orderId = randomUUID()
    // Given the time (the default waits 500 ms; a Worker's first order takes longer), the answer
    // carries the Paid status.
    const patient = as(fixedIdentity({ customerId: CUSTOMER }), undefined, { paymentWaitMs: 20_000 })
    expect(await patient.order.createOrder({ productId: 3, orderId })).toMatchObject({
      orderId,
      productId: 3,
      created: true,
      status: { orderId, productId: 3, state: 'Paid', cents: 1500, pickupDeadline: expect.any(String) },
    })
    expect(await caller.order.createOrder({ productId: 3, orderId })).toEqual({ orderId, productId: 3, created: false })
    expect(await codeOf(caller.order.createOrder({ productId: 4, orderId }))).toBe('CONFLICT')
    const client = await getTemporalClient()
    let runs = 0
    for await (const _ of client.workflow.list({ query: `WorkflowId = '${orderId}'` })) runs++
    expect(runs).toBe(1)
  })

  it('answers NOT_FOUND for an unknown order and BAD_REQUEST for a malformed id', async () => {
    expect(await codeOf(caller.order.getOrderStatus(randomUUID()))).toBe('NOT_FOUND')
    expect(await codeOf(caller.order.getOrderStatus('nope'))).toBe('BAD_REQUEST')
  })
})

describe('driver: driverList router', () => {
  it('takes a Burrata from Paid to Delivered, refusing every signal in the wrong state', async () => {
    const orderId = randomUUID()
    await caller.order.createOrder({ productId: 2, orderId })
    await waitForState(orderId, 'Paid')
    expect(await messageOf(driver.driverList.deliver(orderId))).toBe(
      `Order ${orderId}: The order was not picked up yet: it cannot be delivered`,
    )
    expect(await codeOf(driver.driverList.deliver(orderId))).toBe('PRECONDITION_FAILED')

    expect(await driver.driverList.pickUp(orderId)).toEqual({ orderId, state: 'Picked up' })
    await waitForState(orderId, 'Picked up')
    expect(await codeOf(driver.driverList.pickUp(orderId))).toBe('PRECONDITION_FAILED')

    const before = Date.now()
    expect(await driver.driverList.deliver(orderId)).toEqual({ orderId, state: 'Delivered' })
    await waitForState(orderId, 'Delivered')
    const status = await caller.order.getOrderStatus(orderId)
    expect(status).toMatchObject({
      orderId,
      productId: 2,
      state: 'Delivered',
      cents: 2000,
      webUiUrl: `http://ui.test:8233/namespaces/default/workflows/${orderId}`,
    })
    expect(status.deliveredAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/)
    expect(Date.parse(status.deliveredAt!)).toBeGreaterThanOrEqual(before - 1_000)
    expect(await codeOf(driver.driverList.deliver(orderId))).toBe('PRECONDITION_FAILED')

    await waitFor(
      'the list to show the delivery',
      async () => {
        const row = await sectionRow('mine', orderId)
        return row?.ok === true && row.state === 'Delivered' && row.productName === 'Burrata' && row.driverId === 'ana'
      },
      10_000,
    )
  })

  it('shows a declined Swordfish as Failed with the reason, and refuses to pick it up', async () => {
    const orderId = randomUUID()
    await caller.order.createOrder({ productId: 1, orderId })
    await waitForState(orderId, 'Failed')
    const status = await caller.order.getOrderStatus(orderId)
    expect(status.failure).toContain('Card declined')
    expect(await messageOf(driver.driverList.pickUp(orderId))).toContain('is closed (Failed)')
    expect(await codeOf(driver.driverList.pickUp(orderId))).toBe('PRECONDITION_FAILED')
    await waitFor('the list to show it closed', async () => (await closedRow(orderId))?.ok === true, 10_000)
    expect(await closedRow(orderId)).toMatchObject({ ok: true, state: 'Failed', productName: 'Swordfish' })
  })

  it('answers NOT_FOUND for signals to an unknown order and BAD_REQUEST for a malformed id', async () => {
    expect(await codeOf(driver.driverList.pickUp(randomUUID()))).toBe('NOT_FOUND')
    expect(await codeOf(driver.driverList.deliver(randomUUID()))).toBe('NOT_FOUND')
    expect(await codeOf(driver.driverList.pickUp(''))).toBe('BAD_REQUEST')
    expect(await codeOf(driver.driverList.deliver(42 as never))).toBe('BAD_REQUEST')
  })

  it('lists an order it cannot read as an error row beside the others, and a terminated one in the closed section', async () => {
    const client = await getTemporalClient()
    const bogus = randomUUID()
    // An `order` started by another program, on a queue no Worker polls, for a dish we do not sell.
    await client.workflow.start('order', {
      workflowId: bogus,
      taskQueue: 'nobody-polls-this',
      args: [99],
      typedSearchAttributes: [
        { key: ORDER_STATE, value: 'Paid' },
        { key: ORDER_PRODUCT_ID, value: 99 },
      ],
    })
    const healthy = randomUUID()
    await caller.order.createOrder({ productId: 4, orderId: healthy })
    await waitFor(
      'both orders to be listed ready for pickup',
      async () => {
        const bad = await sectionRow('ready', bogus)
        const good = await sectionRow('ready', healthy)
        return bad?.ok === false && bad.error.includes('99') && good?.ok === true
      },
      10_000,
    )
    await client.workflow.getHandle(bogus).terminate('test over')
    await waitFor('a terminated order to be listed closed', async () => (await closedRow(bogus)) !== undefined, 10_000)
  })

  it('orders started from the CLI with a product id alone are listed, and a signed-in driver picks them up and delivers', async () => {
    const client = await getTemporalClient()
    const orderId = randomUUID()
    await client.workflow.start('order', { workflowId: orderId, taskQueue: 'durable-delivery', args: [3] })
    await waitFor('the CLI order to be ready', async () => (await sectionRow('ready', orderId))?.ok === true, 20_000)
    expect(await driver.driverList.pickUp(orderId)).toEqual({ orderId, state: 'Picked up' })
    expect(await driver.driverList.deliver(orderId)).toEqual({ orderId, state: 'Delivered' })
    // Nobody's order on the menu: no customer can read it.
    expect(await codeOf(caller.order.getOrderStatus(orderId))).toBe('NOT_FOUND')
  })
})

describe('who may do what', () => {
  it("answers UNAUTHORIZED on every route without a session, and NOT_FOUND for another customer's order, word for word as for an unknown one", async () => {
    const orderId = randomUUID()
    await caller.order.createOrder({ productId: 2, orderId })
    await waitForState(orderId, 'Paid')
    const nobody = as(fixedIdentity())
    const stranger = as(fixedIdentity({ customerId: 'c_customer-two-0000000' }))
    const unknown = randomUUID()

    expect(await codeOf(nobody.order.createOrder({ productId: 2, orderId: randomUUID() }))).toBe('UNAUTHORIZED')
    expect(await codeOf(nobody.order.getOrderStatus(orderId))).toBe('UNAUTHORIZED')
    expect(await codeOf(nobody.order.cancelOrder({ orderId }))).toBe('UNAUTHORIZED')
    expect(await codeOf(nobody.order.myOrders({}))).toBe('UNAUTHORIZED')
    expect(await codeOf(nobody.driverList.listSection({ section: 'ready' }))).toBe('UNAUTHORIZED')
    expect(await codeOf(nobody.driverList.pickUp(orderId))).toBe('UNAUTHORIZED')
    expect(await codeOf(nobody.driverList.deliver(orderId))).toBe('UNAUTHORIZED')
    // A driver is not a customer: the menu's routes are not theirs.
    expect(await codeOf(driver.order.getOrderStatus(orderId))).toBe('UNAUTHORIZED')
    expect(await codeOf(driver.order.cancelOrder({ orderId }))).toBe('UNAUTHORIZED')
    // Nor is a customer a driver: the script that picks up every order fails at the first one.
    expect(await codeOf(caller.driverList.pickUp(orderId))).toBe('UNAUTHORIZED')
    expect(await codeOf(caller.driverList.listSection({ section: 'ready' }))).toBe('UNAUTHORIZED')

    expect(await messageOf(stranger.order.getOrderStatus(orderId))).toBe(`Order ${orderId}: no such order`)
    expect(await messageOf(stranger.order.getOrderStatus(unknown))).toBe(`Order ${unknown}: no such order`)
    expect(await codeOf(stranger.order.getOrderStatus(orderId))).toBe('NOT_FOUND')
    expect(await codeOf(stranger.order.cancelOrder({ orderId }))).toBe('NOT_FOUND')
    expect(await messageOf(stranger.order.cancelOrder({ orderId }))).toBe(`Order ${orderId}: no such order`)
    // Reusing someone else's order id places nothing and says nothing about whose it is.
    expect(await codeOf(stranger.order.createOrder({ productId: 2, orderId }))).toBe('CONFLICT')
    expect((await stranger.order.myOrders({})).orders).toEqual([])
    expect((await caller.order.myOrders({})).orders.map((o) => o.orderId)).toContain(orderId)
    expect((await caller.order.getOrderStatus(orderId)).state).toBe('Paid')
  })

  it('lets only the driver who picked an order up deliver it, and lists it under their deliveries only', async () => {
    const orderId = randomUUID()
    await caller.order.createOrder({ productId: 3, orderId })
    await waitForState(orderId, 'Paid')
    const ben = as(fixedIdentity({ driverId: 'ben' }))
    await driver.driverList.pickUp(orderId)
    expect(await codeOf(ben.driverList.deliver(orderId))).toBe('PRECONDITION_FAILED')
    expect(await messageOf(ben.driverList.deliver(orderId))).toBe(
      `Order ${orderId}: The order was picked up by another driver (ana)`,
    )
    expect(await sectionRow('mine', orderId)).toMatchObject({ state: 'Picked up', driverId: 'ana' })
    expect(await sectionRow('mine', orderId, ben)).toBeUndefined()
    expect(await driver.driverList.deliver(orderId)).toEqual({ orderId, state: 'Delivered' })
  })

  it('limits how fast one customer places orders: TOO_MANY_REQUESTS past the burst, and nothing started', async () => {
    // The limits the sites run with (DEFAULT_LIMITS), not the suite's raised ones.
    const hungry = as(fixedIdentity({ customerId: 'c_hungry-customer-00000' }), createProcessShared())
    const codes: string[] = []
    for (let attempt = 0; attempt < 7; attempt++) {
      codes.push(
        await hungry.order.createOrder({ productId: 4, orderId: randomUUID() }).then(
          () => 'ok',
          (e: TRPCError) => e.code,
        ),
      )
    }
    expect(codes).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'TOO_MANY_REQUESTS', 'TOO_MANY_REQUESTS'])
  })
})

describe('money: customer cancel, racing drivers, a missing Worker', () => {
  it("lets the customer cancel before pickup with the workflow's answer; the order ends Cancelled with the reason", async () => {
    const orderId = randomUUID()
    await caller.order.createOrder({ productId: 3, orderId })
    await waitForState(orderId, 'Paid')
    expect(await caller.order.cancelOrder({ orderId, reason: 'too slow' })).toEqual({
      orderId,
      message: 'Your order is cancelled. Anything charged will be refunded.',
    })
    await waitForState(orderId, 'Cancelled')
    expect(await caller.order.getOrderStatus(orderId)).toMatchObject({
      state: 'Cancelled',
      cents: 1500,
      failure: 'Cancelled by the customer: too slow',
    })
    expect(await messageOf(caller.order.cancelOrder({ orderId }))).toBe(
      `Order ${orderId} is closed (Cancelled): it cannot be cancelled any more`,
    )
    expect(await codeOf(driver.driverList.pickUp(orderId))).toBe('PRECONDITION_FAILED')
    await waitFor(
      'the list to show the cancellation',
      async () => {
        const row = await closedRow(orderId)
        return row?.ok === true && row.state === 'Cancelled'
      },
      10_000,
    )
  })

  it('refuses a customer cancel after pickup, an unknown order and bad input', async () => {
    const orderId = randomUUID()
    await caller.order.createOrder({ productId: 2, orderId })
    await waitForState(orderId, 'Paid')
    await driver.driverList.pickUp(orderId)
    const refused = caller.order.cancelOrder({ orderId })
    expect(await messageOf(refused)).toBe(
      `Order ${orderId}: The order was already picked up: it can no longer be cancelled`,
    )
    expect(await codeOf(caller.order.cancelOrder({ orderId }))).toBe('PRECONDITION_FAILED')
    expect(await codeOf(caller.order.cancelOrder({ orderId: randomUUID() }))).toBe('NOT_FOUND')
    expect(await codeOf(caller.order.cancelOrder({ orderId: 'nope' }))).toBe('BAD_REQUEST')
    expect(await codeOf(caller.order.cancelOrder({ orderId, reason: 42 } as never))).toBe('BAD_REQUEST')
  })

  it('of two drivers pressing Pick up at once, exactly one wins; the other gets PRECONDITION_FAILED with a sentence', async () => {
    const orderId = randomUUID()
    await caller.order.createOrder({ productId: 4, orderId })
    await waitForState(orderId, 'Paid')
    const ben = as(fixedIdentity({ driverId: 'ben' }))
    const results = await Promise.allSettled([driver.driverList.pickUp(orderId), ben.driverList.pickUp(orderId)])
    expect(
      results.filter((r) => r.status === 'fulfilled').map((r) => (r as PromiseFulfilledResult<unknown>).value),
    ).toEqual([{ orderId, state: 'Picked up' }])
    const [lost] = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected')
    expect((lost!.reason as TRPCError).code).toBe('PRECONDITION_FAILED')
    expect((lost!.reason as TRPCError).message).toMatch(
      new RegExp(`^Order ${orderId}: The order was already picked up by (ana|ben)$`),
    )
  })

  it('says clearly, within its deadline, that no Worker answers', async () => {
    const orderId = randomUUID()
    await caller.order.createOrder({ productId: 2, orderId })
    await waitForState(orderId, 'Paid')
    await worker!.stop()
    worker = undefined
    const started = Date.now()
    const error = await driver.driverList.pickUp(orderId).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TRPCError)
    expect((error as TRPCError).code).toBe('SERVICE_UNAVAILABLE')
    expect((error as TRPCError).message).toContain('a Worker running')
    expect(Date.now() - started).toBeLessThan(10_000)
  })
})
