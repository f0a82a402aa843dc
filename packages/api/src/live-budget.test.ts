import { randomUUID } from 'node:crypto'
import { Client, Connection } from '@temporalio/client'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type { OrderStatus } from '@durable-delivery/common'
import { DEFAULTS } from '@durable-delivery/common/config'
import { getStatusQuery, ORDER_WORKFLOW_TYPE, pickUpUpdate } from '@durable-delivery/workflows/definitions'
import { startDevServer, waitFor, type DevServer } from '@durable-delivery/test-harness'
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
 * visibility sweep, and a long poll the server refuses (frontend.namespaceCount) moves its order
 * to the sweep instead of retrying.
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

  it('sweeps the orders past the budget: one List a second for all of them, no Query, every change seen', async () => {
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
    // Five orders in one List call a round, not one call per card.
    expect(after.lists - sweep.lists).toBe(after.rounds - sweep.rounds)
    expect(cards.map((card) => card.queries())).toEqual([0, 0, 0, 0, 0])
    for (const card of cards) card.leave()
    await Promise.all(cards.map((card) => card.done))
    await waitFor('the watchers to stop', () => activeWatcherCount() === 0, 5_000, 20)
    expect(sweepStats(client, DEFAULTS.namespace).swept).toBe(0)
    await Promise.all(orderIds.map((orderId) => client.workflow.getHandle(orderId).terminate('test over')))
  })

  describe('on a frontend that admits one long poll (frontend.namespaceCount=1)', () => {
    let server: DevServer
    let narrow: Client

    beforeAll(async () => {
      server = await startDevServer({ dynamicConfig: { 'frontend.namespaceCount': 1 } })
      narrow = new Client({ connection: await Connection.connect({ address: server.address }) })
    })

    afterAll(async () => {
      await narrow?.connection.close()
      await server?.stop()
    })

    it('moves a refused long poll to the sweep instead of retrying it, and still sees the order end', async () => {
      // No Worker: the orders stay at their first workflow task; the projection then cannot say,
      // so each card shows what an event-counting projector says of the history.
      const counting = (): HistoryProjector<OrderStatus> => {
        let events = 0
        return {
          apply: (batch) => void (events += batch.length),
          value: () => ({ productId: events, state: 'Charging card' }),
        }
      }
      const [first, second] = [await placeOrder(narrow, 'nobody'), await placeOrder(narrow, 'nobody')]
      const holder = watch(narrow, first, 10, counting)
      await waitFor('the first card to hold the one long poll', () => longPollBudget().inUse === 1, 10_000, 20)
      const refused = watch(narrow, second, 10, counting)
      await waitFor('the second card to be swept', () => sweepStats(narrow, DEFAULTS.namespace).swept === 1, 15_000, 20)
      // Refused once: no long poll starts for a while, however many cards are past the limit.
      expect(longPollBudget().free).toBe(0)
      await narrow.workflow.getHandle(second).terminate('the card must see this')
      await waitFor('the swept card to end with the order', () => refused.ended(), 10_000, 20)
      expect(refused.last()?.productId).toBeGreaterThan(2)
      expect(refused.queries()).toBe(0)
      holder.leave()
      await holder.done
      await narrow.workflow.getHandle(first).terminate('test over')
    })
  })
})
