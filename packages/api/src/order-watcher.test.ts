import { randomUUID } from 'node:crypto'
import { Client, Connection } from '@temporalio/client'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type { OrderStatus } from '@durable-delivery/common'
import { DEFAULTS } from '@durable-delivery/common/config'
import { getStatusQuery, ORDER_WORKFLOW_TYPE, pickUpUpdate } from '@durable-delivery/workflows/definitions'
import { waitFor } from '@durable-delivery/test-harness'
import { activeWatcherCount, watchWorkflow, type WatchedValue } from './order-watcher'

/**
 * The watcher against the suite's real dev server and real Worker: two subscribers of one order share
 * one long poll and one Query per change, and the watcher goes away when both leave.
 */
let client: Client

beforeAll(async () => {
  client = new Client({ connection: await Connection.connect({ address: inject('temporalAddress') }) })
})

afterAll(async () => {
  await client?.connection.close()
})

/** Collects what one subscriber receives, until its signal aborts or the order closes. */
function subscribe(orderId: string, read: () => Promise<OrderStatus>) {
  const received: WatchedValue<OrderStatus>[] = []
  const leave = new AbortController()
  const done = (async () => {
    for await (const value of watchWorkflow({
      client,
      namespace: DEFAULTS.namespace,
      workflowId: orderId,
      read,
      signal: leave.signal,
    }))
      received.push(value)
  })()
  const states = () => received.map(({ value }) => value.state)
  return { received, states, leave: () => leave.abort(), done }
}

describe('order watcher', () => {
  it('serves two subscribers of one order from one watcher, one Query per change, and stops when both leave', async () => {
    const orderId = randomUUID()
    await client.workflow.start(ORDER_WORKFLOW_TYPE, {
      workflowId: orderId,
      taskQueue: DEFAULTS.taskQueue,
      args: [2, { cents: 2000 }],
    })
    let reads = 0
    const read = () => {
      reads++
      return client.workflow.getHandle(orderId).query(getStatusQuery)
    }
    const first = subscribe(orderId, read)
    const second = subscribe(orderId, read)
    await waitFor(
      'both subscribers to see Paid',
      () => first.states().includes('Paid') && second.states().includes('Paid'),
      20_000,
      20,
    )
    expect(activeWatcherCount()).toBe(1)
    const readsBefore = reads

    await client.workflow.getHandle(orderId).executeUpdate(pickUpUpdate, { args: [{ driverId: 'test-driver' }] })
    await waitFor(
      'both subscribers to see Picked up',
      () => first.states().at(-1) === 'Picked up' && second.states().at(-1) === 'Picked up',
      10_000,
      20,
    )
    // The Update's workflow task, and the notification's: a handful of Queries, shared, not one per subscriber.
    expect(reads - readsBefore).toBeGreaterThanOrEqual(1)
    expect(reads - readsBefore).toBeLessThanOrEqual(4)
    // Both saw the same values with the same event ids (the ids a reconnect resumes from).
    expect(first.received.map(({ id }) => id)).toEqual(second.received.map(({ id }) => id))

    first.leave()
    await first.done
    expect(activeWatcherCount()).toBe(1)
    second.leave()
    await second.done
    expect(activeWatcherCount()).toBe(0)
    await client.workflow.getHandle(orderId).terminate('test over')
  })

  it('resumes from a last event id without repeating the value the subscriber already has', async () => {
    const orderId = randomUUID()
    await client.workflow.start(ORDER_WORKFLOW_TYPE, {
      workflowId: orderId,
      taskQueue: DEFAULTS.taskQueue,
      args: [3, { cents: 1500 }],
    })
    const read = () => client.workflow.getHandle(orderId).query(getStatusQuery)
    const before = subscribe(orderId, read)
    await waitFor('Paid', () => before.states().includes('Paid'), 20_000, 20)
    const holder = subscribe(orderId, read) // keeps the watcher alive while the first reconnects
    await waitFor('the second subscriber to have the current value', () => holder.received.length > 0, 10_000, 20)
    before.leave()
    await before.done

    const lastEventId = before.received.at(-1)!.id
    const resumed: WatchedValue<OrderStatus>[] = []
    const leave = new AbortController()
    const done = (async () => {
      for await (const value of watchWorkflow({
        client,
        namespace: DEFAULTS.namespace,
        workflowId: orderId,
        read,
        lastEventId,
        signal: leave.signal,
      }))
        resumed.push(value)
    })()
    await client.workflow.getHandle(orderId).executeUpdate(pickUpUpdate, { args: [{ driverId: 'test-driver' }] })
    await waitFor(
      'the resumed subscriber to see Picked up',
      () => resumed.at(-1)?.value.state === 'Picked up',
      10_000,
      20,
    )
    expect(resumed.map(({ id }) => id)).not.toContain(lastEventId)
    leave.abort()
    holder.leave()
    await Promise.all([done, holder.done])
    await waitFor('the watcher to stop', () => activeWatcherCount() === 0, 5_000, 20)
    await client.workflow.getHandle(orderId).terminate('test over')
  })
})
