import { setTimeout as delay } from 'node:timers/promises'
import type { Client } from '@temporalio/client'
import { waitFor } from '@durable-delivery/test-harness'
import { checkLedger, type LedgerCheck } from '@durable-delivery/activities/ledger-check'
import { Ledger } from '@durable-delivery/activities/ledger'
import { orderExpectations } from '@durable-delivery/activities/order-costs'
import { getStatusQuery } from '@durable-delivery/workflows/definitions'
import {
  endingsOfRun,
  ledgerExpectations,
  type EndingOptions,
  type ExpectedEnding,
  type PlannedOrder,
} from './order-plan'
import type { Api } from './breakable-stack'
import { errorMessage } from '@durable-delivery/common'
import { ORDER_STATE } from '@durable-delivery/common/search-attributes'

/**
 * The verdict on a run: did every order end the way its customer and driver should see it, and
 * did each order cost exactly what its ending says (the payment ledger, per order run).
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
  /** Orders that did not reach a correct final state (should be none). */
  lost: LostOrder[]
  /** The ledger against the plan: every run cost what the ending it reached says. */
  ledger: LedgerCheck
  /** The ledger against Temporal alone, as `npm run ledger` checks it. */
  ledgerFromTemporal: LedgerCheck
  /** How the runs ended, by ending ("Delivered", "Cancelled by an operator", ...). */
  endings: Record<string, number>
}

/** Waits until Temporal has closed every run of every order, or throws naming the stragglers. */
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
      const stragglers = await Promise.all([...open].slice(0, 5).map((orderId) => whereIs(client, orderId)))
      throw new Error(`${open.size} orders still running after ${timeoutMs} ms:\n${stragglers.join('\n')}`)
    }
    await delay(1_000)
  }
}

/** Where a running order stands, for a failure message: its state and what it waits on. */
async function whereIs(client: Client, orderId: string): Promise<string> {
  const description = await client.workflow
    .getHandle(orderId)
    .describe()
    .catch(() => undefined)
  if (!description) return `  ${orderId}: cannot be described`
  const state = description.typedSearchAttributes.get(ORDER_STATE)
  const pending = (description.raw.pendingActivities ?? []).map(
    (activity) =>
      `${activity.activityType?.name ?? '?'} (attempt ${activity.attempt ?? '?'}, ${activity.lastFailure?.message ?? 'no failure'})`,
  )
  return `  ${orderId}: ${String(state)}, pending activities: ${pending.join('; ') || 'none'}`
}

function describeEnding(ending: Pick<ExpectedEnding, 'closed' | 'state' | 'failure'>): string {
  return `${ending.closed}, ${ending.state}${ending.failure ? ` (${ending.failure})` : ''}`
}

/**
 * Judges each run of each order: the latest through the customer's view (`order.getOrderStatus`:
 * the state and why it ended), an earlier run of a reused id through its own query, both with
 * Temporal's closing status. The ending reached decides what the run must have cost; then the
 * ledger is audited against those costs for every order of `placed` (every order ever placed
 * against this ledger), and once more against Temporal alone, as `npm run ledger` does.
 */
export async function verifyOrders(
  api: Api,
  client: Client,
  ledgerPath: string,
  orders: readonly PlannedOrder[],
  placed: readonly PlannedOrder[] = orders,
  options: EndingOptions = {},
): Promise<Verdict> {
  const lost: LostOrder[] = []
  const endings: Record<string, number> = {}
  const judgeRun = async (order: PlannedOrder, run: number): Promise<void> => {
    const want = endingsOfRun(order, run, options)
    const expected = want.map(describeEnding).join(' or ')
    let got: string
    try {
      const runId = order.runs[run]!
      const handle = client.workflow.getHandle(order.orderId, runId)
      const latest = run === order.runs.length - 1
      const [status, description] = await Promise.all([
        latest ? api.order.getOrderStatus(order.orderId) : handle.query(getStatusQuery),
        handle.describe(),
      ])
      const closed = description.status.name === 'COMPLETED' ? 'completed' : description.status.name.toLowerCase()
      got = `${closed}, ${status.state}${status.failure ? ` (${status.failure})` : ''}`
      const match = want.find(
        (ending) =>
          closed === ending.closed &&
          status.state === ending.state &&
          (ending.failure === undefined || (status.failure ?? '').includes(ending.failure)),
      )
      if (match) {
        order.netByRun.set(runId, match.netCents)
        const name = match.failure ?? match.state
        endings[name] = (endings[name] ?? 0) + 1
        return
      }
    } catch (error) {
      got = `unreadable: ${errorMessage(error)}`
    }
    lost.push({ orderId: order.orderId, productId: order.productId, driver: order.driver, expected, got })
  }
  const judge = async (order: PlannedOrder): Promise<void> => {
    if (order.runs.length === 0) {
      const description = await client.workflow
        .getHandle(order.orderId)
        .describe()
        .catch(() => undefined)
      if (description) order.runs.push(description.runId)
    }
    for (let run = 0; run < order.runs.length; run++) await judgeRun(order, run)
  }
  // A few at a time: each look replays a closed workflow on the Worker to answer the query.
  for (let index = 0; index < orders.length; index += 8) await Promise.all(orders.slice(index, index + 8).map(judge))
  // Visibility trails the executions a little: judge from the list once it shows them closed.
  const settled = async () => {
    for await (const _ of client.workflow.list({
      query: `WorkflowType = 'order' AND ExecutionStatus = 'Running'`,
      pageSize: 1,
    }))
      return false
    return true
  }
  await waitFor('the order list to show every order closed', settled, 15_000, 250).catch(() => undefined)
  const ledger = new Ledger(ledgerPath)
  try {
    const entries = ledger.payments()
    const fromTemporal = await orderExpectations(client, entries)
    return {
      orders: orders.length,
      lost,
      ledger: checkLedger(entries, ledgerExpectations(placed)),
      ledgerFromTemporal: checkLedger(entries, fromTemporal.expected),
      endings,
    }
  } finally {
    ledger.close()
  }
}
