import { randomUUID } from 'node:crypto'
import { TRPCError } from '@trpc/server'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { loadTemporalConfig } from '@durable-delivery/common/config'
import { waitFor } from '@durable-delivery/test-harness'
import { callersFor, codeOf, type Caller } from '../test/callers'
import { fixedIdentity } from './auth/identity'
import { createProcessShared, NO_LIMITS } from './process-shared'
import { closeTemporalClient } from './temporal-client'

/**
 * order.watchOrderStatus and order.rate through `createCaller`, against a real dev server and the
 * real Worker the suite shares: the subscription answers what getOrderStatus answers, both refuse another
 * customer's order as NOT_FOUND, and rate validates its input and passes the workflow's refusal on.
 */
let owner: Caller
let stranger: Caller

beforeAll(() => {
  const config = loadTemporalConfig({ TEMPORAL_ADDRESS: inject('temporalAddress') })
  const shared = createProcessShared(NO_LIMITS)
  const as = callersFor(config, shared)
  owner = as(fixedIdentity({ customerId: 'c_live-owner-000000000000' }))
  stranger = as(fixedIdentity({ customerId: 'c_live-stranger-000000000' }))
})

afterAll(async () => {
  await closeTemporalClient()
})

describe('live procedures', () => {
  it("pushes the same view as getOrderStatus to the order's customer, and NOT_FOUND to anyone else", async () => {
    const orderId = randomUUID()
    await owner.order.createOrder({ productId: 2, orderId })
    await waitFor('Paid', async () => (await owner.order.getOrderStatus(orderId)).state === 'Paid', 20_000, 50)

    const stream = (await owner.order.watchOrderStatus({ orderId }))[Symbol.asyncIterator]()
    const first = await stream.next()
    await stream.return?.()
    expect(first.done).toBe(false)
    // tracked(): an id a reconnect resumes from, and the view itself.
    const [id, view] = first.value as unknown as [string, unknown]
    expect(id).toMatch(/^\d+$/)
    expect(view).toEqual(await owner.order.getOrderStatus(orderId))

    const foreign = (await stranger.order.watchOrderStatus({ orderId }))[Symbol.asyncIterator]()
    expect(await codeOf(foreign.next())).toBe('NOT_FOUND')
    expect(await codeOf(stranger.order.rate({ orderId, stars: 5 }))).toBe('NOT_FOUND')
  })

  it.each([
    ['no stars', { stars: 0 }],
    ['six stars', { stars: 6 }],
    ['half a star', { stars: 2.5 }],
    ['a comment over 500 characters', { stars: 4, comment: 'x'.repeat(501) }],
  ])('refuses a rating with %s as BAD_REQUEST', async (_, rating) => {
    expect(await codeOf(owner.order.rate({ orderId: randomUUID(), ...rating }))).toBe('BAD_REQUEST')
  })

  it("answers a rating the workflow refuses (not delivered yet) with PRECONDITION_FAILED and the workflow's reason", async () => {
    const orderId = randomUUID()
    await owner.order.createOrder({ productId: 3, orderId })
    await waitFor('Paid', async () => (await owner.order.getOrderStatus(orderId)).state === 'Paid', 20_000, 50)
    const error = await owner.order.rate({ orderId, stars: 5 }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TRPCError)
    expect((error as TRPCError).code).toBe('PRECONDITION_FAILED')
    expect((error as TRPCError).message).toMatch(new RegExp(`^Order ${orderId}: .+`))
  })
})
