import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { TRPCError } from '@trpc/server'
import { WorkflowNotFoundError } from '@temporalio/client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadTemporalConfig } from '@durable-delivery/common/config'
import { ORDER_PRODUCT_ID, ORDER_STATE } from '@durable-delivery/common/search-attributes'
import {
  freePort,
  startDevServer,
  startWorkerProcess,
  waitFor,
  type DevServer,
  type WorkerProcess,
} from '@durable-delivery/test-harness'
import { createCaller } from './root'
import { createInnerContext } from './context'
import { closeTemporalClient, getTemporalClient } from './temporal-client'

/**
 * The routers through `createCaller`, against a real dev server and the real compiled Worker,
 * with the shared lazy client the sites use. The server is started only after the first
 * requests, so the suite also shows that an unreachable server answers SERVICE_UNAVAILABLE
 * quickly and that the client connects on a later request once the server is up.
 */
let port: number
let server: DevServer | undefined
let worker: WorkerProcess | undefined
let ledgerDir: string
let caller: ReturnType<typeof createCaller>

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise
  } catch (error) {
    if (error instanceof TRPCError) return error.code
    throw error
  }
  throw new Error('expected the call to fail')
}

async function messageOf(promise: Promise<unknown>): Promise<string> {
  return promise.then(
    () => 'no error',
    (error: Error) => error.message,
  )
}

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
  const config = loadTemporalConfig({ TEMPORAL_ADDRESS: `127.0.0.1:${port}`, TEMPORAL_UI_URL: 'http://ui.test:8233' })
  caller = createCaller(
    createInnerContext({ client: () => getTemporalClient(config), taskQueue: config.taskQueue, uiUrl: config.uiUrl }),
  )
  ledgerDir = mkdtempSync(join(tmpdir(), 'api-ledger-'))
})

afterAll(async () => {
  await closeTemporalClient()
  await worker?.stop()
  await server?.stop()
  rmSync(ledgerDir, { recursive: true, force: true })
})

describe('before the Temporal server is up', () => {
  it('answers SERVICE_UNAVAILABLE within seconds, naming the address, instead of hanging', async () => {
    const started = Date.now()
    const error = await caller.delivery.getOrders().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TRPCError)
    expect((error as TRPCError).code).toBe('SERVICE_UNAVAILABLE')
    expect((error as TRPCError).message).toContain(`127.0.0.1:${port}`)
    expect(Date.now() - started).toBeLessThan(10_000)
    expect(await codeOf(caller.order.createOrder({ productId: 2, orderId: randomUUID() }))).toBe('SERVICE_UNAVAILABLE')
  })

  it('connects on a later request once the server answers (a failed connection is not cached)', async () => {
    server = await startDevServer({ port })
    worker = await startWorkerProcess({
      address: server.address,
      env: { PAYMENT_FAILURE_RATE: '0', NOTIFICATION_FAILURE_RATE: '0', LEDGER_PATH: join(ledgerDir, 'ledger.sqlite') },
    })
    expect(await caller.delivery.getOrders()).toEqual([])
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
    expect(await caller.order.createOrder({ productId: 3, orderId })).toEqual({ orderId, productId: 3, created: true })
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

describe('driver: delivery router', () => {
  it('takes a Burrata from Paid to Delivered, refusing every signal in the wrong state', async () => {
    const orderId = randomUUID()
    await caller.order.createOrder({ productId: 2, orderId })
    await waitForState(orderId, 'Paid')
    expect(await messageOf(caller.delivery.deliver(orderId))).toBe(
      `Order ${orderId}: The order was not picked up yet: it cannot be delivered`,
    )
    expect(await codeOf(caller.delivery.deliver(orderId))).toBe('PRECONDITION_FAILED')

    expect(await caller.delivery.pickUp(orderId)).toEqual({ orderId, state: 'Picked up' })
    await waitForState(orderId, 'Picked up')
    expect(await codeOf(caller.delivery.pickUp(orderId))).toBe('PRECONDITION_FAILED')

    const before = Date.now()
    expect(await caller.delivery.deliver(orderId)).toEqual({ orderId, state: 'Delivered' })
    await waitForState(orderId, 'Delivered')
    const status = await caller.order.getOrderStatus(orderId)
    expect(status).toMatchObject({
      orderId,
      productId: 2,
      state: 'Delivered',
      cents: 2000,
      webUiUrl: `http://ui.test:8233/namespaces/default/workflows/${orderId}`,
    })
    expect(status.deliveredAt).toBeInstanceOf(Date)
    expect(status.deliveredAt!.getTime()).toBeGreaterThanOrEqual(before - 1_000)
    expect(await codeOf(caller.delivery.deliver(orderId))).toBe('PRECONDITION_FAILED')

    await waitFor(
      'the list to show the delivery',
      async () => {
        const row = (await caller.delivery.getOrders()).find((r) => r.orderId === orderId)
        return row?.ok === true && row.state === 'Delivered' && row.productName === 'Burrata'
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
    expect(await messageOf(caller.delivery.pickUp(orderId))).toContain('is closed (Failed)')
    expect(await codeOf(caller.delivery.pickUp(orderId))).toBe('PRECONDITION_FAILED')
    const row = (await caller.delivery.getOrders()).find((r) => r.orderId === orderId)
    expect(row).toMatchObject({ ok: true, state: 'Failed', productName: 'Swordfish' })
  })

  it('answers NOT_FOUND for signals to an unknown order and BAD_REQUEST for a malformed id', async () => {
    expect(await codeOf(caller.delivery.pickUp(randomUUID()))).toBe('NOT_FOUND')
    expect(await codeOf(caller.delivery.deliver(randomUUID()))).toBe('NOT_FOUND')
    expect(await codeOf(caller.delivery.pickUp(''))).toBe('BAD_REQUEST')
    expect(await codeOf(caller.delivery.deliver(42 as never))).toBe('BAD_REQUEST')
  })

  it('lists an order whose state makes no sense as an error row, the others still, and a terminated one as Failed', async () => {
    const client = await getTemporalClient()
    const bogus = randomUUID()
    // An `order` started by another program, on a queue no Worker polls, with a state we never use.
    await client.workflow.start('order', {
      workflowId: bogus,
      taskQueue: 'nobody-polls-this',
      args: [2],
      typedSearchAttributes: [
        { key: ORDER_STATE, value: 'Teleported' },
        { key: ORDER_PRODUCT_ID, value: 2 },
      ],
    })
    const healthy = randomUUID()
    await caller.order.createOrder({ productId: 4, orderId: healthy })
    await waitFor(
      'both orders to be listed',
      async () => {
        const rows = await caller.delivery.getOrders()
        const bad = rows.find((r) => r.orderId === bogus)
        const good = rows.find((r) => r.orderId === healthy)
        return bad?.ok === false && bad.error.includes('Teleported') && good?.ok === true
      },
      10_000,
    )
    await client.workflow.getHandle(bogus).terminate('test over')
    await waitFor(
      'a terminated order to show Failed',
      async () => {
        const row = (await caller.delivery.getOrders()).find((r) => r.orderId === bogus)
        return row?.ok === true && row.state === 'Failed'
      },
      10_000,
    )
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
    expect(await codeOf(caller.delivery.pickUp(orderId))).toBe('PRECONDITION_FAILED')
    await waitFor(
      'the list to show the cancellation',
      async () => {
        const row = (await caller.delivery.getOrders()).find((r) => r.orderId === orderId)
        return row?.ok === true && row.state === 'Cancelled'
      },
      10_000,
    )
  })

  it('refuses a customer cancel after pickup, an unknown order and bad input', async () => {
    const orderId = randomUUID()
    await caller.order.createOrder({ productId: 2, orderId })
    await waitForState(orderId, 'Paid')
    await caller.delivery.pickUp(orderId)
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
    const results = await Promise.allSettled([caller.delivery.pickUp(orderId), caller.delivery.pickUp(orderId)])
    expect(
      results.filter((r) => r.status === 'fulfilled').map((r) => (r as PromiseFulfilledResult<unknown>).value),
    ).toEqual([{ orderId, state: 'Picked up' }])
    const [lost] = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected')
    expect((lost!.reason as TRPCError).code).toBe('PRECONDITION_FAILED')
    expect((lost!.reason as TRPCError).message).toBe(
      `Order ${orderId}: The order was already picked up by driver-portal`,
    )
  })

  it('says clearly, within its deadline, that no Worker answers', async () => {
    const orderId = randomUUID()
    await caller.order.createOrder({ productId: 2, orderId })
    await waitForState(orderId, 'Paid')
    await worker!.stop()
    worker = undefined
    const started = Date.now()
    const error = await caller.delivery.pickUp(orderId).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TRPCError)
    expect((error as TRPCError).code).toBe('SERVICE_UNAVAILABLE')
    expect((error as TRPCError).message).toContain('a Worker running')
    expect(Date.now() - started).toBeLessThan(10_000)
  })
})
