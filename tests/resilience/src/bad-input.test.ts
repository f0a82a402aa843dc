import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createInnerContext, createProcessShared, fixedIdentity, NO_LIMITS } from '@durable-delivery/api'
import type { OrderState } from '@durable-delivery/common'
import { callApi, waitFor, type ApiAnswer, type HttpApi } from '@durable-delivery/test-harness'
import { startHttpApi } from './http-api'
import { startBreakableStack, type BreakableStack } from './breakable-stack'

/**
 * Bad input, generated: every route of the menu and driver API, over real HTTP, gets wrong
 * types, missing fields, huge strings, negative and fractional ids, unknown dishes and orders,
 * signals in the wrong state, replays and concurrent duplicates. Each answer is a 4xx with a
 * sentence a person can act on; no workflow starts for an invalid order; the Worker never
 * falls over; and afterwards Temporal holds exactly one workflow per order actually placed.
 */
const WAITS = { pickupWindow: 120_000, deliveryWindow: 120_000, ratingDelay: 120_000 }

let dir: string
let stack: BreakableStack
let http: HttpApi
/** Every order these tests placed successfully, with its dish. */
const placed = new Map<string, number>()

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bad-input-'))
  // Randomness is not the subject here: the services never fail, so orders move at once.
  stack = await startBreakableStack({ dir, failureRate: 0, orderWaits: WAITS })
  await stack.startWorker()
  http = await startHttpApi(
    createInnerContext({
      client: stack.client,
      orderWaits: WAITS,
      // Both a customer and a driver, without rate limits: the subject is input, not identity.
      identity: fixedIdentity({ customerId: 'c_bad-input-customer-0000', driverId: 'bad-input-driver' }),
      shared: createProcessShared(NO_LIMITS),
    }),
  )
})

afterAll(async () => {
  await http?.close()
  await stack?.stop()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

// --- generators ---------------------------------------------------------------------------

/** Anything that could be mistaken for a UUID is left out of the "not an order id" strings. */
const looksLikeUuid = (value: string) => /^[0-9a-f-]{32,36}$/i.test(value.trim())

const hugeString = fc.integer({ min: 100_000, max: 1_000_000 }).map((length) => 'x'.repeat(length))
const notANumber = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 2 }),
  hugeString,
)
const unknownProductId = fc.oneof(
  fc.integer({ min: -1_000_000_000, max: 0 }),
  fc.integer({ min: 5, max: 1_000_000_000 }),
  fc.constantFrom(Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER),
)
const fractional = fc.double().filter((value) => !Number.isInteger(value))
const badProductId = fc.oneof(unknownProductId, fractional, notANumber)

const freshOrderId = fc.uuid({ version: 4 })
const badOrderId = fc.oneof(
  fc.string({ maxLength: 40 }).filter((value) => !looksLikeUuid(value)),
  fc.uuid().map((uuid) => `${uuid}x`),
  fc.uuid().map((uuid) => uuid.replaceAll('-', '')),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 2 }),
  hugeString,
)

type InvalidOrder = { input: unknown; wrong: 'productId' | 'orderId' | 'input' }
const invalidCreateOrder: fc.Arbitrary<InvalidOrder> = fc.oneof(
  fc
    .record({ productId: badProductId, orderId: fc.oneof(freshOrderId, badOrderId) })
    .map((input) => ({ input, wrong: 'productId' as const })),
  fc
    .record({ productId: fc.constantFrom(1, 2, 3, 4), orderId: badOrderId })
    .map((input) => ({ input, wrong: 'orderId' as const })),
  fc.record({ orderId: freshOrderId }).map((input) => ({ input, wrong: 'productId' as const })),
  fc.record({ productId: fc.constantFrom(1, 2, 3, 4) }).map((input) => ({ input, wrong: 'orderId' as const })),
  fc
    .oneof(
      fc.string({ maxLength: 20 }),
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.array(fc.integer(), { maxLength: 3 }),
    )
    .map((input) => ({ input, wrong: 'input' as const })),
)

// --- helpers ---------------------------------------------------------------------------------

const createOrder = (input: unknown) => callApi(http, 'order.createOrder', { method: 'POST', input })
const getOrderStatus = (input: unknown) => callApi(http, 'order.getOrderStatus', { method: 'GET', input })
const pickUp = (input: unknown) => callApi(http, 'driverList.pickUp', { method: 'POST', input })
const deliver = (input: unknown) => callApi(http, 'driverList.deliver', { method: 'POST', input })
const cancelOrder = (input: unknown) => callApi(http, 'order.cancelOrder', { method: 'POST', input })

/** A refusal a person can act on: the status, a code, and a short sentence (never the input echoed back). */
function expectRefusal(answer: ApiAnswer, status: number, code: string): void {
  expect({ status: answer.status, code: answer.code }).toEqual({ status, code })
  expect(answer.message).toBeTruthy()
  expect(answer.message!.length).toBeLessThan(2_000)
}

/** A 400 whose per-field sentences name what is wrong, as the order form shows them. */
function expectFieldError(answer: ApiAnswer, field: 'productId' | 'orderId'): void {
  expectRefusal(answer, 400, 'BAD_REQUEST')
  const sentences = answer.fieldErrors?.[field] ?? []
  expect(sentences.join(' '), JSON.stringify(answer)).toMatch(
    field === 'productId' ? /productId|Unknown product/ : /orderId must be a UUID/,
  )
  // The top-level message is the same sentences ("orderId: ..."), not zod's issue list as JSON.
  expect(answer.message).toMatch(new RegExp(`^(\\w+(\\.\\w+)*: )?[^\\[{]`))
  expect(answer.message).toContain(field)
}

async function expectNoWorkflow(orderId: unknown): Promise<void> {
  if (typeof orderId !== 'string' || orderId.length > 1_000) return
  await expect(stack.client.workflow.getHandle(orderId).describe()).rejects.toThrow()
}

async function placeOrder(productId: number): Promise<string> {
  const orderId = randomUUID()
  const answer = await createOrder({ orderId, productId })
  expect(answer).toMatchObject({ status: 200, data: { orderId, productId, created: true } })
  placed.set(orderId, productId)
  return orderId
}

async function stateOf(orderId: string): Promise<OrderState> {
  const answer = await getOrderStatus(orderId)
  expect(answer.status).toBe(200)
  return (answer.data as { state: OrderState }).state
}

// --- properties ----------------------------------------------------------------------------

describe('malformed input gets a 4xx with a clear sentence', () => {
  it('createOrder: wrong types, missing fields, huge strings, negative/fractional/unknown dishes; no workflow starts', async () => {
    await fc.assert(
      fc.asyncProperty(invalidCreateOrder, async ({ input, wrong }) => {
        const answer = await createOrder(input)
        if (wrong === 'input') {
          expectRefusal(answer, 400, 'BAD_REQUEST')
          expect(answer.message).toMatch(/expected object/)
        } else {
          expectFieldError(answer, wrong)
        }
        await expectNoWorkflow((input as { orderId?: unknown } | null)?.orderId)
      }),
      { numRuns: 120 },
    )
  })

  it('getOrderStatus, pickUp and deliver: an order id that is not a UUID', async () => {
    const routes = [getOrderStatus, pickUp, deliver]
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(0, 1, 2), badOrderId, async (route, orderId) => {
        // A GET carries its input in the URL: keep it under the HTTP header limit.
        const input = route === 0 && typeof orderId === 'string' ? orderId.slice(0, 4_000) : orderId
        const answer = await routes[route]!(input)
        expectRefusal(answer, 400, 'BAD_REQUEST')
        expect(answer.message).toMatch(/orderId must be a UUID/)
      }),
      { numRuns: 90 },
    )
  })

  it('cancelOrder: anything but { orderId: UUID, reason?: string } is BAD_REQUEST; an order never placed is NOT_FOUND', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          badOrderId.map((orderId) => ({ orderId })),
          fc.constant({ orderId: randomUUID(), reason: 42 }),
          fc.jsonValue({ maxDepth: 1 }),
        ),
        async (input) => {
          const answer = await cancelOrder(input)
          expectRefusal(answer, 400, 'BAD_REQUEST')
        },
      ),
      { numRuns: 40 },
    )
    const orderId = randomUUID()
    expectRefusal(await cancelOrder({ orderId }), 404, 'NOT_FOUND')
    await expectNoWorkflow(orderId)
  })

  it('getOrderStatus, pickUp and deliver: a well-formed id of an order never placed is NOT_FOUND', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(getOrderStatus, pickUp, deliver), freshOrderId, async (route, orderId) => {
        const answer = await route(orderId)
        expectRefusal(answer, 404, 'NOT_FOUND')
        expect(answer.message).toMatch(/no such order/)
        await expectNoWorkflow(orderId)
      }),
      { numRuns: 30 },
    )
  })

  it('every route: unparseable bodies and inputs (routes that take input), wrong methods, unknown routes', async () => {
    const notJson = fc.string({ minLength: 1, maxLength: 50 }).filter((text) => {
      try {
        JSON.parse(text)
        return false
      } catch {
        return true
      }
    })
    const routes = [
      ['order.createOrder', 'POST'],
      ['order.getOrderStatus', 'GET'],
      ['driverList.pickUp', 'POST'],
      ['driverList.deliver', 'POST'],
      ['order.cancelOrder', 'POST'],
    ] as const
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), notJson, async ([path, method], raw) => {
        const answer = await callApi(http, path, { method, raw })
        expect(answer.status, JSON.stringify(answer)).toBe(400)
        expect(answer.message).toBeTruthy()
      }),
      { numRuns: 40 },
    )
    for (const [path, method] of [...routes, ['driverList.listSection', 'GET'] as const]) {
      const wrongMethod = await callApi(http, path, { method: method === 'GET' ? 'POST' : 'GET', input: randomUUID() })
      expect(wrongMethod.status, path).toBe(405)
      expect(wrongMethod.message).toBeTruthy()
    }
    const unknown = await callApi(http, 'order.teleport', { method: 'POST', input: randomUUID() })
    expectRefusal(unknown, 404, 'NOT_FOUND')
  })

  it('listSection takes a section and an optional cursor: anything else is BAD_REQUEST, a good section answers', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.string({ maxLength: 30 })).filter((input) => !isSectionInput(input)),
        fc.boolean(),
        async (input, raw) => {
          const answer = await callApi(
            http,
            'driverList.listSection',
            raw
              ? { method: 'GET', raw: typeof input === 'string' ? input : JSON.stringify(input) }
              : { method: 'GET', input },
          )
          expect(answer.status, JSON.stringify(answer)).toBe(400)
          expect(answer.message).toBeTruthy()
        },
      ),
      { numRuns: 20 },
    )
    const good = await callApi(http, 'driverList.listSection', { method: 'GET', input: { section: 'ready' } })
    expect(good.status).toBe(200)
  })
})

/** The inputs listSection accepts (or could, for a string that parses as one). */
function isSectionInput(input: unknown): boolean {
  const value: unknown = typeof input === 'string' ? safeParse(input) : input
  return typeof value === 'object' && value !== null && 'section' in value
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

describe('requests in the wrong state, replayed or duplicated change nothing', () => {
  type Action = 'pickUp' | 'deliver' | 'replayCreate' | 'otherDish' | 'status'

  it('driver signals follow the order state machine for any sequence, replays included', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(1, 2, 3, 4),
        fc.array(fc.constantFrom<Action>('pickUp', 'deliver', 'replayCreate', 'otherDish', 'status'), {
          minLength: 1,
          maxLength: 7,
        }),
        async (productId, actions) => {
          const orderId = await placeOrder(productId)
          // Swordfish is declined and fails; the others are charged at once (no failures here).
          const settled: OrderState = productId === 1 ? 'Failed' : 'Paid'
          await waitFor(`order ${orderId} ${settled}`, async () => (await stateOf(orderId)) === settled, 30_000, 100)
          let model: OrderState = settled
          for (const action of actions) {
            if (action === 'pickUp' || action === 'deliver') {
              const from = action === 'pickUp' ? 'Paid' : 'Picked up'
              const answer = await (action === 'pickUp' ? pickUp : deliver)(orderId)
              if (model === from) {
                expect(answer.status, `${action} in ${model}: ${answer.message}`).toBe(200)
                model = action === 'pickUp' ? 'Picked up' : 'Delivered'
              } else {
                expectRefusal(answer, 412, 'PRECONDITION_FAILED')
                // The workflow's own sentence (its Update validator), or the API's for a closed order
                // (closed before the call, or while it was on its way: Failed shows a moment before).
                expect(answer.message).toMatch(
                  model === 'Failed'
                    ? /is closed|has just closed/
                    : new RegExp(`^Order ${orderId}: The order (was|is|can)`),
                )
              }
            } else if (action === 'replayCreate') {
              expect(await createOrder({ orderId, productId })).toMatchObject({ status: 200, data: { created: false } })
            } else if (action === 'otherDish') {
              const answer = await createOrder({ orderId, productId: (productId % 4) + 1 })
              expectRefusal(answer, 409, 'CONFLICT')
              expect(answer.message).toMatch(/already in use/)
            } else {
              expect(await stateOf(orderId)).toBe(model)
            }
          }
          expect(await stateOf(orderId)).toBe(model)
        },
      ),
      { numRuns: 12 },
    )
  })

  it('concurrent duplicate createOrder for one order id: one order, one winner, the rest the same order or a CONFLICT', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom(2, 3, 4), { minLength: 2, maxLength: 8 }), async (dishes) => {
        const orderId = randomUUID()
        const answers = await Promise.all(dishes.map((productId) => createOrder({ orderId, productId })))
        const winners = answers.filter(
          (answer) => answer.status === 200 && (answer.data as { created: boolean }).created,
        )
        expect(winners, JSON.stringify(answers)).toHaveLength(1)
        const winner = (winners[0]!.data as { productId: number }).productId
        placed.set(orderId, winner)
        answers.forEach((answer, index) => {
          if (dishes[index] === winner) expect(answer.status).toBe(200)
          else expectRefusal(answer, 409, 'CONFLICT')
        })
        const description = await stack.client.workflow.getHandle(orderId).describe()
        expect(description.runId).toBeTruthy()
      }),
      { numRuns: 15 },
    )
  })
})

describe('afterwards', () => {
  it('Temporal holds exactly one workflow per order placed, none for any refused request, and the Worker still works', async () => {
    const count = async () => (await stack.client.workflow.count()).count
    // Visibility is eventually consistent: wait for it to catch up with what was placed.
    await waitFor(`${placed.size} workflows in visibility`, async () => (await count()) >= placed.size, 30_000, 250)
    expect(await count()).toBe(placed.size)
    const listed: string[] = []
    for await (const execution of stack.client.workflow.list()) listed.push(execution.workflowId)
    expect(listed.sort()).toEqual([...placed.keys()].sort())

    expect(stack.unexpectedExits).toEqual([])
    expect(stack.workers).toHaveLength(1)
    expect(stack.workers[0]!.process.exitCode).toBeNull()
    const orderId = await placeOrder(3)
    await waitFor('a fresh order to be Paid', async () => (await stateOf(orderId)) === 'Paid', 30_000, 100)
  })
})
