import { randomUUID } from 'node:crypto'
import { Client, Connection } from '@temporalio/client'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type { OrderStatus } from '@durable-delivery/common'
import { DEFAULTS } from '@durable-delivery/common/config'
import { getStatusQuery, ORDER_WORKFLOW_TYPE, pickUpUpdate } from '@durable-delivery/workflows/definitions'
import { waitFor } from '@durable-delivery/test-harness'
import {
  activeWatcherCount,
  longPollBudget,
  sweepStats,
  watcherStats,
  watchWorkflow,
  type HistoryProjector,
  type WatchedValue,
} from './order-watcher'
import { StatusProjection } from './read-model/status-projection'

/**
 * The live card's watcher within its budget, against real dev servers and the suite's real
 * Worker: the status comes from the history (no Query), the orders past LIVE_LONG_POLLS share one
 * visibility sweep, and a long poll the frontend refuses moves its order to the sweep instead of
 * retrying.
 */
let client: Client

beforeAll(async () => {
  client = new Client({ connection: await Connection.connect({ address: inject('temporalAddress') }) })
})

afterAll(async () => {
  await client?.connection.close()
})

function statusProjector(): HistoryProjector<OrderStatus> {
  const projection = new StatusProjection()
  return {
    apply: (events) => projection.apply(events),
    value: () => projection.value(),
    settling: () => projection.settling(),
    awaitingFirstTask: () => projection.awaitingFirstTask(),
  }
}

/** Watches one order as the card does, counting the Queries its fallback sends. */
function watch(on: Client, orderId: string, longPolls: number, project = statusProjector) {
  const received: WatchedValue<OrderStatus>[] = []
  let queries = 0
  const leave = new AbortController()
  const done = (async () => {
    for await (const value of watchWorkflow({
      client: on,
      namespace: DEFAULTS.namespace,
      workflowId: orderId,
      read: () => {
        queries++
        return on.workflow.getHandle(orderId).query(getStatusQuery)
      },
      project,
      longPolls,
      signal: leave.signal,
    }))
      received.push(value)
  })().finally(() => (ended = true))
  let ended = false
  const last = () => received.at(-1)?.value
  return { received, last, queries: () => queries, ended: () => ended, leave: () => leave.abort(), done }
}

async function placeOrder(on: Client, taskQueue: string = DEFAULTS.taskQueue): Promise<string> {
  const orderId = randomUUID()
  await on.workflow.start(ORDER_WORKFLOW_TYPE, {
    workflowId: orderId,
    taskQueue,
    args: [2, { cents: 2000, customerId: 'budget-test' }],
  })
  return orderId
}

const pickedUpAndTold = (status: OrderStatus | undefined) =>
  status?.state === 'Picked up' && status.notifications?.some(({ message }) => message.includes('picked up')) === true

describe('live cards within a budget of long polls', () => {
  it('long-polls within the budget and reads the status from the history, with no Query', async () => {
    const orderId = await placeOrder(client)
    const card = watch(client, orderId, 10)
    await waitFor('Paid', () => card.last()?.state === 'Paid', 20_000, 20)
    expect(sweepStats(client, DEFAULTS.namespace).swept).toBe(0)
    await client.workflow.getHandle(orderId).executeUpdate(pickUpUpdate, { args: [{ driverId: 'budget-driver' }] })
    await waitFor('the pickup and its notification', () => pickedUpAndTold(card.last()), 10_000, 20)
    expect(card.queries()).toBe(0)
    expect(watcherStats(DEFAULTS.namespace, orderId)?.projected).toBeGreaterThan(0)
    // What the card shows is what the workflow answers.
    expect(JSON.parse(JSON.stringify(card.last()))).toEqual(
      JSON.parse(JSON.stringify(await client.workflow.getHandle(orderId).query(getStatusQuery))),
    )
    card.leave()
    await card.done
    await client.workflow.getHandle(orderId).terminate('test over')
  })

  it('sweeps the orders past the budget: one List a second of what changed, no Query, every change seen', async () => {
    const orderIds = await Promise.all(Array.from({ length: 5 }, () => placeOrder(client)))
    const cards = orderIds.map((orderId) => watch(client, orderId, 0))
    await waitFor(
      'every swept card to show Paid',
      () => cards.every((card) => card.last()?.state === 'Paid'),
      20_000,
      50,
    )
    const sweep = sweepStats(client, DEFAULTS.namespace)
    expect(sweep.swept).toBe(5)
    for (const orderId of orderIds)
      await client.workflow.getHandle(orderId).executeUpdate(pickUpUpdate, { args: [{ driverId: 'budget-driver' }] })
    // The notification is sent after the state's upsert: the sweep reads again while it is in flight.
    await waitFor(
      'every pickup and its notification',
      () => cards.every((card) => pickedUpAndTold(card.last())),
      15_000,
      50,
    )
    const after = sweepStats(client, DEFAULTS.namespace)
    // One List of what changed a round, whatever the number of cards; each card is also checked
    // by id once in 30 rounds (five cards: one List of them every 30 rounds).
    const rounds = after.rounds - sweep.rounds
    expect(after.lists - sweep.lists).toBeLessThanOrEqual(rounds + Math.ceil(rounds / 30))
    expect(cards.map((card) => card.queries())).toEqual([0, 0, 0, 0, 0])
    for (const card of cards) card.leave()
    await Promise.all(cards.map((card) => card.done))
    await waitFor('the watchers to stop', () => activeWatcherCount() === 0, 5_000, 20)
    expect(sweepStats(client, DEFAULTS.namespace).swept).toBe(0)
    await Promise.all(orderIds.map((orderId) => client.workflow.getHandle(orderId).terminate('test over')))
  })

  describe('when the frontend refuses a long poll (ResourceExhausted)', () => {
    /**
     * The dev server of CLI 1.9.1 (server 1.32.0) does not refuse history long polls at
     * `frontend.namespaceCount=1` (measured: three concurrent ones all waited), so the frontend's
     * rule is applied here, in front of the real server: past one concurrent history long poll,
     * the call fails as the interceptor's does (code 8, "namespace concurrent poller limit exceeded").
     */
    function frontendAdmittingOne(real: Client): Client {
      let inFlight = 0
      const service = new Proxy(real.workflowService, {
        get(target, name, receiver) {
          const method = Reflect.get(target, name, receiver) as unknown
          if (name !== 'getWorkflowExecutionHistory' || typeof method !== 'function') return method
          return async (request: { waitNewEvent?: boolean | null }) => {
            if (!request.waitNewEvent) return (method as (r: unknown) => Promise<unknown>).call(target, request)
            if (inFlight >= 1) throw Object.assign(new Error('namespace concurrent poller limit exceeded'), { code: 8 })
            inFlight++
            try {
              return await (method as (r: unknown) => Promise<unknown>).call(target, request)
            } finally {
              inFlight--
            }
          }
        },
      })
      return { connection: real.connection, workflowService: service, workflow: real.workflow } as unknown as Client
    }

    it('moves the refused order to the sweep instead of retrying it, and the card still follows it', async () => {
      const narrow = frontendAdmittingOne(client)
      const [first, second] = [await placeOrder(client), await placeOrder(client)]
      const holder = watch(narrow, first, 10)
      await waitFor('the first card to show Paid', () => holder.last()?.state === 'Paid', 20_000, 20)
      const refused = watch(narrow, second, 10)
      await waitFor('the second card to be swept', () => sweepStats(narrow, DEFAULTS.namespace).swept === 1, 15_000, 20)
      // Refused once: no new long poll starts for a while, however many cards are past the limit.
      expect(longPollBudget().free).toBe(0)
      await waitFor('the swept card to show Paid', () => refused.last()?.state === 'Paid', 20_000, 20)
      await client.workflow.getHandle(second).executeUpdate(pickUpUpdate, { args: [{ driverId: 'budget-driver' }] })
      await waitFor('the swept card to see the pickup', () => pickedUpAndTold(refused.last()), 15_000, 50)
      expect(refused.queries()).toBe(0)
      for (const card of [holder, refused]) card.leave()
      await Promise.all([holder.done, refused.done])
      await Promise.all([first, second].map((orderId) => client.workflow.getHandle(orderId).terminate('test over')))
    })
  })
})
