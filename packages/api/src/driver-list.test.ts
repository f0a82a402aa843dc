import { randomUUID } from 'node:crypto'
import { Client, Connection } from '@temporalio/client'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { ORDER_PRODUCT_ID, ORDER_STATE } from '@durable-delivery/common/search-attributes'
import { waitFor } from '@durable-delivery/test-harness'
import { DRIVER_LIST_NAMESPACE } from '../test/stack'
import { fixedIdentity } from './auth/identity'
import { createInnerContext } from './context'
import { createCaller } from './root'
import { DRIVER_LIST_PAGE_SIZE } from './read-model/driver-list'

/**
 * The driver list at 1,000 open orders, on a real dev server's visibility. The orders are Paid as
 * visibility sees them (started on a queue no Worker polls, with their search attributes), which
 * is all the list reads: every one must be reachable through the pages, oldest first, none twice.
 * The suite's dev server, in a namespace of its own, so the count is this file's orders alone.
 */
const OPEN = 1_000

let client: Client
const started: string[] = []

beforeAll(async () => {
  client = new Client({
    connection: await Connection.connect({ address: inject('temporalAddress') }),
    namespace: DRIVER_LIST_NAMESPACE,
  })
  // Started one after another, so their start times are in this order.
  for (let index = 0; index < OPEN; index++) {
    const orderId = randomUUID()
    await client.workflow.start('order', {
      workflowId: orderId,
      taskQueue: 'no-worker-polls-this',
      args: [2],
      typedSearchAttributes: [
        { key: ORDER_STATE, value: 'Paid' },
        { key: ORDER_PRODUCT_ID, value: 2 },
      ],
    })
    started.push(orderId)
  }
  // Visibility trails the starts by a moment.
  await waitFor(
    'every order to be visible',
    async () => (await client.workflow.count(`OrderState = 'Paid'`)).count === OPEN,
    30_000,
  )
}, 120_000)

afterAll(async () => {
  await client?.connection.close()
})

describe('the driver list at 1,000 open orders', () => {
  it('reaches every Paid order through the pages, oldest first, with the count on every page', async () => {
    const driver = createCaller(createInnerContext({ client, identity: fixedIdentity({ driverId: 'ana' }) }))
    const seen: string[] = []
    let cursor: string | undefined
    let pages = 0
    do {
      const page = await driver.driverList.listSection({ section: 'ready', cursor })
      expect(page.total).toBe(OPEN)
      expect(page.rows.length).toBeLessThanOrEqual(DRIVER_LIST_PAGE_SIZE)
      seen.push(...page.rows.map((row) => row.orderId))
      cursor = page.nextCursor
      pages += 1
    } while (cursor)
    expect(pages).toBe(OPEN / DRIVER_LIST_PAGE_SIZE)
    expect(seen).toEqual(started)
  }, 60_000)
})
