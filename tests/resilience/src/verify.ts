import { setTimeout as delay } from 'node:timers/promises'
import type { Client } from '@temporalio/client'
import { checkLedger, type LedgerCheck } from '@durable-delivery/activities/ledger-check'
import { Ledger } from '@durable-delivery/activities/ledger'
import { expectedEnding, ledgerExpectations, type PlannedOrder } from './order-plan'
import type { Api } from './stack'
import { errorMessage } from '@durable-delivery/common'

/**
 * The verdict on a run: did every order end the way its customer and driver should see it, and
 * does the payment ledger hold exactly the money those endings imply.
 */
export interface LostOrder {
  orderId: string
  productId: number
  driver: PlannedOrder['driver']
  expected: string
  got: string
}

export interface Verdict {
  orders: number
  /** Orders that did not reach their correct final state (should be none). */
  lost: LostOrder[]
  ledger: LedgerCheck
}

/** Waits until Temporal has closed every order (completed or failed), or throws naming the stragglers. */
export async function awaitClosed(client: Client, orders: readonly PlannedOrder[], timeoutMs: number): Promise<void> {
  const open = new Set(orders.map((order) => order.orderId))
  const deadline = Date.now() + timeoutMs
  while (open.size > 0) {
    for (const orderId of [...open]) {
      const description = await client.workflow
        .getHandle(orderId)
        .describe()
        .catch(() => undefined)
      if (description && description.status.name !== 'RUNNING') open.delete(orderId)
    }
    if (open.size === 0) return
    if (Date.now() > deadline) {
      throw new Error(`${open.size} orders still running after ${timeoutMs} ms: ${[...open].slice(0, 5).join(', ')}`)
    }
    await delay(1_000)
  }
}

/**
 * Judges each order through the customer's view (`order.getOrderStatus`: the state and why it
 * failed) and Temporal's own closing status, then audits the ledger against the plan of
 * `placed`: every order ever placed against this ledger (by default, those judged).
 */
export async function verifyOrders(
  api: Api,
  client: Client,
  ledgerPath: string,
  orders: readonly PlannedOrder[],
  placed: readonly PlannedOrder[] = orders,
): Promise<Verdict> {
  const lost: LostOrder[] = []
  // A few at a time: each look replays a closed workflow on the Worker to answer the query.
  const judge = async (order: PlannedOrder): Promise<void> => {
    const want = expectedEnding(order)
    const expected = `${want.completed ? 'completed' : 'failed'}, ${want.state}${want.failure ? ` (${want.failure})` : ''}`
    let got: string
    try {
      const [status, description] = await Promise.all([
        api.order.getOrderStatus(order.orderId),
        client.workflow.getHandle(order.orderId).describe(),
      ])
      const closed = description.status.name === 'COMPLETED' ? 'completed' : description.status.name.toLowerCase()
      got = `${closed}, ${status.state}${status.failure ? ` (${status.failure})` : ''}`
      const right =
        closed === (want.completed ? 'completed' : 'failed') &&
        status.state === want.state &&
        (want.failure === undefined || (status.failure ?? '').includes(want.failure))
      if (right) return
    } catch (error) {
      got = `unreadable: ${errorMessage(error)}`
    }
    lost.push({ orderId: order.orderId, productId: order.productId, driver: order.driver, expected, got })
  }
  for (let index = 0; index < orders.length; index += 8) await Promise.all(orders.slice(index, index + 8).map(judge))
  const ledger = new Ledger(ledgerPath)
  try {
    return { orders: orders.length, lost, ledger: checkLedger(ledger.payments(), ledgerExpectations(placed)) }
  } finally {
    ledger.close()
  }
}
