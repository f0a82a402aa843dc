import { randomUUID } from 'node:crypto'
// The default export: named imports of this CommonJS module fail under Node's ESM loader (tsx, the benches).
import proto from '@temporalio/proto'
import type { OrderStatusView } from '@durable-delivery/api'
import type { OrderWaits } from '@durable-delivery/common'
import { billedActions, describeActions, type BilledActions } from '@durable-delivery/workflows/billed-actions'
import type { BreakableStack } from '@durable-delivery/resilience/breakable-stack'
import { round } from './process-usage'
import { benchApi, countingConnection } from './counting-connection'
import { report } from './results'

/**
 * What one order costs on Temporal Cloud, counted by Cloud's published rules (billed-actions.ts):
 * a one-dish order, and a cart through the restaurant's step, placed, paid, picked up, delivered
 * and rated through the API as the sites do it, and watched live by its card (watchOrderStatus)
 * from placement to rating, once the way the card reads now and once the way it read before. Its history's
 * actions, plus what never reaches a history: the Queries the card's watcher sent, counted on the
 * wire by a gRPC interceptor on the API's own connection, and any rejected Update. Beside it the
 * original sample's way for the same order: its history (the seed's shape) and a getStatus Query
 * a second from its card for as long as this order took. Failure rates are 0 (the stack's), so no
 * activity is retried: the count is the order's own, not the payment service's mood.
 */

/** Temporal Cloud's published price for Actions, first tier ("Temporal Cloud pricing": $50 per million, the first 5M a month). */
const DOLLARS_PER_MILLION_ACTIONS = 50
/** Issue 19's targets: the watched and rated one-dish order, and the cart with the restaurant's step. */
const TARGET_ACTIONS = 20
const TARGET_CART_ACTIONS = 26
/** The seed's card polled getStatus this often (React Query's refetchInterval of 1 s). */
const SEED_QUERY_INTERVAL_MS = 1_000
/**
 * The seed's history of the same order: the start; chargeCustomer and three sendPushNotification
 * (picked up, delivered, "rate your meal"); the pickup and delivery `condition` timers and the
 * sleep before the prompt; the pickedUp and delivered Signals. No search attributes, no Updates.
 */
const SEED_HISTORY_ACTIONS = 1 + 4 + 3 + 2

/** Short waits: a benchmark of what an order costs, not of how long it takes. Only the prompt's delay is waited out. */
const COST_WAITS: OrderWaits = {
  pickupWindow: 60_000,
  deliveryWindow: 60_000,
  ratingDelay: 500,
  ratingWindow: 60_000,
}
const DEADLINE_MS = 60_000

const WORKFLOW_TASK_COMPLETED = proto.temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED

/** One watched order's cost, one way of watching it. */
export interface OrderCost {
  kind: 'one-dish' | 'cart'
  /** How its card read the status: from the history (now) or a Query per workflow task (before). */
  watch: 'history' | 'query'
  orderId: string
  /** Placement to the rating's answer. */
  durationMs: number
  history: BilledActions
  /** getStatus Queries the API sent for the order. */
  queries: number
  workflowTasks: number
  updatesSent: number
  updatesAccepted: number
  signalsSent: number
  /** Every WorkflowService call of the API, by method. */
  calls: Record<string, number>
  total: number
  /** The original sample's card on the same order: its history's actions and a getStatus Query a second. */
  sample: { history: number; queries: number; total: number }
  dollarsPer1000: { ours: number; sample: number }
}

export interface CostResult {
  orders: OrderCost[]
  targets: { oneDish: number; cart: number }
}

const dollars = (actions: number) => round((actions * 1000 * DOLLARS_PER_MILLION_ACTIONS) / 1_000_000, 2)

/** The cart of issue 18's walk-through: 2 Burrata and 1 Potato with a 15 % tip, through the restaurant's step. */
const CART = {
  items: [
    { productId: 2, quantity: 2 },
    { productId: 3, quantity: 1 },
  ],
  tip: { kind: 'percent' as const, percent: 15 },
}

async function watchedOrder(
  stack: BreakableStack,
  kind: OrderCost['kind'],
  watch: OrderCost['watch'],
): Promise<OrderCost> {
  const { connection, calls } = await countingConnection(stack.address)
  try {
    const api = benchApi(connection, { orderWaits: COST_WAITS, liveProjection: watch === 'history' })
    const orderId = randomUUID()
    const deadline = Date.now() + DEADLINE_MS
    const placedAt = performance.now()

    // The menu: place the order (start, then the waitForPayment Update), then its card watches it.
    await api.order.createOrder(kind === 'cart' ? { orderId, ...CART } : { orderId, productId: 2 })
    const watched = await api.order.watchOrderStatus({ orderId })
    const states: string[] = []
    let act: () => void = () => undefined
    let prompted = false
    const watching = (async () => {
      for await (const item of watched) {
        // In process, tracked() arrives as it was yielded: [event id, the view].
        const [, data] = item as unknown as [string, OrderStatusView]
        if (states.at(-1) !== data.state) states.push(data.state)
        // The customer rates on the prompt ("Rate your meal"), as the seed's story goes; the card
        // would take a rating from delivery on, and that order costs less (no prompt, no window).
        prompted ||= data.notifications?.some(({ message }) => /rate your meal/i.test(message)) ?? false
        act()
      }
    })()
    // The driver and the customer act on what the card shows, as people do: no extra reads.
    const until = (condition: () => boolean, what: string) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`cost: no ${what} within ${DEADLINE_MS} ms`)),
          deadline - Date.now(),
        )
        act = () => {
          if (!condition()) return
          clearTimeout(timer)
          resolve()
        }
        act()
      })
    // A cart waits for the Worker's simulated restaurant to accept it and mark it ready.
    const pickable = kind === 'cart' ? 'Ready' : 'Paid'
    await until(() => states.includes(pickable), pickable)
    await api.driverList.pickUp(orderId)
    await until(() => states.includes('Picked up'), 'pickup')
    await api.driverList.deliver(orderId)
    await until(() => prompted, 'rating prompt')
    await api.order.rate({ orderId, stars: 5 })
    const durationMs = performance.now() - placedAt
    // The order completes on its rating; the watcher reads once more and ends with it.
    // (Read with the stack's own client: what the bench reads is not the sites' traffic.)
    const handle = stack.client.workflow.getHandle(orderId)
    await handle.result()
    await watching

    const fetched = await handle.fetchHistory()
    const history = billedActions(fetched)
    const workflowTasks = (fetched.events ?? []).filter((event) => event.eventType === WORKFLOW_TASK_COMPLETED).length
    const count = (method: string) => calls.get(method) ?? 0
    const queries = count('QueryWorkflow')
    const updatesSent = count('UpdateWorkflowExecution')
    const updatesAccepted = history.byKind.update
    // A rejected Update never reaches the history; repeats of one Update id are not billed either,
    // so calls beyond the accepted ones are an upper bound of the rejected (none, with no failures).
    const rejected = Math.max(0, updatesSent - updatesAccepted)
    const total = history.total + queries + rejected
    const sampleQueries = Math.ceil(durationMs / SEED_QUERY_INTERVAL_MS)
    // The seed's one-dish history; a cart has no seed, so its own history with the sample's polling.
    const sampleHistory = kind === 'one-dish' ? SEED_HISTORY_ACTIONS : history.total - history.byKind.update
    const sampleTotal = sampleHistory + sampleQueries
    const result: OrderCost = {
      kind,
      watch,
      orderId,
      durationMs: Math.round(durationMs),
      history,
      queries,
      workflowTasks,
      updatesSent,
      updatesAccepted,
      signalsSent: count('SignalWorkflowExecution'),
      calls: Object.fromEntries([...calls].sort()),
      total,
      sample: { history: sampleHistory, queries: sampleQueries, total: sampleTotal },
      dollarsPer1000: { ours: dollars(total), sample: dollars(sampleTotal) },
    }
    console.log(`  ${kind}, card reading by ${watch}: ${states.join(' → ')} in ${(durationMs / 1000).toFixed(1)} s`)
    console.log(`    history: ${history.total} = ${describeActions(history)}`)
    console.log(
      `    outside the history: ${queries} getStatus Queries (${workflowTasks} workflow tasks), ` +
        `${rejected} rejected Updates (${updatesSent} Update calls, ${updatesAccepted} accepted)`,
    )
    console.log(`    API's calls to Temporal: ${JSON.stringify(result.calls)}`)
    return result
  } finally {
    await connection.close()
  }
}

/**
 * Each order watched the way the card does now (the status from the history) and the way it did
 * before (a getStatus Query per workflow task), beside the original sample's card (a Query a
 * second) on the same order, in actions and dollars per 1,000 orders.
 */
export async function costScenario(stack: BreakableStack): Promise<CostResult> {
  const orders: OrderCost[] = []
  for (const kind of ['one-dish', 'cart'] as const)
    for (const watch of ['query', 'history'] as const) orders.push(await watchedOrder(stack, kind, watch))
  const targets = { oneDish: TARGET_ACTIONS, cart: TARGET_CART_ACTIONS }
  console.log('  order     | before (Query per task) | now (from the history) | the sample (Query a second)')
  for (const kind of ['one-dish', 'cart'] as const) {
    const before = orders.find((order) => order.kind === kind && order.watch === 'query')!
    const now = orders.find((order) => order.kind === kind && order.watch === 'history')!
    const cell = (actions: number) => `${actions} ($${dollars(actions).toFixed(2)}/1k)`
    console.log(
      `  ${kind.padEnd(9)} | ${cell(before.total).padEnd(23)} | ${cell(now.total).padEnd(22)} | ${cell(now.sample.total)}` +
        `; at a 30-minute order ${now.sample.history + 1800}`,
    )
  }
  const line = (kind: OrderCost['kind'], target: number) => {
    const before = orders.find((order) => order.kind === kind && order.watch === 'query')!
    const now = orders.find((order) => order.kind === kind && order.watch === 'history')!
    return (
      `${kind}: ${before.total} -> ${now.total} actions (target <= ${target}), ` +
      `$${now.dollarsPer1000.ours.toFixed(2)} per 1,000 (the sample's ${now.sample.total}, $${now.dollarsPer1000.sample.toFixed(2)})`
    )
  }
  report(
    'cost',
    `${line('one-dish', TARGET_ACTIONS)}; ${line('cart', TARGET_CART_ACTIONS)}; at $${DOLLARS_PER_MILLION_ACTIONS} per million actions`,
    { orders, targets },
  )
  return { orders, targets }
}
